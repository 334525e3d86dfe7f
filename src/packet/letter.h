/* SPDX-License-Identifier: GPL-3.0-or-later */
/* letter.h: the records-request letter (`recpack request`): what the check found missing,
 * worded as a request under the HIPAA right of access (45 CFR 164.524), as plain text and as
 * a printable HTML page. Builds strings only: it never prints, writes or sends anything. */
#ifndef LETTER_H
#define LETTER_H

#include "read/document.h"
#include "rules/check.h"
#include "rules/manifest.h"
#include "rules/patient.h"
#include "sys/util.h"

#define LETTER_DEADLINE_DAYS 30 /* 45 CFR 164.524(b)(2): act on a request within 30 days */

struct letter {
	const struct patient *pt;
	const struct manifest *m;
	const struct doclist *docs;      /* checked: excluded documents are not counted */
	const struct check_result *res;
	const char *to;                  /* the office written to: "Springfield Imaging Center" */
	const char *to_address;          /* its address, lines separated by '\n', or NULL */
	const char *from_address;        /* the patient's address and phone, or NULL */
	const char *date;                /* the letter's date, YYYY-MM-DD */
};

/* What to ask for, one plain sentence each (UTF-8, shown-safe), in manifest order. */
void letter_items(const struct letter *l, struct strlist *items);

/* The letter as text (lines wrapped at 76 columns) and as HTML; NULL when there is nothing to
 * ask for. The caller frees. */
char *letter_text(const struct letter *l, size_t *len);
char *letter_html(const struct letter *l, size_t *len);

#endif
