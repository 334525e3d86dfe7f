/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for date.c: the one calendar check every date recpack reads goes through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sys/date.h"

static void days_that_exist(void **state)
{
	(void)state;
	assert_true(date_valid(1970, 1, 31));
	assert_true(date_valid(2000, 2, 29)); /* divisible by 400 */
	assert_true(date_valid(2024, 2, 29));
	assert_true(date_valid(1800, 1, 1));
	assert_true(date_valid(2200, 12, 31));
	assert_false(date_valid(1970, 2, 31));
	assert_false(date_valid(1900, 2, 29)); /* divisible by 100, not 400 */
	assert_false(date_valid(2023, 2, 29));
	assert_false(date_valid(1970, 4, 31));
	assert_false(date_valid(1970, 13, 1));
	assert_false(date_valid(1970, 0, 1));
	assert_false(date_valid(1970, 1, 0));
	assert_false(date_valid(1799, 12, 31));
	assert_false(date_valid(2201, 1, 1));
}

static void iso_text(void **state)
{
	(void)state;
	int y = 0, m = 0, d = 0;
	assert_int_equal(date_parse_iso("1975-05-01", &y, &m, &d), 0);
	assert_int_equal(y, 1975);
	assert_int_equal(m, 5);
	assert_int_equal(d, 1);
	assert_int_equal(date_parse_iso("2000-02-29", NULL, NULL, NULL), 0);
	static const char *const bad[] = { "1970-02-31", "1970-02-30", "1900-02-29", "1970-1-01",
					   "1970-01-01x", " 1970-01-01", "1970/01/01", "19700101",
					   "+970-01-01", "1970-+1-01", "", "1970-01-0\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (date_parse_iso(bad[i], NULL, NULL, NULL) == 0)
			fail_msg("'%s' was taken as a date", bad[i]);
	assert_int_equal(date_parse_iso(NULL, NULL, NULL, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(days_that_exist),
		cmocka_unit_test(iso_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
