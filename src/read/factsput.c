/* SPDX-License-Identifier: GPL-3.0-or-later */
/* factsput.c: bounded, printable copies into struct doc_facts (see factsput.h). */
#include "read/factsput.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void facts_begin(struct doc_facts *f, enum facts_format fmt)
{
	memset(f, 0, sizeof *f);
	f->format = fmt;
	f->status = FACTS_READ;
}

/* Length of the longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const unsigned char *s, size_t n)
{
	size_t i = n, back = 0;
	while (i > 0 && back < 4 && (s[i - 1] & 0xC0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0 || s[i - 1] < 0xC0)
		return n;               /* ends on ASCII or a stray continuation: keep */
	size_t need = s[i - 1] >= 0xF0 ? 4 : s[i - 1] >= 0xE0 ? 3 : 2;
	return back + 1 >= need ? n : i - 1;
}

size_t facts_put(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0, space = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; s && i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || c == ' ') {
			space = o > 0 ? 1 : 0;
			continue;
		}
		if (o + space + 1 >= cap)
			break;
		if (space)
			dst[o++] = ' ';
		space = 0;
		dst[o++] = (char)c;
	}
	o = utf8_cut((const unsigned char *)dst, o);
	dst[o] = '\0';
	return o;
}

size_t facts_puts(char *dst, size_t cap, const char *s)
{
	return facts_put(dst, cap, s, s ? strlen(s) : 0);
}

int facts_add_line(char *dst, size_t cap, const char *s)
{
	char line[256];
	size_t have = strnlen(dst, cap), n = facts_puts(line, sizeof line, s);
	if (n == 0)
		return 0;
	if (have + (have > 0) + n + 1 > cap)
		return -1;
	if (have > 0)
		dst[have++] = '\n';
	memcpy(dst + have, line, n + 1);
	return 0;
}

void facts_add_id(struct doc_identity *who, const char *id, size_t n)
{
	char v[sizeof who->ids[0]];
	if (who->nids >= FACTS_MAX_IDS || facts_put(v, sizeof v, id, n) == 0)
		return;
	for (size_t i = 0; i < who->nids; i++)
		if (strcmp(who->ids[i], v) == 0)
			return;
	memcpy(who->ids[who->nids++], v, sizeof v);
}

void facts_damaged(struct doc_facts *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->error, sizeof f->error, fmt, ap);
	va_end(ap);
	f->status = FACTS_DAMAGED;
}

#define TERMINATE(field) ((field)[sizeof(field) - 1] = '\0')

void facts_sanitise(struct doc_facts *f)
{
	if (f->status > FACTS_DAMAGED)
		f->status = FACTS_DAMAGED;
	if (f->format > FMT_IMAGE)
		f->format = FMT_UNKNOWN;
	f->ocr = f->ocr != 0;
	if (f->ocr_confidence < 0 || f->ocr_confidence > 100)
		f->ocr_confidence = 0;
	if (f->who.nids > FACTS_MAX_IDS)
		f->who.nids = FACTS_MAX_IDS;
	TERMINATE(f->code), TERMINATE(f->code_system), TERMINATE(f->title), TERMINATE(f->date);
	TERMINATE(f->who.name), TERMINATE(f->who.dob), TERMINATE(f->text), TERMINATE(f->error);
	for (size_t i = 0; i < FACTS_MAX_IDS; i++)
		TERMINATE(f->who.ids[i]);
	if (f->ncases > FACTS_MAX_CASES)
		f->ncases = FACTS_MAX_CASES;
	for (size_t i = 0; i < FACTS_MAX_CASES; i++)
		TERMINATE(f->cases[i]);
}
