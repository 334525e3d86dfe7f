/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for dlcache.c: keys, store/lookup/restore, modes, clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sources/dlcache.h"
#include "sys/util.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_key(void **state)
{
	(void)state;
	char a[65], b[65];
	dlcache_key("https://p.example/doc/1?token=SECRET", a);
	dlcache_key("https://p.example/doc/1?token=OTHER", b);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	assert_null(strstr(a, "SECRET"));
}

static void test_roundtrip(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/dlcache-test.XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char *dir = path_join(tmpl, "cache/recpack"), *body = path_join(tmpl, "body");
	char *dest = path_join(tmpl, "restored"), err[600];
	write_file(body, "%PDF-1.4 body");
	assert_int_equal(dlcache_ensure(dir, err, sizeof(err)), 0);
	struct stat sb;
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	char key[65];
	dlcache_key("https://p.example/doc/1", key);
	struct dlcache_entry e = { 0 };
	assert_int_equal(dlcache_lookup(dir, key, &e), 0);
	struct dlcache_entry in = { "\"abc\"", "Tue, 01 Apr 2025 10:00:00 GMT", "Report.pdf" };
	assert_int_equal(dlcache_store(dir, key, body, &in), 0);
	assert_int_equal(dlcache_lookup(dir, key, &e), 1);
	assert_string_equal(e.etag, "\"abc\"");
	assert_string_equal(e.lastmod, "Tue, 01 Apr 2025 10:00:00 GMT");
	assert_string_equal(e.name, "Report.pdf");
	dlcache_entry_free(&e);

	char *cached = xasprintf("%s/%s.body", dir, key);
	assert_int_equal(stat(cached, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(dlcache_restore(dir, key, dest), 0);
	char buf[64] = "";
	FILE *f = fopen(dest, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "%PDF-1.4 body");

	size_t n = 0;
	assert_int_equal(dlcache_clear(dir, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_not_equal(access(dir, F_OK), 0);
	assert_int_equal(dlcache_clear(dir, &n, err, sizeof(err)), 0); /* already gone: fine */

	unlink(dest);
	unlink(body);
	char *parent = path_join(tmpl, "cache");
	rmdir(parent);
	rmdir(tmpl);
	free(parent);
	free(cached);
	free(dir);
	free(body);
	free(dest);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_key), cmocka_unit_test(test_roundtrip) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
