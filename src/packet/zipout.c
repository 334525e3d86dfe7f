/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipout.c: see zipout.h.
 *
 * The pipeline: workers claim payload items in order (next_claim) and turn each into a
 * ready buffer (deflated, or raw when deflating does not pay), with SHA-256 and CRC taken
 * from the same bytes. libzip, inside zip_close(), asks our source callbacks for the entries
 * in index order; each callback waits for its item. Each worker reads into its own buffer and
 * puts the result in one of a pool of buffers; the results held (being made, or waiting for
 * the writer) are capped at RESULTS_MAX bytes, except that the item the writer waits for may
 * always start, so the pipeline cannot stall. Items bigger than SMALL_MAX are not buffered
 * whole: to deflate one, zipchunk cuts it into chunks deflated on every core and joined into
 * one stream, hashed in order as the writer takes them; one that is stored streams through
 * the writer, which hashes it, and libzip computes its CRC. */
#include "packet/zipout.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zip.h>

#include "packet/zipchunk.h"
#include "packet/zipsink.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define SMALL_MAX_DEFAULT (8u << 20)
/* RECPACK_SMALL_MAX (internal, for tests only) lowers the limit so a test can stream small
 * files; it is never raised above the default. */
static size_t small_max = SMALL_MAX_DEFAULT;
/* The writer takes a finished item in microseconds, so a longer queue only holds memory: a
 * few stored 1 MB files in a row held 4 MB more, and the queue grew whenever the writer was
 * held up (by the disk, or the scheduler on a busy machine). Deflated CT slices (about 120 KB
 * each, 600 KB while being made) still keep every core busy within it. */
#define RESULTS_MAX (1280u << 10)
#define STREAM_CHUNK (256 * 1024)
#define POOL_PER_JOB 2
/* Small items are claimed and handed to the writer in batches of consecutive items (up to
 * BATCH_ITEMS, and BATCH_BYTES of input), one lock and at most one wake-up a batch: for
 * 10,000 files of 10 KB the threads otherwise waited for each other about 4 times a file.
 * A batch's results share one pool buffer, given back when the writer has taken its last. */
#define BATCH_ITEMS 32
#define BATCH_BYTES (128u << 10)
/* Buffers are mapped in steps of this; one bigger than PBUF_KEEP is unmapped after its item.
 * Once its item is written, a pool buffer keeps the pages that item used, up to PBUF_RESIDENT,
 * and gives back the rest: otherwise every buffer would end up holding as much as the biggest
 * item it ever took, which depends on how many big files the packet has, not on how much is
 * in flight. A page given back costs a page fault when used again, so a run of items of one
 * size (CT slices: 512 x 512 x 2 bytes) keeps its pages. */
#define PBUF_STEP (64u << 10)
#define PBUF_KEEP (2u << 20)
#define PBUF_RESIDENT (640u << 10)
#define MAX_JOBS 256
/* Modes stored in the ZIP: records about a patient extract readable by their owner only
 * (Info-ZIP unzip and bsdtar apply them). */
#define FILE_ATTR ((0100600u) << 16)
#define DIR_ATTR ((0040700u) << 16)

enum slot_state { S_PENDING, S_WORKING, S_READY, S_STREAM, S_FAILED, S_DONE };

/* One per payload item: 16 bytes. */
struct slot {
	uint32_t buflen;     /* the entry's data as stored in the ZIP, at most SMALL_MAX bytes:
			      * while S_READY, at offset `off` of pool buffer `pool` */
	uint32_t crc;
	union {
		int err;     /* S_FAILED: errno of a failed read, or -1 when the file changed */
		uint32_t off; /* S_READY: where its data starts in the pool buffer */
	} u;
	uint16_t pool;
	unsigned char state; /* enum slot_state */
	unsigned char deflated; /* DEFL_* */
};

/* slot.deflated: the entry is deflate data; a streamed item's CRC is known (once read) */
#define DEFL_YES 1
#define DEFL_CRC 2

/* A buffer mapped for the pipeline and kept from item to item: no per-file allocation, so
 * nothing for malloc to fragment, and the memory in use does not creep up over a long run. */
struct pbuf {
	unsigned char *p;
	size_t cap;
	size_t used; /* pool buffers: bytes the item in it wrote */
	size_t touched; /* pool buffers: bytes that may be resident */
	int busy;    /* pool buffers: held by a claimed or ready batch */
	size_t last; /* pool buffers: the batch's last item; the buffer is free once it is taken */
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* workers wait here for a buffer or room */
	pthread_cond_t wcv;  /* the writer waits here for its item */
	int writer_waits;
	struct zip_item *items;
	struct slot *slots;
	struct pbuf *pool;   /* where workers put finished items, POOL_PER_JOB per worker */
	size_t npool;
	size_t n;
	size_t next_claim, writer_at;
	size_t in_flight;    /* bytes counted against RESULTS_MAX */
	int level, stop;
	volatile sig_atomic_t *cancel;
	void (*hashed)(void *arg, size_t index, const char *hex);
	void (*hashed_run)(void *arg, size_t first, size_t n, const char (*hex)[65]);
	void *hashed_arg;
};

struct zipout {
	struct pipeline p;
	struct zip_item *tags;
	size_t ntags;
	const struct zipout_opts *o;
	int tags_made, tags_rc;
	struct zipout_progress prog;
	char *errbuf;
	size_t errlen;
	int rc;  /* first error seen by a callback */
	/* The entry libzip has open: zip_close() writes them one after another, never two at once. */
	int fd;          /* a streamed item's or a tag file's, or -1 */
	struct sha256 *md; /* streamed items' SHA-256, made when the first is opened */
	struct zipchunk *zc; /* a big item being deflated on every core */
	uint64_t pos;
	uint64_t done_before; /* prog.bytes_done when the open item started */
	int jobs;
	zip_error_t error; /* the last source error, for ZIP_SOURCE_ERROR */
};

/* One per entry, in one array (a packet has thousands of entries): libzip's handle on it. */
struct src {
	struct zipout *z;
	size_t index;  /* payload index, or npayload + the tag's index */
};

int zipout_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

__attribute__((format(printf, 3, 4)))
static void set_error(struct zipout *z, int rc, const char *fmt, ...)
{
	if (z->rc)
		return;
	z->rc = rc;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(z->errbuf, z->errlen, fmt, ap);
	va_end(ap);
}

/* ---- workers ---- */

/* Read the size bytes of the file at path into buf, which has room for one byte more: asked
 * for size + 1, a read that returns size has met the end of the file, so a file of the size
 * it was scanned at is read with one system call, and one that grew is seen. */
static int read_all(const char *path, unsigned char *buf, size_t size, int *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = errno;
			break;
		}
		got += (size_t)n;
		if (n == 0 || got >= size) {
			if (got != size)
				*err = -1; /* the file grew or shrank since it was scanned */
			break;
		}
	}
	close(fd);
	return *err ? -1 : 0;
}

static void pbuf_free(struct pbuf *b)
{
	if (b->p)
		munmap(b->p, b->cap);
	b->p = NULL;
	b->cap = 0;
}

static int pbuf_reserve(struct pbuf *b, size_t n)
{
	if (b->cap >= n && b->p)
		return 0;
	pbuf_free(b);
	b->touched = 0;
	size_t len = (n / PBUF_STEP + 1) * PBUF_STEP;
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	b->p = m;
	b->cap = len;
	return 0;
}

/* After its item: keep the pages it used (up to PBUF_RESIDENT), give back the rest. */
static void pbuf_trim(struct pbuf *b)
{
	size_t keep = b->used < PBUF_RESIDENT ? b->used : PBUF_RESIDENT;
	keep = (keep + PBUF_STEP - 1) / PBUF_STEP * PBUF_STEP;
	if (b->touched < b->used)
		b->touched = b->used;
	if (b->touched > keep + PBUF_STEP) {
		madvise(b->p + keep, b->touched - keep, MADV_DONTNEED);
		b->touched = keep;
	}
	b->used = 0;
}

/* Read, hash and (unless stored) deflate one item: the result goes in out, the file's bytes
 * in in first when they are deflated. */
static size_t item_bound(struct libdeflate_compressor *c, const struct zip_item *it)
{
	size_t size = (size_t)it->size;
	return c && !it->store && size > 0 ? libdeflate_deflate_compress_bound(c, size) : size;
}

/* Read, hash and (unless stored) deflate one item into out at out->used, which the caller
 * reserved room for (item_bound): s->u.err is set on failure, s->u.off on success. */
static void work_item(struct libdeflate_compressor *c, struct pbuf *in, struct pbuf *out, struct zip_item *it,
		      struct slot *s, char hex[65])
{
	size_t size = (size_t)it->size;
	int deflate = c && !it->store && size > 0;
	size_t at = out->used, room = out->cap - at;
	int err = 0;
	if (deflate && pbuf_reserve(in, size + 1) < 0) {
		s->u.err = ENOMEM;
		return;
	}
	unsigned char *dst = out->p + at, *data = deflate ? in->p : dst;
	if (read_all(it->path, data, size, &err) < 0) {
		s->u.err = err;
		return;
	}
	sha256_buf(data, size, NULL, hex);
	s->buflen = (uint32_t)size; /* at most SMALL_MAX; stored: libzip computes the CRC itself */
	if (deflate) {
		size_t clen = libdeflate_deflate_compress(c, in->p, size, dst, room);
		if (clen == 0 || clen >= size) {
			memcpy(dst, in->p, size); /* deflating does not pay: store it */
		} else {
			s->crc = (uint32_t)libdeflate_crc32(0, in->p, size);
			s->buflen = (uint32_t)clen;
			s->deflated = 1;
		}
		if (in->cap > PBUF_KEEP)
			pbuf_free(in);
	}
	s->u.off = (uint32_t)at;
	s->state = S_READY;
	out->used = at + s->buflen;
}

/* The most an item's result can take: its size, and deflate's worst case a little more. */
static size_t item_cost(const struct pipeline *p, const struct zip_item *it)
{
	size_t size = (size_t)it->size;
	return p->level == 0 || it->store ? size : size + size / 16 + 4096;
}

static size_t free_pbuf(const struct pipeline *p)
{
	for (size_t b = 0; b < p->npool; b++)
		if (!p->pool[b].busy)
			return b;
	return SIZE_MAX;
}

/* Wake the writer if it waits (under the lock). */
static void wake_writer(struct pipeline *p)
{
	if (p->writer_waits)
		pthread_cond_signal(&p->wcv);
}

/* Claim the next batch of items, [first, *end), and a pool buffer for it (under the lock);
 * SIZE_MAX when there is no item left. The writer's item always finds a buffer: the items
 * before it have given theirs back. A batch stops before an item that streams, and at
 * BATCH_ITEMS or BATCH_BYTES; it holds one item at least, and only what fits in RESULTS_MAX
 * (but for the one the writer waits for). */
static size_t claim(struct pipeline *p, size_t *buf, size_t *end)
{
	while (!p->stop && p->next_claim < p->n) {
		size_t i = p->next_claim;
		struct zip_item *it = &p->items[i];
		if (it->size > small_max) {
			p->slots[i].state = S_STREAM;
			p->slots[i].deflated = p->level > 0 && !it->store ? DEFL_YES : 0; /* by zipchunk */
			p->next_claim++;
			wake_writer(p);
			continue;
		}
		size_t cost = item_cost(p, it);
		*buf = free_pbuf(p);
		if (*buf == SIZE_MAX ||
		    (p->in_flight + cost > RESULTS_MAX && i != p->writer_at)) {
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		size_t j = i + 1, bytes = (size_t)it->size;
		while (j < p->n && j - i < BATCH_ITEMS && p->items[j].size <= small_max &&
		       bytes + p->items[j].size <= BATCH_BYTES &&
		       p->in_flight + cost + item_cost(p, &p->items[j]) <= RESULTS_MAX) {
			bytes += (size_t)p->items[j].size;
			cost += item_cost(p, &p->items[j]);
			j++;
		}
		p->pool[*buf].busy = 1;
		p->pool[*buf].last = j - 1;
		p->next_claim = j;
		p->in_flight += cost;
		for (size_t k = i; k < j; k++)
			p->slots[k].state = S_WORKING;
		*end = j;
		return i;
	}
	return SIZE_MAX;
}

/* Hand the hashes of the batch [first, end) to the caller: runs of items read whole. */
static void tell_hashed(struct pipeline *p, size_t first, size_t end, const struct slot *done,
			const char (*hex)[65])
{
	for (size_t i = first; i < end;) {
		size_t j = i;
		while (j < end && done[j - first].state == S_READY)
			j++;
		if (j > i && p->hashed_run)
			p->hashed_run(p->hashed_arg, i, j - i, hex + (i - first));
		else
			for (size_t k = i; k < j && p->hashed; k++)
				p->hashed(p->hashed_arg, k, hex[k - first]);
		i = j < end ? j + 1 : end; /* past the one that failed */
	}
}

static void *worker(void *arg)
{
	struct pipeline *p = arg;
	struct libdeflate_compressor *c = p->level > 0 ? libdeflate_alloc_compressor(p->level) : NULL;
	struct pbuf in = { 0 };
	struct slot done[BATCH_ITEMS];
	char hex[BATCH_ITEMS][65];
	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t b, end, first = claim(p, &b, &end);
		if (first == SIZE_MAX)
			break;
		pthread_mutex_unlock(&p->mu);
		struct pbuf *out = &p->pool[b];
		size_t bound = 0;
		for (size_t i = first; i < end; i++)
			bound += item_bound(c, &p->items[i]);
		out->used = 0;
		int nomem = pbuf_reserve(out, bound + 1) < 0; /* + 1: see read_all */
		for (size_t i = first; i < end; i++) {
			struct slot *d = &done[i - first];
			memset(d, 0, sizeof(*d));
			d->state = S_FAILED;
			d->u.err = ENOMEM;
			if (!nomem)
				work_item(c, &in, out, &p->items[i], d, hex[i - first]);
		}
		tell_hashed(p, first, end, done, hex);
		pthread_mutex_lock(&p->mu);
		for (size_t i = first; i < end; i++) {
			struct slot *s = &p->slots[i], *d = &done[i - first];
			s->pool = (uint16_t)b;
			s->buflen = d->state == S_READY ? d->buflen : 0;
			s->deflated = d->deflated;
			s->crc = d->crc;
			s->u = d->u;
			p->in_flight -= item_cost(p, &p->items[i]);
			p->in_flight += s->buflen; /* a ready buffer counts what it holds */
			s->state = d->state;
		}
		wake_writer(p);
	}
	pthread_mutex_unlock(&p->mu);
	pbuf_free(&in);
	libdeflate_free_compressor(c);
	return NULL;
}

/* Wait until item i is ready (or streams, or failed). 0, or -1 when cancelled. */
static int wait_for(struct pipeline *p, size_t i)
{
	pthread_mutex_lock(&p->mu);
	if (p->writer_at != i) {
		p->writer_at = i;
		if (p->slots[i].state == S_PENDING) /* a worker may wait for room to start it */
			pthread_cond_broadcast(&p->cv);
	}
	while (p->slots[i].state == S_PENDING || p->slots[i].state == S_WORKING) {
		if (p->cancel && *p->cancel)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_sec++, ts.tv_nsec -= 1000000000L;
		p->writer_waits = 1;
		pthread_cond_timedwait(&p->wcv, &p->mu, &ts);
		p->writer_waits = 0;
	}
	int rc = p->slots[i].state == S_PENDING || p->slots[i].state == S_WORKING ? -1 : 0;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void release(struct pipeline *p, size_t i)
{
	pthread_mutex_lock(&p->mu);
	struct slot *s = &p->slots[i];
	struct pbuf *b = &p->pool[s->pool];
	p->in_flight -= s->buflen;
	s->state = S_DONE; /* buflen stays: libzip may stat the entry again */
	if (b->last == i) { /* the batch's last item: its buffer is free */
		b->busy = 0;
		if (b->cap > PBUF_KEEP)
			pbuf_free(b); /* a big file's: not kept for the rest of the packet */
		else
			pbuf_trim(b);
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
}

/* ---- libzip source callbacks ---- */

static int is_tag(const struct src *s)
{
	return s->index >= s->z->p.n;
}

static struct zip_item *src_item(const struct src *s)
{
	return is_tag(s) ? &s->z->tags[s->index - s->z->p.n] : &s->z->p.items[s->index];
}

/* Every payload item is written: the pool's buffers are not needed any more, and the tag
 * files and libzip's central directory (the packet's peak of memory) come next. */
static void drop_pool(struct pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	for (size_t b = 0; b < p->npool; b++)
		if (!p->pool[b].busy)
			pbuf_free(&p->pool[b]);
	pthread_mutex_unlock(&p->mu);
}

static int ensure_tags(struct zipout *z)
{
	if (!z->tags_made) {
		z->tags_made = 1;
		drop_pool(&z->p);
		z->tags_rc = z->o->make_tags ? z->o->make_tags(z->o->tags_arg, z->tags, z->ntags, z->errbuf, z->errlen)
					     : RP_OK;
		if (z->tags_rc && !z->rc)
			z->rc = z->tags_rc;
	}
	return z->tags_rc ? -1 : 0;
}

/* Prepare the item behind s; fills the error on failure. */
static int src_prepare(struct src *s)
{
	struct zipout *z = s->z;
	if (z->o->cancel && *z->o->cancel) {
		zip_error_set(&z->error, ZIP_ER_CANCELLED, 0);
		return -1;
	}
	if (is_tag(s)) {
		if (ensure_tags(z) < 0) {
			zip_error_set(&z->error, ZIP_ER_INTERNAL, 0);
			return -1;
		}
		return 0;
	}
	if (wait_for(&z->p, s->index) < 0) {
		zip_error_set(&z->error, ZIP_ER_CANCELLED, 0);
		return -1;
	}
	struct slot *sl = &z->p.slots[s->index];
	if (sl->state == S_FAILED) {
		set_error(z, RP_ESOURCE,
			  sl->u.err == -1 ? "%s changed while it was being packed%s; build again when it is complete"
					  : "%s could not be read (%s); copy it again from the original",
			  src_item(s)->path, sl->u.err == -1 ? "" : strerror(sl->u.err));
		zip_error_set(&z->error, ZIP_ER_READ, sl->u.err > 0 ? sl->u.err : 0);
		return -1;
	}
	return 0;
}

static void src_stat(struct src *s, zip_stat_t *st)
{
	const struct zip_item *it = src_item(s);
	zip_stat_init(st);
	st->mtime = s->z->o->mtime;
	st->valid |= ZIP_STAT_MTIME | ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD;
	st->comp_method = ZIP_CM_STORE;
	if (is_tag(s)) {
		st->size = it->len;
		return;
	}
	struct slot *sl = &s->z->p.slots[s->index];
	st->size = it->size;
	if (sl->state == S_STREAM) {
		if (sl->deflated) { /* deflated by zipchunk: the CRC is known once it is read */
			st->comp_method = ZIP_CM_DEFLATE;
			if (sl->deflated & DEFL_CRC) {
				st->valid |= ZIP_STAT_CRC;
				st->crc = sl->crc;
			}
		}
		return; /* stored: libzip computes the CRC */
	}
	if (sl->state != S_READY && sl->state != S_DONE)
		return;
	/* S_DONE: written (libzip asks again after CLOSE); the slot keeps what it said */
	st->valid |= ZIP_STAT_COMP_SIZE;
	st->comp_size = sl->buflen;
	st->comp_method = sl->deflated ? ZIP_CM_DEFLATE : ZIP_CM_STORE;
	if (sl->deflated) {
		st->valid |= ZIP_STAT_CRC;
		st->crc = sl->crc;
	}
}

/* Open the file behind an item that is read as libzip asks (a tag file, or a payload file
 * too big to buffer): rc is the code a failure reports. */
static int open_file(struct zipout *z, const char *path, int rc)
{
	if (z->fd >= 0)
		close(z->fd);
	z->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (z->fd < 0) {
		set_error(z, rc, rc == RP_ESOURCE ? "%s could not be read (%s); copy it again from the original"
						  : "cannot read back %s (%s)", path, strerror(errno));
		zip_error_set(&z->error, ZIP_ER_OPEN, errno);
		return -1;
	}
	return 0;
}

/* The next piece of the file open_file opened, which must hold exactly size bytes: -1 with
 * the error set when it cannot be read or its size changed. */
static zip_int64_t read_file(struct zipout *z, const char *path, uint64_t size, int rc, void *data, zip_uint64_t len)
{
	ssize_t n = fd_read(z->fd, data, len > STREAM_CHUNK ? STREAM_CHUNK : len);
	int err = n < 0 ? errno : 0;
	if (n < 0 || (n == 0 && z->pos != size) || z->pos + (uint64_t)n > size) {
		if (rc == RP_EOUTPUT)
			set_error(z, rc, "cannot read back %s (%s)", path, err ? strerror(err) : "its size changed");
		else if (err)
			set_error(z, rc, "%s could not be read (%s); copy it again from the original", path, strerror(err));
		else
			set_error(z, rc, "%s changed while it was being packed%s; build again when it is complete", path, "");
		zip_error_set(&z->error, ZIP_ER_READ, err);
		return -1;
	}
	z->pos += (uint64_t)n;
	return n;
}

static int src_open(struct src *s)
{
	struct zipout *z = s->z;
	const struct zip_item *it = src_item(s);
	z->pos = 0;
	if (is_tag(s))
		return it->path ? open_file(z, it->path, RP_EOUTPUT) : 0;
	if (z->p.slots[s->index].state == S_READY)
		return 0;
	if (z->p.slots[s->index].state != S_STREAM) {
		zip_error_set(&z->error, ZIP_ER_INTERNAL, 0);
		return -1; /* a buffered item is read once */
	}
	if (open_file(z, it->path, RP_ESOURCE) < 0)
		return -1;
	z->done_before = z->prog.bytes_done;
	if (z->p.slots[s->index].deflated) {
		zipchunk_free(z->zc);
		z->zc = zipchunk_start(z->fd, it->size, z->p.level, z->jobs);
		if (!z->zc) {
			set_error(z, RP_EOUTPUT, "cannot start compressing %s: out of memory", it->path);
			zip_error_set(&z->error, ZIP_ER_MEMORY, 0);
			return -1;
		}
		return 0;
	}
	if (!z->md)
		z->md = sha256_new();
	else
		sha256_reset(z->md);
	return 0;
}

/* The next piece of a big item deflated by zipchunk. */
static zip_int64_t src_read_chunked(struct zipout *z, size_t index, void *data, zip_uint64_t len)
{
	const struct zip_item *it = &z->p.items[index];
	int err = 0;
	ssize_t n = zipchunk_read(z->zc, data, len, &err);
	if (n < 0) {
		if (err == -1)
			set_error(z, RP_ESOURCE, "%s changed while it was being packed; build again when it is complete",
				  it->path);
		else
			set_error(z, RP_ESOURCE, "%s could not be read (%s); copy it again from the original", it->path,
				  strerror(err));
		zip_error_set(&z->error, ZIP_ER_READ, err > 0 ? err : 0);
		return -1;
	}
	z->prog.bytes_done = z->done_before + zipchunk_taken(z->zc);
	if (n == 0) {
		char hex[65];
		struct slot *sl = &z->p.slots[index];
		zipchunk_sha256(z->zc, hex);
		sl->crc = zipchunk_crc(z->zc);
		sl->deflated |= DEFL_CRC;
		if (z->p.hashed)
			z->p.hashed(z->p.hashed_arg, index, hex);
	}
	return n;
}

static zip_int64_t src_read_stream(struct zipout *z, size_t index, void *data, zip_uint64_t len)
{
	const struct zip_item *it = &z->p.items[index];
	if (z->o->cancel && *z->o->cancel) {
		zip_error_set(&z->error, ZIP_ER_CANCELLED, 0);
		return -1;
	}
	if (z->zc)
		return src_read_chunked(z, index, data, len);
	zip_int64_t n = read_file(z, it->path, it->size, RP_ESOURCE, data, len);
	if (n < 0)
		return -1;
	sha256_update(z->md, data, (size_t)n);
	if (n == 0) {
		char hex[65];
		sha256_final(z->md, NULL, hex);
		if (z->p.hashed)
			z->p.hashed(z->p.hashed_arg, index, hex);
	}
	z->prog.bytes_done += (uint64_t)n;
	return n;
}

static zip_int64_t src_read(struct src *s, void *data, zip_uint64_t len)
{
	struct zipout *z = s->z;
	struct zip_item *it = src_item(s);
	const unsigned char *buf;
	size_t avail;
	if (is_tag(s) && it->path) {
		return read_file(z, it->path, it->len, RP_EOUTPUT, data, len);
	} else if (is_tag(s)) {
		buf = it->data, avail = it->len;
	} else {
		struct slot *sl = &z->p.slots[s->index];
		if (sl->state == S_STREAM)
			return src_read_stream(z, s->index, data, len);
		buf = z->p.pool[sl->pool].p + sl->u.off, avail = sl->buflen;
	}
	size_t n = z->pos < avail ? avail - (size_t)z->pos : 0;
	if (n > len)
		n = (size_t)len;
	if (n)
		memcpy(data, buf + z->pos, n);
	z->pos += n;
	return (zip_int64_t)n;
}

static void src_close(struct src *s)
{
	struct zipout *z = s->z;
	zipchunk_free(z->zc); /* before its file is closed: its threads read it */
	z->zc = NULL;
	if (z->fd >= 0) {
		close(z->fd);
		z->fd = -1;
	}
	if (is_tag(s))
		return;
	if (z->p.slots[s->index].state == S_READY) {
		z->prog.bytes_done += src_item(s)->size;
		release(&z->p, s->index);
	}
	z->prog.items_done = s->index + 1;
	if (z->o->progress)
		z->o->progress(z->o->progress_arg, &z->prog);
}

static zip_int64_t src_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct src *s = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		return src_prepare(s) < 0 || src_open(s) < 0 ? -1 : 0;
	case ZIP_SOURCE_STAT:
		if (len < sizeof(zip_stat_t))
			return -1;
		if (src_prepare(s) < 0)
			return -1;
		src_stat(s, data);
		return sizeof(zip_stat_t);
	case ZIP_SOURCE_READ:
		return src_read(s, data, len);
	case ZIP_SOURCE_CLOSE:
		src_close(s);
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->z->error, data, len);
	case ZIP_SOURCE_FREE:
		return 0; /* s is zipout_write's, freed once libzip is done */
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
						      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&s->z->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* ---- the archive ---- */

/* The entry name of it: the prefix then its name, in buf (reused from entry to entry). */
static const char *entry_name(const struct zipout *z, const struct zip_item *it, struct sbuf *buf)
{
	buf->len = 0;
	sbuf_puts(buf, z->o->prefix ? z->o->prefix : "");
	sbuf_puts(buf, it->name);
	return buf->p;
}

static int add_entry(zip_t *za, struct zipout *z, struct src *s, size_t index, const char *name, int level)
{
	const char *password = z->o->password;
	s->z = z, s->index = index;
	zip_source_t *zs = zip_source_function(za, src_cb, s);
	if (!zs)
		return -1;
	zip_int64_t idx = zip_file_add(za, name, zs, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(zs);
		return -1;
	}
	/* Pre-compressed items say so in their stat; the rest are compressed by libzip. */
	int store = level == 0 || (!is_tag(s) && src_item(s)->store);
	if (zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     store ? 0 : (zip_uint32_t)level) < 0 ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, FILE_ATTR) < 0)
		return -1;
	/* libzip encrypts what the source gives it, pre-compressed or not */
	if (password && zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, password) < 0)
		return -1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every folder the entries are in ("NAME/", "NAME/data/", ...), sorted and unique. Without
 * their own entries, unzip would make them with the umask's mode (often 0755). */
static void folder_names(const struct zipout *z, struct strlist *out)
{
	struct strlist all = { 0 };
	struct sbuf buf[2] = { 0 }; /* this entry's name and the previous one's */
	const char *prev = "";
	for (size_t i = 0; i < z->p.n + z->ntags; i++) {
		const char *name = entry_name(z, i < z->p.n ? &z->p.items[i] : &z->tags[i - z->p.n], &buf[i % 2]);
		/* a folder the previous entry is in was listed with it (most of a study's files
		 * share theirs), so the list stays as short as the set of folders */
		for (const char *p = strchr(name, '/'); p; p = strchr(p + 1, '/'))
			if (strncmp(prev, name, (size_t)(p - name) + 1) != 0)
				strlist_add_owned(&all, xstrndup(name, (size_t)(p - name) + 1));
		prev = name;
	}
	if (all.n)
		qsort(all.v, all.n, sizeof(*all.v), cmp_str);
	for (size_t i = 0; i < all.n; i++)
		if (i == 0 || strcmp(all.v[i], all.v[i - 1]) != 0)
			strlist_add(out, all.v[i]);
	strlist_free(&all);
	free(buf[0].p);
	free(buf[1].p);
}

static int add_folder(zip_t *za, const char *name, time_t mtime)
{
	zip_int64_t idx = zip_dir_add(za, name, ZIP_FL_ENC_UTF_8);
	if (idx < 0 || zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) < 0 ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, DIR_ATTR) < 0)
		return -1;
	return 0;
}

static int start_workers(struct pipeline *p, int jobs, pthread_t *tids)
{
	int started = 0;
	for (int i = 0; i < jobs; i++)
		if (pthread_create(&tids[i], NULL, worker, p) == 0)
			started++;
	return started;
}

static void stop_workers(struct pipeline *p, pthread_t *tids, int n)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	for (size_t b = 0; b < p->npool; b++)
		pbuf_free(&p->pool[b]);
}

/* libzip turns each entry's time_t into the ZIP's DOS date and time with localtime(), so the
 * same SOURCE_DATE_EPOCH gave different bytes in another time zone. While the archive is
 * written the process runs in UTC; the caller's TZ is put back afterwards. This changes the
 * environment, so it happens only while no worker thread runs (before they start and after
 * they are joined). Returns the saved TZ (NULL when it was unset) for utc_end. */
static char *utc_begin(int *was_set)
{
	const char *tz = getenv("TZ");
	char *saved = tz ? xstrdup(tz) : NULL;
	*was_set = tz != NULL;
	setenv("TZ", "UTC0", 1);
	tzset();
	return saved;
}

static void utc_end(char *saved, int was_set)
{
	if (was_set)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static int cancel_cb(zip_t *za, void *ud)
{
	(void)za;
	struct zipout *z = ud;
	return z->o->cancel && *z->o->cancel;
}

int zipout_write(const char *path, struct zip_item *payload, size_t npayload, struct zip_item *tags,
		 size_t ntags, const struct zipout_opts *opts, char *errbuf, size_t errlen)
{
	struct zipout z = { .tags = tags, .ntags = ntags, .o = opts, .errbuf = errbuf, .errlen = errlen, .fd = -1 };
	int level = opts->level < 0 ? ZIPOUT_DEFAULT_LEVEL : opts->level > 9 ? 9 : opts->level;
	int jobs = opts->jobs > 0 ? opts->jobs : zipout_cores();
	const char *sm = getenv("RECPACK_SMALL_MAX");
	if (sm && *sm) {
		unsigned long long v = strtoull(sm, NULL, 10);
		small_max = v < SMALL_MAX_DEFAULT ? (size_t)v : SMALL_MAX_DEFAULT;
	}
	pthread_t tids[MAX_JOBS];
	int nthreads = 0, fd = -1, tz_was_set, names_freed = 0;
	zip_t *za = NULL;
	zip_error_t zerr;
	struct zipsink sink;
	struct strlist folders = { 0 };
	struct sbuf name = { 0 };
	struct src *srcs = xcalloc(npayload + ntags + 1, sizeof(*srcs));
	char *tz = utc_begin(&tz_was_set);
	zip_error_init(&zerr);
	zip_error_init(&z.error);
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	z.jobs = jobs;
	pthread_mutex_init(&z.p.mu, NULL);
	pthread_cond_init(&z.p.cv, NULL);
	pthread_cond_init(&z.p.wcv, NULL);
	z.p.items = payload, z.p.n = npayload, z.p.level = level, z.p.cancel = opts->cancel;
	z.p.hashed = opts->hashed, z.p.hashed_run = opts->hashed_run, z.p.hashed_arg = opts->hashed_arg;
	z.p.slots = xcalloc(npayload + 1, sizeof(*z.p.slots));
	z.p.npool = (size_t)jobs * POOL_PER_JOB;
	z.p.pool = xcalloc(z.p.npool, sizeof(*z.p.pool));
	for (size_t i = 0; i < npayload; i++)
		z.prog.bytes_total += payload[i].size;
	z.prog.items_total = npayload;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot create %s: %s", path, strerror(errno));
		z.rc = RP_EOUTPUT;
		goto out;
	}
	zipsink_init(&sink, fd, opts->durable);
	zip_source_t *zs = zipsink_source(&sink, &zerr);
	if (zs && !(za = zip_open_from_source(zs, ZIP_CREATE | ZIP_TRUNCATE, &zerr)))
		zip_source_free(zs);
	if (!za) {
		snprintf(errbuf, errlen, "cannot create %s: %s", path, zip_error_strerror(&zerr));
		z.rc = RP_EOUTPUT;
		goto out;
	}
	zip_register_cancel_callback_with_state(za, cancel_cb, NULL, &z);
	/* Each folder goes just before the first entry in it: the payload (sorted by name) and
	 * its folders stay in one sorted order, then come the tag files. */
	folder_names(&z, &folders);
	size_t f = 0;
	for (size_t i = 0; i < npayload + ntags; i++) {
		const char *nm = entry_name(&z, i < npayload ? &payload[i] : &tags[i - npayload], &name);
		for (; f < folders.n && (i >= npayload || strcmp(folders.v[f], nm) < 0); f++) {
			if (add_folder(za, folders.v[f], opts->mtime) < 0) {
				snprintf(errbuf, errlen, "cannot add %s to the packet: %s", folders.v[f], zip_strerror(za));
				z.rc = RP_EOUTPUT;
				goto out;
			}
		}
		if (add_entry(za, &z, &srcs[i], i, nm, level) < 0) {
			snprintf(errbuf, errlen, "cannot add %s to the packet: %s", nm, zip_strerror(za));
			z.rc = RP_EOUTPUT;
			goto out;
		}
	}
	strlist_free(&folders);
	free(opts->names_block); /* the names are libzip's now */
	names_freed = 1;
	nthreads = start_workers(&z.p, jobs, tids);
	if (nthreads == 0) {
		snprintf(errbuf, errlen, "cannot start worker threads: %s", strerror(errno));
		z.rc = RP_EOUTPUT;
		goto out;
	}
	if (zip_close(za) < 0) {
		if (!z.rc) {
			snprintf(errbuf, errlen, "cannot write %s: %s", path,
				 opts->cancel && *opts->cancel ? "interrupted" : zip_strerror(za));
			z.rc = RP_EOUTPUT;
		}
		goto out;
	}
	za = NULL;
	if (opts->sha256_out)
		memcpy(opts->sha256_out, sink.sha256, sizeof(sink.sha256));
out:
	if (za)
		zip_discard(za);
	if (fd >= 0) {
		if (close(fd) < 0 && !z.rc) {
			snprintf(errbuf, errlen, "cannot write %s: %s", path, strerror(errno));
			z.rc = RP_EOUTPUT;
		}
		zipsink_fini(&sink);
	}
	zip_error_fini(&zerr);
	stop_workers(&z.p, tids, nthreads);
	utc_end(tz, tz_was_set);
	strlist_free(&folders);
	if (!names_freed)
		free(opts->names_block);
	free(name.p);
	zipchunk_free(z.zc);
	if (z.fd >= 0)
		close(z.fd);
	sha256_free(z.md);
	zip_error_fini(&z.error);
	free(srcs); /* after zip_close or zip_discard has freed every source */
	free(z.p.slots);
	free(z.p.pool);
	pthread_mutex_destroy(&z.p.mu);
	pthread_cond_destroy(&z.p.cv);
	pthread_cond_destroy(&z.p.wcv);
	return z.rc;
}
