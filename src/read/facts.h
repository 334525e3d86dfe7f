/* SPDX-License-Identifier: GPL-3.0-or-later */
/* facts.h: what a document says about itself (its coded type, title, date and the patient it
 * names), as the readers in read/ find it in the bytes they are handed. Plain data, UTF-8,
 * each string "" when the document does not say; the readers never allocate past their bound. */
#ifndef FACTS_H
#define FACTS_H

#include <stddef.h>

#define FACTS_MAX_IDS 4
#define FACTS_MAX_CASES 4

/* The patient a document names, as written there (UTF-8; not normalised: rules/ compares). */
struct doc_identity {
	char name[128];   /* "GARCIA^JOSE", "García López, José", "Jose Garcia" */
	char dob[32];     /* as written: "19750501", "05/01/1975", "May 1, 1975" */
	char ids[FACTS_MAX_IDS][64]; /* MRNs and other patient identifiers */
	size_t nids;
	/* How many different patients the document names (a FHIR bundle may hold several);
	 * the fields above are the first one's. 0 when it names none, > 1 is worth a problem. */
	int patients;
};

enum facts_status {
	FACTS_NONE = 0,     /* no reader for this type, or nothing found */
	FACTS_READ,         /* read: the fields below hold what the document says */
	FACTS_IMAGE_ONLY,   /* a scan or photo: no text to read (identity "unreadable") */
	FACTS_ENCRYPTED,    /* password-protected: cannot be read */
	FACTS_DAMAGED,      /* the format is broken past reading */
};

/* Which reader filled the facts: names the format in messages and packet.json. */
enum facts_format {
	FMT_UNKNOWN = 0, FMT_PDF, FMT_CCDA, FMT_XDM, FMT_FHIR, FMT_DOCX, FMT_ODT, FMT_TEXT, FMT_HTML,
	FMT_IMAGE, /* a photo or fax image (JPEG, PNG, TIFF, GIF), read by OCR (read/ocr.h) */
};

struct doc_facts {
	enum facts_status status;
	enum facts_format format;
	char code[32];        /* coded document type: a LOINC code ("11526-1"), "" when none */
	char code_system[32]; /* "LOINC" or the OID/URI as given, "" when none */
	char title[160];      /* the document's own title or first heading */
	char date[32];        /* its effective date or date of service, as written */
	struct doc_identity who;
	/* Case (accession) numbers a pathology report prints ("Accession #: S26-12345"): the lab
	 * finds the glass slides and blocks by them. */
	char cases[FACTS_MAX_CASES][32];
	size_t ncases;
	/* The first words of the text (titles and headings live there), for title phrases.
	 * NUL-terminated, at most FACTS_TEXT_MAX bytes; "" when the format has no text. */
	char text[2048];
	char error[128];      /* why status is ENCRYPTED or DAMAGED (or IMAGE_ONLY not read), in plain words */
	/* The text came from OCR of a scan, photo or fax (read/ocr.h), not from the document's
	 * own text: a name in it may be misread. ocr_confidence: Tesseract's mean, 0-100. */
	int ocr, ocr_confidence;
};
#define FACTS_TEXT_MAX 2048

#endif
