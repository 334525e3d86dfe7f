/* classify.c: see classify.h. */
#include "rules/classify.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "sys/util.h"

static const char *imaging_category(const struct manifest *m)
{
	if (manifest_category(m, "radiology"))
		return "radiology";
	for (size_t i = 0; i < m->ncats; i++)
		if (strlist_has(&m->cats[i].types, "dicom"))
			return m->cats[i].name;
	return NULL;
}

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
			if ((!found || w > best) && fnmatch(pat, part, FNM_CASEFOLD) == 0)
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

const char *classify_document(const struct document *d, const struct manifest *m)
{
	if (d->explicit_category)
		return d->category;
	if (d->sniff.type == T_DICOM || d->sniff.type == T_DICOMDIR || d->disc_root) {
		const char *c = imaging_category(m);
		if (c)
			return c;
	}
	return match_patterns(d->relpath, m);
}

static void mark_disc(struct doclist *docs, const struct document *dicomdir)
{
	const char *slash = strrchr(dicomdir->relpath, '/');
	size_t plen = slash ? (size_t)(slash - dicomdir->relpath) + 1 : 0;
	if (plen == 0)
		return; /* a DICOMDIR given on its own has no tree to keep */
	const char *root = NULL;
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (d->disc_root || strncmp(d->relpath, dicomdir->relpath, plen) != 0)
			continue;
		if (!root) {
			strlist_add_owned(&docs->strings, xstrndup(dicomdir->relpath, plen));
			root = docs->strings.v[docs->strings.n - 1];
		}
		d->disc_root = root;
	}
}

void classify_all(struct doclist *docs, const struct manifest *m)
{
	for (size_t i = 0; i < docs->n; i++)
		if (docs->v[i].sniff.type == T_DICOMDIR)
			mark_disc(docs, &docs->v[i]);
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (d->explicit_category)
			continue;
		d->category = classify_document(d, m);
	}
}
