/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dicomdir.c: the DICOMDIR record reader on hand-built indexes (every encoding, hostile
 * lengths, unsafe paths, its bounds) and on the discs Debian's python3-pydicom ships, compared
 * with what pydicom reads and with the files each record references. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/dicom.h"
#include "read/dicomdir.h"

#define DICOMDIR_CLASS "1.2.840.10008.1.3.10"
#define TS_EXPLICIT "1.2.840.10008.1.2.1"
#define TS_IMPLICIT "1.2.840.10008.1.2"
#define TS_BIG "1.2.840.10008.1.2.2"
#define UNDEFINED 0xFFFFFFFFu
#define PYDICOM_DATA "/usr/lib/python3/dist-packages/pydicom/data"

enum enc { EXPLICIT, IMPLICIT, BIG };

struct buf {
	unsigned char *b;
	size_t n, cap;
	enum enc enc;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->b = realloc(b->b, b->cap);
		assert_non_null(b->b);
	}
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

static void set32(struct buf *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->b[b->enc == BIG ? at + 3 - (size_t)i : at + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static void header(struct buf *b, uint16_t g, uint16_t e, const char *vr, uint32_t len)
{
	int big = b->enc == BIG && g != 0x0002;
	put16(b, g, big);
	put16(b, e, big);
	if ((b->enc == IMPLICIT && g != 0x0002) || g == 0xFFFE) {
		put32(b, len, big);
		return;
	}
	put(b, vr, 2);
	if (strstr("OB OW SQ UN UT", vr)) {
		put16(b, 0, big);
		put32(b, len, big);
	} else {
		put16(b, (uint16_t)len, big);
	}
}

static void str(struct buf *b, uint16_t g, uint16_t e, const char *vr, const char *s)
{
	size_t n = strlen(s);
	header(b, g, e, vr, (uint32_t)(n + n % 2));
	put(b, s, n);
	if (n % 2)
		put(b, strcmp(vr, "UI") == 0 ? "" : " ", 1);
}

/* An UL element; returns where its value is, to be set later. */
static size_t ul(struct buf *b, uint16_t e, uint32_t v)
{
	header(b, 0x0004, e, "UL", 4);
	put32(b, v, b->enc == BIG);
	return b->n - 4;
}

static void start(struct buf *b, enum enc enc, const char *media_class)
{
	static const char *const ts[] = { TS_EXPLICIT, TS_IMPLICIT, TS_BIG };
	free(b->b);
	memset(b, 0, sizeof *b);
	put(b, (unsigned char[128]){ 0 }, 128);
	put(b, "DICM", 4);
	str(b, 0x0002, 0x0002, "UI", media_class);
	str(b, 0x0002, 0x0003, "UI", "1.2.3.4.5");
	str(b, 0x0002, 0x0010, "UI", ts[enc]);
	b->enc = enc;
}

/* A disc index: one patient, study, series and two images (the second with an icon image
 * sequence of undefined length inside), linked by offsets; the records' items have defined
 * lengths unless undefined_items. */
static void make_dicomdir(struct buf *b, enum enc enc, int undefined_items)
{
	static const uint16_t levels = 5;
	size_t lower_at[5], next_at[5], item_at[5], len_at[5];
	start(b, enc, DICOMDIR_CLASS);
	str(b, 0x0004, 0x1130, "CS", "TESTDISC");
	str(b, 0x0008, 0x0005, "CS", "ISO_IR 100");
	header(b, 0x0004, 0x1220, "SQ", UNDEFINED);
	for (uint16_t i = 0; i < levels; i++) {
		item_at[i] = b->n;
		header(b, 0xFFFE, 0xE000, "", undefined_items ? UNDEFINED : 0);
		len_at[i] = b->n - 4;
		next_at[i] = ul(b, 0x1400, 0);
		header(b, 0x0004, 0x1410, "US", 2);
		put16(b, 0xFFFF, enc == BIG);
		lower_at[i] = ul(b, 0x1420, 0);
		static const char *const type[] = { "PATIENT", "STUDY", "SERIES", "IMAGE", "IMAGE" };
		str(b, 0x0004, 0x1430, "CS", type[i]);
		if (i == 0) {
			str(b, 0x0010, 0x0010, "PN", "M\xfcller^J\xf6rg");
			str(b, 0x0010, 0x0020, "LO", "MRN42");
		} else if (i == 1) {
			str(b, 0x0008, 0x0020, "DA", "20260301");
			str(b, 0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.8.498.1");
		} else if (i == 2) {
			str(b, 0x0008, 0x0060, "CS", "CT");
			str(b, 0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.8.498.1.1");
		} else {
			str(b, 0x0004, 0x1500, "CS", i == 3 ? "DICOM\\ST1\\IM1" : "DICOM\\ST1\\IM2");
			str(b, 0x0004, 0x1510, "UI", "1.2.840.10008.5.1.4.1.1.2");
			str(b, 0x0004, 0x1511, "UI", i == 3 ? "1.2.3.100.1" : "1.2.3.100.2");
			str(b, 0x0004, 0x1512, "UI", TS_EXPLICIT);
		}
		if (i == 4) { /* icon image sequence: its content is not the record's */
			header(b, 0x0088, 0x0200, "SQ", UNDEFINED);
			header(b, 0xFFFE, 0xE000, "", UNDEFINED);
			str(b, 0x0004, 0x1511, "UI", "9.9.9");
			header(b, 0x7FE0, 0x0010, "OB", 4);
			put(b, "\1\2\3\4", 4);
			header(b, 0xFFFE, 0xE00D, "", 0);
			header(b, 0xFFFE, 0xE0DD, "", 0);
		}
		if (undefined_items)
			header(b, 0xFFFE, 0xE00D, "", 0);
		else
			set32(b, len_at[i], (uint32_t)(b->n - len_at[i] - 4));
	}
	header(b, 0xFFFE, 0xE0DD, "", 0);
	for (int i = 0; i < 3; i++)
		set32(b, lower_at[i], (uint32_t)item_at[i + 1]);
	set32(b, next_at[3], (uint32_t)item_at[4]);
}

static void check_disc(const struct dicomdir *d)
{
	assert_int_equal(d->n, 5);
	assert_string_equal(d->v[0].type, "PATIENT");
	assert_int_equal(d->v[0].level, DIR_PATIENT);
	assert_string_equal(d->v[0].patient_name, "Müller^Jörg");
	assert_string_equal(d->v[0].patient_id, "MRN42");
	assert_int_equal(d->v[0].parent, -1);
	assert_int_equal(d->v[1].level, DIR_STUDY);
	assert_string_equal(d->v[1].study_uid, "1.2.826.0.1.3680043.8.498.1");
	assert_int_equal(d->v[1].parent, 0);
	assert_int_equal(d->v[2].level, DIR_SERIES);
	assert_string_equal(d->v[2].modality, "CT");
	assert_int_equal(d->v[2].parent, 1);
	for (int i = 3; i < 5; i++) {
		assert_int_equal(d->v[i].level, DIR_IMAGE);
		assert_int_equal(d->v[i].parent, 2);
		assert_false(d->v[i].file_id_unsafe);
		assert_false(d->v[i].inactive);
	}
	assert_string_equal(d->v[3].file_id, "DICOM/ST1/IM1");
	assert_string_equal(d->v[3].sop_instance_uid, "1.2.3.100.1");
	assert_string_equal(d->v[3].transfer_syntax, TS_EXPLICIT);
	assert_string_equal(d->v[4].file_id, "DICOM/ST1/IM2");
	assert_string_equal(d->v[4].sop_instance_uid, "1.2.3.100.2"); /* not the icon's 9.9.9 */
	assert_string_equal(d->media_sop_instance, "1.2.3.4.5");
}

static void test_every_encoding(void **state)
{
	struct buf b = { 0 };
	struct dicomdir d;
	(void)state;
	for (int enc = EXPLICIT; enc <= BIG; enc++)
		for (int undefined = 0; undefined <= 1; undefined++) {
			make_dicomdir(&b, (enum enc)enc, undefined);
			assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_OK);
			check_disc(&d);
			dicomdir_free(&d);
		}
	free(b.b);
}

static void test_every_truncation(void **state)
{
	struct buf b = { 0 };
	struct dicomdir d;
	(void)state;
	for (int undefined = 0; undefined <= 1; undefined++) {
		make_dicomdir(&b, EXPLICIT, undefined);
		for (size_t len = 0; len < b.n; len++) {
			unsigned char *copy = malloc(len ? len : 1); /* exact size: ASan sees overreads */
			assert_non_null(copy);
			memcpy(copy, b.b, len);
			enum dicom_status st = dicomdir_read(copy, len, &d);
			free(copy);
			assert_true(st == DICOM_NOT_DICOM || st == DICOM_TRUNCATED);
			assert_true(d.n <= 5);
			for (size_t i = 0; i < d.n; i++)
				assert_true(d.v[i].parent < (long)i); /* parents come first, never loop */
			dicomdir_free(&d);
		}
	}
	free(b.b);
}

static void test_unsafe_file_ids(void **state)
{
	static const char *const ids[] = { "..\\ETC\\PASSWD", "DICOM\\\\IM1", "DICOM/..", ".", "A\\.\\B", "\\IM1" };
	struct buf b = { 0 };
	struct dicomdir d;
	(void)state;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		start(&b, EXPLICIT, DICOMDIR_CLASS);
		header(&b, 0x0004, 0x1220, "SQ", UNDEFINED);
		header(&b, 0xFFFE, 0xE000, "", UNDEFINED);
		str(&b, 0x0004, 0x1430, "CS", "IMAGE");
		str(&b, 0x0004, 0x1500, "CS", ids[i]);
		header(&b, 0xFFFE, 0xE00D, "", 0);
		header(&b, 0xFFFE, 0xE0DD, "", 0);
		assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_OK);
		assert_int_equal(d.n, 1);
		assert_true(d.v[0].file_id_unsafe);
		assert_string_equal(d.v[0].file_id, "");
		assert_int_equal(d.v[0].level, DIR_IMAGE);
		dicomdir_free(&d);
	}
	free(b.b);
}

static void test_not_a_dicomdir(void **state)
{
	struct buf b = { 0 };
	struct dicomdir d;
	(void)state;
	start(&b, EXPLICIT, "1.2.840.10008.5.1.4.1.1.2");
	str(&b, 0x0010, 0x0010, "PN", "DOE^JANE");
	assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_NOT_DICOM);
	assert_int_equal(d.n, 0);
	dicomdir_free(&d);
	assert_int_equal(dicomdir_read((const unsigned char *)"DICM", 4, &d), DICOM_NOT_DICOM);
	dicomdir_free(&d);
	assert_int_equal(dicomdir_read(NULL, 0, &d), DICOM_NOT_DICOM);
	dicomdir_free(&d);
	free(b.b);
}

/* Hostile structure: a sequence holding a non-item, items whose length exceeds the sequence,
 * nesting past the depth bound, and offsets that loop. */
static void test_hostile(void **state)
{
	struct buf b = { 0 };
	struct dicomdir d;
	(void)state;
	start(&b, EXPLICIT, DICOMDIR_CLASS);
	header(&b, 0x0004, 0x1220, "SQ", UNDEFINED);
	str(&b, 0x0010, 0x0010, "PN", "NOT^AN^ITEM");
	assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_MALFORMED);
	dicomdir_free(&d);

	start(&b, EXPLICIT, DICOMDIR_CLASS);
	header(&b, 0x0004, 0x1220, "SQ", 16);
	header(&b, 0xFFFE, 0xE000, "", 100);
	str(&b, 0x0004, 0x1430, "CS", "IMAGE");
	assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_TRUNCATED);
	dicomdir_free(&d);

	start(&b, EXPLICIT, DICOMDIR_CLASS);
	header(&b, 0x0004, 0x1220, "SQ", UNDEFINED);
	header(&b, 0xFFFE, 0xE000, "", UNDEFINED);
	for (int i = 0; i < 100; i++) {
		header(&b, 0x0040, 0xA730, "SQ", UNDEFINED);
		header(&b, 0xFFFE, 0xE000, "", UNDEFINED);
	}
	assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_MALFORMED);
	dicomdir_free(&d);

	/* two records naming each other as next and as lower level */
	start(&b, EXPLICIT, DICOMDIR_CLASS);
	header(&b, 0x0004, 0x1220, "SQ", UNDEFINED);
	size_t at[2], next[2], lower[2];
	for (int i = 0; i < 2; i++) {
		at[i] = b.n;
		header(&b, 0xFFFE, 0xE000, "", UNDEFINED);
		next[i] = ul(&b, 0x1400, 0);
		lower[i] = ul(&b, 0x1420, 0);
		str(&b, 0x0004, 0x1430, "CS", "PATIENT");
		header(&b, 0xFFFE, 0xE00D, "", 0);
	}
	header(&b, 0xFFFE, 0xE0DD, "", 0);
	set32(&b, next[0], (uint32_t)at[1]);
	set32(&b, next[1], (uint32_t)at[0]);
	set32(&b, lower[0], (uint32_t)at[1]);
	set32(&b, lower[1], (uint32_t)at[0]);
	assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_OK);
	assert_int_equal(d.n, 2);
	assert_true(d.v[0].parent == -1 || d.v[1].parent == -1);
	dicomdir_free(&d);
	free(b.b);
}

static void test_record_bound(void **state)
{
	struct buf b = { 0 };
	struct dicomdir d;
	(void)state;
	start(&b, EXPLICIT, DICOMDIR_CLASS);
	header(&b, 0x0004, 0x1220, "SQ", UNDEFINED);
	for (size_t i = 0; i <= DICOMDIR_MAX_RECORDS; i++)
		header(&b, 0xFFFE, 0xE000, "", 0);
	header(&b, 0xFFFE, 0xE0DD, "", 0);
	assert_int_equal(dicomdir_read(b.b, b.n, &d), DICOM_TRUNCATED);
	assert_int_equal(d.n, DICOMDIR_MAX_RECORDS);
	assert_true(d.truncated);
	assert_int_equal(d.v[0].level, DIR_OTHER);
	dicomdir_free(&d);
	free(b.b);
}

/* ---- pydicom's discs ---- */

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

/* For each DICOMDIR named: a "#PATH" line, then for each record: type, file id joined with
 * '/', SOP instance, name, ID, study and series UIDs, modality. */
static const char pydicom_script[] =
	"import sys, warnings, pydicom\n"
	"warnings.simplefilter('ignore')\n"
	"def s(v):\n"
	"  if v is None: return ''\n"
	"  if isinstance(v, pydicom.multival.MultiValue): return '/'.join(str(x) for x in v)\n"
	"  return str(v).strip()\n"
	"for path in sys.argv[1:]:\n"
	"  print('#' + path)\n"
	"  for r in pydicom.dcmread(path).DirectoryRecordSequence:\n"
	"    print('\\t'.join(s(r.get(k)) for k in ('DirectoryRecordType', 'ReferencedFileID',\n"
	"      'ReferencedSOPInstanceUIDInFile', 'PatientName', 'PatientID', 'StudyInstanceUID',\n"
	"      'SeriesInstanceUID', 'Modality')))\n";

/* pydicom's reading of the files in paths (one run: starting Python is slow), as a FILE to
 * read, or NULL when there is no python3 with pydicom. */
static FILE *pydicom_records(const char *const *paths, size_t n)
{
	char script[] = "/tmp/recpack-dicomdir-XXXXXX", cmd[16384];
	int fd = mkstemp(script);
	size_t at;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pydicom_script, strlen(pydicom_script)), (ssize_t)strlen(pydicom_script));
	close(fd);
	at = (size_t)snprintf(cmd, sizeof cmd, "for p in /usr/bin/python3 python3; do $p -c 'import pydicom' 2>/dev/null && exec $p %s", script);
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(cmd + at, sizeof cmd - at, " '%s'", paths[i]);
	snprintf(cmd + at, sizeof cmd - at, "; done; exit 3");
	assert_true(at < sizeof cmd - 20);
	FILE *out = tmpfile(), *p = popen(cmd, "r");
	char line[4096];
	assert_non_null(out);
	assert_non_null(p);
	while (fgets(line, sizeof line, p))
		fputs(line, out);
	int rc = pclose(p);
	unlink(script);
	rewind(out);
	if (rc != 0) {
		fclose(out);
		return NULL;
	}
	return out;
}

/* Compares one DICOMDIR's records with its section of pydicom's output. */
static void compare_with_pydicom(FILE *py, const char *path, const struct dicomdir *d)
{
	char line[4096];
	size_t i = 0;
	int in_section = 0;
	rewind(py);
	while (fgets(line, sizeof line, py)) {
		char *f[8];
		int k = 0;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#') {
			in_section = strcmp(line + 1, path) == 0;
			continue;
		}
		if (!in_section)
			continue;
		for (char *t = line; k < 8; k++) {
			f[k] = t;
			t = strchr(t, '\t');
			if (!t)
				break;
			*t++ = '\0';
		}
		assert_int_equal(k, 7);
		assert_true(i < d->n);
		const struct dicomdir_record *r = &d->v[i++];
		const char *ours[] = { r->type, r->file_id, r->sop_instance_uid, r->patient_name,
				       r->patient_id, r->study_uid, r->series_uid, r->modality };
		for (k = 0; k < 8; k++)
			if (strcmp(ours[k], f[k]) != 0)
				fail_msg("%s record %zu field %d: pydicom \"%s\", recpack \"%s\"", path, i - 1, k, f[k], ours[k]);
	}
	assert_int_equal(i, d->n);
}

/* Every IMAGE record's file is on the disc and holds the SOP instance the record names. */
static int check_references(const char *dir, const struct dicomdir *d)
{
	int checked = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct dicomdir_record *r = &d->v[i];
		char path[4096];
		size_t len = 0;
		struct dicom_info info;
		if (r->level != DIR_IMAGE)
			continue;
		assert_true(r->file_id[0] != '\0');
		assert_int_equal(d->v[d->v[i].parent].level, DIR_SERIES);
		snprintf(path, sizeof path, "%s/%s", dir, r->file_id);
		unsigned char *data = read_whole(path, &len);
		if (!data)
			fail_msg("%s: listed in the DICOMDIR but cannot be read", path);
		dicom_read(data, len < DICOM_HEAD_MAX ? len : DICOM_HEAD_MAX, &info);
		free(data);
		assert_string_equal(info.sop_instance_uid, r->sop_instance_uid);
		checked++;
	}
	return checked;
}

/* How many file references dicom3tools' dcdirdmp lists (its " -> " lines), or -1 without it. */
static long dcdirdmp_references(const char *path)
{
	char cmd[9000];
	long n = -1;
	snprintf(cmd, sizeof cmd, "command -v dcdirdmp >/dev/null && dcdirdmp '%s' 2>&1 | grep -c -- ' -> '", path);
	FILE *p = popen(cmd, "r");
	if (p && fscanf(p, "%ld", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static void test_pydicom_discs(void **state)
{
	static const struct {
		const char *file;
		const char *root; /* where its file ids start, or NULL when its files are not shipped */
		enum dicom_status status;
		size_t records;
	} discs[] = {
		{ "DICOMDIR", "", DICOM_OK, 52 },
		{ "TINY_ALPHA/DICOMDIR", "TINY_ALPHA", DICOM_OK, 53 },
		{ "DICOMDIR-implicit", NULL, DICOM_OK, 52 },
		{ "DICOMDIR-bigEnd", NULL, DICOM_OK, 52 },
		{ "DICOMDIR-reordered", NULL, DICOM_OK, 52 },
		{ "DICOMDIR-nopatient", NULL, DICOM_OK, 52 },
		/* its last item claims 24 bytes more than the file holds: listed, and reported */
		{ "DICOMDIR-nooffset", NULL, DICOM_TRUNCATED, 52 },
		{ "DICOMDIR-empty.dcm", NULL, DICOM_OK, 0 },
	};
	enum { N = sizeof discs / sizeof discs[0] };
	const char *data = getenv("RECPACK_PYDICOM_DATA") ? getenv("RECPACK_PYDICOM_DATA") : PYDICOM_DATA;
	char paths[N][1024], dir[1100];
	const char *argv[N];
	int images = 0;
	FILE *py;
	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/test_files/dicomdirtests/%s", data, discs[i].file);
		argv[i] = paths[i];
	}
	if (access(paths[0], R_OK) != 0) {
		print_message("skipped: pydicom's discs are not in %s (apt-get install python3-pydicom)\n", data);
		skip();
	}
	py = pydicom_records(argv, N);
	if (!py)
		print_message("no python3 with pydicom: records checked against their files only\n");
	for (size_t i = 0; i < N; i++) {
		struct dicomdir d;
		size_t len = 0;
		unsigned char *bytes = read_whole(paths[i], &len);
		assert_non_null(bytes);
		assert_int_equal(dicomdir_read(bytes, len, &d), discs[i].status);
		assert_int_equal(d.n, discs[i].records);
		if (py)
			compare_with_pydicom(py, paths[i], &d);
		long refs = d.n ? dcdirdmp_references(paths[i]) : -1, ours = 0;
		for (size_t k = 0; k < d.n; k++)
			ours += d.v[k].file_id[0] != '\0';
		/* dcdirdmp walks the hierarchy from the root record: without a PATIENT record it
		 * reaches only one image, where reading every record finds them all */
		if (refs >= 0 && discs[i].status == DICOM_OK && !strstr(discs[i].file, "nopatient"))
			assert_int_equal(ours, refs);
		if (discs[i].root) {
			snprintf(dir, sizeof dir, "%s/test_files/dicomdirtests/%s", data, discs[i].root);
			images += check_references(dir, &d);
		}
		dicomdir_free(&d);
		free(bytes);
	}
	if (py)
		fclose(py);
	assert_true(images >= 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_encoding),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_unsafe_file_ids),
		cmocka_unit_test(test_not_a_dicomdir),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_record_bound),
		cmocka_unit_test(test_pydicom_discs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
