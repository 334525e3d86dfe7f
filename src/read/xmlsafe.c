/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xmlsafe.c: libxml2 locked down for bytes a stranger controls (see xmlsafe.h). */
#include "read/xmlsafe.h"

#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "read/factsput.h"

/* XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_XINCLUDE and
 * XML_PARSE_HUGE stay off: entities are left as references, no DTD or other file is
 * fetched, and libxml2 keeps its depth (256) and entity amplification limits. */
#define XML_SAFE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
			  XML_PARSE_RECOVER | XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE)

static void ignore_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

static void ignore_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void note_error(struct xml_parse_result *r, const xmlError *e)
{
	r->broken = 1;
	if (!e)
		return;
	r->line = e->line;
	facts_puts(r->what, sizeof r->what, e->message);
}

static void xml_setup(void)
{
	xmlInitParser();
}

void xml_safe_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, xml_setup);
}

int xml_parse_safe(const unsigned char *buf, size_t len, struct xml_parse_result *r)
{
	memset(r, 0, sizeof *r);
	if (len > INT_MAX)
		return -1;
	/* The handlers are per thread in Debian's libxml2: nothing this thread parses prints. */
	xmlSetStructuredErrorFunc(NULL, ignore_structured);
	xmlSetGenericErrorFunc(NULL, ignore_generic);
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return -1;
	ctxt->sax->serror = ignore_structured;
	r->doc = xmlCtxtReadMemory(ctxt, (const char *)buf, (int)len, "document.xml", NULL,
				   XML_SAFE_OPTIONS);
	if (!ctxt->wellFormed || !r->doc)
		note_error(r, xmlCtxtGetLastError(ctxt));
	xmlFreeParserCtxt(ctxt);
	return 0;
}

int xml_is(const xmlNode *n, const char *ns, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	if (!ns)
		return 1;
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

xmlNode *xml_next(const xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = n ? n->next : NULL; c; c = c->next)
		if (xml_is(c, ns, name))
			return c;
	return NULL;
}

xmlNode *xml_child(const xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (xml_is(c, ns, name))
			return c;
	return NULL;
}

const char *xml_attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttr *a = n->properties; a; a = a->next) {
		if (a->ns || strcmp((const char *)a->name, name) != 0)
			continue;
		/* An attribute's value is its one text child unless it holds entity references,
		 * which are not expanded: such a value reads as absent. */
		xmlNode *t = a->children;
		if (t && t->type == XML_TEXT_NODE && !t->next && t->content)
			return (const char *)t->content;
		return NULL;
	}
	return NULL;
}

size_t xml_text(const xmlNode *n, char *dst, size_t cap)
{
	char buf[1024];
	size_t o = 0;
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
			continue;
		size_t k = strlen((const char *)c->content);
		if (k > sizeof buf - 1 - o)
			k = sizeof buf - 1 - o;
		memcpy(buf + o, c->content, k);
		o += k;
	}
	return facts_put(dst, cap, buf, o);
}

int xml_looks_like(const unsigned char *s, size_t n)
{
	size_t i = 0;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i < n && s[i] == '<';
}
