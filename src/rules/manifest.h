/* SPDX-License-Identifier: GPL-3.0-or-later */
/* manifest.h: required-document manifests: parsing (inih), the compiled-in built-ins, facts.
 * manifest.c never prints: a bad manifest comes back as "FILE:LINE: message" in errbuf. */
#ifndef MANIFEST_H
#define MANIFEST_H

#include <stddef.h>

#include "sys/util.h"

enum requirement { REQ_YES, REQ_NO, REQ_IF };

/* "6 months", "2 years": how recent a category's newest document must be, or how far back its
 * priors should go. n 0: not set. */
enum age_unit { AGE_DAYS, AGE_WEEKS, AGE_MONTHS, AGE_YEARS };
struct age {
	int n;
	enum age_unit unit;
};

struct category {
	char *name;          /* section name: radiology, pathology, ... */
	char *title;         /* plain words for people */
	enum requirement required;
	char *fact;          /* for REQ_IF: the fact that makes it required */
	int min;             /* documents needed when required (default 1) */
	struct strlist types;/* allowed sniffed types (doc_type_name); empty: any */
	struct strlist match;/* filename globs, case-insensitive */
	struct strlist codes;/* coded document types (LOINC "11526-1", FHIR "LP7839-6") */
	struct strlist titles;/* title and heading phrases, lowercase ("pathology report") */
	int images_required; /* images_required = yes: reports alone are not enough */
	char *folder;        /* "01-radiology": the packet folder, from manifest order */
	/* kind = physical: things shipped on their own (glass slides, blocks), never a file */
	int physical;
	char *shipped_fact;  /* shipped = if FACT: the fact that says they were sent */
	char *cases_from;    /* cases_from = CATEGORY: its reports' case numbers name the items */
	char *ask;           /* ask = words for the request letter; NULL: the title */
	struct age max_age;  /* max_age = 6 months: the newest document must be this recent */
	struct age priors;   /* priors = 2 years: earlier documents wanted for comparison */
	int outdated_blocks; /* outdated = blocking: an old newest document fails the check */
};

struct manifest {
	char *name;
	char *description;
	struct category *cats;
	size_t ncats;
};

struct builtin_manifest {
	const char *name;
	const char *text;
};
extern const struct builtin_manifest builtin_manifests[]; /* generated, NULL-terminated */

/* Load a built-in by NAME, or else a file path. On error returns NULL and writes
 * "FILE:LINE: message" (or a plain message) to errbuf; *status gets RP_EUSAGE. */
struct manifest *manifest_load(const char *name_or_file, char *errbuf, size_t errlen);
/* Parse INI text; origin names it in errors. */
struct manifest *manifest_parse(const char *text, const char *origin, char *errbuf, size_t errlen);
void manifest_free(struct manifest *m);

const struct category *manifest_category(const struct manifest *m, const char *name);
/* Is the category required given the facts that hold? */
int category_required(const struct category *c, const struct strlist *facts);
/* "6 months" for messages, into buf. */
const char *manifest_age_text(const struct age *a, char *buf, size_t len);

/* Every fact is one a category's "required = if FACT" names, or surgery or hospitalized
 * (the options every manifest takes): RP_OK; else RP_EUSAGE with the unknown fact and the
 * ones the manifest knows in errbuf (a misspelt fact would silently drop a requirement). */
int manifest_check_facts(const struct manifest *m, const struct strlist *facts, char *errbuf, size_t errlen);
/* The built-in's text, or NULL. */
const char *manifest_builtin_text(const char *name);

#endif
