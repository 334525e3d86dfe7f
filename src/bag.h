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
};

/* Decide the name and every payload path. Packs documents that are not excluded and have a
 * category (or all, into 99-unclassified, when allow_incomplete). name may be NULL (default
 * from patient and date). 0 or RP_EUSAGE with errbuf (a --name that cannot be used). */
int bag_plan(struct bag *b, const struct job *job, struct doclist *docs, const char *name, time_t when,
	     int allow_incomplete, char *errbuf, size_t errlen);

/* Fill every tag file, once the payload documents carry their SHA-256. */
void bag_make_tags(struct bag *b, const struct job *job, const struct doclist *docs,
		   const struct check_result *res, const struct problems *probs);

/* packet.json's object: report_json() plus the bag's name, date and document paths. */
json_t *bag_packet_json(const struct bag *b, const struct job *job, const struct doclist *docs,
			const struct check_result *res, const struct problems *probs);

void bag_free(struct bag *b);

/* "2026-11-25" for t (UTC) into buf (at least 11 bytes). */
const char *bag_date(time_t t, char *buf, size_t len);

/* index.html (html.c) */
char *html_index(const struct bag *b, const struct job *job, const struct doclist *docs,
		 const struct check_result *res, const struct problems *probs, size_t *len);

#endif
