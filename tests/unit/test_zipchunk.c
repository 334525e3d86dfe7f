/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_zipchunk.c: a big file deflated in chunks on several threads is one deflate stream that
 * zlib (not our code) inflates back to the file's bytes, the same bytes at any number of
 * threads, with the file's CRC-32 and SHA-256; a file that shrinks is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <libdeflate.h>
#include <zlib.h>

#include "packet/zipchunk.h"
#include "sys/sha256.h"

/* Bytes of several kinds: text, noise, runs, and 16-bit samples like a CT slice's. */
static unsigned char *make_data(size_t n, unsigned seed)
{
	unsigned char *p = malloc(n);
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		switch ((i / 300000) % 4) {
		case 0: p[i] = (unsigned char)"patient records, pathology "[i % 27]; break;
		case 1: p[i] = (unsigned char)(x >> 16); break;
		case 2: p[i] = 0; break;
		default: p[i] = i & 1 ? (unsigned char)((x >> 29) & 3) : (unsigned char)(x >> 24); break;
		}
	}
	return p;
}

/* zlib inflates what s holds (len bytes) into exactly want bytes. */
static void assert_inflates_to(const unsigned char *s, size_t len, const unsigned char *want, size_t n)
{
	unsigned char *back = malloc(n + 1);
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, -15), Z_OK);
	z.next_in = (unsigned char *)s, z.avail_in = (uInt)len;
	z.next_out = back, z.avail_out = (uInt)n + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, n);
	assert_int_equal(z.avail_in, 0); /* nothing after the final block */
	assert_memory_equal(back, want, n);
	inflateEnd(&z);
	free(back);
}

/* Pieces made by zipchunk_unfinal, put one after another, are one stream, at every level. */
static void test_pieces_join(void **state)
{
	(void)state;
	size_t n = 2500000, piece = 700001;
	unsigned char *data = make_data(n, 1);
	int levels[] = { 1, 6, 12 };
	for (size_t l = 0; l < 3; l++) {
		struct libdeflate_compressor *c = libdeflate_alloc_compressor(levels[l]);
		size_t cap = libdeflate_deflate_compress_bound(c, piece) + 32;
		unsigned char *all = malloc(n * 2), *tmp = malloc(cap);
		size_t len = 0;
		for (size_t off = 0; off < n; off += piece) {
			size_t m = n - off < piece ? n - off : piece;
			size_t cl = libdeflate_deflate_compress(c, data + off, m, tmp, cap - 32);
			assert_true(cl > 0);
			memset(tmp + cl, 0, 32);
			size_t fb, e;
			assert_int_equal(zipchunk_final_block(tmp, cl, &fb, &e), 0);
			assert_true(e <= cl * 8 && e > cl * 8 - 8 && fb < e);
			if (off + m < n)
				cl = zipchunk_unfinal(tmp, cl);
			assert_true(cl > 0);
			memcpy(all + len, tmp, cl);
			len += cl;
		}
		assert_inflates_to(all, len, data, n);
		free(all);
		free(tmp);
		libdeflate_free_compressor(c);
	}
	free(data);
}

/* Streams that are not deflate are refused, not walked past their end. */
static void test_garbage_refused(void **state)
{
	(void)state;
	unsigned char s[64] = { 0 };
	size_t fb, e;
	s[0] = 0x07; /* final, reserved block type 3 */
	assert_int_equal(zipchunk_final_block(s, 1, &fb, &e), -1);
	memset(s, 0, sizeof(s)); /* a stored block whose length does not match its complement */
	assert_int_equal(zipchunk_final_block(s, 8, &fb, &e), -1);
	assert_int_equal(zipchunk_final_block(s, 0, &fb, &e), -1);
}

/* Two streams walked in step find what each finds alone: streams of every kind (stored,
 * fixed and dynamic blocks) and length, so that either one ends first. */
static void test_pair_walk(void **state)
{
	(void)state;
	size_t sizes[] = { 1, 300, 70000, 600000 };
	int levels[] = { 0, 1, 6 };
	unsigned char *s[12];
	size_t len[12], fb[12], eb[12], ns = 0;
	unsigned char *data = make_data(600000, 3);
	for (size_t l = 0; l < 3; l++) {
		struct libdeflate_compressor *c = libdeflate_alloc_compressor(levels[l]);
		for (size_t z = 0; z < 4; z++, ns++) {
			size_t cap = libdeflate_deflate_compress_bound(c, sizes[z]) + 32;
			s[ns] = malloc(cap);
			len[ns] = libdeflate_deflate_compress(c, data + 1000 * z, sizes[z] - 1000 * z * (sizes[z] > 3000), s[ns], cap - 32);
			assert_true(len[ns] > 0);
			memset(s[ns] + len[ns], 0, 32);
			assert_int_equal(zipchunk_final_block(s[ns], len[ns], &fb[ns], &eb[ns]), 0);
		}
		libdeflate_free_compressor(c);
	}
	for (size_t i = 0; i < ns; i++) {
		for (size_t j = 0; j < ns; j++) {
			const unsigned char *two[2] = { s[i], s[j] };
			size_t twolen[2] = { len[i], len[j] }, f[2], e[2];
			assert_int_equal(zipchunk_final_blocks(2, two, twolen, f, e), 0);
			assert_int_equal(f[0], fb[i]);
			assert_int_equal(e[0], eb[i]);
			assert_int_equal(f[1], fb[j]);
			assert_int_equal(e[1], eb[j]);
		}
	}
	/* four at once: every stream in each place, beside others of every kind */
	for (size_t i = 0; i < ns; i++) {
		size_t pick[4] = { i, (i + 1) % ns, (i + 5) % ns, (i + 7) % ns };
		const unsigned char *four[4];
		size_t fourlen[4], f4[4], e4[4];
		for (size_t q = 0; q < 4; q++)
			four[q] = s[pick[q]], fourlen[q] = len[pick[q]];
		assert_int_equal(zipchunk_final_blocks(4, four, fourlen, f4, e4), 0);
		for (size_t q = 0; q < 4; q++) {
			assert_int_equal(f4[q], fb[pick[q]]);
			assert_int_equal(e4[q], eb[pick[q]]);
		}
	}
	/* one bad stream fails the pair */
	const unsigned char *two[2] = { s[5], (const unsigned char *)"\x07\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" };
	size_t twolen[2] = { len[5], 1 }, f[2], e[2];
	assert_int_equal(zipchunk_final_blocks(2, two, twolen, f, e), -1);
	for (size_t i = 0; i < ns; i++)
		free(s[i]);
	free(data);
}

static char *write_temp(const unsigned char *p, size_t n)
{
	char *path = strdup("/tmp/recpack-zipchunk.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	return path;
}

static unsigned char *run(const char *path, uint64_t size, int jobs, size_t *len, uint32_t *crc, char hex[65], int *err)
{
	int fd = open(path, O_RDONLY);
	struct zipchunk *zc = zipchunk_start(fd, size, 1, jobs);
	assert_non_null(zc);
	size_t cap = (size_t)size * 2 + 4096;
	unsigned char *out = malloc(cap);
	ssize_t n;
	*len = 0;
	*err = 0;
	while ((n = zipchunk_read(zc, out + *len, 8192, err)) > 0)
		*len += (size_t)n;
	if (n == 0) {
		*crc = zipchunk_crc(zc);
		zipchunk_sha256(zc, hex);
		assert_int_equal(zipchunk_taken(zc), size);
	}
	zipchunk_free(zc);
	close(fd);
	return n == 0 ? out : (free(out), NULL);
}

/* The whole file through the threads: the same stream with 1 and 3 threads, zlib inflates it,
 * the CRC and SHA-256 are the file's. */
static void test_file_through_threads(void **state)
{
	(void)state;
	size_t n = 5 * ZIPCHUNK_SIZE + 12345;
	unsigned char *data = make_data(n, 2);
	char *path = write_temp(data, n);
	char hex1[65], hex3[65], want[65];
	uint32_t crc1, crc3;
	size_t len1, len3;
	int err;
	unsigned char *one = run(path, n, 1, &len1, &crc1, hex1, &err);
	unsigned char *three = run(path, n, 3, &len3, &crc3, hex3, &err);
	assert_non_null(one);
	assert_non_null(three);
	assert_int_equal(len1, len3);
	assert_memory_equal(one, three, len1);
	assert_inflates_to(one, len1, data, n);
	assert_int_equal(crc1, (uint32_t)crc32(0, data, (uInt)n));
	assert_int_equal(crc3, crc1);
	sha256_buf(data, n, NULL, want);
	assert_string_equal(hex1, want);
	assert_string_equal(hex3, want);
	/* a file shorter than it was said to be, or longer, is an error (-1: it changed) */
	assert_null(run(path, n + 1, 2, &len1, &crc1, hex1, &err));
	assert_int_equal(err, -1);
	assert_null(run(path, n - 1, 2, &len1, &crc1, hex1, &err));
	assert_int_equal(err, -1);
	unlink(path);
	free(path);
	free(one);
	free(three);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces_join),
		cmocka_unit_test(test_garbage_refused),
		cmocka_unit_test(test_pair_walk),
		cmocka_unit_test(test_file_through_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
