/* html.c: index.html, the doctor's table of contents: one self-contained page (inline CSS,
 * no scripts, no external requests) that reads well on screen and on paper. Builds text only,
 * handed on a row at a time (bag_text_flush). */
#include <stdlib.h>
#include <string.h>

#include "packet/bag.h"
#include "rules/identity.h"
#include "rules/recency.h"
#include "rules/study.h"
#include "sys/rp.h"
#include "sys/util.h"

static const char css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2em auto;"
	"max-width:62em;padding:0 1em;color:#111}"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25em .5em;"
	"border-bottom:1px solid #e4e4e4;vertical-align:top}th{background:#f4f4f4}"
	".ok{color:#1a7f37}.missing{color:#c62828;font-weight:bold}.na{color:#777}"
	".hash{font:11px monospace;word-break:break-all;color:#555}.banner{padding:.6em 1em;border-radius:4px}"
	".complete{background:#e8f5e9}.incomplete{background:#ffebee;color:#b71c1c}"
	".questions{background:#fffde7;padding:.6em 1em;white-space:pre-wrap}"
	"dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dt{font-weight:bold}dd{margin:0}"
	"@media print{body{margin:0;max-width:none;font-size:11pt}a{color:#000;text-decoration:none}"
	"tr{page-break-inside:avoid}}";

static void esc(struct sbuf *s, const char *t)
{
	for (; t && *t; t++) {
		switch (*t) {
		case '<': sbuf_puts(s, "&lt;"); break;
		case '>': sbuf_puts(s, "&gt;"); break;
		case '&': sbuf_puts(s, "&amp;"); break;
		case '"': sbuf_puts(s, "&quot;"); break;
		case '\'': sbuf_puts(s, "&#39;"); break;
		default: sbuf_put(s, t, 1);
		}
	}
}

/* A relative link: every byte outside the unreserved set (and '/') percent-encoded. */
static void href(struct sbuf *s, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			sbuf_put(s, (const char *)p, 1);
		else
			sbuf_printf(s, "%%%02X", *p);
	}
}

void html_href(struct sbuf *s, const char *path)
{
	href(s, path);
}

static void header(struct sbuf *s, const struct bag *b, const struct patient *pt, const struct check_result *res)
{
	char date[16];
	sbuf_puts(s, "<header><h1>Medical records for a second opinion</h1><dl>");
	sbuf_puts(s, "<dt>Patient</dt><dd>");
	esc(s, pt->name ? pt->name : "(not given)");
	sbuf_puts(s, "</dd><dt>Date of birth</dt><dd>");
	esc(s, pt->dob ? pt->dob : "(not given)");
	sbuf_puts(s, "</dd><dt>MRN</dt><dd>");
	esc(s, pt->mrn ? pt->mrn : "(not given)");
	sbuf_printf(s, "</dd><dt>Packet made</dt><dd>%s by %s</dd></dl></header>\n", bag_date(b->when, date, sizeof(date)),
		    RP_AGENT);
	sbuf_printf(s, "<p class=\"banner %s\">%s</p>\n", res->complete ? "complete" : "incomplete",
		    res->complete ? "Complete: every required document is in this packet."
				  : "Incomplete: required documents are missing (marked in red below).");
}

static void checklist(struct sbuf *s, const struct check_result *res)
{
	sbuf_puts(s, "<h2>Checklist</h2>\n<table><tr><th>Document</th><th>Status</th><th>Count</th></tr>\n");
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
		const char *cls = r->status == CAT_OK || r->status == CAT_SHIPPED ? "ok"
				: r->status == CAT_MISSING || r->status == CAT_TO_SEND ? "missing" : "na";
		const char *what = r->status == CAT_OK ? "&#10003; present" : r->status == CAT_MISSING ? "&#10007; MISSING"
				 : r->status == CAT_SHIPPED ? "&#10003; shipped separately"
				 : r->status == CAT_TO_SEND ? "&#10007; not yet sent (shipped separately)" : "not required";
		sbuf_puts(s, "<tr><td>");
		esc(s, r->cat->title);
		sbuf_printf(s, "</td><td class=\"%s\">%s</td><td>%zu</td></tr>\n", cls, what, r->count);
		for (size_t k = 0; k < r->items.n; k++) { /* slides and blocks, by case number */
			sbuf_puts(s, "<tr class=\"item\"><td>&#8195;case ");
			esc(s, r->items.v[k]);
			sbuf_printf(s, "</td><td class=\"%s\">%s</td><td></td></tr>\n", cls,
				    r->status == CAT_SHIPPED ? "shipped" : "not yet sent");
		}
	}
	sbuf_puts(s, "</table>\n");
}

static void problems_section(struct bag_text *t, const struct problems *probs)
{
	struct sbuf *s = &t->s;
	size_t n = 0;
	for (size_t i = 0; i < probs->n; i++)
		n += probs->v[i].severity != SEV_INFO;
	if (!n)
		return;
	sbuf_puts(s, "<h2>Problems found when the packet was made</h2>\n<ul>\n");
	for (size_t i = 0; i < probs->n; i++) {
		if (probs->v[i].severity == SEV_INFO)
			continue;
		sbuf_printf(s, "<li class=\"%s\">", probs->v[i].severity == SEV_ERROR ? "missing" : "");
		esc(s, probs->v[i].message);
		sbuf_puts(s, "</li>\n");
		bag_text_flush(t, 0);
	}
	sbuf_puts(s, "</ul>\n");
}

static const char *path_of(const struct bag *b, const struct document *d)
{
	for (size_t i = 0; i < b->nfiles; i++)
		if (b->files[i].doc == d)
			return b->files[i].path;
	return NULL;
}

static void studies_table(struct bag_text *t, const struct bag *b, const struct doclist *docs, const char *category)
{
	struct sbuf *s = &t->s;
	struct study *st;
	size_t n = studies_collect(docs, &st), shown = 0;
	char date[16], sz[32];
	for (size_t i = 0; i < n; i++) {
		if (!st[i].first->category || strcmp(st[i].first->category, category) != 0)
			continue;
		if (!shown++)
			sbuf_puts(s, "<table><tr><th>Study</th><th>Modality</th><th>Date</th><th>Images</th><th>Open</th></tr>\n");
		sbuf_puts(s, "<tr><td>");
		esc(s, st[i].description[0] ? st[i].description : "(no description)");
		sbuf_puts(s, "</td><td>");
		esc(s, st[i].modality);
		sbuf_puts(s, "</td><td>");
		esc(s, study_date_iso(st[i].date, date, sizeof(date)));
		sbuf_printf(s, "</td><td>%zu (%s)</td><td>", st[i].images, human_size(st[i].bytes, sz, sizeof(sz)));
		const char *dir = st[i].dicomdir ? path_of(b, st[i].dicomdir) : NULL;
		const char *first = path_of(b, st[i].first);
		if (dir || first) {
			sbuf_puts(s, "<a href=\"");
			href(s, dir ? dir : first);
			sbuf_printf(s, "\">%s</a>", dir ? "DICOMDIR" : "first image");
		}
		sbuf_puts(s, "</td></tr>\n");
		bag_text_flush(t, 0);
	}
	if (shown)
		sbuf_puts(s, "</table>\n");
	free(st);
}

static void documents_table(struct bag_text *t, const struct bag *b, const char *category)
{
	struct sbuf *s = &t->s;
	size_t shown = 0, images = 0;
	char sz[32];
	for (size_t i = 0; i < b->nfiles; i++) {
		const struct document *d = b->files[i].doc;
		if (category ? !d->category || strcmp(d->category, category) != 0 : d->category != NULL)
			continue;
		if (d->sniff.type == T_DICOM) {
			images++;
			continue;
		}
		if (!shown++)
			sbuf_puts(s, "<table><tr><th>Document</th><th>Type</th><th>Size</th><th>Source</th><th>SHA-256</th></tr>\n");
		sbuf_puts(s, "<tr><td><a href=\"");
		href(s, b->files[i].path);
		sbuf_puts(s, "\">");
		esc(s, path_basename(b->files[i].real ? b->files[i].real : b->files[i].path));
		char date[11];
		sbuf_printf(s, "</a></td><td>%s<br>patient: %s%s%s</td><td>%s</td><td>", doc_type_label(d->sniff.type),
			    identity_status_name((enum identity_status)d->identity),
			    document_date(d, date) == 0 ? "<br>dated: " : "", date, human_size(d->size, sz, sizeof(sz)));
		esc(s, d->source);
		sbuf_puts(s, "</td><td class=\"hash\">");
		bag_text_mark(t, i);
		sbuf_printf(s, "%s</td></tr>\n", d->sha256);
		bag_text_flush(t, 0);
	}
	if (shown)
		sbuf_puts(s, "</table>\n");
	if (images)
		sbuf_printf(s, "<p>%zu DICOM image%s; every checksum is in manifest-sha256.txt.</p>\n", images,
			    images == 1 ? "" : "s");
}

void html_index(struct bag_text *t, const struct bag *b, const struct patient *pt,
		const struct doclist *docs, const struct check_result *res, const struct problems *probs)
{
	struct sbuf *s = &t->s;
	sbuf_puts(s, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(s, b->name);
	sbuf_printf(s, "</title>\n<style>%s</style></head>\n<body>\n", css);
	header(s, b, pt, res);
	if (b->questions) {
		sbuf_puts(s, "<h2>The patient's questions</h2>\n<div class=\"questions\">");
		esc(s, b->questions);
		sbuf_puts(s, "</div>\n");
	}
	checklist(s, res);
	problems_section(t, probs);
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
		if (r->cat->physical)
			continue; /* slides and blocks hold no file: the checklist lists them by case */
		sbuf_printf(s, "<h2 id=\"%s\">", r->cat->name);
		esc(s, r->cat->title);
		sbuf_puts(s, "</h2>\n");
		if (r->status == CAT_MISSING)
			sbuf_puts(s, "<p class=\"missing\">Missing: no document of this kind was provided.</p>\n");
		else if (!r->count)
			sbuf_puts(s, "<p class=\"na\">None (not required).</p>\n");
		studies_table(t, b, docs, r->cat->name);
		documents_table(t, b, r->cat->name);
	}
	int unclassified = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		unclassified |= b->files[i].doc->category == NULL;
	if (unclassified) {
		sbuf_puts(s, "<h2>Unclassified</h2>\n");
		documents_table(t, b, NULL);
	}
	sbuf_puts(s, "<h2>Checking this packet</h2>\n<p>Every file's SHA-256 checksum is listed in "
		      "<a href=\"manifest-sha256.txt\">manifest-sha256.txt</a> (a BagIt bag, RFC 8493). "
		      "Run <code>sha256sum -c manifest-sha256.txt</code> in this folder, or "
		      "<code>recpack verify</code> on the ZIP file. See also <a href=\"README.txt\">README.txt</a>.</p>\n"
		      "</body></html>\n");
}
