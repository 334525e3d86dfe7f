/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_office.c: office_read (DOCX/ODT: a ZIP in memory, XML inside) on arbitrary bytes. */
#include "fuzz.h"

#include "read/office.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_facts f;
	int rc = office_read(data, size, &f);
	FUZZ_REQUIRE(rc == 0 || rc == 1);
	if (rc == 0) {
		FUZZ_REQUIRE(f.format == FMT_DOCX || f.format == FMT_ODT);
		FUZZ_REQUIRE(f.status >= FACTS_READ && f.status <= FACTS_DAMAGED);
		FUZZ_REQUIRE_STR(f.title);
		FUZZ_REQUIRE_STR(f.text);
		FUZZ_REQUIRE_STR(f.who.name);
		FUZZ_REQUIRE(f.who.nids <= FACTS_MAX_IDS);
		FUZZ_REQUIRE(f.status != FACTS_DAMAGED || f.error[0] != '\0');
	}
	return 0;
}
