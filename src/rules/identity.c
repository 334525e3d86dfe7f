/* SPDX-License-Identifier: GPL-3.0-or-later */
/* identity.c: see identity.h. Unicode folding comes from libunistring (NFKD + case folding);
 * what counts as the same name, date or ID is ours. */
#include "rules/identity.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "sys/date.h"

#define NAME_MAX_BYTES 512

const char *identity_status_name(enum identity_status s)
{
	switch (s) {
	case IDENTITY_MATCHED: return "matched";
	case IDENTITY_MISMATCH: return "mismatch";
	case IDENTITY_NONE_STATED: return "none-stated";
	case IDENTITY_UNREADABLE: return "unreadable";
	case IDENTITY_UNCHECKED: break;
	}
	return "unchecked";
}

/* ---- text: UTF-8 (Latin-1 when not), folded ---- */

/* in as UTF-8 into out (at most cap-1 bytes, cut at a character boundary): bytes that are not
 * valid UTF-8 are read as Latin-1, the usual DICOM and old-portal encoding. */
static size_t to_utf8(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in), o = 0;
	if (!u8_check((const uint8_t *)in, n)) {
		while (n && n >= cap)
			n--;
		while (n && ((unsigned char)in[n] & 0xC0) == 0x80)
			n--; /* never cut inside a character */
		memcpy(out, in, n);
		out[n] = '\0';
		return n;
	}
	for (size_t i = 0; in[i]; i++) {
		unsigned char c = (unsigned char)in[i];
		if (o + 3 > cap)
			break;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else {
			out[o++] = (char)(0xC0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[o] = '\0';
	return o;
}

/* Case-folded, compatibility-decomposed (accents become separate combining marks). */
static uint8_t *fold(const char *s, size_t *len)
{
	char buf[NAME_MAX_BYTES];
	size_t n = to_utf8(s, buf, sizeof(buf));
	return u8_casefold((const uint8_t *)buf, n, NULL, UNINORM_NFKD, NULL, len);
}

/* Letters NFKD leaves whole but people write without the stroke: "Øst" is "Ost". */
static const char *plain_letter(ucs4_t c)
{
	switch (c) {
	case 0x00F8: return "o";  /* ø */
	case 0x0142: return "l";  /* ł */
	case 0x0111: return "d";  /* đ */
	case 0x00F0: return "d";  /* ð */
	case 0x00E6: return "ae"; /* æ */
	case 0x0153: return "oe"; /* œ */
	case 0x00FE: return "th"; /* þ */
	case 0x0131: return "i";  /* dotless ı */
	}
	return NULL;
}

static int is_apostrophe(ucs4_t c)
{
	return c == '\'' || c == 0x2019 || c == 0x02BC || c == '`' || c == 0x00B4;
}

/* ---- names ---- */

struct tokbuf {
	char tok[IDENTITY_TOKEN_MAX], alt[IDENTITY_TOKEN_MAX];
	size_t n, altn;
	int umlaut;
};

static void tok_put(struct tokbuf *t, const char *s, size_t len)
{
	if (t->n + len < sizeof(t->tok)) {
		memcpy(t->tok + t->n, s, len);
		t->n += len;
	}
	if (t->altn + len < sizeof(t->alt)) {
		memcpy(t->alt + t->altn, s, len);
		t->altn += len;
	}
}

static int is_title(const char *t)
{
	static const char *const titles[] = { "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "jr", "sr",
					      "ii", "iii", "iv", "md", "phd", "sra", "srta", "herr", "frau" };
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(t, titles[i]) == 0)
			return 1;
	return 0;
}

static void tok_end(struct tokbuf *t, struct identity_name *out)
{
	t->tok[t->n] = t->alt[t->altn] = '\0';
	if (t->n && !is_title(t->tok) && out->n < IDENTITY_MAX_TOKENS) {
		memcpy(out->tok[out->n], t->tok, t->n + 1);
		if (t->umlaut)
			memcpy(out->alt[out->n], t->alt, t->altn + 1);
		else
			out->alt[out->n][0] = '\0';
		out->n++;
	}
	t->n = t->altn = 0;
	t->umlaut = 0;
}

/* A combining mark: dropped; a diaeresis on a, o or u also gives the German "ae/oe/ue". */
static void tok_mark(struct tokbuf *t, ucs4_t c)
{
	if (c != 0x0308 || t->n == 0 || !strchr("aou", t->tok[t->n - 1]))
		return;
	if (t->altn + 1 < sizeof(t->alt))
		t->alt[t->altn++] = 'e';
	t->umlaut = 1;
}

static void tokenize(const uint8_t *s, size_t len, struct identity_name *out)
{
	struct tokbuf t = { .n = 0 };
	const uint8_t *p = s, *end = s + len;
	while (p < end) {
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		const char *plain = plain_letter(c);
		if (uc_is_general_category(c, UC_CATEGORY_M))
			tok_mark(&t, c);
		else if (plain)
			tok_put(&t, plain, strlen(plain));
		else if (uc_is_alnum(c))
			tok_put(&t, (const char *)p, (size_t)k);
		else if (!is_apostrophe(c))
			tok_end(&t, out);
		p += k;
	}
	tok_end(&t, out);
}

/* The alphabetic group of a DICOM PN, its prefix and suffix components dropped. */
static void dicom_components(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	int comp = 0;
	for (; *s && *s != '=' && o + 1 < cap; s++) {
		if (*s == '^') {
			comp++;
			out[o++] = ' ';
		} else if (comp < 3) {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

int identity_name_parse(const char *s, struct identity_name *out)
{
	char buf[NAME_MAX_BYTES];
	out->n = 0;
	if (!s)
		return 0;
	dicom_components(s, buf, sizeof(buf)); /* a name without '^' passes through */
	size_t len;
	uint8_t *f = fold(buf, &len);
	if (!f)
		return 0;
	tokenize(f, len, out);
	free(f);
	return out->n;
}

static int tokens_equal(const struct identity_name *a, int i, const struct identity_name *b, int j)
{
	return strcmp(a->tok[i], b->tok[j]) == 0 || (a->alt[i][0] && strcmp(a->alt[i], b->tok[j]) == 0) ||
	       (b->alt[j][0] && strcmp(a->tok[i], b->alt[j]) == 0);
}

/* A token of one character is an initial. */
static int is_initial(const char *t)
{
	ucs4_t c;
	return t[0] && (size_t)u8_mbtouc(&c, (const uint8_t *)t, strlen(t)) == strlen(t);
}

static int initial_of(const char *a, const char *b)
{
	size_t n = strlen(a);
	return (is_initial(a) && strncmp(a, b, n) == 0) || (is_initial(b) && strncmp(a, b, strlen(b)) == 0);
}

int identity_name_cmp(const struct identity_name *a, const struct identity_name *b)
{
	if (a->n == 0 || b->n == 0)
		return -1;
	const struct identity_name *small = a->n <= b->n ? a : b, *big = a->n <= b->n ? b : a;
	int used[IDENTITY_MAX_TOKENS] = { 0 }, done[IDENTITY_MAX_TOKENS] = { 0 };
	int full = 0, matched = 0;
	for (int i = 0; i < small->n; i++)
		for (int j = 0; j < big->n; j++)
			if (!used[j] && tokens_equal(small, i, big, j)) {
				used[j] = done[i] = 1;
				full++;
				break;
			}
	matched = full;
	for (int i = 0; i < small->n; i++)
		for (int j = 0; j < big->n && !done[i]; j++)
			if (!used[j] && initial_of(small->tok[i], big->tok[j])) {
				used[j] = done[i] = 1;
				matched++;
			}
	return matched == small->n && full >= 1;
}

int identity_name_match(const char *a, const char *b)
{
	struct identity_name x, y;
	identity_name_parse(a, &x);
	identity_name_parse(b, &y);
	return identity_name_cmp(&x, &y);
}

static void append_words(char *out, size_t len, size_t *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int space = isspace((unsigned char)s[i]);
		if (space && (*o == 0 || out[*o - 1] == ' '))
			continue;
		if (*o + 1 < len)
			out[(*o)++] = space ? ' ' : s[i];
	}
	while (*o && out[*o - 1] == ' ')
		(*o)--;
	out[*o] = '\0';
}

void identity_name_display(const char *in, char *out, size_t len)
{
	char buf[NAME_MAX_BYTES];
	size_t o = 0;
	if (!len)
		return;
	out[0] = '\0';
	to_utf8(in ? in : "", buf, sizeof(buf));
	char *eq = strchr(buf, '=');
	if (eq)
		*eq = '\0';
	if (!strchr(buf, '^')) {
		append_words(out, len, &o, buf, strlen(buf));
		return;
	}
	const char *comp[3] = { buf, "", "" };
	char *p = buf;
	for (int k = 1; k < 5 && (p = strchr(p, '^')); k++) {
		*p++ = '\0';
		if (k < 3)
			comp[k] = p;
	}
	append_words(out, len, &o, comp[0], strlen(comp[0]));
	if ((comp[1][0] || comp[2][0]) && o && o + 2 < len) {
		out[o++] = ',';
		out[o++] = ' ';
	}
	for (int k = 1; k < 3; k++) {
		if (k == 2 && comp[1][0] && o + 1 < len)
			out[o++] = ' ';
		append_words(out, len, &o, comp[k], strlen(comp[k]));
	}
}

/* ---- dates ---- */

struct month_name {
	const char *name;
	int month;
};

/* Written without accents: the input is folded the same way. */
static const struct month_name months[] = {
	{ "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
	{ "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
	{ "november", 11 }, { "december", 12 },
	{ "januar", 1 }, { "janner", 1 }, { "februar", 2 }, { "marz", 3 }, { "mai", 5 },
	{ "juni", 6 }, { "juli", 7 }, { "oktober", 10 }, { "dezember", 12 },
	{ "enero", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 }, { "mayo", 5 },
	{ "junio", 6 }, { "julio", 7 }, { "agosto", 8 }, { "septiembre", 9 }, { "setiembre", 9 },
	{ "octubre", 10 }, { "noviembre", 11 }, { "diciembre", 12 },
	{ "janvier", 1 }, { "fevrier", 2 }, { "mars", 3 }, { "avril", 4 }, { "juin", 6 },
	{ "juillet", 7 }, { "aout", 8 }, { "septembre", 9 }, { "octobre", 10 }, { "novembre", 11 },
	{ "decembre", 12 },
};

/* A month name or its abbreviation of three letters or more ("Sept", "Dez", "mär"). */
static int month_of(const char *w)
{
	size_t n = strlen(w);
	if (n < 3)
		return 0;
	for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++)
		if (strncmp(months[i].name, w, n) == 0)
			return months[i].month;
	return 0;
}

#define DATE_MAX_NUMS 3

struct date_parts {
	long num[DATE_MAX_NUMS];
	int digits[DATE_MAX_NUMS];
	char sep; /* the separator after the first number */
	int nnum, month;
};

static void scan_date_words(const char *s, struct date_parts *dp)
{
	memset(dp, 0, sizeof(*dp));
	while (*s) {
		if (isdigit((unsigned char)*s)) {
			long v = 0;
			int d = 0;
			for (; isdigit((unsigned char)*s); s++, d++)
				v = d < 9 ? v * 10 + (*s - '0') : v;
			if (dp->nnum < DATE_MAX_NUMS) {
				dp->num[dp->nnum] = v;
				dp->digits[dp->nnum++] = d;
				if (dp->nnum == 1)
					dp->sep = *s;
			}
		} else if (isalpha((unsigned char)*s)) {
			char w[16];
			size_t n = 0;
			for (; isalpha((unsigned char)*s); s++)
				if (n + 1 < sizeof(w))
					w[n++] = *s;
			w[n] = '\0';
			if (!dp->month)
				dp->month = month_of(w);
		} else {
			s++;
		}
	}
}

/* Lowercase ASCII without accents ("März" -> "marz"); other characters become spaces. */
static void fold_ascii(const char *in, char *out, size_t cap)
{
	size_t len, o = 0;
	uint8_t *f = fold(in, &len);
	if (!f) {
		out[0] = '\0';
		return;
	}
	for (size_t i = 0; i < len && o + 1 < cap; i++)
		if (f[i] < 0x80)
			out[o++] = (char)f[i];
		else if ((f[i] & 0xC0) != 0x80 && !(f[i] == 0xCC || f[i] == 0xCD)) /* not a combining mark */
			out[o++] = ' ';
	out[o] = '\0';
	free(f);
}

static long full_year(long y, int digits)
{
	if (digits != 2)
		return y;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	long cur = (tm.tm_year + 1900) % 100; /* a birth date is in the past */
	return y > cur ? 1900 + y : 2000 + y;
}


static long digits_at(const char *p, int n)
{
	long v = 0;
	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v;
}

static int put_date(long y, long m, long d, char out[11])
{
	if (!date_valid(y, m, d))
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u); /* valid: fits */
	return 0;
}

/* Day and month from two numbers written either way round; 1 when both readings are dates. */
static int day_month(const struct date_parts *dp, long y, char out[11])
{
	long a = dp->num[0], b = dp->num[1];
	int us = dp->sep == '/';
	long m = us ? a : b, d = us ? b : a;
	if (m > 12)
		m = us ? b : a, d = us ? a : b;
	if (put_date(y, m, d, out) < 0)
		return -1;
	return a != b && a <= 12 && b <= 12;
}

int identity_date_norm(const char *in, char out[11])
{
	char buf[128];
	struct date_parts dp;
	out[0] = '\0';
	if (!in)
		return -1;
	if (strlen(in) == 8 && strspn(in, "0123456789") == 8) /* DICOM DA, the common case: at once */
		return put_date(digits_at(in, 4), digits_at(in + 4, 2), digits_at(in + 6, 2), out);
	fold_ascii(in, buf, sizeof(buf));
	scan_date_words(buf, &dp);
	if (dp.nnum >= 1 && dp.digits[0] >= 8) { /* DICOM DA, HL7 TS: YYYYMMDD[hhmmss...] */
		const char *p = buf;
		while (!isdigit((unsigned char)*p))
			p++;
		return put_date((p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0'),
				(p[4] - '0') * 10 + (p[5] - '0'), (p[6] - '0') * 10 + (p[7] - '0'), out);
	}
	if (dp.month) { /* "May 1, 1975", "1 May 1975", "1-MAY-75" */
		if (dp.nnum < 2)
			return -1;
		int yi = dp.digits[0] == 4 || dp.num[0] > 31 ? 0 : 1;
		return put_date(full_year(dp.num[yi], dp.digits[yi]), dp.month, dp.num[1 - yi], out);
	}
	if (dp.nnum < 3)
		return -1;
	if (dp.digits[0] == 4) /* 1975-05-01, 1975/05/01, 1975.05.01 */
		return put_date(dp.num[0], dp.num[1], dp.num[2], out);
	if (dp.digits[2] != 4 && dp.digits[2] != 2)
		return -1;
	return day_month(&dp, full_year(dp.num[2], dp.digits[2]), out);
}

static void swap_day_month(const char in[11], char out[11])
{
	memcpy(out, in, 11);
	memcpy(out + 5, in + 8, 2);
	memcpy(out + 8, in + 5, 2);
}

int identity_date_cmp(const char *a, const char *b)
{
	char x[11], y[11], s[11];
	int ra = identity_date_norm(a, x), rb = identity_date_norm(b, y);
	if (ra < 0 || rb < 0)
		return -1;
	if (strcmp(x, y) == 0)
		return 1;
	if (ra == 1 && (swap_day_month(x, s), strcmp(s, y) == 0))
		return 1;
	if (rb == 1 && (swap_day_month(y, s), strcmp(x, s) == 0))
		return 1;
	return 0;
}

/* ---- IDs ---- */

/* The next letter or digit past punctuation, in the first component; 0 when none. */
static unsigned char next_alnum(const char *s)
{
	for (; *s && *s != '^'; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return (unsigned char)*s;
	return 0;
}

void identity_id_norm(const char *in, char *out, size_t len)
{
	size_t o = 0;
	int zero = 0;
	if (!len)
		return;
	for (; in && *in && *in != '^'; in++) {
		unsigned char c = (unsigned char)*in;
		zero |= c == '0';
		if (!(isalnum(c) || c >= 0x80))
			continue; /* punctuation and spaces */
		unsigned char next = next_alnum(in + 1);
		if (c == '0' && next && (o == 0 || (!isdigit((unsigned char)out[o - 1]) && isdigit(next))))
			continue; /* leading zeros, and a number's: "MRN-00123" is "mrn123" */
		if (o + 1 < len)
			out[o++] = (char)tolower(c);
	}
	if (o == 0 && zero && len > 1)
		out[o++] = '0'; /* defensive: an ID of zeros is "0", not nothing */
	out[o] = '\0';
}

int identity_id_match(const char *a, const char *b)
{
	char x[128], y[128];
	identity_id_norm(a, x, sizeof(x));
	identity_id_norm(b, y, sizeof(y));
	if (!x[0] || !y[0])
		return -1;
	return strcmp(x, y) == 0;
}
