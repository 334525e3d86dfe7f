/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagtext.h: one tag file of the bag as it is made: text gathered in a buffer, handed on in
 * bounded pieces and hashed on its way (bag.c and html.c write into it). No I/O of its own. */
#ifndef BAGTEXT_H
#define BAGTEXT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sys/sha256.h"
#include "sys/util.h"

struct bag_tag {
	const char *name;   /* "bagit.txt", ... */
	uint64_t len;       /* set by bag_make_tags */
	char sha256[65];
};

/* Where bag_make_tags puts the tag files: put() gets each file's text in order, tag being its
 * index in bag.tags, in pieces of at most about BAG_PIECE bytes; it returns 0, or -1 to stop.
 * mark(), when set, is told where each payload file's SHA-256 (64 hex digits) is written:
 * at offset in tag, for b->files[file]; the caller may write the real one there later. */
struct bag_out {
	int (*put)(void *arg, size_t tag, const char *p, size_t n);
	void (*mark)(void *arg, size_t tag, size_t file, uint64_t offset);
	void *arg;
};

#define BAG_PIECE (64 * 1024)

/* One tag file being made: text gathers in s and goes to the output, hashed on its way,
 * whenever bag_text_flush finds a piece's worth. */
struct bag_text {
	struct sbuf s;
	struct bag_tag *tag;
	size_t index;
	const struct bag_out *out;
	struct sha256 *md;
	int err;            /* the output refused a piece (or hashing failed): the rest is dropped */
};

/* Hand s over when it holds BAG_PIECE bytes or more (all: whatever it holds). */
void bag_text_flush(struct bag_text *t, int all);
/* The SHA-256 of b->files[file] comes next in t: tell the output where (bag_out.mark). */
void bag_text_mark(struct bag_text *t, size_t file);
/* The same, when it is at byte at of t->s (not yet handed over). */
void bag_text_mark_at(struct bag_text *t, size_t file, size_t at);

/* Start t on tag, the tag file at index in bag.tags, for out. */
void bag_text_begin(struct bag_text *t, struct bag_tag *tag, size_t index, const struct bag_out *out);
/* The rest of the text out, the file's SHA-256 and length into its tag; 0 or -1. */
int bag_text_end(struct bag_text *t);

/* "2026-11-25" for t (UTC) into buf (at least 11 bytes). */
const char *bag_date(time_t t, char *buf, size_t len);

#endif
