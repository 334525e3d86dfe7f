/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bagit.c: packet/bagit.c, the tag-file parsing of RFC 8493, on text written here by
 * hand from the RFC: line endings, bagit.txt, character encodings, bag-info.txt with
 * continuation lines, Payload-Oxum, manifests (percent-encoding, duplicates, unsafe paths,
 * case and normalisation collisions, whitespace) and fetch.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/bagit.h"
#include "sys/sha256.h"

#define MD5_A "0cc175b9c0f1b6a831c399e269772661"

/* The notes as "F|W PATH: PROBLEM\n" lines, in one static buffer. */
static const char *shown(const struct bagit_notes *ns)
{
	static char text[8192];
	text[0] = '\0';
	for (size_t i = 0; i < ns->n; i++) {
		size_t len = strlen(text);
		snprintf(text + len, sizeof(text) - len, "%c %s: %s\n", ns->v[i].warning ? 'W' : 'F', ns->v[i].path,
			 ns->v[i].problem);
	}
	return text;
}

static void test_lines(void **state)
{
	(void)state;
	const char text[] = "a\nb\r\nc\rd";
	const char *want[] = { "a", "b", "c", "d" };
	size_t pos = 0, n, k = 0;
	const char *l;
	while (bagit_next_line(text, strlen(text), &pos, &l, &n)) {
		assert_true(k < 4);
		assert_int_equal(n, strlen(want[k]));
		assert_memory_equal(l, want[k], n);
		k++;
	}
	assert_int_equal(k, 4);
	pos = 0;
	assert_int_equal(bagit_next_line("", 0, &pos, &l, &n), 0);
}

static void test_declaration(void **state)
{
	(void)state;
	struct bagit_notes ns = { 0 };
	int major, minor;
	char *enc;
	const char *good = "BagIt-Version: 0.97\r\nTag-File-Character-Encoding: ISO-8859-1\r\n";
	assert_int_equal(bagit_declaration(good, strlen(good), &major, &minor, &enc, &ns), 0);
	assert_int_equal(major, 0);
	assert_int_equal(minor, 97);
	assert_string_equal(enc, "ISO-8859-1");
	assert_int_equal(ns.n, 0);
	free(enc);

	const char *bad[] = {
		"BagIt-Version:1.0\nTag-File-Character-Encoding: UTF-8\n",         /* no space */
		"Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n",        /* order */
		"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nX: y\n",  /* a third line */
		"BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n",        /* version */
		"BagIt-Version: 0.92\nTag-File-Character-Encoding: UTF-8\n",
		"\xEF\xBB\xBF" "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", /* BOM */
		"BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(bagit_declaration(bad[i], strlen(bad[i]), &major, &minor, &enc, &ns), -1);
		assert_null(enc);
		assert_int_equal(ns.n, i + 1);
		assert_false(ns.v[i].warning);
	}
	assert_non_null(strstr(shown(&ns), "BagIt-Version 2.0"));
	assert_non_null(strstr(shown(&ns), "byte-order mark"));
	bagit_notes_free(&ns);
}

static void test_encodings(void **state)
{
	(void)state;
	struct bagit_notes ns = { 0 };
	char *out;
	size_t len;
	assert_int_equal(bagit_to_utf8("bag-info.txt", "Ren\xe9\n", 5, "ISO-8859-1", &out, &len, &ns), 0);
	assert_string_equal(out, "Ren\xc3\xa9\n");
	assert_int_equal(len, 6);
	free(out);
	/* UTF-16 with a little-endian byte-order mark: "é\n" */
	assert_int_equal(bagit_to_utf8("m.txt", "\xff\xfe\xe9\x00\x0a\x00", 6, "UTF-16", &out, &len, &ns), 0);
	assert_string_equal(out, "\xc3\xa9\n");
	free(out);
	assert_int_equal(ns.n, 0);
	/* a UTF-8 byte-order mark is dropped with a warning */
	assert_int_equal(bagit_to_utf8("m.txt", "\xEF\xBB\xBFx", 4, "utf-8", &out, &len, &ns), 0);
	assert_string_equal(out, "x");
	free(out);
	assert_int_equal(ns.n, 1);
	assert_true(ns.v[0].warning);
	/* not UTF-8, and an encoding no one knows: failures */
	assert_int_equal(bagit_to_utf8("m.txt", "\xff\xfe", 2, "UTF-8", &out, &len, &ns), -1);
	assert_int_equal(bagit_to_utf8("m.txt", "x", 1, "X-NONE", &out, &len, &ns), -1);
	assert_int_equal(ns.n, 3);
	assert_false(ns.v[1].warning);
	assert_non_null(strstr(shown(&ns), "X-NONE"));
	bagit_notes_free(&ns);
}

static void test_info(void **state)
{
	(void)state;
	struct bagit_notes ns = { 0 };
	struct bagit_info info = { 0 };
	const char *text = "Source-Organization: Clinique\r\n"
			   "External-Description: a long\r\n"
			   "  description\r\n"
			   "\tgoes on\r\n"
			   "Payload-Oxum: 12.2\n"
			   "no colon here\n"
			   "Contact-Name:Tight\n"
			   "Contact-Name: Second\n";
	bagit_parse_info("bag-info.txt", text, strlen(text), &info, &ns);
	assert_int_equal(info.n, 5);
	assert_string_equal(bagit_info_get(&info, "external-description", NULL), "a long description goes on");
	size_t count;
	assert_string_equal(bagit_info_get(&info, "Contact-Name", &count), "Tight");
	assert_int_equal(count, 2);
	assert_null(bagit_info_get(&info, "Bagging-Date", &count));
	assert_int_equal(count, 0);
	const char *t = shown(&ns);
	assert_non_null(strstr(t, "F bag-info.txt:6: is not a \"Label: value\" line"));
	assert_non_null(strstr(t, "W bag-info.txt:7: has no space after"));
	assert_int_equal(ns.n, 2);

	uint64_t bytes, files;
	assert_int_equal(bagit_parse_oxum(bagit_info_get(&info, "Payload-Oxum", NULL), &bytes, &files), 0);
	assert_true(bytes == 12 && files == 2);
	assert_int_equal(bagit_parse_oxum("12", &bytes, &files), -1);
	assert_int_equal(bagit_parse_oxum("12.x", &bytes, &files), -1);
	assert_int_equal(bagit_parse_oxum("-1.2", &bytes, &files), -1);
	assert_int_equal(bagit_parse_oxum("99999999999999999999.1", &bytes, &files), -1);
	bagit_info_free(&info);
	bagit_notes_free(&ns);
}

static void test_manifest_name(void **state)
{
	(void)state;
	int payload;
	char alg[16];
	assert_true(bagit_manifest_name("manifest-sha512.txt", &payload, alg, sizeof(alg)));
	assert_true(payload);
	assert_string_equal(alg, "sha512");
	assert_true(bagit_manifest_name("tagmanifest-md5.txt", &payload, alg, sizeof(alg)));
	assert_false(payload);
	assert_false(bagit_manifest_name("manifest-.txt", &payload, alg, sizeof(alg)));
	assert_false(bagit_manifest_name("manifest-sha256.txt.bak", &payload, alg, sizeof(alg)));
	assert_false(bagit_manifest_name("data/manifest-md5.txt", &payload, alg, sizeof(alg)));
	assert_false(bagit_manifest_name("manifest-a/b.txt", &payload, alg, sizeof(alg)));
	assert_false(bagit_manifest_name("manifest-averyveryverylongname.txt", &payload, alg, sizeof(alg)));
}

static void parse(struct bagit_manifest *m, const char *name, int payload, const char *text, int pct,
		  struct bagit_notes *ns)
{
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	m->alg = digest_alg("md5");
	m->payload = payload;
	bagit_parse_manifest(m, text, strlen(text), pct, ns);
}

static void test_manifest(void **state)
{
	(void)state;
	struct bagit_notes ns = { 0 };
	struct bagit_manifest m;
	parse(&m, "manifest-md5.txt", 1,
	      MD5_A "  data/b.txt\r\n"
	      MD5_A "\tdata/a file  with spaces.txt \n"
	      "0CC175B9C0F1B6A831C399E269772661 data/100%25 final.txt\n"
	      MD5_A "  data/b.txt\n"                 /* listed twice */
	      MD5_A "  data/../../etc/passwd\n"      /* outside the bag */
	      MD5_A "  /etc/passwd\n"                /* absolute */
	      MD5_A "  bag-info.txt\n"               /* not payload */
	      " " MD5_A "  data/c.txt\n"             /* leading space */
	      "0cc175b9c0f1b6a831c399e26977266  data/d.txt\n" /* 31 digits */
	      MD5_A "\n"                             /* no path */
	      "\n"
	      MD5_A "  data/B.txt\n"                 /* case-only */
	      MD5_A "  data/caf\xc3\xa9.txt\n"       /* NFC */
	      MD5_A "  data/cafe\xcc\x81.txt\n"      /* NFD */
	      MD5_A "  data/line%0Abreak.txt\n",   /* decoded, then refused as a control character */
	      1, &ns);
	const char *t = shown(&ns);
	assert_int_equal(m.n, 6);
	assert_string_equal(m.v[0].path, "data/100% final.txt");
	assert_string_equal(m.v[0].hex, MD5_A); /* lower-cased */
	assert_string_equal(m.v[1].path, "data/B.txt");
	assert_string_equal(m.v[2].path, "data/a file  with spaces.txt ");
	assert_non_null(strstr(t, "F data/b.txt: is listed twice in manifest-md5.txt"));
	assert_non_null(strstr(t, "F data/../../etc/passwd: is listed in manifest-md5.txt under an unsafe name"));
	assert_non_null(strstr(t, "points outside the bag"));
	assert_non_null(strstr(t, "F /etc/passwd: is listed"));
	assert_non_null(strstr(t, "F data/line\nbreak.txt: is listed in manifest-md5.txt under an unsafe name"));
	assert_non_null(strstr(t, "F bag-info.txt: is listed in manifest-md5.txt but is not under data/"));
	assert_non_null(strstr(t, "F manifest-md5.txt:8: is not a"));
	assert_non_null(strstr(t, "F manifest-md5.txt:9: is not a"));
	assert_non_null(strstr(t, "F manifest-md5.txt:10: is not a"));
	assert_non_null(strstr(t, "W manifest-md5.txt:11: is an empty line"));
	assert_non_null(strstr(t, "and data/B.txt (both in manifest-md5.txt) differ only in case"));
	const char *nf = strstr(t, "data/caf\xc3\xa9.txt");
	assert_non_null(nf);
	assert_non_null(strstr(nf - 30, "data/cafe\xcc\x81.txt"));
	assert_non_null(strstr(nf, "differ only in case or Unicode normalisation"));
	bagit_manifest_free(&m);
	bagit_notes_free(&ns);

	/* before 1.0 a % is itself; a tag manifest may list a payload file, with a warning */
	parse(&m, "tagmanifest-md5.txt", 0, MD5_A " data/100%25.txt\n" MD5_A " bagit.txt", 0, &ns);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.v[1].path, "data/100%25.txt");
	assert_int_equal(ns.n, 1);
	assert_true(ns.v[0].warning);
	bagit_manifest_free(&m);
	bagit_notes_free(&ns);
}

static void test_fetch(void **state)
{
	(void)state;
	struct bagit_notes ns = { 0 };
	struct bagit_fetch f = { 0 };
	const char *text = "https://example.org/a.bin 4096 data/a.bin\r\n"
			   "https://example.org/b%20c.bin\t-\tdata/b c.bin\n"
			   "https://example.org/x 12 bag-info.txt\n"
			   "https://example.org/y twelve data/y\n"
			   "https://example.org/z 1\n";
	bagit_parse_fetch(text, strlen(text), 1, &f, &ns);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].url, "https://example.org/a.bin");
	assert_true(f.v[0].length == 4096);
	assert_string_equal(f.v[0].path, "data/a.bin");
	assert_true(f.v[1].length == -1);
	assert_string_equal(f.v[1].path, "data/b c.bin");
	const char *t = shown(&ns);
	assert_non_null(strstr(t, "F bag-info.txt: is listed in fetch.txt but is not under data/"));
	assert_non_null(strstr(t, "F fetch.txt:4: is not a"));
	assert_non_null(strstr(t, "F fetch.txt:5: is not a"));
	bagit_fetch_free(&f);
	bagit_notes_free(&ns);
}

static void test_digests(void **state)
{
	(void)state;
	static const char *const want[DIGEST_ALGS] = {
		"0cc175b9c0f1b6a831c399e269772661",
		"86f7e437faa5a7fce15d1ddcb9eaeaea377667b8",
		"abd37534c7d9a2efb9465de931cd7055ffdb8879563ae98078d6d6d5",
		"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
		"54a59b9f22b0b80880d8427e548b7c23abd873486e1f035dce9cd697e85175033caa88e6d57bc35efae0b5afd3145f31",
		"1f40fc92da241694750979ee6cf582f2d5d7d28e18335de05abc54d0560e0f5302860c652bf08d560252aa5e74210546f369fbbbce8c12cfc7957b2652fe9a75",
	};
	for (int a = 0; a < DIGEST_ALGS; a++) {
		char hex[DIGEST_MAX_HEX + 1];
		struct digest *d = digest_new(a);
		assert_non_null(d);
		assert_int_equal(digest_alg(digest_alg_name(a)), a);
		assert_int_equal(digest_update(d, "a", 1), 0);
		assert_int_equal(digest_final_hex(d, hex), 0);
		assert_int_equal(strlen(hex), digest_hex_len(a));
		assert_string_equal(hex, want[a]);
		digest_free(d);
	}
	assert_int_equal(digest_alg("blake2b"), -1);
	assert_null(digest_new(-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),         cmocka_unit_test(test_declaration),
		cmocka_unit_test(test_encodings),     cmocka_unit_test(test_info),
		cmocka_unit_test(test_manifest_name), cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_fetch),         cmocka_unit_test(test_digests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
