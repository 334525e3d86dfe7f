/* SPDX-License-Identifier: GPL-3.0-or-later */
/* workdir.c: see workdir.h. */
#include "sys/workdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/cleanup.h"
#include "sys/rp.h"
#include "sys/util.h"

int workdir_ensure(struct workdir *wd, char *errbuf, size_t errlen)
{
	if (wd->path)
		return RP_OK;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *templ = xasprintf("%s/recpack.XXXXXX", tmp);
	int handle = cleanup_mkdtemp(templ);
	if (handle < 0) {
		snprintf(errbuf, errlen, "cannot create a private temporary folder in %s: %s", tmp,
			 strerror(errno));
		free(templ);
		return RP_EOUTPUT;
	}
	wd->path = templ;
	wd->cleanup = handle;
	return RP_OK;
}

char *workdir_newpath(struct workdir *wd, const char *hint, char *errbuf, size_t errlen)
{
	if (workdir_ensure(wd, errbuf, errlen))
		return NULL;
	return xasprintf("%s/%u-%s", wd->path, ++wd->next, hint);
}

void workdir_remove(struct workdir *wd)
{
	if (!wd->path)
		return;
	cleanup_remove_tree(wd->path);
	cleanup_unregister(wd->cleanup);
	wd->cleanup = 0;
	free(wd->path);
	wd->path = NULL;
}

void workdir_remove_tree(const char *path)
{
	cleanup_remove_tree(path);
}
