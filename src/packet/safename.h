/* SPDX-License-Identifier: GPL-3.0-or-later */
/* safename.h: file names that are safe inside the packet on Windows, macOS and Linux:
 * Unicode NFC (libunistring), no :*?"<>|\%, control, line-separator or bidirectional characters
 * (so no BagIt manifest line needs percent-encoding), no trailing dots or spaces,
 * no device names (CON, NUL...), bounded length, and unique ignoring case.
 * It only transforms strings; it never touches the file system. */
#ifndef SAFENAME_H
#define SAFENAME_H

#include <stddef.h>

/* One path component made safe; a new string, never empty. */
char *safename_component(const char *name);

/* A set of packet paths, compared ignoring case (Unicode case folding, after NFC). */
struct nameset {
	char **keys;
	size_t n, cap; /* open addressing; cap is a power of two */
};

/* Claim path (made of safe components) or, when it or a folder of the same name is taken,
 * "stem (2).ext", "stem (3).ext"...; every parent folder is claimed as a folder. Returns the
 * path actually claimed (new string). */
char *nameset_claim_file(struct nameset *s, const char *path);
/* Claim a folder path the same way (for a disc tree): "CD", "CD (2)"... */
char *nameset_claim_dir(struct nameset *s, const char *path);
/* Is the file path already taken? */
int nameset_has(const struct nameset *s, const char *path);
void nameset_free(struct nameset *s);

#endif
