/* dicom.h: the bounded DICOM Part 10 header reader.
 * dicom.c reads only the bytes it is handed, never past len, allocates nothing, and stops
 * at the first pixel-data element; a header longer than the buffer is reported as such. */
#ifndef DICOM_H
#define DICOM_H

#include <stddef.h>

enum dicom_status {
	DICOM_OK = 0,        /* header parsed up to pixel data or end of buffer */
	DICOM_NOT_DICOM,     /* no DICM magic at offset 128 and no recognisable preamble-less data set */
	DICOM_BIG_ENDIAN,    /* explicit VR big endian: recognised, only the group 0002 fields read */
	DICOM_TRUNCATED,     /* the buffer ended inside an element: fields read so far are set */
	DICOM_MALFORMED,     /* lengths that cannot be right */
};

#define DICOM_UID_MAX 65
#define DICOM_FIELD_MAX 129

struct dicom_info {
	char patient_name[DICOM_FIELD_MAX];      /* (0010,0010) PN, trimmed */
	char patient_id[DICOM_FIELD_MAX];        /* (0010,0020) LO */
	char patient_birth_date[DICOM_FIELD_MAX];/* (0010,0030) DA, YYYYMMDD */
	char study_uid[DICOM_UID_MAX];           /* (0020,000D) */
	char series_uid[DICOM_UID_MAX];          /* (0020,000E) */
	char study_date[DICOM_FIELD_MAX];        /* (0008,0020) */
	char modality[DICOM_FIELD_MAX];          /* (0008,0060) */
	char study_description[DICOM_FIELD_MAX]; /* (0008,1030) */
	char transfer_syntax[DICOM_UID_MAX];     /* (0002,0010) */
	char media_sop_class[DICOM_UID_MAX];     /* (0002,0002); DICOMDIR is 1.2.840.10008.1.3.10 */
	char sop_class[DICOM_UID_MAX];           /* (0008,0016) */
	int is_dicomdir;                         /* media_sop_class is the DICOMDIR class */
	int big_endian;                          /* transfer syntax 1.2.840.10008.1.2.2 */
	int compressed;                          /* pixel data encapsulated (JPEG etc.) or data set
						  * deflated: store, don't deflate */
};

/* Parse the header in buf[0..len). Fields not present are empty strings. */
enum dicom_status dicom_read(const unsigned char *buf, size_t len, struct dicom_info *out);

/* True when buf starts like a DICOM Part 10 file (DICM at offset 128). */
int dicom_has_magic(const unsigned char *buf, size_t len);

const char *dicom_status_str(enum dicom_status st);

#endif
