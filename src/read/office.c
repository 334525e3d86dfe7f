/* SPDX-License-Identifier: GPL-3.0-or-later */
/* office.c: see office.h. DOCX keeps its text in w:t elements of w:p paragraphs; ODT in
 * text:p and text:h. Both are read with libxml2's streaming reader so that only the start
 * of a long document is parsed. Table cells end with a tab, paragraphs with a line break, so
 * textfacts sees "Patient<TAB>DOE, JANE" rows as cells. */
#include "read/office.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "read/text.h"
#include "read/textfacts.h"
#include "sys/util.h"

#define META_MAX (1024 * 1024) /* docProps/core.xml, meta.xml */

static const char W_NS[] = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char TEXT_NS[] = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
static const char TABLE_NS[] = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
static const char DC_NS[] = "http://purl.org/dc/elements/1.1/";
static const char ODT_MIME[] = "application/vnd.oasis.opendocument.text";

enum kind { K_DOCX, K_ODT };

struct gather {
	enum kind kind;
	struct sbuf text;
	size_t para_start;  /* where the current paragraph's text began */
	int in_text;        /* inside w:t (DOCX) or text:p/text:h (ODT): depth */
	int heading;        /* the current paragraph is a heading */
	int in_cell;        /* inside table cells: paragraphs there end with a space */
	char title[160];    /* the first heading */
};

/* ---- the ZIP ---- */

/* The entry's bytes (NUL-terminated, owned) or NULL; *why says why not. */
static char *read_entry(zip_t *za, const char *name, size_t max, size_t *len, const char **why)
{
	zip_stat_t st;
	zip_file_t *f;
	char *data;
	zip_int64_t got;
	*why = NULL;
	if (zip_stat(za, name, 0, &st) != 0)
		return NULL;
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		*why = "encrypted";
		return NULL;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > max) {
		*why = "too large";
		return NULL;
	}
	if ((f = zip_fopen_index(za, st.index, 0)) == NULL) {
		*why = "unreadable";
		return NULL;
	}
	data = xmalloc(st.size + 1);
	got = zip_fread(f, data, st.size);
	zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(data);
		*why = "unreadable";
		return NULL;
	}
	data[got] = '\0';
	*len = (size_t)got;
	return data;
}

static int is_odt(zip_t *za)
{
	const char *why;
	size_t n = 0;
	char *m = read_entry(za, "mimetype", 256, &n, &why);
	int yes = m != NULL && n >= sizeof ODT_MIME - 1 && memcmp(m, ODT_MIME, sizeof ODT_MIME - 1) == 0 &&
		  (n == sizeof ODT_MIME - 1 || m[sizeof ODT_MIME - 1] != '-' ||
		   strncmp(m + sizeof ODT_MIME - 1, "-template", 9) == 0);
	free(m);
	return yes;
}

/* ---- the XML ---- */

static xmlTextReaderPtr open_xml(const char *data, size_t len)
{
	text_xml_init();
	return xmlReaderForMemory(data, (int)len, NULL, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int is(xmlTextReaderPtr r, const char *ns, const char *name)
{
	const xmlChar *u = xmlTextReaderConstNamespaceUri(r), *l = xmlTextReaderConstLocalName(r);
	return u && l && strcmp((const char *)u, ns) == 0 && strcmp((const char *)l, name) == 0;
}

static void put(struct gather *g, const char *s, size_t n)
{
	if (g->text.len >= TEXTFACTS_SCAN_MAX)
		return;
	if (n > TEXTFACTS_SCAN_MAX - g->text.len)
		n = TEXTFACTS_SCAN_MAX - g->text.len;
	sbuf_put(&g->text, s, n);
}

static void end_paragraph(struct gather *g)
{
	if (g->heading && !g->title[0] && g->text.len > g->para_start)
		textfacts_copy_line(g->title, sizeof g->title, g->text.p + g->para_start,
				    g->text.len - g->para_start);
	g->heading = 0;
	put(g, g->in_cell ? " " : "\n", 1);
	g->para_start = g->text.len;
}

static void end_cell(struct gather *g)
{
	if (g->in_cell > 0)
		g->in_cell--;
	put(g, "\t", 1);
}

/* DOCX: <w:pStyle w:val="Heading1"/> or "Title" marks a heading. */
static void docx_style(struct gather *g, xmlTextReaderPtr r)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"val", (const xmlChar *)W_NS);
	if (v && (strncmp((const char *)v, "Heading", 7) == 0 || strcmp((const char *)v, "Title") == 0))
		g->heading = 1;
	xmlFree(v);
}

static void docx_node(struct gather *g, xmlTextReaderPtr r, int type)
{
	if (type == XML_READER_TYPE_ELEMENT) {
		if (is(r, W_NS, "t") && !xmlTextReaderIsEmptyElement(r))
			g->in_text = 1;
		else if (is(r, W_NS, "tab"))
			put(g, "\t", 1);
		else if (is(r, W_NS, "br") || is(r, W_NS, "cr"))
			put(g, "\n", 1);
		else if (is(r, W_NS, "pStyle"))
			docx_style(g, r);
		else if (is(r, W_NS, "p"))
			g->para_start = g->text.len, g->heading = 0;
		else if (is(r, W_NS, "tc") && !xmlTextReaderIsEmptyElement(r))
			g->in_cell++;
	} else if (type == XML_READER_TYPE_END_ELEMENT) {
		if (is(r, W_NS, "t"))
			g->in_text = 0;
		else if (is(r, W_NS, "p"))
			end_paragraph(g);
		else if (is(r, W_NS, "tc"))
			end_cell(g);
		else if (is(r, W_NS, "tr"))
			put(g, "\n", 1);
	}
}

static void odt_node(struct gather *g, xmlTextReaderPtr r, int type)
{
	int para = is(r, TEXT_NS, "p") || is(r, TEXT_NS, "h");
	if (type == XML_READER_TYPE_ELEMENT) {
		if (para && !xmlTextReaderIsEmptyElement(r)) {
			if (g->in_text++ == 0)
				g->para_start = g->text.len, g->heading = is(r, TEXT_NS, "h");
		} else if (para) {
			put(g, "\n", 1);
		} else if (is(r, TEXT_NS, "tab")) {
			put(g, "\t", 1);
		} else if (is(r, TEXT_NS, "s")) {
			put(g, " ", 1);
		} else if (is(r, TEXT_NS, "line-break")) {
			put(g, "\n", 1);
		} else if (is(r, TABLE_NS, "table-cell") && !xmlTextReaderIsEmptyElement(r)) {
			g->in_cell++;
		}
	} else if (type == XML_READER_TYPE_END_ELEMENT) {
		if (para && g->in_text > 0 && --g->in_text == 0)
			end_paragraph(g);
		else if (is(r, TABLE_NS, "table-cell"))
			end_cell(g);
		else if (is(r, TABLE_NS, "table-row"))
			put(g, "\n", 1);
	}
}

/* Gathers the body's text; returns -1 when the XML is broken before any text. */
static int gather_text(struct gather *g, const char *xml, size_t len)
{
	xmlTextReaderPtr r = open_xml(xml, len);
	int rc = 0;
	if (r == NULL)
		return -1;
	while (g->text.len < TEXTFACTS_SCAN_MAX && (rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
		    g->in_text) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (v)
				put(g, v, strlen(v));
		} else if (g->kind == K_DOCX) {
			docx_node(g, r, type);
		} else {
			odt_node(g, r, type);
		}
	}
	xmlFreeTextReader(r);
	return rc < 0 && g->text.len == 0 ? -1 : 0;
}

/* dc:title of docProps/core.xml (DOCX) or meta.xml (ODT). */
static void meta_title(zip_t *za, enum kind kind, char *title, size_t cap)
{
	const char *why;
	size_t len = 0;
	char *xml = read_entry(za, kind == K_DOCX ? "docProps/core.xml" : "meta.xml", META_MAX, &len, &why);
	xmlTextReaderPtr r;
	if (xml == NULL || (r = open_xml(xml, len)) == NULL) {
		free(xml);
		return;
	}
	while (xmlTextReaderRead(r) == 1) {
		xmlChar *s;
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !is(r, DC_NS, "title"))
			continue;
		if ((s = xmlTextReaderReadString(r)) != NULL)
			textfacts_copy_line(title, cap, (const char *)s, strlen((const char *)s));
		xmlFree(s);
		break;
	}
	xmlFreeTextReader(r);
	free(xml);
}

static int damaged(struct doc_facts *out, const char *msg)
{
	out->status = FACTS_DAMAGED;
	snprintf(out->error, sizeof out->error, "%s", msg);
	return 0;
}

static int read_document(zip_t *za, enum kind kind, struct doc_facts *out)
{
	struct gather g = { .kind = kind };
	const char *why;
	size_t len = 0;
	char *xml = read_entry(za, kind == K_DOCX ? "word/document.xml" : "content.xml",
			       OFFICE_ENTRY_MAX, &len, &why);
	if (xml == NULL) {
		if (why && strcmp(why, "encrypted") == 0) {
			out->status = FACTS_ENCRYPTED;
			snprintf(out->error, sizeof out->error, "the document is protected by a password");
			return 0;
		}
		if (why && strcmp(why, "too large") == 0)
			return damaged(out, "the document's text is larger than 16 MiB unpacked: not read");
		return damaged(out, "the document's text could not be unpacked");
	}
	if (gather_text(&g, xml, len) < 0) {
		free(xml);
		free(g.text.p);
		return damaged(out, "the document's text is not well-formed XML");
	}
	free(xml);
	memcpy(out->title, g.title, sizeof g.title);
	if (!out->title[0])
		meta_title(za, kind, out->title, sizeof out->title);
	out->status = FACTS_READ;
	textfacts_scan(g.text.p ? g.text.p : "", g.text.len, out);
	free(g.text.p);
	return 0;
}

/* A ZIP libzip cannot open (cut short, no central directory) whose first entries name a
 * document's parts: a damaged document rather than something else. */
static int looks_like_office(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	size_t n = len < 65536 ? len : 65536;
	if (memmem(buf, n, ODT_MIME, sizeof ODT_MIME - 1) != NULL)
		out->format = FMT_ODT;
	else if (memmem(buf, n, "word/document.xml", 17) != NULL)
		out->format = FMT_DOCX;
	else
		return 1;
	return damaged(out, "the document is damaged: it is cut short or its ZIP structure is broken");
}

int office_read(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	enum kind kind;
	int rc;
	memset(out, 0, sizeof *out);
	if (buf == NULL || len < 4 || memcmp(buf, "PK", 2) != 0)
		return 1;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return 1;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return looks_like_office(buf, len, out);
	}
	zip_error_fini(&ze);
	if (is_odt(za))
		kind = K_ODT;
	else if (zip_name_locate(za, "word/document.xml", 0) >= 0)
		kind = K_DOCX;
	else {
		zip_discard(za);
		return 1;
	}
	out->format = kind == K_DOCX ? FMT_DOCX : FMT_ODT;
	rc = read_document(za, kind, out);
	zip_discard(za);
	return rc;
}
