/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dlcache.c: see dlcache.h. */
#include "sources/dlcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define MAX_META 8192

char *dlcache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		return path_join(xdg, "recpack");
	if (home && *home)
		return xasprintf("%s/.cache/recpack", home);
	return NULL;
}

static int mkdir_p(const char *path, mode_t last_mode)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, last_mode) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

int dlcache_ensure(const char *dir, char *err, size_t errlen)
{
	struct stat sb;
	if (mkdir_p(dir, 0700) < 0 || lstat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
	    chmod(dir, 0700) < 0) {
		snprintf(err, errlen, "the download cache %s cannot be created (%s); use --no-cache", dir,
			 strerror(errno ? errno : ENOTDIR));
		return RP_EOUTPUT;
	}
	return RP_OK;
}

void dlcache_key(const char *url, char key[65])
{
	sha256_buf(url, strlen(url), NULL, key);
}

static char *entry_path(const char *dir, const char *key, const char *suffix)
{
	return xasprintf("%s/%s%s", dir, key, suffix);
}

static char *meta_field(char *buf, const char *name)
{
	size_t n = strlen(name);
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		if (strncmp(line, name, n) == 0 && line[n] == ' ')
			return nl ? xstrndup(line + n + 1, (size_t)(nl - (line + n + 1))) : xstrdup(line + n + 1);
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

int dlcache_lookup(const char *dir, const char *key, struct dlcache_entry *e)
{
	memset(e, 0, sizeof(*e));
	char *meta = entry_path(dir, key, ".meta"), *body = entry_path(dir, key, ".body");
	char buf[MAX_META + 1];
	int found = 0;
	FILE *f = fopen(meta, "re");
	struct stat sb;
	if (f && stat(body, &sb) == 0 && S_ISREG(sb.st_mode)) {
		size_t n = fread(buf, 1, MAX_META, f);
		buf[n] = '\0';
		e->etag = meta_field(buf, "etag");
		e->lastmod = meta_field(buf, "last-modified");
		e->name = meta_field(buf, "name");
		found = e->etag || e->lastmod;
		if (!found)
			dlcache_entry_free(e);
	}
	if (f)
		fclose(f);
	free(meta);
	free(body);
	return found;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	if (in < 0)
		goto out;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		goto out;
	if (fd_copy(in, out) < 0)
		goto out;
	rc = 0;
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	return rc;
}

static int write_meta(const char *path, const struct dlcache_entry *e)
{
	FILE *f = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (e->etag)
		fprintf(f, "etag %s\n", e->etag);
	if (e->lastmod)
		fprintf(f, "last-modified %s\n", e->lastmod);
	if (e->name)
		fprintf(f, "name %s\n", e->name);
	return fclose(f) == 0 ? 0 : -1;
}

int dlcache_store(const char *dir, const char *key, const char *body_path, const struct dlcache_entry *e)
{
	char *body = entry_path(dir, key, ".body"), *meta = entry_path(dir, key, ".meta");
	char *tbody = entry_path(dir, key, ".body.tmp"), *tmeta = entry_path(dir, key, ".meta.tmp");
	/* Old meta goes first, so a crash never pairs new validators with an old body. */
	unlink(meta);
	int rc = copy_file(body_path, tbody) == 0 && rename(tbody, body) == 0 &&
			 write_meta(tmeta, e) == 0 && rename(tmeta, meta) == 0 ? 0 : -1;
	unlink(tbody);
	unlink(tmeta);
	free(body);
	free(meta);
	free(tbody);
	free(tmeta);
	return rc;
}

int dlcache_restore(const char *dir, const char *key, const char *dest)
{
	char *body = entry_path(dir, key, ".body");
	int rc = link(body, dest) == 0 ? 0 : copy_file(body, dest);
	free(body);
	return rc;
}

void dlcache_entry_free(struct dlcache_entry *e)
{
	free(e->etag);
	free(e->lastmod);
	free(e->name);
	memset(e, 0, sizeof(*e));
}

/* Open the cache folder itself, never a folder a symbolic link points to. */
static DIR *open_cache_dir(const char *dir, char *err, size_t errlen)
{
	struct stat sb;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d)
		return d;
	if (fd >= 0)
		close(fd);
	else if (lstat(dir, &sb) == 0 && S_ISLNK(sb.st_mode))
		snprintf(err, errlen, "the download cache %s is a symbolic link; recpack never deletes through "
			 "a link (the folder it points to may hold other files): remove the link, or the "
			 "cached files in that folder yourself", dir);
	else if (errno != ENOENT)
		snprintf(err, errlen, "the download cache %s cannot be read (%s)", dir, strerror(errno));
	return NULL;
}

int dlcache_clear(const char *dir, size_t *removed, char *err, size_t errlen)
{
	*removed = 0;
	err[0] = '\0';
	DIR *d = open_cache_dir(dir, err, errlen);
	if (!d)
		return err[0] ? RP_EOUTPUT : RP_OK; /* no cache at all: nothing to do */
	int rc = RP_OK;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		/* Relative to the folder opened above: a link inside is removed, never followed. */
		if (unlinkat(dirfd(d), ent->d_name, 0) < 0 && rc == RP_OK) {
			snprintf(err, errlen, "%s/%s cannot be removed (%s)", dir, ent->d_name, strerror(errno));
			rc = RP_EOUTPUT;
		}
		*removed += str_endswith_nocase(ent->d_name, ".body") ? 1u : 0u;
	}
	closedir(d);
	if (rc == RP_OK && rmdir(dir) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "the download cache %s cannot be removed (%s)", dir, strerror(errno));
		rc = RP_EOUTPUT;
	}
	return rc;
}
