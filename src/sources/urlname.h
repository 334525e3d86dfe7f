/* SPDX-License-Identifier: GPL-3.0-or-later */
/* urlname.h: the text side of downloads: URLs redacted for people, and safe file names
 * from Content-Disposition (RFC 6266) or the URL path. Pure string functions, bounded by
 * the input; they never touch the network or the file system. */
#ifndef URLNAME_H
#define URLNAME_H

#include <stddef.h>

/* Longest file name (bytes) a download is given. */
#define URLNAME_MAX 200

/* The URL without userinfo, query string or fragment: what may be shown and recorded. */
char *url_redact(const char *url);

/* 1 when the URL starts with http:// or https:// (any case). */
int url_scheme_ok(const char *url);

/* The scheme as written ("ftp"), for messages; a new string, "" when there is none. */
char *url_scheme(const char *url);

/* The last non-empty path segment, percent-decoded and sanitised; NULL when none. */
char *url_path_name(const char *url);

/* The file name a Content-Disposition header value gives (filename* preferred, UTF-8 or
 * ISO-8859-1), sanitised; NULL when it names none or the value is malformed. */
char *disposition_filename(const char *value);

/* A file name safe on every system: last path component only, no control or reserved
 * characters, no leading dots, valid UTF-8, at most URLNAME_MAX bytes. NULL if nothing is left. */
char *name_sanitize(const char *name, size_t len);

#endif
