/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collect.h: the shared front half of check, build and a batch row: gather the sources,
 * read each document once (hash, type, DICOM header), classify, check.
 * collect.c prints nothing; everything it finds goes into the problem list. */
#ifndef COLLECT_H
#define COLLECT_H

#include "cli/job.h"
#include "read/document.h"
#include "rules/check.h"
#include "rules/problem.h"
#include "sys/workdir.h"

struct collection {
	struct doclist docs;
	struct problems probs;
	struct check_result result;
	struct workdir wd;
	struct strlist skipped; /* disc furniture and the like, listed with -v */
};

/* hash: compute SHA-256 while scanning (check does; build hashes while compressing).
 * Returns RP_OK, RP_EFAIL or RP_ESOURCE as check_run does. */
int collect_run(const struct job *job, struct collection *c, int hash);
void collection_free(struct collection *c);

#endif
