/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fhir.h: the FHIR R4 JSON reader: a Bundle's or a single resource's patient (Patient name,
 * birthDate, identifiers) and document type (Composition/DocumentReference type,
 * DiagnosticReport category or code), into struct doc_facts.
 * Pure: reads only the bytes it is handed, never prints. Bounds: FHIR_MAX_BYTES of input,
 * FHIR_MAX_DEPTH of nesting (checked before jansson parses), duplicate keys refused. */
#ifndef FHIR_H
#define FHIR_H

#include <stddef.h>

#include "read/facts.h"

#define FHIR_MAX_BYTES (32u << 20)
#define FHIR_MAX_DEPTH 64

/* 1 when buf is not a FHIR resource (not a JSON object with a string "resourceType"): out is
 * untouched. 0 when it is: out->status is FACTS_READ, or FACTS_DAMAGED with out->error in
 * plain words. The name is "Family, Given Middle" (or the name's text). A Bundle's first
 * Patient fills out->who and out->who.patients counts the different patients (by name and
 * birth date). out->code is, in this order, the first Composition's type, DocumentReference's
 * type, the LOINC category of the first DiagnosticReport filed as pathology (LP7839-6) or
 * radiology (LP29684-5), the first DiagnosticReport's code; LOINC codings are preferred. */
int fhir_read(const unsigned char *buf, size_t len, struct doc_facts *out);

#endif
