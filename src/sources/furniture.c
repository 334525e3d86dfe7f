/* SPDX-License-Identifier: GPL-3.0-or-later */
/* furniture.c: see furniture.h. */
#include "sources/furniture.h"

#include <string.h>
#include <strings.h>

#include "sys/util.h"

int source_is_junk(const char *name)
{
	static const char *const junk[] = { ".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX",
					    "ehthumbs.db", "$RECYCLE.BIN", "System Volume Information" };
	if (name[0] == '.')
		return 1;
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		if (strcasecmp(name, junk[i]) == 0)
			return 1;
	return 0;
}

int source_is_furniture(const char *name, int is_dir)
{
	static const char *const files[] = {
		"autorun.inf", "*.exe", "*.dll", "*.ico", "*.icns", "*.msi", "*.ocx", "*.sys",
		"*.cab", "*.bat", "*.cmd", "*.com", "*.jar", "*.dylib", "*.so", "*.lnk", "*.scr",
		"*.vbs", "*.cpl", "*.drv",
	};
	static const char *const dirs[] = {
		"*.app", "*viewer*", "jre", "jre[0-9-]*", "java", "jdk*", "efilm*", "weasis*",
		"radiant*", "microdicom*", "osirix*", "horos*", "k-pacs*", "kpacs*", "iq-view*",
		"*dicomworks*", "program files*",
	};
	const char *const *pats = is_dir ? dirs : files;
	size_t n = is_dir ? sizeof(dirs) / sizeof(dirs[0]) : sizeof(files) / sizeof(files[0]);
	for (size_t i = 0; i < n; i++)
		if (str_fnmatch_ci(pats[i], name))
			return 1;
	return 0;
}

