/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source.c: the source dispatcher: the table of kinds, each SOURCE string handed to the
 * first kind that claims it; and what to fetch (struct fetch_opts). */
#include "sources/source.h"

#include <stdlib.h>
#include <string.h>

#include "sources/source_archive.h"
#include "sys/rp.h"
#include "sys/util.h"

/* Kinds that claim a SOURCE string, tried in order. */
static const struct source_kind *const kinds[] = {
	&source_stdin, &source_url, &source_dir, &source_file,
};

/* Archives and disc images, which claim a file by its content wherever it is found: a file
 * named on the command line, in a folder, downloaded or inside another archive. */
static const struct source_kind source_archive = {
	.name = "archive", .claims_file = source_archive_detect, .gather_file = source_archive_gather,
};
static const struct source_kind *const by_content[] = { &source_archive, NULL };

int sources_gather(struct gather *g)
{
	g->by_content = by_content;
	int worst = source_url_fetch_all(g);
	for (size_t i = 0; i < g->fetch->nsrcs; i++) {
		const struct srcspec *s = &g->fetch->srcs[i];
		const struct source_kind *k = NULL;
		for (size_t j = 0; j < sizeof(kinds) / sizeof(kinds[0]) && !k; j++)
			if (kinds[j]->claims(s->spec))
				k = kinds[j];
		if (!k) {
			problems_add_source_error(g->probs, P_UNREADABLE, s->spec,
						  "%s: no such file or folder; check the spelling and that the disc or drive is connected",
						  s->spec);
			worst = rp_worst(worst, RP_ESOURCE);
			continue;
		}
		worst = rp_worst(worst, k->gather(g, s));
	}
	source_url_free(g);
	return worst;
}

int source_gather_archive(struct gather *g, const struct document *d)
{
	return source_archive.gather_file(g, d->path, d->relpath, d->source, d->category);
}

/* ---- what to fetch ---- */

void fetch_opts_init(struct fetch_opts *f)
{
	memset(f, 0, sizeof(*f));
	f->max_size = 4ull << 30;
	f->max_expand = 16ull << 30;
	f->retries = 3;
	f->timeout = 60;
	f->min_speed = 1024;
	f->deadline = 3600;
	f->parallel = 6;
}

void fetch_opts_add(struct fetch_opts *f, const char *category, const char *spec)
{
	grow(&f->srcs, &f->srccap, f->nsrcs + 1, sizeof(*f->srcs));
	f->srcs[f->nsrcs].category = category ? xstrdup(category) : NULL;
	f->srcs[f->nsrcs].spec = xstrdup(spec);
	f->nsrcs++;
}

void fetch_opts_free(struct fetch_opts *f)
{
	for (size_t i = 0; i < f->nsrcs; i++) {
		free(f->srcs[i].category);
		free(f->srcs[i].spec);
	}
	free(f->srcs);
	f->srcs = NULL;
	f->nsrcs = f->srccap = 0;
}
