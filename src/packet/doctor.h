/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doctor.h: what the packet's own pages (README.txt, index.html, packet.json) say to the doctor
 * who opens it: each document's date and title, its source without the patient's local folders,
 * and the problems in the doctor's words (the patient's command-line advice stays on the
 * patient's terminal). Text only; no I/O. */
#ifndef DOCTOR_H
#define DOCTOR_H

#include <stddef.h>

#include "read/document.h"
#include "rules/manifest.h"
#include "rules/problem.h"

/* The local folders to leave out of every text in the packet: the part of each local source
 * before the folder the user gave (or the folder holding the file or archive the user gave). */
struct doctor_scrub {
	char **prefix; /* longest first */
	size_t n;
};

void doctor_scrub_init(struct doctor_scrub *sc, const struct doclist *docs, const struct problems *probs);
void doctor_scrub_free(struct doctor_scrub *sc);
/* text with every local prefix taken out (only where a path starts: after a space, a quote,
 * a bracket or at the start); free() the result. NULL for NULL. */
char *doctor_scrub(const struct doctor_scrub *sc, const char *text);

/* A document's source as the packet names it: a URL as given (secrets already redacted), a
 * local file relative to the folder the user gave ("CD/DICOM/IM1", "records.zip/a.pdf").
 * free() the result. */
char *doctor_source(const struct document *d);

/* The document's date as YYYY-MM-DD (what it says, else its study date, else a date in its
 * file name) into out; "" when none. */
const char *doctor_doc_date(const struct document *d, char out[11]);
/* Its title: what it says its title is, else its file name. */
const char *doctor_doc_title(const struct document *d);

/* The problem in words for the doctor, or NULL when it only concerns how the patient ran
 * recpack (a duplicate, a file left unclassified...). free() the result. */
char *doctor_problem(const struct problem *p, const struct manifest *m, const struct doctor_scrub *sc);

/* The indices in b->files of the records filed under category (NULL: unclassified), DICOM
 * images and a disc's or download's own pages aside, oldest first (undated last), then by
 * title, into *out (free() it); the DICOM images counted into *images. Returns how many. */
struct bag;
size_t doctor_category_files(const struct bag *b, const char *category, size_t **out, size_t *images);

#endif
