/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_report.c: cli/report.c, the check's result as JSON (the object packet.json carries) and
 * as text: every document and problem is in it with the values the check found, and a write
 * error is reported, not swallowed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/job.h"
#include "cli/report.h"
#include "sys/rp.h"

struct fixture {
	struct job job;
	struct doclist docs;
	struct problems probs;
	struct check_result res;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	job_init(&f->job);
	f->job.manifest = manifest_load("default", err, sizeof(err));
	if (!f->job.manifest)
		return -1;
	f->job.patient.name = strdup("Jane Doe");
	struct document *d = doclist_add(&f->docs, "/r/Surgical_Pathology.pdf", "/r/Surgical_Pathology.pdf",
					 "Surgical_Pathology.pdf", "pathology");
	d->sniff.type = T_PDF;
	d->sniff.pdf_has_eof = 1;
	d->size = 1234;
	d->hashed = 1;
	memset(d->sha256, 'a', 64);
	d = doclist_add(&f->docs, "/r/notes.txt", "/r/notes.txt", "notes.txt", NULL);
	d->sniff.type = T_TEXT;
	d->size = 5;
	check_run(&f->job.patient, f->job.manifest, &f->docs, &f->probs, &f->res);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	check_result_free(&f->res);
	problems_free(&f->probs);
	doclist_free(&f->docs);
	job_free(&f->job);
	free(f);
	return 0;
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	json_t *j = report_json(&f->job.patient, f->job.manifest, &f->docs, &f->res, &f->probs);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "schema")), REPORT_SCHEMA_VERSION);
	assert_true(json_is_false(json_object_get(j, "complete"))); /* radiology and more missing */
	assert_string_equal(json_string_value(json_object_get(j, "manifest")), "default");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "patient"), "name")), "Jane Doe");
	json_t *docs = json_object_get(j, "documents");
	assert_int_equal(json_array_size(docs), 2);
	json_t *d0 = json_array_get(docs, 0);
	assert_string_equal(json_string_value(json_object_get(d0, "name")), "Surgical_Pathology.pdf");
	assert_string_equal(json_string_value(json_object_get(d0, "category")), "pathology");
	assert_string_equal(json_string_value(json_object_get(d0, "type")), "pdf");
	assert_int_equal(json_integer_value(json_object_get(d0, "size")), 1234);
	assert_int_equal(strlen(json_string_value(json_object_get(d0, "sha256"))), 64);
	json_t *d1 = json_array_get(docs, 1);
	assert_true(json_is_null(json_object_get(d1, "category")));
	assert_true(json_is_null(json_object_get(d1, "sha256"))); /* not hashed: null, not "" */

	json_t *probs = json_object_get(j, "problems");
	assert_int_equal(json_array_size(probs), f->probs.n);
	assert_true(f->probs.n >= 2); /* missing categories, the unclassified note */
	size_t missing = 0, unclassified = 0;
	for (size_t i = 0; i < json_array_size(probs); i++) {
		const char *code = json_string_value(json_object_get(json_array_get(probs, i), "code"));
		missing += strcmp(code, P_MISSING_REQUIRED) == 0;
		unclassified += strcmp(code, P_UNCLASSIFIED) == 0;
		assert_string_equal(code, f->probs.v[i].code);
	}
	assert_true(missing >= 1);
	assert_int_equal(unclassified, 1);

	json_t *cats = json_object_get(j, "categories");
	assert_int_equal(json_array_size(cats), f->res.ncats);
	json_decref(j);

	json_t *sk = report_json_skeleton(&f->job.patient, f->job.manifest, &f->docs, &f->res, &f->probs);
	assert_int_equal(json_array_size(json_object_get(sk, "documents")), 0);
	assert_int_equal(json_array_size(json_object_get(sk, "problems")), f->probs.n);
	json_decref(sk);
}

static void test_text(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(report_print_text(out, &f->job.patient, f->job.manifest, 0, &f->docs, &f->res, &f->probs, 0), 0);
	fclose(out);
	assert_non_null(strstr(buf, "notes.txt"));
	assert_non_null(strstr(buf, P_MISSING_REQUIRED));
	assert_null(strstr(buf, "\033[")); /* no color asked: no escape sequences */
	free(buf);

	out = fopen("/dev/full", "w");
	if (out) {
		setvbuf(out, NULL, _IONBF, 0);
		assert_int_equal(report_print_text(out, &f->job.patient, f->job.manifest, 0, &f->docs, &f->res, &f->probs, 0), -1);
		fclose(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
