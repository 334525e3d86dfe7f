/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.c: see progress.h. */
#include "cli/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "sys/cleanup.h"
#include "sys/util.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The terminal's columns; COLUMNS, then 80, when stderr is not one. */
static int terminal_width(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *env = getenv("COLUMNS");
	int cols = env ? atoi(env) : 0;
	return cols > 0 && cols < 10000 ? cols : 80;
}

void progress_init(struct progress *p, enum progress_mode mode, int quiet)
{
	p->enabled = mode == PROGRESS_ALWAYS || (mode == PROGRESS_AUTO && !quiet && isatty(STDERR_FILENO));
	p->start = p->last = now();
	p->shown = 0;
	p->width = 80;
	if (p->enabled) {
		cleanup_watch_resize();
		p->width = terminal_width();
	}
}

size_t progress_fit(const char *line, int max_cols)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0;
	int cols = 0;
	while (s[i]) {
		size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 : (s[i] & 0xf0) == 0xe0 ? 3 : 4;
		wchar_t wc = s[i] & (len == 1 ? 0x7f : 0x3f >> (len - 1));
		size_t k = 1;
		for (; k < len && (s[i + k] & 0xc0) == 0x80; k++)
			wc = (wchar_t)((wc << 6) | (s[i + k] & 0x3f));
		int w = k == len ? wcwidth(wc) : 1;
		if (w < 0)
			w = 1;
		if (cols + w > max_cols)
			break;
		cols += w;
		i += k;
	}
	return i;
}

/* Draw line in place: cut to the terminal's width less one, so it never wraps. */
static void draw(struct progress *p, const char *line)
{
	if (cleanup_resized())
		p->width = terminal_width();
	char *shown = str_shown(line);
	int max = p->width > 1 ? p->width - 1 : 1;
	fprintf(stderr, "\r%.*s\033[K", (int)progress_fit(shown, max), shown);
	fflush(stderr);
	free(shown);
	p->shown = 1;
}

/* Not more than ten lines a second, except the last. */
static int due(struct progress *p, int last)
{
	double t = now();
	if (!p->enabled || (!last && t - p->last < 0.1))
		return 0;
	p->last = t;
	return 1;
}

void progress_zip(void *arg, const struct zipout_progress *z)
{
	struct progress *p = arg;
	if (!due(p, z->items_done == z->items_total))
		return;
	double el = p->last - p->start, rate = el > 0 ? (double)z->bytes_done / el : 0;
	char done[32], total[32], rs[32], left[32] = "", line[256];
	if (rate > 0 && z->bytes_done < z->bytes_total)
		snprintf(left, sizeof(left), ", %.0f s left", (double)(z->bytes_total - z->bytes_done) / rate);
	snprintf(line, sizeof(line), "Packing: %zu/%zu documents, %s of %s, %s/s%s", z->items_done, z->items_total,
		 human_size(z->bytes_done, done, sizeof(done)), human_size(z->bytes_total, total, sizeof(total)),
		 human_size((uint64_t)rate, rs, sizeof(rs)), left);
	draw(p, line);
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
	draw(p, line);
}

void progress_items(struct progress *p, const char *what, size_t done, size_t total, uint64_t bytes,
		    uint64_t total_bytes)
{
	if (!due(p, done == total))
		return;
	char line[256], b[32], tb[32];
	int n = total ? snprintf(line, sizeof(line), "%s: %zu/%zu files", what, done, total)
		      : snprintf(line, sizeof(line), "%s: %zu files", what, done);
	if (total_bytes > 0 && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, ", %s of %s", human_size(bytes, b, sizeof(b)),
			 human_size(total_bytes, tb, sizeof(tb)));
	else if (n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, ", %s", human_size(bytes, b, sizeof(b)));
	draw(p, line);
}

int progress_mode_parse(const char *s, enum progress_mode *mode)
{
	if (strcmp(s, "auto") == 0)
		*mode = PROGRESS_AUTO;
	else if (strcmp(s, "always") == 0)
		*mode = PROGRESS_ALWAYS;
	else if (strcmp(s, "never") == 0)
		*mode = PROGRESS_NEVER;
	else
		return -1;
	return 0;
}

void progress_verify(void *arg, size_t done, size_t total, uint64_t bytes, uint64_t total_bytes)
{
	progress_items(arg, "Verifying", done, total, bytes, total_bytes);
}

void progress_extract(void *arg, size_t done, size_t total, uint64_t bytes, uint64_t total_bytes)
{
	progress_items(arg, "Extracting", done, total, bytes, total_bytes);
}

void progress_rows(struct progress *p, size_t done, size_t total, size_t failed, const char *running)
{
	if (!p->enabled)
		return;
	char failures[48] = "";
	if (failed)
		snprintf(failures, sizeof(failures), ", %zu failed", failed);
	char *line = xasprintf("Batch: %zu of %zu rows done%s%s%s", done, total, failures,
			       *running ? " | building " : "", running);
	p->last = now();
	draw(p, line);
	free(line);
}

void progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
