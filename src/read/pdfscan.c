/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pdfscan.c: see pdf.h, pdf_ocr_here. A scanned PDF's first pages rendered with cairo and read
 * by OCR (read/ocr.h). Only in the OCR helper, recpack-ocr: the PDF helper, recpack-read, does
 * not load Tesseract, so its start (once per worker, when check or build starts) stays short. */
#include "read/pdf.h"

#include <stdint.h>
#include <stdlib.h>

#include <cairo.h>
#include <glib.h>
#include <poppler.h>

#include "read/ocr.h"
#include "sys/util.h"

/* The page at OCR_DPI, fewer dots when that would pass OCR_MAX_PIXELS, as 8-bit grey. */
static int render_grey(PopplerPage *page, struct ocr_text *t)
{
	double wpt, hpt, dpi = OCR_DPI;
	poppler_page_get_size(page, &wpt, &hpt);
	if (!(wpt > 1 && hpt > 1 && wpt < 14400 && hpt < 14400))
		return -1; /* no real page is larger than 200 inches */
	while (dpi > 10 && wpt * hpt * (dpi / 72) * (dpi / 72) > (double)OCR_MAX_PIXELS)
		dpi *= 0.9;
	int w = (int)(wpt * dpi / 72), h = (int)(hpt * dpi / 72), rc = -1;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72, dpi / 72);
	poppler_page_render_for_printing(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
		const unsigned char *px = cairo_image_surface_get_data(s);
		int stride = cairo_image_surface_get_stride(s);
		unsigned char *grey = xmalloc((size_t)w * (size_t)h);
		for (int y = 0; y < h; y++) {
			const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
			for (int x = 0; x < w; x++) {
				uint32_t p = row[x];
				unsigned r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, bl = p & 0xff;
				grey[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)((r * 77 + g * 150 + bl * 29) >> 8);
			}
		}
		rc = ocr_grey_page(grey, w, h, w, (int)dpi, t);
		free(grey);
	}
	cairo_surface_destroy(s);
	return rc;
}

int pdf_ocr_here(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	struct ocr_text t = { 0 };
	PopplerDocument *doc;
	int rc = pdf_read_here(buf, len, out);
	if (rc != 0 || out->status != FACTS_IMAGE_ONLY)
		return rc;
	if (ocr_ready(t.error, sizeof t.error) == 0 && (doc = pdf_open(buf, len, NULL)) != NULL) {
		int pages = poppler_document_get_n_pages(doc);
		for (int i = 0; i < pages && i < OCR_PAGES_MAX && i < PDF_PAGES_MAX; i++) {
			PopplerPage *page = poppler_document_get_page(doc, i);
			int bad = page == NULL || render_grey(page, &t) != 0;
			if (page != NULL)
				g_object_unref(page);
			if (bad && t.error[0])
				break;
		}
		g_object_unref(doc);
	}
	ocr_finish(&t, FMT_PDF, out);
	return 0;
}
