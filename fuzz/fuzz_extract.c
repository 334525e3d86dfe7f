/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_extract.c: `recpack extract` on arbitrary bytes as PACKET.zip (encrypted ones with the
 * password the seeds were made with), and packetread_path_safe on the same bytes as a name. It
 * must extract or refuse, never crash or leak, and never write outside DIR: after each input
 * the private folder holds only PACKET.zip and DIR, and DIR only the bag folder (or nothing),
 * never a leftover temp folder. Run with -max_len=65536. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "packet/extract.h"
#include "packet/packetread.h"
#include "sys/cleanup.h"
#include "sys/rp.h"

#define PASSWORD "correct horse battery"

static char dir[4096], path[4200], out[4200];

static void remove_dir(void)
{
	cleanup_remove_tree(dir);
}

static int prepare(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/recpack-fuzz-extract.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/PACKET.zip", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	return atexit(remove_dir);
}

/* How many entries folder has, other than "." and ".."; the name of the last one in name. */
static int entries(const char *folder, char *name, size_t len)
{
	DIR *d = opendir(folder);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		snprintf(name, len, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

static void check_safe_path(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1); /* not strndup: the input has no NUL to stop at */
	FUZZ_REQUIRE(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	if (packetread_path_safe(s)) {
		FUZZ_REQUIRE(s[0] != '\0' && s[0] != '/');
		for (const char *c = s; *c; c++)
			FUZZ_REQUIRE((unsigned char)*c >= 0x20 && *c != 0x7f && *c != '\\');
		for (char *part = strtok(s, "/"); part; part = strtok(NULL, "/"))
			FUZZ_REQUIRE(strcmp(part, "..") != 0 && strcmp(part, ".") != 0);
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		FUZZ_REQUIRE(prepare() == 0);
		ready = 1;
	}
	check_safe_path(data, size);
	FILE *f = fopen(path, "wb");
	FUZZ_REQUIRE(f != NULL);
	FUZZ_REQUIRE(fwrite(data, 1, size, f) == size);
	FUZZ_REQUIRE(fclose(f) == 0);
	struct extract_result r = { 0 };
	char err[1024] = "", name[256] = "";
	int rc = extract_packet(path, PASSWORD, out, &r, err, sizeof(err));
	FUZZ_REQUIRE(rc == RP_OK || rc == RP_EUSAGE || rc == RP_ESOURCE);
	if (rc != RP_OK)
		FUZZ_REQUIRE(err[0] != '\0');
	for (size_t i = 0; i < r.n; i++)
		FUZZ_REQUIRE(r.v[i].path != NULL && r.v[i].problem != NULL);
	/* nothing beside PACKET.zip and DIR; in DIR only the bag, and only on success */
	int n = entries(dir, name, sizeof(name));
	FUZZ_REQUIRE(n == 1 || n == 2);
	n = entries(out, name, sizeof(name));
	FUZZ_REQUIRE(n == (rc == RP_OK));
	if (rc == RP_OK)
		FUZZ_REQUIRE(r.bag != NULL && strcmp(name, r.bag) == 0);
	extract_result_free(&r);
	cleanup_remove_tree(out);
	unlink(path);
	return 0;
}
