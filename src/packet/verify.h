/* verify.h: checking a packet on the receiving side, a ZIP or an extracted folder: every
 * entry's CRC, bagit.txt, each manifest and tagmanifest line, unlisted payload files,
 * Payload-Oxum, and the PACKET.zip.sha256 sidecar when present. verify.c reads, never writes,
 * never prints: each failure is returned with the path it concerns. */
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
	struct verify_failure *v;
	size_t n, cap;
};

/* Verify the ZIP or folder at path. Returns RP_OK when it could be examined (failures, if
 * any, are in r), RP_ESOURCE when it does not exist or cannot be read (errbuf says why),
 * RP_EUSAGE when it is encrypted (see verify_packet_pw). */
int verify_packet(const char *path, struct verify_result *r, char *errbuf, size_t errlen);
/* The same for an encrypted packet (password may be NULL for one that is not). A missing or
 * wrong password is RP_EUSAGE with errbuf saying so, not a damaged packet. */
int verify_packet_pw(const char *path, const char *password, struct verify_result *r, char *errbuf,
		     size_t errlen);

/* Told as verify reads: files and bytes done, of the totals (0 when not known beforehand, as
 * for a folder). The callback must not fail; it may print (it is the command's). */
struct verify_progress {
	void (*fn)(void *arg, size_t done, size_t total, uint64_t bytes, uint64_t total_bytes);
	void *arg;
};
/* verify_packet_pw, with progress told to prog (may be NULL). */
int verify_packet_watch(const char *path, const char *password, const struct verify_progress *prog,
			struct verify_result *r, char *errbuf, size_t errlen);

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
