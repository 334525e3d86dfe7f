/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for rules/disc.c: trees per disc and source, a DICOMDIR's references against the
 * files gathered, an XDM entry against its document. Real discs and downloads: tests/cli/
 * discs.sh and xdm.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/disc.h"
#include "sys/util.h"

static struct document *add(struct doclist *l, const char *source, const char *relpath, enum doc_type t,
			    const char *sop)
{
	struct document *d = doclist_add(l, source, source, relpath, NULL);
	d->sniff.type = t;
	d->sop_instance_uid = sop;
	d->size = 10;
	return d;
}

static void refs(struct document *dd, size_t n, const char *const *ids, const char *const *uids)
{
	dd->index = xcalloc(1, sizeof(*dd->index));
	dd->index->refs = xcalloc(n, sizeof(*dd->index->refs));
	for (size_t i = 0; i < n; i++) {
		dd->index->refs[i].file_id = xstrdup(ids[i]);
		dd->index->refs[i].sop_uid = xstrdup(uids[i]);
	}
	dd->index->nrefs = n;
}

static size_t count(const struct problems *p, const char *code, enum severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += strcmp(p->v[i].code, code) == 0 && p->v[i].severity == sev;
	return n;
}

static void two_discs_named_cd(void **state)
{
	(void)state;
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	const char *ids[] = { "DICOM/IM1", "DICOM/IM2" }, *uids[] = { "1.2.1", "1.2.2" };
	refs(add(&docs, "/a/CD/DICOMDIR", "CD/DICOMDIR", T_DICOMDIR, NULL), 2, ids, uids);
	add(&docs, "/a/CD/DICOM/IM1", "CD/DICOM/IM1", T_DICOM, "1.2.1");
	add(&docs, "/a/CD/dicom/im2", "CD/dicom/im2", T_DICOM, "1.2.2"); /* a disc mounted in lower case */
	refs(add(&docs, "/b/CD.iso/DICOMDIR", "CD/DICOMDIR", T_DICOMDIR, NULL), 2, ids, uids);
	add(&docs, "/b/CD.iso/DICOM/IM1", "CD/DICOM/IM1", T_DICOM, "1.2.9"); /* another image */
	add(&docs, "/b/CD.iso/DICOM/IM3", "CD/DICOM/IM3", T_DICOM, "1.2.3"); /* unlisted */
	add(&docs, "/b/CD.iso/report.pdf", "CD/report.pdf", T_PDF, NULL);
	discs_mark(&docs);
	assert_non_null(docs.v[0].disc_root);
	assert_string_equal(docs.v[0].disc_root, "CD/");
	assert_ptr_equal(docs.v[1].disc_root, docs.v[0].disc_root);
	assert_ptr_equal(docs.v[2].disc_root, docs.v[0].disc_root);
	assert_ptr_not_equal(docs.v[3].disc_root, docs.v[0].disc_root); /* same name, its own disc */
	assert_ptr_equal(docs.v[4].disc_root, docs.v[3].disc_root);

	docs.v[6].category = "pathology"; /* filed by its content: it leaves the disc's tree */
	docs.v[5].category = "radiology";
	discs_settle(&docs, "radiology");
	assert_null(docs.v[6].disc_root);
	assert_non_null(docs.v[5].disc_root);

	discs_check(&docs, &probs);
	assert_int_equal(count(&probs, P_DISC_INCOMPLETE, SEV_ERROR), 2); /* b: IM2 missing, IM1 another image */
	assert_int_equal(count(&probs, P_DISC_UNLISTED, SEV_WARNING), 1);
	assert_int_equal(probs.n, 3);
	for (size_t i = 0; i < probs.n; i++)
		assert_non_null(strstr(probs.v[i].source, "/b/CD.iso/"));
	problems_free(&probs);
	doclist_free(&docs);
}

static void xdm_entry_checked(void **state)
{
	(void)state;
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct document *md = add(&docs, "/dl.zip/IHE_XDM/SUBSET01/METADATA.XML", "dl/IHE_XDM/SUBSET01/METADATA.XML",
				  T_XML, NULL);
	md->index = xcalloc(1, sizeof(*md->index));
	md->index->xdm = xcalloc(2, sizeof(*md->index->xdm));
	md->index->nxdm = 2;
	struct xdm_entry *e = &md->index->xdm[0];
	strcpy(e->uri, "DOC0001.XML");
	strcpy(e->type_code, "11526-1");
	strcpy(e->who.name, "TESTPERSON^ALBA");
	e->size = 10;
	strcpy(e->hash, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	strcpy(md->index->xdm[1].uri, "DOC0002.XML");
	md->index->xdm[1].size = -1;
	struct document *doc = add(&docs, "/dl.zip/IHE_XDM/SUBSET01/DOC0001.XML", "dl/IHE_XDM/SUBSET01/DOC0001.XML",
				   T_XML, NULL);
	doc->index = xcalloc(1, sizeof(*doc->index));
	strcpy(doc->index->sha1, "0000000000000000000000000000000000000000");
	add(&docs, "/dl.zip/INDEX.HTM", "dl/INDEX.HTM", T_HTML, NULL);

	discs_mark(&docs);
	assert_ptr_equal(docs.v[1].xdm, e);
	assert_non_null(docs.v[1].facts); /* the metadata's type code and patient */
	assert_string_equal(docs.v[1].facts->code, "11526-1");
	assert_string_equal(docs.v[1].facts->who.name, "TESTPERSON^ALBA");
	assert_true(docs.v[2].furniture);
	assert_ptr_equal(docs.v[2].disc_root, docs.v[0].disc_root);

	docs.v[1].category = "pathology";
	discs_settle(&docs, "radiology");
	assert_string_equal(docs.v[2].category, "pathology"); /* INDEX.HTM goes with the download */

	discs_check(&docs, &probs);
	assert_int_equal(count(&probs, P_DOWNLOAD_MISMATCH, SEV_ERROR), 2); /* the SHA-1; DOC0002 missing */
	problems_free(&probs);
	doclist_free(&docs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_discs_named_cd),
		cmocka_unit_test(xdm_entry_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
