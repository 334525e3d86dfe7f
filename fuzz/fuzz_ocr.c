/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_ocr.c: the OCR reader's input handling in-process (ocr_image_here: what the helper
 * child runs for a photo or fax): leptonica's format detection, header bound and decoders
 * (JPEG, PNG, TIFF with its pages, GIF, WebP, BMP) on arbitrary bytes up to 64 KiB, then
 * Tesseract on what decodes. Checks what comes back. */
#include "fuzz.h"

#include "read/ocr.h"

#define FUZZ_OCR_MAX (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_facts f;
	int rc;
	if (size > FUZZ_OCR_MAX)
		return 0;
	rc = ocr_image_here(data, size, &f);
	FUZZ_REQUIRE(rc == 0 || rc == 1);
	if (rc == 0) {
		FUZZ_REQUIRE(f.format == FMT_IMAGE && f.ocr == 1);
		FUZZ_REQUIRE(f.status == FACTS_READ || f.status == FACTS_IMAGE_ONLY);
		FUZZ_REQUIRE(f.ocr_confidence >= 0 && f.ocr_confidence <= 100);
		FUZZ_REQUIRE_STR(f.title);
		FUZZ_REQUIRE_STR(f.text);
		FUZZ_REQUIRE_STR(f.error);
		FUZZ_REQUIRE(f.who.nids <= FACTS_MAX_IDS);
	}
	return 0;
}
