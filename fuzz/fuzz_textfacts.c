/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_textfacts.c: textfacts_scan on arbitrary bytes, and text_read on them as plain text and
 * as HTML: every field stays a NUL-terminated string in its array, counts in range. */
#include "fuzz.h"

#include "read/text.h"
#include "read/textfacts.h"

static void check(const struct doc_facts *f)
{
	FUZZ_REQUIRE_STR(f->title);
	FUZZ_REQUIRE_STR(f->date);
	FUZZ_REQUIRE_STR(f->text);
	FUZZ_REQUIRE_STR(f->error);
	FUZZ_REQUIRE_STR(f->who.name);
	FUZZ_REQUIRE_STR(f->who.dob);
	FUZZ_REQUIRE(f->who.nids <= FACTS_MAX_IDS);
	for (size_t i = 0; i < f->who.nids; i++)
		FUZZ_REQUIRE_STR(f->who.ids[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_facts f;
	memset(&f, 0, sizeof f);
	textfacts_scan((const char *)data, size, &f);
	check(&f);
	if (text_read(data, size, 0, &f) == 0)
		check(&f);
	if (text_read(data, size, 1, &f) == 0)
		check(&f);
	return 0;
}
