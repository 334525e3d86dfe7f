/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_roster.c: the batch roster (CSV) decoder, parser and validator on arbitrary bytes,
 * handed without a terminating NUL. Decoded text must be UTF-8; parsed rosters must be
 * rectangular and their cells readable; every row marked bad says why. */
#include "fuzz.h"

#include "cli/roster.h"
#include "sys/rp.h"
#include "sys/util.h"

/* A column that is not there reads as "". Any name may be a column (even "no such column"),
 * so ask for one longer than every column name: it cannot be among them. */
static void check_absent_column(const struct roster *r)
{
	size_t longest = 0;
	for (size_t c = 0; c < r->ncols; c++)
		if (strlen(r->cols[c]) > longest)
			longest = strlen(r->cols[c]);
	char *absent = malloc(longest + 2);
	FUZZ_REQUIRE(absent != NULL);
	memset(absent, 'x', longest + 1);
	absent[longest + 1] = '\0';
	FUZZ_REQUIRE(*roster_cell(r, &r->rows[0], absent) == '\0');
	free(absent);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roster r;
	char err[512] = "";
	if (roster_parse((const char *)data, size, "fuzz.csv", &r, err, sizeof(err)) != RP_OK) {
		FUZZ_REQUIRE(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	FUZZ_REQUIRE(r.ncols <= ROSTER_MAX_COLS && r.nrows <= ROSTER_MAX_ROWS);
	for (size_t i = 0; i < r.nrows; i++)
		for (size_t c = 0; c < r.ncols; c++) {
			FUZZ_REQUIRE(r.rows[i].cells[c] != NULL);
			FUZZ_REQUIRE(roster_cell(&r, &r.rows[i], r.cols[c]) != NULL);
		}
	if (r.nrows)
		check_absent_column(&r);
	err[0] = '\0';
	if (roster_validate(&r, "fuzz.csv", err, sizeof(err)) != RP_OK)
		FUZZ_REQUIRE(err[0] != '\0');
	size_t bad = 0;
	for (size_t i = 0; i < r.nrows; i++)
		if (r.rows[i].error) {
			bad++;
			FUZZ_REQUIRE(strncmp(r.rows[i].error, "fuzz.csv:", 9) == 0);
		}
	FUZZ_REQUIRE(bad == r.nbad);
	roster_free(&r);

	/* the same bytes as a file: decoded to UTF-8 first */
	char *text = NULL;
	size_t tlen = 0;
	const char *enc = NULL;
	err[0] = '\0';
	if (roster_decode((const char *)data, size, "fuzz.csv", &text, &tlen, &enc, err, sizeof(err)) != RP_OK) {
		FUZZ_REQUIRE(err[0] != '\0');
		return 0;
	}
	FUZZ_REQUIRE(enc != NULL && utf8_invalid_at(text, tlen) == tlen);
	free(text);
	return 0;
}
