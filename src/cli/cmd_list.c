/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* What one pass over packet.json's documents gathers for the listing: the lines (text) or
 * the documents as JSON, of each category in the manifest's order, then of the unclassified;
 * packet.json is read one document at a time, so memory grows with what is printed only. */
struct listing {
	json_t *cats;        /* packet.json's "categories" */
	size_t ncat;
	struct sbuf *out;    /* ncat + 1: the last one for the unclassified */
	size_t *images;      /* DICOM images not listed one by one, per category */
	size_t *n;           /* documents per category (for JSON separators) */
	int json, verbose;
};

/* One line of the listing, cleaned as a whole: the names in it come from a packet that may be
 * hostile (ESC sequences, newlines, bidirectional overrides). */
static void put_line(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_line(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = xvasprintf(fmt, ap), *shown = str_shown(line);
	va_end(ap);
	if (b) {
		sbuf_puts(b, shown);
		sbuf_puts(b, "\n");
	} else {
		printf("%s\n", shown);
	}
	free(line);
	free(shown);
}

/* The category index of doc (ncat: unclassified), or -1 when it is not packed. */
static long category_of(const struct listing *l, json_t *doc)
{
	json_t *c = json_object_get(doc, "category");
	if (!json_string_value(json_object_get(doc, "path")))
		return -1;
	if (!json_is_string(c))
		return (long)l->ncat;
	for (size_t i = 0; i < l->ncat; i++)
		if (strcmp(str(json_array_get(l->cats, i), "name"), json_string_value(c)) == 0)
			return (long)i;
	return -1; /* a category the manifest does not have: not listed, as before */
}

/* doc as JSON, indented to sit in the answer's arrays. */
static void put_doc_json(struct sbuf *b, json_t *doc, size_t nth)
{
	char *js = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	sbuf_puts(b, nth ? ",\n      " : "\n      ");
	for (const char *p = js ? js : "{}"; *p; p++) {
		sbuf_put(b, p, 1);
		if (*p == '\n')
			sbuf_puts(b, "      ");
	}
	free(js);
}

static int take_doc(json_t *d, void *arg)
{
	struct listing *l = arg;
	long c = category_of(l, d);
	char sz[32];
	if (c < 0)
		return 0;
	struct sbuf *b = &l->out[c];
	if (l->json) {
		put_doc_json(b, d, l->n[c]++);
	} else if ((size_t)c == l->ncat) {
		put_line(b, "unclassified: %s  %s", str(d, "path"), str(d, "type"));
	} else if (strcmp(str(d, "type"), "dicom") == 0 && !l->verbose) {
		l->images[c]++;
	} else {
		const char *real = json_string_value(json_object_get(d, "original_path"));
		put_line(b, "  %s  %s%s%s, %s", str(d, "path"), real ? path_basename(real) : "", real ? "  " : "",
			 str(d, "type"),
			 human_size((uint64_t)json_integer_value(json_object_get(d, "size")), sz, sizeof(sz)));
	}
	return 0;
}

static void print_text(const struct listing *l, json_t *root)
{
	json_t *p = json_object_get(root, "patient");
	put_line(NULL, "%s — %s%s", str(root, "bag"), json_is_string(json_object_get(p, "name")) ? str(p, "name") : "patient not named",
		 json_is_true(json_object_get(root, "complete")) ? "" : " (INCOMPLETE)");
	for (size_t i = 0; i < l->ncat; i++) {
		json_t *c = json_array_get(l->cats, i);
		put_line(NULL, "%s (%s): %s", str(c, "title"), str(c, "name"), str(c, "status"));
		fputs(l->out[i].p ? l->out[i].p : "", stdout);
		if (l->images[i])
			put_line(NULL, "  ... and %zu DICOM image%s (-v lists them)", l->images[i], l->images[i] == 1 ? "" : "s");
	}
	fputs(l->out[l->ncat].p ? l->out[l->ncat].p : "", stdout);
}

/* The --json answer: {schema, packet, bag, complete, categories: {name: [document...]} in
 * manifest order, unclassified: [document...]}, each document as packet.json has it. */
static int print_json(const struct listing *l, json_t *root, const char *packet)
{
	json_t *head = json_pack("{s:i, s:s, s:O, s:b}", "schema", REPORT_SCHEMA_VERSION, "packet", packet, "bag",
				 json_object_get(root, "bag") ? json_object_get(root, "bag") : json_null(), "complete",
				 json_is_true(json_object_get(root, "complete")));
	char *js = head ? json_dumps(head, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(head);
	if (!js)
		return -1;
	js[strlen(js) - 2] = '\0'; /* without its closing "\n}" */
	printf("%s,\n  \"categories\": {", js);
	free(js);
	for (size_t i = 0; i < l->ncat; i++) {
		char *name = json_dumps(json_array_get(l->cats, i) ? json_object_get(json_array_get(l->cats, i), "name")
								  : NULL, JSON_ENCODE_ANY);
		printf("%s\n    %s: [%s%s]", i ? "," : "", name ? name : "\"\"", l->out[i].p ? l->out[i].p : "",
		       l->n[i] ? "\n    " : "");
		free(name);
	}
	printf("%s},\n  \"unclassified\": [%s%s]\n}\n", l->ncat ? "\n  " : "", l->out[l->ncat].p ? l->out[l->ncat].p : "",
	       l->n[l->ncat] ? "\n  " : "");
	return fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;
}

int cmd_list(int argc, char **argv)
{
	int json = 0, verbose = 0, opt;
	const char *password_file = NULL;
	char err[512], *password = NULL;
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
	/* packet.json is read twice, a window at a time: the object around the documents first
	 * (the categories may come after them), then the documents */
	struct packetread_stream *st = NULL;
	int rc = password_for_packet(argv[optind], password_file, &password, err, sizeof(err));
	if (!rc)
		rc = packetread_tag_stream(argv[optind], password, "packet.json", PACKETREAD_MAX_JSON_STREAMED, &st, err,
					   sizeof(err));
	if (rc) {
		password_free(password);
		cli_error("%s", err);
		return rc;
	}
	json_t *root = NULL;
	struct listing l = { .json = json, .verbose = verbose };
	if (packetread_json_each_stream(st, &root, NULL, NULL, err, sizeof(err)) == 0) {
		l.cats = json_object_get(root, "categories");
		l.ncat = json_array_size(l.cats);
		l.out = xcalloc(l.ncat + 1, sizeof(*l.out));
		l.images = xcalloc(l.ncat + 1, sizeof(*l.images));
		l.n = xcalloc(l.ncat + 1, sizeof(*l.n));
		packetread_stream_close(st);
		st = NULL;
		rc = packetread_tag_stream(argv[optind], password, "packet.json", PACKETREAD_MAX_JSON_STREAMED, &st, err,
					   sizeof(err));
		if (rc || packetread_json_each_stream(st, NULL, take_doc, &l, err, sizeof(err)) != 0) {
			json_decref(root);
			root = NULL;
		}
	}
	packetread_stream_close(st);
	password_free(password);
	if (!root) {
		cli_error("%s: %s; run 'recpack verify' on it", argv[optind], err);
		rc = RP_ESOURCE;
	} else if (json) {
		if (print_json(&l, root, argv[optind]) < 0)
			rc = RP_EOUTPUT;
	} else {
		print_text(&l, root);
	}
	for (size_t i = 0; l.out && i <= l.ncat; i++)
		free(l.out[i].p);
	free(l.out);
	free(l.images);
	free(l.n);
	json_decref(root);
	return rc;
}
