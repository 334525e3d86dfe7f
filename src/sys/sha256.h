/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sha256.h: recpack's digests, over OpenSSL's EVP (which uses the CPU's SHA instructions):
 * SHA-256 as a streaming context and one-shot helpers, and the BagIt manifest algorithms
 * (md5, sha1, sha224, sha256, sha384, sha512) behind one small digest API. The only file that
 * includes OpenSSL; no I/O, never prints. */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>

struct sha256; /* opaque */

/* A context, started. NULL when it cannot be made (out of memory). */
struct sha256 *sha256_new(void);
/* Add n bytes. 0, or -1 on failure (h is then unusable until sha256_final). */
int sha256_update(struct sha256 *h, const void *p, size_t n);
/* The digest of what was added, as 32 bytes (md) and/or 64 hex digits and NUL (hex); either
 * may be NULL. h starts again, empty. 0 or -1. */
int sha256_final(struct sha256 *h, unsigned char md[32], char hex[65]);
/* Forget what was added: h starts again, empty. 0 or -1. */
int sha256_reset(struct sha256 *h);
/* Free h (NULL is fine). */
void sha256_free(struct sha256 *h);

/* The digest of one buffer, as sha256_final gives it. 0 or -1. */
int sha256_buf(const void *p, size_t n, unsigned char md[32], char hex[65]);

/* SHA-1 of one buffer as 40 lower-case hex digits and NUL, only to compare with the hashes
 * others wrote (IHE XDM metadata); never to protect anything. 0 or -1. */
int sha1_buf_hex(const void *p, size_t n, char hex[41]);

/* The BagIt manifest algorithms, by their manifest names ("md5", "sha1", "sha224", "sha256",
 * "sha384", "sha512"). DIGEST_ALGS of them, numbered 0 .. DIGEST_ALGS - 1. */
#define DIGEST_ALGS 6
#define DIGEST_MAX_HEX 128 /* hex digits of the longest (SHA-512) */
/* The number of the algorithm called name (lower case, as in "manifest-sha1.txt"), or -1. */
int digest_alg(const char *name);
/* Its name, and the hex digits of its digest (32 for md5 ... 128 for sha512). */
const char *digest_alg_name(int alg);
size_t digest_hex_len(int alg);

struct digest; /* opaque */
/* A context for algorithm alg, started; NULL when it cannot be made. */
struct digest *digest_new(int alg);
/* Add n bytes. 0 or -1. */
int digest_update(struct digest *d, const void *p, size_t n);
/* The digest as digest_hex_len(alg) lower-case hex digits and NUL. 0 or -1. */
int digest_final_hex(struct digest *d, char hex[DIGEST_MAX_HEX + 1]);
/* Free d (NULL is fine). */
void digest_free(struct digest *d);

#endif
