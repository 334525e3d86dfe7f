/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_textfacts.c: title, date of service and patient from report-shaped text: labels alone on
 * their lines, several on one line, in tables (tabs, pipes, header rows), non-ASCII names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "read/textfacts.h"

static struct doc_facts f;

static const struct doc_facts *scan(const char *text)
{
	memset(&f, 0, sizeof f);
	textfacts_scan(text, strlen(text), &f);
	return &f;
}

static void test_pathology_header(void **state)
{
	(void)state;
	scan("ST. ELSEWHERE MEDICAL CENTER\n"
	     "Department of Pathology\n"
	     "\n"
	     "SURGICAL PATHOLOGY REPORT\n"
	     "\n"
	     "Patient: DOE, JANE          DOB: 01/02/1970        MRN: 0012345\n"
	     "Collected: 03/04/2021 10:30  Received: 03/04/2021\n"
	     "Ordering Physician: SMITH, JOHN MD\n"
	     "\n"
	     "FINAL DIAGNOSIS:\n"
	     "Breast, left, core biopsy: invasive ductal carcinoma.\n");
	assert_string_equal(f.title, "SURGICAL PATHOLOGY REPORT");
	assert_string_equal(f.who.name, "DOE, JANE");
	assert_string_equal(f.who.dob, "01/02/1970");
	assert_int_equal(f.who.nids, 1);
	assert_string_equal(f.who.ids[0], "0012345");
	assert_string_equal(f.date, "03/04/2021 10:30");
	assert_true(strncmp(f.text, "ST. ELSEWHERE MEDICAL CENTER Department of Pathology SURGICAL", 61) == 0);
}

/* Case (accession) numbers: the lab finds the slides by them; a value stops at its first word. */
static void test_case_numbers(void **state)
{
	(void)state;
	scan("SURGICAL PATHOLOGY REPORT\n"
	     "Patient: DOE, JANE   Accession #: S26-12345   DOB: 01/02/1970\n"
	     "Case No.: S26-12345 (left breast)\n"
	     "Specimen Accession: H26-0077\n"
	     "Case: pending\n");
	assert_string_equal(f.who.name, "DOE, JANE");
	assert_string_equal(f.who.dob, "01/02/1970");
	assert_int_equal(f.ncases, 2); /* kept once; "pending" has no digit */
	assert_string_equal(f.cases[0], "S26-12345");
	assert_string_equal(f.cases[1], "H26-0077");
	scan("Case #: A1\nCase #: A2\nCase #: A3\nCase #: A4\nCase #: A5\n");
	assert_int_equal(f.ncases, FACTS_MAX_CASES); /* bounded */
}

static void test_single_spaces(void **state)
{
	(void)state;
	/* pdftotext without -layout: one space between fields */
	scan("OPERATIVE REPORT\nPatient Name: Jane Q. Doe Date of Birth: 1970-01-02 Sex: F Age: 51\n"
	     "Medical Record Number: A-77 Date of Procedure: 2021-05-06\n");
	assert_string_equal(f.title, "OPERATIVE REPORT");
	assert_string_equal(f.who.name, "Jane Q. Doe");
	assert_string_equal(f.who.dob, "1970-01-02");
	assert_string_equal(f.who.ids[0], "A-77");
	assert_string_equal(f.date, "2021-05-06");
}

static void test_labels_own_lines(void **state)
{
	(void)state;
	scan("Discharge Summary\n\nName:   García López, José\nD.O.B.: 5 May 1975\nMR#: 889-22\n"
	     "Patient ID: X99\nDate of Service: May 7, 2022\nReport Date: 2022-05-09\n");
	assert_string_equal(f.title, "Discharge Summary");
	assert_string_equal(f.who.name, "García López, José");
	assert_string_equal(f.who.dob, "5 May 1975");
	assert_int_equal(f.who.nids, 2);
	assert_string_equal(f.who.ids[0], "889-22");
	assert_string_equal(f.who.ids[1], "X99");
	assert_string_equal(f.date, "May 7, 2022"); /* date of service beats report date */
}

static void test_case_and_spacing(void **state)
{
	(void)state;
	scan("PATIENT NAME : MÜLLER, JÖRG\nbirth date:19750501\nmrn :  000123\n");
	assert_string_equal(f.who.name, "MÜLLER, JÖRG");
	assert_string_equal(f.who.dob, "19750501");
	assert_string_equal(f.who.ids[0], "000123");
}

static void test_tab_table(void **state)
{
	(void)state;
	/* a DOCX/HTML table row: label cell, value cell */
	scan("Referral letter\nPatient\tDOE, JANE\tDOB\t01/02/1970\nMRN\t0012345\n");
	assert_string_equal(f.who.name, "DOE, JANE");
	assert_string_equal(f.who.dob, "01/02/1970");
	assert_string_equal(f.who.ids[0], "0012345");
}

static void test_pipe_table(void **state)
{
	(void)state;
	scan("| Patient Name | Doe, Jane | DOB | 02.01.1970 |\n| MRN | 12 34 |\n");
	assert_string_equal(f.who.name, "Doe, Jane");
	assert_string_equal(f.who.dob, "02.01.1970");
	assert_string_equal(f.who.ids[0], "12");
}

static void test_header_row(void **state)
{
	(void)state;
	scan("RADIOLOGY REPORT\nPatient Name\tDate of Birth\tMRN\tExam Date\n"
	     "Nguyễn Văn An\t1980-12-31\tZ-001\t2023-01-15\n");
	assert_string_equal(f.title, "RADIOLOGY REPORT");
	assert_string_equal(f.who.name, "Nguyễn Văn An");
	assert_string_equal(f.who.dob, "1980-12-31");
	assert_string_equal(f.who.ids[0], "Z-001");
	assert_string_equal(f.date, "2023-01-15");
}

static void test_value_next_line(void **state)
{
	(void)state;
	scan("Patient Name:\n   Smith, John A\nDOB:\n03/15/1962\n");
	assert_string_equal(f.who.name, "Smith, John A");
	assert_string_equal(f.who.dob, "03/15/1962");
}

static void test_other_people(void **state)
{
	(void)state;
	scan("Referring Physician Name: Dr. Who\nEmergency Contact Name: Rose Tyler\n"
	     "Mother's Date of Birth: 01/01/1940\nPatient: Amy Pond Physician: River Song\n");
	assert_string_equal(f.who.name, "Amy Pond");
	assert_string_equal(f.who.dob, "");
}

static void test_unknown_label_ends_value(void **state)
{
	(void)state;
	scan("Patient: Jane Doe Visit Type: Outpatient\nDOB: 01/02/1970 (51 yrs)\n");
	assert_string_equal(f.who.name, "Jane Doe Visit"); /* "Type:" cut; "Visit" cannot be told */
	assert_string_equal(f.who.dob, "01/02/1970");
	scan("Patient: Jane Doe Location: 4 West\n");
	assert_string_equal(f.who.name, "Jane Doe");
}

static void test_last_first(void **state)
{
	(void)state;
	scan("Last Name: DOE   First Name: JANE   MRN: 42\n");
	assert_string_equal(f.who.name, "DOE, JANE");
	assert_string_equal(f.who.ids[0], "42");
}

static void test_not_labels(void **state)
{
	(void)state;
	/* prose and words that merely contain a label */
	scan("Patient: 54-year-old woman presents with a mass.\nPatient: is a pleasant woman who was referred to us today for care\n");
	assert_string_equal(f.who.name, "");
	scan("Drug Name: Tamoxifen\nFacility Name: General\nProduct Name: X\nName: Jane Roe\n");
	assert_string_equal(f.who.name, "Jane Roe");
	scan("The patient was seen today.\nSurname-less text; renamed: no\nDOSE: 5 mg\nInpatient: yes\n");
	assert_string_equal(f.who.name, "");
	assert_string_equal(f.date, "");
	assert_int_equal(f.who.nids, 0);
}

static void test_title_choice(void **state)
{
	(void)state;
	scan("GENERAL HOSPITAL\nConsultation Note\n");
	assert_string_equal(f.title, "Consultation Note");
	scan("GENERAL HOSPITAL\nthe end\n");
	assert_string_equal(f.title, "GENERAL HOSPITAL");
	scan("This is prose, not a heading, and it goes on.\n");
	assert_string_equal(f.title, "");
	/* a title set by the format (DOCX core.xml, HTML <title>) is kept */
	memset(&f, 0, sizeof f);
	strcpy(f.title, "Letter");
	textfacts_scan("DISCHARGE SUMMARY\n", 18, &f);
	assert_string_equal(f.title, "Letter");
}

static void test_ids_bounded(void **state)
{
	(void)state;
	scan("MRN: 1\nMRN: 2\nMRN: 1\nPatient ID: 3\nMR#: 4\nMR #5\nChart #: 6\n");
	assert_int_equal(f.who.nids, FACTS_MAX_IDS);
	assert_string_equal(f.who.ids[0], "1");
	assert_string_equal(f.who.ids[1], "2");
	assert_string_equal(f.who.ids[2], "3");
	assert_string_equal(f.who.ids[3], "4");
}

static void test_copy_line(void **state)
{
	char out[8];
	(void)state;
	/* invalid UTF-8 becomes '?', controls and runs of space one space, cut on a boundary */
	assert_int_equal(textfacts_copy_line(out, sizeof out, "a\xff\x01\t b", 6), 4);
	assert_string_equal(out, "a? b");
	assert_int_equal(textfacts_copy_line(out, sizeof out, "abcdefé", 8), 6);
	assert_string_equal(out, "abcdef");
	assert_int_equal(textfacts_copy_line(out, sizeof out, "\xc2\xa0x\xed\xa0\x80", 6), 4);
	assert_string_equal(out, "x???");
}

static void test_text_bounded(void **state)
{
	static char big[TEXTFACTS_SCAN_MAX * 2];
	(void)state;
	memset(big, 'x', sizeof big);
	memcpy(big + sizeof big - 20, "\nMRN: 77\n", 9);
	memset(&f, 0, sizeof f);
	textfacts_scan(big, sizeof big, &f);
	assert_int_equal(strlen(f.text), FACTS_TEXT_MAX - 1);
	assert_int_equal(f.who.nids, 0); /* past the scan bound */
	textfacts_scan(NULL, 0, &f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pathology_header),
		cmocka_unit_test(test_case_numbers), cmocka_unit_test(test_single_spaces),
		cmocka_unit_test(test_labels_own_lines), cmocka_unit_test(test_case_and_spacing),
		cmocka_unit_test(test_tab_table),        cmocka_unit_test(test_pipe_table),
		cmocka_unit_test(test_header_row),       cmocka_unit_test(test_value_next_line),
		cmocka_unit_test(test_other_people),     cmocka_unit_test(test_unknown_label_ends_value),
		cmocka_unit_test(test_last_first),       cmocka_unit_test(test_not_labels),
		cmocka_unit_test(test_title_choice),     cmocka_unit_test(test_ids_bounded),
		cmocka_unit_test(test_copy_line),        cmocka_unit_test(test_text_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
