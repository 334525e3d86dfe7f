/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batch.c: see batch.h. */
#include "cli/batch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/report.h"
#include "packet/verify.h"
#include "rules/manifest.h"
#include "sys/cleanup.h"
#include "sys/fdio.h"
#include "sys/rp.h"

static const char *const fixed_columns[] = { "id", "name", "dob", "mrn", "manifest", "facts", "questions", "sources" };

int batch_is_fixed_column(const char *col)
{
	for (size_t i = 0; i < sizeof(fixed_columns) / sizeof(fixed_columns[0]); i++)
		if (strcmp(col, fixed_columns[i]) == 0)
			return 1;
	return 0;
}

static char *resolve(const char *base, const char *path)
{
	if (path[0] == '/' || strcmp(path, "-") == 0 || strstr(path, "://"))
		return xstrdup(path);
	return path_join(base, path);
}

/* The row's manifest: a built-in name as it is, a file relative to the roster's folder (as
 * its sources are), or the batch's own --manifest when the cell is empty. */
static char *row_manifest(const struct roster *r, const struct roster_row *row, const char *dflt, const char *base)
{
	const char *m = roster_cell(r, row, "manifest");
	if (!*m)
		return xstrdup(dflt ? dflt : "default");
	if (!strchr(m, '/') && manifest_builtin_text(m))
		return xstrdup(m);
	return resolve(base, m);
}

/* Split "a;b; c" into trimmed non-empty parts. */
static void split_list(const char *cell, struct strlist *out)
{
	char *copy = xstrdup(cell), *save = NULL;
	for (char *p = strtok_r(copy, ";", &save); p; p = strtok_r(NULL, ";", &save))
		if (*trim(p))
			strlist_add(out, trim(p));
	free(copy);
}

static int valid_fact(const char *f)
{
	return *f && strlen(f) <= 40 &&
	       strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(f);
}

/* Mark the row with every reason its facts and category columns cannot be used. */
static void validate_row(struct roster *r, struct roster_row *row, const struct manifest *m, const char *origin)
{
	struct strlist facts = { 0 }, ok = { 0 };
	char err[512];
	split_list(roster_cell(r, row, "facts"), &facts);
	for (size_t i = 0; i < facts.n; i++) {
		if (!valid_fact(facts.v[i]))
			roster_row_error(r, row, origin, "facts", "the fact '%s' must be letters, digits, '-' or '_' "
					 "(separate facts with ';')", facts.v[i]);
		else
			strlist_add(&ok, facts.v[i]);
	}
	if (manifest_check_facts(m, &ok, err, sizeof(err)))
		roster_row_error(r, row, origin, "facts", "%s", err);
	for (size_t c = 0; c < r->ncols; c++)
		if (!batch_is_fixed_column(r->cols[c]) && *row->cells[c] && !manifest_category(m, r->cols[c]))
			roster_row_error(r, row, origin, r->cols[c], "'%s' is not a category of the manifest '%s'",
					 r->cols[c], m->name);
	strlist_free(&facts);
	strlist_free(&ok);
}

int batch_validate(struct roster *r, const char *origin, const char *base, const char *default_manifest,
		   char *err, size_t errlen)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (!*r->cols[c]) {
			snprintf(err, errlen, "%s:1: column %zu of the header has no name", origin, c + 1);
			return RP_EUSAGE;
		}
	for (size_t i = 0; i < r->nrows; i++) {
		struct roster_row *row = &r->rows[i];
		char merr[512];
		char *path = row_manifest(r, row, default_manifest, base);
		struct manifest *m = manifest_load(path, merr, sizeof(merr));
		free(path);
		if (!m) {
			roster_row_error(r, row, origin, *roster_cell(r, row, "manifest") ? "manifest" : NULL, "%s", merr);
			continue;
		}
		validate_row(r, row, m, origin);
		manifest_free(m);
	}
	return RP_OK;
}

static void add_sources(struct strlist *args, const char *category, const char *cell, const char *base)
{
	struct strlist parts = { 0 };
	split_list(cell, &parts);
	for (size_t i = 0; i < parts.n; i++) {
		char *p = resolve(base, parts.v[i]);
		strlist_add_owned(args, category ? xasprintf("%s=%s", category, p) : xstrdup(p));
		free(p);
	}
	strlist_free(&parts);
}

void batch_row_args(const struct roster *r, const struct roster_row *row, const char *base,
		    const char *default_manifest, struct strlist *args)
{
	struct strlist facts = { 0 };
	char *manifest = row_manifest(r, row, default_manifest, base);
	strlist_add_owned(args, xasprintf("--manifest=%s", manifest));
	free(manifest);
	strlist_add_owned(args, xasprintf("--patient=%s", roster_cell(r, row, "name")));
	strlist_add_owned(args, xasprintf("--dob=%s", roster_cell(r, row, "dob")));
	if (*roster_cell(r, row, "mrn"))
		strlist_add_owned(args, xasprintf("--mrn=%s", roster_cell(r, row, "mrn")));
	split_list(roster_cell(r, row, "facts"), &facts);
	for (size_t i = 0; i < facts.n; i++)
		strlist_add_owned(args, xasprintf("--fact=%s", facts.v[i]));
	strlist_free(&facts);
	if (*roster_cell(r, row, "questions")) {
		char *q = resolve(base, roster_cell(r, row, "questions"));
		strlist_add_owned(args, xasprintf("--questions=%s", q));
		free(q);
	}
	strlist_add(args, "--"); /* a source named "-x.pdf" is not an option */
	for (size_t c = 0; c < r->ncols; c++)
		if (!batch_is_fixed_column(r->cols[c]))
			add_sources(args, r->cols[c], row->cells[c], base);
	add_sources(args, NULL, roster_cell(r, row, "sources"), base);
}

/* ---- running the rows ---- */

struct row_run {
	pid_t pid;
	size_t row;
	char *result; /* the child's JSON output, in the batch's private temp folder */
	char *errors; /* the child's standard error, the same */
};

static const char *row_id(const struct batch *b, size_t row)
{
	return roster_cell(&b->roster, &b->roster.rows[row], "id");
}

static char *packet_path(const struct batch *b, size_t row)
{
	char *name = xasprintf("%s.zip", row_id(b, row));
	char *path = path_join(b->outdir, name);
	free(name);
	return path;
}

/* A packet left by an earlier run that still verifies: the row is done. */
static int already_done(const struct batch *b, const char *packet)
{
	struct verify_result r = { 0 };
	char err[256];
	struct stat sb;
	if (stat(packet, &sb) < 0)
		return 0;
	int done = verify_packet_pw(packet, b->password, &r, err, sizeof(err)) == RP_OK && r.n == 0 && r.sidecar == 1;
	verify_result_free(&r);
	return done;
}

static void child_run(const struct batch *b, const struct row_run *run)
{
	struct strlist args = { 0 };
	char *packet = packet_path(b, run->row);
	strlist_add(&args, "build");
	for (size_t i = 0; i < b->pass.n; i++)
		strlist_add(&args, b->pass.v[i]);
	strlist_add_owned(&args, xasprintf("--output=%s", packet));
	strlist_add_owned(&args, xasprintf("--jobs=%d", b->cores_per_row));
	strlist_add_owned(&args, xasprintf("--parallel=%d", b->downloads_per_row));
	strlist_add(&args, "--json");
	strlist_add(&args, "--progress=never");
	strlist_add(&args, "--force"); /* an existing packet that did not verify is replaced */
	if (!b->job.verbose)
		strlist_add(&args, "--quiet");
	batch_row_args(&b->roster, &b->roster.rows[run->row], b->base, b->job.manifest_arg, &args);
	strlist_add_owned(&args, NULL);

	int fd = open(run->result, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int efd = open(run->errors, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || efd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(efd, STDERR_FILENO) < 0)
		_exit(RP_EOUTPUT);
	optind = 0; /* a fresh getopt for the build's own parsing */
	int rc = cmd_build((int)args.n - 1, args.v);
	_exit(fflush(stdout) == 0 ? rc : RP_EOUTPUT);
}

static json_t *read_result(const char *path)
{
	json_error_t e;
	return json_load_file(path, 0, &e);
}

static int has_error(json_t *problems)
{
	size_t i;
	json_t *p;
	json_array_foreach(problems, i, p) {
		const char *sev = json_string_value(json_object_get(p, "severity"));
		if (sev && strcmp(sev, "error") == 0)
			return 1;
	}
	return 0;
}

static const char *exit_code_name(int code)
{
	return code == RP_EUSAGE ? "usage" : code == RP_ESOURCE ? "source-failed"
	       : code == RP_EOUTPUT ? "output-failed" : "check-failed";
}

static void add_problem(json_t *problems, int code, const char *message)
{
	json_array_append_new(problems, json_pack("{s:s, s:s, s:s}", "severity", "error", "code",
						  exit_code_name(code), "message", message));
}

/* The row's messages (its standard error), or NULL. */
static char *read_errors(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (!path || file_read_small(path, 1 << 20, &text, &len) < 0)
		return NULL;
	return text;
}

/* Each "recpack...: message" line the row's build printed, as a problem: a build refused
 * before it checked anything (a usage error) says why only there. */
static void add_printed_problems(json_t *problems, int code, const char *text)
{
	char *copy = xstrdup(text), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strstr(line, ": ");
		if (strncmp(line, "recpack", 7) != 0 || !colon)
			continue;
		char *shown = str_utf8(colon + 2);
		if (*trim(shown))
			add_problem(problems, code, shown);
		free(shown);
	}
	free(copy);
}

/* The row's problems: the build's own, and when none of them is an error while the row
 * failed, what it printed, so that every failed row says why in report.jsonl. With -v what
 * it printed is shown too. */
static json_t *row_problems(json_t *res, int code, const char *errors_path, int echo, int signalled)
{
	json_t *p = json_object_get(res, "problems");
	json_t *problems = json_is_array(p) ? json_deep_copy(p) : json_array();
	char *text = read_errors(errors_path);
	if (echo && text)
		fputs(text, stderr);
	if (code != RP_OK && !has_error(problems) && text)
		add_printed_problems(problems, code, text);
	if (code != RP_OK && !has_error(problems) && !signalled)
		add_problem(problems, code, code == RP_EOUTPUT ? "the packet could not be written"
				: "the build stopped without saying why");
	free(text);
	return problems;
}

static const char *failure_reason(json_t *problems)
{
	size_t i;
	json_t *p;
	json_array_foreach(problems, i, p) {
		const char *sev = json_string_value(json_object_get(p, "severity"));
		if (sev && strcmp(sev, "error") == 0 && json_is_string(json_object_get(p, "message")))
			return json_string_value(json_object_get(p, "message"));
	}
	return "the build failed";
}

static json_t *row_line(const struct batch *b, size_t row, const char *status, int code,
			const char *packet, json_t *res, json_t *problems, int skipped)
{
	json_t *sha = json_object_get(res, "sha256");
	json_t *line = json_object();
	json_object_set_new(line, "schema", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(line, "id", json_string(row_id(b, row)));
	json_object_set_new(line, "line", json_integer(b->roster.rows[row].line));
	json_object_set_new(line, "status", json_string(status));
	json_object_set_new(line, "exit", json_integer(code));
	json_object_set_new(line, "packet", code == RP_OK ? json_string(packet) : json_null());
	json_object_set(line, "sha256", sha ? sha : json_null());
	json_object_set_new(line, "skipped", json_boolean(skipped));
	json_object_set(line, "problems", problems);
	return line;
}

/* The row's label in messages: its id, or its line when the id is what is wrong. */
static char *row_label(const struct batch *b, size_t row)
{
	const char *id = row_id(b, row);
	return *id && !b->roster.rows[row].error ? xstrdup(id) : xasprintf("line %d", b->roster.rows[row].line);
}

static int record_row(struct batch *b, size_t row, int code, json_t *res, json_t *problems, int skipped)
{
	char *packet = packet_path(b, row), *label = row_label(b, row);
	int complete = json_is_true(json_object_get(res, "complete"));
	const char *status = code != RP_OK ? "failed" : skipped || complete ? "ok" : "incomplete";
	json_t *line = row_line(b, row, status, code, packet, res, problems, skipped);
	free(packet);
	if (code != RP_OK) {
		b->failed++;
		strlist_add_owned(&b->failures, xasprintf("%s: %s", label, failure_reason(problems)));
	} else if (!strcmp(status, "incomplete")) {
		b->incomplete++;
	} else {
		skipped ? b->skipped++ : b->ok++;
	}
	int bad = json_dumpf(line, b->report, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
		  fputc('\n', b->report) == EOF || fflush(b->report) != 0;
	json_array_append_new(b->rows, line);
	progress_done(&b->progress);
	if (!b->job.quiet && !b->job.json)
		fprintf(stderr, "recpack: %s: %s%s\n", label, status, skipped ? " (already built, verified)" : "");
	free(label);
	return bad ? RP_EOUTPUT : code;
}

/* A row the roster check refused: failed with its reasons, never built. */
static int record_invalid(struct batch *b, size_t row)
{
	json_t *problems = json_array(), *res = json_object();
	char *copy = xstrdup(b->roster.rows[row].error), *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		json_array_append_new(problems, json_pack("{s:s, s:s, s:s}", "severity", "error", "code",
							  "roster-row", "message", l));
	free(copy);
	int rc = record_row(b, row, RP_EUSAGE, res, problems, 0);
	json_decref(problems);
	json_decref(res);
	return rc;
}

static int record_skipped(struct batch *b, size_t row, const char *packet)
{
	char hex[65] = "";
	char *sidecar = xasprintf("%s.sha256", packet);
	FILE *f = fopen(sidecar, "r");
	if (f && fscanf(f, "%64s", hex) != 1)
		hex[0] = '\0';
	if (f)
		fclose(f);
	free(sidecar);
	json_t *res = json_pack("{s:s, s:b}", "sha256", hex, "complete", 1), *problems = json_array();
	int rc = record_row(b, row, RP_OK, res, problems, 1);
	json_decref(res);
	json_decref(problems);
	return rc;
}

/* Record a row that needs no build (refused by the roster check, or already done); otherwise
 * start its child. Returns the child's pid, 0 when no child was needed, -1 on failure. */
static pid_t start_row(struct batch *b, size_t row, struct row_run *run, int *worst)
{
	if (b->roster.rows[row].error) {
		*worst = rp_worst(*worst, record_invalid(b, row));
		return 0;
	}
	char *packet = packet_path(b, row);
	int done = !b->job.force && already_done(b, packet);
	if (done)
		*worst = rp_worst(*worst, record_skipped(b, row, packet));
	free(packet);
	if (done)
		return 0;
	char err[256];
	run->row = row;
	run->result = workdir_newpath(&b->work, "result.json", err, sizeof(err));
	run->errors = run->result ? workdir_newpath(&b->work, "stderr.txt", err, sizeof(err)) : NULL;
	if (!run->errors) {
		cli_error("%s", err);
		errno = EIO;
		return -1;
	}
	fflush(NULL);
	pid_t pid = cleanup_fork();
	if (pid == 0)
		child_run(b, run);
	run->pid = pid;
	return pid;
}

static int finish_row(struct batch *b, struct row_run *run, int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : RP_EOUTPUT;
	json_t *res = read_result(run->result);
	if (!res)
		res = json_object();
	json_t *problems = row_problems(res, code, run->errors, b->job.verbose, WIFSIGNALED(status));
	if (WIFSIGNALED(status)) {
		char *why = xasprintf("the build of this row was stopped by signal %d (%s)%s", WTERMSIG(status),
				      strsignal(WTERMSIG(status)),
				      WTERMSIG(status) == SIGKILL ? ": perhaps the computer ran out of memory" : "");
		json_array_insert_new(problems, 0, json_pack("{s:s, s:s, s:s}", "severity", "error", "code",
							     "output-failed", "message", why));
		free(why);
	}
	int rc = record_row(b, run->row, code, res, problems, 0);
	json_decref(problems);
	json_decref(res);
	unlink(run->result);
	unlink(run->errors);
	free(run->result);
	free(run->errors);
	run->result = run->errors = NULL;
	run->pid = 0;
	return rc;
}

/* The batch's line on a terminal: rows done of all, and the ids being built. */
static void show_progress(struct batch *b, const struct row_run *runs, int parallel)
{
	struct sbuf ids = { 0 };
	for (int i = 0; i < parallel; i++)
		if (runs[i].pid > 0)
			sbuf_printf(&ids, "%s%s", ids.len ? ", " : "", row_id(b, runs[i].row));
	size_t done = b->ok + b->skipped + b->incomplete + b->failed;
	progress_rows(&b->progress, done, b->roster.nrows, b->failed, ids.len ? ids.p : "");
	free(sbuf_take(&ids, NULL));
}

/* Wait for one row to end and record it: 1, 0 (another child, or EINTR), -1 (none left). */
static int reap_row(struct batch *b, struct row_run *runs, int parallel, int *worst)
{
	int status, n = 0;
	pid_t done = waitpid(-1, &status, 0);
	if (done < 0)
		return errno == EINTR ? 0 : -1;
	cleanup_child_reaped(done);
	for (int i = 0; i < parallel; i++)
		if (runs[i].pid == done) {
			*worst = rp_worst(*worst, finish_row(b, &runs[i], status));
			n++;
		}
	return n;
}

int batch_run_rows(struct batch *b)
{
	int parallel = b->job.jobs > 0 ? b->job.jobs : 1, worst = RP_OK, running = 0;
	struct row_run *runs = xcalloc((size_t)parallel, sizeof(*runs));
	size_t next = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	b->cores_per_row = cores / parallel > 1 ? (int)(cores / parallel) : 1;
	b->downloads_per_row = b->job.fetch.parallel / parallel > 1 ? b->job.fetch.parallel / parallel : 1;
	progress_init(&b->progress, b->job.progress, b->job.quiet);
	while (next < b->roster.nrows || running) {
		int slot = -1;
		for (int i = 0; i < parallel && slot < 0; i++)
			if (!runs[i].pid)
				slot = i;
		if (slot >= 0 && next < b->roster.nrows) {
			pid_t pid = start_row(b, next++, &runs[slot], &worst);
			if (pid < 0) {
				cli_error("cannot start a build: %s", strerror(errno));
				worst = rp_worst(worst, RP_EOUTPUT);
				break;
			}
			running += pid > 0;
			continue;
		}
		show_progress(b, runs, parallel);
		int r = reap_row(b, runs, parallel, &worst);
		if (r < 0)
			break;
		running -= r;
	}
	while (running > 0) { /* after a failure to start one: let those started finish */
		int r = reap_row(b, runs, parallel, &worst);
		if (r < 0)
			break;
		running -= r;
	}
	progress_done(&b->progress);
	free(runs);
	return worst;
}
