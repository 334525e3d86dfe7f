/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cleanup.c: cleanup_remove_tree, the removal the signal handler runs, on a tree the
 * input describes: one op a byte (go down into a new folder, come up, a file, a link out of
 * the tree, a link up, a folder named like the removal's own ".recpack-rm.N", a folder left
 * read-only or unreadable). The tree must be gone afterwards, and the folder and file the
 * links point to must be untouched. Depth is bounded only by the input's length. */
#include "fuzz.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/cleanup.h"

#define MAX_DEPTH 4096

static char base[4096], root[4200], outside[4200], keep[4300];

static void remove_base(void)
{
	cleanup_remove_tree(base);
}

static int prepare(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(base, sizeof(base), "%s/recpack-fuzz-cleanup.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base))
		return -1;
	snprintf(root, sizeof(root), "%s/tree", base);
	snprintf(outside, sizeof(outside), "%s/outside", base);
	snprintf(keep, sizeof(keep), "%s/outside/keep.pdf", base);
	if (mkdir(outside, 0700) != 0)
		return -1;
	int fd = open(keep, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "keep", 4) != 4)
		return -1;
	close(fd);
	return atexit(remove_base);
}

struct level {
	int fd;
	mode_t mode_on_leave; /* 0700, or what the input asked for once it is filled */
};

static void name_of(char *out, size_t len, char kind, unsigned n)
{
	snprintf(out, len, "%c%u", kind, n);
}

static void build(const uint8_t *data, size_t size, struct level *stack)
{
	int top = 0;
	unsigned n = 0;
	char name[32];
	stack[0].fd = open(root, O_RDONLY | O_DIRECTORY);
	stack[0].mode_on_leave = 0700;
	for (size_t i = 0; i < size && stack[0].fd >= 0; i++) {
		int fd = stack[top].fd, op = data[i] % 8;
		n++;
		if (op == 0 || op == 6) { /* down into a new folder */
			if (op == 0)
				name_of(name, sizeof(name), 'd', n);
			else
				snprintf(name, sizeof(name), ".recpack-rm.%u", (unsigned)(data[i] >> 3) % 8);
			if (top + 1 >= MAX_DEPTH || mkdirat(fd, name, 0700) != 0)
				continue;
			int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (sub < 0)
				continue;
			stack[++top].fd = sub;
			stack[top].mode_on_leave = 0700;
		} else if (op == 1 && top > 0) { /* up */
			fchmod(stack[top].fd, stack[top].mode_on_leave);
			close(stack[top--].fd);
		} else if (op == 2) {
			name_of(name, sizeof(name), 'f', n);
			int f = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL, (mode_t)(data[i] >> 3) & 0700);
			if (f >= 0)
				close(f);
		} else if (op == 3) {
			name_of(name, sizeof(name), 'l', n);
			symlinkat(data[i] & 8 ? outside : keep, fd, name);
		} else if (op == 4) {
			name_of(name, sizeof(name), 'u', n);
			symlinkat("..", fd, name);
		} else if (op == 5) {
			stack[top].mode_on_leave = data[i] & 8 ? 0500 : 0;
		} else if (op == 7) {
			name_of(name, sizeof(name), 'p', n);
			mkfifoat(fd, name, 0600);
		}
	}
	for (; top >= 0; top--) {
		if (top > 0)
			fchmod(stack[top].fd, stack[top].mode_on_leave);
		if (stack[top].fd >= 0)
			close(stack[top].fd);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct level stack[MAX_DEPTH];
	if (!ready && (ready = prepare() == 0 ? 1 : -1) < 0)
		abort();
	if (mkdir(root, 0700) != 0)
		abort();
	build(data, size, stack);
	FUZZ_REQUIRE(cleanup_remove_tree(root) == 0);
	FUZZ_REQUIRE(access(root, F_OK) != 0);
	FUZZ_REQUIRE(access(keep, F_OK) == 0);
	struct stat sb;
	FUZZ_REQUIRE(stat(outside, &sb) == 0 && S_ISDIR(sb.st_mode));
	return 0;
}
