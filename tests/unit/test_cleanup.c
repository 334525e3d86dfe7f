/* Unit tests for cleanup.c: the signal-safe removal empties deep, read-only and crowded
 * folders, never follows a symbolic link out of the tree, and the registry hands out and
 * takes back handles. */
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

#include "sys/cleanup.h"

static char *scratch(void)
{
	const char *tmp = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/recpack-cleanup.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(p));
	return p;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void removes_deep_tree(void **state)
{
	(void)state;
	char *root = scratch(), path[4096];
	snprintf(path, sizeof(path), "%s", root);
	for (int i = 0; i < 20; i++) {
		strncat(path, "/d", sizeof(path) - strlen(path) - 1);
		assert_int_equal(mkdir(path, 0700), 0);
		put(path, "report.pdf", "%PDF-1.4\n");
	}
	assert_int_equal(cleanup_remove_tree(root), 0);
	assert_int_not_equal(access(root, F_OK), 0);
	free(root);
}

static void removes_crowded_and_read_only_folders(void **state)
{
	(void)state;
	char *root = scratch(), name[64], sub[4096];
	/* More entries than one getdents64 buffer holds. */
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "image-%04d-with-a-longish-name.dcm", i);
		put(root, name, "x");
	}
	snprintf(sub, sizeof(sub), "%s/expanded", root);
	assert_int_equal(mkdir(sub, 0700), 0);
	put(sub, "IM1", "x");
	assert_int_equal(chmod(sub, 0500), 0); /* as an archive may leave it */
	assert_int_equal(cleanup_remove_tree(root), 0);
	assert_int_not_equal(access(root, F_OK), 0);
	free(root);
}

static void never_follows_links(void **state)
{
	(void)state;
	char *root = scratch(), *outside = scratch(), link[4096], kept[4096];
	put(outside, "original.pdf", "keep me");
	snprintf(link, sizeof(link), "%s/link-to-outside", root);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(cleanup_remove_tree(root), 0);
	snprintf(kept, sizeof(kept), "%s/original.pdf", outside);
	assert_int_equal(access(kept, F_OK), 0);
	assert_int_equal(cleanup_remove_tree(outside), 0);
	free(root);
	free(outside);
}

static void removes_a_single_file_and_missing_paths(void **state)
{
	(void)state;
	char *root = scratch(), file[4096];
	put(root, "packet.zip.tmp", "PK");
	snprintf(file, sizeof(file), "%s/packet.zip.tmp", root);
	assert_int_equal(cleanup_remove_tree(file), 0);
	assert_int_equal(cleanup_remove_tree(file), 0); /* already gone: fine */
	assert_int_equal(cleanup_remove_tree(root), 0);
	free(root);
}

static void registry_hands_out_and_takes_back(void **state)
{
	(void)state;
	int h[CLEANUP_SLOTS];
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		h[i] = cleanup_register_dir("/tmp/recpack.test");
		assert_true(h[i] > 0);
	}
	assert_int_equal(cleanup_register_file("/tmp/one-too-many"), 0);
	cleanup_unregister(h[7]);
	assert_int_equal(cleanup_register_file("/tmp/fits-again"), h[7]);
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		cleanup_unregister(h[i]);
	cleanup_unregister(0); /* "not registered" is ignored */
	char longpath[CLEANUP_PATH_MAX + 10];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(cleanup_register_dir(longpath), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(removes_deep_tree),
		cmocka_unit_test(removes_crowded_and_read_only_folders),
		cmocka_unit_test(never_follows_links),
		cmocka_unit_test(removes_a_single_file_and_missing_paths),
		cmocka_unit_test(registry_hands_out_and_takes_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
