/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_packetread.c: packet.json read as a stream gives what the whole text gives, however
 * the stream's reads cut it (strings, numbers, blanks and brackets split between reads), and
 * the same errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/packetread.h"
#include "sys/util.h"

struct cut {
	const char *text;
	size_t len, at, step; /* read step bytes at a time */
};

static long long read_cut(void *arg, void *buf, size_t n)
{
	struct cut *c = arg;
	size_t k = c->len - c->at < c->step ? c->len - c->at : c->step;
	if (k > n)
		k = n;
	memcpy(buf, c->text + c->at, k);
	c->at += k;
	return (long long)k;
}

/* Each document's JSON, one line each, after the top object's. */
static int collect(json_t *doc, void *arg)
{
	struct sbuf *b = arg;
	char *js = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	sbuf_printf(b, "%s\n", js);
	free(js);
	return 0;
}

static char *read_all(const char *text, size_t step, int *rc, char *err, size_t errlen)
{
	struct sbuf b = { 0 };
	json_t *top = NULL;
	if (step == 0) {
		*rc = packetread_json_each(text, strlen(text), &top, collect, &b, err, errlen);
	} else {
		struct cut c = { .text = text, .len = strlen(text), .step = step };
		struct packetread_stream *s = packetread_stream_fn(read_cut, &c);
		*rc = packetread_json_each_stream(s, &top, collect, &b, err, errlen);
		packetread_stream_close(s);
	}
	if (top) {
		char *js = json_dumps(top, JSON_COMPACT | JSON_SORT_KEYS);
		sbuf_printf(&b, "top %s\n", js);
		free(js);
		json_decref(top);
	}
	sbuf_put(&b, "", 0);
	return sbuf_take(&b, NULL);
}

static const char *const good[] = {
	"{\"bag\": \"Doe_Jane\", \"documents\": [{\"path\": \"data/a b.pdf\", \"size\": 123456789,"
	" \"x\": [1, -2.5e3, true, false, null], \"q\": \"\\\"quoted\\\\ \\u00e9\"},\n"
	"  {\"path\": \"data/c\", \"size\": 7}], \"complete\": true, \"n\": 42}",
	"  {\"documents\": []}  \n",
	"{\"n\": 12345, \"documents\": [{\"a\": {\"b\": [[], {}]}}], \"m\": -0.5}",
	"{}",
};

static void test_stream_same_as_whole(void **state)
{
	(void)state;
	for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
		char err[256];
		int rc0, rc;
		char *whole = read_all(good[g], 0, &rc0, err, sizeof(err));
		assert_int_equal(rc0, 0);
		for (size_t step = 1; step <= 7; step++) {
			char *part = read_all(good[g], step, &rc, err, sizeof(err));
			assert_int_equal(rc, 0);
			assert_string_equal(part, whole);
			free(part);
		}
		free(whole);
	}
}

static void test_stream_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"[1, 2]",                              /* not an object */
		"{\"documents\": [{\"a\": 1}",          /* cut short */
		"{\"n\": 1} trailing",                 /* text after the end */
		"{\"n\": 1, \"n\": 2}",                /* named twice */
		"{\"documents\": [{\"a\": \"unterminated}]}",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		char e0[256], e1[256];
		int rc0, rc1;
		char *a = read_all(bad[k], 0, &rc0, e0, sizeof(e0));
		char *b = read_all(bad[k], 3, &rc1, e1, sizeof(e1));
		assert_int_not_equal(rc0, 0);
		assert_int_not_equal(rc1, 0);
		assert_string_equal(e0, e1); /* the same words, the same byte offsets */
		free(a);
		free(b);
	}
}

static void test_stream_names(void **state)
{
	(void)state;
	const char *evil = "{\"documents\": [{\"path\": \"data/0001.pdf\", \"original_path\": \"../../etc/x\"}]}";
	const char *fine = "{\"original_bag\": \"Doe\", \"documents\": [{\"path\": \"data/0001.pdf\", "
			   "\"original_path\": \"data/02-pathology/report.pdf\"}]}";
	char err[256];
	struct cut c = { .text = evil, .len = strlen(evil), .step = 5 };
	struct packetread_stream *s = packetread_stream_fn(read_cut, &c);
	assert_int_equal(packetread_json_check_stream(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unsafe name"));
	packetread_stream_close(s);
	c = (struct cut){ .text = fine, .len = strlen(fine), .step = 5 };
	s = packetread_stream_fn(read_cut, &c);
	assert_int_equal(packetread_json_check_stream(s, err, sizeof(err)), 0);
	packetread_stream_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_same_as_whole),
		cmocka_unit_test(test_stream_errors),
		cmocka_unit_test(test_stream_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
