/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_manifest.c: `recpack manifest [NAME|FILE]`: list the built-in manifests or print one. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "rules/manifest.h"
#include "sys/rp.h"

static const char usage[] =
	"Usage: recpack manifest [NAME|FILE]\n"
	"Without an argument, list the built-in manifests. With a NAME, print that manifest as a\n"
	"commented INI file to start your own from:  recpack manifest default > my.ini\n"
	"With a FILE, check it and print what it requires.\n";

static int list_builtins(void)
{
	char err[512];
	for (const struct builtin_manifest *b = builtin_manifests; b->name; b++) {
		struct manifest *m = manifest_parse(b->text, b->name, err, sizeof(err));
		printf("%-10s %s\n", b->name, m ? m->description : err);
		manifest_free(m);
	}
	return RP_OK;
}

static void print_summary(const struct manifest *m)
{
	printf("; %s: %s\n", m->name, m->description);
	for (size_t i = 0; i < m->ncats; i++) {
		const struct category *c = &m->cats[i];
		char age[32], prior[32];
		printf(";   %-16s %s (%s%s%s%s%s%s%s%s)\n", c->name, c->title,
		       c->required == REQ_YES ? "required" : c->required == REQ_NO ? "optional" : "required if ",
		       c->required == REQ_IF ? c->fact : "", c->physical ? "; shipped by the lab, not a file" : "",
		       c->max_age.n ? "; newest within " : "", c->max_age.n ? manifest_age_text(&c->max_age, age, sizeof(age)) : "",
		       c->priors.n ? "; priors from " : "", c->priors.n ? manifest_age_text(&c->priors, prior, sizeof(prior)) : "",
		       c->priors.n ? " before" : "");
	}
}

int cmd_manifest(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return RP_OK;
	}
	if (argc > 2)
		return cli_usage_error("manifest", "give at most one manifest name or file");
	if (argc == 1)
		return list_builtins();
	if (argv[1][0] == '-')
		return cli_usage_error("manifest", "unknown option '%s'", argv[1]);
	const char *text = strchr(argv[1], '/') ? NULL : manifest_builtin_text(argv[1]);
	if (text) {
		fputs(text, stdout);
		return RP_OK;
	}
	char err[512];
	struct manifest *m = manifest_load(argv[1], err, sizeof(err));
	if (!m) {
		fprintf(stderr, "recpack: %s\n", err);
		return RP_EUSAGE;
	}
	print_summary(m);
	manifest_free(m);
	return RP_OK;
}
