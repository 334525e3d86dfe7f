/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bag.h: the packet's BagIt layout: which documents go where (safe, unique names under
 * NAME/data/NN-category/, disc trees kept whole) and the tag files (bagit.txt, manifests, ...).
 * bag.c builds text, handed to its caller in bounded pieces, never whole; it does no I/O. */
#ifndef BAG_H
#define BAG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "rules/manifest.h"
#include "rules/patient.h"
#include "read/document.h"
#include "rules/check.h"
#include "rules/problem.h"
#include "packet/bagtext.h"
#include "sys/util.h"

#define BAG_NTAGS 7
/* Indices in bag.tags of the tag files that give each payload file's SHA-256. */
enum { BAG_TAG_MANIFEST = 2, BAG_TAG_INDEX = 4, BAG_TAG_JSON = 5 };

struct bag_file {
	struct document *doc;
	char *path; /* relative to the bag: "data/01-radiology/CD/DICOMDIR" */
	char *real; /* neutral bags: the path the document would have had otherwise, else NULL */
};

struct bag {
	char *name;         /* the top-level folder */
	time_t when;        /* Bagging-Date and entry times */
	struct bag_file *files;
	size_t nfiles;
	struct bag_tag tags[BAG_NTAGS]; /* in the order they are written */
	char *questions;    /* --questions text, or NULL */
	char *real_name;    /* neutral bags: the folder name it would have had, else NULL */
};

#define BAG_NEUTRAL_NAME "second-opinion-packet"


/* Decide the name and every payload path. Packs documents that are not excluded and have a
 * category (or all, into 99-unclassified, when allow_incomplete). name may be NULL (default
 * from patient and date). 0 or RP_EUSAGE with errbuf (a --name that cannot be used). */
int bag_plan(struct bag *b, const struct patient *pt, const struct manifest *m, struct doclist *docs, const char *name, time_t when,
	     int allow_incomplete, char *errbuf, size_t errlen);

/* For an encrypted packet, whose entry names anyone can read: rename the folder (unless name,
 * the user's --name, is given) to BAG_NEUTRAL_NAME and every payload file outside a disc tree to
 * data/NN-category/0001.ext (the extension kept); a disc keeps its inner tree, which its DICOMDIR
 * refers to, under a neutral folder (disc-1). The real names stay in real/real_name, and only
 * the tag files (encrypted with the rest) carry them. */
void bag_neutralize(struct bag *b, const char *name);

/* Make every tag file but the tag manifest into out (tags[].len and sha256 set as they go).
 * A payload document's SHA-256 is its sha256 field, which may stand in for one not known yet
 * (out->mark says where each went). packet.json is report_json() plus the bag's name, date and
 * document paths, written one document at a time. 0, or -1 when out refused a piece. */
int bag_make_tags(struct bag *b, const struct patient *pt, const struct manifest *m, const struct doclist *docs,
		  const struct check_result *res, const struct problems *probs, const struct bag_out *out);
/* The last tag file, tagmanifest-sha256.txt, from tags[].sha256 of the others. 0 or -1. */
int bag_make_tagmanifest(struct bag *b, const struct bag_out *out);
/* Free the payload file list (paths and documents are not needed once the tags are made). */
void bag_release_files(struct bag *b);

void bag_free(struct bag *b);

/* A path as manifest lines write it: BagIt escapes only CR, LF and '%' (as %0D %0A %25). */
void bag_put_path(struct sbuf *s, const char *p);
/* The inverse, for the n bytes at p read from a manifest line; free() the result. */
char *bag_unescape_path(const char *p, size_t n);

/* index.html (html.c) */
/* Append path as index.html writes it in a link (percent-encoded). */
void html_href(struct sbuf *s, const char *path);
/* t escaped for HTML text or an attribute; each line break a <br> when br. */
void html_escape(struct sbuf *s, const char *t, int br);
struct doctor_scrub;
void html_index(struct bag_text *t, const struct bag *b, const struct patient *pt, const struct manifest *m,
		const struct doclist *docs, const struct check_result *res, const struct problems *probs,
		const struct doctor_scrub *sc);


#endif
