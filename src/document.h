/* document.h: one gathered record and the list of them, the unit every stage passes on.
 * document.c reads a document's bytes once: hashing, sniffing and the DICOM header
 * all come from the same pass, with memory bounded by the head and tail buffers. */
#ifndef DOCUMENT_H
#define DOCUMENT_H

#include <stdint.h>

#include "dicom.h"
#include "problem.h"
#include "sniff.h"

struct document {
	char *source;    /* where it came from, as shown to people (secrets redacted) */
	char *path;      /* local file holding the bytes (may be in the private temp dir) */
	char *relpath;   /* '/'-separated path inside its source, e.g. "CD/DICOM/IM1" */
	char *category;  /* manifest category, NULL when unclassified */
	int explicit_category; /* from a CATEGORY= prefix */
	char *disc_root; /* relpath prefix of the folder holding its DICOMDIR, or NULL */

	uint64_t size;
	char sha256[65];
	int hashed;
	uint32_t fingerprint; /* CRC of the bytes sniffed (head and tail), set when not hashed:
			       * documents that differ here cannot be duplicates */
	struct sniff_result sniff;
	struct dicom_info dicom;
	int is_dicom;    /* dicom fields are valid */

	int excluded;    /* not packed: a problem says why */
	long duplicate_of; /* index of the first copy, or -1 */
};

struct doclist {
	struct document *v;
	size_t n, cap;
};

struct document *doclist_add(struct doclist *l, const char *source, const char *path,
			     const char *relpath, const char *category);
void doclist_free(struct doclist *l);

/* Read the document once: size, SHA-256 (when hash), type, DICOM header.
 * A read failure is an "unreadable" source problem; returns 0 or RP_ESOURCE. */
int document_scan(struct document *d, int hash, struct problems *probs);

/* The file name shown to people (last component of relpath). */
const char *document_name(const struct document *d);

#endif
