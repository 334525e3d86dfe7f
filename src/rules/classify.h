/* SPDX-License-Identifier: GPL-3.0-or-later */
/* classify.h: assigns each document a manifest category by what it says first: an explicit
 * CATEGORY= prefix, its coded type (manifest "codes"), DICOM content, its title and headings
 * (manifest "titles"), and only then the manifest's file-name patterns; else unclassified.
 * classify.c only sets document fields and adds problems; it reads no bytes. */
#ifndef CLASSIFY_H
#define CLASSIFY_H

#include "read/document.h"
#include "rules/manifest.h"
#include "rules/problem.h"

/* How a document's category was found: content (code, DICOM, title) or its name. */
enum classify_by { BY_NONE, BY_PREFIX, BY_CODE, BY_DICOM, BY_TITLE, BY_NAME };

struct classification {
	const char *category;  /* NULL: unclassified */
	enum classify_by by;
	const char *by_name;   /* what the file-name patterns alone say (NULL: nothing), found only
				* when the content decided (BY_CODE, BY_TITLE) or nothing else did:
				* matching every folder of 600 images costs more than reading them */
	const char *phrase;    /* the code or title phrase that decided, when by content */
};

/* Category for one document, without side effects. */
void classify_explain(const struct document *d, const struct manifest *m, struct classification *out);
/* Its category name (NULL: unclassified). */
const char *classify_document(const struct document *d, const struct manifest *m);

/* A looser guess for an unclassified document, to suggest where to file it: a category's
 * title phrase or name anywhere in its first words or its name. NULL when nothing fits. */
const char *classify_suggest(const struct document *d, const struct manifest *m);

/* The command-line argument that files source under category, quoted for a POSIX shell:
 * pathology='My Scans/scan 1.pdf'. Returns buf (cut short when len is too small). */
const char *classify_argument(const char *category, const char *source, char *buf, size_t len);

/* Classify every document, mark disc trees (the folder holding a DICOMDIR) so they stay
 * together under radiology. A document whose name says one category and whose content
 * another goes by its content, with a "name-content-mismatch" warning in probs. */
void classify_all(struct doclist *docs, const struct manifest *m, struct problems *probs);

#endif
