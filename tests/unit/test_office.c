/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_office.c: DOCX letters made at test time by python3-docx (headings, a table of labels),
 * ODT written by hand with python's zipfile (as LibreOffice lays it out), and hostile ZIPs: a
 * 17 MiB text (bomb), a password-protected entry, broken XML, a ZIP that is no document. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/office.h"
#include "sys/util.h"

static char dir[] = "/tmp/test_office.XXXXXX";
static int have_docx;

static const char make_py[] =
	"import sys, zipfile\n"
	"d = sys.argv[1]\n"
	"try:\n"
	"    import docx\n"
	"    doc = docx.Document()\n"
	"    doc.core_properties.title = 'Template title'\n"
	"    doc.add_heading('Referral Letter', 0)\n"
	"    t = doc.add_table(rows=2, cols=4)\n"
	"    for i, v in enumerate(['Patient', 'Müller, Jörg', 'DOB', '1975-05-01']): t.rows[0].cells[i].text = v\n"
	"    for i, v in enumerate(['MRN', '000123', 'Date of Service', '2024-02-03']): t.rows[1].cells[i].text = v\n"
	"    doc.add_paragraph('Dear colleague, I am referring this patient for a second opinion.')\n"
	"    doc.save(d + '/letter.docx')\n"
	"except ImportError:\n"
	"    pass\n"
	"T = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0'\n"
	"O = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0'\n"
	"content = ('<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"%s\" '\n"
	"  'xmlns:text=\"%s\"><office:body><office:text><text:h text:outline-level=\"1\">Discharge Summary</text:h>'\n"
	"  '<text:p>Name:<text:tab/>García López, José</text:p><text:p>Date of Birth: 1 May 1975<text:line-break/>'\n"
	"  'MR#: 77-<text:span>88</text:span></text:p></office:text></office:body></office:document-content>') % (O, T)\n"
	"with zipfile.ZipFile(d + '/summary.odt', 'w') as z:\n"
	"    z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.text')\n"
	"    z.writestr('content.xml', content, zipfile.ZIP_DEFLATED)\n"
	"with zipfile.ZipFile(d + '/bomb.docx', 'w') as z:\n"
	"    z.writestr('[Content_Types].xml', '<Types/>')\n"
	"    z.writestr('word/document.xml', ' ' * (17 << 20), zipfile.ZIP_DEFLATED)\n"
	"with zipfile.ZipFile(d + '/broken.docx', 'w') as z:\n"
	"    z.writestr('word/document.xml', '<w:document><w:body>', zipfile.ZIP_DEFLATED)\n"
	"with zipfile.ZipFile(d + '/other.zip', 'w') as z:\n"
	"    z.writestr('a.txt', 'hello')\n";

static int setup(void **state)
{
	char *py = path_join(dir, "make.py"), *cmd;
	FILE *f;
	(void)state;
	assert_non_null(mkdtemp(dir));
	free(py);
	py = path_join(dir, "make.py");
	f = fopen(py, "w");
	fputs(make_py, f);
	fclose(f);
	cmd = xasprintf("/usr/bin/python3 %s %s", py, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("cd %s && mkdir -p word && echo '<x/>' > word/document.xml && "
			"zip -q -P secret locked.docx word/document.xml", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("cd %s && head -c 300 summary.odt > cut.odt", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("test -s %s/letter.docx", dir);
	have_docx = system(cmd) == 0;
	free(cmd);
	free(py);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static int read_file(const char *name, struct doc_facts *f)
{
	char *path = path_join(dir, name);
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;
	int rc;
	free(path);
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	rc = office_read(buf, (size_t)n, f);
	free(buf);
	return rc;
}

static void test_docx_letter(void **state)
{
	struct doc_facts f;
	(void)state;
	if (!have_docx)
		skip();
	assert_int_equal(read_file("letter.docx", &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_int_equal(f.format, FMT_DOCX);
	assert_string_equal(f.title, "Referral Letter"); /* the heading, not core.xml's title */
	assert_string_equal(f.who.name, "Müller, Jörg");
	assert_string_equal(f.who.dob, "1975-05-01");
	assert_int_equal(f.who.nids, 1);
	assert_string_equal(f.who.ids[0], "000123");
	assert_string_equal(f.date, "2024-02-03");
	assert_non_null(strstr(f.text, "Dear colleague, I am referring"));
}

static void test_odt_summary(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(read_file("summary.odt", &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_int_equal(f.format, FMT_ODT);
	assert_string_equal(f.title, "Discharge Summary");
	assert_string_equal(f.who.name, "García López, José");
	assert_string_equal(f.who.dob, "1 May 1975");
	assert_string_equal(f.who.ids[0], "77-88");
}

static void test_hostile(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(read_file("bomb.docx", &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_non_null(strstr(f.error, "larger than 16 MiB"));
	assert_int_equal(read_file("locked.docx", &f), 0);
	assert_int_equal(f.status, FACTS_ENCRYPTED);
	assert_int_equal(read_file("broken.docx", &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_int_equal(read_file("cut.odt", &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_int_equal(f.format, FMT_ODT);
	assert_non_null(strstr(f.error, "cut short"));
	assert_int_equal(read_file("other.zip", &f), 1);
	assert_int_equal(office_read((const unsigned char *)"PK\3\4 not really", 16, &f), 1);
	assert_int_equal(office_read(NULL, 0, &f), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docx_letter),
		cmocka_unit_test(test_odt_summary),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
