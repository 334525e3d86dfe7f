/* SPDX-License-Identifier: GPL-3.0-or-later */
/* document.c: see document.h. */
#include "read/document.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

#define DICOM_BUCKETS 256

/* t itself, or its tail when it ends with the n bytes at s; NULL when neither. */
static const char *shared_tail(const char *t, const char *s, size_t n)
{
	size_t tn = strlen(t);
	return tn >= n && memcmp(t + tn - n, s, n) == 0 ? t + tn - n : NULL;
}

/* source, path and relpath in one allocation (owned through d->source), a string that equals
 * the end of one before it stored once: a folder's files usually have the same three. */
static void doc_names(struct document *d, const char *source, const char *path, const char *relpath)
{
	size_t ls = strlen(source) + 1, lp = strlen(path) + 1, lr = strlen(relpath) + 1;
	int path_own = !shared_tail(source, path, lp - 1);
	int rel_own = !shared_tail(source, relpath, lr - 1) && !shared_tail(path, relpath, lr - 1);
	char *block = xmalloc(ls + (path_own ? lp : 0) + (rel_own ? lr : 0)), *p = block + ls;
	memcpy(block, source, ls);
	d->source = block;
	if (path_own) {
		memcpy(p, path, lp);
		d->path = p;
		p += lp;
	} else {
		d->path = (char *)shared_tail(block, path, lp - 1);
	}
	if (rel_own) {
		memcpy(p, relpath, lr);
		d->relpath = p;
	} else {
		const char *t = shared_tail(block, relpath, lr - 1);
		d->relpath = (char *)(t ? t : shared_tail(d->path, relpath, lr - 1));
	}
}

struct document *doclist_add(struct doclist *l, const char *source, const char *path,
			     const char *relpath, const char *category)
{
	grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	struct document *d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	doc_names(d, source, path, relpath);
	d->category = category;
	d->explicit_category = category != NULL;
	d->duplicate_of = -1;
	return d;
}

void doc_index_free(struct doc_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nrefs; i++) {
		free(x->refs[i].file_id);
		free(x->refs[i].sop_uid);
	}
	free(x->refs);
	free(x->xdm);
	free(x);
}

void doclist_free(struct doclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct document *d = &l->v[i];
		free(d->source); /* path and relpath too */
		free(d->facts);
		doc_index_free(d->index);
	}
	strlist_free(&l->strings);
	for (size_t i = 0; l->dicoms && i < DICOM_BUCKETS; i++)
		for (struct doc_dicom *e = l->dicoms[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(l->dicoms);
	free(l->v);
	l->v = NULL;
	l->dicoms = NULL;
	l->n = l->cap = 0;
}

/* The fields struct doc_dicom keeps, in one order for hashing, comparing and copying: where
 * each is in struct dicom_info and in struct doc_dicom. */
#define KEEP(member) { offsetof(struct dicom_info, member), offsetof(struct doc_dicom, member) }
static const struct kept {
	size_t from, to;
} kept[] = {
	KEEP(patient_name), KEEP(patient_name_alphabetic), KEEP(patient_id), KEEP(other_patient_ids),
	KEEP(issuer_of_patient_id), KEEP(patient_birth_date), KEEP(patient_sex), KEEP(study_uid),
	KEEP(study_date), KEEP(study_description), KEEP(accession_number), KEEP(modality),
	KEEP(series_uid), KEEP(series_description), KEEP(sop_class), KEEP(transfer_syntax),
	KEEP(specific_character_set), KEEP(study_time), KEEP(study_id), KEEP(series_number),
};
#define N_KEPT (sizeof kept / sizeof kept[0])

static const char *field_of(const struct dicom_info *x, size_t i)
{
	return (const char *)x + kept[i].from;
}

static const char **slot_of(struct doc_dicom *e, size_t i)
{
	return (const char **)(void *)((char *)e + kept[i].to);
}

static int dicom_same(struct doc_dicom *e, const struct dicom_info *x)
{
	for (size_t i = 0; i < N_KEPT; i++)
		if (strcmp(field_of(x, i), *slot_of(e, i)) != 0)
			return 0;
	return e->text_lossy == x->text_lossy;
}

const struct doc_dicom *doclist_dicom(struct doclist *l, const struct dicom_info *x)
{
	size_t len[N_KEPT], total = 0;
	uint32_t h = 2166136261u; /* FNV-1a over the fields, each with its NUL */
	for (size_t i = 0; i < N_KEPT; i++) {
		const char *f = field_of(x, i);
		len[i] = strlen(f);
		total += len[i] + 1;
		for (size_t j = 0; j <= len[i]; j++)
			h = (h ^ (unsigned char)f[j]) * 16777619u;
	}
	if (!l->dicoms)
		l->dicoms = xcalloc(DICOM_BUCKETS, sizeof(*l->dicoms));
	struct doc_dicom **head = &l->dicoms[h % DICOM_BUCKETS];
	for (struct doc_dicom *e = *head; e; e = e->next)
		if (dicom_same(e, x))
			return e;
	struct doc_dicom *e = xmalloc(sizeof(*e) + total);
	char *p = (char *)(e + 1);
	for (size_t i = 0; i < N_KEPT; i++) {
		memcpy(p, field_of(x, i), len[i] + 1);
		*slot_of(e, i) = p;
		p += len[i] + 1;
	}
	e->text_lossy = x->text_lossy;
	e->next = *head;
	*head = e;
	return e;
}

void document_set_dicom(struct doclist *l, struct document *d, const struct dicom_info *x)
{
	/* the data set's own UID; the meta group's copy when the data set has none; then the
	 * instance number, in the same allocation */
	const char *sop = x->sop_instance_uid[0] ? x->sop_instance_uid : x->media_sop_instance;
	size_t ns = strlen(sop) + 1, nn = strlen(x->instance_number) + 1;
	char *uid = xmalloc(ns + nn);
	memcpy(uid, sop, ns);
	memcpy(uid + ns, x->instance_number, nn);
	d->dicom = doclist_dicom(l, x);
	strlist_add_owned(&l->strings, uid);
	d->sop_instance_uid = uid;
	d->instance_number = uid + ns;
}

const char *document_name(const struct document *d)
{
	return path_basename(d->relpath);
}
