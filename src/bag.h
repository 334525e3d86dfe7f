/* bag.h: the packet's BagIt layout: which documents go where (safe, unique names under
 * NAME/data/NN-category/, disc trees kept whole) and the tag files (bagit.txt, bag-info.txt,
 * manifests, README.txt, index.html, packet.json). bag.c builds text; it does no I/O. */
#ifndef BAG_H
#define BAG_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "check.h"
#include "document.h"
#include "job.h"
#include "problem.h"

#define BAG_NTAGS 7

struct bag_file {
	struct document *doc;
	char *path; /* relative to the bag: "data/01-radiology/CD/DICOMDIR" */
	char *real; /* neutral bags: the path the document would have had otherwise, else NULL */
};

struct bag_tag {
	const char *name;   /* "bagit.txt", ... */
	char *text;
	size_t len;
	char sha256[65];
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
int bag_plan(struct bag *b, const struct job *job, struct doclist *docs, const char *name, time_t when,
	     int allow_incomplete, char *errbuf, size_t errlen);

/* For an encrypted packet, whose entry names anyone can read: rename the folder (unless name,
 * the user's --name, is given) to BAG_NEUTRAL_NAME and every payload file outside a disc tree to
 * data/NN-category/0001.ext (the extension kept); a disc keeps its inner tree, which its DICOMDIR
 * refers to, under a neutral folder (disc-1). The real names stay in real/real_name, and only
 * the tag files (encrypted with the rest) carry them. */
void bag_neutralize(struct bag *b, const char *name);

/* Fill every tag file, once the payload documents carry their SHA-256. */
void bag_make_tags(struct bag *b, const struct job *job, const struct doclist *docs,
		   const struct check_result *res, const struct problems *probs);

/* packet.json's object: report_json() plus the bag's name, date and document paths. */
json_t *bag_packet_json(const struct bag *b, const struct job *job, const struct doclist *docs,
			const struct check_result *res, const struct problems *probs);

void bag_free(struct bag *b);

/* A path as manifest lines write it: BagIt escapes only CR, LF and '%' (as %0D %0A %25). */
void bag_put_path(struct sbuf *s, const char *p);
/* The inverse, for the n bytes at p read from a manifest line; free() the result. */
char *bag_unescape_path(const char *p, size_t n);

/* "2026-11-25" for t (UTC) into buf (at least 11 bytes). */
const char *bag_date(time_t t, char *buf, size_t len);

/* index.html (html.c) */
struct sbuf;
/* Append path as index.html writes it in a link (percent-encoded). */
void html_href(struct sbuf *s, const char *path);
char *html_index(const struct bag *b, const struct job *job, const struct doclist *docs,
		 const struct check_result *res, const struct problems *probs, size_t *len);

#endif
