/* test_check.c: rules/check.c against the built-in default manifest: required categories
 * found or missing (and "if FACT" ones only with the fact), duplicates packed once, an
 * unclassified document counted, and today's patient identity comparisons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/job.h"
#include "rules/check.h"
#include "sys/rp.h"

static struct document *pdf(struct doclist *l, const char *rel, const char *cat, char hashbyte)
{
	struct document *d = doclist_add(l, rel, rel, rel, cat);
	d->sniff.type = T_PDF;
	d->sniff.pdf_has_eof = 1;
	d->size = 1000;
	d->hashed = 1;
	memset(d->sha256, hashbyte, 64);
	d->sha256[64] = '\0';
	return d;
}

static const struct category_result *cat(const struct check_result *r, const char *name)
{
	for (size_t i = 0; i < r->ncats; i++)
		if (strcmp(r->cats[i].cat->name, name) == 0)
			return &r->cats[i];
	fail_msg("no category %s in the result", name);
	return NULL;
}

static size_t count_code(const struct problems *p, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += strcmp(p->v[i].code, code) == 0;
	return n;
}

static void prepare(struct job *job)
{
	char err[256] = "";
	job_init(job);
	job->manifest = manifest_load("default", err, sizeof(err));
	assert_non_null(job->manifest);
}

static void test_complete_and_missing(void **state)
{
	(void)state;
	struct job job;
	prepare(&job);
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct check_result res;
	const char *required[] = { "radiology", "pathology", "medications", "summary" };
	char b = 'a';
	for (size_t i = 0; i < 4; i++)
		pdf(&docs, required[i], required[i], b++);
	assert_int_equal(check_run(&job.patient, job.manifest, &docs, &probs, &res), RP_OK);
	assert_true(res.complete);
	assert_int_equal(cat(&res, "pathology")->status, CAT_OK);
	assert_int_equal(cat(&res, "pathology")->count, 1);
	assert_int_equal(cat(&res, "operative")->status, CAT_NA); /* no --surgery */
	assert_int_equal(count_code(&probs, P_MISSING_REQUIRED), 0);
	check_result_free(&res);
	problems_free(&probs);

	/* with --surgery the operative note is required, and missing */
	strlist_add(&job.patient.facts, "surgery");
	assert_int_equal(check_run(&job.patient, job.manifest, &docs, &probs, &res), RP_EFAIL);
	assert_false(res.complete);
	assert_int_equal(cat(&res, "operative")->status, CAT_MISSING);
	assert_int_equal(count_code(&probs, P_MISSING_REQUIRED), 1);
	assert_string_equal(cat_status_name(CAT_MISSING), "missing");
	check_result_free(&res);
	problems_free(&probs);
	doclist_free(&docs);
	job_free(&job);
}

static void test_duplicates_and_unclassified(void **state)
{
	(void)state;
	struct job job;
	prepare(&job);
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct check_result res;
	pdf(&docs, "a/Pathology.pdf", "pathology", 'a');
	pdf(&docs, "b/Pathology copy.pdf", "pathology", 'a'); /* same bytes */
	pdf(&docs, "notes-from-mom.pdf", NULL, 'c');
	check_run(&job.patient, job.manifest, &docs, &probs, &res);
	assert_int_equal(count_code(&probs, P_DUPLICATE), 1);
	int dropped = docs.v[0].excluded ? 0 : 1;
	assert_true(docs.v[dropped].excluded);
	assert_false(docs.v[1 - dropped].excluded);
	assert_int_equal(docs.v[dropped].duplicate_of, 1 - dropped);
	assert_int_equal(cat(&res, "pathology")->count, 1); /* packed once */
	assert_int_equal(res.unclassified, 1);
	assert_false(res.complete); /* radiology and others are missing */
	check_result_free(&res);
	problems_free(&probs);
	doclist_free(&docs);
	job_free(&job);
}

static void test_identity(void **state)
{
	(void)state;
	assert_true(patient_names_match("DOE^JANE", "Jane Doe"));
	assert_true(patient_names_match("DOE^JANE^M", "jane doe"));
	assert_false(patient_names_match("DOE^JANE", "John Smith"));
	assert_false(patient_names_match("SMITH^JANE", "Jane Doe"));
	assert_true(patient_dates_match("19700131", "1970-01-31"));
	assert_false(patient_dates_match("19700131", "1970-01-30"));
	assert_true(patient_ids_match("12345", "12345"));
	assert_false(patient_ids_match("12345", "12346"));
	assert_false(patient_ids_match("1234", "12345"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_and_missing),
		cmocka_unit_test(test_duplicates_and_unclassified),
		cmocka_unit_test(test_identity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
