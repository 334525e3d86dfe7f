/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for identity.c: names, birth dates and IDs as people write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/identity.h"

struct pair {
	const char *a, *b;
};

static void expect_names(const struct pair *v, size_t n, int want)
{
	for (size_t i = 0; i < n; i++) {
		int got = identity_name_match(v[i].a, v[i].b), rev = identity_name_match(v[i].b, v[i].a);
		if (got != want || rev != want)
			fail_msg("\"%s\" vs \"%s\": got %d/%d, want %d", v[i].a, v[i].b, got, rev, want);
	}
}

static void names_same_person(void **state)
{
	(void)state;
	static const struct pair same[] = {
		{ "DOE^JANE", "Jane Doe" },
		{ "DOE^JANE", "  jane   DOE " },
		{ "DOE^JANE^MARIE", "Jane Doe" },
		{ "DOE^JANE", "Jane Marie Doe" },
		{ "DOE^JANE", "Doe, Jane" },
		{ "DOE^J", "Jane Doe" },
		{ "Doe, Jane M.", "Jane Marie Doe" },
		{ "DOE^JANE^^MRS", "Jane Doe" },          /* DICOM prefix dropped */
		{ "Dr. Jane Doe Jr.", "DOE^JANE" },
		/* accents, case and alphabetic forms */
		{ "José García", "GARCIA^JOSE" },
		{ "José García", "JOSE GARCIA" },
		{ "JOSÉ GARCÍA", "garcia, jose" },
		{ "García López, José", "GARCIA LOPEZ^JOSE" },
		{ "José García-López", "GARCIA LOPEZ^JOSE" },
		{ "José García López", "GARCIA^JOSE" },     /* second surname on one side */
		{ "María José de la Cruz", "DE LA CRUZ^MARIA JOSE" },
		{ "Ñúñez^Iñaki", "Inaki Nunez" },
		{ "François Lefèvre", "LEFEVRE^FRANCOIS" },
		{ "O'Brien^Siobhán", "Siobhan OBrien" },
		{ "Søren Kierkegaard", "KIERKEGAARD^SOREN" },
		{ "Łukasz Wałęsa", "WALESA^LUKASZ" },
		/* German: an umlaut matches the plain vowel and the "e" spelling */
		{ "Jörg Müller", "MÜLLER^JÖRG" },
		{ "Jörg Müller", "MULLER^JORG" },
		{ "Jörg Müller", "MUELLER^JOERG" },
		{ "Strauß^Jürgen", "Juergen Strauss" },
		/* Latin-1 bytes (an ISO_IR 100 DICOM read as is) */
		{ "GARC\xCD" "A^JOS\xC9", "José García" },
		{ "M\xDCLLER^J\xD6RG", "Jörg Müller" },
		/* the alphabetic group of a DICOM PN with ideographic and phonetic groups */
		{ "Yamada^Tarou=山田^太郎=やまだ^たろう", "Tarou Yamada" },
		/* fullwidth letters (NFKD) */
		{ "ＤＯＥ^ＪＡＮＥ", "Jane Doe" },
		/* Greek and Cyrillic compare within their alphabet, case-folded */
		{ "ΠΑΠΑΔΟΠΟΥΛΟΣ^ΝΙΚΟΣ", "Νίκος Παπαδόπουλος" },
		{ "ИВАНОВ^ИВАН", "Иван Иванов" },
		{ "DOE", "Jane Doe" },                      /* family name alone */
	};
	expect_names(same, sizeof(same) / sizeof(same[0]), 1);
}

static void names_other_person(void **state)
{
	(void)state;
	static const struct pair other[] = {
		{ "SMITH^JOHN", "Jane Doe" },
		{ "DOE^JOHN", "Jane Doe" },       /* given name differs */
		{ "ROE^JANE", "Jane Doe" },       /* family name differs */
		{ "GARCIA^JUAN", "José García" },
		{ "GARCIA^JOSE", "José Gómez" },
		{ "Jane Anne Doe", "Jane Beth Doe" }, /* different middle names */
		{ "DOE^K", "Jane Doe" },          /* an initial that is not hers */
		{ "MULLER^JORG", "Jörn Müller" },
		{ "MÜLLER^JÖRG", "Jorg Miller" },
		{ "ANONYMOUS", "Jane Doe" },
		{ "Joe Smith", "Jo Smith" },      /* "oe" only stands for "ö" when it was one */
		{ "D^J", "Jane Doe" },            /* initials alone are not enough */
	};
	expect_names(other, sizeof(other) / sizeof(other[0]), 0);
	assert_int_equal(identity_name_match("", "Jane Doe"), -1);
	assert_int_equal(identity_name_match("^^", "Jane Doe"), -1);
	assert_int_equal(identity_name_match("Jane Doe", NULL), -1);
}

static void name_display(void **state)
{
	(void)state;
	char out[64];
	identity_name_display("GARCIA^JOSE^^DR", out, sizeof(out));
	assert_string_equal(out, "GARCIA, JOSE");
	identity_name_display("DOE^JANE^MARIE", out, sizeof(out));
	assert_string_equal(out, "DOE, JANE MARIE");
	identity_name_display("Yamada^Tarou=山田^太郎", out, sizeof(out));
	assert_string_equal(out, "Yamada, Tarou");
	identity_name_display("  Jane   Doe ", out, sizeof(out));
	assert_string_equal(out, "Jane Doe");
	identity_name_display("M\xDCLLER^J\xD6RG", out, sizeof(out));
	assert_string_equal(out, "MÜLLER, JÖRG");
	identity_name_display("DOE", out, sizeof(out));
	assert_string_equal(out, "DOE");
	identity_name_display("GARCIA^JOSE", out, 5); /* bounded */
	assert_true(strlen(out) < 5);
}

static void dates(void **state)
{
	(void)state;
	static const struct { const char *in, *want; int ret; } cases[] = {
		{ "1975-05-01", "1975-05-01", 0 },
		{ "19750501", "1975-05-01", 0 },
		{ "19750501120000-0500", "1975-05-01", 0 }, /* HL7 TS */
		{ "1975-05-01T00:00:00Z", "1975-05-01", 0 },
		{ "1975/05/01", "1975-05-01", 0 },
		{ "1975.05.01", "1975-05-01", 0 },          /* old DICOM DA */
		{ "05/01/1975", "1975-05-01", 1 },          /* US order, ambiguous */
		{ "5/1/1975", "1975-05-01", 1 },
		{ "05/13/1975", "1975-05-13", 0 },
		{ "13/05/1975", "1975-05-13", 0 },          /* cannot be US: day first */
		{ "01.05.1975", "1975-05-01", 1 },          /* European order */
		{ "13.05.1975", "1975-05-13", 0 },
		{ "01-05-1975", "1975-05-01", 1 },
		{ "05/05/1975", "1975-05-05", 0 },          /* the same either way */
		{ "May 1, 1975", "1975-05-01", 0 },
		{ "May 1 1975", "1975-05-01", 0 },
		{ "May 1st, 1975", "1975-05-01", 0 },
		{ "1 May 1975", "1975-05-01", 0 },
		{ "1-MAY-1975", "1975-05-01", 0 },
		{ "01 Sept 1975", "1975-09-01", 0 },
		{ "1. Mai 1975", "1975-05-01", 0 },
		{ "3. März 1975", "1975-03-03", 0 },
		{ "1 de mayo de 1975", "1975-05-01", 0 },
		{ "1er août 1975", "1975-08-01", 0 },
		{ "DOB: 05/13/1975", "1975-05-13", 0 },
		{ "2/29/2000", "2000-02-29", 0 },
		{ "5/13/75", "1975-05-13", 0 },             /* two-digit year: in the past */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[11];
		int r = identity_date_norm(cases[i].in, out);
		if (r != cases[i].ret || strcmp(out, cases[i].want) != 0)
			fail_msg("\"%s\": got %d \"%s\", want %d \"%s\"", cases[i].in, r, out, cases[i].ret,
				 cases[i].want);
	}
	static const char *const bad[] = { "", "unknown", "1975", "May 1975", "13/13/1975", "2/29/1999",
					   "1975-02-30", "00000000", "32.01.1975", "1/2/3" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[11];
		if (identity_date_norm(bad[i], out) != -1)
			fail_msg("\"%s\" read as a date: %s", bad[i], out);
	}
}

static void date_compare(void **state)
{
	(void)state;
	assert_int_equal(identity_date_cmp("19700131", "1970-01-31"), 1);
	assert_int_equal(identity_date_cmp("19700131", "January 31, 1970"), 1);
	assert_int_equal(identity_date_cmp("19700131", "31.01.1970"), 1);
	assert_int_equal(identity_date_cmp("19700131", "1970-01-30"), 0);
	assert_int_equal(identity_date_cmp("19700102", "1970-01-01"), 0);
	/* ambiguous: 01/05/1975 is 5 Jan in the US and 1 May in Europe; either reading counts */
	assert_int_equal(identity_date_cmp("01/05/1975", "1975-05-01"), 1);
	assert_int_equal(identity_date_cmp("01/05/1975", "1975-01-05"), 1);
	assert_int_equal(identity_date_cmp("1975-05-01", "01.05.1975"), 1);
	assert_int_equal(identity_date_cmp("01/05/1975", "1975-05-02"), 0);
	/* unambiguous ones do not swap */
	assert_int_equal(identity_date_cmp("05/13/1975", "1975-13-05"), -1);
	assert_int_equal(identity_date_cmp("13/05/1975", "1975-05-13"), 1);
	assert_int_equal(identity_date_cmp("1975-05-13", "1975-13-05"), -1);
	assert_int_equal(identity_date_cmp("", "1970-01-01"), -1);
	assert_int_equal(identity_date_cmp("1970-01-01", "soon"), -1);
}

static void ids(void **state)
{
	(void)state;
	assert_int_equal(identity_id_match("MRN-123 45", "mrn12345"), 1);
	assert_int_equal(identity_id_match("0012345", "12345"), 1);
	assert_int_equal(identity_id_match("12345^^^HOSP&1.2.3&ISO", "12345"), 1);
	assert_int_equal(identity_id_match("ab-12.34", "AB1234"), 1);
	assert_int_equal(identity_id_match("MRN12345", "MRN1234"), 0);
	assert_int_equal(identity_id_match("12345", "12346"), 0);
	assert_int_equal(identity_id_match("100", "1"), 0); /* only leading zeros go */
	assert_int_equal(identity_id_match("000", "0"), 1);
	assert_int_equal(identity_id_match("MRN-0012345", "mrn12345"), 1);
	assert_int_equal(identity_id_match("A1002", "A12"), 0); /* zeros inside a number stay */
	assert_int_equal(identity_id_match("0-0-7", "7"), 1);
	assert_int_equal(identity_id_match("", "12345"), -1);
	assert_int_equal(identity_id_match("--", "12345"), -1);
	char out[8];
	identity_id_norm("00A-123456789", out, sizeof(out)); /* bounded */
	assert_string_equal(out, "a123456");
}

static void status_names(void **state)
{
	(void)state;
	assert_string_equal(identity_status_name(IDENTITY_MATCHED), "matched");
	assert_string_equal(identity_status_name(IDENTITY_MISMATCH), "mismatch");
	assert_string_equal(identity_status_name(IDENTITY_NONE_STATED), "none-stated");
	assert_string_equal(identity_status_name(IDENTITY_UNREADABLE), "unreadable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_same_person),
		cmocka_unit_test(names_other_person),
		cmocka_unit_test(name_display),
		cmocka_unit_test(dates),
		cmocka_unit_test(date_compare),
		cmocka_unit_test(ids),
		cmocka_unit_test(status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
