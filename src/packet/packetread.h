/* SPDX-License-Identifier: GPL-3.0-or-later */
/* packetread.h: reading a packet that was written: is it encrypted, where is its bag, one
 * tag file of it (packet.json for list), an entry opened safely. ZIP or extracted folder.
 * Reads only; never prints; a missing or wrong password is RP_EUSAGE, not damage. */
#ifndef PACKETREAD_H
#define PACKETREAD_H

#include <stddef.h>

#include <jansson.h>
#include <zip.h>

/* Bounds on what a packet read back may cost (SECURITY.md lists them). A packet is hostile
 * until checked: these hold whatever its central directory claims. */
#define PACKETREAD_MAX_PATH 4096        /* bytes in one path inside the bag */
#define PACKETREAD_MAX_DEPTH 64         /* folders in one path */
#define PACKETREAD_MAX_JSON (16u << 20) /* packet.json, uncompressed */
#define PACKETREAD_MAX_MANIFEST (256u << 20) /* a manifest: 1M files with paths of ~190 bytes */
#define PACKETREAD_JSON_DEPTH 32        /* nesting in packet.json */
#define PACKETREAD_JSON_VALUES 1000000  /* values (strings, numbers, objects, arrays) in it */
#define PACKETREAD_JSON_CONTAINERS 250000 /* objects and arrays in it: each costs ~200 bytes */
/* packet.json read one document at a time (packetread_json_each, for list and extract): the
 * text may be as big as 1.5 million documents make it (about 530 bytes each), while what is
 * parsed at once is one document, or the object around the documents within the bounds above. */
#define PACKETREAD_MAX_JSON_STREAMED (1024u << 20)
#define PACKETREAD_DOC_VALUES 10000     /* values in one document of packet.json */

/* The one judgement of what is safe in a packet, used by verify and extract alike. */

/* Is rel a safe relative path to create: non-empty '/'-separated components, none empty, ".",
 * "..", or holding a backslash or a control character; at most PACKETREAD_MAX_DEPTH deep and
 * PACKETREAD_MAX_PATH bytes. */
int packetread_path_safe(const char *rel);
/* Is bag a safe name for the bag folder: "" (a bag at the top) or one safe component that
 * does not start with a dot. */
int packetread_bag_safe(const char *bag);
/* Why entry idx of za, at rel inside the bag, must not be unpacked (plain words, static), or
 * NULL when it is safe: an unsafe name, a symbolic link, a device, pipe or socket. */
const char *packetread_entry_problem(zip_t *za, zip_uint64_t idx, const char *rel);

/* Parse packet.json (text, len bytes) within the bounds above. Returns the root object, or
 * NULL with errbuf saying plainly what is wrong with it. */
json_t *packetread_json(const char *text, size_t len, char *errbuf, size_t errlen);
/* Parse packet.json (len bytes, up to PACKETREAD_MAX_JSON_STREAMED) one value at a time, so
 * that memory does not grow with the documents: fn(doc, arg) is called with each element of
 * the top-level "documents" array in order (borrowed: json_incref it to keep it; fn NULL: the
 * documents are only checked for their shape, not parsed), and *top,
 * when top is not NULL, receives the top-level object without "documents". fn returns 0 to go
 * on; anything else stops and is returned. Returns 0, or -1 with errbuf saying plainly what is
 * wrong with packet.json. */
int packetread_json_each(const char *text, size_t len, json_t **top, int (*fn)(json_t *doc, void *arg), void *arg,
			 char *errbuf, size_t errlen);
/* A tag file read a window at a time (packetread_tag_stream, packetread_stream_zip). */
struct packetread_stream;
/* packetread_json_each over a stream: memory holds one value (a document, or a member of the
 * object around them), never the whole text. Returns as packetread_json_each; a stream that
 * fails to read is an error in errbuf too. The stream is read to its end (or the error). */
int packetread_json_each_stream(struct packetread_stream *src, json_t **top, int (*fn)(json_t *doc, void *arg),
				void *arg, char *errbuf, size_t errlen);
/* Entry idx of za as a stream of at most PACKETREAD_MAX_JSON_STREAMED bytes, or NULL with
 * za's error (a missing or wrong password among them). za must outlive it. */
struct packetread_stream *packetread_stream_zip(zip_t *za, zip_uint64_t idx);
/* As packetread_tag_pw, the tag file opened as a stream (*out) instead of read whole, with
 * the same answers and messages. Close it with packetread_stream_close. */
int packetread_tag_stream(const char *path, const char *password, const char *name, size_t max,
			  struct packetread_stream **out, char *errbuf, size_t errlen);
/* Up to n more bytes of the stream (never past its bound): bytes read, 0 at the end, -1 when
 * it cannot be read (damaged). */
long long packetread_stream_read(struct packetread_stream *s, void *buf, size_t n);
void packetread_stream_close(struct packetread_stream *s);
/* Streams over the file at path (NULL with errno), or over fn(arg, buf, n) (bytes read, 0 at
 * the end, -1 on an error), each bounded by PACKETREAD_MAX_JSON_STREAMED. */
struct packetread_stream *packetread_stream_file(const char *path);
struct packetread_stream *packetread_stream_fn(long long (*fn)(void *arg, void *buf, size_t n), void *arg);
/* packet.json from src checked as list and extract read it, one document at a time: valid,
 * within the bounds, its names safe to restore. 0, or -1 with errbuf. */
int packetread_json_check_stream(struct packetread_stream *src, char *errbuf, size_t errlen);

/* Why packet.json's names ("original_bag", each document's "original_path") are unsafe to
 * restore, in errbuf, returning -1; 0 when they are safe. */
int packetread_names_problem(json_t *root, char *errbuf, size_t errlen);

/* 1 when path is a ZIP with at least one encrypted entry, else 0 (folders, unreadable files). */
int packetread_is_encrypted(const char *path);

/* The bag folder inside za: the one top-level folder holding bagit.txt ("NAME/"), "" for a
 * bag at the top, NULL when there is none. Free it. */
char *packetread_bag_root(zip_t *za);

/* zip_fopen_index(za, idx, 0), except that an entry encrypted with a method libzip cannot
 * decrypt is refused up front (NULL, ZIP_ER_ENCRNOTSUPP in za's error): libzip 1.7 leaks on
 * that path once a password is set. */
zip_file_t *packetread_zip_fopen(zip_t *za, zip_uint64_t idx);
/* The same with zip_fopen_index's flags: ZIP_FL_COMPRESSED reads the deflate data as stored
 * (decrypted, not inflated, its CRC not checked: the caller checks it). */
zip_file_t *packetread_zip_fopen_flags(zip_t *za, zip_uint64_t idx, zip_flags_t flags);

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
