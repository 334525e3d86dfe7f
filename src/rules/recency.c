/* SPDX-License-Identifier: GPL-3.0-or-later */
/* recency.c: see recency.h. */
#include "rules/recency.h"

#include <stdio.h>
#include <string.h>

#include "rules/identity.h"

int document_date(const struct document *d, char out[11])
{
	const char *raw = NULL;
	out[0] = '\0';
	if (d->dicom && d->dicom->study_date && d->dicom->study_date[0])
		raw = d->dicom->study_date;
	else if (d->facts && d->facts->status == FACTS_READ && d->facts->date[0])
		raw = d->facts->date;
	if (!raw || identity_date_norm(raw, out) < 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

static int parse_iso(const char *s, int *y, int *m, int *d)
{
	char tail;
	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) == 3 && *m >= 1 && *m <= 12 &&
			       *d >= 1 && *d <= 31 ? 0 : -1;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : days[m - 1];
}

static void put_iso(char out[11], long y, int m, int d)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%04ld-%02d-%02d", y < 0 ? 0 : y > 9999 ? 9999 : y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/* Days since 1970-01-01 and back (H. Hinnant's civil calendar algorithms). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, char out[11])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
	long y = yoe + era * 400 + (m <= 2);
	put_iso(out, y, m, d);
}

int date_plus_days(const char *iso, int days, char out[11])
{
	int y, m, d;
	if (parse_iso(iso, &y, &m, &d) < 0)
		return -1;
	civil_from_days(days_from_civil(y, m, d) + days, out);
	return 0;
}

int date_minus(const char *iso, const struct age *a, char out[11])
{
	int y, m, d;
	if (parse_iso(iso, &y, &m, &d) < 0)
		return -1;
	if (a->unit == AGE_DAYS || a->unit == AGE_WEEKS)
		return date_plus_days(iso, -a->n * (a->unit == AGE_WEEKS ? 7 : 1), out);
	int months = y * 12 + (m - 1) - a->n * (a->unit == AGE_YEARS ? 12 : 1);
	y = months / 12, m = months % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	put_iso(out, y, m, d);
	return 0;
}

const char *date_words(const char *iso, char *buf, size_t len)
{
	static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
					      "August", "September", "October", "November", "December" };
	int y, m, d;
	if (parse_iso(iso, &y, &m, &d) < 0)
		snprintf(buf, len, "%s", iso ? iso : "");
	else
		snprintf(buf, len, "%s %d, %d", months[m - 1], d, y);
	return buf;
}

void category_dates(const struct doclist *docs, const char *category, char newest[11], char oldest[11],
		    const struct document **newest_doc)
{
	newest[0] = oldest[0] = '\0';
	if (newest_doc)
		*newest_doc = NULL;
	const void *last = NULL;
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		char date[11];
		if (d->excluded || d->furniture || !d->category || strcmp(d->category, category) != 0)
			continue;
		if (d->dicom && d->dicom == last)
			continue; /* a series' slices share one date */
		last = d->dicom;
		if (document_date(d, date) < 0)
			continue;
		if (!newest[0] || strcmp(date, newest) > 0) {
			memcpy(newest, date, 11);
			if (newest_doc)
				*newest_doc = d;
		}
		if (!oldest[0] || strcmp(date, oldest) < 0)
			memcpy(oldest, date, 11);
	}
}

/* "the CT of ..." / "ct.pdf": how the newest document is named in a message. */
static const char *doc_label(const struct document *d)
{
	if (d->dicom && d->dicom->study_description && d->dicom->study_description[0])
		return d->dicom->study_description;
	if (d->facts && d->facts->title[0])
		return d->facts->title;
	return document_name(d);
}

void recency_check(const struct category *c, const struct doclist *docs, const char *today, struct problems *probs)
{
	char newest[11], oldest[11], cutoff[11], span[32], pspan[32];
	const struct document *nd;
	if (!today || !today[0] || (!c->max_age.n && !c->priors.n))
		return;
	category_dates(docs, c->name, newest, oldest, &nd);
	if (!newest[0] || !c->max_age.n || date_minus(today, &c->max_age, cutoff) < 0)
		return;
	manifest_age_text(&c->max_age, span, sizeof(span));
	if (strcmp(newest, cutoff) < 0) {
		problems_add(probs, c->outdated_blocks ? SEV_ERROR : SEV_WARNING, P_OUTDATED, nd->source,
			     "%s: the newest record is dated %s (%s, %s), older than the %s the doctor wants (nothing "
			     "since %s). Add more recent records if there are any; if not, ask for new ones "
			     "('recpack request' writes the letter)",
			     c->name, newest, doc_label(nd), nd->source, span, cutoff);
		return;
	}
	if (c->priors.n && strcmp(oldest, cutoff) >= 0)
		problems_add(probs, SEV_INFO, P_NO_PRIORS, NULL,
			     "%s: every dated record is from the last %s (the oldest %s); the doctor also "
			     "compares with earlier ones from the %s before, if there are any: add them, or ask "
			     "for them ('recpack request')",
			     c->name, span, oldest, manifest_age_text(&c->priors, pspan, sizeof(pspan)));
}
