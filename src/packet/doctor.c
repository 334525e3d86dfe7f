/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doctor.c: see doctor.h. */
#include "packet/doctor.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "packet/bag.h"
#include "rules/identity.h"
#include "rules/study.h"
#include "sys/util.h"

static int is_url(const char *s)
{
	return strstr(s, "://") != NULL;
}

/* How many '/'-separated components p has. */
static size_t components(const char *p)
{
	size_t n = *p != '\0';
	for (; *p; p++)
		n += *p == '/' && p[1];
	return n;
}

/* Where in source the part the packet shows starts: its last k components, k those of relpath
 * (a folder's files keep their path inside the folder, an archive its own name). */
static size_t shown_start(const char *source, const char *relpath)
{
	size_t k = relpath && *relpath ? components(relpath) : 1, len = strlen(source);
	while (len && source[len - 1] == '/')
		len--;
	for (size_t i = len; i > 0; i--)
		if (source[i - 1] == '/' && --k == 0)
			return i;
	return 0;
}

char *doctor_source(const struct document *d)
{
	if (is_url(d->source))
		return xstrdup(d->source);
	return xstrdup(d->source + shown_start(d->source, d->relpath));
}

static void add_prefix(struct doctor_scrub *sc, const char *p, size_t n)
{
	if (!n)
		return;
	for (size_t i = 0; i < sc->n; i++)
		if (strlen(sc->prefix[i]) == n && memcmp(sc->prefix[i], p, n) == 0)
			return;
	sc->prefix = xrealloc(sc->prefix, (sc->n + 1) * sizeof(*sc->prefix));
	sc->prefix[sc->n++] = xstrndup(p, n);
}

static int longest_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la < lb ? 1 : la > lb ? -1 : 0;
}

void doctor_scrub_init(struct doctor_scrub *sc, const struct doclist *docs, const struct problems *probs)
{
	memset(sc, 0, sizeof(*sc));
	const char *last = NULL;
	size_t lastn = 0;
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		if (is_url(d->source))
			continue;
		size_t n = shown_start(d->source, d->relpath);
		if (last && n == lastn && strncmp(last, d->source, n) == 0)
			continue; /* a folder's files share one prefix: skip the search */
		add_prefix(sc, d->source, n);
		last = d->source, lastn = n;
	}
	for (size_t i = 0; probs && i < probs->n; i++) {
		const char *s = probs->v[i].source, *slash;
		if (s && !is_url(s) && (slash = strrchr(s, '/')) && slash[1])
			add_prefix(sc, s, (size_t)(slash - s) + 1);
	}
	if (sc->n)
		qsort(sc->prefix, sc->n, sizeof(*sc->prefix), longest_first);
}

void doctor_scrub_free(struct doctor_scrub *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free(sc->prefix[i]);
	free(sc->prefix);
	memset(sc, 0, sizeof(*sc));
}

char *doctor_scrub(const struct doctor_scrub *sc, const char *text)
{
	if (!text)
		return NULL;
	struct sbuf b = { 0 };
	sbuf_puts(&b, "");
	for (const char *p = text; *p;) {
		size_t skip = 0;
		if (p == text || strchr(" \t\"'(`=<>[,", p[-1]))
			for (size_t i = 0; i < sc->n && !skip; i++)
				if (strncmp(p, sc->prefix[i], strlen(sc->prefix[i])) == 0)
					skip = strlen(sc->prefix[i]);
		if (skip) {
			p += skip;
			continue;
		}
		sbuf_put(&b, p++, 1);
	}
	return sbuf_take(&b, NULL);
}

/* A YYYY-MM-DD (or YYYYMMDD) date in a file name: "Report_2026-03-20.pdf". */
static int date_in_name(const char *name, char out[11])
{
	for (const char *p = name; *p; p++) {
		if (p != name && isdigit((unsigned char)p[-1]))
			continue;
		int dash = p[4] == '-' || p[4] == '_' || p[4] == '.';
		size_t need = dash ? 10 : 8, digits = 0;
		if (strnlen(p, need) < need)
			return 0;
		for (size_t i = 0; i < need; i++)
			digits += isdigit((unsigned char)p[i]) != 0;
		if (digits != 8 || isdigit((unsigned char)p[need]))
			continue;
		if (dash && (p[7] != p[4]))
			continue;
		char iso[11];
		if (dash)
			memcpy(iso, p, 10);
		else
			memcpy(iso, p, 4), iso[4] = '-', memcpy(iso + 5, p + 4, 2), iso[7] = '-', memcpy(iso + 8, p + 6, 2);
		iso[4] = iso[7] = '-', iso[10] = '\0';
		if (identity_date_norm(iso, out) == 0 && strncmp(out, "1900", 4) > 0)
			return 1;
	}
	return 0;
}

const char *doctor_doc_date(const struct document *d, char out[11])
{
	out[0] = '\0';
	if (d->facts && d->facts->date[0] && identity_date_norm(d->facts->date, out) >= 0)
		return out;
	if (d->dicom && d->dicom->study_date && d->dicom->study_date[0] &&
	    identity_date_norm(d->dicom->study_date, out) >= 0)
		return out;
	if (date_in_name(document_name(d), out))
		return out;
	out[0] = '\0';
	return out;
}

const char *doctor_doc_title(const struct document *d)
{
	if (d->facts && d->facts->title[0])
		return d->facts->title;
	if (d->dicom && d->dicom->study_description && d->dicom->study_description[0])
		return d->dicom->study_description;
	return document_name(d);
}

/* The category a "missing-required" or "below-minimum" problem is about: its message starts
 * with "no NAME document" or "NAME needs". */
static const struct category *problem_category(const struct problem *p, const struct manifest *m)
{
	for (size_t i = 0; i < m->ncats; i++) {
		const char *n = m->cats[i].name;
		size_t len = strlen(n);
		if ((strncmp(p->message, "no ", 3) == 0 && strncmp(p->message + 3, n, len) == 0 &&
		     p->message[3 + len] == ' ') ||
		    (strncmp(p->message, n, len) == 0 && strncmp(p->message + len, " needs ", 7) == 0))
			return &m->cats[i];
	}
	return NULL;
}

/* The statement of a message without the advice after it: up to the first "; " or ". ". */
static char *statement(const char *msg)
{
	size_t n = strlen(msg);
	const char *semi = strstr(msg, "; "), *stop = strstr(msg, ". ");
	if (semi && (!stop || semi < stop))
		stop = semi;
	if (stop)
		n = (size_t)(stop - msg);
	return xasprintf("%c%.*s.", toupper((unsigned char)msg[0]), (int)n - 1, msg + 1);
}

char *doctor_problem(const struct problem *p, const struct manifest *m, const struct doctor_scrub *sc)
{
	static const char *const patient_only[] = { P_DUPLICATE, P_UNCLASSIFIED, P_NAME_CONTENT };
	if (p->severity == SEV_INFO || !p->message || !p->message[0])
		return NULL;
	for (size_t i = 0; i < sizeof(patient_only) / sizeof(patient_only[0]); i++)
		if (strcmp(p->code, patient_only[i]) == 0)
			return NULL;
	const struct category *c = problem_category(p, m);
	if (c && strcmp(p->code, P_MISSING_REQUIRED) == 0)
		return xasprintf("Missing: %s. None was supplied, though the checklist requires it.", c->title);
	if (c && strcmp(p->code, P_BELOW_MIN) == 0)
		return xasprintf("Incomplete: %s. Fewer documents were supplied than the checklist requires (%d).",
				 c->title, c->min);
	if (strcmp(p->code, P_IMAGES_MISSING) == 0)
		return xstrdup("Imaging reports were supplied without their images (no DICOM files).");
	char *scrubbed = doctor_scrub(sc, p->message), *s = statement(scrubbed);
	free(scrubbed);
	return s;
}

struct sort_key {
	size_t file;
	char date[11];
	const char *title;
};

static int by_date_title(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	if (!a->date[0] != !b->date[0])
		return a->date[0] ? -1 : 1; /* undated last */
	int c = strcmp(a->date, b->date);
	if (!c)
		c = strcmp(a->title, b->title);
	return c ? c : a->file < b->file ? -1 : a->file > b->file;
}

size_t doctor_category_files(const struct bag *b, const char *category, size_t **out, size_t *images)
{
	struct sort_key *k = xcalloc(b->nfiles + 1, sizeof(*k));
	size_t n = 0;
	*images = 0;
	for (size_t i = 0; i < b->nfiles; i++) {
		const struct document *d = b->files[i].doc;
		if (d->furniture || (category ? !d->category || strcmp(d->category, category) != 0 : d->category != NULL))
			continue; /* a disc's or a download's own pages are no record */
		if (d->sniff.type == T_DICOM) {
			(*images)++;
			continue;
		}
		k[n].file = i;
		doctor_doc_date(d, k[n].date);
		k[n++].title = doctor_doc_title(d);
	}
	qsort(k, n, sizeof(*k), by_date_title);
	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = k[i].file;
	free(k);
	return n;
}
