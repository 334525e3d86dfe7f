/* SPDX-License-Identifier: GPL-3.0-or-later */
/* study.h: radiology grouped by DICOM study (modality, date, description, image count),
 * shared by the check report, index.html and packet.json. Reads only document fields. */
#ifndef STUDY_H
#define STUDY_H

#include <stddef.h>

#include "read/document.h"

struct study {
	const char *uid;
	const char *modality, *date, *description;
	const char *patient_name;
	size_t images;
	uint64_t bytes;
	const struct document *first;  /* first image, for its disc and folder */
	const struct document *dicomdir; /* the disc index that lists it, when known */
};

/* Studies among the packed (not excluded) DICOM documents, in first-seen order. */
size_t studies_collect(const struct doclist *docs, struct study **out);

/* "2026-03-01" from "20260301" into buf (16 bytes); the input when not a DA. */
const char *study_date_iso(const char *da, char *buf, size_t len);

#endif
