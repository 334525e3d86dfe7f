/* SPDX-License-Identifier: GPL-3.0-or-later */
/* office.h: Word (DOCX) and OpenDocument (ODT) letters to facts: their text handed to textfacts.
 * office.c opens the ZIP from the bytes it is handed (libzip, in memory), reads at most
 * OFFICE_ENTRY_MAX uncompressed bytes of an entry (a ZIP bomb is refused, not inflated), parses
 * the XML as a stream with libxml2 (no network, no DTD, no entity substitution) and stops after
 * TEXTFACTS_SCAN_MAX bytes of text. Prints nothing. */
#ifndef OFFICE_H
#define OFFICE_H

#include <stddef.h>

#include "read/facts.h"

#define OFFICE_ENTRY_MAX (16u * 1024 * 1024)

/* Returns 0 with out filled (FACTS_READ; FACTS_ENCRYPTED; FACTS_DAMAGED with out->error) when
 * buf is a DOCX (word/document.xml) or ODT (mimetype application/vnd.oasis.opendocument.text),
 * 1 when it is not. The title is the first heading, else docProps/core.xml's (meta.xml's)
 * dc:title, else what textfacts finds. */
int office_read(const unsigned char *buf, size_t len, struct doc_facts *out);

#endif
