/* progress_fetch.c: see progress_fetch.h. */
#include "progress_fetch.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define LINE_MAX_COLS 100
#define SHOWN_ITEMS 3

int progress_fetch_wanted(const struct job *job)
{
	if (job->progress == PROGRESS_NEVER || job->quiet)
		return 0;
	return job->progress == PROGRESS_ALWAYS || isatty(STDERR_FILENO);
}

void progress_fetch_print(void *arg, const struct fetch_status *st)
{
	(void)arg;
	if (st->finished) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		return;
	}
	char line[512];
	int n = snprintf(line, sizeof(line), "Downloading %zu of %zu", st->done + 1 > st->total ? st->total : st->done + 1,
			 st->total);
	for (size_t i = 0; i < st->nactive && i < SHOWN_ITEMS && n < (int)sizeof(line); i++) {
		const struct fetch_item *it = &st->active[i];
		char got[16];
		human_size(it->got, got, sizeof(got));
		if (it->size)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " | %.24s %d%%", it->name,
				      (int)(it->got * 100 / it->size));
		else
			n += snprintf(line + n, sizeof(line) - (size_t)n, " | %.24s %s", it->name, got);
	}
	if (st->nactive > SHOWN_ITEMS && n < (int)sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, " | +%zu more", st->nactive - SHOWN_ITEMS);
	fprintf(stderr, "\r%.*s\033[K", LINE_MAX_COLS, line);
	fflush(stderr);
}
