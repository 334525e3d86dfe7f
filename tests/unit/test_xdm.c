/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_xdm.c: the IHE XDM metadata reader on ebRIM 3.0 and ebXML 2.1 METADATA.XML (synthetic,
 * fuzz/corpus/xdm/, checked against python3's xml.etree reading the same files), the roles of
 * an XDM tree's paths, and hostile input: entity bombs, too many documents, truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "read/xdm.h"
#include "readers_fixture.h"

#define S(lit) (const unsigned char *)(lit), sizeof(lit) - 1

/* The independent reader: one line per ExtrinsicObject, fields joined by " | ". */
static const char *const PY_XDM =
	"import sys, re, xml.etree.ElementTree as ET\n"
	"TYPE = 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983'\n"
	"CLASS = 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a'\n"
	"PID = 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427'\n"
	"def local(e): return e.tag.rsplit('}', 1)[-1]\n"
	"def kids(e, name): return [c for c in e if local(c) == name]\n"
	"def slot(e, name):\n"
	"    for s in kids(e, 'Slot'):\n"
	"        if s.get('name') == name:\n"
	"            return [' '.join((v.text or '').split()) for vl in kids(s, 'ValueList') for v in kids(vl, 'Value')]\n"
	"    return []\n"
	"root = ET.parse(sys.argv[1]).getroot()\n"
	"parent = {c: p for p in root.iter() for c in p}\n"
	"docs = [e for e in root.iter() if local(e) == 'ExtrinsicObject']\n"
	"byid = {d.get('id'): d for d in docs}\n"
	"info = {d: {'type': '', 'scheme': '', 'class': '', 'pid': ''} for d in docs}\n"
	"for e in root.iter():\n"
	"    if local(e) not in ('Classification', 'ExternalIdentifier'): continue\n"
	"    p = parent.get(e)\n"
	"    d = p if p is not None and local(p) == 'ExtrinsicObject' else byid.get(e.get('classifiedObject') or e.get('registryObject'))\n"
	"    if d is None: continue\n"
	"    s = e.get('classificationScheme') or e.get('identificationScheme')\n"
	"    if s == TYPE: info[d]['type'] = e.get('nodeRepresentation'); info[d]['scheme'] = (slot(e, 'codingScheme') or [''])[0]\n"
	"    if s == CLASS: info[d]['class'] = e.get('nodeRepresentation')\n"
	"    if s == PID: info[d]['pid'] = e.get('value')\n"
	"for i, d in enumerate(docs):\n"
	"    uri = slot(d, 'URI')\n"
	"    uri = ''.join(re.sub(r'^[0-9]+\\|', '', u) for u in uri) if len(uri) > 1 else (uri[0] if uri else 'DOC%04d.XML' % (i + 1))\n"
	"    ids = []\n"
	"    cx = slot(d, 'sourcePatientId')[:1]\n"
	"    spi = slot(d, 'sourcePatientInfo')\n"
	"    for v in spi:\n"
	"        if v.startswith('PID-3|'): cx += v[6:].split('~')\n"
	"    cx.append(info[d]['pid'])\n"
	"    for c in cx:\n"
	"        c = c.split('^')[0]\n"
	"        if c and c not in ids: ids.append(c)\n"
	"    name = next((v[6:].split('~')[0].rstrip('^') for v in spi if v.startswith('PID-5|')), '')\n"
	"    dob = next((v[6:].split('^')[0] for v in spi if v.startswith('PID-7|')), '')\n"
	"    size = slot(d, 'size'); hash = slot(d, 'hash')\n"
	"    title = [ls.get('value') for n in kids(d, 'Name') for ls in kids(n, 'LocalizedString')]\n"
	"    print(' | '.join([d.get('id'), uri, d.get('mimeType') or '', size[0] if size else '-1',\n"
	"        hash[0].lower() if hash else '', info[d]['type'], info[d]['scheme'], info[d]['class'],\n"
	"        title[0] if title else '', (slot(d, 'creationTime') or [''])[0], info[d]['pid'],\n"
	"        (slot(d, 'sourcePatientId') or [''])[0], name, dob, ','.join(ids[:4])]))\n";

static void entry_line(const struct xdm_entry *e, char *out, size_t cap)
{
	char ids[300] = "";
	for (size_t i = 0; i < e->who.nids; i++)
		snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? "," : "", e->who.ids[i]);
	snprintf(out, cap, "%s | %s | %s | %lld | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s\n",
		 e->id, e->uri, e->mime, (long long)e->size, e->hash, e->type_code, e->type_scheme,
		 e->class_code, e->title, e->creation_time, e->patient_id, e->source_patient_id,
		 e->who.name, e->who.dob, ids);
}

static struct xdm_metadata *read_file(const char *path)
{
	size_t len = 0;
	unsigned char *buf = slurp(path, &len);
	struct xdm_metadata *m = malloc(sizeof *m);
	assert_non_null(buf);
	assert_non_null(m);
	assert_int_equal(xdm_read_metadata(buf, len, m), 0);
	free(buf);
	return m;
}

static void check_against_python(const char *path, size_t want_docs)
{
	char want[8192], got[8192] = "", line[2048];
	struct xdm_metadata *m = read_file(path);
	assert_int_equal(m->status, FACTS_READ);
	assert_int_equal(m->ndocs, want_docs);
	for (size_t i = 0; i < m->ndocs; i++) {
		entry_line(&m->docs[i], line, sizeof line);
		strncat(got, line, sizeof got - strlen(got) - 1);
	}
	assert_int_equal(python_reads(PY_XDM, path, want, sizeof want), 0);
	if (strcmp(got, want) != 0)
		print_error("%s:\nours:\n%spython3's:\n%s", path, got, want);
	assert_string_equal(got, want);
	free(m);
}

static void test_rim3(void **state)
{
	(void)state;
	check_against_python("fuzz/corpus/xdm/metadata-rim3.xml", 2);
	struct xdm_metadata *m = read_file("fuzz/corpus/xdm/metadata-rim3.xml");
	const struct xdm_entry *e = &m->docs[0];
	/* What python3 also says, spelled out once so a shared mistake still shows. */
	assert_string_equal(e->uri, "DOC0001.XML");
	assert_int_equal(e->size, 41230);
	assert_string_equal(e->hash, "4cf44b9d5e2c0c1a2a50d4c0f4b0d3b6e1a2b3c4");
	assert_string_equal(e->type_code, "11526-1");
	assert_string_equal(e->patient_id, "90210^^^&1.2.3&ISO");
	assert_string_equal(e->who.name, "TESTPERSON^ALBA^M");
	assert_string_equal(e->who.dob, "19700102");
	assert_int_equal(e->who.patients, 1);
	assert_string_equal(m->docs[1].uri, "DOC0002.PDF");
	assert_int_equal(m->docs[1].uri_guessed, 0);
	assert_string_equal(m->docs[1].type_code, "18748-4");

	struct doc_facts f;
	xdm_entry_facts(e, &f);
	assert_int_equal(f.format, FMT_XDM);
	assert_int_equal(f.status, FACTS_READ);
	assert_string_equal(f.code, "11526-1");
	assert_string_equal(f.code_system, "LOINC");
	assert_string_equal(f.title, "Surgical pathology report");
	assert_string_equal(f.date, "20240105101500");
	assert_string_equal(f.who.name, "TESTPERSON^ALBA^M");
	free(m);
}

static void test_ebxml21(void **state)
{
	(void)state;
	check_against_python("fuzz/corpus/xdm/metadata-ebxml21.xml", 1);
	struct xdm_metadata *m = read_file("fuzz/corpus/xdm/metadata-ebxml21.xml");
	assert_string_equal(m->docs[0].uri, "DOC0001.XML");
	assert_int_equal(m->docs[0].uri_guessed, 1);
	assert_string_equal(m->docs[0].type_code, "18842-5");
	assert_string_equal(m->docs[0].who.ids[0], "ST-1000");
	free(m);
}

static void test_not_xdm(void **state)
{
	struct xdm_metadata *m = malloc(sizeof *m);
	(void)state;
	memset(m, 0x5A, 64);
	assert_int_equal(xdm_read_metadata(S("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>"), m), 1);
	assert_int_equal(xdm_read_metadata(S("<x xmlns=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\"/>"), m), 1);
	assert_int_equal(xdm_read_metadata(S("{\"ebxml-regrep\":1}"), m), 1);
	assert_int_equal(xdm_read_metadata(NULL, 0, m), 1);
	assert_int_equal(((unsigned char *)m)[0], 0x5A);
	free(m);
}

static void test_path_roles(void **state)
{
	(void)state;
	assert_int_equal(xdm_path_role("IHE_XDM/SUBSET01/METADATA.XML"), XDM_METADATA);
	assert_int_equal(xdm_path_role("ihe_xdm/Subset02/metadata.xml"), XDM_METADATA);
	assert_int_equal(xdm_path_role("download/IHE_XDM/SUBSET01/METADATA.XML"), XDM_METADATA);
	assert_int_equal(xdm_path_role("IHE_XDM/SUBSET01/DOC0001.XML"), XDM_DOCUMENT);
	assert_int_equal(xdm_path_role("IHE_XDM/SUBSET01/DOC0002.PDF"), XDM_DOCUMENT);
	assert_int_equal(xdm_path_role("./IHE_XDM//SUBSET01/DOC0001.XML"), XDM_DOCUMENT);
	assert_int_equal(xdm_path_role("INDEX.HTM"), XDM_FURNITURE);
	assert_int_equal(xdm_path_role("README.TXT"), XDM_FURNITURE);
	assert_int_equal(xdm_path_role("readme.txt"), XDM_FURNITURE);
	assert_int_equal(xdm_path_role("IHE_XDM/STYLE.XSL"), XDM_FURNITURE);
	assert_int_equal(xdm_path_role("CDA.xsl"), XDM_FURNITURE);
	assert_int_equal(xdm_path_role("IHE_XDM/SUBSET01"), XDM_NONE);
	assert_int_equal(xdm_path_role("IHE_XDM/notes.pdf"), XDM_NONE);
	assert_int_equal(xdm_path_role("pathology.pdf"), XDM_NONE);
	assert_int_equal(xdm_path_role("other/INDEX.HTM"), XDM_NONE);
	assert_int_equal(xdm_path_role("METADATA.XML"), XDM_NONE);
	assert_int_equal(xdm_path_role(""), XDM_NONE);
	assert_int_equal(xdm_path_role(NULL), XDM_NONE);
}

static const char HEAD[] = "<SubmitObjectsRequest xmlns=\"urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0\" "
			   "xmlns:rim=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\"><rim:RegistryObjectList>";
static const char TAIL[] = "</rim:RegistryObjectList></SubmitObjectsRequest>";

/* More documents than the bound: the first XDM_MAX_DOCS kept, all counted. */
static void test_many_documents(void **state)
{
	size_t n = XDM_MAX_DOCS + 5, len = 0;
	char *doc = malloc(n * 200 + 400);
	struct xdm_metadata *m = malloc(sizeof *m);
	(void)state;
	len += (size_t)sprintf(doc, "%s", HEAD);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(doc + len, "<rim:ExtrinsicObject id=\"D%zu\"/><rim:Classification "
				       "classificationScheme=\"" XDM_SCHEME_TYPECODE "\" classifiedObject=\"D%zu\" "
				       "nodeRepresentation=\"T%zu\"/>", i, n - 1 - i, n - 1 - i);
	len += (size_t)sprintf(doc + len, "%s", TAIL);
	double t0 = now_ms();
	assert_int_equal(xdm_read_metadata((unsigned char *)doc, len, m), 0);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(m->ndocs, XDM_MAX_DOCS);
	assert_int_equal(m->seen, n);
	assert_string_equal(m->docs[7].type_code, "T7");
	assert_string_equal(m->docs[XDM_MAX_DOCS - 1].uri, "DOC1000.XML");
	free(doc);
	free(m);
}

static void test_hostile(void **state)
{
	char doc[4096];
	struct xdm_metadata *m = malloc(sizeof *m);
	(void)state;
	int n = sprintf(doc, "<!DOCTYPE SubmitObjectsRequest [<!ENTITY l0 \"lol\">");
	for (int i = 1; i <= 9; i++) {
		n += sprintf(doc + n, "<!ENTITY l%d \"", i);
		for (int k = 0; k < 10; k++)
			n += sprintf(doc + n, "&l%d;", i - 1);
		n += sprintf(doc + n, "\">");
	}
	n += sprintf(doc + n, "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>%s<rim:ExtrinsicObject id=\"a\">"
		      "<rim:Name><rim:LocalizedString value=\"&l9;&x;\"/></rim:Name><rim:Slot name=\"URI\">"
		      "<rim:ValueList><rim:Value>&x;&l9;</rim:Value></rim:ValueList></rim:Slot>"
		      "</rim:ExtrinsicObject>%s", HEAD, TAIL);
	double t0 = now_ms();
	assert_int_equal(xdm_read_metadata((unsigned char *)doc, (size_t)n, m), 0);
	assert_true(now_ms() - t0 < 2000);
	for (size_t i = 0; i < m->ndocs; i++) {
		assert_null(strstr(m->docs[i].title, "lol"));
		assert_null(strstr(m->docs[i].uri, "lol"));
		assert_null(strstr(m->docs[i].uri, "root"));
	}
	/* Every prefix of a real file: no crash, cut files are damaged. */
	size_t len = 0;
	unsigned char *full = slurp("fuzz/corpus/xdm/metadata-rim3.xml", &len);
	assert_non_null(full);
	for (size_t cut = 0; cut + 2 < len; cut += 7) {
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, full, cut);
		if (xdm_read_metadata(copy, cut, m) == 0)
			assert_int_equal(m->status, FACTS_DAMAGED);
		free(copy);
	}
	free(full);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rim3),
		cmocka_unit_test(test_ebxml21),
		cmocka_unit_test(test_not_xdm),
		cmocka_unit_test(test_path_roles),
		cmocka_unit_test(test_many_documents),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
