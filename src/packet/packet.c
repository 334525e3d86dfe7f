/* SPDX-License-Identifier: GPL-3.0-or-later */
/* packet.c: see packet.h. */
#include "packet/packet.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/dicomdir_write.h"
#include "sys/fdio.h"
#include "sys/outfile.h"
#include "sys/rp.h"
#include "sys/util.h"

#define DOS_EPOCH 315532800 /* 1980-01-01T00:00:00Z */

time_t packet_time(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && v >= 0)
			t = (time_t)v;
	}
	return t < DOS_EPOCH ? DOS_EPOCH : t;
}

static int store_document(const struct document *d)
{
	return doc_type_is_compressed(d->sniff.type) || (d->sniff.type == T_DICOM && d->sniff.dicom_compressed) ||
	       (d->sniff.type == T_PDF && d->sniff.pdf_compressed);
}

/* The tag files are made into files in the private workdir before the payload is written, not
 * held in memory: for thousands of documents packet.json alone is megabytes. The payload's
 * SHA-256 is not known then (it is taken as each file is compressed), so the tags carry a
 * stand-in of the same length, and each real one is written over it once known; the tag
 * files are hashed again at the end, for the tag manifest. The documents and the bag's file
 * list are released before the payload is written: a packet holds thousands of entries, and
 * libzip keeps every one of them until the end. zipout reads the tag files back. */
enum { MARK_MANIFEST, MARK_HTML, MARK_JSON, NMARKS };

struct tags_ctx {
	struct bag *bag;
	char *path[BAG_NTAGS];  /* the files made, removed when the packet is written */
	int fd[BAG_NTAGS];
	uint64_t (*marks)[NMARKS]; /* per payload file: where its SHA-256 goes, or UINT64_MAX */
	size_t nmarks;
	unsigned char *follows; /* per payload file, bit k: the next file's hash comes next in tag k */
	pthread_mutex_t mu;     /* for err: hashed() runs on zipout's workers */
	int err;                /* errno of the first failure */
	struct workdir *wd;
};

static const size_t mark_tag[NMARKS] = { BAG_TAG_MANIFEST, BAG_TAG_INDEX, BAG_TAG_JSON };

static void tags_fail(struct tags_ctx *t, int err)
{
	pthread_mutex_lock(&t->mu);
	if (!t->err)
		t->err = err ? err : EIO;
	pthread_mutex_unlock(&t->mu);
}

static int put_tag(void *arg, size_t tag, const char *p, size_t n)
{
	struct tags_ctx *t = arg;
	char err[256];
	if (t->fd[tag] < 0) {
		if (!t->path[tag] && !(t->path[tag] = workdir_newpath(t->wd, t->bag->tags[tag].name, err, sizeof(err)))) {
			tags_fail(t, ENOENT); /* not reached: packet_write made the workdir */
			return -1;
		}
		t->fd[tag] = open(t->path[tag], O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (t->fd[tag] < 0) {
			tags_fail(t, errno);
			return -1;
		}
	}
	if (fd_write_all(t->fd[tag], p, n) < 0) {
		tags_fail(t, errno);
		return -1;
	}
	return 0;
}

static void mark_tag_cb(void *arg, size_t tag, size_t file, uint64_t offset)
{
	struct tags_ctx *t = arg;
	for (size_t k = 0; k < NMARKS; k++) {
		if (mark_tag[k] != tag)
			continue;
		if (t->marks[file][k] != UINT64_MAX)
			tags_fail(t, EINVAL); /* one place a file: a second would keep its stand-in */
		t->marks[file][k] = offset;
	}
}

/* A payload file's SHA-256, known now: over its stand-ins. */
static void hashed(void *arg, size_t index, const char *hex)
{
	struct tags_ctx *t = arg;
	for (size_t k = 0; k < NMARKS; k++) {
		uint64_t off = t->marks[index][k];
		if (off != UINT64_MAX && pwrite(t->fd[mark_tag[k]], hex, 64, (off_t)off) != 64)
			tags_fail(t, errno);
	}
}

/* The hashes of n consecutive payload files from first. Where a tag holds them one after
 * another (the manifest, and packet.json and index.html where documents sort as files do),
 * the stretch of the tag file from the first to the last is read, the hashes put in and
 * written back: two system calls for a batch instead of one a file. No other file's hash
 * lies in the stretch, so workers writing other batches at the same time never touch it. */
#define RUN_SPAN (64u << 10)

static void hashed_run(void *arg, size_t first, size_t n, const char (*hex)[65])
{
	struct tags_ctx *t = arg;
	unsigned char buf[RUN_SPAN];
	for (size_t k = 0; k < NMARKS; k++) {
		uint64_t lo = t->marks[first][k], hi = t->marks[first + n - 1][k];
		int fd = t->fd[mark_tag[k]], together = n > 1 && lo != UINT64_MAX && hi != UINT64_MAX;
		for (size_t i = first; together && i + 1 < first + n; i++)
			together = (t->follows[i] >> k) & 1;
		if (!together || hi - lo + 64 > RUN_SPAN) {
			for (size_t i = 0; i < n; i++) {
				uint64_t off = t->marks[first + i][k];
				if (off != UINT64_MAX && pwrite(fd, hex[i], 64, (off_t)off) != 64)
					tags_fail(t, errno);
			}
			continue;
		}
		size_t span = (size_t)(hi - lo) + 64;
		if (pread(fd, buf, span, (off_t)lo) != (ssize_t)span) {
			tags_fail(t, errno);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			memcpy(buf + (t->marks[first + i][k] - lo), hex[i], 64);
		if (pwrite(fd, buf, span, (off_t)lo) != (ssize_t)span)
			tags_fail(t, errno);
	}
}

static int cmp_mark(const void *a, const void *b, void *arg)
{
	const uint64_t *x = arg;
	uint64_t l = x[*(const size_t *)a * NMARKS], r = x[*(const size_t *)b * NMARKS];
	return l < r ? -1 : l > r;
}

/* Which files' hashes come straight after the previous file's in each tag (t->follows). */
static void find_runs(struct tags_ctx *t)
{
	size_t *ord = xmalloc((t->nmarks + 1) * sizeof(*ord));
	t->follows = xcalloc(t->nmarks + 1, 1);
	for (size_t k = 0; k < NMARKS; k++) {
		size_t m = 0;
		for (size_t i = 0; i < t->nmarks; i++)
			if (t->marks[i][k] != UINT64_MAX)
				ord[m++] = i;
		qsort_r(ord, m, sizeof(*ord), cmp_mark, &t->marks[0][k]);
		for (size_t j = 1; j < m; j++)
			if (ord[j] == ord[j - 1] + 1)
				t->follows[ord[j - 1]] |= (unsigned char)(1u << k);
	}
	free(ord);
}

/* Once every payload file is hashed: the tag files that carried stand-ins are hashed again
 * (the others' hashes, taken as they were made, stand), then the tag manifest is made. */
static int finish_tags(void *arg, struct zip_item *tags, size_t ntags, char *errbuf, size_t errlen)
{
	struct tags_ctx *t = arg;
	struct bag_out out = { .put = put_tag, .arg = t };
	int rc = RP_OK;
	for (size_t k = 0; k < NMARKS && !rc && !t->err; k++) {
		size_t tag = mark_tag[k];
		if (t->path[tag]) /* NULL: empty, no stand-in in it */
			rc = outfile_sha256(t->path[tag], t->bag->tags[tag].sha256, errbuf, errlen);
	}
	if (!rc && (t->err || bag_make_tagmanifest(t->bag, &out))) {
		snprintf(errbuf, errlen, "cannot write the packet's tag files in %s: %s", t->wd->path,
			 strerror(t->err ? t->err : EIO));
		rc = RP_EOUTPUT;
	}
	for (size_t i = 0; i < ntags; i++) {
		tags[i].path = t->path[i]; /* NULL: the file is empty */
		tags[i].data = (const unsigned char *)"";
		tags[i].len = (size_t)t->bag->tags[i].len;
	}
	return rc;
}

/* The payload's entries: names (in the bag) and paths copied into two blocks, as the documents
 * and the bag's file list go before the payload is written; zipout frees the names once
 * libzip has its own copies (zipout_opts.names_block). */
static struct zip_item *payload_items(const struct bag *bag, char **names, char **paths, uint64_t *bytes)
{
	size_t nlen = 1, plen = 1;
	for (size_t i = 0; i < bag->nfiles; i++) {
		nlen += strlen(bag->files[i].path) + 1;
		plen += strlen(bag->files[i].doc->path) + 1;
	}
	struct zip_item *payload = xcalloc(bag->nfiles + 1, sizeof(*payload));
	char *n = *names = xmalloc(nlen), *p = *paths = xmalloc(plen);
	for (size_t i = 0; i < bag->nfiles; i++) {
		const struct document *d = bag->files[i].doc;
		size_t ln = strlen(bag->files[i].path) + 1, lp = strlen(d->path) + 1;
		payload[i].name = memcpy(n, bag->files[i].path, ln);
		payload[i].path = memcpy(p, d->path, lp);
		n += ln, p += lp;
		payload[i].size = d->size;
		payload[i].store = store_document(d);
		*bytes += d->size;
	}
	return payload;
}

static int make_tags(struct tags_ctx *t, const struct packet_input *in, char *errbuf, size_t errlen)
{
	struct bag_out out = { .put = put_tag, .mark = mark_tag_cb, .arg = t };
	t->marks = xmalloc((t->bag->nfiles + 1) * sizeof(*t->marks));
	t->nmarks = t->bag->nfiles;
	for (size_t i = 0; i < t->bag->nfiles; i++) {
		struct document *d = t->bag->files[i].doc;
		memset(d->sha256, '0', 64); /* a stand-in, written over as the file is packed */
		d->sha256[64] = '\0';
		d->hashed = 1;
		for (size_t k = 0; k < NMARKS; k++)
			t->marks[i][k] = UINT64_MAX;
	}
	if (bag_make_tags(t->bag, in->pt, in->m, in->docs, in->res, in->probs, &out) || t->err) {
		snprintf(errbuf, errlen, "cannot write the packet's tag files in %s: %s", in->wd->path,
			 strerror(t->err ? t->err : EIO));
		return RP_EOUTPUT;
	}
	find_runs(t);
	return RP_OK;
}

int packet_write(const char *zip_path, const struct packet_input *in, const struct packet_opts *o,
		 struct packet_info *info, char *errbuf, size_t errlen)
{
	struct bag bag = { 0 };
	struct zip_item *payload = NULL, tags[BAG_NTAGS];
	char *prefix = NULL, *names = NULL, *paths = NULL;
	struct tags_ctx tctx = { .bag = &bag, .wd = in->wd };
	struct dicomdir_loose loose = { 0 };
	size_t nfiles = 0;
	int rc = workdir_ensure(in->wd, errbuf, errlen);
	if (!rc) /* loose DICOM files get a DICOMDIR, planned with the rest */
		rc = dicomdir_loose_add(in->docs, in->wd, &loose, errbuf, errlen);
	if (!rc)
		rc = bag_plan(&bag, in->pt, in->m, in->docs, o->name, o->when, o->allow_incomplete, errbuf, errlen);
	memset(tags, 0, sizeof(tags));
	memset(info, 0, sizeof(*info));
	pthread_mutex_init(&tctx.mu, NULL);
	for (size_t i = 0; i < BAG_NTAGS; i++)
		tctx.fd[i] = -1;
	if (rc)
		goto out;
	if (o->password)
		bag_neutralize(&bag, o->name);
	dicomdir_loose_place(&bag, in->docs, &loose);
	bag.questions = o->questions ? xstrdup(o->questions) : NULL;
	if ((rc = make_tags(&tctx, in, errbuf, errlen)))
		goto out;
	payload = payload_items(&bag, &names, &paths, &info->bytes);
	nfiles = bag.nfiles;
	bag_release_files(&bag);
	doclist_free(in->docs);
	for (size_t i = 0; i < BAG_NTAGS; i++)
		tags[i].name = bag.tags[i].name;
	prefix = xasprintf("%s/", bag.name);
	struct zipout_opts zo = { .jobs = o->jobs, .level = o->level, .mtime = o->when,
				  .progress = o->progress, .progress_arg = o->progress_arg,
				  .make_tags = finish_tags, .tags_arg = &tctx, .hashed = hashed, .hashed_run = hashed_run, .hashed_arg = &tctx,
				  .cancel = o->cancel, .password = o->password, .sha256_out = info->sha256,
				  .durable = o->durable, .prefix = prefix, .names_block = names };
	names = NULL; /* zipout's to free */
	rc = zipout_write(zip_path, payload, nfiles, tags, BAG_NTAGS, &zo, errbuf, errlen);
	info->files = nfiles;
	info->name = xstrdup(bag.name);
out:
	for (size_t i = 0; i < BAG_NTAGS; i++) {
		if (tctx.fd[i] >= 0)
			close(tctx.fd[i]);
		if (tctx.path[i])
			unlink(tctx.path[i]);
		free(tctx.path[i]);
	}
	pthread_mutex_destroy(&tctx.mu);
	free(tctx.marks);
	free(tctx.follows);
	dicomdir_loose_free(&loose);
	free(payload);
	free(names);
	free(paths);
	free(prefix);
	bag_free(&bag);
	return rc;
}
