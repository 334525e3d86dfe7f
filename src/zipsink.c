/* zipsink.c: see zipsink.h.
 *
 * libzip writes each entry as: local header at offset H, the data, then a seek back to H to
 * rewrite the header with the final CRC and sizes, and a seek forward to the end. Only the
 * entry being written is ever rewritten, so a seek back to H means that every byte before H
 * is final: those bytes are hashed then (from the buffer while they are still in it).
 *
 * Writing the packet through this source, rather than letting libzip write "<path>.XXXXXX" and
 * rename it over path, spares ext4 the flush it does when a rename replaces a file. The
 * syncer thread overlaps the disk's work with ours: on a VM the final fsync of a 300 MB
 * packet otherwise waits about 0.3 s for the host to flush it, after everything else is done.
 * A write error the syncer sees is kept and fails the commit (once seen, the kernel would not
 * report it to the caller's later fsync). */
#include "zipsink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define SINK_BUF (4u << 20)
#define SCRATCH (1u << 20)
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

static void *syncer_main(void *arg)
{
	struct zipsink *s = arg;
	uint64_t done = 0;
	pthread_mutex_lock(&s->mu);
	while (!s->sync_stop) {
		if (s->sync_asked > done) {
			done = s->sync_asked;
			pthread_mutex_unlock(&s->mu);
			int rc = fdatasync(s->fd);
			int err = errno;
			pthread_mutex_lock(&s->mu);
			if (rc < 0 && !s->sync_err)
				s->sync_err = err;
			continue;
		}
		pthread_cond_wait(&s->cv, &s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Stop the syncer (waiting for a sync under way); the first error it met, or 0. */
static int syncer_stop(struct zipsink *s)
{
	if (!s->syncing)
		return 0;
	pthread_mutex_lock(&s->mu);
	s->sync_stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->syncer, NULL);
	s->syncing = 0;
	return s->sync_err;
}

/* n more bytes are on file: wake the syncer every SYNC_STEP bytes. */
static void note_on_file(struct zipsink *s, size_t n)
{
	s->on_file += n;
	if (!s->syncing || s->on_file - s->sync_asked < SYNC_STEP)
		return;
	pthread_mutex_lock(&s->mu);
	s->sync_asked = s->on_file;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void zipsink_fini(struct zipsink *s)
{
	syncer_stop(s);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->buf);
	free(s->scratch);
	EVP_MD_CTX_free(s->md);
	zip_error_fini(&s->error);
	s->buf = s->scratch = NULL;
	s->md = NULL;
}

static int fail(struct zipsink *s, int zerr, int sys)
{
	zip_error_set(&s->error, zerr, sys);
	return -1;
}

static int pwrite_full(struct zipsink *s, const unsigned char *p, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(s->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(s, ZIP_ER_WRITE, n < 0 ? errno : ENOSPC);
		p += n, off += (uint64_t)n, len -= (size_t)n;
		note_on_file(s, (size_t)n);
	}
	return 0;
}

/* Write the first n buffered bytes to the file and keep the rest at the buffer's start. */
static int flush_head(struct zipsink *s, size_t n)
{
	if (n && pwrite_full(s, s->buf, n, s->buf_off) < 0)
		return -1;
	memmove(s->buf, s->buf + n, s->buf_len - n);
	s->buf_off += n;
	s->buf_len -= n;
	return 0;
}

static int flush_all(struct zipsink *s)
{
	return flush_head(s, s->buf_len);
}

/* Hash [hashed, x): from the buffer where the bytes still are, else read back from the file. */
static int hash_to(struct zipsink *s, uint64_t x)
{
	if (x > s->end)
		x = s->end;
	while (s->hashed < x) {
		uint64_t bend = s->buf_off + s->buf_len;
		size_t n;
		if (s->hashed >= s->buf_off && s->hashed < bend) {
			n = (size_t)((x < bend ? x : bend) - s->hashed);
			EVP_DigestUpdate(s->md, s->buf + (s->hashed - s->buf_off), n);
		} else {
			uint64_t stop = s->hashed < s->buf_off && s->buf_len && x > s->buf_off ? s->buf_off : x;
			n = stop - s->hashed > SCRATCH ? SCRATCH : (size_t)(stop - s->hashed);
			if (!s->scratch)
				s->scratch = xmalloc(SCRATCH);
			ssize_t got = pread(s->fd, s->scratch, n, (off_t)s->hashed);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				return fail(s, ZIP_ER_READ, got < 0 ? errno : EIO);
			n = (size_t)got;
			EVP_DigestUpdate(s->md, s->scratch, n);
		}
		s->hashed += n;
	}
	return 0;
}

static int sink_write(struct zipsink *s, const unsigned char *data, size_t len)
{
	uint64_t bend = s->buf_off + s->buf_len;
	if (s->pos < s->buf_off || s->pos > bend) {
		/* not next to the buffered bytes (a header rewrite after they were written out) */
		if (flush_all(s) < 0)
			return -1;
		s->buf_off = s->pos;
	} else if (s->pos + len > s->buf_off + s->cap) {
		/* no room: write out the final bytes, keep those that may still be rewritten */
		uint64_t keep = s->hashed < s->buf_off ? s->buf_off : s->hashed > bend ? bend : s->hashed;
		if (keep > s->buf_off && s->pos >= keep && s->pos + len - keep <= s->cap) {
			if (flush_head(s, (size_t)(keep - s->buf_off)) < 0)
				return -1;
		} else {
			if (flush_all(s) < 0)
				return -1;
			s->buf_off = s->pos;
		}
	}
	if (len > s->cap) { /* the buffer is empty here; libzip writes in small blocks anyway */
		if (pwrite_full(s, data, len, s->pos) < 0)
			return -1;
		s->buf_off = s->pos + len;
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
	if (ftruncate(s->fd, 0) < 0)
		return fail(s, ZIP_ER_WRITE, errno);
	if (!s->buf)
		s->buf = xmalloc(s->cap);
	if (!s->md)
		s->md = EVP_MD_CTX_new();
	if (!s->md || !EVP_DigestInit_ex(s->md, EVP_sha256(), NULL))
		return fail(s, ZIP_ER_MEMORY, 0);
	s->buf_off = s->buf_len = 0;
	s->pos = s->end = s->hashed = 0;
	s->begun = 1, s->committed = 0;
	s->sha256[0] = '\0';
	if (s->durable && !s->syncing) {
		s->on_file = s->sync_asked = 0;
		s->sync_stop = s->sync_err = 0;
		s->syncing = pthread_create(&s->syncer, NULL, syncer_main, s) == 0;
	}
	return 0;
}

static int sink_commit(struct zipsink *s)
{
	unsigned char md[32];
	if (hash_to(s, s->end) < 0 || flush_all(s) < 0)
		return -1;
	if (!EVP_DigestFinal_ex(s->md, md, NULL))
		return fail(s, ZIP_ER_INTERNAL, 0);
	int err = syncer_stop(s);
	if (err)
		return fail(s, ZIP_ER_WRITE, err);
	hex_encode(md, 32, s->sha256);
	s->committed = 1;
	return 0;
}

static zip_int64_t sink_seek_write(struct zipsink *s, void *data, zip_uint64_t len)
{
	zip_int64_t to = zip_source_seek_compute_offset(s->pos, s->end, data, len, &s->error);
	if (to < 0)
		return -1;
	/* a seek back: libzip rewrites only the entry it is writing, so what is before is final */
	if ((uint64_t)to < s->end && hash_to(s, (uint64_t)to) < 0)
		return -1;
	s->pos = (uint64_t)to;
	return 0;
}

static zip_int64_t sink_read(struct zipsink *s, void *data, zip_uint64_t len)
{
	if (flush_all(s) < 0)
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
		syncer_stop(s);
		s->buf_len = 0;
		s->begun = 0;
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
