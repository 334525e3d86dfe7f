/* collect.c: see collect.h. */
#include "collect.h"

#include <string.h>

#include "classify.h"
#include "progress_fetch.h"
#include "rp.h"
#include "source.h"

int collect_run(const struct job *job, struct collection *c, int hash)
{
	struct gather g = { .job = job, .wd = &c->wd, .docs = &c->docs, .probs = &c->probs };
	if (progress_fetch_wanted(job))
		g.fetch_progress = progress_fetch_print;
	int rc = sources_gather(&g);
	c->skipped = g.skipped;
	for (size_t i = 0; i < c->docs.n; i++) {
		struct document *d = &c->docs.v[i];
		if (document_scan(d, hash, &c->probs) != RP_OK)
			d->excluded = 1;
	}
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
