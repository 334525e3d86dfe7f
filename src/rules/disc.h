/* SPDX-License-Identifier: GPL-3.0-or-later */
/* disc.h: discs (a folder holding a DICOMDIR) and IHE XDM downloads (a folder holding
 * IHE_XDM/SUBSETnn/METADATA.XML) as trees kept whole, and their indexes compared with the
 * files gathered. No I/O: works on the indexes the scan kept (struct doc_index). */
#ifndef DISC_H
#define DISC_H

#include "read/document.h"
#include "rules/problem.h"

/* Before classifying: mark each tree's documents (disc_root, one string per tree and source),
 * the XDM download's furniture, and link every document its METADATA.XML lists to its entry
 * (d->xdm), giving it the entry's type code and patient where its own content has none. */
void discs_mark(struct doclist *docs);

/* After classifying: a disc's files filed elsewhere by their content leave its tree (a disc
 * copied among PDFs keeps the PDFs out of radiology); an XDM tree's furniture (its pages and
 * METADATA.XML, never counted as records) and unclassified files take the category of the
 * tree's first classified document, so the tree stays whole. */
void discs_settle(struct doclist *docs, const char *imaging);

/* Every referenced file present and holding the SOP instance named (disc-incomplete, blocking);
 * DICOM files a DICOMDIR omits (disc-unlisted, a warning); XDM documents missing or not of the
 * size and SHA-1 their metadata states (download-mismatch, blocking). */
void discs_check(const struct doclist *docs, struct problems *probs);

#endif
