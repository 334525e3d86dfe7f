/* workdir.c: see workdir.h. */
#include "workdir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rp.h"
#include "util.h"

int workdir_ensure(struct workdir *wd, char *errbuf, size_t errlen)
{
	if (wd->path)
		return RP_OK;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *templ = xasprintf("%s/recpack.XXXXXX", tmp);
	if (!mkdtemp(templ)) {
		snprintf(errbuf, errlen, "cannot create a private temporary folder in %s: %s", tmp,
			 strerror(errno));
		free(templ);
		return RP_EOUTPUT;
	}
	chmod(templ, 0700); /* mkdtemp already uses 0700; say it anyway, whatever the umask */
	wd->path = templ;
	return RP_OK;
}

char *workdir_newpath(struct workdir *wd, const char *hint, char *errbuf, size_t errlen)
{
	if (workdir_ensure(wd, errbuf, errlen))
		return NULL;
	return xasprintf("%s/%u-%s", wd->path, ++wd->next, hint);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

void workdir_remove_tree(const char *path)
{
	nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void workdir_remove(struct workdir *wd)
{
	if (!wd->path)
		return;
	workdir_remove_tree(wd->path);
	free(wd->path);
	wd->path = NULL;
}
