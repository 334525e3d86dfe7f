/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xmlsafe.h: parsing untrusted XML with libxml2, the one way read/ does it: no network, no DTD
 * loading, no entity substitution, libxml2's own depth and amplification limits (no HUGE),
 * silent (never prints), input capped by the caller. Helpers walk the tree without ever
 * expanding entity references and copy text bounded. No I/O of its own. */
#ifndef XMLSAFE_H
#define XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>

struct xml_parse_result {
	xmlDocPtr doc;   /* NULL when nothing could be built; free with xmlFreeDoc */
	int broken;      /* the XML is not well-formed: doc (if any) holds what was recovered */
	int line;        /* line of the first error, 0 when unknown */
	char what[96];   /* libxml2's message for it, one line, "" when none */
};

/* libxml2's one-time setup: call once from the main thread before worker threads read any
 * XML (libxml2 2.9 does not initialise itself safely when two threads race to do it). */
void xml_safe_init(void);

/* Parse buf[0..len) (recovering what it can from broken XML). 0, or -1 when libxml2
 * could not even start (out of memory). */
int xml_parse_safe(const unsigned char *buf, size_t len, struct xml_parse_result *r);

/* The element's local name is name (and its namespace ns, when ns is not NULL). */
int xml_is(const xmlNode *n, const char *ns, const char *name);
/* The first child element named name in ns (NULL: any namespace), or NULL. */
xmlNode *xml_child(const xmlNode *n, const char *ns, const char *name);
/* The next sibling element after n named name in ns, or NULL. */
xmlNode *xml_next(const xmlNode *n, const char *ns, const char *name);
/* An attribute's value (no namespace), or NULL; the pointer lives as long as the document. */
const char *xml_attr(const xmlNode *n, const char *name);
/* The element's own text (text and CDATA children, entity references skipped) into dst,
 * whitespace folded; returns its length. */
size_t xml_text(const xmlNode *n, char *dst, size_t cap);

/* s[0..n) begins, after a BOM and white space, with '<'. */
int xml_looks_like(const unsigned char *s, size_t n);

#endif
