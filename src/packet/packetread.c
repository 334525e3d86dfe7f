/* SPDX-License-Identifier: GPL-3.0-or-later */
/* packetread.c: see packetread.h. */
#include "packet/packetread.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

int packetread_path_safe(const char *rel)
{
	size_t depth = 0, len = strlen(rel);
	if (len == 0 || len > PACKETREAD_MAX_PATH || rel[0] == '/')
		return 0;
	const char *p = rel;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') ||
		    ++depth > PACKETREAD_MAX_DEPTH)
			return 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
				return 0;
		if (!end)
			break;
		if (!end[1])
			return 0; /* a trailing '/' */
		p = end + 1;
	}
	return 1;
}

int packetread_bag_safe(const char *bag)
{
	return !*bag || (packetread_path_safe(bag) && !strchr(bag, '/') && bag[0] != '.');
}

const char *packetread_entry_problem(zip_t *za, zip_uint64_t idx, const char *rel)
{
	zip_uint8_t opsys;
	zip_uint32_t attr;
	if (!packetread_path_safe(rel))
		return "has an unsafe name (an absolute path, \"..\", a backslash or control characters)";
	if (zip_file_get_external_attributes(za, idx, 0, &opsys, &attr) < 0 || opsys != ZIP_OPSYS_UNIX)
		return NULL; /* other systems' attributes carry no file type */
	mode_t type = (mode_t)(attr >> 16) & S_IFMT;
	if (type == S_IFLNK)
		return "is a symbolic link (unzip would make it point anywhere, outside the packet too)";
	if (type && type != S_IFREG)
		return "is not a regular file (a device, pipe or socket entry)";
	return NULL;
}

/* Check what parsing text would cost before jansson builds it: nesting depth, values, and
 * objects and arrays (each ~200 bytes in jansson, from 2 bytes of text). */
static int json_cost_problem(const char *text, size_t len, char *errbuf, size_t errlen)
{
	size_t values = 0, containers = 0, depth = 0;
	int in_str = 0;
	char prev = ',';
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0, prev = '"';
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '{' || c == '[') {
			values++;
			containers++;
			if (++depth > PACKETREAD_JSON_DEPTH) {
				snprintf(errbuf, errlen, "packet.json is nested more than %d deep", PACKETREAD_JSON_DEPTH);
				return -1;
			}
		} else if (c == '}' || c == ']') {
			depth -= depth > 0;
		} else if (c == '"') {
			values++;
			in_str = 1;
		} else if (prev == ',' || prev == ':' || prev == '[') {
			values++; /* a number, true, false or null */
		}
		prev = c;
		if (values > PACKETREAD_JSON_VALUES || containers > PACKETREAD_JSON_CONTAINERS) {
			snprintf(errbuf, errlen, "packet.json holds more than %s",
				 containers > PACKETREAD_JSON_CONTAINERS ? "250000 objects and arrays" : "1000000 values");
			return -1;
		}
	}
	return 0;
}

json_t *packetread_json(const char *text, size_t len, char *errbuf, size_t errlen)
{
	char why[128];
	json_error_t je;
	if (len > PACKETREAD_MAX_JSON) {
		snprintf(errbuf, errlen, "packet.json is bigger than the %u MiB recpack reads: it is damaged or made "
			 "to exhaust memory", PACKETREAD_MAX_JSON >> 20);
		return NULL;
	}
	if (json_cost_problem(text, len, why, sizeof(why)) < 0) {
		snprintf(errbuf, errlen, "%s, more than any packet recpack makes: it is damaged or made to exhaust "
			 "memory", why);
		return NULL;
	}
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(errbuf, errlen, "packet.json is not valid JSON (line %d, column %d: %s)", je.line, je.column,
			 je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(errbuf, errlen, "packet.json is not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

/* ---- packet.json, one value at a time ---- */

/* The text being scanned: all of it (src NULL), or a window over a stream that fill() slides
 * and widens as a value needs it, so memory holds the biggest value, not the whole text. */
struct jscan {
	const char *t;
	size_t len, i;
	size_t base;               /* bytes of the text before t[0] */
	size_t values, containers; /* outside "documents" */
	char *errbuf;
	size_t errlen;
	struct packetread_stream *src; /* NULL: t is the whole text */
	char *win;                 /* the window (owned) */
	size_t cap;
	int eof, failed;
};

struct packetread_stream {
	zip_t *za;      /* the ZIP, when the stream owns it */
	long long (*fn)(void *arg, void *buf, size_t n); /* a reader of the caller's, or */
	void *fnarg;
	zip_file_t *zf; /* a ZIP entry, or */
	int fd;         /* a file (when zf is NULL) */
	size_t max;     /* the most read */
	size_t got;
};

static long long stream_read_raw(struct packetread_stream *s, void *buf, size_t n)
{
	return s->fn ? s->fn(s->fnarg, buf, n) : s->zf ? zip_fread(s->zf, buf, n) : fd_read(s->fd, buf, n);
}

/* More of the stream into the window, keeping t[i..len). 1 when bytes came, 0 at the end (or
 * on a read error, j->failed). */
static int fill(struct jscan *j)
{
	if (!j->src || j->eof || j->failed)
		return 0;
	if (j->i > 0) { /* slide: what was scanned is forgotten */
		memmove(j->win, j->win + j->i, j->len - j->i);
		j->base += j->i;
		j->len -= j->i;
		j->i = 0;
	}
	if (j->len == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 64 * 1024;
		j->win = xrealloc(j->win, j->cap);
	}
	size_t want = j->cap - j->len;
	if (want > j->src->max + 1 - j->src->got)
		want = j->src->max + 1 - j->src->got; /* one byte past the bound tells it is too big */
	long long n = 0;
	if (want == 0)
		n = 0;
	else
		n = stream_read_raw(j->src, j->win + j->len, want);
	j->t = j->win;
	if (n < 0) {
		j->failed = 1;
		return 0;
	}
	if (n == 0) {
		j->eof = 1;
		return 0;
	}
	j->len += (size_t)n;
	j->src->got += (size_t)n;
	if (j->src->got > j->src->max) {
		j->failed = 2;
		j->len -= 1;
		return 0;
	}
	return 1;
}

static void skip_ws(struct jscan *j)
{
	do {
		while (j->i < j->len &&
		       (j->t[j->i] == ' ' || j->t[j->i] == '\t' || j->t[j->i] == '\n' || j->t[j->i] == '\r'))
			j->i++;
	} while (j->i == j->len && fill(j));
}

/* Where the JSON value at j->i ends (no further than len), with its values, objects and
 * arrays counted and its nesting checked (depth: the nesting it starts at). -1 when it is
 * too deep, -2 when it is cut short (by the end of the window when more may come); jansson
 * judges the rest. */
static int value_end(const struct jscan *j, size_t depth, size_t *end, size_t *values, size_t *containers)
{
	const char *t = j->t;
	size_t i = j->i, n = j->len;
	*values = 1, *containers = 0;
	if (i >= n)
		return -2;
	if (t[i] == '"') { /* a string */
		for (i++; i < n && t[i] != '"'; i++)
			i += t[i] == '\\';
		if (i >= n)
			return -2;
		*end = i + 1;
		return 0;
	}
	if (t[i] != '{' && t[i] != '[') { /* a number, true, false or null */
		while (i < n && !strchr(",:}] \t\r\n", t[i]))
			i++;
		if (i == n && j->src && !j->eof)
			return -2;
		*end = i;
		return 0;
	}
	size_t d = 0;
	char prev = '[';
	for (; i < n; i++) {
		char c = t[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '"') {
			for (i++; i < n && t[i] != '"'; i++)
				i += t[i] == '\\';
			if (i >= n)
				return -2;
			++*values;
		} else if (c == '{' || c == '[') {
			++*values, ++*containers;
			if (++d + depth > PACKETREAD_JSON_DEPTH)
				return -1;
		} else if (c == '}' || c == ']') {
			if (--d == 0) {
				*end = i + 1;
				--*values; /* the outer container was counted twice */
				return 0;
			}
		} else if (prev == ',' || prev == ':' || prev == '[') {
			++*values;
		}
		prev = c;
	}
	return -2;
}

/* value_end, with the window widened until the value fits or the text ends. */
static int value_end_more(struct jscan *j, size_t depth, size_t *end, size_t *values, size_t *containers)
{
	int rc;
	while ((rc = value_end(j, depth, end, values, containers)) == -2 && fill(j))
		;
	return rc;
}

__attribute__((format(printf, 2, 3)))
static int jscan_fail(struct jscan *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->errbuf, j->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The error for a value that cannot be scanned: cut short, too deep, or the stream failed. */
static void scan_problem(struct jscan *j)
{
	if (j->failed == 2)
		jscan_fail(j, "packet.json is bigger than the %u MiB recpack reads: it is damaged or made to exhaust "
			   "memory", PACKETREAD_MAX_JSON_STREAMED >> 20);
	else if (j->failed)
		jscan_fail(j, "packet.json cannot be read: it is damaged in the packet");
	else
		jscan_fail(j, "packet.json is not valid JSON (at byte %zu: cut short, or nested more than %d deep)",
			   j->base + j->i, PACKETREAD_JSON_DEPTH);
}

/* The JSON value at j->i, parsed by jansson; NULL with the error set. max_values: its bound. */
static json_t *next_value(struct jscan *j, size_t depth, size_t max_values)
{
	size_t end, values, containers;
	json_error_t je;
	skip_ws(j);
	if (value_end_more(j, depth, &end, &values, &containers) < 0 || end == j->i) {
		scan_problem(j);
		return NULL;
	}
	if (values > max_values) {
		jscan_fail(j, "packet.json holds a value of more than %zu parts, more than any packet recpack makes: "
			   "it is damaged or made to exhaust memory", max_values);
		return NULL;
	}
	json_t *v = json_loadb(j->t + j->i, end - j->i, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		jscan_fail(j, "packet.json is not valid JSON (at byte %zu: %s)",
			   j->base + j->i + (size_t)(je.position > 0 ? je.position : 0), je.text);
		return NULL;
	}
	j->i = end;
	if (max_values != PACKETREAD_DOC_VALUES) {
		j->values += values, j->containers += containers;
		if (j->values > PACKETREAD_JSON_VALUES || j->containers > PACKETREAD_JSON_CONTAINERS) {
			json_decref(v);
			jscan_fail(j, "packet.json holds more than %s outside its documents, more than any packet recpack "
				   "makes: it is damaged or made to exhaust memory",
				   j->containers > PACKETREAD_JSON_CONTAINERS ? "250000 objects and arrays" : "1000000 values");
			return NULL;
		}
	}
	return v;
}

/* The next character (after blanks) is c: 1, and it is taken when take; else 0. */
static int next_is(struct jscan *j, char c, int take)
{
	skip_ws(j);
	if (j->i >= j->len || j->t[j->i] != c)
		return 0;
	j->i += take != 0;
	return 1;
}

/* Expect c (after blanks) at j->i; 0, or -1 with the error set. */
static int expect_char(struct jscan *j, char c)
{
	if (!next_is(j, c, 1)) {
		if (j->failed)
			scan_problem(j);
		else
			jscan_fail(j, "packet.json is not valid JSON (at byte %zu: '%c' expected)", j->base + j->i, c);
		return -1;
	}
	return 0;
}

/* The elements of the "documents" array, each to fn. */
static int each_document(struct jscan *j, int (*fn)(json_t *doc, void *arg), void *arg)
{
	if (expect_char(j, '[') < 0)
		return -1;
	if (next_is(j, ']', 1))
		return 0;
	for (;;) {
		size_t end, values, containers;
		if (!fn) { /* only the object around the documents is wanted: skip them unparsed */
			skip_ws(j);
			if (value_end_more(j, 2, &end, &values, &containers) < 0 || end == j->i) {
				scan_problem(j);
				return -1;
			}
			j->i = end;
			goto next;
		}
		json_t *d = next_value(j, 2, PACKETREAD_DOC_VALUES);
		if (!d)
			return -1;
		int rc = fn ? fn(d, arg) : 0;
		json_decref(d);
		if (rc)
			return rc;
	next:
		if (next_is(j, ']', 1))
			return 0;
		if (expect_char(j, ',') < 0)
			return -1;
	}
}

/* One "key": value member of the top-level object: documents to fn, the rest into top. */
static int top_member(struct jscan *j, json_t *top, int *seen_docs, int (*fn)(json_t *doc, void *arg), void *arg)
{
	json_t *k = next_value(j, 1, 1);
	if (!k || !json_is_string(k)) {
		json_decref(k);
		return k ? jscan_fail(j, "packet.json is not valid JSON (a key that is not a string)") : -1;
	}
	const char *key = json_string_value(k);
	int rc = expect_char(j, ':');
	if (!rc && (json_object_get(top, key) || (*seen_docs && strcmp(key, "documents") == 0)))
		rc = jscan_fail(j, "packet.json names %s twice", key);
	if (!rc && strcmp(key, "documents") == 0) {
		*seen_docs = 1;
		rc = each_document(j, fn, arg);
	} else if (!rc) {
		json_t *v = next_value(j, 1, PACKETREAD_JSON_VALUES);
		rc = v ? json_object_set_new(top, key, v) : -1;
	}
	json_decref(k);
	return rc;
}

static int json_scan(struct jscan *j, json_t **top, int (*fn)(json_t *doc, void *arg), void *arg)
{
	json_t *obj = json_object();
	int rc = 0, seen_docs = 0;
	if (top)
		*top = NULL;
	if (!next_is(j, '{', 1)) {
		rc = j->failed ? (scan_problem(j), -1) : jscan_fail(j, "packet.json is not a JSON object");
		goto out;
	}
	if (!next_is(j, '}', 1)) {
		for (;;) {
			if ((rc = top_member(j, obj, &seen_docs, fn, arg)) != 0)
				goto out;
			if (next_is(j, '}', 1))
				break;
			if ((rc = expect_char(j, ',')) < 0)
				goto out;
		}
	}
	skip_ws(j);
	if (j->failed)
		rc = (scan_problem(j), -1);
	else if (j->i != j->len)
		rc = jscan_fail(j, "packet.json is not valid JSON (at byte %zu: text after the end)", j->base + j->i);
out:
	if (!rc && top)
		*top = obj;
	else
		json_decref(obj);
	return rc;
}

int packetread_json_each(const char *text, size_t len, json_t **top, int (*fn)(json_t *doc, void *arg), void *arg,
			 char *errbuf, size_t errlen)
{
	struct jscan j = { .t = text, .len = len, .errbuf = errbuf, .errlen = errlen };
	if (len > PACKETREAD_MAX_JSON_STREAMED) {
		if (top)
			*top = NULL;
		return jscan_fail(&j, "packet.json is bigger than the %u MiB recpack reads: it is damaged or made to "
				  "exhaust memory", PACKETREAD_MAX_JSON_STREAMED >> 20);
	}
	return json_scan(&j, top, fn, arg);
}

int packetread_json_each_stream(struct packetread_stream *src, json_t **top, int (*fn)(json_t *doc, void *arg),
				void *arg, char *errbuf, size_t errlen)
{
	struct jscan j = { .t = "", .src = src, .errbuf = errbuf, .errlen = errlen };
	int rc = json_scan(&j, top, fn, arg);
	free(j.win);
	return rc;
}

struct packetread_stream *packetread_stream_zip(zip_t *za, zip_uint64_t idx)
{
	zip_file_t *zf = packetread_zip_fopen(za, idx);
	if (!zf)
		return NULL;
	struct packetread_stream *s = xcalloc(1, sizeof(*s));
	s->zf = zf;
	s->fd = -1;
	s->max = PACKETREAD_MAX_JSON_STREAMED;
	return s;
}

struct packetread_stream *packetread_stream_fn(long long (*fn)(void *arg, void *buf, size_t n), void *arg)
{
	struct packetread_stream *s = xcalloc(1, sizeof(*s));
	s->fn = fn;
	s->fnarg = arg;
	s->fd = -1;
	s->max = PACKETREAD_MAX_JSON_STREAMED;
	return s;
}

struct packetread_stream *packetread_stream_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct packetread_stream *s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->max = PACKETREAD_MAX_JSON_STREAMED;
	return s;
}

/* A document of packet.json: its original_path, when it has one, is safe to restore. */
static int doc_name_problem(json_t *d, void *arg)
{
	char **why = arg;
	const char *from = json_string_value(json_object_get(d, "path"));
	const char *to = json_string_value(json_object_get(d, "original_path"));
	if (from && to && (!packetread_path_safe(to) || strncmp(to, "data/", 5) != 0)) {
		*why = xasprintf("packet.json gives %s an unsafe name", from);
		return 1;
	}
	return 0;
}

int packetread_json_check_stream(struct packetread_stream *src, char *errbuf, size_t errlen)
{
	char *why = NULL;
	json_t *top = NULL;
	int rc = packetread_json_each_stream(src, &top, doc_name_problem, &why, errbuf, errlen);
	if (rc == 1)
		snprintf(errbuf, errlen, "%s", why);
	else if (rc == 0)
		rc = packetread_names_problem(top, errbuf, errlen);
	free(why);
	json_decref(top);
	return rc ? -1 : 0;
}

long long packetread_stream_read(struct packetread_stream *s, void *buf, size_t n)
{
	if (n > s->max - s->got)
		n = s->max - s->got;
	long long got = n == 0 ? 0 : stream_read_raw(s, buf, n);
	if (got > 0)
		s->got += (size_t)got;
	return got;
}

void packetread_stream_close(struct packetread_stream *s)
{
	if (!s)
		return;
	if (s->zf)
		zip_fclose(s->zf);
	if (s->fd >= 0)
		close(s->fd);
	if (s->za)
		zip_discard(s->za);
	free(s);
}

/* The tag file name of the extracted packet at dir (or one folder down), open; -1 with
 * errno. */
static int open_in_folder(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	free(p);
	DIR *d = fd < 0 && errno == ENOENT ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && fd < 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = path_join(dir, e->d_name);
		p = path_join(sub, name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		free(p);
		free(sub);
	}
	if (d)
		closedir(d);
	return fd;
}

/* The bag's tag file name in za, opened (with password when given): RP_OK with *zf and *size;
 * otherwise errbuf says why, RP_EUSAGE for a password problem, RP_ESOURCE for the rest. */
static int open_tag_entry(zip_t *za, const char *path, const char *name, size_t max, const char *password,
			  zip_file_t **zf, zip_uint64_t *size, char *errbuf, size_t errlen)
{
	char *root = packetread_bag_root(za);
	char *full = root ? xasprintf("%s%s", root, name) : NULL;
	zip_int64_t idx = full ? zip_name_locate(za, full, 0) : -1;
	zip_stat_t st;
	free(root);
	free(full);
	*zf = NULL;
	if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		snprintf(errbuf, errlen, "%s holds no %s: is it a recpack packet?", path, name);
		return RP_ESOURCE;
	}
	if (st.size > max) {
		snprintf(errbuf, errlen, "%s: its %s is bigger than the %zu MiB recpack reads (%llu MiB uncompressed): "
			 "it is damaged or made to exhaust memory", path, name, max >> 20,
			 (unsigned long long)(st.size >> 20));
		return RP_ESOURCE;
	}
	if (password)
		zip_set_default_password(za, password);
	*zf = packetread_zip_fopen(za, (zip_uint64_t)idx);
	if (!*zf) {
		int ze = zip_error_code_zip(zip_get_error(za));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD) {
			snprintf(errbuf, errlen, "%s %s", path, packetread_password_problem(ze));
			return RP_EUSAGE;
		}
		snprintf(errbuf, errlen, "%s: %s is damaged", path, name);
		return RP_ESOURCE;
	}
	*size = st.size;
	return RP_OK;
}

int packetread_tag_stream(const char *path, const char *password, const char *name, size_t max,
			  struct packetread_stream **out, char *errbuf, size_t errlen)
{
	struct stat sb;
	int zerr = 0, rc = RP_ESOURCE;
	*out = NULL;
	if (stat(path, &sb) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return RP_ESOURCE;
	}
	struct packetread_stream *s = xcalloc(1, sizeof(*s));
	s->fd = -1;
	s->max = max;
	if (S_ISDIR(sb.st_mode)) {
		s->fd = open_in_folder(path, name);
		if (s->fd < 0 || fstat(s->fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			snprintf(errbuf, errlen, "%s holds no readable %s: is it a recpack packet?", path, name);
			goto fail;
		}
		if ((uint64_t)sb.st_size > max) {
			snprintf(errbuf, errlen, "%s: its %s is bigger than the %zu MiB recpack reads: it is damaged or made "
				 "to exhaust memory", path, name, max >> 20);
			goto fail;
		}
		*out = s;
		return RP_OK;
	}
	s->za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!s->za) {
		snprintf(errbuf, errlen, "%s is not a readable ZIP file", path);
		goto fail;
	}
	zip_uint64_t size;
	if ((rc = open_tag_entry(s->za, path, name, max, password, &s->zf, &size, errbuf, errlen)) != RP_OK)
		goto fail;
	*out = s;
	return RP_OK;
fail:
	packetread_stream_close(s);
	return rc;
}

int packetread_names_problem(json_t *root, char *errbuf, size_t errlen)
{
	json_t *d;
	size_t i;
	const char *bag = json_string_value(json_object_get(root, "original_bag"));
	if (bag && (!*bag || !packetread_bag_safe(bag))) {
		snprintf(errbuf, errlen, "packet.json gives an unsafe folder name for the bag");
		return -1;
	}
	json_array_foreach(json_object_get(root, "documents"), i, d) {
		const char *from = json_string_value(json_object_get(d, "path"));
		const char *to = json_string_value(json_object_get(d, "original_path"));
		if (from && to && (!packetread_path_safe(to) || strncmp(to, "data/", 5) != 0)) {
			snprintf(errbuf, errlen, "packet.json gives %s an unsafe name", from);
			return -1;
		}
	}
	return 0;
}

/* The bag folder: the one top-level folder holding bagit.txt, or "" for a bag at the top. */
char *packetread_bag_root(zip_t *za)
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (!name)
			continue;
		const char *slash = strchr(name, '/');
		if (slash && strcmp(slash + 1, "bagit.txt") == 0)
			return xstrndup(name, (size_t)(slash - name) + 1);
		if (strcmp(name, "bagit.txt") == 0)
			return xstrdup("");
	}
	return NULL;
}

zip_file_t *packetread_zip_fopen(zip_t *za, zip_uint64_t idx)
{
	return packetread_zip_fopen_flags(za, idx, 0);
}

zip_file_t *packetread_zip_fopen_flags(zip_t *za, zip_uint64_t idx, zip_flags_t flags)
{
	zip_stat_t st;
	if (zip_stat_index(za, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE && !zip_encryption_method_supported(st.encryption_method, 0)) {
		zip_error_set(zip_get_error(za), ZIP_ER_ENCRNOTSUPP, 0);
		return NULL;
	}
	return zip_fopen_index(za, idx, flags);
}

int packetread_is_encrypted(const char *path)
{
	int zerr = 0, enc = 0;
	struct stat sb;
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za)
		return 0;
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && !enc; i++) {
		zip_stat_t st;
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD))
			enc = st.encryption_method != ZIP_EM_NONE;
	}
	zip_discard(za);
	return enc;
}

const char *packetread_password_problem(int ze)
{
	return ze == ZIP_ER_NOPASSWD ? "is encrypted: give its password (--password-file FILE or RECPACK_PASSWORD)"
				     : "cannot be opened: the password is wrong (passwords are case-sensitive; check it with the sender)";
}

int packetread_tag(const char *path, const char *name, size_t max, char **out, size_t *len,
		    char *errbuf, size_t errlen)
{
	return packetread_tag_pw(path, NULL, name, max, out, len, errbuf, errlen);
}

int packetread_tag_pw(const char *path, const char *password, const char *name, size_t max, char **out,
		       size_t *len, char *errbuf, size_t errlen)
{
	struct stat sb;
	*out = NULL;
	if (stat(path, &sb) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return RP_ESOURCE;
	}
	if (S_ISDIR(sb.st_mode)) {
		char *p = path_join(path, name);
		int rc = file_read_small(p, max, out, len), big = rc < 0 && errno == EFBIG;
		if (rc < 0 && !big) {
			/* an extracted packet: look one folder down */
			free(p);
			p = NULL;
			DIR *d = opendir(path);
			struct dirent *e;
			while (d && rc < 0 && !big && (e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				char *sub = path_join(path, e->d_name);
				free(p);
				p = path_join(sub, name);
				rc = file_read_small(p, max, out, len);
				big = rc < 0 && errno == EFBIG;
				free(sub);
			}
			if (d)
				closedir(d);
		}
		free(p);
		if (rc < 0) {
			free(*out);
			*out = NULL;
			if (big)
				snprintf(errbuf, errlen, "%s: its %s is bigger than the %zu MiB recpack reads: it is damaged "
					 "or made to exhaust memory", path, name, max >> 20);
			else
				snprintf(errbuf, errlen, "%s holds no readable %s: is it a recpack packet?", path, name);
			return RP_ESOURCE;
		}
		return RP_OK;
	}
	int zerr = 0, rc = RP_ESOURCE;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za) {
		snprintf(errbuf, errlen, "%s is not a readable ZIP file", path);
		return RP_ESOURCE;
	}
	zip_file_t *zf;
	zip_uint64_t size;
	if ((rc = open_tag_entry(za, path, name, max, password, &zf, &size, errbuf, errlen)) != RP_OK)
		goto out;
	char *buf = xmalloc((size_t)size + 1);
	zip_int64_t n = zip_fread(zf, buf, size);
	zip_fclose(zf);
	if (n != (zip_int64_t)size) {
		snprintf(errbuf, errlen, "%s: %s is damaged", path, name);
		free(buf);
		rc = RP_ESOURCE;
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
out:
	zip_discard(za);
	return rc;
}
