/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_json.h: the result of a check as a JSON object (jansson): what `check --json`
 * prints and packet.json carries, so both say the same. Builds values; never prints. */
#ifndef REPORT_JSON_H
#define REPORT_JSON_H

#include <jansson.h>

#include "read/document.h"
#include "rules/check.h"
#include "rules/manifest.h"
#include "rules/patient.h"
#include "rules/problem.h"

#define REPORT_SCHEMA_VERSION 1

/* The check as JSON: schema, complete, manifest, patient, categories, studies, documents,
 * problems. Document "path" is set by the packet writer; here it is omitted. */
json_t *report_json(const struct patient *pt, const struct manifest *m, const struct doclist *docs,
		    const struct check_result *res, const struct problems *probs);

/* The same object with "documents" an empty array, for a writer that puts each document's
 * report_document_json() in its place one at a time instead of holding them all. */
json_t *report_json_skeleton(const struct patient *pt, const struct manifest *m, const struct doclist *docs,
			     const struct check_result *res, const struct problems *probs);

/* A JSON string of s made valid UTF-8 (str_utf8: bytes that are not UTF-8 taken as
 * Latin-1), never NULL but when memory runs out. Every name bound for JSON goes through it. */
json_t *report_json_string(const char *s);

/* One element of report_json()'s "documents"; NULL only when it cannot be built. */
json_t *report_document_json(const struct document *d);

/* The problems alone, as the array report_json() carries. */
json_t *report_problems_json(const struct problems *probs);

#endif
