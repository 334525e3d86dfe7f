/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sniff.c: content type sniffing on hand-built heads and tails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "read/sniff.h"

/* Sniffs a whole small file given as bytes: head is all of it, tail its last SNIFF_TAIL bytes. */
static struct sniff_result sniff_bytes(const void *p, size_t n)
{
	struct sniff_result r;
	size_t tail = n < SNIFF_TAIL ? n : SNIFF_TAIL;
	sniff(p, n, (const unsigned char *)p + n - tail, tail, n, &r);
	return r;
}

static enum doc_type type_of(const void *p, size_t n)
{
	return sniff_bytes(p, n).type;
}

/* String literal without its terminating NUL. */
#define S(lit) lit, sizeof(lit) - 1

static void test_empty(void **state)
{
	struct sniff_result r;
	(void)state;
	sniff(NULL, 0, NULL, 0, 0, &r);
	assert_int_equal(r.type, T_EMPTY);
	sniff(NULL, 0, NULL, 0, 10, &r); /* size without bytes: nothing to judge */
	assert_int_equal(r.type, T_UNKNOWN);
}

static void test_image_magics(void **state)
{
	(void)state;
	assert_int_equal(type_of(S("\xFF\xD8\xFF\xE0\0\x10JFIF\0")), T_JPEG);
	assert_int_equal(type_of(S("\x89PNG\r\n\x1A\n\0\0\0\rIHDR")), T_PNG);
	assert_int_equal(type_of(S("GIF89a\1\0\1\0")), T_GIF);
	assert_int_equal(type_of(S("GIF87a\1\0\1\0")), T_GIF);
	assert_int_equal(type_of(S("II*\0\x08\0\0\0")), T_TIFF);
	assert_int_equal(type_of(S("MM\0*\0\0\0\x08")), T_TIFF);
}

/* HEIF and AVIF by their ftyp box (ISO/IEC 23008-12): what libheif writes, an iPhone's mif1
 * major brand, and MP4/QuickTime boxes that must stay unknown. */
static void test_heif_avif(void **state)
{
	(void)state;
	assert_int_equal(type_of(S("\0\0\0\x1C" "ftypheic\0\0\0\0mif1heicmiaf\0\0\1\xAAmeta")), T_HEIC);
	assert_int_equal(type_of(S("\0\0\0\x18" "ftypmif1\0\0\0\0mif1heic\0\0\0\0")), T_HEIC);
	assert_int_equal(type_of(S("\0\0\0\x10" "ftypmsf1\0\0\0\0\0\0\0\0")), T_HEIC);
	assert_int_equal(type_of(S("\0\0\0\x1C" "ftypavif\0\0\0\0avifmif1miaf\0\0\0\xEAmeta")), T_AVIF);
	assert_int_equal(type_of(S("\0\0\0\x18" "ftypmif1\0\0\0\0mif1avis\0\0\0\0")), T_AVIF);
	assert_int_equal(type_of(S("\0\0\0\x18" "ftypisom\0\0\2\0isomiso2\0\0\0\0")), T_UNKNOWN);
	assert_int_equal(type_of(S("\0\0\0\x14" "ftypqt  \0\0\2\0qt  \0\0\0\0")), T_UNKNOWN);
	/* a brand past the box's own size does not count */
	assert_int_equal(type_of(S("\0\0\0\x10" "ftypisom\0\0\0\0heic\0\0\0\0")), T_UNKNOWN);
	assert_string_equal(doc_type_name(T_HEIC), "heic");
	assert_int_equal(doc_type_from_name("avif"), T_AVIF);
}

static void test_compressed_magics(void **state)
{
	(void)state;
	assert_int_equal(type_of(S("\x1F\x8B\x08\0\0\0\0\0\0\x03")), T_GZIP);
	assert_int_equal(type_of(S("BZh91AY&SY")), T_BZIP2);
	assert_int_equal(type_of(S("BZh is not bzip2")), T_TEXT);
	assert_int_equal(type_of(S("\xFD" "7zXZ\0\0\x04\xE6\xD6\xB4\x46")), T_XZ);
	assert_int_equal(type_of(S("\x28\xB5\x2F\xFD\x04\x58\x01\0")), T_ZSTD);
	assert_int_equal(type_of(S("7z\xBC\xAF\x27\x1C\0\x04")), T_7Z);
	assert_int_equal(type_of(S("PK\5\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")), T_ZIP);
}

static void test_tar(void **state)
{
	unsigned char b[1024] = "report.pdf";
	(void)state;
	memcpy(b + 257, "ustar\0" "00", 8);
	assert_int_equal(type_of(b, sizeof b), T_TAR);
	memcpy(b + 257, "ustar  \0", 8); /* GNU tar */
	assert_int_equal(type_of(b, sizeof b), T_TAR);
	memcpy(b + 257, "xstar", 5);
	assert_int_not_equal(type_of(b, sizeof b), T_TAR);
}

static void test_iso(void **state)
{
	static unsigned char b[SNIFF_HEAD];
	(void)state;
	memcpy(b + SNIFF_ISO_OFFSET - 1, "\1CD001\1", 7);
	assert_int_equal(type_of(b, sizeof b), T_ISO);
	/* a head that stops short of the volume descriptor cannot tell */
	assert_int_not_equal(type_of(b, SNIFF_ISO_OFFSET + 4), T_ISO);
	memcpy(b + SNIFF_ISO_OFFSET - 1, "\0BEA01\1", 7);
	assert_int_equal(type_of(b, sizeof b), T_ISO);
}

static void test_rtf(void **state)
{
	struct sniff_result r;
	(void)state;
	r = sniff_bytes(S("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}"));
	assert_int_equal(r.type, T_RTF);
}

/* ---- PDF ---- */

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

static void test_pdf(void **state)
{
	struct sniff_result r;
	(void)state;
	r = sniff_bytes(S(pdf));
	assert_int_equal(r.type, T_PDF);
	assert_true(r.pdf_has_eof);
	assert_false(r.pdf_compressed);
}

static void test_pdf_truncated(void **state)
{
	struct sniff_result r;
	(void)state;
	r = sniff_bytes(pdf, sizeof pdf - 1 - 7); /* download cut before %%EOF */
	assert_int_equal(r.type, T_PDF);
	assert_false(r.pdf_has_eof);
}

static void test_pdf_eof_in_tail_only(void **state)
{
	static unsigned char file[SNIFF_HEAD + 4096];
	struct sniff_result r;
	(void)state;
	memset(file, ' ', sizeof file);
	memcpy(file, "%PDF-1.7\n", 9);
	memcpy(file + sizeof file - 6, "%%EOF\n", 6);
	sniff(file, SNIFF_HEAD, file + sizeof file - SNIFF_TAIL, SNIFF_TAIL, sizeof file, &r);
	assert_int_equal(r.type, T_PDF);
	assert_true(r.pdf_has_eof);
	/* %%EOF in the head of a large file says nothing about its end */
	memcpy(file + 100, "%%EOF\n", 6);
	memset(file + sizeof file - 6, ' ', 6);
	sniff(file, SNIFF_HEAD, file + sizeof file - SNIFF_TAIL, SNIFF_TAIL, sizeof file, &r);
	assert_false(r.pdf_has_eof);
	sniff(file, SNIFF_HEAD, NULL, 0, sizeof file, &r);
	assert_false(r.pdf_has_eof);
	/* a small file with no tail given: its head is all of it */
	sniff((const unsigned char *)pdf, sizeof pdf - 1, NULL, 0, sizeof pdf - 1, &r);
	assert_true(r.pdf_has_eof);
}

static void test_pdf_compressed(void **state)
{
	struct sniff_result r;
	(void)state;
	r = sniff_bytes(S("%PDF-1.5\n4 0 obj << /Length 10 /Filter /FlateDecode >> stream\nxx\nendstream\n%%EOF"));
	assert_true(r.pdf_compressed);
	r = sniff_bytes(S("%PDF-1.5\n4 0 obj << /Subtype /Image /Filter /DCTDecode >> stream\n%%EOF"));
	assert_true(r.pdf_compressed);
}

static void test_pdf_after_junk(void **state)
{
	char b[2048];
	(void)state;
	memset(b, 'x', sizeof b);
	memcpy(b + 500, "%PDF-1.4", 8);
	assert_int_equal(type_of(b, sizeof b), T_PDF);
	memset(b + 500, 'x', 8);
	memcpy(b + 1500, "%PDF-1.4", 8); /* too far in to be a PDF header */
	assert_int_equal(type_of(b, sizeof b), T_TEXT);
}

/* ---- DICOM ---- */

static size_t dicom_head(unsigned char *b, const char *media_class, const char *ts)
{
	size_t n = 132, len;
	memset(b, 0, 132);
	memcpy(b + 128, "DICM", 4);
	len = strlen(media_class) + strlen(media_class) % 2;
	memcpy(b + n, "\2\0\2\0UI", 6);
	b[n + 6] = (unsigned char)len, b[n + 7] = 0;
	memset(b + n + 8, 0, len);
	memcpy(b + n + 8, media_class, strlen(media_class));
	n += 8 + len;
	len = strlen(ts) + strlen(ts) % 2;
	memcpy(b + n, "\2\0\x10\0UI", 6);
	b[n + 6] = (unsigned char)len, b[n + 7] = 0;
	memset(b + n + 8, 0, len);
	memcpy(b + n + 8, ts, strlen(ts));
	n += 8 + len;
	memcpy(b + n, "\x10\0\x10\0PN\x08\0DOE^JANE", 16);
	return n + 16;
}

static void test_dicom(void **state)
{
	unsigned char b[512];
	struct sniff_result r;
	size_t n;
	(void)state;
	n = dicom_head(b, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1");
	r = sniff_bytes(b, n);
	assert_int_equal(r.type, T_DICOM);
	assert_false(r.dicom_compressed);
	n = dicom_head(b, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.4.70");
	r = sniff_bytes(b, n);
	assert_int_equal(r.type, T_DICOM);
	assert_true(r.dicom_compressed);
	n = dicom_head(b, "1.2.840.10008.1.3.10", "1.2.840.10008.1.2.1");
	assert_int_equal(type_of(b, n), T_DICOMDIR);
	/* a TIFF preamble (dual-personality file) is still DICOM */
	memcpy(b, "II*\0", 4);
	assert_int_equal(type_of(b, n), T_DICOMDIR);
	/* a head cut inside the header is still DICOM */
	n = dicom_head(b, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1");
	assert_int_equal(type_of(b, 140), T_DICOM);
}

/* ---- ZIP family ---- */

/* A local file header for name, with no data. */
static size_t zip_entry(unsigned char *b, const char *name, const char *data)
{
	size_t len = strlen(name), dlen = strlen(data);
	memset(b, 0, 30);
	memcpy(b, "PK\3\4\x14\0", 6);
	b[18] = b[22] = (unsigned char)dlen;
	b[26] = (unsigned char)len;
	memcpy(b + 30, name, len);
	memcpy(b + 30 + len, data, dlen);
	return 30 + len + dlen;
}

static void test_docx(void **state)
{
	unsigned char b[1024];
	size_t n;
	(void)state;
	n = zip_entry(b, "[Content_Types].xml", "\x8d\x52\xcb\x6e\xc2\x30");
	assert_int_equal(type_of(b, n), T_DOCX);
	n = zip_entry(b, "_rels/.rels", "\x01\x02");
	n += zip_entry(b + n, "word/document.xml", "\x03\x04");
	assert_int_equal(type_of(b, n), T_DOCX);
	/* a spreadsheet is an office ZIP, but not a Word document */
	n = zip_entry(b, "[Content_Types].xml", "\x01");
	n += zip_entry(b + n, "xl/workbook.xml", "\x01");
	assert_int_equal(type_of(b, n), T_ZIP);
}

static void test_docx_from_central_directory(void **state)
{
	static unsigned char file[SNIFF_HEAD + 2048];
	unsigned char *cd = file + sizeof file - 200;
	struct sniff_result r;
	(void)state;
	zip_entry(file, "a.bin", "");
	memcpy(cd, "PK\1\2", 4);
	cd[28] = 17;
	memcpy(cd + 46, "word/document.xml", 17);
	sniff(file, SNIFF_HEAD, file + sizeof file - SNIFF_TAIL, SNIFF_TAIL, sizeof file, &r);
	assert_int_equal(r.type, T_DOCX);
	sniff(file, SNIFF_HEAD, NULL, 0, sizeof file, &r);
	assert_int_equal(r.type, T_ZIP);
}

static void test_odt(void **state)
{
	unsigned char b[512];
	size_t n;
	(void)state;
	n = zip_entry(b, "mimetype", "application/vnd.oasis.opendocument.text");
	assert_int_equal(type_of(b, n), T_ODT);
	n = zip_entry(b, "mimetype", "application/vnd.oasis.opendocument.spreadsheet");
	assert_int_equal(type_of(b, n), T_ZIP);
}

static void test_plain_zip(void **state)
{
	unsigned char b[512];
	size_t n;
	(void)state;
	n = zip_entry(b, "IMG0001.dcm", "\x01\x02\x03");
	n += zip_entry(b + n, "report.pdf", "\x04");
	assert_int_equal(type_of(b, n), T_ZIP);
}

/* ---- text family ---- */

static void test_html_login_page(void **state)
{
	static const char page[] =
		"\xEF\xBB\xBF\r\n<!-- saved from url=(0044)https://portal.example.org/MyChart/Authentication/Login -->\n"
		"<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n"
		"<HTML><HEAD><TITLE>MyChart - Login Page</TITLE></HEAD>\n"
		"<BODY><form method=\"post\"><input name=\"Login\"></form></BODY></HTML>\n";
	(void)state;
	assert_int_equal(type_of(S(page)), T_HTML);
}

static void test_html_starts(void **state)
{
	static const char *const pages[] = {
		"<!doctype html><p>x",
		"<!DOCTYPE html>\n<app-root></app-root>", /* the DOCTYPE alone decides */
		"\n<!DOCTYPE html>",
		"  \n<html lang=\"en\">",
		"<head><title>Session expired</title></head>",
		"<BODY onload=\"x()\">",
		"<script>window.location='/login'</script>",
		"<title>Sign in</title>",
		"<meta http-equiv=\"refresh\" content=\"0; url=/login\">",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
		"<?xml version=\"1.0\" encoding=\"utf-8\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
	};
	(void)state;
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		if (type_of(pages[i], strlen(pages[i])) != T_HTML)
			fail_msg("not HTML: %s", pages[i]);
	}
}

static void test_xml(void **state)
{
	static const char ccda[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				   "<?xml-stylesheet type=\"text/xsl\" href=\"CDA.xsl\"?>\n"
				   "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><realmCode code=\"US\"/>";
	struct sniff_result r;
	(void)state;
	r = sniff_bytes(S(ccda));
	assert_int_equal(r.type, T_XML);
	assert_true(r.is_ccda);
	r = sniff_bytes(S("<?xml version=\"1.0\"?>\n<!-- export -->\n<labResults><result/></labResults>"));
	assert_int_equal(r.type, T_XML);
	assert_false(r.is_ccda);
	r = sniff_bytes(S("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>"));
	assert_int_equal(r.type, T_XML);
	assert_true(r.is_ccda);
	/* a HTML head name is not an XML element that merely starts the same */
	assert_int_equal(type_of(S("<headline>news</headline>")), T_XML);
}

static void test_json(void **state)
{
	struct sniff_result r;
	(void)state;
	r = sniff_bytes(S("\n  {\"resourceType\": \"Bundle\", \"type\": \"collection\"}"));
	assert_int_equal(r.type, T_JSON);
	assert_true(r.is_fhir);
	r = sniff_bytes(S("[{\"a\": 1}]"));
	assert_int_equal(r.type, T_JSON);
	assert_false(r.is_fhir);
}

static void test_text(void **state)
{
	struct sniff_result r;
	(void)state;
	assert_int_equal(type_of(S("Patient: Jane Doe\nDiagnosis: none\n")), T_TEXT);
	assert_int_equal(type_of(S("Befund: Knöchel – unauffällig. 日本語\n")), T_TEXT);
	/* a multibyte character cut by the end of the head of a longer file */
	r.type = T_UNKNOWN;
	sniff((const unsigned char *)"abc \xE6\x97", 6, NULL, 0, 1000, &r);
	assert_int_equal(r.type, T_TEXT);
	/* Windows-1252 text with a few accented letters */
	assert_int_equal(type_of(S("Caf\xE9 au lait, r\xE9sum\xE9 of the visit on Monday morning.\n")), T_TEXT);
	/* UTF-16 LE with a byte order mark */
	assert_int_equal(type_of(S("\xFF\xFEH\0i\0 \0t\0h\0e\0r\0e\0\n\0")), T_TEXT);
	assert_int_equal(type_of(S("\xFF\xFE<\0?\0x\0m\0l\0 \0?\0>\0<\0a\0/\0>\0")), T_XML);
}

static void test_binary(void **state)
{
	unsigned char b[2048];
	uint32_t x = 12345;
	(void)state;
	for (size_t i = 0; i < sizeof b; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	b[0] = 'Q';
	assert_int_equal(type_of(b, sizeof b), T_UNKNOWN);
	/* no NUL but full of control characters */
	for (size_t i = 0; i < sizeof b; i++)
		b[i] = (unsigned char)(1 + i % 31);
	assert_int_equal(type_of(b, sizeof b), T_UNKNOWN);
	/* text with one NUL is not text, however long */
	memset(b, 'a', sizeof b);
	b[1000] = '\0';
	assert_int_equal(type_of(b, sizeof b), T_UNKNOWN);
	/* a whole file that ends inside a UTF-8 sequence is not valid UTF-8 */
	assert_int_equal(type_of(S("abc \xE6\x97")), T_UNKNOWN);
	/* a JSON or HTML opening does not make binary a document */
	assert_int_equal(type_of(S("{\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\0\0")), T_UNKNOWN);
	assert_int_equal(type_of(S("<html>\0\0\0\0\x01\x02")), T_UNKNOWN);
}

/* Every prefix of every sample: no crash, no read outside the given bytes (under ASan). */
static void test_every_prefix(void **state)
{
	static const char *const samples[] = {
		pdf,
		"<!-- x --><!DOCTYPE html><html>",
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><ClinicalDocument/>",
		"{\"resourceType\":\"Patient\"}",
		"Caf\xC3\xA9 \xE6\x97\xA5\xF0\x9F\x98\x80",
		"\xFF\xFEH\0i\0",
	};
	unsigned char zip[256], dcm[512];
	size_t zn = zip_entry(zip, "mimetype", "application/vnd.oasis.opendocument.text");
	size_t dn = dicom_head(dcm, "1.2.840.10008.1.3.10", "1.2.840.10008.1.2");
	struct sniff_result r;
	(void)state;
	for (size_t s = 0; s < sizeof samples / sizeof samples[0] + 2; s++) {
		const unsigned char *p = s == 0 ? zip : s == 1 ? dcm : (const unsigned char *)samples[s - 2];
		size_t n = s == 0 ? zn : s == 1 ? dn : strlen(samples[s - 2]);
		if (s == 7)
			n = 6; /* the UTF-16 sample holds NULs */
		for (size_t len = 1; len <= n; len++) {
			unsigned char *copy = malloc(len);
			size_t tail = len < 8 ? len : 8;
			assert_non_null(copy);
			memcpy(copy, p, len);
			sniff(copy, len, copy + len - tail, tail, len, &r);
			assert_true(r.type != T_EMPTY && r.type < T_TYPE_COUNT);
			sniff(copy, len, NULL, 0, len + 100, &r);
			free(copy);
		}
	}
}

/* ---- names and properties ---- */

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int t = 0; t < T_TYPE_COUNT; t++) {
		const char *name = doc_type_name((enum doc_type)t);
		assert_non_null(name);
		assert_int_equal(doc_type_from_name(name), t);
		assert_non_null(doc_type_label((enum doc_type)t));
		assert_true(strlen(doc_type_label((enum doc_type)t)) > 3);
		for (int u = 0; u < t; u++)
			assert_string_not_equal(name, doc_type_name((enum doc_type)u));
	}
	assert_string_equal(doc_type_name(T_DICOMDIR), "dicomdir");
	assert_string_equal(doc_type_name(T_7Z), "7z");
	assert_string_equal(doc_type_name(T_ISO), "iso");
	assert_int_equal(doc_type_from_name("PDF"), T_PDF);
	assert_int_equal(doc_type_from_name("pdfx"), T_TYPE_COUNT);
	assert_int_equal(doc_type_from_name(""), T_TYPE_COUNT);
	assert_int_equal(doc_type_from_name(NULL), T_TYPE_COUNT);
	assert_string_equal(doc_type_name(T_TYPE_COUNT), "unknown");
	assert_string_equal(doc_type_label(T_PDF), "PDF document");
	assert_string_equal(doc_type_label(T_DICOM), "DICOM image");
	assert_string_equal(doc_type_label(T_DICOMDIR), "DICOMDIR (disc index)");
	assert_string_equal(doc_type_label(T_HTML), "web page (HTML)");
}

static void test_archive_and_compressed(void **state)
{
	static const enum doc_type archives[] = { T_ZIP, T_GZIP, T_BZIP2, T_XZ, T_ZSTD, T_7Z, T_TAR, T_ISO };
	static const enum doc_type compressed[] = { T_JPEG, T_PNG, T_GIF, T_ZIP, T_DOCX, T_ODT,
						    T_GZIP, T_BZIP2, T_XZ, T_ZSTD, T_7Z, T_HEIC, T_AVIF };
	int is_archive[T_TYPE_COUNT] = { 0 }, is_compressed[T_TYPE_COUNT] = { 0 };
	(void)state;
	for (size_t i = 0; i < sizeof archives / sizeof archives[0]; i++)
		is_archive[archives[i]] = 1;
	for (size_t i = 0; i < sizeof compressed / sizeof compressed[0]; i++)
		is_compressed[compressed[i]] = 1;
	for (int t = 0; t < T_TYPE_COUNT; t++) {
		assert_int_equal(!!doc_type_is_archive((enum doc_type)t), is_archive[t]);
		assert_int_equal(!!doc_type_is_compressed((enum doc_type)t), is_compressed[t]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_image_magics),
		cmocka_unit_test(test_heif_avif),
		cmocka_unit_test(test_compressed_magics),
		cmocka_unit_test(test_tar),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_rtf),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_pdf_truncated),
		cmocka_unit_test(test_pdf_eof_in_tail_only),
		cmocka_unit_test(test_pdf_compressed),
		cmocka_unit_test(test_pdf_after_junk),
		cmocka_unit_test(test_dicom),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_docx_from_central_directory),
		cmocka_unit_test(test_odt),
		cmocka_unit_test(test_plain_zip),
		cmocka_unit_test(test_html_login_page),
		cmocka_unit_test(test_html_starts),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_archive_and_compressed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
