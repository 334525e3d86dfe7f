/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for manifest.c: parsing, built-ins, errors with line numbers, facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/manifest.h"

static void builtins_parse(void **state)
{
	(void)state;
	char err[512];
	int n = 0;
	for (const struct builtin_manifest *b = builtin_manifests; b->name; b++, n++) {
		struct manifest *m = manifest_parse(b->text, b->name, err, sizeof(err));
		if (!m)
			fail_msg("built-in %s: %s", b->name, err);
		assert_string_equal(m->name, b->name);
		assert_true(m->ncats >= 6);
		assert_string_equal(m->cats[0].name, "radiology");
		assert_string_equal(m->cats[0].folder, "01-radiology");
		manifest_free(m);
	}
	assert_true(n >= 3);
	assert_non_null(manifest_builtin_text("breast"));
	assert_non_null(manifest_builtin_text("lymphoma"));
}

static void default_requirements(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_load("default", err, sizeof(err));
	assert_non_null(m);
	struct strlist facts = { 0 };
	const struct category *op = manifest_category(m, "operative");
	const struct category *hosp = manifest_category(m, "hospital");
	assert_int_equal(op->required, REQ_IF);
	assert_string_equal(op->fact, "surgery");
	assert_false(category_required(op, &facts));
	strlist_add(&facts, "surgery");
	assert_true(category_required(op, &facts));
	assert_false(category_required(hosp, &facts));
	assert_true(category_required(manifest_category(m, "pathology"), &facts));
	assert_true(strlist_has(&manifest_category(m, "radiology")->types, "dicom"));
	strlist_free(&facts);
	manifest_free(m);
}

static void expect_error(const char *text, const char *want)
{
	char err[512] = "";
	struct manifest *m = manifest_parse(text, "my.ini", err, sizeof(err));
	assert_null(m);
	if (!strstr(err, want))
		fail_msg("error '%s' does not contain '%s'", err, want);
}

static void errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error("[a]\nrequired = maybe\n", "my.ini:2: required must be");
	expect_error("[a]\ntitle = A\nnot a key value line\n", "my.ini:3:");
	expect_error("[a]\nmin = lots\n", "my.ini:2: min must be");
	expect_error("[a]\ntypes = pdf banana\n", "my.ini:2: unknown type 'banana'");
	expect_error("[a]\ncolour = red\n", "my.ini:2: unknown key 'colour'");
	expect_error("[Bad Name]\ntitle = x\n", "my.ini:2: category name");
	expect_error("[a]\ntitle = x\n[b]\ntitle = y\n[a]\ntitle = z\n", "my.ini:6: category [a] appears twice");
	expect_error("[manifest]\nname = x\n", "no categories");
	expect_error("key = value\n", "my.ini:1:");
	expect_error("[a]\nmax_age = soon\n", "my.ini:2: max_age must be");
	expect_error("[a]\npriors = 2 fortnights\n", "my.ini:2: priors must be");
	expect_error("[a]\noutdated = maybe\n", "my.ini:2: outdated must be");
	expect_error("[a]\nkind = glass\n", "my.ini:2: kind must be");
	expect_error("[a]\nshipped = yes\n", "my.ini:2: shipped must be");
	expect_error("[a]\ntitle = A\n[s]\nkind = physical\ncases_from = nowhere\n", "cases_from = nowhere");
	expect_error("[a]\nshipped = if sent\n", "only a category with kind = physical");
}

static void physical_and_recency_keys(void **state)
{
	(void)state;
	char err[512], age[32];
	struct manifest *m = manifest_parse("[scans]\nmax_age = 6 months\npriors = 2 years\noutdated = blocking\n"
					    "ask = every scan\n[path]\ntitle = P\n[slides]\nkind = physical\n"
					    "shipped = if slides-sent\ncases_from = path\n", "x.ini", err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(m->cats[0].max_age.n, 6);
	assert_int_equal(m->cats[0].max_age.unit, AGE_MONTHS);
	assert_string_equal(manifest_age_text(&m->cats[0].priors, age, sizeof(age)), "2 years");
	assert_true(m->cats[0].outdated_blocks);
	assert_string_equal(m->cats[0].ask, "every scan");
	assert_false(m->cats[0].physical);
	assert_true(m->cats[2].physical);
	assert_string_equal(m->cats[2].shipped_fact, "slides-sent");
	assert_string_equal(m->cats[2].cases_from, "path");
	manifest_free(m);
	/* the built-in breast and lymphoma manifests ship slides, found by the pathology case numbers */
	const char *names[] = { "breast", "lymphoma" };
	for (size_t i = 0; i < 2; i++) {
		m = manifest_load(names[i], err, sizeof(err));
		assert_non_null(m);
		const struct category *c = manifest_category(m, "slides");
		assert_non_null(c);
		assert_true(c->physical);
		assert_int_equal(c->required, REQ_YES);
		assert_string_equal(c->cases_from, "pathology");
		manifest_free(m);
	}
}

static void user_manifest(void **state)
{
	(void)state;
	char err[512];
	struct manifest *m = manifest_parse("[manifest]\nname = mine\n[scans]\nrequired = if imaging\nmin = 2\n"
					    "match = *ct* *mri*\nmatch = *pet*\n[notes]\nrequired = no\n",
					    "x.ini", err, sizeof(err));
	assert_non_null(m);
	assert_string_equal(m->name, "mine");
	assert_int_equal(m->ncats, 2);
	assert_int_equal(m->cats[0].min, 2);
	assert_int_equal(m->cats[0].match.n, 3);
	assert_string_equal(m->cats[0].title, "scans");
	assert_string_equal(m->cats[1].folder, "02-notes");
	assert_int_equal(m->cats[1].required, REQ_NO);
	manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtins_parse),
		cmocka_unit_test(default_requirements),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(user_manifest),
		cmocka_unit_test(physical_and_recency_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
