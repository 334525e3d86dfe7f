/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_bagit.c: the tag-file parsing of packet/bagit.c on arbitrary bytes: bagit.txt, the
 * encodings (UTF-8, ISO-8859-1, UTF-16), bag-info.txt, a payload and a tag manifest (with and
 * without percent-encoding), fetch.txt. Never a crash or a leak; every note has a path and a
 * problem; a manifest's paths come out sorted, unique, safe and, for a payload manifest,
 * under data/. */
#include "fuzz.h"

#include <string.h>

#include "packet/bagit.h"
#include "packet/packetread.h"
#include "sys/sha256.h"

static void check_notes(const struct bagit_notes *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		FUZZ_REQUIRE(ns->v[i].path != NULL && ns->v[i].problem != NULL);
}

static void manifest(const char *text, size_t len, int alg, int payload, int pct, struct bagit_notes *ns)
{
	struct bagit_manifest m = { .name = strdup(payload ? "manifest-x.txt" : "tagmanifest-x.txt"), .alg = alg,
				    .payload = payload };
	bagit_parse_manifest(&m, text, len, pct, ns);
	for (size_t i = 0; i < m.n; i++) {
		FUZZ_REQUIRE(packetread_path_safe(m.v[i].path));
		FUZZ_REQUIRE(!payload || strncmp(m.v[i].path, "data/", 5) == 0);
		FUZZ_REQUIRE(strlen(m.v[i].hex) == digest_hex_len(alg));
		FUZZ_REQUIRE(i == 0 || strcmp(m.v[i - 1].path, m.v[i].path) < 0);
	}
	bagit_manifest_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = { "UTF-8", "ISO-8859-1", "UTF-16" };
	struct bagit_notes ns = { 0 };
	struct bagit_info info = { 0 };
	struct bagit_fetch fetch = { 0 };
	const char *text = (const char *)data;
	int major, minor;
	char *enc = NULL, *u = NULL;
	size_t ulen;
	if (bagit_declaration(text, size, &major, &minor, &enc, &ns) == 0)
		FUZZ_REQUIRE(enc != NULL && (major == 1 || (major == 0 && minor >= 93)));
	free(enc);
	for (size_t e = 0; e < 3; e++) {
		if (bagit_to_utf8("m.txt", text, size, encodings[e], &u, &ulen, &ns) < 0)
			continue;
		FUZZ_REQUIRE(u != NULL && strlen(u) <= ulen);
		bagit_parse_info("bag-info.txt", u, ulen, &info, &ns);
		uint64_t b, c;
		const char *oxum = bagit_info_get(&info, "Payload-Oxum", NULL);
		if (oxum)
			(void)bagit_parse_oxum(oxum, &b, &c);
		bagit_info_free(&info);
		manifest(u, ulen, (int)(size % DIGEST_ALGS), 1, 1, &ns);
		manifest(u, ulen, 0, 0, 0, &ns);
		bagit_parse_fetch(u, ulen, (int)(size & 1), &fetch, &ns);
		for (size_t i = 0; i < fetch.n; i++)
			FUZZ_REQUIRE(fetch.v[i].length >= -1 && strncmp(fetch.v[i].path, "data/", 5) == 0);
		bagit_fetch_free(&fetch);
		free(u);
	}
	check_notes(&ns);
	bagit_notes_free(&ns);
	return 0;
}
