/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ocr.h: the text of scanned pages, photos of pages and fax images, read with Tesseract (its C
 * API, English data from tesseract-ocr-eng) and handed to textfacts like any text document.
 * ocr.c prints nothing and runs only in the helper program recpack-ocr (see read/pdf.h,
 * Isolation), never in recpack itself.
 *
 * Bound: at most OCR_PAGES_MAX pages of a document (a report's title, date and patient are on
 * its first page; three also cover a fax cover sheet), each at most OCR_MAX_PIXELS (a letter
 * page at 300 dpi is 8.4 million), read with one Tesseract thread (the helper sets
 * OMP_THREAD_LIMIT=1: recpack runs one helper per worker thread, so all cores are busy
 * without oversubscribing them). The helper's CPU time, wall time and address space are
 * limited per document (cli/readchild.h). */
#ifndef OCR_H
#define OCR_H

#include <stddef.h>

#include "read/facts.h"
#include "sys/util.h"

#define OCR_PAGES_MAX 3
#define OCR_MAX_PIXELS (40UL * 1000 * 1000)
#define OCR_MIN_PIXELS 100000UL /* smaller images are icons and thumbnails, not pages */
#define OCR_DPI 300
/* Below this mean confidence (0-100) the text is noise, not words: the page counts as unread
 * rather than naming a patient from misread letters. */
#define OCR_MIN_CONFIDENCE 40

/* The text of the pages read so far, and their confidences. */
struct ocr_text {
	struct sbuf text;
	int pages, conf_sum;
	char error[128]; /* why a page could not be read, "" when all were */
};

/* Tesseract set up once in this process: 0, or -1 with why in plain words (e.g. the English
 * data is not installed). */
int ocr_ready(char *why, size_t len);

/* Read one 8-bit grey page (w x h pixels, stride bytes a row, at dpi) into t. 0 or -1. */
int ocr_grey_page(const unsigned char *pix, int w, int h, int stride, int dpi, struct ocr_text *t);

/* The facts of what was read: FACTS_READ with ocr set and the text scanned by textfacts, or
 * FACTS_IMAGE_ONLY when nothing legible was found, with out->error when a page could not be
 * read or was too unclear ("" for a picture with no words). Frees t's text. */
void ocr_finish(struct ocr_text *t, enum facts_format fmt, struct doc_facts *out);

/* An image file (JPEG, PNG, TIFF including multi-page G4 faxes, GIF, WebP, BMP: what leptonica
 * reads; not HEIC) in buf: returns 0 with out filled (as ocr_finish), or 1 when buf is no
 * image leptonica knows. */
int ocr_image_here(const unsigned char *buf, size_t len, struct doc_facts *out);

#endif
