/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include <fcntl.h>
#include <signal.h>
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

/* A chain of depth folders below root, each with a file, every third one read-only and
 * unreadable as an archive may leave it. Built with *at() calls: no path is that long. */
static void make_chain(const char *root, int depth)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (int i = 0; i < depth; i++) {
		assert_int_equal(mkdirat(fd, "d", 0700), 0);
		int f = openat(fd, "x.pdf", O_WRONLY | O_CREAT, 0600);
		assert_true(f >= 0);
		close(f);
		int next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(next >= 0);
		if (i % 3 == 2)
			fchmod(fd, 0500);
		if (i % 7 == 6)
			fchmod(fd, 0);
		close(fd);
		fd = next;
	}
	close(fd);
}

/* The removal used to descend only 48 levels and retry each 3 times (3^47 passes): a
 * 47-deep archive entry hung recpack. Any depth is removed now, in time linear in entries. */
static void removes_any_depth_in_linear_time(void **state)
{
	(void)state;
	static const int depths[] = { 47, 48, 64, 1000 };
	alarm(120); /* a hang fails the test (SIGALRM) instead of stalling make check */
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		char *root = scratch();
		make_chain(root, depths[i]);
		assert_int_equal(cleanup_remove_tree(root), 0);
		assert_int_not_equal(access(root, F_OK), 0);
		free(root);
	}
	alarm(0);
}

/* Folders moved up are named ".recpack-rm.N": names like that already in the tree (a folder,
 * a file, a full folder) must neither stop the removal nor be trusted. */
static void survives_its_own_names_in_the_tree(void **state)
{
	(void)state;
	char *root = scratch(), p[4096];
	snprintf(p, sizeof(p), "%s/.recpack-rm.1", root);
	assert_int_equal(mkdir(p, 0700), 0);
	put(p, "inside", "x");
	put(root, ".recpack-rm.2", "a file");
	snprintf(p, sizeof(p), "%s/.recpack-rm.3", root);
	assert_int_equal(mkdir(p, 0700), 0); /* empty: replaced by a moved folder, harmless */
	snprintf(p, sizeof(p), "%s/a", root);
	assert_int_equal(mkdir(p, 0700), 0);
	make_chain(p, 40);
	make_chain(root, 10);
	assert_int_equal(cleanup_remove_tree(root), 0);
	assert_int_not_equal(access(root, F_OK), 0);
	free(root);
}

/* A link deep in the tree, to a folder outside, is removed as a link; the folder stays. */
static void never_follows_deep_links(void **state)
{
	(void)state;
	char *root = scratch(), *outside = scratch(), p[4096], kept[4096];
	put(outside, "original.pdf", "keep me");
	snprintf(p, sizeof(p), "%s/a", root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b", root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b/c", root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b/c/link", root);
	assert_int_equal(symlink(outside, p), 0);
	snprintf(p, sizeof(p), "%s/a/b/link", root);
	assert_int_equal(symlink(outside, p), 0);
	assert_int_equal(cleanup_remove_tree(root), 0);
	snprintf(kept, sizeof(kept), "%s/original.pdf", outside);
	assert_int_equal(access(kept, F_OK), 0);
	assert_int_equal(cleanup_remove_tree(outside), 0);
	free(root);
	free(outside);
}

/* A symbolic link given as the path itself is removed, not what it points to. */
static void removes_a_link_not_its_target(void **state)
{
	(void)state;
	char *root = scratch(), *outside = scratch(), link[4096], kept[4096];
	put(outside, "original.pdf", "keep me");
	snprintf(link, sizeof(link), "%s/cache", root);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(cleanup_remove_tree(link), 0);
	snprintf(kept, sizeof(kept), "%s/original.pdf", outside);
	assert_int_equal(access(kept, F_OK), 0);
	assert_int_equal(cleanup_remove_tree(root), 0);
	assert_int_equal(cleanup_remove_tree(outside), 0);
	free(root);
	free(outside);
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
		cmocka_unit_test(removes_any_depth_in_linear_time),
		cmocka_unit_test(survives_its_own_names_in_the_tree),
		cmocka_unit_test(never_follows_deep_links),
		cmocka_unit_test(removes_a_link_not_its_target),
		cmocka_unit_test(removes_a_single_file_and_missing_paths),
		cmocka_unit_test(registry_hands_out_and_takes_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
