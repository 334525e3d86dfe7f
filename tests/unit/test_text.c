/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_text.c: plain text in UTF-8, Windows-1252 and UTF-16, and HTML pages (title, tables,
 * scripts, broken markup), read into facts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "read/text.h"

#define S(lit) (const unsigned char *)lit, sizeof(lit) - 1

static void test_utf8(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(text_read(S("OPERATIVE REPORT\nPatient Name: Müller, Jörg\nDOB: 1975-05-01\n"), 0, &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_int_equal(f.format, FMT_TEXT);
	assert_string_equal(f.title, "OPERATIVE REPORT");
	assert_string_equal(f.who.name, "Müller, Jörg");
}

static void test_windows_1252(void **state)
{
	struct doc_facts f;
	(void)state;
	/* "Garc\xeda L\xf3pez" in Latin-1, and a Windows-1252 curly quote */
	assert_int_equal(text_read(S("Name: Garc\xed" "a L\xf3" "pez, Jos\xe9\r\nNote: \x93" "ok\x94\r\n"), 0, &f), 0);
	assert_string_equal(f.who.name, "García López, José");
	assert_non_null(strstr(f.text, "\xe2\x80\x9cok\xe2\x80\x9d"));
}

static void test_utf16(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(text_read(S("\xff\xfeM\0R\0N\0:\0 \0""4\0""2\0\n\0"), 0, &f), 0);
	assert_int_equal(f.who.nids, 1);
	assert_string_equal(f.who.ids[0], "42");
}

static void test_binary(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(text_read(S("MRN: 1\0\0\0\x01\x02"), 0, &f), 1);
	assert_int_equal(text_read(NULL, 0, 0, &f), 1);
}

static void test_html(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(text_read(S("<!DOCTYPE html><html><head><title>Visit  summary</title>"
				     "<script>var Name = 'Patient: EVIL';</script><style>p{}</style></head>"
				     "<body><h1>Discharge Summary</h1><table><tr><th>Patient</th><td>DOE, JANE</td>"
				     "<th>DOB</th><td>01/02/1970</td></tr><tr><td>MRN:</td><td>0012345</td></tr></table>"
				     "<p>Date of Service: 2024-01-02</p></body></html>"),
				   1, &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_int_equal(f.format, FMT_HTML);
	assert_string_equal(f.title, "Visit summary");
	assert_string_equal(f.who.name, "DOE, JANE");
	assert_string_equal(f.who.dob, "01/02/1970");
	assert_string_equal(f.who.ids[0], "0012345");
	assert_string_equal(f.date, "2024-01-02");
	assert_null(strstr(f.text, "EVIL"));
}

static void test_html_broken(void **state)
{
	struct doc_facts f;
	(void)state;
	/* unclosed tags, an entity, no body, an external DTD never fetched */
	assert_int_equal(text_read(S("<!DOCTYPE html SYSTEM \"http://127.0.0.1:1/x.dtd\"><p>Patient: A &amp; B<p>DOB: 1/2/1970"),
				   1, &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_string_equal(f.who.name, "A & B");
	assert_string_equal(f.who.dob, "1/2/1970");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),   cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_utf16),  cmocka_unit_test(test_binary),
		cmocka_unit_test(test_html),   cmocka_unit_test(test_html_broken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
