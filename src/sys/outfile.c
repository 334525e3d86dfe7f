/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outfile.c: see outfile.h. */
#include "sys/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include "sys/cleanup.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define COPY_CHUNK (256 * 1024)
#define TMP_TAG ".recpack-tmp."

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* "XXXXXX" as mkstemp fills it in: six letters or digits. */
static int is_mkstemp_suffix(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* Our own temp file for base: ".BASE.recpack-tmp.XXXXXX" (kind 1) or libzip's beside it,
 * ".BASE.recpack-tmp.XXXXXX.XXXXXX" (kind 2); 0 for anything else. */
static int tmp_kind(const char *name, const char *base)
{
	size_t blen = strlen(base), tlen = strlen(TMP_TAG);
	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 || strncmp(name + 1 + blen, TMP_TAG, tlen) != 0)
		return 0;
	const char *rest = name + 1 + blen + tlen;
	if (strlen(rest) == 6 && is_mkstemp_suffix(rest))
		return 1;
	if (strlen(rest) == 13 && is_mkstemp_suffix(rest) && rest[6] == '.' && is_mkstemp_suffix(rest + 7))
		return 2;
	return 0;
}

/* A temp file of ours whose writer is gone: a regular file of this user, untouched for
 * OUTFILE_STALE_SECONDS, and (kind 1) not locked: its writer holds a lock while it lives.
 * Removed, then 1. */
static int remove_if_stale(int dfd, const char *name, int kind)
{
	struct stat sb, again;
	time_t now = time(NULL);
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != geteuid() || now - sb.st_mtime < OUTFILE_STALE_SECONDS)
		return 0;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int stale = 0;
	if ((kind == 2 || flock(fd, LOCK_EX | LOCK_NB) == 0) && fstat(fd, &sb) == 0 &&
	    fstatat(dfd, name, &again, AT_SYMLINK_NOFOLLOW) == 0 && again.st_ino == sb.st_ino &&
	    again.st_dev == sb.st_dev)
		stale = unlinkat(dfd, name, 0) == 0;
	close(fd);
	return stale;
}

/* Remove what an earlier run killed while writing target left beside it (kill -9, a crash):
 * our temp files first, then libzip's whose own temp file is gone. Returns how many. */
static int sweep_stale(const char *dir, const char *base)
{
	int removed = 0;
	for (int kind = 1; kind <= 2; kind++) {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (tmp_kind(e->d_name, base) != kind)
				continue;
			if (kind == 2) { /* its own temp file still there: not ours to judge */
				char owner[NAME_MAX + 1];
				snprintf(owner, sizeof(owner), "%.*s", (int)(strlen(e->d_name) - 7), e->d_name);
				if (faccessat(dfd, owner, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
					continue;
			}
			removed += remove_if_stale(dfd, e->d_name, kind);
		}
		if (d)
			closedir(d);
		else if (dfd >= 0)
			close(dfd);
	}
	return removed;
}

int outfile_begin(struct outfile *of, const char *target, int force, char *errbuf, size_t errlen)
{
	struct stat sb;
	char *dir = dir_of(target);
	int rc = RP_EOUTPUT;
	memset(of, 0, sizeof(*of));
	of->lockfd = -1;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(errbuf, errlen, "cannot write %s: the folder %s does not exist; create it first or choose another -o path",
			 target, dir);
		goto out;
	}
	if (lstat(target, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			snprintf(errbuf, errlen, "cannot write %s: it is a folder; give a file name such as %s/packet.zip",
				 target, target);
			goto out;
		}
		if (!force) {
			snprintf(errbuf, errlen, "%s already exists; use --force to replace it, or choose another -o path",
				 target);
			goto out;
		}
	}
	of->stale_removed = sweep_stale(dir, path_basename(target));
	char *tmp = xasprintf("%s/.%s" TMP_TAG "XXXXXX", dir, path_basename(target));
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot write in %s: %s; check the folder's permissions and free space",
			 dir, strerror(errno));
		free(tmp);
		goto out;
	}
	fchmod(fd, 0600);
	flock(fd, LOCK_EX); /* held while we live: a later run then knows the file is not stale */
	of->lockfd = fd;
	of->target = xstrdup(target);
	of->tmp = tmp;
	of->cleanup = cleanup_register_file(tmp); /* a signal outside the write removes it too */
	of->force = force;
	rc = RP_OK;
out:
	free(dir);
	return rc;
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	if (rc == 0 && !dir)
		rc = fchmod(fd, 0600);
	close(fd);
	return dir ? 0 : rc; /* some file systems refuse fsync on folders: not an error */
}

/* Put one temp file at its target: rename with force, else link, which fails when the target
 * appeared meanwhile (never replace without --force). */
static int place(struct outfile *of, char *errbuf, size_t errlen)
{
	int rc;
	if (of->force) {
		rc = rename(of->tmp, of->target);
	} else {
		rc = link(of->tmp, of->target);
		if (rc == 0)
			unlink(of->tmp);
	}
	if (rc < 0) {
		snprintf(errbuf, errlen, "cannot write %s: %s", of->target,
			 errno == EEXIST ? "it already exists (use --force to replace it)" : strerror(errno));
		return RP_EOUTPUT;
	}
	cleanup_unregister(of->cleanup);
	of->cleanup = 0;
	free(of->tmp);
	of->tmp = NULL;
	return RP_OK;
}

int outfile_commit(struct outfile *of, char *errbuf, size_t errlen)
{
	return outfile_commit_pair(of, NULL, errbuf, errlen);
}

int outfile_commit_pair(struct outfile *of, struct outfile *side, char *errbuf, size_t errlen)
{
	struct stat sb;
	int rc = RP_EOUTPUT;
	if (fsync_path(of->tmp, 0) < 0 || (side && fsync_path(side->tmp, 0) < 0)) {
		snprintf(errbuf, errlen, "cannot write %s: %s", of->target, strerror(errno));
		return rc;
	}
	char *dir = dir_of(of->target);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		flock(dfd, LOCK_EX); /* recpack runs writing into this folder take turns here */
	if (!of->force && lstat(of->target, &sb) == 0) { /* the sidecar is then not ours to touch */
		snprintf(errbuf, errlen, "cannot write %s: it already exists (use --force to replace it)",
			 of->target);
		goto out;
	}
	if (side) { /* old sidecar first: never a moment with a new packet beside an old checksum */
		if (unlink(side->target) < 0 && errno != ENOENT) {
			snprintf(errbuf, errlen, "cannot replace %s: %s", side->target, strerror(errno));
			goto out;
		}
		if (dfd >= 0)
			fsync(dfd); /* the removal reaches the disk before the new packet does */
	}
	if ((rc = place(of, errbuf, errlen)) != RP_OK)
		goto out;
	if (side) {
		side->force = 1;
		rc = place(side, errbuf, errlen);
	}
	if (dfd >= 0)
		fsync(dfd); /* some file systems refuse fsync on folders: not an error */
out:
	if (dfd >= 0)
		close(dfd); /* and the lock with it */
	free(dir);
	return rc;
}

/* libzip writes "<tmp>.XXXXXX" and renames it onto <tmp>: remove such leftovers too. */
static void remove_libzip_leftovers(const char *tmp)
{
	char *dir = dir_of(tmp);
	const char *base = path_basename(tmp);
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, blen) == 0 && e->d_name[blen] == '.') {
			char *p = path_join(dir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

void outfile_abort(struct outfile *of)
{
	if (of->tmp) {
		unlink(of->tmp);
		remove_libzip_leftovers(of->tmp);
	}
	cleanup_unregister(of->cleanup);
	if (of->target && of->lockfd >= 0)
		close(of->lockfd);
	free(of->tmp);
	free(of->target);
	memset(of, 0, sizeof(*of));
}

/* Write data into of's temp file. */
static int fill(struct outfile *of, const void *data, size_t len, char *errbuf, size_t errlen)
{
	int rc = RP_OK;
	int fd = open(of->tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || fd_write_all(fd, data, len) < 0)
		rc = RP_EOUTPUT;
	if (fd >= 0 && close(fd) < 0)
		rc = RP_EOUTPUT;
	if (rc)
		snprintf(errbuf, errlen, "cannot write %s: %s", of->target, strerror(errno));
	return rc;
}

int outfile_write_all(const char *target, const void *data, size_t len, int force, char *errbuf,
		      size_t errlen)
{
	struct outfile of;
	int rc = outfile_begin(&of, target, force, errbuf, errlen);
	if (rc)
		return rc;
	if (!(rc = fill(&of, data, len, errbuf, errlen)))
		rc = outfile_commit(&of, errbuf, errlen);
	outfile_abort(&of);
	return rc;
}

int outfile_commit_with(struct outfile *of, const char *sidecar, const void *data, size_t len,
			char *errbuf, size_t errlen)
{
	struct outfile side;
	int rc = outfile_begin(&side, sidecar, 1, errbuf, errlen);
	if (rc)
		return rc;
	of->stale_removed += side.stale_removed;
	if (!(rc = fill(&side, data, len, errbuf, errlen)))
		rc = outfile_commit_pair(of, &side, errbuf, errlen);
	outfile_abort(&side);
	return rc;
}

static int hash_chunk(void *arg, const unsigned char *p, size_t n)
{
	return sha256_update(arg, p, n);
}

int outfile_sha256(const char *path, char hex[65], char *errbuf, size_t errlen)
{
	int rc = RP_EOUTPUT;
	struct sha256 *ctx = sha256_new();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && ctx && fd_each_chunk(fd, COPY_CHUNK, hash_chunk, ctx) == 0 &&
	    sha256_final(ctx, NULL, hex) == 0)
		rc = RP_OK;
	if (rc)
		snprintf(errbuf, errlen, "cannot read back %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	sha256_free(ctx);
	return rc;
}
