/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.h: the one-line progress display on stderr for long work (documents and bytes
 * done, rate, time left). It prints only when enabled (a terminal, not -q, or forced), and
 * every line is cut to the terminal's width (TIOCGWINSZ, read again after a resize, which
 * sys/cleanup.c's SIGWINCH flag reports), so a refresh never wraps onto a new line. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "cli/job.h"
#include "packet/zipout.h"
#include "sources/source.h"

struct progress {
	int enabled;
	double start, last;
	int shown;
	int width; /* columns of the terminal; the line is at most width - 1 */
};

/* Enabled by mode: always; never; auto = stderr is a terminal and not quiet. */
void progress_init(struct progress *p, enum progress_mode mode, int quiet);
/* A zipout progress callback (arg is the struct progress). */
void progress_zip(void *arg, const struct zipout_progress *z);
/* A gather.fetch_progress callback (arg is the struct progress): downloads overall and
 * the first few transfers under way. */
void progress_fetch(void *arg, const struct fetch_status *st);
/* "what: done/total items, bytes of total bytes" (what: "Reading", "Verifying"...); bytes
 * shown when total_bytes > 0. At most ten times a second unless done == total. */
void progress_items(struct progress *p, const char *what, size_t done, size_t total, uint64_t bytes,
		    uint64_t total_bytes);
/* A batch: rows done of total, failed so far, the ids being built. */
void progress_rows(struct progress *p, size_t done, size_t total, size_t failed, const char *running);
/* "auto", "always" or "never" -> *mode: 0, or -1 for anything else. */
int progress_mode_parse(const char *s, enum progress_mode *mode);
/* A verify_progress or extract callback (arg is the struct progress): "Verifying: ..." */
void progress_verify(void *arg, size_t done, size_t total, uint64_t bytes, uint64_t total_bytes);
void progress_extract(void *arg, size_t done, size_t total, uint64_t bytes, uint64_t total_bytes);
/* Clear the line. */
void progress_done(struct progress *p);
/* The number of columns line takes up to its first max_cols (UTF-8; wide characters count
 * two): the byte length of the longest prefix that fits. For tests and the line above. */
size_t progress_fit(const char *line, int max_cols);

#endif
