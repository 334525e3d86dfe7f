/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipsink.h: the file libzip writes the packet into, as a libzip write source on an open fd.
 * It coalesces libzip's small writes and, on a thread of its own, hashes the packet (SHA-256)
 * as its bytes become final and (when asked to) syncs the file to disk while it grows, so the
 * caller's final fsync is short. It never opens, renames or removes files (the caller owns the fd and
 * the path) and never prints. */
#ifndef ZIPSINK_H
#define ZIPSINK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <zip.h>

#include "sys/sha256.h"

struct zipsink {
	int fd, durable;
	/* the writer's side (libzip's calls) */
	unsigned char *buf;  /* bytes [buf_off, buf_off + buf_len) not yet written to fd; every
			      * byte before buf_off is on file */
	size_t cap, buf_len;
	uint64_t buf_off;
	uint64_t pos, end;   /* libzip's write position; the packet's size so far */
	uint64_t final;      /* [0, final) will not be written again */
	uint64_t on_file;    /* bytes written to fd, for the sync steps */
	uint64_t rpos;       /* read position (libzip never reads a new archive back) */
	zip_error_t error;
	int committed;
	/* two background threads: one hashes [0, ready) from the file, one fdatasyncs when asked */
	pthread_t bg, syncer;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int bg_running, syncer_running, stop, err; /* err: errno of the first failure */
	uint64_t ready, hashed, sync_asked;
	unsigned char *scratch;
	struct sha256 *md;
	char sha256[65];     /* the packet's SHA-256 once committed, else "" */
};

/* Set up s to write into fd (opened read-write; truncated when libzip starts writing).
 * durable: sync the file to disk in the background while it is written. */
void zipsink_init(struct zipsink *s, int fd, int durable);
void zipsink_fini(struct zipsink *s);

/* A libzip source for s (s must outlive it); NULL with error set. */
zip_source_t *zipsink_source(struct zipsink *s, zip_error_t *error);

#endif
