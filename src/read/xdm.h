/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xdm.h: IHE XDM media (a portal's "download my records"): the roles of the files in its
 * tree, and the list of documents its METADATA.XML (ebRIM 3.0, or ebXML 2.1) describes.
 * Pure: reads only the bytes or path it is handed (parsed with xmlsafe), never prints.
 * Bounds: XDM_MAX_BYTES of metadata, XDM_MAX_DOCS documents (more are counted, not kept).
 *
 * Expected use by the integrator: for every IHE_XDM/SUBSETnn/METADATA.XML, read the metadata;
 * for each entry, resolve uri against the SUBSETnn folder, then compare the file's size and
 * SHA-1 with entry.size and entry.hash (a mismatch, or a file that is not there, is a
 * problem); read that file with its own reader (C-CDA...) and check the patient it names
 * against entry.who too. xdm_entry_facts gives an entry as doc_facts for documents no reader
 * understands (a scanned PDF in the download is still typed by its typeCode). */
#ifndef XDM_H
#define XDM_H

#include <stddef.h>
#include <stdint.h>

#include "read/facts.h"

#define XDM_MAX_BYTES (16u << 20)
#define XDM_MAX_DOCS 1000

/* The ebRIM identifiers of the XDSDocumentEntry attributes read. */
#define XDM_SCHEME_TYPECODE "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
#define XDM_SCHEME_CLASSCODE "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
#define XDM_SCHEME_PATIENTID "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"

struct xdm_entry {
	char id[64];            /* the ExtrinsicObject's id (entryUUID or a symbolic id) */
	char uri[256];          /* file name within the SUBSET folder: Slot URI, else DOCnnnn.XML
				 * by the entry's position (uri_guessed). Untrusted: it may hold
				 * "..", '/' or a URL; match it against the folder's listing, never
				 * open it as a path */
	int uri_guessed;
	char mime[64];          /* mimeType, "" when not given */
	int64_t size;           /* Slot size in bytes, -1 when not given or not a number */
	char hash[41];          /* Slot hash, SHA-1 in lower-case hex, "" when not given or
				 * not 40 hex digits */
	char type_code[32];     /* typeCode's nodeRepresentation, e.g. the LOINC "11526-1" */
	char type_scheme[64];   /* its codingScheme slot, e.g. "2.16.840.1.113883.6.1" */
	char class_code[32];    /* classCode's nodeRepresentation */
	char title[160];        /* Name/LocalizedString/@value */
	char creation_time[32]; /* Slot creationTime, as written (YYYYMMDD[hhmmss]) */
	char patient_id[64];    /* XDSDocumentEntry.patientId as written, "12345^^^&1.2.3&ISO" */
	char source_patient_id[64]; /* Slot sourcePatientId as written */
	/* The patient: name PID-5 as written ("DOE^JOHN"), dob PID-7, ids the first component
	 * of sourcePatientId, of each PID-3, then of patientId (the local MRNs first). */
	struct doc_identity who;
};

struct xdm_metadata {
	enum facts_status status; /* FACTS_READ, or FACTS_DAMAGED with error */
	char error[128];
	size_t ndocs;             /* entries kept in docs */
	size_t seen;              /* ExtrinsicObjects found (more than ndocs when over the bound) */
	struct xdm_entry docs[XDM_MAX_DOCS];
};

/* Read METADATA.XML bytes. 1 when they are not ebXML registry metadata (out untouched),
 * 0 when they are: out->status FACTS_READ, or FACTS_DAMAGED with out->error in plain words
 * (what could be recovered is listed). out is large (about 1.2 MB): allocate it. */
int xdm_read_metadata(const unsigned char *buf, size_t len, struct xdm_metadata *out);

/* One entry as the facts of the document it describes (format FMT_XDM). */
void xdm_entry_facts(const struct xdm_entry *e, struct doc_facts *out);

enum xdm_role {
	XDM_NONE = 0,   /* not part of an XDM tree's known layout */
	XDM_METADATA,   /* IHE_XDM/SUBSETnn/METADATA.XML */
	XDM_DOCUMENT,   /* any other file in IHE_XDM/SUBSETnn/ (DOC0001.XML...) */
	XDM_FURNITURE,  /* INDEX.HTM, README.TXT and stylesheets (*.XSL, *.XSLT, *.CSS) at the
			 * media's root or directly in IHE_XDM/: the download's own pages */
};

/* The role of relpath ('/'-separated, case ignored) in an XDM tree. A path holding an
 * IHE_XDM component is judged from there (whatever folders come before it); a path without
 * one is taken as relative to the media's root, so call this only for trees that hold an
 * IHE_XDM folder at that root. */
enum xdm_role xdm_path_role(const char *relpath);

#endif
