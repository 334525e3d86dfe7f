/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.c: see cli.h. */
#include "cli/cli.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/job.h"
#include "sys/rp.h"
#include "sys/util.h"

struct option *cli_options_merge(const struct option *a, const struct option *b)
{
	size_t na = 0, nb = 0;
	while (a[na].name)
		na++;
	while (b[nb].name)
		nb++;
	struct option *o = xcalloc(na + nb + 1, sizeof(*o));
	memcpy(o, a, na * sizeof(*o));
	memcpy(o + na, b, nb * sizeof(*o));
	return o;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "recpack %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'recpack %s --help'.\n", cmd);
	va_end(ap);
	return RP_EUSAGE;
}

int cli_bad_option(const char *cmd)
{
	fprintf(stderr, "Try 'recpack %s --help'.\n", cmd);
	return RP_EUSAGE;
}

int cli_bad_job_option(const char *cmd, const char *word)
{
	const char *takers = job_option_takers(word);
	if (takers)
		fprintf(stderr, "recpack %s: %.*s is an option of %s, not of %s\n", cmd,
			(int)strcspn(word, "="), word, takers, cmd);
	return cli_bad_option(cmd);
}

int cli_print_json(json_t *j)
{
	errno = 0;
	int bad = !j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0;
	json_decref(j);
	if (fputc('\n', stdout) == EOF || fflush(stdout) != 0 || ferror(stdout))
		bad = 1;
	if (bad && errno != EPIPE) /* said here: main's last flush stays quiet after a failure */
		cli_error("could not write the output: %s", errno ? strerror(errno) : "write error");
	return bad ? -1 : 0;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("recpack: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

const char cli_job_help[] =
	"Sources:\n"
	"  SOURCE                 a file, a folder (searched inside), an archive or disc image,\n"
	"                         an http(s):// URL, or - for one document on standard input\n"
	"  CATEGORY=SOURCE        file the source under a category (e.g. pathology=report.pdf)\n"
	"      --sources FILE|-   read one [CATEGORY=]SOURCE per line from FILE or standard input\n"
	"  -0, --null             --sources entries are separated by NUL (find -print0)\n"
	"\n"
	"Patient and manifest:\n"
	"  -m, --manifest NAME|FILE  required-document list (default: default; see 'recpack manifest')\n"
	"      --patient NAME     the patient's name, compared with the DICOM images\n"
	"      --dob YYYY-MM-DD   date of birth, compared with the DICOM images\n"
	"      --mrn ID           medical record number, compared with the DICOM patient ID\n"
	"      --surgery          the patient had surgery: operative reports are required\n"
	"      --hospitalized     the patient was in hospital: hospital records are required\n"
	"      --fact NAME        any other fact a manifest's 'required = if NAME' refers to\n"
	"\n"
	"Output:\n"
	"      --json             print the result as one JSON document\n"
	"  -q, --quiet            print only errors\n"
	"  -v, --verbose          list every document and what was skipped\n"
	"      --progress WHEN    auto (on a terminal), always or never\n"
	"  -j, --jobs N           worker threads (default: all cores)\n"
	"      --no-ocr           do not read scanned pages, photos and faxes with OCR\n"
	"\n"
	"Archives and downloads:\n"
	"      --max-expand BYTES most an archive may expand to (default 16G)\n"
	"      --max-size BYTES   most one download may be (default 4G)\n"
	"      --netrc            take portal logins from ~/.netrc\n"
	"      --netrc-file FILE  take portal logins from FILE\n"
	"      --cookies FILE     a Netscape cookie file exported from your browser\n"
	"      --bearer-file FILE an access token (or set RECPACK_BEARER_TOKEN)\n"
	"      --header-file FILE extra HTTP headers, one per line\n"
	"      --cacert FILE      trust this certificate authority (not the system's)\n"
	"      --retries N        retries for a failed download (default 3)\n"
	"      --timeout SECONDS  give up on a download below --min-speed this long (default 60)\n"
	"      --min-speed BYTES  the slowest a download may go, in bytes a second (default 1024)\n"
	"      --deadline SECONDS give up on a document not complete after this long, retries\n"
	"                         included (default 3600)\n"
	"      --parallel N       downloads at once (default 6)\n"
	"      --no-cache         do not reuse or keep downloads in the cache\n";
