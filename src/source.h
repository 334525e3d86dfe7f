/* source.h: turning SOURCE strings (file, folder, "-", archive, URL) into documents.
 * Each kind sits behind one small table of callbacks, so commands never care where bytes
 * came from. Sources report into the problem list; they never print or exit. */
#ifndef SOURCE_H
#define SOURCE_H

#include <stdint.h>

#include "document.h"
#include "job.h"
#include "problem.h"
#include "workdir.h"

struct gather {
	const struct job *job;
	struct workdir *wd;
	struct doclist *docs;
	struct problems *probs;
	struct strlist skipped; /* furniture left out (shown with -v) */
	int archive_depth;        /* archives we are inside (source_archive.c) */
	uint64_t archive_bytes;   /* expanded so far from the current top-level archive */
	uint64_t archive_entries; /* its entries so far */
};

struct source_kind {
	const char *name;
	/* Does this kind take the spec? Decided from the string and stat() alone. */
	int (*claims)(const char *spec);
	/* Add the documents of one source. 0, or an RP_E* code after adding a problem. */
	int (*gather)(struct gather *g, const struct srcspec *src);
};

extern const struct source_kind source_stdin, source_url, source_dir, source_file;

/* Gather every source of the job, in order. Returns the worst RP_E* code of the sources;
 * a failed source never stops the others. */
int sources_gather(struct gather *g);

/* Walk a local folder into documents, relpaths prefixed with prefix (may be "").
 * Used by folders and by expanded archives. */
int source_walk_dir(struct gather *g, const char *dir, const char *prefix, const char *shown,
		    const char *category);

/* Add one local file as a document, expanding it when its content is an archive. */
int source_add_file(struct gather *g, const char *path, const char *relpath, const char *shown,
		    const char *category);

/* Names never gathered from folders: .DS_Store, Thumbs.db, hidden files, ... */
int source_is_junk(const char *name);

#endif
