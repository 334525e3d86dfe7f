/* cmd_verify.c: `recpack verify`. Not written yet: it says so and exits 2. */
#include <stdio.h>

#include "cmds.h"
#include "rp.h"

int cmd_verify(int argc, char **argv)
{
	(void)argc, (void)argv;
	fputs("recpack verify: not available in this version yet\n", stderr);
	return RP_EUSAGE;
}
