/* collect.c: see collect.h. */
#include "collect.h"

#include <string.h>

#include "classify.h"
#include "progress.h"
#include "rp.h"
#include "source.h"
#include "util.h"

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
		if ((same_prev || same_next) && document_scan(by[i], 1, &c->probs) != RP_OK)
			by[i]->excluded = 1;
	}
	free(by);
}

int collect_run(const struct job *job, struct collection *c, int hash)
{
	struct progress prog;
	progress_init(&prog, job->progress, job->quiet);
	struct gather g = { .job = job, .wd = &c->wd, .docs = &c->docs, .probs = &c->probs,
			    .fetch_progress = prog.enabled ? progress_fetch : NULL, .progress_arg = &prog };
	int rc = sources_gather(&g);
	progress_done(&prog);
	c->skipped = g.skipped;
	for (size_t i = 0; i < c->docs.n; i++) {
		struct document *d = &c->docs.v[i];
		if (document_scan(d, hash, &c->probs) != RP_OK)
			d->excluded = 1;
	}
	if (!hash)
		hash_possible_duplicates(c);
	classify_all(&c->docs, job->manifest);
	int crc = check_run(job, &c->docs, &c->probs, &c->result);
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
