/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rawpool.c: see rawpool.h. libzip is not thread-safe, so only the calling thread reads the
 * archive (a copy of bytes from the page cache, the cheap part); inflating, CRC-32 and the
 * caller's hashing, the costly part, run on the workers. Entries sit in a ring of slots: the
 * calling thread fills the one at tail, workers take them at next, and the calling thread hands
 * them to done() at head once finished, so done() sees them in order. */
#include "packet/rawpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "packet/packetread.h"
#include "sys/util.h"

#define MAX_THREADS 8
/* Sleeping workers are woken once this many entries wait for them, not for each one: a wake
 * costs a futex call and a context switch, about as much as inflating a small entry. */
#define WAKE_BATCH 4

enum { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

struct slot {
	struct rawjob job;
	unsigned char *raw;   /* as stored */
	size_t rawlen, rawcap;
	unsigned char *plain; /* inflated (unused when stored) */
	size_t plaincap;
	int deflated, check_crc;
	uint32_t crc;
	size_t cost;
	int state;
};

struct rawpool {
	pthread_mutex_t mu;
	pthread_cond_t work_cv, done_cv;
	pthread_t th[MAX_THREADS];
	unsigned nth;
	struct slot slots[RAWPOOL_SLOTS];
	uint64_t head, next, tail; /* handed to done() below head; to workers below next; filled below tail */
	size_t inflight;
	size_t kept; /* bytes of the slots' buffers kept for the next entries (calling thread) */
	int stop;
	struct libdeflate_decompressor *own; /* the calling thread's, when it helps */
	void (*work)(struct rawjob *, void *);
	void (*done)(struct rawjob *, void *);
	void *arg;
};

int rawpool_takes(const zip_stat_t *st)
{
	zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
	return (st->valid & need) == need && (st->comp_method == ZIP_CM_DEFLATE || st->comp_method == ZIP_CM_STORE) &&
	       st->size <= RAWPOOL_MAX && st->comp_size <= RAWPOOL_MAX + RAWPOOL_MAX / 8 + 4096;
}

/* Inflate and check one entry; then the caller's work. On a worker, without the lock. */
static void process(struct rawpool *p, struct slot *s, struct libdeflate_decompressor *d)
{
	struct rawjob *j = &s->job;
	size_t size = (size_t)j->size;
	if (j->damage)
		return;
	if (s->deflated) {
		if (!d || libdeflate_deflate_decompress(d, s->raw, s->rawlen, s->plain, size, NULL) != LIBDEFLATE_SUCCESS) {
			j->damage = "its compressed data is invalid";
			return;
		}
	} else {
		if (s->rawlen != size) {
			j->damage = "its size does not match the ZIP's directory";
			return;
		}
	}
	if (s->check_crc && libdeflate_crc32(0, s->deflated ? s->plain : s->raw, size) != s->crc) {
		j->damage = "CRC error";
		return;
	}
	j->data = s->deflated ? s->plain : s->raw;
	p->work(j, p->arg);
}

static void *worker(void *arg)
{
	struct rawpool *p = arg;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->next == p->tail)
			pthread_cond_wait(&p->work_cv, &p->mu);
		if (p->next == p->tail)
			break; /* stopped, and nothing left */
		struct slot *s = &p->slots[p->next++ % RAWPOOL_SLOTS];
		pthread_mutex_unlock(&p->mu);
		process(p, s, d);
		pthread_mutex_lock(&p->mu);
		s->state = SLOT_DONE;
		pthread_cond_signal(&p->done_cv);
	}
	pthread_mutex_unlock(&p->mu);
	libdeflate_free_decompressor(d);
	return NULL;
}

static unsigned cores(void)
{
	cpu_set_t set;
	int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

struct rawpool *rawpool_new(void (*work)(struct rawjob *, void *), void (*done)(struct rawjob *, void *),
			    void *arg)
{
	struct rawpool *p = xcalloc(1, sizeof(*p));
	p->work = work;
	p->done = done;
	p->arg = arg;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work_cv, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	unsigned want = cores();
	for (unsigned i = 0; i < want; i++)
		if (pthread_create(&p->th[p->nth], NULL, worker, p) == 0)
			p->nth++;
	return p;
}

/* Wait for the oldest entry, hand it to done() and free its slot. */
static void retire_one(struct rawpool *p)
{
	struct slot *s = &p->slots[p->head % RAWPOOL_SLOTS];
	pthread_mutex_lock(&p->mu);
	while (s->state != SLOT_DONE) {
		if (p->next < p->tail) { /* rather than wait, take an entry no worker has taken yet */
			struct slot *t = &p->slots[p->next++ % RAWPOOL_SLOTS];
			pthread_cond_broadcast(&p->work_cv); /* and the workers the rest */
			pthread_mutex_unlock(&p->mu);
			if (!p->own)
				p->own = libdeflate_alloc_decompressor();
			process(p, t, p->own);
			pthread_mutex_lock(&p->mu);
			t->state = SLOT_DONE;
			continue;
		}
		pthread_cond_wait(&p->done_cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	p->done(&s->job, p->arg);
	if (p->kept > RAWPOOL_BUDGET) { /* kept for the next entries only within the budget */
		p->kept -= s->rawcap + s->plaincap;
		free(s->raw);
		free(s->plain);
		s->raw = s->plain = NULL;
		s->rawcap = s->plaincap = 0;
	}
	pthread_mutex_lock(&p->mu);
	s->state = SLOT_FREE;
	p->inflight -= s->cost;
	p->head++;
	pthread_mutex_unlock(&p->mu);
}

/* done() for the entries already finished, without waiting. */
static void retire_finished(struct rawpool *p)
{
	for (;;) {
		pthread_mutex_lock(&p->mu);
		int ready = p->head < p->tail && p->slots[p->head % RAWPOOL_SLOTS].state == SLOT_DONE;
		pthread_mutex_unlock(&p->mu);
		if (!ready)
			return;
		retire_one(p);
	}
}

/* *buf with room for n bytes (allocated on the calling thread, kept from entry to entry: fresh
 * memory for every entry costs a page fault every 4 KiB, a quarter of the time). */
static void reserve(struct rawpool *p, unsigned char **buf, size_t *cap, size_t n)
{
	if (*cap >= n)
		return;
	p->kept -= *cap;
	free(*buf);
	*cap = n < 4096 ? 4096 : n;
	*buf = xmalloc(*cap);
	p->kept += *cap;
}

/* Read the entry as stored into s->raw; sets the damage when it cannot be read whole. */
static void read_raw(struct slot *s, zip_file_t *zf, size_t comp_size)
{
	size_t cap = comp_size + 1, got = 0;
	zip_int64_t n = 0;
	while (got < cap && (n = zip_fread(zf, s->raw + got, cap - got)) > 0)
		got += (size_t)n;
	s->rawlen = got;
	if (n < 0)
		s->job.damage = "its data cannot be read";
	else if (got == cap)
		s->job.damage = "it holds more data than the ZIP's directory says";
}

int rawpool_add(struct rawpool *p, zip_t *za, zip_uint64_t idx, const zip_stat_t *st, void *user)
{
	size_t cost = (size_t)st->comp_size + (size_t)st->size;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		int full = p->tail - p->head == RAWPOOL_SLOTS ||
			   (p->tail > p->head && p->inflight + cost > RAWPOOL_BUDGET);
		pthread_mutex_unlock(&p->mu);
		if (!full)
			break;
		retire_one(p);
	}
	zip_file_t *zf = packetread_zip_fopen_flags(za, idx, ZIP_FL_COMPRESSED);
	if (!zf)
		return -1;
	struct slot *s = &p->slots[p->tail % RAWPOOL_SLOTS];
	memset(&s->job, 0, sizeof(s->job));
	reserve(p, &s->raw, &s->rawcap, (size_t)st->comp_size + 1);
	s->deflated = st->comp_method == ZIP_CM_DEFLATE;
	if (s->deflated)
		reserve(p, &s->plain, &s->plaincap, (size_t)st->size);
	s->job.idx = idx;
	s->job.size = st->size;
	s->job.user = user;
	s->crc = st->crc;
	/* WinZip AES writes no CRC: its authentication code, checked by libzip as the entry is
	 * read, protects the data instead */
	int aes = (st->valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		  (st->encryption_method == ZIP_EM_AES_128 || st->encryption_method == ZIP_EM_AES_192 ||
		   st->encryption_method == ZIP_EM_AES_256);
	s->check_crc = !aes;
	s->cost = cost;
	read_raw(s, zf, (size_t)st->comp_size);
	if (zip_fclose(zf) != 0 && !s->job.damage)
		s->job.damage = "its data does not match its authentication code";
	pthread_mutex_lock(&p->mu);
	s->state = SLOT_QUEUED;
	p->tail++;
	p->inflight += cost;
	if (p->tail - p->next >= WAKE_BATCH)
		pthread_cond_signal(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	retire_finished(p);
	return 0;
}

void rawpool_drain(struct rawpool *p)
{
	while (p->head < p->tail)
		retire_one(p);
}

void rawpool_free(struct rawpool *p)
{
	if (!p)
		return;
	rawpool_drain(p);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	libdeflate_free_decompressor(p->own);
	for (size_t i = 0; i < RAWPOOL_SLOTS; i++) {
		free(p->slots[i].raw);
		free(p->slots[i].plain);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work_cv);
	pthread_cond_destroy(&p->done_cv);
	free(p);
}
