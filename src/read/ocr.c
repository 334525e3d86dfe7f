/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ocr.c: see ocr.h. */
#include "read/ocr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "read/factsput.h"
#include "read/textfacts.h"

/* One Tesseract per process: the helper reads one document at a time, and loading the
 * English model (tens of MB) once per helper, not once per page, is what keeps OCR cheap. */
static TessBaseAPI *api;
static int api_failed;

int ocr_ready(char *why, size_t len)
{
	if (api == NULL && !api_failed) {
		setMsgSeverity(L_SEVERITY_NONE); /* leptonica would print to stderr */
		api = TessBaseAPICreate();
		if (api != NULL && TessBaseAPIInit2(api, NULL, "eng", OEM_LSTM_ONLY) != 0) {
			TessBaseAPIDelete(api);
			api = NULL;
		}
		if (api != NULL) {
			/* a report's header is rows of labels ("Patient: DOE, JANE    DOB: ..."): read
			 * the page as one block of lines, keeping the wide gaps that textfacts takes for
			 * cell boundaries (page layout analysis splits such rows into columns) */
			TessBaseAPISetVariable(api, "debug_file", "/dev/null");
			TessBaseAPISetVariable(api, "preserve_interword_spaces", "1");
			TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
		}
		api_failed = api == NULL;
	}
	if (api == NULL)
		snprintf(why, len, "the English OCR data (tesseract-ocr-eng) is not installed, so scanned "
			 "pages cannot be read");
	return api ? 0 : -1;
}

static int recognise(int dpi, struct ocr_text *t)
{
	char *s;
	if (dpi >= 70 && dpi <= 2400)
		TessBaseAPISetSourceResolution(api, dpi);
	if (TessBaseAPIRecognize(api, NULL) != 0 || (s = TessBaseAPIGetUTF8Text(api)) == NULL) {
		TessBaseAPIClear(api);
		snprintf(t->error, sizeof t->error, "the scanned page could not be read");
		return -1;
	}
	size_t n = strlen(s);
	if (n > TEXTFACTS_SCAN_MAX - t->text.len)
		n = TEXTFACTS_SCAN_MAX - t->text.len;
	sbuf_put(&t->text, s, n);
	sbuf_put(&t->text, "\n\f", 2);
	TessDeleteText(s);
	t->conf_sum += TessBaseAPIMeanTextConf(api);
	t->pages++;
	TessBaseAPIClear(api);
	return 0;
}

static int too_big(int w, int h, struct ocr_text *t)
{
	if (w > 0 && h > 0 && (unsigned long)w * (unsigned long)h <= OCR_MAX_PIXELS)
		return 0;
	snprintf(t->error, sizeof t->error, "the scanned page is too large to read (%d x %d pixels)", w, h);
	return 1;
}

int ocr_grey_page(const unsigned char *pix, int w, int h, int stride, int dpi, struct ocr_text *t)
{
	if (ocr_ready(t->error, sizeof t->error) != 0 || too_big(w, h, t) || stride < w)
		return -1;
	if (t->pages >= OCR_PAGES_MAX || t->text.len >= TEXTFACTS_SCAN_MAX)
		return 0;
	TessBaseAPISetImage(api, pix, w, h, 1, stride);
	return recognise(dpi, t);
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] > ' ')
			return 0;
	return 1;
}

void ocr_finish(struct ocr_text *t, enum facts_format fmt, struct doc_facts *out)
{
	int conf = t->pages ? t->conf_sum / t->pages : 0;
	memset(out, 0, sizeof *out);
	out->format = fmt;
	out->ocr = 1;
	out->ocr_confidence = conf < 0 ? 0 : conf > 100 ? 100 : conf;
	if (t->pages == 0 || t->text.p == NULL || is_blank(t->text.p, t->text.len)) {
		/* no words: a photo of something else, not a page; unread, but not worth a warning
		 * unless a page could not be read */
		out->status = FACTS_IMAGE_ONLY;
		facts_puts(out->error, sizeof out->error, t->error);
	} else if (conf < OCR_MIN_CONFIDENCE) {
		out->status = FACTS_IMAGE_ONLY;
		snprintf(out->error, sizeof out->error,
			 "the scanned page is too unclear to read (OCR confidence %d%%)", conf);
	} else {
		out->status = FACTS_READ;
		textfacts_scan(t->text.p, t->text.len, out);
	}
	free(t->text.p);
	memset(&t->text, 0, sizeof t->text);
}

/* ---- image files ---- */

static int is_tiff(l_int32 format)
{
	return format == IFF_TIFF || format == IFF_TIFF_PACKBITS || format == IFF_TIFF_RLE ||
	       format == IFF_TIFF_G3 || format == IFF_TIFF_G4 || format == IFF_TIFF_LZW ||
	       format == IFF_TIFF_ZIP || format == IFF_TIFF_JPEG;
}

/* One page as Tesseract reads it best: 1-bit (a fax) as is, anything else as 8-bit grey. */
static int read_pix(PIX *pix, struct ocr_text *t)
{
	PIX *grey;
	int rc;
	if (too_big(pixGetWidth(pix), pixGetHeight(pix), t))
		return -1;
	grey = pixGetDepth(pix) == 1 ? pixClone(pix) : pixConvertTo8(pix, 0);
	if (grey == NULL) {
		snprintf(t->error, sizeof t->error, "the image could not be converted for reading");
		return -1;
	}
	TessBaseAPISetImage2(api, grey);
	rc = recognise(pixGetYRes(grey) > 0 ? pixGetYRes(grey) : pixGetXRes(grey), t);
	pixDestroy(&grey);
	return rc;
}

int ocr_image_here(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	struct ocr_text t = { 0 };
	l_int32 format = IFF_UNKNOWN, w = 0, h = 0, bps, spp, cmap;
	memset(out, 0, sizeof *out);
	if (buf == NULL || len < 12 || findFileFormatBuffer(buf, &format) != 0 || format == IFF_UNKNOWN ||
	    format == IFF_PS || format == IFF_LPDF || format == IFF_SPIX)
		return 1;
	/* the header's size first: nothing is decoded past the bound */
	if (pixReadHeaderMem(buf, len, &format, &w, &h, &bps, &spp, &cmap) != 0) {
		snprintf(t.error, sizeof t.error, "the image is damaged: it could not be opened");
	} else if ((unsigned long)w * (unsigned long)h < OCR_MIN_PIXELS) {
		; /* an icon or a thumbnail (a disc viewer's furniture), not a page: not read */
	} else if (!too_big(w, h, &t) && ocr_ready(t.error, sizeof t.error) == 0) {
		for (int i = 0; i < OCR_PAGES_MAX && t.text.len < TEXTFACTS_SCAN_MAX; i++) {
			PIX *pix = is_tiff(format) ? pixReadMemTiff(buf, len, i) : pixReadMem(buf, len);
			if (pix == NULL) {
				if (i == 0)
					snprintf(t.error, sizeof t.error, "the image is damaged: it could not be decoded");
				break;
			}
			int rc = read_pix(pix, &t);
			pixDestroy(&pix);
			if (rc != 0 || !is_tiff(format))
				break; /* only a TIFF has more pages */
		}
	}
	ocr_finish(&t, FMT_IMAGE, out);
	return 0;
}
