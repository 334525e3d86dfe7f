/* SPDX-License-Identifier: GPL-3.0-or-later */
/* html.c: index.html, the doctor's table of contents: one self-contained page (inline CSS,
 * no scripts, no external requests) that reads well on screen and on paper. Builds text only,
 * handed on a row at a time (bag_text_flush). */
#include <stdlib.h>
#include <string.h>

#include "packet/bag.h"
#include "packet/doctor.h"
#include "rules/identity.h"
#include "rules/study.h"
#include "sys/rp.h"
#include "sys/util.h"

static const char css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:1.5em auto;"
	"max-width:62em;padding:0 1em;color:#111;overflow-wrap:anywhere}"
	"h1{font-size:1.45em;margin:0 0 .3em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.5em}"
	"h3{font-size:1.02em;margin:1.1em 0 .3em}"
	"table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{text-align:left;padding:.25em .5em;"
	"border-bottom:1px solid #e4e4e4;vertical-align:top}th{background:#f4f4f4;font-weight:600}"
	"col.date{width:7.2em}col.type{width:8.5em}col.size{width:6em}col.mod{width:6.5em}col.img{width:7.5em}"
	"col.open{width:6em}td.date,td.size{white-space:nowrap}th{overflow-wrap:normal}"
	".ok{color:#1a7f37}.missing{color:#c62828;font-weight:bold}.na{color:#777}.small{font-size:.85em;color:#555}"
	".status{font-size:.85em;font-weight:normal;margin-left:.6em}"
	".banner{padding:.6em 1em;border-radius:4px;margin:.8em 0}"
	".complete{background:#e8f5e9}.incomplete{background:#ffebee;color:#b71c1c}"
	".questions{background:#fffde7;padding:.6em 1em;white-space:pre-wrap}"
	"dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1em 1em;margin:.3em 0}"
	"dt{font-weight:bold}dd{margin:0}code{overflow-wrap:anywhere}"
	"@media print{body{margin:0;max-width:none;font-size:10.5pt}a{color:#000;text-decoration:none}"
	"tr,h3{page-break-inside:avoid}h3{page-break-after:avoid}}";

void html_escape(struct sbuf *s, const char *t, int br)
{
	for (; t && *t; t++) {
		switch (*t) {
		case '<': sbuf_puts(s, "&lt;"); break;
		case '>': sbuf_puts(s, "&gt;"); break;
		case '&': sbuf_puts(s, "&amp;"); break;
		case '"': sbuf_puts(s, "&quot;"); break;
		case '\'': sbuf_puts(s, "&#39;"); break;
		case '\n':
			if (br) {
				sbuf_puts(s, "<br>\n");
				break;
			}
			/* fall through */
		default: sbuf_put(s, t, 1);
		}
	}
}

static void esc(struct sbuf *s, const char *t)
{
	html_escape(s, t, 0);
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

/* "Missing: pathology, medications." for the banner. */
static void missing_list(struct sbuf *s, const struct check_result *res)
{
	size_t n = 0;
	for (size_t i = 0; i < res->ncats; i++) {
		if (res->cats[i].status != CAT_MISSING)
			continue;
		sbuf_puts(s, n++ ? "; " : " Missing: ");
		esc(s, res->cats[i].cat->title);
	}
	if (n)
		sbuf_puts(s, ".");
}

static void header(struct sbuf *s, const struct bag *b, const struct patient *pt, const struct check_result *res)
{
	char date[16];
	sbuf_puts(s, "<header><h1>Medical records for a second opinion</h1><dl>");
	sbuf_puts(s, "<dt>Patient</dt><dd>");
	esc(s, pt->name ? pt->name : "(not given)");
	sbuf_puts(s, "</dd><dt>Date of birth</dt><dd>");
	esc(s, pt->dob ? pt->dob : "(not given)");
	if (pt->mrn) {
		sbuf_puts(s, "</dd><dt>MRN</dt><dd>");
		esc(s, pt->mrn);
	}
	sbuf_printf(s, "</dd><dt>Packet made</dt><dd>%s by %s</dd></dl></header>\n", bag_date(b->when, date, sizeof(date)),
		    RP_AGENT);
	sbuf_printf(s, "<p class=\"banner %s\"><strong>%s</strong>", res->complete ? "complete" : "incomplete",
		    res->complete ? "Complete: every required document is in this packet."
				  : "Incomplete: required documents were not supplied.");
	missing_list(s, res);
	sbuf_puts(s, "</p>\n");
}

/* Slides and blocks (physical categories): shipped by the lab on their own, listed by the
 * case numbers read from the pathology reports. Nothing when the manifest has none. */
static void shipped_section(struct sbuf *s, const struct check_result *res)
{
	size_t n = 0;
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
		if (!r->cat->physical || (r->status != CAT_SHIPPED && r->status != CAT_TO_SEND))
			continue;
		const char *cls = r->status == CAT_SHIPPED ? "ok" : "missing";
		if (!n++)
			sbuf_puts(s, "<h2>Sent separately</h2>\n<table><tr><th>Item</th><th>Status</th></tr>\n");
		sbuf_puts(s, "<tr><td>");
		esc(s, r->cat->title);
		sbuf_printf(s, "</td><td class=\"%s\">%s</td></tr>\n", cls,
			    r->status == CAT_SHIPPED ? "&#10003; shipped separately"
						     : "&#10007; not yet sent (shipped separately)");
		for (size_t k = 0; k < r->items.n; k++) {
			sbuf_puts(s, "<tr class=\"item\"><td>&#8195;case ");
			esc(s, r->items.v[k]);
			sbuf_printf(s, "</td><td class=\"%s\">%s</td></tr>\n", cls,
				    r->status == CAT_SHIPPED ? "shipped" : "not yet sent");
		}
	}
	if (n)
		sbuf_puts(s, "</table>\n");
}

static void problems_section(struct bag_text *t, const struct manifest *m, const struct problems *probs,
			     const struct doctor_scrub *sc)
{
	struct sbuf *s = &t->s;
	size_t n = 0;
	for (size_t i = 0; i < probs->n; i++) {
		char *msg = strcmp(probs->v[i].code, P_MISSING_REQUIRED) == 0 ? NULL /* said above */
			    : doctor_problem(&probs->v[i], m, sc);
		if (!msg)
			continue;
		if (!n++)
			sbuf_puts(s, "<h2>Notes on this packet</h2>\n<ul>\n");
		sbuf_printf(s, "<li class=\"%s\">", probs->v[i].severity == SEV_ERROR ? "missing" : "");
		esc(s, msg);
		sbuf_puts(s, "</li>\n");
		free(msg);
		bag_text_flush(t, 0);
	}
	if (n)
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
			sbuf_puts(s, "<table class=\"studies\"><colgroup><col class=\"date\"><col class=\"mod\"><col>"
				     "<col class=\"img\"><col class=\"open\"></colgroup>\n<tr><th>Date</th><th>Modality</th>"
				     "<th>Imaging study</th><th>Images</th><th>Open</th></tr>\n");
		sbuf_puts(s, "<tr><td class=\"date\">");
		esc(s, st[i].date[0] ? study_date_iso(st[i].date, date, sizeof(date)) : "undated");
		sbuf_puts(s, "</td><td>");
		esc(s, st[i].modality[0] ? st[i].modality : "?");
		sbuf_puts(s, "</td><td>");
		esc(s, st[i].description[0] ? st[i].description : "(no description)");
		sbuf_printf(s, "</td><td>%zu <span class=\"small\">(%s)</span></td><td>", st[i].images,
			    human_size(st[i].bytes, sz, sizeof(sz)));
		const char *dir = st[i].dicomdir ? path_of(b, st[i].dicomdir) : NULL;
		const char *first = path_of(b, st[i].first);
		if (dir || first) {
			sbuf_puts(s, "<a href=\"");
			href(s, dir ? dir : first);
			sbuf_printf(s, "\">%s</a>", dir ? "the disc" : "first image");
		}
		sbuf_puts(s, "</td></tr>\n");
		bag_text_flush(t, 0);
	}
	if (shown)
		sbuf_puts(s, "</table>\n");
	free(st);
}

static const char *identity_note(const struct document *d)
{
	switch ((enum identity_status)d->identity) {
	case IDENTITY_NONE_STATED: return "does not name the patient";
	case IDENTITY_UNREADABLE: return "a scan: the patient's name could not be read";
	default: return NULL;
	}
}

/* The documents of category (NULL: unclassified), oldest first, each linked, DICOM images
 * counted (the studies table lists them). */
static void documents_table(struct bag_text *t, const struct bag *b, const char *category)
{
	struct sbuf *s = &t->s;
	size_t *idx, images = 0;
	size_t n = doctor_category_files(b, category, &idx, &images);
	char sz[32], date[11];
	if (n)
		sbuf_puts(s, "<table class=\"documents\"><colgroup><col class=\"date\"><col><col class=\"type\">"
			     "<col class=\"size\"></colgroup>\n<tr><th>Date</th><th>Document</th><th>Type</th><th>Size</th></tr>\n");
	for (size_t k = 0; k < n; k++) {
		const struct bag_file *f = &b->files[idx[k]];
		const struct document *d = f->doc;
		const char *file = path_basename(f->real ? f->real : f->path), *title = doctor_doc_title(d);
		sbuf_puts(s, "<tr><td class=\"date\">");
		esc(s, doctor_doc_date(d, date)[0] ? date : "undated");
		sbuf_puts(s, "</td><td><a href=\"");
		href(s, f->path);
		sbuf_puts(s, "\">");
		esc(s, title);
		sbuf_puts(s, "</a>");
		const char *note = identity_note(d);
		if (strcmp(title, file) != 0 || note) {
			sbuf_puts(s, "<br><span class=\"small\">");
			if (strcmp(title, file) != 0)
				esc(s, file);
			if (note)
				sbuf_printf(s, "%s%s", strcmp(title, file) != 0 ? "; " : "", note);
			sbuf_puts(s, "</span>");
		}
		sbuf_printf(s, "</td><td>%s</td><td class=\"size\">%s</td></tr>\n", doc_type_label(d->sniff.type),
			    human_size(d->size, sz, sizeof(sz)));
		bag_text_flush(t, 0);
	}
	if (n)
		sbuf_puts(s, "</table>\n");
	if (images && !category)
		sbuf_printf(s, "<p>%zu DICOM image%s.</p>\n", images, images == 1 ? "" : "s");
	free(idx);
}

static void category_section(struct bag_text *t, const struct bag *b, const struct doclist *docs,
			     const struct category_result *r)
{
	struct sbuf *s = &t->s;
	const char *cls = r->status == CAT_OK ? "ok" : r->status == CAT_MISSING ? "missing" : "na";
	const char *what = r->status == CAT_OK ? "&#10003; supplied" : r->status == CAT_MISSING ? "&#10007; MISSING (required)"
										       : "not required";
	sbuf_printf(s, "<h3 id=\"%s\">", r->cat->name);
	esc(s, r->cat->title);
	sbuf_printf(s, "<span class=\"status %s\">%s</span></h3>\n", cls, what);
	if (r->status == CAT_MISSING)
		sbuf_puts(s, "<p class=\"missing\">None was supplied.</p>\n");
	else if (!r->count)
		sbuf_puts(s, "<p class=\"na\">None (not required for this patient).</p>\n");
	studies_table(t, b, docs, r->cat->name);
	documents_table(t, b, r->cat->name);
}

void html_index(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct manifest *m,
		const struct doclist *docs, const struct check_result *res, const struct problems *probs,
		const struct doctor_scrub *sc)
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
	shipped_section(s, res);
	sbuf_puts(s, "<h2>Documents, by category (oldest first)</h2>\n");
	for (size_t i = 0; i < res->ncats; i++)
		if (!res->cats[i].cat->physical) /* no file: listed above by case number */
			category_section(t, b, docs, &res->cats[i]);
	int unclassified = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		unclassified |= b->files[i].doc->category == NULL;
	if (unclassified) {
		sbuf_puts(s, "<h3>Not sorted into a category</h3>\n");
		documents_table(t, b, NULL);
	}
	problems_section(t, m, probs, sc);
	sbuf_puts(s, "<h2>Checking this packet</h2>\n<p>Every file's SHA-256 checksum is listed in "
		      "<a href=\"manifest-sha256.txt\">manifest-sha256.txt</a> (a BagIt bag, RFC 8493). "
		      "Run <code>sha256sum -c manifest-sha256.txt</code> in this folder, or "
		      "<code>recpack verify</code> on the ZIP file. See also <a href=\"README.txt\">README.txt</a>; "
		      "<a href=\"packet.json\">packet.json</a> is for programs.</p>\n"
		      "</body></html>\n");
}
