/* Unit tests for classify.c (names, codes, titles). Identity rules: test_identity.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/check.h"
#include "rules/classify.h"
#include "rules/manifest.h"

static const char *category_of(const struct manifest *m, const char *relpath, enum doc_type t)
{
	static struct document d;
	memset(&d, 0, sizeof(d));
	d.relpath = (char *)relpath;
	d.sniff.type = t;
	return classify_document(&d, m);
}

static void download_folder(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_load("default", err, sizeof(err));
	assert_non_null(m);
	static const struct { const char *path, *want; } cases[] = {
		{ "Downloads/Surgical_Pathology_Report_2026-03-20.pdf", "pathology" },
		{ "Downloads/Operative_Note_2026-03-18.pdf", "operative" },
		{ "Downloads/Discharge_Summary_2026-03-22.pdf", "hospital" },
		{ "Downloads/Medication List.pdf", "medications" },
		{ "Downloads/Treatment Plan Summary.pdf", "summary" },
		{ "Downloads/CT_Chest_Report_2026-03-01.pdf", "radiology" },
		{ "Downloads/MRI Brain report.pdf", "radiology" },
		{ "Downloads/Pathology/scan0001.pdf", "pathology" },
		{ "Downloads/op note.pdf", "operative" },
		{ "Downloads/BIOPSY RESULTS.PDF", "pathology" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = category_of(m, cases[i].path, T_PDF);
		if (!got || strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got %s, want %s", cases[i].path, got ? got : "(none)", cases[i].want);
	}
	assert_null(category_of(m, "Downloads/notes-from-mom.txt", T_TEXT));
	assert_null(category_of(m, "Downloads/IMG_2231.jpg", T_JPEG));
	manifest_free(m);
}

static void dicom_content_wins(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_load("default", err, sizeof(err));
	assert_string_equal(category_of(m, "stuff/Medication List", T_DICOM), "radiology");
	assert_string_equal(category_of(m, "X/DICOMDIR", T_DICOMDIR), "radiology");
	struct document d = { .relpath = "a/IM1", .category = "pathology", .explicit_category = 1 };
	d.sniff.type = T_DICOM;
	assert_string_equal(classify_document(&d, m), "pathology"); /* the prefix wins */
	manifest_free(m);
}

static void catch_all_pattern(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_parse("[path]\nmatch = *patholog*\n[other]\nmatch = *\n", "x.ini", err, sizeof(err));
	assert_non_null(m);
	assert_string_equal(category_of(m, "a/Pathology.pdf", T_PDF), "path");
	assert_string_equal(category_of(m, "a/anything.pdf", T_PDF), "other");
	manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(download_folder),
		cmocka_unit_test(dicom_content_wins),
		cmocka_unit_test(catch_all_pattern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
