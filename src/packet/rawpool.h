/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rawpool.h: a packet's entries read back on every core. Each entry is read as stored
 * (ZIP_FL_COMPRESSED, decrypted, not inflated) on the calling thread, then inflated by
 * libdeflate, its CRC-32 checked and handed to work() on a worker thread, then to done() on
 * the calling thread, in the order the entries were added. Bound: at most RAWPOOL_SLOTS
 * entries and RAWPOOL_BUDGET bytes (as stored plus inflated) in flight, or one entry of up to
 * RAWPOOL_MAX when it is bigger. Used by verify and extract; never prints. */
#ifndef RAWPOOL_H
#define RAWPOOL_H

#include <stddef.h>
#include <stdint.h>

#include <zip.h>

#define RAWPOOL_MAX (16u << 20)    /* the biggest entry taken, inflated; bigger ones stream */
#define RAWPOOL_BUDGET (8u << 20) /* bytes in flight, and kept for the next entries */
#define RAWPOOL_SLOTS 16

struct rawjob {
	zip_uint64_t idx;
	uint64_t size;              /* inflated */
	const unsigned char *data;  /* the entry's bytes, inflated (in work and done) */
	const char *damage;         /* NULL, or why the entry is damaged (static text, for done) */
	void *user;                 /* the caller's, given to rawpool_add */
};

struct rawpool;

/* Whether an entry with this stat can be taken: stored or deflated, its sizes and CRC known,
 * at most RAWPOOL_MAX inflated. */
int rawpool_takes(const zip_stat_t *st);

/* A pool of one worker a core (at most 8). work(job, arg) runs on a worker when the entry
 * is intact (never when damaged); done(job, arg) on the calling thread, for every entry. */
struct rawpool *rawpool_new(void (*work)(struct rawjob *, void *), void (*done)(struct rawjob *, void *),
			    void *arg);
/* Read entry idx of za (st: its stat, rawpool_takes(st)) and queue it; done() of earlier
 * entries may be called first. Returns 0, or -1 when the entry cannot be opened (za's error
 * says why: a missing or wrong password among them); nothing is queued then. */
int rawpool_add(struct rawpool *p, zip_t *za, zip_uint64_t idx, const zip_stat_t *st, void *user);
/* done() for every entry queued. */
void rawpool_drain(struct rawpool *p);
/* Drain, then stop the workers and free the pool (NULL is fine). */
void rawpool_free(struct rawpool *p);

#endif
