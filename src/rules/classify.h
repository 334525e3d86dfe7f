/* classify.h: assigns each document a manifest category: an explicit CATEGORY= prefix,
 * then DICOM content, then the manifest's file-name patterns, else unclassified.
 * classify.c only sets document fields and adds problems; it reads no bytes. */
#ifndef CLASSIFY_H
#define CLASSIFY_H

#include "read/document.h"
#include "rules/manifest.h"

/* Category name for one document (NULL: unclassified), without side effects. */
const char *classify_document(const struct document *d, const struct manifest *m);

/* Classify every document, mark disc trees (the folder holding a DICOMDIR) so they stay
 * together under radiology. */
void classify_all(struct doclist *docs, const struct manifest *m);

#endif
