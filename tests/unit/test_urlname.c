/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for sources/urlname.c: Content-Disposition names, sanitising, URL redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sources/urlname.h"

static void expect_name(const char *header, const char *want)
{
	char *got = disposition_filename(header);
	if (!want) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void test_plain_forms(void **state)
{
	(void)state;
	expect_name("attachment; filename=report.pdf", "report.pdf");
	expect_name("attachment; filename=\"Path Report.pdf\"", "Path Report.pdf");
	expect_name("inline;filename=\"a\\\"b.pdf\"", "a_b.pdf");
	expect_name("ATTACHMENT; FILENAME = \"x.pdf\" ; size=3", "x.pdf");
	expect_name("attachment", NULL);
	expect_name("attachment; filename=\"unterminated.pdf", NULL);
	expect_name("", NULL);
}

static void test_ext_value(void **state)
{
	(void)state;
	expect_name("attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20final.pdf", "Résumé final.pdf");
	/* filename* wins over filename, in either order */
	expect_name("attachment; filename=\"fallback.pdf\"; filename*=utf-8''%E2%82%AC.pdf", "€.pdf");
	expect_name("attachment; filename*=UTF-8''real.pdf; filename=\"fallback.pdf\"", "real.pdf");
	expect_name("attachment; filename*=iso-8859-1'en'%E9t%E9.pdf", "été.pdf");
	/* unknown charset: fall back to filename */
	expect_name("attachment; filename*=koi8-r''x.pdf; filename=y.pdf", "y.pdf");
	/* invalid UTF-8 is replaced, never passed on */
	expect_name("attachment; filename*=UTF-8''a%FFb.pdf", "a_b.pdf");
}

static void test_hostile_names(void **state)
{
	(void)state;
	expect_name("attachment; filename=\"../../etc/passwd\"", "passwd");
	expect_name("attachment; filename=\"..\\\\..\\\\boot.ini\"", "boot.ini");
	expect_name("attachment; filename*=UTF-8''..%2F..%2Fx.pdf", "x.pdf");
	expect_name("attachment; filename=\"..\"", NULL);
	expect_name("attachment; filename=\".hidden\"", "hidden");
	expect_name("attachment; filename*=UTF-8''a%0Ab%00c.pdf", "a_b_c.pdf");
	expect_name("attachment; filename=\"a<b>c:d|e?f*.pdf\"", "a_b_c_d_e_f_.pdf");
	char big[1000] = "attachment; filename=\"";
	memset(big + strlen(big), 'x', 600);
	strcat(big, ".pdf\"");
	char *n = disposition_filename(big);
	assert_non_null(n);
	assert_int_equal(strlen(n), URLNAME_MAX);
	assert_string_equal(n + URLNAME_MAX - 4, ".pdf");
	free(n);
	char huge[5000];
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	expect_name(huge, NULL);
}

static void expect_redact(const char *url, const char *want)
{
	char *got = url_redact(url);
	assert_string_equal(got, want);
	free(got);
}

static void test_redact(void **state)
{
	(void)state;
	expect_redact("https://portal.example/doc/123?token=abc", "https://portal.example/doc/123");
	expect_redact("https://user:pw@portal.example:8443/a/b.pdf#p=2", "https://portal.example:8443/a/b.pdf");
	expect_redact("http://host", "http://host");
	expect_redact("https://h/x?a=b@c/d", "https://h/x");
	expect_redact("https://u@h?x", "https://h");
}

static void expect_path(const char *url, const char *want)
{
	char *got = url_path_name(url);
	if (!want) {
		assert_null(got);
	} else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static void test_path_name(void **state)
{
	(void)state;
	expect_path("https://portal.example/doc/123?token=abc", "123");
	expect_path("https://p.example/files/CT%20Report.pdf", "CT Report.pdf");
	expect_path("https://p.example/files/", "files");
	expect_path("https://p.example/", NULL);
	expect_path("https://p.example", NULL);
	expect_path("https://p.example/a/..%2F..%2Fetc", "etc");
	assert_true(url_scheme_ok("HTTPS://x/"));
	assert_false(url_scheme_ok("ftp://x/"));
	char *s = url_scheme("ftp://x/y");
	assert_string_equal(s, "ftp");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_forms), cmocka_unit_test(test_ext_value),
		cmocka_unit_test(test_hostile_names), cmocka_unit_test(test_redact),
		cmocka_unit_test(test_path_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
