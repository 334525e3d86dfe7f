/* job.h: what check, build and one batch row share: patient, facts, manifest, sources,
 * and the options that steer them. job.c parses those options; it never prints. */
#ifndef JOB_H
#define JOB_H

#include <getopt.h>
#include <stdint.h>

#include "rules/manifest.h"
#include "sys/util.h"

struct srcspec {
	char *category; /* from a CATEGORY= prefix, or NULL */
	char *spec;     /* path, URL or "-" */
};

enum progress_mode { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER };

struct job {
	const char *manifest_arg; /* -m NAME|FILE; "default" when unset */
	struct manifest *manifest;
	char *patient, *dob, *mrn;
	struct strlist facts;
	char *questions_file;
	struct srcspec *srcs;
	size_t nsrcs, srccap;
	const char *sources_file; /* --sources FILE|- */
	int nul_separated;        /* -0 */

	int json, quiet, verbose, force, allow_incomplete;
	enum progress_mode progress;
	int jobs;                 /* 0: all cores */
	int level;                /* 0-9, -1 default */
	uint64_t max_size;        /* per download, --max-size */
	uint64_t max_expand;      /* archives, --max-expand */

	/* network (source_url.c) */
	int netrc;
	const char *netrc_file, *cookies_file, *bearer_file, *header_file, *cacert;
	int retries;
	long timeout;
	int parallel;
	int no_cache;

	char errbuf[512];         /* message for a usage error */
};

/* Long options shared by check, build and batch; `opts` ends with a zero entry. */
extern const struct option job_long_options[];
#define JOB_SHORT_OPTIONS "m:qvj:0"

void job_init(struct job *job);
void job_free(struct job *job);

/* Handle one getopt result. Returns 1 if it was a job option, 0 if not ours,
 * or -1 with job->errbuf set for a bad value. */
int job_option(struct job *job, int opt, const char *arg);

/* Add a "[CATEGORY=]SOURCE" string. The prefix counts only when it names a manifest
 * category, so paths that contain '=' stay paths; call after job_load_manifest. */
void job_add_source(struct job *job, const char *arg);

/* Load the manifest and the --sources file, check the patient fields. 0 or RP_E*, with errbuf. */
int job_prepare(struct job *job, int argc, char **argv);

#endif
