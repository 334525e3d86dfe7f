/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_zipout.c: the packet writer gives byte-identical ZIPs with one worker and with
 * several (SOURCE_DATE_EPOCH-style fixed time), hashes what it reads and the packet it writes,
 * and safe names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <zip.h>

#include "packet/safename.h"
#include "packet/zipout.h"
#include "sys/util.h"

#define NFILES 40

static char dir[] = "/tmp/recpack-unit.XXXXXX";
static char *paths[NFILES];
static uint64_t sizes[NFILES];

static int make_files(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	srand(7);
	for (int i = 0; i < NFILES; i++) {
		/* mostly small; one bigger than the in-memory limit; some bigger than the results the
		 * pipeline may hold at once, or than a buffer keeps; some empty-ish and random */
		size_t n = i == 5 ? (9u << 20) : i == 9 ? (3u << 20) : i == 12 ? (3u << 19) : i == 13 ? 700000
			 : (size_t)(rand() % 200000) + (i == 3 ? 0 : 1);
		paths[i] = xasprintf("%s/f%02d", dir, i);
		FILE *f = fopen(paths[i], "wb");
		for (size_t k = 0; k < n; k++)
			fputc(i % 3 == 0 ? rand() & 0xff : "medical records "[k % 16], f);
		fclose(f);
		sizes[i] = n;
	}
	return 0;
}

static int remove_files(void **state)
{
	(void)state;
	for (int i = 0; i < NFILES; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	rmdir(dir);
	return 0;
}

struct run {
	struct zip_item *payload;
	char (*sum)[65];
};

static void hashed_cb(void *arg, size_t index, const char *hex)
{
	struct run *r = arg;
	memcpy(r->sum[index], hex, 65);
}

static int tags_cb(void *arg, struct zip_item *tags, size_t ntags, char *errbuf, size_t errlen)
{
	struct run *r = arg;
	(void)errbuf, (void)errlen;
	struct sbuf b = { 0 };
	for (int i = 0; i < NFILES; i++)
		sbuf_printf(&b, "%s  %s\n", r->sum[i], r->payload[i].name);
	size_t len;
	char *text = sbuf_take(&b, &len);
	for (size_t i = 0; i < ntags; i++) {
		tags[i].data = (const unsigned char *)text;
		tags[i].len = len;
	}
	static char *keep;
	free(keep);
	keep = text;
	return 0;
}

/* Each item's SHA-256, as zipout reports it: one set per payload array a test uses. */
static char sums[2][NFILES][65];

static char *write_zip_ex(int jobs, int level, int durable, struct zip_item *payload, char (*sum)[65], char sha[65])
{
	struct zip_item tag = { .name = "bag/manifest-sha256.txt" };
	for (int i = 0; i < NFILES; i++) {
		memset(&payload[i], 0, sizeof(payload[i]));
		payload[i].name = paths[i] + strlen(dir) + 1;
		payload[i].path = paths[i];
		payload[i].size = sizes[i];
		sum[i][0] = '\0';
		payload[i].store = i == 7;
	}
	char *out = xasprintf("%s/out-%d-%d-%d.zip", dir, jobs, level, durable);
	char err[256];
	struct run r = { payload, sum };
	struct zipout_opts o = { .jobs = jobs, .level = level, .mtime = 1767225600, .make_tags = tags_cb,
				 .tags_arg = &r, .hashed = hashed_cb, .hashed_arg = &r, .sha256_out = sha,
				 .durable = durable };
	assert_int_equal(zipout_write(out, payload, NFILES, &tag, 1, &o, err, sizeof(err)), 0);
	return out;
}

static char *write_zip(int jobs, struct zip_item *payload, char (*sum)[65])
{
	return write_zip_ex(jobs, 6, 0, payload, sum, NULL);
}

static void file_sha(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536], md[32];
	size_t n;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	fclose(f);
	hex_encode(md, 32, hex);
}

static void test_parallel_equals_single(void **state)
{
	(void)state;
	struct zip_item a[NFILES], b[NFILES];
	char *one = write_zip(1, a, sums[0]), *two = write_zip(2, b, sums[1]), *four = write_zip(4, b, sums[1]);
	char h1[65], h2[65], h4[65];
	file_sha(one, h1);
	file_sha(two, h2);
	file_sha(four, h4);
	assert_string_equal(h1, h2);
	assert_string_equal(h1, h4);
	for (int i = 0; i < NFILES; i++) {
		char want[65];
		file_sha(paths[i], want);
		assert_string_equal(sums[0][i], want); /* hashed from the bytes written */
		assert_string_equal(sums[1][i], want);
	}
	unlink(one), unlink(two), unlink(four);
	free(one), free(two), free(four);
}

/* The packet's SHA-256 for the sidecar is taken as libzip writes it (zipsink), with libzip
 * going back to rewrite each local header: it must be the hash of the file as it ends up,
 * stored or deflated, with the big streamed entry whose header is rewritten once on file. */
static void test_packet_hash_as_written(void **state)
{
	(void)state;
	struct zip_item a[NFILES];
	for (int level = 0; level <= 6; level += 6) {
		for (int jobs = 1; jobs <= 2; jobs++) {
			char got[65] = "", want[65];
			char *out = write_zip_ex(jobs, level, jobs == 2, a, sums[0], got);
			file_sha(out, want);
			assert_string_equal(got, want);
			unlink(out);
			free(out);
		}
	}
}

/* Every entry reads back (with libzip) as the bytes of its file, stored or deflated, at any
 * number of workers: buffers are reused from item to item. */
static void test_entries_read_back(void **state)
{
	(void)state;
	struct zip_item a[NFILES];
	for (int jobs = 1; jobs <= 3; jobs += 2) {
		for (int level = 0; level <= 1; level++) {
			char *out = write_zip_ex(jobs, level, 0, a, sums[0], NULL);
			zip_t *za = zip_open(out, ZIP_RDONLY, NULL);
			assert_non_null(za);
			for (int i = 0; i < NFILES; i++) {
				zip_file_t *zf = zip_fopen(za, a[i].name, 0);
				FILE *f = fopen(paths[i], "rb");
				assert_non_null(zf);
				assert_non_null(f);
				unsigned char want[65536], got[65536];
				size_t n, total = 0;
				while ((n = fread(want, 1, sizeof(want), f)) > 0) {
					assert_int_equal(zip_fread(zf, got, n), (zip_int64_t)n);
					assert_memory_equal(got, want, n);
					total += n;
				}
				assert_int_equal(zip_fread(zf, got, 1), 0);
				assert_true(total == sizes[i]);
				fclose(f);
				zip_fclose(zf);
			}
			zip_discard(za);
			unlink(out);
			free(out);
		}
	}
}

unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);

/* src/packet/crc32.c stands in for zlib's crc32() (libzip's CRC of stored entries): same values. */
static void test_crc32_is_zlibs(void **state)
{
	(void)state;
	const unsigned char *check = (const unsigned char *)"123456789";
	assert_int_equal(crc32(0, NULL, 0), 0);
	assert_int_equal(crc32(0, check, 9), 0xCBF43926UL); /* the CRC-32 check value */
	assert_int_equal(crc32(crc32(0, check, 4), check + 4, 5), 0xCBF43926UL);
	assert_int_equal(crc32(0, check, 0), 0);
}

static void test_missing_file_fails(void **state)
{
	(void)state;
	struct zip_item it = { .name = "x", .path = "/nonexistent/recpack", .size = 10 };
	struct zipout_opts o = { .jobs = 2, .level = 6, .mtime = 1767225600 };
	char err[256] = "";
	char *out = xasprintf("%s/bad.zip", dir);
	assert_int_equal(zipout_write(out, &it, 1, NULL, 0, &o, err, sizeof(err)), 3);
	assert_non_null(strstr(err, "/nonexistent/recpack"));
	unlink(out);
	free(out);
}

static void check_name(const char *in, const char *want)
{
	char *got = safename_component(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_safe_names(void **state)
{
	(void)state;
	check_name("Report: final?.pdf", "Report_ final_.pdf");
	check_name("notes. ", "notes");
	check_name("CON.pdf", "_CON.pdf");
	check_name("lpt1", "_lpt1");
	check_name("...", "_");
	check_name("Me\xcc\x81" "dicaments.pdf", "M\xc3\xa9" "dicaments.pdf"); /* NFD -> NFC */
	check_name("bad\xff" "byte", "bad\xc3\xbf" "byte"); /* not UTF-8: taken as Latin-1 */
	check_name("a\\b|c\"d<e>f*g", "a_b_c_d_e_f_g");
}

static void test_nameset_unique_ignoring_case(void **state)
{
	(void)state;
	struct nameset s = { 0 };
	char *a = nameset_claim_file(&s, "data/x/Report.pdf");
	char *b = nameset_claim_file(&s, "data/x/REPORT.pdf");
	char *c = nameset_claim_file(&s, "data/x/report.pdf");
	char *d = nameset_claim_dir(&s, "data/x/Report.pdf");
	char *e = nameset_claim_file(&s, "data/X");
	assert_string_equal(a, "data/x/Report.pdf");
	assert_string_equal(b, "data/x/REPORT (2).pdf");
	assert_string_equal(c, "data/x/report (3).pdf");
	assert_string_equal(d, "data/x/Report.pdf (2)");
	assert_string_equal(e, "data/X (2)"); /* a folder "data/x" exists */
	free(a), free(b), free(c), free(d), free(e);
	nameset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parallel_equals_single),
		cmocka_unit_test(test_packet_hash_as_written),
		cmocka_unit_test(test_entries_read_back),
		cmocka_unit_test(test_crc32_is_zlibs),
		cmocka_unit_test(test_missing_file_fails),
		cmocka_unit_test(test_safe_names),
		cmocka_unit_test(test_nameset_unique_ignoring_case),
	};
	return cmocka_run_group_tests(tests, make_files, remove_files);
}
