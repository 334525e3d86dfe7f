/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader.c: see reader.h. One switch from sniffed type to reader; the readers themselves
 * live one per format beside it (pdf.c, in its helper process; office.c, text.c, ccda.c, xdm.c, fhir.c). */
#include "read/reader.h"

#include <string.h>

#include "read/ccda.h"
#include "read/fhir.h"
#include "read/office.h"
#include "read/text.h"
#include "read/xmlsafe.h"

int (*reader_pdf)(const unsigned char *buf, size_t len, struct doc_facts *out);
int (*reader_image)(const unsigned char *buf, size_t len, struct doc_facts *out);

void reader_init(void)
{
	xml_safe_init();
}

int reader_wants(const struct sniff_result *s, uint64_t size)
{
	if (size == 0 || size > READER_MAX_BYTES)
		return 0;
	switch (s->type) {
	case T_PDF: case T_DOCX: case T_ODT: case T_TEXT: case T_HTML: case T_XML: case T_JSON:
		return 1;
	case T_JPEG: case T_PNG: case T_TIFF: case T_GIF:
		return reader_image != NULL; /* read by OCR (HEIC and AVIF: leptonica cannot) */
	default:
		return 0; /* DICOM (read from its header by the scan), archives */
	}
}

/* XML: a C-CDA document, or (not one) its text as HTML-like markup is not read: an XDM
 * METADATA.XML and stylesheets are the download's furniture, read with their tree. */
static int read_xml(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	return ccda_read(buf, len, out) == 0;
}

int reader_read(const unsigned char *buf, size_t len, const struct sniff_result *s, struct doc_facts *out)
{
	memset(out, 0, sizeof(*out));
	switch (s->type) {
	case T_PDF:
		if (reader_pdf != NULL)
			reader_pdf(buf, len, out);
		break;
	case T_DOCX: case T_ODT:
		office_read(buf, len, out);
		break;
	case T_TEXT: case T_HTML:
		text_read(buf, len, s->type == T_HTML, out);
		break;
	case T_XML:
		read_xml(buf, len, out);
		break;
	case T_JSON:
		fhir_read(buf, len, out);
		break;
	case T_JPEG: case T_PNG: case T_TIFF: case T_GIF:
		if (reader_image != NULL)
			reader_image(buf, len, out);
		break;
	default:
		break;
	}
	return out->status != FACTS_NONE;
}
