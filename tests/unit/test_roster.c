/* Unit tests for roster.c: RFC 4180 as spreadsheets write it, and errors with line numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

static void errors(void **state)
{
	(void)state;
	expect("id,name,dob\np1,\"Jane,1970-01-01\n", "r.csv:2: a quoted field is never closed");
	expect("id,name,dob\np1,Ja\"ne,1970-01-01\n", "r.csv:2: a quote in the middle");
	expect("id,name,dob\np1,\"Jane\"x,1970-01-01\n", "r.csv:2: text after a closing quote");
	expect("id,name,dob\np1,Jane,1970-01-01,extra\n", "r.csv:2: this row has more fields");
	expect("id,name\np1,Jane\n", "r.csv:1: the header has no 'dob' column");
	expect("id,name,dob\n../x,Jane,1970-01-01\n", "r.csv:2: the id must be");
	expect("id,name,dob\np1,Jane,01/01/1970\n", "r.csv:2: the dob must be");
	expect("id,name,dob\np1,Jane,1970-01-01\nP1,John,1970-01-01\n", "r.csv:3: this id was already used");
	expect("", "r.csv:1: the roster is empty");
	expect("id,name,dob\n", "r.csv:2: the roster has a header but no patients");
	expect("id,id,dob\n", "r.csv:1: a column name appears twice");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_spreadsheet_csv),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
