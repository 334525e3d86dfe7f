/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fhir.c: FHIR R4 JSON into doc_facts with jansson (see fhir.h). */
#include "read/fhir.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "read/factsput.h"

#define LOINC_URI "http://loinc.org"
#define LOINC_PATHOLOGY "LP7839-6"
#define LOINC_RADIOLOGY "LP29684-5"

/* Deepest nesting of arrays and objects in buf, counted outside strings; stops counting
 * past limit. jansson parses recursively, so this runs first. */
static int nesting_exceeds(const unsigned char *buf, size_t len, int limit)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = buf[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > limit)
				return 1;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return 0;
}

/* Cheap first look: a JSON object that mentions "resourceType". */
static int looks_like_fhir(const unsigned char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && buf[i] == '{' && memmem(buf, len, "\"resourceType\"", 14) != NULL;
}

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int is_type(const json_t *res, const char *type)
{
	const char *t = str(res, "resourceType");
	return t && strcmp(t, type) == 0;
}

/* Append a string or each string of an array to dst, space-separated. */
static void join_words(const json_t *v, char *dst, size_t cap)
{
	size_t i;
	json_t *w;
	if (json_is_string(v)) {
		size_t n = strlen(dst);
		snprintf(dst + n, cap - n, "%s%s", n ? " " : "", json_string_value(v));
		return;
	}
	json_array_foreach(v, i, w)
		if (json_is_string(w))
			join_words(w, dst, cap);
}

/* The official name if there is one, else the first; "Family, Given Middle" or its text. */
static void read_human_name(const json_t *names, char *dst, size_t cap)
{
	const json_t *pick = json_array_get(names, 0), *n;
	size_t i;
	char family[128] = "", given[128] = "", whole[260];
	json_array_foreach(names, i, n) {
		const char *use = str(n, "use");
		if (use && strcmp(use, "official") == 0) {
			pick = n;
			break;
		}
	}
	join_words(json_object_get(pick, "family"), family, sizeof family); /* DSTU2: array */
	join_words(json_object_get(pick, "given"), given, sizeof given);
	if (!family[0] && !given[0]) {
		facts_puts(dst, cap, str(pick, "text"));
		return;
	}
	snprintf(whole, sizeof whole, "%s%s%s", family, family[0] && given[0] ? ", " : "", given);
	facts_puts(dst, cap, whole);
}

static void read_patient(const json_t *pat, struct doc_identity *who)
{
	size_t i;
	json_t *id;
	read_human_name(json_object_get(pat, "name"), who->name, sizeof who->name);
	facts_puts(who->dob, sizeof who->dob, str(pat, "birthDate"));
	json_array_foreach(json_object_get(pat, "identifier"), i, id) {
		const char *v = str(id, "value");
		if (v)
			facts_add_id(who, v, strlen(v));
	}
}

/* Counts pat as a patient: the first fills who, a later one with another name or birth date
 * counts as one more. Only two are told apart: more than one is already a problem. */
static void add_patient(const json_t *pat, struct doc_identity *who)
{
	struct doc_identity other;
	if (who->patients == 0) {
		read_patient(pat, who);
		who->patients = 1;
		return;
	}
	memset(&other, 0, sizeof other);
	read_patient(pat, &other);
	if (who->patients == 1 && (strcmp(other.name, who->name) != 0 || strcmp(other.dob, who->dob) != 0))
		who->patients = 2;
}

/* The LOINC coding of a CodeableConcept, else its first; NULL when it has none. */
static const json_t *pick_coding(const json_t *concept)
{
	const json_t *codings = json_object_get(concept, "coding"), *c;
	size_t i;
	json_array_foreach(codings, i, c) {
		const char *sys = str(c, "system");
		if (str(c, "code") && sys && strcmp(sys, LOINC_URI) == 0)
			return c;
	}
	json_array_foreach(codings, i, c)
		if (str(c, "code"))
			return c;
	return NULL;
}

/* The concept's label: its text, else its chosen coding's display. */
static const char *concept_label(const json_t *concept)
{
	const char *t = str(concept, "text");
	return t ? t : str(pick_coding(concept), "display");
}

static void set_code(struct doc_facts *f, const json_t *coding)
{
	const char *sys = str(coding, "system");
	facts_puts(f->code, sizeof f->code, str(coding, "code"));
	facts_puts(f->code_system, sizeof f->code_system, sys && strcmp(sys, LOINC_URI) == 0 ? "LOINC" : sys);
}

/* A DiagnosticReport's LOINC category coding when it files the report as pathology or
 * radiology, else NULL. */
static const json_t *report_kind(const json_t *report)
{
	const json_t *cat, *c;
	size_t i, j;
	json_array_foreach(json_object_get(report, "category"), i, cat)
		json_array_foreach(json_object_get(cat, "coding"), j, c) {
			const char *code = str(c, "code");
			if (code && (strcmp(code, LOINC_PATHOLOGY) == 0 || strcmp(code, LOINC_RADIOLOGY) == 0))
				return c;
		}
	return NULL;
}

/* How well a resource states what the document is: 4 best, 0 not at all. */
static int type_rank(const json_t *res)
{
	if (is_type(res, "Composition"))
		return 4;
	if (is_type(res, "DocumentReference"))
		return 3;
	if (is_type(res, "DiagnosticReport"))
		return report_kind(res) ? 2 : 1;
	return 0;
}

static void read_type(const json_t *res, struct doc_facts *f)
{
	const json_t *type = json_object_get(res, is_type(res, "DiagnosticReport") ? "code" : "type");
	const json_t *kind = is_type(res, "DiagnosticReport") ? report_kind(res) : NULL;
	const char *title = str(res, "title");
	const char *date = str(res, "date");
	size_t i;
	json_t *sec;
	set_code(f, kind ? kind : pick_coding(type));
	if (!title && is_type(res, "DocumentReference"))
		title = str(res, "description");
	facts_puts(f->title, sizeof f->title, title ? title : concept_label(type));
	if (is_type(res, "DiagnosticReport"))
		date = str(res, "effectiveDateTime") ? str(res, "effectiveDateTime") : str(res, "issued");
	facts_puts(f->date, sizeof f->date, date);
	facts_add_line(f->text, sizeof f->text, f->title);
	json_array_foreach(json_object_get(res, "section"), i, sec)
		if (facts_add_line(f->text, sizeof f->text, str(sec, "title")) != 0)
			break;
}

/* The resource that best says what the document is, and every Patient, from a Bundle. */
static void read_bundle(const json_t *bundle, struct doc_facts *f)
{
	const json_t *best = NULL, *e;
	int best_rank = 0;
	size_t i;
	json_array_foreach(json_object_get(bundle, "entry"), i, e) {
		const json_t *res = json_object_get(e, "resource");
		int rank = type_rank(res);
		if (is_type(res, "Patient"))
			add_patient(res, &f->who);
		if (rank > best_rank) {
			best = res;
			best_rank = rank;
		}
	}
	if (best)
		read_type(best, f);
}

/* A single resource: a Patient, or a document naming its patient in contained[] or in
 * subject.display. */
static void read_single(const json_t *res, struct doc_facts *f)
{
	size_t i;
	json_t *c;
	if (is_type(res, "Patient")) {
		add_patient(res, &f->who);
		return;
	}
	if (type_rank(res))
		read_type(res, f);
	json_array_foreach(json_object_get(res, "contained"), i, c)
		if (is_type(c, "Patient"))
			add_patient(c, &f->who);
	if (f->who.patients == 0) {
		facts_puts(f->who.name, sizeof f->who.name, str(json_object_get(res, "subject"), "display"));
		f->who.patients = f->who.name[0] != '\0';
	}
}

int fhir_read(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	json_error_t err;
	json_t *root;
	if (!buf || !looks_like_fhir(buf, len))
		return 1;
	if (len > FHIR_MAX_BYTES) {
		facts_begin(out, FMT_FHIR);
		facts_damaged(out, "the FHIR file is larger than %u MiB, too large to read", FHIR_MAX_BYTES >> 20);
		return 0;
	}
	if (nesting_exceeds(buf, len, FHIR_MAX_DEPTH)) {
		facts_begin(out, FMT_FHIR);
		facts_damaged(out, "the FHIR file nests deeper than %d levels, so it is not read", FHIR_MAX_DEPTH);
		return 0;
	}
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		facts_begin(out, FMT_FHIR);
		facts_damaged(out, "the FHIR file is not valid JSON (line %d: %s)", err.line, err.text);
		return 0;
	}
	if (!json_is_object(root) || !str(root, "resourceType")) {
		json_decref(root);
		return 1;
	}
	facts_begin(out, FMT_FHIR);
	if (is_type(root, "Bundle"))
		read_bundle(root, out);
	else
		read_single(root, out);
	json_decref(root);
	return 0;
}
