/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_pdf.c: PDFs made at test time by real tools (enscript + ghostscript's ps2pdf; ghostscript's
 * pdfimage24 device for a scan, the same page as an image only; qpdf for a password), read in-process and through the helper children; the text
 * found is checked against poppler's own pdftotext. Skipped when the tools are missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/readchild.h"
#include "read/pdf.h"
#include "sys/util.h"

static char dir[] = "/tmp/test_pdf.XXXXXX";
static int have_tools;

static int sh(const char *fmt, const char *arg)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	char *cmd = xasprintf(fmt, dir, arg); /* fmt: a literal of this file, with two %s */
#pragma GCC diagnostic pop
	int rc = system(cmd);
	free(cmd);
	return rc;
}

static unsigned char *slurp(const char *name, size_t *len)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	free(path);
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int read_file(const char *name, struct doc_facts *f, int isolated)
{
	size_t len;
	unsigned char *buf = slurp(name, &len);
	int rc = isolated ? readchild_request(READCHILD_PDF, buf, len, f) : pdf_read_here(buf, len, f);
	free(buf);
	return rc;
}

static const char report[] =
	"SURGICAL PATHOLOGY REPORT\n\n"
	"Patient: DOE, JANE      DOB: 01/02/1970     MRN: 0012345\n"
	"Collected: 03/04/2021\n\nFINAL DIAGNOSIS: benign.\n";

static int setup(void **state)
{
	FILE *f;
	char *p;
	(void)state;
	assert_non_null(mkdtemp(dir));
	p = path_join(dir, "report.txt");
	f = fopen(p, "w");
	fputs(report, f);
	fclose(f);
	free(p);
	have_tools = sh("cd %s && enscript -q -B -o r.ps report.txt && ps2pdf r.ps text.pdf%s", "") == 0 &&
		     sh("cd %s && gs -q -sDEVICE=pdfimage24 -r100 -o scan.pdf text.pdf%s", "") == 0 &&
		     sh("cd %s && qpdf --encrypt secret secret 256 -- text.pdf locked.pdf%s", "") == 0 &&
		     sh("cd %s && head -c 600 text.pdf > cut.pdf && pdftotext -l 3 text.pdf text.txt%s", "") == 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s%s", "");
	return 0;
}

static void check_text_pdf(int isolated)
{
	struct doc_facts f;
	size_t n;
	unsigned char *want;
	if (!have_tools)
		skip();
	assert_int_equal(read_file("text.pdf", &f, isolated), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_int_equal(f.format, FMT_PDF);
	assert_string_equal(f.title, "SURGICAL PATHOLOGY REPORT");
	assert_string_equal(f.who.name, "DOE, JANE");
	assert_string_equal(f.who.dob, "01/02/1970");
	assert_int_equal(f.who.nids, 1);
	assert_string_equal(f.who.ids[0], "0012345");
	assert_string_equal(f.date, "03/04/2021");
	/* every value is in what pdftotext finds on the page */
	want = slurp("text.txt", &n);
	want[n] = '\0';
	assert_non_null(strstr((char *)want, f.who.name));
	assert_non_null(strstr((char *)want, f.who.dob));
	assert_non_null(strstr((char *)want, f.who.ids[0]));
	assert_non_null(strstr((char *)want, f.title));
	free(want);
}

static void test_text_pdf(void **state)
{
	(void)state;
	check_text_pdf(0);
}

static void test_text_pdf_isolated(void **state)
{
	(void)state;
	check_text_pdf(1);
	check_text_pdf(1); /* the same child again */
}

static void test_image_only(void **state)
{
	struct doc_facts f;
	(void)state;
	if (!have_tools)
		skip();
	assert_int_equal(read_file("scan.pdf", &f, 0), 0);
	assert_int_equal(f.status, FACTS_IMAGE_ONLY);
	assert_string_equal(f.who.name, "");
}

static void test_encrypted(void **state)
{
	struct doc_facts f;
	(void)state;
	if (!have_tools)
		skip();
	assert_int_equal(read_file("locked.pdf", &f, 1), 0);
	assert_int_equal(f.status, FACTS_ENCRYPTED);
	assert_string_equal(f.error, "the PDF is protected by a password");
}

static void test_damaged(void **state)
{
	struct doc_facts f;
	(void)state;
	if (!have_tools)
		skip();
	assert_int_equal(read_file("cut.pdf", &f, 0), 0);
	assert_true(f.status == FACTS_DAMAGED || f.status == FACTS_IMAGE_ONLY);
	assert_int_equal(pdf_read_here((const unsigned char *)"%PDF-1.4\n%%EOF\n", 15, &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_string_equal(f.error, "the PDF is damaged: it could not be opened");
}

static void test_not_pdf(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(pdf_read_here((const unsigned char *)"hello", 5, &f), 1);
	assert_int_equal(pdf_read_here(NULL, 0, &f), 1);
}

static void test_child_crash_survived(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(readchild_request(READCHILD_CRASH, (const unsigned char *)"%PDF-", 5, &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_non_null(strstr(f.error, "failed or took longer"));
	if (have_tools)
		check_text_pdf(1); /* a new child takes over */
}

/* As a helper child, this program reads every kind, as recpack-read and recpack-ocr together. */
static void read_any(uint32_t kind, const unsigned char *buf, size_t len, struct doc_facts *out)
{
	if (kind == READCHILD_PDF_OCR)
		pdf_ocr_here(buf, len, out);
	else
		pdf_read_here(buf, len, out);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_pdf),   cmocka_unit_test(test_text_pdf_isolated),
		cmocka_unit_test(test_image_only), cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_damaged),    cmocka_unit_test(test_not_pdf),
		cmocka_unit_test(test_child_crash_survived),
	};
	/* this program is its own helper child, as recpack is */
	if (argc == 2 && strcmp(argv[1], READCHILD_ARG) == 0)
		return readchild_main(read_any);
	readchild_install("/proc/self/exe", "/proc/self/exe");
	return cmocka_run_group_tests(tests, setup, teardown);
}
