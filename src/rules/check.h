/* check.h: checks documents against the manifest and each other: content problems,
 * duplicates, patient identity, required categories. check.c reads no bytes and prints
 * nothing: it marks documents excluded and adds problems. */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "rules/manifest.h"
#include "rules/patient.h"
#include "read/document.h"
#include "rules/problem.h"

enum cat_status { CAT_OK, CAT_MISSING, CAT_NA };

struct category_result {
	const struct category *cat;
	int required;
	size_t count; /* documents that will be packed */
	enum cat_status status;
};

struct check_result {
	struct category_result *cats;
	size_t ncats;
	size_t unclassified;
	int complete; /* every required category present and no blocking problem */
};

/* Run every check. Returns RP_OK, RP_EFAIL (check failed) or RP_ESOURCE (a source failed). */
int check_run(const struct patient *pt, const struct manifest *m, struct doclist *docs,
	      struct problems *probs, struct check_result *res);
void check_result_free(struct check_result *res);
const char *cat_status_name(enum cat_status s);

/* Do a DICOM PersonName ("DOE^JANE^M") and a name as people write it ("Jane M. Doe")
 * name the same person? Case, punctuation, order and extra middle names are ignored. */
int patient_names_match(const char *dicom_pn, const char *name);
/* DICOM DA "19700131" against "1970-01-31". */
int patient_dates_match(const char *dicom_da, const char *iso);
int patient_ids_match(const char *a, const char *b);

#endif
