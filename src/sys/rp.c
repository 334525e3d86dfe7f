/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rp.c: see rp.h. */
#include "sys/rp.h"

int rp_worst(int a, int b)
{
	/* Source and output failures outrank a failed check; usage errors outrank all. */
	static const int rank[] = { [RP_OK] = 0, [RP_EFAIL] = 1, [RP_ESOURCE] = 2,
				    [RP_EOUTPUT] = 3, [RP_EUSAGE] = 4 };
	if (a < 0 || a > RP_EOUTPUT)
		return b;
	if (b < 0 || b > RP_EOUTPUT)
		return a;
	return rank[a] >= rank[b] ? a : b;
}
