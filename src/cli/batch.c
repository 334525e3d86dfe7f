/* batch.c: see batch.h. */
#include "cli/batch.h"

#include <errno.h>
#include <fcntl.h>
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
#include "sys/rp.h"

static const char *const fixed_columns[] = { "id", "name", "dob", "mrn", "manifest", "facts", "questions", "sources" };

int batch_is_fixed_column(const char *col)
{
	for (size_t i = 0; i < sizeof(fixed_columns) / sizeof(fixed_columns[0]); i++)
		if (strcmp(col, fixed_columns[i]) == 0)
			return 1;
	return 0;
}

static const char *row_manifest(const struct roster *r, const struct roster_row *row, const char *dflt)
{
	const char *m = roster_cell(r, row, "manifest");
	return *m ? m : dflt;
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

static int validate_row(const struct roster *r, const struct roster_row *row, const struct manifest *m,
			const char *origin, char *err, size_t errlen)
{
	struct strlist facts = { 0 };
	int rc = RP_OK;
	split_list(roster_cell(r, row, "facts"), &facts);
	for (size_t i = 0; i < facts.n && !rc; i++)
		if (!valid_fact(facts.v[i])) {
			snprintf(err, errlen, "%s:%d: the fact '%s' must be letters, digits, '-' or '_' (separate facts with ';')",
				 origin, row->line, facts.v[i]);
			rc = RP_EUSAGE;
		}
	for (size_t c = 0; c < r->ncols && !rc; c++)
		if (!batch_is_fixed_column(r->cols[c]) && *row->cells[c] && !manifest_category(m, r->cols[c])) {
			snprintf(err, errlen, "%s:%d: the column '%s' is not a category of the manifest '%s'",
				 origin, row->line, r->cols[c], m->name);
			rc = RP_EUSAGE;
		}
	strlist_free(&facts);
	return rc;
}

int batch_validate(const struct roster *r, const char *origin, const char *default_manifest,
		   char *err, size_t errlen)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (!*r->cols[c]) {
			snprintf(err, errlen, "%s:1: column %zu of the header has no name", origin, c + 1);
			return RP_EUSAGE;
		}
	for (size_t i = 0; i < r->nrows; i++) {
		const struct roster_row *row = &r->rows[i];
		char merr[512];
		struct manifest *m = manifest_load(row_manifest(r, row, default_manifest), merr, sizeof(merr));
		if (!m) {
			snprintf(err, errlen, "%s:%d: %s", origin, row->line, merr);
			return RP_EUSAGE;
		}
		int rc = validate_row(r, row, m, origin, err, errlen);
		manifest_free(m);
		if (rc)
			return rc;
	}
	return RP_OK;
}

static char *resolve(const char *base, const char *path)
{
	if (path[0] == '/' || strcmp(path, "-") == 0 || strstr(path, "://"))
		return xstrdup(path);
	return path_join(base, path);
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
	strlist_add_owned(args, xasprintf("--manifest=%s", row_manifest(r, row, default_manifest)));
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
	char *result; /* the child's JSON output file */
};

static char *packet_path(const struct batch *b, size_t row)
{
	return xasprintf("%s/%s.zip", b->outdir, roster_cell(&b->roster, &b->roster.rows[row], "id"));
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

static void child_run(const struct batch *b, size_t row, const char *result)
{
	struct strlist args = { 0 };
	char *packet = packet_path(b, row);
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
	batch_row_args(&b->roster, &b->roster.rows[row], b->base, b->job.manifest_arg, &args);
	strlist_add_owned(&args, NULL);

	int fd = open(result, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int null = open("/dev/null", O_WRONLY);
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || (!b->job.verbose && dup2(null, STDERR_FILENO) < 0))
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

static const char *failure_reason(json_t *res, int code)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(res, "problems"), i, p)
		if (json_is_string(json_object_get(p, "severity")) && strcmp(json_string_value(json_object_get(p, "severity")), "error") == 0)
			return json_string_value(json_object_get(p, "message"));
	return code == RP_EOUTPUT ? "the packet could not be written" : "the build failed (run it alone with -v to see why)";
}

static json_t *row_line(const char *id, const char *status, int code, const char *packet, json_t *res,
		       int skipped)
{
	json_t *problems = json_object_get(res, "problems"), *sha = json_object_get(res, "sha256");
	json_t *line = json_object();
	json_object_set_new(line, "schema", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(line, "id", json_string(id));
	json_object_set_new(line, "status", json_string(status));
	json_object_set_new(line, "exit", json_integer(code));
	json_object_set_new(line, "packet", code == RP_OK ? json_string(packet) : json_null());
	json_object_set(line, "sha256", sha ? sha : json_null());
	json_object_set_new(line, "skipped", json_boolean(skipped));
	json_object_set_new(line, "problems", problems ? json_incref(problems) : json_array());
	return line;
}

static int record_row(struct batch *b, size_t row, int code, json_t *res, int skipped)
{
	const char *id = roster_cell(&b->roster, &b->roster.rows[row], "id");
	char *packet = packet_path(b, row);
	int complete = json_is_true(json_object_get(res, "complete"));
	const char *status = code != RP_OK ? "failed" : skipped || complete ? "ok" : "incomplete";
	json_t *line = row_line(id, status, code, packet, res, skipped);
	free(packet);
	if (code != RP_OK) {
		b->failed++;
		strlist_add_owned(&b->failures, xasprintf("%s: %s", id, failure_reason(res, code)));
	} else if (!strcmp(status, "incomplete")) {
		b->incomplete++;
	} else {
		skipped ? b->skipped++ : b->ok++;
	}
	int bad = json_dumpf(line, b->report, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
		  fputc('\n', b->report) == EOF || fflush(b->report) != 0;
	json_array_append_new(b->rows, line);
	if (!b->job.quiet && !b->job.json)
		fprintf(stderr, "recpack: %s: %s%s\n", id, status, skipped ? " (already built, verified)" : "");
	return bad ? RP_EOUTPUT : code;
}

/* Skip a finished row; otherwise start its child. Returns the child's pid, 0 when skipped. */
static pid_t start_row(struct batch *b, size_t row, struct row_run *run, int *worst)
{
	char *packet = packet_path(b, row);
	int done = !b->job.force && already_done(b, packet);
	char *sidecar = xasprintf("%s.sha256", packet);
	free(packet);
	if (done) {
		char hex[65] = "";
		FILE *f = fopen(sidecar, "r");
		if (f && fscanf(f, "%64s", hex) != 1)
			hex[0] = '\0';
		if (f)
			fclose(f);
		json_t *res = json_pack("{s:s, s:b}", "sha256", hex, "complete", 1);
		*worst = rp_worst(*worst, record_row(b, row, RP_OK, res, 1));
		json_decref(res);
		free(sidecar);
		return 0;
	}
	free(sidecar);
	run->row = row;
	run->result = xasprintf("%s/.%s.result.json", b->outdir, roster_cell(&b->roster, &b->roster.rows[row], "id"));
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		child_run(b, row, run->result);
	run->pid = pid;
	return pid;
}

static int finish_row(struct batch *b, struct row_run *run, int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : RP_EOUTPUT;
	json_t *res = read_result(run->result);
	if (!res)
		res = json_object();
	int rc = record_row(b, run->row, code, res, 0);
	json_decref(res);
	unlink(run->result);
	free(run->result);
	run->result = NULL;
	run->pid = 0;
	return rc;
}

int batch_run_rows(struct batch *b)
{
	int parallel = b->job.jobs > 0 ? b->job.jobs : 1, worst = RP_OK, running = 0;
	struct row_run *runs = xcalloc((size_t)parallel, sizeof(*runs));
	size_t next = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	b->cores_per_row = cores / parallel > 1 ? (int)(cores / parallel) : 1;
	b->downloads_per_row = b->job.fetch.parallel / parallel > 1 ? b->job.fetch.parallel / parallel : 1;
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
		int status;
		pid_t done = waitpid(-1, &status, 0);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			break;
		for (int i = 0; i < parallel; i++)
			if (runs[i].pid == done) {
				worst = rp_worst(worst, finish_row(b, &runs[i], status));
				running--;
			}
	}
	free(runs);
	return worst;
}
