/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagit.c: see bagit.h. */
#include "packet/bagit.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicase.h>
#include <uninorm.h>

#include "packet/packetread.h"
#include "sys/sha256.h"
#include "sys/util.h"

void bagit_note(struct bagit_notes *ns, int warning, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	grow(&ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n].path = xstrdup(path);
	ns->v[ns->n].problem = xvasprintf(fmt, ap);
	ns->v[ns->n].warning = warning;
	ns->n++;
	va_end(ap);
}

void bagit_notes_free(struct bagit_notes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->v[i].path);
		free(ns->v[i].problem);
	}
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/* "NAME:LINE", for a note on one line of a tag file. */
static char *where(const char *name, size_t lineno)
{
	return xasprintf("%s:%zu", name, lineno);
}

int bagit_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *linelen)
{
	size_t p = *pos, e = p;
	if (p >= len)
		return 0;
	while (e < len && text[e] != '\n' && text[e] != '\r')
		e++;
	*line = text + p;
	*linelen = e - p;
	if (e < len && text[e] == '\r' && e + 1 < len && text[e + 1] == '\n')
		e++;
	*pos = e < len ? e + 1 : e;
	return 1;
}

/* ---- bagit.txt ---- */

/* "LABEL: VALUE" exactly; the value (a new string) or NULL. */
static char *declared(const char *line, size_t n, const char *label)
{
	size_t ll = strlen(label);
	if (n < ll + 2 || memcmp(line, label, ll) != 0 || line[ll] != ':' || line[ll + 1] != ' ')
		return NULL;
	return xstrndup(line + ll + 2, n - ll - 2);
}

static int parse_version(const char *v, int *major, int *minor)
{
	char *end;
	if (*v < '0' || *v > '9')
		return -1;
	long a = strtol(v, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9' || a > 1000)
		return -1;
	long b = strtol(end + 1, &end, 10);
	if (*end || b > 1000)
		return -1;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

int bagit_declaration(const char *text, size_t len, int *major, int *minor, char **encoding,
		      struct bagit_notes *ns)
{
	const char *line[3] = { 0 };
	size_t ll[3] = { 0 }, pos = 0, n = 0;
	const char *l;
	size_t lnl;
	*encoding = NULL;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		bagit_note(ns, 0, "bagit.txt", "starts with a byte-order mark, which RFC 8493 forbids in bagit.txt");
		return -1;
	}
	while (bagit_next_line(text, len, &pos, &l, &lnl)) {
		if (n < 3) {
			line[n] = l;
			ll[n] = lnl;
		}
		n++;
	}
	char *version = n >= 2 ? declared(line[0], ll[0], "BagIt-Version") : NULL;
	char *enc = n >= 2 ? declared(line[1], ll[1], "Tag-File-Character-Encoding") : NULL;
	int ok = version && enc && *enc && n == 2;
	if (!ok || parse_version(version, major, minor) < 0) {
		bagit_note(ns, 0, "bagit.txt",
			   "is not the two lines \"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: ENCODING\"");
		free(version);
		free(enc);
		return -1;
	}
	free(version);
	if ((*major == 0 && *minor < 93) || *major > 1 || (*major == 1 && *minor > 0)) {
		bagit_note(ns, 0, "bagit.txt", "declares BagIt-Version %d.%d; recpack checks bags of versions 0.93 to 1.0",
			   *major, *minor);
		free(enc);
		return -1;
	}
	*encoding = enc;
	return 0;
}

/* ---- character encodings ---- */

static int is_utf8_name(const char *enc)
{
	return strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

int bagit_to_utf8(const char *name, const char *text, size_t len, const char *encoding, char **out,
		  size_t *outlen, struct bagit_notes *ns)
{
	iconv_t cd = iconv_open("UTF-8", is_utf8_name(encoding) ? "UTF-8" : encoding);
	*out = NULL;
	if (cd == (iconv_t)-1) {
		bagit_note(ns, 0, name, "is in the character encoding \"%s\" (bagit.txt), which cannot be read here",
			   encoding);
		return -1;
	}
	size_t cap = len * 2 + 16, used = 0;
	char *buf = xmalloc(cap);
	char *in = (char *)text;
	size_t inleft = len;
	int bad = 0;
	while (inleft && !bad) {
		char *o = buf + used;
		size_t oleft = cap - used - 1;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != E2BIG)
			bad = 1;
		used = (size_t)(o - buf);
		if (inleft && !bad && cap - used < 64) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	iconv_close(cd);
	if (bad) {
		bagit_note(ns, 0, name, "is not valid %s text (bagit.txt declares that encoding): byte %zu is wrong",
			   encoding, len - inleft);
		free(buf);
		return -1;
	}
	buf[used] = '\0';
	if (used >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		if (is_utf8_name(encoding))
			bagit_note(ns, 1, name, "starts with a byte-order mark; it was ignored");
		memmove(buf, buf + 3, used - 2);
		used -= 3;
	}
	*out = buf;
	*outlen = used;
	return 0;
}

/* ---- bag-info.txt ---- */

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static void info_add(struct bagit_info *info, char *label, char *value)
{
	grow(&info->label, &info->cap, info->n + 1, sizeof(*info->label));
	grow(&info->value, &info->vcap, info->n + 1, sizeof(*info->value));
	info->label[info->n] = label;
	info->value[info->n] = value;
	info->n++;
}

static void info_continue(struct bagit_info *info, const char *l, size_t n)
{
	while (n && is_ws(*l))
		l++, n--;
	char *old = info->value[info->n - 1];
	info->value[info->n - 1] = xasprintf("%s%s%.*s", old, *old && n ? " " : "", (int)n, l);
	free(old);
}

void bagit_parse_info(const char *name, const char *text, size_t len, struct bagit_info *info,
		      struct bagit_notes *ns)
{
	size_t pos = 0, lineno = 0, n;
	const char *l;
	while (bagit_next_line(text, len, &pos, &l, &n)) {
		lineno++;
		char *at = where(name, lineno);
		const char *colon = memchr(l, ':', n);
		if (n == 0) {
			if (pos < len)
				bagit_note(ns, 1, at, "is an empty line, which RFC 8493 does not allow here");
		} else if (is_ws(*l) && info->n) {
			info_continue(info, l, n);
		} else if (!colon || colon == l) {
			bagit_note(ns, 0, at, "is not a \"Label: value\" line");
		} else {
			size_t ln = (size_t)(colon - l);
			if (is_ws(l[0]) || is_ws(l[ln - 1]))
				bagit_note(ns, 1, at, "has a label that starts or ends with whitespace");
			const char *v = colon + 1, *e = l + n;
			if (v < e && !is_ws(*v))
				bagit_note(ns, 1, at, "has no space after the label's colon");
			while (v < e && is_ws(*v))
				v++;
			while (e > v && is_ws(e[-1]))
				e--;
			const char *ls = l, *le = colon;
			while (ls < le && is_ws(*ls))
				ls++;
			while (le > ls && is_ws(le[-1]))
				le--;
			info_add(info, xstrndup(ls, (size_t)(le - ls)), xstrndup(v, (size_t)(e - v)));
		}
		free(at);
	}
}

const char *bagit_info_get(const struct bagit_info *info, const char *label, size_t *count)
{
	const char *first = NULL;
	size_t c = 0;
	for (size_t i = 0; i < info->n; i++)
		if (strcasecmp(info->label[i], label) == 0) {
			if (!first)
				first = info->value[i];
			c++;
		}
	if (count)
		*count = c;
	return first;
}

void bagit_info_free(struct bagit_info *info)
{
	for (size_t i = 0; i < info->n; i++) {
		free(info->label[i]);
		free(info->value[i]);
	}
	free(info->label);
	free(info->value);
	memset(info, 0, sizeof(*info));
}

static int parse_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	if (!n || n > 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

int bagit_parse_oxum(const char *value, uint64_t *bytes, uint64_t *count)
{
	const char *dot = strchr(value, '.');
	if (!dot || parse_u64(value, (size_t)(dot - value), bytes) < 0 ||
	    parse_u64(dot + 1, strlen(dot + 1), count) < 0)
		return -1;
	return 0;
}

/* ---- manifests ---- */

int bagit_manifest_name(const char *name, int *payload, char *alg, size_t algmax)
{
	const char *rest;
	if (strncmp(name, "manifest-", 9) == 0)
		*payload = 1, rest = name + 9;
	else if (strncmp(name, "tagmanifest-", 12) == 0)
		*payload = 0, rest = name + 12;
	else
		return 0;
	size_t n = strlen(rest);
	if (n <= 4 || strcmp(rest + n - 4, ".txt") != 0 || n - 4 >= algmax)
		return 0;
	for (size_t i = 0; i < n - 4; i++)
		if (!((rest[i] >= 'a' && rest[i] <= 'z') || (rest[i] >= '0' && rest[i] <= '9') || rest[i] == '-'))
			return 0;
	memcpy(alg, rest, n - 4);
	alg[n - 4] = '\0';
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A manifest or fetch.txt path: in bags 1.0 and later %0D, %0A and %25 stand for CR, LF and
 * % (RFC 8493 2.1.3); every other byte, and every byte in older bags, is itself. */
static char *decode_path(const char *p, size_t n, int percent_encoded)
{
	struct sbuf b = { 0 };
	sbuf_put(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		int v = -1;
		if (percent_encoded && p[i] == '%' && i + 2 < n) {
			int hi = hexval(p[i + 1]), lo = hexval(p[i + 2]);
			if (hi >= 0 && lo >= 0)
				v = hi * 16 + lo;
		}
		if (v == 0x0D || v == 0x0A || v == 0x25) {
			char c = (char)v;
			sbuf_put(&b, &c, 1);
			i += 2;
		} else {
			sbuf_put(&b, p + i, 1);
		}
	}
	return sbuf_take(&b, NULL);
}

static int has_dotdot_or_root(const char *p)
{
	if (*p == '/')
		return 1;
	for (const char *c = p; *c; c = strchr(c, '/') ? strchr(c, '/') + 1 : c + strlen(c))
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return 1;
	return 0;
}

/* Is path one that name may list? A failure or warning noted when not. */
static int path_allowed(const char *name, int payload, const char *path, struct bagit_notes *ns)
{
	if (!packetread_path_safe(path)) {
		bagit_note(ns, 0, path, "is listed in %s under an unsafe name (an absolute path, \"..\", a backslash "
			   "or control characters)%s", name,
			   has_dotdot_or_root(path) ? ": it points outside the bag" : "");
		return 0;
	}
	if (payload && strncmp(path, "data/", 5) != 0) {
		bagit_note(ns, 0, path, "is listed in %s but is not under data/", name);
		return 0;
	}
	if (!payload && strncmp(path, "data/", 5) == 0)
		bagit_note(ns, 1, path, "is a payload file listed in the tag manifest %s", name);
	return 1;
}

/* The checksum at the start of line: lower-cased into hex when it is exactly want hex digits
 * followed by whitespace; the path's start, or NULL. */
static const char *split_line(const char *l, size_t n, size_t want, char *hex)
{
	size_t i = 0;
	while (i < n && !is_ws(l[i]))
		i++;
	if (i != want || i == n)
		return NULL;
	for (size_t k = 0; k < i; k++) {
		if (hexval(l[k]) < 0)
			return NULL;
		hex[k] = (char)(l[k] >= 'A' && l[k] <= 'F' ? l[k] + 32 : l[k]);
	}
	hex[i] = '\0';
	while (i < n && is_ws(l[i]))
		i++;
	return i < n ? l + i : NULL;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct bagit_entry *)a)->path, ((const struct bagit_entry *)b)->path);
}

/* Paths listed twice: a failure, the second one dropped (m->v sorted). */
static void drop_duplicates(struct bagit_manifest *m, struct bagit_notes *ns)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (k && strcmp(m->v[k - 1].path, m->v[i].path) == 0) {
			bagit_note(ns, 0, m->v[i].path, "is listed twice in %s", m->name);
			free(m->v[i].path);
			free(m->v[i].hex);
			continue;
		}
		m->v[k++] = m->v[i];
	}
	m->n = k;
}

struct folded {
	char *key;
	size_t i;
};

static int cmp_folded(const void *a, const void *b)
{
	return strcmp(((const struct folded *)a)->key, ((const struct folded *)b)->key);
}

/* Paths that are one on a file system that ignores case or normalises Unicode: a warning. */
static void warn_case_collisions(const struct bagit_manifest *m, struct bagit_notes *ns)
{
	struct folded *f = xmalloc((m->n ? m->n : 1) * sizeof(*f));
	for (size_t i = 0; i < m->n; i++) {
		size_t len = 0;
		uint8_t *k = u8_casefold((const uint8_t *)m->v[i].path, strlen(m->v[i].path), NULL, UNINORM_NFC, NULL,
					 &len);
		f[i].key = k ? xstrndup((const char *)k, len) : xstrdup(m->v[i].path);
		f[i].i = i;
		free(k);
	}
	qsort(f, m->n, sizeof(*f), cmp_folded);
	for (size_t i = 1; i < m->n; i++)
		if (strcmp(f[i - 1].key, f[i].key) == 0)
			bagit_note(ns, 1, m->v[f[i].i].path,
				   "and %s (both in %s) differ only in case or Unicode normalisation: they are one file "
				   "on Windows and macOS",
				   m->v[f[i - 1].i].path, m->name);
	for (size_t i = 0; i < m->n; i++)
		free(f[i].key);
	free(f);
}

void bagit_parse_manifest(struct bagit_manifest *m, const char *text, size_t len, int percent_encoded,
			  struct bagit_notes *ns)
{
	size_t pos = 0, lineno = 0, n, want = digest_hex_len(m->alg);
	const char *l;
	char hex[DIGEST_MAX_HEX + 1];
	while (bagit_next_line(text, len, &pos, &l, &n)) {
		lineno++;
		if (n == 0) {
			if (pos < len) {
				char *at = where(m->name, lineno);
				bagit_note(ns, 1, at, "is an empty line");
				free(at);
			}
			continue;
		}
		const char *fp = split_line(l, n, want, hex);
		if (!fp) {
			char *at = where(m->name, lineno);
			bagit_note(ns, 0, at, "is not a \"<%s checksum, %zu hex digits> <path>\" line", digest_alg_name(m->alg),
				   want);
			free(at);
			continue;
		}
		char *path = decode_path(fp, (size_t)(l + n - fp), percent_encoded);
		if (!path_allowed(m->name, m->payload, path, ns)) {
			free(path);
			continue;
		}
		grow(&m->v, &m->cap, m->n + 1, sizeof(*m->v));
		m->v[m->n].path = path;
		m->v[m->n].hex = xstrdup(hex);
		m->n++;
	}
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
	drop_duplicates(m, ns);
	warn_case_collisions(m, ns);
}

void bagit_manifest_free(struct bagit_manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].hex);
	}
	free(m->v);
	free(m->name);
	memset(m, 0, sizeof(*m));
}

/* ---- fetch.txt ---- */

void bagit_parse_fetch(const char *text, size_t len, int percent_encoded, struct bagit_fetch *f,
		       struct bagit_notes *ns)
{
	size_t pos = 0, lineno = 0, n;
	const char *l;
	while (bagit_next_line(text, len, &pos, &l, &n)) {
		lineno++;
		if (n == 0)
			continue;
		const char *e = l + n, *u = l, *ue, *s, *se, *p;
		for (ue = u; ue < e && !is_ws(*ue); ue++)
			;
		for (s = ue; s < e && is_ws(*s); s++)
			;
		for (se = s; se < e && !is_ws(*se); se++)
			;
		for (p = se; p < e && is_ws(*p); p++)
			;
		uint64_t length = 0;
		int dash = se - s == 1 && *s == '-';
		if (ue == u || p == e || p == se || (!dash && parse_u64(s, (size_t)(se - s), &length) < 0)) {
			char *at = where("fetch.txt", lineno);
			bagit_note(ns, 0, at, "is not a \"<url> <length or -> <path>\" line");
			free(at);
			continue;
		}
		char *path = decode_path(p, (size_t)(e - p), percent_encoded);
		if (!path_allowed("fetch.txt", 1, path, ns)) {
			free(path);
			continue;
		}
		grow(&f->v, &f->cap, f->n + 1, sizeof(*f->v));
		f->v[f->n].url = xstrndup(u, (size_t)(ue - u));
		f->v[f->n].length = dash ? -1 : (int64_t)length;
		f->v[f->n].path = path;
		f->n++;
	}
}

void bagit_fetch_free(struct bagit_fetch *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].url);
		free(f->v[i].path);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}
