/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_archive.c: see source_archive.h.
 * Extraction is ours, not archive_write_disk: every entry name is split into components and
 * checked, folders are made one component at a time with mkdirat/openat(O_NOFOLLOW) from a
 * descriptor of the expansion folder, and files are created O_EXCL|O_NOFOLLOW mode 0600.
 * Links, devices and FIFOs are refused, so nothing in the folder can point outside it. */
#include "sources/source_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/sniff.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

#define MAX_COMPONENTS 64      /* folder depth inside an archive, as the folder walk allows */
#define MAX_SHOWN_NAME 200     /* entry names quoted in messages are cut here */
#define READ_BLOCK (64 * 1024)

/* ---- recognising archives ---- */

/* A ZIP that is really an office document (XLSX, PPTX, ODS, EPUB...): a file, not a folder. */
static int office_zip(const unsigned char *p, size_t n)
{
	static const char *const marks[] = { "[Content_Types].xml", "mimetypeapplication/vnd.oasis",
					      "mimetypeapplication/epub+zip" };
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (p && memmem(p, n, marks[i], strlen(marks[i])))
			return 1;
	return 0;
}

/* Up to want bytes at at; fewer at the end of the file or on an error. */
static size_t read_upto(int fd, unsigned char *buf, size_t want, off_t at)
{
	ssize_t n = fd_pread_full(fd, buf, want, at);
	return n > 0 ? (size_t)n : 0;
}

/* Every archive magic sits in the first 512 bytes, but for an ISO 9660 volume descriptor:
 * read just those, so detection adds almost nothing to the one read of each document. */
#define DETECT_HEAD 512

static int iso_signature(int fd, uint64_t size, const unsigned char *head, size_t hn)
{
	unsigned char m[5];
	if (size <= SNIFF_ISO_OFFSET + sizeof(m))
		return 0;
	if (hn >= SNIFF_ISO_OFFSET + sizeof(m))
		memcpy(m, head + SNIFF_ISO_OFFSET, sizeof(m));
	else if (read_upto(fd, m, sizeof(m), SNIFF_ISO_OFFSET) != sizeof(m))
		return 0;
	return memcmp(m, "CD001", 5) == 0 || memcmp(m, "BEA01", 5) == 0; /* ISO 9660, or UDF */
}

/* A ZIP that is a Word or other office document: decided from the full head and tail. */
static int office_document(int fd, uint64_t size)
{
	unsigned char *head = xmalloc(SNIFF_HEAD), tail[SNIFF_TAIL];
	size_t hn = read_upto(fd, head, SNIFF_HEAD, 0), tn = 0;
	if (size > hn)
		tn = read_upto(fd, tail, SNIFF_TAIL, (off_t)(size > SNIFF_TAIL ? size - SNIFF_TAIL : 0));
	int yes = office_zip(head, hn) || office_zip(tn ? tail : NULL, tn);
	free(head);
	return yes;
}

int source_archive_detect_head(int fd, uint64_t size, const unsigned char *head, size_t hn)
{
	struct sniff_result r;
	if (size == 0)
		return 0;
	sniff(head, hn < DETECT_HEAD ? hn : DETECT_HEAD, NULL, 0, size, &r);
	int yes = doc_type_is_archive(r.type) || iso_signature(fd, size, head, hn);
	if (yes && r.type == T_ZIP && office_document(fd, size))
		yes = 0;
	return yes;
}

int source_archive_detect(const char *path)
{
	struct stat sb;
	unsigned char head[DETECT_HEAD];
	int yes = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
		goto out;
	size_t hn = read_upto(fd, head, sizeof(head), 0);
	yes = source_archive_detect_head(fd, (uint64_t)sb.st_size, head, hn);
out:
	if (fd >= 0)
		close(fd);
	return yes;
}

/* ---- names ---- */

static const char *const archive_exts[] = {
	".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tar.zstd", ".tgz", ".tbz", ".tbz2", ".txz",
	".tzst", ".tar", ".zip", ".7z", ".iso", ".img", ".gz", ".bz2", ".xz", ".zst", ".zstd",
};

/* "CD/disc.iso" -> "CD/disc"; a name with no archive extension stays as it is. */
static char *strip_archive_ext(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(archive_exts) / sizeof(archive_exts[0]); i++) {
		size_t e = strlen(archive_exts[i]);
		if (n > e && name[n - e - 1] != '/' && str_endswith_nocase(name, archive_exts[i]))
			return xstrndup(name, n - e);
	}
	return xstrdup(name);
}

static char *parent_of(const char *relpath)
{
	const char *slash = strrchr(relpath, '/');
	return slash ? xstrndup(relpath, (size_t)(slash - relpath)) : xstrdup("");
}

/* An entry name fit for a message: str_shown() (controls and bidi overrides as '?'), long
 * names cut at a character. */
static char *printable(const char *s)
{
	char *p = str_shown(s);
	size_t n = strlen(p);
	if (n > MAX_SHOWN_NAME) {
		n = MAX_SHOWN_NAME;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		char *cut = xasprintf("%.*s...", (int)n, p);
		free(p);
		p = cut;
	}
	return p;
}

/* Split an entry name into its components in place ('\' counts as '/'; "." and empty
 * components drop out). Returns their number, or -1 with *why set when the name points
 * outside the folder it is expanded into. */
static int split_name(char *name, char **comps, const char **why)
{
	int n = 0;
	char *save = NULL;
	for (char *p = name; *p; p++)
		if (*p == '\\')
			*p = '/';
	if (name[0] == '/') {
		*why = "an absolute path";
		return -1;
	}
	if (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':') {
		*why = "a drive letter";
		return -1;
	}
	for (char *c = strtok_r(name, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			*why = "a \"..\" that climbs out of its folder";
			return -1;
		}
		if (n == MAX_COMPONENTS) {
			*why = "more folders inside folders than any record needs";
			return -1;
		}
		comps[n++] = c;
	}
	return n;
}

/* ---- one expansion ---- */

struct expand {
	struct gather *g;
	struct archive *a;
	const char *shown;   /* the archive as shown to people */
	const char *raw_name; /* the member's name when the archive is one compressed file */
	int rootfd;          /* the folder it expands into */
	int is_raw;
	int encrypted;       /* the entry being expanded is encrypted */
	char *entry;         /* the entry being expanded, printable, for messages */
	char *last_skipped;  /* furniture listed last, so a viewer folder is listed once */
};

static int refuse(struct expand *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct expand *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	problems_add_source_error(x->g->probs, P_UNSAFE_ARCHIVE, x->shown,
				  "%s was refused: %s. Nothing from it was used; ask the sender for a plain copy of the records",
				  x->shown, why);
	free(why);
	return RP_ESOURCE;
}

/* after: the entry named in x->entry was read whole and the trouble came after it. */
static int damaged(struct expand *x, int after)
{
	const char *err = archive_error_string(x->a);
	char *where = !x->entry ? xstrdup("before its first entry")
		      : xasprintf("%s \"%s\"", after ? "after" : "at", x->entry);
	if (x->encrypted || (err && strstr(err, "encrypted")))
		problems_add_source_error(x->g->probs, P_UNREADABLE, x->shown,
					  "%s is protected with a password (%s); open it with the password yourself and give recpack the folder of records",
					  x->shown, where);
	else
		problems_add_source_error(x->g->probs, P_UNREADABLE, x->shown,
					  "%s is damaged or incomplete (%s: %s); copy or download it again",
					  x->shown, where, err ? err : "unreadable");
	free(where);
	return RP_ESOURCE;
}

/* A file system error while writing into the private folder. */
static int fs_failed(struct expand *x, int err)
{
	if (err == ENOSPC || err == EDQUOT || err == EIO || err == EROFS || err == EMFILE ||
	    err == ENFILE || err == EACCES) {
		problems_add_source_error(x->g->probs, P_UNREADABLE, x->shown,
					  "%s could not be expanded into the temporary folder (%s, at \"%s\"); free some disk space or set TMPDIR to a disk with room",
					  x->shown, strerror(err), x->entry);
		return RP_EOUTPUT;
	}
	if (err == EEXIST || err == ENOTDIR || err == EISDIR || err == ELOOP)
		return refuse(x, "the entry \"%s\" clashes with another entry of the same name", x->entry);
	problems_add_source_error(x->g->probs, P_UNREADABLE, x->shown,
				  "%s: the entry \"%s\" could not be expanded (%s); unpack the archive yourself and give recpack the folder",
				  x->shown, x->entry, strerror(err));
	return RP_ESOURCE;
}

/* A zip bomb: an archive built to expand without end. Said plainly, so nobody frees disk space
 * or raises a limit for it. */
static int bomb(struct expand *x, const char *how)
{
	problems_add_source_error(x->g->probs, P_UNSAFE_ARCHIVE, x->shown,
				  "%s is a zip bomb: %s, a trick to fill the disk, not a collection of records. Nothing from it was used; delete it and ask the sender for the records as a plain folder or an ordinary ZIP",
				  x->shown, how);
	return RP_ESOURCE;
}

/* What the top-level archive may expand to in all: ARCHIVE_BOMB_RATIO times its size on disk,
 * and never less than the allowance. */
static uint64_t bomb_limit(const struct gather *g)
{
	uint64_t packed = g->archive_packed;
	if (packed > UINT64_MAX / ARCHIVE_BOMB_RATIO)
		return UINT64_MAX;
	return packed * ARCHIVE_BOMB_RATIO > ARCHIVE_BOMB_ALLOWANCE ? packed * ARCHIVE_BOMB_RATIO
								   : ARCHIVE_BOMB_ALLOWANCE;
}

/* Count n more expanded bytes against --max-expand and the zip-bomb ratio, before they are
 * written. */
static int charge(struct expand *x, uint64_t n)
{
	uint64_t max = x->g->fetch->max_expand, limit = bomb_limit(x->g);
	char h[32], p[32];
	if (x->g->archive_bytes > limit || n > limit - x->g->archive_bytes) {
		char *how = xasprintf("its %s would expand to more than %s (at \"%s\"), over %d times its size",
				      human_size(x->g->archive_packed, p, sizeof(p)),
				      human_size(limit, h, sizeof(h)), x->entry, ARCHIVE_BOMB_RATIO);
		int rc = bomb(x, how);
		free(how);
		return rc;
	}
	if (x->g->archive_bytes > max || n > max - x->g->archive_bytes)
		return refuse(x, "it expands to more than %s (at \"%s\"), the --max-expand limit; if it is a genuine disc, raise the limit, e.g. --max-expand 64G",
			      human_size(max, h, sizeof(h)), x->entry);
	x->g->archive_bytes += n;
	return RP_OK;
}

static void note_skipped(struct expand *x, char **comps, int n, int is_dir)
{
	char *s = xstrdup(x->shown);
	for (int i = 0; i < n; i++) {
		char *t = path_join(s, comps[i]);
		free(s);
		s = t;
	}
	char *t = xasprintf("%s%s", s, is_dir ? "/" : "");
	free(s);
	s = str_shown(t); /* shown on a terminal with -v */
	free(t);
	if ((x->last_skipped && strcmp(x->last_skipped, s) == 0) ||
	    (x->g->skipped.n < 1000 && strlist_has(&x->g->skipped, s))) {
		free(s);
		return;
	}
	free(x->last_skipped);
	x->last_skipped = xstrdup(s);
	strlist_add_owned(&x->g->skipped, s);
}

/* Hidden files and system junk are dropped silently, disc furniture is listed. */
static int skip_entry(struct expand *x, char **comps, int n, int is_dir)
{
	for (int i = 0; i < n; i++) {
		int dir = i < n - 1 || is_dir;
		if (source_is_junk(comps[i]))
			return 1;
		if (source_is_furniture(comps[i], dir)) {
			note_skipped(x, comps, i + 1, dir);
			return 1;
		}
	}
	return 0;
}

static int check_kind(struct expand *x, struct archive_entry *e)
{
	const char *target = archive_entry_hardlink(e);
	char *t = NULL;
	int rc = RP_OK;
	if (target) {
		t = printable(target);
		rc = refuse(x, "its entry \"%s\" is a hard link (to \"%s\"), which recpack never creates",
			    x->entry, t);
	} else if (archive_entry_filetype(e) == AE_IFLNK) {
		target = archive_entry_symlink(e);
		t = printable(target ? target : "");
		rc = refuse(x, "its entry \"%s\" is a symbolic link (to \"%s\"), which recpack never creates or follows",
			    x->entry, t);
	} else if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != AE_IFDIR) {
		rc = refuse(x, "its entry \"%s\" is a device, pipe or socket, not a file", x->entry);
	}
	free(t);
	return rc;
}

/* Open (making as needed) the folder comps[0..n) below the expansion folder, one component
 * at a time, never following a link. *out is the caller's to close. */
static int open_dirs(struct expand *x, char **comps, int n, int make, int *out)
{
	int fd = fcntl(x->rootfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return fs_failed(x, errno);
	for (int i = 0; i < n; i++) {
		if (make && mkdirat(fd, comps[i], 0700) < 0 && errno != EEXIST) {
			int err = errno;
			close(fd);
			return fs_failed(x, err);
		}
		int next = openat(fd, comps[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		close(fd);
		if (next < 0)
			return fs_failed(x, err);
		fd = next;
	}
	*out = fd;
	return RP_OK;
}

static int write_at(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n, len -= (size_t)n, off += (uint64_t)n;
	}
	return 0;
}

/* Stream one entry's data into fd, block by block, within the size and ratio limits. */
static int copy_data(struct expand *x, struct archive_entry *e, int fd)
{
	uint64_t end = 0;
	int64_t start = archive_filter_bytes(x->a, -1);
	int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
	if (declared > 0 && (uint64_t)declared > x->g->fetch->max_expand - x->g->archive_bytes)
		return charge(x, (uint64_t)declared); /* refuses before writing a byte */
	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(x->a, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK || off < 0) /* WARN here is a bad CRC or size */
			return damaged(x, 0);
		uint64_t to = (uint64_t)off + len;
		if (to > end) {
			int rc = charge(x, to - end);
			if (rc)
				return rc;
			end = to;
		}
		int64_t now = archive_filter_bytes(x->a, -1);
		if (now < start)
			start = now; /* a seek back to the data: count from here */
		if (end > ARCHIVE_BOMB_FLOOR && end / ARCHIVE_BOMB_RATIO > (uint64_t)(now - start)) {
			char *how = xasprintf("its entry \"%s\" expands more than %d times its packed size",
					      x->entry, ARCHIVE_BOMB_RATIO);
			int rc = bomb(x, how);
			free(how);
			return rc;
		}
		if (len && write_at(fd, buf, len, (uint64_t)off) < 0)
			return fs_failed(x, errno);
	}
	if (declared > 0 && (uint64_t)declared > end) { /* a sparse file ending in a hole */
		int rc = charge(x, (uint64_t)declared - end);
		if (rc)
			return rc;
		if (ftruncate(fd, (off_t)declared) < 0)
			return fs_failed(x, errno);
	}
	return RP_OK;
}

/* Open comps[0..n) below the expansion folder: a new file (create, mode 0600) or one already
 * expanded (read). Never follows a link. */
static int open_member(struct expand *x, char **comps, int n, int create, int *out)
{
	int dfd = -1;
	int rc = open_dirs(x, comps, n - 1, create, &dfd);
	if (rc)
		return rc;
	*out = create ? openat(dfd, comps[n - 1], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
		      : openat(dfd, comps[n - 1], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int err = errno;
	close(dfd);
	return *out < 0 ? fs_failed(x, err) : RP_OK;
}

static int extract_file(struct expand *x, struct archive_entry *e, char **comps, int n)
{
	int fd;
	int rc = open_member(x, comps, n, 1, &fd);
	if (rc)
		return rc;
	rc = copy_data(x, e, fd);
	if (close(fd) < 0 && rc == RP_OK)
		rc = fs_failed(x, errno);
	return rc;
}

/* A disc image names one extent under several names, which libarchive reports as a hard
 * link: give the second name a copy of the file already expanded, never a link. */
static int copy_disc_twin(struct expand *x, const char *target, char **comps, int n)
{
	char *tname = xstrdup(target), *tcomps[MAX_COMPONENTS], buf[READ_BLOCK];
	const char *why = NULL;
	int in = -1, out = -1, rc;
	uint64_t at = 0;
	int tn = split_name(tname, tcomps, &why);
	struct stat sb;
	if (tn <= 0) {
		rc = refuse(x, "its entry \"%s\" is a hard link to a name outside its folder", x->entry);
		goto done;
	}
	rc = open_member(x, tcomps, tn, 0, &in);
	if (rc == RP_OK && (fstat(in, &sb) < 0 || !S_ISREG(sb.st_mode)))
		rc = refuse(x, "its entry \"%s\" is a hard link to something that is not a file", x->entry);
	if (rc == RP_OK)
		rc = open_member(x, comps, n, 1, &out);
	for (ssize_t got; rc == RP_OK && (got = read(in, buf, sizeof(buf))) != 0;) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			rc = fs_failed(x, errno);
		else if ((rc = charge(x, (uint64_t)got)) == RP_OK && write_at(out, buf, (size_t)got, at) < 0)
			rc = fs_failed(x, errno);
		at += got > 0 ? (uint64_t)got : 0;
	}
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && rc == RP_OK)
		rc = fs_failed(x, errno);
	free(tname);
	return rc;
}

static int expand_entry(struct expand *x, struct archive_entry *e)
{
	const char *stored = x->is_raw ? x->raw_name : archive_entry_pathname(e);
	if (!stored)
		stored = archive_entry_pathname_utf8(e);
	if (!stored)
		return damaged(x, 1); /* a name in no encoding we can read */
	char *name = xstrdup(stored), *comps[MAX_COMPONENTS];
	const char *why = NULL;
	int rc = RP_OK, is_dir = archive_entry_filetype(e) == AE_IFDIR;
	free(x->entry);
	x->entry = printable(stored);
	int n = split_name(name, comps, &why);
	if (n < 0)
		rc = refuse(x, "its entry \"%s\" would be written outside its folder (%s)", x->entry, why);
	else if (n == 0 || skip_entry(x, comps, n, is_dir))
		rc = RP_OK;
	else if ((x->encrypted = archive_entry_is_encrypted(e)) != 0)
		rc = damaged(x, 0);
	else if (archive_entry_hardlink(e) && archive_entry_filetype(e) == AE_IFREG &&
		 (archive_format(x->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ISO9660)
		rc = copy_disc_twin(x, archive_entry_hardlink(e), comps, n);
	else if ((rc = check_kind(x, e)) != RP_OK)
		;
	else if (is_dir) {
		int fd;
		rc = open_dirs(x, comps, n, 1, &fd);
		if (rc == RP_OK)
			close(fd);
	} else {
		rc = extract_file(x, e, comps, n);
	}
	free(name);
	return rc;
}

static int expand_all(struct expand *x)
{
	struct archive_entry *e;
	for (;;) {
		int r = archive_read_next_header(x->a, &e);
		if (r == ARCHIVE_EOF)
			return RP_OK;
		if (r < ARCHIVE_WARN)
			return damaged(x, 1);
		x->is_raw = archive_format(x->a) == ARCHIVE_FORMAT_RAW;
		if (++x->g->archive_entries > ARCHIVE_MAX_ENTRIES)
			return refuse(x, "with the archives before it, it brings the entries of this run past %u, more than any set of records needs; give recpack fewer archives at a time, or the folders of records themselves",
				      ARCHIVE_MAX_ENTRIES);
		int rc = expand_entry(x, e);
		if (rc)
			return rc;
	}
}

/* The formats and filters of the brief, and nothing that runs an outside program. raw_ok:
 * a lone compressed file (report.pdf.gz) is one member. */
static struct archive *new_reader(int raw_ok)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_iso9660(a);
	if (raw_ok)
		archive_read_support_format_raw(a);
	return a;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- overlapping ZIP entries ----
 * libarchive streams a ZIP entry by entry from the offsets its central directory gives, so a
 * ZIP whose entries share their packed bytes (each entry's data holding the next entry's
 * header: David Fifield's "better zip bomb") expands the same kilobytes again and again.
 * Read the central directory ourselves and refuse entries whose local ranges overlap. */

#define ZIP_EOCD 22
#define ZIP_CDH 46   /* central directory header, fixed part */
#define ZIP_LFH 30   /* local file header, fixed part */
#define ZIP_MAX_CD (64u << 20)

struct zip_span {
	uint64_t off, packed; /* local header offset, packed size */
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The central directory's offset and size from the end records; 0 when there is none. */
static int zip_find_cd(int fd, uint64_t size, uint64_t *cd_off, uint64_t *cd_size)
{
	size_t want = size < 65535 + ZIP_EOCD ? (size_t)size : 65535 + ZIP_EOCD, n;
	unsigned char *tail = xmalloc(want ? want : 1), loc[20], z64[56];
	int found = 0;
	n = read_upto(fd, tail, want, (off_t)(size - want));
	for (size_t i = n >= ZIP_EOCD ? n - ZIP_EOCD + 1 : 0; i-- > 0 && !found;) {
		const unsigned char *e = tail + i;
		if (memcmp(e, "PK\5\6", 4) != 0 || i + ZIP_EOCD + le16(e + 20) > n)
			continue;
		*cd_size = le32(e + 12);
		*cd_off = le32(e + 16);
		found = 1;
		uint64_t at = size - n + i;
		if ((*cd_off == 0xffffffffu || *cd_size == 0xffffffffu || le16(e + 10) == 0xffff) && at >= 20 &&
		    read_upto(fd, loc, 20, (off_t)(at - 20)) == 20 && memcmp(loc, "PK\6\7", 4) == 0 &&
		    le64(loc + 8) < size && read_upto(fd, z64, 56, (off_t)le64(loc + 8)) == 56 &&
		    memcmp(z64, "PK\6\6", 4) == 0) {
			*cd_size = le64(z64 + 40);
			*cd_off = le64(z64 + 48);
		}
	}
	free(tail);
	return found && *cd_off <= size && *cd_size <= size - *cd_off;
}

/* Fill in the zip64 sizes and offset that the header marks with 0xffffffff. */
static void zip_span_zip64(struct zip_span *sp, const unsigned char *h, const unsigned char *x, size_t xn)
{
	while (xn >= 4) {
		size_t len = le16(x + 2);
		if (len > xn - 4)
			return;
		if (le16(x) == 0x0001) {
			const unsigned char *f = x + 4, *end = x + 4 + len;
			if (le32(h + 24) == 0xffffffffu && end - f >= 8)
				f += 8; /* the expanded size, not needed */
			if (le32(h + 20) == 0xffffffffu && end - f >= 8)
				sp->packed = le64(f), f += 8;
			if (le32(h + 42) == 0xffffffffu && end - f >= 8)
				sp->off = le64(f);
			return;
		}
		x += 4 + len, xn -= 4 + len;
	}
}

/* The entries of the central directory cd (n bytes); how many, at most max. */
static size_t zip_spans(const unsigned char *cd, size_t n, struct zip_span *v, size_t max)
{
	size_t k = 0;
	for (size_t at = 0; k < max && n - at >= ZIP_CDH && memcmp(cd + at, "PK\1\2", 4) == 0;) {
		const unsigned char *h = cd + at;
		size_t name = le16(h + 28), extra = le16(h + 30), comment = le16(h + 32);
		if (name + extra + comment > n - at - ZIP_CDH)
			break;
		v[k].off = le32(h + 42);
		v[k].packed = le32(h + 20);
		zip_span_zip64(&v[k], h, h + ZIP_CDH + name, extra);
		k++;
		at += ZIP_CDH + name + extra + comment;
	}
	return k;
}

static int by_offset(const void *a, const void *b)
{
	const struct zip_span *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Does the entry at sp (its local header read from the file) reach past next? */
static int zip_span_overlaps(int fd, const struct zip_span *sp, uint64_t next)
{
	unsigned char h[ZIP_LFH];
	if (read_upto(fd, h, sizeof(h), (off_t)sp->off) != sizeof(h) || memcmp(h, "PK\3\4", 4) != 0)
		return 0; /* not where the directory says (a self-extracting ZIP?): libarchive judges */
	uint64_t end = sp->off + ZIP_LFH + le16(h + 26) + le16(h + 28);
	return sp->packed > UINT64_MAX - end || end + sp->packed > next;
}

int source_archive_zip_overlaps(int fd, uint64_t size)
{
	unsigned char head[4];
	uint64_t cd_off, cd_size;
	int overlap = 0;
	if (read_upto(fd, head, 4, 0) != 4 || memcmp(head, "PK", 2) != 0 ||
	    !zip_find_cd(fd, size, &cd_off, &cd_size) || cd_size > ZIP_MAX_CD)
		return 0;
	unsigned char *cd = xmalloc(cd_size ? (size_t)cd_size : 1);
	size_t max = (size_t)cd_size / ZIP_CDH, k = 0;
	struct zip_span *v = xcalloc(max ? max : 1, sizeof(*v));
	if (read_upto(fd, cd, (size_t)cd_size, (off_t)cd_off) == cd_size)
		k = zip_spans(cd, (size_t)cd_size, v, max);
	qsort(v, k, sizeof(*v), by_offset);
	for (size_t i = 0; i < k && !overlap; i++)
		overlap = zip_span_overlaps(fd, &v[i], i + 1 < k ? v[i + 1].off : cd_off);
	free(v);
	free(cd);
	return overlap;
}

/* A disc image cut short: libarchive notices only when a file it reads lies past the end, so
 * compare the size the primary volume descriptor declares with the file's. Also catches the
 * UDF-only images libarchive cannot read, to say so plainly. */
static int iso_cut_short(struct expand *x, const char *path)
{
	unsigned char pvd[136];
	struct stat sb;
	int cut = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0)
		goto out;
	if (read_upto(fd, pvd, sizeof(pvd), 16 * 2048) != sizeof(pvd))
		goto out;
	if (memcmp(pvd + 1, "BEA01", 5) == 0) {
		problems_add_source_error(x->g->probs, P_UNREADABLE, x->shown,
					  "%s is a UDF-only disc image, which recpack cannot open; open it with your computer (double-click it) and give recpack the folder it shows",
					  x->shown);
		cut = 1;
	} else if (pvd[0] == 1 && memcmp(pvd + 1, "CD001", 5) == 0) {
		uint64_t want = (uint64_t)le32(pvd + 80) * (uint64_t)(pvd[128] | pvd[129] << 8);
		if (want > (uint64_t)sb.st_size) {
			char w[32], h[32];
			problems_add_source_error(x->g->probs, P_UNREADABLE, x->shown,
						  "%s is an incomplete disc image: it should be %s but is only %s; copy the disc again",
						  x->shown, human_size(want, w, sizeof(w)),
						  human_size((uint64_t)sb.st_size, h, sizeof(h)));
			cut = 1;
		}
	}
out:
	if (fd >= 0)
		close(fd);
	return cut;
}

static int zip_overlapping(const char *path)
{
	struct stat sb;
	int yes = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		yes = source_archive_zip_overlaps(fd, (uint64_t)sb.st_size);
	if (fd >= 0)
		close(fd);
	return yes;
}

static int expand_into(struct expand *x, const char *path, const char *dir)
{
	if (iso_cut_short(x, path))
		return RP_ESOURCE;
	if (zip_overlapping(path))
		return bomb(x, "its entries overlap, so the same few packed bytes would be expanded again and again");
	if (mkdir(dir, 0700) < 0)
		return fs_failed(x, errno);
	x->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (x->rootfd < 0)
		return fs_failed(x, errno);
	x->a = new_reader(1);
	if (archive_read_open_filename(x->a, path, READ_BLOCK) != ARCHIVE_OK)
		return damaged(x, 0);
	return expand_all(x);
}

int source_archive_gather(struct gather *g, const char *path, const char *relpath, const char *shown,
			  const char *category)
{
	char err[300];
	int rc = RP_OK;
	char *dir = NULL, *prefix = NULL, *plain = strip_archive_ext(path_basename(relpath));
	struct expand x = { .g = g, .shown = shown, .raw_name = plain, .rootfd = -1 };
	if (g->archive_depth >= ARCHIVE_MAX_DEPTH) {
		rc = refuse(&x, "it is an archive inside an archive inside an archive; recpack opens archives only %d deep",
			    ARCHIVE_MAX_DEPTH);
		goto out;
	}
	if (g->archive_depth == 0) {
		struct stat sb;
		g->archive_bytes = 0;
		g->archive_packed = stat(path, &sb) == 0 && sb.st_size > 0 ? (uint64_t)sb.st_size : 0;
	}
	dir = workdir_newpath(g->wd, "archive", err, sizeof(err));
	if (!dir) {
		problems_add_source_error(g->probs, P_UNREADABLE, shown, "%s could not be expanded: %s",
					  shown, err);
		rc = RP_EOUTPUT;
		goto out;
	}
	rc = expand_into(&x, path, dir);
	if (x.a)
		archive_read_free(x.a);
	if (x.rootfd >= 0)
		close(x.rootfd);
	if (rc) {
		workdir_remove_tree(dir);
		goto out;
	}
	prefix = x.is_raw ? parent_of(relpath) : strip_archive_ext(relpath);
	size_t before = g->docs->n;
	g->archive_depth++;
	rc = source_walk_dir(g, dir, prefix, shown, category);
	g->archive_depth--;
	if (rc == RP_OK && g->docs->n == before)
		problems_add(g->probs, SEV_WARNING, P_EMPTY, shown,
			     "%s holds no records (viewer programs, hidden and system files are skipped)", shown);
out:
	free(x.entry);
	free(x.last_skipped);
	free(plain);
	free(prefix);
	free(dir);
	return rc;
}
