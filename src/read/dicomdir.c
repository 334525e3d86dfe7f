/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicomdir.c: see dicomdir.h. The file meta group is read for the media storage SOP class,
 * then the top-level data set up to the Directory Record Sequence (0004,1220), whose items
 * are the records. Values a record keeps are copied raw and decoded once the item ends; the
 * hierarchy is rebuilt afterwards from the records' offsets. */
#include "read/dicomdir.h"

#include <stdlib.h>
#include <string.h>

#include "read/bytes.h"
#include "read/dicom_text.h"
#include "sys/util.h"

#define PREAMBLE 128
#define UNDEFINED 0xFFFFFFFFu
#define MAX_DEPTH 64
#define RAW_MAX 512
#define BLOCK_SIZE (64 * 1024)
#define UID_DICOMDIR "1.2.840.10008.1.3.10"
#define TS_IMPLICIT_LE "1.2.840.10008.1.2"
#define TS_EXPLICIT_BE "1.2.840.10008.1.2.2"

struct dicomdir_block {
	struct dicomdir_block *next;
	size_t used, size;
	char data[];
};

struct rd {
	const unsigned char *b;
	size_t len, pos;
	int implicit;
	int big; /* explicit VR big endian (retired, but discs carry it) */
};

struct elem {
	uint16_t group, elem;
	char vr[3];
	uint32_t length;
};

/* The values a record keeps, by tag. */
enum slot { S_TYPE, S_FILE_ID, S_SOP_INSTANCE, S_SOP_CLASS, S_TS, S_NAME, S_PID, S_DOB, S_STUDY_UID,
	    S_STUDY_DATE, S_STUDY_DESC, S_SERIES_UID, S_MODALITY, S_CHARSET, S_NEXT, S_LOWER, S_IN_USE,
	    N_SLOTS };

static const struct {
	uint16_t group, elem;
	int text; /* decoded under the character set; else ASCII */
} tags[N_SLOTS] = {
	[S_TYPE] = { 0x0004, 0x1430, 0 },       [S_FILE_ID] = { 0x0004, 0x1500, 1 },
	[S_SOP_INSTANCE] = { 0x0004, 0x1511, 0 }, [S_SOP_CLASS] = { 0x0004, 0x1510, 0 },
	[S_TS] = { 0x0004, 0x1512, 0 },         [S_NAME] = { 0x0010, 0x0010, 1 },
	[S_PID] = { 0x0010, 0x0020, 1 },        [S_DOB] = { 0x0010, 0x0030, 0 },
	[S_STUDY_UID] = { 0x0020, 0x000D, 0 },  [S_STUDY_DATE] = { 0x0008, 0x0020, 0 },
	[S_STUDY_DESC] = { 0x0008, 0x1030, 1 }, [S_SERIES_UID] = { 0x0020, 0x000E, 0 },
	[S_MODALITY] = { 0x0008, 0x0060, 0 },   [S_CHARSET] = { 0x0008, 0x0005, 0 },
	[S_NEXT] = { 0x0004, 0x1400, 0 },       [S_LOWER] = { 0x0004, 0x1420, 0 },
	[S_IN_USE] = { 0x0004, 0x1410, 0 },
};

struct item {
	unsigned char v[N_SLOTS][RAW_MAX];
	size_t len[N_SLOTS];
	unsigned char seen[N_SLOTS];
};

static size_t left(const struct rd *r)
{
	return r->len - r->pos;
}

static int vr_ok(const unsigned char *vr)
{
	return vr[0] >= 'A' && vr[0] <= 'Z' && vr[1] >= 'A' && vr[1] <= 'Z';
}

/* Implicit levels are always little endian (inside a UN element of a big-endian file). */
static enum dicom_status read_elem(struct rd *r, int implicit, struct elem *e)
{
	const unsigned char *p = r->b + r->pos;
	int big = r->big && !implicit;
	if (left(r) < 8)
		return DICOM_TRUNCATED;
	e->group = rd16(p, big);
	e->elem = rd16(p + 2, big);
	e->vr[0] = '\0';
	if (implicit || e->group == 0xFFFE) {
		e->length = rd32(p + 4, big);
		r->pos += 8;
		return DICOM_OK;
	}
	if (!vr_ok(p + 4))
		return DICOM_MALFORMED;
	memcpy(e->vr, p + 4, 2);
	e->vr[2] = '\0';
	if (!dicom_vr_long_length(p + 4)) {
		e->length = rd16(p + 6, big);
		r->pos += 8;
		return DICOM_OK;
	}
	if (left(r) < 12)
		return DICOM_TRUNCATED;
	e->length = rd32(p + 8, big);
	r->pos += 12;
	return DICOM_OK;
}

/* Skips the rest of an undefined-length element whose header was just read: its items and
 * their elements, to the matching delimiter. Inside a UN element the encoding is implicit. */
static enum dicom_status skip_undefined(struct rd *r, const struct elem *opened, int implicit)
{
	uint64_t implicit_at = 0; /* bit d: level d+1 is implicit */
	unsigned depth = 1;
	struct elem e;
	enum dicom_status st;

	if (implicit || strcmp(opened->vr, "UN") == 0)
		implicit_at = 1;
	while (depth > 0) {
		int imp = (int)(implicit_at >> (depth - 1) & 1);
		if ((st = read_elem(r, imp, &e)) != DICOM_OK)
			return st;
		if (e.group == 0xFFFE && (e.elem == 0xE00D || e.elem == 0xE0DD)) {
			depth--;
		} else if (e.length == UNDEFINED) {
			if (depth == MAX_DEPTH)
				return DICOM_MALFORMED;
			int inner = imp || (e.group != 0xFFFE && strcmp(e.vr, "UN") == 0);
			implicit_at = inner ? implicit_at | (uint64_t)1 << depth : implicit_at & ~((uint64_t)1 << depth);
			depth++;
		} else if (e.length > left(r)) {
			return DICOM_TRUNCATED;
		} else {
			r->pos += e.length;
		}
	}
	return DICOM_OK;
}

/* ---- strings ---- */

static const char *store(struct dicomdir *d, const char *s)
{
	size_t n = strlen(s) + 1;
	if (n == 1)
		return "";
	if (!d->blocks || d->blocks->size - d->blocks->used < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		struct dicomdir_block *b = xmalloc(sizeof(*b) + size);
		b->next = d->blocks, b->used = 0, b->size = size;
		d->blocks = b;
	}
	char *p = d->blocks->data + d->blocks->used;
	memcpy(p, s, n);
	d->blocks->used += n;
	return p;
}

static void trimmed(const struct item *it, enum slot s, const unsigned char **v, size_t *n)
{
	*v = it->v[s];
	*n = it->len[s];
	while (*n > 0 && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\0'))
		(*n)--;
	while (*n > 0 && (*v)[0] == ' ')
		(*v)++, (*n)--;
}

/* A slot's value, decoded (text) or copied up to the first NUL (ASCII), in the strings. */
static const char *value(struct dicomdir *d, const struct item *it, enum slot s, const char *charset)
{
	char buf[DICOM_PN_MAX];
	const unsigned char *v;
	size_t n;
	trimmed(it, s, &v, &n);
	if (tags[s].text) {
		dicom_text_decode(charset, v, n, buf, sizeof buf);
	} else {
		size_t k = 0; /* printable ASCII only, so every string is UTF-8 */
		for (; k < n && k < sizeof buf - 1 && v[k]; k++)
			buf[k] = v[k] >= 0x20 && v[k] < 0x7F ? (char)v[k] : '?';
		buf[k] = '\0';
	}
	return store(d, buf);
}

/* (0004,1500) is up to eight values separated by '\': joined with '/', refused when one could
 * step out of the disc's folder (empty, ".", "..", or holding a '/'). */
static const char *file_id(struct dicomdir *d, const char *raw, struct dicomdir_record *rec)
{
	char buf[RAW_MAX + 1];
	size_t n = 0;
	if (!raw[0])
		return "";
	for (const char *p = raw;; p++) {
		const char *end = strchr(p, '\\');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		while (len > 0 && p[0] == ' ')
			p++, len--;
		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.') ||
		    memchr(p, '/', len) || n + len + 1 > sizeof buf - 1)
			rec->file_id_unsafe = 1;
		if (rec->file_id_unsafe)
			return "";
		if (n > 0)
			buf[n++] = '/';
		memcpy(buf + n, p, len);
		n += len;
		if (!end)
			break;
		p = end;
	}
	buf[n] = '\0';
	return store(d, buf);
}

static enum dicomdir_level level_of(const char *type, const char *file)
{
	if (strcmp(type, "PATIENT") == 0)
		return DIR_PATIENT;
	if (strcmp(type, "STUDY") == 0)
		return DIR_STUDY;
	if (strcmp(type, "SERIES") == 0)
		return DIR_SERIES;
	if (strcmp(type, "IMAGE") == 0 || file[0])
		return DIR_IMAGE;
	return DIR_OTHER;
}

static uint32_t ul_value(const struct item *it, enum slot s, int big)
{
	return it->seen[s] && it->len[s] >= 4 ? rd32(it->v[s], big) : 0;
}

static void add_record(struct dicomdir *d, const struct item *it, const char *charset, size_t offset, int big)
{
	struct dicomdir_record *rec;
	char local[DICOM_FIELD_MAX];
	if (it->seen[S_CHARSET]) { /* a record may state its own character set */
		const unsigned char *v;
		size_t n;
		trimmed(it, S_CHARSET, &v, &n);
		n = n < sizeof local - 1 ? n : sizeof local - 1;
		memcpy(local, v, n);
		local[n] = '\0';
		charset = local;
	}
	if (d->n % 1024 == 0)
		d->v = xrealloc(d->v, (d->n + 1024) * sizeof(*d->v));
	rec = &d->v[d->n++];
	memset(rec, 0, sizeof(*rec));
	rec->parent = -1;
	rec->type = value(d, it, S_TYPE, charset);
	rec->file_id = file_id(d, value(d, it, S_FILE_ID, charset), rec);
	rec->sop_instance_uid = value(d, it, S_SOP_INSTANCE, charset);
	rec->sop_class_uid = value(d, it, S_SOP_CLASS, charset);
	rec->transfer_syntax = value(d, it, S_TS, charset);
	rec->patient_name = value(d, it, S_NAME, charset);
	rec->patient_id = value(d, it, S_PID, charset);
	rec->patient_birth_date = value(d, it, S_DOB, charset);
	rec->study_uid = value(d, it, S_STUDY_UID, charset);
	rec->study_date = value(d, it, S_STUDY_DATE, charset);
	rec->study_description = value(d, it, S_STUDY_DESC, charset);
	rec->series_uid = value(d, it, S_SERIES_UID, charset);
	rec->modality = value(d, it, S_MODALITY, charset);
	rec->level = level_of(rec->type, rec->file_id);
	rec->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
	rec->next_offset = ul_value(it, S_NEXT, big);
	rec->lower_offset = ul_value(it, S_LOWER, big);
	rec->inactive = it->seen[S_IN_USE] && it->len[S_IN_USE] >= 2 && rd16(it->v[S_IN_USE], big) == 0;
}

/* ---- records ---- */

static void keep(struct item *it, const struct elem *e, const unsigned char *v)
{
	for (int s = 0; s < N_SLOTS; s++)
		if (tags[s].group == e->group && tags[s].elem == e->elem && !it->seen[s]) {
			it->len[s] = e->length < RAW_MAX ? e->length : RAW_MAX;
			memcpy(it->v[s], v, it->len[s]);
			it->seen[s] = 1;
		}
}

/* The elements of one record item, to its end (end is SIZE_MAX for an undefined length). */
static enum dicom_status read_item(struct rd *r, size_t end, struct item *it)
{
	struct elem e;
	enum dicom_status st;
	memset(it->seen, 0, sizeof it->seen);
	memset(it->len, 0, sizeof it->len);
	while (r->pos < end) {
		if ((st = read_elem(r, r->implicit, &e)) != DICOM_OK)
			return st;
		if (e.group == 0xFFFE && e.elem == 0xE00D)
			return end == SIZE_MAX ? DICOM_OK : DICOM_MALFORMED;
		if (e.group == 0xFFFE)
			return DICOM_MALFORMED;
		if (e.length == UNDEFINED) {
			if ((st = skip_undefined(r, &e, r->implicit)) != DICOM_OK)
				return st;
			continue;
		}
		if (e.length > left(r) || (end != SIZE_MAX && e.length > end - r->pos))
			return e.length > left(r) ? DICOM_TRUNCATED : DICOM_MALFORMED;
		keep(it, &e, r->b + r->pos);
		r->pos += e.length;
	}
	return r->pos == end ? DICOM_OK : DICOM_MALFORMED;
}

/* The items of the Directory Record Sequence, each a record. */
static enum dicom_status read_records(struct rd *r, uint32_t length, const char *charset, struct dicomdir *d)
{
	size_t end = length == UNDEFINED ? SIZE_MAX : r->pos + length;
	struct item *it = xmalloc(sizeof(*it));
	enum dicom_status st = DICOM_OK;
	struct elem e;

	int cut = length != UNDEFINED && length > left(r);
	if (cut)
		end = r->len; /* read what there is; the end is reported truncated */
	while (r->pos < end) {
		size_t at = r->pos;
		if ((st = read_elem(r, r->implicit, &e)) != DICOM_OK)
			break;
		if (e.group == 0xFFFE && e.elem == 0xE0DD && length == UNDEFINED)
			break;
		if (e.group != 0xFFFE || e.elem != 0xE000) {
			st = DICOM_MALFORMED;
			break;
		}
		if (d->n == DICOMDIR_MAX_RECORDS) {
			d->truncated = 1;
			break;
		}
		/* an item running past the end keeps the whole elements it has, and is the last */
		int item_cut = e.length != UNDEFINED && e.length > left(r);
		size_t item_end = e.length == UNDEFINED ? SIZE_MAX : item_cut ? r->len : r->pos + e.length;
		st = read_item(r, item_end, it);
		if (st == DICOM_OK || (item_cut && it->seen[S_TYPE]))
			add_record(d, it, charset, at, r->big);
		if (st == DICOM_OK && item_cut)
			st = DICOM_TRUNCATED;
		if (st != DICOM_OK)
			break;
	}
	if (st == DICOM_OK && cut)
		st = DICOM_TRUNCATED;
	free(it);
	return st;
}

/* Rebuilds the hierarchy: a record's lower-level offset names its first child, whose
 * next-record offsets chain its siblings. Records are in offset order, so a binary search
 * finds each; a chain longer than the records (a loop) is cut. */
static long find_offset(const struct dicomdir *d, uint32_t off)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->v[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->n && d->v[lo].offset == off ? (long)lo : -1;
}

/* True when record a is b or one of b's ancestors (looked for MAX_DEPTH levels up: a real
 * hierarchy has five at most). */
static int is_ancestor(const struct dicomdir *d, long a, long b)
{
	for (int k = 0; b >= 0 && k < MAX_DEPTH; k++, b = d->v[b].parent)
		if (a == b)
			return 1;
	return b >= 0; /* deeper than any disc: refuse the link */
}

static void link_parents(struct dicomdir *d)
{
	for (size_t i = 0; i < d->n; i++) {
		uint32_t off = d->v[i].lower_offset;
		for (size_t steps = 0; off != 0 && steps < d->n; steps++) {
			long c = find_offset(d, off);
			if (c < 0 || d->v[c].parent >= 0 || is_ancestor(d, c, (long)i))
				break;
			d->v[c].parent = (long)i;
			off = d->v[c].next_offset;
		}
	}
}

/* ---- file ---- */

static void ascii_value(char *dst, size_t size, const unsigned char *v, size_t n)
{
	size_t k = 0;
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\0'))
		n--;
	for (; k < n && k < size - 1 && v[k]; k++)
		dst[k] = v[k] >= 0x20 && v[k] < 0x7F ? (char)v[k] : '?';
	dst[k] = '\0';
}

/* Group 0002, explicit VR little endian: the media SOP class must be the DICOMDIR's. */
static enum dicom_status read_meta(struct rd *r, struct dicomdir *d)
{
	char sop_class[DICOM_UID_MAX] = "", ts[DICOM_UID_MAX] = "";
	struct elem e;
	enum dicom_status st;
	while (left(r) >= 2 && le16(r->b + r->pos) == 0x0002) {
		if ((st = read_elem(r, 0, &e)) != DICOM_OK)
			return st;
		if (e.length == UNDEFINED || e.length > left(r))
			return e.length == UNDEFINED ? DICOM_MALFORMED : DICOM_TRUNCATED;
		if (e.elem == 0x0002)
			ascii_value(sop_class, sizeof sop_class, r->b + r->pos, e.length);
		else if (e.elem == 0x0003)
			ascii_value(d->media_sop_instance, sizeof d->media_sop_instance, r->b + r->pos, e.length);
		else if (e.elem == 0x0010)
			ascii_value(ts, sizeof ts, r->b + r->pos, e.length);
		r->pos += e.length;
	}
	if (strcmp(sop_class, UID_DICOMDIR) != 0)
		return DICOM_NOT_DICOM;
	r->implicit = strcmp(ts, TS_IMPLICIT_LE) == 0;
	r->big = strcmp(ts, TS_EXPLICIT_BE) == 0;
	return DICOM_OK;
}

enum dicom_status dicomdir_read(const unsigned char *buf, size_t len, struct dicomdir *out)
{
	struct rd r = { .b = buf, .len = len };
	char charset[DICOM_FIELD_MAX] = "";
	enum dicom_status st = DICOM_OK;
	int seen_records = 0;
	struct elem e;

	memset(out, 0, sizeof *out);
	if (!dicom_has_magic(buf, len))
		return DICOM_NOT_DICOM;
	if (len > DICOMDIR_MAX_BYTES) {
		r.len = DICOMDIR_MAX_BYTES;
		out->truncated = 1;
	}
	r.pos = PREAMBLE + 4;
	if ((st = read_meta(&r, out)) != DICOM_OK)
		return st;
	while (left(&r) > 0) {
		if ((st = read_elem(&r, r.implicit, &e)) != DICOM_OK)
			break;
		if (e.group == 0x0004 && e.elem == 0x1220) {
			st = read_records(&r, e.length, charset, out);
			seen_records = 1;
			break;
		}
		if (e.length == UNDEFINED) {
			if ((st = skip_undefined(&r, &e, r.implicit)) != DICOM_OK)
				break;
			continue;
		}
		if (e.length > left(&r)) {
			st = DICOM_TRUNCATED;
			break;
		}
		if (e.group == 0x0008 && e.elem == 0x0005)
			ascii_value(charset, sizeof charset, r.b + r.pos, e.length);
		r.pos += e.length;
	}
	link_parents(out);
	if (st == DICOM_OK && !seen_records) /* ended before its one required sequence */
		st = DICOM_TRUNCATED;
	if (st == DICOM_OK && out->truncated)
		st = DICOM_TRUNCATED;
	return st;
}

void dicomdir_free(struct dicomdir *d)
{
	for (struct dicomdir_block *b = d->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

const char *dicomdir_level_name(enum dicomdir_level l)
{
	static const char *const names[] = { "patient", "study", "series", "image", "other" };
	return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "other";
}
