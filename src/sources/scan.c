/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.c: see scan.h. */
#include "sources/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "read/dicomdir.h"
#include "sources/source_archive.h"
#include "read/reader.h"
#include "read/xdm.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define READ_CHUNK (256 * 1024)
/* A type-only scan reads this much first, and the rest of SNIFF_HEAD only when these bytes
 * do not settle the type (see head_settles): most documents are read once more whole when
 * they are packed, so every byte read here is overhead. */
#define SCAN_FIRST (8 * 1024)
/* A DICOM header that goes on past SNIFF_HEAD is read further, in steps of this, up to
 * DICOM_HEAD_MAX: only DICOM files, and only while the header goes on. */
#define DICOM_STEP (128 * 1024)

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
	unsigned char *head; /* SNIFF_HEAD bytes, grown up to DICOM_HEAD_MAX for a long DICOM header */
	size_t head_len, head_cap;
	int head_done;       /* a full scan keeps no more head bytes */
	unsigned char tail[SNIFF_TAIL];
	size_t tail_len;
	uint64_t size;
	uint64_t file_size;  /* from fstat: what the document is expected to hold */
	int decided;         /* whether a reader wants every byte has been asked */
	const char *relpath; /* the document's, for the indexes it may hold (see index_wants) */
	unsigned char *all;  /* every byte, for a reader (see wants_all), or NULL */
	size_t all_len, all_cap;
};

/* A DICOMDIR (the disc's index), an XDM download's METADATA.XML and the documents it lists
 * (their SHA-1 is compared with the metadata's) are read whole too: all are small. */
static int index_wants(const struct sniff_result *r, uint64_t size, const char *relpath)
{
	if (r->type == T_DICOMDIR)
		return size > 0 && size <= DICOMDIR_MAX_BYTES;
	enum xdm_role role = xdm_path_role(relpath);
	return size > 0 && size <= READER_MAX_BYTES && (role == XDM_METADATA || role == XDM_DOCUMENT);
}

static int wants_all(const struct sniff_result *r, uint64_t size, const char *relpath)
{
	return reader_wants(r, size) || index_wants(r, size, relpath);
}

/* Keep the whole document for its reader when one wants it: asked once, on the first bytes,
 * so a large file is never read twice and nothing is kept for the types no reader reads. */
static void keep_all(struct scan_state *st, const unsigned char *buf, size_t n)
{
	if (!st->decided) {
		struct sniff_result r;
		st->decided = 1;
		sniff(st->head, st->head_len < SNIFF_HEAD ? st->head_len : SNIFF_HEAD, NULL, 0,
		      st->file_size, &r);
		if (wants_all(&r, st->file_size, st->relpath)) {
			st->all_cap = (size_t)st->file_size;
			st->all = xmalloc(st->all_cap ? st->all_cap : 1);
		}
	}
	if (!st->all)
		return;
	if (n > st->all_cap - st->all_len) { /* it grew while read: too late to trust it */
		free(st->all);
		st->all = NULL;
		return;
	}
	memcpy(st->all + st->all_len, buf, n);
	st->all_len += n;
}

/* A DICOM header that ends exactly where the buffer ends cannot be told from one cut there
 * (dicom_read says DICOM_OK for both), so the header must also parse one byte shorter. */
static int dicom_header_complete(const unsigned char *head, size_t n)
{
	struct dicom_info *info = xmalloc(sizeof(*info));
	int done = dicom_read(head, n, info) != DICOM_TRUNCATED && dicom_read(head, n - 1, info) != DICOM_TRUNCATED;
	free(info);
	return done;
}

static int is_dicom_head(const unsigned char *head, size_t n)
{
	struct sniff_result r;
	sniff(head, n < SNIFF_HEAD ? n : SNIFF_HEAD, NULL, 0, UINT64_MAX, &r);
	return r.type == T_DICOM || r.type == T_DICOMDIR;
}

/* When the head is full and holds a DICOM header that goes on, makes room for up to `to`
 * bytes (at most DICOM_HEAD_MAX) and returns 1; else 0: the head is what sniffing needs. */
static int grow_dicom_head(struct scan_state *st, size_t to)
{
	if (st->head_cap >= DICOM_HEAD_MAX || !is_dicom_head(st->head, st->head_len) ||
	    dicom_header_complete(st->head, st->head_len))
		return 0;
	st->head_cap = to < DICOM_HEAD_MAX ? to : DICOM_HEAD_MAX;
	st->head = xrealloc(st->head, st->head_cap);
	return 1;
}

struct full_scan {
	struct scan_state *st;
	struct sha256 *md;
};

static int scan_chunk(void *arg, const unsigned char *buf, size_t n)
{
	struct full_scan *fs = arg;
	struct scan_state *st = fs->st;
	if (!st->head_done) {
		size_t take = n < st->head_cap - st->head_len ? n : st->head_cap - st->head_len;
		memcpy(st->head + st->head_len, buf, take);
		st->head_len += take;
		if (st->head_len == st->head_cap && !grow_dicom_head(st, DICOM_HEAD_MAX)) {
			st->head_done = 1;
		} else if (take < n) { /* the head just grew: keep the rest of this chunk too */
			size_t more = n - take < st->head_cap - st->head_len ? n - take : st->head_cap - st->head_len;
			memcpy(st->head + st->head_len, buf + take, more);
			st->head_len += more;
		}
	}
	keep_tail(st->tail, &st->tail_len, buf, n);
	keep_all(st, buf, n);
	st->size += (uint64_t)n;
	return sha256_update(fs->md, buf, n);
}

/* Full scan: every byte read once, hashed; the head and the tail kept for sniffing. */
static int scan_fd(int fd, struct scan_state *st, unsigned char *md)
{
	struct full_scan fs = { .st = st, .md = sha256_new() };
	int rc = -1;
	if (fs.md && fd_each_chunk(fd, READ_CHUNK, scan_chunk, &fs) == 0 && sha256_final(fs.md, md, NULL) == 0)
		rc = 0;
	sha256_free(fs.md);
	return rc;
}


/* True when sniffing (and the DICOM header reader) would give the same answer from the
 * first n bytes as from SNIFF_HEAD bytes, so the rest need not be read. Types known by a
 * signature at a fixed offset below n settle at once; PDFs settle when their compressed
 * streams show early; DICOM when its header ends inside the buffer. Everything else (text
 * and markup, ZIP-based documents, unknown bytes that might be a disc image with its
 * signature at SNIFF_ISO_OFFSET) reads the full head, as before. */
static int head_settles(const struct sniff_result *r, const unsigned char *head, size_t n, uint64_t size)
{
	switch (r->type) {
	case T_JPEG: case T_PNG: case T_GIF: case T_TIFF: case T_GZIP: case T_XZ: case T_ZSTD:
	case T_7Z: case T_RTF: case T_TAR: case T_ODT: case T_HEIC: case T_AVIF:
		return 1; /* BZIP2 is matched after the ISO signature, so it does not settle early */
	case T_PDF:
		return r->pdf_compressed && (r->pdf_has_eof || size > SNIFF_HEAD);
	case T_DICOM: case T_DICOMDIR:
		return n >= size || dicom_header_complete(head, n);
	default:
		return 0;
	}
}

/* Up to n bytes at off, but never past size (the file's size when it was opened): a read
 * that gets them all is not followed by one that finds the end. */
static ssize_t pread_upto(int fd, unsigned char *buf, size_t n, off_t off, uint64_t size)
{
	uint64_t left = size > (uint64_t)off ? size - (uint64_t)off : 0;
	return fd_pread_full(fd, buf, left < n ? (size_t)left : n, off);
}

/* Type-only scan: the head (adaptively, see head_settles) and the tail, no hash. A document
 * that fits in the head is read whole at once: one read instead of two or three (the head,
 * the tail, the rest of the head), and a reader that wants it has it all. */
static int scan_head(int fd, uint64_t size, struct scan_state *st)
{
	ssize_t n = pread_upto(fd, st->head, size <= SNIFF_HEAD ? SNIFF_HEAD : SCAN_FIRST, 0, size);
	if (n < 0)
		return -1;
	st->head_len = (size_t)n;
	st->size = size;
	if (size > st->head_len) {
		/* the last bytes, for the truncated-PDF check and the ZIP central directory */
		ssize_t t = pread_upto(fd, st->tail, SNIFF_TAIL, (off_t)(size > SNIFF_TAIL ? size - SNIFF_TAIL : 0), size);
		st->tail_len = t > 0 ? (size_t)t : 0;
	}
	if (st->head_len < SCAN_FIRST || size <= st->head_len)
		return 0;
	struct sniff_result r;
	sniff(st->head, st->head_len, st->tail_len ? st->tail : NULL, st->tail_len, size, &r);
	if (head_settles(&r, st->head, st->head_len, size))
		return 0;
	n = pread_upto(fd, st->head + st->head_len, SNIFF_HEAD - st->head_len, (off_t)st->head_len, size);
	if (n < 0)
		return -1;
	st->head_len += (size_t)n;
	while (size > st->head_len && grow_dicom_head(st, st->head_len + DICOM_STEP)) {
		n = pread_upto(fd, st->head + st->head_len, st->head_cap - st->head_len, (off_t)st->head_len, size);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		st->head_len += (size_t)n;
	}
	if (size <= st->head_len)
		st->tail_len = 0; /* the head holds it all, as a full-head scan would have it */
	return 0;
}

/* A type-only scan read the head: the rest of a document a reader wants, read once. */
static int read_rest(int fd, struct scan_state *st, const struct sniff_result *r)
{
	if (!wants_all(r, st->size, st->relpath) || st->tail_len == 0)
		return 0; /* no reader, or the head holds the whole document */
	st->all_cap = (size_t)st->size;
	st->all = xmalloc(st->all_cap);
	memcpy(st->all, st->head, st->head_len);
	ssize_t n = pread_upto(fd, st->all + st->head_len, st->all_cap - st->head_len, (off_t)st->head_len, st->size);
	if (n < 0 || (size_t)n != st->all_cap - st->head_len) {
		free(st->all);
		st->all = NULL;
		return n < 0 ? -1 : 0;
	}
	st->all_len = st->all_cap;
	return 0;
}

/* What the document says, when a reader finds anything: allocated only then. */
static void read_facts(struct document *d, const struct scan_state *st)
{
	const unsigned char *buf = st->all ? st->all : st->head;
	size_t len = st->all ? st->all_len : st->head_len;
	if (d->facts || (!st->all && (st->tail_len || !reader_wants(&d->sniff, d->size))))
		return; /* read already, or not whole: a reader never sees part of a document */
	struct doc_facts *f = xmalloc(sizeof(*f));
	if (reader_read(buf, len, &d->sniff, f))
		d->facts = f;
	else
		free(f);
}

/* A DICOMDIR's referenced files, kept on the document (rules/disc.c compares them). */
static struct doc_index *dicomdir_index(const unsigned char *buf, size_t len)
{
	struct dicomdir dd;
	enum dicom_status ds = dicomdir_read(buf, len, &dd);
	struct doc_index *x = xcalloc(1, sizeof(*x));
	x->damaged = ds != DICOM_OK || dd.truncated;
	x->refs = xcalloc(dd.n + 1, sizeof(*x->refs));
	for (size_t i = 0; i < dd.n; i++) {
		const struct dicomdir_record *r = &dd.v[i];
		if (r->inactive || !r->file_id[0])
			continue;
		x->refs[x->nrefs].file_id = xstrdup(r->file_id);
		x->refs[x->nrefs++].sop_uid = xstrdup(r->sop_instance_uid);
	}
	dicomdir_free(&dd);
	return x;
}

static struct doc_index *metadata_index(const unsigned char *buf, size_t len)
{
	struct xdm_metadata *md = xmalloc(sizeof(*md));
	struct doc_index *x = NULL;
	if (xdm_read_metadata(buf, len, md) == 0) {
		x = xcalloc(1, sizeof(*x));
		x->damaged = md->status != FACTS_READ || md->seen > md->ndocs;
		x->xdm = xcalloc(md->ndocs + 1, sizeof(*x->xdm));
		memcpy(x->xdm, md->docs, md->ndocs * sizeof(*x->xdm));
		x->nxdm = md->ndocs;
	}
	free(md);
	return x;
}

/* The index a document holds, from its whole bytes; NULL when it holds none. */
static struct doc_index *read_index(const struct document *d, const unsigned char *buf, size_t len)
{
	if (d->sniff.type == T_DICOMDIR)
		return dicomdir_index(buf, len);
	enum xdm_role role = xdm_path_role(d->relpath);
	if (role == XDM_METADATA)
		return metadata_index(buf, len);
	if (role != XDM_DOCUMENT)
		return NULL;
	struct doc_index *x = xcalloc(1, sizeof(*x));
	if (sha1_buf_hex(buf, len, x->sha1) != 0)
		x->sha1[0] = '\0';
	return x;
}

static void keep_index(struct document *d, const struct scan_state *st)
{
	const unsigned char *buf = st->all ? st->all : st->head;
	size_t len = st->all ? st->all_len : st->head_len;
	if (d->index || !index_wants(&d->sniff, d->size, d->relpath) || (uint64_t)len != d->size)
		return; /* read already, or not whole */
	d->index = read_index(d, buf, len);
}

int document_scan(struct document *d, int hash, struct problems *probs, struct dicom_info *dicom, int *has_dicom)
{
	int rc = RP_ESOURCE;
	struct scan_state *st = xcalloc(1, sizeof(*st));
	st->head = xmalloc(SNIFF_HEAD);
	st->head_cap = SNIFF_HEAD;
	unsigned char md[32];
	struct stat sb;
	*has_dicom = 0;
	int fd = open(d->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		problems_add_source_error(probs, P_UNREADABLE, d->source,
					  "%s cannot be opened (%s); check that the file exists and that you may read it",
					  d->source, strerror(errno));
		goto out;
	}
	st->file_size = (uint64_t)sb.st_size;
	st->relpath = d->relpath;
	st->decided = d->facts != NULL || d->index != NULL; /* scanned before: what it says is kept */
	if ((hash ? scan_fd(fd, st, md) : scan_head(fd, (uint64_t)sb.st_size, st)) < 0) {
		problems_add_source_error(probs, P_UNREADABLE, d->source,
					  "%s could not be read (%s); copy it again from the original",
					  d->source, strerror(errno));
		goto out;
	}
	d->size = st->size;
	if (d->archive_unchecked) { /* a walk left this to the scan: the same check, on these bytes */
		d->archive_unchecked = 0;
		d->archive = source_archive_detect_head(fd, (uint64_t)sb.st_size, st->head, st->head_len) != 0;
	}
	if (hash) {
		hex_encode(md, 32, d->sha256);
		d->hashed = 1;
	} else {
		size_t fp_len = st->head_len < SNIFF_HEAD ? st->head_len : SNIFF_HEAD;
		d->fingerprint = (uint32_t)libdeflate_crc32(libdeflate_crc32(0, st->head, fp_len),
							      st->tail, st->tail_len);
	}
	sniff(st->head, st->head_len < SNIFF_HEAD ? st->head_len : SNIFF_HEAD, st->tail_len ? st->tail : NULL,
	      st->tail_len, d->size, &d->sniff);
	if (d->sniff.type == T_DICOM || d->sniff.type == T_DICOMDIR) {
		enum dicom_status ds = dicom_read(st->head, st->head_len, dicom);
		*has_dicom = ds == DICOM_OK || ds == DICOM_TRUNCATED;
	}
	if (!hash && !d->facts && !d->index && read_rest(fd, st, &d->sniff) < 0) {
		problems_add_source_error(probs, P_UNREADABLE, d->source,
					  "%s could not be read (%s); copy it again from the original",
					  d->source, strerror(errno));
		goto out;
	}
	read_facts(d, st);
	keep_index(d, st);
	rc = RP_OK;
out:
	if (fd >= 0)
		close(fd);
	free(st->head);
	free(st->all);
	free(st);
	return rc;
}
