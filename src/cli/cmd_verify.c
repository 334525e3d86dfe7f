/* cmd_verify.c: `recpack verify PACKET.zip|DIR`: the receiving doctor's check that nothing
 * in the packet was lost or changed. */
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
	"Usage: recpack verify [OPTIONS] PACKET.zip|FOLDER\n"
	"Check a packet received: every file's CRC and SHA-256 against the packet's manifests,\n"
	"no file added or missing, the byte and file count (Payload-Oxum), and PACKET.zip.sha256\n"
	"when it is beside the packet. Works on the ZIP or on the folder it was extracted to.\n"
	"An encrypted packet needs its password: --password-file, RECPACK_PASSWORD, or typed\n"
	"when asked on a terminal.\n"
	"Exit status: 0 the packet is intact, 1 damage found, 2 usage or wrong password,\n"
	"3 cannot be read.\n"
	"\n"
	"Options:\n"
	"      --password-file FILE  an encrypted packet's password, on the first line of FILE\n"
	"      --json     print the result as JSON on standard output\n"
	"  -q, --quiet    print only the failures\n"
	"      --progress WHEN  progress line on stderr: auto (on a terminal), always or never\n"
	"  -h, --help     show this help\n";

enum { OPT_JSON = 2000, OPT_PASSWORD_FILE, OPT_PROGRESS };

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ NULL, 0, NULL, 0 },
};

static int print_json(const char *path, const struct verify_result *r)
{
	json_t *j = json_pack("{s:i, s:b, s:s, s:s?, s:I, s:I, s:I, s:s, s:o}", "schema", REPORT_SCHEMA_VERSION, "ok", r->n == 0, "packet", path, "bag",
			      r->bag, "files", (json_int_t)r->files, "payload_files", (json_int_t)r->payload,
			      "payload_bytes", (json_int_t)r->bytes, "sidecar",
			      r->sidecar == 1 ? "ok" : r->sidecar < 0 ? "mismatch" : "absent", "failures", verify_failures_json(r->v, r->n));
	return cli_print_json(j);
}

static void print_text(const char *path, const struct verify_result *r, int quiet)
{
	char sz[32];
	report_print_failures(stdout, r->v, r->n);
	if (r->n) {
		printf("%s: DAMAGED: %zu problem%s found; ask the sender for a new copy\n", path, r->n,
		       r->n == 1 ? "" : "s");
	} else if (!quiet) {
		printf("%s: OK: %zu documents (%s) match their checksums%s\n", path, r->payload,
		       human_size(r->bytes, sz, sizeof(sz)), r->sidecar == 1 ? "; the .sha256 file matches" : "");
	}
}

int cmd_verify(int argc, char **argv)
{
	int json = 0, quiet = 0, opt;
	enum progress_mode mode = PROGRESS_AUTO;
	struct progress prog;
	const char *password_file = NULL;
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
		} else if (opt == OPT_PROGRESS) {
			if (progress_mode_parse(optarg, &mode) < 0)
				return cli_usage_error("verify", "--progress takes auto, always or never, not '%s'", optarg);
		} else {
			return cli_bad_option("verify");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("verify", "give one packet (a .zip file or the folder it was extracted to)");
	const char *path = argv[optind];
	int rc = password_for_packet(path, password_file, &password, err, sizeof(err));
	progress_init(&prog, mode, quiet);
	struct verify_progress watch = { progress_verify, &prog };
	if (!rc)
		rc = verify_packet_watch(path, password, prog.enabled ? &watch : NULL, &r, err, sizeof(err));
	progress_done(&prog);
	password_free(password);
	if (rc) {
		cli_error("%s", err);
		return rc;
	}
	int bad = 0;
	if (json)
		bad = print_json(path, &r) < 0;
	else
		print_text(path, &r, quiet);
	rc = bad ? RP_EOUTPUT : r.n ? RP_EFAIL : RP_OK;
	verify_result_free(&r);
	return rc;
}
