/* SPDX-License-Identifier: GPL-3.0-or-later */
/* roster.c: see roster.h. */
#include "cli/roster.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/date.h"
#include "sys/rp.h"
#include "sys/util.h"

/* ---- bytes -> UTF-8 ---- */

/* UTF-16 without a BOM still shows as ASCII with a zero byte after (LE) or before (BE) each
 * letter: 1 for LE, 2 for BE, 0 when the first bytes do not look like that. */
static int utf16_without_bom(const unsigned char *b, size_t len)
{
	size_t n = len < 64 ? len & ~(size_t)1 : 64, even = 0, odd = 0;
	for (size_t i = 0; i < n; i += 2) {
		even += b[i] == 0;
		odd += b[i + 1] == 0;
	}
	if (n >= 4 && odd == n / 2 && even == 0)
		return 1;
	if (n >= 4 && even == n / 2 && odd == 0)
		return 2;
	return 0;
}

/* from -> UTF-8 with iconv; -1 when the bytes are not valid in from. */
static int convert(const char *from, const char *in, size_t len, char **out, size_t *olen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -1;
	size_t cap = len * 2 + 16, left = cap; /* UTF-16 -> at most 1.5x; one byte -> at most 3 */
	if (cap / 2 < len)
		return iconv_close(cd), -1;
	char *buf = xmalloc(cap + 1), *o = buf, *i = (char *)in;
	size_t ileft = len;
	int rc = 0;
	while (ileft > 0 && rc == 0) {
		if (iconv(cd, &i, &ileft, &o, &left) != (size_t)-1)
			continue;
		if (errno != E2BIG) {
			rc = -1;
			break;
		}
		size_t used = (size_t)(o - buf);
		cap *= 2;
		buf = xrealloc(buf, cap + 1);
		o = buf + used;
		left = cap - used;
	}
	iconv_close(cd);
	if (rc) {
		free(buf);
		return -1;
	}
	*o = '\0';
	*out = buf;
	*olen = (size_t)(o - buf);
	return 0;
}

int roster_decode(const char *bytes, size_t len, const char *origin, char **text, size_t *tlen,
		  const char **encoding, char *err, size_t errlen)
{
	const unsigned char *b = (const unsigned char *)bytes;
	const char *from = NULL;
	size_t skip = 0;
	int u16 = utf16_without_bom(b, len);
	if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
		from = b[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", skip = 2;
	else if (u16)
		from = u16 == 1 ? "UTF-16LE" : "UTF-16BE";
	else if (len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
		from = "UTF-8", skip = 3;
	else if (utf8_invalid_at(bytes, len) == len)
		from = "UTF-8";
	if (from && strcmp(from, "UTF-8") == 0) {
		if (utf8_invalid_at(bytes + skip, len - skip) != len - skip) {
			snprintf(err, errlen, "%s: the roster starts as UTF-8 but is not UTF-8 further on; "
				 "save it again as \"CSV UTF-8\"", origin);
			return RP_EUSAGE;
		}
		*tlen = len - skip;
		*text = xmalloc(*tlen + 1); /* not strndup: a NUL inside is for the parser to refuse */
		memcpy(*text, bytes + skip, *tlen);
		(*text)[*tlen] = '\0';
		*encoding = from;
		return RP_OK;
	}
	if (from) {
		if (convert(from, bytes + skip, len - skip, text, tlen) < 0) {
			snprintf(err, errlen, "%s: the roster looks like %s text but cannot be read as it; "
				 "save it again as \"CSV UTF-8\"", origin, from);
			return RP_EUSAGE;
		}
		*encoding = from;
		return RP_OK;
	}
	/* Not UTF-8: a Windows spreadsheet's "CSV" (Windows-1252). Latin-1 reads every byte. */
	*encoding = convert("CP1252", bytes, len, text, tlen) == 0 ? "Windows-1252" : "ISO-8859-1";
	if (strcmp(*encoding, "ISO-8859-1") == 0 && convert("ISO-8859-1", bytes, len, text, tlen) < 0) {
		snprintf(err, errlen, "%s: the roster's characters cannot be read; save it as \"CSV UTF-8\"", origin);
		return RP_EUSAGE;
	}
	return RP_OK;
}

/* ---- CSV ---- */

struct csv {
	const char *p, *end;
	char sep;
	int line;
	const char *origin;
	char *err;
	size_t errlen;
};

static int csv_error(struct csv *c, int line, const char *msg)
{
	snprintf(c->err, c->errlen, "%s:%d: %s", c->origin, line, msg);
	return RP_EUSAGE;
}

/* One field; *eol set when it ended the record. Returns 0 or RP_EUSAGE. */
static int read_field(struct csv *c, char **out, int *eol)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	int quoted = c->p < c->end && *c->p == '"', start_line = c->line;
	grow(&buf, &cap, 1, 1);
	if (quoted)
		c->p++;
	for (;;) {
		if (c->p == c->end) {
			if (quoted) {
				free(buf);
				return csv_error(c, start_line, "a quoted field is never closed (a \" is missing)");
			}
			*eol = 1;
			break;
		}
		char ch = *c->p;
		if (quoted && ch == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"') {
				c->p += 2;
				grow(&buf, &cap, n + 2, 1);
				buf[n++] = '"';
				continue;
			}
			c->p++;
			quoted = 0;
			if (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
				free(buf);
				return csv_error(c, c->line, "text after a closing quote (write \"\" for a quote inside a field)");
			}
			continue;
		}
		if (!quoted && (ch == c->sep || ch == '\n' || ch == '\r')) {
			c->p++;
			if (ch == '\r' && c->p < c->end && *c->p == '\n')
				c->p++;
			*eol = ch != c->sep;
			if (*eol)
				c->line++;
			break;
		}
		if (!quoted && ch == '"') {
			free(buf);
			return csv_error(c, c->line, "a quote in the middle of an unquoted field");
		}
		if (ch == '\n')
			c->line++;
		if (ch == '\0') {
			free(buf);
			return csv_error(c, c->line, "the roster contains a NUL byte; save it as CSV text");
		}
		grow(&buf, &cap, n + 2, 1);
		buf[n++] = ch;
		c->p++;
	}
	buf[n] = '\0';
	*out = buf;
	return RP_OK;
}

static int read_record(struct csv *c, struct strlist *fields)
{
	int eol = 0;
	while (!eol) {
		char *f;
		int rc = read_field(c, &f, &eol);
		if (rc)
			return rc;
		if (fields->n == ROSTER_MAX_COLS) {
			free(f);
			return csv_error(c, c->line, "more than 256 columns");
		}
		strlist_add_owned(fields, f);
	}
	return RP_OK;
}

static int blank_record(const struct strlist *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (*f->v[i])
			return 0;
	return 1;
}

static int take_header(struct csv *c, struct roster *r, struct strlist *f)
{
	r->ncols = f->n;
	r->cols = xcalloc(f->n, sizeof(char *));
	for (size_t i = 0; i < f->n; i++) {
		char *name = xstrdup(trim(f->v[i]));
		for (char *s = name; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		for (size_t j = 0; j < i; j++)
			if (*name && strcmp(r->cols[j], name) == 0) {
				free(name);
				return csv_error(c, 1, "a column name appears twice in the header");
			}
		r->cols[i] = name;
	}
	return RP_OK;
}

static int take_row(struct csv *c, struct roster *r, struct strlist *f, int line)
{
	if (r->nrows == ROSTER_MAX_ROWS)
		return csv_error(c, line, "more than 100000 rows");
	r->rows = xrealloc(r->rows, (r->nrows + 1) * sizeof(*r->rows));
	struct roster_row *row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	row->line = line;
	row->cells = xcalloc(r->ncols, sizeof(char *));
	for (size_t i = 0; i < r->ncols; i++)
		row->cells[i] = i < f->n ? xstrdup(trim(f->v[i])) : xstrdup("");
	if (f->n > r->ncols)
		roster_row_error(r, row, c->origin, NULL, "this row has %zu fields but the header has %zu columns "
				 "(a '%s' inside a field needs quotes around the field)", f->n, r->ncols,
				 c->sep == '\t' ? "tab" : c->sep == ';' ? ";" : ",");
	return RP_OK;
}

/* The separator of the header row: the most frequent of ',', ';' and tab outside quotes
 * (',' on a tie, and when the header has none). */
static char find_separator(const char *p, const char *end)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;
	for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted)
			comma += *p == ',', semi += *p == ';', tab += *p == '\t';
	}
	if (semi > comma && semi >= tab)
		return ';';
	return tab > comma && tab > semi ? '\t' : ',';
}

int roster_parse(const char *text, size_t len, const char *origin, struct roster *out, char *err,
		 size_t errlen)
{
	struct csv c = { text, text + len, ',', 1, origin, err, errlen };
	memset(out, 0, sizeof(*out));
	if (len > ROSTER_MAX_BYTES)
		return csv_error(&c, 1, "the roster is larger than 16 MB");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	while (c.p < c.end && (*c.p == '\n' || *c.p == '\r')) /* blank lines before the header */
		c.line += *c.p++ == '\n';
	out->sep = c.sep = find_separator(c.p, c.end);
	int rc = RP_OK, have_header = 0;
	while (c.p < c.end && rc == RP_OK) {
		struct strlist f = { 0 };
		int line = c.line;
		rc = read_record(&c, &f);
		if (rc == RP_OK && !blank_record(&f))
			rc = have_header++ ? take_row(&c, out, &f, line) : take_header(&c, out, &f);
		strlist_free(&f);
	}
	if (rc == RP_OK && !have_header)
		rc = csv_error(&c, 1, "the roster is empty: it needs a header row (id,name,dob,...)");
	if (rc)
		roster_free(out);
	return rc;
}

int roster_has_column(const struct roster *r, const char *col)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], col) == 0)
			return 1;
	return 0;
}

const char *roster_cell(const struct roster *r, const struct roster_row *row, const char *col)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], col) == 0)
			return row->cells[i];
	return "";
}

static int valid_id(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 64 || id[0] == '.' || id[0] == '-')
		return 0;
	return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* "A".."Z", "AA".. as a spreadsheet names column i (from 0). */
static void column_letters(size_t i, char out[8])
{
	char tmp[8];
	int n = 0;
	do {
		tmp[n++] = (char)('A' + i % 26);
		i = i / 26;
	} while (i-- > 0 && n < 7);
	for (int k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
}

void roster_row_error(struct roster *r, struct roster_row *row, const char *origin, const char *col,
		      const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	if (row->error)
		sbuf_printf(&b, "%s\n", row->error);
	else
		r->nbad++;
	sbuf_printf(&b, "%s:%d: ", origin, row->line);
	for (size_t i = 0; col && i < r->ncols; i++)
		if (strcmp(r->cols[i], col) == 0) {
			char letters[8];
			column_letters(i, letters);
			sbuf_printf(&b, "column %s (%s): ", letters, col);
		}
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap), *shown = str_shown(msg); /* cells are a stranger's bytes:
								  * no ESC sequences or newlines */
	va_end(ap);
	sbuf_puts(&b, shown);
	free(shown);
	free(msg);
	free(row->error);
	row->error = sbuf_take(&b, NULL);
}

static void validate_row(struct roster *r, size_t i, const char *origin)
{
	struct roster_row *row = &r->rows[i];
	const char *id = roster_cell(r, row, "id"), *dob = roster_cell(r, row, "dob");
	if (!valid_id(id))
		roster_row_error(r, row, origin, "id", "%s%s%s the id must be 1-64 letters, digits, '.', '_' or '-', "
				 "not starting with '.' or '-' (it names the packet file)",
				 *id ? "'" : "", *id ? id : "the id is empty;", *id ? "':" : "");
	for (size_t j = 0; j < i && *id; j++)
		if (strcasecmp(roster_cell(r, &r->rows[j], "id"), id) == 0) {
			roster_row_error(r, row, origin, "id", "the id '%s' was already used by the row on line %d",
					 id, r->rows[j].line);
			break;
		}
	if (!*roster_cell(r, row, "name"))
		roster_row_error(r, row, origin, "name", "the name is empty");
	if (!*dob)
		roster_row_error(r, row, origin, "dob", "the date of birth is empty (write it as YYYY-MM-DD)");
	else if (date_parse_iso(dob, NULL, NULL, NULL) < 0)
		roster_row_error(r, row, origin, "dob", "'%s' is not a date of birth as YYYY-MM-DD, or no such day "
				 "exists", dob);
}

int roster_validate(struct roster *r, const char *origin, char *err, size_t errlen)
{
	static const char *const need[] = { "id", "name", "dob" };
	for (size_t i = 0; i < 3; i++)
		if (!roster_has_column(r, need[i])) {
			snprintf(err, errlen, "%s:1: the header has no '%s' column (needed: id,name,dob, "
				 "separated by ',', ';' or tabs)", origin, need[i]);
			return RP_EUSAGE;
		}
	if (r->nrows == 0) {
		snprintf(err, errlen, "%s:2: the roster has a header but no patients", origin);
		return RP_EUSAGE;
	}
	for (size_t i = 0; i < r->nrows; i++)
		validate_row(r, i, origin);
	return RP_OK;
}

void roster_free(struct roster *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t j = 0; j < r->ncols; j++)
			free(r->rows[i].cells[j]);
		free(r->rows[i].cells);
		free(r->rows[i].error);
	}
	for (size_t j = 0; j < r->ncols; j++)
		free(r->cols[j]);
	free(r->rows);
	free(r->cols);
	memset(r, 0, sizeof(*r));
}
