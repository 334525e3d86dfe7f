/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_extract.c: `recpack extract PACKET.zip -d DIR`: unpack a packet, encrypted or not, with
 * the documents' real names, checking every checksum on the way. */
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
#include "packet/extract.h"
#include "packet/verify.h"
#include "sys/rp.h"
#include "sys/util.h"

static const char usage[] =
	"Usage: recpack extract [OPTIONS] PACKET.zip -d DIR\n"
	"Unpack a packet into DIR/FOLDER, restoring the documents' real names when the packet\n"
	"was encrypted (its names inside are neutral numbers), and check every file's SHA-256\n"
	"as it is written. Unsafe names (\"..\", absolute paths) are refused. Files are made\n"
	"readable by you only. An encrypted packet needs its password: --password-file,\n"
	"RECPACK_PASSWORD, or typed when asked on a terminal.\n"
	"Exit status: 0 extracted and intact, 1 damaged files left out, 2 usage or wrong\n"
	"password, 3 the packet cannot be read, 4 DIR cannot be written (or FOLDER exists).\n"
	"\n"
	"Options:\n"
	"  -d, --dir DIR          the folder to extract into (default: the current folder)\n"
	"      --password-file FILE  an encrypted packet's password, on the first line of FILE\n"
	"      --json             print the result as JSON on standard output\n"
	"  -q, --quiet            print only the failures\n"
	"      --progress WHEN    progress line on stderr: auto (on a terminal), always or never\n"
	"  -h, --help             show this help\n";

enum { OPT_JSON = 2000, OPT_PASSWORD_FILE, OPT_PROGRESS };

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "dir", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ NULL, 0, NULL, 0 },
};

static int print_json(const char *packet, const struct extract_result *r)
{
	json_t *j = json_pack("{s:i, s:b, s:s, s:s, s:b, s:I, s:I, s:I, s:o}", "schema", REPORT_SCHEMA_VERSION, "ok",
			      r->n == 0, "packet", packet, "folder", r->path, "names_restored", r->renamed, "files",
			      (json_int_t)r->files, "payload_files", (json_int_t)r->payload, "payload_bytes",
			      (json_int_t)r->bytes, "failures", verify_failures_json(r->v, r->n));
	return cli_print_json(j);
}

static void print_text(const struct extract_result *r, int quiet)
{
	char sz[32];
	report_print_failures(stdout, r->v, r->n);
	if (r->n)
		printf("%s: DAMAGED: %zu problem%s; the files above were left out. Ask the sender for a new "
		       "copy\n", r->path, r->n, r->n == 1 ? "" : "s");
	else if (!quiet)
		printf("%s: OK: %zu documents (%s) extracted%s, all match their checksums\n", r->path, r->payload,
		       human_size(r->bytes, sz, sizeof(sz)), r->renamed ? " with their real names" : "");
}

int cmd_extract(int argc, char **argv)
{
	int json = 0, quiet = 0, opt, rc;
	const char *dir = ".", *password_file = NULL;
	char err[1024], *password = NULL;
	struct extract_result r = { 0 };
	enum progress_mode mode = PROGRESS_AUTO;
	struct progress prog;
	while ((opt = getopt_long(argc, argv, "hd:q", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return RP_OK;
		} else if (opt == 'd') {
			dir = optarg;
		} else if (opt == OPT_JSON) {
			json = 1;
		} else if (opt == 'q') {
			quiet = 1;
		} else if (opt == OPT_PASSWORD_FILE) {
			password_file = optarg;
		} else if (opt == OPT_PROGRESS) {
			if (progress_mode_parse(optarg, &mode) < 0)
				return cli_usage_error("extract", "--progress takes auto, always or never, not '%s'", optarg);
		} else {
			return cli_bad_option("extract");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("extract", "give one packet (a .zip file) and the folder to extract into (-d DIR)");
	const char *path = argv[optind];
	rc = password_for_packet(path, password_file, &password, err, sizeof(err));
	progress_init(&prog, mode, quiet);
	struct verify_progress watch = { progress_extract, &prog };
	if (!rc)
		rc = extract_packet_watch(path, password, dir, prog.enabled ? &watch : NULL, &r, err, sizeof(err));
	progress_done(&prog);
	password_free(password);
	if (rc) {
		cli_error("%s", err);
		goto out;
	}
	int bad = 0;
	if (json)
		bad = print_json(path, &r) < 0;
	else
		print_text(&r, quiet);
	rc = bad ? RP_EOUTPUT : r.n ? RP_EFAIL : RP_OK;
out:
	extract_result_free(&r);
	return rc;
}
