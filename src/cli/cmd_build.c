/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_build.c: `recpack build`: check the records, then write the checksummed ZIP packet
 * (a BagIt bag inside) atomically, with a PACKET.zip.sha256 sidecar. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/collect.h"
#include "cli/password.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "packet/packet.h"
#include "sys/fdio.h"
#include "sys/outfile.h"
#include "sys/rp.h"
#include "sys/util.h"

#define MAX_QUESTIONS (64 * 1024)

static const char usage[] =
	"Usage: recpack build [OPTIONS] -o PACKET.zip SOURCE...\n"
	"Check the records like 'recpack check', then write one ZIP packet for the second-opinion\n"
	"doctor: a BagIt bag with README.txt, index.html, packet.json and the documents under\n"
	"data/NN-category/, plus PACKET.zip.sha256 beside it. Nothing is written when the check fails.\n"
	"Exit status: 0 written, 1 check failed, 2 usage, 3 a source failed, 4 output failed.\n"
	"\n"
	"Packet:\n"
	"  -o, --output FILE|-    the packet to write (default: NAME.zip here); - writes it to\n"
	"                         standard output (a pipe or file, never a terminal; not with --json)\n"
	"      --name NAME        the packet's top folder (default: Family_Given_DATE_second-opinion)\n"
	"      --force            replace an existing packet\n"
	"      --allow-incomplete write the packet even when the check fails, gaps marked\n"
	"      --questions FILE   the patient's questions for the doctor, shown first\n"
	"      --level 0-9        deflate level (0 stores; default 1)\n"
	"      --encrypt          encrypt every file with AES-256 (7-Zip and 'recpack extract'\n"
	"                         open it; Info-ZIP unzip cannot); names inside become neutral\n"
	"      --password-file FILE  the password, on the first line of FILE (else\n"
	"                         RECPACK_PASSWORD, else asked twice on the terminal); 10+ characters\n"
	"Set SOURCE_DATE_EPOCH for a byte-identical packet from the same records (not encrypted).\n"
	"\n";

enum { OPT_NAME = 2000, OPT_ENCRYPT, OPT_PASSWORD_FILE }; /* job.c uses 1000 and up */

static const struct option own_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, 'o' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "encrypt", no_argument, NULL, OPT_ENCRYPT },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ NULL, 0, NULL, 0 },
};

struct build_args {
	const char *output;
	const char *name;
	int encrypt;
	const char *password_file;
	char *password; /* --encrypt: from password_get */
};

/* -o - writes the packet's bytes to standard output: never onto a terminal (binary noise on
 * the screen), and never with --json (the JSON would be lost inside the ZIP stream: refused
 * rather than moved to stderr, so a script cannot take one for the other). */
static int check_stdout_packet(const struct job *job)
{
	if (job->json)
		return cli_usage_error("build", "--json and -o - would both write to standard output; give -o "
				       "a file name to have the JSON, or leave out --json");
	if (isatty(STDOUT_FILENO))
		return cli_usage_error("build", "-o - writes the packet (a ZIP file) to standard output, which "
				       "is a terminal here; send it to a file or a program instead "
				       "(recpack build ... -o - > packet.zip, or | ssh ...), or give -o a file name");
	return RP_OK;
}

static int parse(int argc, char **argv, struct job *job, struct build_args *a, int *help)
{
	struct option *jo = job_options(JOB_BUILD), *opts = cli_options_merge(own_options, jo);
	char shorts[16];
	snprintf(shorts, sizeof(shorts), "ho:%s", job_short_options(JOB_BUILD));
	free(jo);
	int rc = RP_OK, opt;
	while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (opt == 'h') {
			*help = 1;
			break;
		} else if (opt == 'o') {
			a->output = optarg;
		} else if (opt == OPT_NAME) {
			a->name = optarg;
		} else if (opt == OPT_ENCRYPT) {
			a->encrypt = 1;
		} else if (opt == OPT_PASSWORD_FILE) {
			a->password_file = optarg;
		} else {
			int handled = job_option(job, opt, optarg);
			if (handled < 0) {
				rc = cli_usage_error("build", "%s", job->errbuf);
				break;
			}
			if (handled == 0) {
				rc = cli_bad_job_option("build", argv[optind - 1]);
				break;
			}
		}
	}
	free(opts);
	if (!rc && !*help && a->password_file && !a->encrypt)
		rc = cli_usage_error("build", "--password-file is for an encrypted packet: add --encrypt");
	if (!rc && !*help && a->output && strcmp(a->output, "-") == 0)
		rc = check_stdout_packet(job);
	return rc;
}

static char *read_questions(const char *path, int *rc)
{
	char *buf;
	size_t n;
	if (file_read_small(path, MAX_QUESTIONS, &buf, &n) == 0)
		return buf;
	if (errno == EFBIG) {
		cli_error("%s: is too long (at most 64 KB of questions)", path);
		*rc = RP_EUSAGE;
	} else {
		cli_error("cannot read the questions file %s: %s", path, strerror(errno));
		*rc = RP_ESOURCE;
	}
	return NULL;
}

/* Returns rc, or RP_EOUTPUT when the JSON could not be written. */
/* Whether any document goes into the packet: classified and not left out by a problem. */
static int packs_anything(const struct doclist *docs)
{
	for (size_t i = 0; i < docs->n; i++)
		if (!docs->v[i].excluded && docs->v[i].category)
			return 1;
	return 0;
}

static int print_refusal(const struct job *job, struct collection *c, int rc)
{
	int out = rc;
	if (job->json &&
	    cli_print_json(report_json(&job->patient, job->manifest, &c->docs, &c->result, &c->probs)) < 0)
		out = RP_EOUTPUT;
	int empty = job->out.allow_incomplete && !c->result.mismatched && !packs_anything(&c->docs);
	if (!job->quiet || !job->json) {
		for (size_t i = 0; i < c->probs.n; i++) /* nothing packed: the warnings say why too */
			if (c->probs.v[i].severity == SEV_ERROR || (empty && c->probs.v[i].severity == SEV_WARNING))
				fprintf(stderr, "recpack: %s: %s\n", c->probs.v[i].code, c->probs.v[i].message);
	}
	if (empty)
		cli_error("no packet was written: not one of the records given can go in it (see the "
			  "problems above), and a packet with nothing in it would only delay the doctor. "
			  "Add the records, then run recpack again");
	else if (c->result.mismatched) /* never overridden: --allow-incomplete is for gaps only */
		cli_error("no packet was written: %zu record%s another patient. Take %s out and run recpack again",
			  c->result.mismatched, c->result.mismatched == 1 ? " names" : "s name",
			  c->result.mismatched == 1 ? "it" : "them");
	else
		cli_error("no packet was written: %s. Fix the problems above, or use --allow-incomplete to "
			  "send a packet with the gaps marked",
			  rc == RP_ESOURCE ? "a source could not be read" : "the check failed");
	return out;
}

static void print_warnings(const struct job *job, const struct collection *c)
{
	if (job->quiet)
		return;
	for (size_t i = 0; i < c->probs.n; i++)
		if (c->probs.v[i].severity != SEV_INFO)
			fprintf(stderr, "recpack: %s: %s: %s\n", severity_name(c->probs.v[i].severity),
				c->probs.v[i].code, c->probs.v[i].message);
}

/* Options that work but are probably not what was meant: said before the records are read. */
static void warn_options(const struct job *job, const struct build_args *a)
{
	if (job->quiet)
		return;
	if (a->output && strcmp(a->output, "-") != 0 && !str_endswith_nocase(a->output, ".zip"))
		fprintf(stderr, "recpack: warning: %s does not end in .zip, so the doctor's computer may not know "
				"how to open it; name the packet like -o %s.zip\n", a->output, a->output);
	if (!job->patient.name)
		fprintf(stderr, "recpack: warning: no --patient given: the packet will not say whose records these "
				"are (the records are only compared with each other). Give the patient's name, e.g. "
				"--patient 'Jane Doe' --dob 1970-01-31\n");
}

static int write_chunk(void *arg, const unsigned char *p, size_t n)
{
	return fwrite(p, 1, n, (FILE *)arg) == n ? 0 : -1;
}

/* "-o -": the finished packet, copied to standard output. 0 or RP_EOUTPUT. */
static int copy_to_stdout(const char *path, char *errbuf, size_t errlen)
{
	int rc = RP_EOUTPUT;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && fd_each_chunk(fd, (256 * 1024), write_chunk, stdout) == 0 && fflush(stdout) == 0)
		rc = RP_OK;
	if (rc)
		snprintf(errbuf, errlen, "cannot write the packet to standard output: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The packet goes to a temp file beside the target (or in the workdir for "-o -"). */
static int write_packet(const struct job *job, struct collection *c, const struct build_args *a,
			const char *questions)
{
	struct outfile of = { 0 };
	struct packet_info info = { 0 };
	struct progress prog;
	char err[1024] = "", sha[65], sz[32];
	int to_stdout = strcmp(a->output, "-") == 0;
	char *sidecar = NULL, *sidetext = NULL, *tmp = NULL;
	int rc;
	if (to_stdout) {
		tmp = workdir_newpath(&c->wd, "packet.zip", err, sizeof(err));
		rc = tmp ? RP_OK : RP_EOUTPUT;
	} else {
		rc = outfile_begin(&of, a->output, job->force, err, sizeof(err));
		tmp = of.tmp ? xstrdup(of.tmp) : NULL;
	}
	if (rc)
		goto out;
	progress_init(&prog, job->progress, job->quiet);
	struct packet_opts po = job->out;
	po.name = a->name;
	po.when = packet_time();
	po.jobs = job->jobs;
	po.questions = questions;
	po.progress = progress_zip;
	po.progress_arg = &prog;
	po.password = a->password;
	po.durable = !to_stdout;
	struct packet_input in = { .pt = &job->patient, .m = job->manifest, .docs = &c->docs,
				   .res = &c->result, .probs = &c->probs, .wd = &c->wd };
	mode_t old = umask(077); /* libzip creates its own temp file with the umask's mode */
	rc = packet_write(tmp, &in, &po, &info, err, sizeof(err)); /* a signal: cleanup.h */
	progress_done(&prog);
	if (!rc && strlen(info.sha256) == 64)
		memcpy(sha, info.sha256, sizeof(sha));
	else if (!rc)
		rc = outfile_sha256(tmp, sha, err, sizeof(err));
	if (!rc && to_stdout) {
		rc = copy_to_stdout(tmp, err, sizeof(err));
	} else if (!rc) {
		sidecar = xasprintf("%s.sha256", a->output);
		sidetext = xasprintf("%s  %s\n", sha, path_basename(a->output));
		rc = outfile_commit_with(&of, sidecar, sidetext, strlen(sidetext), err, sizeof(err));
	}
	umask(old);
	if (of.stale_removed && !job->quiet)
		fprintf(stderr, "recpack: removed %d unfinished packet file(s) that an interrupted run left beside %s\n",
			of.stale_removed, a->output);
	if (rc)
		goto out;
	if (job->json && !to_stdout) {
		json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:o}", "schema", REPORT_SCHEMA_VERSION,
				      "packet", a->output, "sha256", sha, "sidecar", sidecar, "bag", info.name,
				      "complete", c->result.complete, "documents", (json_int_t)info.files, "bytes",
				      (json_int_t)info.bytes, "problems", report_problems_json(&c->probs));
		if (cli_print_json(j) < 0) {
			snprintf(err, sizeof(err), "cannot write to standard output: %s", strerror(errno));
			rc = RP_EOUTPUT;
		}
	} else if (!job->quiet) {
		fprintf(stderr, "recpack: wrote %s (%s%zu documents, %s%s%s); check it with: recpack verify %s\n",
			to_stdout ? "the packet to standard output" : a->output,
			c->result.complete ? "" : "INCOMPLETE, ", info.files,
			human_size(info.bytes, sz, sizeof(sz)), c->result.unclassified ? "; not in it: " : "",
			c->result.unclassified ? (c->result.unclassified == 1 ? "1 file recpack could not sort, see above"
									     : "files recpack could not sort, see above") : "",
			to_stdout ? "PACKET.zip" : a->output);
	}
out:
	if (rc)
		cli_error("%s", err);
	if (to_stdout && tmp)
		unlink(tmp);
	outfile_abort(&of);
	free(tmp);
	free(sidecar);
	free(sidetext);
	free(info.name);
	return rc;
}

int cmd_build(int argc, char **argv)
{
	struct job job;
	struct collection c = { 0 };
	struct build_args a = { 0 };
	char *questions = NULL, *defout = NULL;
	int help = 0;
	job_init(&job);
	int rc = parse(argc, argv, &job, &a, &help);
	if (rc || help) {
		if (help)
			printf("%s%s", usage, cli_job_help);
		goto out;
	}
	rc = job_prepare(&job, argc - optind, argv + optind);
	if (rc) {
		if (rc == RP_EUSAGE)
			cli_usage_error("build", "%s", job.errbuf);
		else
			cli_error("%s", job.errbuf);
		goto out;
	}
	warn_options(&job, &a);
	if (job.questions_file && !(questions = read_questions(job.questions_file, &rc)))
		goto out;
	if (a.encrypt) {
		char err[512];
		if ((rc = password_get(a.password_file, PASSWORD_NEW, &a.password, err, sizeof(err)))) {
			cli_error("%s", err);
			goto out;
		}
	}
	rc = collect_run(&job, &c, 0);
	if (rc == RP_EOUTPUT || (rc && (!job.out.allow_incomplete || c.result.mismatched))) {
		rc = print_refusal(&job, &c, rc);
		goto out;
	}
	if (!packs_anything(&c.docs)) { /* --allow-incomplete, and not one record to send */
		rc = print_refusal(&job, &c, rc ? rc : RP_EFAIL);
		goto out;
	}
	print_warnings(&job, &c);
	if (!a.output) {
		/* the default name needs the bag name: plan it once without writing */
		struct bag b;
		char err[256];
		if ((rc = bag_plan(&b, &job.patient, job.manifest, &c.docs, a.name, packet_time(), job.out.allow_incomplete, err, sizeof(err)))) {
			cli_usage_error("build", "%s", err);
			goto out;
		}
		if (a.encrypt)
			bag_neutralize(&b, a.name);
		a.output = defout = xasprintf("%s.zip", b.name);
		bag_free(&b);
	}
	rc = write_packet(&job, &c, &a, questions);
out:
	free(questions);
	free(defout);
	password_free(a.password);
	collection_free(&c);
	job_free(&job);
	return rc;
}
