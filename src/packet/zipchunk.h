/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipchunk.h: one big file deflated on several threads into one deflate stream. Workers read
 * fixed-size chunks (pread), CRC them and deflate each as two pieces (halves) with libdeflate;
 * the pieces are joined in order: in every piece but the last, the final-block bit is cleared and an empty stored block
 * realigns the stream to a byte (what zlib's Z_SYNC_FLUSH writes). The reader takes the pieces
 * in order and hashes the file's bytes with SHA-256 as it goes, once. Memory: a fixed ring of
 * chunks, whatever the file's size. Never prints. */
#ifndef ZIPCHUNK_H
#define ZIPCHUNK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Bytes of the file per chunk: big enough that starting each piece (half a chunk) without
 * the previous one's 32 KiB window costs a fraction of a percent (0.014% on CT frames). */
#define ZIPCHUNK_SIZE (1u << 20)

struct zipchunk;

/* Start deflating size bytes of fd (from offset 0) at level (1-12) on jobs threads. NULL when
 * out of memory or no thread could start. fd stays the caller's. */
struct zipchunk *zipchunk_start(int fd, uint64_t size, int level, int jobs);
/* The next bytes of the deflate stream, up to len: > 0, 0 at its end, or -1 with *err set to
 * an errno or to -1 when the file is not size bytes long any more. */
ssize_t zipchunk_read(struct zipchunk *zc, void *buf, size_t len, int *err);
/* Bytes of the file taken by zipchunk_read so far (for progress). */
uint64_t zipchunk_taken(const struct zipchunk *zc);
/* After zipchunk_read returned 0: the file's CRC-32 and SHA-256 (64 hex digits and NUL). */
uint32_t zipchunk_crc(const struct zipchunk *zc);
void zipchunk_sha256(const struct zipchunk *zc, char hex[65]);
/* Stop the threads and free zc (NULL is fine). */
void zipchunk_free(struct zipchunk *zc);

/* A complete raw deflate stream s of len bytes (with 32 readable bytes after it, zeroed): the
 * bit where its final block starts and the bit just after that block's end. 0, or -1 when s is
 * not a well-formed stream. Exposed for the unit test. */
int zipchunk_final_block(const unsigned char *s, size_t len, size_t *final_bit, size_t *end_bit);
/* The same for n (1 to 4) streams at once, walked in step (faster than one after the other):
 * 0 when every one is well-formed, else -1. */
int zipchunk_final_blocks(size_t n, const unsigned char *const *s, const size_t *len, size_t *final_bit,
			  size_t *end_bit);
/* Turn the complete stream s (len bytes, room for 5 more) into a piece that a later one may
 * follow: returns its new length, or 0 when s is not well-formed. */
size_t zipchunk_unfinal(unsigned char *s, size_t len);

#endif
