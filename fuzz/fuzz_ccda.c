/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_ccda.c: the C-CDA reader on arbitrary bytes. It answers 1 (not C-CDA) or 0 with
 * facts whose every string ends inside its field, and a damaged status always says why. */
#include "fuzz.h"

#include "read/ccda.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_facts f;
	int rc = ccda_read(data, size, &f);
	FUZZ_REQUIRE(rc == 0 || rc == 1);
	if (rc == 1)
		return 0;
	FUZZ_REQUIRE(f.format == FMT_CCDA);
	FUZZ_REQUIRE(f.status == FACTS_READ || f.status == FACTS_DAMAGED);
	FUZZ_REQUIRE(f.status != FACTS_DAMAGED || f.error[0]);
	FUZZ_REQUIRE_STR(f.code);
	FUZZ_REQUIRE_STR(f.code_system);
	FUZZ_REQUIRE_STR(f.title);
	FUZZ_REQUIRE_STR(f.date);
	FUZZ_REQUIRE_STR(f.text);
	FUZZ_REQUIRE_STR(f.error);
	FUZZ_REQUIRE_STR(f.who.name);
	FUZZ_REQUIRE_STR(f.who.dob);
	FUZZ_REQUIRE(f.who.nids <= FACTS_MAX_IDS);
	for (size_t i = 0; i < f.who.nids; i++)
		FUZZ_REQUIRE(f.who.ids[i][0] && memchr(f.who.ids[i], '\0', sizeof f.who.ids[i]));
	FUZZ_REQUIRE(f.who.patients >= 0 && f.who.patients <= 2);
	return 0;
}
