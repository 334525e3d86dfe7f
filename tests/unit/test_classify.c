/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for classify.c (names, codes, titles). Identity rules: test_identity.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A document with facts as a reader would leave them. */
static struct document *read_doc(const char *relpath, enum doc_type t, const char *code, const char *title,
				 const char *text)
{
	static struct doc_facts f;
	static struct document d;
	memset(&f, 0, sizeof(f));
	memset(&d, 0, sizeof(d));
	f.status = FACTS_READ;
	snprintf(f.code, sizeof(f.code), "%s", code);
	snprintf(f.title, sizeof(f.title), "%s", title);
	snprintf(f.text, sizeof(f.text), "%s", text);
	d.relpath = (char *)relpath;
	d.source = (char *)relpath;
	d.sniff.type = t;
	d.facts = &f;
	return &d;
}

static const char *cat_of_doc(const struct manifest *m, const struct document *d)
{
	const char *c = classify_document(d, m);
	return c ? c : "(none)";
}

static void content_first(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_load("default", err, sizeof(err));
	assert_non_null(m);
	/* coded types */
	static const struct { const char *code, *want; } codes[] = {
		{ "11526-1", "pathology" }, { "60567-5", "pathology" }, { "LP7839-6", "pathology" },
		{ "11504-8", "operative" }, { "28573-4", "operative" }, { "18842-5", "hospital" },
		{ "11488-4", "hospital" }, { "34117-2", "hospital" }, { "11506-3", "hospital" },
		{ "18748-4", "radiology" }, { "LP29684-5", "radiology" }, { "74156-1", "summary" },
		{ "18776-5", "summary" }, { "10160-0", "medications" }, { "56445-0", "medications" },
	};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *got = cat_of_doc(m, read_doc("x/scan0001.pdf", T_XML, codes[i].code, "", ""));
		if (strcmp(got, codes[i].want) != 0)
			fail_msg("code %s: got %s, want %s", codes[i].code, got, codes[i].want);
	}
	/* the code wins over the title, the title over the name */
	assert_string_equal(cat_of_doc(m, read_doc("x/pathology.pdf", T_PDF, "18748-4", "Pathology report", "")),
			    "radiology");
	assert_string_equal(cat_of_doc(m, read_doc("x/scan0001.pdf", T_PDF, "", "SURGICAL PATHOLOGY REPORT", "")),
			    "pathology");
	assert_string_equal(cat_of_doc(m, read_doc("x/pathology.pdf", T_PDF, "", "CT CHEST WITH CONTRAST", "")),
			    "radiology");
	/* headings in the leading text: at the start of a line, or anywhere in a line in capitals */
	assert_string_equal(cat_of_doc(m, read_doc("x/doc.pdf", T_PDF, "", "",
						   "Memorial Hospital\nDepartment of Surgery\n  Operative Note\nPatient: X\n")),
			    "operative");
	assert_string_equal(cat_of_doc(m, read_doc("x/doc.pdf", T_PDF, "", "",
						   "MEMORIAL HOSPITAL   FINAL DISCHARGE SUMMARY\nText\n")),
			    "hospital");
	/* the earliest heading decides: a discharge summary lists medications further down */
	assert_string_equal(cat_of_doc(m, read_doc("x/doc.pdf", T_PDF, "", "",
						   "Discharge Summary\nMedication list:\n- aspirin\n")),
			    "hospital");
	/* the longer phrase at the same place: "oncology consultation" is the plan, not a consult */
	assert_string_equal(cat_of_doc(m, read_doc("x/doc.pdf", T_PDF, "", "Oncology Consultation", "")), "summary");
	/* words in running text are not headings, and phrases match whole words only */
	assert_string_equal(cat_of_doc(m, read_doc("x/doc.pdf", T_PDF, "", "",
						   "Dear colleague,\nher ct scan and pathology report are attached\n")),
			    "(none)");
	assert_string_equal(cat_of_doc(m, read_doc("x/doc.pdf", T_PDF, "", "Careplanning", "")), "(none)");
	/* the file name when the content says nothing */
	assert_string_equal(cat_of_doc(m, read_doc("x/Medication List.pdf", T_PDF, "", "", "hello")), "medications");
	/* unread facts do not count */
	struct document *d = read_doc("x/scan.pdf", T_PDF, "11526-1", "", "");
	((struct doc_facts *)d->facts)->status = FACTS_IMAGE_ONLY;
	assert_string_equal(cat_of_doc(m, d), "(none)");
	manifest_free(m);
}

static void name_content_warning(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_load("default", err, sizeof(err));
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct doc_facts *f = calloc(1, sizeof(*f));
	f->status = FACTS_READ;
	snprintf(f->title, sizeof(f->title), "CT CHEST WITH CONTRAST");
	struct document *d = doclist_add(&docs, "dl/pathology.pdf", "dl/pathology.pdf", "pathology.pdf", NULL);
	d->sniff.type = T_PDF;
	d->facts = f;
	d = doclist_add(&docs, "dl/Surgical Pathology.pdf", "dl/Surgical Pathology.pdf", "Surgical Pathology.pdf", NULL);
	d->sniff.type = T_PDF;
	classify_all(&docs, m, &probs);
	assert_string_equal(docs.v[0].category, "radiology");
	assert_string_equal(docs.v[1].category, "pathology");
	assert_int_equal(probs.n, 1);
	assert_string_equal(probs.v[0].code, P_NAME_CONTENT);
	assert_int_equal(probs.v[0].severity, SEV_WARNING);
	assert_non_null(strstr(probs.v[0].message, "\"CT CHEST WITH CONTRAST\""));
	assert_non_null(strstr(probs.v[0].message, "pathology=dl/pathology.pdf"));
	problems_free(&probs);
	doclist_free(&docs);
	manifest_free(m);
}

static void user_manifest_codes_and_titles(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_parse("[path]\ncodes = 11526-1, X-42\ncodes = Y-7\ntitles = Biopsy Result, "
					    "marrow report\n[other]\nmatch = *\n",
					    "x.ini", err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(m->cats[0].codes.n, 3);
	assert_string_equal(m->cats[0].titles.v[0], "biopsy result");
	assert_string_equal(cat_of_doc(m, read_doc("a/b.xml", T_XML, "y-7", "", "")), "path");
	assert_string_equal(cat_of_doc(m, read_doc("a/b.pdf", T_PDF, "", "", "BIOPSY RESULT\n")), "path");
	assert_string_equal(cat_of_doc(m, read_doc("a/b.pdf", T_PDF, "", "", "nothing\n")), "other");
	assert_int_equal(m->cats[0].images_required, 0);
	manifest_free(m);
	assert_null(manifest_parse("[a]\nimages_required = maybe\n", "x.ini", err, sizeof(err)));
	assert_non_null(strstr(err, "x.ini:2: images_required must be 'yes' or 'no'"));
	m = manifest_load("default", err, sizeof(err));
	assert_int_equal(manifest_category(m, "radiology")->images_required, 1);
	assert_int_equal(manifest_category(m, "pathology")->images_required, 0);
	manifest_free(m);
}

static void arguments_and_suggestions(void **state)
{
	(void)state;
	char buf[128], err[512];
	assert_string_equal(classify_argument("pathology", "dl/scan1.pdf", buf, sizeof(buf)), "pathology=dl/scan1.pdf");
	assert_string_equal(classify_argument("pathology", "My Scans/it's.pdf", buf, sizeof(buf)),
			    "pathology='My Scans/it'\\''s.pdf'");
	assert_string_equal(classify_argument("summary", "a$b", buf, sizeof(buf)), "summary='a$b'");
	classify_argument("summary", "a very long name indeed", buf, 12);
	assert_true(strlen(buf) < 12);
	struct manifest *m = manifest_load("default", err, sizeof(err));
	assert_string_equal(classify_suggest(read_doc("x/n.txt", T_TEXT, "", "", "the radiology people said"), m),
			    "radiology");
	assert_string_equal(classify_suggest(read_doc("x/n.txt", T_TEXT, "", "", "see the pathology report below"), m),
			    "pathology");
	assert_null(classify_suggest(read_doc("x/n.txt", T_TEXT, "", "", "hello"), m));
	manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(download_folder),
		cmocka_unit_test(dicom_content_wins),
		cmocka_unit_test(catch_all_pattern),
		cmocka_unit_test(content_first),
		cmocka_unit_test(name_content_warning),
		cmocka_unit_test(user_manifest_codes_and_titles),
		cmocka_unit_test(arguments_and_suggestions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
