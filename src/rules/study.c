/* SPDX-License-Identifier: GPL-3.0-or-later */
/* study.c: see study.h. */
#include "rules/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/date.h"
#include "sys/util.h"

static const struct document *find_dicomdir(const struct doclist *docs, const struct document *d)
{
	if (!d->disc_root)
		return NULL;
	for (size_t i = 0; i < docs->n; i++)
		if (docs->v[i].sniff.type == T_DICOMDIR && docs->v[i].disc_root == d->disc_root)
			return &docs->v[i];
	return NULL;
}

size_t studies_collect(const struct doclist *docs, struct study **out)
{
	struct study *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		if (d->excluded || !d->dicom || d->sniff.type != T_DICOM)
			continue;
		size_t j = 0;
		while (j < n && strcmp(v[j].uid, d->dicom->study_uid) != 0)
			j++;
		if (j == n) {
			grow(&v, &cap, n + 1, sizeof(*v));
			v[n] = (struct study){ .uid = d->dicom->study_uid, .modality = d->dicom->modality,
					       .date = d->dicom->study_date, .description = d->dicom->study_description,
					       .patient_name = d->dicom->patient_name, .first = d,
					       .dicomdir = find_dicomdir(docs, d) };
			n++;
		}
		v[j].images++;
		v[j].bytes += d->size;
	}
	*out = v;
	return n;
}

const char *study_date_iso(const char *da, char *buf, size_t len)
{
	if (strlen(da) == 8 && strspn(da, "0123456789") == 8 &&
	    date_valid((da[0] - '0') * 1000 + (da[1] - '0') * 100 + (da[2] - '0') * 10 + (da[3] - '0'),
		       (da[4] - '0') * 10 + (da[5] - '0'), (da[6] - '0') * 10 + (da[7] - '0')))
		snprintf(buf, len, "%.4s-%.2s-%.2s", da, da + 4, da + 6);
	else
		snprintf(buf, len, "%s", da);
	return buf;
}
