/* batch.h: turning one roster row into the arguments of `recpack build`, and the checks
 * that reject a bad roster before any work. batch.c reads the roster's manifests; it never
 * runs a build, opens a source or prints. */
#ifndef BATCH_H
#define BATCH_H

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

#endif
