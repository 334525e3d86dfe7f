/* verify.h: checking a packet on the receiving side, a ZIP or an extracted folder: every
 * entry's CRC, bagit.txt, each manifest and tagmanifest line, unlisted payload files,
 * Payload-Oxum, and the PACKET.zip.sha256 sidecar when present. verify.c reads, never writes,
 * never prints: each failure is returned with the path it concerns. */
#ifndef VERIFY_H
#define VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct verify_failure {
	char *path;     /* inside the bag, or the packet/sidecar file */
	char *problem;  /* plain words */
};

struct verify_result {
	char *bag;          /* the bag's folder name ("" when the bag is at the top) */
	size_t files;       /* files read */
	size_t payload;     /* payload files listed and correct */
	uint64_t bytes;     /* payload bytes */
	int sidecar;        /* 0 absent, 1 matched, -1 did not match */
	struct verify_failure *v;
	size_t n, cap;
};

/* Verify the ZIP or folder at path. Returns RP_OK when it could be examined (failures, if
 * any, are in r), RP_ESOURCE when it does not exist or cannot be read (errbuf says why). */
int verify_packet(const char *path, struct verify_result *r, char *errbuf, size_t errlen);
void verify_result_free(struct verify_result *r);

/* Read one tag file of the packet (e.g. "packet.json", relative to the bag), at most max
 * bytes. Returns RP_OK with *out (NUL-terminated, free it), or RP_ESOURCE with errbuf. */
int packet_read_tag(const char *path, const char *name, size_t max, char **out, size_t *len,
		    char *errbuf, size_t errlen);

#endif
