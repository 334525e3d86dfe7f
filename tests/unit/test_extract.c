/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_extract.c: which names extract accepts as paths to create inside DIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "packet/extract.h"
#include "packet/packetread.h"

static void test_safe_paths(void **state)
{
	(void)state;
	assert_true(packetread_path_safe("data/02-pathology/0001.pdf"));
	assert_true(packetread_path_safe("data/01-radiology/CD/DICOM/ST1/IM1"));
	assert_true(packetread_path_safe("bagit.txt"));
	assert_true(packetread_path_safe("data/05-medications/Medication List.pdf"));
	assert_true(packetread_path_safe("data/x/..hidden")); /* a name that starts with dots is fine */
}

static void test_unsafe_paths(void **state)
{
	(void)state;
	assert_false(packetread_path_safe(""));
	assert_false(packetread_path_safe("/etc/passwd"));
	assert_false(packetread_path_safe(".."));
	assert_false(packetread_path_safe("../x"));
	assert_false(packetread_path_safe("data/../../x"));
	assert_false(packetread_path_safe("data/./x"));
	assert_false(packetread_path_safe("data//x"));
	assert_false(packetread_path_safe("data/x/"));
	assert_false(packetread_path_safe("data\\..\\x"));
	assert_false(packetread_path_safe("data/a\nb"));
	assert_false(packetread_path_safe("data/a\x1b[31mb"));
	char deep[64 * 2 + 8] = "";
	for (int i = 0; i < 65; i++)
		deep[2 * i] = 'a', deep[2 * i + 1] = i < 64 ? '/' : '\0';
	assert_false(packetread_path_safe(deep));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_paths),
		cmocka_unit_test(test_unsafe_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
