/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pdf.h: a PDF's text to facts, with poppler-glib: the text of its first PDF_PAGES_MAX pages
 * (at most TEXTFACTS_SCAN_MAX bytes) handed to textfacts. pdf.c reads only the bytes it is
 * handed (no copy), silences poppler's and glib's messages, and prints nothing.
 *
 * Bound: the title, date and patient labels of a report are in the header of its first page;
 * three pages also cover a fax or portal cover sheet before it, and 64 KiB of text is what
 * textfacts reads. Later pages are never laid out, so a 500-page PDF costs what 3 pages cost.
 *
 * Isolation: poppler is a large C++ parser fed bytes a stranger controls; a crash, a runaway
 * loop or a huge allocation in it must not take recpack (and a half-written packet) down.
 * So recpack never runs it: a helper program does, recpack-read (src/readhelper.c), started
 * by cli/readchild.c with posix_spawn under RLIMIT_AS, RLIMIT_CPU and a per-document alarm,
 * its bytes handed over a socket. Children are kept and reused, so a folder of PDFs costs one
 * exec per worker thread, not one per file (pdftotext in a loop pays one per file), and they
 * are started when check or build starts, so their start overlaps the walk. recpack itself
 * does not link poppler (nor its cairo, NSS, lcms and X libraries): that halves the start-up
 * of every command (19 ms instead of 37 ms on the bench machine). recpack-read does not link
 * Tesseract either: a PDF that turns out to be a scan goes on to the OCR helper, recpack-ocr
 * (src/ocrhelper.c, pdfscan.c and ocr.c), started only when a scan or photo comes; loading
 * Tesseract and leptonica's image libraries tripled the PDF helper's start (60 ms instead of
 * 20), paid by every check of a folder with a PDF in it. Unit tests and fuzzing call
 * pdf_read_here in-process. */
#ifndef PDF_H
#define PDF_H

#include <stddef.h>

#include "read/facts.h"

#define PDF_PAGES_MAX 3

/* In this process (the helper's, a unit test's or a fuzzer's): returns 0 with out filled
 * when buf is a PDF: FACTS_READ; FACTS_IMAGE_ONLY when its first pages hold no text (a scan);
 * FACTS_ENCRYPTED (needs a password to open); FACTS_DAMAGED with out->error. Returns 1 when
 * buf is not a PDF (no "%PDF-" in its first 1024 bytes). */
int pdf_read_here(const unsigned char *buf, size_t len, struct doc_facts *out);

/* poppler's document over buf (not copied: buf must outlive it), or NULL with *err set when
 * err is not NULL. For pdfscan.c. */
struct _GError;
struct _PopplerDocument *pdf_open(const unsigned char *buf, size_t len, struct _GError **err);

/* The same, and when the first pages hold no text (a scan, a fax), those pages rendered with
 * cairo at OCR_DPI in grey and read by OCR (read/ocr.h): FACTS_READ with out->ocr set, or
 * still FACTS_IMAGE_ONLY with out->error saying why. In pdfscan.c, in the OCR helper only. */
int pdf_ocr_here(const unsigned char *buf, size_t len, struct doc_facts *out);

#endif
