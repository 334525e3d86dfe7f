/* SPDX-License-Identifier: GPL-3.0-or-later */
/* classify.c: see classify.h. */
#include "rules/classify.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/disc.h"
#include "sys/util.h"

#define TITLE_LINES 60 /* lines of the leading text searched for headings */

static const char *imaging_category(const struct manifest *m)
{
	if (manifest_category(m, "radiology"))
		return "radiology";
	for (size_t i = 0; i < m->ncats; i++)
		if (strlist_has(&m->cats[i].types, "dicom"))
			return m->cats[i].name;
	return NULL;
}

/* ---- file names ---- */

/* How specific a pattern is: its literal characters. "*pathology*" beats "*scan*". */
static size_t pattern_weight(const char *p)
{
	size_t n = 0;
	for (; *p; p++)
		n += *p != '*' && *p != '?';
	return n;
}

static const char *match_component(const char *name, size_t len, const struct manifest *m)
{
	char *part = xstrndup(name, len);
	const char *found = NULL;
	size_t best = 0;
	for (size_t i = 0; i < m->ncats; i++)
		for (size_t j = 0; j < m->cats[i].match.n; j++) {
			const char *pat = m->cats[i].match.v[j];
			size_t w = pattern_weight(pat);
			if ((!found || w > best) && str_fnmatch_ci(pat, part))
				found = m->cats[i].name, best = w;
		}
	free(part);
	return found;
}

/* The file name first, then its folders from the nearest outwards. */
static const char *match_patterns(const char *relpath, const struct manifest *m)
{
	const char *end = relpath + strlen(relpath);
	while (end > relpath) {
		const char *start = end;
		while (start > relpath && start[-1] != '/')
			start--;
		const char *c = match_component(start, (size_t)(end - start), m);
		if (c)
			return c;
		end = start > relpath ? start - 1 : relpath;
	}
	return NULL;
}

/* ---- coded type ---- */

static const char *match_code(const char *code, const struct manifest *m, const char **phrase)
{
	if (!code || !code[0])
		return NULL;
	for (size_t i = 0; i < m->ncats; i++)
		for (size_t j = 0; j < m->cats[i].codes.n; j++)
			if (strcasecmp(m->cats[i].codes.v[j], code) == 0) {
				*phrase = m->cats[i].codes.v[j];
				return m->cats[i].name;
			}
	return NULL;
}

/* ---- titles and headings ---- */

struct phrase_hit {
	const char *category, *phrase;
	size_t at, len;
};

/* Where phrase (lowercase) occurs in line[0..n) as whole words, case-insensitive; -1 if not. */
static long find_words(const char *line, size_t n, const char *phrase, int anywhere)
{
	size_t pl = strlen(phrase);
	for (size_t i = 0; i + pl <= n; i++) {
		if (i > 0 && (isalnum((unsigned char)line[i - 1]) || !anywhere))
			continue;
		if (strncasecmp(line + i, phrase, pl) == 0 && (i + pl == n || !isalnum((unsigned char)line[i + pl])))
			return (long)i;
		if (!anywhere)
			break;
	}
	return -1;
}

/* A heading written in capitals: phrases count anywhere in it, not only at its start. */
static int all_caps(const char *s, size_t n)
{
	int letters = 0;
	for (size_t i = 0; i < n; i++) {
		if (islower((unsigned char)s[i]))
			return 0;
		letters += isupper((unsigned char)s[i]) != 0;
	}
	return letters >= 4;
}

/* The earliest (then longest) title phrase of any category in one line. */
static int best_in_line(const char *line, size_t n, int anywhere, const struct manifest *m, struct phrase_hit *hit)
{
	int found = 0;
	while (n && !isalnum((unsigned char)*line) && !((unsigned char)*line & 0x80))
		line++, n--; /* "=== PATHOLOGY REPORT ===", "1. Operative note" is not stripped */
	for (size_t i = 0; i < m->ncats; i++)
		for (size_t j = 0; j < m->cats[i].titles.n; j++) {
			const char *p = m->cats[i].titles.v[j];
			long at = find_words(line, n, p, anywhere);
			size_t pl = strlen(p);
			if (at < 0 || (found && ((size_t)at > hit->at || ((size_t)at == hit->at && pl <= hit->len))))
				continue;
			*hit = (struct phrase_hit){ m->cats[i].name, p, (size_t)at, pl };
			found = 1;
		}
	return found;
}

/* The document's own title first, then the first lines of its text that are headings. */
static int match_title(const struct doc_facts *f, const struct manifest *m, int anywhere, struct phrase_hit *hit)
{
	if (f->title[0] && best_in_line(f->title, strlen(f->title), 1, m, hit))
		return 1;
	const char *p = f->text;
	for (int line = 0; *p && line < TITLE_LINES; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (best_in_line(p, n, anywhere || all_caps(p, n), m, hit))
			return 1;
		p += n + (nl != NULL);
	}
	return 0;
}

static int facts_readable(const struct document *d)
{
	return d->facts && d->facts->status == FACTS_READ;
}

void classify_explain(const struct document *d, const struct manifest *m, struct classification *out)
{
	struct phrase_hit hit;
	memset(out, 0, sizeof(*out));
	if (d->explicit_category) {
		out->category = d->category, out->by = BY_PREFIX;
	} else if (facts_readable(d) && (out->category = match_code(d->facts->code, m, &out->phrase))) {
		out->by = BY_CODE;
		out->by_name = match_patterns(d->relpath, m);
	} else if ((d->sniff.type == T_DICOM || d->sniff.type == T_DICOMDIR) &&
		   (out->category = imaging_category(m))) {
		out->by = BY_DICOM;
	} else if (facts_readable(d) && match_title(d->facts, m, 0, &hit)) {
		out->category = hit.category, out->by = BY_TITLE, out->phrase = hit.phrase;
		out->by_name = match_patterns(d->relpath, m);
	} else if ((out->category = out->by_name = match_patterns(d->relpath, m))) {
		out->by = BY_NAME;
	} else if (d->disc_root && !d->xdm_tree && (out->category = imaging_category(m))) {
		out->by = BY_DICOM; /* the disc's own files: its viewer, its pages */
	}
}

const char *classify_document(const struct document *d, const struct manifest *m)
{
	struct classification c;
	classify_explain(d, m, &c);
	return c.category;
}

const char *classify_suggest(const struct document *d, const struct manifest *m)
{
	struct phrase_hit hit;
	if (facts_readable(d) && match_title(d->facts, m, 1, &hit))
		return hit.category;
	for (size_t i = 0; i < m->ncats; i++) {
		const char *name = m->cats[i].name;
		if (find_words(d->relpath, strlen(d->relpath), name, 1) >= 0 ||
		    (facts_readable(d) && find_words(d->facts->text, strlen(d->facts->text), name, 1) >= 0))
			return name;
	}
	return NULL;
}

const char *classify_argument(const char *category, const char *source, char *buf, size_t len)
{
	size_t o = 0;
	int plain = *source != '\0';
	for (const char *p = source; *p; p++)
		plain &= isalnum((unsigned char)*p) || strchr("_./-:@%+,=", *p) != NULL;
	for (const char *p = category; *p && o + 1 < len; p++)
		buf[o++] = *p;
	if (o + 1 < len)
		buf[o++] = '=';
	if (!plain && o + 1 < len)
		buf[o++] = '\'';
	for (const char *p = source; *p && o + 4 < len; p++) {
		if (*p == '\'' && !plain) {
			memcpy(buf + o, "'\\''", 4); /* end the quote, an escaped quote, quote again */
			o += 4;
		} else {
			buf[o++] = *p;
		}
	}
	if (!plain && o + 1 < len)
		buf[o++] = '\'';
	buf[o < len ? o : len - 1] = '\0';
	return buf;
}

static void warn_name_content(const struct document *d, const struct classification *c,
			      const struct manifest *m, struct problems *probs)
{
	const struct category *named = manifest_category(m, c->by_name);
	const struct category *is = manifest_category(m, c->category);
	char arg[1024];
	const char *said = c->phrase;
	if (c->by == BY_TITLE && find_words(d->facts->title, strlen(d->facts->title), c->phrase, 1) >= 0)
		said = d->facts->title; /* quote the document itself */
	problems_add(probs, SEV_WARNING, P_NAME_CONTENT, d->source,
		     "%s is named like %s, but its %s says \"%s\", so it is filed under %s (%s). "
		     "If its name is right and its content is not, file it yourself: %s",
		     d->source, named ? named->title : c->by_name, c->by == BY_CODE ? "document type code" : "title",
		     said, c->category, is ? is->title : c->category,
		     classify_argument(c->by_name, d->source, arg, sizeof(arg)));
}

void classify_all(struct doclist *docs, const struct manifest *m, struct problems *probs)
{
	discs_mark(docs);
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		struct classification c;
		if (d->explicit_category)
			continue;
		classify_explain(d, m, &c);
		d->category = c.category;
		if ((c.by == BY_CODE || c.by == BY_TITLE) && c.by_name && strcmp(c.by_name, c.category) != 0)
			warn_name_content(d, &c, m, probs);
	}
	discs_settle(docs, imaging_category(m));
}
