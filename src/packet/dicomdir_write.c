/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicomdir_write.c: see dicomdir_write.h. The layout follows PS3.10 7.1 (preamble, "DICM",
 * the File Meta group with its group length) and PS3.3 F.3/F.5 (the Basic Directory: File-set
 * ID, offsets of the root's first and last records, one sequence of records whose next and
 * lower-level offsets count from the file's first byte). Records are written depth first, so
 * each is patched once its next sibling or first child is placed. */
#include "packet/dicomdir_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/bytes.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"

#define DICOMDIR_CLASS "1.2.840.10008.1.3.10"
#define EXPLICIT_LE "1.2.840.10008.1.2.1"
/* recpack's Implementation Class UID: a UUID-derived UID (PS3.5 B.2), chosen once */
#define IMPL_CLASS "2.25.53555370652013857834372114783768791904"
#define IMPL_VERSION "RECPACK_" RP_VERSION
#define FILE_SET_ID "RECPACK"
#define CHARSET_UTF8 "ISO_IR 192"
#define LOOSE_FOLDER "images"

enum level { PATIENT, STUDY, SERIES, IMAGE, NLEVELS };
static const char *const record_type[NLEVELS] = { "PATIENT", "STUDY", "SERIES", "IMAGE" };

/* ---- elements ---- */

static void put_header(struct sbuf *s, uint16_t g, uint16_t e, const char *vr, uint32_t len)
{
	unsigned char h[12];
	put_le16(h, g);
	put_le16(h + 2, e);
	memcpy(h + 4, vr, 2);
	if (dicom_vr_long_length(vr)) {
		h[6] = h[7] = 0;
		put_le32(h + 8, len);
		sbuf_put(s, (const char *)h, 12);
	} else {
		put_le16(h + 6, (uint16_t)len);
		sbuf_put(s, (const char *)h, 8);
	}
}

/* A text value, padded to even length: UI with a NUL, the others with a space. Values come
 * from fields of at most DICOM_PN_MAX bytes, so the 2-byte length always holds them. */
static void put_str(struct sbuf *s, uint16_t g, uint16_t e, const char *vr, const char *v)
{
	size_t n = v ? strlen(v) : 0;
	if (n > DICOM_PN_MAX)
		n = DICOM_PN_MAX;
	put_header(s, g, e, vr, (uint32_t)(n + (n & 1)));
	sbuf_put(s, v ? v : "", n);
	if (n & 1)
		sbuf_put(s, strcmp(vr, "UI") == 0 ? "" : " ", 1); /* "" is its NUL */
}

static void put_ul(struct sbuf *s, uint16_t g, uint16_t e, uint32_t v)
{
	unsigned char b[4];
	put_header(s, g, e, "UL", 4);
	put_le32(b, v);
	sbuf_put(s, (const char *)b, 4);
}

static void put_us(struct sbuf *s, uint16_t g, uint16_t e, uint16_t v)
{
	unsigned char b[2];
	put_header(s, g, e, "US", 2);
	put_le16(b, v);
	sbuf_put(s, (const char *)b, 2);
}

static void patch32(struct sbuf *s, size_t at, uint32_t v)
{
	put_le32((unsigned char *)s->p + at, v);
}

static int is_ascii(const char *v)
{
	for (; v && *v; v++)
		if ((unsigned char)*v >= 0x80)
			return 0;
	return 1;
}

/* ---- order ---- */

/* An IS value's number; LONG_MAX (last) when there is none. */
static long is_number(const char *v)
{
	char *end;
	errno = 0;
	long n = v && *v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || errno || end == v)
		return LONG_MAX;
	while (*end == ' ')
		end++;
	return *end ? LONG_MAX : n;
}

static int cmp_long(long a, long b)
{
	return (a > b) - (a < b);
}

static int same_patient(const struct doc_dicom *a, const struct doc_dicom *b)
{
	return strcmp(a->patient_id, b->patient_id) == 0 && strcmp(a->patient_name, b->patient_name) == 0;
}

static int cmp_images(const void *pa, const void *pb)
{
	const struct dicomdir_image *x = pa, *y = pb;
	const struct doc_dicom *a = x->dicom, *b = y->dicom;
	int c;
	if ((c = strcmp(a->patient_id, b->patient_id)) || (c = strcmp(a->patient_name, b->patient_name)) ||
	    (c = strcmp(a->study_date, b->study_date)) || (c = strcmp(a->study_time, b->study_time)) ||
	    (c = strcmp(a->study_uid, b->study_uid)) ||
	    (c = cmp_long(is_number(a->series_number), is_number(b->series_number))) ||
	    (c = strcmp(a->series_uid, b->series_uid)) ||
	    (c = cmp_long(is_number(x->instance_number), is_number(y->instance_number))))
		return c;
	return (x->order > y->order) - (x->order < y->order);
}

/* The level at which image i starts a new record: PATIENT for the first, IMAGE when it shares
 * its series with the one before. */
static enum level new_level(const struct dicomdir_image *v, size_t i)
{
	if (i == 0)
		return PATIENT;
	const struct doc_dicom *a = v[i - 1].dicom, *b = v[i].dicom;
	if (!same_patient(a, b))
		return PATIENT;
	if (strcmp(a->study_uid, b->study_uid) != 0 || strcmp(a->study_date, b->study_date) != 0 ||
	    strcmp(a->study_time, b->study_time) != 0)
		return STUDY;
	if (strcmp(a->series_uid, b->series_uid) != 0 || strcmp(a->series_number, b->series_number) != 0)
		return SERIES;
	return IMAGE;
}

/* ---- records ---- */

struct writer {
	struct sbuf *s;
	size_t base;               /* where the file starts in s */
	size_t next_at[NLEVELS];   /* the last record at each level under the current parent:
				    * where its next-record offset goes, or 0 for none yet */
	size_t lower_at[NLEVELS];  /* the current record at each level: where its lower offset goes */
	size_t first_at, last_at;  /* the root's first and last record offsets, in the data set */
	uint32_t root_first, root_last;
	size_t number[NLEVELS];    /* the current record's number at each level (from 1) */
};

/* Identifiers a directory record must have (Type 1) but the file does not say: invented as
 * dcmtk's dcmgpdir +I does, from the record's place. Dates and times are never invented. */
static const char *or_number(const char *v, size_t n, char *buf, size_t len)
{
	if (v && *v)
		return v;
	snprintf(buf, len, "%zu", n);
	return buf;
}

static void put_charset(struct sbuf *s, const char *const *texts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_ascii(texts[i])) {
			put_str(s, 0x0008, 0x0005, "CS", CHARSET_UTF8);
			return;
		}
}

static void put_keys(struct writer *w, enum level l, const struct dicomdir_image *img)
{
	struct sbuf *s = w->s;
	const struct doc_dicom *d = img->dicom;
	char num[32];
	if (l == IMAGE) {
		char ref[DICOMDIR_FILE_ID_MAX];
		snprintf(ref, sizeof(ref), "%s", img->file_id);
		for (char *p = ref; *p; p++)
			if (*p == '/')
				*p = '\\';
		put_str(s, 0x0004, 0x1500, "CS", ref);
		put_str(s, 0x0004, 0x1510, "UI", d->sop_class);
		put_str(s, 0x0004, 0x1511, "UI", img->sop_instance_uid);
		put_str(s, 0x0004, 0x1512, "UI", d->transfer_syntax);
		put_str(s, 0x0020, 0x0013, "IS", or_number(img->instance_number, w->number[IMAGE], num, sizeof(num)));
	} else if (l == PATIENT) {
		const char *texts[] = { d->patient_name, d->patient_id, d->patient_birth_date, d->patient_sex };
		put_charset(s, texts, 4);
		put_str(s, 0x0010, 0x0010, "PN", d->patient_name);
		put_str(s, 0x0010, 0x0020, "LO", d->patient_id);
		if (d->patient_birth_date[0]) /* not in F.5's patient keys: only when known */
			put_str(s, 0x0010, 0x0030, "DA", d->patient_birth_date);
		if (d->patient_sex[0])
			put_str(s, 0x0010, 0x0040, "CS", d->patient_sex);
	} else if (l == STUDY) {
		const char *texts[] = { d->study_date, d->study_time, d->accession_number, d->study_description, d->study_id };
		put_charset(s, texts, 5);
		put_str(s, 0x0008, 0x0020, "DA", d->study_date);
		put_str(s, 0x0008, 0x0030, "TM", d->study_time);
		put_str(s, 0x0008, 0x0050, "SH", d->accession_number);
		put_str(s, 0x0008, 0x1030, "LO", d->study_description);
		put_str(s, 0x0020, 0x000D, "UI", d->study_uid);
		put_str(s, 0x0020, 0x0010, "SH", or_number(d->study_id, w->number[STUDY], num, sizeof(num)));
	} else {
		put_str(s, 0x0008, 0x0060, "CS", d->modality);
		put_str(s, 0x0020, 0x000E, "UI", d->series_uid);
		put_str(s, 0x0020, 0x0011, "IS", or_number(d->series_number, w->number[SERIES], num, sizeof(num)));
	}
}

/* One record at level l, linked to its previous sibling or, as first child, to its parent. */
static void put_record(struct writer *w, enum level l, const struct dicomdir_image *img)
{
	struct sbuf *s = w->s;
	size_t item = s->len;
	uint32_t off = (uint32_t)(item - w->base);
	unsigned char tag[8];
	put_le16(tag, 0xFFFE);
	put_le16(tag + 2, 0xE000);
	put_le32(tag + 4, 0);
	sbuf_put(s, (const char *)tag, 8);
	put_ul(s, 0x0004, 0x1400, 0);
	size_t next_at = s->len - 4;
	put_us(s, 0x0004, 0x1410, 0xFFFF);
	put_ul(s, 0x0004, 0x1420, 0);
	size_t lower_at = s->len - 4;
	put_str(s, 0x0004, 0x1430, "CS", record_type[l]);
	put_keys(w, l, img);
	patch32(s, item + 4, (uint32_t)(s->len - item - 8));

	if (w->next_at[l])
		patch32(s, w->next_at[l], off);
	else if (l > PATIENT)
		patch32(s, w->lower_at[l - 1], off);
	else
		w->root_first = off;
	if (l == PATIENT)
		w->root_last = off;
	w->next_at[l] = next_at;
	w->lower_at[l] = lower_at;
	for (int k = (int)l + 1; k < NLEVELS; k++)
		w->next_at[k] = 0, w->number[k] = 0;
}

/* ---- the file ---- */

/* "2.25.<decimal>" from the first 16 bytes of md (PS3.5 B.2: a UUID-derived UID). */
static void uid_from_digest(const unsigned char md[32], char out[DICOM_UID_MAX])
{
	unsigned char v[16];
	char digits[48];
	size_t nd = 0;
	memcpy(v, md, 16);
	for (int zero = 0; !zero;) {
		unsigned rem = 0;
		zero = 1;
		for (int i = 0; i < 16; i++) {
			unsigned cur = rem << 8 | v[i];
			v[i] = (unsigned char)(cur / 10);
			rem = cur % 10;
			zero &= v[i] == 0;
		}
		digits[nd++] = (char)('0' + rem);
	}
	size_t o = (size_t)snprintf(out, DICOM_UID_MAX, "2.25.");
	while (nd)
		out[o++] = digits[--nd];
	out[o] = '\0';
}

/* The DICOMDIR's own SOP Instance UID: from what it lists, so the same files give the same. */
static void media_instance_uid(const struct dicomdir_image *v, size_t n, char out[DICOM_UID_MAX])
{
	unsigned char md[32];
	struct sha256 *h = sha256_new();
	for (size_t i = 0; h && i < n; i++) {
		sha256_update(h, v[i].sop_instance_uid, strlen(v[i].sop_instance_uid) + 1);
		sha256_update(h, v[i].file_id, strlen(v[i].file_id) + 1);
	}
	if (!h || sha256_final(h, md, NULL))
		memset(md, 0, sizeof(md)); /* out of memory: still a valid UID */
	sha256_free(h);
	uid_from_digest(md, out);
}

static void put_meta(struct sbuf *s, const char *instance)
{
	static const char preamble[128];
	sbuf_put(s, preamble, sizeof(preamble));
	sbuf_put(s, "DICM", 4);
	put_ul(s, 0x0002, 0x0000, 0);
	size_t len_at = s->len - 4, start = s->len;
	put_header(s, 0x0002, 0x0001, "OB", 2);
	sbuf_put(s, "\0\1", 2);
	put_str(s, 0x0002, 0x0002, "UI", DICOMDIR_CLASS);
	put_str(s, 0x0002, 0x0003, "UI", instance);
	put_str(s, 0x0002, 0x0010, "UI", EXPLICIT_LE);
	put_str(s, 0x0002, 0x0012, "UI", IMPL_CLASS);
	put_str(s, 0x0002, 0x0013, "SH", IMPL_VERSION);
	patch32(s, len_at, (uint32_t)(s->len - start));
}

/* Names each file from its place: DICOM/STnnnnnn/SEnnnnnn/IMnnnnnn (PS3.10 8.2: at most eight
 * components of at most eight characters from A-Z, 0-9 and '_'; the counts never pass
 * DICOMDIR_WRITE_MAX_IMAGES, so six digits hold them). */
_Static_assert(DICOMDIR_WRITE_MAX_IMAGES < 1000000, "six digits name every file");
static void name_files(struct dicomdir_image *v, size_t n)
{
	size_t st = 0, se = 0, im = 0;
	for (size_t i = 0; i < n; i++) {
		enum level l = new_level(v, i);
		if (l <= STUDY)
			st++, se = 0;
		if (l <= SERIES)
			se++, im = 0;
		im++;
		snprintf(v[i].file_id, sizeof(v[i].file_id), "DICOM/ST%06u/SE%06u/IM%06u",
			 (unsigned)(st % 1000000), (unsigned)(se % 1000000), (unsigned)(im % 1000000));
	}
}

int dicomdir_encode(struct dicomdir_image *v, size_t n, struct sbuf *out)
{
	if (n == 0 || n > DICOMDIR_WRITE_MAX_IMAGES)
		return -1;
	qsort(v, n, sizeof(*v), cmp_images);
	name_files(v, n);
	char instance[DICOM_UID_MAX];
	media_instance_uid(v, n, instance);

	struct writer w = { .s = out, .base = out->len };
	put_meta(out, instance);
	put_str(out, 0x0004, 0x1130, "CS", FILE_SET_ID);
	put_ul(out, 0x0004, 0x1200, 0);
	w.first_at = out->len - 4;
	put_ul(out, 0x0004, 0x1202, 0);
	w.last_at = out->len - 4;
	put_us(out, 0x0004, 0x1212, 0x0000);
	put_header(out, 0x0004, 0x1220, "SQ", 0);
	size_t seq_at = out->len - 4, seq_start = out->len;
	for (size_t i = 0; i < n; i++) {
		for (enum level l = new_level(v, i); l < NLEVELS; l++) {
			w.number[l]++;
			put_record(&w, l, &v[i]);
		}
		if (out->len - w.base > DICOMDIR_WRITE_MAX_BYTES) {
			out->len = w.base; /* as it was */
			if (out->p)
				out->p[out->len] = '\0';
			return -1;
		}
	}
	patch32(out, seq_at, (uint32_t)(out->len - seq_start));
	patch32(out, w.first_at, w.root_first);
	patch32(out, w.last_at, w.root_last);
	return 0;
}

/* ---- the packet's hooks ---- */

/* A packed DICOM file outside any disc tree, with what a directory record needs. */
static int is_loose(const struct document *d)
{
	return !d->excluded && d->category && !d->disc_root && d->sniff.type == T_DICOM && d->dicom &&
	       d->sop_instance_uid && d->sop_instance_uid[0] && d->dicom->sop_class[0] &&
	       d->dicom->transfer_syntax[0]; /* a Part 10 file: a DICOMDIR may list only those */
}

static int cmp_uid(const void *pa, const void *pb)
{
	const struct dicomdir_image *x = pa, *y = pb;
	int c = strcmp(x->sop_instance_uid, y->sop_instance_uid);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* The loose files of category cat, one per SOP instance (a second copy keeps its own name). */
static size_t collect(const struct doclist *docs, const char *cat, struct dicomdir_image **out)
{
	struct dicomdir_image *v = NULL;
	size_t n = 0, cap = 0, kept = 0;
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		if (!is_loose(d) || strcmp(d->category, cat) != 0)
			continue;
		grow(&v, &cap, n + 1, sizeof(*v));
		v[n++] = (struct dicomdir_image){ .dicom = d->dicom, .sop_instance_uid = d->sop_instance_uid,
						  .instance_number = d->instance_number ? d->instance_number : "",
						  .order = i };
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_uid);
	for (size_t i = 0; i < n; i++)
		if (!kept || strcmp(v[kept - 1].sop_instance_uid, v[i].sop_instance_uid) != 0)
			v[kept++] = v[i];
	*out = v;
	return kept;
}

static int write_file(const char *path, const struct sbuf *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int rc = fd_write_all(fd, s->p, s->len);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* One category's DICOMDIR: written into wd, added to docs. 0 (also when there is nothing to
 * list or a bound is passed: the files then keep their names) or RP_EOUTPUT. */
static int add_one(struct doclist *docs, struct workdir *wd, const char *cat, struct dicomdir_loose *out,
		   char *errbuf, size_t errlen)
{
	struct dicomdir_image *img;
	struct sbuf s = { 0 };
	size_t n = collect(docs, cat, &img);
	if (!n || dicomdir_encode(img, n, &s)) {
		free(img);
		free(s.p);
		return RP_OK;
	}
	char *path = workdir_newpath(wd, "DICOMDIR", errbuf, errlen);
	if (!path || write_file(path, &s) < 0) {
		if (path)
			snprintf(errbuf, errlen, "cannot write a DICOMDIR in %s: %s", wd->path, strerror(errno));
		free(path);
		free(img);
		free(s.p);
		return RP_EOUTPUT;
	}
	char *source = xasprintf("recpack: DICOMDIR made for %zu DICOM file%s that came without one", n,
				 n == 1 ? "" : "s");
	char *root = xstrdup(LOOSE_FOLDER "/");
	strlist_add_owned(&docs->strings, root);
	struct document *d = doclist_add(docs, source, path, LOOSE_FOLDER "/DICOMDIR", cat);
	d->explicit_category = 0;
	d->disc_root = root;
	d->size = s.len;
	d->sniff.type = T_DICOMDIR;
	d->identity = docs->v[img[0].order].identity; /* it says what its files say */
	grow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = (struct dicomdir_made){ .doc = docs->n - 1, .img = img, .n = n };
	free(source);
	free(path);
	free(s.p);
	return RP_OK;
}

int dicomdir_loose_add(struct doclist *docs, struct workdir *wd, struct dicomdir_loose *out,
		       char *errbuf, size_t errlen)
{
	struct strlist cats = { 0 };
	int rc = RP_OK;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < docs->n; i++)
		if (is_loose(&docs->v[i]) && !strlist_has(&cats, docs->v[i].category))
			strlist_add(&cats, docs->v[i].category);
	for (size_t c = 0; c < cats.n && !rc; c++) {
		const char *cat = NULL; /* the documents' own string, which outlives the list */
		for (size_t i = 0; i < docs->n && !cat; i++)
			if (is_loose(&docs->v[i]) && strcmp(docs->v[i].category, cats.v[c]) == 0)
				cat = docs->v[i].category;
		rc = add_one(docs, wd, cat, out, errbuf, errlen);
	}
	strlist_free(&cats);
	return rc;
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const struct bag_file *)a)->path, ((const struct bag_file *)b)->path);
}

/* "data/01-radiology/images" from ".../images/DICOMDIR". */
static char *dir_of(const char *p)
{
	const char *slash = strrchr(p, '/');
	return xstrndup(p, slash ? (size_t)(slash - p) : 0);
}

void dicomdir_loose_place(struct bag *b, struct doclist *docs, const struct dicomdir_loose *l)
{
	size_t *at = xmalloc((docs->n + 1) * sizeof(*at));
	for (size_t i = 0; i < docs->n; i++)
		at[i] = SIZE_MAX;
	for (size_t i = 0; i < b->nfiles; i++)
		at[b->files[i].doc - docs->v] = i;
	for (size_t k = 0; k < l->n; k++) {
		const struct dicomdir_made *m = &l->v[k];
		if (at[m->doc] == SIZE_MAX)
			continue; /* not reached: it has a category and is not excluded */
		const struct bag_file *dir = &b->files[at[m->doc]];
		char *to = dir_of(dir->path), *real = dir->real ? dir_of(dir->real) : NULL;
		for (size_t i = 0; i < m->n; i++) {
			if (at[m->img[i].order] == SIZE_MAX)
				continue;
			struct bag_file *f = &b->files[at[m->img[i].order]];
			free(f->path);
			f->path = xasprintf("%s/%s", to, m->img[i].file_id);
			if (f->real) { /* encrypted: what extract restores, where the DICOMDIR looks */
				free(f->real);
				f->real = xasprintf("%s/%s", real, m->img[i].file_id);
			}
			docs->v[m->img[i].order].disc_root = docs->v[m->doc].disc_root;
		}
		free(to);
		free(real);
	}
	qsort(b->files, b->nfiles, sizeof(*b->files), cmp_files);
	free(at);
}

void dicomdir_loose_free(struct dicomdir_loose *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].img);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
