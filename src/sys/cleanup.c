/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cleanup.c: see cleanup.h.
 * The handler may run in any thread at any moment, so a slot's path is written before its
 * state is published (an atomic store), and the handler reads only published slots. A worker
 * thread that catches a signal hands it to the main thread, so the work that could add files
 * to a temp folder (the main thread's) is stopped while the folder is removed. */
#include "sys/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum slot_state { SLOT_FREE = 0, SLOT_CLAIMED, SLOT_DIR, SLOT_FILE };

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NHANDLED (sizeof(handled) / sizeof(handled[0]))

static _Atomic int slot_state[CLEANUP_SLOTS];
static char slot_path[CLEANUP_SLOTS][CLEANUP_PATH_MAX];
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t main_thread;
static _Atomic int term_fd = -1;
static _Atomic pid_t children[CLEANUP_SLOTS];
static _Atomic int resized;
static struct termios term_saved;

/* The kernel's record for getdents64, which glibc does not promise to declare. */
struct dirent64_rec {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* What one removal has done so far: entries removed or moved up (progress) and entries it
 * could not remove (failed). A pass over the top folder that fails more than it progresses
 * is the last one, so the work stays linear in the entries whatever the tree. */
struct sweep {
	int top;                /* the folder being removed, open */
	unsigned long progress;
	unsigned long failed;
	unsigned long moved;    /* names for folders moved up: ".recpack-rm.N" */
};

static int is_dot(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/* "prefix" followed by n in decimal, without snprintf (not async-signal-safe). */
static void number_name(char *out, const char *prefix, unsigned long n)
{
	char digits[24];
	int len = 0;
	size_t p = strlen(prefix);
	memcpy(out, prefix, p);
	do {
		digits[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (len)
		out[p++] = digits[--len];
	out[p] = '\0';
}

/* Open a folder of ours for emptying, making it usable first if an archive locked it. */
static int open_dir(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, fl);
	if (fd < 0 && errno == EACCES) {
		struct stat sb;
		if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode) &&
		    fchmodat(dirfd, name, 0700, 0) == 0)
			fd = openat(dirfd, name, fl);
	}
	if (fd >= 0)
		fchmod(fd, 0700); /* an archive may have made it read-only; it is ours to remove */
	return fd;
}

/* Move the folder dirfd/name up into the top folder, where the pass over it empties it.
 * Renaming onto an empty folder of the same name replaces it, which is harmless: everything
 * in the top folder is to be removed. */
static int move_up(struct sweep *s, int dirfd, const char *name)
{
	char fresh[48];
	for (int tries = 0; tries < 16; tries++) {
		number_name(fresh, ".recpack-rm.", ++s->moved);
		if (renameat(dirfd, name, s->top, fresh) == 0)
			return 0;
		if (errno == EACCES) { /* moving a folder needs write permission on it */
			int fd = open_dir(dirfd, name);
			if (fd < 0)
				return -1;
			close(fd);
			if (renameat(dirfd, name, s->top, fresh) == 0)
				return 0;
		}
		if (errno != EEXIST && errno != ENOTEMPTY && errno != ENOTDIR && errno != EISDIR)
			return -1;
	}
	return -1;
}

/* Remove the files of dirfd/name and move its folders up; then remove it. One pass: what it
 * misses stays for the next pass over the top folder. 0 when dirfd/name is gone. */
static int empty_child(struct sweep *s, int dirfd, const char *name)
{
	_Alignas(8) char buf[2048];
	int fd = open_dir(dirfd, name);
	if (fd < 0)
		return -1;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			const struct dirent64_rec *d = (const struct dirent64_rec *)(buf + off);
			off += d->d_reclen;
			if (is_dot(d->d_name))
				continue;
			if (unlinkat(fd, d->d_name, 0) == 0 || errno == ENOENT ||
			    ((errno == EISDIR || errno == EPERM) && move_up(s, fd, d->d_name) == 0))
				s->progress++;
			else
				s->failed++;
		}
	}
	close(fd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return 0;
	return -1;
}

/* One pass over the top folder: each entry removed, each folder emptied and removed. */
static void sweep_top(struct sweep *s)
{
	_Alignas(8) char buf[2048];
	lseek(s->top, 0, SEEK_SET);
	for (;;) {
		long n = syscall(SYS_getdents64, s->top, buf, sizeof(buf));
		if (n <= 0)
			return;
		for (long off = 0; off < n;) {
			const struct dirent64_rec *d = (const struct dirent64_rec *)(buf + off);
			off += d->d_reclen;
			if (is_dot(d->d_name))
				continue;
			if (unlinkat(s->top, d->d_name, 0) == 0 || errno == ENOENT ||
			    ((errno == EISDIR || errno == EPERM) && empty_child(s, s->top, d->d_name) == 0))
				s->progress++;
			else
				s->failed++;
		}
	}
}

int cleanup_remove_tree(const char *path)
{
	if (unlinkat(AT_FDCWD, path, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	struct sweep s = { .top = open_dir(AT_FDCWD, path) };
	if (s.top < 0)
		return -1;
	int rc = -1;
	for (;;) {
		s.progress = s.failed = 0;
		sweep_top(&s);
		if (unlinkat(AT_FDCWD, path, AT_REMOVEDIR) == 0 || errno == ENOENT) {
			rc = 0;
			break;
		}
		if (errno != ENOTEMPTY && errno != EEXIST)
			break;
		if (s.progress == 0 || s.failed > s.progress)
			break;
	}
	close(s.top);
	return rc;
}

/* A file's writer may keep its own temp files beside it ("<file>.XXXXXX", as libzip does):
 * remove those too. */
static void remove_siblings(const char *path)
{
	char dir[CLEANUP_PATH_MAX];
	_Alignas(8) char buf[2048];
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dlen = slash ? (size_t)(slash - path) : 0, blen = strlen(base);
	if (slash && dlen == 0)
		dlen = 1; /* the root folder */
	memcpy(dir, slash ? path : ".", slash ? dlen : 1);
	dir[slash ? dlen : 1] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			const struct dirent64_rec *d = (const struct dirent64_rec *)(buf + off);
			off += d->d_reclen;
			if (strncmp(d->d_name, base, blen) == 0 && d->d_name[blen] == '.')
				unlinkat(fd, d->d_name, 0);
		}
	}
	close(fd);
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

static void handled_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < NHANDLED; i++)
		sigaddset(set, handled[i]);
}

int cleanup_mkdtemp(char *templ)
{
	sigset_t block, old;
	handled_set(&block);
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

void cleanup_terminal_save(int fd, const struct termios *saved)
{
	atomic_store(&term_fd, -1);
	term_saved = *saved;
	atomic_store(&term_fd, fd);
}

void cleanup_terminal_forget(void)
{
	atomic_store(&term_fd, -1);
}

int cleanup_forbid_core_dumps(void)
{
	struct rlimit none = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &none) != 0)
		return -1;
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : -1;
}

static void forget_children(void)
{
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		atomic_store(&children[i], 0);
}

pid_t cleanup_fork(void)
{
	sigset_t block, old;
	pid_t parent = getpid();
	handled_set(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < CLEANUP_SLOTS; i++)
			atomic_store(&slot_state[i], SLOT_FREE);
		forget_children();
		main_thread = pthread_self();
		prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
		if (getppid() != parent) /* the parent died before the line above */
			raise(SIGTERM);
	} else if (pid > 0) {
		int i = 0;
		while (i < CLEANUP_SLOTS && atomic_load(&children[i]) != 0)
			i++;
		if (i < CLEANUP_SLOTS)
			atomic_store(&children[i], pid);
		/* a full table still leaves PR_SET_PDEATHSIG to end the child */
	}
	int err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return pid;
}

void cleanup_child_reaped(pid_t pid)
{
	for (int i = 0; i < CLEANUP_SLOTS && pid > 0; i++)
		if (atomic_load(&children[i]) == pid)
			atomic_store(&children[i], 0);
}

static void on_resize(int sig)
{
	(void)sig;
	atomic_store(&resized, 1);
}

void cleanup_watch_resize(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_resize;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
}

int cleanup_resized(void)
{
	return atomic_exchange(&resized, 0);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* SIGTERM to every child, a few seconds for each to remove its own temporary files and die,
 * then SIGKILL; each reaped, so none outlives recpack nor writes after it. */
static void end_children(void)
{
	int any = 0;
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		pid_t pid = atomic_load(&children[i]);
		if (pid > 0)
			any = 1, kill(pid, SIGTERM);
	}
	for (int waited = 0; any && waited < 5000; waited += 10) {
		any = 0;
		for (int i = 0; i < CLEANUP_SLOTS; i++) {
			pid_t pid = atomic_load(&children[i]);
			if (pid <= 0)
				continue;
			if (waitpid(pid, NULL, WNOHANG) == 0)
				any = 1;
			else
				atomic_store(&children[i], 0);
		}
		if (any)
			sleep_ms(10);
	}
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		pid_t pid = atomic_load(&children[i]);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
	}
}

static void say(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));
	(void)r;
}

/* From here on each handled signal has its default action: a second one ends the process at
 * once, whatever the removal below is doing. */
static void default_actions(void)
{
	struct sigaction dfl;
	sigset_t set;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < NHANDLED; i++) {
		struct sigaction old;
		if (sigaction(handled[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(handled[i], &dfl, NULL);
	}
	handled_set(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void on_signal(int sig)
{
	if (!pthread_equal(pthread_self(), main_thread)) {
		pthread_kill(main_thread, sig); /* stop the main thread's work, then clean up */
		return;
	}
	default_actions();
	int fd = atomic_load(&term_fd), failed = 0;
	if (fd >= 0) {
		tcsetattr(fd, TCSAFLUSH, &term_saved);
		say("\n");
	}
	end_children(); /* before removing paths: a child may still be writing beside them */
	/* Files first: a temporary packet must go even if a folder removal runs long. */
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		if (atomic_load(&slot_state[i]) != SLOT_FILE)
			continue;
		if (unlink(slot_path[i]) != 0 && errno != ENOENT)
			failed = 1;
		remove_siblings(slot_path[i]);
	}
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		if (atomic_load(&slot_state[i]) == SLOT_DIR && cleanup_remove_tree(slot_path[i]) != 0)
			failed = 1;
	say(sig == SIGINT ? "recpack: interrupted" : "recpack: stopped by a signal");
	say(failed ? "; some temporary files could not be removed.\n"
		   : "; its temporary files were removed.\n");
	raise(sig); /* the default action: a parent sees a death by this signal */
	_exit(128 + sig); /* not reached */
}

int cleanup_install(void)
{
	struct sigaction sa;
	main_thread = pthread_self();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* a worker that only passes the signal on resumes its call */
	handled_set(&sa.sa_mask);
	for (size_t i = 0; i < NHANDLED; i++) {
		struct sigaction old;
		/* nohup, and a shell starting background jobs, ignore some of these: keep that. */
		if (sigaction(handled[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(handled[i], &sa, NULL) != 0)
			return -1;
	}
	return 0;
}
