/* SPDX-License-Identifier: GPL-3.0-or-later */
/* disc.c: see disc.h. */
#include "rules/disc.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys/util.h"

/* ---- trees ---- */

/* A tree is the documents whose relpath starts with the top's prefix plen and whose source
 * starts with the top's source up to the same point, the rest of both alike: the files of one
 * disc, whatever its folder or archive is called ("rec/CD.iso/DICOMDIR" is "rec/CD/DICOMDIR").
 * Documents of two sources never share a tree, whatever their names. slen is that point in
 * top->source; 0 when the source does not end as its relpath does (the top is alone). */
static int tree_base(const struct document *top, size_t plen, size_t *slen)
{
	size_t s = strlen(top->source), t = strlen(top->relpath + plen);
	if (s < t || strcmp(top->source + s - t, top->relpath + plen) != 0)
		return 0;
	*slen = s - t;
	return 1;
}

/* d is in the tree of top (not top itself). */
static int in_tree(const struct document *top, size_t slen, size_t plen, const struct document *d)
{
	return d != top && strncmp(d->source, top->source, slen) == 0 && strncmp(d->relpath, top->relpath, plen) == 0 &&
	       strlen(d->source) >= slen && strlen(d->relpath) >= plen && strcmp(d->source + slen, d->relpath + plen) == 0;
}

/* The relpath prefix of the folder holding relpath: up to and including its last '/'. */
static size_t dir_len(const char *relpath)
{
	const char *slash = strrchr(relpath, '/');
	return slash ? (size_t)(slash - relpath) + 1 : 0;
}

/* Where the IHE_XDM component starts in relpath (the download's root). */
static size_t xdm_root_len(const char *relpath)
{
	for (const char *p = relpath; *p; p += strcspn(p, "/"), p += *p == '/')
		if (strncasecmp(p, "IHE_XDM/", 8) == 0)
			return (size_t)(p - relpath);
	return 0;
}

static void mark_tree(struct doclist *docs, size_t top_i, size_t plen, int xdm)
{
	const struct document *top = &docs->v[top_i];
	size_t slen = 0;
	const char *root = NULL;
	int whole = tree_base(top, plen, &slen);
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (d->disc_root || (i != top_i && !(whole && in_tree(top, slen, plen, d))))
			continue;
		if (!root) { /* one string per tree: two discs both named CD stay two */
			strlist_add_owned(&docs->strings, xstrndup(top->relpath, plen));
			root = docs->strings.v[docs->strings.n - 1];
		}
		d->disc_root = root;
		d->xdm_tree = xdm != 0;
		enum xdm_role role = xdm ? xdm_path_role(d->relpath + plen) : XDM_NONE;
		d->furniture = role == XDM_FURNITURE || role == XDM_METADATA; /* the download's own pages */
	}
}

/* The document of md's source in md's folder named uri, or NULL. */
static const struct document *entry_doc(const struct doclist *docs, const struct document *md,
					const struct xdm_entry *e)
{
	size_t slen, dlen = dir_len(md->relpath);
	if (!tree_base(md, dlen, &slen))
		return NULL;
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		if (in_tree(md, slen, dlen, d) && strcasecmp(d->relpath + dlen, e->uri) == 0)
			return d;
	}
	return NULL;
}

static int who_empty(const struct doc_identity *w)
{
	return !w->name[0] && !w->dob[0] && w->nids == 0;
}

/* What the metadata says of a document, where its own content says nothing. */
static void give_entry_facts(struct document *d, const struct xdm_entry *e)
{
	struct doc_facts *ef = xmalloc(sizeof(*ef));
	xdm_entry_facts(e, ef);
	if (!d->facts || d->facts->status != FACTS_READ) {
		free(d->facts);
		d->facts = ef;
		return;
	}
	if (!d->facts->code[0]) {
		memcpy(d->facts->code, ef->code, sizeof ef->code);
		memcpy(d->facts->code_system, ef->code_system, sizeof ef->code_system);
	}
	if (who_empty(&d->facts->who))
		d->facts->who = ef->who;
	free(ef);
}

static void link_entries(struct doclist *docs, size_t mi)
{
	struct document *md = &docs->v[mi];
	if (!md->index || md->index->nxdm == 0)
		return;
	for (size_t k = 0; k < md->index->nxdm; k++) {
		const struct xdm_entry *e = &md->index->xdm[k];
		struct document *d = (struct document *)entry_doc(docs, md, e);
		if (!d || d->xdm)
			continue;
		d->xdm = e;
		give_entry_facts(d, e);
	}
	if (!md->facts) { /* the metadata names the patient too: checked like any document */
		md->facts = xmalloc(sizeof(*md->facts));
		xdm_entry_facts(&md->index->xdm[0], md->facts);
	}
}

void discs_mark(struct doclist *docs)
{
	for (size_t i = 0; i < docs->n; i++) /* downloads first: a disc inside one stays in it */
		if (xdm_path_role(docs->v[i].relpath) == XDM_METADATA) {
			mark_tree(docs, i, xdm_root_len(docs->v[i].relpath), 1);
			link_entries(docs, i);
		}
	for (size_t i = 0; i < docs->n; i++)
		if (docs->v[i].sniff.type == T_DICOMDIR)
			mark_tree(docs, i, dir_len(docs->v[i].relpath), 0);
}

static const char *tree_category(const struct doclist *docs, const char *root)
{
	for (size_t i = 0; i < docs->n; i++)
		if (docs->v[i].disc_root == root && docs->v[i].category && !docs->v[i].furniture)
			return docs->v[i].category;
	return NULL;
}

/* A disc's own pages and programs (README.TXT, INDEX.HTM, autorun.inf): kept with the disc,
 * which stays whole, but never a record. Viewer programs are left out when the disc is read. */
static int disc_furniture_name(const char *name)
{
	static const char *const pats[] = { "readme*", "index.htm*", "autorun.*", "*.inf", "*.ini",
					    "license*", "licence*", "copying*", "*.exe", "*.dll" };
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (fnmatch(pats[i], name, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

void discs_settle(struct doclist *docs, const char *imaging)
{
	for (size_t i = 0; i < docs->n; i++) {
		struct document *d = &docs->v[i];
		if (!d->disc_root)
			continue;
		if (!d->xdm_tree) {
			if (d->sniff.type != T_DICOM && d->sniff.type != T_DICOMDIR && !d->explicit_category &&
			    disc_furniture_name(document_name(d))) {
				d->category = imaging;
				d->furniture = 1;
				continue;
			}
			if (d->sniff.type != T_DICOM && d->sniff.type != T_DICOMDIR && d->category && imaging &&
			    strcmp(d->category, imaging) != 0)
				d->disc_root = NULL; /* a report copied beside the disc, filed by itself */
			continue;
		}
		if ((d->category && !d->furniture) || d->xdm)
			continue;
		const char *c = tree_category(docs, d->disc_root);
		if (c) { /* the download's pages and metadata go with its documents */
			d->category = c;
			d->furniture = 1;
		}
	}
}

/* ---- checks ---- */

struct tree_file {
	const char *name; /* relpath inside the disc */
	const struct document *doc;
	int listed;
};

static int cmp_tree_file(const void *a, const void *b)
{
	return strcasecmp(((const struct tree_file *)a)->name, ((const struct tree_file *)b)->name);
}

/* top was a source of its own ("--sources -" fed by find lists every file): its disc's files
 * are sources of their own too, and only their source paths say where on the disc they are. */
static int alone(const struct document *top)
{
	return !strchr(top->relpath, '/') && strcmp(top->source, top->relpath) != 0;
}

static size_t tree_files(const struct doclist *docs, const struct document *top, size_t plen, struct tree_file **out)
{
	size_t slen = 0, n = 0;
	struct tree_file *v = xcalloc(docs->n + 1, sizeof(*v));
	int whole = tree_base(top, plen, &slen), by_source = whole && alone(top);
	for (size_t i = 0; i < docs->n && whole; i++) {
		const struct document *d = &docs->v[i];
		if (in_tree(top, slen, plen, d))
			v[n++] = (struct tree_file){ d->relpath + plen, d, 0 };
		else if (by_source && d != top && alone(d) && strlen(d->source) > slen &&
			 strncmp(d->source, top->source, slen) == 0)
			v[n++] = (struct tree_file){ d->source + slen, d, 0 };
	}
	qsort(v, n, sizeof(*v), cmp_tree_file);
	*out = v;
	return n;
}

/* name is in a folder of the disc that holds a DICOMDIR of its own (checked on its own). */
static int in_nested_disc(const struct tree_file *files, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		size_t plen = dir_len(files[i].name);
		if (files[i].doc->sniff.type == T_DICOMDIR && plen && strncasecmp(name, files[i].name, plen) == 0)
			return 1;
	}
	return 0;
}

static void check_dicomdir(const struct doclist *docs, const struct document *dd, struct problems *probs)
{
	struct tree_file *files, key = { 0 };
	size_t slen;
	if (!tree_base(dd, dir_len(dd->relpath), &slen))
		return; /* where its files are cannot be told: nothing to compare with */
	size_t n = tree_files(docs, dd, dir_len(dd->relpath), &files), missing = 0, other = 0, unlisted = 0;
	const char *first_missing = NULL, *first_other = NULL, *first_unlisted = NULL;
	for (size_t i = 0; i < dd->index->nrefs; i++) {
		const struct doc_ref *r = &dd->index->refs[i];
		key.name = r->file_id;
		struct tree_file *f = bsearch(&key, files, n, sizeof(*files), cmp_tree_file);
		if (!f) {
			missing++;
			first_missing = first_missing ? first_missing : r->file_id;
			continue;
		}
		f->listed = 1;
		if (r->sop_uid[0] && (!f->doc->sop_instance_uid || strcmp(f->doc->sop_instance_uid, r->sop_uid) != 0)) {
			other++;
			first_other = first_other ? first_other : r->file_id;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!files[i].listed && files[i].doc->sniff.type == T_DICOM && !in_nested_disc(files, n, files[i].name)) {
			unlisted++;
			first_unlisted = first_unlisted ? first_unlisted : files[i].name;
		}
	if (missing)
		problems_add(probs, SEV_ERROR, P_DISC_INCOMPLETE, dd->source,
			     "%s lists %zu image%s that %s not on the disc (the first: %s): the disc was copied in "
			     "part. Copy the whole disc again (every folder and file), then run recpack again",
			     dd->source, missing, missing == 1 ? "" : "s", missing == 1 ? "is" : "are", first_missing);
	if (other)
		problems_add(probs, SEV_ERROR, P_DISC_INCOMPLETE, dd->source,
			     "%s names %zu image%s that the file%s it points to do%s not hold (the first: %s): the "
			     "disc's files were mixed up or damaged. Copy the whole disc again from the original",
			     dd->source, other, other == 1 ? "" : "s", other == 1 ? "" : "s", other == 1 ? "es" : "",
			     first_other);
	if (dd->index->damaged)
		problems_add(probs, SEV_WARNING, P_DISC_INCOMPLETE, dd->source,
			     "%s could be read only in part, so only the images it lists first were checked; if a "
			     "viewer cannot open the disc, copy it again from the original",
			     dd->source);
	if (unlisted)
		problems_add(probs, SEV_WARNING, P_DISC_UNLISTED, dd->source,
			     "%zu DICOM file%s on the disc %s not listed in %s (the first: %s): a viewer opening the "
			     "disc will not show %s. %s packed as found; if %s belong to another disc, give that "
			     "disc on its own",
			     unlisted, unlisted == 1 ? "" : "s", unlisted == 1 ? "is" : "are", dd->source,
			     first_unlisted, unlisted == 1 ? "it" : "them", unlisted == 1 ? "It is" : "They are",
			     unlisted == 1 ? "it does" : "they");
	free(files);
}

static void check_entry(const struct document *md, const struct xdm_entry *e, const struct document *d,
			struct problems *probs)
{
	if (e->size >= 0 && (uint64_t)e->size != d->size)
		problems_add(probs, SEV_ERROR, P_DOWNLOAD_MISMATCH, d->source,
			     "%s holds %llu bytes, but the download's %s says %lld: the file was changed or cut "
			     "short after the portal made the download. Download your records from the portal again",
			     d->source, (unsigned long long)d->size, document_name(md), (long long)e->size);
	else if (e->hash[0] && d->index && d->index->sha1[0] && strcasecmp(e->hash, d->index->sha1) != 0)
		problems_add(probs, SEV_ERROR, P_DOWNLOAD_MISMATCH, d->source,
			     "%s is not the file the download's %s describes (its SHA-1 fingerprint differs): it was "
			     "changed or damaged after the portal made the download. Download your records from "
			     "the portal again",
			     d->source, document_name(md));
}

static void check_metadata(const struct doclist *docs, const struct document *md, struct problems *probs)
{
	size_t missing = 0;
	const char *first = NULL;
	for (size_t k = 0; k < md->index->nxdm; k++) {
		const struct xdm_entry *e = &md->index->xdm[k];
		const struct document *d = entry_doc(docs, md, e);
		if (d) {
			check_entry(md, e, d, probs);
		} else {
			missing++;
			first = first ? first : e->uri;
		}
	}
	if (missing)
		problems_add(probs, SEV_ERROR, P_DOWNLOAD_MISMATCH, md->source,
			     "%s lists %zu document%s that %s not in the download (the first: %s): it was unpacked "
			     "or copied in part. Unpack or copy the whole download again, then run recpack again",
			     md->source, missing, missing == 1 ? "" : "s", missing == 1 ? "is" : "are", first);
	if (md->index->damaged)
		problems_add(probs, SEV_WARNING, P_DOWNLOAD_MISMATCH, md->source,
			     "%s could be read only in part, so only the documents it lists first were checked",
			     md->source);
}

void discs_check(const struct doclist *docs, struct problems *probs)
{
	for (size_t i = 0; i < docs->n; i++) {
		const struct document *d = &docs->v[i];
		if (!d->index)
			continue;
		if (d->sniff.type == T_DICOMDIR)
			check_dicomdir(docs, d, probs);
		else if (d->index->nxdm)
			check_metadata(docs, d, probs);
	}
}
