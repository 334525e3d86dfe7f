/* test_source_archive.c: content detection of archives and the disc-furniture rules. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_by_content),
		cmocka_unit_test(test_documents_are_not_archives),
		cmocka_unit_test(test_furniture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
