/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_recency.c: rules/recency.c: each document's stated date as YYYY-MM-DD, calendar
 * arithmetic (month ends, leap years), and the max_age / priors rules against a fixed today. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/recency.h"

static void test_date_minus(void **state)
{
	(void)state;
	char out[11];
	struct age six = { 6, AGE_MONTHS }, two = { 2, AGE_YEARS }, week = { 1, AGE_WEEKS }, days = { 30, AGE_DAYS };
	assert_int_equal(date_minus("2026-04-01", &six, out), 0);
	assert_string_equal(out, "2025-10-01");
	assert_int_equal(date_minus("2026-08-31", &six, out), 0);
	assert_string_equal(out, "2026-02-28"); /* clamped to February's last day */
	assert_int_equal(date_minus("2024-02-29", &two, out), 0);
	assert_string_equal(out, "2022-02-28");
	assert_int_equal(date_minus("2026-03-03", &week, out), 0);
	assert_string_equal(out, "2026-02-24");
	assert_int_equal(date_minus("2024-03-01", &days, out), 0);
	assert_string_equal(out, "2024-01-31"); /* 29 days of a leap February */
	assert_int_equal(date_minus("2026-13-01", &six, out), -1);
	assert_int_equal(date_minus("yesterday", &six, out), -1);
}

static void test_date_plus(void **state)
{
	(void)state;
	char out[11], words[40];
	assert_int_equal(date_plus_days("2026-12-05", 30, out), 0);
	assert_string_equal(out, "2027-01-04");
	assert_int_equal(date_plus_days("2028-02-15", 30, out), 0);
	assert_string_equal(out, "2028-03-16");
	assert_string_equal(date_words("2027-01-04", words, sizeof(words)), "January 4, 2027");
	assert_string_equal(date_words("soon", words, sizeof(words)), "soon");
}

static struct document *report(struct doclist *l, const char *name, const char *date)
{
	struct document *d = doclist_add(l, name, name, name, "radiology");
	d->sniff.type = T_PDF;
	d->facts = calloc(1, sizeof(*d->facts));
	d->facts->status = FACTS_READ;
	snprintf(d->facts->date, sizeof(d->facts->date), "%s", date);
	return d;
}

static void test_document_date(void **state)
{
	(void)state;
	struct doclist l = { 0 };
	char out[11];
	assert_int_equal(document_date(report(&l, "a.pdf", "03/01/2026"), out), 0);
	assert_string_equal(out, "2026-03-01");
	assert_int_equal(document_date(report(&l, "b.pdf", "20260302101500-0500"), out), 0); /* HL7 TS */
	assert_string_equal(out, "2026-03-02");
	assert_int_equal(document_date(report(&l, "c.pdf", ""), out), -1);
	assert_string_equal(out, "");
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].facts), l.v[i].facts = NULL;
	doclist_free(&l);
}

static size_t count_code(const struct problems *p, const char *code, enum severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += strcmp(p->v[i].code, code) == 0 && p->v[i].severity == sev;
	return n;
}

static void test_recency_check(void **state)
{
	(void)state;
	struct doclist l = { 0 };
	struct problems p = { 0 };
	struct category c = { .name = "radiology", .max_age = { 6, AGE_MONTHS }, .priors = { 2, AGE_YEARS } };
	report(&l, "old.pdf", "2025-01-15"); /* 14 months before today */
	recency_check(&c, &l, "2026-03-15", &p);
	assert_int_equal(count_code(&p, P_OUTDATED, SEV_WARNING), 1);
	assert_non_null(strstr(p.v[0].message, "2025-01-15")); /* names the newest date */
	problems_free(&p);

	c.outdated_blocks = 1;
	recency_check(&c, &l, "2026-03-15", &p);
	assert_int_equal(count_code(&p, P_OUTDATED, SEV_ERROR), 1);
	problems_free(&p);

	recency_check(&c, &l, "", &p); /* no today: nothing judged */
	assert_int_equal(p.n, 0);

	report(&l, "new.pdf", "2026-02-01"); /* recent, but nothing older than 6 months... */
	l.v[0].excluded = 1;                 /* ...once the old one is out */
	recency_check(&c, &l, "2026-03-15", &p);
	assert_int_equal(count_code(&p, P_OUTDATED, SEV_ERROR) + count_code(&p, P_OUTDATED, SEV_WARNING), 0);
	assert_int_equal(count_code(&p, P_NO_PRIORS, SEV_INFO), 1);
	problems_free(&p);

	l.v[0].excluded = 0; /* the old one is a prior: no problem at all */
	recency_check(&c, &l, "2026-03-15", &p);
	assert_int_equal(p.n, 0);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].facts), l.v[i].facts = NULL;
	doclist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_minus),
		cmocka_unit_test(test_date_plus),
		cmocka_unit_test(test_document_date),
		cmocka_unit_test(test_recency_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
