/* document.c: see document.h. */
#include "document.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <openssl/evp.h>

#include "rp.h"
#include "util.h"

#define READ_CHUNK (256 * 1024)

struct document *doclist_add(struct doclist *l, const char *source, const char *path,
			     const char *relpath, const char *category)
{
	grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	struct document *d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->source = xstrdup(source);
	d->path = xstrdup(path);
	d->relpath = xstrdup(relpath);
	d->category = category ? xstrdup(category) : NULL;
	d->explicit_category = category != NULL;
	d->duplicate_of = -1;
	return d;
}

void doclist_free(struct doclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct document *d = &l->v[i];
		free(d->source);
		free(d->path);
		free(d->relpath);
		free(d->category);
		free(d->disc_root);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

const char *document_name(const struct document *d)
{
	return path_basename(d->relpath);
}

/* Keeps the last SNIFF_TAIL bytes seen, for the PDF %%EOF check. */
static void keep_tail(unsigned char *tail, size_t *tail_len, const unsigned char *buf, size_t n)
{
	if (n >= SNIFF_TAIL) {
		memcpy(tail, buf + n - SNIFF_TAIL, SNIFF_TAIL);
		*tail_len = SNIFF_TAIL;
		return;
	}
	size_t keep = *tail_len + n > SNIFF_TAIL ? SNIFF_TAIL - n : *tail_len;
	memmove(tail, tail + *tail_len - keep, keep);
	memcpy(tail + keep, buf, n);
	*tail_len = keep + n;
}

struct scan_state {
	unsigned char head[SNIFF_HEAD];
	size_t head_len;
	unsigned char tail[SNIFF_TAIL];
	size_t tail_len;
	uint64_t size;
};

static int scan_fd(int fd, int hash, struct scan_state *st, unsigned char *md)
{
	int rc = -1;
	EVP_MD_CTX *ctx = NULL;
	unsigned char *buf = xmalloc(READ_CHUNK);
	if (hash) {
		ctx = EVP_MD_CTX_new();
		if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
			goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		if (st->head_len < SNIFF_HEAD) {
			size_t take = (size_t)n < SNIFF_HEAD - st->head_len ? (size_t)n : SNIFF_HEAD - st->head_len;
			memcpy(st->head + st->head_len, buf, take);
			st->head_len += take;
		}
		keep_tail(st->tail, &st->tail_len, buf, (size_t)n);
		st->size += (uint64_t)n;
		if (ctx && !EVP_DigestUpdate(ctx, buf, (size_t)n))
			goto out;
		if (!hash && st->head_len == SNIFF_HEAD)
			break; /* type only: the head is enough, the size comes from fstat */
	}
	if (ctx && !EVP_DigestFinal_ex(ctx, md, NULL))
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(buf);
	return rc;
}

int document_scan(struct document *d, int hash, struct problems *probs)
{
	int rc = RP_ESOURCE;
	struct scan_state *st = xcalloc(1, sizeof(*st));
	unsigned char md[32];
	struct stat sb;
	int fd = open(d->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		problems_add_source_error(probs, P_UNREADABLE, d->source,
					  "%s cannot be opened (%s); check that the file exists and that you may read it",
					  d->source, strerror(errno));
		goto out;
	}
	if (scan_fd(fd, hash, st, md) < 0) {
		problems_add_source_error(probs, P_UNREADABLE, d->source,
					  "%s could not be read (%s); copy it again from the original",
					  d->source, strerror(errno));
		goto out;
	}
	d->size = hash ? st->size : (uint64_t)sb.st_size;
	if (!hash && d->size > st->head_len) {
		/* Head-only scan: fetch the tail too, for the truncated-PDF check. */
		off_t at = (off_t)(d->size > SNIFF_TAIL ? d->size - SNIFF_TAIL : 0);
		ssize_t n = pread(fd, st->tail, SNIFF_TAIL, at);
		st->tail_len = n > 0 ? (size_t)n : 0;
	}
	if (hash) {
		hex_encode(md, 32, d->sha256);
		d->hashed = 1;
	} else {
		d->fingerprint = (uint32_t)libdeflate_crc32(libdeflate_crc32(0, st->head, st->head_len),
							      st->tail, st->tail_len);
	}
	sniff(st->head, st->head_len, st->tail_len ? st->tail : NULL, st->tail_len, d->size, &d->sniff);
	if (d->sniff.type == T_DICOM || d->sniff.type == T_DICOMDIR) {
		enum dicom_status ds = dicom_read(st->head, st->head_len, &d->dicom);
		d->is_dicom = ds == DICOM_OK || ds == DICOM_TRUNCATED || ds == DICOM_BIG_ENDIAN;
	}
	rc = RP_OK;
out:
	if (fd >= 0)
		close(fd);
	free(st);
	return rc;
}
