/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sniff.c: see sniff.h. Binary signatures first (fixed offsets), then PDF, then the text family
 * (RTF, HTML, XML, JSON, plain text), which needs the bytes to look like text. */
#include "read/sniff.h"

#include "read/dicom.h"

#include <string.h>

#define PDF_SEARCH 1024  /* %PDF- may follow junk such as a mail header */
#define NARROW_MAX 4096  /* UTF-16 code units looked at */

static const char *const names[T_TYPE_COUNT] = {
	[T_UNKNOWN] = "unknown", [T_EMPTY] = "empty", [T_PDF] = "pdf", [T_DICOM] = "dicom",
	[T_DICOMDIR] = "dicomdir", [T_JPEG] = "jpeg", [T_PNG] = "png", [T_TIFF] = "tiff",
	[T_GIF] = "gif", [T_TEXT] = "text", [T_HTML] = "html", [T_XML] = "xml",
	[T_JSON] = "json", [T_DOCX] = "docx", [T_ODT] = "odt", [T_ZIP] = "zip",
	[T_GZIP] = "gzip", [T_BZIP2] = "bzip2", [T_XZ] = "xz", [T_ZSTD] = "zstd",
	[T_7Z] = "7z", [T_TAR] = "tar", [T_ISO] = "iso", [T_RTF] = "rtf",
	[T_HEIC] = "heic", [T_AVIF] = "avif",
};

static const char *const labels[T_TYPE_COUNT] = {
	[T_UNKNOWN] = "unrecognised file",
	[T_EMPTY] = "empty file",
	[T_PDF] = "PDF document",
	[T_DICOM] = "DICOM image",
	[T_DICOMDIR] = "DICOMDIR (disc index)",
	[T_JPEG] = "JPEG image",
	[T_PNG] = "PNG image",
	[T_TIFF] = "TIFF image",
	[T_GIF] = "GIF image",
	[T_TEXT] = "plain text",
	[T_HTML] = "web page (HTML)",
	[T_XML] = "XML document",
	[T_JSON] = "JSON data",
	[T_DOCX] = "Word document (DOCX)",
	[T_ODT] = "OpenDocument text (ODT)",
	[T_ZIP] = "ZIP archive",
	[T_GZIP] = "gzip-compressed file",
	[T_BZIP2] = "bzip2-compressed file",
	[T_XZ] = "xz-compressed file",
	[T_ZSTD] = "Zstandard-compressed file",
	[T_7Z] = "7-Zip archive",
	[T_TAR] = "tar archive",
	[T_ISO] = "disc image (ISO)",
	[T_RTF] = "rich text document (RTF)",
	[T_HEIC] = "HEIC/HEIF image",
	[T_AVIF] = "AVIF image",
};

static const struct magic {
	enum doc_type type;
	size_t offset, len;
	const char *bytes;
} magics[] = {
	{ T_JPEG, 0, 3, "\xFF\xD8\xFF" },
	{ T_PNG, 0, 8, "\x89PNG\r\n\x1A\n" },
	{ T_GIF, 0, 6, "GIF87a" },
	{ T_GIF, 0, 6, "GIF89a" },
	{ T_TIFF, 0, 4, "II*\0" },
	{ T_TIFF, 0, 4, "MM\0*" },
	{ T_ZIP, 0, 4, "PK\3\4" },
	{ T_ZIP, 0, 4, "PK\5\6" }, /* empty archive */
	{ T_GZIP, 0, 2, "\x1F\x8B" },
	{ T_XZ, 0, 6, "\xFD" "7zXZ\0" },
	{ T_ZSTD, 0, 4, "\x28\xB5\x2F\xFD" },
	{ T_7Z, 0, 6, "7z\xBC\xAF\x27\x1C" },
	{ T_RTF, 0, 5, "{\\rtf" },
	{ T_TAR, 257, 5, "ustar" },
	{ T_ISO, SNIFF_ISO_OFFSET, 5, "CD001" },
	{ T_ISO, SNIFF_ISO_OFFSET, 5, "BEA01" }, /* UDF without an ISO 9660 bridge */
};

/* Root elements that make a markup document a web page rather than XML. */
static const char *const html_tags[] = {
	"html", "head", "body", "script", "title", "meta", "link", "style", "div",
	"table", "form", "iframe", "noscript", "p", "span", "center", "br", "h1",
};

/* ---- byte helpers ---- */

static int has_at(const unsigned char *p, size_t n, size_t off, const char *s, size_t len)
{
	return off <= n && len <= n - off && memcmp(p + off, s, len) == 0;
}

/* glibc's memmem skips ahead (two-way, SIMD for short needles): the byte loop it replaces was
 * 43% of sniffing 100,000 small files, most of it looking for /FlateDecode. */
static int contains(const unsigned char *p, size_t n, const char *needle)
{
	size_t len = strlen(needle);
	if (p == NULL || len > n)
		return 0;
	return memmem(p, n, needle, len) != NULL;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* p[0..n) starts with the lowercase word s, in any case. */
static int starts_nocase(const unsigned char *p, size_t n, const char *s)
{
	size_t len = strlen(s);
	if (len > n)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (lower(p[i]) != s[i])
			return 0;
	return 1;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_' || c == ':' || c == '.';
}

static size_t skip_space(const unsigned char *p, size_t n, size_t i)
{
	while (i < n && is_space(p[i]))
		i++;
	return i;
}

/* Index just past the first occurrence of end at or after i, or n. */
static size_t skip_past(const unsigned char *p, size_t n, size_t i, const char *end)
{
	size_t len = strlen(end);
	for (; i + len <= n; i++)
		if (memcmp(p + i, end, len) == 0)
			return i + len;
	return n;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- ZIP-based office documents ---- */

struct zip_names {
	int content_types, word, other_office;
};

static void note_zip_name(struct zip_names *z, const unsigned char *name, size_t len)
{
	if (len == 19 && memcmp(name, "[Content_Types].xml", 19) == 0)
		z->content_types = 1;
	else if (has_at(name, len, 0, "word/", 5))
		z->word = 1;
	else if (has_at(name, len, 0, "xl/", 3) || has_at(name, len, 0, "ppt/", 4))
		z->other_office = 1;
}

/* Entry names after every signature sig in p: local headers in the head (name at +30, its
 * length at +26), central directory entries in the tail (name at +46, length at +28). */
static void scan_zip_names(struct zip_names *z, const unsigned char *p, size_t n, const char *sig,
			   size_t len_at, size_t name_at)
{
	if (p == NULL || n < name_at)
		return;
	for (size_t i = 0; i + name_at <= n; i++) {
		size_t len;
		if (memcmp(p + i, sig, 4) != 0)
			continue;
		len = le16(p + i + len_at);
		if (len <= n - i - name_at)
			note_zip_name(z, p + i + name_at, len);
	}
}

/* ODF puts an uncompressed "mimetype" entry first so that it can be read at a fixed place. */
static int is_odt(const unsigned char *head, size_t n)
{
	static const char odt[] = "application/vnd.oasis.opendocument.text";
	size_t data;
	if (n < 30 || le16(head + 26) != 8 || !has_at(head, n, 30, "mimetype", 8))
		return 0;
	data = 38 + (size_t)le16(head + 28);
	return has_at(head, n, data, odt, sizeof odt - 1);
}

static enum doc_type zip_kind(const unsigned char *head, size_t head_len, const unsigned char *tail,
			      size_t tail_len)
{
	struct zip_names z = { 0 };
	if (is_odt(head, head_len))
		return T_ODT;
	scan_zip_names(&z, head, head_len, "PK\3\4", 26, 30);
	scan_zip_names(&z, tail, tail_len, "PK\1\2", 28, 46);
	if (z.word || (z.content_types && !z.other_office))
		return T_DOCX;
	return T_ZIP;
}

/* ---- binary signatures ---- */

/* HEIF and AVIF: an ISO base media "ftyp" box first, whose major or compatible brands name
 * a HEIF image (not a video: MP4 and QuickTime brands are left unknown). */
static enum doc_type ftyp_type(const unsigned char *head, size_t n)
{
	static const char heif[][5] = { "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs",
					"mif1", "msf1" };
	int is_heif = 0, is_avif = 0;
	if (n < 16 || memcmp(head + 4, "ftyp", 4) != 0)
		return T_UNKNOWN;
	size_t box = (size_t)head[0] << 24 | (size_t)head[1] << 16 | (size_t)head[2] << 8 | head[3];
	if (box < 16 || box > 4096)
		return T_UNKNOWN;
	if (box > n)
		box = n;
	for (size_t off = 8; off + 4 <= box; off += off == 8 ? 8 : 4) { /* major, then compatible */
		const unsigned char *b = head + off;
		if (memcmp(b, "avif", 4) == 0 || memcmp(b, "avis", 4) == 0)
			is_avif = 1;
		for (size_t i = 0; i < sizeof heif / sizeof heif[0]; i++)
			if (memcmp(b, heif[i], 4) == 0)
				is_heif = 1;
	}
	return is_avif ? T_AVIF : is_heif ? T_HEIC : T_UNKNOWN;
}

static enum doc_type magic_type(const unsigned char *head, size_t n)
{
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		const struct magic *m = &magics[i];
		if (has_at(head, n, m->offset, m->bytes, m->len))
			return m->type;
	}
	if (has_at(head, n, 0, "BZh", 3) && n > 3 && head[3] >= '1' && head[3] <= '9')
		return T_BZIP2;
	return ftyp_type(head, n);
}

static void sniff_dicom(const unsigned char *head, size_t n, struct sniff_result *out)
{
	struct dicom_info info;
	enum dicom_status st = dicom_read(head, n, &info);
	if (st == DICOM_NOT_DICOM || (st == DICOM_MALFORMED && !dicom_has_magic(head, n)))
		return;
	out->type = info.is_dicomdir ? T_DICOMDIR : T_DICOM;
	out->dicom_compressed = info.compressed;
}

static void sniff_pdf(const unsigned char *head, size_t head_len, const unsigned char *tail,
		      size_t tail_len, uint64_t size, struct sniff_result *out)
{
	size_t n = head_len < PDF_SEARCH ? head_len : PDF_SEARCH;
	if (!contains(head, n, "%PDF-"))
		return;
	out->type = T_PDF;
	out->pdf_has_eof = contains(tail, tail_len, "%%EOF") ||
			   (size <= head_len && contains(head, head_len, "%%EOF"));
	out->pdf_compressed = contains(head, head_len, "/FlateDecode") ||
			      contains(head, head_len, "/DCTDecode") ||
			      contains(head, head_len, "/JPXDecode");
}

/* ---- text ---- */

static int is_control(unsigned char c)
{
	return (c < 0x20 && !is_space(c) && c != 0x1B) || c == 0x7F;
}

/* Length of the UTF-8 sequence at p[0..n): 0 when invalid, n+1 when cut short by the end. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] < 0xC2 ? 0 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : p[0] < 0xF5 ? 4 : 0;
	for (size_t i = 1; i < len; i++) {
		if (i == n)
			return n + 1;
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	}
	return len;
}

/* No NUL, at most 1% control characters, and UTF-8 (or a legacy 8-bit text with at most 10% bytes
 * that are not UTF-8). cut: the buffer is a prefix of a longer file. */
static int is_text(const unsigned char *p, size_t n, int cut)
{
	size_t controls = 0, invalid = 0;
	for (size_t i = 0; i < n;) {
		size_t len;
		if (p[i] == 0)
			return 0;
		if (is_control(p[i]))
			controls++;
		len = utf8_len(p + i, n - i);
		if (len > n - i) {
			if (!cut)
				invalid++;
			break;
		}
		if (len == 0) {
			invalid++;
			len = 1;
		}
		i += len;
	}
	return controls * 100 <= n && invalid * 10 <= n;
}

/* After whitespace, comments, processing instructions and a non-HTML DOCTYPE: the index of the
 * first element, or n. Sets *html for <!DOCTYPE html and *xml_decl for <?xml. */
static size_t skip_prolog(const unsigned char *p, size_t n, int *html, int *xml_decl)
{
	size_t i = skip_space(p, n, 0);
	while (i < n && p[i] == '<') {
		if (has_at(p, n, i, "<!--", 4)) {
			i = skip_past(p, n, i + 4, "-->");
		} else if (has_at(p, n, i, "<?", 2)) {
			*xml_decl |= starts_nocase(p + i, n - i, "<?xml");
			i = skip_past(p, n, i + 2, "?>");
		} else if (starts_nocase(p + i, n - i, "<!doctype")) {
			size_t j = skip_space(p, n, i + 9);
			if (starts_nocase(p + j, n - j, "html") && (j + 4 == n || !is_name_char(p[j + 4]))) {
				*html = 1;
				return i;
			}
			i = skip_past(p, n, i, ">");
		} else {
			break;
		}
		i = skip_space(p, n, i);
	}
	return i;
}

static int is_html_tag(const unsigned char *name, size_t len)
{
	for (size_t i = 0; i < sizeof html_tags / sizeof html_tags[0]; i++)
		if (strlen(html_tags[i]) == len && starts_nocase(name, len, html_tags[i]))
			return 1;
	return 0;
}

/* HTML, XML or T_UNKNOWN from the first element (or the DOCTYPE). */
static enum doc_type markup_type(const unsigned char *p, size_t n)
{
	int html = 0, xml_decl = 0;
	size_t i = skip_prolog(p, n, &html, &xml_decl), start;
	if (html)
		return T_HTML;
	if (i + 1 < n && p[i] == '<' && is_name_char(p[i + 1]) && p[i + 1] != '-' && p[i + 1] != '.' &&
	    !(p[i + 1] >= '0' && p[i + 1] <= '9')) {
		start = ++i;
		while (i < n && is_name_char(p[i]))
			i++;
		return is_html_tag(p + start, i - start) ? T_HTML : T_XML;
	}
	return xml_decl ? T_XML : T_UNKNOWN;
}

static void sniff_text(const unsigned char *p, size_t n, int cut, struct sniff_result *out)
{
	size_t first = skip_space(p, n, 0);
	if (!is_text(p, n, cut))
		return;
	out->type = markup_type(p, n);
	if (out->type == T_XML)
		out->is_ccda = contains(p, n, "ClinicalDocument");
	else if (out->type == T_UNKNOWN && first < n && (p[first] == '{' || p[first] == '['))
		out->type = T_JSON;
	if (out->type == T_JSON)
		out->is_fhir = contains(p, n, "\"resourceType\"");
	else if (out->type == T_UNKNOWN)
		out->type = T_TEXT;
}

/* UTF-16 text with a byte order mark, reduced to ASCII ('?' for the rest) so that the same
 * checks apply; a NUL code unit stays NUL and so fails the text test. Returns the length. */
static size_t narrow_utf16(const unsigned char *p, size_t n, int big_endian, unsigned char *dst)
{
	size_t k = 0;
	for (size_t i = 2; i + 1 < n && k < NARROW_MAX; i += 2) {
		unsigned u = big_endian ? (unsigned)(p[i] << 8 | p[i + 1]) : (unsigned)(p[i] | p[i + 1] << 8);
		dst[k++] = u < 0x80 ? (unsigned char)u : '?';
	}
	return k;
}

static void sniff_text_encoded(const unsigned char *head, size_t n, int cut, struct sniff_result *out)
{
	unsigned char narrow[NARROW_MAX];
	int le = has_at(head, n, 0, "\xFF\xFE", 2), be = has_at(head, n, 0, "\xFE\xFF", 2);
	if (le || be) {
		size_t k = narrow_utf16(head, n, be, narrow);
		sniff_text(narrow, k, cut || k == NARROW_MAX, out);
	} else if (has_at(head, n, 0, "\xEF\xBB\xBF", 3)) {
		sniff_text(head + 3, n - 3, cut, out);
	} else {
		sniff_text(head, n, cut, out);
	}
}

void sniff(const unsigned char *head, size_t head_len, const unsigned char *tail, size_t tail_len,
	   uint64_t size, struct sniff_result *out)
{
	memset(out, 0, sizeof *out);
	if (size == 0) {
		out->type = T_EMPTY;
		return;
	}
	if (head == NULL || head_len == 0)
		return;
	if (tail == NULL)
		tail_len = 0;
	if (dicom_has_magic(head, head_len)) {
		sniff_dicom(head, head_len, out);
		return;
	}
	out->type = magic_type(head, head_len);
	if (out->type == T_ZIP)
		out->type = zip_kind(head, head_len, tail, tail_len);
	if (out->type == T_UNKNOWN)
		sniff_pdf(head, head_len, tail, tail_len, size, out);
	if (out->type == T_UNKNOWN)
		sniff_dicom(head, head_len, out);
	if (out->type == T_UNKNOWN)
		sniff_text_encoded(head, head_len, head_len < size, out);
}

const char *doc_type_name(enum doc_type t)
{
	return (unsigned)t < T_TYPE_COUNT ? names[t] : names[T_UNKNOWN];
}

enum doc_type doc_type_from_name(const char *name)
{
	if (name == NULL)
		return T_TYPE_COUNT;
	for (int t = 0; t < T_TYPE_COUNT; t++)
		if (strlen(names[t]) == strlen(name) &&
		    starts_nocase((const unsigned char *)name, strlen(name), names[t]))
			return (enum doc_type)t;
	return T_TYPE_COUNT;
}

const char *doc_type_label(enum doc_type t)
{
	return (unsigned)t < T_TYPE_COUNT ? labels[t] : labels[T_UNKNOWN];
}

int doc_type_is_archive(enum doc_type t)
{
	switch (t) {
	case T_ZIP: case T_GZIP: case T_BZIP2: case T_XZ: case T_ZSTD: case T_7Z: case T_TAR: case T_ISO:
		return 1;
	default:
		return 0;
	}
}

int doc_type_is_compressed(enum doc_type t)
{
	switch (t) {
	case T_JPEG: case T_PNG: case T_GIF: case T_ZIP: case T_DOCX: case T_ODT: case T_GZIP:
	case T_BZIP2: case T_XZ: case T_ZSTD: case T_7Z: case T_HEIC: case T_AVIF:
		return 1;
	default:
		return 0;
	}
}
