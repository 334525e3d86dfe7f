/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sniff.h: content type from the first bytes of a document.
 * sniff.c looks only at the bytes it is handed (at most SNIFF_HEAD at the start and
 * SNIFF_TAIL at the end), allocates nothing, and never trusts a file name. */
#ifndef SNIFF_H
#define SNIFF_H

#include <stddef.h>
#include <stdint.h>

/* 36 KiB so that the ISO 9660 / UDF volume descriptor magic at SNIFF_ISO_OFFSET fits: a disc
 * image is recognised only when head_len >= SNIFF_ISO_OFFSET + 5. */
#define SNIFF_HEAD 36864
#define SNIFF_TAIL 1024
#define SNIFF_ISO_OFFSET 32769

enum doc_type {
	T_UNKNOWN = 0, /* binary we cannot name */
	T_EMPTY,
	T_PDF,
	T_DICOM,
	T_DICOMDIR,
	T_JPEG,
	T_PNG,
	T_TIFF,
	T_GIF,
	T_TEXT,
	T_HTML,
	T_XML,   /* any XML; C-CDA documents are XML with a ClinicalDocument root */
	T_JSON,  /* includes FHIR resources */
	T_DOCX,
	T_ODT,
	T_ZIP,   /* a ZIP that is not an office document */
	T_GZIP,
	T_BZIP2,
	T_XZ,
	T_ZSTD,
	T_7Z,
	T_TAR,
	T_ISO,
	T_RTF,
	T_HEIC,  /* HEIF still image, as iPhones take them (ftyp brand heic, mif1...) */
	T_AVIF,  /* AV1 image in HEIF (ftyp brand avif, avis) */
	T_TYPE_COUNT
};

struct sniff_result {
	enum doc_type type;
	int pdf_has_eof;     /* for T_PDF: "%%EOF" found in the tail */
	int pdf_compressed;  /* for T_PDF: FlateDecode/DCTDecode seen in the head: store, don't deflate */
	int is_fhir;         /* for T_JSON: a "resourceType" member */
	int is_ccda;         /* for T_XML: ClinicalDocument root */
	int dicom_compressed; /* for T_DICOM: encapsulated (JPEG, RLE...) or deflated: store, don't deflate */
};

/* head: the first bytes (up to SNIFF_HEAD or the whole file); tail: the last bytes
 * (may overlap head or be NULL when the file is shorter than the head); size: file size. */
void sniff(const unsigned char *head, size_t head_len, const unsigned char *tail, size_t tail_len,
	   uint64_t size, struct sniff_result *out);

/* Short stable name used in JSON, manifests ("types ="), and messages: "pdf", "dicom", ... */
const char *doc_type_name(enum doc_type t);
/* Inverse of doc_type_name; T_TYPE_COUNT when unknown. */
enum doc_type doc_type_from_name(const char *name);
/* Plain-language description: "PDF document", "DICOM image", ... */
const char *doc_type_label(enum doc_type t);
/* Archive or disc image that a source can expand. */
int doc_type_is_archive(enum doc_type t);
/* Already compressed: store in the ZIP rather than deflate. */
int doc_type_is_compressed(enum doc_type t);

#endif
