/* furniture.c: see furniture.h. */
#include "sources/furniture.h"

#include <string.h>
#include <strings.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Whether c matches the one-character pattern at p ('[...]' with ranges, or a byte); *len
 * is how long that pattern is. */
static int one_char(const char *p, unsigned char c, size_t *len)
{
	if (*p != '[') {
		*len = 1;
		return fold((unsigned char)*p) == fold(c);
	}
	const char *q = p + 1;
	int hit = 0;
	for (; *q && *q != ']'; q++) {
		if (q[1] == '-' && q[2] && q[2] != ']') {
			hit |= fold(c) >= fold((unsigned char)q[0]) && fold(c) <= fold((unsigned char)q[2]);
			q += 2;
		} else {
			hit |= fold((unsigned char)*q) == fold(c);
		}
	}
	*len = (size_t)(q - p) + (*q == ']');
	return hit;
}

/* fnmatch(pat, name, FNM_CASEFOLD) for the patterns below ('*', '[...]', bytes; ASCII letters
 * folded): glibc's case folding goes through wide characters, about 40 calls for every name
 * walked, which was 40% of walking 100,000 small files. */
int source_glob_ci(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		size_t len;
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (*p && one_char(p, (unsigned char)*s, &len)) {
			p += len;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

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
		if (source_glob_ci(pats[i], name))
			return 1;
	return 0;
}

