/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ocrhelper.c: recpack-ocr, the helper program that reads scanned pages for recpack: PDFs
 * whose pages hold no text, photos of pages and fax images, with Tesseract (read/ocr.h,
 * read/pdfscan.c; see cli/readchild.c). Started by recpack only, with READCHILD_ARG, when the
 * first scan or photo comes; never prints. */
#include <stdint.h>
#include <string.h>

#include "cli/readchild.h"
#include "read/ocr.h"
#include "read/pdf.h"

static void read_scan(uint32_t kind, const unsigned char *buf, size_t len, struct doc_facts *out)
{
	if (kind == READCHILD_IMAGE) {
		if (ocr_image_here(buf, len, out) != 0)
			memset(out, 0, sizeof *out); /* not an image after all: nothing found */
	} else {
		pdf_ocr_here(buf, len, out); /* READCHILD_PDF_OCR */
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], READCHILD_ARG) == 0)
		return readchild_main(read_scan);
	return 2; /* not a command: recpack runs it */
}
