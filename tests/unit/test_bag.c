/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bag.c: packet/bag.c, the bag's layout: manifest-line path escaping and its inverse,
 * the Bagging-Date, index.html link encoding, and bag_plan's payload paths (numbered category
 * folders, unique names, a disc kept whole) and bag_neutralize's names for an encrypted packet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/job.h"
#include "packet/bag.h"
#include "sys/rp.h"

static void test_path_escape(void **state)
{
	(void)state;
	struct sbuf s = { 0 };
	bag_put_path(&s, "data/a%b\nc\rd e.pdf");
	char *got = sbuf_take(&s, NULL);
	assert_string_equal(got, "data/a%25b%0Ac%0Dd e.pdf");
	char *back = bag_unescape_path(got, strlen(got));
	assert_string_equal(back, "data/a%b\nc\rd e.pdf");
	free(back);
	free(got);
	back = bag_unescape_path("data/x%2fy", 10); /* only %0D %0A %25 are BagIt's escapes */
	assert_non_null(back);
	free(back);
}

static void test_date_and_href(void **state)
{
	(void)state;
	char buf[16];
	assert_string_equal(bag_date(0, buf, sizeof(buf)), "1970-01-01");
	assert_string_equal(bag_date(1767225599, buf, sizeof(buf)), "2025-12-31"); /* UTC */
	struct sbuf s = { 0 };
	html_href(&s, "data/05-medications/Meds list #2?.pdf");
	char *got = sbuf_take(&s, NULL);
	assert_null(strchr(got, ' '));
	assert_null(strchr(got, '#'));
	assert_null(strchr(got, '?'));
	assert_non_null(strstr(got, "data/05-medications/"));
	free(got);
}

static struct document *doc(struct doclist *l, const char *rel, const char *cat)
{
	struct document *d = doclist_add(l, "/r", "/r/x", rel, cat);
	d->sniff.type = T_PDF;
	return d;
}

static const char *path_of(const struct bag *b, const char *rel)
{
	for (size_t i = 0; i < b->nfiles; i++)
		if (strcmp(b->files[i].doc->relpath, rel) == 0)
			return b->files[i].path;
	return NULL;
}

static void test_plan_and_neutralize(void **state)
{
	(void)state;
	struct job job;
	char err[256] = "";
	job_init(&job);
	job.manifest = manifest_load("default", err, sizeof(err));
	assert_non_null(job.manifest);
	job.patient.name = strdup("Jane Doe");
	struct doclist docs = { 0 };
	doc(&docs, "a/Report.pdf", "pathology");
	doc(&docs, "b/REPORT.pdf", "pathology"); /* the same name ignoring case */
	doc(&docs, "notes.pdf", NULL);           /* unclassified: left out */
	doc(&docs, "old.pdf", "summary")->excluded = 1;
	static const char cd_root[] = "CD/"; /* with its slash, one string per disc, as rules/disc.c sets it */
	struct document *im = doc(&docs, "CD/DICOM/IM1", "radiology");
	im->sniff.type = T_DICOM;
	im->disc_root = cd_root;
	struct document *dd = doc(&docs, "CD/DICOMDIR", "radiology");
	dd->sniff.type = T_DICOMDIR;
	dd->disc_root = cd_root;

	struct bag b;
	memset(&b, 0, sizeof(b));
	assert_int_equal(bag_plan(&b, &job.patient, job.manifest, &docs, NULL, 1767225600, 0, err, sizeof(err)), 0);
	assert_non_null(strstr(b.name, "Doe"));
	assert_int_equal(b.nfiles, 4);
	assert_null(path_of(&b, "notes.pdf"));
	assert_null(path_of(&b, "old.pdf"));
	const char *p1 = path_of(&b, "a/Report.pdf"), *p2 = path_of(&b, "b/REPORT.pdf");
	assert_non_null(p1);
	assert_non_null(p2);
	assert_int_equal(strncmp(p1, "data/02-pathology/", 18), 0);
	assert_int_not_equal(strcasecmp(p1, p2), 0);
	assert_string_equal(path_of(&b, "CD/DICOM/IM1"), "data/01-radiology/CD/DICOM/IM1");
	assert_string_equal(path_of(&b, "CD/DICOMDIR"), "data/01-radiology/CD/DICOMDIR");

	bag_neutralize(&b, NULL);
	assert_string_equal(b.name, BAG_NEUTRAL_NAME);
	assert_non_null(b.real_name);
	assert_non_null(strstr(b.real_name, "Doe"));
	p1 = path_of(&b, "a/Report.pdf"), p2 = path_of(&b, "b/REPORT.pdf");
	if (strcmp(p1, "data/02-pathology/0001.pdf") != 0) { /* numbered in the packet's order */
		const char *t = p1;
		p1 = p2, p2 = t;
	}
	assert_string_equal(p1, "data/02-pathology/0001.pdf");
	assert_string_equal(p2, "data/02-pathology/0002.pdf");
	assert_string_equal(path_of(&b, "CD/DICOM/IM1"), "data/01-radiology/disc-1/DICOM/IM1");
	for (size_t i = 0; i < b.nfiles; i++)
		assert_non_null(b.files[i].real);

	bag_free(&b);
	memset(&b, 0, sizeof(b));
	assert_int_equal(bag_plan(&b, &job.patient, job.manifest, &docs, NULL, 0, 1, err, sizeof(err)), 0);
	assert_null(path_of(&b, "notes.pdf")); /* unclassified: never packed, even with allow_incomplete */
	bag_free(&b);

	memset(&b, 0, sizeof(b)); /* --name: never a path, and refused when nothing usable is left */
	assert_int_equal(bag_plan(&b, &job.patient, job.manifest, &docs, "../up", 0, 0, err, sizeof(err)), 0);
	assert_null(strchr(b.name, '/'));
	assert_string_not_equal(b.name, "..");
	bag_free(&b);
	memset(&b, 0, sizeof(b));
	assert_int_equal(bag_plan(&b, &job.patient, job.manifest, &docs, "/", 0, 0, err, sizeof(err)), RP_EUSAGE);
	assert_non_null(strstr(err, "--name"));
	bag_free(&b);
	doclist_free(&docs);
	job_free(&job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_escape),
		cmocka_unit_test(test_date_and_href),
		cmocka_unit_test(test_plan_and_neutralize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
