/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagtar.c: see bagtar.h. */
#include "packet/bagtar.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "sys/util.h"

#define READ_BLOCK (64 * 1024)

struct bagtar {
	struct archive *a;
};

int bagtar_sniff(const char *path)
{
	unsigned char h[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, h, sizeof(h));
	close(fd);
	if (n >= 4 && h[0] == 0x1f && h[1] == 0x8b)
		return 1; /* gzip */
	if (n >= 4 && memcmp(h, "BZh", 3) == 0)
		return 1;
	if (n >= 6 && memcmp(h, "\xFD" "7zXZ\0", 6) == 0)
		return 1;
	if (n >= 4 && memcmp(h, "\x28\xB5\x2F\xFD", 4) == 0)
		return 1; /* zstd */
	return n == 512 && memcmp(h + 257, "ustar", 5) == 0;
}

struct bagtar *bagtar_open(const char *path, char *errbuf, size_t errlen)
{
	struct bagtar *t = xmalloc(sizeof(*t));
	t->a = archive_read_new();
	archive_read_support_filter_gzip(t->a);
	archive_read_support_filter_bzip2(t->a);
	archive_read_support_filter_xz(t->a);
	archive_read_support_filter_zstd(t->a);
	archive_read_support_format_tar(t->a);
	if (archive_read_open_filename(t->a, path, READ_BLOCK) != ARCHIVE_OK) {
		snprintf(errbuf, errlen, "%s", archive_error_string(t->a) ? archive_error_string(t->a) : "not a tar file");
		bagtar_close(t);
		return NULL;
	}
	return t;
}

int bagtar_next(struct bagtar *t, struct bagtar_entry *e, char *errbuf, size_t errlen)
{
	struct archive_entry *ae;
	int rc = archive_read_next_header(t->a, &ae);
	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		snprintf(errbuf, errlen, "%s", archive_error_string(t->a) ? archive_error_string(t->a) : "damaged");
		return -1;
	}
	const char *name = archive_entry_pathname(ae);
	name = name ? name : "";
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	e->name = name;
	mode_t type = archive_entry_filetype(ae);
	e->type = type == AE_IFREG ? BAGTAR_FILE : type == AE_IFDIR ? BAGTAR_DIR : type == AE_IFLNK ? BAGTAR_LINK
												     : BAGTAR_OTHER;
	if (archive_entry_hardlink(ae))
		e->type = BAGTAR_LINK;
	e->size = archive_entry_size(ae);
	return 1;
}

ssize_t bagtar_read(struct bagtar *t, void *buf, size_t n, char *errbuf, size_t errlen)
{
	la_ssize_t got = archive_read_data(t->a, buf, n);
	if (got < 0) {
		snprintf(errbuf, errlen, "%s", archive_error_string(t->a) ? archive_error_string(t->a) : "damaged");
		return -1;
	}
	return (ssize_t)got;
}

void bagtar_close(struct bagtar *t)
{
	if (t) {
		archive_read_free(t->a);
		free(t);
	}
}
