/* outfile.c: see outfile.h. */
#include "sys/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "sys/cleanup.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define COPY_CHUNK (256 * 1024)

volatile sig_atomic_t outfile_interrupted;
static struct sigaction old_int, old_term, old_hup;

static void on_signal(int sig)
{
	outfile_interrupted = sig;
}

/* Catch sig unless it was ignored when recpack started (nohup): that choice is the user's. */
static void catch_signal(int sig, const struct sigaction *sa, struct sigaction *old)
{
	sigaction(sig, sa, old);
	if (old->sa_handler == SIG_IGN)
		sigaction(sig, old, NULL);
}

void outfile_signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	catch_signal(SIGINT, &sa, &old_int);
	catch_signal(SIGTERM, &sa, &old_term);
	catch_signal(SIGHUP, &sa, &old_hup);
}

void outfile_signals_restore(void)
{
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int outfile_begin(struct outfile *of, const char *target, int force, char *errbuf, size_t errlen)
{
	struct stat sb;
	char *dir = dir_of(target);
	int rc = RP_EOUTPUT;
	memset(of, 0, sizeof(*of));
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
	char *tmp = xasprintf("%s/.%s.recpack-tmp.XXXXXX", dir, path_basename(target));
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot write in %s: %s; check the folder's permissions and free space",
			 dir, strerror(errno));
		free(tmp);
		goto out;
	}
	fchmod(fd, 0600);
	close(fd);
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

int outfile_commit(struct outfile *of, char *errbuf, size_t errlen)
{
	if (fsync_path(of->tmp, 0) < 0) {
		snprintf(errbuf, errlen, "cannot write %s: %s", of->target, strerror(errno));
		return RP_EOUTPUT;
	}
	int rc;
	if (of->force) {
		rc = rename(of->tmp, of->target);
	} else {
		/* link() fails when the target appeared meanwhile: never replace without --force */
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
	char *dir = dir_of(of->target);
	fsync_path(dir, 1);
	free(dir);
	return RP_OK;
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
	free(of->tmp);
	free(of->target);
	memset(of, 0, sizeof(*of));
}

int outfile_write_all(const char *target, const void *data, size_t len, int force, char *errbuf,
		      size_t errlen)
{
	struct outfile of;
	int rc = outfile_begin(&of, target, force, errbuf, errlen);
	if (rc)
		return rc;
	int fd = open(of.tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || fd_write_all(fd, data, len) < 0) {
		snprintf(errbuf, errlen, "cannot write %s: %s", target, strerror(errno));
		rc = RP_EOUTPUT;
	}
	if (fd >= 0 && close(fd) < 0 && !rc) {
		snprintf(errbuf, errlen, "cannot write %s: %s", target, strerror(errno));
		rc = RP_EOUTPUT;
	}
	if (!rc)
		rc = outfile_commit(&of, errbuf, errlen);
	outfile_abort(&of);
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
