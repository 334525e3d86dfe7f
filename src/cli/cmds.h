/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmds.h: one function per command, each in src/cmd_<name>.c owning its options and
 * usage text. Each returns an RP_* result; only main() turns it into an exit status. */
#ifndef CMDS_H
#define CMDS_H

int cmd_check(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_request(int argc, char **argv);

#endif
