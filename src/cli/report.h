/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.h: the result of a check for people (text); for programs, the JSON object that
 * packet.json carries too (packet/report_json.h). The print functions write only to the
 * stream they are given. */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "packet/report_json.h"
#include "rules/manifest.h"
#include "rules/patient.h"
#include "packet/verify.h"
#include "read/document.h"
#include "rules/check.h"
#include "rules/problem.h"

/* Human report; color only when use_color. Returns 0 or -1 on a write error. */
int report_print_text(FILE *out, const struct patient *pt, const struct manifest *m, int verbose,
		      const struct doclist *docs,
		      const struct check_result *res, const struct problems *probs, int use_color);

/* Problems alone, one line each ("recpack: error: wrong-type: ..."), for stderr. */
void report_print_problems(FILE *out, const struct problems *probs, int use_color);

/* Failures of verify or extract, one "FAILED  PATH: PROBLEM" line each. */
void report_print_failures(FILE *out, const struct verify_failure *v, size_t n);

/* Should this stream get color? (a terminal, and NO_COLOR unset) */
int report_want_color(FILE *f);

#endif
