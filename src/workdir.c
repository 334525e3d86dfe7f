/* workdir.c: see workdir.h. */
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rp.h"
#include "util.h"

/* ---- removal on a fatal signal ----
 * The one piece of global state recpack keeps: the paths of the live workdirs, so that an
 * interrupt (Ctrl-C, kill, a closed pipe) still removes them. Slots are claimed atomically;
 * the handler uses only async-signal-safe calls, then hands the signal on to the action that
 * was there before (the default: recpack dies of it, as the shell expects). */
#define LIVE_SLOTS 16
#define RM_MAX_DEPTH 96 /* deeper than anything an archive or folder may create */

static struct {
	volatile sig_atomic_t used;
	char path[PATH_MAX];
} live[LIVE_SLOTS];
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
static struct sigaction previous[sizeof(fatal_signals) / sizeof(fatal_signals[0])];

struct dirent64_raw {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* rm -r of dfd/name with raw system calls only (no malloc, no stdio): safe in a handler. */
static void remove_tree_at(int dfd, const char *name, int depth)
{
	char buf[2048];
	if (unlinkat(dfd, name, 0) == 0 || errno != EISDIR || depth > RM_MAX_DEPTH)
		return;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Removing entries while reading the folder may hide some: read it again until empty. */
	for (int pass = 0, removed = 1; removed && pass < 8; pass++) {
		removed = 0;
		lseek(fd, 0, SEEK_SET);
		long n;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
			for (long off = 0; off < n;) {
				struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
				off += d->reclen;
				if (strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0)
					continue;
				remove_tree_at(fd, d->name, depth + 1);
				removed = 1;
			}
	}
	close(fd);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

static void on_fatal_signal(int sig)
{
	int saved = errno;
	for (int i = 0; i < LIVE_SLOTS; i++)
		if (live[i].used == 1)
			remove_tree_at(AT_FDCWD, live[i].path, 0);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		if (fatal_signals[i] == sig)
			sigaction(sig, &previous[i], NULL);
	errno = saved;
	raise(sig); /* delivered to the previous action once this handler returns */
}

static void install_signal_cleanup(void)
{
	static volatile sig_atomic_t installed;
	if (__atomic_exchange_n(&installed, 1, __ATOMIC_SEQ_CST))
		return;
	struct sigaction sa = { .sa_handler = on_fatal_signal };
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) {
		sigaction(fatal_signals[i], NULL, &previous[i]);
		if (previous[i].sa_handler != SIG_IGN) /* nohup and friends stay as they are */
			sigaction(fatal_signals[i], &sa, NULL);
	}
}

static void live_add(const char *path)
{
	if (strlen(path) >= PATH_MAX)
		return;
	for (int i = 0; i < LIVE_SLOTS; i++) {
		sig_atomic_t free_slot = 0;
		/* Fill the path before the slot counts as used, so the handler never sees half a name. */
		if (__atomic_compare_exchange_n(&live[i].used, &free_slot, -1, 0, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			strcpy(live[i].path, path);
			__atomic_store_n(&live[i].used, 1, __ATOMIC_SEQ_CST);
			return;
		}
	}
}

static void live_remove(const char *path)
{
	for (int i = 0; i < LIVE_SLOTS; i++)
		if (live[i].used == 1 && strcmp(live[i].path, path) == 0) {
			__atomic_store_n(&live[i].used, 0, __ATOMIC_SEQ_CST);
			return;
		}
}

/* ---- the workdir ---- */

int workdir_ensure(struct workdir *wd, char *errbuf, size_t errlen)
{
	if (wd->path)
		return RP_OK;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *templ = xasprintf("%s/recpack.XXXXXX", tmp);
	sigset_t fatal, old;
	install_signal_cleanup();
	/* Hold fatal signals until the folder is registered, so none can strand it. */
	sigemptyset(&fatal);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaddset(&fatal, fatal_signals[i]);
	pthread_sigmask(SIG_BLOCK, &fatal, &old);
	int made = mkdtemp(templ) != NULL;
	int err = errno;
	if (made)
		live_add(templ);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!made) {
		snprintf(errbuf, errlen, "cannot create a private temporary folder in %s: %s", tmp,
			 strerror(err));
		free(templ);
		return RP_EOUTPUT;
	}
	chmod(templ, 0700); /* mkdtemp already uses 0700; say it anyway, whatever the umask */
	wd->path = templ;
	return RP_OK;
}

char *workdir_newpath(struct workdir *wd, const char *hint, char *errbuf, size_t errlen)
{
	if (workdir_ensure(wd, errbuf, errlen))
		return NULL;
	return xasprintf("%s/%u-%s", wd->path, ++wd->next, hint);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

void workdir_remove_tree(const char *path)
{
	nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void workdir_remove(struct workdir *wd)
{
	if (!wd->path)
		return;
	workdir_remove_tree(wd->path);
	live_remove(wd->path);
	free(wd->path);
	wd->path = NULL;
}
