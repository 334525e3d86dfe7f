/* packetread.h: reading a packet that was written: is it encrypted, where is its bag, one
 * tag file of it (packet.json for list), an entry opened safely. ZIP or extracted folder.
 * Reads only; never prints; a missing or wrong password is RP_EUSAGE, not damage. */
#ifndef PACKETREAD_H
#define PACKETREAD_H

#include <stddef.h>

#include <zip.h>

/* 1 when path is a ZIP with at least one encrypted entry, else 0 (folders, unreadable files). */
int packetread_is_encrypted(const char *path);

/* The bag folder inside za: the one top-level folder holding bagit.txt ("NAME/"), "" for a
 * bag at the top, NULL when there is none. Free it. */
char *packetread_bag_root(zip_t *za);

/* zip_fopen_index(za, idx, 0), except that an entry encrypted with a method libzip cannot
 * decrypt is refused up front (NULL, ZIP_ER_ENCRNOTSUPP in za's error): libzip 1.7 leaks on
 * that path once a password is set. */
zip_file_t *packetread_zip_fopen(zip_t *za, zip_uint64_t idx);

/* What to tell the user for ZIP_ER_NOPASSWD or ZIP_ER_WRONGPASSWD, after the packet's path. */
const char *packetread_password_problem(int ze);

/* Read one tag file of the packet (e.g. "packet.json", relative to the bag), at most max
 * bytes. Returns RP_OK with *out (NUL-terminated, free it), or RP_ESOURCE with errbuf. */
int packetread_tag(const char *path, const char *name, size_t max, char **out, size_t *len,
		   char *errbuf, size_t errlen);
/* The same for an encrypted packet (password may be NULL); RP_EUSAGE for a missing or wrong
 * password. */
int packetread_tag_pw(const char *path, const char *password, const char *name, size_t max,
		      char **out, size_t *len, char *errbuf, size_t errlen);

#endif
