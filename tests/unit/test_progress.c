/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for progress.c: a line cut to the terminal's width counts columns, not bytes
 * (accented letters take one, CJK characters two) and never cuts a character in half. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/progress.h"

static void fits_columns(void **state)
{
	(void)state;
	assert_int_equal(progress_fit("Downloading 1 of 3", 80), 18);
	assert_int_equal(progress_fit("Downloading 1 of 3", 11), 11);
	assert_int_equal(progress_fit("", 10), 0);
	/* "José" is 4 columns in 5 bytes */
	assert_int_equal(progress_fit("Jos\xc3\xa9 M", 4), 5);
	assert_int_equal(progress_fit("Jos\xc3\xa9 M", 3), 3); /* é is not cut in half */
	assert_int_equal(progress_fit("x", 0), 0);
}

static void wide_characters(void **state)
{
	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		skip();
		return;
	}
	/* 山田 is two characters of two columns each, 3 bytes each */
	assert_int_equal(progress_fit("\xe5\xb1\xb1\xe7\x94\xb0", 4), 6);
	assert_int_equal(progress_fit("\xe5\xb1\xb1\xe7\x94\xb0", 3), 3);
	setlocale(LC_CTYPE, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fits_columns),
		cmocka_unit_test(wide_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
