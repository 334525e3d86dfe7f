/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicom.c: see dicom.h. One forward pass over the bytes; sequences are walked with an explicit
 * nesting stack (no recursion) so that only top-level elements are recorded. Values are kept
 * raw while reading and decoded at the end, once SpecificCharacterSet is known wherever it sat. */
#include "read/dicom.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "read/bytes.h"
#include "read/dicom_text.h"

#define PREAMBLE 128
#define UNDEFINED_LENGTH 0xFFFFFFFFu
#define MAX_DEPTH 64 /* one bit per level in struct nest */
#define RAW_MAX 512  /* bytes of a value kept for decoding (LO is 64 characters, PN 3 x 64) */

#define UID_DICOMDIR "1.2.840.10008.1.3.10"
#define TS_IMPLICIT_LE "1.2.840.10008.1.2"
#define TS_EXPLICIT_LE "1.2.840.10008.1.2.1"
#define TS_EXPLICIT_BE "1.2.840.10008.1.2.2"
#define TS_DEFLATED "1.2.840.10008.1.2.1.99"
#define TS_RLE "1.2.840.10008.1.2.5"
#define TS_JPEG_FAMILY "1.2.840.10008.1.2.4." /* JPEG, JPEG-LS, JPEG 2000, MPEG, HEVC, HTJ2K */

enum encoding { ENC_UNKNOWN, ENC_EXPLICIT_LE, ENC_IMPLICIT_LE, ENC_BIG_ENDIAN, ENC_DEFLATED };

struct element {
	uint16_t group, elem;
	char vr[3]; /* "" in implicit VR and for item/delimiter tags */
	uint32_t length;
};

/* Open undefined-length sequences and items; bit d is level d+1. */
struct nest {
	unsigned depth;
	uint64_t is_item;  /* else a sequence */
	uint64_t implicit; /* encoding of the elements inside the level (always little endian) */
};

enum { F_SPECIFIC_CHARSET, F_MEDIA_SOP_INSTANCE, N_FIXED }; /* field indexes used by name */

/* The raw values of the fields, as read. */
struct raw {
	unsigned char v[32][RAW_MAX];
	uint16_t len[32];
	unsigned char seen[32];
};

struct reader {
	const unsigned char *buf;
	size_t len, pos;
	int implicit; /* top-level data set encoding */
	int big;      /* explicit VR big endian (not inside implicit levels) */
	int at_pixel; /* stopped at top-level pixel data */
	struct nest nest;
	struct raw *raw;
};

enum text { ASCII, TEXT, NAME };

#define FIELD(g, e, member, how) \
	{ g, e, offsetof(struct dicom_info, member), sizeof(((struct dicom_info *)0)->member), how }

static const struct field {
	uint16_t group, elem;
	size_t offset, size;
	enum text how;
} fields[] = {
	[F_SPECIFIC_CHARSET] = FIELD(0x0008, 0x0005, specific_character_set, ASCII),
	[F_MEDIA_SOP_INSTANCE] = FIELD(0x0002, 0x0003, media_sop_instance, ASCII),
	FIELD(0x0002, 0x0002, media_sop_class, ASCII),
	FIELD(0x0002, 0x0010, transfer_syntax, ASCII),
	FIELD(0x0008, 0x0016, sop_class, ASCII),
	FIELD(0x0008, 0x0018, sop_instance_uid, ASCII),
	FIELD(0x0008, 0x0020, study_date, ASCII),
	FIELD(0x0008, 0x0030, study_time, ASCII),
	FIELD(0x0008, 0x0050, accession_number, TEXT),
	FIELD(0x0008, 0x0060, modality, ASCII),
	FIELD(0x0008, 0x1030, study_description, TEXT),
	FIELD(0x0008, 0x103E, series_description, TEXT),
	FIELD(0x0010, 0x0010, patient_name, NAME),
	FIELD(0x0010, 0x0020, patient_id, TEXT),
	FIELD(0x0010, 0x0021, issuer_of_patient_id, TEXT),
	FIELD(0x0010, 0x0030, patient_birth_date, ASCII),
	FIELD(0x0010, 0x0040, patient_sex, ASCII),
	FIELD(0x0010, 0x1000, other_patient_ids, TEXT),
	FIELD(0x0020, 0x000D, study_uid, ASCII),
	FIELD(0x0020, 0x000E, series_uid, ASCII),
	FIELD(0x0020, 0x0010, study_id, TEXT),
	FIELD(0x0020, 0x0011, series_number, ASCII),
	FIELD(0x0020, 0x0013, instance_number, ASCII),
};

#define N_FIELDS (sizeof fields / sizeof fields[0])
_Static_assert(N_FIELDS <= sizeof ((struct raw *)0)->len / sizeof(uint16_t), "struct raw holds every field");

static size_t remaining(const struct reader *r)
{
	return r->len - r->pos;
}

static int is_known_vr(const unsigned char *p)
{
	static const char vrs[][3] = { "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
				       "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US" };
	for (size_t i = 0; i < sizeof vrs / sizeof vrs[0]; i++)
		if (memcmp(p, vrs[i], 2) == 0)
			return 1;
	return dicom_vr_long_length((const char *)p);
}

/* Reads one element header at r->pos and advances past it; the value is not consumed.
 * Implicit levels are always little endian (a UN sequence inside a big-endian file). */
static enum dicom_status read_header(struct reader *r, int implicit, struct element *e)
{
	const unsigned char *p = r->buf + r->pos;
	int big = r->big && !implicit;
	if (remaining(r) < 8)
		return DICOM_TRUNCATED;
	e->group = rd16(p, big);
	e->elem = rd16(p + 2, big);
	e->vr[0] = '\0';
	if (implicit || e->group == 0xFFFE) {
		e->length = rd32(p + 4, big);
		r->pos += 8;
		return DICOM_OK;
	}
	if (!is_known_vr(p + 4))
		return DICOM_MALFORMED;
	memcpy(e->vr, p + 4, 2);
	e->vr[2] = '\0';
	if (!dicom_vr_long_length(e->vr)) {
		e->length = rd16(p + 6, big);
		r->pos += 8;
		return DICOM_OK;
	}
	if (remaining(r) < 12)
		return DICOM_TRUNCATED;
	e->length = rd32(p + 8, big);
	r->pos += 12;
	return DICOM_OK;
}

/* Keeps the raw value of a field the reader wants (the first time it is seen). */
static void record(struct raw *raw, const struct element *e, const unsigned char *value)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].group == e->group && fields[i].elem == e->elem && !raw->seen[i]) {
			size_t n = e->length < RAW_MAX ? e->length : RAW_MAX;
			memcpy(raw->v[i], value, n);
			raw->len[i] = (uint16_t)n;
			raw->seen[i] = 1;
		}
}

static int is_pixel_data(const struct element *e)
{
	return e->group == 0x7FE0 && e->elem == 0x0010;
}

/* ---- nesting of undefined-length sequences and items ---- */

static int current_implicit(const struct reader *r)
{
	if (r->nest.depth == 0)
		return r->implicit;
	return (int)(r->nest.implicit >> (r->nest.depth - 1) & 1);
}

static int top_is_item(const struct nest *n)
{
	return n->depth > 0 && (n->is_item >> (n->depth - 1) & 1);
}

static enum dicom_status push(struct nest *n, int is_item, int implicit)
{
	uint64_t bit;
	if (n->depth == MAX_DEPTH)
		return DICOM_MALFORMED;
	bit = (uint64_t)1 << n->depth;
	n->is_item = is_item ? n->is_item | bit : n->is_item & ~bit;
	n->implicit = implicit ? n->implicit | bit : n->implicit & ~bit;
	n->depth++;
	return DICOM_OK;
}

/* An element of undefined length opens a sequence (or encapsulated pixel data, whose fragments
 * are items). A UN sequence is always encoded implicit VR little endian inside. */
static enum dicom_status open_sequence(struct reader *r, const struct element *e, int implicit)
{
	if (implicit || strcmp(e->vr, "SQ") == 0 || is_pixel_data(e))
		return push(&r->nest, 0, implicit);
	if (strcmp(e->vr, "UN") == 0)
		return push(&r->nest, 0, 1);
	return DICOM_MALFORMED;
}

/* (FFFE,E000) item, (FFFE,E00D) item end, (FFFE,E0DD) sequence end. */
static enum dicom_status handle_item_tag(struct reader *r, const struct element *e)
{
	struct nest *n = &r->nest;
	int in_sequence = n->depth > 0 && !top_is_item(n);
	if (e->elem == 0xE000 && in_sequence) {
		if (e->length == UNDEFINED_LENGTH)
			return push(n, 1, current_implicit(r));
		if (e->length > remaining(r))
			return DICOM_TRUNCATED;
		r->pos += e->length;
		return DICOM_OK;
	}
	if (e->length != 0)
		return DICOM_MALFORMED;
	if ((e->elem == 0xE00D && top_is_item(n)) || (e->elem == 0xE0DD && in_sequence)) {
		n->depth--;
		return DICOM_OK;
	}
	return DICOM_MALFORMED;
}

/* ---- transfer syntax ---- */

static enum encoding encoding_of(const char *ts)
{
	if (strcmp(ts, TS_EXPLICIT_LE) == 0)
		return ENC_EXPLICIT_LE;
	if (strcmp(ts, TS_IMPLICIT_LE) == 0)
		return ENC_IMPLICIT_LE;
	if (strcmp(ts, TS_EXPLICIT_BE) == 0)
		return ENC_BIG_ENDIAN;
	if (strcmp(ts, TS_DEFLATED) == 0)
		return ENC_DEFLATED;
	/* Encapsulated syntaxes keep the data set explicit VR little endian. */
	if (strncmp(ts, TS_JPEG_FAMILY, strlen(TS_JPEG_FAMILY)) == 0 || strcmp(ts, TS_RLE) == 0)
		return ENC_EXPLICIT_LE;
	return ENC_UNKNOWN;
}

static int is_compressed_ts(const char *ts)
{
	return strncmp(ts, TS_JPEG_FAMILY, strlen(TS_JPEG_FAMILY)) == 0 || strcmp(ts, TS_RLE) == 0 ||
	       strcmp(ts, TS_DEFLATED) == 0;
}

/* For a missing or private transfer syntax: explicit VR if a VR follows the first tag. */
static int guess_implicit(const struct reader *r)
{
	return remaining(r) >= 6 && !is_known_vr(r->buf + r->pos + 4);
}

/* ---- decoding the values kept ---- */

/* Trims leading and trailing spaces (and trailing NULs) of a raw value. */
static const unsigned char *trim(const unsigned char *v, size_t *n)
{
	while (*n > 0 && (v[*n - 1] == ' ' || v[*n - 1] == '\0'))
		(*n)--;
	while (*n > 0 && v[0] == ' ')
		v++, (*n)--;
	return v;
}

/* ASCII fields (UIDs, dates, codes): copied up to a NUL, any byte that is not printable
 * ASCII shown as '?', so that every field is UTF-8 whatever the file holds. */
static void copy_ascii(char *dst, size_t size, const unsigned char *v, size_t n)
{
	size_t k = 0;
	v = trim(v, &n);
	for (; k < n && k < size - 1 && v[k]; k++)
		dst[k] = v[k] >= 0x20 && v[k] < 0x7F ? (char)v[k] : '?';
	dst[k] = '\0';
}

static void decode_fields(const struct raw *raw, struct dicom_info *out)
{
	copy_ascii(out->specific_character_set, sizeof out->specific_character_set,
		   raw->v[F_SPECIFIC_CHARSET], raw->len[F_SPECIFIC_CHARSET]);
	if (!dicom_charset_known(out->specific_character_set))
		out->text_lossy = 1;
	for (size_t i = 0; i < N_FIELDS; i++) {
		char *dst = (char *)out + fields[i].offset;
		size_t n = raw->len[i];
		const unsigned char *v = trim(raw->v[i], &n);
		if (i == F_SPECIFIC_CHARSET || !raw->seen[i])
			continue;
		if (fields[i].how == ASCII)
			copy_ascii(dst, fields[i].size, v, n);
		else if (dicom_text_decode(out->specific_character_set, v, n, dst, fields[i].size))
			out->text_lossy = 1;
	}
	size_t pn = strlen(out->patient_name);
	while (pn > 0 && out->patient_name[pn - 1] == '=') /* empty trailing component groups */
		out->patient_name[--pn] = '\0';
	dicom_pn_group(out->patient_name, 0, out->patient_name_alphabetic, sizeof out->patient_name_alphabetic);
}

/* ---- file meta information (group 0002, always explicit VR little endian) ---- */

static enum dicom_status read_meta(struct reader *r, struct dicom_info *out)
{
	size_t meta_start = 0;
	uint32_t meta_len = 0; /* from (0002,0000) when present */
	struct element e;
	enum dicom_status st;

	while (remaining(r) >= 2 && le16(r->buf + r->pos) == 0x0002) {
		if ((st = read_header(r, 0, &e)) != DICOM_OK)
			return st;
		if (e.length == UNDEFINED_LENGTH)
			return DICOM_MALFORMED;
		if (e.length > remaining(r))
			return DICOM_TRUNCATED;
		if (e.elem == 0x0000 && e.length == 4) {
			meta_start = r->pos + 4;
			meta_len = le32(r->buf + r->pos);
		}
		record(r->raw, &e, r->buf + r->pos);
		r->pos += e.length;
	}
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].group == 0x0002)
			copy_ascii((char *)out + fields[i].offset, fields[i].size, r->raw->v[i], r->raw->len[i]);
	if (remaining(r) < 2 && (r->pos - meta_start < meta_len || out->transfer_syntax[0] == '\0'))
		return DICOM_TRUNCATED;
	return DICOM_OK;
}

/* ---- data set ---- */

static enum dicom_status read_dataset(struct reader *r)
{
	struct element e;
	enum dicom_status st;

	while (remaining(r) > 0) {
		int implicit = current_implicit(r);
		if ((st = read_header(r, implicit, &e)) != DICOM_OK)
			return st;
		if (e.group == 0xFFFE) {
			st = handle_item_tag(r, &e);
		} else if (r->nest.depth > 0 && !top_is_item(&r->nest)) {
			st = DICOM_MALFORMED; /* a sequence holds only items */
		} else if (r->nest.depth == 0 && is_pixel_data(&e)) {
			r->at_pixel = 1 + (e.length == UNDEFINED_LENGTH);
			return DICOM_OK;
		} else if (e.length == UNDEFINED_LENGTH) {
			st = open_sequence(r, &e, implicit);
		} else if (e.length > remaining(r)) {
			st = DICOM_TRUNCATED;
		} else {
			if (r->nest.depth == 0 && e.group != 0x0002)
				record(r->raw, &e, r->buf + r->pos);
			r->pos += e.length;
		}
		if (st != DICOM_OK)
			return st;
	}
	return r->nest.depth > 0 ? DICOM_TRUNCATED : DICOM_OK;
}

/* Deflated explicit VR little endian: the data set after the meta group is one raw deflate
 * stream. It is inflated into at most DICOM_HEAD_MAX bytes; a stream cut by the end of the
 * buffer gives the header it holds so far, and the header is truncated unless pixel data or
 * the stream's end was reached. */
static enum dicom_status read_deflated(struct reader *r)
{
	z_stream z;
	unsigned char *out = malloc(DICOM_HEAD_MAX);
	enum dicom_status st;
	int zr;

	if (!out)
		return DICOM_TRUNCATED;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
		free(out);
		return DICOM_TRUNCATED;
	}
	z.next_in = (unsigned char *)(uintptr_t)(r->buf + r->pos);
	z.avail_in = remaining(r) > UINT32_MAX ? UINT32_MAX : (uInt)remaining(r);
	z.next_out = out;
	z.avail_out = DICOM_HEAD_MAX;
	do
		zr = inflate(&z, Z_SYNC_FLUSH);
	while (zr == Z_OK && z.avail_in > 0 && z.avail_out > 0);
	inflateEnd(&z);

	struct reader d = { .buf = out, .len = DICOM_HEAD_MAX - z.avail_out, .raw = r->raw };
	st = read_dataset(&d);
	if (st == DICOM_OK && !d.at_pixel && zr != Z_STREAM_END)
		st = zr == Z_DATA_ERROR ? DICOM_MALFORMED : DICOM_TRUNCATED;
	else if (st == DICOM_TRUNCATED && zr == Z_DATA_ERROR)
		st = DICOM_MALFORMED;
	free(out);
	return st;
}

/* A data set without preamble and meta header, as some old archives store it: the first two
 * elements must both be in group 0008 in ascending order and the first must fit. */
static int looks_like_bare_dataset(const unsigned char *buf, size_t len, int *implicit)
{
	struct reader r = { .buf = buf, .len = len };
	struct element first, second;

	if (len < 16 || le16(buf) != 0x0008)
		return 0;
	*implicit = !is_known_vr(buf + 4);
	if (read_header(&r, *implicit, &first) != DICOM_OK || first.length > remaining(&r))
		return 0;
	r.pos += first.length;
	if (read_header(&r, *implicit, &second) != DICOM_OK)
		return 0;
	return second.group == 0x0008 && second.elem > first.elem;
}

int dicom_has_magic(const unsigned char *buf, size_t len)
{
	return buf != NULL && len >= PREAMBLE + 4 && memcmp(buf + PREAMBLE, "DICM", 4) == 0;
}

static enum dicom_status read_part10(struct reader *r, struct dicom_info *out)
{
	enum dicom_status st = read_meta(r, out);
	enum encoding enc;

	out->is_dicomdir = strcmp(out->media_sop_class, UID_DICOMDIR) == 0;
	out->compressed = is_compressed_ts(out->transfer_syntax);
	if (st != DICOM_OK)
		return st;
	enc = encoding_of(out->transfer_syntax);
	out->big_endian = enc == ENC_BIG_ENDIAN;
	out->deflated = enc == ENC_DEFLATED;
	if (enc == ENC_DEFLATED)
		return read_deflated(r);
	r->big = enc == ENC_BIG_ENDIAN;
	r->implicit = enc == ENC_UNKNOWN ? guess_implicit(r) : enc == ENC_IMPLICIT_LE;
	st = read_dataset(r);
	if (r->at_pixel == 2)
		out->compressed = 1;
	return st;
}

enum dicom_status dicom_read(const unsigned char *buf, size_t len, struct dicom_info *out)
{
	struct raw raw; /* 16 KiB on the stack; only the lengths need clearing */
	struct reader r = { .buf = buf, .len = len, .raw = &raw };
	enum dicom_status st = DICOM_NOT_DICOM;
	int implicit;

	memset(out, 0, sizeof *out);
	memset(raw.len, 0, sizeof raw.len);
	memset(raw.seen, 0, sizeof raw.seen);
	if (dicom_has_magic(buf, len)) {
		r.pos = PREAMBLE + 4;
		st = read_part10(&r, out);
	} else if (buf != NULL && len >= 8 && le16(buf) == 0x0002 && is_known_vr(buf + 4)) {
		st = read_part10(&r, out); /* meta header without the preamble */
	} else if (buf != NULL && looks_like_bare_dataset(buf, len, &implicit)) {
		r.implicit = implicit;
		st = read_dataset(&r);
		if (r.at_pixel == 2)
			out->compressed = 1;
	}
	if (st != DICOM_NOT_DICOM)
		decode_fields(&raw, out);
	return st;
}

const char *dicom_status_str(enum dicom_status st)
{
	switch (st) {
	case DICOM_OK:
		return "ok";
	case DICOM_NOT_DICOM:
		return "not DICOM";
	case DICOM_TRUNCATED:
		return "truncated";
	case DICOM_MALFORMED:
		return "malformed";
	}
	return "unknown";
}
