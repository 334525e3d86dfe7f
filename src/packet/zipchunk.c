/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipchunk.c: see zipchunk.h.
 *
 * libdeflate compresses a whole buffer at a time and ends what it writes with a final block,
 * padded to a byte. To put pieces one after another, the piece's block structure is walked
 * (the Huffman codes decoded, nothing written out) to find where its final block starts and
 * ends (about a tenth of the time deflating takes, walking four pieces at once). A worker
 * takes two chunks when the ring has room for both (four pieces to walk in step), else one.
 * The ring holds RING_PER_JOB chunks per thread: a worker takes chunk k once chunk k - ring is
 * consumed, so memory stays ring x (chunk + its deflate bound) whatever the file's size. */
#include "packet/zipchunk.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#include "sys/sha256.h"

#define RING_PER_JOB 3
#define MAX_THREADS 64
#define SLACK 32 /* bytes after a piece: 5 for the realigning block, the rest for the walker's loads */

/* ---- walking a deflate stream (RFC 1951) without inflating it ----
 *
 * Like an inflater's inner loop (libdeflate's), without the output: the bits sit in a 64-bit
 * buffer refilled without a branch, and one table lookup gives a symbol's kind and how many
 * bits it takes with its extra bits. Codes no longer than the table's bits (nearly all) take
 * the fast path: up to four literals a refill, a length and its distance a lookup each. */

#define LIT_BITS 11
#define DIST_BITS 10
#define CL_BITS 7

/* A table entry: the low 5 bits are the bits to skip (the code and its extra bits, at most
 * 15 + 13), the bits above say what it is; 0 is a code longer than the table (or none). In the
 * code-length code's table, the symbol is kept instead of a kind. */
#define K_LIT 0x20u  /* a literal; in the distance table, any valid distance */
#define K_LEN 0x40u
#define K_EOB 0x80u
#define K_BAD 0x100u /* a symbol the format does not allow (286, 287; 30, 31) */
#define SKIP(e) ((e) & 31u)

enum { T_LIT, T_DIST, T_CL };

static const unsigned char len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
					     2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const unsigned char dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
					      6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

struct huff {
	uint16_t count[16];
	uint16_t sym[288]; /* symbols ordered by code length, then value */
};

struct tables {
	uint16_t lit[1u << LIT_BITS], dist[1u << DIST_BITS], cl[1u << CL_BITS];
	struct huff hlit, hdist, hcl;
	uint16_t fixed_lit[1u << LIT_BITS], fixed_dist[1u << DIST_BITS];
	struct huff fixed_hlit, fixed_hdist;
	int have_fixed;
};

/* The reader: bits [0, nb) of bb are the stream's next bits; p is the first byte not in them. */
struct bitin {
	const unsigned char *s, *p, *end; /* end: where a refill may start at most: the stream's
					    * end + 8, as a refill runs up to 7 bytes ahead of the
					    * bits it hands out */
	uint64_t bb;
	unsigned nb;
};

static uint64_t load_le64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* At least 56 bits in bb. The 8 bytes read from p <= end are within the caller's slack. */
#define REFILL(p, bb, nb)                                  \
	do {                                               \
		(bb) |= load_le64(p) << (nb);              \
		(p) += (63 - (nb)) >> 3;                   \
		(nb) |= 56;                                \
	} while (0)

#define CONSUME(bb, nb, n)   \
	do {                 \
		(bb) >>= (n); \
		(nb) -= (n);  \
	} while (0)

static size_t bit_pos(const struct bitin *in)
{
	return (size_t)(in->p - in->s) * 8 - in->nb;
}

static unsigned reverse(unsigned code, unsigned len)
{
	unsigned r = 0;
	for (unsigned i = 0; i < len; i++, code >>= 1)
		r = (r << 1) | (code & 1);
	return r;
}

static unsigned make_entry(int type, unsigned sym, unsigned len)
{
	if (type == T_CL)
		return sym << 5 | len;
	if (type == T_DIST)
		return sym < 30 ? K_LIT | (len + dist_extra[sym]) : K_BAD;
	if (sym < 256)
		return K_LIT | len;
	if (sym == 256)
		return K_EOB | len;
	return sym < 286 ? K_LEN | (len + len_extra[sym - 257]) : K_BAD;
}

/* Build h and its table of 1 << tbits entries from n code lengths; -1 when the lengths
 * oversubscribe the code. */
static int huff_build(struct huff *h, uint16_t *table, unsigned tbits, int type, const unsigned char *lens, unsigned n)
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
	memset(table, 0, sizeof(*table) << tbits);
	unsigned code = 0, idx = 0;
	for (unsigned len = 1; len <= tbits; len++, code <<= 1) {
		for (unsigned k = 0; k < h->count[len]; k++, code++) {
			uint16_t e = (uint16_t)make_entry(type, h->sym[idx++], len);
			for (unsigned i = reverse(code, len); i < (1u << tbits); i += 1u << len)
				table[i] = e;
		}
	}
	return 0;
}

/* A code longer than the table, one bit at a time (canonical decoding) from bb, which holds at
 * least 15 bits: its entry, or 0 when the bits are no code. */
static unsigned huff_slow(const struct huff *h, int type, uint64_t bb)
{
	int code = 0, first = 0, index = 0;
	for (unsigned len = 1; len < 16; len++, bb >>= 1) {
		code |= (int)(bb & 1);
		int count = h->count[len];
		if (code - count < first)
			return make_entry(type, h->sym[index + (code - first)], len);
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return 0;
}

/* The symbols of one Huffman-coded block, up to and past its end-of-block code. */
static int skip_codes(struct bitin *in, const uint16_t *lit, const uint16_t *dist, const struct huff *hlit,
		      const struct huff *hdist)
{
	const unsigned char *p = in->p, *end = in->end;
	uint64_t bb = in->bb;
	unsigned nb = in->nb, e;
	if (p > end)
		return -1;
	REFILL(p, bb, nb);
	e = lit[bb & ((1u << LIT_BITS) - 1)];
	for (;;) {
		/* here bb holds at least 56 bits, or (after a fast match) e was looked up with 11 */
		if (e & K_LIT) { /* fast literals take at most 11 bits each: four, and a lookup */
			CONSUME(bb, nb, SKIP(e));
			e = lit[bb & ((1u << LIT_BITS) - 1)];
			if (e & K_LIT) {
				CONSUME(bb, nb, SKIP(e));
				e = lit[bb & ((1u << LIT_BITS) - 1)];
				if (e & K_LIT) {
					CONSUME(bb, nb, SKIP(e));
					e = lit[bb & ((1u << LIT_BITS) - 1)];
					if (e & K_LIT) {
						CONSUME(bb, nb, SKIP(e));
						e = lit[bb & ((1u << LIT_BITS) - 1)];
					}
				}
			}
			if (p > end)
				return -1;
			REFILL(p, bb, nb);
			continue;
		}
		if (e & K_LEN) { /* fast: at most 11 + 5 bits, its distance at most 10 + 13 */
			CONSUME(bb, nb, SKIP(e));
			unsigned d = dist[bb & ((1u << DIST_BITS) - 1)];
			if (!(d & K_LIT)) {
				if (d || !((d = huff_slow(hdist, T_DIST, bb)) & K_LIT))
					return -1;
			}
			CONSUME(bb, nb, SKIP(d));
			if (p > end)
				return -1;
			if (nb >= LIT_BITS) { /* at least 56 - 16 - 28 bits */
				e = lit[bb & ((1u << LIT_BITS) - 1)];
				REFILL(p, bb, nb);
			} else {
				REFILL(p, bb, nb);
				e = lit[bb & ((1u << LIT_BITS) - 1)];
			}
			continue;
		}
		if (e & K_EOB) {
			CONSUME(bb, nb, SKIP(e));
			break;
		}
		if (e & K_BAD)
			return -1;
		/* a code longer than the table: bb holds at least 56 bits */
		e = huff_slow(hlit, T_LIT, bb);
		if (e & K_LIT) {
			CONSUME(bb, nb, SKIP(e));
		} else if (e & K_LEN) {
			CONSUME(bb, nb, SKIP(e)); /* at most 15 + 5 bits */
			unsigned d = dist[bb & ((1u << DIST_BITS) - 1)];
			if (!(d & K_LIT)) {
				if (d || !((d = huff_slow(hdist, T_DIST, bb)) & K_LIT))
					return -1;
			}
			CONSUME(bb, nb, SKIP(d)); /* at most 15 + 13 */
		} else if (e & K_EOB) {
			CONSUME(bb, nb, SKIP(e));
			break;
		} else {
			return -1;
		}
		if (p > end)
			return -1;
		REFILL(p, bb, nb);
		e = lit[bb & ((1u << LIT_BITS) - 1)];
	}
	in->p = p, in->bb = bb, in->nb = nb;
	return 0;
}

static int fixed_tables(struct tables *t)
{
	if (t->have_fixed)
		return 0;
	unsigned char lens[288];
	memset(lens, 8, 144);
	memset(lens + 144, 9, 112);
	memset(lens + 256, 7, 24);
	memset(lens + 280, 8, 8);
	if (huff_build(&t->fixed_hlit, t->fixed_lit, LIT_BITS, T_LIT, lens, 288) < 0)
		return -1;
	memset(lens, 5, 30);
	if (huff_build(&t->fixed_hdist, t->fixed_dist, DIST_BITS, T_DIST, lens, 30) < 0)
		return -1;
	t->have_fixed = 1;
	return 0;
}

/* The next n bits of in (n <= 16); past the stream's end, 0 with nothing taken, and p left
 * past end for the caller's next check. */
static unsigned take(struct bitin *in, unsigned n)
{
	if (in->nb < 32) {
		if (in->p > in->end)
			return 0;
		REFILL(in->p, in->bb, in->nb);
	}
	unsigned v = (unsigned)(in->bb & ((1u << n) - 1));
	CONSUME(in->bb, in->nb, n);
	return v;
}

static int dynamic_tables(struct bitin *in, struct tables *t)
{
	static const unsigned char order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	unsigned char lens[320] = { 0 };
	unsigned nlit = take(in, 5) + 257, ndist = take(in, 5) + 1, ncode = take(in, 4) + 4;
	if (nlit > 286 || ndist > 30)
		return -1;
	for (unsigned i = 0; i < ncode; i++)
		lens[order[i]] = (unsigned char)take(in, 3);
	if (huff_build(&t->hcl, t->cl, CL_BITS, T_CL, lens, 19) < 0)
		return -1;
	memset(lens, 0, 19);
	for (unsigned i = 0; i < nlit + ndist;) {
		if (in->p > in->end)
			return -1;
		REFILL(in->p, in->bb, in->nb);
		unsigned e = t->cl[in->bb & ((1u << CL_BITS) - 1)];
		if (!e)
			return -1; /* an incomplete code-length code: no such bits */
		CONSUME(in->bb, in->nb, SKIP(e));
		unsigned sym = e >> 5, rep;
		unsigned char val = 0;
		if (sym < 16) {
			lens[i++] = (unsigned char)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -1;
			val = lens[i - 1], rep = 3 + take(in, 2);
		} else {
			rep = sym == 17 ? 3 + take(in, 3) : 11 + take(in, 7);
		}
		if (i + rep > nlit + ndist)
			return -1;
		memset(lens + i, val, rep);
		i += rep;
	}
	if (lens[256] == 0)
		return -1;
	if (huff_build(&t->hlit, t->lit, LIT_BITS, T_LIT, lens, nlit) < 0 ||
	    huff_build(&t->hdist, t->dist, DIST_BITS, T_DIST, lens + nlit, ndist) < 0)
		return -1;
	return 0;
}

/* ---- one or two streams walked at once ----
 *
 * A single walk is a chain of dependent steps (the bits, a lookup, a shift, the next lookup),
 * so the CPU waits on each table load. Two or four independent streams walked in step give it
 * as many chains to overlap; each step there is branch-free (a literal or a length and its distance,
 * told apart with arithmetic), and anything else - an end of block, a long code, a bad symbol,
 * the stream's end - leaves the loop for the one-symbol path. */

enum { W_HEADER, W_CODES, W_DONE, W_FAIL };

struct walk {
	struct bitin in;
	size_t nbits;
	struct tables *t;
	const uint16_t *lit, *dist;
	const struct huff *hlit, *hdist;
	size_t start; /* the bit where the current block starts */
	int final, state;
	size_t final_bit, end_bit;
};

/* After a block's end: done when it was the final one, else on to the next header. */
static void end_block(struct walk *w)
{
	size_t at = bit_pos(&w->in);
	if (at > w->nbits) {
		w->state = W_FAIL;
	} else if (w->final) {
		w->final_bit = w->start, w->end_bit = at;
		w->state = W_DONE;
	} else {
		w->state = W_HEADER;
	}
}

/* Read a block header: a stored block is skipped whole; a Huffman block's tables are built. */
static void walk_header(struct walk *w)
{
	struct bitin *in = &w->in;
	struct tables *t = w->t;
	w->start = bit_pos(in);
	if (w->start + 3 > w->nbits || in->p > in->end) {
		w->state = W_FAIL;
		return;
	}
	w->final = (int)take(in, 1);
	unsigned type = take(in, 2);
	w->state = W_FAIL;
	if (type == 0) {
		CONSUME(in->bb, in->nb, in->nb & 7); /* to the byte */
		if (bit_pos(in) + 32 > w->nbits)
			return;
		unsigned n = take(in, 16), nn = take(in, 16);
		size_t at = bit_pos(in) / 8 + n;
		if ((n ^ 0xffffu) != nn || at * 8 > w->nbits)
			return;
		in->p = in->s + at, in->bb = 0, in->nb = 0;
		end_block(w);
	} else if (type == 1) {
		if (fixed_tables(t) < 0)
			return;
		w->lit = t->fixed_lit, w->dist = t->fixed_dist, w->hlit = &t->fixed_hlit, w->hdist = &t->fixed_hdist;
		w->state = W_CODES;
	} else if (type == 2) {
		if (dynamic_tables(in, t) < 0)
			return;
		w->lit = t->lit, w->dist = t->dist, w->hlit = &t->hlit, w->hdist = &t->hdist;
		w->state = W_CODES;
	}
}

/* One symbol of a Huffman block, whatever it is. */
static void walk_one(struct walk *w)
{
	struct bitin *in = &w->in;
	if (in->p > in->end) {
		w->state = W_FAIL;
		return;
	}
	REFILL(in->p, in->bb, in->nb);
	unsigned e = w->lit[in->bb & ((1u << LIT_BITS) - 1)];
	if (!e)
		e = huff_slow(w->hlit, T_LIT, in->bb);
	if (e & K_LIT) {
		CONSUME(in->bb, in->nb, SKIP(e));
	} else if (e & K_LEN) {
		CONSUME(in->bb, in->nb, SKIP(e)); /* at most 15 + 5 bits */
		unsigned d = w->dist[in->bb & ((1u << DIST_BITS) - 1)];
		if (!d)
			d = huff_slow(w->hdist, T_DIST, in->bb);
		if (!(d & K_LIT)) {
			w->state = W_FAIL;
			return;
		}
		CONSUME(in->bb, in->nb, SKIP(d)); /* at most 15 + 13 */
	} else if (e & K_EOB) {
		CONSUME(in->bb, in->nb, SKIP(e));
		end_block(w);
	} else {
		w->state = W_FAIL;
	}
}

/* The rest of one stream's block, alone. */
static void walk_block(struct walk *w)
{
	if (skip_codes(&w->in, w->lit, w->dist, w->hlit, w->hdist) < 0)
		w->state = W_FAIL;
	else
		end_block(w);
}

/* One fast step of a stream in the two-stream loop: bb holds at least 56 bits after the
 * refill, a fast literal takes at most 11 of them, a fast length 16 and its distance 23. A
 * literal's distance lookup reads bits that mean nothing, and is not used. */
#define STEP_LOOKUP(bb, lit, dist, e, d, sh)                       \
	do {                                                       \
		(e) = (lit)[(bb) & ((1u << LIT_BITS) - 1)];        \
		(sh) = SKIP(e);                                    \
		(d) = (dist)[((bb) >> (sh)) & ((1u << DIST_BITS) - 1)]; \
	} while (0)
/* Nonzero when e is a fast literal, or a fast length with a fast distance. */
#define STEP_OK(e, d) (((e) & K_LIT) | (((e) >> 1) & (d) & K_LIT))
#define STEP_BITS(e, d, sh) ((sh) + (SKIP(d) & (0u - (((e) >> 6) & 1u))))

/* Both streams' blocks in step, until either meets something the fast step does not take. */
static void walk_pair(struct walk *a, struct walk *b)
{
	const unsigned char *pa = a->in.p, *pb = b->in.p, *enda = a->in.end, *endb = b->in.end;
	const uint16_t *lita = a->lit, *dista = a->dist, *litb = b->lit, *distb = b->dist;
	uint64_t bba = a->in.bb, bbb = b->in.bb;
	unsigned nba = a->in.nb, nbb = b->in.nb;
	while (pa <= enda && pb <= endb) {
		unsigned ea, da, sa, eb, db, sb;
		REFILL(pa, bba, nba);
		REFILL(pb, bbb, nbb);
		STEP_LOOKUP(bba, lita, dista, ea, da, sa);
		STEP_LOOKUP(bbb, litb, distb, eb, db, sb);
		if (!STEP_OK(ea, da) || !STEP_OK(eb, db))
			break;
		sa = STEP_BITS(ea, da, sa);
		sb = STEP_BITS(eb, db, sb);
		CONSUME(bba, nba, sa);
		CONSUME(bbb, nbb, sb);
	}
	a->in.p = pa, a->in.bb = bba, a->in.nb = nba;
	b->in.p = pb, b->in.bb = bbb, b->in.nb = nbb;
	/* one of them stopped at a symbol to take the slow way (or past its end): one symbol each */
	walk_one(a);
	walk_one(b);
}

/* Four streams in step, the same way. */
#define Q_LOAD(i, w) \
	const unsigned char *p##i = (w)->in.p, *end##i = (w)->in.end; \
	const uint16_t *lit##i = (w)->lit, *dist##i = (w)->dist; \
	uint64_t bb##i = (w)->in.bb; \
	unsigned nb##i = (w)->in.nb, e##i, d##i, s##i;
#define Q_STORE(i, w) ((w)->in.p = p##i, (w)->in.bb = bb##i, (w)->in.nb = nb##i)
static void walk_quad(struct walk **w)
{
	Q_LOAD(0, w[0]) Q_LOAD(1, w[1]) Q_LOAD(2, w[2]) Q_LOAD(3, w[3])
	while (p0 <= end0 && p1 <= end1 && p2 <= end2 && p3 <= end3) {
		REFILL(p0, bb0, nb0);
		REFILL(p1, bb1, nb1);
		REFILL(p2, bb2, nb2);
		REFILL(p3, bb3, nb3);
		STEP_LOOKUP(bb0, lit0, dist0, e0, d0, s0);
		STEP_LOOKUP(bb1, lit1, dist1, e1, d1, s1);
		STEP_LOOKUP(bb2, lit2, dist2, e2, d2, s2);
		STEP_LOOKUP(bb3, lit3, dist3, e3, d3, s3);
		if (!STEP_OK(e0, d0) || !STEP_OK(e1, d1) || !STEP_OK(e2, d2) || !STEP_OK(e3, d3))
			break;
		s0 = STEP_BITS(e0, d0, s0);
		s1 = STEP_BITS(e1, d1, s1);
		s2 = STEP_BITS(e2, d2, s2);
		s3 = STEP_BITS(e3, d3, s3);
		CONSUME(bb0, nb0, s0);
		CONSUME(bb1, nb1, s1);
		CONSUME(bb2, nb2, s2);
		CONSUME(bb3, nb3, s3);
	}
	Q_STORE(0, w[0]); Q_STORE(1, w[1]); Q_STORE(2, w[2]); Q_STORE(3, w[3]);
	for (int i = 0; i < 4; i++)
		walk_one(w[i]);
}

int zipchunk_final_blocks(size_t n, const unsigned char *const *s, const size_t *len, size_t *final_bit,
			  size_t *end_bit)
{
	struct walk w[4];
	if (n < 1 || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].in = (struct bitin){ .s = s[i], .p = s[i], .end = s[i] + len[i] + 8 };
		w[i].nbits = len[i] * 8;
		w[i].state = W_HEADER;
		w[i].t = malloc(sizeof(*w[i].t));
		if (!w[i].t)
			w[i].state = W_FAIL;
		else
			w[i].t->have_fixed = 0;
	}
	for (;;) {
		struct walk *live[4];
		size_t nl = 0;
		for (size_t i = 0; i < n; i++) {
			while (w[i].state == W_HEADER)
				walk_header(&w[i]);
			if (w[i].state == W_CODES)
				live[nl++] = &w[i];
		}
		if (nl == 4)
			walk_quad(live);
		else if (nl >= 2)
			walk_pair(live[0], live[1]);
		else if (nl == 1)
			walk_block(live[0]);
		else
			break;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i].state != W_DONE)
			rc = -1;
		final_bit[i] = w[i].final_bit, end_bit[i] = w[i].end_bit;
		free(w[i].t);
	}
	return rc;
}

int zipchunk_final_block(const unsigned char *s, size_t len, size_t *final_bit, size_t *end_bit)
{
	return zipchunk_final_blocks(1, &s, &len, final_bit, end_bit);
}

/* Clear the final bit at fb and put an empty stored block at bit e: the new length. */
static size_t unfinal_at(unsigned char *s, size_t fb, size_t e)
{
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

size_t zipchunk_unfinal(unsigned char *s, size_t len)
{
	size_t fb, e;
	if (zipchunk_final_block(s, len, &fb, &e) < 0)
		return 0;
	return unfinal_at(s, fb, e);
}

/* ---- the ring of chunks ---- */

enum { C_FREE, C_WORKING, C_READY, C_FAILED };

/* A chunk is deflated as two pieces (halves), so that their block walks can go in step; one
 * shorter than SPLIT_MIN, as one. Piece i is at out + i * segcap. */
#define SPLIT_MIN (64u << 10)

struct chunk {
	unsigned char *in, *out;
	size_t inlen;
	size_t seg_len[2], nseg;
	uint32_t crc;
	int state, err;
};

struct zipchunk {
	pthread_mutex_t mu;
	pthread_cond_t room, ready; /* workers wait for room in the ring, the reader for its chunk */
	int idle;                   /* workers waiting for room */
	size_t want;                /* the chunk the reader waits for, or SIZE_MAX */
	int fd, level, stop;
	uint64_t size;
	size_t nchunks, next_claim, consumed, ring;
	size_t segcap; /* room for a piece's deflate bound and SLACK */
	struct chunk *c;
	pthread_t tids[MAX_THREADS];
	int nthreads;
	/* the reader's side */
	struct chunk *cur;
	size_t curseg, curpos;
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

/* Read chunk k and deflate its pieces: 0, or -1 with ch->err set. */
static int deflate_chunk(struct zipchunk *zc, struct libdeflate_compressor *c, size_t k, struct chunk *ch)
{
	ch->err = 0;
	if (read_chunk(zc, k, ch) < 0)
		return -1;
	size_t nseg = ch->inlen >= SPLIT_MIN ? 2 : 1, half = nseg == 2 ? ch->inlen / 2 : ch->inlen;
	ch->crc = 0;
	for (size_t i = 0; i < nseg; i++) {
		unsigned char *out = ch->out + i * zc->segcap;
		size_t from = i ? half : 0, n = i ? ch->inlen - half : half;
		/* the CRC of a piece just before deflating it: its bytes are still in the cache */
		ch->crc = (uint32_t)libdeflate_crc32(ch->crc, ch->in + from, n);
		size_t m = libdeflate_deflate_compress(c, ch->in + from, n, out, zc->segcap - SLACK);
		if (m == 0) {
			ch->err = ENOMEM;
			return -1;
		}
		memset(out + m, 0, SLACK);
		ch->seg_len[i] = m;
	}
	ch->nseg = nseg;
	return 0;
}

/* Make chunks k .. k + n - 1 (n is 1 or 2): deflate them, then walk all their pieces at once
 * and join them up. Every piece but the file's last is followed by another. */
static void make_chunks(struct zipchunk *zc, struct libdeflate_compressor *c, size_t k, struct chunk **ch, size_t n)
{
	unsigned char *seg[4];
	size_t len[4], fb[4], eb[4], which[4], nw = 0;
	for (size_t j = 0; j < n; j++) {
		if (deflate_chunk(zc, c, k + j, ch[j]) < 0)
			continue;
		size_t nwalk = k + j + 1 == zc->nchunks ? ch[j]->nseg - 1 : ch[j]->nseg;
		for (size_t i = 0; i < nwalk; i++, nw++) {
			seg[nw] = ch[j]->out + i * zc->segcap;
			len[nw] = ch[j]->seg_len[i];
			which[nw] = j * 2 + i;
		}
	}
	if (nw == 0)
		return;
	if (zipchunk_final_blocks(nw, (const unsigned char *const *)seg, len, fb, eb) < 0) {
		for (size_t x = 0; x < nw; x++) /* libdeflate wrote what we cannot walk: a bug here */
			ch[which[x] / 2]->err = EPROTO;
		return;
	}
	for (size_t x = 0; x < nw; x++)
		ch[which[x] / 2]->seg_len[which[x] % 2] = unfinal_at(seg[x], fb[x], eb[x]);
}

static void *chunk_worker(void *arg)
{
	struct zipchunk *zc = arg;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(zc->level);
	pthread_mutex_lock(&zc->mu);
	while (!zc->stop && zc->next_claim < zc->nchunks) {
		size_t k = zc->next_claim;
		if (k >= zc->consumed + zc->ring) {
			zc->idle++;
			pthread_cond_wait(&zc->room, &zc->mu);
			zc->idle--;
			continue;
		}
		/* two chunks when there is room: four pieces to walk in step */
		size_t n = k + 1 < zc->nchunks && k + 1 < zc->consumed + zc->ring ? 2 : 1;
		struct chunk *ch[2] = { &zc->c[k % zc->ring], &zc->c[(k + 1) % zc->ring] };
		zc->next_claim += n;
		for (size_t j = 0; j < n; j++)
			ch[j]->state = C_WORKING;
		pthread_mutex_unlock(&zc->mu);
		if (c) {
			make_chunks(zc, c, k, ch, n);
		} else {
			for (size_t j = 0; j < n; j++)
				ch[j]->err = ENOMEM;
		}
		pthread_mutex_lock(&zc->mu);
		for (size_t j = 0; j < n; j++)
			ch[j]->state = ch[j]->err ? C_FAILED : C_READY;
		if (zc->want >= k && zc->want < k + n) /* wake only who waits for one of these */
			pthread_cond_signal(&zc->ready);
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
	pthread_cond_init(&zc->room, NULL);
	pthread_cond_init(&zc->ready, NULL);
	zc->want = SIZE_MAX;
	zc->md = sha256_new();
	zc->c = calloc(zc->ring, sizeof(*zc->c));
	struct libdeflate_compressor *probe = libdeflate_alloc_compressor(level);
	zc->segcap = probe ? libdeflate_deflate_compress_bound(probe, ZIPCHUNK_SIZE - ZIPCHUNK_SIZE / 2) + SLACK : 0;
	libdeflate_free_compressor(probe);
	if (!zc->md || !zc->c || !zc->segcap)
		goto fail;
	for (size_t i = 0; i < zc->ring; i++) {
		zc->c[i].in = malloc(ZIPCHUNK_SIZE);
		zc->c[i].out = malloc(2 * zc->segcap);
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
	while (ch->state != C_READY && ch->state != C_FAILED) {
		zc->want = k;
		pthread_cond_wait(&zc->ready, &zc->mu);
	}
	zc->want = SIZE_MAX;
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
	zc->curseg = 0;
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
	if (zc->idle) /* one slot is free: one worker can use it */
		pthread_cond_signal(&zc->room);
	pthread_mutex_unlock(&zc->mu);
}

ssize_t zipchunk_read(struct zipchunk *zc, void *buf, size_t len, int *err)
{
	for (;;) {
		if (zc->cur && zc->curseg < zc->cur->nseg) {
			size_t n = zc->cur->seg_len[zc->curseg] - zc->curpos;
			if (n == 0) {
				zc->curseg++;
				zc->curpos = 0;
				continue;
			}
			if (n > len)
				n = len;
			memcpy(buf, zc->cur->out + zc->curseg * zc->segcap + zc->curpos, n);
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
	pthread_cond_broadcast(&zc->room);
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
	pthread_cond_destroy(&zc->room);
	pthread_cond_destroy(&zc->ready);
	free(zc);
}
