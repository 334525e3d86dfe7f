/* zipsink.h: the file libzip writes the packet into, as a libzip write source on an open fd.
 * It coalesces libzip's small writes, hashes the packet (SHA-256) as its bytes become final and,
 * when asked to, syncs the file to disk on a thread of its own while it grows, so the caller's
 * final fsync is short. It never opens, renames or removes files (the caller owns the fd and
 * the path) and never prints. */
#ifndef ZIPSINK_H
#define ZIPSINK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <zip.h>

struct zipsink {
	int fd;
	unsigned char *buf;  /* bytes [buf_off, buf_off + buf_len) not yet written to fd */
	size_t cap, buf_len;
	uint64_t buf_off;
	uint64_t pos, end;   /* libzip's write position; the packet's size so far */
	uint64_t hashed;     /* [0, hashed) is final and hashed */
	/* the syncer thread: fdatasync each time SYNC_STEP more bytes are on file */
	int durable, syncing, sync_stop, sync_err;
	uint64_t on_file, sync_asked;
	pthread_t syncer;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t rpos;       /* read position (libzip never reads a new archive back) */
	unsigned char *scratch;
	EVP_MD_CTX *md;
	zip_error_t error;
	int begun, committed;
	char sha256[65];     /* the packet's SHA-256 once committed, else "" */
};

/* Set up s to write into fd (opened read-write; truncated when libzip starts writing).
 * durable: sync the file to disk in the background while it is written. */
void zipsink_init(struct zipsink *s, int fd, int durable);
void zipsink_fini(struct zipsink *s);

/* A libzip source for s (s must outlive it); NULL with error set. */
zip_source_t *zipsink_source(struct zipsink *s, zip_error_t *error);

#endif
