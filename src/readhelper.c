/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readhelper.c: recpack-read, the helper program that reads PDFs for recpack (see read/pdf.h,
 * Isolation, and cli/readchild.c). It links poppler so that recpack does not; it is started
 * by recpack only, with READCHILD_ARG, and never prints. */
#include <string.h>

#include "cli/readchild.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], READCHILD_ARG) == 0)
		return readchild_main();
	return 2; /* not a command: recpack runs it */
}
