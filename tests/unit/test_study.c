/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_study.c: rules/study.c, radiology grouped by DICOM study: one study per UID in
 * first-seen order, images and bytes counted, excluded and non-DICOM documents left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/study.h"

static struct document *image(struct doclist *l, const char *rel, const char *study, const char *date,
			      uint64_t size)
{
	struct dicom_info x;
	memset(&x, 0, sizeof(x));
	snprintf(x.study_uid, sizeof(x.study_uid), "%s", study);
	snprintf(x.study_date, sizeof(x.study_date), "%s", date);
	snprintf(x.modality, sizeof(x.modality), "CT");
	snprintf(x.patient_name, sizeof(x.patient_name), "DOE^JANE");
	struct document *d = doclist_add(l, "/cd", "/cd/x", rel, "radiology");
	d->dicom = doclist_dicom(l, &x);
	d->sniff.type = T_DICOM;
	d->size = size;
	return d;
}

static void test_collect(void **state)
{
	(void)state;
	struct doclist l = { 0 };
	image(&l, "a/IM1", "1.2.2", "20260301", 100);
	image(&l, "b/IM1", "1.2.1", "20260302", 7);
	image(&l, "a/IM2", "1.2.2", "20260301", 50);
	image(&l, "a/IM3", "1.2.2", "20260301", 1000)->excluded = 1; /* not packed */
	image(&l, "c/IM1", "1.2.3", "20260303", 1)->excluded = 1;     /* a study of excluded images only */
	struct document *pdf = doclist_add(&l, "/r", "/r/p.pdf", "p.pdf", "pathology");
	pdf->sniff.type = T_PDF;

	struct study *s = NULL;
	size_t n = studies_collect(&l, &s);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].uid, "1.2.2"); /* first seen, not sorted */
	assert_int_equal(s[0].images, 2);
	assert_int_equal(s[0].bytes, 150);
	assert_string_equal(s[0].modality, "CT");
	assert_string_equal(s[0].date, "20260301");
	assert_string_equal(s[0].patient_name, "DOE^JANE");
	assert_ptr_equal(s[0].first, &l.v[0]);
	assert_null(s[0].dicomdir); /* no disc */
	assert_string_equal(s[1].uid, "1.2.1");
	assert_int_equal(s[1].images, 1);
	free(s);
	doclist_free(&l);
}

static void test_collect_none(void **state)
{
	(void)state;
	struct doclist l = { 0 };
	struct study *s = NULL;
	assert_int_equal(studies_collect(&l, &s), 0);
	free(s);
}

static void test_date_iso(void **state)
{
	(void)state;
	char buf[16];
	assert_string_equal(study_date_iso("20260301", buf, sizeof(buf)), "2026-03-01");
	assert_string_equal(study_date_iso("2026031", buf, sizeof(buf)), "2026031");   /* not a DA */
	assert_string_equal(study_date_iso("2026-03-01", buf, sizeof(buf)), "2026-03-01");
	assert_string_equal(study_date_iso("2026O301", buf, sizeof(buf)), "2026O301"); /* a letter O */
	assert_string_equal(study_date_iso("19700231", buf, sizeof(buf)), "19700231"); /* no such day */
	assert_string_equal(study_date_iso("", buf, sizeof(buf)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_collect_none),
		cmocka_unit_test(test_date_iso),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
