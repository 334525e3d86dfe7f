/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verify.h: checking a packet on the receiving side, and any BagIt bag (RFC 8493, versions
 * 0.93 to 1.0): a folder, a ZIP or a tar serialization; every entry's CRC, bagit.txt, every
 * manifest and tag manifest of every algorithm, unlisted payload files, Payload-Oxum,
 * fetch.txt (reported, never fetched), packet.json when the bag is a recpack packet, a BagIt
 * Profile when one is given, and the PACKET.zip.sha256 sidecar when present. verify.c reads,
 * never writes, never prints: each failure and warning is returned with the path it
 * concerns. */
#ifndef VERIFY_H
#define VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <stdarg.h>

#include <jansson.h>

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
	int packet;         /* 1: a recpack packet (it has packet.json); 0: a plain BagIt bag */
	char *version;      /* its BagIt-Version, "1.0" */
	char *manifests;    /* its payload manifests' algorithms, "md5 sha256" */
	const char *serialization; /* "folder", "zip" or "tar" */
	size_t fetch;       /* lines in fetch.txt */
	struct verify_failure *v; /* failures: the bag is not intact */
	size_t n, cap;
	struct verify_failure *w; /* warnings */
	size_t wn, wcap;
};

/* Told as verify reads: files and bytes done, of the totals (0 when not known beforehand, as
 * for a folder or a tar file). The callback must not fail; it may print (it is the command's). */
struct verify_progress {
	void (*fn)(void *arg, size_t done, size_t total, uint64_t bytes, uint64_t total_bytes);
	void *arg;
};

struct verify_options {
	const char *password; /* an encrypted packet's, or NULL */
	const char *profile;  /* a BagIt Profile (JSON file) to check the bag against, or NULL */
	const struct verify_progress *prog; /* NULL: silent */
};

/* Verify the bag or packet at path: a folder, a tar file (plain or compressed) or a ZIP.
 * Returns RP_OK when it could be examined (failures and warnings, if any, are in r),
 * RP_ESOURCE when it or the profile does not exist or cannot be read, RP_EUSAGE when it is
 * encrypted and the password is missing or wrong, or the profile is not one (errbuf says
 * why). */
int verify_bag(const char *path, const struct verify_options *o, struct verify_result *r, char *errbuf,
	       size_t errlen);

/* Verify the ZIP or folder at path. Returns RP_OK when it could be examined (failures, if
 * any, are in r), RP_ESOURCE when it does not exist or cannot be read (errbuf says why),
 * RP_EUSAGE when it is encrypted (see verify_packet_pw). */
int verify_packet(const char *path, struct verify_result *r, char *errbuf, size_t errlen);
/* The same for an encrypted packet (password may be NULL for one that is not). A missing or
 * wrong password is RP_EUSAGE with errbuf saying so, not a damaged packet. */
int verify_packet_pw(const char *path, const char *password, struct verify_result *r, char *errbuf,
		     size_t errlen);

void verify_result_free(struct verify_result *r);

/* The most of a manifest verify reads (PACKETREAD_MAX_MANIFEST, as extract); a larger one is
 * a failure, never silently cut short. Unit tests lower it. */
extern size_t verify_max_manifest;

/* The failure lists of verify and extract (v, n, cap as in their result structs): append
 * one (path copied, problem formatted), or free them all. */
void verify_failure_vadd(struct verify_failure **v, size_t *n, size_t *cap, const char *path, const char *fmt,
			 va_list ap) __attribute__((format(printf, 5, 0)));
void verify_failures_free(struct verify_failure *v, size_t n);

/* Failures as a JSON array of {"path", "problem"}. */
json_t *verify_failures_json(const struct verify_failure *v, size_t n);

#endif
