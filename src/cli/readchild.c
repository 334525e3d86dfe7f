/* readchild.c: see readchild.h. The parent's side; the child's loop is readchild_loop.c,
 * run by the helper program (src/readhelper.c). One request at a time per child: a header (magic, kind,
 * length), the document's bytes, then the child answers with a struct doc_facts (the same
 * binary on both ends, so the layout agrees). A child that dies or overruns its time is
 * killed and reaped by its pid, and the document is reported as unreadable. */
#include "cli/readchild.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "read/factsput.h"
#include "read/reader.h"
#include "sys/fdio.h"
#include "sys/util.h"

extern char **environ;

struct child {
	pid_t pid;
	int fd;
};

static const char *child_exe;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct child idle[READCHILD_IDLE];
static size_t nidle;

/* ---- the parent ---- */

static int spawn(struct child *c)
{
	char *argv[] = { READCHILD_HELPER, READCHILD_ARG, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	int sv[2], rc;
	if (child_exe == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGALRM);
	sigaddset(&dflt, SIGXCPU);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* nothing else of ours (packet, sources) is open in a process that parses hostile bytes */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	rc = posix_spawn(&c->pid, child_exe, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		return -1;
	}
	c->fd = sv[0];
	return 0;
}

void readchild_start(int n)
{
	if (child_exe == NULL)
		return;
	pthread_mutex_lock(&pool_lock);
	while (n-- > 0 && nidle < READCHILD_IDLE) {
		struct child c;
		if (spawn(&c) != 0)
			break;
		idle[nidle++] = c;
	}
	pthread_mutex_unlock(&pool_lock);
}

static void retire(struct child *c)
{
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(c->fd);
}

static int take(struct child *c)
{
	int have = 0;
	pthread_mutex_lock(&pool_lock);
	if (nidle > 0)
		*c = idle[--nidle], have = 1;
	pthread_mutex_unlock(&pool_lock);
	return have ? 0 : spawn(c);
}

static void give_back(struct child *c)
{
	pthread_mutex_lock(&pool_lock);
	if (nidle < READCHILD_IDLE) {
		idle[nidle++] = *c;
		c = NULL;
	}
	pthread_mutex_unlock(&pool_lock);
	if (c != NULL) {
		close(c->fd); /* end of input: the child exits */
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

static int send_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	while (n > 0) {
		ssize_t put = send(fd, p, n, MSG_NOSIGNAL);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return -1;
		p += put, n -= (size_t)put;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The reply, waiting at most the child's own limits and a margin. */
static int receive(int fd, struct doc_facts *out)
{
	unsigned char *p = (unsigned char *)out;
	size_t n = sizeof *out;
	long deadline = now_ms() + (READCHILD_SECONDS + 5) * 1000L;
	while (n > 0) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		long left = deadline - now_ms();
		ssize_t got;
		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd.revents == 0)
			continue;
		if ((got = fd_read(fd, p, n)) <= 0)
			return -1;
		p += got, n -= (size_t)got;
	}
	return 0;
}

static int failed(struct doc_facts *out)
{
	memset(out, 0, sizeof *out);
	out->status = FACTS_DAMAGED;
	out->format = FMT_PDF;
	snprintf(out->error, sizeof out->error,
		 "reading the PDF's text failed or took longer than %d seconds", READCHILD_SECONDS);
	return 0;
}

int readchild_request(enum readchild_kind kind, const unsigned char *buf, size_t len,
		      struct doc_facts *out)
{
	struct readchild_request rq = { READCHILD_MAGIC, (uint32_t)kind, len };
	struct child c;
	if (len > READCHILD_MAX_BYTES) {
		memset(out, 0, sizeof *out);
		out->format = FMT_PDF;
		snprintf(out->error, sizeof out->error, "the PDF is too large to read its text");
		return 0;
	}
	if (take(&c) != 0) {
		memset(out, 0, sizeof *out);
		out->status = FACTS_DAMAGED;
		out->format = FMT_PDF;
		snprintf(out->error, sizeof out->error,
			 "recpack's helper program %s, which reads PDFs, is missing or could not start; "
			 "reinstall recpack", READCHILD_HELPER);
		return 0;
	}
	if (send_all(c.fd, &rq, sizeof rq) != 0 || send_all(c.fd, buf, len) != 0 ||
	    receive(c.fd, out) != 0) {
		retire(&c);
		return failed(out);
	}
	give_back(&c);
	facts_sanitise(out);
	return out->status == FACTS_NONE && out->format == FMT_UNKNOWN ? 1 : 0;
}

static int isolate_pdf(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	return readchild_request(READCHILD_PDF, buf, len, out);
}

void readchild_install(const char *exe)
{
	child_exe = exe;
	reader_pdf = isolate_pdf;
}

/* The helper beside this program (the build tree, or one folder for both), else where
 * `make install` puts it. */
int readchild_find(char *buf, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%s/%s", self, READCHILD_HELPER) < len &&
			    access(buf, X_OK) == 0)
				return 0;
		}
	}
	if ((size_t)snprintf(buf, len, "%s/%s", RP_LIBEXECDIR, READCHILD_HELPER) < len && access(buf, X_OK) == 0)
		return 0;
	return -1;
}
