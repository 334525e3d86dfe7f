/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicomdir.h: the records of a DICOMDIR (PS3.3 F.5, the disc's index), read from its bytes.
 * dicomdir.c does no I/O and trusts nothing it reads: every length is checked against what
 * remains, nested sequences are skipped without recursion, and at most DICOMDIR_MAX_BYTES of
 * the file and DICOMDIR_MAX_RECORDS records are read (more is reported as truncated). */
#ifndef DICOMDIR_H
#define DICOMDIR_H

#include <stddef.h>
#include <stdint.h>

#include "read/dicom.h"

#define DICOMDIR_MAX_BYTES (64u * 1024 * 1024)
#define DICOMDIR_MAX_RECORDS 262144

enum dicomdir_level {
	DIR_PATIENT,
	DIR_STUDY,
	DIR_SERIES,
	DIR_IMAGE, /* IMAGE and every other record that names one instance in a file: SR DOCUMENT,
		    * PRESENTATION, WAVEFORM, ENCAP DOC, RT DOSE... (type says which) */
	DIR_OTHER, /* PRIVATE, TOPIC, HANGING PROTOCOL... without a referenced file */
};

/* One directory record. Strings are UTF-8 (decoded under the DICOMDIR's character set) and
 * "" when absent; they live as long as the struct dicomdir. */
struct dicomdir_record {
	enum dicomdir_level level;
	long parent;                /* index of the record one level up, -1 at the top or when the
				     * offsets do not say */
	const char *type;           /* (0004,1430) as written: "PATIENT", "IMAGE", "SR DOCUMENT" */
	const char *file_id;        /* (0004,1500), its components joined by '/': "DICOM/ST1/IM1";
				     * "" when absent or unsafe (see file_id_unsafe) */
	const char *sop_instance_uid; /* (0004,1511) ReferencedSOPInstanceUIDInFile */
	const char *sop_class_uid;    /* (0004,1510) */
	const char *transfer_syntax;  /* (0004,1512) */
	const char *patient_name, *patient_id, *patient_birth_date;  /* PATIENT records */
	const char *study_uid, *study_date, *study_description;      /* STUDY records */
	const char *series_uid, *modality;                           /* SERIES records */
	uint32_t offset;            /* of its item in the file, as the offsets below count */
	uint32_t next_offset;       /* (0004,1400), 0 for none */
	uint32_t lower_offset;      /* (0004,1420), 0 for none */
	unsigned file_id_unsafe : 1; /* a component empty, ".", "..", or holding '/' or a NUL */
	unsigned inactive : 1;      /* (0004,1410) RecordInUseFlag 0x0000 */
};

struct dicomdir_block; /* the strings' storage */

struct dicomdir {
	struct dicomdir_record *v;
	size_t n;
	int truncated;     /* a bound was reached: the records listed are the first ones */
	char media_sop_instance[DICOM_UID_MAX];
	struct dicomdir_block *blocks;
};

/* Lists the records of the DICOMDIR in buf[0..len) into *out (to be freed with dicomdir_free
 * whatever the result). DICOM_OK; DICOM_NOT_DICOM when buf is not a DICOMDIR;
 * DICOM_TRUNCATED or DICOM_MALFORMED with the records read up to the fault. */
enum dicom_status dicomdir_read(const unsigned char *buf, size_t len, struct dicomdir *out);

void dicomdir_free(struct dicomdir *d);

/* "patient", "study", "series", "image", "other" */
const char *dicomdir_level_name(enum dicomdir_level l);

#endif
