/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ccda.c: C-CDA header fields into doc_facts (see ccda.h). */
#include "read/ccda.h"

#include <stdio.h>
#include <string.h>

#include "read/factsput.h"
#include "read/xmlsafe.h"

/* Where the root element name must show up for the bytes to be worth parsing. */
#define CCDA_SNIFF 65536

static int mentions_root(const unsigned char *buf, size_t len)
{
	size_t n = len < CCDA_SNIFF ? len : CCDA_SNIFF;
	return xml_looks_like(buf, n) && memmem(buf, n, "ClinicalDocument", 16) != NULL;
}

static xmlNode *path(xmlNode *n, const char *a, const char *b, const char *c)
{
	n = xml_child(n, CCDA_NS, a);
	if (n && b)
		n = xml_child(n, CCDA_NS, b);
	if (n && c)
		n = xml_child(n, CCDA_NS, c);
	return n;
}

static void read_code(xmlNode *root, struct doc_facts *f)
{
	xmlNode *code = xml_child(root, CCDA_NS, "code");
	const char *sys = xml_attr(code, "codeSystem");
	facts_puts(f->code, sizeof f->code, xml_attr(code, "code"));
	if (sys && strcmp(sys, LOINC_OID) == 0)
		sys = "LOINC";
	if (f->code[0])
		facts_puts(f->code_system, sizeof f->code_system, sys);
}

/* "Family, Given Middle" from a structured name; its text when it has no parts. */
static void read_name(xmlNode *name, char *dst, size_t cap)
{
	char family[128] = "", given[128] = "", part[128];
	for (xmlNode *c = name ? name->children : NULL; c; c = c->next) {
		const char *q = xml_attr(c, "qualifier");
		if (xml_is(c, CCDA_NS, "family") && xml_text(c, part, sizeof part)) {
			if (family[0])
				strncat(family, " ", sizeof family - strlen(family) - 1);
			strncat(family, part, sizeof family - strlen(family) - 1);
		} else if (xml_is(c, CCDA_NS, "given") && !(q && strcmp(q, "CL") == 0) &&
			   xml_text(c, part, sizeof part)) {
			if (given[0])
				strncat(given, " ", sizeof given - strlen(given) - 1);
			strncat(given, part, sizeof given - strlen(given) - 1);
		}
	}
	if (!family[0] && !given[0]) {
		xml_text(name, dst, cap);
		return;
	}
	char whole[260];
	snprintf(whole, sizeof whole, "%s%s%s", family, family[0] && given[0] ? ", " : "", given);
	facts_puts(dst, cap, whole);
}

static void read_patient(xmlNode *root, struct doc_facts *f)
{
	xmlNode *role = path(root, "recordTarget", "patientRole", NULL);
	xmlNode *patient = xml_child(role, CCDA_NS, "patient");
	if (!role)
		return;
	for (xmlNode *id = xml_child(role, CCDA_NS, "id"); id; id = xml_next(id, CCDA_NS, "id")) {
		const char *v = xml_attr(id, "extension");
		if (!v)
			v = xml_attr(id, "root"); /* an id that is all root (a UUID) */
		if (v)
			facts_add_id(&f->who, v, strlen(v));
	}
	read_name(xml_child(patient, CCDA_NS, "name"), f->who.name, sizeof f->who.name);
	facts_puts(f->who.dob, sizeof f->who.dob, xml_attr(xml_child(patient, CCDA_NS, "birthTime"), "value"));
	f->who.patients = f->who.name[0] || f->who.dob[0] || f->who.nids;
	/* A second recordTarget is a second patient in the same document. */
	if (f->who.patients && xml_next(xml_child(root, CCDA_NS, "recordTarget"), CCDA_NS, "recordTarget"))
		f->who.patients = 2;
}

/* The document title, then each top-level section's title, one a line. */
static void read_titles(xmlNode *root, struct doc_facts *f)
{
	char t[256];
	xml_text(xml_child(root, CCDA_NS, "title"), f->title, sizeof f->title);
	facts_add_line(f->text, sizeof f->text, f->title);
	xmlNode *body = path(root, "component", "structuredBody", NULL);
	for (xmlNode *c = xml_child(body, CCDA_NS, "component"); c; c = xml_next(c, CCDA_NS, "component")) {
		if (xml_text(xml_child(xml_child(c, CCDA_NS, "section"), CCDA_NS, "title"), t, sizeof t) &&
		    facts_add_line(f->text, sizeof f->text, t) != 0)
			break;
	}
}

int ccda_read(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	struct xml_parse_result r;
	if (!buf || !mentions_root(buf, len))
		return 1;
	if (len > CCDA_MAX_BYTES) {
		facts_begin(out, FMT_CCDA);
		facts_damaged(out, "the C-CDA document is larger than %u MiB, too large to read",
			      CCDA_MAX_BYTES >> 20);
		return 0;
	}
	if (xml_parse_safe(buf, len, &r) != 0)
		return 1;
	xmlNode *root = r.doc ? xmlDocGetRootElement(r.doc) : NULL;
	if (!xml_is(root, CCDA_NS, "ClinicalDocument")) {
		int damaged = r.broken && !root; /* says ClinicalDocument, but nothing parsed */
		xmlFreeDoc(r.doc);
		if (!damaged)
			return 1;
		facts_begin(out, FMT_CCDA);
		facts_damaged(out, "the C-CDA document's XML is broken (line %d), so it cannot be read", r.line);
		return 0;
	}
	facts_begin(out, FMT_CCDA);
	read_code(root, out);
	read_titles(root, out);
	facts_puts(out->date, sizeof out->date, xml_attr(xml_child(root, CCDA_NS, "effectiveTime"), "value"));
	read_patient(root, out);
	if (r.broken)
		facts_damaged(out, "the C-CDA document's XML is broken at line %d; only its start could be read",
			      r.line);
	xmlFreeDoc(r.doc);
	return 0;
}
