/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the command table, global options, result -> exit status, and the final check
 * that standard output was written completely. The only place recpack exits. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmds.h"
#include "cli/readchild.h"
#include "read/reader.h"
#include "sys/cleanup.h"
#include "sys/rp.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	int secrets; /* may hold a password, bearer token or cookies: no core dumps */
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, 1, "gather, classify and check records; write nothing" },
	{ "build", cmd_build, 1, "check, then write the checksummed ZIP packet" },
	{ "verify", cmd_verify, 1, "check a packet received: every file and checksum" },
	{ "list", cmd_list, 1, "list a packet's documents by category" },
	{ "extract", cmd_extract, 1, "unpack a packet (encrypted or not) with its real names" },
	{ "manifest", cmd_manifest, 0, "list the built-in manifests, or print one" },
	{ "request", cmd_request, 1, "write a letter asking for the missing records (nothing sent)" },
	{ "batch", cmd_batch, 1, "one packet per row of a roster (CSV)" },
	{ "cache", cmd_cache, 0, "remove downloaded records kept for re-runs (cache clear)" },
};

/* Before a command that may hold secrets reads any: a core dump (Ctrl-\, a crash) would write
 * them to disk. */
static int forbid_core_dumps(void)
{
	if (cleanup_forbid_core_dumps() == 0)
		return RP_OK;
	fprintf(stderr, "recpack: could not turn off core dumps, which could write passwords to disk: %s\n",
		strerror(errno));
	return RP_EOUTPUT;
}

static void usage(FILE *out)
{
	fputs("Usage: recpack COMMAND [OPTIONS] [ARGS]\n"
	      "Gather a cancer patient's records (scans, pathology, operative and hospital\n"
	      "records, medications, treatment plan) into one checked packet for a second opinion.\n\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'recpack help COMMAND' (or 'recpack COMMAND --help') explains one command;\n"
	      "'man recpack' explains all.\n"
	      "Exit status: 0 ok, 1 check failed, 2 usage, 3 a source failed, 4 output failed.\n"
	      "Options: --help, --version\n", out);
}

static int finish_stdout(int rc)
{
	/* A full disk on "> out.json" is an error, not a silent success; said once (a command
	 * that failed to write its output has said so, and errno is no longer about it). */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE && rc != RP_EOUTPUT)
			fprintf(stderr, "recpack: could not write the output: %s\n",
				errno ? strerror(errno) : "write error");
		return rp_worst(rc, RP_EOUTPUT);
	}
	return rc;
}

int main(int argc, char **argv)
{
	/* the helpers (recpack-read for PDFs, recpack-ocr for scans; cli/readchild.c): found
	 * once; the commands that read documents start the PDF helper now, so that its start
	 * overlaps the walk, and the OCR helper when the first scan or photo comes */
	char helper[4096], ocr_helper[4096];
	readchild_install(readchild_find(READCHILD_HELPER, helper, sizeof helper) == 0 ? helper : NULL,
			  readchild_find(READCHILD_OCR_HELPER, ocr_helper, sizeof ocr_helper) == 0 ? ocr_helper : NULL);
	if (argc >= 2 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "build") == 0)) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		readchild_start(cores < 1 ? 1 : cores > READCHILD_IDLE ? READCHILD_IDLE : (int)cores);
	}
	setlocale(LC_CTYPE, "");
	reader_init();
	if (cleanup_install() != 0) {
		fprintf(stderr, "recpack: could not set up signal handling: %s\n", strerror(errno));
		return RP_EOUTPUT;
	}
	if (argc < 2) {
		usage(stderr);
		return RP_EUSAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "help") == 0 && argc >= 3) { /* "recpack help build" is "recpack build --help" */
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[2], commands[i].name) == 0) {
				char *args[] = { argv[2], (char *)"--help", NULL };
				return finish_stdout(commands[i].fn(2, args));
			}
		fprintf(stderr, "recpack: '%s' is not a command. See 'recpack --help'.\n", argv[2]);
		return RP_EUSAGE;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return finish_stdout(RP_OK);
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("recpack %s\n", RP_VERSION);
		return finish_stdout(RP_OK);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		if (commands[i].secrets && forbid_core_dumps() != RP_OK)
			return RP_EOUTPUT;
		return finish_stdout(commands[i].fn(argc - 1, argv + 1));
	}
	fprintf(stderr, "recpack: '%s' is not a command. See 'recpack --help'.\n", cmd);
	return RP_EUSAGE;
}
