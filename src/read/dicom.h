/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicom.h: the bounded DICOM Part 10 header reader.
 * dicom.c reads only the bytes it is handed, never past len, and stops at the first pixel-data
 * element; it reads every transfer syntax's header (explicit and implicit VR little endian,
 * explicit VR big endian, deflated: inflated into at most DICOM_HEAD_MAX bytes, its only
 * allocation) and hands back text decoded to UTF-8 under SpecificCharacterSet. */
#ifndef DICOM_H
#define DICOM_H

#include <stddef.h>

/* A header is looked for in the first DICOM_HEAD_MAX bytes of a file (and of an inflated
 * data set): one that goes on further is reported truncated with the fields read so far. */
#define DICOM_HEAD_MAX (1024 * 1024)

enum dicom_status {
	DICOM_OK = 0,        /* header parsed up to pixel data or end of buffer */
	DICOM_NOT_DICOM,     /* no DICM magic at offset 128 and no recognisable preamble-less data set */
	DICOM_TRUNCATED,     /* the buffer ended inside an element: fields read so far are set */
	DICOM_MALFORMED,     /* lengths that cannot be right */
};

#define DICOM_UID_MAX 65
#define DICOM_FIELD_MAX 129  /* ASCII values: dates, codes */
#define DICOM_TEXT_MAX 260   /* LO/SH/CS text in UTF-8 (64 characters of up to 4 bytes) */
#define DICOM_PN_MAX 800     /* PN: three component groups of 64 characters, in UTF-8 */

/* Text fields are UTF-8, leading and trailing spaces removed; "" when absent. */
struct dicom_info {
	char patient_name[DICOM_PN_MAX];           /* (0010,0010) PN, every component group:
						    * "Yamada^Tarou=山田^太郎=やまだ^たろう" */
	char patient_name_alphabetic[DICOM_PN_MAX];/* its first (alphabetic) group, for comparing */
	char patient_id[DICOM_TEXT_MAX];           /* (0010,0020) LO */
	char other_patient_ids[DICOM_TEXT_MAX];    /* (0010,1000) LO, values separated by '\' */
	char issuer_of_patient_id[DICOM_TEXT_MAX]; /* (0010,0021) LO */
	char patient_birth_date[DICOM_FIELD_MAX];  /* (0010,0030) DA, YYYYMMDD */
	char patient_sex[DICOM_FIELD_MAX];         /* (0010,0040) CS: M, F, O */
	char study_uid[DICOM_UID_MAX];             /* (0020,000D) */
	char study_date[DICOM_FIELD_MAX];          /* (0008,0020) */
	char study_time[DICOM_FIELD_MAX];          /* (0008,0030) TM */
	char study_id[DICOM_TEXT_MAX];             /* (0020,0010) SH */
	char study_description[DICOM_TEXT_MAX];    /* (0008,1030) LO */
	char accession_number[DICOM_TEXT_MAX];     /* (0008,0050) SH */
	char modality[DICOM_FIELD_MAX];            /* (0008,0060) */
	char series_uid[DICOM_UID_MAX];            /* (0020,000E) */
	char series_description[DICOM_TEXT_MAX];   /* (0008,103E) LO */
	char series_number[DICOM_FIELD_MAX];       /* (0020,0011) IS */
	char instance_number[DICOM_FIELD_MAX];     /* (0020,0013) IS */
	char sop_instance_uid[DICOM_UID_MAX];      /* (0008,0018) */
	char sop_class[DICOM_UID_MAX];             /* (0008,0016) */
	char transfer_syntax[DICOM_UID_MAX];       /* (0002,0010) */
	char media_sop_class[DICOM_UID_MAX];       /* (0002,0002); DICOMDIR is 1.2.840.10008.1.3.10 */
	char media_sop_instance[DICOM_UID_MAX];    /* (0002,0003) */
	char specific_character_set[DICOM_FIELD_MAX]; /* (0008,0005) as written */
	int is_dicomdir;                           /* media_sop_class is the DICOMDIR class */
	int big_endian;                            /* transfer syntax 1.2.840.10008.1.2.2 */
	int deflated;                              /* transfer syntax 1.2.840.10008.1.2.1.99 */
	int compressed;                            /* pixel data encapsulated (JPEG etc.) or data set
						    * deflated: store, don't deflate */
	int text_lossy;                            /* a character set not known, or bytes it cannot
						    * decode (shown as U+FFFD) */
};

/* Parse the header in buf[0..len). Fields not present are empty strings. */
enum dicom_status dicom_read(const unsigned char *buf, size_t len, struct dicom_info *out);

/* True when buf starts like a DICOM Part 10 file (DICM at offset 128). */
int dicom_has_magic(const unsigned char *buf, size_t len);

const char *dicom_status_str(enum dicom_status st);

#endif
