/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_document.c: read/document.c, the document list: names kept whole though stored
 * shared, a file's name, and each distinct set of DICOM fields kept once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "read/document.h"

static void test_add_keeps_names(void **state)
{
	(void)state;
	struct doclist l = { 0 };
	struct document *d = doclist_add(&l, "/records", "/records/CD/DICOM/IM1", "CD/DICOM/IM1", "radiology");
	assert_string_equal(d->source, "/records");
	assert_string_equal(d->path, "/records/CD/DICOM/IM1");
	assert_string_equal(d->relpath, "CD/DICOM/IM1");
	assert_string_equal(d->category, "radiology");
	assert_true(d->explicit_category);
	assert_int_equal(d->duplicate_of, -1);
	assert_string_equal(document_name(d), "IM1");
	/* a source that is the file itself: path and relpath are tails of it */
	d = doclist_add(&l, "/r/Pathology.pdf", "/r/Pathology.pdf", "Pathology.pdf", NULL);
	assert_string_equal(d->path, "/r/Pathology.pdf");
	assert_string_equal(d->relpath, "Pathology.pdf");
	assert_null(d->category);
	assert_false(d->explicit_category);
	/* many documents: the list grows, earlier entries stay intact */
	for (int i = 0; i < 1000; i++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "notes/n%d.txt", i);
		doclist_add(&l, "https://portal.example/x?token=REDACTED", "/tmp/dl/1", rel, NULL);
	}
	assert_int_equal(l.n, 1002);
	assert_string_equal(l.v[0].relpath, "CD/DICOM/IM1");
	assert_string_equal(l.v[1001].relpath, "notes/n999.txt");
	assert_string_equal(document_name(&l.v[1001]), "n999.txt");
	assert_string_equal(l.v[1001].path, "/tmp/dl/1");
	doclist_free(&l);
}

static void fill(struct dicom_info *x, const char *name, const char *study)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->patient_name, sizeof(x->patient_name), "%s", name);
	snprintf(x->study_uid, sizeof(x->study_uid), "%s", study);
	snprintf(x->modality, sizeof(x->modality), "CT");
}

static void test_dicom_fields_shared(void **state)
{
	(void)state;
	struct doclist l = { 0 };
	struct dicom_info a, b, c;
	fill(&a, "DOE^JANE", "1.2.3");
	fill(&b, "DOE^JANE", "1.2.3");
	snprintf(b.sop_instance_uid, sizeof(b.sop_instance_uid), "9.9"); /* per image, not kept: the same set */
	fill(&c, "DOE^JANE", "1.2.4");
	const struct doc_dicom *da = doclist_dicom(&l, &a);
	const struct doc_dicom *db = doclist_dicom(&l, &b);
	const struct doc_dicom *dc = doclist_dicom(&l, &c);
	assert_ptr_equal(da, db);
	assert_ptr_not_equal(da, dc);
	assert_string_equal(da->patient_name, "DOE^JANE");
	assert_string_equal(da->study_uid, "1.2.3");
	assert_string_equal(dc->study_uid, "1.2.4");
	assert_string_equal(da->modality, "CT");
	assert_string_equal(da->study_date, ""); /* absent: "" */
	doclist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_keeps_names),
		cmocka_unit_test(test_dicom_fields_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
