/* SPDX-License-Identifier: GPL-3.0-or-later */
/* password.h: the packet password for build --encrypt, verify and extract: the first line of
 * --password-file, else RECPACK_PASSWORD, else a no-echo prompt when standard input is a
 * terminal. Command layer (it prompts on the terminal); a password never goes on argv, into
 * a message, a log or the packet, and is wiped from memory when freed. */
#ifndef PASSWORD_H
#define PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN 10    /* characters, for a new packet */
#define PASSWORD_MAX 1024  /* bytes */
#define PASSWORD_ENV "RECPACK_PASSWORD"

enum password_use {
	PASSWORD_NEW,      /* build: at least PASSWORD_MIN characters; the prompt asks twice */
	PASSWORD_EXISTING, /* verify, extract: any length; the prompt asks once */
};

/* Get the password. file is --password-file or NULL. Returns RP_OK with *out (free with
 * password_free), RP_EUSAGE with a plain-words message in errbuf (no password to be had,
 * too short, the two entries differ, the file cannot be read), or 128 + N when signal N
 * (Ctrl-C: 130) interrupted the prompt. */
int password_get(const char *file, enum password_use use, char **out, char *errbuf, size_t errlen);

/* The password to open an existing packet: none (*out NULL) for one that is not encrypted,
 * else as password_get(file, PASSWORD_EXISTING). RP_OK or as password_get. */
int password_for_packet(const char *path, const char *file, char **out, char *errbuf, size_t errlen);

/* Wipe and free. */
void password_free(char *pw);

#endif
