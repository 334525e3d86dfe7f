/* dicom.c: see dicom.h. One forward pass over the bytes; sequences are walked with an explicit
 * nesting stack (no recursion) so that only top-level elements are recorded. */
#include "read/dicom.h"

#include <stdint.h>
#include <string.h>

#define PREAMBLE 128
#define UNDEFINED_LENGTH 0xFFFFFFFFu
#define MAX_DEPTH 64 /* one bit per level in struct nest */

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
	uint64_t implicit; /* encoding of the elements inside the level */
};

struct reader {
	const unsigned char *buf;
	size_t len, pos;
	int implicit; /* top-level data set encoding */
	struct nest nest;
};

#define FIELD(g, e, member) { g, e, offsetof(struct dicom_info, member), sizeof(((struct dicom_info *)0)->member) }

static const struct field {
	uint16_t group, elem;
	size_t offset, size;
} fields[] = {
	FIELD(0x0002, 0x0002, media_sop_class),
	FIELD(0x0002, 0x0010, transfer_syntax),
	FIELD(0x0008, 0x0016, sop_class),
	FIELD(0x0008, 0x0020, study_date),
	FIELD(0x0008, 0x0060, modality),
	FIELD(0x0008, 0x1030, study_description),
	FIELD(0x0010, 0x0010, patient_name),
	FIELD(0x0010, 0x0020, patient_id),
	FIELD(0x0010, 0x0030, patient_birth_date),
	FIELD(0x0020, 0x000D, study_uid),
	FIELD(0x0020, 0x000E, series_uid),
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t remaining(const struct reader *r)
{
	return r->len - r->pos;
}

static int has_long_length(const char *vr)
{
	static const char long_vrs[][3] = { "OB", "OD", "OF", "OL", "OV", "OW", "SQ",
					    "SV", "UC", "UN", "UR", "UT", "UV" };
	for (size_t i = 0; i < sizeof long_vrs / sizeof long_vrs[0]; i++)
		if (memcmp(vr, long_vrs[i], 2) == 0)
			return 1;
	return 0;
}

static int is_known_vr(const unsigned char *p)
{
	static const char vrs[][3] = { "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
				       "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US" };
	for (size_t i = 0; i < sizeof vrs / sizeof vrs[0]; i++)
		if (memcmp(p, vrs[i], 2) == 0)
			return 1;
	return has_long_length((const char *)p);
}

/* Reads one element header at r->pos and advances past it; the value is not consumed. */
static enum dicom_status read_header(struct reader *r, int implicit, struct element *e)
{
	const unsigned char *p = r->buf + r->pos;
	if (remaining(r) < 8)
		return DICOM_TRUNCATED;
	e->group = le16(p);
	e->elem = le16(p + 2);
	e->vr[0] = '\0';
	if (implicit || e->group == 0xFFFE) {
		e->length = le32(p + 4);
		r->pos += 8;
		return DICOM_OK;
	}
	if (!is_known_vr(p + 4))
		return DICOM_MALFORMED;
	memcpy(e->vr, p + 4, 2);
	e->vr[2] = '\0';
	if (!has_long_length(e->vr)) {
		e->length = le16(p + 6);
		r->pos += 8;
		return DICOM_OK;
	}
	if (remaining(r) < 12)
		return DICOM_TRUNCATED;
	e->length = le32(p + 8);
	r->pos += 12;
	return DICOM_OK;
}

static void copy_value(char *dst, size_t size, const unsigned char *src, size_t n)
{
	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\0'))
		n--;
	dst[n] = '\0';
}

static void record(struct dicom_info *out, const struct element *e, const unsigned char *value)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].group == e->group && fields[i].elem == e->elem)
			copy_value((char *)out + fields[i].offset, fields[i].size, value, e->length);
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
		record(out, &e, r->buf + r->pos);
		r->pos += e.length;
	}
	if (remaining(r) < 2 && (r->pos - meta_start < meta_len || out->transfer_syntax[0] == '\0'))
		return DICOM_TRUNCATED;
	return DICOM_OK;
}

/* ---- data set ---- */

static enum dicom_status read_dataset(struct reader *r, struct dicom_info *out)
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
			if (e.length == UNDEFINED_LENGTH)
				out->compressed = 1;
			return DICOM_OK;
		} else if (e.length == UNDEFINED_LENGTH) {
			st = open_sequence(r, &e, implicit);
		} else if (e.length > remaining(r)) {
			st = DICOM_TRUNCATED;
		} else {
			if (r->nest.depth == 0 && e.group != 0x0002)
				record(out, &e, r->buf + r->pos);
			r->pos += e.length;
		}
		if (st != DICOM_OK)
			return st;
	}
	return r->nest.depth > 0 ? DICOM_TRUNCATED : DICOM_OK;
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
	if (enc == ENC_BIG_ENDIAN) {
		out->big_endian = 1;
		return DICOM_BIG_ENDIAN;
	}
	if (enc == ENC_DEFLATED)
		return DICOM_OK;
	r->implicit = enc == ENC_UNKNOWN ? guess_implicit(r) : enc == ENC_IMPLICIT_LE;
	return read_dataset(r, out);
}

enum dicom_status dicom_read(const unsigned char *buf, size_t len, struct dicom_info *out)
{
	struct reader r = { .buf = buf, .len = len };
	int implicit;

	memset(out, 0, sizeof *out);
	if (dicom_has_magic(buf, len)) {
		r.pos = PREAMBLE + 4;
		return read_part10(&r, out);
	}
	if (buf != NULL && len >= 8 && le16(buf) == 0x0002 && is_known_vr(buf + 4))
		return read_part10(&r, out); /* meta header without the preamble */
	if (buf != NULL && looks_like_bare_dataset(buf, len, &implicit)) {
		r.implicit = implicit;
		return read_dataset(&r, out);
	}
	return DICOM_NOT_DICOM;
}

const char *dicom_status_str(enum dicom_status st)
{
	switch (st) {
	case DICOM_OK:
		return "ok";
	case DICOM_NOT_DICOM:
		return "not DICOM";
	case DICOM_BIG_ENDIAN:
		return "big endian";
	case DICOM_TRUNCATED:
		return "truncated";
	case DICOM_MALFORMED:
		return "malformed";
	}
	return "unknown";
}
