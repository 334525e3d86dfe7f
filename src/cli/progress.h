/* progress.h: the one-line progress display on stderr for long work (documents and bytes
 * done, rate, time left). It prints only when enabled (a terminal, not -q, or forced). */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

#include "cli/job.h"
#include "packet/zipout.h"
#include "sources/source.h"

struct progress {
	int enabled;
	double start, last;
	int shown;
};

/* Enabled by mode: always; never; auto = stderr is a terminal and not quiet. */
void progress_init(struct progress *p, enum progress_mode mode, int quiet);
/* A zipout progress callback (arg is the struct progress). */
void progress_zip(void *arg, const struct zipout_progress *z);
/* A gather.fetch_progress callback (arg is the struct progress): downloads overall and
 * the first few transfers under way. */
void progress_fetch(void *arg, const struct fetch_status *st);
/* Clear the line. */
void progress_done(struct progress *p);

#endif
