/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_letter.c: packet/letter.c, the records-request letter: what it asks for (a missing
 * category in its manifest's words, the images of a report whose study is not here, named by
 * the kind of scan and the report's date, slides by case number, newer and earlier records),
 * the 30-day deadline, and the same words in the text and the HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/letter.h"

static const char manifest_text[] =
	"[radiology]\ntitle = Radiology images and reports\nimages_required = yes\nmax_age = 6 months\n"
	"priors = 2 years\n"
	"[pathology]\ntitle = Pathology reports\nask = every pathology report\n"
	"[slides]\ntitle = Glass slides\nkind = physical\nshipped = if slides-sent\ncases_from = pathology\n"
	"ask = the glass slides\n";

static struct document *doc(struct doclist *l, const char *name, const char *cat, const char *title,
			    const char *date, const char *kase)
{
	struct document *d = doclist_add(l, name, name, name, cat);
	d->sniff.type = T_PDF;
	d->sniff.pdf_has_eof = 1;
	d->facts = calloc(1, sizeof(*d->facts));
	d->facts->status = FACTS_READ;
	snprintf(d->facts->title, sizeof(d->facts->title), "%s", title);
	snprintf(d->facts->date, sizeof(d->facts->date), "%s", date);
	if (kase)
		snprintf(d->facts->cases[d->facts->ncases++], sizeof(d->facts->cases[0]), "%s", kase);
	return d;
}

struct fixture {
	struct manifest *m;
	struct doclist docs;
	struct problems probs;
	struct check_result res;
	struct patient pt;
	struct letter l;
	struct strlist items;
};

static void run(struct fixture *f, const char *today)
{
	char err[256];
	f->m = manifest_parse(manifest_text, "t.ini", err, sizeof(err));
	assert_non_null(f->m);
	snprintf(f->pt.today, sizeof(f->pt.today), "%s", today);
	f->pt.name = "Jane Doe";
	check_run(&f->pt, f->m, &f->docs, &f->probs, &f->res);
	f->l = (struct letter){ .pt = &f->pt, .m = f->m, .docs = &f->docs, .res = &f->res, .to = "Springfield Imaging",
				.to_address = "1 Main St\n\n  Springfield  \n", .date = today };
	letter_items(&f->l, &f->items);
}

static void done(struct fixture *f)
{
	strlist_free(&f->items);
	check_result_free(&f->res);
	problems_free(&f->probs);
	doclist_free(&f->docs);
	manifest_free(f->m);
	strlist_free(&f->pt.facts);
}

static void test_ct_images_and_pathology(void **state)
{
	(void)state;
	struct fixture f = { 0 };
	doc(&f.docs, "ct.pdf", "radiology", "CT CHEST WITH CONTRAST", "03/01/2026", NULL);
	run(&f, "2026-04-01");
	assert_int_equal(f.items.n, 4);
	assert_string_equal(f.items.v[0], "the CT of 2026-03-01 as DICOM images on a disc or by download, not only the report");
	assert_string_equal(f.items.v[1], "any earlier radiology images and reports from the 2 years before 2026-03-01, for comparison");
	assert_string_equal(f.items.v[2], "every pathology report");
	assert_string_equal(f.items.v[3], "the glass slides, for each biopsy and surgery");

	size_t tlen, hlen;
	char *t = letter_text(&f.l, &tlen), *h = letter_html(&f.l, &hlen);
	assert_non_null(t);
	assert_non_null(h);
	assert_int_equal(strlen(t), tlen);
	assert_non_null(strstr(t, "April 1, 2026\n"));
	assert_non_null(strstr(t, "within 30 days, that is by May 1, 2026"));
	assert_non_null(strstr(t, "\n1 Main St\nSpringfield\n")); /* blank lines and spaces dropped */
	assert_non_null(strstr(t, "  1. the CT of 2026-03-01"));
	assert_non_null(strstr(t, "Date of birth: ____________")); /* a blank to fill in */
	assert_non_null(strstr(h, "<li>the CT of 2026-03-01"));
	assert_null(strstr(h, "<script"));
	free(t);
	free(h);
	done(&f);
}

static void test_slides_by_case_and_recency(void **state)
{
	(void)state;
	struct fixture f = { 0 };
	doc(&f.docs, "mri.pdf", "radiology", "MRI BREAST BILATERAL", "2025-01-15", NULL);
	doc(&f.docs, "path.pdf", "pathology", "SURGICAL PATHOLOGY REPORT", "2026-03-02", "S26-12345");
	doc(&f.docs, "path2.pdf", "pathology", "ADDENDUM", "2026-03-09", "S26-12399");
	run(&f, "2026-04-01");
	assert_int_equal(f.items.n, 3);
	assert_string_equal(f.items.v[0], "the MRI of 2025-01-15 as DICOM images on a disc or by download, not only the report");
	assert_string_equal(f.items.v[1], "any radiology images and reports from after 2025-10-01 (the newest I have is from 2025-01-15)");
	assert_string_equal(f.items.v[2], "the glass slides for pathology cases S26-12345 and S26-12399");
	done(&f);
}

static void test_nothing_missing(void **state)
{
	(void)state;
	struct fixture f = { 0 };
	strlist_add(&f.pt.facts, "slides-sent");
	doc(&f.docs, "path.pdf", "pathology", "SURGICAL PATHOLOGY REPORT", "2026-03-02", "S26-12345");
	struct document *img = doclist_add(&f.docs, "IM1", "IM1", "IM1", "radiology");
	struct dicom_info x;
	memset(&x, 0, sizeof(x));
	snprintf(x.study_uid, sizeof(x.study_uid), "1.2.3");
	snprintf(x.study_date, sizeof(x.study_date), "20230301"); /* a prior */
	img->sniff.type = T_DICOM;
	document_set_dicom(&f.docs, img, &x);
	img = doclist_add(&f.docs, "IM2", "IM2", "IM2", "radiology");
	snprintf(x.study_uid, sizeof(x.study_uid), "1.2.4");
	snprintf(x.study_date, sizeof(x.study_date), "20260301");
	img->sniff.type = T_DICOM;
	document_set_dicom(&f.docs, img, &x);
	run(&f, "2026-04-01");
	assert_int_equal(f.items.n, 0);
	assert_null(letter_text(&f.l, NULL));
	assert_null(letter_html(&f.l, NULL));
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ct_images_and_pathology),
		cmocka_unit_test(test_slides_by_case_and_recency),
		cmocka_unit_test(test_nothing_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
