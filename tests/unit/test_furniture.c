/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_furniture.c: the furniture patterns match as glibc's fnmatch(FNM_CASEFOLD) does, and
 * viewer programs and system junk are told from records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fnmatch.h>

#include <cmocka.h>

#include "sources/furniture.h"
#include "sys/util.h"

static const char *const pats[] = {
	"autorun.inf", "*.exe", "*.so", "*.app", "*viewer*", "jre", "jre[0-9-]*", "jdk*",
	"k-pacs*", "*dicomworks*", "program files*", "a*b*c", "*", "**x", "[a-c]*[x-z]", "[-a]b",
	"ct?scan*", "cd[_-]*", "*_ct.*", "[!a]*", "[]a]x", "[z-a]", "a\\*", "[[:alpha:]]*", "caf\xc3\xa9*", "[a",
	"?", "??", "*?", "[x-]", "[Z-a]x", "[A-z]", "[0-9]*", "[a-Z]",
};

/* Every pattern against names made of the letters that matter, and of random bytes. */
static void test_same_as_fnmatch(void **state)
{
	(void)state;
	static const char *const names[] = {
		"", "AUTORUN.INF", "autorun.inf.txt", "setup.EXE", ".exe", "exe", "libx.so", "libx.so.1",
		"Viewer.App", "DICOM Viewer", "viewer", "VIEWE", "jre", "JRE1.8", "jre-11", "jreX", "jre1",
		"JDK17", "K-PACS II", "kpacs", "MyDicomWorks", "Program Files (x86)", "abc", "aXbYc", "ab",
		"acb", "xx", "x", "bz", "Ay", "-b", "ab", "Bb", "IM000001", "CD/DICOM", "caf\xc3\xa9 viewer", "CT Scan 1", "cd_2", "CD-1", "x_CT.dcm", "a*", "]x",
		"CAF\xc3\x89", "\xc3\xa9", "[a", "x-", "bx",
	};
	for (size_t p = 0; p < sizeof(pats) / sizeof(pats[0]); p++)
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			int want = fnmatch(pats[p], names[n], FNM_CASEFOLD) == 0;
			if (str_fnmatch_ci(pats[p], names[n]) != want)
				fail_msg("%s against %s: fnmatch says %d", pats[p], names[n], want);
		}
	srand(3);
	for (int i = 0; i < 20000; i++) {
		char name[12];
		int len = rand() % 11;
		for (int k = 0; k < len; k++)
			name[k] = "aAbBcCxXyYzZ.-*[]j9?_\xc3\xa9^`"[rand() % 25];
		name[len] = '\0';
		const char *pat = pats[rand() % (int)(sizeof(pats) / sizeof(pats[0]))];
		assert_int_equal(str_fnmatch_ci(pat, name), fnmatch(pat, name, FNM_CASEFOLD) == 0);
	}
}

static void test_furniture(void **state)
{
	(void)state;
	assert_true(source_is_furniture("RadiAnt Viewer", 1));
	assert_true(source_is_furniture("jre1.8.0_202", 1));
	assert_true(source_is_furniture("SETUP.EXE", 0));
	assert_true(source_is_furniture("AUTORUN.INF", 0));
	assert_false(source_is_furniture("IM000001", 0));
	assert_false(source_is_furniture("DICOM", 1));
	assert_false(source_is_furniture("report.pdf", 0));
	assert_false(source_is_furniture("viewer.pdf", 0)); /* a file named so is no viewer folder */
	assert_true(source_is_junk(".DS_Store"));
	assert_true(source_is_junk("thumbs.db"));
	assert_false(source_is_junk("scan.pdf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_fnmatch),
		cmocka_unit_test(test_furniture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
