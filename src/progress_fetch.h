/* progress_fetch.h: the one-line download progress on stderr (per transfer and overall).
 * Only prints; it decides nothing about the downloads. Lead: fold into progress.c. */
#ifndef PROGRESS_FETCH_H
#define PROGRESS_FETCH_H

#include "job.h"
#include "source.h"

/* 1 when a progress line should be drawn: --progress always, or auto on a terminal. */
int progress_fetch_wanted(const struct job *job);

/* A gather.fetch_progress callback; arg is unused. */
void progress_fetch_print(void *arg, const struct fetch_status *st);

#endif
