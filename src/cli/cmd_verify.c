/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_verify.c: `recpack verify PACKET.zip|BAG.tar|DIR`: the receiving doctor's check that
 * nothing in the packet was lost or changed; any other BagIt bag is checked as a plain bag.
 * Failures go to standard output, warnings to standard error as "warning: ...". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/password.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "packet/verify.h"
#include "sys/rp.h"
#include "sys/util.h"

static const char usage[] =
	"Usage: recpack verify [OPTIONS] PACKET.zip|BAG.tar|FOLDER\n"
	"Check a packet received: every file's CRC and checksums against the packet's manifests,\n"
	"no file added or missing, the byte and file count (Payload-Oxum), and PACKET.zip.sha256\n"
	"when it is beside the packet. Works on the ZIP or on the folder it was extracted to.\n"
	"Any other BagIt bag (RFC 8493, versions 0.93 to 1.0; a folder, ZIP or tar file) is\n"
	"checked as a plain bag: every manifest and tag manifest (md5, sha1, sha224, sha256,\n"
	"sha384, sha512), tag files in any character encoding, fetch.txt (reported, never\n"
	"fetched). Warnings go to standard error as \"warning: ...\".\n"
	"An encrypted packet needs its password: --password-file, RECPACK_PASSWORD, or typed\n"
	"when asked on a terminal.\n"
	"Exit status: 0 the packet is intact, 1 damage found, 2 usage or wrong password,\n"
	"3 cannot be read.\n"
	"\n"
	"Options:\n"
	"      --password-file FILE  an encrypted packet's password, on the first line of FILE\n"
	"      --profile FILE  also check the bag against this BagIt Profile (JSON, spec 1.4)\n"
	"      --json     print the result as JSON on standard output\n"
	"  -q, --quiet    print only the failures\n"
	"      --progress WHEN  progress line on stderr: auto (on a terminal), always or never\n"
	"  -h, --help     show this help\n";

enum { OPT_JSON = 2000, OPT_PASSWORD_FILE, OPT_PROFILE, OPT_PROGRESS };

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ NULL, 0, NULL, 0 },
};

static int print_json(const char *path, const char *profile, const struct verify_result *r)
{
	json_t *j = json_pack("{s:i, s:b, s:s, s:s?, s:I, s:I, s:I, s:s, s:o}", "schema", REPORT_SCHEMA_VERSION, "ok", r->n == 0, "packet", path, "bag",
			      r->bag, "files", (json_int_t)r->files, "payload_files", (json_int_t)r->payload,
			      "payload_bytes", (json_int_t)r->bytes, "sidecar",
			      r->sidecar == 1 ? "ok" : r->sidecar < 0 ? "mismatch" : "absent", "failures", verify_failures_json(r->v, r->n));
	json_object_set_new(j, "warnings", verify_failures_json(r->w, r->wn));
	json_object_set_new(j, "recpack_packet", json_boolean(r->packet));
	json_object_set_new(j, "serialization", json_string(r->serialization ? r->serialization : "folder"));
	if (r->version)
		json_object_set_new(j, "bagit_version", json_string(r->version));
	if (r->manifests)
		json_object_set_new(j, "manifests", json_string(r->manifests));
	json_object_set_new(j, "fetch_entries", json_integer((json_int_t)r->fetch));
	if (profile)
		json_object_set_new(j, "profile", json_string(profile));
	return cli_print_json(j);
}

/* Warnings on standard error, where a harness watching for them looks. */
static void print_warnings(const struct verify_result *r)
{
	for (size_t i = 0; i < r->wn; i++) {
		char *p = str_shown(r->w[i].path);
		fprintf(stderr, "warning: %s: %s\n", p, r->w[i].problem);
		free(p);
	}
}

static void print_text(const char *path, const struct verify_result *r, int quiet)
{
	char sz[32];
	if (r->bag && !r->packet && !quiet)
		printf("%s: not a recpack packet (no packet.json): checked as a plain BagIt bag %s (%s), "
		       "without the patient checks\n", path, r->version ? r->version : "", r->serialization);
	report_print_failures(stdout, r->v, r->n);
	if (r->n) {
		printf("%s: DAMAGED: %zu problem%s found; ask the sender for a new copy\n", path, r->n,
		       r->n == 1 ? "" : "s");
	} else if (!quiet) {
		printf("%s: OK: %zu %s (%s) match their checksums%s%s\n", path, r->payload,
		       r->packet ? "documents" : "payload files", human_size(r->bytes, sz, sizeof(sz)),
		       r->sidecar == 1 ? "; the .sha256 file matches" : "",
		       r->wn ? " (with warnings on standard error)" : "");
	}
}

int cmd_verify(int argc, char **argv)
{
	int json = 0, quiet = 0, opt;
	enum progress_mode mode = PROGRESS_AUTO;
	struct progress prog;
	const char *password_file = NULL, *profile = NULL;
	char err[512], *password = NULL;
	struct verify_result r;
	while ((opt = getopt_long(argc, argv, "hq", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return RP_OK;
		} else if (opt == OPT_JSON) {
			json = 1;
		} else if (opt == 'q') {
			quiet = 1;
		} else if (opt == OPT_PASSWORD_FILE) {
			password_file = optarg;
		} else if (opt == OPT_PROFILE) {
			profile = optarg;
		} else if (opt == OPT_PROGRESS) {
			if (progress_mode_parse(optarg, &mode) < 0)
				return cli_usage_error("verify", "--progress takes auto, always or never, not '%s'", optarg);
		} else {
			return cli_bad_option("verify");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("verify", "give one packet or bag (a .zip or .tar file, or a folder)");
	const char *path = argv[optind];
	int rc = password_for_packet(path, password_file, &password, err, sizeof(err));
	progress_init(&prog, mode, quiet);
	struct verify_progress watch = { progress_verify, &prog };
	struct verify_options o = { .password = password, .profile = profile, .prog = prog.enabled ? &watch : NULL };
	if (!rc)
		rc = verify_bag(path, &o, &r, err, sizeof(err));
	progress_done(&prog);
	password_free(password);
	if (rc) {
		cli_error("%s", err);
		return rc;
	}
	int bad = 0;
	print_warnings(&r);
	if (json)
		bad = print_json(path, profile, &r) < 0;
	else
		print_text(path, &r, quiet);
	rc = bad ? RP_EOUTPUT : r.n ? RP_EFAIL : RP_OK;
	verify_result_free(&r);
	return rc;
}
