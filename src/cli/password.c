/* SPDX-License-Identifier: GPL-3.0-or-later */
/* password.c: see password.h. */
#include "cli/password.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "packet/packetread.h"
#include "sys/cleanup.h"
#include "sys/rp.h"
#include "sys/util.h"

void password_free(char *pw)
{
	if (pw) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

/* Characters, not bytes: a UTF-8 continuation byte does not start one. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The first line of file, without its line ending. */
static int from_file(const char *file, char **out, char *errbuf, size_t errlen)
{
	char buf[PASSWORD_MAX + 2];
	size_t got = 0;
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc = RP_EUSAGE;
	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot read the password file %s: %s", file, strerror(errno));
		return RP_EUSAGE;
	}
	while (got < sizeof(buf) - 1 && !memchr(buf, '\n', got)) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(errbuf, errlen, "cannot read the password file %s: %s", file, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	char *nl = memchr(buf, '\n', got);
	size_t len = nl ? (size_t)(nl - buf) : got;
	if (len > PASSWORD_MAX) {
		snprintf(errbuf, errlen, "the first line of the password file %s is longer than %d bytes", file,
			 PASSWORD_MAX);
		goto out;
	}
	if (len && buf[len - 1] == '\r')
		len--;
	if (memchr(buf, '\0', len)) {
		snprintf(errbuf, errlen, "the password file %s holds a NUL byte: it must be one line of text", file);
		goto out;
	}
	*out = xstrndup(buf, len);
	rc = RP_OK;
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return rc;
}

/* One line typed on the terminal with echo off. NULL when cancelled (Ctrl-C, end of input). */
static char *prompt_line(const char *prompt)
{
	struct termios old, quiet;
	char buf[PASSWORD_MAX + 1];
	size_t got = 0;
	int ok = 0;
	if (tcgetattr(STDIN_FILENO, &old) < 0)
		return NULL;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	cleanup_terminal_save(STDIN_FILENO, &old); /* a Ctrl-C puts the echo back on, then ends */
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet); /* before the prompt: nothing typed is lost */
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	for (;;) {
		char c;
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (c == '\n') {
			ok = 1;
			break;
		}
		if (got < PASSWORD_MAX)
			buf[got++] = c;
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	cleanup_terminal_forget();
	if (!ok)
		fputc('\n', stderr);
	char *line = ok ? xstrndup(buf, got) : NULL;
	explicit_bzero(buf, sizeof(buf));
	return line;
}

static int from_terminal(enum password_use use, char **out, char *errbuf, size_t errlen)
{
	char *first = prompt_line(use == PASSWORD_NEW ? "Password for the packet: " : "Packet password: ");
	if (!first) {
		snprintf(errbuf, errlen, "no password was typed");
		return RP_EUSAGE;
	}
	if (use == PASSWORD_NEW && utf8_chars(first) >= PASSWORD_MIN) {
		char *again = prompt_line("Type it again: ");
		int same = again && strcmp(first, again) == 0;
		password_free(again);
		if (!same) {
			password_free(first);
			snprintf(errbuf, errlen, "the two passwords typed differ; nothing was written");
			return RP_EUSAGE;
		}
	}
	*out = first;
	return RP_OK;
}

int password_get(const char *file, enum password_use use, char **out, char *errbuf, size_t errlen)
{
	const char *env = getenv(PASSWORD_ENV);
	int rc;
	*out = NULL;
	if (file)
		rc = from_file(file, out, errbuf, errlen);
	else if (env && *env)
		rc = (*out = xstrdup(env)) ? RP_OK : RP_EUSAGE;
	else if (isatty(STDIN_FILENO))
		rc = from_terminal(use, out, errbuf, errlen);
	else {
		snprintf(errbuf, errlen, "%s: put it in a file and give --password-file FILE, or set %s "
			 "(never on the command line, where others can read it)",
			 use == PASSWORD_NEW ? "--encrypt needs a password" : "this packet is encrypted and needs its password",
			 PASSWORD_ENV);
		return RP_EUSAGE;
	}
	if (rc)
		return rc;
	size_t n = utf8_chars(*out);
	if (use == PASSWORD_NEW && n < PASSWORD_MIN) {
		snprintf(errbuf, errlen, "the password is too short (%zu character%s): use at least %d, for "
			 "example four or five unrelated words; a packet is only as safe as its password",
			 n, n == 1 ? "" : "s", PASSWORD_MIN);
		password_free(*out);
		*out = NULL;
		return RP_EUSAGE;
	}
	if (n == 0) {
		snprintf(errbuf, errlen, "the password is empty");
		password_free(*out);
		*out = NULL;
		return RP_EUSAGE;
	}
	return RP_OK;
}

int password_for_packet(const char *path, const char *file, char **out, char *errbuf, size_t errlen)
{
	*out = NULL;
	return packetread_is_encrypted(path) ? password_get(file, PASSWORD_EXISTING, out, errbuf, errlen) : RP_OK;
}
