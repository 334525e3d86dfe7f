/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.c: see check.h. */
#include "rules/check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/classify.h"
#include "rules/disc.h"
#include "rules/disc.h"
#include "rules/identity.h"
#include "rules/recency.h"
#include "sys/rp.h"
#include "sys/util.h"

const char *cat_status_name(enum cat_status s)
{
	switch (s) {
	case CAT_OK: return "ok";
	case CAT_MISSING: return "missing";
	case CAT_NA: return "n/a";
	case CAT_SHIPPED: return "shipped";
	case CAT_TO_SEND: return "to-send";
	}
	return "n/a";
}

/* ---- patient identity ---- */

void check_stated(const struct document *d, struct stated_identity *out)
{
	memset(out, 0, sizeof(*out));
	if (d->dicom) {
		out->name = d->dicom->patient_name, out->dob = d->dicom->patient_birth_date;
		if (d->dicom->patient_id[0])
			out->ids[out->nids++] = d->dicom->patient_id;
	} else if (d->facts && d->facts->status == FACTS_READ) {
		out->name = d->facts->who.name, out->dob = d->facts->who.dob;
		for (size_t i = 0; i < d->facts->who.nids && i < FACTS_MAX_IDS; i++)
			if (d->facts->who.ids[i][0])
				out->ids[out->nids++] = d->facts->who.ids[i];
	}
	out->name = out->name && out->name[0] ? out->name : NULL;
	out->dob = out->dob && out->dob[0] ? out->dob : NULL;
}

static int stated_any(const struct stated_identity *s)
{
	return s->name || s->dob || s->nids;
}

/* A scan or photo: nothing a patient's name could be read from. */
static int unreadable(const struct document *d)
{
	if (d->facts)
		return d->facts->status == FACTS_IMAGE_ONLY || d->facts->status == FACTS_ENCRYPTED ||
		       d->facts->status == FACTS_DAMAGED;
	enum doc_type t = d->sniff.type;
	return t == T_JPEG || t == T_PNG || t == T_TIFF || t == T_GIF;
}

/* One distinct identity (DICOM slices of a study share theirs), parsed once. */
struct person {
	const void *key;           /* the doc_dicom or doc_facts it came from */
	const struct document *doc;/* the first document stating it */
	struct stated_identity st;
	struct identity_name name;
	size_t weight;             /* documents stating it */
};

static int same_person(const struct person *a, const struct person *b)
{
	return identity_name_cmp(&a->name, &b->name) != 0 && identity_date_cmp(a->st.dob, b->st.dob) != 0 &&
	       (a->name.n || a->st.dob) && (b->name.n || b->st.dob);
}

static size_t gather_people(const struct doclist *docs, struct person **out)
{
	struct person *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		const void *key = d->dicom ? (const void *)d->dicom : (const void *)d->facts;
		if (d->excluded || !key)
			continue;
		if (n && v[n - 1].key == key) { /* the slices of a series are listed together */
			v[n - 1].weight++;
			continue;
		}
		struct stated_identity st;
		check_stated(d, &st);
		if (!st.name && !st.dob)
			continue; /* an ID alone is compared with --mrn only */
		grow(&v, &cap, n + 1, sizeof(*v));
		v[n] = (struct person){ .key = key, .doc = d, .st = st, .weight = 1 };
		identity_name_parse(st.name, &v[n].name);
		n++;
	}
	*out = v;
	return n;
}

/* The identity most documents share (the first on a tie): the reference for each field the
 * user did not give. Distinct identities are few; the work is bounded anyway. */
static const struct person *majority(const struct person *v, size_t n)
{
	const struct person *best = NULL;
	size_t best_w = 0, tried = 0;
	for (size_t i = 0; i < n && tried < 64; i++) {
		if (best && same_person(&v[i], best))
			continue;
		tried++;
		size_t w = 0;
		for (size_t j = 0; j < n; j++)
			w += same_person(&v[i], &v[j]) ? v[j].weight : 0;
		if (w > best_w)
			best = &v[i], best_w = w;
	}
	return best;
}

/* The reference for one field: the user's option, else the majority's value, else the value
 * of the first identity that agrees with the majority and states it. */
struct reference {
	const char *name, *dob, *mrn;
	struct identity_name parsed;
	const struct document *from; /* the document the majority values come from, or NULL */
};

static void make_reference(const struct patient *pt, const struct person *v, size_t n, struct reference *ref)
{
	const struct person *maj = majority(v, n);
	memset(ref, 0, sizeof(*ref));
	ref->name = pt->name, ref->dob = pt->dob, ref->mrn = pt->mrn;
	for (size_t i = 0; maj && i <= n && (!ref->name || !ref->dob); i++) {
		const struct person *p = i == 0 ? maj : &v[i - 1];
		if (p != maj && !same_person(p, maj))
			continue;
		if (!ref->name && p->st.name)
			ref->name = p->st.name, ref->from = p->doc;
		if (!ref->dob && p->st.dob)
			ref->dob = p->st.dob, ref->from = ref->from ? ref->from : p->doc;
	}
	identity_name_parse(ref->name, &ref->parsed);
}

enum field { F_NONE, F_NAME, F_DOB, F_ID };

static enum field first_difference(const struct reference *ref, const struct stated_identity *st)
{
	struct identity_name name;
	if (st->name && ref->name && (identity_name_parse(st->name, &name), identity_name_cmp(&name, &ref->parsed) == 0))
		return F_NAME;
	if (st->dob && ref->dob && identity_date_cmp(st->dob, ref->dob) == 0)
		return F_DOB;
	if (ref->mrn && st->nids) {
		int differ = 0;
		for (size_t i = 0; i < st->nids; i++) {
			int r = identity_id_match(st->ids[i], ref->mrn);
			if (r == 1)
				return F_NONE;
			differ |= r == 0;
		}
		if (differ)
			return F_ID;
	}
	return F_NONE;
}

static const char *dob_shown(const char *dob, char buf[11])
{
	return identity_date_norm(dob, buf) >= 0 ? buf : dob;
}

/* "the scan", "the report": what people call the document in the message. */
static const char *kind_of(const struct document *d)
{
	return d->dicom ? "the scan" : "this document";
}

/* Text read by OCR from a scan can be misread: a mismatch still blocks (a faxed report of
 * another patient is the error this check exists for), and the message says how to tell. */
static const char *ocr_hint(const struct document *d)
{
	return d->facts && d->facts->ocr && !d->dicom
		       ? "this was read by OCR from a scanned page: if the page shows the patient's own "
			 "details and OCR misread them, run again with --no-ocr and check the page yourself; "
		       : "";
}

/* "patient \"GARCIA, JOSE\"", "born 1970-01-02", "patient ID 12345"; bare: the value alone. */
static void describe(enum field f, const char *value, int bare, char *buf, size_t len)
{
	if (f == F_NAME)
		snprintf(buf, len, bare ? "\"%s\"" : "patient \"%s\"", value);
	else if (f == F_DOB)
		snprintf(buf, len, bare ? "%s" : "born %s", value);
	else
		snprintf(buf, len, bare ? "%s" : "patient ID %s", value);
}

/* What the message names: the disc ("the disc records/CD (3 images)") when the document is on
 * one, else the file, with how many more of its study go with it. */
static void subject_of(const struct document *d, size_t others, char *buf, size_t len)
{
	size_t ls = strlen(d->source), lr = d->relpath ? strlen(d->relpath) : 0;
	if (d->disc_root && lr <= ls && strcmp(d->source + ls - lr, d->relpath) == 0) {
		snprintf(buf, len, "the disc %.*s%s (%zu image%s)", (int)(ls - lr), d->source, d->disc_root,
			 others + 1, others ? "s" : "");
	} else if (others) {
		snprintf(buf, len, "%s (and %zu more file%s of the same study)", d->source, others, others == 1 ? "" : "s");
	} else {
		snprintf(buf, len, "%s", d->source);
	}
}

static void report_mismatch(const struct patient *pt, const struct reference *ref, const struct document *d,
			    const struct stated_identity *st, enum field f, size_t others, struct problems *probs)
{
	char have[160], want[160], a[11], lhs[200], rhs[200], who[2048];
	static const char *const opts[] = { "", "--patient", "--dob", "--mrn" };
	static const char *const what[] = { "", "name", "date", "number" };
	int given = f == F_NAME ? pt->name != NULL : f == F_DOB ? pt->dob != NULL : 1;
	const char *out = d->disc_root ? "take this disc out" : d->dicom ? "take this study out" : "take this document out";
	if (f == F_NAME) {
		identity_name_display(st->name, have, sizeof(have));
		identity_name_display(ref->name, want, sizeof(want));
	} else if (f == F_DOB) {
		snprintf(have, sizeof(have), "%s", dob_shown(st->dob, a));
		snprintf(want, sizeof(want), "%s", dob_shown(ref->dob, a));
	} else {
		identity_name_display(st->ids[0], have, sizeof(have));
		snprintf(want, sizeof(want), "%s", ref->mrn);
	}
	subject_of(d, others, who, sizeof(who));
	describe(f, have, 0, lhs, sizeof(lhs));
	describe(f, want, given, rhs, sizeof(rhs));
	if (given && f == F_DOB) /* the name agrees (it is compared first): most likely a typo */
		problems_add(probs, SEV_ERROR, P_PATIENT_MISMATCH, d->source,
			     "%s: the birth date differs. It is %s on %s, but %s was given with --dob%s. If you "
			     "typed --dob wrong, run again with the right date; %sif this is not the patient's "
			     "record, %s: a packet with another patient's record cannot be sent",
			     who, have, kind_of(d), want, st->name ? " (the name matches)" : "", ocr_hint(d), out);
	else if (given)
		problems_add(probs, SEV_ERROR, P_PATIENT_MISMATCH, d->source,
			     "%s: the %s differs, so it may belong to someone else: %s on %s, %s given with %s. "
			     "If you typed the %s wrong, fix %s; %s%sotherwise %s: a packet with another patient's "
			     "record cannot be sent",
			     who, f == F_NAME ? "patient's name" : "patient ID", lhs, kind_of(d), rhs, opts[f],
			     what[f], opts[f],
			     f == F_ID ? "if this record comes from another hospital that numbers its patients "
					 "differently, leave out --mrn; " : "",
			     ocr_hint(d), out);
	else
		problems_add(probs, SEV_ERROR, P_PATIENT_MISMATCH, d->source,
			     "%s names another patient than the other records: %s on %s, %s on %s. If this one is "
			     "the patient's, give %s to say whose records these are; %sotherwise %s: a packet with "
			     "another patient's record cannot be sent",
			     who, lhs, kind_of(d), rhs, ref->from ? ref->from->source : "the others",
			     opts[f], ocr_hint(d), out);
}

/* Documents after d stating the same identity (a study's other slices): excluded with it. */
static size_t exclude_same(struct doclist *docs, size_t i)
{
	const struct document *d = &docs->v[i];
	size_t n = 0;
	for (size_t j = i + 1; d->dicom && j < docs->n; j++) {
		struct document *e = &docs->v[j];
		if (e->dicom == d->dicom && !e->excluded) {
			e->excluded = 1;
			e->identity = IDENTITY_MISMATCH;
			n++;
		}
	}
	return n;
}

static void check_patient(const struct patient *pt, struct doclist *docs, struct problems *probs, struct check_result *res)
{
	struct person *people;
	size_t n = gather_people(docs, &people);
	struct reference ref;
	make_reference(pt, people, n, &ref);
	const struct document *prev = NULL;
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		struct stated_identity st;
		if (d->identity == IDENTITY_MISMATCH)
			continue; /* excluded with its study */
		if (prev && d->dicom && d->dicom == prev->dicom && prev->identity != IDENTITY_MISMATCH) {
			d->identity = prev->identity; /* a series' slices: one answer, not 100,000 */
			continue;
		}
		prev = d;
		check_stated(d, &st);
		if (!stated_any(&st)) {
			d->identity = unreadable(d) ? IDENTITY_UNREADABLE : IDENTITY_NONE_STATED;
			continue;
		}
		enum field f = first_difference(&ref, &st);
		d->identity = f == F_NONE ? IDENTITY_MATCHED : IDENTITY_MISMATCH;
		if (f == F_NONE || d->excluded)
			continue;
		d->excluded = 1; /* never packed, by any flag */
		res->mismatched++;
		report_mismatch(pt, &ref, d, &st, f, exclude_same(docs, i), probs);
	}
	free(people);
}

/* ---- content ---- */

static int name_claims_document(const char *name)
{
	static const char *const exts[] = { ".pdf", ".doc", ".docx", ".odt", ".rtf", ".jpg",
					    ".jpeg", ".png", ".tif", ".tiff", ".dcm", ".xml" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (str_endswith_nocase(name, exts[i]))
			return 1;
	return 0;
}

/* A portal link: a web page from one is never the record that was asked for. */
static int source_is_link(const char *source)
{
	return strncasecmp(source, "http://", 7) == 0 || strncasecmp(source, "https://", 8) == 0;
}

/* A browser's file still being downloaded (Chrome .crdownload, Firefox .part, Safari .download):
 * whatever it holds now, it is not the whole record. */
static const char *partial_download(const char *name)
{
	static const char *const exts[] = { ".crdownload", ".part", ".download", ".partial" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (str_endswith_nocase(name, exts[i]) && strlen(name) > strlen(exts[i]))
			return exts[i];
	return NULL;
}

static void check_content(const struct manifest *m, struct document *d, struct problems *probs)
{
	const char *name = document_name(d), *partial = partial_download(name);
	enum doc_type t = d->sniff.type;
	if (partial) {
		problems_add(probs, SEV_ERROR, P_TRUNCATED, d->source,
			     "%s is an incomplete download (a web browser names a file %s while it is still "
			     "saving it): it was left out. Let the download finish, or download it again, and "
			     "give the finished file (without %s at the end of its name)",
			     d->source, partial, partial);
	} else if (t == T_EMPTY) {
		problems_add(probs, SEV_ERROR, P_EMPTY, d->source,
			     "%s is empty (0 bytes); download or copy it again", d->source);
	} else if (t == T_HTML && source_is_link(d->source)) {
		problems_add(probs, SEV_ERROR, P_WRONG_TYPE, d->source,
			     "%s sent a web page, not the document: probably the portal's sign-in page because the "
			     "session expired. Sign in to the portal again, export the cookies again (--cookies) or "
			     "save a new token (--bearer-file), then run recpack again",
			     d->source);
	} else if (t == T_HTML && name_claims_document(name)) {
		problems_add(probs, SEV_ERROR, P_WRONG_TYPE, d->source,
			     "%s is a web page, not a document: probably the portal's sign-in page. "
			     "Sign in to the portal again (or re-export the cookies) and download it again",
			     d->source);
	} else if (str_endswith_nocase(name, ".pdf") && t != T_PDF) {
		problems_add(probs, SEV_ERROR, P_WRONG_TYPE, d->source,
			     "%s is named like a PDF but holds a %s; download it again or name its real type",
			     d->source, doc_type_label(t));
	} else if (t == T_PDF && !d->sniff.pdf_has_eof) {
		problems_add(probs, SEV_ERROR, P_TRUNCATED, d->source,
			     "%s is an incomplete PDF (its end is missing, so the download was cut short); download it again",
			     d->source);
	} else {
		const struct category *c = d->category ? manifest_category(m, d->category) : NULL;
		if (c && c->physical) {
			problems_add(probs, SEV_ERROR, P_WRONG_TYPE, d->source,
				     "%s is a file, but \"%s\" are physical items that the lab ships on their own; "
				     "file it under the category of its report instead", d->source, c->title);
			d->excluded = 1;
			return;
		}
		/* a scan names its reason only when OCR was skipped or could not read it */
		if (d->facts && (d->facts->status == FACTS_ENCRYPTED || d->facts->status == FACTS_DAMAGED ||
				 (d->facts->status == FACTS_IMAGE_ONLY && d->facts->error[0] && !d->furniture)))
			problems_add(probs, SEV_WARNING, P_UNREADABLE, d->source,
				     "%s cannot be read (%s), so recpack cannot tell whose record it is or what it "
				     "is; open it yourself and check both before you send it",
				     d->source, d->facts->error[0] ? d->facts->error : "its text could not be read");
		if (!c || c->types.n == 0 || d->furniture || strlist_has(&c->types, doc_type_name(t)))
			return;
		problems_add(probs, SEV_ERROR, P_WRONG_TYPE, d->source,
			     "%s cannot go under \"%s\": its kind of file (%s) is not one that category "
			     "accepts (accepted: %s%s)", d->source, c->title, doc_type_label(t), c->types.v[0],
			     c->types.n > 1 ? ", ..." : "");
	}
	d->excluded = 1;
}

/* ---- duplicates ---- */

static int cmp_hash(const void *a, const void *b)
{
	const struct document *const *x = a, *const *y = b;
	int c = strcmp((*x)->sha256, (*y)->sha256);
	return c ? c : ((*x) < (*y) ? -1 : (*x) > (*y));
}

/* Which copy of a duplicated document to keep: one filed by the user, then one that was
 * classified, then the first seen. */
static int keep_rank(const struct document *d)
{
	return d->explicit_category ? 2 : d->category ? 1 : 0;
}

static void report_duplicate(struct document *drop, const struct document *keep, const struct doclist *docs,
			     struct problems *probs)
{
	drop->duplicate_of = keep - docs->v;
	drop->excluded = 1;
	problems_add(probs, SEV_WARNING, P_DUPLICATE, drop->source,
		     "%s is the same document as %s; it is packed once", drop->source, keep->source);
}

static void check_duplicates(struct doclist *docs, struct problems *probs)
{
	struct document **by = xcalloc(docs->n, sizeof(*by));
	size_t n = 0;
	for (size_t i = 0; i < docs->n; i++)
		if (docs->v[i].hashed && !docs->v[i].excluded)
			by[n++] = &docs->v[i];
	qsort(by, n, sizeof(*by), cmp_hash);
	for (size_t start = 0, end; start < n; start = end) {
		struct document *keep = by[start];
		for (end = start + 1; end < n && strcmp(by[end]->sha256, keep->sha256) == 0; end++)
			if (keep_rank(by[end]) > keep_rank(keep))
				keep = by[end];
		for (size_t i = start; i < end; i++)
			if (by[i] != keep && !by[i]->disc_root) /* a disc's index refers to every file */
				report_duplicate(by[i], keep, docs, probs);
	}
	free(by);
}

/* ---- categories ---- */

/* "radiology, pathology, ..." for messages. */
static const char *category_names(const struct manifest *m, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < m->ncats && o + 1 < len; i++) {
		int k = snprintf(buf + o, len - o, "%s%s", i ? ", " : "", m->cats[i].name);
		o += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

static int is_image(const struct document *d)
{
	return d->sniff.type == T_DICOM || d->sniff.type == T_DICOMDIR;
}

/* A category that must hold images holds only reports: the doctor cannot read the scans. */
static void check_images(const struct category_result *r, const struct doclist *docs, struct problems *probs)
{
	if (!r->cat->images_required || r->count == 0)
		return;
	for (size_t j = 0; j < docs->n; j++)
		if (!docs->v[j].excluded && docs->v[j].category && strcmp(docs->v[j].category, r->cat->name) == 0 &&
		    is_image(&docs->v[j]))
			return;
	problems_add(probs, SEV_ERROR, P_IMAGES_MISSING, NULL,
		     "%s has %zu report%s but no images: the doctor needs the images themselves (the DICOM files on "
		     "the CD or DVD the imaging center gave you, or downloaded from its portal). Add them, e.g. "
		     "%s=/media/cdrom; if reports alone are enough here, set images_required = no in the manifest",
		     r->cat->name, r->count, r->count == 1 ? "" : "s", r->cat->name);
}

/* The case numbers the reports of c->cases_from print: the lab finds the items by them. */
static void gather_cases(const struct category *c, const struct doclist *docs, struct strlist *items)
{
	for (size_t j = 0; c->cases_from && j < docs->n; j++) {
		const struct document *d = &docs->v[j];
		if (d->excluded || !d->facts || !d->category || strcmp(d->category, c->cases_from) != 0)
			continue;
		for (size_t k = 0; k < d->facts->ncases && k < FACTS_MAX_CASES; k++)
			if (!strlist_has(items, d->facts->cases[k]))
				strlist_add(items, d->facts->cases[k]);
	}
}

/* Slides and blocks: never a file, so never missing; shipped when the fact says so. */
static void check_physical(const struct patient *pt, struct category_result *r, const struct doclist *docs,
			   struct problems *probs)
{
	const struct category *c = r->cat;
	char list[512] = "";
	gather_cases(c, docs, &r->items);
	if (c->shipped_fact && strlist_has(&pt->facts, c->shipped_fact)) {
		r->status = CAT_SHIPPED;
		return;
	}
	r->status = r->required ? CAT_TO_SEND : CAT_NA;
	if (!r->required)
		return;
	for (size_t k = 0, o = 0; k < r->items.n && o + 1 < sizeof(list); k++) {
		int w = snprintf(list + o, sizeof(list) - o, "%s%s", k ? ", " : "", r->items.v[k]);
		o += w > 0 ? (size_t)w : 0;
	}
	char when[80] = "";
	if (c->shipped_fact)
		snprintf(when, sizeof(when), "; once they are sent, add --fact %s", c->shipped_fact);
	problems_add(probs, SEV_WARNING, P_NOT_SHIPPED, NULL,
		     "%s: %s are shipped by the pathology lab, not put in the packet. Ask the lab to send them to "
		     "the second-opinion doctor%s%s%s ('recpack request' writes the letter)%s",
		     c->name, c->title, list[0] ? " by case number (" : "", list, list[0] ? ")" : "", when);
}

static void check_categories(const struct patient *pt, const struct manifest *m, const struct doclist *docs, struct problems *probs,
			     struct check_result *res)
{
	res->cats = xcalloc(m->ncats, sizeof(*res->cats));
	res->ncats = m->ncats;
	for (size_t i = 0; i < m->ncats; i++) {
		struct category_result *r = &res->cats[i];
		r->cat = &m->cats[i];
		r->required = category_required(r->cat, &pt->facts);
		if (r->cat->physical) {
			check_physical(pt, r, docs, probs);
			continue;
		}
		category_dates(docs, r->cat->name, r->newest, r->oldest, NULL);
		recency_check(r->cat, docs, pt->today, probs);
		for (size_t j = 0; j < docs->n; j++)
			r->count += !docs->v[j].excluded && !docs->v[j].furniture && docs->v[j].category &&
				    strcmp(docs->v[j].category, r->cat->name) == 0; /* a download's pages are no record */
		size_t need = r->cat->min ? (size_t)r->cat->min : 1;
		r->status = r->count >= need ? CAT_OK : r->required ? CAT_MISSING : r->count ? CAT_OK : CAT_NA;
		check_images(r, docs, probs);
		if (r->status != CAT_MISSING)
			continue;
		if (r->count == 0)
			problems_add(probs, SEV_ERROR, P_MISSING_REQUIRED, NULL,
				     "no %s document was found (%s); add it, e.g. %s=FILE", r->cat->name,
				     r->cat->title, r->cat->name);
		else
			problems_add(probs, SEV_ERROR, P_BELOW_MIN, NULL,
				     "%s needs %zu documents (%s) but only %zu were found", r->cat->name, need,
				     r->cat->title, r->count);
	}
}

/* A required category no document is filed under yet: what an unclassified one may be. */
static const char *first_missing(const struct patient *pt, const struct manifest *m, const struct doclist *docs)
{
	for (size_t i = 0; i < m->ncats; i++) {
		if (!category_required(&m->cats[i], &pt->facts))
			continue;
		size_t n = 0;
		for (size_t j = 0; j < docs->n && !n; j++)
			n += !docs->v[j].excluded && !docs->v[j].furniture && docs->v[j].category &&
			     strcmp(docs->v[j].category, m->cats[i].name) == 0;
		if (!n)
			return m->cats[i].name;
	}
	return NULL;
}

/* "page" for "dir/page_files/x.css": the relpath prefix of the saved page the file belongs to
 * (browsers save "page.html" with its pictures and scripts in "page_files/"); 0 when none. */
static size_t saved_page_stem(const char *relpath)
{
	const char *f = strstr(relpath, "_files/");
	return f && f > relpath && f[-1] != '/' ? (size_t)(f - relpath) : 0;
}

/* The saved page (.html, .htm) whose folder holds d, or NULL. */
static struct document *saved_page_of(struct doclist *docs, const struct document *d)
{
	size_t stem = saved_page_stem(d->relpath);
	for (size_t i = 0; stem && i < docs->n; i++) {
		const char *r = docs->v[i].relpath;
		if (strncmp(r, d->relpath, stem) == 0 && (strcasecmp(r + stem, ".html") == 0 || strcasecmp(r + stem, ".htm") == 0))
			return &docs->v[i];
	}
	return NULL;
}

/* A saved web page's folder goes with the page as one unit: packed with it (not records of
 * their own), or left out with it. Returns how many files the page's folder holds. */
static size_t settle_saved_pages(struct doclist *docs, const struct document *page)
{
	size_t n = 0;
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (d == page || !saved_page_stem(d->relpath) || saved_page_of(docs, d) != page)
			continue;
		if (!d->explicit_category)
			d->category = page->category;
		d->furniture = 1;
		d->excluded |= !d->category || page->excluded;
		n++;
	}
	return n;
}

static void check_unclassified(const struct patient *pt, const struct manifest *m, struct doclist *docs,
			       struct problems *probs, struct check_result *res)
{
	const char *missing = first_missing(pt, m, docs);
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		size_t parts = d->sniff.type == T_HTML ? settle_saved_pages(docs, d) : 0;
		if (d->category || d->excluded || d->furniture)
			continue;
		const char *hint = classify_suggest(d, m);
		char arg[1024], names[512], with[64] = "";
		res->unclassified++;
		if (parts)
			snprintf(with, sizeof(with), ", with the %zu file%s of its folder", parts, parts == 1 ? "" : "s");
		classify_argument(hint ? hint : missing ? missing : "CATEGORY", d->source, arg, sizeof(arg));
		if (hint)
			problems_add(probs, SEV_WARNING, P_UNCLASSIFIED, d->source,
				     "%s (%s%s) is not in the packet: recpack could not tell which record it is, though it "
				     "looks like %s. If it belongs there, name it: %s",
				     d->source, doc_type_label(d->sniff.type), with, manifest_category(m, hint)->title, arg);
		else if (missing)
			problems_add(probs, SEV_WARNING, P_UNCLASSIFIED, d->source,
				     "%s (%s%s) is not in the packet: recpack could not tell which record it is. If it "
				     "is the missing %s, name it: %s (the categories are %s)",
				     d->source, doc_type_label(d->sniff.type), with, manifest_category(m, missing)->title,
				     arg, category_names(m, names, sizeof(names)));
		else
			problems_add(probs, SEV_WARNING, P_UNCLASSIFIED, d->source,
				     "%s (%s%s) is not in the packet: recpack could not tell which record it is. If it "
				     "belongs, name its category (%s), e.g. %s",
				     d->source, doc_type_label(d->sniff.type), with, category_names(m, names, sizeof(names)), arg);
	}
	for (size_t i = 0; i < docs->n; i++) /* pages that were filed: their folders go with them */
		if (docs->v[i].sniff.type == T_HTML && docs->v[i].category && !docs->v[i].furniture)
			settle_saved_pages(docs, &docs->v[i]);
}

int check_run(const struct patient *pt, const struct manifest *m, struct doclist *docs, struct problems *probs,
	      struct check_result *res)
{
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < docs->n; i++)
		if (!docs->v[i].excluded)
			check_content(m, &docs->v[i], probs);
	check_duplicates(docs, probs);
	discs_check(docs, probs);
	check_patient(pt, docs, probs, res);
	check_unclassified(pt, m, docs, probs, res);
	check_categories(pt, m, docs, probs, res);
	res->complete = problems_count(probs, SEV_ERROR) == 0;
	if (problems_have_source_error(probs))
		return RP_ESOURCE;
	return res->complete ? RP_OK : RP_EFAIL;
}

void check_result_free(struct check_result *res)
{
	for (size_t i = 0; res->cats && i < res->ncats; i++)
		strlist_free(&res->cats[i].items);
	free(res->cats);
	res->cats = NULL;
	res->ncats = 0;
}
