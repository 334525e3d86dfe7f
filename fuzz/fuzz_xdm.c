/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_xdm.c: the XDM metadata reader on arbitrary bytes, and the same bytes as a path for
 * xdm_path_role. Entries stay within the bound, every string ends inside its field, an entry
 * always has a URI and a hash is 40 lower-case hex digits or nothing. */
#include "fuzz.h"

#include "read/xdm.h"

static void check_entry(const struct xdm_entry *e)
{
	FUZZ_REQUIRE_STR(e->id);
	FUZZ_REQUIRE_STR(e->uri);
	FUZZ_REQUIRE(e->uri[0]);
	FUZZ_REQUIRE_STR(e->mime);
	FUZZ_REQUIRE_STR(e->hash);
	FUZZ_REQUIRE(!e->hash[0] || (strlen(e->hash) == 40 && strspn(e->hash, "0123456789abcdef") == 40));
	FUZZ_REQUIRE(e->size >= -1);
	FUZZ_REQUIRE_STR(e->type_code);
	FUZZ_REQUIRE_STR(e->type_scheme);
	FUZZ_REQUIRE_STR(e->class_code);
	FUZZ_REQUIRE_STR(e->title);
	FUZZ_REQUIRE_STR(e->creation_time);
	FUZZ_REQUIRE_STR(e->patient_id);
	FUZZ_REQUIRE_STR(e->source_patient_id);
	FUZZ_REQUIRE_STR(e->who.name);
	FUZZ_REQUIRE_STR(e->who.dob);
	FUZZ_REQUIRE(e->who.nids <= FACTS_MAX_IDS);
	struct doc_facts f;
	xdm_entry_facts(e, &f);
	FUZZ_REQUIRE_STR(f.code);
	FUZZ_REQUIRE_STR(f.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xdm_metadata m;
	int rc = xdm_read_metadata(data, size, &m);
	FUZZ_REQUIRE(rc == 0 || rc == 1);
	if (rc == 0) {
		FUZZ_REQUIRE(m.status == FACTS_READ || m.status == FACTS_DAMAGED);
		FUZZ_REQUIRE(m.status != FACTS_DAMAGED || m.error[0]);
		FUZZ_REQUIRE(m.ndocs <= XDM_MAX_DOCS && m.ndocs <= m.seen);
		FUZZ_REQUIRE(m.ndocs == m.seen || m.ndocs == XDM_MAX_DOCS);
		for (size_t i = 0; i < m.ndocs; i++)
			check_entry(&m.docs[i]);
	}
	char path[512];
	size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
	memcpy(path, data, n);
	path[n] = '\0';
	enum xdm_role role = xdm_path_role(path);
	FUZZ_REQUIRE(role >= XDM_NONE && role <= XDM_FURNITURE);
	return 0;
}
