/* SPDX-License-Identifier: GPL-3.0-or-later */
/* extract.c: see extract.h.
 *
 * An encrypted packet's entries have neutral names (data/02-pathology/0001.pdf); packet.json
 * maps each to its original_path. The extracted bag uses the original names, so the tag files
 * that name documents (manifest-sha256.txt, packet.json, README.txt, index.html) are rewritten
 * for them and tagmanifest-sha256.txt is recomputed: the result is the bag an unencrypted
 * build would have made, and `recpack verify` and `sha256sum -c` pass on it. */
#include "packet/extract.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libdeflate.h>
#include <zip.h>

#include "packet/bag.h"
#include "packet/packetread.h"
#include "packet/rawpool.h"
#include "sys/cleanup.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define CHUNK (256 * 1024)
#define MAX_FILES 2000000
/* Entries up to this size are read raw and inflated whole by libdeflate (2.5 times as fast as
 * libzip's zlib stream), on the pool's workers; bigger ones stream through libzip in CHUNKs, in
 * order, on the calling thread: memory does not grow with the biggest entry (packet.json and a
 * DICOMDIR grow with the documents). */
#define POOL_MAX (1u << 20)

struct pair {
	char *key;   /* a path inside the bag */
	char *value; /* the original path, or a SHA-256 */
	int seen;
	size_t line; /* its place in the manifest, among the lines that parse */
};

/* manifest-sha256.txt read a line at a time, in step with the entries: a packet's documents
 * come in the order of its manifest, so each entry is the next line (memory does not grow with
 * the documents). The first entry that is not falls back to the whole manifest in a table. */
struct mcursor {
	struct packetread_stream *src;
	char *buf;
	size_t len, pos, cap;
	int eof;
	struct pair cur;   /* the line at the cursor (key NULL: none left) */
	size_t lines;      /* lines taken (matched, or found missing) */
};

struct table {
	struct pair *v;
	size_t n, cap;
};

/* The tag files that name documents: rewritten when names are restored. */
static const char *const rewritten[] = { "manifest-sha256.txt", "packet.json", "README.txt", "index.html",
					 "tagmanifest-sha256.txt" };
#define NREWRITTEN (sizeof(rewritten) / sizeof(rewritten[0]))

struct extract {
	zip_t *za;
	char *root;          /* "bag/" in the ZIP */
	char *tmp;           /* the temp folder in dir */
	int cleanup;         /* its cleanup.h handle: Ctrl-C or SIGTERM removes it too */
	struct table names;  /* neutral -> original */
	struct table sums;   /* manifest-sha256.txt: path -> sha256, when not read in step (merge 0) */
	struct mcursor man;  /* manifest-sha256.txt read in step with the entries (merge 1) */
	int merge;
	struct table missing; /* lines the cursor passed without their entry */
	struct table tagsums;
	char *tags[NREWRITTEN];
	size_t taglen[NREWRITTEN];
	unsigned char *buf;
	struct libdeflate_decompressor *inflater;
	unsigned char *raw, *plain; /* POOL_MAX entries: as stored, and inflated */
	size_t rawcap, plaincap;
	const char *password;
	struct extract_result *r;
	struct rawpool *pool;  /* the entries inflated, checked and written on every core */
	int pool_rc;           /* RP_EOUTPUT once a worker could not write: stop */
	char pool_err[512];
	char *last_dir; /* the folder the previous file went in: made already */
	const struct verify_progress *prog; /* NULL: silent */
	size_t done, total;
	uint64_t bytes, total_bytes;
};

/* n more bytes written; a file finished when file_done. */
static void tick(struct extract *x, uint64_t n, int file_done)
{
	x->bytes += n;
	x->done += file_done != 0;
	if (x->prog && x->prog->fn)
		x->prog->fn(x->prog->arg, x->done, x->total, x->bytes, x->total_bytes);
}

static void fail(struct extract_result *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct extract_result *r, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verify_failure_vadd(&r->v, &r->n, &r->cap, path, fmt, ap);
	va_end(ap);
}

/* ---- tables ---- */

static void table_add(struct table *t, const char *key, const char *value)
{
	grow(&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n].key = xstrdup(key);
	t->v[t->n].value = xstrdup(value);
	t->v[t->n].line = t->n;
	t->v[t->n++].seen = 0;
}

static int cmp_pair(const void *a, const void *b)
{
	return strcmp(((const struct pair *)a)->key, ((const struct pair *)b)->key);
}

static void table_sort(struct table *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_pair);
}

static struct pair *table_find(const struct table *t, const char *key)
{
	struct pair k = { .key = (char *)key };
	return t->n ? bsearch(&k, t->v, t->n, sizeof(*t->v), cmp_pair) : NULL;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].value);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static const char *renamed(const struct extract *x, const char *rel)
{
	struct pair *p = table_find(&x->names, rel);
	return p ? p->value : rel;
}

/* One "<sha256>  <path>" line (ll bytes at p, without its newline): 1 with sha (lower case)
 * and *path (free it), or 0 when it does not parse (left for verify to report). */
static int parse_line(const char *p, size_t ll, char sha[65], char **path)
{
	if (ll && p[ll - 1] == '\r')
		ll--;
	if (ll < 66 || (p[64] != ' ' && p[64] != '\t'))
		return 0;
	const char *fp = p + 65;
	while (fp < p + ll && (*fp == ' ' || *fp == '\t' || *fp == '*'))
		fp++;
	memcpy(sha, p, 64);
	sha[64] = '\0';
	for (char *c = sha; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
	*path = bag_unescape_path(fp, (size_t)(p + ll - fp));
	return 1;
}

/* Parse the manifest's lines into t, sorted. */
static void parse_manifest(const char *text, size_t len, struct table *t)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		char sha[65], *path;
		if (parse_line(p, (size_t)(le - p), sha, &path)) {
			table_add(t, path, sha);
			free(path);
		}
		p = le + 1;
	}
	table_sort(t);
}

/* The cursor on the next line that parses; cur.key NULL at the end. */
static void mcursor_next(struct mcursor *m)
{
	free(m->cur.key);
	m->cur.key = NULL;
	for (;;) {
		char *nl = m->len > m->pos ? memchr(m->buf + m->pos, '\n', m->len - m->pos) : NULL;
		if (!nl && !m->eof) { /* more of the manifest: slide, widen, read */
			if (m->pos) {
				memmove(m->buf, m->buf + m->pos, m->len - m->pos);
				m->len -= m->pos;
				m->pos = 0;
			}
			if (m->len == m->cap) {
				m->cap = m->cap ? 2 * m->cap : 64 * 1024;
				m->buf = xrealloc(m->buf, m->cap);
			}
			long long n = packetread_stream_read(m->src, m->buf + m->len, m->cap - m->len);
			if (n <= 0)
				m->eof = 1; /* a damaged manifest: its tagmanifest check, or verify, says so */
			else
				m->len += (size_t)n;
			continue;
		}
		if (!nl && m->pos == m->len)
			return;
		size_t ll = nl ? (size_t)(nl - (m->buf + m->pos)) : m->len - m->pos;
		char sha[65], *path;
		int ok = parse_line(m->buf + m->pos, ll, sha, &path);
		m->pos += ll + (nl != NULL);
		if (ok) {
			m->cur.key = path;
			memcpy(m->cur.value, sha, 65);
			return;
		}
	}
}

static void mcursor_free(struct mcursor *m)
{
	packetread_stream_close(m->src);
	free(m->buf);
	free(m->cur.key);
	free(m->cur.value);
	memset(m, 0, sizeof(*m));
}

/* ---- reading the ZIP ---- */

static char *zip_root(zip_t *za)
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && i < MAX_FILES; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		const char *slash = name ? strchr(name, '/') : NULL;
		if (slash && strcmp(slash + 1, "bagit.txt") == 0)
			return xstrndup(name, (size_t)(slash - name) + 1);
		if (name && strcmp(name, "bagit.txt") == 0)
			return xstrdup("");
	}
	return NULL;
}

static int password_error(zip_t *za)
{
	int ze = zip_error_code_zip(zip_get_error(za));
	return ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD ? ze : 0;
}

/* Read a whole entry (at most max bytes). RP_OK, RP_EUSAGE (password) or RP_ESOURCE. */
static int read_entry(struct extract *x, zip_int64_t idx, size_t max, char **out, size_t *len, char *errbuf,
		      size_t errlen)
{
	zip_stat_t st;
	*out = NULL;
	const char *name = zip_get_name(x->za, (zip_uint64_t)idx, ZIP_FL_ENC_GUESS);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > max) {
		snprintf(errbuf, errlen, "%s is bigger than the %zu MiB recpack reads of a tag file: it is damaged or "
			 "made to exhaust memory", name ? name : "an entry", max >> 20);
		return RP_ESOURCE;
	}
	zip_file_t *zf = packetread_zip_fopen(x->za, (zip_uint64_t)idx);
	if (!zf) {
		int pe = password_error(x->za);
		snprintf(errbuf, errlen, "%s", pe == ZIP_ER_NOPASSWD ? "the packet is encrypted: give its password"
				    : pe ? "the password is wrong (passwords are case-sensitive; check it with the sender)"
					 : zip_strerror(x->za));
		return pe ? RP_EUSAGE : RP_ESOURCE;
	}
	char *buf = xmalloc((size_t)st.size + 1);
	zip_int64_t n = zip_fread(zf, buf, st.size);
	int bad = zip_fclose(zf) != 0 || n != (zip_int64_t)st.size;
	if (bad) {
		free(buf);
		snprintf(errbuf, errlen, "%s is damaged in the ZIP%s", name ? name : "an entry",
			 x->password ? ", or the password is wrong" : "");
		return RP_ESOURCE;
	}
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return RP_OK;
}

static int read_tag(struct extract *x, const char *rel, char **out, size_t *len, char *errbuf, size_t errlen)
{
	char *full = xasprintf("%s%s", x->root, rel);
	zip_int64_t idx = zip_name_locate(x->za, full, 0);
	free(full);
	if (idx < 0) {
		*out = NULL;
		return RP_OK;
	}
	size_t max = strcmp(rel, "packet.json") == 0 ? PACKETREAD_MAX_JSON_STREAMED : PACKETREAD_MAX_MANIFEST;
	return read_entry(x, idx, max, out, len, errbuf, errlen);
}

struct names_walk {
	struct extract *x;
	char *errbuf;
	size_t errlen;
};

/* One document of packet.json: its neutral -> original name, checked safe. */
static int add_name(json_t *d, void *arg)
{
	struct names_walk *w = arg;
	const char *from = json_string_value(json_object_get(d, "path"));
	const char *to = json_string_value(json_object_get(d, "original_path"));
	if (!from || !to)
		return 0;
	if (!packetread_path_safe(to) || strncmp(to, "data/", 5) != 0) {
		snprintf(w->errbuf, w->errlen, "packet.json gives %s an unsafe name", from);
		return -1;
	}
	table_add(&w->x->names, from, to);
	return 0;
}

/* packet.json's neutral -> original names, checked safe, streamed from the ZIP one document
 * at a time (never held whole). RP_OK (no packet.json: no names), RP_EUSAGE or RP_ESOURCE. */
static int load_names(struct extract *x, char *errbuf, size_t errlen)
{
	char *full = xasprintf("%spacket.json", x->root);
	zip_int64_t idx = zip_name_locate(x->za, full, 0);
	free(full);
	if (idx < 0)
		return RP_OK;
	zip_stat_t st;
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > PACKETREAD_MAX_JSON_STREAMED) {
		snprintf(errbuf, errlen, "%spacket.json is bigger than the %u MiB recpack reads of a tag file: it is damaged "
			 "or made to exhaust memory", x->root, PACKETREAD_MAX_JSON_STREAMED >> 20);
		return RP_ESOURCE;
	}
	struct packetread_stream *src = packetread_stream_zip(x->za, (zip_uint64_t)idx);
	if (!src) {
		int pe = password_error(x->za);
		snprintf(errbuf, errlen, "%s", pe == ZIP_ER_NOPASSWD ? "the packet is encrypted: give its password"
				    : pe ? "the password is wrong (passwords are case-sensitive; check it with the sender)"
					 : zip_strerror(x->za));
		return pe ? RP_EUSAGE : RP_ESOURCE;
	}
	struct names_walk w = { .x = x, .errbuf = errbuf, .errlen = errlen };
	json_t *top = NULL;
	int bad = packetread_json_each_stream(src, &top, add_name, &w, errbuf, errlen) != 0 ||
		  packetread_names_problem(top, errbuf, errlen) < 0;
	packetread_stream_close(src);
	if (bad) {
		size_t el = strlen(errbuf);
		snprintf(errbuf + el, errlen - el, "; nothing was extracted");
		json_decref(top);
		return RP_ESOURCE;
	}
	const char *bag = json_string_value(json_object_get(top, "original_bag"));
	x->r->bag = bag ? xstrdup(bag) : NULL;
	table_sort(&x->names);
	json_decref(top);
	return RP_OK;
}

/* ---- writing ---- */

/* Make every folder of rel under x->tmp (0700, never through a symlink). Entries come sorted,
 * so most share the previous one's folder: that one is not made again (two system calls for
 * each of its parents, for every file). */
static int make_parents(struct extract *x, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	size_t dlen = slash ? (size_t)(slash - rel) : 0;
	if (!slash || (x->last_dir && strlen(x->last_dir) == dlen && memcmp(x->last_dir, rel, dlen) == 0))
		return 0;
	free(x->last_dir);
	x->last_dir = NULL;
	char *path = xasprintf("%s/%s", x->tmp, rel);
	char *p = path + strlen(x->tmp) + 1;
	int rc = 0;
	for (char *sl = strchr(p, '/'); sl && !rc; sl = strchr(sl + 1, '/')) {
		*sl = '\0';
		struct stat sb;
		if (mkdir(path, 0700) < 0 && (errno != EEXIST || lstat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)))
			rc = -1;
		*sl = '/';
	}
	free(path);
	if (!rc)
		x->last_dir = xstrndup(rel, dlen);
	return rc;
}

static int create_file(struct extract *x, const char *rel)
{
	if (make_parents(x, rel) < 0)
		return -1;
	char *path = xasprintf("%s/%s", x->tmp, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600); /* umask 077 */
	free(path);
	return fd;
}

static void remove_file(const struct extract *x, const char *rel)
{
	char *path = xasprintf("%s/%s", x->tmp, rel);
	unlink(path);
	free(path);
}


/* Write a file we hold in memory (a rewritten tag file); fills sha. RP_OK or RP_EOUTPUT. */
static int write_text(struct extract *x, const char *rel, const char *text, size_t len, char sha[65],
		      char *errbuf, size_t errlen)
{
	int fd = create_file(x, rel);
	if (fd < 0 || fd_write_all(fd, text, len) < 0 || close(fd) < 0) {
		snprintf(errbuf, errlen, "cannot write %s: %s", rel, strerror(errno));
		if (fd >= 0)
			close(fd);
		return RP_EOUTPUT;
	}
	sha256_buf(text, len, NULL, sha);
	x->r->files++;
	return RP_OK;
}

/* Whether entry idx is read raw and inflated here: deflated, sizes and CRC known, small. */
static int takes_raw(const zip_stat_t *st)
{
	zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
	return (st->valid & need) == need && st->comp_method == ZIP_CM_DEFLATE && st->size <= POOL_MAX &&
	       st->comp_size <= POOL_MAX + POOL_MAX / 8 + 4096;
}

static void reserve(unsigned char **p, size_t *cap, size_t n)
{
	if (*cap < n) {
		free(*p);
		*p = xmalloc(n);
		*cap = n;
	}
}

/* Read entry zf (opened raw) whole, inflate it, check its CRC (not for encrypted entries:
 * WinZip AES writes none, its authentication code is checked by libzip instead), hash it and
 * write it to fd. 0, -1 when the entry is damaged, or -2 when fd cannot be written. */
static int copy_raw(struct extract *x, zip_file_t *zf, const zip_stat_t *st, int fd, char sha[65])
{
	size_t got = 0, size = (size_t)st->size;
	zip_int64_t n;
	reserve(&x->raw, &x->rawcap, (size_t)st->comp_size + 1);
	reserve(&x->plain, &x->plaincap, size + 1);
	while (got < x->rawcap && (n = zip_fread(zf, x->raw + got, x->rawcap - got)) > 0)
		got += (size_t)n;
	if (got == x->rawcap || !x->inflater ||
	    libdeflate_deflate_decompress(x->inflater, x->raw, got, x->plain, size, NULL) != LIBDEFLATE_SUCCESS)
		return -1;
	int encrypted = (st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE;
	if (!encrypted && libdeflate_crc32(0, x->plain, size) != st->crc)
		return -1;
	sha256_buf(x->plain, size, NULL, sha);
	return fd_write_all(fd, x->plain, size) < 0 ? -2 : 0;
}

/* Stream one entry to out (relative to the bag), checking it against want (NULL: not listed;
 * refused when must_list). A damaged or refused file is removed and reported. RP_OK, RP_EUSAGE or RP_EOUTPUT. */
static int extract_entry(struct extract *x, zip_int64_t idx, const char *rel, const char *out, struct pair *want,
			 int must_list, char *errbuf, size_t errlen)
{
	char sha[65];
	uint64_t size = 0;
	int rc = RP_OK, damaged = 0;
	zip_stat_t st;
	int raw = zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 && takes_raw(&st);
	zip_file_t *zf = packetread_zip_fopen_flags(x->za, (zip_uint64_t)idx, raw ? ZIP_FL_COMPRESSED : 0);
	if (!zf) {
		if (password_error(x->za)) {
			snprintf(errbuf, errlen, "%s cannot be opened: the password is wrong", rel);
			return RP_EUSAGE;
		}
		fail(x->r, out, "cannot be read from the ZIP (%s); not extracted", zip_strerror(x->za));
		return RP_OK;
	}
	int fd = create_file(x, out);
	if (fd < 0) {
		zip_fclose(zf);
		if (errno == EEXIST) {
			fail(x->r, out, "is named twice in the packet; the second copy was not extracted");
			return RP_OK;
		}
		snprintf(errbuf, errlen, "cannot write %s: %s", out, strerror(errno));
		return RP_EOUTPUT;
	}
	if (raw) {
		int cr = copy_raw(x, zf, &st, fd, sha);
		damaged = cr == -1;
		size = st.size;
		if (cr == -2) {
			snprintf(errbuf, errlen, "cannot write %s: %s", out, strerror(errno));
			rc = RP_EOUTPUT;
		}
		if (zip_fclose(zf) != 0)
			damaged = 1;
		tick(x, size, 1);
	} else {
		struct sha256 *ctx = sha256_new();
		zip_int64_t n;
		while ((n = zip_fread(zf, x->buf, CHUNK)) > 0) {
			sha256_update(ctx, x->buf, (size_t)n);
			size += (uint64_t)n;
			if (fd_write_all(fd, x->buf, (size_t)n) < 0) {
				snprintf(errbuf, errlen, "cannot write %s: %s", out, strerror(errno));
				rc = RP_EOUTPUT;
				break;
			}
			tick(x, (uint64_t)n, 0);
		}
		tick(x, 0, 1);
		damaged = n < 0;
		if (zip_fclose(zf) != 0)
			damaged = 1;
		sha256_final(ctx, NULL, sha);
		sha256_free(ctx);
	}
	if (close(fd) < 0 && !rc) {
		snprintf(errbuf, errlen, "cannot write %s: %s", out, strerror(errno));
		rc = RP_EOUTPUT;
	}
	if (rc)
		return rc;
	if (want)
		want->seen = 1;
	if (damaged || (!want && must_list) || (want && strcmp(want->value, sha) != 0)) {
		remove_file(x, out);
		if (damaged)
			fail(x->r, out, "is damaged in the ZIP; not extracted");
		else if (!want)
			fail(x->r, out, "is not listed in the packet's manifests (added after it was made?); not extracted");
		else
			fail(x->r, out, "has been changed or damaged: its SHA-256 does not match the manifest; not extracted");
		return RP_OK;
	}
	x->r->files++;
	if (strncmp(rel, "data/", 5) == 0) {
		x->r->payload++;
		x->r->bytes += size;
	}
	return RP_OK;
}

/* ---- entries on the pool: inflated, hashed and written on the workers ---- */

/* One entry handed to the pool: what to check it against, and what became of it. */
struct xjob {
	char *rel, *out;    /* in the packet, and the name it is written under */
	struct pair *seen;  /* its manifest line in a table, marked seen when done */
	int listed;         /* want holds its SHA-256 from the manifest */
	char want[65];
	int must_list;
	int status;         /* XJ_* */
	int err;            /* errno when XJ_WRITE */
};

enum { XJ_OK, XJ_UNLISTED, XJ_MISMATCH, XJ_EXISTS, XJ_WRITE };

/* Make the folders of rel under tmp (0700), any of them already there; 0 or -1. Safe on
 * several threads at once: no state is kept. */
static int make_folders(const char *tmp, const char *rel)
{
	char *path = xasprintf("%s/%s", tmp, rel);
	int rc = 0;
	for (char *sl = strchr(path + strlen(tmp) + 1, '/'); sl && !rc; sl = strchr(sl + 1, '/')) {
		*sl = '\0';
		struct stat sb;
		if (mkdir(path, 0700) < 0 && (errno != EEXIST || lstat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)))
			rc = -1;
		*sl = '/';
	}
	free(path);
	return rc;
}

/* Create tmp/rel (0600: the umask is 077 while extracting), its folders when missing: one
 * openat for most files, the folders made once. */
static int create_new(const char *tmp, const char *rel)
{
	char *path = xasprintf("%s/%s", tmp, rel);
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = open(path, flags, 0600);
	if (fd < 0 && errno == ENOENT && make_folders(tmp, rel) == 0)
		fd = open(path, flags, 0600);
	free(path);
	return fd;
}

/* On a worker: the entry's SHA-256 checked, then written, only when it is what the manifest
 * says (nothing is written to be removed again). */
static void xjob_work(struct rawjob *j, void *arg)
{
	struct extract *x = arg;
	struct xjob *e = j->user;
	char sha[65];
	sha256_buf(j->data, (size_t)j->size, NULL, sha);
	if (!e->listed && e->must_list) {
		e->status = XJ_UNLISTED;
		return;
	}
	if (e->listed && strcmp(e->want, sha) != 0) {
		e->status = XJ_MISMATCH;
		return;
	}
	int fd = create_new(x->tmp, e->out);
	if (fd < 0) {
		e->status = errno == EEXIST ? XJ_EXISTS : XJ_WRITE;
		e->err = errno;
		return;
	}
	if (fd_write_all(fd, j->data, (size_t)j->size) < 0) {
		e->status = XJ_WRITE;
		e->err = errno;
		close(fd);
		return;
	}
	if (close(fd) < 0) {
		e->status = XJ_WRITE;
		e->err = errno;
	}
}

/* On the calling thread, in order: what became of the entry, counted and reported. */
static void xjob_done(struct rawjob *j, void *arg)
{
	struct extract *x = arg;
	struct xjob *e = j->user;
	if (!x->pool_rc) {
		if (e->seen && e->status != XJ_WRITE && e->status != XJ_EXISTS)
			e->seen->seen = 1;
		if (j->damage) {
			fail(x->r, e->out, "is damaged in the ZIP; not extracted");
		} else if (e->status == XJ_WRITE) {
			snprintf(x->pool_err, sizeof(x->pool_err), "cannot write %s: %s", e->out, strerror(e->err));
			x->pool_rc = RP_EOUTPUT;
		} else if (e->status == XJ_EXISTS) {
			fail(x->r, e->out, "is named twice in the packet; the second copy was not extracted");
		} else if (e->status == XJ_UNLISTED) {
			fail(x->r, e->out, "is not listed in the packet's manifests (added after it was made?); not extracted");
		} else if (e->status == XJ_MISMATCH) {
			fail(x->r, e->out, "has been changed or damaged: its SHA-256 does not match the manifest; not extracted");
		} else {
			x->r->files++;
			if (strncmp(e->rel, "data/", 5) == 0) {
				x->r->payload++;
				x->r->bytes += j->size;
			}
		}
		tick(x, j->size, 1);
	}
	free(e->rel);
	free(e->out);
	free(e);
}

/* Entry idx to the pool when it takes it (1), else 0: it is extracted here, in order. */
static int pool_entry(struct extract *x, zip_int64_t idx, const char *rel, const char *out, struct pair *want,
		      struct pair *seen, int must_list, char *errbuf, size_t errlen)
{
	zip_stat_t st;
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0 || !rawpool_takes(&st) || st.size > POOL_MAX)
		return 0;
	struct xjob *e = xcalloc(1, sizeof(*e));
	e->rel = xstrdup(rel);
	e->out = xstrdup(out);
	e->seen = seen;
	if ((e->listed = want != NULL))
		memcpy(e->want, want->value, 65);
	e->must_list = must_list;
	if (rawpool_add(x->pool, x->za, (zip_uint64_t)idx, &st, e) == 0)
		return 1;
	free(e->rel);
	free(e->out);
	free(e);
	if (password_error(x->za)) {
		snprintf(errbuf, errlen, "%s cannot be opened: the password is wrong", rel);
		return -1;
	}
	fail(x->r, out, "cannot be read from the ZIP (%s); not extracted", zip_strerror(x->za));
	return 1;
}

static int rewritten_index(const char *rel)
{
	for (size_t i = 0; i < NREWRITTEN; i++)
		if (strcmp(rel, rewritten[i]) == 0)
			return (int)i;
	return -1;
}

/* The whole manifest in the table, for a packet whose entries are not in its order: the lines
 * the cursor took are seen already. 0, or -1 with errbuf. */
static int manifest_table(struct extract *x, char *errbuf, size_t errlen)
{
	char *text;
	size_t len;
	if (read_tag(x, "manifest-sha256.txt", &text, &len, errbuf, errlen) != RP_OK)
		return -1;
	if (text)
		parse_manifest(text, len, &x->sums);
	free(text);
	for (size_t i = 0; i < x->sums.n; i++)
		x->sums.v[i].seen = x->sums.v[i].line < x->man.lines;
	for (size_t i = 0; i < x->missing.n; i++) { /* passed by the cursor: their entries may come later */
		struct pair *p = table_find(&x->sums, x->missing.v[i].key);
		if (p)
			p->seen = 0;
	}
	table_free(&x->missing);
	x->merge = 0;
	mcursor_free(&x->man);
	return 0;
}

/* The manifest line of document rel into *line (its value: the SHA-256; *seen: the table's
 * line to mark, or NULL): at the cursor when the packet is in its manifest's order, from the
 * whole manifest otherwise. 1 listed, 0 not, -1 when the manifest cannot be read. */
static int manifest_want(struct extract *x, const char *rel, struct pair *line, struct pair **seen, char *errbuf,
			 size_t errlen)
{
	static char none[] = "";
	*seen = NULL;
	if (x->merge) {
		int c = 1;
		while (x->man.cur.key && (c = strcmp(x->man.cur.key, rel)) < 0) {
			table_add(&x->missing, x->man.cur.key, none); /* its entry did not come */
			x->man.lines++;
			mcursor_next(&x->man);
		}
		if (x->man.cur.key && c == 0) {
			memcpy(line->value, x->man.cur.value, 65);
			x->man.lines++;
			mcursor_next(&x->man);
			return 1;
		}
		if (manifest_table(x, errbuf, errlen) < 0)
			return -1;
	}
	struct pair *p = table_find(&x->sums, rel);
	if (!p)
		return 0;
	memcpy(line->value, p->value, 65);
	*seen = p;
	return 1;
}

static int extract_entries(struct extract *x, char *errbuf, size_t errlen)
{
	zip_int64_t n = zip_get_num_entries(x->za, 0);
	size_t rlen = strlen(x->root);
	for (zip_int64_t i = 0; x->prog && i < n && i < MAX_FILES; i++) { /* the totals, from the directory */
		zip_stat_t st;
		if (zip_stat_index(x->za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
		    !(st.valid & ZIP_STAT_NAME && *st.name && st.name[strlen(st.name) - 1] == '/'))
			x->total++, x->total_bytes += st.size;
	}
	if (n > MAX_FILES)
		fail(x->r, x->root, "the packet holds %lld entries, more than the %d recpack reads; the rest were "
		     "not extracted", (long long)n, MAX_FILES);
	for (zip_int64_t i = 0; i < n && i < MAX_FILES; i++) {
		const char *name = zip_get_name(x->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (!name || (*name && name[strlen(name) - 1] == '/'))
			continue;
		if (strncmp(name, x->root, rlen) != 0) {
			fail(x->r, name, "is outside the bag folder; not extracted");
			continue;
		}
		const char *rel = name + rlen;
		if (x->names.n && rewritten_index(rel) >= 0)
			continue; /* rewritten at the end */
		const char *out = renamed(x, rel);
		const char *bad = packetread_entry_problem(x->za, (zip_uint64_t)i, rel);
		if (bad || !packetread_path_safe(out)) {
			fail(x->r, name, "%s; not extracted", bad ? bad : "is given an unsafe name by packet.json");
			continue;
		}
		/* documents must be in the manifest; tag files are checked when the tagmanifest lists them */
		int payload = strncmp(rel, "data/", 5) == 0;
		char wsha[65];
		struct pair line = { .value = wsha }, *seen = NULL, *want = NULL;
		if (payload) {
			int rc = manifest_want(x, rel, &line, &seen, errbuf, errlen);
			if (rc < 0)
				return RP_ESOURCE;
			want = rc ? &line : NULL;
		} else {
			want = seen = table_find(&x->tagsums, rel);
		}
		int pooled = pool_entry(x, i, rel, out, want, seen, payload, errbuf, errlen);
		if (pooled < 0)
			return RP_EUSAGE;
		if (!pooled) { /* in order: after the pool's entries */
			rawpool_drain(x->pool);
			if (x->pool_rc)
				break;
			int rc = extract_entry(x, i, rel, out, want, payload, errbuf, errlen);
			if (!rc && seen && want != seen)
				seen->seen = want->seen;
			if (rc)
				return rc;
		}
		if (x->pool_rc)
			break;
	}
	rawpool_drain(x->pool);
	if (x->pool_rc) {
		snprintf(errbuf, errlen, "%s", x->pool_err);
		return x->pool_rc;
	}
	return RP_OK;
}

/* ---- rewriting the tag files that name documents ---- */

static int path_char(char c)
{
	return c && !strchr(" \t\r\n\"'<>()", c);
}

/* Replace every "data/..." token that is a neutral name with its original (href-encoded in
 * index.html). */
static char *rewrite_text(const struct extract *x, const char *text, int html)
{
	struct sbuf b = { 0 };
	const char *p = text;
	while (*p) {
		const char *hit = strstr(p, "data/");
		if (!hit) {
			sbuf_puts(&b, p);
			break;
		}
		const char *end = hit;
		while (path_char(*end))
			end++;
		sbuf_put(&b, p, (size_t)(hit - p));
		char *tok = xstrndup(hit, (size_t)(end - hit));
		struct pair *pr = (hit == text || !path_char(hit[-1])) ? table_find(&x->names, tok) : NULL;
		if (pr && html)
			html_href(&b, pr->value);
		else
			sbuf_puts(&b, pr ? pr->value : tok);
		free(tok);
		p = end;
	}
	return sbuf_take(&b, NULL);
}

static char *rewrite_manifest(const struct extract *x)
{
	struct sbuf b = { 0 };
	for (size_t i = 0; i < x->sums.n; i++) {
		sbuf_printf(&b, "%s  ", x->sums.v[i].value);
		bag_put_path(&b, renamed(x, x->sums.v[i].key));
		sbuf_puts(&b, "\n");
	}
	return sbuf_take(&b, NULL);
}

/* v as JSON indented by 2, each line after the first indented by `indent` more. */
static void put_json(struct sbuf *b, json_t *v, const char *indent)
{
	char *js = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	for (const char *p = js ? js : "null"; *p; p++) {
		sbuf_put(b, p, 1);
		if (*p == '\n')
			sbuf_puts(b, indent); /* JSON strings hold no raw newline */
	}
	free(js);
}

static int put_document(json_t *d, void *arg)
{
	struct sbuf *b = arg;
	json_t *orig = json_object_get(d, "original_path");
	if (json_is_string(orig)) {
		json_object_set(d, "path", orig);
		json_object_del(d, "original_path");
	}
	sbuf_puts(b, b->len && b->p[b->len - 1] == '[' ? "\n    " : ",\n    ");
	put_json(b, d, "    ");
	return 0;
}

/* packet.json with the original names, written one document at a time: the documents, then
 * the rest of the object (its keys in their order). */
static char *rewrite_json(const struct extract *x, const char *text, size_t len)
{
	char why[256];
	struct sbuf docs = { 0 }, b = { 0 };
	json_t *top, *v;
	const char *key;
	sbuf_puts(&docs, "[");
	if (packetread_json_each(text, len, &top, put_document, &docs, why, sizeof(why)) != 0) {
		free(docs.p);
		return xstrdup(text);
	}
	sbuf_puts(&docs, docs.len > 1 ? "\n  ]" : "]");
	if (x->r->bag)
		json_object_set_new(top, "bag", json_string(x->r->bag));
	json_object_del(top, "original_bag");
	json_object_del(top, "encrypted");
	sbuf_puts(&b, "{");
	int first = 1;
	json_object_foreach(top, key, v) {
		if (strcmp(key, "problems") == 0) { /* where a build puts the documents */
			sbuf_printf(&b, "%s\n  \"documents\": %s", first ? "" : ",", docs.p);
			first = 0;
			free(docs.p);
			docs.p = NULL;
		}
		json_t *k = json_string(key);
		sbuf_puts(&b, first ? "\n  " : ",\n  ");
		put_json(&b, k, "  ");
		sbuf_puts(&b, ": ");
		put_json(&b, v, "  ");
		json_decref(k);
		first = 0;
	}
	if (docs.p)
		sbuf_printf(&b, "%s\n  \"documents\": %s", first ? "" : ",", docs.p);
	sbuf_puts(&b, "\n}\n");
	free(docs.p);
	json_decref(top);
	return sbuf_take(&b, NULL);
}

/* Check each held tag file against the packet's tagmanifest, write its new form, and write a
 * tagmanifest with the new checksums. */
static int write_rewritten(struct extract *x, char *errbuf, size_t errlen)
{
	char sha[65];
	int rc = RP_OK;
	for (size_t i = 0; i + 1 < NREWRITTEN && !rc; i++) {
		if (!x->tags[i])
			continue;
		char old[65];
		sha256_buf(x->tags[i], x->taglen[i], NULL, old);
		struct pair *want = table_find(&x->tagsums, rewritten[i]);
		if (want)
			want->seen = 1;
		if (want && strcmp(want->value, old) != 0) {
			fail(x->r, rewritten[i], "has been changed or damaged: its SHA-256 does not match the tag manifest");
			continue;
		}
		char *text = i == 0 ? rewrite_manifest(x) : i == 1 ? rewrite_json(x, x->tags[i], x->taglen[i])
								   : rewrite_text(x, x->tags[i], i == 3);
		rc = write_text(x, rewritten[i], text, strlen(text), sha, errbuf, errlen);
		free(text);
		if (!rc && want)
			memcpy(want->value, sha, 65); /* the tagmanifest lists the new file */
	}
	if (rc || !x->tags[NREWRITTEN - 1])
		return rc;
	struct sbuf b = { 0 };
	for (size_t i = 0; i < x->tagsums.n; i++)
		sbuf_printf(&b, "%s  %s\n", x->tagsums.v[i].value, x->tagsums.v[i].key);
	size_t len;
	char *text = sbuf_take(&b, &len);
	rc = write_text(x, "tagmanifest-sha256.txt", text, len, sha, errbuf, errlen);
	free(text);
	return rc;
}

/* ---- the whole ---- */

/* The manifests, parsed; packet.json's names; and, only when names are restored (an encrypted
 * packet), the tag files that name documents, to rewrite. Otherwise no tag file is held: memory
 * does not grow with them. */
static int load_tags(struct extract *x, char *errbuf, size_t errlen)
{
	const size_t tm = NREWRITTEN - 1; /* the tagmanifest: a few lines, held */
	int rc = read_tag(x, rewritten[tm], &x->tags[tm], &x->taglen[tm], errbuf, errlen);
	if (rc)
		return rc;
	if (x->tags[tm])
		parse_manifest(x->tags[tm], x->taglen[tm], &x->tagsums);
	char *full = xasprintf("%smanifest-sha256.txt", x->root);
	zip_int64_t idx = zip_name_locate(x->za, full, 0);
	free(full);
	if (idx < 0) {
		snprintf(errbuf, errlen, "holds no manifest-sha256.txt: there is nothing to check the documents against");
		return RP_ESOURCE;
	}
	if ((rc = load_names(x, errbuf, errlen)))
		return rc;
	if (x->names.n) { /* names restored: every tag file that names documents is rewritten */
		for (size_t i = 0; i < tm; i++)
			if ((rc = read_tag(x, rewritten[i], &x->tags[i], &x->taglen[i], errbuf, errlen)))
				return rc;
		if (!x->tags[0]) {
			snprintf(errbuf, errlen, "holds no manifest-sha256.txt: there is nothing to check the documents against");
			return RP_ESOURCE;
		}
		parse_manifest(x->tags[0], x->taglen[0], &x->sums);
		return RP_OK;
	}
	/* else no tag file is held: the manifest is read in step with the entries */
	free(x->tags[tm]);
	x->tags[tm] = NULL;
	zip_stat_t st;
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > PACKETREAD_MAX_MANIFEST) {
		snprintf(errbuf, errlen, "%smanifest-sha256.txt is bigger than the %u MiB recpack reads of a tag file: it is "
			 "damaged or made to exhaust memory", x->root, PACKETREAD_MAX_MANIFEST >> 20);
		return RP_ESOURCE;
	}
	x->man.src = packetread_stream_zip(x->za, (zip_uint64_t)idx);
	if (!x->man.src) {
		int pe = password_error(x->za);
		snprintf(errbuf, errlen, "%s", pe == ZIP_ER_NOPASSWD ? "the packet is encrypted: give its password"
				    : pe ? "the password is wrong (passwords are case-sensitive; check it with the sender)"
					 : zip_strerror(x->za));
		return pe ? RP_EUSAGE : RP_ESOURCE;
	}
	x->man.cur.value = xmalloc(65);
	x->merge = 1;
	mcursor_next(&x->man);
	return RP_OK;
}

static int make_dir(const char *dir, char *errbuf, size_t errlen)
{
	struct stat sb;
	if (mkdir(dir, 0700) == 0 || (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)))
		return RP_OK;
	snprintf(errbuf, errlen, "cannot make the folder %s: %s", dir, strerror(errno == EEXIST ? ENOTDIR : errno));
	return RP_EOUTPUT;
}

/* The temp folder in dir, registered with cleanup.h so a signal removes it. */
static int make_temp(struct extract *x, const char *dir, char *errbuf, size_t errlen)
{
	x->tmp = path_join(dir, ".recpack-extract.XXXXXX");
	x->cleanup = cleanup_mkdtemp(x->tmp);
	if (x->cleanup < 0) {
		snprintf(errbuf, errlen, "cannot write in %s: %s", dir, strerror(errno));
		free(x->tmp);
		x->tmp = NULL;
		x->cleanup = 0;
		return RP_EOUTPUT;
	}
	return RP_OK;
}

/* fsync the folder at path (its entries: a rename into it, the files made in it). */
static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Everything written under the temp folder reaches the disk with one syncfs() of its file
 * system, before the folder is renamed into place: the same guarantee as an fsync of every
 * file and folder (10,027 of them for 10,000 files), without waiting for the disk each time. */
static int sync_tree(const char *tmp)
{
	int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = syncfs(fd);
	close(fd);
	return rc;
}

static int finish(struct extract *x, const char *dir, char *errbuf, size_t errlen)
{
	for (size_t i = 0; i < x->missing.n; i++)
		fail(x->r, renamed(x, x->missing.v[i].key), "is missing from the packet (listed in its manifest)");
	for (; x->merge && x->man.cur.key; mcursor_next(&x->man))
		fail(x->r, renamed(x, x->man.cur.key), "is missing from the packet (listed in its manifest)");
	for (size_t i = 0; i < x->sums.n; i++)
		if (!x->sums.v[i].seen)
			fail(x->r, renamed(x, x->sums.v[i].key), "is missing from the packet (listed in its manifest)");
	chmod(x->tmp, 0700);
	if (sync_tree(x->tmp) < 0) {
		snprintf(errbuf, errlen, "cannot write in %s: %s", dir, strerror(errno));
		return RP_EOUTPUT;
	}
	if (renameat2(AT_FDCWD, x->tmp, AT_FDCWD, x->r->path, RENAME_NOREPLACE) < 0) {
		snprintf(errbuf, errlen, "cannot make %s in %s: %s", x->r->bag, dir, strerror(errno));
		return RP_EOUTPUT;
	}
	if (sync_dir(dir) < 0) {
		snprintf(errbuf, errlen, "cannot write in %s: %s", dir, strerror(errno));
		return RP_EOUTPUT;
	}
	cleanup_unregister(x->cleanup); /* renamed: no longer temporary */
	x->cleanup = 0;
	free(x->tmp);
	x->tmp = NULL;
	return RP_OK;
}

int extract_packet(const char *zip_path, const char *password, const char *dir, struct extract_result *r,
		   char *errbuf, size_t errlen)
{
	return extract_packet_watch(zip_path, password, dir, NULL, r, errbuf, errlen);
}

int extract_packet_watch(const char *zip_path, const char *password, const char *dir,
			 const struct verify_progress *prog, struct extract_result *r, char *errbuf, size_t errlen)
{
	struct extract x = { .r = r, .password = password, .prog = prog };
	int zerr = 0, rc = RP_OK, masked = 0;
	mode_t old_mask = 0;
	char msg[512] = "";
	memset(r, 0, sizeof(*r));
	x.za = zip_open(zip_path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!x.za) {
		snprintf(errbuf, errlen, "%s is not a readable ZIP file: it is damaged, incomplete or not a packet",
			 zip_path);
		return RP_ESOURCE;
	}
	if (!(x.root = zip_root(x.za))) {
		snprintf(errbuf, errlen, "%s holds no bagit.txt: it is not a recpack packet or BagIt bag", zip_path);
		rc = RP_ESOURCE;
		goto out;
	}
	if (password)
		zip_set_default_password(x.za, password);
	if ((rc = load_tags(&x, msg, sizeof(msg)))) {
		snprintf(errbuf, errlen, "%s: %s", zip_path, msg);
		goto out;
	}
	r->renamed = x.names.n > 0;
	if (!r->bag)
		r->bag = *x.root ? xstrndup(x.root, strlen(x.root) - 1) : xstrdup("packet");
	if (!*r->bag || !packetread_bag_safe(r->bag)) {
		snprintf(errbuf, errlen, "%s: the bag folder has an unsafe name; nothing was extracted", zip_path);
		rc = RP_ESOURCE;
		goto out;
	}
	if ((rc = make_dir(dir, errbuf, errlen)))
		goto out;
	r->path = path_join(dir, r->bag);
	struct stat sb;
	if (lstat(r->path, &sb) == 0) {
		snprintf(errbuf, errlen, "%s already exists: remove it or extract into another folder (-d)", r->path);
		rc = RP_EOUTPUT;
		goto out;
	}
	if ((rc = make_temp(&x, dir, errbuf, errlen)))
		goto out;
	x.buf = xmalloc(CHUNK);
	x.inflater = libdeflate_alloc_decompressor();
	x.pool = rawpool_new(xjob_work, xjob_done, &x);
	/* files 0600 and folders 0700 as they are made, without a chmod each */
	old_mask = umask(077);
	masked = 1;
	if ((rc = extract_entries(&x, msg, sizeof(msg))) || (x.names.n && (rc = write_rewritten(&x, msg, sizeof(msg))))) {
		snprintf(errbuf, errlen, "%s: %s", zip_path, msg);
		goto out;
	}
	rawpool_free(x.pool);
	x.pool = NULL;
	rc = finish(&x, dir, errbuf, errlen);
out:
	rawpool_free(x.pool); /* its workers stop writing before the temp folder goes */
	if (masked)
		umask(old_mask);
	if (x.tmp) {
		cleanup_remove_tree(x.tmp);
		cleanup_unregister(x.cleanup);
		free(x.tmp);
	}
	for (size_t i = 0; i < NREWRITTEN; i++)
		free(x.tags[i]);
	table_free(&x.names);
	table_free(&x.sums);
	table_free(&x.missing);
	mcursor_free(&x.man);
	table_free(&x.tagsums);
	free(x.buf);
	free(x.raw);
	free(x.plain);
	free(x.last_dir);
	libdeflate_free_decompressor(x.inflater);
	free(x.root);
	zip_discard(x.za);
	return rc;
}

void extract_result_free(struct extract_result *r)
{
	verify_failures_free(r->v, r->n);
	free(r->bag);
	free(r->path);
	memset(r, 0, sizeof(*r));
}
