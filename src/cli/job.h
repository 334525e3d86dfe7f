/* SPDX-License-Identifier: GPL-3.0-or-later */
/* job.h: what check, build and one batch row share: patient, facts, manifest, sources,
 * and the options that steer them. job.c parses those options; it never prints. */
#ifndef JOB_H
#define JOB_H

#include <getopt.h>
#include <stdint.h>

#include "packet/packet.h"
#include "rules/manifest.h"
#include "rules/patient.h"
#include "sources/source.h"
#include "sys/util.h"

enum progress_mode { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER };

/* Each stage gets its part: rules/ the patient and the manifest, sources/ the fetch
 * options, packet/ the output options; the rest steers the command line itself. */
struct job {
	const char *manifest_arg; /* -m NAME|FILE; "default" when unset */
	struct manifest *manifest;
	struct patient patient;
	struct fetch_opts fetch;
	struct packet_opts out;   /* --level, --allow-incomplete, -j; the command sets the rest */
	char *questions_file;
	const char *sources_file; /* --sources FILE|- */
	int nul_separated;        /* -0 */

	int json, quiet, verbose, force;
	enum progress_mode progress;
	int jobs;                 /* 0: all cores */

	char errbuf[512];         /* message for a usage error */
};

/* The commands that share these options; each takes only some of them. */
enum { JOB_CHECK = 1, JOB_BUILD = 2, JOB_BATCH = 4, JOB_REQUEST = 8 };

/* The long options cmd (one JOB_*) takes, ending with a zero entry; free() the result. */
struct option *job_options(unsigned cmd);
/* Its short options, for getopt_long. */
const char *job_short_options(unsigned cmd);
/* "--level" or "--level=9": "build and batch", the commands that take it; NULL when it is
 * none of these options. */
const char *job_option_takers(const char *arg);

void job_init(struct job *job);
void job_free(struct job *job);

/* Handle one getopt result. Returns 1 if it was a job option, 0 if not ours,
 * or -1 with job->errbuf set for a bad value. */
int job_option(struct job *job, int opt, const char *arg);

/* Add a "[CATEGORY=]SOURCE" string. The prefix counts when it names a manifest category (in
 * any case), so paths that contain '=' stay paths; call after job_load_manifest. RP_EUSAGE with
 * errbuf when the prefix is a misspelt category ("did you mean 'pathology'?"), else 0. */
int job_add_source(struct job *job, const char *arg);

/* Load the manifest and the --sources file, check the patient fields. 0 or RP_E*, with errbuf. */
int job_prepare(struct job *job, int argc, char **argv);

#endif
