/* SPDX-License-Identifier: GPL-3.0-or-later */
/* textfacts.c: see textfacts.h. The text is read line by line. On each line every known label
 * ("Patient Name:", "DOB:", "Sex:"...) is found at a word start, longest first; a label's value
 * runs to the next label on the line, so table rows such as
 * "Patient: DOE, JANE   DOB: 01/02/1970   MRN: 0012345" give three values. A line of labels
 * alone is a table's header row: its values are the cells of the next line. */
#include "read/textfacts.h"

#include <string.h>

#define LINE_CANDS 24     /* labels looked at on one line */
#define TITLE_LINES 60    /* a title is among the first non-empty lines */
#define TITLE_MIN 4
#define TITLE_MAX 100
#define NAME_WORDS_MAX 6  /* "García López, María de los Ángeles" */

enum field { F_OTHER, F_NAME, F_LAST, F_FIRST, F_DOB, F_ID, F_DATE, F_CASE };

struct label {
	const char *text; /* lowercase; ' ' matches one or more spaces */
	enum field field;
	int rank;         /* for F_DATE: lower is a better date of service */
};

/* F_OTHER labels name something else: they end the value before them and give none. */
static const struct label labels[] = {
	{ "patient name", F_NAME, 0 }, { "patient's name", F_NAME, 0 },
	{ "name of patient", F_NAME, 0 }, { "patient full name", F_NAME, 0 },
	{ "pt name", F_NAME, 0 }, { "patient", F_NAME, 0 }, { "name", F_NAME, 0 },
	{ "last name", F_LAST, 0 }, { "patient last name", F_LAST, 0 },
	{ "family name", F_LAST, 0 }, { "surname", F_LAST, 0 },
	{ "first name", F_FIRST, 0 }, { "patient first name", F_FIRST, 0 },
	{ "given name", F_FIRST, 0 },
	{ "dob", F_DOB, 0 }, { "d.o.b.", F_DOB, 0 }, { "d.o.b", F_DOB, 0 },
	{ "date of birth", F_DOB, 0 }, { "birth date", F_DOB, 0 }, { "birthdate", F_DOB, 0 },
	{ "patient dob", F_DOB, 0 }, { "patient date of birth", F_DOB, 0 },
	{ "mrn", F_ID, 0 }, { "patient mrn", F_ID, 0 }, { "mr#", F_ID, 0 }, { "mr #", F_ID, 0 },
	{ "mr no.", F_ID, 0 }, { "mr no", F_ID, 0 }, { "mr number", F_ID, 0 },
	{ "medical record number", F_ID, 0 }, { "medical record no.", F_ID, 0 },
	{ "medical record #", F_ID, 0 }, { "medical record", F_ID, 0 },
	{ "patient id", F_ID, 0 }, { "patient #", F_ID, 0 }, { "patient number", F_ID, 0 },
	{ "pt id", F_ID, 0 }, { "chart number", F_ID, 0 }, { "chart #", F_ID, 0 },
	{ "date of service", F_DATE, 1 }, { "service date", F_DATE, 1 }, { "dos", F_DATE, 1 },
	{ "date of procedure", F_DATE, 1 }, { "procedure date", F_DATE, 1 },
	{ "date of surgery", F_DATE, 1 }, { "surgery date", F_DATE, 1 },
	{ "date of operation", F_DATE, 1 },
	{ "collected", F_DATE, 2 }, { "date collected", F_DATE, 2 },
	{ "collection date", F_DATE, 2 }, { "date of collection", F_DATE, 2 },
	{ "exam date", F_DATE, 2 }, { "date of exam", F_DATE, 2 }, { "study date", F_DATE, 2 },
	{ "visit date", F_DATE, 2 }, { "date of visit", F_DATE, 2 },
	{ "report date", F_DATE, 3 }, { "date of report", F_DATE, 3 }, { "reported", F_DATE, 4 },
	{ "date", F_DATE, 5 },
	{ "sex", F_OTHER, 0 }, { "gender", F_OTHER, 0 }, { "age", F_OTHER, 0 },
	{ "physician", F_OTHER, 0 }, { "referring physician", F_OTHER, 0 },
	{ "ordering physician", F_OTHER, 0 }, { "attending physician", F_OTHER, 0 },
	{ "provider", F_OTHER, 0 }, { "referring provider", F_OTHER, 0 },
	{ "ordering provider", F_OTHER, 0 }, { "doctor", F_OTHER, 0 }, { "location", F_OTHER, 0 },
	{ "account", F_OTHER, 0 }, { "account #", F_OTHER, 0 }, { "account number", F_OTHER, 0 },
	{ "acct", F_OTHER, 0 }, { "acct #", F_OTHER, 0 }, { "visit #", F_OTHER, 0 },
	{ "encounter", F_OTHER, 0 }, { "encounter #", F_OTHER, 0 }, { "fin", F_OTHER, 0 },
	{ "csn", F_OTHER, 0 }, { "room", F_OTHER, 0 }, { "bed", F_OTHER, 0 },
	{ "phone", F_OTHER, 0 }, { "telephone", F_OTHER, 0 }, { "address", F_OTHER, 0 },
	{ "ssn", F_OTHER, 0 }, { "accession", F_CASE, 0 }, { "accession #", F_CASE, 0 },
	{ "accession number", F_CASE, 0 }, { "accession no.", F_CASE, 0 }, { "accession no", F_CASE, 0 },
	{ "case", F_CASE, 0 }, { "case #", F_CASE, 0 }, { "case number", F_CASE, 0 },
	{ "case no.", F_CASE, 0 }, { "case no", F_CASE, 0 }, { "pathology #", F_CASE, 0 },
	{ "surgical pathology #", F_CASE, 0 }, { "path #", F_CASE, 0 },
	{ "specimen", F_OTHER, 0 }, { "received", F_OTHER, 0 },
	{ "signed", F_OTHER, 0 }, { "signed by", F_OTHER, 0 }, { "time", F_OTHER, 0 },
	{ "surgeon", F_OTHER, 0 }, { "pathologist", F_OTHER, 0 }, { "radiologist", F_OTHER, 0 },
	{ "attending", F_OTHER, 0 }, { "ordered by", F_OTHER, 0 }, { "copy to", F_OTHER, 0 },
	{ "race", F_OTHER, 0 }, { "ethnicity", F_OTHER, 0 }, { "admitted", F_OTHER, 0 },
	{ "discharged", F_OTHER, 0 }, { "admission date", F_OTHER, 0 },
	{ "admit date", F_OTHER, 0 }, { "discharge date", F_OTHER, 0 },
	{ "insurance", F_OTHER, 0 }, { "height", F_OTHER, 0 }, { "weight", F_OTHER, 0 },
	{ "facility", F_OTHER, 0 }, { "page", F_OTHER, 0 },
};

/* A word just before "Name:", "ID:" or "DOB:" that makes it someone else's. */
static const char *const qualifiers[] = {
	"physician", "provider", "doctor", "facility", "hospital", "clinic", "practice",
	"contact", "guarantor", "insured", "subscriber", "emergency", "father's", "mother's",
	"family", "referring", "ordering", "attending", "test", "specimen", "drug", "company",
	"lab", "laboratory", "user", "organization", "payer", "plan", "insurance", "spouse",
	"parent", "guardian", "party", "study", "procedure", "file", "device", "sender",
	"recipient", "author", "signer", "nurse", "surgeon", "pathologist", "radiologist",
	"maiden", "preferred", "previous", "mother", "father", "son", "daughter", "partner",
	"product", "brand", "generic", "medication", "vaccine", "form", "document", "report",
	"exam", "institution", "department", "site", "program", "protocol", "trial", "sponsor",
	"manufacturer", "employer", "pharmacy", "agency", "practitioner", "prescriber", "staff",
	"dr", "unit", "service", "account", "file", "template",
};

/* Words that make a heading a document's title. */
static const char *const title_words[] = {
	"report", "summary", "note", "notes", "letter", "list", "plan", "consultation",
	"consult", "referral", "results", "history", "record", "records", "assessment",
	"addendum",
};

/* Small words a title-case heading may keep in lowercase. */
static const char *const small_words[] = {
	"of", "and", "the", "for", "to", "in", "on", "with", "at", "by", "a", "an", "or", "&",
};

struct cand {
	size_t start;  /* where the label (or its qualifier) begins: the previous value ends */
	size_t vstart; /* where its value begins */
	enum field field;
	int rank;
	int bare;      /* a table cell with no colon */
};

struct scan {
	struct doc_facts *out;
	int date_rank;
	char last[128], first[128];
	enum field header[LINE_CANDS]; /* a header row's labels, waiting for the next line */
	int header_rank[LINE_CANDS];
	size_t nheader;
	int lines_seen;
	int title_from_word;           /* the title holds a title word (a better one may come) */
};

/* ---- characters ---- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t k;
	unsigned char lo = 0x80, hi = 0xBF;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		k = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		k = 3, lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		k = 4, lo = p[0] == 0xF0 ? 0x90 : 0x80, hi = p[0] == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return k;
}

size_t textfacts_copy_line(char *dst, size_t cap, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, i = 0;
	int space = 0;
	if (cap == 0)
		return 0;
	while (i < n) {
		size_t k = 1;
		int bad = 0;
		if (s[i] <= ' ' || s[i] == 0x7F) {
			space = 1, i++;
			continue;
		}
		if (s[i] >= 0x80 && (k = utf8_seq(s + i, n - i)) == 0)
			k = 1, bad = 1;
		else if (k == 2 && (s[i] == 0xC2 && (s[i + 1] < 0xA0 || s[i + 1] == 0xA0))) {
			space = 1, i += 2; /* C1 controls and no-break space */
			continue;
		}
		if (o + (space && o) + k >= cap)
			break;
		if (space && o)
			dst[o++] = ' ';
		space = 0;
		if (bad)
			dst[o++] = '?';
		else
			memcpy(dst + o, s + i, k), o += k;
		i += k;
	}
	dst[o] = '\0';
	return o;
}

/* ---- labels ---- */

/* Length of label text l matched at p[0..n), 0 when it does not match. */
static size_t match_text(const char *l, const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; *l; l++) {
		if (*l == ' ') {
			if (i >= n || p[i] != ' ')
				return 0;
			while (i < n && p[i] == ' ')
				i++;
			continue;
		}
		if (i >= n || lower(p[i]) != *l)
			return 0;
		i++;
	}
	return i;
}

/* After a label of length len at p: ":" (spaces around it allowed), or for labels ending in '#'
 * nothing, or a table cell boundary (tab, '|', end of line) for a bare label. Returns the value's offset
 * from p, 0 when this is not a label. */
static size_t label_end(const unsigned char *p, size_t n, size_t len, int *bare)
{
	size_t i = len;
	*bare = 0;
	if (i < n && is_alnum(p[i]) && p[len - 1] != '#' && p[len - 1] != '.')
		return 0;
	while (i < n && p[i] == ' ')
		i++;
	if (i < n && p[i] == ':')
		return i + 1;
	if (p[len - 1] == '#')
		return i;
	if (i == n || p[i] == '\t' || p[i] == '|') {
		*bare = 1;
		while (i < n && (is_blank(p[i]) || p[i] == '|'))
			i++;
		return i;
	}
	return 0;
}

/* The longest label at p; its index, or -1. *vstart: where its value begins. */
static int match_label(const unsigned char *p, size_t n, size_t *vstart, int *bare)
{
	int best = -1;
	size_t best_len = 0;
	for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
		size_t len, end;
		int b;
		if (lower(p[0]) != labels[k].text[0])
			continue;
		len = match_text(labels[k].text, p, n);
		if (len == 0 || len <= best_len || (end = label_end(p, n, len, &b)) == 0)
			continue;
		best = (int)k, best_len = len, *vstart = end, *bare = b;
	}
	return best;
}

static int word_in(const unsigned char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t k = 0; k < count; k++) {
		size_t i = 0;
		while (i < n && list[k][i] && lower(w[i]) == list[k][i])
			i++;
		if (i == n && list[k][i] == '\0')
			return 1;
	}
	return 0;
}

/* The label at line[i] starts a cell: line start, or after a tab, '|' or two spaces. */
static int starts_cell(const unsigned char *line, size_t i)
{
	size_t j = i;
	while (j > 0 && line[j - 1] == ' ')
		j--;
	return j == 0 || line[j - 1] == '\t' || line[j - 1] == '|' || i - j >= 2;
}

/* If the word before line[i] makes the label someone else's, where that word starts. */
static int qualified(const unsigned char *line, size_t i, size_t *wstart)
{
	size_t e = i, s;
	while (e > 0 && line[e - 1] == ' ')
		e--;
	if (e == i || e == 0)
		return 0;
	s = e;
	while (s > 0 && (is_letter(line[s - 1]) || line[s - 1] == '\''))
		s--;
	if (!word_in(line + s, e - s, qualifiers, sizeof qualifiers / sizeof qualifiers[0]))
		return 0;
	*wstart = s;
	return 1;
}

static size_t find_cands(const unsigned char *line, size_t n, struct cand *c)
{
	size_t nc = 0;
	for (size_t i = 0; i < n && nc < LINE_CANDS; i++) {
		size_t vstart, wstart;
		int k, bare;
		if ((i > 0 && (is_alnum(line[i - 1]) || line[i - 1] == '\'' || line[i - 1] == '.')) ||
		    !is_letter(line[i]))
			continue;
		if ((k = match_label(line + i, n - i, &vstart, &bare)) < 0)
			continue;
		if (bare && (!starts_cell(line, i) || (nc == 0 && i + vstart >= n)))
			continue; /* a word alone on its line is no table cell */
		c[nc] = (struct cand){ i, i + vstart, labels[k].field, labels[k].rank, bare };
		if (c[nc].field != F_OTHER && c[nc].field != F_CASE && qualified(line, i, &wstart))
			c[nc].field = F_OTHER, c[nc].start = wstart;
		if (nc > 0 && c[nc].start < c[nc - 1].vstart)
			c[nc].start = c[nc - 1].vstart;
		i += vstart - 1;
		nc++;
	}
	return nc;
}

/* ---- values ---- */

/* A capitalised word followed by ':' inside a value is a label we do not know: cut there. */
static size_t cut_unknown_label(const unsigned char *v, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		size_t w = j;
		if (v[j] != ':' || !is_letter(v[j - 1]))
			continue;
		while (w > 0 && is_letter(v[w - 1]))
			w--;
		if (v[w] >= 'A' && v[w] <= 'Z' && j - w >= 2)
			return w;
	}
	return n;
}

static void trim_value(const unsigned char **v, size_t *n)
{
	static const char lead[] = " \t:|;,-", trail[] = " \t|;,(-[/";
	while (*n > 0 && strchr(lead, (*v)[0]) != NULL)
		(*v)++, (*n)--;
	while (*n > 0 && strchr(trail, (*v)[*n - 1]) != NULL)
		(*n)--;
}

static int has_digit(const unsigned char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] >= '0' && v[i] <= '9')
			return 1;
	return 0;
}

static int has_letter(const unsigned char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_letter(v[i]))
			return 1;
	return 0;
}

/* A person's name: letters, no digits, a few words ("Patient: 54-year-old woman presents
 * with..." is prose, not a name). */
static int looks_like_name(const unsigned char *v, size_t n)
{
	size_t words = 0;
	if (!has_letter(v, n) || has_digit(v, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_blank(v[i]) && (i == 0 || is_blank(v[i - 1])))
			words++;
	return words <= NAME_WORDS_MAX;
}

/* Dates end at a bracket: "01/02/1970 (54 y)". */
static size_t cut_at(const unsigned char *v, size_t n, unsigned char c)
{
	const unsigned char *p = memchr(v, c, n);
	return p ? (size_t)(p - v) : n;
}

static size_t first_token(const unsigned char *v, size_t n)
{
	size_t i = 0;
	while (i < n && !is_blank(v[i]))
		i++;
	return i;
}

static void add_id(struct doc_identity *who, const unsigned char *v, size_t n)
{
	char id[sizeof who->ids[0]];
	n = first_token(v, n);
	while (n > 0 && strchr(".,;)", v[n - 1]) != NULL)
		n--;
	if (n == 0 || who->nids >= FACTS_MAX_IDS || !has_digit(v, n))
		return;
	textfacts_copy_line(id, sizeof id, (const char *)v, n);
	for (size_t i = 0; i < who->nids; i++)
		if (strcmp(who->ids[i], id) == 0)
			return;
	memcpy(who->ids[who->nids++], id, sizeof id);
}

/* "S26-12345": the first word of the value, with a digit in it, kept once. */
static void add_case(struct doc_facts *f, const unsigned char *v, size_t n)
{
	char id[sizeof f->cases[0]];
	size_t w = 0;
	while (w < n && !is_blank(v[w]) && v[w] != ',' && v[w] != ';')
		w++;
	if (w == 0 || f->ncases >= FACTS_MAX_CASES || !has_digit(v, w))
		return;
	textfacts_copy_line(id, sizeof id, (const char *)v, w);
	for (size_t i = 0; i < f->ncases; i++)
		if (strcmp(f->cases[i], id) == 0)
			return;
	memcpy(f->cases[f->ncases++], id, sizeof id);
}

static void set_value(struct scan *st, enum field f, int rank, const unsigned char *v, size_t n)
{
	struct doc_identity *who = &st->out->who;
	n = cut_unknown_label(v, n);
	trim_value(&v, &n);
	if (n == 0)
		return;
	switch (f) {
	case F_NAME:
		if (!who->name[0] && looks_like_name(v, n))
			textfacts_copy_line(who->name, sizeof who->name, (const char *)v, n);
		break;
	case F_LAST:
		if (!st->last[0] && has_letter(v, n))
			textfacts_copy_line(st->last, sizeof st->last, (const char *)v, n);
		break;
	case F_FIRST:
		if (!st->first[0] && has_letter(v, n))
			textfacts_copy_line(st->first, sizeof st->first, (const char *)v, n);
		break;
	case F_DOB:
		n = cut_at(v, n, '(');
		trim_value(&v, &n);
		if (!who->dob[0] && has_digit(v, n))
			textfacts_copy_line(who->dob, sizeof who->dob, (const char *)v, n);
		break;
	case F_ID:
		add_id(who, v, n);
		break;
	case F_DATE:
		n = cut_at(v, n, '(');
		trim_value(&v, &n);
		if (rank < st->date_rank && has_digit(v, n)) {
			textfacts_copy_line(st->out->date, sizeof st->out->date, (const char *)v, n);
			st->date_rank = rank;
		}
		break;
	case F_CASE:
		add_case(st->out, v, n);
		break;
	case F_OTHER:
		break;
	}
}

/* ---- tables: a header row of labels, its values in the next line's cells ---- */

/* The next cell of line[*i..n): cells are split by tabs, '|' or two or more spaces. */
static int next_cell(const unsigned char *line, size_t n, size_t *i, size_t *s, size_t *e)
{
	size_t j = *i;
	while (j < n && (is_blank(line[j]) || line[j] == '|'))
		j++;
	if (j >= n)
		return 0;
	*s = j;
	while (j < n && line[j] != '\t' && line[j] != '|' &&
	       !(line[j] == ' ' && j + 1 < n && line[j + 1] == ' '))
		j++;
	*e = j, *i = j;
	return 1;
}

static void fill_header(struct scan *st, const unsigned char *line, size_t n)
{
	size_t i = 0, s, e, k = 0;
	size_t cells[LINE_CANDS][2];
	while (k < LINE_CANDS && next_cell(line, n, &i, &s, &e))
		cells[k][0] = s, cells[k][1] = e, k++;
	if (k != st->nheader && st->nheader != 1)
		return;
	for (size_t j = 0; j < st->nheader && j < k; j++)
		set_value(st, st->header[j], st->header_rank[j], line + cells[j][0],
			  cells[j][1] - cells[j][0]);
}

/* A line that is labels with no values: remember it as a header row. */
static int note_header(struct scan *st, const unsigned char *line, const struct cand *c,
		       size_t nc, size_t n)
{
	for (size_t k = 0; k < nc; k++) {
		size_t end = k + 1 < nc ? c[k + 1].start : n;
		const unsigned char *v = line + c[k].vstart;
		size_t len = end - c[k].vstart;
		trim_value(&v, &len);
		if (len != 0)
			return 0;
	}
	for (size_t k = 0; k < nc; k++)
		st->header[k] = c[k].field, st->header_rank[k] = c[k].rank;
	st->nheader = nc;
	return 1;
}

/* ---- titles ---- */

static int heading_like(const unsigned char *t, size_t n, int *has_word)
{
	size_t i = 0, words = 0, lowers = 0, letters = 0;
	*has_word = 0;
	if (n < TITLE_MIN || n > TITLE_MAX || t[n - 1] == '.' || t[n - 1] == ',')
		return 0;
	while (i < n) {
		size_t s;
		while (i < n && !is_letter(t[i]))
			i++;
		s = i;
		while (i < n && (is_letter(t[i]) || t[i] == '\''))
			i++;
		if (i == s)
			break;
		words++, letters += i - s;
		if (word_in(t + s, i - s, title_words, sizeof title_words / sizeof title_words[0]))
			*has_word = 1;
		if (t[s] >= 'a' && t[s] <= 'z' &&
		    !word_in(t + s, i - s, small_words, sizeof small_words / sizeof small_words[0]))
			lowers++;
	}
	return letters >= 3 && words <= 12 && lowers == 0;
}

static int all_caps(const unsigned char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] >= 'a' && t[i] <= 'z')
			return 0;
	return 1;
}

static void note_title(struct scan *st, const unsigned char *line, size_t n)
{
	char t[sizeof st->out->title];
	size_t len;
	int word;
	if (st->lines_seen > TITLE_LINES || st->title_from_word)
		return;
	len = textfacts_copy_line(t, sizeof t, (const char *)line, n);
	if (!heading_like((const unsigned char *)t, len, &word))
		return;
	if (word) {
		memcpy(st->out->title, t, len + 1);
		st->title_from_word = 1;
	} else if (!st->out->title[0] && all_caps((const unsigned char *)t, len)) {
		memcpy(st->out->title, t, len + 1);
	}
}

/* ---- lines ---- */

static void scan_line(struct scan *st, const unsigned char *line, size_t n)
{
	struct cand c[LINE_CANDS];
	size_t nc, i = 0;
	while (i < n && is_blank(line[i]))
		i++;
	if (i == n)
		return;
	st->lines_seen++;
	nc = find_cands(line, n, c);
	if (nc == 0) {
		if (st->nheader)
			fill_header(st, line, n);
		else
			note_title(st, line, n);
		st->nheader = 0;
		return;
	}
	st->nheader = 0;
	if (note_header(st, line, c, nc, n))
		return;
	for (size_t k = 0; k < nc; k++) {
		size_t end = k + 1 < nc ? c[k + 1].start : n;
		set_value(st, c[k].field, c[k].rank, line + c[k].vstart, end - c[k].vstart);
	}
}

static void join_name(struct scan *st)
{
	struct doc_identity *who = &st->out->who;
	size_t l;
	if (who->name[0] || !st->last[0])
		return;
	l = strlen(st->last);
	memcpy(who->name, st->last, l + 1);
	if (st->first[0] && l + 2 < sizeof who->name) {
		memcpy(who->name + l, ", ", 2);
		textfacts_copy_line(who->name + l + 2, sizeof who->name - l - 2, st->first,
				    strlen(st->first));
	}
}

void textfacts_scan(const char *utf8, size_t len, struct doc_facts *out)
{
	struct scan st = { .out = out, .date_rank = 100 };
	const unsigned char *p = (const unsigned char *)utf8;
	size_t i = 0;
	if (utf8 == NULL)
		return;
	if (len > TEXTFACTS_SCAN_MAX)
		len = TEXTFACTS_SCAN_MAX;
	if (out->date[0])
		st.date_rank = -1;
	st.title_from_word = out->title[0] != '\0';
	if (!out->text[0])
		textfacts_copy_line(out->text, sizeof out->text, utf8, len);
	while (i < len) {
		size_t s = i;
		while (i < len && p[i] != '\n' && p[i] != '\r' && p[i] != '\f' && p[i] != '\0')
			i++;
		scan_line(&st, p + s, i - s);
		i++;
	}
	join_name(&st);
}
