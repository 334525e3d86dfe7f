/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.h: checks documents against the manifest and each other: content problems,
 * duplicates, patient identity (each document's identity status: the user's --patient, --dob
 * and --mrn first; for a field not given, the identity most documents state), required
 * categories and their images. check.c reads no bytes and prints
 * nothing: it marks documents excluded and adds problems. */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "rules/manifest.h"
#include "rules/patient.h"
#include "read/document.h"
#include "rules/problem.h"

/* CAT_SHIPPED and CAT_TO_SEND are for physical categories (slides, blocks), which hold no file. */
enum cat_status { CAT_OK, CAT_MISSING, CAT_NA, CAT_SHIPPED, CAT_TO_SEND };

struct category_result {
	const struct category *cat;
	int required;
	size_t count; /* documents that will be packed */
	enum cat_status status;
	struct strlist items; /* a physical category: the case numbers its items are found by */
	char newest[11], oldest[11]; /* dates of its newest and oldest dated records, or "" */
};

struct check_result {
	struct category_result *cats;
	size_t ncats;
	size_t unclassified;
	size_t mismatched; /* documents naming another patient: blocking, whatever the flags */
	int complete; /* every required category present and no blocking problem */
};

/* Run every check. Returns RP_OK, RP_EFAIL (check failed) or RP_ESOURCE (a source failed). */
int check_run(const struct patient *pt, const struct manifest *m, struct doclist *docs,
	      struct problems *probs, struct check_result *res);
void check_result_free(struct check_result *res);
const char *cat_status_name(enum cat_status s);

/* The patient a document states, from its DICOM header or its facts: pointers into the
 * document (NULL or nids 0 when it states nothing). */
struct stated_identity {
	const char *name, *dob;
	const char *ids[FACTS_MAX_IDS];
	size_t nids;
};
void check_stated(const struct document *d, struct stated_identity *out);

#endif
