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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
