/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_job.c: cli/job.c, the options check, build and batch share: values parsed and
 * range-checked, bad ones refused with a message, sources split into CATEGORY= and path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/job.h"
#include "sys/rp.h"

/* The getopt value of a long option, looked up by name so the test does not copy job.c's codes. */
static int opt(const char *name)
{
	struct option *all = job_options(JOB_CHECK | JOB_BUILD | JOB_BATCH);
	for (const struct option *o = all; o->name; o++)
		if (strcmp(o->name, name) == 0) {
			int v = o->val;
			free(all);
			return v;
		}
	free(all);
	fail_msg("no --%s in job_options", name);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	struct job job;
	job_init(&job);
	assert_string_equal(job.manifest_arg, "default");
	assert_int_equal(job.out.level, -1);
	assert_int_equal(job.fetch.retries, 3);
	assert_true(job.fetch.max_size == 4ull << 30);
	job_free(&job);
}

static void test_good_values(void **state)
{
	(void)state;
	struct job job;
	job_init(&job);
	assert_int_equal(job_option(&job, opt("patient"), "Jane Doe"), 1);
	assert_string_equal(job.patient.name, "Jane Doe");
	assert_int_equal(job_option(&job, opt("dob"), "1970-01-31"), 1);
	assert_string_equal(job.patient.dob, "1970-01-31");
	assert_int_equal(job_option(&job, opt("surgery"), NULL), 1);
	assert_int_equal(job_option(&job, opt("surgery"), NULL), 1);
	assert_int_equal(job_option(&job, opt("fact"), "chemo_2"), 1);
	assert_int_equal(job.patient.facts.n, 2); /* surgery once, chemo_2 */
	assert_int_equal(job_option(&job, opt("level"), "9"), 1);
	assert_int_equal(job.out.level, 9);
	assert_int_equal(job_option(&job, 'j', "4"), 1);
	assert_int_equal(job.jobs, 4);
	assert_int_equal(job_option(&job, opt("max-expand"), "4K"), 1);
	assert_true(job.fetch.max_expand == 4096);
	assert_int_equal(job_option(&job, opt("progress"), "never"), 1);
	assert_int_equal(job.progress, PROGRESS_NEVER);
	assert_int_equal(job_option(&job, 'v', NULL), 1);
	assert_int_equal(job_option(&job, 'v', NULL), 1);
	assert_int_equal(job.verbose, 2);
	assert_int_equal(job_option(&job, 'x', NULL), 0); /* not a job option */
	job_free(&job);
}

static void refused(const char *name, const char *arg, const char *in_message)
{
	struct job job;
	job_init(&job);
	assert_int_equal(job_option(&job, opt(name), arg), -1);
	assert_non_null(strstr(job.errbuf, in_message));
	job_free(&job);
}

static void test_bad_values(void **state)
{
	(void)state;
	refused("dob", "31/01/1970", "YYYY-MM-DD");
	refused("dob", "1970-13-01", "1970-13-01");
	refused("patient", "   ", "--patient");
	refused("fact", "has space", "--fact");
	refused("level", "10", "--level");
	refused("jobs", "0", "--jobs");
	refused("max-expand", "lots", "--max-expand");
	refused("retries", "21", "--retries");
	refused("progress", "sometimes", "--progress");
}

static void test_prepare_sources(void **state)
{
	(void)state;
	struct job job;
	job_init(&job);
	char a[] = "pathology=/r/a.pdf", b[] = "no-such-category=/r/b.pdf", c[] = "-";
	char *argv[] = { a, b, c };
	assert_int_equal(job_prepare(&job, 3, argv), RP_OK);
	assert_int_equal(job.fetch.nsrcs, 3);
	assert_string_equal(job.fetch.srcs[0].category, "pathology");
	assert_string_equal(job.fetch.srcs[0].spec, "/r/a.pdf");
	assert_null(job.fetch.srcs[1].category); /* not a category: the '=' is part of the path */
	assert_string_equal(job.fetch.srcs[1].spec, "no-such-category=/r/b.pdf");
	assert_string_equal(job.fetch.srcs[2].spec, "-");
	job_free(&job);

	job_init(&job);
	char typo[] = "patology=/r/a.pdf", upper[] = "Pathology=/r/a.pdf";
	char *argv2[] = { upper, typo };
	assert_int_equal(job_prepare(&job, 1, argv2), RP_OK);
	assert_string_equal(job.fetch.srcs[0].category, "pathology"); /* any case */
	job_free(&job);
	job_init(&job);
	assert_int_equal(job_prepare(&job, 2, argv2), RP_EUSAGE);
	assert_non_null(strstr(job.errbuf, "did you mean 'pathology'?"));
	assert_non_null(strstr(job.errbuf, "pathology=/r/a.pdf"));
	job_free(&job);

	job_init(&job);
	assert_int_equal(job_prepare(&job, 0, NULL), RP_EUSAGE);
	assert_non_null(strstr(job.errbuf, "no records given"));
	job_free(&job);

	job_init(&job);
	job.manifest_arg = "no-such-manifest";
	assert_int_equal(job_prepare(&job, 1, argv), RP_EUSAGE);
	assert_true(job.errbuf[0] != '\0');
	job_free(&job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_prepare_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
