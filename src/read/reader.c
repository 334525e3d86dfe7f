/* reader.c: see reader.h. One switch from sniffed type to reader; the readers themselves
 * live one per format beside it (pdf.c, office.c, text.c, ccda.c, xdm.c, fhir.c). */
#include "read/reader.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int reader_wants(const struct sniff_result *s, uint64_t size)
{
	if (size == 0 || size > READER_MAX_BYTES)
		return 0;
	switch (s->type) {
	case T_TEXT:
		return 1;
	default:
		return 0; /* the format readers add their types here as they land */
	}
}

/* ---- plain text: a placeholder until read/text.c (text_read, textfacts_scan) lands ---- */

static size_t copy_line(const char *p, const char *end, char *out, size_t cap)
{
	size_t n = 0;
	while (p < end && *p != '\n' && *p != '\r' && n + 1 < cap)
		out[n++] = *p++;
	while (n && isspace((unsigned char)out[n - 1]))
		n--;
	out[n] = '\0';
	return n;
}

/* The value after a label at the start of a line ("DOB: 05/01/1975"), case-insensitive. */
static int labelled(const char *line, const char *label, char *out, size_t cap)
{
	size_t n = strlen(label);
	if (strncasecmp(line, label, n) != 0)
		return 0;
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	copy_line(line, line + strlen(line), out, cap);
	return out[0] != '\0';
}

static void text_identity(const char *line, struct doc_identity *who)
{
	static const char *const names[] = { "patient name:", "patient:", "name:" };
	static const char *const dobs[] = { "date of birth:", "birth date:", "dob:", "d.o.b.:" };
	static const char *const ids[] = { "mrn:", "medical record number:", "patient id:" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !who->name[0]; i++)
		labelled(line, names[i], who->name, sizeof(who->name));
	for (size_t i = 0; i < sizeof(dobs) / sizeof(dobs[0]) && !who->dob[0]; i++)
		labelled(line, dobs[i], who->dob, sizeof(who->dob));
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]) && who->nids < FACTS_MAX_IDS; i++)
		if (labelled(line, ids[i], who->ids[who->nids], sizeof(who->ids[0])))
			who->nids++;
}

static int read_text(const unsigned char *buf, size_t len, struct doc_facts *out)
{
	size_t n = len < FACTS_TEXT_MAX - 1 ? len : FACTS_TEXT_MAX - 1;
	memcpy(out->text, buf, n);
	out->text[n] = '\0';
	const char *p = out->text, *end = out->text + strlen(out->text);
	while (*p) {
		char line[256];
		while (isspace((unsigned char)*p))
			p++;
		const char *nl = strchr(p, '\n');
		copy_line(p, end, line, sizeof(line));
		if (!out->title[0] && line[0])
			copy_line(line, line + strlen(line), out->title, sizeof(out->title));
		text_identity(line, &out->who);
		p = nl ? nl + 1 : end;
	}
	out->status = FACTS_READ;
	out->format = FMT_TEXT;
	return 1;
}

int reader_read(const unsigned char *buf, size_t len, const struct sniff_result *s, struct doc_facts *out)
{
	memset(out, 0, sizeof(*out));
	switch (s->type) {
	case T_TEXT:
		read_text(buf, len, out);
		break;
	default:
		break;
	}
	return out->status != FACTS_NONE;
}
