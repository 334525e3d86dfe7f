/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dicomdir_write.c: the DICOMDIR writer, its bytes read back by our own DICOMDIR reader
 * (read/dicomdir.c, tested on its own against pydicom's discs) and checked byte by byte where
 * PS3.10 fixes them: preamble, "DICM", the File Meta group length, the root offsets, the
 * records' hierarchy and file IDs, the order, the character set, and its bounds. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/dicomdir_write.h"
#include "read/bytes.h"
#include "read/dicom.h"
#include "read/dicomdir.h"

#define MR "1.2.840.10008.5.1.4.1.1.4"
#define TS "1.2.840.10008.1.2.1"

static struct doc_dicom series(const char *pid, const char *name, const char *study, const char *date,
			       const char *ser, const char *number)
{
	struct doc_dicom d = {
		.patient_name = name, .patient_name_alphabetic = name, .patient_id = pid,
		.other_patient_ids = "", .issuer_of_patient_id = "", .patient_birth_date = "19700101",
		.patient_sex = "F", .study_uid = study, .study_date = date, .study_description = "CT chest",
		.accession_number = "A1", .modality = "CT", .series_uid = ser, .series_description = "",
		.sop_class = MR, .transfer_syntax = TS, .specific_character_set = "", .study_time = "101010",
		.study_id = "", .series_number = number,
	};
	return d;
}

static struct dicomdir_image image(const struct doc_dicom *d, const char *uid, const char *num, size_t order)
{
	struct dicomdir_image im = { .dicom = d, .sop_instance_uid = uid, .instance_number = num, .order = order };
	return im;
}

static const struct dicomdir_record *by_uid(const struct dicomdir *dd, const char *uid)
{
	for (size_t i = 0; i < dd->n; i++)
		if (dd->v[i].level == DIR_IMAGE && strcmp(dd->v[i].sop_instance_uid, uid) == 0)
			return &dd->v[i];
	return NULL;
}

/* Two patients, one with a study of two series; the files come in a shuffled order. */
static void test_round_trip(void **state)
{
	(void)state;
	struct doc_dicom a1 = series("P1", "DOE^JANE", "1.2.3.1", "20240101", "1.2.3.1.1", "2");
	struct doc_dicom a2 = series("P1", "DOE^JANE", "1.2.3.1", "20240101", "1.2.3.1.2", "1");
	struct doc_dicom b1 = series("P0", "ROE^RICHARD", "1.2.4.1", "20230101", "1.2.4.1.1", "");
	struct dicomdir_image v[] = {
		image(&a1, "1.2.3.1.1.10", "10", 0), image(&a1, "1.2.3.1.1.9", "9", 1),
		image(&a2, "1.2.3.1.2.1", "1", 2), image(&b1, "1.2.4.1.1.1", "", 3),
	};
	struct sbuf s = { 0 };
	assert_int_equal(dicomdir_encode(v, 4, &s), 0);
	const unsigned char *p = (const unsigned char *)s.p;
	for (size_t i = 0; i < 128; i++)
		assert_int_equal(p[i], 0);
	assert_memory_equal(p + 128, "DICM", 4);
	assert_memory_equal(p + 132, "\2\0\0\0UL\4\0", 8);
	uint32_t glen = le32(p + 140);
	assert_int_equal(le16(p + 144 + glen), 0x0004); /* the group ends where its length says */

	/* order: patient ID, then series number (1 before 2), then instance number (9 before 10) */
	assert_string_equal(v[0].sop_instance_uid, "1.2.4.1.1.1");
	assert_string_equal(v[0].file_id, "DICOM/ST000001/SE000001/IM000001");
	assert_string_equal(v[1].file_id, "DICOM/ST000002/SE000001/IM000001");
	assert_string_equal(v[1].sop_instance_uid, "1.2.3.1.2.1");
	assert_string_equal(v[2].file_id, "DICOM/ST000002/SE000002/IM000001");
	assert_string_equal(v[2].sop_instance_uid, "1.2.3.1.1.9");
	assert_string_equal(v[3].file_id, "DICOM/ST000002/SE000002/IM000002");

	struct dicomdir dd;
	assert_int_equal(dicomdir_read(p, s.len, &dd), DICOM_OK);
	assert_false(dd.truncated);
	assert_int_equal(dd.n, 2 + 2 + 3 + 4);
	size_t patients = 0;
	for (size_t i = 0; i < dd.n; i++)
		if (dd.v[i].level == DIR_PATIENT) {
			patients++;
			assert_int_equal(dd.v[i].parent, -1);
		} else {
			assert_true(dd.v[i].parent >= 0); /* reached from a parent's lower-level offset */
		}
	assert_int_equal(patients, 2);
	for (size_t i = 0; i < 4; i++) {
		const struct dicomdir_record *r = by_uid(&dd, v[i].sop_instance_uid);
		assert_non_null(r);
		assert_string_equal(r->file_id, v[i].file_id);
		assert_string_equal(r->sop_class_uid, MR);
		assert_string_equal(r->transfer_syntax, TS);
		const struct dicomdir_record *se = &dd.v[r->parent], *st = &dd.v[se->parent],
					     *pt = &dd.v[st->parent];
		assert_string_equal(se->series_uid, v[i].dicom->series_uid);
		assert_string_equal(st->study_uid, v[i].dicom->study_uid);
		assert_string_equal(pt->patient_id, v[i].dicom->patient_id);
	}
	/* the root's first and last records: the two patients */
	uint32_t first = 0, last = 0;
	for (size_t i = 0; i + 8 < s.len && !last; i++)
		if (le16(p + i) == 0x0004 && le16(p + i + 2) == 0x1200 && memcmp(p + i + 4, "UL", 2) == 0) {
			first = le32(p + i + 8);
			last = le32(p + i + 20);
		}
	assert_int_equal(first, dd.v[0].offset);
	assert_true(last > first);
	assert_int_equal(dd.v[0].next_offset, last);
	dicomdir_free(&dd);
	free(s.p);
}

static void test_reproducible(void **state)
{
	(void)state;
	struct doc_dicom a = series("P1", "DOE^JANE", "1.2.3", "20240101", "1.2.3.4", "1");
	struct dicomdir_image v[] = { image(&a, "1.2.3.4.1", "1", 0), image(&a, "1.2.3.4.2", "2", 1) };
	struct dicomdir_image w[] = { image(&a, "1.2.3.4.2", "2", 1), image(&a, "1.2.3.4.1", "1", 0) };
	struct sbuf s = { 0 }, t = { 0 };
	assert_int_equal(dicomdir_encode(v, 2, &s), 0);
	assert_int_equal(dicomdir_encode(w, 2, &t), 0);
	assert_int_equal(s.len, t.len);
	assert_memory_equal(s.p, t.p, s.len);
	struct dicom_info info;
	assert_int_equal(dicom_read((const unsigned char *)s.p, s.len, &info), DICOM_OK);
	assert_true(info.is_dicomdir);
	assert_string_equal(info.transfer_syntax, TS);
	assert_memory_equal(info.media_sop_instance, "2.25.", 5);
	free(s.p);
	free(t.p);
}

/* Text outside ASCII: the record says its character set; ASCII records say none. */
static void test_charset(void **state)
{
	(void)state;
	struct doc_dicom a = series("P1", "MÜLLER^JÖRG", "1.2.3", "20240101", "1.2.3.4", "1");
	struct dicomdir_image v[] = { image(&a, "1.2.3.4.1", "1", 0) };
	struct sbuf s = { 0 };
	assert_int_equal(dicomdir_encode(v, 1, &s), 0);
	assert_non_null(memmem(s.p, s.len, "ISO_IR 192", 10));
	struct dicomdir dd;
	assert_int_equal(dicomdir_read((const unsigned char *)s.p, s.len, &dd), DICOM_OK);
	assert_string_equal(dd.v[0].patient_name, "MÜLLER^JÖRG");
	dicomdir_free(&dd);
	free(s.p);

	struct doc_dicom b = series("P1", "MULLER^JORG", "1.2.3", "20240101", "1.2.3.4", "1");
	v[0].dicom = &b;
	struct sbuf t = { 0 };
	assert_int_equal(dicomdir_encode(v, 1, &t), 0);
	assert_null(memmem(t.p, t.len, "ISO_IR", 6));
	free(t.p);
}

/* Numbers a record must have but the file lacks are its place; an odd UID is NUL-padded. */
static void test_invented_numbers(void **state)
{
	(void)state;
	struct doc_dicom a = series("P1", "DOE^JANE", "1.2.3", "20240101", "1.2.3.45", "");
	struct dicomdir_image v[] = { image(&a, "1.2.3.45.6", "", 0), image(&a, "1.2.3.45.7", "", 1) };
	struct sbuf s = { 0 };
	assert_int_equal(dicomdir_encode(v, 2, &s), 0);
	assert_string_equal(v[0].sop_instance_uid, "1.2.3.45.6"); /* no number: the order they came */
	assert_non_null(memmem(s.p, s.len, "\x20\x00\x11\x00IS\x02\x00" "1 ", 10)); /* series number */
	assert_non_null(memmem(s.p, s.len, "\x20\x00\x13\x00IS\x02\x00" "2 ", 10)); /* instance 2 */
	assert_non_null(memmem(s.p, s.len, "\x04\x00\x11\x15UI\x0a\x00" "1.2.3.45.6", 18));
	assert_non_null(memmem(s.p, s.len, "\x20\x00\x0e\x00UI\x08\x00" "1.2.3.45", 16));
	free(s.p);
}

/* The bounds: none, too many images, too many bytes; out is left as it was. */
static void test_bounds(void **state)
{
	(void)state;
	struct sbuf s = { 0 };
	sbuf_puts(&s, "x");
	assert_int_equal(dicomdir_encode(NULL, 0, &s), -1);
	size_t n = DICOMDIR_WRITE_MAX_IMAGES + 1;
	struct dicomdir_image *v = calloc(n, sizeof(*v));
	assert_non_null(v);
	struct doc_dicom a = series("P1", "DOE^JANE", "1.2.3", "20240101", "1.2.3.4", "1");
	for (size_t i = 0; i < n; i++)
		v[i] = image(&a, "1.2.3.4.5", "1", i);
	assert_int_equal(dicomdir_encode(v, n, &s), -1);
	assert_int_equal(s.len, 1);

	/* every image its own patient with the longest name: more than the byte bound */
	static char names[DICOMDIR_WRITE_MAX_IMAGES / 2][12];
	static struct doc_dicom d[DICOMDIR_WRITE_MAX_IMAGES / 2];
	char longname[DICOM_PN_MAX];
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	n = DICOMDIR_WRITE_MAX_IMAGES / 2;
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "P%zu", i);
		d[i] = series(names[i], longname, "1.2.3", "20240101", "1.2.3.4", "1");
		d[i].study_description = longname;
		v[i] = image(&d[i], "1.2.3.4.5", "1", i);
	}
	assert_true(n * 3 * sizeof(longname) > DICOMDIR_WRITE_MAX_BYTES);
	assert_int_equal(dicomdir_encode(v, n, &s), -1);
	assert_int_equal(s.len, 1);
	assert_string_equal(s.p, "x");
	free(v);
	free(s.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_invented_numbers),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
