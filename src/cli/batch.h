/* batch.h: the batch scheduler: turning one roster row into the arguments of `recpack
 * build`, the checks that reject a bad roster before any work, and running the rows, each
 * build in a forked child (a failing row never stops the others, and memory stays per
 * row), a line per row in OUTDIR/report.jsonl. */
#ifndef BATCH_H
#define BATCH_H

#include <stdio.h>

#include <jansson.h>

#include "cli/job.h"
#include "cli/roster.h"
#include "sys/util.h"

/* Columns with a fixed meaning; any other column names a manifest category. */
int batch_is_fixed_column(const char *col);

/* Every row's manifest loads, its facts are valid, every other non-empty column is a
 * category of that manifest. RP_EUSAGE with "ROSTER:LINE: message" in err. */
int batch_validate(const struct roster *r, const char *origin, const char *default_manifest,
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
	json_t *rows;            /* for --json */
	int encrypt;
	const char *password_file;
	char *password;          /* --encrypt: asked once, used by every row */
};

/* Build every row, --jobs at a time, skipping those whose packet already verifies (unless
 * --force); record each in b->report and b->rows. Returns the worst row's status. */
int batch_run_rows(struct batch *b);

#endif
