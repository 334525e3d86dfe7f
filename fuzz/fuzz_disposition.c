/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_disposition.c: the Content-Disposition file-name parser (urlname.c) on arbitrary
 * header values, and the name sanitiser on arbitrary names. A name that comes back must be
 * safe to create in a folder: one component, no NUL or control character, no leading dot,
 * bounded. (Move to fuzz/ once src/urlname.c is on the branch.) */
#include "fuzz.h"

#include "sources/urlname.h"
#include "sys/util.h"

static void require_safe_name(const char *name)
{
	size_t n = strlen(name);
	FUZZ_REQUIRE(n > 0 && n <= URLNAME_MAX);
	FUZZ_REQUIRE(name[0] != '.');
	FUZZ_REQUIRE(strchr(name, '/') == NULL && strchr(name, '\\') == NULL);
	for (size_t i = 0; i < n; i++)
		FUZZ_REQUIRE((unsigned char)name[i] >= 0x20 && name[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = xmalloc(size + 1);
	memcpy(value, data, size);
	value[size] = '\0';
	char *name = disposition_filename(value);
	if (name)
		require_safe_name(name);
	free(name);
	name = name_sanitize((const char *)data, size);
	if (name)
		require_safe_name(name);
	free(name);
	free(value);
	return 0;
}
