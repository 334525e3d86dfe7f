/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source.h: turning SOURCE strings (file, folder, "-", archive, URL) into documents.
 * Each kind sits behind one small table of callbacks, so commands never care where bytes
 * came from. Sources report into the problem list; they never print or exit. */
#ifndef SOURCE_H
#define SOURCE_H

#include <stdint.h>

#include "read/document.h"
#include "rules/problem.h"
#include "sys/workdir.h"

/* How the downloads are going, for a progress line (filled by source_url.c). */
struct fetch_item {
	const char *name;
	uint64_t got, size; /* size 0: not known yet */
};
struct fetch_status {
	size_t total, done;
	const struct fetch_item *active;
	size_t nactive;
	int finished; /* the last call: clear the line */
};

/* One SOURCE as given: "[CATEGORY=]SOURCE". */
struct srcspec {
	char *category; /* from a CATEGORY= prefix, or NULL */
	char *spec;     /* path, URL or "-" */
};

/* What to fetch and how: the sources in order, the limits, and the download options. */
struct fetch_opts {
	struct srcspec *srcs;
	size_t nsrcs, srccap;
	uint64_t max_size;        /* per download, --max-size */
	uint64_t max_expand;      /* archives, --max-expand */
	/* network (source_url.c) */
	int netrc;
	const char *netrc_file, *cookies_file, *bearer_file, *header_file, *cacert;
	int retries;
	long timeout;             /* seconds below min_speed (or to connect) before giving up */
	long min_speed;           /* bytes a second, --min-speed */
	long deadline;            /* seconds for a whole document, retries included, --deadline */
	int parallel;
	int no_cache;
};

/* The defaults of the limits and download options; no sources. */
void fetch_opts_init(struct fetch_opts *f);
/* Add a source; category may be NULL. */
void fetch_opts_add(struct fetch_opts *f, const char *category, const char *spec);
void fetch_opts_free(struct fetch_opts *f);

struct url_batch;
struct source_kind;

struct gather {
	const struct fetch_opts *fetch;
	struct workdir *wd;
	struct doclist *docs;
	struct problems *probs;
	struct strlist skipped; /* furniture left out (shown with -v) */
	int archive_depth;        /* archives we are inside (source_archive.c) */
	uint64_t archive_bytes;   /* expanded so far from the current top-level archive */
	uint64_t archive_packed;  /* that archive's size on disk, for the zip-bomb ratio */
	uint64_t archive_entries; /* entries of every archive of the run so far */
	struct url_batch *urls; /* every URL of the job, fetched together first (source_url.c) */
	/* kinds that claim a file by its content (archives), NULL-terminated; sources_gather
	 * sets it, so a file found anywhere is expanded without local.c naming archives */
	const struct source_kind *const *by_content;
	void (*fetch_progress)(void *arg, const struct fetch_status *st); /* NULL: silent */
	void *progress_arg;
	/* Set by the caller: a folder walk outside archives adds every file as a document
	 * marked archive_unchecked, without opening it; the caller has the scan check it and
	 * calls source_gather_archive for those that are archives. marks says how many problems
	 * and skipped files there were when each such document was added, so that what the
	 * expansion adds can go where it would have gone (see source_walk_mark). */
	int archives_later;
	struct gather_mark *marks;
	size_t nmarks, markcap;
	/* folders whose files might all be archives: empty or not is known once they are expanded */
	struct gather_folder *folders;
	size_t nfolders, foldercap;
};

/* From document `doc` on (until the next mark), the documents were added when the problem
 * list held `probs` problems and the skipped list `skipped` names. */
struct gather_mark {
	size_t doc, probs, skipped;
};

/* A folder source walked with archives_later: its documents [begin, end), and the problem and
 * skipped counts when its walk ended, where it says it holds no records (source_dir_empty) if
 * all of them were archives that held none. */
struct gather_folder {
	size_t begin, end, probs, skipped;
	const char *spec;
};

/* Say that the folder spec holds no records. */
void source_dir_empty(struct gather *g, const char *spec);

struct source_kind {
	const char *name;
	/* Does this kind take the spec? Decided from the string and stat() alone. */
	int (*claims)(const char *spec);
	/* Add the documents of one source. 0, or an RP_E* code after adding a problem. */
	int (*gather)(struct gather *g, const struct srcspec *src);
	/* Kinds found by content instead (archives): does the file at path belong to it? */
	int (*claims_file)(const char *path);
	/* Add the documents inside the file at path; relpath, shown and category as for
	 * source_add_file. 0, or an RP_E* code after adding a problem. */
	int (*gather_file)(struct gather *g, const char *path, const char *relpath, const char *shown,
			   const char *category);
};

extern const struct source_kind source_stdin, source_url, source_dir, source_file;

/* Gather every source of the job, in order. Returns the worst RP_E* code of the sources;
 * a failed source never stops the others. */
int sources_gather(struct gather *g);
/* Expand the archive d, which a walk left unchecked and the scan found (d->archive): its
 * documents are added to g->docs as they would have been in the walk. 0, or an RP_E* code
 * after adding a problem. */
int source_gather_archive(struct gather *g, const struct document *d);

/* Fetch every http(s) source of the job at once, before the sources are walked in order;
 * url_gather then adds each download. Returns RP_OK or RP_EOUTPUT (no temp space);
 * failed downloads are reported by url_gather. source_url_free releases the batch. */
int source_url_fetch_all(struct gather *g);
void source_url_free(struct gather *g);

/* local.c: */
/* Walk a local folder into documents, relpaths prefixed with prefix (may be "").
 * Used by folders and by expanded archives. */
int source_walk_dir(struct gather *g, const char *dir, const char *prefix, const char *shown,
		    const char *category);

/* Add one local file as a document, or expand it when a kind claims it by its content. */
int source_add_file(struct gather *g, const char *path, const char *relpath, const char *shown,
		    const char *category);

#endif
