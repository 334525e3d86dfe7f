/* SPDX-License-Identifier: GPL-3.0-or-later */
/* textfacts.h: what a report's text says about itself, found by the labels real reports use:
 * its title (first heading), date of service, and the patient ("Patient:", "DOB:", "MRN:"...).
 * Reads only the UTF-8 text it is handed (at most TEXTFACTS_SCAN_MAX bytes of it), allocates
 * nothing, copies values as written (rules/ normalises) and fills only fields still empty. */
#ifndef TEXTFACTS_H
#define TEXTFACTS_H

#include <stddef.h>

#include "read/facts.h"

/* Identity labels sit in a report's header: 64 KiB of text is many pages of it. */
#define TEXTFACTS_SCAN_MAX 65536

/* Fill out->title, out->date, out->who and out->text from utf8[0..len) (need not be
 * NUL-terminated; invalid UTF-8 bytes come out as '?'). Leaves status and format alone. */
void textfacts_scan(const char *utf8, size_t len, struct doc_facts *out);

/* Copy src[0..n) into dst (cap bytes with its NUL) as one line: runs of white space and control
 * characters become one space, leading and trailing space dropped, invalid UTF-8 bytes '?',
 * cut at a character boundary. Returns the length written. Shared with the other readers. */
size_t textfacts_copy_line(char *dst, size_t cap, const char *src, size_t n);

#endif
