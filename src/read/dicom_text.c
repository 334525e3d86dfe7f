/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dicom_text.c: see dicom_text.h. A value is decoded in one pass: the code elements G0 (bytes
 * below 0x80) and G1 (bytes from 0x80) are switched by escape sequences and reset to the
 * initial ones at each delimiter; runs of bytes are rewritten into one ASCII-compatible
 * "carrier" encoding iconv knows (JIS X 0208/0212 and half-width katakana into EUC-JP) and
 * converted run by run. */
#include "read/dicom_text.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#define RUN_MAX 512 /* bytes converted per iconv call; longer values are cut into runs */

enum kind {
	K_ASCII,    /* G0 single byte, passed through (ISO IR 6, JIS X 0201 romaji) */
	K_PLAIN,    /* G1 bytes given to the carrier as they are (ISO 8859, KS X 1001, GB 2312) */
	K_JIS0208,  /* G0 two bytes 0x21-0x7E: EUC-JP is the same with the high bits set */
	K_JIS0212,  /* likewise, after EUC-JP's 0x8F */
	K_KATAKANA, /* G1 JIS X 0201 katakana: EUC-JP 0x8E, byte */
	K_WHOLE,    /* not ISO 2022: the whole value in one encoding (UTF-8, GB18030, GBK) */
};

struct charset {
	const char *term;     /* defined term without code extensions, or NULL */
	const char *term2022; /* defined term with code extensions, or NULL */
	const char *esc;      /* escape sequence after ESC that designates it, or NULL */
	int g1;               /* designated to G1 (else G0) */
	int width;            /* bytes per character in its code element */
	enum kind kind;
	const char *carrier;  /* iconv name; NULL for ASCII */
};

static const struct charset charsets[] = {
	{ "ISO_IR 6", "ISO 2022 IR 6", "(B", 0, 1, K_ASCII, NULL },
	{ "ISO_IR 100", "ISO 2022 IR 100", "-A", 1, 1, K_PLAIN, "ISO-8859-1" },
	{ "ISO_IR 101", "ISO 2022 IR 101", "-B", 1, 1, K_PLAIN, "ISO-8859-2" },
	{ "ISO_IR 109", "ISO 2022 IR 109", "-C", 1, 1, K_PLAIN, "ISO-8859-3" },
	{ "ISO_IR 110", "ISO 2022 IR 110", "-D", 1, 1, K_PLAIN, "ISO-8859-4" },
	{ "ISO_IR 144", "ISO 2022 IR 144", "-L", 1, 1, K_PLAIN, "ISO-8859-5" },
	{ "ISO_IR 127", "ISO 2022 IR 127", "-G", 1, 1, K_PLAIN, "ISO-8859-6" },
	{ "ISO_IR 126", "ISO 2022 IR 126", "-F", 1, 1, K_PLAIN, "ISO-8859-7" },
	{ "ISO_IR 138", "ISO 2022 IR 138", "-H", 1, 1, K_PLAIN, "ISO-8859-8" },
	{ "ISO_IR 148", "ISO 2022 IR 148", "-M", 1, 1, K_PLAIN, "ISO-8859-9" },
	{ "ISO_IR 203", "ISO 2022 IR 203", "-b", 1, 1, K_PLAIN, "ISO-8859-15" },
	{ "ISO_IR 166", "ISO 2022 IR 166", "-T", 1, 1, K_PLAIN, "TIS-620" },
	{ "ISO_IR 13", "ISO 2022 IR 13", ")I", 1, 1, K_KATAKANA, "EUC-JP" },
	{ NULL, NULL, "(J", 0, 1, K_ASCII, NULL }, /* JIS X 0201 romaji, G0 of ISO IR 13 */
	{ NULL, "ISO 2022 IR 87", "$B", 0, 2, K_JIS0208, "EUC-JP" },
	{ NULL, "ISO 2022 IR 159", "$(D", 0, 2, K_JIS0212, "EUC-JP" },
	{ NULL, "ISO 2022 IR 149", "$)C", 1, 2, K_PLAIN, "EUC-KR" },
	{ NULL, "ISO 2022 IR 58", "$)A", 1, 2, K_PLAIN, "GB2312" },
	{ "ISO_IR 192", NULL, NULL, 0, 1, K_WHOLE, "UTF-8" },
	{ "GB18030", NULL, NULL, 0, 1, K_WHOLE, "GB18030" },
	{ "GBK", NULL, NULL, 0, 1, K_WHOLE, "GBK" },
};

#define N_CHARSETS (sizeof charsets / sizeof charsets[0])
#define ASCII (&charsets[0])
#define LATIN1 (&charsets[1])
#define ROMAJI (&charsets[13])

struct out {
	char *p;
	size_t size, len; /* len < size always: room for the NUL */
	int full, lossy;
};

struct run {
	unsigned char b[RUN_MAX];
	size_t n;
	const char *carrier; /* of the non-ASCII bytes in b, NULL while there are none */
};

/* ---- character-set terms ---- */

static const struct charset *find_term(const char *term, size_t len)
{
	while (len > 0 && term[0] == ' ')
		term++, len--;
	while (len > 0 && term[len - 1] == ' ')
		len--;
	if (len == 0)
		return ASCII;
	for (size_t i = 0; i < N_CHARSETS; i++) {
		const char *t = charsets[i].term, *t2 = charsets[i].term2022;
		if ((t && strlen(t) == len && memcmp(t, term, len) == 0) ||
		    (t2 && strlen(t2) == len && memcmp(t2, term, len) == 0))
			return &charsets[i];
	}
	return NULL;
}

/* The first term, or NULL when it is not known. */
static const struct charset *first_term(const char *charset)
{
	const char *bs = strchr(charset, '\\');
	return find_term(charset, bs ? (size_t)(bs - charset) : strlen(charset));
}

int dicom_charset_known(const char *charset)
{
	for (const char *p = charset;; p++) {
		const char *bs = strchr(p, '\\');
		size_t len = bs ? (size_t)(bs - p) : strlen(p);
		if (!find_term(p, len))
			return 0;
		if (!bs)
			return 1;
		p = bs;
	}
}

/* ---- output ---- */

static void out_bytes(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	if (n > o->size - 1 - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

/* Converts the run to UTF-8; an undecodable byte becomes U+FFFD and is skipped. */
static void flush(struct run *r, struct out *o)
{
	if (r->n == 0)
		return;
	if (!r->carrier) {
		out_bytes(o, (const char *)r->b, r->n);
		r->n = 0;
		return;
	}
	iconv_t cd = iconv_open("UTF-8", r->carrier);
	if (cd == (iconv_t)-1) {
		o->lossy = 1;
		r->n = 0;
		return;
	}
	char *in = (char *)r->b;
	size_t left = r->n;
	while (left > 0 && !o->full) {
		char *dst = o->p + o->len;
		size_t room = o->size - 1 - o->len;
		size_t rc = iconv(cd, &in, &left, &dst, &room);
		o->len = (size_t)(dst - o->p);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG) {
			o->full = 1;
		} else {
			o->lossy = 1;
			out_bytes(o, "\xEF\xBF\xBD", 3);
			in++, left--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	r->n = 0;
	r->carrier = NULL;
}

/* Appends bytes whose non-ASCII part is in carrier (NULL: ASCII only). */
static void run_add(struct run *r, struct out *o, const char *carrier, const unsigned char *b, size_t n)
{
	if (carrier && r->carrier && strcmp(carrier, r->carrier) != 0)
		flush(r, o);
	if (r->n + n > RUN_MAX)
		flush(r, o);
	if (carrier)
		r->carrier = carrier;
	memcpy(r->b + r->n, b, n);
	r->n += n;
}

/* ---- ISO 2022 ---- */

struct state {
	const struct charset *g0, *g1, *init_g0, *init_g1;
};

/* Length of the escape sequence at in[0] (ESC included) and the set it designates, or 0. */
static size_t match_escape(const unsigned char *in, size_t n, const struct charset **cs)
{
	for (size_t i = 0; i < N_CHARSETS; i++) {
		const char *e = charsets[i].esc;
		size_t len = e ? strlen(e) : 0;
		if (len && n > len && memcmp(in + 1, e, len) == 0) {
			*cs = &charsets[i];
			return len + 1;
		}
	}
	return 0;
}

static int is_delimiter(unsigned char b)
{
	return b == '\\' || b == '^' || b == '=' || b == '\r' || b == '\n' || b == '\t' || b == '\f';
}

/* One character (or one byte) from in[0..n) under the current code elements; returns bytes used. */
static size_t decode_unit(struct state *s, const unsigned char *in, size_t n, struct run *r, struct out *o)
{
	unsigned char c[3];
	if (in[0] < 0x80) {
		if (s->g0->width == 2 && in[0] >= 0x21 && in[0] <= 0x7E && n >= 2 && in[1] >= 0x21 && in[1] <= 0x7E) {
			size_t k = 0;
			if (s->g0->kind == K_JIS0212)
				c[k++] = 0x8F;
			c[k++] = in[0] | 0x80;
			c[k++] = in[1] | 0x80;
			run_add(r, o, s->g0->carrier, c, k);
			return 2;
		}
		if (s->g0->width == 1 && is_delimiter(in[0]))
			s->g0 = s->init_g0, s->g1 = s->init_g1;
		run_add(r, o, NULL, in, 1);
		return 1;
	}
	const struct charset *g1 = s->g1;
	if (!g1) {
		o->lossy = 1; /* no G1 designated: read as ISO 8859-1, as pydicom does */
		g1 = LATIN1;
	}
	if (g1->kind == K_KATAKANA) {
		c[0] = 0x8E, c[1] = in[0];
		run_add(r, o, g1->carrier, c, 2);
		return 1;
	}
	size_t k = g1->width == 2 && n >= 2 ? 2 : 1;
	run_add(r, o, g1->carrier, in, k);
	return k;
}

static void decode_2022(const struct charset *first, const unsigned char *in, size_t n, struct out *o)
{
	struct state s = { ASCII, NULL, ASCII, NULL };
	struct run r = { .n = 0 };
	if (first->kind == K_KATAKANA)
		s.g0 = s.init_g0 = ROMAJI;
	if (first->g1)
		s.g1 = s.init_g1 = first;
	else
		s.g0 = s.init_g0 = first;
	for (size_t i = 0; i < n && !o->full;) {
		const struct charset *cs;
		size_t esc = in[i] == 0x1B ? match_escape(in + i, n - i, &cs) : 0;
		if (esc) {
			if (cs->g1)
				s.g1 = cs;
			else
				s.g0 = cs;
			i += esc;
		} else if (in[i] == 0x1B) {
			o->lossy = 1; /* an escape we do not know: drop the ESC byte */
			i++;
		} else {
			i += decode_unit(&s, in + i, n - i, &r, o);
		}
	}
	flush(&r, o);
}

static int all_ascii(const unsigned char *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (in[i] >= 0x80 || in[i] == 0x1B)
			return 0;
	return 1;
}

int dicom_text_decode(const char *charset, const unsigned char *in, size_t n, char *out, size_t outsize)
{
	struct out o = { .p = out, .size = outsize };
	const struct charset *first = first_term(charset ? charset : "");
	if (outsize == 0)
		return 1;
	if (!first) {
		o.lossy = 1;
		first = LATIN1;
	}
	if (all_ascii(in, n) && first->kind != K_WHOLE) {
		out_bytes(&o, (const char *)in, n);
		if (o.full) /* ASCII: every byte is a character */
			memcpy(out, in, o.len = outsize - 1);
	} else if (first->kind == K_WHOLE) {
		struct run r = { .carrier = first->carrier };
		for (size_t i = 0; i < n && !o.full; i += RUN_MAX) {
			/* whole-value sets are cut at RUN_MAX only for very long values */
			r.n = n - i < RUN_MAX ? n - i : RUN_MAX;
			r.carrier = first->carrier;
			memcpy(r.b, in + i, r.n);
			flush(&r, &o);
		}
	} else {
		decode_2022(first, in, n, &o);
	}
	out[o.len] = '\0';
	return o.lossy;
}

void dicom_pn_group(const char *pn, int g, char *dst, size_t size)
{
	const char *p = pn;
	for (int i = 0; i < g && p; i++) {
		p = strchr(p, '=');
		if (p)
			p++;
	}
	size_t len = 0;
	if (p) {
		const char *eq = strchr(p, '=');
		len = eq ? (size_t)(eq - p) : strlen(p);
	}
	if (size == 0)
		return;
	if (len > size - 1) {
		len = size - 1;
		while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
			len--; /* do not cut a UTF-8 sequence */
	}
	if (len)
		memcpy(dst, p, len);
	dst[len] = '\0';
}
