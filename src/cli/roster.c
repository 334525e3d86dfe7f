/* roster.c: see roster.h. */
#include "cli/roster.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/rp.h"
#include "sys/util.h"

struct csv {
	const char *p, *end;
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
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				free(buf);
				return csv_error(c, c->line, "text after a closing quote (write \"\" for a quote inside a field)");
			}
			continue;
		}
		if (!quoted && (ch == ',' || ch == '\n' || ch == '\r')) {
			c->p++;
			if (ch == '\r' && c->p < c->end && *c->p == '\n')
				c->p++;
			*eol = ch != ',';
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
	if (f->n > r->ncols)
		return csv_error(c, line, "this row has more fields than the header has columns (a comma inside a field needs quotes)");
	if (r->nrows == ROSTER_MAX_ROWS)
		return csv_error(c, line, "more than 100000 rows");
	r->rows = xrealloc(r->rows, (r->nrows + 1) * sizeof(*r->rows));
	struct roster_row *row = &r->rows[r->nrows++];
	row->line = line;
	row->cells = xcalloc(r->ncols, sizeof(char *));
	for (size_t i = 0; i < r->ncols; i++)
		row->cells[i] = i < f->n ? xstrdup(trim(f->v[i])) : xstrdup("");
	return RP_OK;
}

int roster_parse(const char *text, size_t len, const char *origin, struct roster *out, char *err,
		 size_t errlen)
{
	struct csv c = { text, text + len, 1, origin, err, errlen };
	memset(out, 0, sizeof(*out));
	if (len > ROSTER_MAX_BYTES)
		return csv_error(&c, 1, "the roster is larger than 16 MB");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
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

static int valid_iso_date(const char *s)
{
	int y, m, d;
	char tail;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 1850 &&
	       y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int roster_validate(const struct roster *r, const char *origin, char *err, size_t errlen)
{
	static const char *const need[] = { "id", "name", "dob" };
	for (size_t i = 0; i < 3; i++)
		if (!roster_has_column(r, need[i])) {
			snprintf(err, errlen, "%s:1: the header has no '%s' column (needed: id,name,dob)", origin, need[i]);
			return RP_EUSAGE;
		}
	if (r->nrows == 0) {
		snprintf(err, errlen, "%s:2: the roster has a header but no patients", origin);
		return RP_EUSAGE;
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const struct roster_row *row = &r->rows[i];
		const char *id = roster_cell(r, row, "id");
		const char *msg = !valid_id(id) ? "the id must be 1-64 letters, digits, '.', '_' or '-' (it names the packet file)"
				: !*roster_cell(r, row, "name") ? "the name is empty"
				: !valid_iso_date(roster_cell(r, row, "dob")) ? "the dob must be a date as YYYY-MM-DD"
				: NULL;
		for (size_t j = 0; j < i && !msg; j++)
			if (strcasecmp(roster_cell(r, &r->rows[j], "id"), id) == 0)
				msg = "this id was already used by an earlier row";
		if (msg) {
			snprintf(err, errlen, "%s:%d: %s", origin, row->line, msg);
			return RP_EUSAGE;
		}
	}
	return RP_OK;
}

void roster_free(struct roster *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t j = 0; j < r->ncols; j++)
			free(r->rows[i].cells[j]);
		free(r->rows[i].cells);
	}
	for (size_t j = 0; j < r->ncols; j++)
		free(r->cols[j]);
	free(r->rows);
	free(r->cols);
	memset(r, 0, sizeof(*r));
}
