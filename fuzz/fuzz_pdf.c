/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_pdf.c: the PDF reader in-process (pdf_read_here: what the helper child runs) on
 * arbitrary bytes up to 256 KiB. recpack runs it in a child with resource limits; this finds
 * what would make that child fail, and checks what comes back. */
#include "fuzz.h"

#include "read/pdf.h"

#define FUZZ_PDF_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_facts f;
	int rc;
	if (size > FUZZ_PDF_MAX)
		return 0;
	rc = pdf_read_here(data, size, &f);
	FUZZ_REQUIRE(rc == 0 || rc == 1);
	if (rc == 0) {
		FUZZ_REQUIRE(f.format == FMT_PDF);
		FUZZ_REQUIRE(f.status >= FACTS_READ && f.status <= FACTS_DAMAGED);
		FUZZ_REQUIRE_STR(f.title);
		FUZZ_REQUIRE_STR(f.text);
		FUZZ_REQUIRE(f.who.nids <= FACTS_MAX_IDS);
		FUZZ_REQUIRE(f.status != FACTS_READ || f.text[0] != '\0');
	}
	return 0;
}
