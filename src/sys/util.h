/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.h: small string and memory helpers. Allocation failure aborts with a message:
 * recpack cannot do anything useful without memory, and checking every strdup hides the logic. */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *v (element size elem) so it holds at least need elements. */
void grow(void *vp, size_t *cap, size_t need, size_t elem);

/* A list of owned strings. */
struct strlist {
	char **v;
	size_t n, cap;
};
void strlist_add(struct strlist *l, const char *s);
void strlist_add_owned(struct strlist *l, char *s);
int strlist_has(const struct strlist *l, const char *s);
int strlist_has_nocase(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

/* Trim ASCII whitespace in place, return s. */
char *trim(char *s);
int str_endswith_nocase(const char *s, const char *suffix);
/* fnmatch(pat, s, FNM_CASEFOLD) == 0, the same answer; ASCII patterns and names (all of
 * recpack's own, most file names) are matched without glibc's wide-character path, which was
 * 40% of walking 100,000 small files and 10% of classifying them. */
int str_fnmatch_ci(const char *pat, const char *s);
const char *path_basename(const char *path);
/* Join a and b with one '/', returns a new string. */
char *path_join(const char *a, const char *b);

void hex_encode(const unsigned char *in, size_t n, char *out /* 2n+1 */);

/* Human size: "1.2 MB". buf at least 16 bytes. */
const char *human_size(uint64_t n, char *buf, size_t len);

/* A growable text buffer (always NUL-terminated once anything is added). */
struct sbuf {
	char *p;
	size_t len, cap;
};
void sbuf_put(struct sbuf *b, const char *s, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take the buffer's string (never NULL); the buffer is empty afterwards. */
char *sbuf_take(struct sbuf *b, size_t *len);

/* s as valid UTF-8, for JSON and every other index (a new string; NULL is taken as ""):
 * valid UTF-8 is kept as it is; any other byte is taken as Latin-1 (bytes 0xA0-0xFF, as
 * Windows and old disc and ZIP tools wrote names), or as U+FFFD (0x80-0x9F, which Latin-1
 * leaves to control characters). */
char *str_utf8(const char *s);
/* The offset of the first byte of s[0..n) that is not valid UTF-8 (overlong forms, surrogates
 * and code points past U+10FFFF are not), or n when all of it is. */
size_t utf8_invalid_at(const char *s, size_t n);
/* s fit to show a person, on a terminal or in README.txt: str_utf8(s), with every control
 * character (C0, DEL, C1: ESC, newline, tab...), line or paragraph separator and
 * bidirectional control (U+061C, U+200E/F, U+202A-202E, U+2066-2069) shown as '?'. */
char *str_shown(const char *s);

#endif
