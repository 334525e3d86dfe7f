/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collect.c: see collect.h. */
#include "cli/collect.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"
#include "rules/classify.h"
#include "sources/scan.h"
#include "sources/source.h"
#include "sys/rp.h"
#include "sys/util.h"

#include <stdlib.h>

static int cmp_fingerprint(const void *a, const void *b)
{
	const struct document *const *x = a, *const *y = b;
	if ((*x)->size != (*y)->size)
		return (*x)->size < (*y)->size ? -1 : 1;
	if ((*x)->fingerprint != (*y)->fingerprint)
		return (*x)->fingerprint < (*y)->fingerprint ? -1 : 1;
	return (*x < *y) ? -1 : (*x > *y);
}

/* Without hashing every document (build hashes while compressing), hash only those that
 * could be duplicates: same size and same head and tail. Usually none. */
static void hash_possible_duplicates(struct collection *c)
{
	struct document **by = xcalloc(c->docs.n + 1, sizeof(*by));
	size_t n = 0;
	for (size_t i = 0; i < c->docs.n; i++)
		if (!c->docs.v[i].excluded && c->docs.v[i].size > 0)
			by[n++] = &c->docs.v[i];
	qsort(by, n, sizeof(*by), cmp_fingerprint);
	for (size_t i = 0; i < n; i++) {
		int same_prev = i > 0 && by[i - 1]->size == by[i]->size &&
				by[i - 1]->fingerprint == by[i]->fingerprint;
		int same_next = i + 1 < n && by[i + 1]->size == by[i]->size &&
				by[i + 1]->fingerprint == by[i]->fingerprint;
		if (!(same_prev || same_next))
			continue;
		struct dicom_info dicom;
		int has_dicom;
		if (document_scan(by[i], 1, &c->probs, &dicom, &has_dicom) != RP_OK)
			by[i]->excluded = 1;
		else if (has_dicom)
			document_set_dicom(&c->docs, by[i], &dicom);
		else
			by[i]->dicom = NULL, by[i]->sop_instance_uid = NULL;
	}
	free(by);
}

/* Documents are scanned on up to job->jobs threads; each keeps its own problems, merged
 * afterwards in document order, so the report reads the same at any -j. */
struct scan_pool {
	pthread_mutex_t mu;
	struct doclist *docs;
	struct problems *probs; /* one list per document */
	size_t next;
	int hash;
	struct progress *prog; /* "Reading: ..." on a terminal */
	size_t done;
	uint64_t bytes, total_bytes;
};

static void *scan_worker(void *arg)
{
	struct scan_pool *sp = arg;
	for (;;) {
		pthread_mutex_lock(&sp->mu);
		size_t i = sp->next < sp->docs->n ? sp->next++ : SIZE_MAX;
		pthread_mutex_unlock(&sp->mu);
		if (i == SIZE_MAX)
			return NULL;
		struct document *d = &sp->docs->v[i];
		struct dicom_info dicom;
		int has_dicom;
		if (document_scan(d, sp->hash, &sp->probs[i], &dicom, &has_dicom) != RP_OK)
			d->excluded = 1;
		pthread_mutex_lock(&sp->mu); /* the list's DICOM field sets and the line are shared */
		if (has_dicom)
			document_set_dicom(sp->docs, d, &dicom);
		sp->done++;
		sp->bytes += d->size;
		progress_items(sp->prog, "Reading", sp->done, sp->docs->n, sp->bytes, sp->total_bytes);
		pthread_mutex_unlock(&sp->mu);
	}
}

static int scan_threads(const struct job *job, size_t ndocs)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	long n = job->jobs > 0 ? job->jobs : cores < 1 ? 1 : cores;
	/* a few documents are not worth a thread each */
	if ((size_t)n > ndocs / 8 + 1)
		n = (long)(ndocs / 8 + 1);
	return n > 64 ? 64 : (int)n;
}

static void scan_all(const struct job *job, struct collection *c, int hash)
{
	struct progress prog;
	struct scan_pool sp = { .docs = &c->docs, .hash = hash, .prog = &prog };
	progress_init(&prog, job->progress, job->quiet);
	for (size_t i = 0; i < c->docs.n; i++)
		sp.total_bytes += c->docs.v[i].size;
	pthread_t tids[64];
	int nt = scan_threads(job, c->docs.n), started = 0;
	sp.probs = xcalloc(c->docs.n + 1, sizeof(*sp.probs));
	pthread_mutex_init(&sp.mu, NULL);
	for (int t = 1; t < nt; t++)
		if (pthread_create(&tids[started], NULL, scan_worker, &sp) == 0)
			started++;
	scan_worker(&sp); /* this thread works too, so no thread is no failure */
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_mutex_destroy(&sp.mu);
	progress_done(&prog);
	for (size_t i = 0; i < c->docs.n; i++) {
		struct problems *p = &sp.probs[i];
		for (size_t k = 0; k < p->n; k++) {
			grow(&c->probs.v, &c->probs.cap, c->probs.n + 1, sizeof(*c->probs.v));
			c->probs.v[c->probs.n++] = p->v[k]; /* moved: the strings change owner */
		}
		free(p->v);
	}
	free(sp.probs);
}

int collect_run(const struct job *job, struct collection *c, int hash)
{
	struct progress prog;
	progress_init(&prog, job->progress, job->quiet);
	struct gather g = { .fetch = &job->fetch, .wd = &c->wd, .docs = &c->docs, .probs = &c->probs,
			    .fetch_progress = prog.enabled ? progress_fetch : NULL, .progress_arg = &prog };
	int rc = sources_gather(&g);
	progress_done(&prog);
	c->skipped = g.skipped;
	scan_all(job, c, hash);
	if (!hash)
		hash_possible_duplicates(c);
	classify_all(&c->docs, job->manifest, &c->probs);
	int crc = check_run(&job->patient, job->manifest, &c->docs, &c->probs, &c->result);
	return rp_worst(rc == RP_EOUTPUT ? RP_EOUTPUT : RP_OK, crc);
}

void collection_free(struct collection *c)
{
	doclist_free(&c->docs);
	problems_free(&c->probs);
	check_result_free(&c->result);
	workdir_remove(&c->wd);
	strlist_free(&c->skipped);
}
