/* SPDX-License-Identifier: GPL-3.0-or-later */
/* job.c: see job.h. */
#include "cli/job.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/readchild.h"
#include "rules/classify.h"
#include "sys/date.h"
#include "sys/fdio.h"
#include "sys/rp.h"

#define MAX_SOURCES_FILE (64u << 20)

enum {
	OPT_PATIENT = 1000, OPT_DOB, OPT_MRN, OPT_SURGERY, OPT_HOSPITALIZED, OPT_FACT,
	OPT_QUESTIONS, OPT_SOURCES, OPT_FORCE, OPT_ALLOW_INCOMPLETE, OPT_JSON, OPT_PROGRESS,
	OPT_LEVEL, OPT_MAX_SIZE, OPT_MAX_EXPAND, OPT_NETRC, OPT_NETRC_FILE, OPT_COOKIES,
	OPT_BEARER_FILE, OPT_HEADER_FILE, OPT_CACERT, OPT_RETRIES, OPT_TIMEOUT, OPT_PARALLEL,
	OPT_MIN_SPEED, OPT_DEADLINE,
	OPT_NO_CACHE,
	OPT_NO_OCR,
};

/* Every option of check, build and batch, with the commands that take it: the others refuse
 * it as a usage error, naming it, instead of quietly ignoring it. */
#define ALL (JOB_CHECK | JOB_BUILD | JOB_BATCH | JOB_REQUEST)
#define READS (JOB_CHECK | JOB_BUILD | JOB_REQUEST) /* one patient's records: check, build, request */
#define REPORTS (JOB_CHECK | JOB_BUILD | JOB_BATCH) /* --json */
#define WRITES (JOB_BUILD | JOB_BATCH) /* packets */
static const struct {
	struct option o;
	unsigned cmds;
} defs[] = {
	{ { "manifest", required_argument, NULL, 'm' }, ALL },
	{ { "patient", required_argument, NULL, OPT_PATIENT }, READS },
	{ { "dob", required_argument, NULL, OPT_DOB }, READS },
	{ { "mrn", required_argument, NULL, OPT_MRN }, READS },
	{ { "surgery", no_argument, NULL, OPT_SURGERY }, READS },
	{ { "hospitalized", no_argument, NULL, OPT_HOSPITALIZED }, READS },
	{ { "fact", required_argument, NULL, OPT_FACT }, READS },
	{ { "questions", required_argument, NULL, OPT_QUESTIONS }, JOB_BUILD },
	{ { "sources", required_argument, NULL, OPT_SOURCES }, READS },
	{ { "null", no_argument, NULL, '0' }, READS },
	{ { "force", no_argument, NULL, OPT_FORCE }, WRITES | JOB_REQUEST },
	{ { "allow-incomplete", no_argument, NULL, OPT_ALLOW_INCOMPLETE }, WRITES },
	{ { "json", no_argument, NULL, OPT_JSON }, REPORTS },
	{ { "quiet", no_argument, NULL, 'q' }, ALL },
	{ { "verbose", no_argument, NULL, 'v' }, ALL },
	{ { "progress", required_argument, NULL, OPT_PROGRESS }, READS },
	{ { "jobs", required_argument, NULL, 'j' }, ALL },
	{ { "level", required_argument, NULL, OPT_LEVEL }, WRITES },
	{ { "max-size", required_argument, NULL, OPT_MAX_SIZE }, ALL },
	{ { "max-expand", required_argument, NULL, OPT_MAX_EXPAND }, ALL },
	{ { "netrc", no_argument, NULL, OPT_NETRC }, ALL },
	{ { "netrc-file", required_argument, NULL, OPT_NETRC_FILE }, ALL },
	{ { "cookies", required_argument, NULL, OPT_COOKIES }, ALL },
	{ { "bearer-file", required_argument, NULL, OPT_BEARER_FILE }, ALL },
	{ { "header-file", required_argument, NULL, OPT_HEADER_FILE }, ALL },
	{ { "cacert", required_argument, NULL, OPT_CACERT }, ALL },
	{ { "retries", required_argument, NULL, OPT_RETRIES }, ALL },
	{ { "timeout", required_argument, NULL, OPT_TIMEOUT }, ALL },
	{ { "min-speed", required_argument, NULL, OPT_MIN_SPEED }, ALL },
	{ { "deadline", required_argument, NULL, OPT_DEADLINE }, ALL },
	{ { "parallel", required_argument, NULL, OPT_PARALLEL }, ALL },
	{ { "no-cache", no_argument, NULL, OPT_NO_CACHE }, ALL },
	{ { "no-ocr", no_argument, NULL, OPT_NO_OCR }, ALL },
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

struct option *job_options(unsigned cmd)
{
	struct option *o = xcalloc(NDEFS + 1, sizeof(*o));
	size_t n = 0;
	for (size_t i = 0; i < NDEFS; i++)
		if (defs[i].cmds & cmd)
			o[n++] = defs[i].o;
	return o;
}

const char *job_short_options(unsigned cmd)
{
	return cmd & READS ? "m:qvj:0" : "m:qvj:";
}

/* "check, build and batch" for the commands in the set cmds. */
static const char *command_names(unsigned cmds, char *buf, size_t len)
{
	static const char *const names[] = { "check", "build", "batch", "request" };
	size_t n = 0, total = 0, o = 0;
	for (unsigned b = 0; b < 4; b++)
		total += (cmds >> b) & 1;
	buf[0] = '\0';
	for (unsigned b = 0; b < 4 && o < len; b++) {
		if (!((cmds >> b) & 1))
			continue;
		n++;
		int w = snprintf(buf + o, len - o, "%s%s", n == 1 ? "" : n == total ? " and " : ", ", names[b]);
		o += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

const char *job_option_takers(const char *arg)
{
	static char buf[64];
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	arg += 2;
	size_t len = strcspn(arg, "=");
	for (size_t i = 0; i < NDEFS; i++)
		if (strlen(defs[i].o.name) == len && strncmp(defs[i].o.name, arg, len) == 0)
			return command_names(defs[i].cmds, buf, sizeof(buf));
	return NULL;
}

void job_init(struct job *job)
{
	memset(job, 0, sizeof(*job));
	job->manifest_arg = "default";
	job->out.level = -1;
	fetch_opts_init(&job->fetch);
	/* recency is measured from the packet's own date, so SOURCE_DATE_EPOCH gives the same answer */
	time_t now = packet_time();
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(job->patient.today, sizeof(job->patient.today), "%Y-%m-%d", &tm);
}

void job_free(struct job *job)
{
	manifest_free(job->manifest);
	free(job->patient.name);
	free(job->patient.dob);
	free(job->patient.mrn);
	free(job->questions_file);
	strlist_free(&job->patient.facts);
	fetch_opts_free(&job->fetch);
	job->manifest = NULL;
}

__attribute__((format(printf, 2, 3)))
static int bad(struct job *job, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(job->errbuf, sizeof(job->errbuf), fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* "4G", "500MiB", "1000000": a byte count. */
static int parse_bytes(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{ "", 0 }, { "k", 10 }, { "kb", 10 }, { "kib", 10 }, { "m", 20 }, { "mb", 20 },
		{ "mib", 20 }, { "g", 30 }, { "gb", 30 }, { "gib", 30 }, { "t", 40 }, { "tib", 40 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(end, units[i].suffix) == 0) {
			if (v > (UINT64_MAX >> units[i].shift))
				return -1;
			*out = (uint64_t)v << units[i].shift;
			return 0;
		}
	return -1;
}

static int valid_date(const char *s)
{
	return date_parse_iso(s, NULL, NULL, NULL) == 0;
}

/* A YYYY-MM-DD after today (UTC, a day's grace for time zones). */
static int date_in_future(const char *s)
{
	char today[11];
	time_t now = time(NULL) + 24 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	return strcmp(s, today) > 0;
}

static int valid_fact(const char *s)
{
	if (!*s || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

static void set_str(char **field, const char *arg)
{
	free(*field);
	*field = xstrdup(arg);
}

static int network_option(struct job *job, int opt, const char *arg)
{
	long v;
	switch (opt) {
	case OPT_NETRC: job->fetch.netrc = 1; return 1;
	case OPT_NETRC_FILE: job->fetch.netrc_file = arg; return 1;
	case OPT_COOKIES: job->fetch.cookies_file = arg; return 1;
	case OPT_BEARER_FILE: job->fetch.bearer_file = arg; return 1;
	case OPT_HEADER_FILE: job->fetch.header_file = arg; return 1;
	case OPT_CACERT: job->fetch.cacert = arg; return 1;
	case OPT_NO_CACHE: job->fetch.no_cache = 1; return 1;
	case OPT_RETRIES:
		if (parse_long(arg, 0, 20, &v) < 0)
			return bad(job, "--retries takes a number from 0 to 20, not '%s'", arg);
		job->fetch.retries = (int)v;
		return 1;
	case OPT_TIMEOUT:
		if (parse_long(arg, 1, 86400, &v) < 0)
			return bad(job, "--timeout takes a number of seconds from 1 to 86400, not '%s'", arg);
		job->fetch.timeout = v;
		return 1;
	case OPT_MIN_SPEED:
		if (parse_long(arg, 1, 1L << 30, &v) < 0)
			return bad(job, "--min-speed takes a number of bytes a second from 1 to 1073741824, not '%s'", arg);
		job->fetch.min_speed = v;
		return 1;
	case OPT_DEADLINE:
		if (parse_long(arg, 1, 7 * 86400, &v) < 0)
			return bad(job, "--deadline takes a number of seconds from 1 to 604800, not '%s'", arg);
		job->fetch.deadline = v;
		return 1;
	case OPT_PARALLEL:
		if (parse_long(arg, 1, 64, &v) < 0)
			return bad(job, "--parallel takes a number from 1 to 64, not '%s'", arg);
		job->fetch.parallel = (int)v;
		return 1;
	}
	return 0;
}

static int output_option(struct job *job, int opt, const char *arg)
{
	long v;
	switch (opt) {
	case OPT_FORCE: job->force = 1; return 1;
	case OPT_ALLOW_INCOMPLETE: job->out.allow_incomplete = 1; return 1;
	case OPT_JSON: job->json = 1; return 1;
	case 'q': job->quiet = 1; return 1;
	case 'v': job->verbose++; return 1;
	case OPT_PROGRESS:
		if (strcmp(arg, "auto") == 0) job->progress = PROGRESS_AUTO;
		else if (strcmp(arg, "always") == 0) job->progress = PROGRESS_ALWAYS;
		else if (strcmp(arg, "never") == 0) job->progress = PROGRESS_NEVER;
		else return bad(job, "--progress takes auto, always or never, not '%s'", arg);
		return 1;
	case 'j':
		if (parse_long(arg, 1, 256, &v) < 0)
			return bad(job, "--jobs takes a number from 1 to 256, not '%s'", arg);
		job->jobs = (int)v;
		return 1;
	case OPT_LEVEL:
		if (parse_long(arg, 0, 9, &v) < 0)
			return bad(job, "--level takes a number from 0 (store) to 9 (smallest), not '%s'", arg);
		job->out.level = (int)v;
		return 1;
	case OPT_MAX_SIZE:
		if (parse_bytes(arg, &job->fetch.max_size) < 0 || job->fetch.max_size == 0)
			return bad(job, "--max-size takes a size in bytes such as 500M or 4G, not '%s'", arg);
		return 1;
	case OPT_MAX_EXPAND:
		if (parse_bytes(arg, &job->fetch.max_expand) < 0 || job->fetch.max_expand == 0)
			return bad(job, "--max-expand takes a size in bytes such as 16G, not '%s'", arg);
		return 1;
	}
	return network_option(job, opt, arg);
}

int job_option(struct job *job, int opt, const char *arg)
{
	switch (opt) {
	case 'm': job->manifest_arg = arg; return 1;
	case OPT_PATIENT:
		if (!*trim((char *)arg))
			return bad(job, "--patient needs the patient's name, e.g. --patient 'Jane Doe'%s", "");
		set_str(&job->patient.name, arg);
		return 1;
	case OPT_DOB:
		if (!valid_date(arg))
			return bad(job, "--dob takes a date of birth as YYYY-MM-DD, e.g. 1970-01-31, not '%s'", arg);
		if (date_in_future(arg))
			return bad(job, "--dob %s is a date in the future; give the patient's date of birth as YYYY-MM-DD", arg);
		set_str(&job->patient.dob, arg);
		return 1;
	case OPT_MRN:
		if (!*trim((char *)arg))
			return bad(job, "--mrn needs the medical record number%s", "");
		set_str(&job->patient.mrn, arg);
		return 1;
	case OPT_SURGERY: arg = "surgery"; goto fact;
	case OPT_HOSPITALIZED: arg = "hospitalized"; goto fact;
	case OPT_FACT:
	fact:
		if (!valid_fact(arg))
			return bad(job, "--fact takes a name of letters, digits, '-' or '_', not '%s'", arg);
		if (!strlist_has(&job->patient.facts, arg))
			strlist_add(&job->patient.facts, arg);
		return 1;
	case OPT_QUESTIONS: set_str(&job->questions_file, arg); return 1;
	case OPT_SOURCES: job->sources_file = arg; return 1;
	case '0': job->nul_separated = 1; return 1;
	case OPT_NO_OCR: readchild_ocr(0); return 1; /* one command a process: set for all its readers */
	}
	return output_option(job, opt, arg);
}

/* Edit distance (insertions, deletions, substitutions, swaps of neighbours) between two short
 * words, capped at 9: enough to tell a typo from another word. */
static size_t typo_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[33][33];
	if (la > 32 || lb > 32)
		return 9;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb] > 9 ? 9 : d[la][lb];
}

/* The manifest's category named prefix, in any case; NULL when none. */
static const char *category_named(const struct manifest *m, const char *prefix)
{
	for (size_t i = 0; m && i < m->ncats; i++)
		if (strcasecmp(m->cats[i].name, prefix) == 0)
			return m->cats[i].name;
	return NULL;
}

/* A prefix that reads as a misspelt category ("patology=scan.pdf"): a word of letters close to
 * one of the manifest's names, and the whole argument is not a file. The error says which
 * category was probably meant and lists them all. */
static int category_typo(struct job *job, const char *arg, const char *prefix)
{
	const struct manifest *m = job->manifest;
	const char *best = NULL;
	size_t best_d = 9, len = strlen(prefix);
	for (const char *p = prefix; *p; p++)
		if (!isalpha((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	if (!m || access(arg, F_OK) == 0)
		return 0;
	for (size_t i = 0; i < m->ncats; i++) {
		size_t d = typo_distance(prefix, m->cats[i].name);
		if (d < best_d)
			best = m->cats[i].name, best_d = d;
	}
	char names[512] = "", fixed[1024];
	for (size_t i = 0; i < m->ncats; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
			 m->cats[i].name);
	if (!best || best_d > (len <= 4 ? 1 : len <= 8 ? 2 : 3))
		return 0; /* not a category's name: the '=' is part of a path */
	/* a very long path cuts the list of categories at the end, never the advice */
	char *msg = xasprintf("%s: there is no category '%s'; did you mean '%s'? Write it as %s (the "
			      "categories of the manifest '%s' are: %s)", arg, prefix, best,
			      classify_argument(best, arg + len + 1, fixed, sizeof(fixed)), m->name, names);
	snprintf(job->errbuf, sizeof(job->errbuf), "%s", msg);
	free(msg);
	return 1;
}

int job_add_source(struct job *job, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *category = NULL;
	if (eq && eq != arg && !memchr(arg, '/', (size_t)(eq - arg))) {
		char *prefix = xstrndup(arg, (size_t)(eq - arg));
		category = category_named(job->manifest, prefix);
		int typo = !category && category_typo(job, arg, prefix);
		free(prefix);
		if (typo)
			return RP_EUSAGE;
	}
	fetch_opts_add(&job->fetch, category, category ? eq + 1 : arg);
	return RP_OK;
}

static int load_sources_file(struct job *job)
{
	const char *name = job->sources_file;
	int from_stdin = strcmp(name, "-") == 0;
	char *buf = NULL;
	size_t len = 0;
	if ((from_stdin ? fd_read_small(STDIN_FILENO, MAX_SOURCES_FILE, &buf, &len)
			: file_read_small(name, MAX_SOURCES_FILE, &buf, &len)) < 0) {
		snprintf(job->errbuf, sizeof(job->errbuf), "%s: cannot read the list of sources: %s",
			 from_stdin ? "standard input" : name, strerror(errno));
		return RP_ESOURCE;
	}
	char sep = job->nul_separated ? '\0' : '\n';
	for (size_t i = 0; i < len;) {
		char *end = memchr(buf + i, sep, len - i);
		size_t n = end ? (size_t)(end - (buf + i)) : len - i;
		char *line = xstrndup(buf + i, n);
		if (!job->nul_separated) {
			size_t l = strlen(line);
			if (l && line[l - 1] == '\r')
				line[l - 1] = '\0';
		}
		int rc = line[0] && !(!job->nul_separated && line[0] == '#') ? job_add_source(job, line) : RP_OK;
		free(line);
		if (rc) {
			free(buf);
			return rc;
		}
		i += n + 1;
	}
	free(buf);
	return RP_OK;
}

int job_prepare(struct job *job, int argc, char **argv)
{
	job->manifest = manifest_load(job->manifest_arg, job->errbuf, sizeof(job->errbuf));
	if (!job->manifest || manifest_check_facts(job->manifest, &job->patient.facts, job->errbuf, sizeof(job->errbuf)))
		return RP_EUSAGE;
	int stdin_sources = 0;
	for (int i = 0; i < argc; i++) {
		if (job_add_source(job, argv[i]))
			return RP_EUSAGE;
		stdin_sources += strcmp(job->fetch.srcs[job->fetch.nsrcs - 1].spec, "-") == 0;
	}
	if (job->sources_file) {
		if (strcmp(job->sources_file, "-") == 0 && stdin_sources) {
			snprintf(job->errbuf, sizeof(job->errbuf),
				 "standard input cannot be both --sources - and a source '-'");
			return RP_EUSAGE;
		}
		int rc = load_sources_file(job);
		if (rc)
			return rc;
	}
	if (job->nul_separated && !job->sources_file) {
		snprintf(job->errbuf, sizeof(job->errbuf), "-0 only makes sense with --sources FILE|-");
		return RP_EUSAGE;
	}
	if (job->fetch.nsrcs == 0) {
		snprintf(job->errbuf, sizeof(job->errbuf),
			 "no records given: name files, folders, archives or URLs (or --sources FILE)");
		return RP_EUSAGE;
	}
	return RP_OK;
}
