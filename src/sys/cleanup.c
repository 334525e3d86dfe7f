/* cleanup.c: see cleanup.h.
 * The handler may run in any thread at any moment, so a slot's path is written before its
 * state is published (an atomic store), and the handler reads only published slots. */
#include "sys/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

enum slot_state { SLOT_FREE = 0, SLOT_CLAIMED, SLOT_DIR, SLOT_FILE };

static _Atomic int slot_state[CLEANUP_SLOTS];
static char slot_path[CLEANUP_SLOTS][CLEANUP_PATH_MAX];
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;

/* The kernel's record for getdents64, which glibc does not promise to declare. */
struct dirent64_rec {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int remove_at(int dirfd, const char *name, int depth);

static int is_dot(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/* One pass over the folder's entries; entries removed while reading may hide others, so the
 * caller repeats until the folder can be removed. */
static void empty_dir(int fd, int depth)
{
	_Alignas(8) char buf[2048];
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n <= 0)
			return;
		for (long off = 0; off < n;) {
			const struct dirent64_rec *d = (const struct dirent64_rec *)(buf + off);
			off += d->d_reclen;
			if (!is_dot(d->d_name))
				remove_at(fd, d->d_name, depth);
		}
	}
}

static int remove_at(int dirfd, const char *name, int depth)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth >= CLEANUP_DEPTH)
		return -1;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	fchmod(fd, 0700); /* an archive may have made it read-only; it is ours to remove */
	int rc = -1;
	for (int pass = 0; pass < 3; pass++) {
		lseek(fd, 0, SEEK_SET);
		empty_dir(fd, depth + 1);
		rc = unlinkat(dirfd, name, AT_REMOVEDIR);
		if (rc == 0 || errno == ENOENT) {
			rc = 0;
			break;
		}
		if (errno != ENOTEMPTY && errno != EEXIST)
			break;
	}
	close(fd);
	return rc;
}

int cleanup_remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path, 0);
}

static int register_path(const char *path, int kind)
{
	size_t len = strlen(path);
	if (len >= CLEANUP_PATH_MAX)
		return 0;
	int handle = 0;
	pthread_mutex_lock(&slot_lock);
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		if (atomic_load(&slot_state[i]) != SLOT_FREE)
			continue;
		atomic_store(&slot_state[i], SLOT_CLAIMED);
		memcpy(slot_path[i], path, len + 1);
		atomic_store(&slot_state[i], kind);
		handle = i + 1;
		break;
	}
	pthread_mutex_unlock(&slot_lock);
	return handle;
}

int cleanup_register_dir(const char *path)
{
	return register_path(path, SLOT_DIR);
}

int cleanup_register_file(const char *path)
{
	return register_path(path, SLOT_FILE);
}

int cleanup_mkdtemp(char *templ)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int handle = -1, err = 0;
	if (mkdtemp(templ)) {
		chmod(templ, 0700); /* mkdtemp's mode already, whatever the umask; said for the reader */
		handle = cleanup_register_dir(templ);
	} else {
		err = errno;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return handle;
}

void cleanup_unregister(int handle)
{
	if (handle < 1 || handle > CLEANUP_SLOTS)
		return;
	atomic_store(&slot_state[handle - 1], SLOT_FREE);
}

static void say(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));
	(void)r;
}

static void on_signal(int sig)
{
	/* Files first: a temporary packet must go even if a folder removal runs long. */
	for (int kind = SLOT_FILE; kind >= SLOT_DIR; kind--)
		for (int i = 0; i < CLEANUP_SLOTS; i++)
			if (atomic_load(&slot_state[i]) == kind)
				cleanup_remove_tree(slot_path[i]);
	say(sig == SIGINT ? "recpack: interrupted" : "recpack: stopped by a signal");
	say("; its temporary files were removed.\n");
	_exit(128 + sig);
}

int cleanup_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* nohup, and a shell starting background jobs, ignore some of these: keep that. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	}
	return 0;
}
