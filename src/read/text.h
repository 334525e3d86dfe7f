/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.h: plain text and web pages (HTML) to facts: their text handed to textfacts.
 * text.c reads only the bytes it is handed, at most TEXT_READ_MAX of them (the labels and
 * title of a report are at its start), never loads anything from the network, prints nothing. */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

#include "read/facts.h"

#define TEXT_READ_MAX (256 * 1024)     /* bytes of plain text looked at */
#define HTML_READ_MAX (4 * 1024 * 1024) /* bytes of HTML parsed: the text of the head of it */

/* Plain text (UTF-8; UTF-16 with a byte-order mark; otherwise Windows-1252) when !is_html,
 * HTML (libxml2's HTML parser: <title> as the title, the text of the body) when is_html.
 * Returns 0 with out filled (status FACTS_READ or FACTS_DAMAGED), 1 when the bytes are not
 * text (NUL bytes in what should be plain text). */
int text_read(const unsigned char *buf, size_t len, int is_html, struct doc_facts *out);

/* libxml2 set up once for every thread (the first call of xmlInitParser is not thread-safe)
 * and its error messages silenced. Used by every reader that parses XML or HTML. */
void text_xml_init(void);

#endif
