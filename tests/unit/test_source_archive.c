/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_source_archive.c: content detection of archives, the disc-furniture rules, the count of
 * entries over every archive of a run, and the overlapping-entry check of ZIPs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/source_archive.h"
#include "sys/rp.h"

static char *write_temp(const void *data, size_t len)
{
	char *path = strdup("/tmp/test_source_archive.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static int detect_bytes(const void *data, size_t len)
{
	char *path = write_temp(data, len);
	int r = source_archive_detect(path);
	unlink(path);
	free(path);
	return r;
}

static void test_detect_by_content(void **state)
{
	(void)state;
	static const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const unsigned char sevenz[] = { '7', 'z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4 };
	unsigned char iso[36864] = { 0 }, tar[1024] = { 0 };
	memcpy(iso + 32769, "CD001", 5);
	memcpy(tar + 257, "ustar", 5);
	assert_true(detect_bytes(gz, sizeof(gz)));
	assert_true(detect_bytes(xz, sizeof(xz)));
	assert_true(detect_bytes(sevenz, sizeof(sevenz)));
	assert_true(detect_bytes(iso, sizeof(iso)));
	assert_true(detect_bytes(tar, sizeof(tar)));
	assert_true(detect_bytes("PK\3\4\24\0\0\0\0\0report.pdf", 20));
}

static void test_documents_are_not_archives(void **state)
{
	(void)state;
	static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
	static const char ooxml[] = "PK\3\4\24\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\23\0\0\0[Content_Types].xml";
	static const char ods[] = "PK\3\4\24\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\10\0\0\0mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
	assert_false(detect_bytes(pdf, sizeof(pdf) - 1));
	assert_false(detect_bytes(ooxml, sizeof(ooxml) - 1));
	assert_false(detect_bytes(ods, sizeof(ods) - 1));
	assert_false(detect_bytes("", 0));
	assert_false(source_archive_detect("/nonexistent/recpack/test.zip"));
	assert_false(source_archive_detect("/tmp")); /* a folder is not an archive file */
}

static void test_furniture(void **state)
{
	(void)state;
	assert_true(source_is_furniture("AUTORUN.INF", 0));
	assert_true(source_is_furniture("Setup.exe", 0));
	assert_true(source_is_furniture("dcmtk.DLL", 0));
	assert_true(source_is_furniture("disc.ico", 0));
	assert_true(source_is_furniture("VIEWER", 1));
	assert_true(source_is_furniture("eFilmLite", 1));
	assert_true(source_is_furniture("OsiriX Lite.app", 1));
	assert_true(source_is_furniture("jre1.8.0", 1));
	assert_false(source_is_furniture("DICOMDIR", 0));
	assert_false(source_is_furniture("IM000001", 0));
	assert_false(source_is_furniture("DICOM", 1));
	assert_false(source_is_furniture("Pathology_Report.pdf", 0));
	assert_false(source_is_furniture("viewer.pdf", 0)); /* folder rules apply to folders only */
	assert_false(source_is_furniture("Setup.exe", 1));
}

/* A tar of n one-byte files named f0.txt, f1.txt... (ustar headers, no compression). */
static char *write_tar(int n)
{
	size_t len = (size_t)(n * 1024 + 1024);
	unsigned char *t = calloc(1, len);
	for (int i = 0; i < n; i++) {
		unsigned char *h = t + i * 1024;
		unsigned sum = 0;
		snprintf((char *)h, 100, "f%d.txt", i);
		memcpy(h + 100, "0000644", 8);
		memcpy(h + 108, "0000000", 8);
		memcpy(h + 116, "0000000", 8);
		memcpy(h + 124, "00000000001", 12);
		memcpy(h + 136, "00000000000", 12);
		memset(h + 148, ' ', 8);
		h[156] = '0';
		memcpy(h + 257, "ustar\0" "00", 8);
		for (int k = 0; k < 512; k++)
			sum += h[k];
		snprintf((char *)h + 148, 8, "%06o", sum);
		h[512] = 'x';
	}
	char *path = write_temp(t, len);
	free(t);
	return path;
}

static void test_entries_count_over_the_run(void **state)
{
	(void)state;
	struct fetch_opts fetch = { .max_expand = 1u << 30 };
	struct workdir wd = { 0 };
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct gather g = { .fetch = &fetch, .wd = &wd, .docs = &docs, .probs = &probs };
	char *tar = write_tar(5);
	assert_int_equal(source_archive_gather(&g, tar, "a.tar", "a.tar", NULL), RP_OK);
	assert_int_equal(docs.n, 5);
	assert_int_equal(g.archive_entries, 5);
	assert_int_equal(source_archive_gather(&g, tar, "b.tar", "b.tar", NULL), RP_OK);
	assert_int_equal(g.archive_entries, 10); /* not reset for the second source */
	g.archive_entries = ARCHIVE_MAX_ENTRIES - 3;
	assert_int_equal(source_archive_gather(&g, tar, "c.tar", "c.tar", NULL), RP_ESOURCE);
	assert_int_equal(docs.n, 10);
	assert_int_equal(probs.n, 1);
	assert_non_null(strstr(probs.v[0].message, "c.tar was refused"));
	assert_non_null(strstr(probs.v[0].message, "100000"));
	unlink(tar);
	free(tar);
	strlist_free(&g.skipped);
	doclist_free(&docs);
	problems_free(&probs);
	workdir_remove(&wd);
}

/* A ZIP of three stored entries, the second at the offset given (0: where it belongs). */
static char *write_zip(uint32_t second_at)
{
	unsigned char z[1024] = { 0 };
	size_t at = 0, cd;
	uint32_t offs[3];
	for (int i = 0; i < 3; i++) {
		offs[i] = (uint32_t)at;
		unsigned char h[30] = { 'P', 'K', 3, 4, 10 };
		h[18] = h[22] = 4; /* sizes */
		h[26] = 5;         /* name length */
		memcpy(z + at, h, 30);
		memcpy(z + at + 30, "a.txt", 5);
		z[at + 30 + 4] = (unsigned char)('a' + i);
		memcpy(z + at + 35, "data", 4);
		at += 39;
	}
	if (second_at)
		offs[1] = second_at;
	cd = at;
	for (int i = 0; i < 3; i++) {
		unsigned char h[46] = { 'P', 'K', 1, 2, 20, 0, 10 };
		h[20] = h[24] = 4;
		h[28] = 5;
		memcpy(h + 42, &offs[i], 4); /* little-endian machine */
		memcpy(z + at, h, 46);
		memcpy(z + at + 46, "a.txt", 5);
		z[at + 46 + 4] = (unsigned char)('a' + i);
		at += 51;
	}
	unsigned char e[22] = { 'P', 'K', 5, 6 };
	e[8] = e[10] = 3;
	uint32_t cds = (uint32_t)(at - cd), cdo = (uint32_t)cd;
	memcpy(e + 12, &cds, 4);
	memcpy(e + 16, &cdo, 4);
	memcpy(z + at, e, 22);
	return write_temp(z, at + 22);
}

static int overlaps(uint32_t second_at)
{
	char *path = write_zip(second_at);
	FILE *f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	int r = source_archive_zip_overlaps(fileno(f), (uint64_t)size);
	fclose(f);
	unlink(path);
	free(path);
	return r;
}

static void test_zip_overlaps(void **state)
{
	(void)state;
	assert_false(overlaps(0));       /* entries one after another */
	assert_true(overlaps(20));       /* the second starts inside the first */
	assert_true(overlaps(78));       /* the third's header: two entries share it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_by_content),
		cmocka_unit_test(test_documents_are_not_archives),
		cmocka_unit_test(test_furniture),
		cmocka_unit_test(test_entries_count_over_the_run),
		cmocka_unit_test(test_zip_overlaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
