/* document.c: see document.h. */
#include "read/document.h"

#include <errno.h>
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

void doclist_free(struct doclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct document *d = &l->v[i];
		free(d->source); /* path and relpath too */
		free(d->facts);
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

/* The fields struct doc_dicom keeps, in one order for hashing, comparing and copying. */
static void dicom_fields(const struct dicom_info *x, const char *f[7])
{
	f[0] = x->patient_name, f[1] = x->patient_id, f[2] = x->patient_birth_date;
	f[3] = x->study_uid, f[4] = x->study_date, f[5] = x->modality, f[6] = x->study_description;
}

/* The same fields of a kept set, where they are stored. */
static void entry_fields(struct doc_dicom *e, const char **to[7])
{
	to[0] = &e->patient_name, to[1] = &e->patient_id, to[2] = &e->patient_birth_date;
	to[3] = &e->study_uid, to[4] = &e->study_date, to[5] = &e->modality, to[6] = &e->study_description;
}

static int dicom_same(struct doc_dicom *e, const char *const f[7])
{
	const char **g[7];
	entry_fields(e, g);
	for (int i = 0; i < 7; i++)
		if (strcmp(f[i], *g[i]) != 0)
			return 0;
	return 1;
}

const struct doc_dicom *doclist_dicom(struct doclist *l, const struct dicom_info *x)
{
	const char *f[7];
	size_t len[7], total = 0;
	uint32_t h = 2166136261u; /* FNV-1a over the fields, each with its NUL */
	dicom_fields(x, f);
	for (int i = 0; i < 7; i++) {
		len[i] = strlen(f[i]);
		total += len[i] + 1;
		for (size_t j = 0; j <= len[i]; j++)
			h = (h ^ (unsigned char)f[i][j]) * 16777619u;
	}
	if (!l->dicoms)
		l->dicoms = xcalloc(DICOM_BUCKETS, sizeof(*l->dicoms));
	struct doc_dicom **head = &l->dicoms[h % DICOM_BUCKETS];
	for (struct doc_dicom *e = *head; e; e = e->next)
		if (dicom_same(e, f))
			return e;
	struct doc_dicom *e = xmalloc(sizeof(*e) + total);
	char *p = (char *)(e + 1);
	const char **to[7];
	entry_fields(e, to);
	for (int i = 0; i < 7; i++) {
		memcpy(p, f[i], len[i] + 1);
		*to[i] = p;
		p += len[i] + 1;
	}
	e->next = *head;
	*head = e;
	return e;
}

const char *document_name(const struct document *d)
{
	return path_basename(d->relpath);
}
