/* report.h: the result of a check, for people (text) and for programs (JSON, jansson).
 * report_json() builds the same object that packet.json carries; the print functions
 * are the only ones here that write, and only to the stream they are given. */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "cli/job.h"
#include "read/document.h"
#include "rules/check.h"
#include "rules/problem.h"

#define REPORT_SCHEMA_VERSION 1

/* The check as JSON: schema, complete, manifest, patient, categories, studies, documents,
 * problems. Document "path" is set by the packet writer; here it is omitted. */
json_t *report_json(const struct job *job, const struct doclist *docs,
		    const struct check_result *res, const struct problems *probs);

/* The same object with "documents" an empty array, for a writer that puts each document's
 * report_document_json() in its place one at a time instead of holding them all. */
json_t *report_json_skeleton(const struct job *job, const struct doclist *docs,
			     const struct check_result *res, const struct problems *probs);

/* A JSON string of s made valid UTF-8 (str_utf8: bytes that are not UTF-8 taken as
 * Latin-1), never NULL but when memory runs out. Every name bound for JSON goes through it. */
json_t *report_json_string(const char *s);

/* One element of report_json()'s "documents"; NULL only when it cannot be built. */
json_t *report_document_json(const struct document *d);

/* The problems alone, as the array report_json() carries. */
json_t *report_problems_json(const struct problems *probs);

/* Human report; color only when use_color. Returns 0 or -1 on a write error. */
int report_print_text(FILE *out, const struct job *job, const struct doclist *docs,
		      const struct check_result *res, const struct problems *probs, int use_color);

/* Problems alone, one line each ("recpack: error: wrong-type: ..."), for stderr. */
void report_print_problems(FILE *out, const struct problems *probs, int use_color);

/* Should this stream get color? (a terminal, and NO_COLOR unset) */
int report_want_color(FILE *f);

#endif
