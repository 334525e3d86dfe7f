/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verify.c: see verify.h. Two passes: the bag's top-level names first (which manifests, so
 * which digests every file needs), then every file read once, hashed with each of them, its
 * tag files kept to parse; then the checks of RFC 8493, and of recpack's packet.json. */
#include "packet/verify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "packet/bagit.h"
#include "packet/bagprofile.h"
#include "packet/bagtar.h"
#include "packet/packetread.h"
#include "packet/rawpool.h"
#include "sys/outfile.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define CHUNK (256 * 1024)
#define MAX_FILES 2000000
#define MAX_TAGS 64 /* tag files kept to parse: 6 manifests, 6 tag manifests and a few more */

size_t verify_max_manifest = PACKETREAD_MAX_MANIFEST;

struct vfile {
	char *path;                /* relative to the bag */
	char *hex[DIGEST_ALGS];    /* its digest by each algorithm in use, else NULL */
	uint64_t size;
	unsigned listed;           /* bit alg: the payload manifest of alg lists it */
	int bad;                   /* a manifest disagrees with it */
	int not_utf8;              /* a tag file whose bytes are not UTF-8 */
};

struct tagtext {
	char *name;
	char *text;
	size_t len;
};

struct vset {
	struct vfile *v;
	size_t n, cap;
	struct tagtext tags[MAX_TAGS];
	size_t ntags;
	unsigned algs;       /* bit alg: some manifest uses alg, so every file is hashed with it */
	int has_data;        /* a data/ folder or file was seen */
	int has_packetjson;  /* packet.json is there: a recpack packet */
	int packetjson_read; /* and it was read whole, undamaged: it is checked again, streamed */
	char *root;          /* where the bag is: "NAME/" in a ZIP or tar, the folder's path */
	const char *password;
	int password_err; /* ZIP_ER_NOPASSWD or ZIP_ER_WRONGPASSWD: stop, it is not damage */
	int manifest_too_big; /* said once; its documents are not each reported unlisted */
	size_t kept;          /* bytes of tag files kept, all together */
	const struct verify_progress *prog; /* NULL: silent */
	size_t total;         /* files, when known before reading (a ZIP's directory), else 0 */
	uint64_t bytes, total_bytes;
};

/* All the tag files kept, together: two manifests at the bound and packet.json, as before
 * a bag could carry six manifests and six tag manifests. */
static size_t kept_budget(void)
{
	return 2 * verify_max_manifest + PACKETREAD_MAX_JSON;
}

static void fail(struct verify_result *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct verify_result *r, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verify_failure_vadd(&r->v, &r->n, &r->cap, path, fmt, ap);
	va_end(ap);
}

/* Is rel (relative to the bag) a tag file verify parses? (Manifests of algorithms it does
 * not know are not read.) */
static int is_parsed_tag(const char *rel)
{
	int payload;
	char alg[32];
	return strcmp(rel, "bagit.txt") == 0 || strcmp(rel, "bag-info.txt") == 0 || strcmp(rel, "fetch.txt") == 0 ||
	       (bagit_manifest_name(rel, &payload, alg, sizeof(alg)) && digest_alg(alg) >= 0);
}

static struct tagtext *tag_get(struct vset *s, const char *name)
{
	for (size_t i = 0; i < s->ntags; i++)
		if (strcmp(s->tags[i].name, name) == 0)
			return &s->tags[i];
	return NULL;
}

/* A name at the bag's top level or below, seen before the files are read. */
static void note_name(struct vset *s, const char *rel)
{
	int payload, alg;
	char name[32];
	if (strncmp(rel, "data/", 5) == 0 || strcmp(rel, "data") == 0)
		s->has_data = 1;
	if (strcmp(rel, "packet.json") == 0)
		s->has_packetjson = 1;
	if (bagit_manifest_name(rel, &payload, name, sizeof(name)) && (alg = digest_alg(name)) >= 0)
		s->algs |= 1u << alg;
}

/* How much of the tag file rel is kept to be parsed: never more than the reader of that file
 * (list, extract) would take, so verify refuses what they refuse. */
static size_t tag_max(const char *rel)
{
	return strcmp(rel, "packet.json") == 0 ? PACKETREAD_MAX_JSON : verify_max_manifest;
}

/* A file being read: hash it, and keep it when it is a tag file we parse. */
struct reading {
	struct digest *md[DIGEST_ALGS];
	struct sbuf keep;
	int keeping;  /* a tag file to keep */
	size_t max;   /* keep at most this much */
	int too_big;
	uint64_t size;
	int tag;      /* a tag file (outside data/): its bytes must be text in the bag's encoding */
	int bad_utf8;
	unsigned char carry[4]; /* a character cut between two reads */
	size_t ncarry;
};

static size_t utf8_seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
}

/* Whether the bytes read so far are UTF-8, a character cut between reads decided later. */
static void utf8_feed(struct reading *rd, const unsigned char *p, size_t n)
{
	if (rd->bad_utf8)
		return;
	if (rd->ncarry) {
		size_t need = utf8_seq_len(rd->carry[0]);
		while (rd->ncarry < need && n > 0)
			rd->carry[rd->ncarry++] = *p++, n--;
		if (rd->ncarry < need)
			return;
		if (utf8_invalid_at((const char *)rd->carry, need) != need) {
			rd->bad_utf8 = 1;
			return;
		}
		rd->ncarry = 0;
	}
	size_t at = utf8_invalid_at((const char *)p, n), need = at < n ? utf8_seq_len(p[at]) : 0;
	if (at < n && need && n - at < need) { /* maybe only cut: decided with the next bytes */
		memcpy(rd->carry, p + at, n - at);
		rd->ncarry = n - at;
	} else if (at < n) {
		rd->bad_utf8 = 1;
	}
}

static void reading_start(struct reading *rd, struct vset *s, const char *rel)
{
	memset(rd, 0, sizeof(*rd));
	for (int a = 0; a < DIGEST_ALGS; a++)
		if (s->algs & (1u << a))
			rd->md[a] = digest_new(a);
	rd->tag = strncmp(rel, "data/", 5) != 0;
	rd->keeping = is_parsed_tag(rel) && s->ntags < MAX_TAGS && !tag_get(s, rel);
	rd->max = tag_max(rel);
	if (rd->max > kept_budget() - s->kept)
		rd->max = kept_budget() - s->kept;
}

static void reading_add(struct reading *rd, const void *buf, size_t n)
{
	for (int a = 0; a < DIGEST_ALGS; a++)
		if (rd->md[a])
			digest_update(rd->md[a], buf, n);
	rd->size += n;
	if (rd->tag)
		utf8_feed(rd, buf, n);
	if (!rd->keeping || rd->too_big)
		return;
	if (rd->keep.len + n > rd->max) {
		rd->too_big = 1;
		free(rd->keep.p);
		memset(&rd->keep, 0, sizeof(rd->keep));
		return;
	}
	sbuf_put(&rd->keep, buf, n);
}

static void reading_drop(struct reading *rd)
{
	for (int a = 0; a < DIGEST_ALGS; a++)
		digest_free(rd->md[a]);
	free(rd->keep.p);
}

static void reading_finish(struct reading *rd, struct vset *s, const char *rel, struct verify_result *r)
{
	int payload;
	char alg[32];
	if (rd->too_big) {
		fail(r, rel, "is bigger than the %zu MiB recpack reads of it: it cannot be checked (damaged, or made "
		     "to exhaust memory)", rd->max >> 20);
		if (bagit_manifest_name(rel, &payload, alg, sizeof(alg)) && payload)
			s->manifest_too_big = 1;
	}
	grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	struct vfile *f = &s->v[s->n++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(rel);
	f->size = rd->size;
	if (strcmp(rel, "packet.json") == 0)
		s->packetjson_read = 1;
	f->not_utf8 = rd->tag && (rd->bad_utf8 || rd->ncarry);
	if (s->prog && s->prog->fn) /* one more file read */
		s->prog->fn(s->prog->arg, s->n, s->total, s->bytes += rd->size, s->total_bytes);
	for (int a = 0; a < DIGEST_ALGS; a++) {
		char hex[DIGEST_MAX_HEX + 1];
		if (rd->md[a] && digest_final_hex(rd->md[a], hex) == 0)
			f->hex[a] = xstrdup(hex);
	}
	if (rd->keeping && !rd->too_big) {
		struct tagtext *t = &s->tags[s->ntags++];
		t->name = xstrdup(rel);
		sbuf_put(&rd->keep, "", 0);
		t->text = sbuf_take(&rd->keep, &t->len);
		s->kept += t->len;
	}
	reading_drop(rd);
}

/* ---- ZIP ---- */

static void zip_read_entry(zip_t *za, zip_uint64_t i, const char *rel, struct vset *s,
			   struct verify_result *r, unsigned char *buf)
{
	struct reading rd;
	zip_file_t *zf = packetread_zip_fopen(za, i);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(za));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD)
			s->password_err = ze;
		else
			fail(r, rel, "cannot be read from the ZIP: %s", zip_strerror(za));
		return;
	}
	reading_start(&rd, s, rel);
	zip_int64_t n;
	while ((n = zip_fread(zf, buf, CHUNK)) > 0)
		reading_add(&rd, buf, (size_t)n);
	if (n < 0) {
		fail(r, rel, "is damaged in the ZIP (%s)", zip_file_strerror(zf));
		zip_fclose(zf);
		reading_drop(&rd);
		return;
	}
	if (zip_fclose(zf) != 0) {
		fail(r, rel, "is damaged in the ZIP (CRC check failed)");
		reading_drop(&rd);
		return;
	}
	reading_finish(&rd, s, rel, r);
}

/* An entry checked on the pool: its reading started here, fed on a worker, finished in order. */
struct pooled {
	struct reading rd;
	char *rel;
};

struct zipread {
	struct vset *s;
	struct verify_result *r;
};

static void pool_work(struct rawjob *j, void *arg)
{
	(void)arg;
	struct pooled *e = j->user;
	reading_add(&e->rd, j->data, (size_t)j->size);
}

static void pool_done(struct rawjob *j, void *arg)
{
	struct zipread *z = arg;
	struct pooled *e = j->user;
	if (j->damage) {
		fail(z->r, e->rel, "is damaged in the ZIP (%s)", j->damage);
		reading_drop(&e->rd);
	} else {
		reading_finish(&e->rd, z->s, e->rel, z->r);
	}
	free(e->rel);
	free(e);
}

/* Entry i: documents and other files go to the pool (read raw, inflated and hashed on every
 * core); tag files verify parses, and entries the pool does not take, are read here, in
 * order, after the pool's. */
static void zip_check_entry(zip_t *za, zip_uint64_t i, const char *rel, struct vset *s, struct verify_result *r,
			    struct rawpool *pool, unsigned char *buf)
{
	zip_stat_t st;
	if (is_parsed_tag(rel) || zip_stat_index(za, i, 0, &st) < 0 || !rawpool_takes(&st)) {
		rawpool_drain(pool);
		zip_read_entry(za, i, rel, s, r, buf);
		return;
	}
	struct pooled *e = xmalloc(sizeof(*e));
	e->rel = xstrdup(rel);
	reading_start(&e->rd, s, rel);
	if (rawpool_add(pool, za, i, &st, e) == 0)
		return;
	int ze = zip_error_code_zip(zip_get_error(za));
	if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD)
		s->password_err = ze;
	else
		fail(r, rel, "cannot be read from the ZIP: %s", zip_strerror(za));
	reading_drop(&e->rd);
	free(e->rel);
	free(e);
}

static int read_zip(const char *path, struct vset *s, struct verify_result *r)
{
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!za) {
		zip_error_t e;
		zip_error_init_with_code(&e, zerr);
		fail(r, path, "is not a readable ZIP file (%s): it is damaged or incomplete", zip_error_strerror(&e));
		zip_error_fini(&e);
		return 0;
	}
	char *root = packetread_bag_root(za);
	if (!root) {
		fail(r, path, "holds no bagit.txt: it is not a recpack packet or BagIt bag");
		zip_discard(za);
		return 0;
	}
	r->bag = xstrndup(root, strlen(root) ? strlen(root) - 1 : 0);
	s->root = xstrdup(root);
	if (!packetread_bag_safe(r->bag)) {
		fail(r, path, "has a bag folder with an unsafe name (\"..\", a hidden or a nested folder): "
		     "unzip could write outside the folder it is given");
		free(root);
		zip_discard(za);
		return 0;
	}
	if (s->password)
		zip_set_default_password(za, s->password);
	unsigned char *buf = xmalloc(CHUNK);
	zip_int64_t n = zip_get_num_entries(za, 0);
	size_t rlen = strlen(root);
	for (zip_int64_t i = 0; i < n && (size_t)i < MAX_FILES; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		zip_stat_t st;
		if (s->prog && zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
		    name && *name && name[strlen(name) - 1] != '/')
			s->total++, s->total_bytes += st.size; /* the totals, for progress */
		if (name && strncmp(name, root, rlen) == 0)
			note_name(s, name + rlen);
	}
	if (n > MAX_FILES)
		fail(r, path, "holds %lld entries, more than the %d recpack reads: only the first were checked",
		     (long long)n, MAX_FILES);
	struct zipread z = { .s = s, .r = r };
	struct rawpool *pool = rawpool_new(pool_work, pool_done, &z);
	for (zip_int64_t i = 0; i < n && (size_t)i < MAX_FILES && !s->password_err; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		if (!name || (*name && name[strlen(name) - 1] == '/'))
			continue; /* folders */
		if (strncmp(name, root, rlen) != 0) {
			fail(r, name, "is outside the bag folder %s", r->bag);
			continue;
		}
		const char *bad = packetread_entry_problem(za, (zip_uint64_t)i, name + rlen);
		if (bad)
			fail(r, name, "%s", bad);
		else
			zip_check_entry(za, (zip_uint64_t)i, name + rlen, s, r, pool, buf);
	}
	rawpool_free(pool);
	free(buf);
	free(root);
	zip_discard(za);
	return 0;
}

/* ---- folder ---- */

static int read_file(const char *full, const char *rel, struct vset *s, struct verify_result *r,
		     unsigned char *buf)
{
	struct reading rd;
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		fail(r, rel, "cannot be read: %s", strerror(errno));
		return 0;
	}
	reading_start(&rd, s, rel);
	ssize_t n;
	while ((n = read(fd, buf, CHUNK)) > 0)
		reading_add(&rd, buf, (size_t)n);
	close(fd);
	if (n < 0) {
		fail(r, rel, "cannot be read: %s", strerror(errno));
		reading_drop(&rd);
		return 0;
	}
	reading_finish(&rd, s, rel, r);
	return 0;
}

static int walk(const char *dir, const char *rel, struct vset *s, struct verify_result *r,
		unsigned char *buf, int depth)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		fail(r, *rel ? rel : dir, "cannot be read: %s", strerror(errno));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		if (strcmp(nm, ".") != 0 && strcmp(nm, "..") != 0 && s->n < MAX_FILES) {
			char *full = path_join(dir, nm);
			char *sub = *rel ? xasprintf("%s/%s", rel, nm) : xstrdup(nm);
			struct stat sb;
			if (!packetread_path_safe(sub))
				fail(r, sub, "has an unsafe name (control characters or a backslash)");
			else if (lstat(full, &sb) < 0)
				fail(r, sub, "cannot be read: %s", strerror(errno));
			else if (S_ISDIR(sb.st_mode) && depth < 64)
				walk(full, sub, s, r, buf, depth + 1);
			else if (S_ISREG(sb.st_mode))
				read_file(full, sub, s, r, buf);
			else
				fail(r, sub, "is not a regular file");
			free(full);
			free(sub);
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static int read_dir(const char *path, struct vset *s, struct verify_result *r)
{
	char *root = NULL;
	char *probe = path_join(path, "bagit.txt");
	if (access(probe, F_OK) == 0) {
		root = xstrdup(path);
	} else {
		/* an extracted packet: the folder holding the bag folder */
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && !root && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char *sub = path_join(path, e->d_name);
			char *p = path_join(sub, "bagit.txt");
			if (access(p, F_OK) == 0)
				root = xstrdup(sub);
			free(p);
			free(sub);
		}
		if (d)
			closedir(d);
	}
	free(probe);
	if (!root) {
		fail(r, path, "holds no bagit.txt: it is not a recpack packet or BagIt bag");
		return 0;
	}
	char *trimmed = xstrdup(root);
	size_t tl = strlen(trimmed);
	while (tl > 1 && trimmed[tl - 1] == '/')
		trimmed[--tl] = '\0';
	r->bag = xstrdup(path_basename(trimmed));
	s->root = xstrdup(root);
	free(trimmed);
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		note_name(s, e->d_name);
	if (d)
		closedir(d);
	unsigned char *buf = xmalloc(CHUNK);
	walk(root, "", s, r, buf, 0);
	free(buf);
	free(root);
	return 0;
}

/* ---- tar ---- */

/* "" when bagit.txt is at the top of the tar, "NAME/" when it is in one top-level folder. */
static char *tar_root(const char *path, struct verify_result *r)
{
	char err[256];
	struct bagtar_entry e;
	struct bagtar *t = bagtar_open(path, err, sizeof(err));
	char *root = NULL;
	size_t seen = 0;
	int rc = 0;
	if (!t) {
		fail(r, path, "is not a readable tar file (%s): it is damaged or incomplete", err);
		return NULL;
	}
	while (!root && seen++ < MAX_FILES && (rc = bagtar_next(t, &e, err, sizeof(err))) > 0) {
		const char *slash = strchr(e.name, '/');
		if (strcmp(e.name, "bagit.txt") == 0)
			root = xstrdup("");
		else if (slash && strcmp(slash + 1, "bagit.txt") == 0)
			root = xstrndup(e.name, (size_t)(slash - e.name) + 1);
	}
	if (rc < 0)
		fail(r, path, "is a damaged tar file (%s)", err);
	else if (!root)
		fail(r, path, "holds no bagit.txt: it is not a recpack packet or BagIt bag");
	bagtar_close(t);
	return root;
}

static void tar_read_entry(struct bagtar *t, const char *rel, struct vset *s, struct verify_result *r,
			   unsigned char *buf)
{
	struct reading rd;
	char err[256];
	ssize_t n;
	reading_start(&rd, s, rel);
	while ((n = bagtar_read(t, buf, CHUNK, err, sizeof(err))) > 0)
		reading_add(&rd, buf, (size_t)n);
	if (n < 0) {
		fail(r, rel, "is damaged in the tar file (%s)", err);
		reading_drop(&rd);
		return;
	}
	reading_finish(&rd, s, rel, r);
}

/* The second pass: every entry under root read, each checked as the ZIP's are. */
static void tar_read_all(const char *path, const char *root, struct vset *s, struct verify_result *r)
{
	char err[256];
	struct bagtar_entry e;
	size_t rlen = strlen(root), seen = 0;
	int rc;
	struct bagtar *t = bagtar_open(path, err, sizeof(err));
	if (!t)
		return;
	unsigned char *buf = xmalloc(CHUNK);
	while ((rc = bagtar_next(t, &e, err, sizeof(err))) > 0) {
		if (++seen > MAX_FILES) {
			fail(r, path, "holds more than the %d entries recpack reads: only the first were checked", MAX_FILES);
			break;
		}
		if (e.type == BAGTAR_DIR || !*e.name)
			continue;
		if (strncmp(e.name, root, rlen) != 0) {
			fail(r, e.name, "is outside the bag folder %s", r->bag);
			continue;
		}
		const char *rel = e.name + rlen;
		if (!packetread_path_safe(rel))
			fail(r, e.name, "has an unsafe name (an absolute path, \"..\", a backslash or control characters)");
		else if (e.type == BAGTAR_LINK)
			fail(r, e.name, "is a symbolic or hard link (tar would make it point anywhere, outside the bag too)");
		else if (e.type != BAGTAR_FILE)
			fail(r, e.name, "is not a regular file (a device, pipe or socket entry)");
		else
			tar_read_entry(t, rel, s, r, buf);
	}
	if (rc < 0)
		fail(r, path, "is a damaged tar file (%s)", err);
	free(buf);
	bagtar_close(t);
}

static int read_tar(const char *path, struct vset *s, struct verify_result *r)
{
	char err[256];
	struct bagtar_entry e;
	char *root = tar_root(path, r);
	if (!root)
		return 0;
	r->bag = xstrndup(root, strlen(root) ? strlen(root) - 1 : 0);
	s->root = xstrdup(root);
	if (!packetread_bag_safe(r->bag)) {
		fail(r, path, "has a bag folder with an unsafe name (\"..\", a hidden or a nested folder): "
		     "tar could write outside the folder it is given");
		free(root);
		return 0;
	}
	struct bagtar *t = bagtar_open(path, err, sizeof(err));
	size_t rlen = strlen(root), seen = 0;
	while (t && seen++ < MAX_FILES && bagtar_next(t, &e, err, sizeof(err)) > 0)
		if (strncmp(e.name, root, rlen) == 0)
			note_name(s, e.name + rlen);
	bagtar_close(t);
	tar_read_all(path, root, s, r);
	free(root);
	return 0;
}

/* ---- the checks ---- */

static int cmp_vfile(const void *a, const void *b)
{
	return strcmp(((const struct vfile *)a)->path, ((const struct vfile *)b)->path);
}

static struct vfile *find(struct vset *s, const char *path)
{
	struct vfile key = { .path = (char *)path };
	return s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_vfile) : NULL;
}

static int is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

/* "SHA-256" for sha256, as people write it. */
static const char *alg_label(int alg)
{
	static const char *const labels[DIGEST_ALGS] = { "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512" };
	return labels[alg];
}

/* What verify learnt of the bag while checking it, for the profile and the report. */
struct bagstate {
	int major, minor;
	char *encoding;
	struct bagit_info info;
	struct bagit_fetch fetch;
	struct bagit_manifest m[2 * MAX_TAGS];
	size_t nm;
	struct bagit_notes notes;
};

static int in_fetch(const struct bagstate *b, const char *path)
{
	for (size_t i = 0; i < b->fetch.n; i++)
		if (strcmp(b->fetch.v[i].path, path) == 0)
			return 1;
	return 0;
}

/* bagit.txt, then every other tag file turned into UTF-8 from the encoding it declares. */
static void read_declaration(struct vset *s, struct bagstate *b, struct verify_result *r)
{
	struct tagtext *t = tag_get(s, "bagit.txt");
	b->major = 1;
	b->minor = 0;
	if (!t) {
		if (find(s, "bagit.txt"))
			return; /* too big: said already */
		fail(r, "bagit.txt", "is missing");
	} else if (bagit_declaration(t->text, t->len, &b->major, &b->minor, &b->encoding, &b->notes) < 0) {
		b->major = 1, b->minor = 0;
	}
	if (!b->encoding)
		b->encoding = xstrdup("UTF-8");
	for (size_t i = 0; i < s->ntags; i++) {
		t = &s->tags[i];
		if (strcmp(t->name, "bagit.txt") == 0 || strcmp(t->name, "packet.json") == 0)
			continue;
		char *u;
		size_t ulen;
		if (bagit_to_utf8(t->name, t->text, t->len, b->encoding, &u, &ulen, &b->notes) < 0)
			u = NULL, ulen = 0;
		free(t->text);
		t->text = u;
		t->len = ulen;
	}
}

static void check_entry(struct vset *s, struct bagstate *b, const struct bagit_manifest *m,
			const struct bagit_entry *e, struct verify_result *r)
{
	struct vfile *f = find(s, e->path);
	if (!f) {
		if (!m->payload || !in_fetch(b, e->path))
			fail(r, e->path, "is missing (listed in %s)", m->name);
	} else if (!f->hex[m->alg] || strcmp(f->hex[m->alg], e->hex) != 0) {
		fail(r, e->path, "has been changed or damaged: its %s does not match %s", alg_label(m->alg), m->name);
		f->bad = 1;
	}
	if (f && m->payload)
		f->listed |= 1u << m->alg;
}

/* Every manifest and tag manifest: each line checked, and every payload file listed in every
 * payload manifest. Returns the payload manifests' algorithms (bits). */
static unsigned check_manifests(struct vset *s, struct bagstate *b, int packet, struct verify_result *r)
{
	unsigned payload_algs = 0;
	int pct = b->major >= 1;
	for (size_t i = 0; i < s->ntags; i++) {
		struct tagtext *t = &s->tags[i];
		int payload, alg;
		char name[32];
		if (!bagit_manifest_name(t->name, &payload, name, sizeof(name)))
			continue;
		if ((alg = digest_alg(name)) < 0 || !t->text)
			continue; /* not read; not in its declared encoding: said already */
		struct bagit_manifest *m = &b->m[b->nm++];
		m->name = xstrdup(t->name);
		m->alg = alg;
		m->payload = payload;
		bagit_parse_manifest(m, t->text, t->len, pct, &b->notes);
		for (size_t k = 0; k < m->n; k++)
			check_entry(s, b, m, &m->v[k], r);
		if (payload)
			payload_algs |= 1u << alg;
	}
	for (size_t i = 0; i < s->n; i++) {
		int payload;
		char name[32];
		if (bagit_manifest_name(s->v[i].path, &payload, name, sizeof(name)) && digest_alg(name) < 0)
			bagit_note(&b->notes, 1, s->v[i].path, "uses the algorithm \"%s\", which recpack does not know: it "
				   "was not checked", name);
	}
	for (size_t i = 0; i < b->nm && !s->manifest_too_big; i++) {
		const struct bagit_manifest *m = &b->m[i];
		for (size_t k = 0; m->payload && k < s->n; k++)
			if (strncmp(s->v[k].path, "data/", 5) == 0 && !(s->v[k].listed & (1u << m->alg)))
				fail(r, s->v[k].path, "is not listed in %s (added after the %s was made?)", m->name,
				     packet ? "packet" : "bag");
	}
	return payload_algs;
}

static void count_payload(struct vset *s, unsigned payload_algs, struct verify_result *r)
{
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->v[i].path, "data/", 5) == 0) {
			r->bytes += s->v[i].size;
			if (payload_algs && (s->v[i].listed & payload_algs) == payload_algs && !s->v[i].bad)
				r->payload++;
		}
}

static void check_oxum(struct vset *s, struct bagstate *b, struct verify_result *r)
{
	uint64_t bytes = 0, count = 0, ob, oc;
	size_t times;
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->v[i].path, "data/", 5) == 0)
			bytes += s->v[i].size, count++;
	int unknown = 0;
	for (size_t i = 0; i < b->fetch.n; i++)
		if (!find(s, b->fetch.v[i].path)) {
			if (b->fetch.v[i].length < 0)
				unknown = 1;
			bytes += (uint64_t)(b->fetch.v[i].length < 0 ? 0 : b->fetch.v[i].length);
			count++;
		}
	const char *o = bagit_info_get(&b->info, "Payload-Oxum", &times);
	if (!o)
		return; /* optional in BagIt */
	if (times > 1)
		bagit_note(&b->notes, 1, "bag-info.txt", "has Payload-Oxum %zu times; the first was checked", times);
	if (bagit_parse_oxum(o, &ob, &oc) < 0)
		fail(r, "bag-info.txt", "has a Payload-Oxum that is not BYTES.COUNT");
	else if (unknown)
		bagit_note(&b->notes, 1, "bag-info.txt", "has a Payload-Oxum that cannot be checked: fetch.txt lists "
			   "files of unknown length that are not in the bag");
	else if (ob != bytes || oc != count)
		fail(r, "bag-info.txt", "Payload-Oxum says %llu bytes in %llu files, the bag holds %llu bytes in %llu files",
		     (unsigned long long)ob, (unsigned long long)oc, (unsigned long long)bytes,
		     (unsigned long long)count);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct bagit_entry *)a)->path, ((const struct bagit_entry *)b)->path);
}

/* fetch.txt: its files are reported, never fetched; each must be in every payload manifest. */
static void check_fetch(struct vset *s, struct bagstate *b, struct verify_result *r)
{
	for (size_t i = 0; i < b->fetch.n; i++) {
		const struct bagit_fetch_entry *e = &b->fetch.v[i];
		if (!find(s, e->path))
			bagit_note(&b->notes, 1, e->path, "is listed in fetch.txt (%s) and is not in the bag: recpack does "
				   "not download it, so it was not checked", e->url);
		for (size_t k = 0; k < b->nm; k++) {
			const struct bagit_manifest *m = &b->m[k];
			struct bagit_entry key = { .path = e->path };
			if (m->payload && !(m->n && bsearch(&key, m->v, m->n, sizeof(*m->v), cmp_entry)))
				fail(r, e->path, "is listed in fetch.txt but not in %s", m->name);
		}
	}
}

static void check_sidecar(const char *path, struct verify_result *r)
{
	char *side = xasprintf("%s.sha256", path);
	char line[512], hex[65], err[256];
	FILE *f = fopen(side, "r");
	if (!f) {
		free(side);
		return;
	}
	if (!fgets(line, sizeof(line), f) || strlen(line) < 64 || !is_hex64(line)) {
		fail(r, side, "is not a sha256sum line");
		r->sidecar = -1;
	} else if (outfile_sha256(path, hex, err, sizeof(err)) != RP_OK) {
		fail(r, path, "%s", err);
		r->sidecar = -1;
	} else if (strncasecmp(hex, line, 64) != 0) {
		fail(r, side, "does not match the packet: the ZIP file was changed or damaged after it was made");
		r->sidecar = -1;
	} else {
		r->sidecar = 1;
	}
	fclose(f);
	free(side);
}

static void vset_free(struct vset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		for (int a = 0; a < DIGEST_ALGS; a++)
			free(s->v[i].hex[a]);
	}
	free(s->v);
	free(s->root);
	for (size_t i = 0; i < s->ntags; i++) {
		free(s->tags[i].name);
		free(s->tags[i].text);
	}
}

static void bagstate_free(struct bagstate *b)
{
	free(b->encoding);
	bagit_info_free(&b->info);
	bagit_fetch_free(&b->fetch);
	for (size_t i = 0; i < b->nm; i++)
		bagit_manifest_free(&b->m[i]);
	bagit_notes_free(&b->notes);
}

/* packet.json of a tar file: the entry found, then read through bagtar. */
struct tarjson {
	struct bagtar *t;
	char err[256];
};

static long long tar_json_read(void *arg, void *buf, size_t n)
{
	struct tarjson *tj = arg;
	return bagtar_read(tj->t, buf, n, tj->err, sizeof(tj->err));
}

/* packet.json, when there is one, read again a window at a time and checked as list and
 * extract would read it (never held whole: it may be as big as they take, 1 GiB). */
static void check_packet_json(const char *path, const char *serialization, struct vset *s,
			      struct verify_result *r)
{
	char why[512] = "it cannot be read again";
	struct packetread_stream *src = NULL;
	zip_t *za = NULL;
	struct tarjson tj = { 0 };
	if (!s->packetjson_read || !s->root)
		return;
	if (!serialization) {
		char *p = path_join(s->root, "packet.json");
		src = packetread_stream_file(p);
		free(p);
	} else if (strcmp(serialization, "application/zip") == 0) {
		int zerr = 0;
		char *name = xasprintf("%spacket.json", s->root);
		za = zip_open(path, ZIP_RDONLY, &zerr);
		if (za && s->password)
			zip_set_default_password(za, s->password);
		zip_int64_t idx = za ? zip_name_locate(za, name, 0) : -1;
		src = idx >= 0 ? packetread_stream_zip(za, (zip_uint64_t)idx) : NULL;
		free(name);
	} else if ((tj.t = bagtar_open(path, tj.err, sizeof(tj.err))) != NULL) {
		struct bagtar_entry e;
		char *name = xasprintf("%spacket.json", s->root);
		while (!src && bagtar_next(tj.t, &e, tj.err, sizeof(tj.err)) > 0)
			if (e.type == BAGTAR_FILE && strcmp(e.name, name) == 0)
				src = packetread_stream_fn(tar_json_read, &tj);
		free(name);
	}
	if (!src || packetread_json_check_stream(src, why, sizeof(why)) < 0)
		fail(r, "packet.json", "cannot be used: %s", why);
	packetread_stream_close(src);
	if (tj.t)
		bagtar_close(tj.t);
	if (za)
		zip_discard(za);
}

/* The bag's facts as a profile sees them; lists[0] and [1] hold new strings (the
 * algorithms), [2] and [3] point into s. */
static void gather_facts(struct vset *s, struct bagstate *b, const char *serialization, struct bag_facts *f,
			 const char **lists[4])
{
	memset(f, 0, sizeof(*f));
	f->major = b->major;
	f->minor = b->minor;
	f->info = &b->info;
	f->serialization = serialization;
	for (int k = 0; k < 4; k++)
		lists[k] = xmalloc((s->n + 1) * sizeof(char *));
	for (size_t i = 0; i < s->n; i++) {
		const char *p = s->v[i].path;
		int payload;
		char alg[32];
		if (bagit_manifest_name(p, &payload, alg, sizeof(alg))) {
			if (payload)
				lists[0][f->nmanifests++] = xstrdup(alg);
			else
				lists[1][f->ntagmanifests++] = xstrdup(alg);
		}
		f->has_fetch |= strcmp(p, "fetch.txt") == 0;
		if (strncmp(p, "data/", 5) == 0) {
			lists[3][f->npayload++] = p;
			f->payload_bytes += s->v[i].size;
		} else {
			lists[2][f->ntagfiles++] = p;
		}
	}
	f->manifests = lists[0];
	f->tagmanifests = lists[1];
	f->tagfiles = lists[2];
	f->payload = lists[3];
}

static void check_profile(struct vset *s, struct bagstate *b, const char *serialization, json_t *profile)
{
	struct bag_facts f;
	const char **lists[4];
	gather_facts(s, b, serialization, &f, lists);
	bagprofile_check(profile, &f, &b->notes);
	for (size_t i = 0; i < f.nmanifests; i++)
		free((char *)lists[0][i]);
	for (size_t i = 0; i < f.ntagmanifests; i++)
		free((char *)lists[1][i]);
	for (int k = 0; k < 4; k++)
		free(lists[k]);
}

/* The checks of RFC 8493 on what was read, and of packet.json when the bag is a packet. */
static void check_bag(const char *path, const char *serialization, struct vset *s, struct bagstate *b,
		      struct verify_result *r)
{
	int packet = s->has_packetjson;
	read_declaration(s, b, r);
	struct tagtext *t = tag_get(s, "fetch.txt");
	if (t && t->text)
		bagit_parse_fetch(t->text, t->len, b->major >= 1, &b->fetch, &b->notes);
	t = tag_get(s, "bag-info.txt");
	if (t && t->text)
		bagit_parse_info("bag-info.txt", t->text, t->len, &b->info, &b->notes);
	if (b->encoding && (strcasecmp(b->encoding, "UTF-8") == 0 || strcasecmp(b->encoding, "UTF8") == 0))
		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].not_utf8)
				fail(r, s->v[i].path, "is not valid UTF-8 text, although bagit.txt says every tag file "
				     "is (BagIt tools refuse such a bag)");
	unsigned algs = check_manifests(s, b, packet, r);
	if (packet && !tag_get(s, "manifest-sha256.txt") && !s->manifest_too_big)
		fail(r, "manifest-sha256.txt", "is missing: there is nothing to check the documents against");
	else if (!algs && !s->manifest_too_big && !packet)
		fail(r, "manifest-<algorithm>.txt", "is missing: the bag has no payload manifest (md5, sha1, sha224, "
		     "sha256, sha384 or sha512) to check its files against");
	if (!s->has_data && !packet)
		fail(r, "data/", "is missing: a bag's payload folder is required, even when empty");
	count_payload(s, algs, r);
	check_oxum(s, b, r);
	check_fetch(s, b, r);
	r->fetch = b->fetch.n;
	check_packet_json(path, serialization, s, r);
	r->packet = packet;
	r->version = xasprintf("%d.%d", b->major, b->minor);
	struct sbuf ms = { 0 };
	for (size_t i = 0; i < b->nm; i++)
		if (b->m[i].payload)
			sbuf_printf(&ms, "%s%s", ms.len ? " " : "", digest_alg_name(b->m[i].alg));
	sbuf_put(&ms, "", 0);
	r->manifests = sbuf_take(&ms, NULL);
}

/* Notes become failures and warnings, in the order they were found. */
static void take_notes(struct bagstate *b, struct verify_result *r)
{
	for (size_t i = 0; i < b->notes.n; i++) {
		const struct bagit_note *n = &b->notes.v[i];
		if (n->warning) {
			grow(&r->w, &r->wcap, r->wn + 1, sizeof(*r->w));
			r->w[r->wn].path = xstrdup(n->path);
			r->w[r->wn].problem = xstrdup(n->problem);
			r->wn++;
		} else {
			fail(r, n->path, "%s", n->problem);
		}
	}
}

int verify_packet(const char *path, struct verify_result *r, char *errbuf, size_t errlen)
{
	return verify_packet_pw(path, NULL, r, errbuf, errlen);
}

void verify_failure_vadd(struct verify_failure **v, size_t *n, size_t *cap, const char *path, const char *fmt,
			 va_list ap)
{
	grow(v, cap, *n + 1, sizeof(**v));
	(*v)[*n].path = xstrdup(path);
	(*v)[*n].problem = xvasprintf(fmt, ap);
	(*n)++;
}

void verify_failures_free(struct verify_failure *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].problem);
	}
	free(v);
}

json_t *verify_failures_json(const struct verify_failure *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char *path = str_utf8(v[i].path); /* a hostile packet's names need not be UTF-8 */
		json_array_append_new(a, json_pack("{s:s, s:s}", "path", path, "problem", v[i].problem));
		free(path);
	}
	return a;
}

int verify_packet_pw(const char *path, const char *password, struct verify_result *r, char *errbuf,
		     size_t errlen)
{
	struct verify_options o = { .password = password };
	return verify_bag(path, &o, r, errbuf, errlen);
}

int verify_bag(const char *path, const struct verify_options *o, struct verify_result *r, char *errbuf,
	       size_t errlen)
{
	struct vset s = { .password = o->password, .prog = o->prog };
	struct bagstate b;
	struct stat sb;
	json_t *profile = NULL;
	memset(r, 0, sizeof(*r));
	memset(&b, 0, sizeof(b));
	if (stat(path, &sb) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return RP_ESOURCE;
	}
	if (o->profile) {
		int rc = bagprofile_load(o->profile, &profile, errbuf, errlen);
		if (rc)
			return rc;
	}
	const char *serialization = NULL;
	if (S_ISDIR(sb.st_mode)) {
		read_dir(path, &s, r);
	} else if (bagtar_sniff(path)) {
		serialization = "application/x-tar";
		read_tar(path, &s, r);
	} else {
		serialization = "application/zip";
		read_zip(path, &s, r);
	}
	r->serialization = serialization ? (strcmp(serialization, "application/zip") == 0 ? "zip" : "tar") : "folder";
	if (s.password_err) {
		snprintf(errbuf, errlen, "%s %s", path, packetread_password_problem(s.password_err));
		verify_result_free(r);
		vset_free(&s);
		json_decref(profile);
		return RP_EUSAGE;
	}
	if (r->bag) {
		r->files = s.n;
		if (s.n)
			qsort(s.v, s.n, sizeof(*s.v), cmp_vfile);
		check_bag(path, serialization, &s, &b, r);
		if (profile)
			check_profile(&s, &b, serialization, profile);
		take_notes(&b, r);
		if (!S_ISDIR(sb.st_mode))
			check_sidecar(path, r);
	}
	bagstate_free(&b);
	vset_free(&s);
	json_decref(profile);
	return RP_OK;
}

void verify_result_free(struct verify_result *r)
{
	verify_failures_free(r->v, r->n);
	verify_failures_free(r->w, r->wn);
	free(r->bag);
	free(r->version);
	free(r->manifests);
	memset(r, 0, sizeof(*r));
}
