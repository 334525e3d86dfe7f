/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h: what every command's option parsing shares: merged option tables, usage errors,
 * the common lines of help text. Part of the command layer, so it may print to stderr. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>

#include <jansson.h>

/* a followed by b, one terminating zero entry; free() the result. */
struct option *cli_options_merge(const struct option *a, const struct option *b);

/* Print "recpack CMD: message" and a hint to stderr; returns RP_EUSAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* getopt's own message for an unknown option has already been printed: add the hint. */
int cli_bad_option(const char *cmd);
/* The same for check, build and batch; word is the argument getopt refused: when it is an
 * option of another of them, say which ("--level is an option of build and batch"). */
int cli_bad_job_option(const char *cmd, const char *word);

/* Print a message about an error to stderr: "recpack: message". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print j on standard output (indented, keys in order, a newline after) and release it.
 * The one JSON printer of the commands: 0, or -1 when standard output could not take it
 * (a full disk, a closed pipe), which the command reports as RP_EOUTPUT. */
int cli_print_json(json_t *j);

/* Help text for the options check and build share (batch lists its own). */
extern const char cli_job_help[];

#endif
