/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pdf.c: see pdf.h. */
#include "read/pdf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <poppler.h>

#include "read/textfacts.h"
#include "sys/util.h"

#define PDF_MAGIC_SEARCH 1024

static void silent_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain, (void)level, (void)msg, (void)data;
}

static void silence_glib(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		g_log_set_default_handler(silent_log, NULL);
		g_once_init_leave(&done, 1);
	}
}

static int is_pdf(const unsigned char *buf, size_t len)
{
	size_t n = len < PDF_MAGIC_SEARCH ? len : PDF_MAGIC_SEARCH;
	for (size_t i = 0; i + 5 <= n; i++)
		if (buf[i] == '%' && memcmp(buf + i, "%PDF-", 5) == 0)
			return 1;
	return 0;
}

static int only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isspace(s[i]))
			return 0;
	return 1;
}

/* The text of the first pages, page after page, up to the scan bound. */
static void page_text(PopplerDocument *doc, struct sbuf *b)
{
	int pages = poppler_document_get_n_pages(doc);
	for (int i = 0; i < pages && i < PDF_PAGES_MAX && b->len < TEXTFACTS_SCAN_MAX; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t;
		size_t n;
		if (page == NULL)
			continue;
		if ((t = poppler_page_get_text(page)) != NULL) {
			n = strlen(t);
			if (n > TEXTFACTS_SCAN_MAX - b->len)
				n = TEXTFACTS_SCAN_MAX - b->len;
			sbuf_put(b, t, n);
			sbuf_put(b, "\n\f", 2);
			g_free(t);
		}
		g_object_unref(page);
	}
}

static int opened_badly(GError *err, struct doc_facts *out)
{
	if (err != NULL && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED) {
		out->status = FACTS_ENCRYPTED;
		snprintf(out->error, sizeof out->error, "the PDF is protected by a password");
	} else {
		out->status = FACTS_DAMAGED;
		snprintf(out->error, sizeof out->error, "the PDF is damaged: it could not be opened");
	}
	g_clear_error(&err);
	return 0;
}

PopplerDocument *pdf_open(const unsigned char *buf, size_t len, GError **err)
{
	GBytes *bytes = g_bytes_new_static(buf, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, err);
	g_bytes_unref(bytes);
	return doc;
}

int pdf_read_here(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	GError *err = NULL;
	PopplerDocument *doc;
	struct sbuf b = { 0 };
	memset(out, 0, sizeof *out);
	if (buf == NULL || !is_pdf(buf, len))
		return 1;
	silence_glib();
	out->format = FMT_PDF;
	doc = pdf_open(buf, len, &err);
	if (doc == NULL)
		return opened_badly(err, out);
	page_text(doc, &b);
	if (b.p == NULL || only_space(b.p, b.len)) {
		out->status = FACTS_IMAGE_ONLY;
	} else {
		char *title = poppler_document_get_title(doc);
		out->status = FACTS_READ;
		textfacts_scan(b.p, b.len, out);
		/* the document's Title is often a file name ("Microsoft Word - x.doc"): the page's
		 * heading comes first, the Title only when there is none */
		if (!out->title[0] && title != NULL)
			textfacts_copy_line(out->title, sizeof out->title, title, strlen(title));
		g_free(title);
	}
	free(b.p);
	g_object_unref(doc);
	return 0;
}
