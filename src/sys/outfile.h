/* outfile.h: atomic creation of the final output files (the packet and its sidecar):
 * a temp file beside the target (".NAME.recpack-tmp.XXXXXX"), mode 0600, fsynced and renamed,
 * removed on failure and on SIGINT/SIGTERM. It never leaves a partial file at the target path. */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

/* Set to the signal number by the SIGINT/SIGTERM/SIGHUP handler that
 * outfile_signals_install() sets up; long loops (the ZIP writer) poll it and give up, and the
 * command then exits 128 + that number, as an uncaught signal would. The one piece of global state, kept for the handler. */
extern volatile sig_atomic_t outfile_interrupted;

struct outfile {
	char *target;   /* the path asked for */
	char *tmp;      /* the temp file beside it, NULL once renamed or removed */
	int force;
	int cleanup;    /* its handle in the signal-cleanup registry (cleanup.h) */
};

/* Check that target can be made (its folder exists and is writable; it does not exist unless
 * force) and create the temp file beside it. 0 or RP_EOUTPUT with a message in errbuf. */
int outfile_begin(struct outfile *of, const char *target, int force, char *errbuf, size_t errlen);
/* fsync the temp file, set 0600, rename it onto the target, fsync the folder. */
int outfile_commit(struct outfile *of, char *errbuf, size_t errlen);
/* Remove the temp file if it is still there (and any "<tmp>.*" libzip left); free. */
void outfile_abort(struct outfile *of);

/* Write a small file atomically (same rules as above). */
int outfile_write_all(const char *target, const void *data, size_t len, int force, char *errbuf,
		      size_t errlen);

/* SHA-256 of a file as 64 hex digits + NUL. 0 or RP_EOUTPUT. */
int outfile_sha256(const char *path, char hex[65], char *errbuf, size_t errlen);

/* Catch SIGINT/SIGTERM/SIGHUP into outfile_interrupted (restore with outfile_signals_restore). */
void outfile_signals_install(void);
void outfile_signals_restore(void);

#endif
