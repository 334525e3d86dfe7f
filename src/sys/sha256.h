/* sha256.h: the one SHA-256 of recpack, over OpenSSL's EVP (which uses the CPU's SHA
 * instructions): a streaming context and one-shot helpers. The only file that includes
 * OpenSSL; no I/O, never prints. */
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

#endif
