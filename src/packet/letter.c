/* SPDX-License-Identifier: GPL-3.0-or-later */
/* letter.c: see letter.h. The letter is built once as a list of blocks (address lines,
 * paragraphs, the numbered list of what is asked for), then written out as text or HTML, so
 * both say the same words. */
#include "packet/letter.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "packet/bag.h"
#include "rules/recency.h"
#include "rules/study.h"

#define WIDTH 76

/* ---- what to ask for ---- */

/* "CT", "MRI", "PET/CT"...: the kind of scan a report is about, from its title or first words. */
static const char *scan_kind(const struct document *d)
{
	static const struct { const char *word; const char *name; int stem; } kinds[] = {
		{ "pet/ct", "PET/CT", 0 }, { "pet-ct", "PET/CT", 0 }, { "pet ct", "PET/CT", 0 },
		{ "mri", "MRI", 0 }, { "magnetic resonance", "MRI", 0 }, { "ct", "CT", 0 },
		{ "cat scan", "CT", 0 }, { "computed tomography", "CT", 0 }, { "pet", "PET scan", 0 },
		{ "mammogra", "mammogram", 1 }, { "ultrasound", "ultrasound", 0 }, { "sonogra", "ultrasound", 1 },
		{ "x-ray", "X-ray", 0 }, { "radiograph", "X-ray", 1 }, { "bone scan", "bone scan", 0 },
	};
	const char *texts[2] = { d->facts ? d->facts->title : "", d->facts ? d->facts->text : "" };
	for (size_t t = 0; t < 2; t++) {
		const char *h = texts[t];
		size_t n = strnlen(h, t ? 600 : 160);
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			size_t w = strlen(kinds[k].word);
			for (size_t i = 0; i + w <= n; i++)
				if ((i == 0 || !isalnum((unsigned char)h[i - 1])) && strncasecmp(h + i, kinds[k].word, w) == 0 &&
				    (kinds[k].stem || i + w == n || !isalnum((unsigned char)h[i + w])))
					return kinds[k].name;
		}
	}
	return NULL;
}

/* "pathology reports" from "Pathology reports": a title inside a sentence. */
static char *lowered(const char *title)
{
	char *s = str_shown(title);
	if (s[0] && isupper((unsigned char)s[0]) && !(s[1] && isupper((unsigned char)s[1])))
		s[0] = (char)tolower((unsigned char)s[0]);
	return s;
}

static char *ask_of(const struct category *c)
{
	if (c->ask)
		return str_shown(c->ask);
	char *t = lowered(c->title), *s = xasprintf("my %s", t);
	free(t);
	return s;
}

static void add_item(struct strlist *items, char *s)
{
	if (strlist_has(items, s))
		free(s);
	else
		strlist_add_owned(items, s);
}

static int in_category(const struct document *d, const char *name)
{
	return !d->excluded && !d->furniture && d->category && strcmp(d->category, name) == 0;
}

/* Reports in an images_required category whose study has no images here: ask for the images of
 * each ("the CT of 2026-03-01 as DICOM images ..."), by the date the report states. */
static void ask_images(const struct letter *l, const struct category_result *r, struct strlist *items)
{
	struct study *st;
	size_t n = studies_collect(l->docs, &st), nstudies = 0;
	for (size_t i = 0; i < n; i++)
		nstudies += st[i].first->category && strcmp(st[i].first->category, r->cat->name) == 0;
	for (size_t j = 0; j < l->docs->n; j++) {
		const struct document *d = &l->docs->v[j];
		char date[11], sdate[11];
		int seen = 0;
		if (!in_category(d, r->cat->name) || d->sniff.type == T_DICOM || d->sniff.type == T_DICOMDIR)
			continue;
		if (document_date(d, date) < 0) {
			if (nstudies)
				continue; /* an undated report: its images may be the ones here */
			char *name = str_shown(document_name(d));
			add_item(items, xasprintf("the images of the study described in the report \"%s\", as DICOM "
						  "images on a disc or by download, not only the report", name));
			free(name);
			continue;
		}
		for (size_t i = 0; i < n && !seen; i++)
			seen = st[i].first->category && strcmp(st[i].first->category, r->cat->name) == 0 &&
			       document_date(st[i].first, sdate) == 0 && strcmp(sdate, date) == 0;
		if (seen)
			continue;
		const char *kind = scan_kind(d);
		add_item(items, xasprintf("the %s of %s as DICOM images on a disc or by download, not only the report",
					  kind ? kind : "imaging study", date));
	}
	free(st);
}

/* max_age and priors: newer records, and older ones to compare with. */
static void ask_recent(const struct letter *l, const struct category_result *r, struct strlist *items)
{
	const struct category *c = r->cat;
	char cutoff[11], span[32];
	if (!c->max_age.n || !r->newest[0] || !l->pt->today[0] || date_minus(l->pt->today, &c->max_age, cutoff) < 0)
		return;
	char *t = lowered(c->title);
	if (strcmp(r->newest, cutoff) < 0)
		add_item(items, xasprintf("any %s from after %s (the newest I have is from %s)", t, cutoff, r->newest));
	else if (c->priors.n && strcmp(r->oldest, cutoff) >= 0)
		add_item(items, xasprintf("any earlier %s from the %s before %s, for comparison", t,
					  manifest_age_text(&c->priors, span, sizeof(span)), r->oldest));
	free(t);
}

/* Slides and blocks, by the case numbers the pathology reports print. */
static void ask_physical(const struct category_result *r, struct strlist *items)
{
	struct sbuf s = { 0 };
	char *ask = ask_of(r->cat);
	sbuf_puts(&s, ask);
	free(ask);
	if (r->items.n == 0)
		sbuf_puts(&s, ", for each biopsy and surgery");
	for (size_t k = 0; k < r->items.n; k++) {
		char *c = str_shown(r->items.v[k]);
		sbuf_printf(&s, "%s%s", k == 0 ? (r->items.n == 1 ? " for pathology case " : " for pathology cases ")
					       : k + 1 == r->items.n ? " and " : ", ", c);
		free(c);
	}
	add_item(items, sbuf_take(&s, NULL));
}

void letter_items(const struct letter *l, struct strlist *items)
{
	for (size_t i = 0; i < l->res->ncats; i++) {
		const struct category_result *r = &l->res->cats[i];
		if (r->cat->physical) {
			if (r->status == CAT_TO_SEND)
				ask_physical(r, items);
			continue;
		}
		if (r->status == CAT_MISSING && r->count == 0) {
			add_item(items, ask_of(r->cat));
			continue;
		}
		if (r->status == CAT_MISSING) {
			char *ask = ask_of(r->cat);
			add_item(items, xasprintf("%s (I have %zu; at least %d are needed)", ask, r->count, r->cat->min));
			free(ask);
		}
		if (r->cat->images_required && r->count)
			ask_images(l, r, items);
		ask_recent(l, r, items);
	}
}

/* ---- the letter's blocks ---- */

enum block_kind { B_LINES, B_PARA, B_LIST, B_STRONG };

struct block {
	enum block_kind kind;
	char *text;                 /* B_LINES: lines separated by '\n' */
};

struct blocks {
	struct block v[24];
	size_t n;
};

__attribute__((format(printf, 3, 4)))
static void add(struct blocks *b, enum block_kind kind, const char *fmt, ...)
{
	va_list ap;
	if (b->n == sizeof(b->v) / sizeof(b->v[0]))
		return;
	va_start(ap, fmt);
	b->v[b->n].kind = kind;
	b->v[b->n++].text = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Address lines as given, each made safe to show; blank lines dropped. */
static char *address_lines(const char *text)
{
	struct sbuf s = { 0 };
	char *copy = xstrdup(text ? text : ""), *save = NULL;
	for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *t = trim(line), *shown;
		if (!*t)
			continue;
		shown = str_shown(t);
		sbuf_printf(&s, "%s%s", s.len ? "\n" : "", shown);
		free(shown);
	}
	free(copy);
	return sbuf_take(&s, NULL);
}

static void compose(const struct letter *l, const struct strlist *items, struct blocks *b)
{
	char when[40], due[11], duew[40];
	char *name = str_shown(l->pt->name ? l->pt->name : "");
	char *to = str_shown(l->to), *to_addr = address_lines(l->to_address), *from = address_lines(l->from_address);
	int slides = 0;
	for (size_t i = 0; i < l->res->ncats; i++)
		slides |= l->res->cats[i].cat->physical && l->res->cats[i].status == CAT_TO_SEND;
	if (date_plus_days(l->date, LETTER_DEADLINE_DAYS, due) < 0)
		snprintf(due, sizeof(due), "%s", "");
	date_words(due, duew, sizeof(duew));

	add(b, B_LINES, "%s%s%s", name, from[0] ? "\n" : "", from);
	add(b, B_LINES, "%s", date_words(l->date, when, sizeof(when)));
	add(b, B_LINES, "%s%s%s", to, to_addr[0] ? "\n" : "", to_addr);
	add(b, B_STRONG, "Re: Request for copies of my medical records under the HIPAA right of access "
			 "(45 CFR 164.524)");
	add(b, B_LINES, "Patient: %s\nDate of birth: %s\nMedical record number: %s", name,
	    l->pt->dob ? l->pt->dob : "____________", l->pt->mrn ? l->pt->mrn : "____________");
	add(b, B_PARA, "To the medical records (release of information) office:");
	add(b, B_PARA, "I am asking for copies of my medical records, as the HIPAA right of access "
		       "(45 CFR 164.524) allows. I need them for a second opinion about my cancer care. Please send me "
		       "the following:");
	for (size_t i = 0; i < items->n; i++)
		add(b, B_LIST, "%s", items->v[i]);
	add(b, B_PARA, "Please send an electronic copy: the images as DICOM files (on a CD or DVD, or by "
		       "secure download) together with their reports, and every other record as a PDF file. The "
		       "right of access requires the copy in the electronic form and format I ask for when it is "
		       "readily producible (45 CFR 164.524(c)(2)), and any fee may only be a reasonable, "
		       "cost-based fee (45 CFR 164.524(c)(4)).");
	if (slides)
		add(b, B_PARA, "The pathology laboratory usually sends glass slides and blocks directly to the "
			       "reviewing pathologist: please tell me how to arrange this, and I will give you the "
			       "address to ship them to.");
	add(b, B_PARA, "Please act on this request within 30 days, that is by %s (30 days from the date of "
		       "this letter), as 45 CFR 164.524(b)(2) requires. If you need more time, please tell me in "
		       "writing before then, with the reason and the date by which you will send the records. If "
		       "another office or laboratory holds some of these records, please tell me which one.",
	    duew);
	add(b, B_PARA, "Thank you for your help.");
	add(b, B_LINES, "Sincerely,\n\n\n______________________________\n%s\nSigned on: ______________", name);
	free(name);
	free(to);
	free(to_addr);
	free(from);
}

static void blocks_free(struct blocks *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].text);
}

/* ---- text ---- */

/* Columns a UTF-8 string takes (one per character). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* text wrapped at WIDTH, the first line after first, the rest after indent. */
static void wrap(struct sbuf *s, const char *text, const char *first, const char *indent)
{
	size_t col = columns(first, strlen(first));
	int start = 1;
	sbuf_puts(s, first);
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (!w)
			break;
		size_t wc = columns(p, w);
		if (!start && col + 1 + wc > WIDTH) {
			sbuf_printf(s, "\n%s", indent);
			col = columns(indent, strlen(indent));
			start = 1;
		}
		if (!start)
			sbuf_put(s, " ", 1), col++;
		sbuf_put(s, p, w);
		col += wc;
		start = 0;
		p += w;
	}
	sbuf_puts(s, "\n");
}

/* What is asked for and the letter's blocks; 0 when nothing is missing (no letter). */
static int prepare(const struct letter *l, struct strlist *items, struct blocks *b)
{
	letter_items(l, items);
	if (!items->n) {
		strlist_free(items);
		return 0;
	}
	compose(l, items, b);
	return 1;
}

char *letter_text(const struct letter *l, size_t *len)
{
	struct strlist items = { 0 };
	struct blocks b = { 0 };
	struct sbuf s = { 0 };
	if (!prepare(l, &items, &b))
		return NULL;
	for (size_t i = 0, n = 0; i < b.n; i++) {
		const struct block *k = &b.v[i];
		char num[16];
		if (k->kind == B_LIST) {
			snprintf(num, sizeof(num), "  %zu. ", ++n);
			wrap(&s, k->text, num, "     ");
			if (i + 1 < b.n && b.v[i + 1].kind != B_LIST)
				sbuf_puts(&s, "\n");
			continue;
		}
		if (k->kind == B_LINES)
			sbuf_printf(&s, "%s\n", k->text);
		else
			wrap(&s, k->text, "", "");
		if (i + 1 < b.n)
			sbuf_puts(&s, "\n");
	}
	blocks_free(&b);
	strlist_free(&items);
	return sbuf_take(&s, len);
}

/* ---- HTML ---- */

static void esc(struct sbuf *s, const char *t)
{
	html_escape(s, t, 1);
}

static const char css[] =
	"@page{size:auto;margin:2.2cm 2.4cm}"
	"body{font:12pt/1.5 Georgia,'Times New Roman',serif;max-width:40em;margin:2em auto;padding:0 1em;color:#000}"
	"p,ol{margin:0 0 1em}li{margin-bottom:.4em}.re{font-weight:bold}"
	"@media print{body{margin:0;max-width:none;padding:0}}";

char *letter_html(const struct letter *l, size_t *len)
{
	struct strlist items = { 0 };
	struct blocks b = { 0 };
	struct sbuf s = { 0 };
	if (!prepare(l, &items, &b))
		return NULL;
	sbuf_puts(&s, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>Request for medical records</title>\n");
	sbuf_printf(&s, "<style>%s</style></head>\n<body>\n", css);
	for (size_t i = 0; i < b.n; i++) {
		const struct block *k = &b.v[i];
		if (k->kind == B_LIST && (i == 0 || b.v[i - 1].kind != B_LIST))
			sbuf_puts(&s, "<ol>\n");
		sbuf_puts(&s, k->kind == B_LIST ? "<li>" : k->kind == B_STRONG ? "<p class=\"re\">" : "<p>");
		esc(&s, k->text);
		sbuf_puts(&s, k->kind == B_LIST ? "</li>\n" : "</p>\n");
		if (k->kind == B_LIST && (i + 1 == b.n || b.v[i + 1].kind != B_LIST))
			sbuf_puts(&s, "</ol>\n");
	}
	sbuf_puts(&s, "</body></html>\n");
	blocks_free(&b);
	strlist_free(&items);
	return sbuf_take(&s, len);
}
