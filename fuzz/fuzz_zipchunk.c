/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_zipchunk.c: the deflate block walk of packet/zipchunk.c (zipchunk_final_block(s)) on
 * arbitrary bytes. The first byte says how many streams (1 to 4) the rest is cut into; they
 * are walked together and one by one. Promises: the walk stays inside each stream and its
 * 32 bytes of slack (ASan), walking together answers what walking alone does, a final block
 * found lies inside the stream, and a stream zlib inflates to its end is one the walk accepts,
 * ending in the byte where zlib stopped. */
#include "fuzz.h"

#include <zlib.h>

#include "packet/zipchunk.h"

#define SLACK 32

/* zlib's view: 1 and the bytes it read when the stream inflates to its final block's end. */
static int zlib_ends(const unsigned char *s, size_t len, size_t *used)
{
	static unsigned char out[1 << 16];
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)s, z.avail_in = (uInt)len;
	int rc;
	do {
		z.next_out = out, z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK && z.avail_out == 0);
	*used = len - z.avail_in;
	inflateEnd(&z);
	return rc == Z_STREAM_END;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1u << 20))
		return 0;
	size_t n = 1 + data[0] % 4, rest = size - 1, all_ok = 1;
	unsigned char *s[4];
	size_t len[4], fb[4], eb[4];
	for (size_t i = 0; i < n; i++) {
		size_t from = rest * i / n, to = rest * (i + 1) / n;
		len[i] = to - from;
		s[i] = malloc(len[i] + SLACK);
		FUZZ_REQUIRE(s[i] != NULL);
		memcpy(s[i], data + 1 + from, len[i]);
		memset(s[i] + len[i], 0, SLACK);
	}
	int rc = zipchunk_final_blocks(n, (const unsigned char *const *)s, len, fb, eb);
	for (size_t i = 0; i < n; i++) {
		size_t f1 = 0, e1 = 0, used = 0;
		int r1 = zipchunk_final_block(s[i], len[i], &f1, &e1);
		if (r1 == 0)
			FUZZ_REQUIRE(f1 + 3 <= e1 && e1 <= len[i] * 8);
		if (rc == 0)
			FUZZ_REQUIRE(r1 == 0 && f1 == fb[i] && e1 == eb[i]);
		if (r1 != 0)
			all_ok = 0;
		if (zlib_ends(s[i], len[i], &used))
			FUZZ_REQUIRE(r1 == 0 && (e1 + 7) / 8 == used);
		free(s[i]);
	}
	FUZZ_REQUIRE((rc == 0) == (all_ok != 0));
	return 0;
}
