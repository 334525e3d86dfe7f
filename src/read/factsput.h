/* SPDX-License-Identifier: GPL-3.0-or-later */
/* factsput.h: filling struct doc_facts from text a reader found: bounded copies that keep
 * UTF-8 whole, fold whitespace and drop control bytes, so every field is printable as is.
 * No I/O, no allocation; a string too long for its field is cut at a character boundary. */
#ifndef FACTSPUT_H
#define FACTSPUT_H

#include <stddef.h>

#include "read/facts.h"

/* Empty facts for a reader of format fmt. */
void facts_begin(struct doc_facts *f, enum facts_format fmt);

/* Copy s[0..n) into dst (capacity cap): whitespace runs and control bytes become one space,
 * leading and trailing space dropped, cut at a UTF-8 boundary. Returns the length written. */
size_t facts_put(char *dst, size_t cap, const char *s, size_t n);
/* The same for a NUL-terminated s (NULL is ""). */
size_t facts_puts(char *dst, size_t cap, const char *s);

/* Append s as one more line of dst (capacity cap) when the line fits whole; 0 on success. */
int facts_add_line(char *dst, size_t cap, const char *s);

/* Add an identifier to who->ids unless empty, already there or the list is full. */
void facts_add_id(struct doc_identity *who, const char *id, size_t n);

/* Mark the facts damaged with a plain-words reason (printf-style). */
void facts_damaged(struct doc_facts *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Leave facts that came from another process (the PDF helper) safe to use: every string
 * NUL-terminated inside its array, counts and enums in range. */
void facts_sanitise(struct doc_facts *f);

#endif
