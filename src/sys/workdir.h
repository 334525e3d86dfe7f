/* SPDX-License-Identifier: GPL-3.0-or-later */
/* workdir.h: the private temporary folder (mode 0700 under $TMPDIR) that holds stdin
 * copies, expanded archives and downloads. Created on first use, removed on every exit path. */
#ifndef WORKDIR_H
#define WORKDIR_H

#include <stddef.h>

struct workdir {
	char *path;     /* NULL until first use */
	unsigned next;  /* counter for unique names inside */
	int cleanup;    /* cleanup.h handle: a signal removes the folder too (0: none) */
};

/* Create it if needed; 0 or RP_EOUTPUT with a message in errbuf. */
int workdir_ensure(struct workdir *wd, char *errbuf, size_t errlen);
/* A fresh path inside it ("<dir>/<n>-<hint>"), or NULL with errbuf set. */
char *workdir_newpath(struct workdir *wd, const char *hint, char *errbuf, size_t errlen);
/* Remove it and everything in it (never follows symlinks, never leaves the folder). */
void workdir_remove(struct workdir *wd);
/* Remove one folder inside it and everything in it (never follows symlinks). */
void workdir_remove_tree(const char *path);

#endif
