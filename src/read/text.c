/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.c: see text.h. Plain text is checked for UTF-8 and otherwise converted with iconv; HTML
 * is parsed with libxml2 (no network) and its text gathered with line breaks at blocks and tabs
 * between table cells, so that "Patient | DOE, JANE" rows reach textfacts as cells. */
#include "read/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "read/textfacts.h"
#include "read/xmlsafe.h"
#include "sys/util.h"

#define GATHER_MAX TEXTFACTS_SCAN_MAX /* text gathered from a page: what textfacts reads */
#define DEPTH_MAX 256

/* ---- libxml2, once ---- */

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx, (void)err;
}

void text_xml_init(void)
{
	xml_safe_init(); /* one setup for every XML reader, done already by reader_init() */
	/* libxml2's error handlers are per thread: silence them on each */
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
}

/* ---- plain text ---- */

/* n bytes of valid UTF-8, allowing a sequence cut at the end of the buffer. */
static int valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
		if (p[i] < 0xC2 || p[i] > 0xF4)
			return 0;
		for (size_t j = 1; j < k; j++) {
			if (i + j >= n)
				return 1;
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
		}
		i += k;
	}
	return 1;
}

/* Converted text (NUL-terminated, owned), or NULL when iconv cannot. */
static char *convert(const unsigned char *p, size_t n, const char *from, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = n * 3 + 1, left = cap - 1;
	char *out, *o, *in = (char *)p;
	if (cd == (iconv_t)-1)
		return NULL;
	out = o = xmalloc(cap);
	/* a sequence cut at the end (EINVAL) just ends the text; a bad byte (EILSEQ) is skipped */
	while (n > 0 && iconv(cd, &in, &n, &o, &left) == (size_t)-1 && errno == EILSEQ)
		in++, n--;
	iconv_close(cd);
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

static int read_plain(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	const char *from = NULL;
	char *conv = NULL;
	size_t n = len < TEXT_READ_MAX ? len : TEXT_READ_MAX;
	if (n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF)))
		from = "UTF-16";
	else if (memchr(buf, '\0', n) != NULL)
		return 1;
	else if (!valid_utf8(buf, n))
		from = "WINDOWS-1252";
	if (from != NULL) {
		conv = convert(buf, n, from, &n);
		if (conv == NULL && strcmp(from, "WINDOWS-1252") == 0)
			conv = convert(buf, n, "ISO-8859-1", &n);
		if (conv == NULL)
			return 1;
	}
	out->status = FACTS_READ;
	out->format = FMT_TEXT;
	textfacts_scan(conv ? conv : (const char *)buf, n, out);
	free(conv);
	return 0;
}

/* ---- HTML ---- */

static int name_is(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (xmlStrcasecmp(n->name, (const xmlChar *)*names) == 0)
			return 1;
	return 0;
}

static void put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len >= GATHER_MAX)
		return;
	if (n > GATHER_MAX - b->len)
		n = GATHER_MAX - b->len;
	sbuf_put(b, s, n);
}

static void gather(const xmlNode *n, struct sbuf *b, int depth)
{
	static const char *const skip[] = { "script", "style", "head", "template", NULL };
	static const char *const blocks[] = { "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4",
		"h5", "h6", "table", "section", "article", "header", "footer", "pre", "dt", "dd",
		"blockquote", "address", "hr", NULL };
	static const char *const cells[] = { "td", "th", NULL };
	for (; n != NULL && b->len < GATHER_MAX; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				put(b, (const char *)n->content, strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || name_is(n, skip))
			continue;
		if (name_is(n, blocks))
			put(b, "\n", 1);
		if (depth < DEPTH_MAX)
			gather(n->children, b, depth + 1);
		if (name_is(n, cells))
			put(b, "\t", 1);
		else if (name_is(n, blocks))
			put(b, "\n", 1);
	}
}

static const xmlNode *find_element(const xmlNode *n, const char *name, int depth)
{
	for (; n != NULL; n = n->next) {
		const xmlNode *f;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcasecmp(n->name, (const xmlChar *)name) == 0)
			return n;
		if (depth < 4 && (f = find_element(n->children, name, depth + 1)) != NULL)
			return f;
	}
	return NULL;
}

static int read_html(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	const int opts = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			 HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT;
	struct sbuf b = { 0 };
	const xmlNode *root, *title, *body;
	htmlDocPtr doc;
	text_xml_init();
	if (len > HTML_READ_MAX)
		len = HTML_READ_MAX;
	out->format = FMT_HTML;
	doc = htmlReadMemory((const char *)buf, (int)len, NULL, NULL, opts);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		out->status = FACTS_DAMAGED;
		snprintf(out->error, sizeof out->error, "the web page could not be read");
		xmlFreeDoc(doc);
		return 0;
	}
	title = find_element(root, "title", 0);
	if (title != NULL && title->children != NULL && title->children->content != NULL) {
		const char *t = (const char *)title->children->content;
		textfacts_copy_line(out->title, sizeof out->title, t, strlen(t));
	}
	body = find_element(root, "body", 0);
	gather(body ? body->children : root, &b, 0);
	out->status = FACTS_READ;
	textfacts_scan(b.p ? b.p : "", b.len, out);
	free(b.p);
	xmlFreeDoc(doc);
	return 0;
}

int text_read(const unsigned char *buf, size_t len, int is_html, struct doc_facts *out)
{
	memset(out, 0, sizeof *out);
	if (buf == NULL || len == 0)
		return 1;
	return is_html ? read_html(buf, len, out) : read_plain(buf, len, out);
}
