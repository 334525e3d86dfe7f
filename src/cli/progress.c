/* progress.c: see progress.h. */
#include "cli/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "sys/util.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, enum progress_mode mode, int quiet)
{
	p->enabled = mode == PROGRESS_ALWAYS || (mode == PROGRESS_AUTO && !quiet && isatty(STDERR_FILENO));
	p->start = p->last = now();
	p->shown = 0;
}

void progress_zip(void *arg, const struct zipout_progress *z)
{
	struct progress *p = arg;
	double t = now();
	int last = z->items_done == z->items_total;
	if (!p->enabled || (!last && t - p->last < 0.1))
		return;
	p->last = t;
	double el = t - p->start, rate = el > 0 ? (double)z->bytes_done / el : 0;
	char done[32], total[32], rs[32], left[32] = "";
	if (rate > 0 && z->bytes_done < z->bytes_total)
		snprintf(left, sizeof(left), ", %.0f s left", (double)(z->bytes_total - z->bytes_done) / rate);
	fprintf(stderr, "\rPacking: %zu/%zu documents, %s of %s, %s/s%s\033[K", z->items_done, z->items_total,
		human_size(z->bytes_done, done, sizeof(done)), human_size(z->bytes_total, total, sizeof(total)),
		human_size((uint64_t)rate, rs, sizeof(rs)), left);
	p->shown = 1;
}

#define FETCH_SHOWN 3

void progress_fetch(void *arg, const struct fetch_status *st)
{
	struct progress *p = arg;
	if (!p->enabled)
		return;
	if (st->finished) {
		progress_done(p);
		return;
	}
	char line[400];
	size_t cur = st->done < st->total ? st->done + 1 : st->total;
	int n = snprintf(line, sizeof(line), "Downloading %zu of %zu", cur, st->total);
	for (size_t i = 0; i < st->nactive && i < FETCH_SHOWN && n > 0 && (size_t)n < sizeof(line); i++) {
		const struct fetch_item *it = &st->active[i];
		char got[32];
		if (it->size)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " | %.24s %d%%", it->name,
				      (int)(it->got * 100 / it->size));
		else
			n += snprintf(line + n, sizeof(line) - (size_t)n, " | %.24s %s", it->name,
				      human_size(it->got, got, sizeof(got)));
	}
	if (st->nactive > FETCH_SHOWN && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, " | +%zu more", st->nactive - FETCH_SHOWN);
	fprintf(stderr, "\r%.100s\033[K", line);
	p->shown = 1;
}

void progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
