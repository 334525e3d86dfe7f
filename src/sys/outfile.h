/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outfile.h: atomic creation of the final output files (the packet and its sidecar):
 * a temp file beside the target (".NAME.recpack-tmp.XXXXXX"), mode 0600, fsynced and renamed,
 * removed on failure and on a signal (cleanup.h). It never leaves a partial file at the target path. */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct outfile {
	char *target;   /* the path asked for */
	char *tmp;      /* the temp file beside it, NULL once renamed or removed */
	int force;
	int cleanup;    /* its handle in the signal-cleanup registry (cleanup.h) */
	int lockfd;     /* the temp file, open and flock()ed while we live (-1: none) */
	int stale_removed; /* temp files of earlier, killed runs removed beside target */
};

/* A temp file of ours beside a target (".NAME.recpack-tmp.XXXXXX", or libzip's
 * ".NAME.recpack-tmp.XXXXXX.XXXXXX" beside it) is stale, and removed by the next
 * outfile_begin() for that target, when it belongs to this user, its writer no longer holds
 * its lock, and it has not changed for this long. */
#define OUTFILE_STALE_SECONDS 60

/* Check that target can be made (its folder exists and is writable; it does not exist unless
 * force), remove stale temp files of ours beside it, and create the temp file beside it. 0 or RP_EOUTPUT with a message in errbuf. */
int outfile_begin(struct outfile *of, const char *target, int force, char *errbuf, size_t errlen);
/* fsync the temp file, set 0600, rename it onto the target, fsync the folder. */
int outfile_commit(struct outfile *of, char *errbuf, size_t errlen);
/* Commit a file and its checksum sidecar (begun with force: it replaces any old one) as a
 * pair, under an flock on their folder so concurrent runs take turns: without force, nothing
 * is touched when the target exists; else the old sidecar is removed, the file put in place,
 * then the new sidecar. At every instant the pair at the target matches or the sidecar is
 * absent, whatever kills recpack when. */
int outfile_commit_pair(struct outfile *of, struct outfile *side, char *errbuf, size_t errlen);
/* Remove the temp file if it is still there (and any "<tmp>.*" libzip left); free. */
void outfile_abort(struct outfile *of);

/* outfile_commit_pair() with a sidecar at path sidecar holding data. */
int outfile_commit_with(struct outfile *of, const char *sidecar, const void *data, size_t len,
			char *errbuf, size_t errlen);

/* Write a small file atomically (same rules as above). */
int outfile_write_all(const char *target, const void *data, size_t len, int force, char *errbuf,
		      size_t errlen);

/* SHA-256 of a file as 64 hex digits + NUL. 0 or RP_EOUTPUT. */
int outfile_sha256(const char *path, char hex[65], char *errbuf, size_t errlen);

#endif
