/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ccda.h: the C-CDA (HL7 CDA R2) header reader: document type code, title, date, the patient
 * of recordTarget and the first section titles, into struct doc_facts.
 * Pure: it reads only the bytes it is handed, parses them with xmlsafe (no network, DTD or
 * entity expansion) and never prints. Bound: CCDA_MAX_BYTES of input. */
#ifndef CCDA_H
#define CCDA_H

#include <stddef.h>

#include "read/facts.h"

#define CCDA_MAX_BYTES (16u << 20)
#define CCDA_NS "urn:hl7-org:v3"
#define LOINC_OID "2.16.840.1.113883.6.1"

/* 1 when buf is not a CDA document (not XML, or its root is not ClinicalDocument in the
 * urn:hl7-org:v3 namespace): out is untouched. 0 when it is: out->status is FACTS_READ, or
 * FACTS_DAMAGED with out->error in plain words (broken XML: what could be recovered is
 * filled; over CCDA_MAX_BYTES: nothing is). The name is "Family, Given Middle". */
int ccda_read(const unsigned char *buf, size_t len, struct doc_facts *out);

#endif
