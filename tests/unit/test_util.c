/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_util.c: the two cleaners of names, str_utf8 (for JSON and indexes) and str_shown (for a
 * terminal and README.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sys/util.h"

static void utf8_is(const char *in, const char *want)
{
	char *got = str_utf8(in);
	assert_string_equal(got, want);
	free(got);
}

static void shown_is(const char *in, const char *want)
{
	char *got = str_shown(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_utf8(void **state)
{
	(void)state;
	utf8_is("Report.pdf", "Report.pdf");
	utf8_is("M\xc3\xbcller \xe2\x82\xac \xf0\x9f\x93\x84", "M\xc3\xbcller \xe2\x82\xac \xf0\x9f\x93\x84");
	utf8_is("M\xfcller.pdf", "M\xc3\xbcller.pdf");          /* Latin-1 u-umlaut */
	utf8_is("\x80\x9f", "\xef\xbf\xbd\xef\xbf\xbd");         /* C1 bytes: U+FFFD */
	utf8_is("\xc0\xaf", "\xc3\x80\xc2\xaf");                 /* overlong '/': two Latin-1 chars */
	utf8_is("\xed\xa0\x80", "\xc3\xad\xc2\xa0\xef\xbf\xbd");     /* a surrogate is not UTF-8 */
	utf8_is("\xf4\x90\x80\x80", "\xc3\xb4\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* past U+10FFFF */
	utf8_is("cut \xe2\x82", "cut \xc3\xa2\xef\xbf\xbd");
	utf8_is("\x1b[2J\n", "\x1b[2J\n");                       /* controls are JSON's to escape */
	utf8_is(NULL, "");
	utf8_is("Report 2024 M\xfcller", "Report 2024 M\xc3\xbcller"); /* ASCII, then Latin-1 */
}

static void test_shown(void **state)
{
	(void)state;
	shown_is("Report.pdf", "Report.pdf");
	shown_is("a\x1b[2J\nComplete.\r\t\x7f", "a?[2J?Complete.???");
	shown_is("x\xc2\x9b" "31m", "x?31m");                   /* C1 CSI as UTF-8 */
	shown_is("\xe2\x80\xae" "fdp.exe", "?fdp.exe");          /* U+202E */
	shown_is("\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8\xe2\x80\xaa", "???????");
	shown_is("M\xfcller", "M\xc3\xbcller");
	shown_is("Report 2024.pdf\x7f", "Report 2024.pdf?");      /* ASCII, then what is hidden */
	shown_is("Report 2024 M\xfcller", "Report 2024 M\xc3\xbcller");
	shown_is("\xe2\x80\x8b\xe2\x80\x93", "\xe2\x80\x8b\xe2\x80\x93"); /* other punctuation stays */
}

static void utf8_validity(void **state)
{
	(void)state;
	assert_int_equal(utf8_invalid_at("Jos\xc3\xa9", 5), 5);
	assert_int_equal(utf8_invalid_at("Jos\xe9", 4), 3);        /* Latin-1 */
	assert_int_equal(utf8_invalid_at("a\xc3", 2), 1);          /* cut short */
	assert_int_equal(utf8_invalid_at("\xc0\xaf", 2), 0);       /* overlong '/' */
	assert_int_equal(utf8_invalid_at("\xed\xa0\x80", 3), 0);   /* a surrogate */
	assert_int_equal(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* past U+10FFFF */
	assert_int_equal(utf8_invalid_at("a\0b", 3), 3);           /* NUL is UTF-8 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_validity),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_shown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
