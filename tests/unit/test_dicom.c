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

#include "read/dicom.h"
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
		put32(b, len, 0);
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

static void test_big_endian_reads_meta_only(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	ct_image(&b, BIG, TS_BIG);
	assert_int_equal(parse(&b, &d), DICOM_BIG_ENDIAN);
	assert_true(d.big_endian);
	assert_string_equal(d.transfer_syntax, TS_BIG);
	assert_string_equal(d.media_sop_class, CT_STORAGE);
	assert_string_equal(d.patient_name, "");
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

static void test_deflated_reports_meta(void **state)
{
	struct buf b;
	struct dicom_info d;
	(void)state;
	part10(&b, EXPLICIT, CT_STORAGE, TS_DEFLATED);
	put(&b, "\x78\x9c\x01\x02\x03\x04\x05\x06", 8); /* deflated bytes, not elements */
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_true(d.compressed);
	assert_string_equal(d.transfer_syntax, TS_DEFLATED);
	assert_string_equal(d.patient_name, "");
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
	char long_name[301];
	struct buf b;
	struct dicom_info d;
	(void)state;
	memset(long_name, 'A', 300);
	long_name[300] = '\0';
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	str(&b, 0x0008, 0x0060, "CS", "MR      ");
	header(&b, 0x0008, 0x1030, "LO", 6);
	put(&b, "HEAD\0\0", 6);
	str(&b, 0x0010, 0x0010, "PN", long_name);
	assert_int_equal(parse(&b, &d), DICOM_OK);
	assert_string_equal(d.modality, "MR");
	assert_string_equal(d.study_description, "HEAD");
	assert_int_equal(strlen(d.patient_name), DICOM_FIELD_MAX - 1);
	assert_memory_equal(d.patient_name, long_name, DICOM_FIELD_MAX - 1);
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
	check_prefixes(&b, DICOM_BIG_ENDIAN);
	dicomdir(&b);
	check_prefixes(&b, DICOM_OK);
	part10(&b, EXPLICIT, CT_STORAGE, TS_EXPLICIT);
	nested_sequence(&b, 0x0008, 0x1110);
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
	assert_string_equal(dicom_status_str(DICOM_BIG_ENDIAN), "big endian");
	assert_string_equal(dicom_status_str(DICOM_NOT_DICOM), "not DICOM");
}

/* ---- files made by dcmtk, expectations written from dcmdump (tests/cli/dicom_dcmdump.sh) ---- */

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
		cmocka_unit_test(test_big_endian_reads_meta_only),
		cmocka_unit_test(test_stops_at_pixel_data),
		cmocka_unit_test(test_compressed_syntaxes),
		cmocka_unit_test(test_encapsulated_pixel_data_marks_compressed),
		cmocka_unit_test(test_deflated_reports_meta),
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
