/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readchild_loop.c: see readchild.h. The helper child's side: requests on fd 0, facts on
 * fd 1, each document under a CPU limit and an alarm, the whole child under an address-space
 * limit. Linked into the helper programs recpack-read (src/readhelper.c) and recpack-ocr
 * (src/ocrhelper.c), which each hand it their reader; never into recpack. */
#include "cli/readchild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sys/fdio.h"
#include "sys/util.h"

static int read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t got = fd_read(fd, p, n);
		if (got <= 0)
			return -1;
		p += got, n -= (size_t)got;
	}
	return 0;
}

/* RLIMIT_CPU counts from the child's start: allow seconds more than used so far. */
static void limit_cpu(int seconds)
{
	struct rusage ru;
	struct rlimit rl;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	rl.rlim_cur = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1 + seconds);
	rl.rlim_max = rl.rlim_cur + 5;
	setrlimit(RLIMIT_CPU, &rl);
}

/* RLIMIT_AS counts what is mapped already (AddressSanitizer maps terabytes of shadow at
 * start): allow READCHILD_MEMORY more than the address space in use now. */
static void limit_memory(void)
{
	unsigned long pages = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f == NULL)
		return;
	if (fscanf(f, "%lu", &pages) == 1) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + READCHILD_MEMORY;
		setrlimit(RLIMIT_AS, &rl);
	}
	fclose(f);
}

int readchild_main(readchild_reader read_one)
{
	struct readchild_request rq;
	limit_memory();
	while (read_full(0, &rq, sizeof rq) == 0) {
		struct doc_facts f;
		unsigned char *buf;
		if (rq.magic != READCHILD_MAGIC || rq.len > READCHILD_MAX_BYTES)
			return 2;
		buf = xmalloc(rq.len ? rq.len : 1);
		if (read_full(0, buf, rq.len) != 0)
			return 2;
		int seconds = rq.kind == READCHILD_PDF ? READCHILD_SECONDS : READCHILD_OCR_SECONDS;
		limit_cpu(seconds);
		alarm((unsigned)seconds);
		if (rq.kind == READCHILD_CRASH)
			abort();
		memset(&f, 0, sizeof f);
		read_one(rq.kind, buf, rq.len, &f);
		alarm(0);
		free(buf);
		if (fd_write_all(1, &f, sizeof f) != 0)
			return 2;
	}
	return 0;
}
