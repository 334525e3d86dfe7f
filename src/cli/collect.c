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
 * afterwards in document order, so the report reads the same at any -j. A thread takes up to
 * SCAN_BATCH documents at a time and counts them on the progress line together: for 10,000
 * small files, taking and reporting each one met the other thread at the lock thousands of
 * times, and each time one of them went to sleep. */
#define SCAN_BATCH 16

struct scan_pool {
	pthread_mutex_t mu;
	struct doclist *docs;
	const size_t *idx;      /* the documents to scan, or NULL: all of them */
	size_t count;           /* how many */
	struct problems *probs; /* one list per document of the list */
	size_t next;
	int hash;
	struct progress *prog; /* "Reading: ..." on a terminal */
	size_t done;
	uint64_t bytes, total_bytes;
};

static size_t pool_doc(const struct scan_pool *sp, size_t k)
{
	return sp->idx ? sp->idx[k] : k;
}

static void *scan_worker(void *arg)
{
	struct scan_pool *sp = arg;
	struct dicom_info *dicom = xmalloc(sizeof(*dicom));
	for (;;) {
		pthread_mutex_lock(&sp->mu);
		size_t first = sp->next, n = sp->count - first;
		/* the last documents go one by one, so no thread is left alone with a batch */
		if (n > SCAN_BATCH)
			n = SCAN_BATCH;
		if (n > 1 && sp->count - first < 4 * SCAN_BATCH)
			n = 1;
		sp->next += n;
		pthread_mutex_unlock(&sp->mu);
		if (n == 0)
			break;
		uint64_t bytes = 0;
		for (size_t k = 0; k < n; k++) {
			size_t i = pool_doc(sp, first + k);
			struct document *d = &sp->docs->v[i];
			int has_dicom;
			if (document_scan(d, sp->hash, &sp->probs[i], dicom, &has_dicom) != RP_OK)
				d->excluded = 1;
			bytes += d->size;
			if (has_dicom) { /* the list's DICOM field sets are shared; held briefly */
				pthread_mutex_lock(&sp->mu);
				document_set_dicom(sp->docs, d, dicom);
				pthread_mutex_unlock(&sp->mu);
			}
		}
		pthread_mutex_lock(&sp->mu); /* the progress line is shared */
		sp->done += n;
		sp->bytes += bytes;
		progress_items(sp->prog, "Reading", sp->done, sp->count, sp->bytes, sp->total_bytes);
		pthread_mutex_unlock(&sp->mu);
	}
	free(dicom);
	return NULL;
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

/* Scan the count documents idx names (NULL: every document); each one's problems go in
 * probs[its index]. */
static void scan_some(const struct job *job, struct collection *c, int hash, const size_t *idx, size_t count,
		      struct problems *probs)
{
	struct progress prog;
	struct scan_pool sp = { .docs = &c->docs, .idx = idx, .count = count, .hash = hash, .prog = &prog,
				.probs = probs };
	progress_init(&prog, job->progress, job->quiet);
	for (size_t k = 0; k < count; k++)
		sp.total_bytes += c->docs.v[pool_doc(&sp, k)].size;
	pthread_t tids[64];
	int nt = scan_threads(job, count), started = 0;
	pthread_mutex_init(&sp.mu, NULL);
	for (int t = 1; t < nt; t++)
		if (pthread_create(&tids[started], NULL, scan_worker, &sp) == 0)
			started++;
	scan_worker(&sp); /* this thread works too, so no thread is no failure */
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_mutex_destroy(&sp.mu);
	progress_done(&prog);
}

/* Move problems from[*at, to) to the end of out. */
static void move_problems(struct problems *out, struct problems *from, size_t *at, size_t to)
{
	for (; *at < to && *at < from->n; (*at)++) {
		grow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = from->v[*at]; /* moved: the strings change owner */
	}
}

static void move_names(struct strlist *out, struct strlist *from, size_t *at, size_t to)
{
	for (; *at < to && *at < from->n; (*at)++)
		strlist_add_owned(out, from->v[*at]);
}

/* The walk left the archive check to the scan (archives_later): each archive it found is
 * expanded now, in its place, so the documents, problems and skipped files come in the
 * order they had when the walk expanded archives as it went; the new documents are scanned.
 * probs (one list per document) follows the documents. Returns the worst RP_E* code. */
static int expand_found_archives(const struct job *job, struct collection *c, struct gather *g, int hash,
				 struct problems **probs)
{
	size_t oldn = c->docs.n, found = 0;
	for (size_t i = 0; i < oldn; i++)
		found += c->docs.v[i].archive;
	if (!found)
		return RP_OK;
	struct document *old = c->docs.v;
	struct problems *oldp = *probs, *newp = NULL, gathered = c->probs;
	struct strlist skipped = g->skipped;
	size_t newcap = 0, gi = 0, si = 0, m = 0, *scan = NULL, nscan = 0, scancap = 0, f = 0;
	int rc = RP_OK, held = 0; /* held: folder f holds a record, or an archive in it failed */
	c->docs.v = NULL, c->docs.n = c->docs.cap = 0;
	memset(&c->probs, 0, sizeof(c->probs));
	memset(&g->skipped, 0, sizeof(g->skipped));
	g->docs = &c->docs, g->probs = &c->probs;
	for (size_t i = 0; i < oldn; i++) {
		struct document *d = &old[i];
		while (f < g->nfolders && g->folders[f].end <= i)
			f++;
		if (f < g->nfolders && g->folders[f].begin == i)
			held = 0;
		if (!d->archive) {
			grow(&c->docs.v, &c->docs.cap, c->docs.n + 1, sizeof(*c->docs.v));
			c->docs.v[c->docs.n++] = *d;
			grow(&newp, &newcap, c->docs.n, sizeof(*newp));
			newp[c->docs.n - 1] = oldp[i];
			held = 1;
		} else {
			while (m + 1 < g->nmarks && g->marks[m + 1].doc <= i)
				m++;
			move_problems(&c->probs, &gathered, &gi, g->marks[m].probs);
			move_names(&g->skipped, &skipped, &si, g->marks[m].skipped);
			size_t start = c->docs.n;
			int arc = source_gather_archive(g, d);
			rc = rp_worst(rc, arc);
			held |= arc != RP_OK || c->docs.n > start;
			grow(&newp, &newcap, c->docs.n + 1, sizeof(*newp));
			for (size_t k = start; k < c->docs.n; k++) {
				memset(&newp[k], 0, sizeof(newp[k]));
				grow(&scan, &scancap, nscan + 1, sizeof(*scan));
				scan[nscan++] = k;
			}
			problems_free(&oldp[i]);
			free(d->source); /* path and relpath too */
			free(d->facts);
			doc_index_free(d->index);
		}
		if (f < g->nfolders && g->folders[f].end == i + 1 && !held) {
			/* every file of the folder was an archive, and they held nothing */
			move_problems(&c->probs, &gathered, &gi, g->folders[f].probs);
			move_names(&g->skipped, &skipped, &si, g->folders[f].skipped);
			source_dir_empty(g, g->folders[f].spec);
		}
	}
	move_problems(&c->probs, &gathered, &gi, SIZE_MAX);
	move_names(&g->skipped, &skipped, &si, SIZE_MAX);
	free(gathered.v);
	free(skipped.v);
	free(old);
	free(oldp);
	grow(&newp, &newcap, c->docs.n + 1, sizeof(*newp));
	*probs = newp;
	if (nscan)
		scan_some(job, c, hash, scan, nscan, newp);
	free(scan);
	return rc;
}

int collect_run(const struct job *job, struct collection *c, int hash)
{
	struct progress prog;
	progress_init(&prog, job->progress, job->quiet);
	struct gather g = { .fetch = &job->fetch, .wd = &c->wd, .docs = &c->docs, .probs = &c->probs,
			    .fetch_progress = prog.enabled ? progress_fetch : NULL, .progress_arg = &prog,
			    /* a scan that hashes reads all of an archive: better to know it first */
			    .archives_later = !hash };
	int rc = sources_gather(&g);
	progress_done(&prog);
	struct problems *probs = xcalloc(c->docs.n + 1, sizeof(*probs));
	scan_some(job, c, hash, NULL, c->docs.n, probs);
	rc = rp_worst(rc, expand_found_archives(job, c, &g, hash, &probs));
	c->skipped = g.skipped;
	free(g.marks);
	free(g.folders);
	for (size_t i = 0; i < c->docs.n; i++) { /* in document order, at any -j */
		size_t at = 0;
		move_problems(&c->probs, &probs[i], &at, SIZE_MAX);
		free(probs[i].v);
	}
	free(probs);
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
