/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_manifest.c: the manifest (INI) parser on arbitrary text. A manifest is either parsed
 * into categories that make sense, or refused with a message; it never crashes or leaks. */
#include "fuzz.h"

#include "rules/manifest.h"
#include "sys/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char err[512] = "";
	struct manifest *m = manifest_parse(text, "fuzz.ini", err, sizeof(err));
	FUZZ_REQUIRE(memchr(err, '\0', sizeof(err)) != NULL);
	if (!m) {
		FUZZ_REQUIRE(err[0] != '\0');
	} else {
		struct strlist facts = { 0 };
		strlist_add(&facts, "surgery");
		for (size_t i = 0; i < m->ncats; i++) {
			const struct category *c = &m->cats[i];
			FUZZ_REQUIRE(c->name != NULL);
			FUZZ_REQUIRE(manifest_category(m, c->name) != NULL);
			(void)category_required(c, &facts);
		}
		strlist_free(&facts);
		manifest_free(m);
	}
	free(text);
	return 0;
}
