/* check.c: see check.h. */
#include "rules/check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys/rp.h"
#include "sys/util.h"

#define MAX_TOKENS 12

const char *cat_status_name(enum cat_status s)
{
	return s == CAT_OK ? "ok" : s == CAT_MISSING ? "missing" : "n/a";
}

/* ---- patient identity ---- */

struct name_tokens {
	char tok[MAX_TOKENS][64];
	int n;
};

static void tokenize_name(const char *s, struct name_tokens *t)
{
	t->n = 0;
	while (*s && *s != '=' && t->n < MAX_TOKENS) { /* '=' starts the ideographic form */
		while (*s && *s != '=' && !isalnum((unsigned char)*s) && !((unsigned char)*s & 0x80))
			s++;
		size_t len = 0;
		while (*s && (isalnum((unsigned char)*s) || ((unsigned char)*s & 0x80))) {
			if (len < sizeof(t->tok[0]) - 1)
				t->tok[t->n][len++] = (char)tolower((unsigned char)*s);
			s++;
		}
		if (len) {
			t->tok[t->n][len] = '\0';
			t->n++;
		}
	}
}

static int tokens_match(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	/* an initial matches the name it abbreviates */
	return (a[1] == '\0' && a[0] == b[0]) || (b[1] == '\0' && a[0] == b[0]);
}

static int count_common(const struct name_tokens *small, const struct name_tokens *big)
{
	int used[MAX_TOKENS] = { 0 }, common = 0;
	for (int i = 0; i < small->n; i++)
		for (int j = 0; j < big->n; j++)
			if (!used[j] && tokens_match(small->tok[i], big->tok[j])) {
				used[j] = 1;
				common++;
				break;
			}
	return common;
}

int patient_names_match(const char *dicom_pn, const char *name)
{
	struct name_tokens a, b;
	tokenize_name(dicom_pn, &a);
	tokenize_name(name, &b);
	if (a.n == 0 || b.n == 0)
		return 1; /* nothing to compare: anonymised or not given */
	const struct name_tokens *small = a.n <= b.n ? &a : &b, *big = a.n <= b.n ? &b : &a;
	int need = small->n < 2 ? small->n : 2;
	int common = count_common(small, big);
	return common == small->n && common >= need;
}

int patient_dates_match(const char *dicom_da, const char *iso)
{
	char a[16] = "", b[16] = "";
	size_t n = 0;
	for (const char *s = dicom_da; *s && n < sizeof(a) - 1; s++)
		if (isdigit((unsigned char)*s))
			a[n++] = *s;
	n = 0;
	for (const char *s = iso; *s && n < sizeof(b) - 1; s++)
		if (isdigit((unsigned char)*s))
			b[n++] = *s;
	return !a[0] || !b[0] || strcmp(a, b) == 0;
}

int patient_ids_match(const char *a, const char *b)
{
	for (;;) {
		while (*a && (isspace((unsigned char)*a) || *a == '-'))
			a++;
		while (*b && (isspace((unsigned char)*b) || *b == '-'))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++, b++;
	}
}

static int has_identity(const struct document *d)
{
	return d->dicom && !d->excluded &&
	       (d->dicom->patient_name[0] || d->dicom->patient_id[0] || d->dicom->patient_birth_date[0]);
}

static int same_person(const struct document *a, const struct document *b)
{
	const struct doc_dicom *x = a->dicom, *y = b->dicom;
	return patient_names_match(x->patient_name, y->patient_name) &&
	       patient_dates_match(x->patient_birth_date, y->patient_birth_date) &&
	       (!x->patient_id[0] || !y->patient_id[0] || patient_ids_match(x->patient_id, y->patient_id));
}

/* The identity most DICOM files share: the reference when the user gave none. */
static const struct document *majority_identity(const struct doclist *docs)
{
	const struct document *best = NULL;
	size_t best_n = 0, tried = 0;
	for (size_t i = 0; i < docs->n && tried < 64; i++) {
		const struct document *d = &docs->v[i];
		if (!has_identity(d) || (best && same_person(d, best)))
			continue;
		tried++; /* distinct identities are few; bound the work anyway */
		size_t n = 0;
		for (size_t j = 0; j < docs->n; j++)
			n += has_identity(&docs->v[j]) && same_person(d, &docs->v[j]);
		if (n > best_n)
			best = d, best_n = n;
	}
	return best;
}

static int matches_patient(const struct patient *pt, const struct document *ref, const struct document *d)
{
	const struct doc_dicom *x = d->dicom;
	if (pt->name && !patient_names_match(x->patient_name, pt->name))
		return 0;
	if (pt->dob && !patient_dates_match(x->patient_birth_date, pt->dob))
		return 0;
	if (pt->mrn && x->patient_id[0] && !patient_ids_match(x->patient_id, pt->mrn))
		return 0;
	return !ref || same_person(d, ref);
}

static void exclude_study(struct doclist *docs, const struct document *d)
{
	for (size_t i = 0; i < docs->n; i++)
		if (has_identity(&docs->v[i]) && strcmp(docs->v[i].dicom->study_uid, d->dicom->study_uid) == 0 &&
		    strcmp(docs->v[i].dicom->patient_name, d->dicom->patient_name) == 0)
			docs->v[i].excluded = 1;
}

static void check_patient(const struct patient *pt, struct doclist *docs, struct problems *probs)
{
	const struct document *ref = majority_identity(docs);
	struct document refcopy;
	if (ref)
		refcopy = *ref; /* excluding documents below must not change the reference */
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (!has_identity(d) || matches_patient(pt, ref ? &refcopy : NULL, d))
			continue;
		const char *who = pt->name ? pt->name : refcopy.dicom->patient_name;
		problems_add(probs, SEV_ERROR, P_PATIENT_MISMATCH, d->source,
			     "%s belongs to another patient (%s, ID %s, born %s), not %s: remove this study from the records; "
			     "a packet with someone else's scan cannot be sent",
			     d->source, d->dicom->patient_name[0] ? d->dicom->patient_name : "no name",
			     d->dicom->patient_id[0] ? d->dicom->patient_id : "none",
			     d->dicom->patient_birth_date[0] ? d->dicom->patient_birth_date : "unknown", who);
		exclude_study(docs, d); /* one message per study, not per image */
	}
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

static void check_content(const struct manifest *m, struct document *d, struct problems *probs)
{
	const char *name = document_name(d);
	enum doc_type t = d->sniff.type;
	if (t == T_EMPTY) {
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
		if (!c || c->types.n == 0 || strlist_has(&c->types, doc_type_name(t)))
			return;
		problems_add(probs, SEV_ERROR, P_WRONG_TYPE, d->source,
			     "%s is a %s, which is not accepted under \"%s\" (accepted: %s%s)", d->source,
			     doc_type_label(t), c->title, c->types.v[0], c->types.n > 1 ? ", ..." : "");
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

static void check_categories(const struct patient *pt, const struct manifest *m, const struct doclist *docs,
			     struct problems *probs, struct check_result *res)
{
	res->cats = xcalloc(m->ncats, sizeof(*res->cats));
	res->ncats = m->ncats;
	for (size_t i = 0; i < m->ncats; i++) {
		struct category_result *r = &res->cats[i];
		r->cat = &m->cats[i];
		r->required = category_required(r->cat, &pt->facts);
		for (size_t j = 0; j < docs->n; j++)
			r->count += !docs->v[j].excluded && docs->v[j].category &&
				    strcmp(docs->v[j].category, r->cat->name) == 0;
		size_t need = r->cat->min ? (size_t)r->cat->min : 1;
		r->status = r->count >= need ? CAT_OK : r->required ? CAT_MISSING : r->count ? CAT_OK : CAT_NA;
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

static void check_unclassified(struct doclist *docs, struct problems *probs, struct check_result *res)
{
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (d->category || d->excluded)
			continue;
		res->unclassified++;
		problems_add(probs, SEV_WARNING, P_UNCLASSIFIED, d->source,
			     "%s (%s) did not match any category; name its category, e.g. pathology=%s, "
			     "or use --allow-incomplete to pack it under 99-unclassified",
			     d->source, doc_type_label(d->sniff.type), d->source);
	}
}

int check_run(const struct patient *pt, const struct manifest *m, struct doclist *docs,
	      struct problems *probs, struct check_result *res)
{
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < docs->n; i++)
		if (!docs->v[i].excluded)
			check_content(m, &docs->v[i], probs);
	check_duplicates(docs, probs);
	check_patient(pt, docs, probs);
	check_unclassified(docs, probs, res);
	check_categories(pt, m, docs, probs, res);
	res->complete = problems_count(probs, SEV_ERROR) == 0;
	if (problems_have_source_error(probs))
		return RP_ESOURCE;
	return res->complete ? RP_OK : RP_EFAIL;
}

void check_result_free(struct check_result *res)
{
	free(res->cats);
	res->cats = NULL;
	res->ncats = 0;
}
