/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.c: see report.h. */
#include "cli/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/sniff.h"
#include "rules/check.h"
#include "rules/identity.h"
#include "rules/recency.h"
#include "rules/study.h"
#include "sys/rp.h"
#include "sys/util.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

int report_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(nc && *nc) && !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
}

/* ---- text ---- */

struct style {
	const char *red, *green, *yellow, *bold, *reset;
};

static struct style style_for(int color)
{
	if (color)
		return (struct style){ RED, GREEN, YELLOW, BOLD, RESET };
	return (struct style){ "", "", "", "", "" };
}

static void print_documents(FILE *out, const struct doclist *docs, const char *category, int verbose)
{
	size_t shown = 0, dicom = 0;
	char sz[32];
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		if (d->excluded || !d->category || strcmp(d->category, category) != 0)
			continue;
		if (d->furniture && !verbose)
			continue; /* a disc's or a download's own pages: packed with it, not a record */
		if (d->sniff.type == T_DICOM && !verbose) {
			dicom++;
			continue;
		}
		if (shown++ >= 20 && !verbose)
			continue;
		char *name = str_shown(d->source), date[11];
		if (d->furniture)
			fprintf(out, "      %s  (%s, %s; packed with its disc or page, not a record)\n", name,
				doc_type_label(d->sniff.type), human_size(d->size, sz, sizeof(sz)));
		else
			fprintf(out, "      %s  (%s, %s%s%s; patient: %s)\n", name, doc_type_label(d->sniff.type),
				human_size(d->size, sz, sizeof(sz)), document_date(d, date) == 0 ? ", dated " : "",
				date, identity_status_name((enum identity_status)d->identity));
		free(name);
	}
	if (shown > 20 && !verbose)
		fprintf(out, "      ... and %zu more (-v lists them all)\n", shown - 20);
	(void)dicom;
}

static void print_studies(FILE *out, const struct doclist *docs, const char *category)
{
	struct study *st;
	size_t n = studies_collect(docs, &st);
	char date[16], sz[32];
	for (size_t i = 0; i < n; i++) {
		if (!st[i].first->category || strcmp(st[i].first->category, category) != 0)
			continue;
		char *mod = str_shown(st[i].modality[0] ? st[i].modality : "?"), *desc = str_shown(st[i].description);
		fprintf(out, "      study: %s %s %s, %zu image%s, %s\n", mod, study_date_iso(st[i].date, date, sizeof(date)),
			desc, st[i].images, st[i].images == 1 ? "" : "s", human_size(st[i].bytes, sz, sizeof(sz)));
		free(mod);
		free(desc);
	}
	free(st);
}

/* --surgery and --hospitalized have their own flags; other facts go through --fact NAME. */
static int fact_flag(const char *fact)
{
	return strcmp(fact, "surgery") == 0 || strcmp(fact, "hospitalized") == 0;
}

/* Slides and blocks: shipped by the lab, listed by the case numbers the reports print. */
static void print_physical(FILE *out, const struct category_result *r, const struct style *s)
{
	int sent = r->status == CAT_SHIPPED;
	const char *col = sent ? s->green : r->status == CAT_TO_SEND ? s->yellow : "";
	fprintf(out, "  %s%s%s %-14s %s — %s%s%s\n", col, sent ? "✓  " : r->status == CAT_TO_SEND ? "!  " : "n-a",
		s->reset, r->cat->name, r->cat->title, col,
		sent ? "shipped separately" : r->status == CAT_TO_SEND ? "not yet sent (the lab ships them)" : "not required",
		s->reset);
	for (size_t k = 0; k < r->items.n; k++) {
		char *c = str_shown(r->items.v[k]);
		fprintf(out, "      case %s: %s\n", c, sent ? "shipped" : "not yet sent");
		free(c);
	}
	if (!sent && r->cat->shipped_fact)
		fprintf(out, "      (once they are sent, add --fact %s)\n", r->cat->shipped_fact);
}

static void print_categories(FILE *out, int verbose, const struct doclist *docs,
			     const struct check_result *res, const struct style *s)
{
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
		if (r->cat->physical) {
			print_physical(out, r, s);
			continue;
		}
		const char *mark = r->status == CAT_OK ? "✓  " : r->status == CAT_MISSING ? "✗  " : "n-a";
		const char *col = r->status == CAT_OK ? s->green : r->status == CAT_MISSING ? s->red : "";
		const char *what = r->status == CAT_MISSING ? "MISSING"
				 : r->status == CAT_NA ? (r->cat->required == REQ_IF ? "not required" : "none, optional")
				 : "";
		fprintf(out, "  %s%s%s %-14s %s", col, mark, s->reset, r->cat->name, r->cat->title);
		if (r->status == CAT_OK)
			fprintf(out, " — %zu document%s\n", r->count, r->count == 1 ? "" : "s");
		else if (r->status == CAT_NA && r->cat->required == REQ_IF)
			fprintf(out, " — %s (add --%s%s if it applies)\n", what, fact_flag(r->cat->fact) ? "" : "fact ",
				r->cat->fact);
		else
			fprintf(out, " — %s%s%s\n", col, what, s->reset);
		if (r->count) {
			print_studies(out, docs, r->cat->name);
			print_documents(out, docs, r->cat->name, verbose);
		}
	}
}

static void print_problem(FILE *out, const struct problem *p, const struct style *s)
{
	const char *col = p->severity == SEV_ERROR ? s->red : p->severity == SEV_WARNING ? s->yellow : "";
	fprintf(out, "  %s%-7s%s %s: %s\n", col, severity_name(p->severity), s->reset, p->code, p->message);
}

void report_print_problems(FILE *out, const struct problems *probs, int use_color)
{
	struct style s = style_for(use_color);
	for (size_t i = 0; i < probs->n; i++)
		print_problem(out, &probs->v[i], &s);
}

int report_print_text(FILE *out, const struct patient *pt, const struct manifest *m, int verbose,
		      const struct doclist *docs,
		      const struct check_result *res, const struct problems *probs, int use_color)
{
	struct style s = style_for(use_color);
	size_t packed = 0;
	for (size_t i = 0; i < docs->n; i++)
		packed += !docs->v[i].excluded;
	fprintf(out, "%sRecords check%s — manifest \"%s\"", s.bold, s.reset, m->name);
	if (pt->name)
		fprintf(out, " — %s", pt->name);
	if (pt->dob)
		fprintf(out, ", born %s", pt->dob);
	if (pt->mrn)
		fprintf(out, ", MRN %s", pt->mrn);
	fprintf(out, "\n%zu document%s found, %zu usable\n\n", docs->n, docs->n == 1 ? "" : "s", packed);
	print_categories(out, verbose, docs, res, &s);
	if (res->unclassified)
		fprintf(out, "  ?   %-14s %zu document%s matched no category\n", "unclassified",
			res->unclassified, res->unclassified == 1 ? "" : "s");
	if (probs->n) {
		fprintf(out, "\nProblems:\n");
		report_print_problems(out, probs, use_color);
	}
	size_t errors = problems_count(probs, SEV_ERROR), warnings = problems_count(probs, SEV_WARNING);
	char left[96] = "";
	if (res->unclassified)
		snprintf(left, sizeof(left), "; %zu file%s recpack could not sort %s not in the packet", res->unclassified,
			 res->unclassified == 1 ? "" : "s", res->unclassified == 1 ? "is" : "are");
	if (res->complete)
		fprintf(out, "\n%sComplete%s: every required record is here%s%s.\n", s.green, s.reset,
			warnings ? ", with warnings above" : "", left);
	else
		fprintf(out, "\n%sNot complete%s: %zu problem%s to fix before the packet can be sent%s%s.\n", s.red,
			s.reset, errors, errors == 1 ? "" : "s", warnings ? " (and warnings)" : "", left);
	return ferror(out) ? -1 : 0;
}

void report_print_failures(FILE *out, const struct verify_failure *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = str_shown(v[i].path); /* nor free of ESC sequences and newlines */
		fprintf(out, "FAILED  %s: %s\n", path, v[i].problem);
		free(path);
	}
}
