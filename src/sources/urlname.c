/* SPDX-License-Identifier: GPL-3.0-or-later */
/* urlname.c: see urlname.h. */
#include "sources/urlname.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys/util.h"

#define MAX_HEADER 4096 /* a longer Content-Disposition is not a real one */

static const char *after_scheme(const char *url)
{
	const char *p = strstr(url, "://");
	return p ? p + 3 : url;
}

char *url_redact(const char *url)
{
	const char *auth = after_scheme(url);
	size_t alen = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + alen; p++)
		if (*p == '@')
			at = p;
	const char *host = at ? at + 1 : auth;
	size_t hlen = (size_t)(auth + alen - host);
	const char *path = auth + alen;
	size_t plen = strcspn(path, "?#");
	return xasprintf("%.*s%.*s%.*s", (int)(auth - url), url, (int)hlen, host, (int)plen, path);
}

int url_scheme_ok(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

char *url_scheme(const char *url)
{
	const char *p = strstr(url, "://");
	return p ? xstrndup(url, (size_t)(p - url) > 32 ? 32 : (size_t)(p - url)) : xstrdup("");
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode n bytes of s into a new string (invalid escapes stay as they are). */
static char *pct_decode(const char *s, size_t n, size_t *outlen)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

char *url_path_name(const char *url)
{
	const char *auth = after_scheme(url);
	const char *path = auth + strcspn(auth, "/?#");
	size_t plen = strcspn(path, "?#");
	while (plen && path[plen - 1] == '/')
		plen--;
	size_t start = plen;
	while (start && path[start - 1] != '/')
		start--;
	if (start == plen)
		return NULL;
	size_t n;
	char *dec = pct_decode(path + start, plen - start, &n);
	char *name = name_sanitize(dec, n);
	free(dec);
	return name;
}

/* ---- Content-Disposition ---- */

struct cursor {
	const char *p, *end;
};

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static size_t token_len(const struct cursor *c)
{
	size_t n = 0;
	while (c->p + n < c->end && !strchr(";= \t\"", c->p[n]))
		n++;
	return n;
}

/* A token or quoted-string value; a new string, or NULL when malformed. */
static char *param_value(struct cursor *c, size_t *len)
{
	if (c->p < c->end && *c->p == '"') {
		char *out = xmalloc((size_t)(c->end - c->p) + 1);
		size_t o = 0;
		for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
			if (*c->p == '\\' && c->p + 1 < c->end)
				c->p++;
			out[o++] = *c->p;
		}
		if (c->p == c->end) {
			free(out);
			return NULL; /* unterminated quote */
		}
		c->p++;
		out[o] = '\0';
		*len = o;
		return out;
	}
	size_t n = token_len(c);
	char *v = xstrndup(c->p, n);
	c->p += n;
	*len = n;
	return v;
}

/* Latin-1 bytes to UTF-8. */
static char *latin1_to_utf8(const char *s, size_t n, size_t *outlen)
{
	char *out = xmalloc(2 * n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			out[o++] = (char)ch;
		} else {
			out[o++] = (char)(0xc0 | (ch >> 6));
			out[o++] = (char)(0x80 | (ch & 0x3f));
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* RFC 5987 ext-value: charset'language'pct-encoded. */
static char *ext_value_name(const char *v)
{
	const char *q1 = strchr(v, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (!q2)
		return NULL;
	size_t clen = (size_t)(q1 - v), n, n2;
	int utf8 = clen == 5 && strncasecmp(v, "utf-8", 5) == 0;
	int latin1 = clen == 10 && strncasecmp(v, "iso-8859-1", 10) == 0;
	if (!utf8 && !latin1)
		return NULL;
	char *dec = pct_decode(q2 + 1, strlen(q2 + 1), &n);
	if (latin1) {
		char *u = latin1_to_utf8(dec, n, &n2);
		free(dec);
		dec = u;
		n = n2;
	}
	char *name = name_sanitize(dec, n);
	free(dec);
	return name;
}

char *disposition_filename(const char *value)
{
	size_t vlen = strnlen(value, MAX_HEADER + 1);
	if (vlen > MAX_HEADER)
		return NULL;
	struct cursor c = { value, value + vlen };
	char *plain = NULL, *ext = NULL;
	skip_ws(&c);
	c.p += token_len(&c); /* inline / attachment / anything */
	for (;;) {
		skip_ws(&c);
		if (c.p == c.end || *c.p != ';')
			break;
		c.p++;
		skip_ws(&c);
		size_t nlen = token_len(&c), len;
		const char *name = c.p;
		c.p += nlen;
		skip_ws(&c);
		if (c.p == c.end || *c.p != '=')
			break;
		c.p++;
		skip_ws(&c);
		char *v = param_value(&c, &len);
		if (!v)
			break;
		if (nlen == 9 && strncasecmp(name, "filename*", 9) == 0 && !ext) {
			ext = ext_value_name(v);
		} else if (nlen == 8 && strncasecmp(name, "filename", 8) == 0 && !plain) {
			plain = name_sanitize(v, len);
		}
		free(v);
	}
	if (ext) {
		free(plain);
		return ext;
	}
	return plain;
}

/* ---- sanitising ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	if (!len || len > n || s[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return len;
}

/* Back off to a UTF-8 character boundary at or before n. */
static size_t utf8_cut(const char *s, size_t n)
{
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

char *name_sanitize(const char *name, size_t len)
{
	for (size_t i = len; i > 0; i--)
		if (name[i - 1] == '/' || name[i - 1] == '\\') {
			name += i;
			len -= i;
			break;
		}
	char *out = xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		const unsigned char *s = (const unsigned char *)name + i;
		size_t cl = utf8_len(s, len - i);
		if (cl == 0 || s[0] < 0x20 || s[0] == 0x7f || (cl == 1 && strchr("<>:\"|?*", s[0]))) {
			out[o++] = '_';
			i += cl ? cl : 1;
			continue;
		}
		memcpy(out + o, s, cl);
		o += cl;
		i += cl;
	}
	out[o] = '\0';
	size_t start = 0;
	while (out[start] == '.' || out[start] == ' ')
		start++;
	while (o > start && (out[o - 1] == '.' || out[o - 1] == ' '))
		o--;
	out[o] = '\0';
	memmove(out, out + start, o - start + 1);
	o -= start;
	if (o > URLNAME_MAX) {
		const char *dot = strrchr(out, '.');
		size_t elen = dot && strlen(dot) <= 16 ? strlen(dot) : 0;
		size_t keep = utf8_cut(out, URLNAME_MAX - elen);
		memmove(out + keep, out + o - elen, elen + 1);
		o = keep + elen;
	}
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}
