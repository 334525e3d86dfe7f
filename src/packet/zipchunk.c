/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipchunk.c: see zipchunk.h.
 *
 * libdeflate compresses a whole buffer at a time and ends what it writes with a final block,
 * padded to a byte. To put pieces one after another, the piece's block structure is walked
 * (the Huffman codes decoded, nothing written out) to find where its final block starts and
 * ends; that is cheap next to compressing. The ring holds RING_PER_JOB chunks per thread: a
 * worker takes chunk k once chunk k - ring is consumed, so memory stays
 * ring x (chunk + its deflate bound) whatever the file's size. */
#include "packet/zipchunk.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#include "sys/sha256.h"

#define RING_PER_JOB 2
#define MAX_THREADS 64
#define SLACK 32 /* bytes after a piece: 5 for the realigning block, the rest for the walker's loads */

/* ---- walking a deflate stream (RFC 1951) without inflating it ---- */

#define FAST_BITS 11
#define FAST_MASK ((1u << FAST_BITS) - 1)

static const unsigned char len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
					     2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const unsigned char dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
					      6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* A code's table: only how many bits each symbol takes matters, never its value beyond its
 * kind, so an entry is symbol << 5 | the bits it takes with its extra bits (at most 15 + 13). */
struct huff {
	uint16_t fast[1u << FAST_BITS]; /* 0: a code longer than FAST_BITS */
	uint16_t count[16];
	uint16_t sym[288];              /* symbols ordered by code length, then value */
	const unsigned char *extra;     /* extra bits after symbol i + extra_from, or NULL */
	unsigned extra_from, extra_n;
};

struct walk {
	const unsigned char *s;
	size_t nbits; /* bits in the stream */
	size_t pos;   /* the next bit */
};

static uint64_t load_bits(const unsigned char *s, size_t pos)
{
	uint64_t v;
	memcpy(&v, s + (pos >> 3), 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v >> (pos & 7);
}

static unsigned bits(struct walk *w, unsigned n)
{
	unsigned v = (unsigned)(load_bits(w->s, w->pos) & ((1u << n) - 1));
	w->pos += n;
	return v;
}

static unsigned reverse(unsigned code, unsigned len)
{
	unsigned r = 0;
	for (unsigned i = 0; i < len; i++, code >>= 1)
		r = (r << 1) | (code & 1);
	return r;
}

static unsigned extra_of(const struct huff *h, unsigned sym)
{
	if (!h->extra || sym < h->extra_from || sym - h->extra_from >= h->extra_n)
		return 0;
	return h->extra[sym - h->extra_from];
}

/* Build h from n code lengths; -1 when the lengths oversubscribe the code. */
static int huff_build(struct huff *h, const unsigned char *lens, unsigned n)
{
	uint16_t offs[16];
	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[lens[i]]++;
	h->count[0] = 0;
	int left = 1;
	for (unsigned len = 1; len < 16; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (unsigned len = 1; len < 15; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned i = 0; i < n; i++)
		if (lens[i])
			h->sym[offs[lens[i]]++] = (uint16_t)i;
	memset(h->fast, 0, sizeof(h->fast));
	unsigned code = 0, idx = 0;
	for (unsigned len = 1; len <= FAST_BITS; len++, code <<= 1) {
		for (unsigned k = 0; k < h->count[len]; k++, code++) {
			unsigned sym = h->sym[idx++];
			uint16_t e = (uint16_t)(sym << 5 | (len + extra_of(h, sym)));
			for (unsigned i = reverse(code, len); i < (1u << FAST_BITS); i += 1u << len)
				h->fast[i] = e;
		}
	}
	return 0;
}

/* A code longer than FAST_BITS, one bit at a time (canonical decoding), with its extra bits. */
static int huff_slow(const struct huff *h, struct walk *w)
{
	int code = 0, first = 0, index = 0;
	for (unsigned len = 1; len < 16; len++) {
		code |= (int)bits(w, 1);
		int count = h->count[len];
		if (code - count < first) {
			unsigned sym = h->sym[index + (code - first)];
			w->pos += extra_of(h, sym);
			return (int)sym;
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

/* The next symbol of h, its extra bits skipped. */
static int decode(const struct huff *h, struct walk *w)
{
	uint16_t e = h->fast[load_bits(w->s, w->pos) & FAST_MASK];
	if (e) {
		w->pos += e & 31;
		return e >> 5;
	}
	return huff_slow(h, w);
}

/* The symbols of one Huffman-coded block, up to and past its end-of-block code. The common
 * case takes one load and one lookup a symbol; two literals share a load. */
static int skip_codes(struct walk *w, const struct huff *lit, const struct huff *dist)
{
	const unsigned char *s = w->s;
	size_t pos = w->pos, nbits = w->nbits;
	for (;;) {
		if (pos >= nbits)
			return -1;
		uint64_t v = load_bits(s, pos); /* at least 57 bits */
		uint16_t e = lit->fast[v & FAST_MASK];
		if (e && e < 256 << 5) { /* a literal (at most 15 bits): two more may follow */
			pos += e & 31;
			v >>= e & 31;
			e = lit->fast[v & FAST_MASK];
			if (!e || e >= 256 << 5)
				continue;
			pos += e & 31;
			v >>= e & 31;
			e = lit->fast[v & FAST_MASK];
			if (!e || e >= 256 << 5)
				continue;
			pos += e & 31;
			continue;
		}
		if (!e) {
			w->pos = pos;
			int sym = huff_slow(lit, w);
			pos = w->pos;
			if (sym < 0 || sym > 285)
				return -1;
			if (sym < 256)
				continue;
			e = (uint16_t)(sym << 5);
			v = load_bits(s, pos);
		} else {
			pos += e & 31; /* a length and its extra bits (at most 20): 37 bits left */
			v >>= e & 31;
		}
		unsigned sym = e >> 5;
		if (sym == 256) {
			w->pos = pos;
			return 0;
		}
		if (sym > 285)
			return -1;
		uint16_t d = dist->fast[v & FAST_MASK];
		if (d) {
			if ((d >> 5) > 29)
				return -1;
			pos += d & 31;
		} else {
			w->pos = pos;
			int ds = huff_slow(dist, w);
			if (ds < 0 || ds > 29)
				return -1;
			pos = w->pos;
		}
	}
}

static int fixed_tables(struct huff *lit, struct huff *dist)
{
	unsigned char lens[288];
	memset(lens, 8, 144);
	memset(lens + 144, 9, 112);
	memset(lens + 256, 7, 24);
	memset(lens + 280, 8, 8);
	lit->extra = len_extra, lit->extra_from = 257, lit->extra_n = 29;
	dist->extra = dist_extra, dist->extra_from = 0, dist->extra_n = 30;
	if (huff_build(lit, lens, 288) < 0)
		return -1;
	memset(lens, 5, 30);
	return huff_build(dist, lens, 30);
}

static int dynamic_tables(struct walk *w, struct huff *lit, struct huff *dist)
{
	static const unsigned char order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	unsigned char lens[320] = { 0 };
	unsigned nlit = bits(w, 5) + 257, ndist = bits(w, 5) + 1, ncode = bits(w, 4) + 4;
	if (nlit > 286 || ndist > 30)
		return -1;
	for (unsigned i = 0; i < ncode; i++)
		lens[order[i]] = (unsigned char)bits(w, 3);
	struct huff *cl = lit; /* the code-length code, in lit's space until lit is built */
	cl->extra = NULL;
	if (huff_build(cl, lens, 19) < 0)
		return -1;
	memset(lens, 0, 19);
	for (unsigned i = 0; i < nlit + ndist;) {
		if (w->pos >= w->nbits)
			return -1;
		int sym = decode(cl, w);
		unsigned rep = 0;
		unsigned char val = 0;
		if (sym < 0)
			return -1;
		if (sym < 16) {
			lens[i++] = (unsigned char)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -1;
			val = lens[i - 1], rep = 3 + bits(w, 2);
		} else {
			rep = sym == 17 ? 3 + bits(w, 3) : 11 + bits(w, 7);
		}
		if (i + rep > nlit + ndist)
			return -1;
		memset(lens + i, val, rep);
		i += rep;
	}
	if (lens[256] == 0)
		return -1;
	lit->extra = len_extra, lit->extra_from = 257, lit->extra_n = 29;
	dist->extra = dist_extra, dist->extra_from = 0, dist->extra_n = 30;
	if (huff_build(lit, lens, nlit) < 0 || huff_build(dist, lens + nlit, ndist) < 0)
		return -1;
	return 0;
}

int zipchunk_final_block(const unsigned char *s, size_t len, size_t *final_bit, size_t *end_bit)
{
	struct walk w = { .s = s, .nbits = len * 8, .pos = 0 };
	struct huff *t = malloc(2 * sizeof(*t));
	int rc = -1;
	if (!t)
		return -1;
	for (;;) {
		if (w.pos + 3 > w.nbits)
			break;
		size_t start = w.pos;
		unsigned final = bits(&w, 1), type = bits(&w, 2);
		if (type == 0) {
			w.pos = (w.pos + 7) & ~(size_t)7;
			if (w.pos + 32 > w.nbits)
				break;
			unsigned n = bits(&w, 16), nn = bits(&w, 16);
			if ((n ^ 0xffffu) != nn || w.pos + (size_t)n * 8 > w.nbits)
				break;
			w.pos += (size_t)n * 8;
		} else if (type == 3 || (type == 1 ? fixed_tables(&t[0], &t[1]) : dynamic_tables(&w, &t[0], &t[1])) < 0 ||
			   skip_codes(&w, &t[0], &t[1]) < 0) {
			break;
		}
		if (w.pos > w.nbits)
			break;
		if (final) {
			*final_bit = start;
			*end_bit = w.pos;
			rc = 0;
			break;
		}
	}
	free(t);
	return rc;
}

size_t zipchunk_unfinal(unsigned char *s, size_t len)
{
	size_t fb, e;
	if (zipchunk_final_block(s, len, &fb, &e) < 0)
		return 0;
	s[fb >> 3] &= (unsigned char)~(1u << (fb & 7));
	if (e & 7)
		s[e >> 3] &= (unsigned char)((1u << (e & 7)) - 1);
	/* an empty stored block: three zero bits (not final, stored), zeros to the byte, 0 and ~0 */
	size_t n = (e + 3 + 7) / 8;
	for (size_t i = (e + 7) / 8; i < n; i++)
		s[i] = 0;
	memcpy(s + n, "\x00\x00\xff\xff", 4);
	return n + 4;
}

/* ---- the ring of chunks ---- */

enum { C_FREE, C_WORKING, C_READY, C_FAILED };

struct chunk {
	unsigned char *in, *out;
	size_t inlen, outlen;
	uint32_t crc;
	int state, err;
};

struct zipchunk {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd, level, stop;
	uint64_t size;
	size_t nchunks, next_claim, consumed, ring;
	struct chunk *c;
	pthread_t tids[MAX_THREADS];
	int nthreads;
	/* the reader's side */
	struct chunk *cur;
	size_t curpos;
	uint32_t crc;
	uint64_t taken;
	struct sha256 *md;
	char hex[65];
};

/* Read chunk k into ch->in: 0, or -1 with ch->err set. The last chunk also checks that the
 * file ends where it was said to. */
static int read_chunk(struct zipchunk *zc, size_t k, struct chunk *ch)
{
	uint64_t off = (uint64_t)k * ZIPCHUNK_SIZE;
	size_t want = zc->size - off < ZIPCHUNK_SIZE ? (size_t)(zc->size - off) : ZIPCHUNK_SIZE;
	size_t got = 0;
	while (got < want) {
		ssize_t n = pread(zc->fd, ch->in + got, want - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ch->err = n < 0 ? errno : -1;
			return -1;
		}
		got += (size_t)n;
	}
	ch->inlen = want;
	if (k + 1 == zc->nchunks) {
		unsigned char extra;
		ssize_t n;
		while ((n = pread(zc->fd, &extra, 1, (off_t)zc->size)) < 0 && errno == EINTR)
			;
		if (n != 0) {
			ch->err = n < 0 ? errno : -1;
			return -1;
		}
	}
	return 0;
}

static void make_chunk(struct zipchunk *zc, struct libdeflate_compressor *c, size_t k, struct chunk *ch)
{
	ch->err = 0;
	if (read_chunk(zc, k, ch) < 0)
		return;
	ch->crc = (uint32_t)libdeflate_crc32(0, ch->in, ch->inlen);
	size_t cap = libdeflate_deflate_compress_bound(c, ZIPCHUNK_SIZE);
	size_t n = libdeflate_deflate_compress(c, ch->in, ch->inlen, ch->out, cap);
	if (n == 0) {
		ch->err = ENOMEM;
		return;
	}
	memset(ch->out + n, 0, SLACK);
	if (k + 1 < zc->nchunks && (n = zipchunk_unfinal(ch->out, n)) == 0)
		ch->err = EPROTO; /* libdeflate wrote what we cannot walk: a bug here, not in the file */
	ch->outlen = n;
}

static void *chunk_worker(void *arg)
{
	struct zipchunk *zc = arg;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(zc->level);
	pthread_mutex_lock(&zc->mu);
	while (!zc->stop && zc->next_claim < zc->nchunks) {
		size_t k = zc->next_claim;
		if (k >= zc->consumed + zc->ring) {
			pthread_cond_wait(&zc->cv, &zc->mu);
			continue;
		}
		zc->next_claim++;
		struct chunk *ch = &zc->c[k % zc->ring];
		ch->state = C_WORKING;
		pthread_mutex_unlock(&zc->mu);
		if (c)
			make_chunk(zc, c, k, ch);
		else
			ch->err = ENOMEM;
		pthread_mutex_lock(&zc->mu);
		ch->state = ch->err ? C_FAILED : C_READY;
		pthread_cond_broadcast(&zc->cv);
	}
	pthread_mutex_unlock(&zc->mu);
	libdeflate_free_compressor(c);
	return NULL;
}

struct zipchunk *zipchunk_start(int fd, uint64_t size, int level, int jobs)
{
	struct zipchunk *zc = calloc(1, sizeof(*zc));
	if (!zc)
		return NULL;
	if (jobs < 1)
		jobs = 1;
	if (jobs > MAX_THREADS)
		jobs = MAX_THREADS;
	zc->fd = fd, zc->size = size, zc->level = level;
	zc->nchunks = (size_t)((size + ZIPCHUNK_SIZE - 1) / ZIPCHUNK_SIZE);
	zc->ring = (size_t)jobs * RING_PER_JOB;
	if (zc->ring > zc->nchunks)
		zc->ring = zc->nchunks ? zc->nchunks : 1;
	pthread_mutex_init(&zc->mu, NULL);
	pthread_cond_init(&zc->cv, NULL);
	zc->md = sha256_new();
	zc->c = calloc(zc->ring, sizeof(*zc->c));
	/* the bound libdeflate gives for any level is the same; level 1's is asked here */
	struct libdeflate_compressor *probe = libdeflate_alloc_compressor(level);
	size_t cap = probe ? libdeflate_deflate_compress_bound(probe, ZIPCHUNK_SIZE) + SLACK : 0;
	libdeflate_free_compressor(probe);
	if (!zc->md || !zc->c || !cap)
		goto fail;
	for (size_t i = 0; i < zc->ring; i++) {
		zc->c[i].in = malloc(ZIPCHUNK_SIZE);
		zc->c[i].out = malloc(cap);
		if (!zc->c[i].in || !zc->c[i].out)
			goto fail;
	}
	for (int i = 0; i < jobs && (size_t)i < zc->nchunks; i++)
		if (pthread_create(&zc->tids[zc->nthreads], NULL, chunk_worker, zc) == 0)
			zc->nthreads++;
	if (zc->nthreads == 0 && zc->nchunks)
		goto fail;
	return zc;
fail:
	zipchunk_free(zc);
	return NULL;
}

/* Wait for the next chunk in order and take it: hash its bytes, add its CRC. */
static int take_next(struct zipchunk *zc, int *err)
{
	size_t k = zc->consumed;
	struct chunk *ch = &zc->c[k % zc->ring];
	pthread_mutex_lock(&zc->mu);
	while (ch->state != C_READY && ch->state != C_FAILED)
		pthread_cond_wait(&zc->cv, &zc->mu);
	pthread_mutex_unlock(&zc->mu);
	if (ch->state == C_FAILED) {
		*err = ch->err;
		return -1;
	}
	if (sha256_update(zc->md, ch->in, ch->inlen) < 0) {
		*err = ENOMEM;
		return -1;
	}
	zc->crc = k == 0 ? ch->crc : (uint32_t)crc32_combine(zc->crc, ch->crc, (z_off_t)ch->inlen);
	zc->cur = ch;
	zc->curpos = 0;
	zc->taken += ch->inlen;
	return 0;
}

static void give_back(struct zipchunk *zc)
{
	pthread_mutex_lock(&zc->mu);
	zc->cur->state = C_FREE;
	zc->cur = NULL;
	zc->consumed++;
	pthread_cond_broadcast(&zc->cv);
	pthread_mutex_unlock(&zc->mu);
}

ssize_t zipchunk_read(struct zipchunk *zc, void *buf, size_t len, int *err)
{
	for (;;) {
		if (zc->cur && zc->curpos < zc->cur->outlen) {
			size_t n = zc->cur->outlen - zc->curpos;
			if (n > len)
				n = len;
			memcpy(buf, zc->cur->out + zc->curpos, n);
			zc->curpos += n;
			return (ssize_t)n;
		}
		if (zc->cur)
			give_back(zc);
		if (zc->consumed == zc->nchunks) {
			if (!zc->hex[0] && sha256_final(zc->md, NULL, zc->hex) < 0) {
				*err = ENOMEM;
				return -1;
			}
			return 0;
		}
		if (take_next(zc, err) < 0)
			return -1;
	}
}

uint64_t zipchunk_taken(const struct zipchunk *zc)
{
	return zc->taken;
}

uint32_t zipchunk_crc(const struct zipchunk *zc)
{
	return zc->crc;
}

void zipchunk_sha256(const struct zipchunk *zc, char hex[65])
{
	memcpy(hex, zc->hex, 65);
}

void zipchunk_free(struct zipchunk *zc)
{
	if (!zc)
		return;
	pthread_mutex_lock(&zc->mu);
	zc->stop = 1;
	pthread_cond_broadcast(&zc->cv);
	pthread_mutex_unlock(&zc->mu);
	for (int i = 0; i < zc->nthreads; i++)
		pthread_join(zc->tids[i], NULL);
	for (size_t i = 0; zc->c && i < zc->ring; i++) {
		free(zc->c[i].in);
		free(zc->c[i].out);
	}
	free(zc->c);
	sha256_free(zc->md);
	pthread_mutex_destroy(&zc->mu);
	pthread_cond_destroy(&zc->cv);
	free(zc);
}
