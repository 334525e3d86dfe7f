/* SPDX-License-Identifier: GPL-3.0-or-later */
/* recency.h: the date each document states (DICOM StudyDate, a C-CDA/FHIR effective date, a
 * report's date of service) as YYYY-MM-DD, date arithmetic on such dates, and the manifest's
 * recency rules (max_age, priors). No I/O, no clock: "today" is handed in. */
#ifndef RECENCY_H
#define RECENCY_H

#include "read/document.h"
#include "rules/manifest.h"
#include "rules/problem.h"

/* The date d states, as YYYY-MM-DD into out; 0, or -1 (out "") when it states none. */
int document_date(const struct document *d, char out[11]);

/* iso (YYYY-MM-DD) moved back by a (months and years by the calendar, the day clamped to the
 * month's last), or forward by days when days > 0 and a is NULL. 0, or -1 for a bad date. */
int date_minus(const char *iso, const struct age *a, char out[11]);
int date_plus_days(const char *iso, int days, char out[11]);

/* "March 1, 2026" from "2026-03-01", into buf; iso itself when it is not a date. */
const char *date_words(const char *iso, char *buf, size_t len);

/* The newest and oldest dated documents packed under category c (out "" when none is dated);
 * newest_doc gets the newest one. */
void category_dates(const struct doclist *docs, const char *category, char newest[11], char oldest[11],
		    const struct document **newest_doc);

/* max_age and priors of c against today (YYYY-MM-DD; "" skips the check): problems added. */
void recency_check(const struct category *c, const struct doclist *docs, const char *today,
		   struct problems *probs);

#endif
