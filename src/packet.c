/* packet.c: see packet.h. */
#include "packet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "rp.h"
#include "util.h"

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

/* The tag files are made into files in the private workdir, not held in memory: for
 * thousands of documents packet.json alone is megabytes. zipout reads them back. The workdir
 * is made before the payload is written, so a TMPDIR that cannot be used fails at once. */
struct tags_ctx {
	struct bag *bag;
	const struct job *job;
	struct collection *c;
	char *path[BAG_NTAGS];  /* the files made, removed when the packet is written */
	int fd[BAG_NTAGS];
	int err;                /* errno of the first failure */
};

static int put_tag(void *arg, size_t tag, const char *p, size_t n)
{
	struct tags_ctx *t = arg;
	char err[256];
	if (t->fd[tag] < 0) {
		if (!t->path[tag] && !(t->path[tag] = workdir_newpath(&t->c->wd, t->bag->tags[tag].name, err, sizeof(err)))) {
			t->err = ENOENT; /* not reached: packet_write made the workdir */
			return -1;
		}
		t->fd[tag] = open(t->path[tag], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (t->fd[tag] < 0) {
			t->err = errno;
			return -1;
		}
	}
	if (fd_write_all(t->fd[tag], p, n) < 0) {
		t->err = errno;
		return -1;
	}
	return 0;
}

static int make_tags(void *arg, struct zip_item *tags, size_t ntags, char *errbuf, size_t errlen)
{
	struct tags_ctx *t = arg;
	struct bag_out out = { .put = put_tag, .arg = t };
	for (size_t i = 0; i < t->bag->nfiles; i++)
		t->bag->files[i].doc->hashed = 1; /* zipout put each one's SHA-256 in it */
	int rc = bag_make_tags(t->bag, t->job, &t->c->docs, &t->c->result, &t->c->probs, &out);
	for (size_t i = 0; i < ntags; i++) {
		if (t->fd[i] >= 0 && close(t->fd[i]) < 0 && !rc)
			t->err = errno, rc = -1;
		t->fd[i] = -1;
		tags[i].path = t->path[i]; /* NULL: the file is empty */
		tags[i].data = (const unsigned char *)"";
		tags[i].len = (size_t)t->bag->tags[i].len;
	}
	if (rc) {
		snprintf(errbuf, errlen, "cannot write the packet's tag files in %s: %s", t->c->wd.path,
			 strerror(t->err ? t->err : EIO));
		return RP_EOUTPUT;
	}
	return RP_OK;
}

int packet_write(const char *zip_path, const struct job *job, struct collection *c,
		 const struct packet_opts *o, struct packet_info *info, char *errbuf, size_t errlen)
{
	struct bag bag;
	struct zip_item *payload = NULL, tags[BAG_NTAGS];
	char *prefix = NULL;
	struct tags_ctx tctx = { .bag = &bag, .job = job, .c = c };
	int rc = bag_plan(&bag, job, &c->docs, o->name, o->when, o->allow_incomplete, errbuf, errlen);
	memset(tags, 0, sizeof(tags));
	for (size_t i = 0; i < BAG_NTAGS; i++)
		tctx.fd[i] = -1;
	if (rc)
		goto out;
	if ((rc = workdir_ensure(&c->wd, errbuf, errlen)))
		goto out;
	if (o->password)
		bag_neutralize(&bag, o->name);
	bag.questions = o->questions ? xstrdup(o->questions) : NULL;
	payload = xcalloc(bag.nfiles + 1, sizeof(*payload));
	memset(info, 0, sizeof(*info));
	for (size_t i = 0; i < bag.nfiles; i++) {
		struct document *d = bag.files[i].doc;
		payload[i].name = bag.files[i].path;
		payload[i].path = d->path;
		payload[i].sha256 = d->sha256;
		payload[i].size = d->size;
		payload[i].store = store_document(d);
		info->bytes += d->size;
	}
	for (size_t i = 0; i < BAG_NTAGS; i++)
		tags[i].name = bag.tags[i].name;
	prefix = xasprintf("%s/", bag.name);
	struct zipout_opts zo = { .jobs = o->jobs, .level = o->level, .mtime = o->when,
				  .progress = o->progress, .progress_arg = o->progress_arg,
				  .make_tags = make_tags, .tags_arg = &tctx, .cancel = o->cancel,
				  .password = o->password, .sha256_out = info->sha256, .durable = o->durable,
				  .prefix = prefix };
	rc = zipout_write(zip_path, payload, bag.nfiles, tags, BAG_NTAGS, &zo, errbuf, errlen);
	info->files = bag.nfiles;
	info->name = xstrdup(bag.name);
out:
	for (size_t i = 0; i < BAG_NTAGS; i++) {
		if (tctx.fd[i] >= 0)
			close(tctx.fd[i]);
		if (tctx.path[i])
			unlink(tctx.path[i]);
		free(tctx.path[i]);
	}
	free(payload);
	free(prefix);
	bag_free(&bag);
	return rc;
}
