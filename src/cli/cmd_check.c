/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_check.c: `recpack check`: gather, classify and check the records; write nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/collect.h"
#include "cli/report.h"
#include "sys/rp.h"

static const char usage[] =
	"Usage: recpack check [OPTIONS] SOURCE...\n"
	"Gather the records, sort them into the manifest's categories and check them:\n"
	"missing documents, wrong or broken files, another patient's images, duplicates.\n"
	"Nothing is written. Exit status: 0 complete, 1 check failed, 2 usage, 3 a source failed.\n"
	"\n";

static const struct option own_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Disc furniture and the like that was left out, listed with -v. */
static void print_skipped(const struct collection *c)
{
	if (c->skipped.n == 0)
		return;
	printf("\nLeft out (viewer programs and other disc furniture, not records):\n");
	for (size_t i = 0; i < c->skipped.n; i++)
		printf("  %s\n", c->skipped.v[i]);
}

static json_t *skipped_json(const struct collection *c)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->skipped.n; i++)
		json_array_append_new(a, json_string(c->skipped.v[i]));
	return a;
}

static int print_result(const struct job *job, struct collection *c)
{
	if (job->json) {
		json_t *j = report_json(&job->patient, job->manifest, &c->docs, &c->result, &c->probs);
		if (c->skipped.n)
			json_object_set_new(j, "skipped", skipped_json(c));
		return cli_print_json(j);
	}
	if (job->quiet) {
		for (size_t i = 0; i < c->probs.n; i++)
			if (c->probs.v[i].severity == SEV_ERROR)
				fprintf(stderr, "recpack: %s: %s\n", c->probs.v[i].code, c->probs.v[i].message);
		return 0;
	}
	int rc = report_print_text(stdout, &job->patient, job->manifest, job->verbose, &c->docs, &c->result, &c->probs, report_want_color(stdout));
	if (job->verbose)
		print_skipped(c);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct job job;
	struct collection c = { 0 };
	struct option *jo = job_options(JOB_CHECK), *opts = cli_options_merge(own_options, jo);
	char shorts[16];
	snprintf(shorts, sizeof(shorts), "h%s", job_short_options(JOB_CHECK));
	free(jo);
	int rc = RP_OK, opt;
	job_init(&job);
	while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (opt == 'h') {
			printf("%s%s", usage, cli_job_help);
			goto out;
		}
		int handled = job_option(&job, opt, optarg);
		if (handled < 0) {
			rc = cli_usage_error("check", "%s", job.errbuf);
			goto out;
		}
		if (handled == 0) {
			rc = cli_bad_job_option("check", argv[optind - 1]);
			goto out;
		}
	}
	rc = job_prepare(&job, argc - optind, argv + optind);
	if (rc) {
		if (rc == RP_EUSAGE)
			cli_usage_error("check", "%s", job.errbuf);
		else
			cli_error("%s", job.errbuf);
		goto out;
	}
	rc = collect_run(&job, &c, 1);
	if (print_result(&job, &c) < 0)
		rc = rp_worst(rc, RP_EOUTPUT);
out:
	collection_free(&c);
	job_free(&job);
	free(opts);
	return rc;
}
