/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_archive.c: archive expansion (source_archive_gather: libarchive's ZIP, tar, 7z, ISO 9660
 * and compressed readers, our own entry-name checks, the central-directory overlap check and
 * the zip-bomb bounds) on arbitrary bytes written as one file in a private folder. It must
 * expand or refuse, never crash, leak or write outside its private temp folder: every
 * document it gathers lies inside that folder under a relpath with no "..", a refusal adds a
 * problem, and after the temp folder is removed the private folder holds only the input.
 * --max-expand is 64 MiB here, so a bomb costs a run little. Run with -max_len=65536. */
#include "fuzz.h"

#include <dirent.h>
#include <unistd.h>

#include "sources/source.h"
#include "sources/source_archive.h"
#include "sys/cleanup.h"
#include "sys/rp.h"
#include "sys/util.h"

static char dir[4096], path[4200];

static void remove_dir(void)
{
	cleanup_remove_tree(dir);
}

static int prepare(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/recpack-fuzz-archive.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/input", dir);
	if (setenv("TMPDIR", dir, 1) < 0) /* the workdir (the expansion) goes in here too */
		return -1;
	return atexit(remove_dir);
}

static int entries(const char *folder)
{
	DIR *d = opendir(folder);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static void check_document(const struct document *d, const char *wd)
{
	size_t n = strlen(wd);
	FUZZ_REQUIRE(strncmp(d->path, wd, n) == 0 && d->path[n] == '/');
	FUZZ_REQUIRE(d->relpath[0] != '/' && strncmp(d->relpath, "../", 3) != 0);
	FUZZ_REQUIRE(strstr(d->relpath, "/../") == NULL);
	FUZZ_REQUIRE(access(d->path, R_OK) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		FUZZ_REQUIRE(prepare() == 0);
		ready = 1;
	}
	FILE *f = fopen(path, "wb");
	FUZZ_REQUIRE(f != NULL);
	FUZZ_REQUIRE(fwrite(data, 1, size, f) == size);
	FUZZ_REQUIRE(fclose(f) == 0);

	struct fetch_opts fetch = { .max_expand = 64u << 20 };
	struct workdir wd = { 0 };
	struct doclist docs = { 0 };
	struct problems probs = { 0 };
	struct gather g = { .fetch = &fetch, .wd = &wd, .docs = &docs, .probs = &probs };
	int rc = RP_OK;
	if (source_archive_detect(path))
		rc = source_archive_gather(&g, path, "input.zip", "input.zip", NULL);
	FUZZ_REQUIRE(rc == RP_OK || rc == RP_ESOURCE || rc == RP_EOUTPUT);
	if (rc != RP_OK)
		FUZZ_REQUIRE(probs.n > 0);
	FUZZ_REQUIRE(g.archive_depth == 0);
	for (size_t i = 0; i < docs.n; i++)
		check_document(&docs.v[i], wd.path);
	for (size_t i = 0; i < probs.n; i++)
		FUZZ_REQUIRE(probs.v[i].message && strchr(probs.v[i].message, '\n') == NULL &&
			     strchr(probs.v[i].message, '\033') == NULL);
	strlist_free(&g.skipped);
	doclist_free(&docs);
	problems_free(&probs);
	workdir_remove(&wd);
	FUZZ_REQUIRE(entries(dir) == 1); /* the input, nothing else */
	unlink(path);
	return 0;
}
