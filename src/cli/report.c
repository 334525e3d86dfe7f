/* report.c: see report.h. */
#include "cli/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/sniff.h"
#include "rules/check.h"
#include "rules/identity.h"
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

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *patient_json(const struct job *job)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "name", str_or_null(job->patient), "dob",
			 str_or_null(job->dob), "mrn", str_or_null(job->mrn), "facts",
			 json_array());
}

/* {"status": "matched", "name": ..., "dob": ..., "ids": [...]}: the patient it states, the name
 * tidied for people (UTF-8), the birth date as YYYY-MM-DD when it reads as one. */
static json_t *identity_json(const struct document *d)
{
	struct stated_identity st;
	char name[256], dob[64];
	check_stated(d, &st);
	json_t *ids = json_array();
	for (size_t i = 0; i < st.nids; i++) {
		char id[160];
		identity_name_display(st.ids[i], id, sizeof(id));
		json_array_append_new(ids, json_string(id));
	}
	if (st.name)
		identity_name_display(st.name, name, sizeof(name));
	if (st.dob && identity_date_norm(st.dob, dob) < 0)
		identity_name_display(st.dob, dob, sizeof(dob)); /* shown as written, in UTF-8 */
	return json_pack("{s:s, s:o, s:o, s:o}", "status", identity_status_name((enum identity_status)d->identity),
			 "name", str_or_null(st.name ? name : NULL), "dob", str_or_null(st.dob ? dob : NULL),
			 "ids", ids);
}

json_t *report_document_json(const struct document *d)
{
	json_t *o = json_pack("{s:s, s:o, s:s, s:I, s:o, s:s}", "source", d->source, "category",
			      str_or_null(d->category), "type", doc_type_name(d->sniff.type), "size",
			      (json_int_t)d->size, "sha256", str_or_null(d->hashed ? d->sha256 : NULL),
			      "name", document_name(d));
	if (d->dicom && d->sniff.type == T_DICOM)
		json_object_set_new(o, "study_uid", json_string(d->dicom->study_uid));
	json_object_set_new(o, "relpath", json_string(d->relpath));
	if (d->disc_root)
		json_object_set_new(o, "disc", json_string(d->disc_root));
	json_object_set_new(o, "identity", identity_json(d));
	if (d->excluded)
		json_object_set_new(o, "excluded", json_true());
	return o;
}

static json_t *studies_json(const struct doclist *docs)
{
	struct study *st;
	size_t n = studies_collect(docs, &st);
	json_t *a = json_array();
	char date[16];
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "study_uid", st[i].uid,
						   "modality", st[i].modality, "date",
						   study_date_iso(st[i].date, date, sizeof(date)),
						   "description", st[i].description, "images",
						   (json_int_t)st[i].images, "bytes", (json_int_t)st[i].bytes));
	free(st);
	return a;
}

static json_t *report_object(const struct job *job, const struct doclist *docs, const struct check_result *res,
			     const struct problems *probs, int with_documents)
{
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(root, "generator", json_string(RP_AGENT));
	json_object_set_new(root, "complete", json_boolean(res->complete));
	json_object_set_new(root, "manifest", json_string(job->manifest->name));
	json_t *patient = patient_json(job);
	for (size_t i = 0; i < job->facts.n; i++)
		json_array_append_new(json_object_get(patient, "facts"), json_string(job->facts.v[i]));
	json_object_set_new(root, "patient", patient);

	json_t *cats = json_array();
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
		json_array_append_new(cats, json_pack("{s:s, s:s, s:s, s:b, s:s, s:I}", "name", r->cat->name,
						      "title", r->cat->title, "folder", r->cat->folder,
						      "required", r->required, "status",
						      cat_status_name(r->status), "count", (json_int_t)r->count));
	}
	json_object_set_new(root, "categories", cats);
	json_object_set_new(root, "studies", studies_json(docs));

	json_t *jd = json_array();
	for (size_t i = 0; with_documents && i < docs->n; i++)
		json_array_append_new(jd, report_document_json(&docs->v[i]));
	json_object_set_new(root, "documents", jd);

	json_object_set_new(root, "problems", report_problems_json(probs));
	return root;
}

json_t *report_json(const struct job *job, const struct doclist *docs,
		    const struct check_result *res, const struct problems *probs)
{
	return report_object(job, docs, res, probs, 1);
}

json_t *report_json_skeleton(const struct job *job, const struct doclist *docs,
			     const struct check_result *res, const struct problems *probs)
{
	return report_object(job, docs, res, probs, 0);
}

json_t *report_problems_json(const struct problems *probs)
{
	json_t *jp = json_array();
	for (size_t i = 0; i < probs->n; i++) {
		const struct problem *p = &probs->v[i];
		json_array_append_new(jp, json_pack("{s:s, s:s, s:s, s:o}", "severity",
						    severity_name(p->severity), "code", p->code, "message",
						    p->message, "source", str_or_null(p->source)));
	}
	return jp;
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
		if (d->sniff.type == T_DICOM && !verbose) {
			dicom++;
			continue;
		}
		if (shown++ >= 20 && !verbose)
			continue;
		fprintf(out, "      %s  (%s, %s; patient: %s)\n", d->source, doc_type_label(d->sniff.type),
			human_size(d->size, sz, sizeof(sz)), identity_status_name((enum identity_status)d->identity));
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
	for (size_t i = 0; i < n; i++)
		if (st[i].first->category && strcmp(st[i].first->category, category) == 0)
			fprintf(out, "      study: %s %s %s, %zu image%s, %s\n", st[i].modality[0] ? st[i].modality : "?",
			study_date_iso(st[i].date, date, sizeof(date)), st[i].description, st[i].images,
			st[i].images == 1 ? "" : "s", human_size(st[i].bytes, sz, sizeof(sz)));
	free(st);
}

/* --surgery and --hospitalized have their own flags; other facts go through --fact NAME. */
static int fact_flag(const char *fact)
{
	return strcmp(fact, "surgery") == 0 || strcmp(fact, "hospitalized") == 0;
}

static void print_categories(FILE *out, const struct job *job, const struct doclist *docs,
			     const struct check_result *res, const struct style *s)
{
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
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
			print_documents(out, docs, r->cat->name, job->verbose);
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

int report_print_text(FILE *out, const struct job *job, const struct doclist *docs,
		      const struct check_result *res, const struct problems *probs, int use_color)
{
	struct style s = style_for(use_color);
	size_t packed = 0;
	for (size_t i = 0; i < docs->n; i++)
		packed += !docs->v[i].excluded;
	fprintf(out, "%sRecords check%s — manifest \"%s\"", s.bold, s.reset, job->manifest->name);
	if (job->patient)
		fprintf(out, " — %s", job->patient);
	if (job->dob)
		fprintf(out, ", born %s", job->dob);
	if (job->mrn)
		fprintf(out, ", MRN %s", job->mrn);
	fprintf(out, "\n%zu document%s found, %zu usable\n\n", docs->n, docs->n == 1 ? "" : "s", packed);
	print_categories(out, job, docs, res, &s);
	if (res->unclassified)
		fprintf(out, "  ?   %-14s %zu document%s matched no category\n", "unclassified",
			res->unclassified, res->unclassified == 1 ? "" : "s");
	if (probs->n) {
		fprintf(out, "\nProblems:\n");
		report_print_problems(out, probs, use_color);
	}
	size_t errors = problems_count(probs, SEV_ERROR), warnings = problems_count(probs, SEV_WARNING);
	if (res->complete)
		fprintf(out, "\n%sComplete%s: every required record is here%s%s.\n", s.green, s.reset,
			warnings ? ", with warnings above" : "", "");
	else
		fprintf(out, "\n%sNot complete%s: %zu problem%s to fix before the packet can be sent%s.\n", s.red,
			s.reset, errors, errors == 1 ? "" : "s", warnings ? " (and warnings)" : "");
	return ferror(out) ? -1 : 0;
}
