/* SPDX-License-Identifier: GPL-3.0-or-later */
/* safename.c: see safename.h. */
#include "packet/safename.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include "sys/util.h"

#define MAX_COMPONENT 180 /* bytes; leaves room for folders under Windows' 260-character paths */

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* NFC form of the name as str_shown() gives it: bytes that are not UTF-8 taken as Latin-1
 * (names from old discs), controls and bidirectional overrides as '?' (made '_' below). */
static char *to_nfc(const char *name)
{
	char *valid = str_shown(name);
	if (is_ascii(valid))
		return valid; /* its own NFC form: most names, and libunistring is slow to say so */
	size_t len = strlen(valid);
	size_t outlen = 0;
	uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)valid, len, NULL, &outlen);
	if (!nfc)
		return valid;
	free(valid);
	char *out = xstrndup((const char *)nfc, outlen);
	free(nfc);
	return out;
}

static int is_device_name(const char *s)
{
	static const char *const dev[] = { "CON", "PRN", "AUX", "NUL" };
	size_t stem = strcspn(s, ".");
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
		if (stem == 3 && strncasecmp(s, dev[i], 3) == 0)
			return 1;
	return stem == 4 && (strncasecmp(s, "COM", 3) == 0 || strncasecmp(s, "LPT", 3) == 0) &&
	       isdigit((unsigned char)s[3]);
}

/* Cut to at most max bytes at a character boundary, keeping a short extension. */
static void shorten(char *s, size_t max)
{
	size_t len = strlen(s);
	if (len <= max)
		return;
	const char *dot = strrchr(s, '.');
	size_t ext = dot && strlen(dot) <= 16 ? strlen(dot) : 0;
	size_t keep = max - ext;
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--; /* do not split a UTF-8 sequence */
	memmove(s + keep, s + len - ext, ext + 1);
}

/* Characters some reader of the packet treats specially, each replaced by '_' (same length in
 * UTF-8 is not kept: the name is rebuilt). ASCII: controls, Windows' reserved set, and '%',
 * which BagIt manifests percent-encode and validators decode differently (bagit-python #157,
 * bagit-java #139, DART #509), so no manifest line ever needs encoding. Beyond ASCII: C1
 * controls (U+0085 is a line break to some), U+2028/U+2029 (line and paragraph separators)
 * and the bidirectional controls that make a name display as another ("\u202efdp.exe"). */
static int is_special(ucs4_t c)
{
	if (c < 0x80)
		return c < 0x20 || c == 0x7f || strchr("/\\:*?\"<>|%", (int)c) != NULL;
	return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x061c ||
	       c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

/* s (valid UTF-8) with every special character replaced by '_'; a new string. */
static char *replace_special(char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = xmalloc(len + 1);
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	while (p < end) {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, p, (size_t)(end - p));
		if (n < 1)
			n = 1;
		if (is_special(uc)) {
			out[o++] = '_';
		} else {
			memcpy(out + o, p, (size_t)n);
			o += (size_t)n;
		}
		p += n;
	}
	out[o] = '\0';
	free(s);
	return out;
}

char *safename_component(const char *name)
{
	char *s = replace_special(to_nfc(name));
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == '.' || s[len - 1] == ' '))
		s[--len] = '\0';
	size_t lead = strspn(s, " ");
	memmove(s, s + lead, len - lead + 1);
	if (!*s) {
		free(s);
		return xstrdup("_");
	}
	if (is_device_name(s)) {
		char *t = xasprintf("_%s", s);
		free(s);
		s = t;
	}
	shorten(s, MAX_COMPONENT);
	return s;
}

/* ---- the set ---- */

static char *fold_key(const char *path, int dir)
{
	if (is_ascii(path)) { /* ASCII folds to its lower case, whatever the locale says */
		size_t n = strlen(path);
		char *k = xmalloc(n + 2);
		for (size_t i = 0; i < n; i++)
			k[i] = path[i] >= 'A' && path[i] <= 'Z' ? (char)(path[i] - 'A' + 'a') : path[i];
		if (dir)
			k[n++] = '/';
		k[n] = '\0';
		return k;
	}
	size_t outlen = 0;
	uint8_t *f = u8_casefold((const uint8_t *)path, strlen(path), NULL, UNINORM_NFC, NULL, &outlen);
	char *k = f ? xstrndup((const char *)f, outlen) : xstrdup(path);
	free(f);
	if (!f)
		for (char *p = k; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	if (dir) {
		char *t = xasprintf("%s/", k);
		free(k);
		k = t;
	}
	return k;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int set_find(const struct nameset *s, const char *key)
{
	if (!s->cap)
		return 0;
	for (size_t i = hash_str(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (!s->keys[i])
			return 0;
		if (strcmp(s->keys[i], key) == 0)
			return 1;
	}
}

static void set_insert_owned(struct nameset *s, char *key);

static void set_rehash(struct nameset *s)
{
	struct nameset bigger = { .cap = s->cap ? s->cap * 2 : 64 };
	bigger.keys = xcalloc(bigger.cap, sizeof(char *));
	for (size_t i = 0; i < s->cap; i++)
		if (s->keys[i])
			set_insert_owned(&bigger, s->keys[i]);
	free(s->keys);
	*s = bigger;
}

static void set_insert_owned(struct nameset *s, char *key)
{
	if ((s->n + 1) * 2 > s->cap)
		set_rehash(s);
	size_t i = hash_str(key) & (s->cap - 1);
	while (s->keys[i]) {
		if (strcmp(s->keys[i], key) == 0) {
			free(key);
			return;
		}
		i = (i + 1) & (s->cap - 1);
	}
	s->keys[i] = key;
	s->n++;
}

static int taken(const struct nameset *s, const char *path)
{
	char *f = fold_key(path, 0), *d = fold_key(path, 1);
	int t = set_find(s, f) || set_find(s, d);
	free(f);
	free(d);
	return t;
}

int nameset_has(const struct nameset *s, const char *path)
{
	char *f = fold_key(path, 0);
	int t = set_find(s, f);
	free(f);
	return t;
}

static void claim_parents(struct nameset *s, const char *path)
{
	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		char *parent = xstrndup(path, (size_t)(p - path));
		set_insert_owned(s, fold_key(parent, 1));
		free(parent);
	}
}

/* "dir/stem (n).ext"; for folders the whole last component is the stem. */
static char *numbered(const char *path, unsigned n, int dir)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = dir ? NULL : strrchr(base, '.');
	if (!dot || dot == base)
		dot = base + strlen(base);
	return xasprintf("%.*s (%u)%s", (int)(dot - path), path, n, dot);
}

static char *claim(struct nameset *s, const char *path, int dir)
{
	char *p = xstrdup(path);
	for (unsigned n = 2; taken(s, p) && n < 1000000; n++) {
		free(p);
		p = numbered(path, n, dir);
	}
	claim_parents(s, p);
	set_insert_owned(s, fold_key(p, dir));
	return p;
}

char *nameset_claim_file(struct nameset *s, const char *path)
{
	return claim(s, path, 0);
}

char *nameset_claim_dir(struct nameset *s, const char *path)
{
	return claim(s, path, 1);
}

void nameset_free(struct nameset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	memset(s, 0, sizeof(*s));
}
