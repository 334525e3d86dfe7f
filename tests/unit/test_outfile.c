/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_outfile.c: sys/outfile.c, the packet and sidecar written atomically: nothing at the
 * target until commit, 0600 whatever the umask, an existing file kept unless forced, the temp
 * file gone after abort, and the SHA-256 and copy helpers on known bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sys/outfile.h"
#include "sys/rp.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/recpack-unit.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *at(const char *name)
{
	static char path[2][128];
	static int k;
	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static size_t entries(void)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_begin_commit(void **state)
{
	(void)state;
	struct outfile of;
	char err[256] = "";
	mode_t old = umask(0);
	assert_int_equal(outfile_begin(&of, at("p.zip"), 0, err, sizeof(err)), 0);
	assert_int_equal(access(at("p.zip"), F_OK), -1); /* nothing at the target yet */
	assert_non_null(of.tmp);
	assert_non_null(strstr(of.tmp, ".p.zip.recpack-tmp."));
	FILE *f = fopen(of.tmp, "wb");
	assert_non_null(f);
	fputs("packet bytes", f);
	fclose(f);
	assert_int_equal(outfile_commit(&of, err, sizeof(err)), 0);
	outfile_abort(&of); /* after commit: frees, removes nothing */
	umask(old);
	struct stat st;
	assert_int_equal(stat(at("p.zip"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_string_equal(slurp(at("p.zip")), "packet bytes");
	assert_int_equal(entries(), 1); /* no temp file left beside it */
	assert_int_equal(unlink(at("p.zip")), 0);
}

static void test_abort_and_refusals(void **state)
{
	(void)state;
	struct outfile of;
	char err[256] = "";
	assert_int_equal(outfile_begin(&of, at("q.zip"), 0, err, sizeof(err)), 0);
	assert_int_equal(entries(), 1);
	outfile_abort(&of);
	assert_int_equal(entries(), 0);
	assert_int_equal(access(at("q.zip"), F_OK), -1);

	assert_int_equal(outfile_write_all(at("old.txt"), "old", 3, 0, err, sizeof(err)), 0);
	assert_int_equal(outfile_write_all(at("old.txt"), "new", 3, 0, err, sizeof(err)), RP_EOUTPUT);
	assert_non_null(strstr(err, "old.txt"));
	assert_string_equal(slurp(at("old.txt")), "old"); /* kept */
	assert_int_equal(outfile_write_all(at("old.txt"), "new", 3, 1, err, sizeof(err)), 0);
	assert_string_equal(slurp(at("old.txt")), "new"); /* replaced when forced */
	assert_int_equal(entries(), 1);
	assert_int_equal(unlink(at("old.txt")), 0);

	err[0] = '\0';
	assert_int_equal(outfile_begin(&of, at("missing/p.zip"), 0, err, sizeof(err)), RP_EOUTPUT);
	assert_true(err[0] != '\0');
}

static void test_sha256(void **state)
{
	(void)state;
	char err[256] = "", hex[65];
	assert_int_equal(outfile_write_all(at("abc"), "abc", 3, 0, err, sizeof(err)), 0);
	assert_int_equal(outfile_sha256(at("abc"), hex, err, sizeof(err)), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(outfile_write_all(at("empty"), "", 0, 0, err, sizeof(err)), 0);
	assert_int_equal(outfile_sha256(at("empty"), hex, err, sizeof(err)), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(outfile_sha256(at("none"), hex, err, sizeof(err)), RP_EOUTPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_begin_commit),
		cmocka_unit_test(test_abort_and_refusals),
		cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
