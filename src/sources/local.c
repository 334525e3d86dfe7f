/* SPDX-License-Identifier: GPL-3.0-or-later */
/* local.c: the local kinds of source: a file, a folder (walked), standard input; and adding
 * one file, which the kinds that claim files by their content (archives) then expand. */
#include "sources/source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/furniture.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

#define MAX_DEPTH 64
#define MAX_FILES 1000000

/* ---- single files ---- */

int source_add_file(struct gather *g, const char *path, const char *relpath, const char *shown,
		    const char *category)
{
	for (const struct source_kind *const *k = g->by_content; k && *k; k++)
		if ((*k)->claims_file(path)) /* by content, whatever the name: archives */
			return (*k)->gather_file(g, path, relpath, shown, category);
	doclist_add(g->docs, shown, path, relpath, category);
	return RP_OK;
}

static int file_claims(const char *spec)
{
	struct stat sb;
	return stat(spec, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

static int file_gather(struct gather *g, const struct srcspec *s)
{
	struct stat sb;
	if (stat(s->spec, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		problems_add_source_error(g->probs, P_UNREADABLE, s->spec,
					  "%s is not a regular file (a device or pipe?); copy the record to a file first",
					  s->spec);
		return RP_ESOURCE;
	}
	return source_add_file(g, s->spec, path_basename(s->spec), s->spec, s->category);
}

const struct source_kind source_file = { .name = "file", .claims = file_claims, .gather = file_gather };

/* ---- folders ---- */

struct walk {
	struct gather *g;
	const char *shown_root; /* the folder as the user named it */
	const char *prefix;     /* relpath prefix: the folder's own name, "" inside archives */
	size_t root_len;        /* strlen of the root path plus its '/' */
	const char *category;
	dev_t devs[MAX_DEPTH];  /* folders we are inside, to stop symlink loops */
	ino_t inos[MAX_DEPTH];
	int depth;
	size_t files;
	int rc;
};

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name); /* bytewise: the same order in every locale */
}

static int not_junk(const struct dirent *e)
{
	return !source_is_junk(e->d_name);
}

static void walk_dir(struct walk *w, const char *dir);

/* Enter the folder shown (NULL for the root), or say why it is left out. */
static int walk_enter(struct walk *w, const struct stat *sb, const char *shown)
{
	for (int i = 0; i < w->depth; i++)
		if (w->devs[i] == sb->st_dev && w->inos[i] == sb->st_ino) {
			problems_add(w->g->probs, SEV_WARNING, P_UNREADABLE, shown,
				     "%s was left out: it is a link back to a folder that holds it, so its records are gathered once already",
				     shown);
			return 0;
		}
	if (w->depth == MAX_DEPTH) {
		problems_add_source_error(w->g->probs, P_UNREADABLE, shown,
					  "%s was left out: it is more than %d folders deep, and nothing in it was gathered; move its records to a shallower folder",
					  shown, MAX_DEPTH);
		w->rc = rp_worst(w->rc, RP_ESOURCE);
		return 0;
	}
	w->devs[w->depth] = sb->st_dev;
	w->inos[w->depth] = sb->st_ino;
	w->depth++;
	return 1;
}

/* A file of a walk outside archives, added unopened: the scan checks whether it is an archive
 * (see archives_later in source.h). The problem and skipped counts are marked when they
 * changed since the last such file. */
static void add_unchecked(struct walk *w, const char *path, const char *rel, const char *shown)
{
	struct gather *g = w->g;
	const struct gather_mark *last = g->nmarks ? &g->marks[g->nmarks - 1] : NULL;
	if (!last || last->probs != g->probs->n || last->skipped != g->skipped.n) {
		grow(&g->marks, &g->markcap, g->nmarks + 1, sizeof(*g->marks));
		g->marks[g->nmarks++] = (struct gather_mark){ g->docs->n, g->probs->n, g->skipped.n };
	}
	doclist_add(g->docs, shown, path, rel, w->category)->archive_unchecked = 1;
}

/* type: the entry's d_type from the folder listing; a regular file (DT_REG) is not stat'ed,
 * which for 10,000 small files is 10,000 system calls fewer. */
static void walk_entry(struct walk *w, const char *path, unsigned char type)
{
	const char *inside = path + w->root_len;
	char *shown = path_join(w->shown_root, inside);
	struct stat sb;
	int st = 0;
	if (type == DT_REG) {
		memset(&sb, 0, sizeof(sb));
		sb.st_mode = S_IFREG;
	} else {
		st = stat(path, &sb);
	}
	if (st < 0) {
		problems_add_source_error(w->g->probs, P_UNREADABLE, shown,
					  "%s cannot be read (%s)", shown, strerror(errno));
		w->rc = rp_worst(w->rc, RP_ESOURCE);
	} else if (source_is_furniture(path_basename(path), S_ISDIR(sb.st_mode))) {
		char *t = xasprintf("%s%s", shown, S_ISDIR(sb.st_mode) ? "/" : "");
		strlist_add_owned(&w->g->skipped, str_shown(t)); /* shown on a terminal with -v */
		free(t);
	} else if (S_ISDIR(sb.st_mode)) {
		if (walk_enter(w, &sb, shown)) {
			walk_dir(w, path);
			w->depth--;
		}
	} else if (S_ISREG(sb.st_mode) && ++w->files <= MAX_FILES) {
		char *rel = path_join(w->prefix, inside);
		if (w->g->archives_later && w->g->archive_depth == 0)
			add_unchecked(w, path, rel, shown);
		else
			w->rc = rp_worst(w->rc, source_add_file(w->g, path, rel, shown, w->category));
		free(rel);
	} else if (!S_ISREG(sb.st_mode)) {
		problems_add(w->g->probs, SEV_WARNING, P_UNREADABLE, shown,
			     "%s was left out: it is a device, pipe or socket, never a record", shown);
	}
	free(shown);
}

static void walk_dir(struct walk *w, const char *dir)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, not_junk, by_name);
	if (n < 0) {
		problems_add_source_error(w->g->probs, P_UNREADABLE, w->shown_root,
					  "the folder %s cannot be read (%s)", dir, strerror(errno));
		w->rc = rp_worst(w->rc, RP_ESOURCE);
		return;
	}
	for (int i = 0; i < n; i++) {
		char *path = path_join(dir, list[i]->d_name);
		walk_entry(w, path, list[i]->d_type);
		free(path);
		free(list[i]);
	}
	free(list);
}

int source_walk_dir(struct gather *g, const char *dir, const char *prefix, const char *shown,
		    const char *category)
{
	struct walk w = { .g = g, .shown_root = shown, .prefix = prefix, .category = category };
	struct stat sb;
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	char *root = xstrndup(dir, len);
	w.root_len = strcmp(root, "/") == 0 ? 1 : len + 1;
	if (stat(root, &sb) < 0) {
		problems_add_source_error(g->probs, P_UNREADABLE, shown, "the folder %s cannot be read (%s)",
					  shown, strerror(errno));
		free(root);
		return RP_ESOURCE;
	}
	walk_enter(&w, &sb, shown);
	walk_dir(&w, root);
	if (w.files > MAX_FILES)
		problems_add(g->probs, SEV_WARNING, P_UNREADABLE, shown,
			     "%s holds more than %d files; only the first %d were gathered", shown,
			     MAX_FILES, MAX_FILES);
	free(root);
	return w.rc;
}

/* The folder's own name, so "Pathology/" helps classify what is inside. */
static char *folder_name(const char *spec)
{
	char *real = realpath(spec, NULL);
	const char *base = real ? path_basename(real) : path_basename(spec);
	char *name = xstrdup(*base ? base : "records");
	free(real);
	return name;
}

static int dir_claims(const char *spec)
{
	struct stat sb;
	return stat(spec, &sb) == 0 && S_ISDIR(sb.st_mode);
}

void source_dir_empty(struct gather *g, const char *spec)
{
	problems_add(g->probs, SEV_WARNING, P_EMPTY, spec,
		     "the folder %s holds no records (hidden and system files are skipped)", spec);
}

static int dir_gather(struct gather *g, const struct srcspec *s)
{
	char *name = folder_name(s->spec);
	size_t before = g->docs->n;
	int rc = source_walk_dir(g, s->spec, name, s->spec, s->category);
	if (rc == RP_OK && g->docs->n == before) {
		source_dir_empty(g, s->spec);
	} else if (rc == RP_OK && g->archives_later && g->archive_depth == 0) {
		grow(&g->folders, &g->foldercap, g->nfolders + 1, sizeof(*g->folders));
		g->folders[g->nfolders++] = (struct gather_folder){ before, g->docs->n, g->probs->n, g->skipped.n, s->spec };
	}
	free(name);
	return rc;
}

const struct source_kind source_dir = { .name = "folder", .claims = dir_claims, .gather = dir_gather };

/* ---- standard input ---- */

static int stdin_claims(const char *spec)
{
	return strcmp(spec, "-") == 0;
}

static int stdin_gather(struct gather *g, const struct srcspec *s)
{
	char err[300];
	int rc = RP_OK;
	char *path = workdir_newpath(g->wd, "stdin", err, sizeof(err));
	if (!path) {
		problems_add_source_error(g->probs, P_UNREADABLE, "standard input", "%s", err);
		return RP_EOUTPUT;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fd_copy(STDIN_FILENO, fd) < 0 || fsync(fd) < 0) {
		problems_add_source_error(g->probs, P_UNREADABLE, "standard input",
					  "standard input could not be copied to a temporary file (%s)",
					  strerror(errno));
		rc = RP_ESOURCE;
	} else {
		rc = source_add_file(g, path, "stdin", "standard input", s->category);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

const struct source_kind source_stdin = { .name = "stdin", .claims = stdin_claims, .gather = stdin_gather };
