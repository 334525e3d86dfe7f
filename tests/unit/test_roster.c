/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for roster.c: RFC 4180 as spreadsheets write it, and errors with line numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/roster.h"
#include "sys/rp.h"

static void parses_spreadsheet_csv(void **state)
{
	(void)state;
	const char text[] = "\xEF\xBB\xBFID,Name,DOB,pathology\r\n"
			    "p1,\"Doe, Jane \"\"JD\"\"\",1970-01-01,\"a.pdf;b.pdf\"\r\n"
			    "\r\n"
			    "p2,\"Multi\nline\",1980-02-02\r\n";
	struct roster r;
	char err[256];
	assert_int_equal(roster_parse(text, sizeof(text) - 1, "r.csv", &r, err, sizeof(err)), RP_OK);
	assert_int_equal(r.ncols, 4);
	assert_string_equal(r.cols[0], "id");
	assert_int_equal(r.nrows, 2);
	assert_string_equal(roster_cell(&r, &r.rows[0], "name"), "Doe, Jane \"JD\"");
	assert_string_equal(roster_cell(&r, &r.rows[0], "pathology"), "a.pdf;b.pdf");
	assert_string_equal(roster_cell(&r, &r.rows[1], "pathology"), "");
	assert_string_equal(roster_cell(&r, &r.rows[1], "name"), "Multi\nline");
	assert_int_equal(r.rows[0].line, 2);
	assert_int_equal(r.rows[1].line, 4);
	assert_int_equal(roster_validate(&r, "r.csv", err, sizeof(err)), RP_OK);
	roster_free(&r);
}

/* The roster as a whole is refused with want in the message. */
static void expect(const char *text, const char *want)
{
	struct roster r;
	char err[256] = "";
	int rc = roster_parse(text, strlen(text), "r.csv", &r, err, sizeof(err));
	if (rc == RP_OK) {
		rc = roster_validate(&r, "r.csv", err, sizeof(err));
		roster_free(&r);
	}
	assert_int_equal(rc, RP_EUSAGE);
	if (!strstr(err, want))
		fail_msg("'%s' lacks '%s'", err, want);
}

/* The roster is read, and its row n (from 0) is marked with want. */
static void expect_row(const char *text, size_t n, const char *want)
{
	struct roster r;
	char err[256] = "";
	assert_int_equal(roster_parse(text, strlen(text), "r.csv", &r, err, sizeof(err)), RP_OK);
	assert_int_equal(roster_validate(&r, "r.csv", err, sizeof(err)), RP_OK);
	assert_true(n < r.nrows);
	if (!r.rows[n].error || !strstr(r.rows[n].error, want))
		fail_msg("row %zu: '%s' lacks '%s'", n, r.rows[n].error ? r.rows[n].error : "(no error)", want);
	roster_free(&r);
}

static void errors(void **state)
{
	(void)state;
	expect("id,name,dob\np1,\"Jane,1970-01-01\n", "r.csv:2: a quoted field is never closed");
	expect("id,name,dob\np1,Ja\"ne,1970-01-01\n", "r.csv:2: a quote in the middle");
	expect("id,name,dob\np1,\"Jane\"x,1970-01-01\n", "r.csv:2: text after a closing quote");
	expect("id,name\np1,Jane\n", "r.csv:1: the header has no 'dob' column");
	expect("", "r.csv:1: the roster is empty");
	expect("id,name,dob\n", "r.csv:2: the roster has a header but no patients");
	expect("id,id,dob\n", "r.csv:1: a column name appears twice");
	expect_row("id,name,dob\np1,Jane,1970-01-01,extra\n", 0, "r.csv:2: this row has 4 fields but the header has 3");
	expect_row("id,name,dob\n../x,Jane,1970-01-01\n", 0, "r.csv:2: column A (id): '../x': the id must be");
	expect_row("id,name,dob\np1,Jane,01/01/1970\n", 0, "r.csv:2: column C (dob): '01/01/1970' is not a date");
	expect_row("id,name,dob\np1,Jane,1970-02-31\n", 0, "r.csv:2: column C (dob): '1970-02-31' is not a date");
	expect_row("id,name,dob\np1,Jane,1970-01-01\nP1,John,1970-01-01\n", 1,
		   "r.csv:3: column A (id): the id 'P1' was already used by the row on line 2");
}

static void every_bad_row_marked(void **state)
{
	(void)state;
	const char text[] = "id,name,dob\n"
			    "a,Jane,1970-02-31\n"
			    "b,Jane,1970-01-01\n"
			    ",,\n"
			    "b,John,1980-01-01\n";
	struct roster r;
	char err[256];
	assert_int_equal(roster_parse(text, sizeof(text) - 1, "r.csv", &r, err, sizeof(err)), RP_OK);
	assert_int_equal(roster_validate(&r, "r.csv", err, sizeof(err)), RP_OK);
	assert_int_equal(r.nbad, 2); /* ",," is a blank record, skipped */
	assert_non_null(r.rows[0].error);
	assert_null(r.rows[1].error);
	assert_non_null(r.rows[2].error);
	roster_free(&r);
	const char three[] = "id,name,dob\n..,,\n";
	assert_int_equal(roster_parse(three, sizeof(three) - 1, "r.csv", &r, err, sizeof(err)), RP_OK);
	assert_int_equal(roster_validate(&r, "r.csv", err, sizeof(err)), RP_OK);
	assert_int_equal(r.nbad, 1);
	assert_non_null(strstr(r.rows[0].error, "column A (id)"));
	assert_non_null(strstr(r.rows[0].error, "\nr.csv:2: column B (name): the name is empty"));
	assert_non_null(strstr(r.rows[0].error, "\nr.csv:2: column C (dob): the date of birth is empty"));
	roster_free(&r);
}

static void separators(void **state)
{
	(void)state;
	const char semi[] = "id;name;dob;pathology\np1;\"Doe; Jane\";1970-01-01;a,b.pdf\n";
	const char tab[] = "id\tname\tdob\np1\tDoe, Jane\t1970-01-01\n";
	struct roster r;
	char err[256];
	assert_int_equal(roster_parse(semi, sizeof(semi) - 1, "r.csv", &r, err, sizeof(err)), RP_OK);
	assert_int_equal(r.sep, ';');
	assert_string_equal(roster_cell(&r, &r.rows[0], "name"), "Doe; Jane");
	assert_string_equal(roster_cell(&r, &r.rows[0], "pathology"), "a,b.pdf");
	roster_free(&r);
	assert_int_equal(roster_parse(tab, sizeof(tab) - 1, "r.csv", &r, err, sizeof(err)), RP_OK);
	assert_int_equal(r.sep, '\t');
	assert_string_equal(roster_cell(&r, &r.rows[0], "name"), "Doe, Jane");
	roster_free(&r);
}

static void decode(const char *in, size_t len, const char *want, const char *want_enc)
{
	char *text = NULL, err[256] = "";
	size_t tlen = 0;
	const char *enc = NULL;
	assert_int_equal(roster_decode(in, len, "r.csv", &text, &tlen, &enc, err, sizeof(err)), RP_OK);
	assert_string_equal(text, want);
	assert_int_equal(tlen, strlen(want));
	assert_string_equal(enc, want_enc);
	free(text);
}

static void encodings(void **state)
{
	(void)state;
	decode("id,name\nx,Jos\xc3\xa9", 15, "id,name\nx,Jos\xc3\xa9", "UTF-8");
	decode("\xEF\xBB\xBFid", 5, "id", "UTF-8");
	decode("x,Jos\xe9 \x80", 8, "x,Jos\xc3\xa9 \xe2\x82\xac", "Windows-1252"); /* é and € */
	decode("x\x81", 2, "x\xc2\x81", "ISO-8859-1"); /* not in CP1252: Latin-1 reads every byte */
	decode("\xFF\xFEi\0d\0,\0\xe9\0", 10, "id,\xc3\xa9", "UTF-16LE");
	decode("\xFE\xFF\0i\0d", 6, "id", "UTF-16BE");
	decode("i\0d\0,\0n\0", 8, "id,n", "UTF-16LE"); /* no BOM: the zero bytes say it */
	char *text = NULL, err[256] = "";
	size_t tlen;
	const char *enc;
	assert_int_equal(roster_decode("\xEF\xBB\xBFid\xff", 6, "r.csv", &text, &tlen, &enc, err, sizeof(err)), RP_EUSAGE);
	assert_non_null(strstr(err, "r.csv: the roster starts as UTF-8"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_spreadsheet_csv),
		cmocka_unit_test(errors),
		cmocka_unit_test(every_bad_row_marked),
		cmocka_unit_test(separators),
		cmocka_unit_test(encodings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
