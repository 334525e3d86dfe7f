/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readhelper.c: recpack-read, the helper program that reads PDFs' text for recpack (see
 * read/pdf.h, Isolation, and cli/readchild.c). It links poppler so that recpack does not, and
 * not Tesseract (recpack-ocr, src/ocrhelper.c, reads scans), so that it starts fast. It is
 * started by recpack only, with READCHILD_ARG, and never prints. */
#include <stdint.h>
#include <string.h>

#include "cli/readchild.h"
#include "read/pdf.h"

static void read_pdf(uint32_t kind, const unsigned char *buf, size_t len, struct doc_facts *out)
{
	(void)kind; /* READCHILD_PDF: the only kind recpack sends here */
	pdf_read_here(buf, len, out);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], READCHILD_ARG) == 0)
		return readchild_main(read_pdf);
	return 2; /* not a command: recpack runs it */
}
