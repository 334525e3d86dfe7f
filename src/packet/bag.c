/* bag.c: see bag.h. */
#include "packet/bag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


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

/* "Doe_Jane" from "Jane Doe" or from a DICOM "DOE^JANE". */
static char *patient_folder_name(const struct patient *pt, const struct doclist *docs)
{
	struct strlist w = { 0 };
	const char *src = pt->name;
	int dicom = 0;
	for (size_t i = 0; !src && i < docs->n; i++)
		if (docs->v[i].dicom && !docs->v[i].excluded && docs->v[i].dicom->patient_name[0])
			src = docs->v[i].dicom->patient_name, dicom = 1;
	if (!src)
		return xstrdup("records");
	char *copy = xstrdup(src);
	for (char *tok = strtok(copy, dicom ? "^= " : " ,"); tok; tok = strtok(NULL, dicom ? "^= " : " ,")) {
		for (char *p = tok; *p; p++)
			*p = (char)(p == tok ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
		strlist_add(&w, tok);
	}
	free(copy);
	struct sbuf b = { 0 };
	if (w.n) {
		/* DICOM is FAMILY^GIVEN; people write "Given Family": family name first either way */
		size_t family = dicom ? 0 : w.n - 1;
		sbuf_puts(&b, w.v[family]);
		for (size_t i = 0; i < w.n; i++)
			if (i != family) {
				sbuf_puts(&b, "_");
				sbuf_puts(&b, w.v[i]);
			}
	}
	strlist_free(&w);
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
	char sz[32];
	for (size_t c = 0; c <= res->ncats; c++) {
		const char *name = c < res->ncats ? res->cats[c].cat->name : NULL;
		size_t shown = 0, dicom = 0;
		for (size_t i = 0; i < b->nfiles; i++) {
			const struct document *d = b->files[i].doc;
			if (name ? !d->category || strcmp(d->category, name) != 0 : d->category != NULL)
				continue;
			if (!shown++)
				sbuf_printf(s, "\n%s\n", c < res->ncats ? res->cats[c].cat->title : "Unclassified");
			if (d->sniff.type == T_DICOM) {
				dicom++;
				continue;
			}
			char *path = str_shown(b->files[i].path);
			char *real = b->files[i].real ? str_shown(path_basename(b->files[i].real)) : NULL;
			char date[11];
			sbuf_printf(s, "  %s  %s%s(%s, %s%s%s)\n", path, real ? real : "", real ? " " : "",
				    doc_type_label(d->sniff.type), human_size(d->size, sz, sizeof(sz)),
				    document_date(d, date) == 0 ? ", dated " : "", date);
			free(path);
			free(real);
			bag_text_flush(t, 0);
		}
		if (dicom)
			sbuf_printf(s, "  %zu DICOM image%s (see the studies above)\n", dicom, dicom == 1 ? "" : "s");
	}
}

static void readme_studies(struct sbuf *s, const struct bag *b, const struct doclist *docs)
{
	struct study *st;
	size_t n = studies_collect(docs, &st);
	char date[16];
	if (n)
		sbuf_puts(s, "\nImaging studies\n");
	for (size_t i = 0; i < n; i++) {
		const char *dir = NULL;
		for (size_t j = 0; j < b->nfiles && st[i].dicomdir; j++)
			if (b->files[j].doc == st[i].dicomdir)
				dir = b->files[j].path;
		char *mod = str_shown(st[i].modality[0] ? st[i].modality : "?"), *desc = str_shown(st[i].description);
		char *where = str_shown(dir ? dir : "");
		sbuf_printf(s, "  %s %s %s: %zu image%s%s%s\n", mod, study_date_iso(st[i].date, date, sizeof(date)),
			    desc, st[i].images, st[i].images == 1 ? "" : "s", dir ? "; open with a DICOM viewer: " : "",
			    where);
		free(mod);
		free(desc);
		free(where);
	}
	free(st);
}

static void make_readme(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct doclist *docs,
			const struct check_result *res, const struct problems *probs)
{
	struct sbuf *s = &t->s;
	char date[16];
	sbuf_printf(s, "MEDICAL RECORDS FOR A SECOND OPINION\n\n");
	sbuf_printf(s, "Patient:       %s\n", pt->name ? pt->name : "(not given)");
	sbuf_printf(s, "Date of birth: %s\n", pt->dob ? pt->dob : "(not given)");
	sbuf_printf(s, "MRN:           %s\n", pt->mrn ? pt->mrn : "(not given)");
	sbuf_printf(s, "Packet made:   %s by %s\n", bag_date(b->when, date, sizeof(date)), RP_AGENT);
	sbuf_printf(s, "Status:        %s\n", res->complete ? "COMPLETE: every required document is here"
							 : "INCOMPLETE: see the missing items below");
	if (b->questions)
		sbuf_printf(s, "\nTHE PATIENT'S QUESTIONS\n%s%s", b->questions,
			    b->questions[0] && b->questions[strlen(b->questions) - 1] == '\n' ? "" : "\n");
	sbuf_puts(s, "\nCHECKLIST\n");
	for (size_t i = 0; i < res->ncats; i++) {
		const struct category_result *r = &res->cats[i];
		sbuf_printf(s, "  [%s] %-40s %s\n", r->status == CAT_OK || r->status == CAT_SHIPPED ? "x"
			    : r->status == CAT_MISSING || r->status == CAT_TO_SEND ? "!" : "-",
			    r->cat->title, r->status == CAT_OK ? "present" : r->status == CAT_MISSING ? "MISSING"
			    : r->status == CAT_SHIPPED ? "shipped separately" : r->status == CAT_TO_SEND
			    ? "NOT YET SENT (shipped separately by the lab)" : "not required");
		for (size_t k = 0; k < r->items.n; k++) /* slides and blocks, by their case numbers */
			sbuf_printf(s, "        case %s: %s\n", r->items.v[k], r->status == CAT_SHIPPED ? "shipped" : "not yet sent");
	}
	size_t nerr = 0;
	for (size_t i = 0; i < probs->n; i++)
		nerr += probs->v[i].severity != SEV_INFO;
	if (nerr) {
		sbuf_puts(s, "\nPROBLEMS FOUND WHEN THE PACKET WAS MADE\n");
		for (size_t i = 0; i < probs->n; i++)
			if (probs->v[i].severity != SEV_INFO) {
				sbuf_printf(s, "  %s: %s\n", severity_name(probs->v[i].severity), probs->v[i].message);
				bag_text_flush(t, 0);
			}
	}
	readme_studies(s, b, docs);
	sbuf_puts(s, "\nDOCUMENTS");
	readme_documents(t, b, res);
	sbuf_printf(s, "\nHOW TO CHECK THIS PACKET\n"
		       "This folder is a BagIt bag (RFC 8493). manifest-sha256.txt lists the SHA-256 checksum\n"
		       "of every document. To check that nothing was lost or changed, run in this folder:\n"
		       "    sha256sum -c manifest-sha256.txt\n"
		       "or, with recpack installed, on the ZIP file or this folder:\n"
		       "    recpack verify %s.zip\n"
		       "index.html is the same table of contents for a web browser; packet.json is for programs.\n",
		    b->name);
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

/* v as packet.json writes it at depth levels of nesting; -1 when jansson cannot (v NULL). */
static int put_json_unflushed(struct bag_text *t, const json_t *v, size_t depth)
{
	struct json_piece jp = { .t = t, .depth = depth };
	return v ? json_dump_callback(v, json_piece_cb, &jp, PACKET_JSON_FLAGS | JSON_ENCODE_ANY) : -1;
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
	const struct bag_file **in_bag = xcalloc(docs->n + 1, sizeof(*in_bag));
	size_t shown = 0;
	int rc = 0;
	for (size_t i = 0; i < b->nfiles; i++)
		in_bag[b->files[i].doc - docs->v] = &b->files[i];
	sbuf_puts(&t->s, "[");
	for (size_t i = 0; i < docs->n && !rc; i++) {
		json_t *o = report_document_json(&docs->v[i]);
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
static void make_packet_json(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct manifest *m, const struct doclist *docs,
			    const struct check_result *res, const struct problems *probs)
{
	char date[16];
	int rc = 0;
	json_t *root = report_json_skeleton(pt, m, docs, res, probs);
	if (!root) {
		t->err = -1;
		return;
	}
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
	for (size_t i = 0; i + 1 < BAG_NTAGS && !rc; i++) {
		struct bag_text t;
		bag_text_begin(&t, &b->tags[i], i, out);
		switch (i) {
		case 0: sbuf_puts(&t.s, bagit); break;
		case 1: make_bag_info(&t, b, pt, m, res); break;
		case BAG_TAG_MANIFEST: make_manifest(&t, b); break;
		case 3: make_readme(&t, b, pt, docs, res, probs); break;
		case BAG_TAG_INDEX: html_index(&t, b, pt, docs, res, probs); break;
		default: make_packet_json(&t, b, pt, m, docs, res, probs); break; /* BAG_TAG_JSON */
		}
		rc = bag_text_end(&t);
	}
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
