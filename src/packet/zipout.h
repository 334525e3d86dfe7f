/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipout.h: writes the packet ZIP. Worker threads read each payload file once, hash it
 * (OpenSSL SHA-256), CRC it and deflate it (libdeflate); libzip writes the results in a fixed
 * order as pre-compressed entries. Files too big to hold in memory stream through the writer.
 * Memory in flight is bounded. zipout never prints; it does not decide names or contents. */
#ifndef ZIPOUT_H
#define ZIPOUT_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <time.h>

#define ZIPOUT_DEFAULT_LEVEL 1

/* A packet holds thousands of entries, so an item is kept small: no copies of names. */
struct zip_item {
	const char *name;    /* entry name inside the ZIP, after opts->prefix (UTF-8, '/'-separated) */
	const char *path;    /* payload: the file to read; tag items: the file holding the
			      * contents (len bytes), or NULL when data holds them */
	uint64_t size;       /* payload: the size found when it was scanned */
	const unsigned char *data; /* tag items: the contents, set by make_tags */
	size_t len;
	int store;           /* already compressed: store it, do not try to deflate */
};

struct zipout_progress {
	size_t items_done, items_total;
	uint64_t bytes_done, bytes_total;
};

struct zipout_opts {
	int jobs;     /* worker threads; <= 0: all cores */
	int level;    /* 0 store, 1-9; < 0: ZIPOUT_DEFAULT_LEVEL */
	time_t mtime; /* every entry's timestamp */
	void (*progress)(void *arg, const struct zipout_progress *p);
	void *progress_arg;
	/* Called once, after every payload item is hashed, before the first tag item is
	 * written: fill tags[i].len and .data or .path. Returns 0, or an RP_E* code with errbuf set. */
	int (*make_tags)(void *arg, struct zip_item *tags, size_t ntags, char *errbuf, size_t errlen);
	void *tags_arg;
	/* Called with each payload item's SHA-256 (64 hex digits and a NUL) once the whole item
	 * is read, before make_tags; from worker threads, several at once. May be NULL. */
	void (*hashed)(void *arg, size_t index, const char *hex);
	/* When set, called instead of hashed for a run of n consecutive items from first (a
	 * batch of small ones), with their hashes in hex[0..n): a caller can write them at once. */
	void (*hashed_run)(void *arg, size_t first, size_t n, const char (*hex)[65]);
	void *hashed_arg;
	volatile sig_atomic_t *cancel; /* polled; nonzero stops the write (may be NULL) */
	const char *password; /* non-NULL: WinZip AES-256 on every entry */
	char *sha256_out; /* when set: the packet file's SHA-256 (65 chars), hashed as written */
	int durable;      /* sync the file to disk while it is written (the caller fsyncs it after) */
	const char *prefix; /* put before every item's name ("NAME/"), or NULL */
	/* Where the payload's names are, when the caller lets zipout free it (free()) as soon as
	 * every entry is added: libzip keeps its own copy of each name, and for 100,000 files ours
	 * are megabytes held to the end for nothing. The items' names are not read after that.
	 * NULL: the caller keeps its names. */
	void *names_block;
};

/* Write payload items then tag items to path (created or truncated). Returns 0, RP_ESOURCE
 * (a payload file could not be read or changed while it was packed) or RP_EOUTPUT, with
 * a message in errbuf. */
int zipout_write(const char *path, struct zip_item *payload, size_t npayload, struct zip_item *tags,
		 size_t ntags, const struct zipout_opts *opts, char *errbuf, size_t errlen);

/* Number of online cores (at least 1). */
int zipout_cores(void);

#endif
