/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicomdir_write.h: a DICOMDIR (PS3.10 basic directory, STD-GEN) for DICOM files that came
 * without one: patient -> study -> series -> image records in explicit VR little endian, the
 * files named DICOM/STnnnnnn/SEnnnnnn/IMnnnnnn. dicomdir_encode() does no I/O and is bounded by
 * DICOMDIR_WRITE_MAX_IMAGES images and DICOMDIR_WRITE_MAX_BYTES; the dicomdir_loose_*() hooks
 * give the packet one per category of loose files and never touch a disc that has its own. */
#ifndef DICOMDIR_WRITE_H
#define DICOMDIR_WRITE_H

#include <stddef.h>

#include "packet/bag.h"
#include "read/dicomdir.h"
#include "read/document.h"
#include "sys/util.h"
#include "sys/workdir.h"

#define DICOMDIR_WRITE_MAX_IMAGES 100000
#define DICOMDIR_WRITE_MAX_BYTES DICOMDIR_MAX_BYTES /* what our own reader reads back */
#define DICOMDIR_FILE_ID_MAX 40

/* One file the directory lists. The caller fills the first four; dicomdir_encode the last. */
struct dicomdir_image {
	const struct doc_dicom *dicom; /* its header's fields (sop_class, transfer_syntax set) */
	const char *sop_instance_uid;
	const char *instance_number;   /* "" when absent */
	size_t order;                  /* breaks ties: the order the files came in */
	char file_id[DICOMDIR_FILE_ID_MAX]; /* "DICOM/ST000001/SE000001/IM000001" */
};

/* Sort v[0..n) into directory order (patient; study date, time, UID; series number, UID;
 * instance number, order), name every file and append the DICOMDIR's bytes to out.
 * 0; -1 when n is 0 or a bound is passed (out is then as it was). */
int dicomdir_encode(struct dicomdir_image *v, size_t n, struct sbuf *out);

/* One DICOMDIR made for the packet: its document and the files it lists (order = index in
 * the document list). */
struct dicomdir_made {
	size_t doc;
	struct dicomdir_image *img;
	size_t n;
};

struct dicomdir_loose {
	struct dicomdir_made *v;
	size_t n, cap;
};

/* Before bag_plan: for each category whose packed DICOM files are loose (no DICOMDIR of their
 * own), write a DICOMDIR into wd and add it to docs as "images/DICOMDIR" (a disc tree of its
 * own). 0, or RP_EOUTPUT with errbuf when the file cannot be written. */
int dicomdir_loose_add(struct doclist *docs, struct workdir *wd, struct dicomdir_loose *out,
		       char *errbuf, size_t errlen);

/* After bag_plan (and bag_neutralize): move the files each DICOMDIR lists to the names it
 * gives them, beside it, and make them part of its tree (disc_root, which the study tables
 * follow to the DICOMDIR; their relpath, the original, no longer starts with it). Their
 * original names stay in packet.json (name, relpath, source). */
void dicomdir_loose_place(struct bag *b, struct doclist *docs, const struct dicomdir_loose *l);

void dicomdir_loose_free(struct dicomdir_loose *l);

#endif
