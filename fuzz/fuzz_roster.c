/* fuzz_roster.c: the batch roster (CSV) parser and validator on arbitrary bytes, handed
 * without a terminating NUL. Parsed rosters must be rectangular and their cells readable. */
#include "fuzz.h"

#include "cli/roster.h"
#include "sys/rp.h"

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
	roster_free(&r);
	return 0;
}
