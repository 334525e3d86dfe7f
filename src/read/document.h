/* SPDX-License-Identifier: GPL-3.0-or-later */
/* document.h: one gathered record and the list of them, the unit every stage passes on.
 * document.c reads a document's bytes once (hash, type, DICOM header from one pass, memory
 * bounded); a document stays small, as the list holds thousands: nothing copied per file. */
#ifndef DOCUMENT_H
#define DOCUMENT_H

#include <stdint.h>

#include "read/dicom.h"
#include "read/facts.h"
#include "read/sniff.h"
#include "read/xdm.h"
#include "sys/util.h"

/* The DICOM header fields a document keeps (see struct dicom_info: UTF-8, "" when absent;
 * whether its pixel data is compressed is in sniff.dicom_compressed). The slices of a series
 * share their values, so the list keeps each distinct set once and documents point to it;
 * the one field that differs per image, the SOP instance UID, is on the document. */
struct doc_dicom {
	const char *patient_name;            /* every PN component group, for display */
	const char *patient_name_alphabetic; /* the first group, for comparing */
	const char *patient_id, *other_patient_ids, *issuer_of_patient_id;
	const char *patient_birth_date, *patient_sex;
	const char *study_uid, *study_date, *study_description, *accession_number, *modality;
	const char *series_uid, *series_description, *sop_class, *transfer_syntax;
	const char *study_time, *study_id, *series_number; /* for a DICOMDIR made for loose files */
	const char *specific_character_set;
	int text_lossy; /* a character set not known or bytes it cannot decode (shown as U+FFFD) */
	struct doc_dicom *next;  /* the list's hash chain */
};

/* A disc's or a download's index, read from the bytes the scan reads anyway: a DICOMDIR's
 * referenced files, an XDM METADATA.XML's entries, an XDM document's SHA-1. Owned by its
 * document; bounded by DICOMDIR_MAX_RECORDS and XDM_MAX_DOCS. */
struct doc_ref {
	char *file_id;  /* "DICOM/ST1/IM1" as the DICOMDIR names it */
	char *sop_uid;  /* the SOP instance it says the file holds, "" when not said */
};

struct doc_index {
	int damaged;             /* the index could not be read whole (refs are the first ones) */
	struct doc_ref *refs;    /* DICOMDIR: every referenced file of an active record */
	size_t nrefs;
	struct xdm_entry *xdm;   /* METADATA.XML: its document entries */
	size_t nxdm;
	char sha1[41];           /* an XDM document: its SHA-1 in hex, "" when not computed */
};

struct document {
	char *source;    /* where it came from, as shown to people (secrets redacted) */
	char *path;      /* local file holding the bytes (may be in the private temp dir) */
	char *relpath;   /* '/'-separated path inside its source, e.g. "CD/DICOM/IM1" */
			 /* (the three share one allocation, owned through source) */
	const char *category;  /* manifest category, NULL when unclassified: the manifest's
				* or the source's own string, which outlive the list */
	const char *disc_root; /* relpath prefix of the folder holding its DICOMDIR, or NULL
				* (one string for the disc, in the list's strings) */
	const struct doc_dicom *dicom; /* the DICOM header's fields, NULL when it has none */
	const char *sop_instance_uid;  /* its (0008,0018), else (0002,0003); NULL when it has no
					* DICOM header (in the list's strings) */
	const char *instance_number;   /* its (0020,0013) as written, "" when absent; NULL with
					* sop_instance_uid (in the list's strings) */
	struct doc_index *index; /* see struct doc_index, owned; NULL for most documents */
	const struct xdm_entry *xdm; /* the METADATA.XML entry describing it (in that document's
				      * index), set by classify; NULL outside XDM */
	struct doc_facts *facts; /* what its text says (read/reader.c), owned; NULL when no reader
				  * found anything: most documents (DICOM slices) have none */

	uint64_t size;
	long duplicate_of; /* index of the first copy, or -1 */
	struct sniff_result sniff;
	uint32_t fingerprint; /* CRC of the bytes sniffed (head and tail), set when not hashed:
			       * documents that differ here cannot be duplicates */
	unsigned explicit_category : 1; /* from a CATEGORY= prefix */
	unsigned furniture : 1; /* an XDM download's own pages (INDEX.HTM...), kept with its tree */
	unsigned xdm_tree : 1;  /* disc_root is an XDM download's root, not a DICOMDIR's folder */
	unsigned hashed : 1;
	unsigned excluded : 1;  /* not packed: a problem says why */
	unsigned identity : 3;  /* enum identity_status (rules/identity.h), set by the check */
	/* Found by a folder walk, which left the check for an archive to the scan (that reads
	 * the first bytes anyway, sources/scan.c); the scan sets archive when it is one, and
	 * the collection expands it in its place (cli/collect.c). */
	unsigned archive_unchecked : 1;
	unsigned archive : 1;
	char sha256[65];
};

struct doclist {
	struct document *v;
	size_t n, cap;
	struct doc_dicom **dicoms; /* hash table of the distinct DICOM field sets (NULL until one) */
	struct strlist strings;    /* strings documents share (disc roots) */
};

struct document *doclist_add(struct doclist *l, const char *source, const char *path,
			     const char *relpath, const char *category);
void doclist_free(struct doclist *l);
void doc_index_free(struct doc_index *x);


/* The list's one copy of x's fields, made the first time they are seen. One thread at a time. */
const struct doc_dicom *doclist_dicom(struct doclist *l, const struct dicom_info *x);
/* d->dicom from doclist_dicom and d->sop_instance_uid from x. One thread at a time. */
void document_set_dicom(struct doclist *l, struct document *d, const struct dicom_info *x);

/* The file name shown to people (last component of relpath). */
const char *document_name(const struct document *d);

#endif
