/* SPDX-License-Identifier: GPL-3.0-or-later */
/* roster.h: the navigator's roster, RFC 4180 CSV as spreadsheets export it (header row,
 * quoted fields, doubled quotes, CRLF or LF), separated by ',', ';' (European spreadsheets)
 * or tabs, in UTF-8, UTF-16 or Windows-1252/Latin-1 (converted to UTF-8 with iconv).
 * roster.c parses and validates text it is given, bounded in size; it never opens sources
 * or prints. A bad row is marked with its reasons, so one run reports them all. */
#ifndef ROSTER_H
#define ROSTER_H

#include <stddef.h>

#define ROSTER_MAX_BYTES (16u << 20)
#define ROSTER_MAX_ROWS 100000
#define ROSTER_MAX_COLS 256

struct roster_row {
	int line;     /* physical line where the record starts, for messages */
	char **cells; /* one per column, never NULL (empty string when absent) */
	char *error;  /* NULL, or why the row cannot be built: "ORIGIN:LINE: column C (dob): ..."
		       * lines, one per problem, joined by '\n' */
};

struct roster {
	char **cols;  /* header names, trimmed and lowercased */
	size_t ncols;
	struct roster_row *rows;
	size_t nrows;
	size_t nbad;          /* rows with an error */
	char sep;             /* the separator found in the header: ',', ';' or '\t' */
};

/* A roster file's bytes as a spreadsheet saved them -> UTF-8 text (owned, NUL-terminated, the
 * byte-order mark dropped): UTF-16LE/BE (by its BOM, or the zero bytes of ASCII text), UTF-8,
 * else Windows-1252 (Latin-1 with the curly quotes and euro sign of Windows spreadsheets).
 * *encoding names what was found. 0, or RP_EUSAGE with "ORIGIN: message" in err. */
int roster_decode(const char *bytes, size_t len, const char *origin, char **text, size_t *tlen,
		  const char **encoding, char *err, size_t errlen);

/* Parse CSV text (UTF-8, from roster_decode), its separator taken from the header row. A
 * roster that cannot be read as a table returns RP_EUSAGE with "ORIGIN:LINE: message" in err;
 * a row with more fields than the header is only marked (row->error). */
int roster_parse(const char *text, size_t len, const char *origin, struct roster *out, char *err,
		 size_t errlen);
/* Check the columns (RP_EUSAGE with err when id, name or dob is missing or there is no row)
 * and mark every row whose id, name or dob is bad (unique safe ids, dates that exist). */
int roster_validate(struct roster *r, const char *origin, char *err, size_t errlen);
/* Add one reason to row->error: "ORIGIN:LINE: column C (NAME): message", or without the
 * column part when col is NULL. */
void roster_row_error(struct roster *r, struct roster_row *row, const char *origin, const char *col,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The cell of column name in row, "" when the column does not exist. */
const char *roster_cell(const struct roster *r, const struct roster_row *row, const char *col);
int roster_has_column(const struct roster *r, const char *col);
void roster_free(struct roster *r);

#endif
