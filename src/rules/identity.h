/* SPDX-License-Identifier: GPL-3.0-or-later */
/* identity.h: does a record name the same person? Names, birth dates and patient IDs
 * compared the way people read them, whatever alphabet, form or order they are written in.
 * identity.c reads no bytes and keeps no state; every string is bounded (IDENTITY_MAX_TOKENS). */
#ifndef IDENTITY_H
#define IDENTITY_H

#include <stddef.h>

/* A document's identity status (struct document's `identity`). */
enum identity_status {
	IDENTITY_UNCHECKED = 0, /* not checked (excluded before the identity check) */
	IDENTITY_MATCHED,       /* what it states agrees with everything it was compared with */
	IDENTITY_MISMATCH,      /* it names someone else: never packed */
	IDENTITY_NONE_STATED,   /* it names no patient */
	IDENTITY_UNREADABLE,    /* a scan or photo (or locked file): nothing to read */
};
const char *identity_status_name(enum identity_status s); /* "matched", "none-stated", ... */

#define IDENTITY_MAX_TOKENS 10
#define IDENTITY_TOKEN_MAX 48

/* A name folded for comparison: tokens lowercased, compatibility-decomposed (NFKD), accents
 * dropped. alt[i] is the German spelling of a token with an umlaut ("mueller" for "Müller"),
 * "" otherwise. Titles and suffixes (Dr, Jr, III) and DICOM's prefix/suffix components dropped. */
struct identity_name {
	int n;
	char tok[IDENTITY_MAX_TOKENS][IDENTITY_TOKEN_MAX];
	char alt[IDENTITY_MAX_TOKENS][IDENTITY_TOKEN_MAX];
};

/* Parse a name as written: "GARCIA^JOSE" (DICOM PN: family^given^middle^prefix^suffix, only
 * the alphabetic group before '=' read), "García López, José", "José M. García". Bytes that
 * are not UTF-8 are read as Latin-1. Returns the number of tokens (0: nothing to compare). */
int identity_name_parse(const char *s, struct identity_name *out);

/* 1 when two parsed names can be the same person, 0 when they cannot, -1 when either is empty.
 * Tokens match in any order; every token of the shorter name must match a different token of
 * the longer one (extra middle names or a second surname on one side are fine), an initial
 * matches a name starting with it, and at least one token must match in full. */
int identity_name_cmp(const struct identity_name *a, const struct identity_name *b);
/* The same from strings. */
int identity_name_match(const char *a, const char *b);

/* A name for messages, in UTF-8: "GARCIA^JOSE^^DR" -> "GARCIA, JOSE"; other forms as written,
 * spaces tidied. Latin-1 bytes are converted. */
void identity_name_display(const char *in, char *out, size_t len);

/* Birth date in any common written form -> "YYYY-MM-DD": 1975-05-01, 19750501 (DICOM DA,
 * HL7 TS with a time after it), 1975/05/01, 05/01/1975 and 5/1/75 (US order: month first),
 * 01.05.1975 and 01-05-1975 (European: day first), May 1, 1975, 1 May 1975, 1-May-1975,
 * 1st May 1975, 1. Mai 1975, 1 de mayo de 1975 (English, German, Spanish, French months).
 * When the first two numbers can be read either way (both 12 or less and different), the
 * order above is used and 1 is returned: identity_date_cmp then accepts the other reading
 * too. Returns 0 when unambiguous, 1 when ambiguous, -1 when it is not a date. */
int identity_date_norm(const char *in, char out[11]);

/* 1 same day, 0 different, -1 when either is missing or unreadable. A day/month-ambiguous
 * date (see above) matches when either reading is the other date: the order a record was
 * written in is not known, and a wrong "mismatch" would block the patient's own records. */
int identity_date_cmp(const char *a, const char *b);

/* Patient IDs: the first '^' component (DICOM/HL7 "ID^^^AUTHORITY"), then letters and digits
 * only, case-insensitive, a number's leading zeros ignored ("MRN-0012345" is "mrn12345"). 1 same, 0 different, -1 when either empty. */
int identity_id_match(const char *a, const char *b);
/* The ID reduced as identity_id_match compares it; out has room for len bytes. */
void identity_id_norm(const char *in, char *out, size_t len);

#endif
