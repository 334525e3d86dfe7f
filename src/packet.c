/* packet.c: see packet.h. */
#include "packet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

struct tags_ctx {
	struct bag *bag;
	const struct job *job;
	struct collection *c;
	struct zip_item *payload;
};

static int make_tags(void *arg, struct zip_item *tags, size_t ntags, char *errbuf, size_t errlen)
{
	struct tags_ctx *t = arg;
	(void)errbuf, (void)errlen;
	for (size_t i = 0; i < t->bag->nfiles; i++) {
		struct document *d = t->bag->files[i].doc;
		memcpy(d->sha256, t->payload[i].sha256, sizeof(d->sha256));
		d->hashed = 1;
	}
	bag_make_tags(t->bag, t->job, &t->c->docs, &t->c->result, &t->c->probs);
	for (size_t i = 0; i < ntags; i++) {
		tags[i].data = (const unsigned char *)t->bag->tags[i].text;
		tags[i].len = t->bag->tags[i].len;
	}
	return RP_OK;
}

int packet_write(const char *zip_path, const struct job *job, struct collection *c,
		 const struct packet_opts *o, struct packet_info *info, char *errbuf, size_t errlen)
{
	struct bag bag;
	struct zip_item *payload = NULL, tags[BAG_NTAGS];
	int rc = bag_plan(&bag, job, &c->docs, o->name, o->when, o->allow_incomplete, errbuf, errlen);
	memset(tags, 0, sizeof(tags));
	if (rc)
		goto out;
	if (o->password)
		bag_neutralize(&bag, o->name);
	bag.questions = o->questions ? xstrdup(o->questions) : NULL;
	payload = xcalloc(bag.nfiles + 1, sizeof(*payload));
	memset(info, 0, sizeof(*info));
	for (size_t i = 0; i < bag.nfiles; i++) {
		struct document *d = bag.files[i].doc;
		payload[i].name = xasprintf("%s/%s", bag.name, bag.files[i].path);
		payload[i].path = d->path;
		payload[i].size = d->size;
		payload[i].store = store_document(d);
		info->bytes += d->size;
	}
	for (size_t i = 0; i < BAG_NTAGS; i++)
		tags[i].name = xasprintf("%s/%s", bag.name, bag.tags[i].name);
	struct tags_ctx tctx = { .bag = &bag, .job = job, .c = c, .payload = payload };
	struct zipout_opts zo = { .jobs = o->jobs, .level = o->level, .mtime = o->when,
				  .progress = o->progress, .progress_arg = o->progress_arg,
				  .make_tags = make_tags, .tags_arg = &tctx, .cancel = o->cancel,
				  .password = o->password, .sha256_out = info->sha256, .durable = o->durable };
	rc = zipout_write(zip_path, payload, bag.nfiles, tags, BAG_NTAGS, &zo, errbuf, errlen);
	info->files = bag.nfiles;
	info->name = xstrdup(bag.name);
out:
	for (size_t i = 0; payload && i < bag.nfiles; i++)
		free(payload[i].name);
	for (size_t i = 0; i < BAG_NTAGS; i++)
		free(tags[i].name);
	free(payload);
	bag_free(&bag);
	return rc;
}
