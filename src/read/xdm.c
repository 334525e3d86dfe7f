/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xdm.c: IHE XDM metadata and tree layout (see xdm.h). */
#include "read/xdm.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "read/factsput.h"
#include "read/xmlsafe.h"

#define XDM_SNIFF 65536
#define LOINC_OID "2.16.840.1.113883.6.1"

/* Elements are matched by local name: ebRIM 3.0 (rim/lcm/query) and ebXML 2.1 use the same
 * names for what is read here; the root's namespace must be an ebXML registry one. */
static int is_registry_ns(const xmlNode *n)
{
	return n && n->ns && n->ns->href && (strstr((const char *)n->ns->href, "ebxml-regrep") ||
					     strstr((const char *)n->ns->href, "ihe:iti:xds-b"));
}

static int is_metadata_root(const xmlNode *root)
{
	static const char *const names[] = {
		"SubmitObjectsRequest", "RegistryObjectList", "LeafRegistryObjectList",
		"ProvideAndRegisterDocumentSetRequest", "AdhocQueryResponse", "RegistryResponse",
	};
	if (!root || root->type != XML_ELEMENT_NODE || !is_registry_ns(root))
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp((const char *)root->name, names[i]) == 0)
			return 1;
	return 0;
}

/* The next element after n in document order, within root; no recursion. */
static xmlNode *walk_next(xmlNode *n, const xmlNode *root)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	for (; n && n != root; n = n->parent)
		for (xmlNode *s = n->next; s; s = s->next)
			if (s->type == XML_ELEMENT_NODE)
				return s;
	return NULL;
}

/* Each Value of a Slot's ValueList, through fn. */
static void slot_values(xmlNode *slot, void (*fn)(struct xdm_entry *, const char *, size_t),
			struct xdm_entry *e)
{
	char v[256];
	size_t i = 0;
	for (xmlNode *vl = xml_child(slot, NULL, "ValueList"); vl; vl = xml_next(vl, NULL, "ValueList"))
		for (xmlNode *val = xml_child(vl, NULL, "Value"); val; val = xml_next(val, NULL, "Value"))
			if (xml_text(val, v, sizeof v))
				fn(e, v, i++);
}

/* The first component of an HL7 v2 CX ("12345^^^&1.2.3&ISO" → "12345") as an id. */
static void add_cx(struct doc_identity *who, const char *cx)
{
	facts_add_id(who, cx, strcspn(cx, "^~"));
}

/* URI split over several values is written "1|part", "2|part"...: keep the parts in order. */
static void put_uri(struct xdm_entry *e, const char *v, size_t i)
{
	const char *bar = strchr(v, '|');
	size_t have = strlen(e->uri);
	if (bar && bar > v && strspn(v, "0123456789") == (size_t)(bar - v))
		v = bar + 1;
	else if (i > 0)
		return;
	snprintf(e->uri + have, sizeof e->uri - have, "%s", v);
}

static void put_size(struct xdm_entry *e, const char *v, size_t i)
{
	size_t n = strlen(v);
	if (i > 0 || n == 0 || n > 18 || strspn(v, "0123456789") != n)
		return;
	e->size = strtoll(v, NULL, 10);
}

static void put_hash(struct xdm_entry *e, const char *v, size_t i)
{
	if (i > 0 || strlen(v) != 40 || strspn(v, "0123456789abcdefABCDEF") != 40)
		return;
	for (size_t k = 0; k < 40; k++)
		e->hash[k] = (char)tolower((unsigned char)v[k]);
	e->hash[40] = '\0';
}

static void put_time(struct xdm_entry *e, const char *v, size_t i)
{
	if (i == 0)
		facts_puts(e->creation_time, sizeof e->creation_time, v);
}

static void put_source_id(struct xdm_entry *e, const char *v, size_t i)
{
	if (i > 0)
		return;
	facts_puts(e->source_patient_id, sizeof e->source_patient_id, v);
	add_cx(&e->who, v);
}

/* sourcePatientInfo: "PID-3|id^^^&oid&ISO~id2...", "PID-5|FAMILY^GIVEN^^^", "PID-7|19560527". */
static void put_pid(struct xdm_entry *e, const char *v, size_t i)
{
	char name[128];
	(void)i;
	if (strncasecmp(v, "PID-3|", 6) == 0) {
		for (const char *p = v + 6; *p; p += strcspn(p, "~"), p += *p == '~')
			add_cx(&e->who, p);
	} else if (strncasecmp(v, "PID-5|", 6) == 0 && !e->who.name[0]) {
		size_t n = facts_put(name, sizeof name, v + 6, strcspn(v + 6, "~"));
		while (n > 0 && name[n - 1] == '^')
			name[--n] = '\0';
		memcpy(e->who.name, name, n + 1);
	} else if (strncasecmp(v, "PID-7|", 6) == 0 && !e->who.dob[0]) {
		facts_put(e->who.dob, sizeof e->who.dob, v + 6, strcspn(v + 6, "^~"));
	}
}

static void read_slots(xmlNode *obj, struct xdm_entry *e)
{
	static const struct {
		const char *name;
		void (*fn)(struct xdm_entry *, const char *, size_t);
	} slots[] = {
		{ "URI", put_uri }, { "size", put_size }, { "hash", put_hash },
		{ "creationTime", put_time }, { "sourcePatientId", put_source_id },
		{ "sourcePatientInfo", put_pid },
	};
	for (xmlNode *s = xml_child(obj, NULL, "Slot"); s; s = xml_next(s, NULL, "Slot")) {
		const char *name = xml_attr(s, "name");
		for (size_t i = 0; name && i < sizeof slots / sizeof slots[0]; i++)
			if (strcmp(name, slots[i].name) == 0)
				slot_values(s, slots[i].fn, e);
	}
}

static void read_name(xmlNode *obj, char *dst, size_t cap)
{
	xmlNode *ls = xml_child(xml_child(obj, NULL, "Name"), NULL, "LocalizedString");
	facts_puts(dst, cap, xml_attr(ls, "value"));
}

static void read_object(xmlNode *obj, struct xdm_entry *e, size_t index)
{
	memset(e, 0, sizeof *e);
	e->size = -1;
	facts_puts(e->id, sizeof e->id, xml_attr(obj, "id"));
	facts_puts(e->mime, sizeof e->mime, xml_attr(obj, "mimeType"));
	read_slots(obj, e);
	read_name(obj, e->title, sizeof e->title);
	if (!e->uri[0]) {
		snprintf(e->uri, sizeof e->uri, "DOC%04zu.XML", index + 1);
		e->uri_guessed = 1;
	}
}

static void put_scheme(struct xdm_entry *e, const char *v, size_t i)
{
	if (i == 0)
		facts_puts(e->type_scheme, sizeof e->type_scheme, v);
}

/* A Classification or ExternalIdentifier that says something about entry e. */
static void read_link(xmlNode *n, struct xdm_entry *e)
{
	const char *scheme = xml_attr(n, xml_is(n, NULL, "Classification") ? "classificationScheme"
									     : "identificationScheme");
	const char *node = xml_attr(n, "nodeRepresentation"), *value = xml_attr(n, "value");
	if (!scheme)
		return;
	if (strcmp(scheme, XDM_SCHEME_TYPECODE) == 0 && node) {
		facts_puts(e->type_code, sizeof e->type_code, node);
		for (xmlNode *s = xml_child(n, NULL, "Slot"); s; s = xml_next(s, NULL, "Slot"))
			if (xml_attr(s, "name") && strcmp(xml_attr(s, "name"), "codingScheme") == 0)
				slot_values(s, put_scheme, e);
	} else if (strcmp(scheme, XDM_SCHEME_CLASSCODE) == 0 && node) {
		facts_puts(e->class_code, sizeof e->class_code, node);
	} else if (strcmp(scheme, XDM_SCHEME_PATIENTID) == 0 && value) {
		facts_puts(e->patient_id, sizeof e->patient_id, value);
		add_cx(&e->who, value);
	}
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(struct xdm_entry *const *)a)->id, (*(struct xdm_entry *const *)b)->id);
}

/* The entry a Classification/ExternalIdentifier belongs to: its parent ExtrinsicObject, else
 * the one its classifiedObject/registryObject attribute names (ebXML 2.1 lists them apart). */
static struct xdm_entry *link_target(xmlNode *n, struct xdm_entry **index, size_t count)
{
	struct xdm_entry key, *kp = &key, **hit;
	if (xml_is(n->parent, NULL, "ExtrinsicObject"))
		return n->parent->_private;
	const char *ref = xml_attr(n, xml_is(n, NULL, "Classification") ? "classifiedObject" : "registryObject");
	if (!ref || strlen(ref) >= sizeof key.id)
		return NULL;
	strcpy(key.id, ref);
	hit = bsearch(&kp, index, count, sizeof *index, by_id);
	return hit ? *hit : NULL;
}

static void read_entries(xmlNode *root, struct xdm_metadata *out)
{
	for (xmlNode *n = root; n; n = walk_next(n, root)) {
		if (!xml_is(n, NULL, "ExtrinsicObject"))
			continue;
		n->_private = NULL;
		if (out->ndocs < XDM_MAX_DOCS) {
			read_object(n, &out->docs[out->ndocs], out->ndocs);
			n->_private = &out->docs[out->ndocs++];
		}
		out->seen++;
	}
}

static void read_links(xmlNode *root, struct xdm_metadata *out)
{
	struct xdm_entry **index = calloc(out->ndocs ? out->ndocs : 1, sizeof *index);
	size_t count = 0;
	for (size_t i = 0; index && i < out->ndocs; i++)
		if (out->docs[i].id[0])
			index[count++] = &out->docs[i];
	if (index)
		qsort(index, count, sizeof *index, by_id);
	for (xmlNode *n = root; n; n = walk_next(n, root)) {
		struct xdm_entry *e;
		if ((xml_is(n, NULL, "Classification") || xml_is(n, NULL, "ExternalIdentifier")) &&
		    (e = link_target(n, index, index ? count : 0)) != NULL)
			read_link(n, e);
	}
	free(index);
}

int xdm_read_metadata(const unsigned char *buf, size_t len, struct xdm_metadata *out)
{
	size_t head = len < XDM_SNIFF ? len : XDM_SNIFF;
	struct xml_parse_result r;
	if (!buf || !xml_looks_like(buf, head) || !memmem(buf, head, "ebxml-regrep", 12))
		return 1;
	if (len > XDM_MAX_BYTES) {
		memset(out, 0, offsetof(struct xdm_metadata, docs));
		out->status = FACTS_DAMAGED;
		snprintf(out->error, sizeof out->error, "the XDM METADATA.XML is larger than %u MiB, too large to read",
			 XDM_MAX_BYTES >> 20);
		return 0;
	}
	if (xml_parse_safe(buf, len, &r) != 0)
		return 1;
	xmlNode *root = r.doc ? xmlDocGetRootElement(r.doc) : NULL;
	if (!is_metadata_root(root) && !(r.broken && !root)) {
		xmlFreeDoc(r.doc);
		return 1;
	}
	memset(out, 0, offsetof(struct xdm_metadata, docs));
	out->status = FACTS_READ;
	if (root) {
		read_entries(root, out);
		read_links(root, out);
	}
	for (size_t i = 0; i < out->ndocs; i++)
		out->docs[i].who.patients = out->docs[i].who.name[0] || out->docs[i].who.dob[0] ||
					    out->docs[i].who.nids;
	if (r.broken) {
		out->status = FACTS_DAMAGED;
		snprintf(out->error, sizeof out->error,
			 "the XDM METADATA.XML is broken at line %d; only its start could be read", r.line);
	}
	xmlFreeDoc(r.doc);
	return 0;
}

void xdm_entry_facts(const struct xdm_entry *e, struct doc_facts *out)
{
	facts_begin(out, FMT_XDM);
	facts_puts(out->code, sizeof out->code, e->type_code);
	if (e->type_code[0])
		facts_puts(out->code_system, sizeof out->code_system,
			   strcmp(e->type_scheme, LOINC_OID) == 0 ? "LOINC" : e->type_scheme);
	facts_puts(out->title, sizeof out->title, e->title);
	facts_puts(out->date, sizeof out->date, e->creation_time);
	facts_add_line(out->text, sizeof out->text, e->title);
	out->who = e->who;
}

/* The path component c[0..len) is name (case ignored). */
static int component_is(const char *c, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(c, name, len) == 0;
}

static int is_furniture(const char *c, size_t len)
{
	static const char *const exts[] = { ".xsl", ".xslt", ".css" };
	if (component_is(c, len, "INDEX.HTM") || component_is(c, len, "INDEX.HTML") ||
	    component_is(c, len, "README.TXT"))
		return 1;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t k = strlen(exts[i]);
		if (len > k && strncasecmp(c + len - k, exts[i], k) == 0)
			return 1;
	}
	return 0;
}

enum xdm_role xdm_path_role(const char *relpath)
{
	const char *comp[64];
	size_t lens[64], n = 0, xdm = SIZE_MAX;
	for (const char *p = relpath ? relpath : ""; *p;) {
		size_t len = strcspn(p, "/");
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (n == sizeof comp / sizeof comp[0])
				return XDM_NONE;
			comp[n] = p;
			lens[n] = len;
			if (xdm == SIZE_MAX && component_is(p, len, "IHE_XDM"))
				xdm = n;
			n++;
		}
		p += len + (p[len] == '/');
	}
	if (n == 0)
		return XDM_NONE;
	if (xdm == SIZE_MAX) /* the media's root */
		return n == 1 && is_furniture(comp[0], lens[0]) ? XDM_FURNITURE : XDM_NONE;
	if (n == xdm + 2 && is_furniture(comp[n - 1], lens[n - 1]))
		return XDM_FURNITURE;
	if (n == xdm + 3 && component_is(comp[n - 1], lens[n - 1], "METADATA.XML"))
		return XDM_METADATA;
	return n >= xdm + 3 ? XDM_DOCUMENT : XDM_NONE;
}
