/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fhir.c: the FHIR reader on Synthea bundles nobody here made (cql-exec-fhir's test
 * fixtures from npm, checked against python3's json reading the same files), on hand-made
 * resources, and on hostile JSON: deep nesting, duplicate keys, truncation, size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "read/fhir.h"
#include "readers_fixture.h"

#define S(lit) (const unsigned char *)(lit), sizeof(lit) - 1

/* The independent reader: the same choices, by python3's json, printed like facts_line. */
static const char *const PY_FHIR =
	"import sys, json\n"
	"b = json.load(open(sys.argv[1]))\n"
	"res = [e['resource'] for e in b.get('entry', [])] if b['resourceType'] == 'Bundle' else [b]\n"
	"def words(v): return ' '.join(v) if isinstance(v, list) else (v or '')\n"
	"def person(p):\n"
	"    names = p.get('name', [])\n"
	"    n = next((x for x in names if x.get('use') == 'official'), names[0] if names else {})\n"
	"    fam, giv = words(n.get('family')), words(n.get('given'))\n"
	"    name = fam + ', ' + giv if fam and giv else fam or giv or n.get('text', '')\n"
	"    ids = []\n"
	"    for i in p.get('identifier', []):\n"
	"        if i.get('value') and i['value'] not in ids: ids.append(i['value'])\n"
	"    return name, p.get('birthDate', ''), ids[:4]\n"
	"pats = [person(r) for r in res if r['resourceType'] == 'Patient']\n"
	"def kind(r):\n"
	"    for c in r.get('category', []):\n"
	"        for k in c.get('coding', []):\n"
	"            if k.get('code') in ('LP7839-6', 'LP29684-5'): return k\n"
	"def rank(r):\n"
	"    t = r['resourceType']\n"
	"    return {'Composition': 4, 'DocumentReference': 3}.get(t, (2 if kind(r) else 1) if t == 'DiagnosticReport' else 0)\n"
	"best = None\n"
	"for r in res:\n"
	"    if rank(r) > (rank(best) if best else 0): best = r\n"
	"code = system = ''\n"
	"if best:\n"
	"    dr = best['resourceType'] == 'DiagnosticReport'\n"
	"    cc = best.get('code' if dr else 'type', {})\n"
	"    cs = [c for c in cc.get('coding', []) if c.get('code')]\n"
	"    c = kind(best) if dr and kind(best) else next((c for c in cs if c.get('system') == 'http://loinc.org'), cs[0] if cs else {})\n"
	"    code = c.get('code', '')\n"
	"    system = 'LOINC' if c.get('system') == 'http://loinc.org' else c.get('system', '')\n"
	"print('code=' + code)\n"
	"print('system=' + system)\n"
	"n, d, ids = pats[0] if pats else ('', '', [])\n"
	"print('name=' + n)\n"
	"print('dob=' + d)\n"
	"print('ids=' + '|'.join(ids))\n"
	"print('patients=%d' % min(len(set((p[0], p[1]) for p in pats)), 2))\n";

static void facts_line(const struct doc_facts *f, char *out, size_t cap)
{
	char ids[300] = "";
	for (size_t i = 0; i < f->who.nids; i++)
		snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? "|" : "", f->who.ids[i]);
	snprintf(out, cap, "code=%s\nsystem=%s\nname=%s\ndob=%s\nids=%s\npatients=%d\n", f->code,
		 f->code_system, f->who.name, f->who.dob, ids, f->who.patients);
}

static void test_synthea_bundles(void **state)
{
	static const char *const files[] = {
		"test/fixtures/r4/Johnnie679_Hermiston71_2cd30bd6-3a87-4191-af90-6daa70f58f55.json",
		"test/fixtures/r4/Luna60_McCullough561_6662f0ca-b617-4e02-8f55-7275e9f49aa0.json",
		"test/fixtures/stu3/Myron933_Ondricka197_a901d2b4-30a8-41b9-b94a-f44561d8f809.json",
		"test/fixtures/dstu2/Shawnee493_Osinski784_60d5c7b1-53ee-49ca-a33a-945004d6b84f.json",
	};
	char dir[1024], path[1400], want[4096], got[4096];
	(void)state;
	int rc = npm_fixture("cql-exec-fhir", "2.2.0", dir, sizeof dir);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct doc_facts f;
		size_t len = 0;
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unsigned char *buf = slurp(path, &len);
		assert_non_null(buf);
		assert_int_equal(fhir_read(buf, len, &f), 0);
		assert_int_equal(f.status, FACTS_READ);
		assert_int_equal(f.format, FMT_FHIR);
		facts_line(&f, got, sizeof got);
		assert_int_equal(python_reads(PY_FHIR, path, want, sizeof want), 0);
		if (strcmp(got, want) != 0)
			print_error("%s:\nours:\n%spython3's:\n%s", files[i], got, want);
		assert_string_equal(got, want);
		assert_true(strlen(f.who.name) > 2 && f.who.dob[0] && f.who.patients == 1);
		free(buf);
	}
}

static void test_not_fhir(void **state)
{
	struct doc_facts f;
	(void)state;
	memset(&f, 0x5A, sizeof f);
	assert_int_equal(fhir_read(S("{\"name\":\"x\"}"), &f), 1);
	assert_int_equal(fhir_read(S("[{\"resourceType\":\"Patient\"}]"), &f), 1);
	assert_int_equal(fhir_read(S("{\"resourceType\":42}"), &f), 1);
	assert_int_equal(fhir_read(S("{\"a\":{\"resourceType\":\"Patient\"}}"), &f), 1);
	assert_int_equal(fhir_read(S("<ClinicalDocument/>"), &f), 1);
	assert_int_equal(fhir_read(S(""), &f), 1);
	assert_int_equal(fhir_read(NULL, 0, &f), 1);
	assert_int_equal(((unsigned char *)&f)[0], 0x5A);
}

/* A document bundle: the Composition's type wins over a lab report; two different patients. */
static void test_document_bundle_two_patients(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(fhir_read(S("{\"resourceType\":\"Bundle\",\"type\":\"document\",\"entry\":["
		"{\"resource\":{\"resourceType\":\"DiagnosticReport\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"58410-2\"}]}}},"
		"{\"resource\":{\"resourceType\":\"Composition\",\"title\":\"Discharge  summary\",\"date\":\"2024-02-01\","
		"\"type\":{\"coding\":[{\"system\":\"urn:x\",\"code\":\"DS\"},{\"system\":\"http://loinc.org\",\"code\":\"18842-5\"}]},"
		"\"section\":[{\"title\":\"Hospital course\"},{\"title\":\"Discharge medications\"}]}},"
		"{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"use\":\"nickname\",\"given\":[\"Bo\"]},"
		"{\"use\":\"official\",\"family\":\"Garc\xC3\xAD" "a L\xC3\xB3pez\",\"given\":[\"Jos\xC3\xA9\",\"Luis\"]}],"
		"\"birthDate\":\"1975-05-01\",\"identifier\":[{\"value\":\"00123\"},{\"value\":\"00123\"},{\"system\":\"x\"}]}},"
		"{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Garc\xC3\xAD" "a L\xC3\xB3pez\",\"given\":[\"Jos\xC3\xA9\",\"Luis\"]}],"
		"\"birthDate\":\"1975-05-01\"}},"
		"{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"Ann Other\"}]}}]}"), &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_string_equal(f.code, "18842-5");
	assert_string_equal(f.code_system, "LOINC");
	assert_string_equal(f.title, "Discharge summary");
	assert_string_equal(f.date, "2024-02-01");
	assert_string_equal(f.text, "Discharge summary\nHospital course\nDischarge medications");
	assert_string_equal(f.who.name, "Garc\xC3\xAD" "a L\xC3\xB3pez, Jos\xC3\xA9 Luis");
	assert_string_equal(f.who.dob, "1975-05-01");
	assert_int_equal(f.who.nids, 1);
	assert_string_equal(f.who.ids[0], "00123");
	assert_int_equal(f.who.patients, 2); /* the same person twice is one; Ann Other is another */
}

/* DiagnosticReport categories: pathology and radiology by their LOINC part codes. */
static void test_report_category(void **state)
{
	struct doc_facts f;
	(void)state;
	assert_int_equal(fhir_read(S("{\"resourceType\":\"DiagnosticReport\","
		"\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0074\",\"code\":\"SP\"}]},"
		"{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LP7839-6\",\"display\":\"Pathology\"}]}],"
		"\"code\":{\"text\":\"Surgical pathology report\",\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"60567-5\"}]},"
		"\"effectiveDateTime\":\"2024-01-05T10:00:00Z\",\"subject\":{\"display\":\"Jane Roe\"}}"), &f), 0);
	assert_string_equal(f.code, "LP7839-6");
	assert_string_equal(f.title, "Surgical pathology report");
	assert_string_equal(f.date, "2024-01-05T10:00:00Z");
	assert_string_equal(f.who.name, "Jane Roe");
	assert_int_equal(f.who.patients, 1);
	assert_int_equal(fhir_read(S("{\"resourceType\":\"Bundle\",\"entry\":["
		"{\"resource\":{\"resourceType\":\"DiagnosticReport\",\"code\":{\"coding\":[{\"code\":\"58410-2\",\"system\":\"http://loinc.org\"}]}}},"
		"{\"resource\":{\"resourceType\":\"DiagnosticReport\",\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LP29684-5\"}]}],"
		"\"code\":{\"coding\":[{\"code\":\"24627-2\",\"system\":\"http://loinc.org\",\"display\":\"CT Chest\"}]}}}]}"), &f), 0);
	assert_string_equal(f.code, "LP29684-5");
	assert_string_equal(f.title, "CT Chest");
	assert_int_equal(f.who.patients, 0);
}

static void test_hostile(void **state)
{
	size_t depth = 200000;
	char *deep = malloc(2 * depth + 64);
	struct doc_facts f;
	(void)state;
	int n = sprintf(deep, "{\"resourceType\":\"Patient\",\"x\":");
	memset(deep + n, '[', depth);
	memset(deep + n + depth, ']', depth);
	strcpy(deep + n + 2 * depth, "}");
	double t0 = now_ms();
	assert_int_equal(fhir_read((unsigned char *)deep, strlen(deep), &f), 0);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_non_null(strstr(f.error, "deeper"));
	free(deep);
	/* Brackets inside strings are not nesting. */
	assert_int_equal(fhir_read(S("{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\"}]}"), &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	/* Two "name"s: which one a reader takes is a guess, so none is taken. */
	assert_int_equal(fhir_read(S("{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"A B\"}],"
				     "\"name\":[{\"text\":\"C D\"}]}"), &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_string_equal(f.who.name, "");
	/* Control bytes and a huge value stay inside their field. */
	char big[9000];
	n = sprintf(big, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"A\\u0007\\nB\",\"given\":[\"");
	memset(big + n, 'x', 8000);
	strcpy(big + n + 8000, "\"]}]}");
	assert_int_equal(fhir_read((unsigned char *)big, strlen(big), &f), 0);
	assert_int_equal(strncmp(f.who.name, "A B, xxx", 8), 0);
	assert_true(strlen(f.who.name) < sizeof f.who.name);
}

static void test_truncated(void **state)
{
	static const char doc[] = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Roe\",\"given\":[\"Jane\"]}],"
				  "\"birthDate\":\"1970-01-02\",\"identifier\":[{\"value\":\"M1\"}]}";
	(void)state;
	for (size_t cut = 0; cut < sizeof doc - 1; cut++) {
		struct doc_facts f;
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, doc, cut);
		int rc = fhir_read(copy, cut, &f);
		if (rc == 0)
			assert_int_equal(f.status, FACTS_DAMAGED);
		free(copy);
	}
	struct doc_facts f;
	assert_int_equal(fhir_read(S(doc), &f), 0);
	assert_int_equal(f.status, FACTS_READ);
	assert_string_equal(f.who.name, "Roe, Jane");
}

static void test_too_large(void **state)
{
	size_t len = FHIR_MAX_BYTES + 1;
	unsigned char *big = malloc(len);
	struct doc_facts f;
	(void)state;
	assert_non_null(big);
	memset(big, ' ', len);
	memcpy(big, "{\"resourceType\":\"Bundle\"", 24);
	assert_int_equal(fhir_read(big, len, &f), 0);
	assert_int_equal(f.status, FACTS_DAMAGED);
	assert_non_null(strstr(f.error, "MiB"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthea_bundles),
		cmocka_unit_test(test_not_fhir),
		cmocka_unit_test(test_document_bundle_two_patients),
		cmocka_unit_test(test_report_category),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
