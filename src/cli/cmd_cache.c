/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_cache.c: `recpack cache clear|path`: the download cache holds health records, so the
 * patient must be able to remove it with one command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "sources/dlcache.h"
#include "sys/rp.h"

static const char usage[] =
	"Usage: recpack cache clear | path\n"
	"Downloads from portals are kept in a private cache so a re-run fetches only what\n"
	"changed. The cache holds health records:\n"
	"  clear   remove every cached download\n"
	"  path    print where the cache is\n";

int cmd_cache(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return RP_OK;
	}
	if (argc != 2 || (strcmp(argv[1], "clear") != 0 && strcmp(argv[1], "path") != 0))
		return cli_usage_error("cache", "say 'recpack cache clear' or 'recpack cache path'");
	char *dir = dlcache_dir();
	if (!dir) {
		cli_error("there is no cache: neither XDG_CACHE_HOME nor HOME is set");
		return RP_EUSAGE;
	}
	int rc = RP_OK;
	if (strcmp(argv[1], "path") == 0) {
		printf("%s\n", dir);
	} else {
		char err[600];
		size_t n = 0;
		rc = dlcache_clear(dir, &n, err, sizeof(err));
		if (rc)
			cli_error("%s", err);
		else
			fprintf(stderr, "recpack: removed %zu cached download%s from %s\n", n, n == 1 ? "" : "s", dir);
	}
	free(dir);
	return rc;
}
