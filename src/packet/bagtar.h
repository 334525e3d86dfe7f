/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagtar.h: a bag serialized as tar (RFC 8493 section 4.2), plain or compressed with gzip,
 * bzip2, xz or zstd, read entry by entry through libarchive for verify. Only tar formats are
 * enabled; reads, never writes, never prints; the caller bounds what it keeps. */
#ifndef BAGTAR_H
#define BAGTAR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* 1 when the file at path starts like a tar archive (ustar magic) or a gzip, bzip2, xz or
 * zstd stream (then taken as a compressed tar), else 0. */
int bagtar_sniff(const char *path);

enum bagtar_type { BAGTAR_FILE, BAGTAR_DIR, BAGTAR_LINK, BAGTAR_OTHER };
struct bagtar_entry {
	const char *name; /* as stored, "./" prefixes taken off; valid until the next call */
	enum bagtar_type type;
	int64_t size;
};

struct bagtar; /* opaque */
/* Open path; NULL with errbuf saying why. */
struct bagtar *bagtar_open(const char *path, char *errbuf, size_t errlen);
/* The next entry: 1, 0 at the end, -1 when the archive is damaged (errbuf says why). */
int bagtar_next(struct bagtar *t, struct bagtar_entry *e, char *errbuf, size_t errlen);
/* Read the current entry's data: bytes read, 0 at its end, -1 when damaged. */
ssize_t bagtar_read(struct bagtar *t, void *buf, size_t n, char *errbuf, size_t errlen);
void bagtar_close(struct bagtar *t);

#endif
