/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagit.h: the text of any BagIt bag's tag files, read by RFC 8493 (bags 0.93 to 1.0):
 * bagit.txt, bag-info.txt, manifests and tag manifests of every algorithm, fetch.txt, tag
 * files in another character encoding (iconv). Parses text handed in, never touches the file
 * system and never prints: every defect is a note (a failure or a warning) with its path. */
#ifndef BAGIT_H
#define BAGIT_H

#include <stddef.h>
#include <stdint.h>

/* What was found wrong, or worth a warning, while reading a bag. */
struct bagit_note {
	char *path;    /* inside the bag ("manifest-md5.txt:3" for a line) */
	char *problem; /* plain words */
	int warning;   /* 0: a failure (the bag is not valid), 1: a warning */
};
struct bagit_notes {
	struct bagit_note *v;
	size_t n, cap;
};
void bagit_note(struct bagit_notes *ns, int warning, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void bagit_notes_free(struct bagit_notes *ns);

/* The next line of text[*pos .. len): its start and length (without its ending: LF, CR or
 * CRLF, as RFC 8493 allows all three). Returns 0 at the end. */
int bagit_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *linelen);

/* bagit.txt: exactly "BagIt-Version: M.N" and "Tag-File-Character-Encoding: ENC", UTF-8
 * without a byte-order mark. Returns 0 and fills major, minor and encoding (a new string),
 * or -1 with a failure noted (the bag cannot be read further). A version outside 0.93 to 1.0
 * is a failure too. */
int bagit_declaration(const char *text, size_t len, int *major, int *minor, char **encoding,
		      struct bagit_notes *ns);

/* text (len bytes) in encoding turned into UTF-8 (a new NUL-terminated string in *out, its
 * length in *outlen). A UTF-8 byte-order mark is dropped (a warning on name). -1 with a
 * failure noted on name when the encoding is unknown or the text is not in it. */
int bagit_to_utf8(const char *name, const char *text, size_t len, const char *encoding, char **out,
		  size_t *outlen, struct bagit_notes *ns);

/* bag-info.txt (or any "Label: value" tag file): its elements in order, continuation lines
 * (starting with a space or tab) joined to the value with one space. */
struct bagit_info {
	char **label, **value;
	size_t n, cap, vcap;
};
void bagit_parse_info(const char *name, const char *text, size_t len, struct bagit_info *info,
		      struct bagit_notes *ns);
/* The first value of label (compared ignoring ASCII case, as bagit-python does), or NULL; the
 * number of times it appears in *count when count is not NULL. */
const char *bagit_info_get(const struct bagit_info *info, const char *label, size_t *count);
void bagit_info_free(struct bagit_info *info);
/* Payload-Oxum "BYTES.COUNT": 0, or -1 when it is not that. */
int bagit_parse_oxum(const char *value, uint64_t *bytes, uint64_t *count);

/* One manifest: "CHECKSUM<whitespace>PATH" lines. Paths are percent-decoded (%0D %0A %25,
 * any case) in bags 1.0 and later, as the RFC says; checked to stay inside the bag (no
 * absolute path, "..", backslash or control character) and, for a payload manifest, to be
 * under data/. Each line that is wrong is a failure and is left out; a path listed twice is a
 * failure; paths that differ only in case or Unicode normalisation are a warning. */
struct bagit_entry {
	char *path;
	char *hex; /* lower case */
};
struct bagit_manifest {
	char *name; /* "manifest-md5.txt" */
	int alg;    /* digest_alg() */
	int payload;
	struct bagit_entry *v;
	size_t n, cap;
};
void bagit_parse_manifest(struct bagit_manifest *m, const char *text, size_t len, int percent_encoded,
			  struct bagit_notes *ns);
void bagit_manifest_free(struct bagit_manifest *m);

/* "manifest-ALG.txt" (payload 1) or "tagmanifest-ALG.txt" (payload 0): writes ALG into alg
 * (at most algmax bytes with the NUL) and returns 1; 0 for any other name. */
int bagit_manifest_name(const char *name, int *payload, char *alg, size_t algmax);

/* fetch.txt: "URL LENGTH PATH" lines (LENGTH a number or "-": -1). */
struct bagit_fetch_entry {
	char *url;
	int64_t length;
	char *path;
};
struct bagit_fetch {
	struct bagit_fetch_entry *v;
	size_t n, cap;
};
void bagit_parse_fetch(const char *text, size_t len, int percent_encoded, struct bagit_fetch *f,
		       struct bagit_notes *ns);
void bagit_fetch_free(struct bagit_fetch *f);

#endif
