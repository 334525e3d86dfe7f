/* SPDX-License-Identifier: GPL-3.0-or-later */
/* manifest.c: see manifest.h. INI syntax comes from inih; the meaning of keys is ours. */
#include "rules/manifest.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "read/sniff.h"
#include "sys/rp.h"

#define MAX_CATEGORIES 64

struct parse_ctx {
	struct manifest *m;
	char error[256]; /* first semantic error; inih gives the line */
};

static int valid_name(const char *s)
{
	if (!*s || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

static struct category *current_category(struct parse_ctx *ctx, const char *section)
{
	struct manifest *m = ctx->m;
	if (m->ncats && strcmp(m->cats[m->ncats - 1].name, section) == 0)
		return &m->cats[m->ncats - 1];
	if (manifest_category(m, section)) {
		snprintf(ctx->error, sizeof(ctx->error), "category [%s] appears twice", section);
		return NULL;
	}
	if (!valid_name(section)) {
		snprintf(ctx->error, sizeof(ctx->error),
			 "category name [%s] must be lowercase letters, digits, '-' or '_'", section);
		return NULL;
	}
	if (m->ncats == MAX_CATEGORIES) {
		snprintf(ctx->error, sizeof(ctx->error), "more than %d categories", MAX_CATEGORIES);
		return NULL;
	}
	m->cats = xrealloc(m->cats, (m->ncats + 1) * sizeof(*m->cats));
	struct category *c = &m->cats[m->ncats++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(section);
	c->min = 1;
	c->folder = xasprintf("%02zu-%s", m->ncats, section);
	return c;
}

static void split_words(struct strlist *l, const char *value)
{
	char *copy = xstrdup(value), *save = NULL;
	for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save))
		strlist_add(l, w);
	free(copy);
}

/* Phrases are separated by commas: "surgical pathology report, pathology report". */
static void split_phrases(struct strlist *l, const char *value)
{
	char *copy = xstrdup(value), *save = NULL;
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		w = trim(w);
		for (char *p = w; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (*w)
			strlist_add(l, w);
	}
	free(copy);
}

static int set_yes_no(struct parse_ctx *ctx, int *field, const char *key, const char *value)
{
	if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "no") == 0) {
		*field = strcasecmp(value, "yes") == 0;
		return 1;
	}
	snprintf(ctx->error, sizeof(ctx->error), "%s must be 'yes' or 'no', not '%.60s'", key, value);
	return 0;
}

static int set_required(struct parse_ctx *ctx, struct category *c, const char *value)
{
	if (strcasecmp(value, "yes") == 0) {
		c->required = REQ_YES;
	} else if (strcasecmp(value, "no") == 0) {
		c->required = REQ_NO;
	} else if (strncasecmp(value, "if ", 3) == 0 && valid_name(trim((char *)value + 3))) {
		c->required = REQ_IF;
		free(c->fact);
		c->fact = xstrdup(trim((char *)value + 3));
	} else {
		snprintf(ctx->error, sizeof(ctx->error),
			 "required must be 'yes', 'no' or 'if FACT', not '%.60s'", value);
		return 0;
	}
	return 1;
}

static int set_types(struct parse_ctx *ctx, struct category *c, const char *value)
{
	split_words(&c->types, value);
	for (size_t i = 0; i < c->types.n; i++)
		if (doc_type_from_name(c->types.v[i]) == T_TYPE_COUNT) {
			snprintf(ctx->error, sizeof(ctx->error), "unknown type '%.40s' in types", c->types.v[i]);
			return 0;
		}
	return 1;
}

static int set_min(struct parse_ctx *ctx, struct category *c, const char *value)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || *end || end == value || v < 0 || v > 100000) {
		snprintf(ctx->error, sizeof(ctx->error), "min must be a whole number, not '%.40s'", value);
		return 0;
	}
	c->min = (int)v;
	return 1;
}

/* "6 months", "2 years", "30 days", "12 weeks" (singular too). */
static int set_age(struct parse_ctx *ctx, struct age *a, const char *key, const char *value)
{
	static const struct { const char *word; enum age_unit unit; } units[] = {
		{ "day", AGE_DAYS }, { "days", AGE_DAYS }, { "week", AGE_WEEKS }, { "weeks", AGE_WEEKS },
		{ "month", AGE_MONTHS }, { "months", AGE_MONTHS }, { "year", AGE_YEARS }, { "years", AGE_YEARS },
	};
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	for (size_t i = 0; !errno && end != value && v > 0 && v <= 1200 && i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(trim(end), units[i].word) == 0) {
			a->n = (int)v;
			a->unit = units[i].unit;
			return 1;
		}
	snprintf(ctx->error, sizeof(ctx->error),
		 "%s must be a number and days, weeks, months or years, e.g. '6 months', not '%.40s'", key, value);
	return 0;
}

const char *manifest_age_text(const struct age *a, char *buf, size_t len)
{
	static const char *const names[] = { "day", "week", "month", "year" };
	snprintf(buf, len, "%d %s%s", a->n, names[a->unit], a->n == 1 ? "" : "s");
	return buf;
}

static int set_string(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
	return 1;
}

/* kind, shipped, cases_from, ask, max_age, priors, outdated: physical items and recency. */
static int handle_extra_key(struct parse_ctx *ctx, struct category *c, const char *key, const char *value)
{
	if (strcmp(key, "kind") == 0) {
		if (strcasecmp(value, "physical") == 0 || strcasecmp(value, "records") == 0) {
			c->physical = strcasecmp(value, "physical") == 0;
			return 1;
		}
		snprintf(ctx->error, sizeof(ctx->error), "kind must be 'records' or 'physical', not '%.40s'", value);
		return 0;
	}
	if (strcmp(key, "shipped") == 0) {
		if (strncasecmp(value, "if ", 3) == 0 && valid_name(trim((char *)value + 3)))
			return set_string(&c->shipped_fact, trim((char *)value + 3));
		snprintf(ctx->error, sizeof(ctx->error), "shipped must be 'if FACT', e.g. 'if slides-sent', not '%.40s'", value);
		return 0;
	}
	if (strcmp(key, "cases_from") == 0) {
		if (valid_name(value))
			return set_string(&c->cases_from, value);
		snprintf(ctx->error, sizeof(ctx->error), "cases_from must name a category, not '%.40s'", value);
		return 0;
	}
	if (strcmp(key, "ask") == 0)
		return set_string(&c->ask, value);
	if (strcmp(key, "max_age") == 0)
		return set_age(ctx, &c->max_age, key, value);
	if (strcmp(key, "priors") == 0)
		return set_age(ctx, &c->priors, key, value);
	if (strcmp(key, "outdated") == 0) {
		if (strcasecmp(value, "warning") == 0 || strcasecmp(value, "blocking") == 0) {
			c->outdated_blocks = strcasecmp(value, "blocking") == 0;
			return 1;
		}
		snprintf(ctx->error, sizeof(ctx->error), "outdated must be 'warning' or 'blocking', not '%.40s'", value);
		return 0;
	}
	snprintf(ctx->error, sizeof(ctx->error),
		 "unknown key '%.40s' (expected title, required, min, types, match, codes, titles, "
		 "images_required, kind, shipped, cases_from, ask, max_age, priors or outdated)", key);
	return 0;
}

static int handle_manifest_key(struct parse_ctx *ctx, const char *key, const char *value)
{
	char **field = strcmp(key, "name") == 0 ? &ctx->m->name
		     : strcmp(key, "description") == 0 ? &ctx->m->description : NULL;
	if (!field) {
		snprintf(ctx->error, sizeof(ctx->error), "unknown key '%.40s' in [manifest]", key);
		return 0;
	}
	free(*field);
	*field = xstrdup(value);
	return 1;
}

static int handle_category_key(struct parse_ctx *ctx, struct category *c, const char *key, const char *value)
{
	if (strcmp(key, "title") == 0) {
		free(c->title);
		c->title = xstrdup(value);
		return 1;
	}
	if (strcmp(key, "required") == 0)
		return set_required(ctx, c, value);
	if (strcmp(key, "min") == 0)
		return set_min(ctx, c, value);
	if (strcmp(key, "types") == 0)
		return set_types(ctx, c, value);
	if (strcmp(key, "match") == 0) {
		split_words(&c->match, value);
		return 1;
	}
	if (strcmp(key, "codes") == 0) {
		split_words(&c->codes, value);
		return 1;
	}
	if (strcmp(key, "titles") == 0) {
		split_phrases(&c->titles, value);
		return 1;
	}
	if (strcmp(key, "images_required") == 0)
		return set_yes_no(ctx, &c->images_required, key, value);
	return handle_extra_key(ctx, c, key, value);
}

static int on_ini_entry(void *user, const char *section, const char *key, const char *value)
{
	struct parse_ctx *ctx = user;
	if (ctx->error[0])
		return 1; /* keep only the first error; inih reports its line */
	if (!section[0]) {
		snprintf(ctx->error, sizeof(ctx->error), "'%.40s' is outside any [section]", key);
		return 0;
	}
	if (!key) /* inih calls with key NULL at a new section when INI_CALL_HANDLER_ON_NEW_SECTION */
		return 1;
	if (strcmp(section, "manifest") == 0)
		return handle_manifest_key(ctx, key, value);
	struct category *c = current_category(ctx, section);
	return c ? handle_category_key(ctx, c, key, value) : 0;
}

static int finish(struct manifest *m, const char *origin, char *errbuf, size_t errlen)
{
	if (m->ncats == 0) {
		snprintf(errbuf, errlen, "%s: the manifest has no categories", origin);
		return 0;
	}
	for (size_t i = 0; i < m->ncats; i++) {
		struct category *c = &m->cats[i];
		if (!c->title)
			c->title = xstrdup(c->name);
		const struct category *from = c->cases_from ? manifest_category(m, c->cases_from) : NULL;
		if (c->cases_from && (!from || from->physical)) {
			snprintf(errbuf, errlen, "%s: [%s] cases_from = %s names no category of files", origin,
				 c->name, c->cases_from);
			return 0;
		}
		if (!c->physical && (c->shipped_fact || c->cases_from)) {
			snprintf(errbuf, errlen, "%s: [%s] has shipped or cases_from, which only a category with "
				 "kind = physical takes", origin, c->name);
			return 0;
		}
	}
	if (!m->name)
		m->name = xstrdup(path_basename(origin));
	if (!m->description)
		m->description = xstrdup("");
	return 1;
}

static struct manifest *parse_with(int (*parse)(const void *, struct parse_ctx *), const void *arg,
				   const char *origin, char *errbuf, size_t errlen)
{
	struct parse_ctx ctx = { .m = xcalloc(1, sizeof(struct manifest)) };
	int line = parse(arg, &ctx);
	if (line < 0) {
		snprintf(errbuf, errlen, "%s: cannot read the manifest: %s", origin, strerror(errno));
		goto fail;
	}
	if (line > 0) {
		snprintf(errbuf, errlen, "%s:%d: %s", origin, line,
			 ctx.error[0] ? ctx.error : "syntax error (expected [section] or key = value)");
		goto fail;
	}
	if (!finish(ctx.m, origin, errbuf, errlen))
		goto fail;
	return ctx.m;
fail:
	manifest_free(ctx.m);
	return NULL;
}

static int parse_string(const void *text, struct parse_ctx *ctx)
{
	return ini_parse_string(text, on_ini_entry, ctx);
}

static int parse_file(const void *path, struct parse_ctx *ctx)
{
	return ini_parse(path, on_ini_entry, ctx);
}

struct manifest *manifest_parse(const char *text, const char *origin, char *errbuf, size_t errlen)
{
	return parse_with(parse_string, text, origin, errbuf, errlen);
}

const char *manifest_builtin_text(const char *name)
{
	for (const struct builtin_manifest *b = builtin_manifests; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b->text;
	return NULL;
}

struct manifest *manifest_load(const char *name_or_file, char *errbuf, size_t errlen)
{
	const char *text = strchr(name_or_file, '/') ? NULL : manifest_builtin_text(name_or_file);
	if (text)
		return manifest_parse(text, name_or_file, errbuf, errlen);
	FILE *f = fopen(name_or_file, "r");
	if (!f) {
		if (!strchr(name_or_file, '/') && !str_endswith_nocase(name_or_file, ".ini"))
			snprintf(errbuf, errlen,
				 "%s: no such manifest; 'recpack manifest' lists the built-in ones",
				 name_or_file);
		else
			snprintf(errbuf, errlen, "%s: cannot open the manifest: %s", name_or_file,
				 strerror(errno));
		return NULL;
	}
	fclose(f);
	return parse_with(parse_file, name_or_file, name_or_file, errbuf, errlen);
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ncats; i++) {
		struct category *c = &m->cats[i];
		free(c->name);
		free(c->title);
		free(c->fact);
		free(c->folder);
		free(c->shipped_fact);
		free(c->cases_from);
		free(c->ask);
		strlist_free(&c->types);
		strlist_free(&c->match);
		strlist_free(&c->codes);
		strlist_free(&c->titles);
	}
	free(m->cats);
	free(m->name);
	free(m->description);
	free(m);
}

const struct category *manifest_category(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->ncats; i++)
		if (strcmp(m->cats[i].name, name) == 0)
			return &m->cats[i];
	return NULL;
}

int category_required(const struct category *c, const struct strlist *facts)
{
	switch (c->required) {
	case REQ_YES: return 1;
	case REQ_NO: return 0;
	case REQ_IF: return strlist_has(facts, c->fact);
	}
	return 0;
}

static int fact_declared(const struct manifest *m, const char *fact)
{
	for (size_t i = 0; i < m->ncats; i++)
		if ((m->cats[i].required == REQ_IF && strcmp(m->cats[i].fact, fact) == 0) ||
		    (m->cats[i].shipped_fact && strcmp(m->cats[i].shipped_fact, fact) == 0))
			return 1;
	return 0;
}

int manifest_check_facts(const struct manifest *m, const struct strlist *facts, char *errbuf, size_t errlen)
{
	for (size_t i = 0; i < facts->n; i++) {
		const char *f = facts->v[i];
		if (fact_declared(m, f) || strcmp(f, "surgery") == 0 || strcmp(f, "hospitalized") == 0)
			continue;
		struct strlist seen = { 0 };
		struct sbuf known = { 0 };
		strlist_add(&seen, "surgery");
		strlist_add(&seen, "hospitalized");
		sbuf_puts(&known, "surgery, hospitalized");
		for (size_t c = 0; c < m->ncats; c++)
			if (m->cats[c].required == REQ_IF && !strlist_has(&seen, m->cats[c].fact)) {
				strlist_add(&seen, m->cats[c].fact);
				sbuf_printf(&known, ", %s", m->cats[c].fact);
			} else if (m->cats[c].shipped_fact && !strlist_has(&seen, m->cats[c].shipped_fact)) {
				strlist_add(&seen, m->cats[c].shipped_fact);
				sbuf_printf(&known, ", %s", m->cats[c].shipped_fact);
			}
		snprintf(errbuf, errlen, "the fact '%s' is not one the manifest '%s' uses, so it would change "
			 "nothing (check the spelling; the facts it knows: %s)", f, m->name, known.p);
		free(sbuf_take(&known, NULL));
		strlist_free(&seen);
		return RP_EUSAGE;
	}
	return RP_OK;
}
