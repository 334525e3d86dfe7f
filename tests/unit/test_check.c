/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_check.c: rules/check.c. Identity status of every document, patient-mismatch messages,
 * unclassified documents and radiology without images, with documents built here with the
 * facts a reader would leave (no reader runs); and, against the built-in default manifest,
 * required categories found or missing ("if FACT" ones only with the fact) and duplicates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/job.h"
#include "rules/check.h"
#include "rules/identity.h"
#include "sys/rp.h"

struct fixture {
	struct job job;
	struct doclist docs;
	struct problems probs;
	struct check_result res;
	char err[512];
};

static struct fixture *fixture_new(const char *patient, const char *dob, const char *mrn)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	job_init(&fx->job);
	fx->job.manifest = manifest_load("default", fx->err, sizeof(fx->err));
	fx->job.patient.name = patient ? strdup(patient) : NULL;
	fx->job.patient.dob = dob ? strdup(dob) : NULL;
	fx->job.patient.mrn = mrn ? strdup(mrn) : NULL;
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	check_result_free(&fx->res);
	problems_free(&fx->probs);
	doclist_free(&fx->docs);
	manifest_free(fx->job.manifest);
	free(fx->job.patient.name);
	free(fx->job.patient.dob);
	free(fx->job.patient.mrn);
	free(fx);
}

static struct document *add(struct fixture *fx, const char *name, const char *category, enum doc_type t)
{
	char src[128];
	snprintf(src, sizeof(src), "/in/%s", name);
	struct document *d = doclist_add(&fx->docs, src, src, name, category);
	d->sniff.type = t;
	d->sniff.pdf_has_eof = 1;
	d->size = 100;
	return d;
}

static struct document *add_dicom(struct fixture *fx, const char *name, const char *pn, const char *dob, const char *id)
{
	struct dicom_info x;
	memset(&x, 0, sizeof(x));
	snprintf(x.patient_name, sizeof(x.patient_name), "%s", pn);
	snprintf(x.patient_birth_date, sizeof(x.patient_birth_date), "%s", dob);
	snprintf(x.patient_id, sizeof(x.patient_id), "%s", id);
	snprintf(x.study_uid, sizeof(x.study_uid), "1.2.3.%s", pn);
	struct document *d = add(fx, name, "radiology", T_DICOM);
	d->dicom = doclist_dicom(&fx->docs, &x);
	return d;
}

static struct document *add_report(struct fixture *fx, const char *name, const char *category, const char *who,
				   const char *dob, const char *id)
{
	struct document *d = add(fx, name, category, T_PDF);
	struct doc_facts *f = calloc(1, sizeof(*f));
	f->status = FACTS_READ;
	snprintf(f->who.name, sizeof(f->who.name), "%s", who);
	snprintf(f->who.dob, sizeof(f->who.dob), "%s", dob);
	if (id[0])
		snprintf(f->who.ids[f->who.nids++], sizeof(f->who.ids[0]), "%s", id);
	d->facts = f;
	return d;
}

/* The rest of a complete set, stating no patient. */
static void add_rest(struct fixture *fx)
{
	add(fx, "path.pdf", "pathology", T_PDF);
	add(fx, "meds.pdf", "medications", T_PDF);
	add(fx, "plan.pdf", "summary", T_PDF);
}

static const struct problem *find(const struct fixture *fx, const char *code)
{
	for (size_t i = 0; i < fx->probs.n; i++)
		if (strcmp(fx->probs.v[i].code, code) == 0)
			return &fx->probs.v[i];
	return NULL;
}

static size_t count(const struct fixture *fx, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < fx->probs.n; i++)
		n += strcmp(fx->probs.v[i].code, code) == 0;
	return n;
}

static void expect_message(const struct problem *p, const char *want)
{
	assert_non_null(p);
	if (!strstr(p->message, want))
		fail_msg("no \"%s\" in \"%s\"", want, p->message);
}

static void given_patient(void **state)
{
	(void)state;
	struct fixture *fx = fixture_new("José García", "1975-05-01", NULL);
	add_dicom(fx, "IM1", "GARCIA^JOSE", "19750501", "42");
	add_dicom(fx, "IM2", "GARCIA^JOSE", "19750501", "42");
	add_report(fx, "op.pdf", "operative", "García López, José", "May 1, 1975", "");
	add_report(fx, "other.pdf", "pathology", "Juan Garcia", "05/01/1975", "");
	add_rest(fx);
	assert_int_equal(check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res), RP_EFAIL);
	assert_int_equal(fx->docs.v[0].identity, IDENTITY_MATCHED);
	assert_int_equal(fx->docs.v[1].identity, IDENTITY_MATCHED);
	assert_int_equal(fx->docs.v[2].identity, IDENTITY_MATCHED);
	assert_int_equal(fx->docs.v[3].identity, IDENTITY_MISMATCH);
	assert_true(fx->docs.v[3].excluded);
	assert_false(fx->docs.v[2].excluded);
	assert_int_equal(fx->docs.v[4].identity, IDENTITY_NONE_STATED);
	assert_int_equal(fx->res.mismatched, 1);
	assert_int_equal(count(fx, P_PATIENT_MISMATCH), 1);
	const struct problem *p = find(fx, P_PATIENT_MISMATCH);
	assert_int_equal(p->severity, SEV_ERROR);
	assert_string_equal(p->source, "/in/other.pdf");
	expect_message(p, "patient \"Juan Garcia\" on this document, \"José García\" given with --patient. "
			  "If you typed the name wrong, fix --patient; otherwise take this document out");
	assert_false(fx->res.complete);
	fixture_free(fx);
}

static void birth_date_and_id(void **state)
{
	(void)state;
	struct fixture *fx = fixture_new("Jane Doe", "1970-01-01", "MRN12345");
	add_dicom(fx, "IM1", "DOE^JANE", "19700102", "MRN12345");
	add_dicom(fx, "IM2", "DOE^JANE", "19700102", "MRN12345");
	add_dicom(fx, "IM3", "DOE^JANE", "19700102", "MRN12345");
	add_report(fx, "mrn.pdf", "pathology", "Jane Doe", "", "MRN-4711");
	add_report(fx, "mrn-ok.pdf", "pathology", "Jane Doe", "01.01.1970", "mrn 0012345");
	add_rest(fx);
	check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res);
	assert_int_equal(count(fx, P_PATIENT_MISMATCH), 2); /* one for the study, one for the report */
	expect_message(&fx->probs.v[0], "/in/IM1 (and 2 more files of the same study): the birth date differs. "
					"It is 1970-01-02 on the scan, but 1970-01-01 was given with --dob (the name "
					"matches). If you typed --dob wrong, run again with the right date; if this is "
					"not the patient's record, take this study out");
	expect_message(&fx->probs.v[1], "patient ID MRN-4711 on this document, MRN12345 given with --mrn");
	for (int i = 0; i < 4; i++) {
		assert_int_equal(fx->docs.v[i].identity, IDENTITY_MISMATCH);
		assert_true(fx->docs.v[i].excluded);
	}
	assert_int_equal(fx->docs.v[4].identity, IDENTITY_MATCHED);
	assert_int_equal(fx->res.mismatched, 2);
	fixture_free(fx);
}

static void majority_reference(void **state)
{
	(void)state;
	struct fixture *fx = fixture_new(NULL, NULL, NULL);
	add_dicom(fx, "IM1", "SMITH^JOHN", "19800202", "9");
	add_dicom(fx, "IM2", "DOE^JANE", "19700101", "1");
	add_dicom(fx, "IM3", "DOE^JANE", "19700101", "1");
	add_report(fx, "path.pdf", "pathology", "Doe, Jane M.", "01/01/1970", "");
	add(fx, "meds.pdf", "medications", T_PDF);
	add(fx, "plan.pdf", "summary", T_PDF);
	check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res);
	assert_int_equal(fx->docs.v[0].identity, IDENTITY_MISMATCH);
	assert_int_equal(fx->docs.v[1].identity, IDENTITY_MATCHED);
	assert_int_equal(fx->docs.v[3].identity, IDENTITY_MATCHED);
	assert_int_equal(count(fx, P_PATIENT_MISMATCH), 1);
	expect_message(find(fx, P_PATIENT_MISMATCH),
		       "/in/IM1 names another patient than the other records: patient \"SMITH, JOHN\" on the scan, "
		       "patient \"DOE, JANE\" on /in/IM2. If this one is the patient's, give --patient");
	fixture_free(fx);
}

static void statuses(void **state)
{
	(void)state;
	struct fixture *fx = fixture_new("Jane Doe", NULL, NULL);
	add_dicom(fx, "IM1", "DOE^JANE", "", "");
	struct document *photo = add(fx, "photo.jpg", "pathology", T_JPEG);
	struct document *scan = add_report(fx, "scan.pdf", "pathology", "", "", "");
	((struct doc_facts *)scan->facts)->status = FACTS_IMAGE_ONLY;
	struct document *plain = add(fx, "plain.pdf", "pathology", T_PDF);
	struct document *ambig = add_report(fx, "ambig.pdf", "pathology", "Jane Doe", "02/01/1970", "");
	add(fx, "meds.pdf", "medications", T_PDF);
	add(fx, "plan.pdf", "summary", T_PDF);
	fx->job.patient.dob = strdup("1970-01-02"); /* 02/01/1970 is 1 Feb in the US, 2 Jan in Europe */
	assert_int_equal(check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res), RP_OK);
	assert_int_equal(photo->identity, IDENTITY_UNREADABLE);
	assert_int_equal(scan->identity, IDENTITY_UNREADABLE);
	assert_int_equal(plain->identity, IDENTITY_NONE_STATED);
	assert_int_equal(ambig->identity, IDENTITY_MATCHED);
	assert_int_equal(fx->docs.v[0].identity, IDENTITY_MATCHED);
	fixture_free(fx);
}

/* Text read by OCR: a mismatch still blocks, and says it was read by OCR; a scan OCR could not
 * read (or --no-ocr) is warned about; a picture with no words is not. */
static void ocr_text(void **state)
{
	(void)state;
	struct fixture *fx = fixture_new("Jane Doe", "1970-01-01", NULL);
	struct document *fax = add_report(fx, "fax.pdf", "pathology", "SMITH, JOHN", "02/02/1980", "");
	struct document *own = add_report(fx, "own.tif", "pathology", "DOE, JANE", "01/01/1970", "");
	struct document *skipped = add_report(fx, "skipped.pdf", "pathology", "", "", "");
	struct document *picture = add_report(fx, "picture.jpg", "pathology", "", "", "");
	((struct doc_facts *)fax->facts)->ocr = ((struct doc_facts *)own->facts)->ocr = 1;
	((struct doc_facts *)skipped->facts)->status = FACTS_IMAGE_ONLY;
	snprintf(((struct doc_facts *)skipped->facts)->error, 128, "--no-ocr was given");
	((struct doc_facts *)picture->facts)->status = FACTS_IMAGE_ONLY;
	((struct doc_facts *)picture->facts)->ocr = 1;
	check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res);
	assert_int_equal(fax->identity, IDENTITY_MISMATCH);
	assert_true(fax->excluded);
	assert_int_equal(own->identity, IDENTITY_MATCHED);
	assert_int_equal(skipped->identity, IDENTITY_UNREADABLE);
	assert_int_equal(picture->identity, IDENTITY_UNREADABLE);
	assert_int_equal(count(fx, P_PATIENT_MISMATCH), 1);
	expect_message(find(fx, P_PATIENT_MISMATCH), "this was read by OCR from a scanned page");
	assert_int_equal(count(fx, P_UNREADABLE), 1);
	expect_message(find(fx, P_UNREADABLE), "/in/skipped.pdf cannot be read (--no-ocr was given)");
	fixture_free(fx);
}

static void images_and_unclassified(void **state)
{
	(void)state;
	struct fixture *fx = fixture_new(NULL, NULL, NULL);
	add(fx, "ct report.pdf", "radiology", T_PDF);
	add_rest(fx);
	add(fx, "odd one.txt", NULL, T_TEXT);
	fx->docs.v[4].explicit_category = 0;
	check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res);
	const struct problem *p = find(fx, P_IMAGES_MISSING);
	assert_non_null(p);
	assert_int_equal(p->severity, SEV_ERROR);
	expect_message(p, "radiology has 1 report but no images: the doctor needs the images themselves");
	expect_message(p, "images_required = no");
	p = find(fx, P_UNCLASSIFIED);
	expect_message(p, "/in/odd one.txt (plain text) is not in the packet");
	expect_message(p, "e.g. CATEGORY='/in/odd one.txt'");
	assert_int_equal(fx->res.unclassified, 1);
	assert_false(fx->res.complete);
	fixture_free(fx);

	fx = fixture_new(NULL, NULL, NULL);
	add(fx, "ct report.pdf", "radiology", T_PDF);
	add_dicom(fx, "IM1", "DOE^JANE", "", "");
	add_rest(fx);
	assert_int_equal(check_run(&fx->job.patient, fx->job.manifest, &fx->docs, &fx->probs, &fx->res), RP_OK);
	assert_null(find(fx, P_IMAGES_MISSING));
	fixture_free(fx);
}

/* ---- categories and duplicates ---- */

static struct document *pdf(struct doclist *l, const char *rel, const char *cat, char hashbyte)
{
	struct document *d = doclist_add(l, rel, rel, rel, cat);
	d->sniff.type = T_PDF;
	d->sniff.pdf_has_eof = 1;
	d->size = 1000;
	d->hashed = 1;
	memset(d->sha256, hashbyte, 64);
	d->sha256[64] = '\0';
	return d;
}

static const struct category_result *cat(const struct check_result *r, const char *name)
{
	for (size_t i = 0; i < r->ncats; i++)
		if (strcmp(r->cats[i].cat->name, name) == 0)
			return &r->cats[i];
	fail_msg("no category %s in the result", name);
	return NULL;
}

static size_t count_code(const struct problems *p, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += strcmp(p->v[i].code, code) == 0;
	return n;
}

static void prepare(struct job *job)
{
	char err[256] = "";
	job_init(job);
	job->manifest = manifest_load("default", err, sizeof(err));
	assert_non_null(job->manifest);
}

static void test_complete_and_missing(void **state)
{
	(void)state;
	struct job job;
	prepare(&job);
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct check_result res;
	const char *required[] = { "radiology", "pathology", "medications", "summary" };
	char b = 'a';
	for (size_t i = 0; i < 4; i++)
		pdf(&docs, required[i], required[i], b++);
	docs.v[0].sniff.type = T_DICOM; /* radiology needs images, not only reports */
	assert_int_equal(check_run(&job.patient, job.manifest, &docs, &probs, &res), RP_OK);
	assert_true(res.complete);
	assert_int_equal(cat(&res, "pathology")->status, CAT_OK);
	assert_int_equal(cat(&res, "pathology")->count, 1);
	assert_int_equal(cat(&res, "operative")->status, CAT_NA); /* no --surgery */
	assert_int_equal(count_code(&probs, P_MISSING_REQUIRED), 0);
	check_result_free(&res);
	problems_free(&probs);

	/* with --surgery the operative note is required, and missing */
	strlist_add(&job.patient.facts, "surgery");
	assert_int_equal(check_run(&job.patient, job.manifest, &docs, &probs, &res), RP_EFAIL);
	assert_false(res.complete);
	assert_int_equal(cat(&res, "operative")->status, CAT_MISSING);
	assert_int_equal(count_code(&probs, P_MISSING_REQUIRED), 1);
	assert_string_equal(cat_status_name(CAT_MISSING), "missing");
	check_result_free(&res);
	problems_free(&probs);
	doclist_free(&docs);
	job_free(&job);
}

static void test_duplicates_and_unclassified(void **state)
{
	(void)state;
	struct job job;
	prepare(&job);
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct check_result res;
	pdf(&docs, "a/Pathology.pdf", "pathology", 'a');
	pdf(&docs, "b/Pathology copy.pdf", "pathology", 'a'); /* same bytes */
	pdf(&docs, "notes-from-mom.pdf", NULL, 'c');
	check_run(&job.patient, job.manifest, &docs, &probs, &res);
	assert_int_equal(count_code(&probs, P_DUPLICATE), 1);
	int dropped = docs.v[0].excluded ? 0 : 1;
	assert_true(docs.v[dropped].excluded);
	assert_false(docs.v[1 - dropped].excluded);
	assert_int_equal(docs.v[dropped].duplicate_of, 1 - dropped);
	assert_int_equal(cat(&res, "pathology")->count, 1); /* packed once */
	assert_int_equal(res.unclassified, 1);
	assert_false(res.complete); /* radiology and others are missing */
	check_result_free(&res);
	problems_free(&probs);
	doclist_free(&docs);
	job_free(&job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(given_patient),
		cmocka_unit_test(birth_date_and_id),
		cmocka_unit_test(majority_reference),
		cmocka_unit_test(statuses),
		cmocka_unit_test(ocr_text),
		cmocka_unit_test(images_and_unclassified),
		cmocka_unit_test(test_complete_and_missing),
		cmocka_unit_test(test_duplicates_and_unclassified),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
