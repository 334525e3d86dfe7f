/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bagprofile.c: packet/bagprofile.c judges a bag's facts against BagIt Profiles (spec
 * 1.4) written here: a bag that meets the profile has no note, and each rule broken (Bag-Info
 * required, values, repeatable; manifests required and allowed; fetch.txt; Data-Empty;
 * serialization; BagIt versions; tag and payload files) is one failure naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "packet/bagprofile.h"
#include "sys/rp.h"

static const char *const sha256[] = { "sha256" };
static const char *const md5[] = { "md5" };
static const char *const tags[] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt", "README.txt" };
static const char *const payload[] = { "data/a.pdf", "data/b.pdf" };

static struct bagit_info info;

static void facts(struct bag_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->major = 1;
	f->info = &info;
	f->manifests = sha256;
	f->nmanifests = 1;
	f->tagmanifests = sha256;
	f->ntagmanifests = 1;
	f->tagfiles = tags;
	f->ntagfiles = 4;
	f->payload = payload;
	f->npayload = 2;
	f->payload_bytes = 10;
	f->serialization = "application/zip";
}

static const char *judge(const char *profile, const struct bag_facts *f, size_t *n)
{
	static char text[4096];
	struct bagit_notes ns = { 0 };
	json_t *p = json_loads(profile, 0, NULL);
	assert_non_null(p);
	bagprofile_check(p, f, &ns);
	json_decref(p);
	text[0] = '\0';
	for (size_t i = 0; i < ns.n; i++) {
		size_t len = strlen(text);
		assert_false(ns.v[i].warning);
		snprintf(text + len, sizeof(text) - len, "%s: %s\n", ns.v[i].path, ns.v[i].problem);
	}
	*n = ns.n;
	bagit_notes_free(&ns);
	return text;
}

#define PROFILE                                                                                              \
	"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": \"urn:t\"},"                                   \
	" \"Bag-Info\": {\"Source-Organization\": {\"required\": true, \"values\": [\"A\", \"B\"],"             \
	"                \"repeatable\": false}, \"Contact-Phone\": {\"required\": false}},"                    \
	" \"Manifests-Required\": [\"sha256\"], \"Manifests-Allowed\": [\"sha256\", \"sha512\"],"              \
	" \"Tag-Manifests-Required\": [\"sha256\"], \"Allow-Fetch.txt\": false,"                                \
	" \"Serialization\": \"required\", \"Accept-Serialization\": [\"application/zip\"],"                   \
	" \"Accept-BagIt-Version\": [\"1.0\"], \"Tag-Files-Required\": [\"README.txt\"],"                      \
	" \"Tag-Files-Allowed\": [\"README*\"], \"Payload-Files-Required\": [\"data/a.pdf\"],"                  \
	" \"Payload-Files-Allowed\": [\"data/*.pdf\"]}"

static void test_meets(void **state)
{
	(void)state;
	struct bag_facts f;
	size_t n;
	memset(&info, 0, sizeof(info));
	struct bagit_notes ns = { 0 };
	bagit_parse_info("bag-info.txt", "Source-Organization: B\n", strlen("Source-Organization: B\n"), &info, &ns);
	facts(&f);
	const char *t = judge(PROFILE, &f, &n);
	if (n)
		fail_msg("a bag that meets the profile: %s", t);
	bagit_info_free(&info);
	bagit_notes_free(&ns);
}

static void test_breaks(void **state)
{
	(void)state;
	struct bag_facts f;
	size_t n;
	struct bagit_notes ns = { 0 };
	const char *text = "Source-Organization: C\nSource-Organization: A\n";
	memset(&info, 0, sizeof(info));
	bagit_parse_info("bag-info.txt", text, strlen(text), &info, &ns);
	facts(&f);
	f.major = 0, f.minor = 97;
	f.manifests = md5;
	f.has_fetch = 1;
	f.serialization = "application/x-tar";
	const char *const more_tags[] = { "bagit.txt", "manifest-md5.txt", "notes.txt" };
	f.tagfiles = more_tags;
	f.ntagfiles = 3;
	const char *const more_payload[] = { "data/b.pdf", "data/c.txt" };
	f.payload = more_payload;
	const char *t = judge(PROFILE, &f, &n);
	const char *want[] = {
		"bagit.txt: declares BagIt-Version 0.97",
		"bag-info.txt: has Source-Organization 2 times",
		"bag-info.txt: has Source-Organization \"C\", which is not one of the values",
		"profile: requires manifest-sha256.txt",
		"profile: does not allow manifest-md5.txt",
		"fetch.txt: is not allowed by the profile",
		"profile: does not accept the serialization application/x-tar",
		"README.txt: is missing; the profile requires it",
		"notes.txt: is not allowed by the profile's Tag-Files-Allowed",
		"data/a.pdf: is missing; the profile requires it",
		"data/c.txt: is not allowed by the profile's Payload-Files-Allowed",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (!strstr(t, want[i]))
			fail_msg("no \"%s\" in:\n%s", want[i], t);
	assert_int_equal(n, sizeof(want) / sizeof(*want));

	/* a folder where a serialization is required; Data-Empty */
	facts(&f);
	f.serialization = NULL;
	t = judge("{\"BagIt-Profile-Info\": {}, \"Serialization\": \"required\", \"Data-Empty\": true}", &f, &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(t, "requires a serialized bag"));
	assert_non_null(strstr(t, "data/: holds 2 files"));
	bagit_info_free(&info);
	bagit_notes_free(&ns);
}

static void test_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/recpack-unit.XXXXXX", path[64], err[512];
	json_t *p;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.json", dir);
	assert_int_equal(bagprofile_load(path, &p, err, sizeof(err)), RP_ESOURCE);
	FILE *fp = fopen(path, "w");
	fputs("{\"Accept-BagIt-Version\": [\"1.0\"]}", fp);
	fclose(fp);
	assert_int_equal(bagprofile_load(path, &p, err, sizeof(err)), RP_EUSAGE);
	assert_non_null(strstr(err, "not a BagIt profile"));
	fp = fopen(path, "w");
	fputs("{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": \"urn:x\"}}", fp);
	fclose(fp);
	assert_int_equal(bagprofile_load(path, &p, err, sizeof(err)), RP_OK);
	json_decref(p);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meets),
		cmocka_unit_test(test_breaks),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
