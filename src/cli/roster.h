/* roster.h: the navigator's roster, RFC 4180 CSV as spreadsheets export it (header row,
 * quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM). roster.c parses and
 * validates text it is given, bounded in size; it never opens sources or prints. */
#ifndef ROSTER_H
#define ROSTER_H

#include <stddef.h>

#define ROSTER_MAX_BYTES (16u << 20)
#define ROSTER_MAX_ROWS 100000
#define ROSTER_MAX_COLS 256

struct roster_row {
	int line;     /* physical line where the record starts, for messages */
	char **cells; /* one per column, never NULL (empty string when absent) */
};

struct roster {
	char **cols;  /* header names, trimmed and lowercased */
	size_t ncols;
	struct roster_row *rows;
	size_t nrows;
};

/* Parse CSV text. On error returns RP_EUSAGE with "ORIGIN:LINE: message" in err. */
int roster_parse(const char *text, size_t len, const char *origin, struct roster *out, char *err,
		 size_t errlen);
/* Check the columns and each row's id, name, dob (unique safe ids, valid dates). */
int roster_validate(const struct roster *r, const char *origin, char *err, size_t errlen);
/* The cell of column name in row, "" when the column does not exist. */
const char *roster_cell(const struct roster *r, const struct roster_row *row, const char *col);
int roster_has_column(const struct roster *r, const char *col);
void roster_free(struct roster *r);

#endif
