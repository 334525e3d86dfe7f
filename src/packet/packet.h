/* SPDX-License-Identifier: GPL-3.0-or-later */
/* packet.h: writes the packet ZIP for a checked collection: the bag plan (bag.c), the
 * payload and tag entries (zipout.c), the documents' SHA-256 as they are written. It writes
 * only that path (the caller makes it atomic) and tag files in the workdir; it never prints. */
#ifndef PACKET_H
#define PACKET_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "packet/bag.h"
#include "packet/zipout.h"
#include "read/document.h"
#include "rules/check.h"
#include "rules/manifest.h"
#include "rules/patient.h"
#include "rules/problem.h"
#include "sys/workdir.h"

struct packet_opts {
	const char *name;       /* --name, or NULL */
	int allow_incomplete;
	time_t when;            /* SOURCE_DATE_EPOCH or now */
	int jobs, level;
	const char *questions;  /* the --questions text, or NULL */
	void (*progress)(void *arg, const struct zipout_progress *p);
	void *progress_arg;
	volatile sig_atomic_t *cancel;
	const char *password;   /* non-NULL: encrypt (AES-256), with neutral entry names */
	int durable;            /* the packet will be fsynced: sync it while it is written */
};

/* What a packet is made of: the checked documents, what the check found, and for whom. */
struct packet_input {
	const struct patient *pt;
	const struct manifest *m;
	struct doclist *docs;           /* emptied by packet_write */
	const struct check_result *res;
	const struct problems *probs;
	struct workdir *wd;             /* where the tag files are made */
};

struct packet_info {
	char *name;             /* the bag's folder name */
	size_t files;           /* payload files */
	uint64_t bytes;         /* payload bytes */
	char sha256[65];        /* the packet file's SHA-256, hashed as it was written */
};

/* Write the packet for in to zip_path. The tag files are made first; then in->docs is
 * emptied, as the payload needs none of it and libzip keeps every entry until the end.
 * 0 or RP_E* with errbuf. */
int packet_write(const char *zip_path, const struct packet_input *in, const struct packet_opts *o,
		 struct packet_info *info, char *errbuf, size_t errlen);

/* Timestamp for the packet: SOURCE_DATE_EPOCH when set and valid, else now; never before
 * 1980-01-01 (the ZIP format cannot say earlier). */
time_t packet_time(void);

#endif
