/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* A manifest over the bound is one plain failure, never silently cut short; one at the bound
 * is read whole (the bound is lowered here: a real one is 256 MiB). */
static void test_manifest_bound(void **state)
{
	(void)state;
	size_t n, len = strlen(SHA_HELLO "  data/02-pathology/a.txt\n" SHA_WORLD "  data/b.txt\n");
	verify_max_manifest = len;
	const char *t = failures(&n);
	if (n)
		fail_msg("a manifest at the bound failed: %s", t);
	verify_max_manifest = len - 1;
	t = failures(&n);
	verify_max_manifest = PACKETREAD_MAX_MANIFEST;
	assert_int_equal(n, 1);
	assert_non_null(strstr(t, "manifest-sha256.txt: is bigger than"));
}

/* A manifest line naming a path out of the bag is refused by name, as extract refuses it. */
static void test_unsafe_manifest_line(void **state)
{
	(void)state;
	size_t n;
	put("manifest-sha256.txt", SHA_HELLO "  data/02-pathology/a.txt\n" SHA_WORLD "  data/b.txt\n" SHA_WORLD
				   "  data/../../b.txt\n" SHA_WORLD "  data/..\\b.txt\n");
	const char *t = failures(&n);
	put("manifest-sha256.txt", SHA_HELLO "  data/02-pathology/a.txt\n" SHA_WORLD "  data/b.txt\n");
	assert_int_equal(n, 2);
	assert_non_null(strstr(t, "data/../../b.txt: is listed in manifest-sha256.txt under an unsafe name"));
	assert_non_null(strstr(t, "data/..\\b.txt: is listed in manifest-sha256.txt under an unsafe name"));
}

static void expect_json_refused(const char *text, const char *why)
{
	char err[512] = "";
	json_t *root = packetread_json(text, strlen(text), err, sizeof(err));
	if (root || !strstr(err, why))
		fail_msg("%.40s: want \"%s\", got \"%s\"", text, why, err);
}

/* packet.json's bounds: depth, objects and arrays, values, and the shape list needs. */
static void test_packet_json_bounds(void **state)
{
	(void)state;
	char err[512] = "", *text = malloc(4u << 20);
	json_t *root = packetread_json("{\"documents\": []}", 17, err, sizeof(err));
	assert_non_null(root);
	json_decref(root);
	expect_json_refused("[1]", "not a JSON object");
	expect_json_refused("{\"a\": 1, \"a\": 2}", "not valid JSON (line 1");
	expect_json_refused("{\"a\": 1} {}", "not valid JSON");
	size_t i = 0;
	for (int d = 0; d < 33; d++)
		text[i++] = '[';
	memcpy(text + i, "\"[{\"", 4); /* brackets in a string are not counted */
	text[i + 4] = '\0';
	expect_json_refused(text, "nested more than 32 deep");
	strcpy(text, "[");
	for (i = 1; i < 3 * 250001; i += 3)
		memcpy(text + i, "{},", 3);
	strcpy(text + i, "{}]");
	expect_json_refused(text, "more than 250000 objects and arrays");
	strcpy(text, "[");
	for (i = 1; i < 2 * 1000001; i += 2)
		memcpy(text + i, "0,", 2);
	strcpy(text + i, "0]");
	expect_json_refused(text, "more than 1000000 values");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_bag),
		cmocka_unit_test(test_changed_byte),
		cmocka_unit_test(test_unlisted_and_missing),
		cmocka_unit_test(test_oxum_and_not_a_bag),
		cmocka_unit_test(test_manifest_bound),
		cmocka_unit_test(test_unsafe_manifest_line),
		cmocka_unit_test(test_packet_json_bounds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
