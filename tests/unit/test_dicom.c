/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dicom.c: the bounded DICOM header reader on hand-built byte buffers, and (when
 * RECPACK_DICOM_FIXTURES names a directory) on files whose expectations came from dcmdump. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "read/dicom.h"
#include "read/dicom_text.h"
#include "read/sniff.h"

#define TS_EXPLICIT "1.2.840.10008.1.2.1"
#define TS_IMPLICIT "1.2.840.10008.1.2"
#define TS_BIG "1.2.840.10008.1.2.2"
#define TS_DEFLATED "1.2.840.10008.1.2.1.99"
#define TS_JPEG "1.2.840.10008.1.2.4.50"
#define TS_RLE "1.2.840.10008.1.2.5"
#define CT_STORAGE "1.2.840.10008.5.1.4.1.1.2"
#define DICOMDIR_CLASS "1.2.840.10008.1.3.10"
#define UNDEFINED 0xFFFFFFFFu
#define PATH_BUF 4096

/* ---- a byte buffer builder ---- */

enum enc { EXPLICIT, IMPLICIT, BIG };

struct buf {
	unsigned char b[8192];
	size_t n;
	enum enc enc;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->b);
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put16(struct buf *b, uint16_t v, int big)
{
	unsigned char x[2] = { (unsigned char)(big ? v >> 8 : v), (unsigned char)(big ? v : v >> 8) };
	put(b, x, 2);
}

static void put32(struct buf *b, uint32_t v, int big)
{
	unsigned char x[4];
	for (int i = 0; i < 4; i++)
		x[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
	put(b, x, 4);
}

static int long_vr(const char *vr)
{
	return strstr("OB OD OF OL OV OW SQ SV UC UN UR UT UV", vr) != NULL;
}

/* An element header in the buffer's encoding; item tags (FFFE) never carry a VR. */
static void header(struct buf *b, uint16_t g, uint16_t e, const char *vr, uint32_t len)
{
	int big = b->enc == BIG && g != 0x0002;
	put16(b, g, big);
	put16(b, e, big);
	if ((b->enc == IMPLICIT && g != 0x0002) || g == 0xFFFE) {
		put32(b, len, big); /* item tags follow the byte order too */
		return;
	}
	put(b, vr, 2);
	if (long_vr(vr)) {
		put16(b, 0, big);
		put32(b, len, big);
	} else {
		put16(b, (uint16_t)len, big);
	}
}

/* A string element padded to even length (UI with NUL, the rest with a space). */
static void str(struct buf *b, uint16_t g, uint16_t e, const char *vr, const char *s)
{
	size_t n = strlen(s);
	header(b, g, e, vr, (uint32_t)(n + n % 2));
	put(b, s, n);
	if (n % 2)
		put(b, strcmp(vr, "UI") == 0 ? "" : " ", 1);
}

static void item_tag(struct buf *b, uint16_t e, uint32_t len)
{
	header(b, 0xFFFE, e, "", len);
}

/* Preamble, DICM and a group 0002 with its group length. */
static void part10(struct buf *b, enum enc enc, const char *media_class, const char *ts)
{
	struct buf meta = { .enc = EXPLICIT };
	memset(b, 0, sizeof *b);
	b->n = 128;
	put(b, "DICM", 4);
	str(&meta, 0x0002, 0x0002, "UI", media_class);
	str(&meta, 0x0002, 0x0003, "UI", "1.2.3.4");
	str(&meta, 0x0002, 0x0010, "UI", ts);
	header(b, 0x0002, 0x0000, "UL", 4);
	put32(b, (uint32_t)meta.n, 0);
	put(b, meta.b, meta.n);
	b->enc = enc;
}

static void patient(struct buf *b, const char *name)
{
	str(b, 0x0010, 0x0010, "PN", name);
	str(b, 0x0010, 0x0020, "LO", "MRN12345");
	str(b, 0x0010, 0x0030, "DA", "19700101");
}

static void ct_image(struct buf *b, enum enc enc, const char *ts)
{
	part10(b, enc, CT_STORAGE, ts);
	str(b, 0x0008, 0x0016, "UI", CT_STORAGE);
	str(b, 0x0008, 0x0020, "DA", "20260301");
	str(b, 0x0008, 0x0060, "CS", "CT");
	str(b, 0x0008, 0x1030, "LO", "CT CHEST W CONTRAST");
	patient(b, "DOE^JANE");
	str(b, 0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.8.498.1");
	str(b, 0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.8.498.1.1");
	header(b, 0x0028, 0x0010, "US", 2);
	put16(b, 4, enc == BIG);
	header(b, 0x7FE0, 0x0010, "OW", 8);
	put(b, "\1\2\3\4\5\6\7\10", 8);
}

/* A sequence of undefined length holding one undefined-length item and one defined-length
 * item, each with a PatientName that belongs to the item, not to the data set. */
static void nested_sequence(struct buf *b, uint16_t g, uint16_t e)
{
	struct buf item = { .enc = b->enc };
	header(b, g, e, "SQ", UNDEFINED);
	item_tag(b, 0xE000, UNDEFINED);
	str(b, 0x0010, 0x0010, "PN", "INSIDE^ITEM");
	header(b, 0x0008, 0x1115, "SQ", UNDEFINED); /* nested, empty item */
	item_tag(b, 0xE000, UNDEFINED);
	str(b, 0x0010, 0x0020, "LO", "NESTED-ID");
	item_tag(b, 0xE00D, 0);
	item_tag(b, 0xE0DD, 0);
	item_tag(b, 0xE00D, 0);
	str(&item, 0x0010, 0x0010, "PN", "DEFINED^ITEM");
	item_tag(b, 0xE000, (uint32_t)item.n);
	put(b, item.b, item.n);
	item_tag(b, 0xE0DD, 0);
}

/* Offset of s in the buffer; fails the test when absent. */
static size_t find(const struct buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= b->n; i++)
		if (memcmp(b->b + i, s, n) == 0)
			return i;
	fail_msg("\"%s\" not in the buffer", s);
	return 0;
}

static enum dicom_status parse(const struct buf *b, struct dicom_info *info)
{
	return dicom_read(b->b, b->n, info);
}

/* ---- well-formed files ---- */

static void check_ct_fields(const struct dicom_info *d)
{
	assert_string_equal(d->patient_name, "DOE^JANE");
	assert_string_equal(d->patient_id, "MRN12345");
	assert_string_equal(d->patient_birth_date, "19700101");
	assert_string_equal(d->study_uid, "1.2.826.0.1.3680043.8.498.1");
	assert_string_equal(d->series_uid, "1.2.826.0.1.3680043.8.498.1.1");
	assert_string_equal(d->study_date, "20260301");
	assert_string_equal(d->modality, "CT");
	assert_string_equal(d->study_description, "CT CHEST W CONTRAST");
	assert_string_equal(d->sop_class, CT_STORAGE);
	assert_string_equal(d->media_sop_class, CT_STORAGE);
	assert_false(d->is_dicomdir);
	assert_false(d->big_endian);
	assert_false(d->compressed);
}

static void test_explicit_le(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, EXPLICIT, TS_EXPLICIT);
	assert_true(dicom_has_magic(b.b, b.n));
	assert_int_equal(parse(&b, &d), DICOM_OK);
	check_ct_fields(&d);
	assert_string_equal(d.transfer_syntax, TS_EXPLICIT);
}

static void test_implicit_le(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, IMPLICIT, TS_IMPLICIT);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	check_ct_fields(&d);
	assert_string_equal(d.transfer_syntax, TS_IMPLICIT);
}

static void test_big_endian(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, BIG, TS_BIG);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_true(d.big_endian);
	d.big_endian = 0;
	check_ct_fields(&d);
	assert_string_equal(d.transfer_syntax, TS_BIG);
	/* sequences and items of undefined length inside */
	part10(&b, BIG, CT_STORAGE, TS_BIG);
	nested_sequence(&b, 0x0008, 0x1110);
	str(&b, 0x0010, 0x0010, "PN", "TOP^LEVEL");
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "TOP^LEVEL");
}

static void test_stops_at_pixel_data(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, EXPLICIT, TS_EXPLICIT);
	b.n -= 8; /* pixel data value cut off: the header does not need it */
	put(&b, "\xFF\xFF\xFF\xFF", 4); /* and garbage after it is never read */
	assert_int_equal(parse(&b, &d), DICOM_OK);
	check_ct_fields(&d);
}

static void test_compressed_syntaxes(void **state)
{
	static const char *const syntaxes[] = { TS_JPEG, TS_RLE, "1.2.840.10008.1.2.4.90" };
	struct buf b;
	struct dicom_info d;
	(void)state;
	for (size_t i = 0; i < sizeof syntaxes / sizeof syntaxes[0]; i++) {
		ct_image(&b, EXPLICIT, syntaxes[i]);
		assert_int_equal(parse(&b, &d), DICOM_OK);
		assert_true(d.compressed);
		assert_string_equal(d.patient_name, "DOE^JANE");
	}
}

static void test_encapsulated_pixel_data_marks_compressed(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	part10(&b, EXPLICIT, CT_STORAGE, "1.2.3.4.5.6.private");
	patient(&b, "DOE^JANE");
	header(&b, 0x7FE0, 0x0010, "OB", UNDEFINED);
	item_tag(&b, 0xE000, 0);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_true(d.compressed);
	assert_string_equal(d.patient_name, "DOE^JANE");
}

/* Where the meta group part10() wrote ends: its group length says. */
static size_t end_of_meta(const struct buf *b)
{
	const unsigned char *p = b->b + 140;
	return 144 + ((size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24);
}

/* b with everything after its meta group (which ends at meta_end) raw-deflated by zlib. */
static void deflate_dataset(struct buf *b, size_t meta_end)
{
	unsigned char out[8192];
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = b->b + meta_end;
	z.avail_in = (uInt)(b->n - meta_end);
	z.next_out = out;
	z.avail_out = sizeof out;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	b->n = meta_end;
	put(b, out, sizeof out - z.avail_out);
	deflateEnd(&z);
}

static void test_deflated(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, EXPLICIT, TS_DEFLATED);
	size_t meta_end = end_of_meta(&b);
	deflate_dataset(&b, meta_end);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_true(d.compressed);
	assert_true(d.deflated);
	d.compressed = 0;
	check_ct_fields(&d);
	assert_string_equal(d.transfer_syntax, TS_DEFLATED);
	/* a stream cut short: the fields it held so far, reported truncated */
	assert_int_equal(dicom_read(b.b, meta_end + 40, &d), DICOM_TRUNCATED);
	assert_string_equal(d.transfer_syntax, TS_DEFLATED);
	/* bytes that are not a deflate stream */
	b.n = meta_end;
	put(&b, "\xff\xff\xff\xff\x05\x06\x07\x08", 8);
	assert_int_equal(parse(&b, &d), DICOM_MALFORMED);
	assert_string_equal(d.patient_name, "");
}

/* A deflate bomb: 64 MiB of one byte inflate no further than DICOM_HEAD_MAX. */
static void test_deflated_is_bounded(void **state)
{
	static unsigned char zeros[1 << 16], out[1 << 17];
	struct buf b;
	struct dicom_info d;
	z_stream z;
	(void)state;
	part10(&b, EXPLICIT, CT_STORAGE, TS_DEFLATED);
	size_t meta_end = end_of_meta(&b);
	header(&b, 0x0009, 0x0010, "OB", 64u << 20); /* a private value 64 MiB long */
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	unsigned char hdr[12];
	memcpy(hdr, b.b + meta_end, 12);
	z.next_out = out;
	z.avail_out = sizeof out;
	z.next_in = hdr;
	z.avail_in = 12;
	assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
	for (int i = 0; i < 1024; i++) {
		z.next_in = zeros;
		z.avail_in = sizeof zeros;
		assert_int_equal(deflate(&z, i == 1023 ? Z_FINISH : Z_NO_FLUSH), i == 1023 ? Z_STREAM_END : Z_OK);
	}
	size_t n = sizeof out - z.avail_out;
	deflateEnd(&z);
	unsigned char *file = malloc(meta_end + n);
	assert_non_null(file);
	memcpy(file, b.b, meta_end);
	memcpy(file + meta_end, out, n);
	assert_int_equal(dicom_read(file, meta_end + n, &d), DICOM_TRUNCATED);
	free(file);
}

static void test_private_syntax_is_guessed(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, EXPLICIT, "1.2.3.999");
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "DOE^JANE");
	ct_image(&b, IMPLICIT, "1.2.3.999");
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "DOE^JANE");
}

static void test_trims_and_truncates_values(void **state)
{
	char long_name[1001];
	struct buf b;
	struct dicom_info d;
	(void)state;
	memset(long_name, 'A', 1000);
	long_name[1000] = '\0';
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	str(&b, 0x0008, 0x0060, "CS", "MR      ");
	header(&b, 0x0008, 0x1030, "LO", 6);
	put(&b, "HEAD\0\0", 6);
	str(&b, 0x0010, 0x0010, "PN", long_name);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.modality, "MR");
	assert_string_equal(d.study_description, "HEAD");
	assert_true(strlen(d.patient_name) >= 64 * 3 && strlen(d.patient_name) < DICOM_PN_MAX);
	assert_memory_equal(d.patient_name, long_name, strlen(d.patient_name));
}

/* ---- sequences ---- */

static void test_sequence_content_is_not_top_level(void **state)
{
	static const enum enc encs[] = { EXPLICIT, IMPLICIT };
	static const char *const ts[] = { TS_EXPLICIT, TS_IMPLICIT };
	struct buf b;
	struct dicom_info d;
	(void)state;
	for (int i = 0; i < 2; i++) {
		part10(&b, encs[i], CT_STORAGE, ts[i]);
		str(&b, 0x0008, 0x0060, "CS", "CT");
		nested_sequence(&b, 0x0008, 0x1110);
		str(&b, 0x0020, 0x000D, "UI", "1.2.3");
		assert_int_equal(parse(&b, &d), DICOM_OK);
		assert_string_equal(d.patient_name, "");
		assert_string_equal(d.patient_id, "");
		assert_string_equal(d.study_uid, "1.2.3"); /* reading went on after the sequence */

		str(&b, 0x0010, 0x0010, "PN", "TOP^LEVEL");
		assert_int_equal(parse(&b, &d), DICOM_OK);
		assert_string_equal(d.patient_name, "TOP^LEVEL");
	}
}

static void test_un_sequence_is_implicit_inside(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	header(&b, 0x0009, 0x1010, "UN", UNDEFINED);
	b.enc = IMPLICIT;
	item_tag(&b, 0xE000, UNDEFINED);
	str(&b, 0x0010, 0x0010, "PN", "PRIVATE^SEQ");
	item_tag(&b, 0xE00D, 0);
	item_tag(&b, 0xE0DD, 0);
	b.enc = EXPLICIT;
	str(&b, 0x0010, 0x0020, "LO", "AFTER");
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "");
	assert_string_equal(d.patient_id, "AFTER");
}

static void dicomdir(struct buf *b)
{
	part10(b, EXPLICIT, DICOMDIR_CLASS, TS_EXPLICIT);
	str(b, 0x0004, 0x1130, "CS", "RECPACK_TEST");
	header(b, 0x0004, 0x1220, "SQ", UNDEFINED);
	for (int i = 0; i < 2; i++) {
		item_tag(b, 0xE000, UNDEFINED);
		str(b, 0x0004, 0x1430, "CS", "PATIENT");
		patient(b, i ? "ROE^RICHARD" : "DOE^JANE");
		item_tag(b, 0xE00D, 0);
	}
	item_tag(b, 0xE0DD, 0);
}

static void test_dicomdir(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	dicomdir(&b);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_true(d.is_dicomdir);
	assert_string_equal(d.media_sop_class, DICOMDIR_CLASS);
	assert_string_equal(d.patient_name, "");
	assert_string_equal(d.patient_id, "");
}

static void test_nesting_is_bounded(void **state)
{
	static struct buf b; /* static: too large for a comfortable stack frame with d */
	struct dicom_info d;
	(void)state;
	for (int levels = 32; levels <= 33; levels++) {
		part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
		for (int i = 0; i < levels; i++) {
			header(&b, 0x0008, 0x1110, "SQ", UNDEFINED);
			item_tag(&b, 0xE000, UNDEFINED);
		}
		for (int i = 0; i < levels; i++) {
			item_tag(&b, 0xE00D, 0);
			item_tag(&b, 0xE0DD, 0);
		}
		str(&b, 0x0010, 0x0010, "PN", "DEEP");
		/* 32 sequence+item pairs are 64 levels, the limit */
		assert_int_equal(parse(&b, &d), levels == 32 ? DICOM_OK : DICOM_MALFORMED);
		if (levels == 32)
			assert_string_equal(d.patient_name, "DEEP");
	}
}

/* ---- damaged input ---- */

/* Every prefix of a good buffer: no crash, never MALFORMED, and every field that is set holds
 * the value the whole buffer gives (never a value from inside a sequence). */
static void check_prefixes(const struct buf *b, enum dicom_status full_status)
{
	struct dicom_info full, d;
	assert_int_equal(parse(b, &full), full_status);
	for (size_t len = 0; len <= b->n; len++) {
		unsigned char *copy = malloc(len ? len : 1); /* exact size, so ASan sees overreads */
		enum dicom_status st;
		assert_non_null(copy);
		memcpy(copy, b->b, len);
		st = dicom_read(copy, len, &d);
		free(copy);
		if (len < 132) {
			assert_int_equal(st, DICOM_NOT_DICOM);
			continue;
		}
		assert_true(st == DICOM_OK || st == DICOM_TRUNCATED || st == full_status);
		if (d.patient_name[0])
			assert_string_equal(d.patient_name, full.patient_name);
		if (d.patient_id[0])
			assert_string_equal(d.patient_id, full.patient_id);
		if (d.study_uid[0])
			assert_string_equal(d.study_uid, full.study_uid);
		if (d.transfer_syntax[0])
			assert_string_equal(d.transfer_syntax, full.transfer_syntax);
	}
}

static void test_every_truncation(void **state)
{
	struct buf b;
	(void)state;
	ct_image(&b, EXPLICIT, TS_EXPLICIT);
	check_prefixes(&b, DICOM_OK);
	ct_image(&b, IMPLICIT, TS_IMPLICIT);
	check_prefixes(&b, DICOM_OK);
	ct_image(&b, BIG, TS_BIG);
	check_prefixes(&b, DICOM_OK);
	dicomdir(&b);
	check_prefixes(&b, DICOM_OK);
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	nested_sequence(&b, 0x0008, 0x1110);
	check_prefixes(&b, DICOM_OK);
	ct_image(&b, EXPLICIT, TS_DEFLATED);
	deflate_dataset(&b, end_of_meta(&b));
	check_prefixes(&b, DICOM_OK);
}

static void test_truncation_is_reported(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, EXPLICIT, TS_EXPLICIT);
	/* cut inside the PatientID value: the name before it is kept */
	size_t id = find(&b, "MRN12345");
	assert_int_equal(dicom_read(b.b, id + 3, &d), DICOM_TRUNCATED);
	assert_string_equal(d.patient_name, "DOE^JANE");
	assert_string_equal(d.patient_id, "");
	/* cut inside the meta group */
	assert_int_equal(dicom_read(b.b, 150, &d), DICOM_TRUNCATED);
	/* cut inside an open sequence, at an element boundary */
	dicomdir(&b);
	assert_int_equal(dicom_read(b.b, b.n - 8, &d), DICOM_TRUNCATED);
	assert_true(d.is_dicomdir);
}

static void test_huge_lengths(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	/* an OB value far beyond the buffer: the fields before it are kept */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	patient(&b, "DOE^JANE");
	header(&b, 0x0009, 0x0010, "OB", 0xFFFFFFF0u);
	put(&b, "abcd", 4);
	assert_int_equal(parse(&b, &d), DICOM_TRUNCATED);
	assert_string_equal(d.patient_name, "DOE^JANE");

	/* the same in implicit VR, and an item length */
	part10(&b, IMPLICIT, CT_STORAGE, TS_IMPLICIT);
	str(&b, 0x0010, 0x0010, "PN", "DOE^JANE");
	header(&b, 0x0010, 0x0020, "", 0xFFFFFFFEu);
	assert_int_equal(parse(&b, &d), DICOM_TRUNCATED);
	assert_string_equal(d.patient_id, "");
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	header(&b, 0x0008, 0x1110, "SQ", UNDEFINED);
	item_tag(&b, 0xE000, 0xFFFFFFF8u);
	assert_int_equal(parse(&b, &d), DICOM_TRUNCATED);

	/* undefined length on a VR that cannot have it */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	header(&b, 0x0008, 0x0119, "UT", UNDEFINED);
	str(&b, 0x0010, 0x0010, "PN", "DOE^JANE");
	assert_int_equal(parse(&b, &d), DICOM_MALFORMED);

	/* meta group length promising more than there is */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	b.b[140] = 0xFF, b.b[141] = 0xFF;
	assert_int_equal(parse(&b, &d), DICOM_TRUNCATED);
}

static void test_malformed_structure(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	/* not a VR */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	header(&b, 0x0010, 0x0010, "zz", 4);
	put(&b, "ABCD", 4);
	assert_int_equal(parse(&b, &d), DICOM_MALFORMED);
	/* a stray sequence delimiter at the top level */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	item_tag(&b, 0xE0DD, 0);
	assert_int_equal(parse(&b, &d), DICOM_MALFORMED);
	/* a plain element directly inside a sequence */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	header(&b, 0x0008, 0x1110, "SQ", UNDEFINED);
	str(&b, 0x0010, 0x0010, "PN", "NOT^IN^ITEM");
	assert_int_equal(parse(&b, &d), DICOM_MALFORMED);
	assert_string_equal(d.patient_name, "");
	/* an item delimiter closing a sequence */
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	header(&b, 0x0008, 0x1110, "SQ", UNDEFINED);
	item_tag(&b, 0xE00D, 0);
	assert_int_equal(parse(&b, &d), DICOM_MALFORMED);
}

static void test_not_dicom(void **state)
{
	static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n";
	unsigned char zeros[300] = { 0 };
	struct dicom_info d;
	(void)state;
	assert_int_equal(dicom_read(NULL, 0, &d), DICOM_NOT_DICOM);
	assert_int_equal(dicom_read(pdf, sizeof pdf - 1, &d), DICOM_NOT_DICOM);
	assert_int_equal(dicom_read(zeros, sizeof zeros, &d), DICOM_NOT_DICOM);
	assert_string_equal(d.patient_name, "");
	assert_false(dicom_has_magic(zeros, sizeof zeros));
	assert_false(dicom_has_magic(NULL, 0));
}

static void test_without_preamble(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	memset(&b, 0, sizeof b);
	b.enc = IMPLICIT;
	str(&b, 0x0008, 0x0016, "UI", CT_STORAGE);
	str(&b, 0x0008, 0x0060, "CS", "CT");
	patient(&b, "DOE^JANE");
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "DOE^JANE");
	assert_string_equal(d.modality, "CT");
	b.enc = EXPLICIT;
	b.n = 0;
	str(&b, 0x0008, 0x0016, "UI", CT_STORAGE);
	str(&b, 0x0008, 0x0060, "CS", "MR");
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.modality, "MR");
}

static void test_status_strings(void **state)
{
	(void)state;
	assert_string_equal(dicom_status_str(DICOM_OK), "ok");
	assert_string_equal(dicom_status_str(DICOM_TRUNCATED), "truncated");
	assert_string_equal(dicom_status_str(DICOM_MALFORMED), "malformed");
	assert_string_equal(dicom_status_str(DICOM_NOT_DICOM), "not DICOM");
}

/* ---- files made by dcmtk, expectations written from dcmdump (tests/cli/dicom_dcmdump.sh) ---- */

/* ---- character sets (PS3.5 annex H, I and J examples, and one letter of each ISO_IR set) ---- */

/* A file whose data set has SpecificCharacterSet cs and PatientName name (raw bytes). */
static void named(struct buf *b, const char *cs, const char *name, size_t name_len)
{
	part10(b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	if (cs)
		str(b, 0x0008, 0x0005, "CS", cs);
	header(b, 0x0010, 0x0010, "PN", (uint32_t)(name_len + name_len % 2));
	put(b, name, name_len);
	if (name_len % 2)
		put(b, " ", 1);
	str(b, 0x0010, 0x0020, "LO", "ID1");
}

static void expect_name(const char *cs, const char *raw, const char *utf8, int lossy)
{
	struct buf b;
	struct dicom_info d;
	named(&b, cs, raw, strlen(raw));
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, utf8);
	assert_int_equal(d.text_lossy, lossy);
	assert_string_equal(d.patient_id, "ID1");
}

static void test_charsets(void **state)
{
	(void)state;
	expect_name(NULL, "DOE^JANE", "DOE^JANE", 0);
	expect_name("ISO_IR 100", "Buc^J\xe9r\xf4me", "Buc^Jérôme", 0);
	expect_name("ISO_IR 192", "Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1=", "Wang^XiaoDong=王^小東", 0);
	expect_name("GB18030", "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", "Wang^XiaoDong=王^小东", 0);
	expect_name("GBK", "\xcd\xf5^\xd0\xa1\xb6\xab", "王^小东", 0);
	/* H.3.1: ISO 2022 IR 87 in G0, switched by escape sequences */
	expect_name("\\ISO 2022 IR 87",
		    "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B",
		    "Yamada^Tarou=山田^太郎=やまだ^たろう", 0);
	/* H.3.2: half-width katakana (ISO 2022 IR 13 in G1) first */
	expect_name("ISO 2022 IR 13\\ISO 2022 IR 87",
		    "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J=\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J",
		    "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", 0);
	/* I.2: Korean, KS X 1001 in G1 */
	expect_name("\\ISO 2022 IR 149",
		    "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf",
		    "Hong^Gildong=洪^吉洞=홍^길동", 0);
	/* JIS X 0212 (ISO 2022 IR 159): 0x3021 is U+4E02 */
	expect_name("\\ISO 2022 IR 159", "\x1b$(D\x30\x21\x1b(B", "丂", 0);
	/* GB 2312 in G1 (ISO 2022 IR 58) */
	expect_name("\\ISO 2022 IR 58", "\x1b$)A\xcd\xf5", "王", 0);
	/* a latin-1 set switched in by its escape sequence */
	expect_name("ISO 2022 IR 6\\ISO 2022 IR 100", "\x1b-AJ\xf6rg", "Jörg", 0);
	/* the character set is decoded wherever it sits relative to the name (here: after it) */
	struct buf b;
	struct dicom_info d;
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	str(&b, 0x0008, 0x1030, "LO", "Th\xf6rax");
	str(&b, 0x0008, 0x0005, "CS", "ISO_IR 100"); /* out of order on purpose */
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.study_description, "Thörax");
}

static void test_single_byte_sets(void **state)
{
	static const struct {
		const char *cs, *raw, *utf8;
	} sets[] = {
		{ "ISO_IR 100", "\xe9", "é" }, { "ISO_IR 101", "\xb1", "ą" }, { "ISO_IR 109", "\xb1", "ħ" },
		{ "ISO_IR 110", "\xb1", "ą" }, { "ISO_IR 144", "\xb0", "А" }, { "ISO_IR 127", "\xc7", "ا" },
		{ "ISO_IR 126", "\xc1", "Α" }, { "ISO_IR 138", "\xe0", "א" }, { "ISO_IR 148", "\xf0", "ğ" },
		{ "ISO_IR 166", "\xa1", "ก" }, { "ISO_IR 203", "\xa4", "€" }, { "ISO_IR 13", "\xb1", "ｱ" },
		{ "ISO 2022 IR 100", "\xe9", "é" }, { "ISO 2022 IR 144", "\xb0", "А" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		char raw[16], utf8[32];
		snprintf(raw, sizeof raw, "A^%s", sets[i].raw);
		snprintf(utf8, sizeof utf8, "A^%s", sets[i].utf8);
		expect_name(sets[i].cs, raw, utf8, 0);
		assert_true(dicom_charset_known(sets[i].cs));
	}
}

static void test_undecodable_text(void **state)
{
	char out[8];
	(void)state;
	/* invalid UTF-8 */
	expect_name("ISO_IR 192", "M\xfcller", "M\xef\xbf\xbdller", 1);
	/* an unknown character set: read as ISO 8859-1 and flagged */
	expect_name("ISO_IR 999", "M\xfcller", "Müller", 1);
	/* non-ASCII bytes in the default repertoire */
	expect_name(NULL, "M\xfcller", "Müller", 1);
	/* an escape sequence nobody defined */
	expect_name("\\ISO 2022 IR 87", "A\x1b%GB", "A%GB", 1);
	/* output cut at a character boundary, never inside one */
	assert_int_equal(dicom_text_decode("ISO_IR 100", (const unsigned char *)"\xe9\xe9\xe9\xe9", 4, out, 6), 0);
	assert_string_equal(out, "éé");
	assert_int_equal(dicom_text_decode("", (const unsigned char *)"ABCDEFGHIJ", 10, out, sizeof out), 0);
	assert_string_equal(out, "ABCDEFG");
	assert_false(dicom_charset_known("ISO_IR 100\\KOI8"));
	assert_true(dicom_charset_known("\\ISO 2022 IR 87\\ISO 2022 IR 159"));
}

static void test_pn_groups(void **state)
{
	char g[32];
	struct buf b;
	struct dicom_info d;
	(void)state;
	dicom_pn_group("Yamada^Tarou=山田^太郎=やまだ^たろう", 0, g, sizeof g);
	assert_string_equal(g, "Yamada^Tarou");
	dicom_pn_group("Yamada^Tarou=山田^太郎=やまだ^たろう", 1, g, sizeof g);
	assert_string_equal(g, "山田^太郎");
	dicom_pn_group("Yamada^Tarou=山田^太郎=やまだ^たろう", 2, g, sizeof g);
	assert_string_equal(g, "やまだ^たろう");
	dicom_pn_group("=山田^太郎", 0, g, sizeof g);
	assert_string_equal(g, "");
	dicom_pn_group("DOE^JANE", 1, g, sizeof g);
	assert_string_equal(g, "");
	dicom_pn_group("山田^太郎", 0, g, 5); /* 3-byte characters: cut to one whole one */
	assert_string_equal(g, "山");
	named(&b, "ISO_IR 192", "=\xe5\xb1\xb1\xe7\x94\xb0", 7);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "=山田");
	assert_string_equal(d.patient_name_alphabetic, "");
}

/* A header whose patient module sits past 36 KiB (after a long private element) is read
 * when the buffer holds it, and reported truncated when it does not. */
static void test_header_past_36k(void **state)
{
	static struct {
		unsigned char b[200000];
		size_t n;
	} big;
	struct buf b;
	struct dicom_info d;
	(void)state;
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	str(&b, 0x0008, 0x0060, "CS", "CT");
	header(&b, 0x0009, 0x1001, "OB", 150000);
	memcpy(big.b, b.b, b.n);
	big.n = b.n + 150000;
	memset(big.b + b.n, 'x', 150000);
	b.n = 0;
	patient(&b, "OTHER^PATIENT");
	memcpy(big.b + big.n, b.b, b.n);
	big.n += b.n;
	assert_int_equal(dicom_read(big.b, 36864, &d), DICOM_TRUNCATED);
	assert_string_equal(d.patient_name, "");
	assert_int_equal(dicom_read(big.b, big.n, &d), DICOM_OK);
	assert_string_equal(d.patient_name, "OTHER^PATIENT");
	assert_string_equal(d.modality, "CT");
}

/* ---- files nobody here made: pydicom's test files, compared with what pydicom decodes ---- */

#define PYDICOM_DATA "/usr/lib/python3/dist-packages/pydicom/data"

/* Prints FILE<TAB>KEY<TAB>VALUE for each file and field, as pydicom reads them. */
static const char pydicom_script[] =
	"import sys, glob, warnings, pydicom\n"
	"warnings.simplefilter('ignore')\n"
	"keys = [('PatientName','patient_name'),('PatientID','patient_id'),('OtherPatientIDs','other_patient_ids'),\n"
	" ('IssuerOfPatientID','issuer_of_patient_id'),('PatientBirthDate','patient_birth_date'),\n"
	" ('PatientSex','patient_sex'),('StudyInstanceUID','study_uid'),('StudyDate','study_date'),\n"
	" ('StudyDescription','study_description'),('AccessionNumber','accession_number'),('Modality','modality'),\n"
	" ('SeriesInstanceUID','series_uid'),('SeriesDescription','series_description'),\n"
	" ('SOPInstanceUID','sop_instance_uid'),('SOPClassUID','sop_class'),('StudyTime','study_time'),\n"
	" ('StudyID','study_id'),('SeriesNumber','series_number'),('InstanceNumber','instance_number')]\n"
	"d = sys.argv[1]\n"
	"for f in sorted(glob.glob(d + '/test_files/*.dcm') + glob.glob(d + '/charset_files/*.dcm')):\n"
	"  try:\n"
	"    ds = pydicom.dcmread(f, stop_before_pixels=True)\n"
	"    out = []\n"
	"    for k, ours in keys:\n"
	"      v = ds.get(k)\n"
	"      if v is None: v = ''\n"
	"      elif isinstance(v, pydicom.multival.MultiValue): v = '\\\\'.join(str(x) for x in v)\n"
	"      else: v = str(v)\n"
	"      out.append('%s\\t%s\\t%s' % (f, ours, v.strip().replace('\\n', ' ')))\n"
	"    ts = ds.file_meta.get('TransferSyntaxUID', '') if hasattr(ds, 'file_meta') else ''\n"
	"    out.append('%s\\ttransfer_syntax\\t%s' % (f, ts))\n"
	"    print('\\n'.join(out))\n"
	"  except Exception as e:\n"
	"    print('%s\\tskip\\t%s' % (f, type(e).__name__))\n";

static const char *field_named(const struct dicom_info *d, const char *key)
{
#define F(m) { #m, offsetof(struct dicom_info, m) }
	static const struct {
		const char *key;
		size_t offset;
	} f[] = { F(patient_name), F(patient_id), F(other_patient_ids), F(issuer_of_patient_id),
		  F(patient_birth_date), F(patient_sex), F(study_uid), F(study_date), F(study_description),
		  F(accession_number), F(modality), F(series_uid), F(series_description), F(sop_instance_uid),
		  F(sop_class), F(transfer_syntax), F(study_time), F(study_id), F(series_number),
		  F(instance_number) };
#undef F
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strcmp(key, f[i].key) == 0)
			return (const char *)d + f[i].offset;
	return NULL;
}

static unsigned char *read_whole(const char *path, size_t *len);

static void test_pydicom_files(void **state)
{
	const char *dir = getenv("RECPACK_PYDICOM_DATA") ? getenv("RECPACK_PYDICOM_DATA") : PYDICOM_DATA;
	char script[] = "/tmp/recpack-pydicom-XXXXXX", cmd[PATH_BUF * 2], line[4096], file[PATH_BUF] = "";
	struct dicom_info *d = malloc(sizeof *d);
	int files = 0, fields = 0, bad = 0, fd;
	enum dicom_status st = DICOM_NOT_DICOM;
	FILE *p;
	(void)state;
	snprintf(cmd, sizeof cmd, "%s/charset_files/chrH31.dcm", dir);
	if (!(p = fopen(cmd, "rb"))) {
		free(d);
		print_message("skipped: pydicom's test files are not in %s (apt-get install python3-pydicom)\n", dir);
		skip();
	}
	fclose(p);
	assert_true((fd = mkstemp(script)) >= 0);
	assert_int_equal(write(fd, pydicom_script, strlen(pydicom_script)), (ssize_t)strlen(pydicom_script));
	close(fd);
	/* Debian's pydicom is for Debian's python3, which may not be the first on PATH */
	snprintf(cmd, sizeof cmd,
		 "for p in /usr/bin/python3 python3; do $p -c 'import pydicom' 2>/dev/null && exec $p %s '%s'; done; exit 3",
		 script, dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p)) {
		char *key = strchr(line, '\t'), *want = key ? strchr(key + 1, '\t') : NULL;
		line[strcspn(line, "\n")] = '\0';
		if (!want)
			continue;
		*key++ = '\0', *want++ = '\0';
		if (strcmp(line, file) != 0) {
			size_t len = 0;
			unsigned char *data = read_whole(line, &len);
			snprintf(file, sizeof file, "%s", line);
			assert_non_null(data);
			st = dicom_read(data, len < DICOM_HEAD_MAX ? len : DICOM_HEAD_MAX, d);
			free(data);
			if (strcmp(key, "skip") != 0)
				files++;
		}
		if (strcmp(key, "skip") == 0 || (st != DICOM_OK && st != DICOM_TRUNCATED))
			continue; /* pydicom cannot read it, or we call it malformed: nothing to compare */
		const char *have = field_named(d, key);
		fields++;
		if (!have || strcmp(have, want) != 0) {
			print_error("%s: %s: pydicom says \"%s\", recpack \"%s\"\n", file, key, want, have ? have : "?");
			bad++;
		}
	}
	int rc = pclose(p);
	unlink(script);
	free(d);
	if (rc != 0 && files == 0) {
		print_message("skipped: no python3 with pydicom\n");
		skip();
	}
	print_message("compared %d fields of %d files with pydicom\n", fields, files);
	assert_true(files >= 40);
	assert_true(fields >= 40 * 16);
	assert_int_equal(bad, 0);
}

static const char *int_str(int v)
{
	return v ? "1" : "0";
}

/* The value recpack has for an expectation key, or NULL for an unknown key. */
static const char *actual(const char *key, const struct dicom_info *d, const char *status,
			  const char *sniffed)
{
	static const struct {
		const char *key;
		size_t offset;
	} strings[] = {
		{ "patient_name", offsetof(struct dicom_info, patient_name) },
		{ "patient_id", offsetof(struct dicom_info, patient_id) },
		{ "patient_birth_date", offsetof(struct dicom_info, patient_birth_date) },
		{ "study_uid", offsetof(struct dicom_info, study_uid) },
		{ "series_uid", offsetof(struct dicom_info, series_uid) },
		{ "study_date", offsetof(struct dicom_info, study_date) },
		{ "modality", offsetof(struct dicom_info, modality) },
		{ "study_description", offsetof(struct dicom_info, study_description) },
		{ "transfer_syntax", offsetof(struct dicom_info, transfer_syntax) },
		{ "media_sop_class", offsetof(struct dicom_info, media_sop_class) },
		{ "sop_class", offsetof(struct dicom_info, sop_class) },
		{ "sop_instance_uid", offsetof(struct dicom_info, sop_instance_uid) },
		{ "patient_sex", offsetof(struct dicom_info, patient_sex) },
		{ "accession_number", offsetof(struct dicom_info, accession_number) },
		{ "series_description", offsetof(struct dicom_info, series_description) },
	};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		if (strcmp(key, strings[i].key) == 0)
			return (const char *)d + strings[i].offset;
	if (strcmp(key, "is_dicomdir") == 0)
		return int_str(d->is_dicomdir);
	if (strcmp(key, "big_endian") == 0)
		return int_str(d->big_endian);
	if (strcmp(key, "compressed") == 0)
		return int_str(d->compressed);
	if (strcmp(key, "status") == 0)
		return status;
	if (strcmp(key, "sniff") == 0)
		return sniffed;
	return NULL;
}

static unsigned char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL && fread(p, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

/* Compares one fixture with PATH.expect; returns the number of mismatches. */
static int check_fixture(const char *path)
{
	char expect_path[PATH_BUF + 8], line[1024];
	size_t len = 0, head, tail;
	unsigned char *data = read_whole(path, &len);
	struct dicom_info d;
	struct sniff_result s;
	const char *status;
	FILE *f;
	int bad = 0;

	snprintf(expect_path, sizeof expect_path, "%s.expect", path);
	if (!data || !(f = fopen(expect_path, "r"))) {
		print_error("%s: cannot read it or its .expect\n", path);
		free(data);
		return 1;
	}
	status = dicom_status_str(dicom_read(data, len, &d));
	head = len < SNIFF_HEAD ? len : SNIFF_HEAD;
	tail = len < SNIFF_TAIL ? len : SNIFF_TAIL;
	sniff(data, head, data + len - tail, tail, len, &s);
	while (fgets(line, sizeof line, f)) {
		char *eq = strchr(line, '=');
		const char *have;
		line[strcspn(line, "\r\n")] = '\0';
		if (!eq)
			continue;
		*eq = '\0';
		have = actual(line, &d, status, doc_type_name(s.type));
		if (!have || strcmp(have, eq + 1) != 0) {
			print_error("%s: %s: expected \"%s\", got \"%s\"\n", path, line, eq + 1,
				    have ? have : "(unknown key)");
			bad++;
		}
	}
	fclose(f);
	free(data);
	return bad;
}

static int is_expect_file(const char *name)
{
	size_t n = strlen(name);
	return n >= 7 && strcmp(name + n - 7, ".expect") == 0;
}

static void test_dcmtk_fixtures(void **state)
{
	const char *dir = getenv("RECPACK_DICOM_FIXTURES");
	char path[PATH_BUF], expect_path[PATH_BUF + 8];
	struct dirent *ent;
	int files = 0, bad = 0;
	DIR *dp;
	(void)state;
	if (!dir || !*dir)
		skip();
	dp = opendir(dir);
	assert_non_null(dp);
	while ((ent = readdir(dp)) != NULL) {
		FILE *f;
		if (ent->d_name[0] == '.' || is_expect_file(ent->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		snprintf(expect_path, sizeof expect_path, "%s.expect", path);
		if (!(f = fopen(expect_path, "r")))
			continue;
		fclose(f);
		files++;
		bad += check_fixture(path);
	}
	closedir(dp);
	assert_int_not_equal(files, 0);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explicit_le),
		cmocka_unit_test(test_implicit_le),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_stops_at_pixel_data),
		cmocka_unit_test(test_compressed_syntaxes),
		cmocka_unit_test(test_encapsulated_pixel_data_marks_compressed),
		cmocka_unit_test(test_deflated),
		cmocka_unit_test(test_deflated_is_bounded),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_single_byte_sets),
		cmocka_unit_test(test_undecodable_text),
		cmocka_unit_test(test_pn_groups),
		cmocka_unit_test(test_header_past_36k),
		cmocka_unit_test(test_pydicom_files),
		cmocka_unit_test(test_private_syntax_is_guessed),
		cmocka_unit_test(test_trims_and_truncates_values),
		cmocka_unit_test(test_sequence_content_is_not_top_level),
		cmocka_unit_test(test_un_sequence_is_implicit_inside),
		cmocka_unit_test(test_dicomdir),
		cmocka_unit_test(test_nesting_is_bounded),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_truncation_is_reported),
		cmocka_unit_test(test_huge_lengths),
		cmocka_unit_test(test_malformed_structure),
		cmocka_unit_test(test_not_dicom),
		cmocka_unit_test(test_without_preamble),
		cmocka_unit_test(test_status_strings),
		cmocka_unit_test(test_dcmtk_fixtures),
	};
	/* The script that made the fixtures wants only their verdict. */
	if (getenv("RECPACK_DICOM_FIXTURES"))
		cmocka_set_test_filter("test_dcmtk_fixtures");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
