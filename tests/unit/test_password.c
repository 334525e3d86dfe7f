/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_password.c: cli/password.c without a terminal: the first line of --password-file
 * (line ending dropped), RECPACK_PASSWORD, the length rule for a new packet counted in
 * characters, and the refusals, whose messages never repeat the password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/password.h"
#include "sys/rp.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/recpack-unit.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	unsetenv(PASSWORD_ENV);
	/* no terminal: a test run from one must not stop at a prompt */
	int fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static const char *file_with(const char *name, const char *data, size_t len)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void expect_password(const char *file, enum password_use use, const char *want)
{
	char *pw = NULL, err[256] = "";
	assert_int_equal(password_get(file, use, &pw, err, sizeof(err)), RP_OK);
	assert_non_null(pw);
	assert_string_equal(pw, want);
	password_free(pw);
}

static void expect_refusal(const char *file, enum password_use use, const char *in_message,
			   const char *secret)
{
	char *pw = NULL, err[256] = "";
	assert_int_equal(password_get(file, use, &pw, err, sizeof(err)), RP_EUSAGE);
	assert_null(pw);
	assert_non_null(strstr(err, in_message));
	if (secret)
		assert_null(strstr(err, secret));
}

static void test_from_file(void **state)
{
	(void)state;
	const char *f = file_with("pw", "correct horse battery\nsecond line\n", 34);
	expect_password(f, PASSWORD_NEW, "correct horse battery");
	f = file_with("crlf", "correct horse battery\r\n", 23);
	expect_password(f, PASSWORD_NEW, "correct horse battery");
	f = file_with("noeol", "no line end at all", 18);
	expect_password(f, PASSWORD_EXISTING, "no line end at all");
	f = file_with("short", "abc\n", 4);
	expect_password(f, PASSWORD_EXISTING, "abc"); /* any length opens an existing packet */
	expect_refusal(f, PASSWORD_NEW, "too short (3 characters)", NULL);
	/* nine characters of two bytes each: 18 bytes, still too short */
	f = file_with("utf8", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n", 19);
	expect_refusal(f, PASSWORD_NEW, "too short (9 characters)", "\xc3\xa9");
	f = file_with("empty", "\n", 1);
	expect_refusal(f, PASSWORD_EXISTING, "empty", NULL);
	f = file_with("nul", "abcdefghij\0klmnop\n", 18);
	expect_refusal(f, PASSWORD_EXISTING, "NUL byte", "abcdefghij");
	expect_refusal("/nonexistent/pw", PASSWORD_EXISTING, "cannot read the password file", NULL);
}

static void test_too_long(void **state)
{
	(void)state;
	static char big[PASSWORD_MAX + 2];
	memset(big, 'x', sizeof(big));
	const char *f = file_with("long", big, sizeof(big));
	expect_refusal(f, PASSWORD_EXISTING, "longer than", NULL);
	big[PASSWORD_MAX] = '\n'; /* exactly PASSWORD_MAX bytes is fine */
	f = file_with("max", big, PASSWORD_MAX + 1);
	char *pw = NULL, err[256] = "";
	assert_int_equal(password_get(f, PASSWORD_EXISTING, &pw, err, sizeof(err)), RP_OK);
	assert_int_equal(strlen(pw), PASSWORD_MAX);
	password_free(pw);
}

static void test_environment_and_none(void **state)
{
	(void)state;
	expect_refusal(NULL, PASSWORD_NEW, "--password-file", NULL);
	expect_refusal(NULL, PASSWORD_EXISTING, PASSWORD_ENV, NULL);
	setenv(PASSWORD_ENV, "from the environment", 1);
	expect_password(NULL, PASSWORD_NEW, "from the environment");
	const char *f = file_with("pw2", "the file wins over it\n", 22);
	expect_password(f, PASSWORD_NEW, "the file wins over it");
	setenv(PASSWORD_ENV, "shortenv", 1);
	expect_refusal(NULL, PASSWORD_NEW, "too short", "shortenv");
	unsetenv(PASSWORD_ENV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_file),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_environment_and_none),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
