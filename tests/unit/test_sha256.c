/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sha256.c: sys/sha256 gives the FIPS 180-2 digests (the standard's own examples, and
 * sha256sum's answer for a million 'a's), the same whether the bytes come at once or in
 * pieces, and starts again empty after a digest or a reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sys/sha256.h"

static const char ABC[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char EMPTY[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char TWO_BLOCKS[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char MILLION_A[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

static void test_one_shot(void **state)
{
	(void)state;
	char hex[65];
	unsigned char md[32];
	assert_int_equal(sha256_buf("abc", 3, md, hex), 0);
	assert_string_equal(hex, ABC);
	assert_int_equal(md[0], 0xba);
	assert_int_equal(md[31], 0xad);
	assert_int_equal(sha256_buf("", 0, NULL, hex), 0);
	assert_string_equal(hex, EMPTY);
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	assert_int_equal(sha256_buf(two, strlen(two), NULL, hex), 0);
	assert_string_equal(hex, TWO_BLOCKS);
}

static void test_streaming(void **state)
{
	(void)state;
	char hex[65];
	struct sha256 *h = sha256_new();
	assert_non_null(h);
	char a[1000];
	memset(a, 'a', sizeof(a));
	for (int i = 0; i < 1000; i++)
		assert_int_equal(sha256_update(h, a, sizeof(a)), 0);
	assert_int_equal(sha256_final(h, NULL, hex), 0);
	assert_string_equal(hex, MILLION_A);
	/* a digest starts it again, empty */
	assert_int_equal(sha256_final(h, NULL, hex), 0);
	assert_string_equal(hex, EMPTY);
	/* pieces of any size give the one-shot digest */
	assert_int_equal(sha256_update(h, "a", 1), 0);
	assert_int_equal(sha256_update(h, "bc", 2), 0);
	assert_int_equal(sha256_final(h, NULL, hex), 0);
	assert_string_equal(hex, ABC);
	/* a reset forgets what was added */
	assert_int_equal(sha256_update(h, "junk", 4), 0);
	assert_int_equal(sha256_reset(h), 0);
	assert_int_equal(sha256_update(h, "abc", 3), 0);
	assert_int_equal(sha256_final(h, NULL, hex), 0);
	assert_string_equal(hex, ABC);
	sha256_free(h);
	sha256_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_shot),
		cmocka_unit_test(test_streaming),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
