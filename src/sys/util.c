/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c: see util.h. */
#include "sys/util.h"

#include <fnmatch.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("recpack: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *p;
	if (vasprintf(&p, fmt, ap) < 0)
		out_of_memory();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void grow(void *vp, size_t *cap, size_t need, size_t elem)
{
	void **v = vp;
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*v = xrealloc(*v, c * elem);
	*cap = c;
}

void strlist_add_owned(struct strlist *l, char *s)
{
	grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_add_owned(l, xstrdup(s));
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int strlist_has_nocase(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int str_endswith_nocase(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

const char *path_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n == 0)
		return xstrdup(b);
	if (a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

const char *human_size(uint64_t n, char *buf, size_t len)
{
	static const char *units[] = { "bytes", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

void sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	grow(&b->p, &b->cap, b->len + n + 1, 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	sbuf_puts(b, s);
	free(s);
}

char *sbuf_take(struct sbuf *b, size_t *len)
{
	char *p = b->p ? b->p : xstrdup("");
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

/* ---- names shown to people ---- */

/* The code point of the valid UTF-8 sequence at s (n bytes left) and its length, or 0 when
 * the bytes there are not valid UTF-8 (overlong, surrogate, past U+10FFFF, cut short). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	uint32_t c = len == 1 ? s[0] : (uint32_t)s[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | ((uint32_t)s[i] & 0x3fu);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static void utf8_put(struct sbuf *b, uint32_t c)
{
	char u[4];
	size_t n;
	if (c < 0x80)
		u[0] = (char)c, n = 1;
	else if (c < 0x800)
		u[0] = (char)(0xc0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	else if (c < 0x10000)
		u[0] = (char)(0xe0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3f)),
		u[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3f)),
		u[2] = (char)(0x80 | (c >> 6 & 0x3f)), u[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	sbuf_put(b, u, n);
}

/* Characters that change how a terminal or a text viewer shows what follows them: C0 and C1
 * controls (ESC, newline...), DEL, line and paragraph separators, and the bidirectional
 * marks, embeddings, overrides and isolates that make "\u202efdp.exe" show as "exe.pdf". */
static int hides_text(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static char *clean(const char *s, int shown)
{
	struct sbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = 0;
	while (p[n] && p[n] < 0x80 && (!shown || (p[n] >= 0x20 && p[n] != 0x7f)))
		n++;
	if (!p[n]) /* ASCII that stays as it is: most names and paths */
		return xstrndup((const char *)p, n);
	n += strlen((const char *)p + n);
	while (n > 0) {
		uint32_t c;
		size_t len = utf8_decode(p, n, &c);
		if (len == 0) /* not UTF-8: Latin-1, as old discs and ZIP tools write; C1 unknown */
			c = *p >= 0xa0 ? *p : 0xfffd, len = 1;
		if (shown && hides_text(c))
			c = '?';
		utf8_put(&b, c);
		p += len, n -= len;
	}
	return sbuf_take(&b, NULL);
}

size_t utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		uint32_t c;
		size_t len = utf8_decode(p + i, n - i, &c);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

char *str_utf8(const char *s)
{
	return clean(s, 0);
}

char *str_shown(const char *s)
{
	return clean(s, 1);
}

/* ---- fnmatch(FNM_CASEFOLD), fast for ASCII ---- */

static unsigned char fold_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Whether c matches the one-character pattern at p ('?', '[...]' with ranges, or a byte);
 * *len is how long that pattern is. */
static int glob_one(const char *p, unsigned char c, size_t *len)
{
	if (*p == '?') {
		*len = 1;
		return 1;
	}
	if (*p != '[') {
		*len = 1;
		return fold_ascii((unsigned char)*p) == fold_ascii(c);
	}
	const char *q = p + 1;
	int hit = 0;
	for (; *q != ']'; q++) {
		if (q[1] == '-' && q[2] != ']') {
			hit |= fold_ascii(c) >= fold_ascii((unsigned char)q[0]) && fold_ascii(c) <= fold_ascii((unsigned char)q[2]);
			q += 2;
		} else {
			hit |= fold_ascii((unsigned char)*q) == fold_ascii(c);
		}
	}
	*len = (size_t)(q - p) + 1;
	return hit;
}

/* a-z, A-Z or 0-9 (or a part of one): ranges whose folding is plain */
static int same_kind_range(char a, char b)
{
	return a <= b && ((a >= '0' && b <= '9') || (a >= 'a' && b <= 'z') || (a >= 'A' && b <= 'Z'));
}

/* 1 or 0 as fnmatch(pat, s, FNM_CASEFOLD) would say, for what it can decide exactly: ASCII
 * pattern and name, '*', '?' and plain '[...]' sets. -1 for the rest. */
static int glob_ascii(const char *pat, const char *s)
{
	for (const char *c = pat; *c; c++) {
		if ((unsigned char)*c >= 0x80 || *c == '\\')
			return -1;
		if (*c == '[') {
			const char *e = c[1] == '!' || c[1] == '^' || c[1] == ']' || c[1] == '\0' ? NULL : strchr(c + 2, ']');
			if (!e || memchr(c, ':', (size_t)(e - c)) || memchr(c, '=', (size_t)(e - c)) || memchr(c, '.', (size_t)(e - c)))
				return -1; /* negation, classes, a ']' first or no ']': fnmatch's */
			for (const char *r = c + 1; r < e; r++)
				if (r[1] == '-' && r + 2 < e && !same_kind_range(r[0], r[2]))
					return -1; /* a range across kinds of character, or reversed */
			c = e;
		}
	}
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c >= 0x80)
			return -1;
	const char *p = pat, *star_p = NULL, *star_s = NULL;
	while (*s) {
		size_t len;
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (*p && glob_one(p, (unsigned char)*s, &len)) {
			p += len;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int str_fnmatch_ci(const char *pat, const char *s)
{
	int r = glob_ascii(pat, s);
	return r >= 0 ? r : fnmatch(pat, s, FNM_CASEFOLD) == 0;
}
