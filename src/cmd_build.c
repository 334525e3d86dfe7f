/* cmd_build.c: `recpack build`. Not written yet: it says so and exits 2. */
#include <stdio.h>

#include "cmds.h"
#include "rp.h"

int cmd_build(int argc, char **argv)
{
	(void)argc, (void)argv;
	fputs("recpack build: not available in this version yet\n", stderr);
	return RP_EUSAGE;
}
