/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipsink.c: see zipsink.h.
 *
 * libzip writes each entry as: local header at offset H, the data, then a seek back to H to
 * rewrite the header with the final CRC and sizes, and a seek forward to the end. Only the
 * entry being written is ever rewritten, so a seek back to H means that every byte before H
 * is final. A background thread hashes final bytes once they are on file (reading them back
 * from the page cache), so the writer, the busiest thread of a --level 0 build, does not.
 *
 * Writing the packet through this source, rather than letting libzip write "<path>.XXXXXX" and
 * rename it over path, spares ext4 the flush it does when a rename replaces a file. Syncing
 * while the packet grows overlaps the disk's work with ours: on a VM the final fsync of a
 * 300 MB packet otherwise waits about 0.3 s for the host to flush it, after all else is done.
 * A write error met by the background fdatasync fails the commit (once seen, the kernel would
 * not report it to the caller's later fsync). */
#include "packet/zipsink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/util.h"

#define SINK_BUF (256u << 10)
#define SCRATCH (256u << 10) /* the page cache hands it over as fast in 256 KiB reads */
#define SYNC_STEP (32u << 20)

void zipsink_init(struct zipsink *s, int fd, int durable)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->cap = SINK_BUF;
	s->durable = durable;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	zip_error_init(&s->error);
}

static int fail(struct zipsink *s, int zerr, int sys)
{
	zip_error_set(&s->error, zerr, sys);
	return -1;
}

/* ---- the background thread ---- */

/* Hash [from, to) of the file. 0 or an errno. */
static int hash_range(struct zipsink *s, uint64_t from, uint64_t to)
{
	while (from < to) {
		size_t n = to - from > SCRATCH ? SCRATCH : (size_t)(to - from);
		ssize_t got = pread(s->fd, s->scratch, n, (off_t)from);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? errno : EIO;
		sha256_update(s->md, s->scratch, (size_t)got);
		from += (uint64_t)got;
	}
	return 0;
}

static void *bg_main(void *arg)
{
	struct zipsink *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->hashed < s->ready && !s->err) {
			uint64_t from = s->hashed, to = s->ready;
			pthread_mutex_unlock(&s->mu);
			int rc = hash_range(s, from, to);
			pthread_mutex_lock(&s->mu);
			s->hashed = to;
			if (rc && !s->err)
				s->err = rc;
		} else if (s->stop) {
			break;
		} else {
			pthread_cond_wait(&s->cv, &s->mu);
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* A thread of its own: fdatasync mostly waits for the disk, and must not hold up hashing. */
static void *syncer_main(void *arg)
{
	struct zipsink *s = arg;
	uint64_t synced = 0;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		if (s->sync_asked > synced) {
			synced = s->sync_asked;
			pthread_mutex_unlock(&s->mu);
			int rc = fdatasync(s->fd) < 0 ? errno : 0;
			pthread_mutex_lock(&s->mu);
			if (rc && !s->err)
				s->err = rc;
		} else {
			pthread_cond_wait(&s->cv, &s->mu);
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Tell the thread what it may hash now (every final byte on file) and whether to sync. */
static void publish(struct zipsink *s)
{
	uint64_t ready = s->final < s->buf_off ? s->final : s->buf_off;
	int sync = s->durable && s->on_file - s->sync_asked >= SYNC_STEP;
	if (!s->bg_running || (ready <= s->ready && !sync))
		return;
	pthread_mutex_lock(&s->mu);
	if (ready > s->ready)
		s->ready = ready;
	if (sync)
		s->sync_asked = s->on_file;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* Let the threads hash what is left (a sync under way finishes), then stop them. The first
 * error they met, or 0. */
static int bg_finish(struct zipsink *s)
{
	if (!s->bg_running && !s->syncer_running)
		return 0;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	if (s->bg_running)
		pthread_join(s->bg, NULL);
	if (s->syncer_running)
		pthread_join(s->syncer, NULL);
	s->bg_running = s->syncer_running = 0;
	return s->err;
}

void zipsink_fini(struct zipsink *s)
{
	bg_finish(s);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->buf);
	free(s->scratch);
	sha256_free(s->md);
	zip_error_fini(&s->error);
	s->buf = s->scratch = NULL;
	s->md = NULL;
}

/* ---- the writer's side ---- */

static int pwrite_full(struct zipsink *s, const unsigned char *p, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(s->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(s, ZIP_ER_WRITE, n < 0 ? errno : ENOSPC);
		p += n, off += (uint64_t)n, len -= (size_t)n;
		s->on_file += (uint64_t)n;
	}
	return 0;
}

/* Write the buffered bytes to the file. */
static int flush(struct zipsink *s)
{
	if (s->buf_len && pwrite_full(s, s->buf, s->buf_len, s->buf_off) < 0)
		return -1;
	s->buf_off += s->buf_len;
	s->buf_len = 0;
	publish(s);
	return 0;
}

static int sink_write(struct zipsink *s, const unsigned char *data, size_t len)
{
	/* not next to the buffered bytes (a header rewrite once they are on file), or no room */
	if (s->pos < s->buf_off || s->pos > s->buf_off + s->buf_len || s->pos + len > s->buf_off + s->cap) {
		if (flush(s) < 0)
			return -1;
		s->buf_off = s->pos;
	}
	if (len > s->cap) { /* the buffer is empty here; libzip writes in small blocks anyway */
		if (pwrite_full(s, data, len, s->pos) < 0)
			return -1;
		s->buf_off = s->pos + len;
		publish(s);
	} else {
		size_t at = (size_t)(s->pos - s->buf_off);
		memcpy(s->buf + at, data, len);
		if (at + len > s->buf_len)
			s->buf_len = at + len;
	}
	s->pos += len;
	if (s->pos > s->end)
		s->end = s->pos;
	return 0;
}

static int sink_begin(struct zipsink *s)
{
	if (s->bg_running || s->committed)
		return fail(s, ZIP_ER_INTERNAL, 0); /* one archive per sink */
	if (ftruncate(s->fd, 0) < 0)
		return fail(s, ZIP_ER_WRITE, errno);
	s->buf = xmalloc(s->cap);
	s->scratch = xmalloc(SCRATCH);
	if (!(s->md = sha256_new()))
		return fail(s, ZIP_ER_MEMORY, 0);
	/* without the thread, the commit hashes everything itself */
	s->bg_running = pthread_create(&s->bg, NULL, bg_main, s) == 0;
	if (s->bg_running && s->durable)
		s->syncer_running = pthread_create(&s->syncer, NULL, syncer_main, s) == 0;
	return 0;
}

static int sink_commit(struct zipsink *s)
{
	if (flush(s) < 0)
		return -1;
	s->final = s->end;
	publish(s);
	int err = bg_finish(s);
	if (!err && s->hashed < s->end) {
		err = hash_range(s, s->hashed, s->end);
		s->hashed = s->end;
	}
	if (err)
		return fail(s, ZIP_ER_WRITE, err);
	if (sha256_final(s->md, NULL, s->sha256) < 0)
		return fail(s, ZIP_ER_INTERNAL, 0);
	s->committed = 1;
	return 0;
}

static zip_int64_t sink_seek_write(struct zipsink *s, void *data, zip_uint64_t len)
{
	zip_int64_t to = zip_source_seek_compute_offset(s->pos, s->end, data, len, &s->error);
	if (to < 0)
		return -1;
	/* a seek back: libzip rewrites only the entry it is writing, so what is before is final */
	if ((uint64_t)to < s->end && (uint64_t)to > s->final) {
		s->final = (uint64_t)to;
		publish(s);
	}
	s->pos = (uint64_t)to;
	return 0;
}

static zip_int64_t sink_read(struct zipsink *s, void *data, zip_uint64_t len)
{
	if (flush(s) < 0)
		return -1;
	ssize_t n;
	do
		n = pread(s->fd, data, (size_t)len, (off_t)s->rpos);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(s, ZIP_ER_READ, errno);
	s->rpos += (uint64_t)n;
	return n;
}

static zip_int64_t sink_stat(struct zipsink *s, void *data, zip_uint64_t len)
{
	if (len < sizeof(zip_stat_t))
		return fail(s, ZIP_ER_INVAL, 0);
	if (!s->committed) /* a new archive: there is nothing to read yet */
		return fail(s, ZIP_ER_READ, ENOENT);
	zip_stat_t *st = data;
	zip_stat_init(st);
	st->valid |= ZIP_STAT_SIZE;
	st->size = s->end;
	return sizeof(*st);
}

static zip_int64_t sink_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct zipsink *s = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->rpos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		return sink_read(s, data, len);
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_SEEK: {
		zip_int64_t to = zip_source_seek_compute_offset(s->rpos, s->end, data, len, &s->error);
		if (to < 0)
			return -1;
		s->rpos = (uint64_t)to;
		return 0;
	}
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)s->rpos;
	case ZIP_SOURCE_STAT:
		return sink_stat(s, data, len);
	case ZIP_SOURCE_BEGIN_WRITE:
		return sink_begin(s);
	case ZIP_SOURCE_WRITE:
		return sink_write(s, data, (size_t)len) < 0 ? -1 : (zip_int64_t)len;
	case ZIP_SOURCE_SEEK_WRITE:
		return sink_seek_write(s, data, len);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)s->pos;
	case ZIP_SOURCE_COMMIT_WRITE:
		return sink_commit(s);
	case ZIP_SOURCE_ROLLBACK_WRITE:
		bg_finish(s);
		s->buf_len = 0;
		return 0;
	case ZIP_SOURCE_REMOVE:
		s->buf_len = 0;
		s->end = s->pos = 0;
		return ftruncate(s->fd, 0) < 0 ? fail(s, ZIP_ER_REMOVE, errno) : 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_FREE:
		return 0; /* s belongs to the caller */
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(
			ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
			ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_SUPPORTS,
			ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
			ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
	default:
		return fail(s, ZIP_ER_OPNOTSUPP, 0);
	}
}

zip_source_t *zipsink_source(struct zipsink *s, zip_error_t *error)
{
	return zip_source_function_create(sink_cb, s, error);
}
