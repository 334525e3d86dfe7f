/* verify.c: see verify.h. */
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

#include "packet/bag.h"
#include "packet/packetread.h"
#include "sys/outfile.h"
#include "sys/rp.h"
#include "sys/sha256.h"
#include "sys/util.h"

#define CHUNK (256 * 1024)
#define MAX_FILES 2000000

size_t verify_max_manifest = PACKETREAD_MAX_MANIFEST;

struct vfile {
	char *path;      /* relative to the bag */
	char sha256[65];
	uint64_t size;
	int listed;
};

struct vset {
	struct vfile *v;
	size_t n, cap;
	/* the tag files we parse */
	char *bagit, *baginfo, *manifest, *tagmanifest, *packetjson;
	size_t manifest_len, tagmanifest_len, packetjson_len;
	const char *password;
	int password_err; /* ZIP_ER_NOPASSWD or ZIP_ER_WRONGPASSWD: stop, it is not damage */
	int manifest_too_big; /* said once; its documents are not each reported unlisted */
	const struct verify_progress *prog; /* NULL: silent */
	size_t done, total;
	uint64_t bytes, total_bytes;
};

/* n more bytes read; a file finished when file_done. */
static void tick(struct vset *s, uint64_t n, int file_done)
{
	s->bytes += n;
	s->done += file_done != 0;
	if (s->prog && s->prog->fn)
		s->prog->fn(s->prog->arg, s->done, s->total, s->bytes, s->total_bytes);
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

static char **tag_slot(struct vset *s, const char *rel, size_t **lenp)
{
	*lenp = NULL;
	if (strcmp(rel, "bagit.txt") == 0)
		return &s->bagit;
	if (strcmp(rel, "bag-info.txt") == 0)
		return &s->baginfo;
	if (strcmp(rel, "manifest-sha256.txt") == 0) {
		*lenp = &s->manifest_len;
		return &s->manifest;
	}
	if (strcmp(rel, "tagmanifest-sha256.txt") == 0) {
		*lenp = &s->tagmanifest_len;
		return &s->tagmanifest;
	}
	if (strcmp(rel, "packet.json") == 0) {
		*lenp = &s->packetjson_len;
		return &s->packetjson;
	}
	return NULL;
}

/* How much of the tag file rel is kept to be parsed: never more than the reader of that file
 * (list, extract) would take, so verify refuses what they refuse. */
static size_t tag_max(const char *rel)
{
	return strcmp(rel, "packet.json") == 0 ? PACKETREAD_MAX_JSON : verify_max_manifest;
}

/* A file being read: hash it, and keep it when it is a tag file we parse. */
struct reading {
	struct sha256 *md;
	struct sbuf keep;
	size_t max;   /* keep at most this much; 0: keep nothing */
	int too_big;
	uint64_t size;
	int tag;      /* a tag file (outside data/): BagIt says it is UTF-8 text */
	int bad_utf8;
	unsigned char carry[4]; /* a UTF-8 sequence cut by the end of a chunk */
	size_t ncarry;
};

static size_t utf8_seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
}

/* Check n more bytes of a tag file as UTF-8, a sequence cut between chunks included. */
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
	size_t *lenp;
	memset(rd, 0, sizeof(*rd));
	rd->md = sha256_new();
	rd->tag = strncmp(rel, "data/", 5) != 0;
	rd->max = tag_slot(s, rel, &lenp) ? tag_max(rel) : 0;
}

static void reading_add(struct reading *rd, const void *buf, size_t n)
{
	sha256_update(rd->md, buf, n);
	rd->size += n;
	if (rd->tag)
		utf8_feed(rd, buf, n);
	if (!rd->max || rd->too_big)
		return;
	if (rd->keep.len + n > rd->max) {
		rd->too_big = 1;
		free(rd->keep.p);
		memset(&rd->keep, 0, sizeof(rd->keep));
		return;
	}
	sbuf_put(&rd->keep, buf, n);
}

static void reading_finish(struct reading *rd, struct vset *s, const char *rel, struct verify_result *r)
{
	if (rd->tag && (rd->bad_utf8 || rd->ncarry))
		fail(r, rel, "is not valid UTF-8 text, although bagit.txt says every tag file is (BagIt tools "
		     "refuse such a bag)");
	tick(s, 0, 1);
	if (rd->too_big)
		fail(r, rel, "is bigger than the %zu MiB recpack reads of it: it cannot be checked (damaged, or made "
		     "to exhaust memory)", rd->max >> 20);
	char hex[65];
	sha256_final(rd->md, NULL, hex);
	sha256_free(rd->md);
	grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	struct vfile *f = &s->v[s->n++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(rel);
	f->size = rd->size;
	memcpy(f->sha256, hex, sizeof(f->sha256));
	size_t *lenp;
	char **slot = tag_slot(s, rel, &lenp);
	if (slot == &s->manifest && rd->too_big)
		s->manifest_too_big = 1;
	if (slot && !*slot && !rd->too_big) {
		size_t len;
		*slot = sbuf_take(&rd->keep, &len);
		if (lenp)
			*lenp = len;
	}
	free(rd->keep.p);
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
	while ((n = zip_fread(zf, buf, CHUNK)) > 0) {
		reading_add(&rd, buf, (size_t)n);
		tick(s, (uint64_t)n, 0);
	}
	if (n < 0) {
		fail(r, rel, "is damaged in the ZIP (%s)", zip_file_strerror(zf));
		zip_fclose(zf);
		sha256_free(rd.md);
		free(rd.keep.p);
		return;
	}
	if (zip_fclose(zf) != 0) {
		fail(r, rel, "is damaged in the ZIP (CRC check failed)");
		sha256_free(rd.md);
		free(rd.keep.p);
		return;
	}
	reading_finish(&rd, s, rel, r);
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
	for (zip_int64_t i = 0; i < n && (size_t)i < MAX_FILES; i++) { /* the totals, from the directory */
		zip_stat_t st;
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
		    !(st.valid & ZIP_STAT_NAME && *st.name && st.name[strlen(st.name) - 1] == '/'))
			s->total++, s->total_bytes += st.size;
	}
	if (n > MAX_FILES)
		fail(r, path, "holds %lld entries, more than the %d recpack reads: only the first were checked",
		     (long long)n, MAX_FILES);
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
			zip_read_entry(za, (zip_uint64_t)i, name + rlen, s, r, buf);
	}
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
	while ((n = read(fd, buf, CHUNK)) > 0) {
		reading_add(&rd, buf, (size_t)n);
		tick(s, (uint64_t)n, 0);
	}
	close(fd);
	if (n < 0) {
		fail(r, rel, "cannot be read: %s", strerror(errno));
		sha256_free(rd.md);
		free(rd.keep.p);
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
	free(trimmed);
	unsigned char *buf = xmalloc(CHUNK);
	walk(root, "", s, r, buf, 0);
	free(buf);
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
	return bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_vfile);
}

static int is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

/* Check every "<sha256> <path>" line; payload: paths must be under data/. */
static void check_manifest(struct vset *s, const char *text, size_t len, const char *mname, int payload,
			   struct verify_result *r)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		size_t ll = (size_t)(le - p);
		if (ll && p[ll - 1] == '\r')
			ll--;
		if (ll == 0) {
			p = le + 1;
			continue;
		}
		if (ll < 66 || !is_hex64(p) || (p[64] != ' ' && p[64] != '\t')) {
			char *where = xasprintf("%s:%zu", mname, lineno);
			fail(r, where, "is not a \"<sha256>  <path>\" line");
			free(where);
			p = le + 1;
			continue;
		}
		const char *fp = p + 65;
		while (fp < p + ll && (*fp == ' ' || *fp == '\t' || *fp == '*'))
			fp++;
		char *path = bag_unescape_path(fp, (size_t)(p + ll - fp));
		struct vfile *f = find(s, path);
		if (!packetread_path_safe(path)) {
			fail(r, path, "is listed in %s under an unsafe name (an absolute path, \"..\", a backslash "
			     "or control characters)", mname);
		} else if (payload && strncmp(path, "data/", 5) != 0) {
			fail(r, path, "is listed in %s but is not under data/", mname);
		} else if (!f) {
			fail(r, path, "is missing (listed in %s)", mname);
		} else if (strncasecmp(f->sha256, p, 64) != 0) {
			fail(r, path, "has been changed or damaged: its SHA-256 does not match %s", mname);
			f->listed = 1;
		} else {
			f->listed = 1;
			if (payload) {
				r->payload++;
			}
		}
		free(path);
		p = le + 1;
	}
}

static void check_bagit(struct vset *s, struct verify_result *r)
{
	if (!s->bagit) {
		fail(r, "bagit.txt", "is missing");
		return;
	}
	if (!strstr(s->bagit, "BagIt-Version: ") || !strstr(s->bagit, "Tag-File-Character-Encoding: UTF-8"))
		fail(r, "bagit.txt", "does not declare \"BagIt-Version\" and \"Tag-File-Character-Encoding: UTF-8\"");
}

static void check_oxum(struct vset *s, struct verify_result *r)
{
	uint64_t bytes = 0;
	size_t count = 0;
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->v[i].path, "data/", 5) == 0)
			bytes += s->v[i].size, count++;
	r->bytes = bytes;
	const char *o = s->baginfo ? strstr(s->baginfo, "Payload-Oxum:") : NULL;
	if (!o)
		return; /* optional in BagIt */
	unsigned long long ob = 0;
	size_t oc = 0;
	if (sscanf(o + 13, " %llu.%zu", &ob, &oc) != 2)
		fail(r, "bag-info.txt", "has a Payload-Oxum that is not BYTES.COUNT");
	else if (ob != bytes || oc != count)
		fail(r, "bag-info.txt", "Payload-Oxum says %llu bytes in %zu files, the bag holds %llu bytes in %zu files",
		     ob, oc, (unsigned long long)bytes, count);
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
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	free(s->bagit);
	free(s->baginfo);
	free(s->manifest);
	free(s->tagmanifest);
	free(s->packetjson);
}

/* packet.json, when there is one, as list and extract would read it. */
static void check_packet_json(struct vset *s, struct verify_result *r)
{
	char why[512];
	if (!s->packetjson)
		return;
	json_t *root = packetread_json(s->packetjson, s->packetjson_len, why, sizeof(why));
	if (!root || packetread_names_problem(root, why, sizeof(why)) < 0)
		fail(r, "packet.json", "cannot be used: %s", why);
	json_decref(root);
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
	return verify_packet_watch(path, password, NULL, r, errbuf, errlen);
}

int verify_packet_watch(const char *path, const char *password, const struct verify_progress *prog,
			struct verify_result *r, char *errbuf, size_t errlen)
{
	struct vset s = { .password = password, .prog = prog };
	struct stat sb;
	memset(r, 0, sizeof(*r));
	if (stat(path, &sb) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return RP_ESOURCE;
	}
	if (S_ISDIR(sb.st_mode))
		read_dir(path, &s, r);
	else
		read_zip(path, &s, r);
	if (s.password_err) {
		snprintf(errbuf, errlen, "%s %s", path, packetread_password_problem(s.password_err));
		verify_result_free(r);
		vset_free(&s);
		return RP_EUSAGE;
	}
	if (!r->bag) {
		vset_free(&s);
		return RP_OK; /* the failure says why */
	}
	r->files = s.n;
	if (s.n)
		qsort(s.v, s.n, sizeof(*s.v), cmp_vfile);
	check_bagit(&s, r);
	if (s.manifest)
		check_manifest(&s, s.manifest, s.manifest_len, "manifest-sha256.txt", 1, r);
	else if (!s.manifest_too_big)
		fail(r, "manifest-sha256.txt", "is missing: there is nothing to check the documents against");
	for (size_t i = 0; i < s.n && !s.manifest_too_big; i++)
		if (strncmp(s.v[i].path, "data/", 5) == 0 && !s.v[i].listed)
			fail(r, s.v[i].path, "is not listed in manifest-sha256.txt (added after the packet was made?)");
	if (s.tagmanifest)
		check_manifest(&s, s.tagmanifest, s.tagmanifest_len, "tagmanifest-sha256.txt", 0, r);
	check_oxum(&s, r);
	check_packet_json(&s, r);
	if (!S_ISDIR(sb.st_mode))
		check_sidecar(path, r);
	vset_free(&s);
	return RP_OK;
}

void verify_result_free(struct verify_result *r)
{
	verify_failures_free(r->v, r->n);
	free(r->bag);
	memset(r, 0, sizeof(*r));
}
