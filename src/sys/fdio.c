/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fdio.c: see fdio.h. */
#include "sys/fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "sys/util.h"

ssize_t fd_read(int fd, void *buf, size_t n)
{
	ssize_t got;
	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

ssize_t fd_pread_full(int fd, void *buf, size_t n, off_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int fd_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fd_each_chunk(int fd, size_t chunk, int (*fn)(void *arg, const unsigned char *p, size_t n), void *arg)
{
	unsigned char *buf = malloc(chunk);
	int rc = -1;
	if (!buf)
		return -1;
	for (;;) {
		ssize_t n = fd_read(fd, buf, chunk);
		if (n <= 0) {
			rc = (int)n;
			break;
		}
		if (fn(arg, buf, (size_t)n) != 0)
			break;
	}
	free(buf);
	return rc;
}

int fd_copy(int in, int out)
{
	char buf[65536];
	for (;;) {
		ssize_t n = fd_read(in, buf, sizeof(buf));
		if (n <= 0)
			return (int)n;
		if (fd_write_all(out, buf, (size_t)n) < 0)
			return -1;
	}
}

int fd_read_small(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = max < 65536 ? max + 1 : 65536, n = 0;
	char *buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap = cap > max - cap ? max + 1 : cap * 2; /* one byte over max tells "too big" */
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t got = fd_read(fd, buf + n, cap - n);
		if (got < 0) {
			free(buf);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int file_read_small(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fd_read_small(fd, max, out, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
