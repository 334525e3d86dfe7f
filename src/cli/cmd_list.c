/* cmd_list.c: `recpack list PACKET.zip|DIR`: the packet's documents by category, from its
 * packet.json. */
#include <getopt.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/password.h"
#include "cli/report.h"
#include "packet/packetread.h"
#include "packet/verify.h"
#include "sys/rp.h"
#include "sys/util.h"

static const char usage[] =
	"Usage: recpack list [OPTIONS] PACKET.zip|FOLDER\n"
	"List the packet's documents by category (from its packet.json).\n"
	"Exit status: 0 listed, 2 usage, 3 the packet cannot be read.\n"
	"\n"
	"Options:\n"
	"      --json     print the documents by category as JSON on standard output\n"
	"      --password-file FILE  an encrypted packet's password, on the first line of FILE\n"
	"                 (else RECPACK_PASSWORD, else asked on a terminal)\n"
	"  -v, --verbose  list every DICOM image too\n"
	"  -h, --help     show this help\n";

enum { OPT_JSON = 2000, OPT_PASSWORD_FILE };

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "verbose", no_argument, NULL, 'v' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ NULL, 0, NULL, 0 },
};

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int in_category(json_t *doc, const char *cat)
{
	json_t *c = json_object_get(doc, "category");
	if (!json_string_value(json_object_get(doc, "path")))
		return 0; /* not packed */
	return cat ? json_is_string(c) && strcmp(json_string_value(c), cat) == 0 : !json_is_string(c);
}

/* The --json answer: {schema, packet, bag, complete, categories: {name: [document...]} in
 * manifest order, unclassified: [document...]}, each document as packet.json has it. */
static json_t *grouped(json_t *root, const char *packet)
{
	json_t *by = json_object(), *cats = json_object_get(root, "categories"), *docs = json_object_get(root, "documents");
	size_t i, j;
	json_t *c, *d;
	json_array_foreach(cats, i, c) {
		json_t *a = json_array();
		json_array_foreach(docs, j, d)
			if (in_category(d, str(c, "name")))
				json_array_append(a, d);
		json_object_set_new(by, str(c, "name"), a);
	}
	json_t *un = json_array();
	json_array_foreach(docs, j, d)
		if (in_category(d, NULL))
			json_array_append(un, d);
	json_t *bag = json_object_get(root, "bag");
	return json_pack("{s:i, s:s, s:O, s:b, s:o, s:o}", "schema", REPORT_SCHEMA_VERSION, "packet", packet,
			 "bag", bag ? bag : json_null(), "complete", json_is_true(json_object_get(root, "complete")),
			 "categories", by, "unclassified", un);
}

/* One line of the listing, cleaned as a whole: the names in it come from a packet that may be
 * hostile (ESC sequences, newlines, bidirectional overrides). */
static void put_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put_line(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = xvasprintf(fmt, ap), *shown = str_shown(line);
	va_end(ap);
	printf("%s\n", shown);
	free(line);
	free(shown);
}

static void print_text(json_t *root, int verbose)
{
	json_t *cats = json_object_get(root, "categories"), *docs = json_object_get(root, "documents");
	json_t *p = json_object_get(root, "patient");
	size_t i, j;
	json_t *c, *d;
	char sz[32];
	put_line("%s — %s%s", str(root, "bag"), json_is_string(json_object_get(p, "name")) ? str(p, "name") : "patient not named",
	       json_is_true(json_object_get(root, "complete")) ? "" : " (INCOMPLETE)");
	json_array_foreach(cats, i, c) {
		put_line("%s (%s): %s", str(c, "title"), str(c, "name"), str(c, "status"));
		size_t images = 0;
		json_array_foreach(docs, j, d) {
			if (!in_category(d, str(c, "name")))
				continue;
			if (strcmp(str(d, "type"), "dicom") == 0 && !verbose) {
				images++;
				continue;
			}
			const char *real = json_string_value(json_object_get(d, "original_path"));
			put_line("  %s  %s%s%s, %s", str(d, "path"), real ? path_basename(real) : "", real ? "  " : "",
			       str(d, "type"),
			       human_size((uint64_t)json_integer_value(json_object_get(d, "size")), sz, sizeof(sz)));
		}
		if (images)
			put_line("  ... and %zu DICOM image%s (-v lists them)", images, images == 1 ? "" : "s");
	}
	json_array_foreach(docs, j, d)
		if (in_category(d, NULL))
			put_line("unclassified: %s  %s", str(d, "path"), str(d, "type"));
}

int cmd_list(int argc, char **argv)
{
	int json = 0, verbose = 0, opt;
	const char *password_file = NULL;
	char err[512], *text = NULL, *password = NULL;
	size_t len = 0;
	while ((opt = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return RP_OK;
		} else if (opt == OPT_JSON) {
			json = 1;
		} else if (opt == 'v') {
			verbose = 1;
		} else if (opt == OPT_PASSWORD_FILE) {
			password_file = optarg;
		} else {
			return cli_bad_option("list");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("list", "give one packet (a .zip file or the folder it was extracted to)");
	int rc = password_for_packet(argv[optind], password_file, &password, err, sizeof(err));
	if (!rc)
		rc = packetread_tag_pw(argv[optind], password, "packet.json", PACKETREAD_MAX_JSON, &text, &len, err, sizeof(err));
	password_free(password);
	if (rc) {
		cli_error("%s", err);
		return rc;
	}
	json_t *root = packetread_json(text, len, err, sizeof(err));
	free(text);
	if (!root) {
		cli_error("%s: %s; run 'recpack verify' on it", argv[optind], err);
		return RP_ESOURCE;
	}
	if (json) {
		json_t *g = grouped(root, argv[optind]);
		if (cli_print_json(g) < 0)
			rc = RP_EOUTPUT;
	} else {
		print_text(root, verbose);
	}
	json_decref(root);
	return rc;
}
