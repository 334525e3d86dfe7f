/* batch.c: see batch.h. */
#include "cli/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/manifest.h"
#include "sys/rp.h"

static const char *const fixed_columns[] = { "id", "name", "dob", "mrn", "manifest", "facts", "questions", "sources" };

int batch_is_fixed_column(const char *col)
{
	for (size_t i = 0; i < sizeof(fixed_columns) / sizeof(fixed_columns[0]); i++)
		if (strcmp(col, fixed_columns[i]) == 0)
			return 1;
	return 0;
}

static const char *row_manifest(const struct roster *r, const struct roster_row *row, const char *dflt)
{
	const char *m = roster_cell(r, row, "manifest");
	return *m ? m : dflt;
}

/* Split "a;b; c" into trimmed non-empty parts. */
static void split_list(const char *cell, struct strlist *out)
{
	char *copy = xstrdup(cell), *save = NULL;
	for (char *p = strtok_r(copy, ";", &save); p; p = strtok_r(NULL, ";", &save))
		if (*trim(p))
			strlist_add(out, trim(p));
	free(copy);
}

static int valid_fact(const char *f)
{
	return *f && strlen(f) <= 40 &&
	       strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(f);
}

static int validate_row(const struct roster *r, const struct roster_row *row, const struct manifest *m,
			const char *origin, char *err, size_t errlen)
{
	struct strlist facts = { 0 };
	int rc = RP_OK;
	split_list(roster_cell(r, row, "facts"), &facts);
	for (size_t i = 0; i < facts.n && !rc; i++)
		if (!valid_fact(facts.v[i])) {
			snprintf(err, errlen, "%s:%d: the fact '%s' must be letters, digits, '-' or '_' (separate facts with ';')",
				 origin, row->line, facts.v[i]);
			rc = RP_EUSAGE;
		}
	for (size_t c = 0; c < r->ncols && !rc; c++)
		if (!batch_is_fixed_column(r->cols[c]) && *row->cells[c] && !manifest_category(m, r->cols[c])) {
			snprintf(err, errlen, "%s:%d: the column '%s' is not a category of the manifest '%s'",
				 origin, row->line, r->cols[c], m->name);
			rc = RP_EUSAGE;
		}
	strlist_free(&facts);
	return rc;
}

int batch_validate(const struct roster *r, const char *origin, const char *default_manifest,
		   char *err, size_t errlen)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (!*r->cols[c]) {
			snprintf(err, errlen, "%s:1: column %zu of the header has no name", origin, c + 1);
			return RP_EUSAGE;
		}
	for (size_t i = 0; i < r->nrows; i++) {
		const struct roster_row *row = &r->rows[i];
		char merr[512];
		struct manifest *m = manifest_load(row_manifest(r, row, default_manifest), merr, sizeof(merr));
		if (!m) {
			snprintf(err, errlen, "%s:%d: %s", origin, row->line, merr);
			return RP_EUSAGE;
		}
		int rc = validate_row(r, row, m, origin, err, errlen);
		manifest_free(m);
		if (rc)
			return rc;
	}
	return RP_OK;
}

static char *resolve(const char *base, const char *path)
{
	if (path[0] == '/' || strcmp(path, "-") == 0 || strstr(path, "://"))
		return xstrdup(path);
	return path_join(base, path);
}

static void add_sources(struct strlist *args, const char *category, const char *cell, const char *base)
{
	struct strlist parts = { 0 };
	split_list(cell, &parts);
	for (size_t i = 0; i < parts.n; i++) {
		char *p = resolve(base, parts.v[i]);
		strlist_add_owned(args, category ? xasprintf("%s=%s", category, p) : xstrdup(p));
		free(p);
	}
	strlist_free(&parts);
}

void batch_row_args(const struct roster *r, const struct roster_row *row, const char *base,
		    const char *default_manifest, struct strlist *args)
{
	struct strlist facts = { 0 };
	strlist_add_owned(args, xasprintf("--manifest=%s", row_manifest(r, row, default_manifest)));
	strlist_add_owned(args, xasprintf("--patient=%s", roster_cell(r, row, "name")));
	strlist_add_owned(args, xasprintf("--dob=%s", roster_cell(r, row, "dob")));
	if (*roster_cell(r, row, "mrn"))
		strlist_add_owned(args, xasprintf("--mrn=%s", roster_cell(r, row, "mrn")));
	split_list(roster_cell(r, row, "facts"), &facts);
	for (size_t i = 0; i < facts.n; i++)
		strlist_add_owned(args, xasprintf("--fact=%s", facts.v[i]));
	strlist_free(&facts);
	if (*roster_cell(r, row, "questions")) {
		char *q = resolve(base, roster_cell(r, row, "questions"));
		strlist_add_owned(args, xasprintf("--questions=%s", q));
		free(q);
	}
	strlist_add(args, "--"); /* a source named "-x.pdf" is not an option */
	for (size_t c = 0; c < r->ncols; c++)
		if (!batch_is_fixed_column(r->cols[c]))
			add_sources(args, r->cols[c], row->cells[c], base);
	add_sources(args, NULL, roster_cell(r, row, "sources"), base);
}
