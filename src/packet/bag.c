/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bag.c: see bag.h. */
#include "packet/bag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


#include "packet/doctor.h"
#include "packet/report_json.h"
#include "packet/safename.h"
#include "rules/recency.h"
#include "rules/study.h"
#include "sys/rp.h"
#include "sys/util.h"

#define UNCLASSIFIED_FOLDER "99-unclassified"

static const char *const tag_names[BAG_NTAGS] = {
	"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "README.txt",
	"index.html", "packet.json", "tagmanifest-sha256.txt",
};

/* Split src at any of seps into w, each word's case kept or, when the whole name is written
 * in one case (JANE DOE, jane doe), made "Jane", "García-López" (ASCII letters only: a word
 * with other letters is kept as written). */
static void name_words(const char *src, const char *seps, int one_case, struct strlist *w)
{
	char *copy = xstrdup(src);
	for (char *save = NULL, *tok = strtok_r(copy, seps, &save); tok; tok = strtok_r(NULL, seps, &save)) {
		int ascii = 1;
		for (const char *p = tok; *p; p++)
			ascii &= (unsigned char)*p < 0x80;
		for (char *p = tok; one_case && ascii && *p; p++) {
			int start = p == tok || p[-1] == '-' || p[-1] == '\'';
			*p = (char)(start ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
		}
		strlist_add(w, tok);
	}
	free(copy);
}

/* 1 when the name's ASCII letters are all upper or all lower case. */
static int name_in_one_case(const char *s)
{
	int upper = 0, lower = 0;
	for (; *s; s++)
		upper |= isupper((unsigned char)*s) != 0, lower |= islower((unsigned char)*s) != 0;
	return !(upper && lower);
}

/* "Doe_Jane", family name first, from every way a name is written: "Jane Doe", "Doe, Jane",
 * "DOE^JANE" (DICOM: FAMILY^GIVEN^MIDDLE), "García López, José", "José García-López". */
static char *patient_folder_name(const struct patient *pt, const struct doclist *docs)
{
	struct strlist family = { 0 }, given = { 0 };
	const char *src = pt->name;
	for (size_t i = 0; !src && i < docs->n; i++)
		if (docs->v[i].dicom && !docs->v[i].excluded && docs->v[i].dicom->patient_name[0])
			src = docs->v[i].dicom->patient_name_alphabetic[0] ? docs->v[i].dicom->patient_name_alphabetic
									   : docs->v[i].dicom->patient_name;
	if (!src)
		return xstrdup("records");
	int one_case = name_in_one_case(src);
	const char *split = strchr(src, '^') ? "^" : strchr(src, ',') ? "," : NULL;
	if (split) { /* family name first, then the given names */
		size_t n = strcspn(src, split);
		char *fam = xstrndup(src, n);
		name_words(fam, " \t", one_case, &family);
		free(fam);
		name_words(src + n, "^=, \t", one_case, &given);
	} else { /* "Given Middle Family" */
		name_words(src, " \t", one_case, &given);
		if (given.n) {
			strlist_add(&family, given.v[given.n - 1]);
			free(given.v[--given.n]);
		}
	}
	struct sbuf b = { 0 };
	sbuf_puts(&b, "");
	for (size_t i = 0; i < family.n + given.n; i++) {
		sbuf_puts(&b, b.len ? "_" : "");
		sbuf_puts(&b, i < family.n ? family.v[i] : given.v[i - family.n]);
	}
	strlist_free(&family);
	strlist_free(&given);
	char *s = sbuf_take(&b, NULL);
	if (!*s) {
		free(s);
		s = xstrdup("records");
	}
	return s;
}

static char *default_name(const struct patient *pt, const struct doclist *docs, time_t when)
{
	char date[16];
	char *who = patient_folder_name(pt, docs);
	char *name = xasprintf("%s_%s_second-opinion", who, bag_date(when, date, sizeof(date)));
	free(who);
	return name;
}

static const char *folder_for(const struct manifest *m, const struct document *d)
{
	const struct category *c = d->category ? manifest_category(m, d->category) : NULL;
	return c ? c->folder : UNCLASSIFIED_FOLDER;
}

static char *safe_join_components(const char *prefix, const char *rel)
{
	struct sbuf b = { 0 };
	sbuf_puts(&b, prefix);
	char *copy = xstrdup(rel);
	for (char *tok = strtok(copy, "/"); tok; tok = strtok(NULL, "/")) {
		char *c = safename_component(tok);
		sbuf_printf(&b, "/%s", c);
		free(c);
	}
	free(copy);
	return sbuf_take(&b, NULL);
}

struct disc_map {
	const char *root;   /* document disc_root */
	const char *folder; /* category folder */
	char *dir;          /* claimed "data/01-radiology/CD" */
};

/* A disc keeps its tree: data/NN-category/<disc folder>/<path inside the disc>, whole, under
 * the folder of its first document (two discs of the same name get two folders). */
static char *disc_path(struct nameset *set, struct disc_map **maps, size_t *nmaps, size_t *cap,
		       const char *folder, const struct document *d)
{
	struct disc_map *m = NULL;
	for (size_t i = 0; i < *nmaps && !m; i++) /* one string per tree (rules/disc.c) */
		if ((*maps)[i].root == d->disc_root)
			m = &(*maps)[i];
	if (!m) {
		size_t len = strlen(d->disc_root);
		char *root = len ? xstrndup(d->disc_root, len - 1) /* drop the '/' */
				 : xstrdup(d->xdm_tree ? "download" : "disc"); /* the source's root */
		char *disc = safename_component(path_basename(root));
		char *want = xasprintf("data/%s/%s", folder, disc);
		grow(maps, cap, *nmaps + 1, sizeof(**maps));
		m = &(*maps)[(*nmaps)++];
		m->root = d->disc_root;
		m->folder = folder;
		m->dir = nameset_claim_dir(set, want);
		free(root);
		free(disc);
		free(want);
	}
	char *want = safe_join_components(m->dir, d->relpath + strlen(d->disc_root));
	char *got = nameset_claim_file(set, want);
	free(want);
	return got;
}

static int cmp_files(const void *a, const void *b)
{
	const struct bag_file *x = a, *y = b;
	return strcmp(x->path, y->path);
}

int bag_plan(struct bag *b, const struct patient *pt, const struct manifest *m, struct doclist *docs, const char *name, time_t when,
	     int allow_incomplete, char *errbuf, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	(void)allow_incomplete; /* it marks gaps: unclassified documents are never swept in */
	b->when = when;
	char *raw = name ? xstrdup(name) : default_name(pt, docs, when);
	for (char *p = raw; *p; p++)
		if (*p == ' ' && !name)
			*p = '_';
	b->name = safename_component(raw);
	free(raw);
	if (strcmp(b->name, "_") == 0 && name) {
		snprintf(errbuf, errlen, "--name '%s' cannot be used as a folder name; choose letters and digits",
			 name);
		return RP_EUSAGE;
	}
	for (size_t i = 0; i < BAG_NTAGS; i++)
		b->tags[i].name = tag_names[i];

	struct nameset set = { 0 };
	struct disc_map *maps = NULL;
	size_t nmaps = 0, mcap = 0;
	b->files = xcalloc(docs->n + 1, sizeof(*b->files));
	/* discs first, so their folders keep their own names */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < docs->n; i++) {
			struct document *d = &docs->v[i];
			if (d->excluded || !d->category || (pass == 0) != (d->disc_root != NULL))
				continue;
			const char *folder = folder_for(m, d);
			char *path;
			if (d->disc_root) {
				path = disc_path(&set, &maps, &nmaps, &mcap, folder, d);
			} else {
				char *comp = safename_component(document_name(d));
				char *want = xasprintf("data/%s/%s", folder, comp);
				path = nameset_claim_file(&set, want);
				free(comp);
				free(want);
			}
			b->files[b->nfiles].doc = d;
			b->files[b->nfiles++].path = path;
		}
	qsort(b->files, b->nfiles, sizeof(*b->files), cmp_files);
	for (size_t i = 0; i < nmaps; i++)
		free(maps[i].dir);
	free(maps);
	nameset_free(&set);
	return RP_OK;
}

/* ---- neutral names (encrypted packets) ---- */

/* ".pdf" from the real name when it has a short alphanumeric extension; ".dcm" for DICOM. */
static void neutral_ext(const struct bag_file *f, char *out, size_t len)
{
	const char *base = path_basename(f->path), *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? strlen(dot + 1) : 0;
	int ok = n >= 1 && n <= 5;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)dot[1 + i]) != 0;
	out[0] = '\0';
	if (ok) {
		snprintf(out, len, ".%s", dot + 1);
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	} else if (f->doc->sniff.type == T_DICOM) {
		snprintf(out, len, ".dcm");
	}
}

/* The disc folder of a file in a disc tree: its path without the components inside the disc. */
static char *disc_dir_of(const struct bag_file *f)
{
	const struct document *d = f->doc;
	size_t inner = 0;
	for (const char *p = d->relpath + strlen(d->disc_root); *p; p++)
		if (*p != '/' && (p == d->relpath + strlen(d->disc_root) || p[-1] == '/'))
			inner++;
	char *dir = xstrdup(f->path);
	for (size_t i = 0; i < inner; i++) {
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
	}
	return dir;
}

/* "data/02-pathology" from "data/02-pathology/name.pdf" (the category folder). */
static char *category_dir_of(const char *path)
{
	const char *slash = strchr(path + 5, '/');
	return xstrndup(path, slash ? (size_t)(slash - path) : strlen(path));
}

struct counter {
	char *key;
	size_t n, discs;
	char *to;  /* discs: the neutral folder */
};

static struct counter *counter_get(struct counter **v, size_t *n, size_t *cap, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].key, key) == 0)
			return &(*v)[i];
	grow(v, cap, *n + 1, sizeof(**v));
	struct counter *c = &(*v)[(*n)++];
	c->key = xstrdup(key), c->n = c->discs = 0, c->to = NULL;
	return c;
}

void bag_neutralize(struct bag *b, const char *name)
{
	struct counter *folders = NULL, *discs = NULL;
	size_t nf = 0, fcap = 0, nd = 0, dcap = 0;
	char ext[8];
	b->real_name = b->name;
	b->name = xstrdup(name ? b->real_name : BAG_NEUTRAL_NAME);
	for (size_t i = 0; i < b->nfiles; i++) {
		struct bag_file *f = &b->files[i];
		char *cat = category_dir_of(f->path);
		struct counter *fc = counter_get(&folders, &nf, &fcap, cat);
		f->real = f->path;
		if (f->doc->disc_root) {
			char *dir = disc_dir_of(f);
			struct counter *dc = counter_get(&discs, &nd, &dcap, dir);
			if (!dc->to)
				dc->to = xasprintf("%s/disc-%zu", cat, ++fc->discs);
			f->path = xasprintf("%s%s", dc->to, f->real + strlen(dir));
			free(dir);
		} else {
			neutral_ext(f, ext, sizeof(ext));
			f->path = xasprintf("%s/%04zu%s", cat, ++fc->n, ext);
		}
		free(cat);
	}
	qsort(b->files, b->nfiles, sizeof(*b->files), cmp_files);
	for (size_t i = 0; i < nf; i++)
		free(folders[i].key);
	for (size_t i = 0; i < nd; i++) {
		free(discs[i].key);
		free(discs[i].to);
	}
	free(folders);
	free(discs);
}

/* ---- tag files ---- */

void bag_put_path(struct sbuf *s, const char *p)
{
	for (; *p; p++) {
		if (*p == '%' || *p == '\r' || *p == '\n')
			sbuf_printf(s, "%%%02X", (unsigned char)*p);
		else
			sbuf_put(s, p, 1);
	}
}

char *bag_unescape_path(const char *p, size_t n)
{
	struct sbuf b = { 0 };
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		char hex[3] = { 0 };
		if (p[i] == '%' && i + 2 < n && (memcpy(hex, p + i + 1, 2), sscanf(hex, "%2x", &v) == 1)) {
			char c = (char)v;
			sbuf_put(&b, &c, 1);
			i += 2;
		} else {
			sbuf_put(&b, p + i, 1);
		}
	}
	return sbuf_take(&b, NULL);
}

/* bag-info values are one line each. */
static void put_info(struct sbuf *s, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	sbuf_printf(s, "%s: ", label);
	for (const char *p = value; *p; p++)
		sbuf_put(s, (*p == '\n' || *p == '\r') ? " " : p, 1);
	sbuf_puts(s, "\n");
}

static void make_bag_info(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct manifest *m,
			  const struct check_result *res)
{
	struct sbuf *s = &t->s;
	char date[16];
	uint64_t bytes = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		bytes += b->files[i].doc->size;
	sbuf_printf(s, "Bagging-Date: %s\n", bag_date(b->when, date, sizeof(date)));
	sbuf_printf(s, "Payload-Oxum: %llu.%zu\n", (unsigned long long)bytes, b->nfiles);
	sbuf_printf(s, "Bag-Software-Agent: %s\n", RP_AGENT);
	char *desc = xasprintf("Medical records%s%s gathered for a second opinion (manifest %s)%s",
			       pt->name ? " of " : "", pt->name ? pt->name : "",
			       m->name, res->complete ? "" : "; INCOMPLETE, see README.txt");
	put_info(s, "External-Description", desc);
	free(desc);
	put_info(s, "Patient-Name", pt->name);
	put_info(s, "Patient-Birth-Date", pt->dob);
	put_info(s, "Patient-MRN", pt->mrn);
	put_info(s, "Packet-Complete", res->complete ? "yes" : "no");
}

static void make_manifest(struct bag_text *t, const struct bag *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		bag_text_mark(t, i);
		sbuf_printf(&t->s, "%s  ", b->files[i].doc->sha256);
		bag_put_path(&t->s, b->files[i].path);
		sbuf_puts(&t->s, "\n");
		bag_text_flush(t, 0);
	}
}

static void make_tagmanifest(struct bag_text *t, const struct bag *b)
{
	for (size_t i = 0; i + 1 < BAG_NTAGS; i++)
		sbuf_printf(&t->s, "%s  %s\n", b->tags[i].sha256, b->tags[i].name);
}

static void readme_documents(struct bag_text *t, const struct bag *b, const struct check_result *res)
{
	struct sbuf *s = &t->s;
	char sz[32], date[11];
	for (size_t c = 0; c <= res->ncats; c++) {
		const struct category_result *r = c < res->ncats ? &res->cats[c] : NULL;
		if (r && r->cat->physical)
			continue; /* slides and blocks: in the status above, by case number */
		size_t *idx, dicom;
		size_t n = doctor_category_files(b, r ? r->cat->name : NULL, &idx, &dicom);
		if (r)
			sbuf_printf(s, "\n%s%s\n", r->cat->title, r->status == CAT_MISSING ? ": MISSING, none was supplied"
								 : !n && !dicom ? ": none (not required)" : "");
		else if (n || dicom)
			sbuf_puts(s, "\nNot sorted into a category\n");
		for (size_t k = 0; k < n; k++) {
			const struct bag_file *f = &b->files[idx[k]];
			const struct document *d = f->doc;
			char *title = str_shown(doctor_doc_title(d)), *path = str_shown(f->path);
			char *real = f->real ? str_shown(path_basename(f->real)) : NULL;
			sbuf_printf(s, "  %-10s  %s\n              %s%s%s (%s, %s)\n", doctor_doc_date(d, date)[0] ? date : "undated",
				    title, path, real ? " = " : "", real ? real : "", doc_type_label(d->sniff.type),
				    human_size(d->size, sz, sizeof(sz)));
			free(title);
			free(path);
			free(real);
			bag_text_flush(t, 0);
		}
		if (dicom)
			sbuf_printf(s, "  %zu DICOM image%s (see the imaging studies above)\n", dicom, dicom == 1 ? "" : "s");
		free(idx);
	}
}

static void readme_studies(struct sbuf *s, const struct bag *b, const struct doclist *docs)
{
	struct study *st;
	size_t n = studies_collect(docs, &st);
	char date[16];
	if (n)
		sbuf_puts(s, "\nIMAGING STUDIES (open the disc with a DICOM viewer)\n");
	for (size_t i = 0; i < n; i++) {
		const char *dir = NULL;
		for (size_t j = 0; j < b->nfiles && st[i].dicomdir; j++)
			if (b->files[j].doc == st[i].dicomdir)
				dir = b->files[j].path;
		char *mod = str_shown(st[i].modality[0] ? st[i].modality : "?");
		char *desc = str_shown(st[i].description[0] ? st[i].description : "(no description)");
		char *where = str_shown(dir ? dir : "");
		sbuf_printf(s, "  %-10s  %s %s: %zu image%s%s%s\n",
			    st[i].date[0] ? study_date_iso(st[i].date, date, sizeof(date)) : "undated", mod, desc,
			    st[i].images, st[i].images == 1 ? "" : "s", dir ? "\n              disc: " : "", where);
		free(mod);
		free(desc);
		free(where);
	}
	free(st);
}

static void make_readme(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct manifest *m,
			const struct doclist *docs, const struct check_result *res, const struct problems *probs,
			const struct doctor_scrub *sc)
{
	struct sbuf *s = &t->s;
	char date[16];
	sbuf_printf(s, "MEDICAL RECORDS FOR A SECOND OPINION\n\n");
	sbuf_printf(s, "Patient:       %s\n", pt->name ? pt->name : "(not given)");
	sbuf_printf(s, "Date of birth: %s\n", pt->dob ? pt->dob : "(not given)");
	if (pt->mrn)
		sbuf_printf(s, "MRN:           %s\n", pt->mrn);
	sbuf_printf(s, "Packet made:   %s by %s\n", bag_date(b->when, date, sizeof(date)), RP_AGENT);
	sbuf_printf(s, "Status:        %s\n", res->complete ? "COMPLETE: every required document is here"
							 : "INCOMPLETE: required documents were not supplied (see below)");
	for (size_t i = 0; i < res->ncats; i++)
		if (res->cats[i].status == CAT_MISSING)
			sbuf_printf(s, "  Missing:     %s\n", res->cats[i].cat->title);
	for (size_t i = 0; i < res->ncats; i++) { /* slides and blocks, by their case numbers */
		const struct category_result *r = &res->cats[i];
		if (r->status != CAT_SHIPPED && r->status != CAT_TO_SEND)
			continue;
		sbuf_printf(s, "  %s: %s\n", r->cat->title, r->status == CAT_SHIPPED ? "shipped separately by the lab"
						: "NOT YET SENT (the lab ships them separately)");
		for (size_t k = 0; k < r->items.n; k++)
			sbuf_printf(s, "        case %s: %s\n", r->items.v[k], r->status == CAT_SHIPPED ? "shipped" : "not yet sent");
	}
	if (b->questions)
		sbuf_printf(s, "\nTHE PATIENT'S QUESTIONS\n%s%s", b->questions,
			    b->questions[0] && b->questions[strlen(b->questions) - 1] == '\n' ? "" : "\n");
	readme_studies(s, b, docs);
	sbuf_puts(s, "\nDOCUMENTS, BY CATEGORY (oldest first)\n");
	readme_documents(t, b, res);
	size_t shown = 0;
	for (size_t i = 0; i < probs->n; i++) {
		char *msg = strcmp(probs->v[i].code, P_MISSING_REQUIRED) == 0 ? NULL /* said above */
			    : doctor_problem(&probs->v[i], m, sc);
		if (!msg)
			continue;
		if (!shown++)
			sbuf_puts(s, "\nNOTES ON THIS PACKET\n");
		sbuf_printf(s, "  - %s\n", msg);
		free(msg);
		bag_text_flush(t, 0);
	}
	sbuf_puts(s, "\nHOW TO CHECK THIS PACKET\n"
		     "This folder is a BagIt bag (RFC 8493). manifest-sha256.txt lists the SHA-256 checksum\n"
		     "of every document. To check that nothing was lost or changed, run in this folder:\n"
		     "    sha256sum -c manifest-sha256.txt\n"
		     "or, with recpack installed, on this folder or the ZIP file it came in:\n"
		     "    recpack verify .\n"
		     "index.html is the same table of contents for a web browser; packet.json is for programs.\n");
	if (b->real_name)
		sbuf_puts(s, "\nThis packet was encrypted, so its file names are neutral numbers that reveal\n"
			     "nothing; the list above gives each document's real name. 'recpack extract'\n"
			     "unpacks it with the real names restored.\n");
}

/* ---- packet.json, one document at a time ---- */

#define PACKET_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

struct json_piece {
	struct bag_text *t;
	size_t depth;
};

/* jansson's output as it comes, every line break followed by depth more levels of indent, so
 * a value dumped on its own reads exactly as it would inside its parents (jansson writes line
 * breaks only as indentation; one inside a string is escaped). */
static int json_piece_cb(const char *p, size_t n, void *arg)
{
	struct json_piece *jp = arg;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;
		sbuf_put(&jp->t->s, p, k);
		for (size_t d = 0; nl && d < jp->depth; d++)
			sbuf_put(&jp->t->s, "  ", 2);
		p += k, n -= k;
	}
	return 0;
}

/* v as packet.json writes it at depth levels of nesting; -1 when jansson cannot (v NULL).
 * A value that fits (a document's object does) is dumped at once into a buffer: jansson's
 * callback otherwise comes once for every token, some ten calls a line. */
static int put_json_unflushed(struct bag_text *t, const json_t *v, size_t depth)
{
	struct json_piece jp = { .t = t, .depth = depth };
	char buf[8192];
	size_t n = v ? json_dumpb(v, buf, sizeof(buf), PACKET_JSON_FLAGS | JSON_ENCODE_ANY) : 0;
	if (n == 0)
		return -1;
	if (n > sizeof(buf))
		return json_dump_callback(v, json_piece_cb, &jp, PACKET_JSON_FLAGS | JSON_ENCODE_ANY);
	return json_piece_cb(buf, n, &jp);
}

static int put_json(struct bag_text *t, const json_t *v, size_t depth)
{
	int rc = put_json_unflushed(t, v, depth);
	bag_text_flush(t, 0);
	return rc;
}

/* A payload document's object, with the place of its SHA-256 marked: the text is whole in t->s
 * until flushed, and "sha256": " cannot occur inside a JSON string (its quotes are escaped). */
static int put_document_marked(struct bag_text *t, const json_t *o, size_t file)
{
	static const char key[] = "\"sha256\": \"";
	size_t start = t->s.len;
	int rc = put_json_unflushed(t, o, 2);
	const char *at = rc ? NULL : strstr(t->s.p + start, key);
	if (at)
		bag_text_mark_at(t, file, (size_t)(at - t->s.p) + sizeof(key) - 1);
	else if (!rc)
		t->err = -1; /* not reached: a packed document always has its sha256 */
	bag_text_flush(t, 0);
	return rc;
}

/* The "documents" array: each document's report object, with its path in the bag when packed. */
static int put_documents(struct bag_text *t, const struct bag *b, const struct doclist *docs)
{
	char *src;
	const struct bag_file **in_bag = xcalloc(docs->n + 1, sizeof(*in_bag));
	size_t shown = 0;
	int rc = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		in_bag[b->files[i].doc - docs->v] = &b->files[i];
	sbuf_puts(&t->s, "[");
	for (size_t i = 0; i < docs->n && !rc; i++) {
		json_t *o = report_document_json(&docs->v[i]);
		if (o) { /* no local folder in the packet: the source relative to what the user gave */
			src = doctor_source(&docs->v[i]);
			json_object_set_new(o, "source", report_json_string(src));
			free(src);
		}
		if (!o || (in_bag[i] && json_object_set_new(o, "path", report_json_string(in_bag[i]->path))) ||
		    (in_bag[i] && in_bag[i]->real &&
		     json_object_set_new(o, "original_path", report_json_string(in_bag[i]->real)))) {
			json_decref(o);
			rc = -1; /* a document missing from packet.json is an error, never a silent drop */
			break;
		}
		sbuf_puts(&t->s, shown++ ? ",\n    " : "\n    ");
		rc = in_bag[i] ? put_document_marked(t, o, (size_t)(in_bag[i] - b->files)) : put_json(t, o, 2);
		json_decref(o);
	}
	if (shown)
		sbuf_puts(&t->s, "\n  ");
	sbuf_puts(&t->s, "]");
	free(in_bag);
	return rc;
}

/* What json_dumps() of report_json() plus the bag's fields gave, without the whole tree. */
/* packet.json's problems: those for the doctor, in the doctor's words, no local folder named. */
static json_t *doctor_problems_json(const struct manifest *m, const struct problems *probs, const struct doctor_scrub *sc)
{
	json_t *a = json_array();
	for (size_t i = 0; i < probs->n; i++) {
		const struct problem *p = &probs->v[i];
		char *msg = doctor_problem(p, m, sc), *src = doctor_scrub(sc, p->source);
		if (msg)
			json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o}", "severity", severity_name(p->severity),
							   "code", p->code, "message", report_json_string(msg), "source",
							   src ? report_json_string(src) : json_null()));
		free(msg);
		free(src);
	}
	return a;
}

static void make_packet_json(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct manifest *m, const struct doclist *docs,
			    const struct check_result *res, const struct problems *probs, const struct doctor_scrub *sc)
{
	char date[16];
	int rc = 0;
	json_t *root = report_json_skeleton(pt, m, docs, res, probs);
	if (!root) {
		t->err = -1;
		return;
	}
	json_object_set_new(root, "problems", doctor_problems_json(m, probs, sc));
	json_object_set_new(root, "bag", json_string(b->name));
	json_object_set_new(root, "bagging_date", json_string(bag_date(b->when, date, sizeof(date))));
	if (b->real_name) {
		json_object_set_new(root, "encrypted", json_true());
		json_object_set_new(root, "original_bag", report_json_string(b->real_name));
	}
	sbuf_puts(&t->s, "{");
	for (void *it = json_object_iter(root); it && !rc;) {
		void *next = json_object_iter_next(root, it);
		const char *key = json_object_iter_key(it);
		json_t *k = json_string(key);
		sbuf_puts(&t->s, "\n  ");
		rc = put_json(t, k, 1);
		json_decref(k);
		sbuf_puts(&t->s, ": ");
		if (!rc)
			rc = strcmp(key, "documents") == 0 ? put_documents(t, b, docs)
							   : put_json(t, json_object_iter_value(it), 1);
		if (next)
			sbuf_puts(&t->s, ",");
		it = next;
	}
	sbuf_puts(&t->s, "\n}\n");
	json_decref(root);
	if (rc)
		t->err = -1;
}

int bag_make_tags(struct bag *b, const struct patient *pt, const struct manifest *m, const struct doclist *docs,
		  const struct check_result *res, const struct problems *probs, const struct bag_out *out)
{
	static const char bagit[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	int rc = 0;
	struct doctor_scrub sc;
	doctor_scrub_init(&sc, docs, probs);
	for (size_t i = 0; i + 1 < BAG_NTAGS && !rc; i++) {
		struct bag_text t;
		bag_text_begin(&t, &b->tags[i], i, out);
		switch (i) {
		case 0: sbuf_puts(&t.s, bagit); break;
		case 1: make_bag_info(&t, b, pt, m, res); break;
		case BAG_TAG_MANIFEST: make_manifest(&t, b); break;
		case 3: make_readme(&t, b, pt, m, docs, res, probs, &sc); break;
		case BAG_TAG_INDEX: html_index(&t, b, pt, m, docs, res, probs, &sc); break;
		default: make_packet_json(&t, b, pt, m, docs, res, probs, &sc); break; /* BAG_TAG_JSON */
		}
		rc = bag_text_end(&t);
	}
	doctor_scrub_free(&sc);
	return rc;
}

int bag_make_tagmanifest(struct bag *b, const struct bag_out *out)
{
	struct bag_text t;
	bag_text_begin(&t, &b->tags[BAG_NTAGS - 1], BAG_NTAGS - 1, out);
	make_tagmanifest(&t, b);
	return bag_text_end(&t);
}

void bag_release_files(struct bag *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		free(b->files[i].path);
		free(b->files[i].real);
	}
	free(b->files);
	b->files = NULL;
	b->nfiles = 0;
}

void bag_free(struct bag *b)
{
	bag_release_files(b);
	free(b->real_name);
	free(b->name);
	free(b->questions);
	memset(b, 0, sizeof(*b));
}
