/* SPDX-License-Identifier: GPL-3.0-or-later */
/* extract.h: unpacking a packet ZIP (encrypted or not) into a folder, with the documents' real
 * names restored from packet.json. Every entry is judged by packetread_entry_problem() (no "..",
 * no absolute path, no control characters, no symbolic link), as verify judges it; files are
 * 0600 and folders 0700; each file's SHA-256 is checked against the packet's manifests as it
 * is written. It works in a temp folder inside DIR, flushes it to disk with one syncfs() and
 * renames it into place at the end, so it never writes outside DIR nor leaves half a bag; the temp folder is
 * registered with cleanup.h, so SIGINT/SIGTERM/SIGHUP remove it too. It never prints. */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "packet/verify.h"

struct extract_result {
	char *bag;       /* the folder made inside DIR */
	char *path;      /* DIR/bag */
	size_t files;    /* files written */
	size_t payload;  /* documents written and matching their checksums */
	uint64_t bytes;  /* payload bytes written */
	int renamed;     /* names were restored from packet.json */
	struct verify_failure *v; /* damaged or refused entries (not written) */
	size_t n, cap;
};

/* Extract zip_path into dir (created 0700 if missing). password may be NULL. Returns RP_OK
 * (failures, if any, in r), RP_EUSAGE (missing or wrong password, errbuf says which),
 * RP_ESOURCE (not a readable packet) or RP_EOUTPUT (cannot write, or the bag folder already
 * exists in dir). */
int extract_packet(const char *zip_path, const char *password, const char *dir, struct extract_result *r,
		   char *errbuf, size_t errlen);
/* extract_packet, with progress told to prog (may be NULL) as files are written. */
int extract_packet_watch(const char *zip_path, const char *password, const char *dir,
			 const struct verify_progress *prog, struct extract_result *r, char *errbuf, size_t errlen);
void extract_result_free(struct extract_result *r);

#endif
