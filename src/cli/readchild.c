/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readchild.c: see readchild.h. The parent's side; the child's loop is readchild_loop.c,
 * run by the helper programs (src/readhelper.c, src/ocrhelper.c), each with its own pool of
 * children. One request at a time per child: a header (magic, kind,
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

/* The children of one helper program, started from exe (NULL: the program is missing). */
struct pool {
	const char *exe, *name, *reads; /* name and what it reads, for messages */
	struct child idle[READCHILD_IDLE];
	size_t nidle;
};

static struct pool pdf_pool = { NULL, READCHILD_HELPER, "reads PDFs", { { 0, 0 } }, 0 };
static struct pool ocr_pool = { NULL, READCHILD_OCR_HELPER, "reads scans and photos", { { 0, 0 } }, 0 };
static char **child_env; /* ours, with OMP_THREAD_LIMIT=1 */
static int ocr_on = 1;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the parent ---- */

static int spawn(const struct pool *pl, struct child *c)
{
	char *argv[] = { (char *)pl->name, READCHILD_ARG, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	int sv[2], rc;
	if (pl->exe == NULL)
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
	rc = posix_spawn(&c->pid, pl->exe, &fa, &at, argv, child_env ? child_env : environ);
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
	if (pdf_pool.exe == NULL)
		return;
	pthread_mutex_lock(&pool_lock);
	while (n-- > 0 && pdf_pool.nidle < READCHILD_IDLE) {
		struct child c;
		if (spawn(&pdf_pool, &c) != 0)
			break;
		pdf_pool.idle[pdf_pool.nidle++] = c;
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

static int take(struct pool *pl, struct child *c)
{
	int have = 0;
	pthread_mutex_lock(&pool_lock);
	if (pl->nidle > 0)
		*c = pl->idle[--pl->nidle], have = 1;
	pthread_mutex_unlock(&pool_lock);
	return have ? 0 : spawn(pl, c);
}

static void give_back(struct pool *pl, struct child *c)
{
	pthread_mutex_lock(&pool_lock);
	if (pl->nidle < READCHILD_IDLE) {
		pl->idle[pl->nidle++] = *c;
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

static int seconds_for(enum readchild_kind kind)
{
	return kind == READCHILD_PDF ? READCHILD_SECONDS : READCHILD_OCR_SECONDS;
}

static const char *what_of(enum readchild_kind kind)
{
	return kind == READCHILD_IMAGE ? "image" : "PDF";
}

static enum facts_format format_of(enum readchild_kind kind)
{
	return kind == READCHILD_IMAGE ? FMT_IMAGE : FMT_PDF;
}

/* The reply, waiting at most the child's own limits and a margin. */
static int receive(int fd, int seconds, struct doc_facts *out)
{
	unsigned char *p = (unsigned char *)out;
	size_t n = sizeof *out;
	long deadline = now_ms() + (seconds + 5) * 1000L;
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

static int failed(enum readchild_kind kind, struct doc_facts *out)
{
	memset(out, 0, sizeof *out);
	out->status = FACTS_DAMAGED;
	out->format = format_of(kind);
	snprintf(out->error, sizeof out->error, "reading the %s's text failed or took longer than %d seconds",
		 what_of(kind), seconds_for(kind));
	return 0;
}

int readchild_request(enum readchild_kind kind, const unsigned char *buf, size_t len,
		      struct doc_facts *out)
{
	struct readchild_request rq = { READCHILD_MAGIC, (uint32_t)kind, len };
	struct pool *pl = kind == READCHILD_PDF_OCR || kind == READCHILD_IMAGE ? &ocr_pool : &pdf_pool;
	struct child c;
	if (len > READCHILD_MAX_BYTES) {
		memset(out, 0, sizeof *out);
		out->format = format_of(kind);
		snprintf(out->error, sizeof out->error, "the %s is too large to read its text", what_of(kind));
		return 0;
	}
	if (take(pl, &c) != 0) {
		memset(out, 0, sizeof *out);
		out->status = FACTS_DAMAGED;
		out->format = format_of(kind);
		snprintf(out->error, sizeof out->error,
			 "recpack's helper program %s, which %s, is missing or could not start; "
			 "reinstall recpack", pl->name, pl->reads);
		return 0;
	}
	if (send_all(c.fd, &rq, sizeof rq) != 0 || send_all(c.fd, buf, len) != 0 ||
	    receive(c.fd, seconds_for(kind), out) != 0) {
		retire(&c);
		return failed(kind, out);
	}
	give_back(pl, &c);
	facts_sanitise(out);
	return out->status == FACTS_NONE && out->format == FMT_UNKNOWN ? 1 : 0;
}

#define NO_OCR "it is a scan or photo, and --no-ocr was given: its text was not read"

/* A PDF's text from the PDF helper; when its pages hold none (a scan, a fax), the same bytes
 * again to the OCR helper, which renders and reads those pages. */
static int isolate_pdf(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	int rc = readchild_request(READCHILD_PDF, buf, len, out);
	if (rc != 0 || out->status != FACTS_IMAGE_ONLY)
		return rc;
	if (!ocr_on) {
		if (!out->error[0])
			snprintf(out->error, sizeof out->error, NO_OCR);
		return rc;
	}
	return readchild_request(READCHILD_PDF_OCR, buf, len, out);
}

static int isolate_image(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	return readchild_request(READCHILD_IMAGE, buf, len, out);
}

/* --no-ocr: an image is named unread without starting a helper. */
static int image_not_read(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	(void)buf, (void)len;
	memset(out, 0, sizeof *out);
	out->status = FACTS_IMAGE_ONLY;
	out->format = FMT_IMAGE;
	snprintf(out->error, sizeof out->error, NO_OCR);
	return 0;
}

/* The children's environment: ours, and one OCR thread each (recpack runs one child per
 * worker thread; Tesseract's OpenMP would start a thread per core in every one of them). */
static void make_env(void)
{
	size_t n = 0, k = 0;
	while (environ[n] != NULL)
		n++;
	child_env = xcalloc(n + 2, sizeof *child_env);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "OMP_THREAD_LIMIT=", 17) != 0)
			child_env[k++] = environ[i];
	child_env[k++] = (char *)"OMP_THREAD_LIMIT=1";
	child_env[k] = NULL;
}

void readchild_install(const char *pdf_exe, const char *ocr_exe)
{
	pdf_pool.exe = pdf_exe;
	ocr_pool.exe = ocr_exe;
	reader_pdf = isolate_pdf;
	reader_image = ocr_exe ? isolate_image : NULL; /* no helper: photos stay unread, as before */
	if ((pdf_exe != NULL || ocr_exe != NULL) && child_env == NULL)
		make_env();
}

void readchild_ocr(int on)
{
	ocr_on = on;
	if (ocr_pool.exe != NULL)
		reader_image = on ? isolate_image : image_not_read;
}

/* The helper beside this program (the build tree, or one folder for both), else where
 * `make install` puts it. */
int readchild_find(const char *name, char *buf, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%s/%s", self, name) < len &&
			    access(buf, X_OK) == 0)
				return 0;
		}
	}
	if ((size_t)snprintf(buf, len, "%s/%s", RP_LIBEXECDIR, name) < len && access(buf, X_OK) == 0)
		return 0;
	return -1;
}
