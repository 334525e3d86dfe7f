/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dlcache.h: the download cache (mode 0700, $XDG_CACHE_HOME/recpack or ~/.cache/recpack).
 * Entries are keyed by the SHA-256 of the URL, so no URL or secret is stored in clear; each
 * holds the body (0600) and its validators (ETag, Last-Modified) and file name. Never prints. */
#ifndef DLCACHE_H
#define DLCACHE_H

#include <stddef.h>

struct dlcache_entry {
	char *etag, *lastmod, *name; /* any may be NULL */
};

/* The cache folder's path (a new string), or NULL when neither XDG_CACHE_HOME nor HOME is set. */
char *dlcache_dir(void);

/* Create the folder (0700) if needed. 0, or RP_EOUTPUT with a message. */
int dlcache_ensure(const char *dir, char *err, size_t errlen);

/* key: 64 hex characters + NUL. */
void dlcache_key(const char *url, char key[65]);

/* 1 with e filled when an entry with its body exists, else 0. */
int dlcache_lookup(const char *dir, const char *key, struct dlcache_entry *e);

/* Store body_path's bytes and e under key (replacing any old entry). 0 or -1. */
int dlcache_store(const char *dir, const char *key, const char *body_path, const struct dlcache_entry *e);

/* Put the cached body at dest (a hard link, or a copy across file systems). 0 or -1. */
int dlcache_restore(const char *dir, const char *key, const char *dest);

void dlcache_entry_free(struct dlcache_entry *e);

/* Remove every entry and the folder, never through a symbolic link (the folder itself being a
 * link is refused). *removed counts the entries. 0, or RP_EOUTPUT with a message. */
int dlcache_clear(const char *dir, size_t *removed, char *err, size_t errlen);

#endif
