/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagtext.c: see bagtext.h. */
#include "packet/bagtext.h"

#include <stdlib.h>
#include <string.h>

const char *bag_date(time_t t, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
	return buf;
}

void bag_text_flush(struct bag_text *t, int all)
{
	if (t->s.len == 0 || (!all && t->s.len < BAG_PIECE))
		return;
	if (!t->err && (sha256_update(t->md, t->s.p, t->s.len) < 0 ||
			t->out->put(t->out->arg, t->index, t->s.p, t->s.len) < 0))
		t->err = -1;
	t->tag->len += t->s.len;
	t->s.len = 0; /* the buffer is kept for the next piece */
	t->s.p[0] = '\0';
}

void bag_text_mark_at(struct bag_text *t, size_t file, size_t at)
{
	if (t->out->mark)
		t->out->mark(t->out->arg, t->index, file, t->tag->len + at);
}

void bag_text_mark(struct bag_text *t, size_t file)
{
	bag_text_mark_at(t, file, t->s.len);
}

void bag_text_begin(struct bag_text *t, struct bag_tag *tag, size_t index, const struct bag_out *out)
{
	memset(t, 0, sizeof(*t));
	t->tag = tag;
	t->index = index;
	t->out = out;
	t->tag->len = 0;
	if (!(t->md = sha256_new()))
		t->err = -1;
}

int bag_text_end(struct bag_text *t)
{
	bag_text_flush(t, 1);
	if (!t->err && sha256_final(t->md, NULL, t->tag->sha256) < 0)
		t->err = -1;
	sha256_free(t->md);
	free(t->s.p);
	return t->err;
}
