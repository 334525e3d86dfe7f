/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_batch.c: `recpack batch ROSTER.csv -d OUTDIR`: one packet per roster row: its options,
 * the roster, the output folder, the password and the summary. The rows are run by
 * batch.c (batch_run_rows); results go to OUTDIR/report.jsonl and a summary. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/batch.h"
#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/job.h"
#include "cli/password.h"
#include "cli/report.h"
#include "cli/roster.h"
#include "packet/verify.h"
#include "sys/cleanup.h"
#include "sys/fdio.h"
#include "sys/rp.h"
#include "sys/util.h"

static const char usage[] =
	"Usage: recpack batch [OPTIONS] ROSTER.csv -d OUTDIR\n"
	"Build one packet per roster row: OUTDIR/<id>.zip and its .sha256, one JSON line per row in\n"
	"OUTDIR/report.jsonl, and a summary. Rows whose packet already exists and verifies are\n"
	"skipped, so an interrupted batch is finished by running it again.\n"
	"Roster columns: id,name,dob[,mrn,manifest,facts,questions,sources,<category>...]; several\n"
	"sources in one cell are separated by ';'; relative paths are relative to the roster.\n"
	"The roster may be separated by ',', ';' or tabs, in UTF-8, UTF-16 or Windows-1252 (Latin-1).\n"
	"Every row is checked first and every mistake reported (line, column); rows with mistakes\n"
	"are reported as failed (exit 2) and the others are built, unless --strict.\n"
	"\n"
	"  -d, --outdir DIR     where packets and report.jsonl go (created if needed)\n"
	"  -j, --jobs N         rows built at once (default 1); the cores and the --parallel\n"
	"                       downloads (default 6) are shared out among them\n"
	"      --force          rebuild every row, even those already done\n"
	"      --strict         build nothing when any row of the roster has a mistake\n"
	"      --allow-incomplete  write packets with gaps marked instead of failing the row\n"
	"      --level 0-9      deflate level of every packet (0 stores; default 1)\n"
	"      --encrypt        encrypt every packet (AES-256, neutral names inside); one password\n"
	"      --password-file FILE  that password, on the first line of FILE (else\n"
	"                       RECPACK_PASSWORD, else asked twice on the terminal)\n"
	"  -m, --manifest NAME|FILE  manifest for rows without a manifest column\n"
	"      --json           print the summary as JSON (\"ok\" counts the rows skipped too)\n"
	"  -q, --quiet          print only failures\n"
	"  -v, --verbose        show each row's messages\n"
	"Download and archive options (--netrc, --cookies, --max-size, ...) apply to every row.\n"
	"Exit status: the worst row's (0 all ok, 1 a check failed, 2 a mistake in the row,\n"
	"3 a source failed, 4 output);\n"
	"4 at once when another recpack batch is writing to OUTDIR (one batch per folder at a time).\n";

enum { OPT_OUTDIR = 'd', OPT_ENCRYPT = 2000, OPT_PASSWORD_FILE, OPT_STRICT };

static const struct option own_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "outdir", required_argument, NULL, OPT_OUTDIR },
	{ "encrypt", no_argument, NULL, OPT_ENCRYPT },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ NULL, 0, NULL, 0 },
};

/* Job options a batch keeps for itself rather than passing to every row. */
static const char *const own_job_options[] = { "manifest", "json", "quiet", "verbose", "jobs",
					       "force" };

static int is_own(const char *name)
{
	for (size_t i = 0; i < sizeof(own_job_options) / sizeof(own_job_options[0]); i++)
		if (strcmp(name, own_job_options[i]) == 0)
			return 1;
	return 0;
}

static void keep_passthrough(struct batch *b, int opt, const char *arg)
{
	struct option *opts = job_options(JOB_BATCH);
	for (const struct option *o = opts; o->name; o++)
		if (o->val == opt && !is_own(o->name)) {
			strlist_add_owned(&b->pass, arg ? xasprintf("--%s=%s", o->name, arg) : xasprintf("--%s", o->name));
			break;
		}
	free(opts);
}

static int parse(int argc, char **argv, struct batch *b, int *help)
{
	struct option *jo = job_options(JOB_BATCH), *opts = cli_options_merge(own_options, jo);
	char shorts[16];
	snprintf(shorts, sizeof(shorts), "hd:%s", job_short_options(JOB_BATCH));
	free(jo);
	int opt, rc = RP_OK;
	while (!rc && (opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (opt == 'h') {
			*help = 1;
			break;
		}
		if (opt == OPT_OUTDIR) {
			b->outdir = optarg;
			continue;
		}
		if (opt == OPT_STRICT) {
			b->strict = 1;
			continue;
		}
		if (opt == OPT_ENCRYPT || opt == OPT_PASSWORD_FILE) {
			b->encrypt |= opt == OPT_ENCRYPT;
			if (opt == OPT_PASSWORD_FILE)
				b->password_file = optarg;
			continue;
		}
		int handled = job_option(&b->job, opt, optarg);
		if (handled < 0)
			rc = cli_usage_error("batch", "%s", b->job.errbuf);
		else if (handled == 0)
			rc = cli_bad_job_option("batch", argv[optind - 1]);
		else
			keep_passthrough(b, opt, optarg);
	}
	free(opts);
	if (rc || *help)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error("batch", "give exactly one roster file (a CSV with id,name,dob,...)");
	if (!b->outdir)
		return cli_usage_error("batch", "say where the packets go with -d OUTDIR");
	if (b->password_file && !b->encrypt)
		return cli_usage_error("batch", "--password-file is for encrypted packets: add --encrypt");
	b->roster_path = argv[optind];
	return RP_OK;
}

/* Every row's mistakes, one line each, and what happens to those rows. */
static void report_bad_rows(const struct batch *b)
{
	for (size_t i = 0; i < b->roster.nrows; i++) {
		char *copy = b->roster.rows[i].error ? xstrdup(b->roster.rows[i].error) : NULL, *save = NULL;
		for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
			cli_error("%s", l);
		free(copy);
	}
	if (b->strict)
		cli_error("%zu of %zu rows have mistakes: nothing was built (--strict); correct them and run "
			  "the batch again", b->roster.nbad, b->roster.nrows);
	else
		cli_error("%zu of %zu rows have mistakes: they are reported as failed, the other rows are built; "
			  "correct them and run the batch again (rows already built are skipped)",
			  b->roster.nbad, b->roster.nrows);
}

static int load_roster(struct batch *b)
{
	char err[1024];
	char *raw = NULL, *text = NULL;
	size_t len = 0, tlen = 0;
	const char *encoding = NULL;
	int rc = RP_EUSAGE;
	/* one byte over the limit, so roster_parse says it is too big */
	if (file_read_small(b->roster_path, ROSTER_MAX_BYTES + 1, &raw, &len) < 0) {
		cli_error("%s: cannot read the roster: %s", b->roster_path,
			  errno == EFBIG ? "it is too big" : strerror(errno));
		return RP_EUSAGE;
	}
	if (len > ROSTER_MAX_BYTES) {
		cli_error("%s: the roster is larger than 16 MB", b->roster_path);
		free(raw);
		return RP_EUSAGE;
	}
	if ((rc = roster_decode(raw, len, b->roster_path, &text, &tlen, &encoding, err, sizeof(err))) ||
	    (rc = roster_parse(text, tlen, b->roster_path, &b->roster, err, sizeof(err))) ||
	    (rc = roster_validate(&b->roster, b->roster_path, err, sizeof(err))) ||
	    (rc = batch_validate(&b->roster, b->roster_path, b->base, b->job.manifest_arg, err, sizeof(err))))
		cli_error("%s", err);
	if (rc == RP_OK && b->job.verbose && strcmp(encoding, "UTF-8") != 0)
		fprintf(stderr, "recpack: %s: read as %s text\n", b->roster_path, encoding);
	if (rc == RP_OK && b->roster.nbad) {
		report_bad_rows(b);
		if (b->strict)
			rc = RP_EUSAGE;
	}
	free(raw);
	free(text);
	return rc;
}

#define LOCK_NAME ".recpack-batch.lock"

/* One batch per output folder at a time: an exclusive flock on OUTDIR/.recpack-batch.lock,
 * held until the batch ends (a row's forked build holds it too) and released by the kernel
 * however it ends. The file is removed by its holder on the way out; a locker that finds it
 * removed or replaced under its lock tries again, so two runs never hold two files. Returns
 * the locked fd, or -1 after saying why. */
static int lock_outdir(const struct batch *b)
{
	char *path = path_join(b->outdir, LOCK_NAME);
	int fd = -1;
	for (int tries = 0; tries < 10 && fd < 0; tries++) {
		struct stat held, named;
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			cli_error("%s: cannot lock the output folder: %s", path, strerror(errno));
			break;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno == EWOULDBLOCK)
				cli_error("another recpack batch is writing to %s; wait for it to finish (or give "
					  "another folder with -d)", b->outdir);
			else
				cli_error("%s: cannot lock the output folder: %s", path, strerror(errno));
			close(fd);
			fd = -1;
			break;
		}
		if (fstat(fd, &held) < 0 || lstat(path, &named) < 0 || held.st_ino != named.st_ino ||
		    held.st_dev != named.st_dev) {
			close(fd); /* removed by the batch that held it just before: lock the new one */
			fd = -1;
		}
	}
	free(path);
	return fd;
}

static void unlock_outdir(struct batch *b, int fd)
{
	char *path = path_join(b->outdir, LOCK_NAME);
	unlink(path); /* still locked: no other batch is between its open and its flock check */
	cleanup_unregister(b->lock_cleanup);
	close(fd);
	free(path);
}

static int prepare_outdir(struct batch *b, int *lockfd)
{
	if (mkdir(b->outdir, 0700) < 0 && errno != EEXIST) {
		cli_error("%s: cannot create the output folder: %s", b->outdir, strerror(errno));
		return RP_EOUTPUT;
	}
	if ((*lockfd = lock_outdir(b)) < 0)
		return RP_EOUTPUT;
	char *lock = path_join(b->outdir, LOCK_NAME);
	b->lock_cleanup = cleanup_register_file(lock); /* a signal leaves no lock file behind */
	free(lock);
	char *path = path_join(b->outdir, "report.jsonl");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		fchmod(fd, 0600);
	b->report = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!b->report)
		cli_error("%s: cannot write the report: %s", path, strerror(errno));
	free(path);
	return b->report ? RP_OK : RP_EOUTPUT;
}

/* Returns worst, or RP_EOUTPUT when the JSON summary could not be written. */
static int print_summary(const struct batch *b, int worst)
{
	if (b->job.json) {
		/* "ok" is the text summary's "ok": built now or already built before (skipped) */
		json_t *j = json_pack("{s:i, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:O}", "schema", REPORT_SCHEMA_VERSION,
				      "outdir", b->outdir, "ok", (int)(b->ok + b->skipped), "built", (int)b->ok,
				      "skipped", (int)b->skipped,
				      "incomplete", (int)b->incomplete, "failed", (int)b->failed, "exit", worst,
				      "rows", b->rows);
		return cli_print_json(j) < 0 ? RP_EOUTPUT : worst;
	}
	if (b->job.quiet && !b->failed)
		return worst;
	FILE *out = b->job.quiet ? stderr : stdout;
	fprintf(out, "\nBatch %s: %zu rows\n", b->roster_path, b->roster.nrows);
	fprintf(out, "  ok           %zu%s\n", b->ok + b->skipped,
		b->skipped ? " (some already built before)" : "");
	fprintf(out, "  incomplete   %zu\n", b->incomplete);
	fprintf(out, "  failed       %zu\n", b->failed);
	for (size_t i = 0; i < b->failures.n; i++)
		fprintf(out, "    %s\n", b->failures.v[i]);
	fprintf(out, "Packets and report.jsonl are in %s\n", b->outdir);
	return worst;
}

/* One password for every row. Each row's build runs in a forked child that reads it from
 * the environment (never from argv), or from the same --password-file. */
static int get_password(struct batch *b)
{
	char err[512];
	int rc = password_get(b->password_file, PASSWORD_NEW, &b->password, err, sizeof(err));
	if (rc) {
		cli_error("%s", err);
		return rc;
	}
	strlist_add(&b->pass, "--encrypt");
	if (b->password_file)
		strlist_add_owned(&b->pass, xasprintf("--password-file=%s", b->password_file));
	else if (setenv(PASSWORD_ENV, b->password, 1) < 0)
		return RP_EUSAGE;
	return RP_OK;
}

int cmd_batch(int argc, char **argv)
{
	struct batch b = { 0 };
	int help = 0, rc, lockfd = -1;
	job_init(&b.job);
	b.rows = json_array();
	rc = parse(argc, argv, &b, &help);
	if (help)
		fputs(usage, stdout);
	if (rc || help)
		goto out;
	char *slash = strrchr(b.roster_path, '/');
	b.base = slash ? xstrndup(b.roster_path, (size_t)(slash - b.roster_path) + 1) : xstrdup(".");
	if ((rc = load_roster(&b)) || (b.encrypt && (rc = get_password(&b))) || (rc = prepare_outdir(&b, &lockfd)))
		goto out;
	rc = batch_run_rows(&b);
	rc = print_summary(&b, rc);
out:
	if (b.report && fclose(b.report) != 0)
		rc = rp_worst(rc, RP_EOUTPUT);
	if (lockfd >= 0)
		unlock_outdir(&b, lockfd);
	workdir_remove(&b.work);
	roster_free(&b.roster);
	strlist_free(&b.pass);
	strlist_free(&b.failures);
	json_decref(b.rows);
	free(b.base);
	job_free(&b.job);
	password_free(b.password);
	return rc;
}
