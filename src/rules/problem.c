/* SPDX-License-Identifier: GPL-3.0-or-later */
/* problem.c: see problem.h. */
#include "rules/problem.h"

#include <stdarg.h>
#include <stdlib.h>

#include "sys/util.h"

__attribute__((format(printf, 5, 0)))
static struct problem *problems_push(struct problems *p, enum severity sev, const char *code,
				     const char *source, const char *fmt, va_list ap)
{
	grow(&p->v, &p->cap, p->n + 1, sizeof(*p->v));
	struct problem *pr = &p->v[p->n++];
	pr->severity = sev;
	pr->code = xstrdup(code);
	pr->source = source ? xstrdup(source) : NULL;
	char *raw = xvasprintf(fmt, ap);
	pr->message = str_shown(raw); /* names in it may carry ESC, newlines, bidi overrides */
	free(raw);
	pr->source_error = 0;
	return pr;
}

void problems_add(struct problems *p, enum severity sev, const char *code, const char *source,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	problems_push(p, sev, code, source, fmt, ap);
	va_end(ap);
}

void problems_add_source_error(struct problems *p, const char *code, const char *source,
			       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	problems_push(p, SEV_ERROR, code, source, fmt, ap)->source_error = 1;
	va_end(ap);
}

size_t problems_count(const struct problems *p, enum severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].severity == sev;
	return n;
}

int problems_have_source_error(const struct problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].source_error)
			return 1;
	return 0;
}

void problems_free(struct problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].code);
		free(p->v[i].source);
		free(p->v[i].message);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_ERROR: return "error";
	}
	return "error";
}
