/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.h: reading a gathered document's bytes once: size, SHA-256, sniffed type and its DICOM
 * header, memory bounded. The one place a document's file is read before it is packed;
 * a read failure becomes a problem, never a message. */
#ifndef SCAN_H
#define SCAN_H

#include "read/document.h"
#include "rules/problem.h"

/* Read the document once: size, SHA-256 (when hash), type. Its DICOM header's fields, when it
 * has one, go to *dicom and *has_dicom is 1: the caller points d->dicom at doclist_dicom() of
 * them (documents may be scanned on several threads; the list is not locked). A read failure
 * is an "unreadable" source problem; returns 0 or RP_ESOURCE. */
int document_scan(struct document *d, int hash, struct problems *probs, struct dicom_info *dicom, int *has_dicom);

#endif
