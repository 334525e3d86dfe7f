/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fdio.h: reading and writing file descriptors whole, retrying interrupted calls.
 * fdio.c only moves bytes between descriptors and buffers it is given; errno says why on -1. */
#ifndef FDIO_H
#define FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* read(2), retried on EINTR: bytes read, 0 at the end, -1 on error. */
ssize_t fd_read(int fd, void *buf, size_t n);
/* Up to n bytes at off, fewer only at the end of the file; -1 on error. */
ssize_t fd_pread_full(int fd, void *buf, size_t n, off_t off);
/* All n bytes, or -1. */
int fd_write_all(int fd, const void *buf, size_t n);
/* Read fd to its end in chunks of at most chunk bytes (in a buffer of its own), handing each
 * to fn; 0, or -1 on a read error or when fn returns nonzero (fn sets errno then). */
int fd_each_chunk(int fd, size_t chunk, int (*fn)(void *arg, const unsigned char *p, size_t n), void *arg);
/* A small file whole: all of fd, or of the file at path, and never more than max bytes.
 * 0 with *out (NUL-terminated; free it) and *len, or -1 with errno (EFBIG: more than max).
 * The one reader for token, header, questions, sources, roster and tag files. */
int fd_read_small(int fd, size_t max, char **out, size_t *len);
int file_read_small(const char *path, size_t max, char **out, size_t *len);
/* Everything from in to out, or -1. */
int fd_copy(int in, int out);

#endif
