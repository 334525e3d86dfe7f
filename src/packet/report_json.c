/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_json.c: see report_json.h. */
#include "packet/report_json.h"

#include <stdlib.h>

#include "read/sniff.h"
#include "rules/check.h"
#include "rules/identity.h"
#include "rules/recency.h"
#include "rules/study.h"
#include "sys/rp.h"
#include "sys/util.h"

json_t *report_json_string(const char *s)
{
	const char *a = s ? s : "";
	while (*a && (unsigned char)*a < 0x80)
		a++;
	if (!*a) /* ASCII: str_utf8 would copy it unchanged */
		return json_string_nocheck(s ? s : "");
	char *u = str_utf8(s);
	json_t *j = json_string(u);
	free(u);
	return j;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? report_json_string(s) : json_null();
}

static json_t *patient_json(const struct patient *pt)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "name", str_or_null(pt->name), "dob",
			 str_or_null(pt->dob), "mrn", str_or_null(pt->mrn), "facts",
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
		json_array_append_new(ids, report_json_string(id));
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
	int bad = 0;
	json_t *o = json_pack("{s:o, s:o, s:s, s:I, s:o, s:o}", "source", report_json_string(d->source),
			      "category", str_or_null(d->category), "type", doc_type_name(d->sniff.type),
			      "size", (json_int_t)d->size, "sha256",
			      str_or_null(d->hashed ? d->sha256 : NULL), "name",
			      report_json_string(document_name(d)));
	if (!o)
		return NULL;
	if (d->dicom && d->sniff.type == T_DICOM)
		bad |= json_object_set_new(o, "study_uid", report_json_string(d->dicom->study_uid));
	char date[11];
	bad |= json_object_set_new(o, "date", document_date(d, date) == 0 ? json_string(date) : json_null());
	bad |= json_object_set_new(o, "relpath", report_json_string(d->relpath));
	if (d->disc_root)
		bad |= json_object_set_new(o, "disc", report_json_string(d->disc_root));
	bad |= json_object_set_new(o, "identity", identity_json(d));
	if (d->facts && d->facts->ocr) /* its text came from OCR of a scan: a name may be misread */
		bad |= json_object_set_new(o, "read", json_string("ocr")) |
		       json_object_set_new(o, "ocr_confidence", json_integer(d->facts->ocr_confidence));
	if (d->excluded)
		bad |= json_object_set_new(o, "excluded", json_true());
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *studies_json(const struct doclist *docs)
{
	struct study *st;
	size_t n = studies_collect(docs, &st);
	json_t *a = json_array();
	char date[16];
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:s, s:o, s:I, s:I}", "study_uid",
						   report_json_string(st[i].uid), "modality",
						   report_json_string(st[i].modality), "date",
						   study_date_iso(st[i].date, date, sizeof(date)),
						   "description", report_json_string(st[i].description), "images",
						   (json_int_t)st[i].images, "bytes", (json_int_t)st[i].bytes));
	free(st);
	return a;
}

/* One element of "categories": a physical one (slides, blocks) has its items, each with the
 * case number it is found by and its status; the others the dates of their newest and oldest
 * dated records. */
static json_t *category_json(const struct category_result *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:I}", "name", r->cat->name, "title", r->cat->title,
			      "folder", r->cat->folder, "kind", r->cat->physical ? "physical" : "records",
			      "required", r->required, "status", cat_status_name(r->status), "count",
			      (json_int_t)r->count);
	if (!o)
		return NULL;
	if (r->cat->physical) {
		json_t *items = json_array();
		for (size_t k = 0; k < r->items.n; k++)
			json_array_append_new(items, json_pack("{s:o, s:s}", "case", report_json_string(r->items.v[k]),
							       "status", cat_status_name(r->status)));
		json_object_set_new(o, "items", items);
		return o;
	}
	json_object_set_new(o, "newest", str_or_null(r->newest));
	json_object_set_new(o, "oldest", str_or_null(r->oldest));
	return o;
}

static json_t *report_object(const struct patient *pt, const struct manifest *m, const struct doclist *docs, const struct check_result *res,
			     const struct problems *probs, int with_documents)
{
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(root, "generator", json_string(RP_AGENT));
	json_object_set_new(root, "complete", json_boolean(res->complete));
	json_object_set_new(root, "manifest", json_string(m->name));
	json_t *patient = patient_json(pt);
	for (size_t i = 0; i < pt->facts.n; i++)
		json_array_append_new(json_object_get(patient, "facts"), json_string(pt->facts.v[i]));
	json_object_set_new(root, "patient", patient);

	json_t *cats = json_array();
	for (size_t i = 0; i < res->ncats; i++)
		json_array_append_new(cats, category_json(&res->cats[i]));
	json_object_set_new(root, "categories", cats);
	json_object_set_new(root, "studies", studies_json(docs));

	json_t *jd = json_array();
	int bad = 0;
	for (size_t i = 0; with_documents && i < docs->n && !bad; i++)
		bad = json_array_append_new(jd, report_document_json(&docs->v[i]));
	json_object_set_new(root, "documents", jd);

	json_object_set_new(root, "problems", report_problems_json(probs));
	if (bad) { /* never a document silently missing from the index */
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *report_json(const struct patient *pt, const struct manifest *m, const struct doclist *docs,
		    const struct check_result *res, const struct problems *probs)
{
	return report_object(pt, m, docs, res, probs, 1);
}

json_t *report_json_skeleton(const struct patient *pt, const struct manifest *m, const struct doclist *docs,
			     const struct check_result *res, const struct problems *probs)
{
	return report_object(pt, m, docs, res, probs, 0);
}

json_t *report_problems_json(const struct problems *probs)
{
	json_t *jp = json_array();
	for (size_t i = 0; i < probs->n; i++) {
		const struct problem *p = &probs->v[i];
		json_array_append_new(jp, json_pack("{s:s, s:s, s:o, s:o}", "severity",
						    severity_name(p->severity), "code", p->code, "message",
						    report_json_string(p->message), "source", str_or_null(p->source)));
	}
	return jp;
}
