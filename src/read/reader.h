/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader.h: the one door from a document's bytes to what it says (struct doc_facts): picks
 * the reader for its sniffed type. reader.c does no I/O and allocates nothing; each reader
 * it calls is bounded by the bytes it is handed (at most READER_MAX_BYTES). */
#ifndef READER_H
#define READER_H

#include <stddef.h>
#include <stdint.h>

#include "read/facts.h"
#include "read/sniff.h"

/* The most bytes of one document a reader is handed: larger text documents are not read
 * (their name still classifies them). 32 MiB holds any real report, letter or C-CDA. */
#define READER_MAX_BYTES (32u * 1024 * 1024)

/* Once, on the main thread before any worker reads: the libraries' one-time setup (libxml2
 * 2.9 does not set itself up safely when two threads race to it). */
void reader_init(void);

/* True when a reader wants the whole document (size bytes) for this sniffed type: the scan
 * then keeps the bytes it reads anyway instead of reading the file again. DICOM is read from
 * its header by the scan itself and never asks here. */
int reader_wants(const struct sniff_result *s, uint64_t size);

/* Where a PDF is read: set once by main, before any thread reads, to the helper processes
 * (cli/readchild.c; poppler never runs in recpack itself, see read/pdf.h); unit tests set it
 * to pdf_read_here. NULL: a PDF's text is not read. Same contract as pdf_read_here. */
extern int (*reader_pdf)(const unsigned char *buf, size_t len, struct doc_facts *out);

/* Where an image file (JPEG, PNG, TIFF, GIF: a photo of a page, a fax) is read by OCR: set
 * once by main to the helper processes, or to a function that names it unread (--no-ocr);
 * NULL: images are not read (no helper). Same contract as ocr_image_here (read/ocr.h). */
extern int (*reader_image)(const unsigned char *buf, size_t len, struct doc_facts *out);

/* Read what buf[0..len) says into *out (zeroed first). Returns 1 when a reader found
 * something (out->status is not FACTS_NONE), 0 when not: the caller then drops *out. */
int reader_read(const unsigned char *buf, size_t len, const struct sniff_result *s, struct doc_facts *out);

#endif
