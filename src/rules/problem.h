/* SPDX-License-Identifier: GPL-3.0-or-later */
/* problem.h: the problem list every stage reports into.
 * problem.c stores problems; it never prints (report.c does) and never exits. */
#ifndef PROBLEM_H
#define PROBLEM_H

#include <stddef.h>

enum severity {
	SEV_INFO,
	SEV_WARNING, /* reported; the packet can still be made */
	SEV_ERROR,   /* blocking: the check fails */
};

/* Stable problem codes (the brief's contract). */
#define P_MISSING_REQUIRED "missing-required"
#define P_WRONG_TYPE "wrong-type"
#define P_TRUNCATED "truncated"
#define P_EMPTY "empty"
#define P_PATIENT_MISMATCH "patient-mismatch"
#define P_DUPLICATE "duplicate"
#define P_FETCH_FAILED "fetch-failed"
#define P_UNREADABLE "unreadable"
#define P_UNSAFE_ARCHIVE "unsafe-archive"
#define P_UNCLASSIFIED "unclassified"
#define P_BELOW_MIN "below-minimum"
#define P_NAME_CONTENT "name-content-mismatch" /* named like one category, reads as another */
#define P_IMAGES_MISSING "images-missing"      /* radiology reports without their images */
#define P_DISC_INCOMPLETE "disc-incomplete"    /* images its DICOMDIR lists are not there */
#define P_DISC_UNLISTED "disc-unlisted"        /* DICOM files on a disc its DICOMDIR omits */
#define P_DOWNLOAD_MISMATCH "download-mismatch" /* an XDM document not as its metadata says */
#define P_OUTDATED "outdated"          /* a category's newest record is older than max_age */
#define P_NO_PRIORS "no-priors"        /* nothing older than max_age to compare with (info) */
#define P_NOT_SHIPPED "not-shipped"    /* physical items (slides, blocks) not yet sent */

struct problem {
	enum severity severity;
	char *code;
	char *source;  /* the source or document it concerns (redacted), may be NULL */
	char *message; /* one plain-language sentence */
	int source_error; /* the source could not be read/fetched: exit 3 */
};

struct problems {
	struct problem *v;
	size_t n, cap;
};

void problems_add(struct problems *p, enum severity sev, const char *code, const char *source,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A source that could not be read or fetched (exit status 3). */
void problems_add_source_error(struct problems *p, const char *code, const char *source,
			       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
size_t problems_count(const struct problems *p, enum severity sev);
int problems_have_source_error(const struct problems *p);
void problems_free(struct problems *p);
const char *severity_name(enum severity s);

#endif
