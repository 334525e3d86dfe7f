/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batch.h: the batch scheduler: turning one roster row into the arguments of `recpack
 * build`, the checks that reject a bad roster before any work, and running the rows, each
 * build in a forked child (a failing row never stops the others, and memory stays per
 * row), a line per row in OUTDIR/report.jsonl. */
#ifndef BATCH_H
#define BATCH_H

#include <stdio.h>

#include <jansson.h>

#include "cli/job.h"
#include "cli/progress.h"
#include "cli/roster.h"
#include "sys/util.h"
#include "sys/workdir.h"

/* Columns with a fixed meaning; any other column names a manifest category. */
int batch_is_fixed_column(const char *col);

/* Mark every row whose manifest does not load (a manifest file in the roster is relative to
 * base, the roster's folder, like its sources), whose facts are not valid or not the
 * manifest's, or whose other non-empty columns are not categories of that manifest (each
 * reason in row->error). RP_EUSAGE with "ROSTER:LINE: message" in err only when the header
 * itself cannot be used. */
int batch_validate(struct roster *r, const char *origin, const char *base, const char *default_manifest,
		   char *err, size_t errlen);

/* The build arguments for one row, after "build": patient fields, facts, manifest,
 * questions and "[CATEGORY=]SOURCE" strings with relative paths resolved against base. */
void batch_row_args(const struct roster *r, const struct roster_row *row, const char *base,
		    const char *default_manifest, struct strlist *args);

/* One batch: what cmd_batch.c sets up and batch_run_rows fills in. */
struct batch {
	const char *roster_path, *outdir;
	char *base;              /* the roster's folder */
	struct job job;          /* batch-wide options */
	struct strlist pass;     /* options passed to every row's build */
	struct roster roster;
	int cores_per_row;
	int downloads_per_row;   /* --parallel shared out, so rows x downloads stays bounded */
	FILE *report;
	size_t ok, incomplete, failed, skipped;
	struct strlist failures; /* "id: reason" */
	struct workdir work;     /* private: each row's JSON result and messages while it runs */
	struct progress progress;/* the "rows done" line on a terminal */
	json_t *rows;            /* for --json */
	int encrypt;
	int strict;              /* --strict: a roster with any bad row builds nothing */
	int lock_cleanup;        /* cleanup.h handle of OUTDIR's lock file */
	const char *password_file;
	char *password;          /* --encrypt: asked once, used by every row */
};

/* Build every row, --jobs at a time, skipping those whose packet already verifies (unless
 * --force); record each in b->report and b->rows. Returns the worst row's status. */
int batch_run_rows(struct batch *b);

#endif
