/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scripts/bench-limit.c: the limit `make bench` holds recpack build to (issue 20): read every
 * file, SHA-256 it (OpenSSL, as recpack) and deflate it with libdeflate at level 1 (as recpack's
 * default), on every core, writing nothing. A file is one piece of work; a file over 8 MiB is
 * cut into 1 MiB pieces, so one big file also spreads over the cores (its SHA-256 is then taken
 * piece by piece: a little less work than the one in-order hash recpack must compute).
 * A bench tool only, never part of recpack.
 *
 * usage: bench-limit LISTFILE   (one path a line; prints the bytes read and deflated) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <openssl/evp.h>

#define PIECE (1u << 20)
#define BIG (8u << 20)

struct unit {
	char *path;
	off_t off;
	size_t len;
};

static struct unit *units;
static size_t nunits, next_unit;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long total_in, total_out;

static void add(char *path, off_t off, size_t len)
{
	static size_t cap;
	if (nunits == cap) {
		cap = cap ? cap * 2 : 1024;
		units = realloc(units, cap * sizeof(*units));
		if (!units)
			exit(1);
	}
	units[nunits++] = (struct unit){ path, off, len };
}

static void *work(void *arg)
{
	(void)arg;
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t cap = 0;
	unsigned char *in = NULL, *out = NULL, digest[32];
	unsigned long long sum_in = 0, sum_out = 0;
	for (;;) {
		pthread_mutex_lock(&mu);
		size_t i = next_unit < nunits ? next_unit++ : nunits;
		pthread_mutex_unlock(&mu);
		if (i == nunits)
			break;
		struct unit *u = &units[i];
		size_t bound = libdeflate_deflate_compress_bound(c, u->len);
		if (bound > cap) {
			free(in);
			free(out);
			cap = bound;
			in = malloc(cap);
			out = malloc(cap);
		}
		int fd = open(u->path, O_RDONLY);
		size_t got = 0;
		ssize_t n;
		while (fd >= 0 && got < u->len && (n = pread(fd, in + got, u->len - got, u->off + (off_t)got)) > 0)
			got += (size_t)n;
		if (fd >= 0)
			close(fd);
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		EVP_DigestUpdate(md, in, got);
		EVP_DigestFinal_ex(md, digest, NULL);
		sum_in += got;
		sum_out += got ? libdeflate_deflate_compress(c, in, got, out, cap) : 0;
	}
	pthread_mutex_lock(&mu);
	total_in += sum_in;
	total_out += sum_out;
	pthread_mutex_unlock(&mu);
	EVP_MD_CTX_free(md);
	libdeflate_free_compressor(c);
	free(in);
	free(out);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench-limit LISTFILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	char line[4096];
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		struct stat sb;
		if (!*line || stat(line, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		char *path = strdup(line);
		if ((size_t)sb.st_size <= BIG) {
			add(path, 0, (size_t)sb.st_size);
			continue;
		}
		for (off_t off = 0; off < sb.st_size; off += PIECE)
			add(path, off, sb.st_size - off < PIECE ? (size_t)(sb.st_size - off) : PIECE);
	}
	if (f)
		fclose(f);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t t[256];
	int n = cores < 1 ? 1 : cores > 256 ? 256 : (int)cores;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("%llu bytes read, %llu deflated\n", total_in, total_out);
	return 0;
}
