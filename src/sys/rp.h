/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rp.h: result codes shared by every module, and the few helpers everyone needs.
 * A function returns 0 or an RP_E* code; only main() turns a code into an exit status. */
#ifndef RP_H
#define RP_H

#include <stddef.h>
#include <stdint.h>

enum rp_result {
	RP_OK = 0,
	RP_EFAIL = 1,    /* the check failed, or verify found damage */
	RP_EUSAGE = 2,   /* usage or configuration error */
	RP_ESOURCE = 3,  /* a source could not be read, fetched, or is corrupt */
	RP_EOUTPUT = 4,  /* the output could not be written */
};

#define RP_VERSION "0.1.0"
#define RP_AGENT "recpack " RP_VERSION

/* Worst of two results, in the order the exit-status contract ranks them. */
int rp_worst(int a, int b);

#endif
