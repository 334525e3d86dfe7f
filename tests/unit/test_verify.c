/* test_verify.c: packet/verify.c on an extracted bag made here, by hand from RFC 8493:
 * a correct one has no failure, and each kind of damage (a changed byte, a file missing from
 * the manifest, a missing payload file, a wrong Payload-Oxum) is reported with its path. */
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

#include "packet/packetread.h"
#include "packet/verify.h"
#include "sys/rp.h"

static char dir[64];

#define SHA_HELLO "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" /* "hello\n" */
#define SHA_WORLD "e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317" /* "world\n" */

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/recpack-unit.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/data", dir);
	mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/data/02-pathology", dir);
	mkdir(sub, 0700);
	put("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
	put("bag-info.txt", "Payload-Oxum: 12.2\n");
	put("data/02-pathology/a.txt", "hello\n");
	put("data/b.txt", "world\n");
	put("manifest-sha256.txt", SHA_HELLO "  data/02-pathology/a.txt\n" SHA_WORLD "  data/b.txt\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* Verify the folder; the failures' paths and problems, one "PATH: PROBLEM\n" each. */
static char *failures(size_t *n)
{
	static char text[4096];
	struct verify_result r;
	memset(&r, 0, sizeof(r));
	char err[256] = "";
	assert_int_equal(verify_packet(dir, &r, err, sizeof(err)), RP_OK);
	text[0] = '\0';
	for (size_t i = 0; i < r.n; i++) {
		size_t len = strlen(text);
		snprintf(text + len, sizeof(text) - len, "%s: %s\n", r.v[i].path, r.v[i].problem);
	}
	*n = r.n;
	if (r.n == 0) {
		assert_int_equal(r.payload, 2);
		assert_true(r.bytes == 12);
	}
	verify_result_free(&r);
	return text;
}

static void test_good_bag(void **state)
{
	(void)state;
	size_t n;
	const char *t = failures(&n);
	if (n)
		fail_msg("a correct bag failed: %s", t);
}

static void test_changed_byte(void **state)
{
	(void)state;
	size_t n;
	put("data/b.txt", "w0rld\n");
	const char *t = failures(&n);
	put("data/b.txt", "world\n");
	assert_true(n >= 1);
	assert_non_null(strstr(t, "data/b.txt"));
	assert_null(strstr(t, "a.txt"));
}

static void test_unlisted_and_missing(void **state)
{
	(void)state;
	size_t n;
	put("data/extra.txt", "x\n");
	const char *t = failures(&n);
	char path[128];
	snprintf(path, sizeof(path), "%s/data/extra.txt", dir);
	unlink(path);
	assert_true(n >= 1);
	assert_non_null(strstr(t, "data/extra.txt"));

	snprintf(path, sizeof(path), "%s/data/02-pathology/a.txt", dir);
	unlink(path);
	t = failures(&n);
	put("data/02-pathology/a.txt", "hello\n");
	assert_true(n >= 1);
	assert_non_null(strstr(t, "data/02-pathology/a.txt"));
}

static void test_oxum_and_not_a_bag(void **state)
{
	(void)state;
	size_t n;
	put("bag-info.txt", "Payload-Oxum: 13.2\n");
	const char *t = failures(&n);
	put("bag-info.txt", "Payload-Oxum: 12.2\n");
	assert_true(n >= 1);
	assert_non_null(strstr(t, "Payload-Oxum"));

	struct verify_result r;
	memset(&r, 0, sizeof(r));
	char err[256] = "";
	assert_int_equal(verify_packet("/nonexistent/packet.zip", &r, err, sizeof(err)), RP_ESOURCE);
	assert_true(err[0] != '\0');
	verify_result_free(&r);
	assert_false(packetread_is_encrypted(dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_bag),
		cmocka_unit_test(test_changed_byte),
		cmocka_unit_test(test_unlisted_and_missing),
		cmocka_unit_test(test_oxum_and_not_a_bag),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
