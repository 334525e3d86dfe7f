/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_request.c: `recpack request`: check the records like `check`, then write a
 * ready-to-sign letter (plain text and printable HTML) asking the office named with --to for
 * what is missing, under the HIPAA right of access. Nothing is sent anywhere. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/collect.h"
#include "cli/report.h"
#include "packet/letter.h"
#include "sys/fdio.h"
#include "sys/outfile.h"
#include "sys/rp.h"
#include "sys/util.h"

#define MAX_ADDRESS (16 * 1024)

static const char usage[] =
	"Usage: recpack request --to OFFICE [OPTIONS] SOURCE...\n"
	"Check the records like 'recpack check', then write a letter, ready to print and sign,\n"
	"asking OFFICE for exactly what is missing (reports, the images behind a report, more\n"
	"recent scans, pathology slides by case number) under your HIPAA right of access\n"
	"(45 CFR 164.524), with the 30-day deadline counted from the letter's date. It writes\n"
	"BASE.txt and BASE.html; you print, sign and send the letter yourself: recpack sends nothing.\n"
	"Exit status: 0 written (or nothing to ask for), 2 usage, 3 a source failed, 4 output failed.\n"
	"\n"
	"Letter:\n"
	"      --to OFFICE        who the letter is to, e.g. 'Springfield Imaging, Medical Records'\n"
	"      --to-address FILE  the office's address, one line per line of FILE\n"
	"      --from-address FILE  your address and telephone, printed under your name\n"
	"  -o, --output BASE      write BASE.txt and BASE.html (default: records-request)\n"
	"      --force            replace letters already there\n"
	"The letter is dated today, or the day SOURCE_DATE_EPOCH names. --patient is needed;\n"
	"--dob and --mrn are printed when given (blanks to fill in otherwise).\n"
	"\n";

enum { OPT_TO = 2000, OPT_TO_ADDRESS, OPT_FROM_ADDRESS }; /* job.c uses 1000 and up */

static const struct option own_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, 'o' },
	{ "to", required_argument, NULL, OPT_TO },
	{ "to-address", required_argument, NULL, OPT_TO_ADDRESS },
	{ "from-address", required_argument, NULL, OPT_FROM_ADDRESS },
	{ NULL, 0, NULL, 0 },
};

struct request_args {
	const char *to, *to_address_file, *from_address_file, *output;
	char *to_address, *from_address;
};

static int read_address(const char *file, char **out)
{
	size_t len;
	if (!file)
		return RP_OK;
	if (file_read_small(file, MAX_ADDRESS, out, &len) < 0) {
		cli_error("%s: cannot read the address: %s", file, strerror(errno));
		return RP_ESOURCE;
	}
	return RP_OK;
}

/* BASE from -o, without a .txt or .html the user may have typed. */
static char *base_of(const char *output)
{
	char *b = xstrdup(output);
	size_t n = strlen(b);
	if (str_endswith_nocase(b, ".html"))
		b[n - 5] = '\0';
	else if (str_endswith_nocase(b, ".txt"))
		b[n - 4] = '\0';
	return b;
}

static int write_letters(const struct request_args *a, const struct letter *l, int force, int quiet, size_t nitems)
{
	char *base = base_of(a->output), *txt = xasprintf("%s.txt", base), *html = xasprintf("%s.html", base);
	size_t tlen = 0, hlen = 0;
	char *t = letter_text(l, &tlen), *h = letter_html(l, &hlen), err[512];
	int rc = RP_OK;
	if (!force && (access(txt, F_OK) == 0 || access(html, F_OK) == 0)) {
		cli_error("%s already exists; use --force to replace it, or -o to name another",
			  access(txt, F_OK) == 0 ? txt : html);
		rc = RP_EOUTPUT;
		goto out;
	}
	if ((rc = outfile_write_all(txt, t, tlen, force, err, sizeof(err))) != RP_OK ||
	    (rc = outfile_write_all(html, h, hlen, force, err, sizeof(err))) != RP_OK) {
		cli_error("%s", err);
		goto out;
	}
	if (!quiet)
		printf("Wrote %s and %s: a letter to %s asking for %zu item%s.\n"
		       "Print it, sign it and send it yourself (recpack sends nothing). Keep a copy and note the "
		       "date you sent it.\n", txt, html, a->to, nitems, nitems == 1 ? "" : "s");
out:
	free(t);
	free(h);
	free(base);
	free(txt);
	free(html);
	return rc;
}

static int make_letter(const struct job *job, struct collection *c, const struct request_args *a)
{
	struct letter l = { .pt = &job->patient, .m = job->manifest, .docs = &c->docs, .res = &c->result,
			    .to = a->to, .to_address = a->to_address, .from_address = a->from_address,
			    .date = job->patient.today };
	struct strlist items = { 0 };
	letter_items(&l, &items);
	size_t n = items.n;
	strlist_free(&items);
	for (size_t i = 0; i < c->probs.n && !job->quiet; i++) /* what the letter cannot fix */
		if (c->probs.v[i].severity == SEV_ERROR && strcmp(c->probs.v[i].code, P_MISSING_REQUIRED) != 0 &&
		    strcmp(c->probs.v[i].code, P_BELOW_MIN) != 0 && strcmp(c->probs.v[i].code, P_IMAGES_MISSING) != 0)
			fprintf(stderr, "recpack: note: %s: %s\n", c->probs.v[i].code, c->probs.v[i].message);
	if (n == 0) {
		if (!job->quiet)
			printf("Nothing is missing: every record the manifest \"%s\" asks for is here, so no letter "
			       "was written.\n", job->manifest->name);
		return RP_OK;
	}
	return write_letters(a, &l, job->force, job->quiet, n);
}

/* The usage, then the options request shares with check (all but --json). */
static void print_help(void)
{
	fputs(usage, stdout);
	for (const char *l = cli_job_help; *l;) {
		size_t n = strcspn(l, "\n");
		if (!strstr(l, "--json") || (size_t)(strstr(l, "--json") - l) > n)
			printf("%.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
}

static int parse_args(int argc, char **argv, struct job *job, struct request_args *a, int *done)
{
	struct option *jo = job_options(JOB_REQUEST), *opts = cli_options_merge(own_options, jo);
	char shorts[24];
	int rc = RP_OK, opt;
	snprintf(shorts, sizeof(shorts), "ho:%s", job_short_options(JOB_REQUEST));
	free(jo);
	while (rc == RP_OK && (opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		switch (opt) {
		case 'h': print_help(); *done = 1; goto out;
		case 'o': a->output = optarg; continue;
		case OPT_TO: a->to = optarg; continue;
		case OPT_TO_ADDRESS: a->to_address_file = optarg; continue;
		case OPT_FROM_ADDRESS: a->from_address_file = optarg; continue;
		}
		int handled = job_option(job, opt, optarg);
		if (handled < 0)
			rc = cli_usage_error("request", "%s", job->errbuf);
		else if (handled == 0)
			rc = cli_bad_job_option("request", argv[optind - 1]);
	}
	if (rc == RP_OK && (!a->to || !*trim((char *)a->to)))
		rc = cli_usage_error("request", "say who the letter is to: --to 'NAME OF THE OFFICE OR HOSPITAL'");
	else if (rc == RP_OK && !job->patient.name)
		rc = cli_usage_error("request", "the letter needs the patient's name: --patient 'NAME'");
	else if (rc == RP_OK && !*a->output)
		rc = cli_usage_error("request", "-o needs a file name");
out:
	free(opts);
	return rc;
}

int cmd_request(int argc, char **argv)
{
	struct job job;
	struct collection c = { 0 };
	struct request_args a = { .output = "records-request" };
	int done = 0, rc;
	job_init(&job);
	if ((rc = parse_args(argc, argv, &job, &a, &done)) != RP_OK || done)
		goto out;
	if ((rc = read_address(a.to_address_file, &a.to_address)) != RP_OK ||
	    (rc = read_address(a.from_address_file, &a.from_address)) != RP_OK)
		goto out;
	rc = job_prepare(&job, argc - optind, argv + optind);
	if (rc) {
		if (rc == RP_EUSAGE)
			cli_usage_error("request", "%s", job.errbuf);
		else
			cli_error("%s", job.errbuf);
		goto out;
	}
	rc = collect_run(&job, &c, 1);
	int src = rc == RP_ESOURCE ? RP_ESOURCE : RP_OK; /* a missing record is why the letter is written */
	if (src && !job.quiet)
		report_print_problems(stderr, &c.probs, 0);
	rc = rp_worst(src, make_letter(&job, &c, &a));
out:
	free(a.to_address);
	free(a.from_address);
	collection_free(&c);
	job_free(&job);
	return rc;
}
