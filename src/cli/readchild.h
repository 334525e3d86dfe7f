/* SPDX-License-Identifier: GPL-3.0-or-later */
/* readchild.h: the helper processes that read PDFs and scans for recpack (see read/pdf.h,
 * Isolation). The parent side (readchild.c) hands a document's bytes to an idle child over a
 * socket and takes its facts back; the child side (readchild_loop.c) is one of two helper
 * programs, started as `HELPER READCHILD_ARG`, which never print: recpack-read
 * (src/readhelper.c) reads PDFs' text with poppler; recpack-ocr (src/ocrhelper.c) reads
 * scanned PDFs, photos and faxes with Tesseract. Each has its own pool of children. */
#ifndef READCHILD_H
#define READCHILD_H

#include <stddef.h>
#include <stdint.h>

#include "read/facts.h"

#define READCHILD_ARG "--internal-read-child" /* argv[1] of a helper: not a user command */
#define READCHILD_SECONDS 20   /* CPU and wall time a child may spend on one document */
/* ... and on one read by OCR: three pages at 300 dpi take 2-6 s of one core on the bench
 * machine; the margin is for a loaded machine and the sanitizer build. */
#define READCHILD_OCR_SECONDS 60
/* Its address space (RLIMIT_AS). Enough for OCR too: a helper reading a letter page at 300 dpi
 * with Tesseract's English model peaks at 108 MB resident, a 34-million-pixel page (600 dpi)
 * at 194 MB (ru_maxrss, measured 2026-12-05); larger pages are refused (OCR_MAX_PIXELS). */
#define READCHILD_MEMORY (2048UL * 1024 * 1024)
#define READCHILD_IDLE 4       /* children kept for reuse (one per worker thread) */
#define READCHILD_MAX_BYTES (1024UL * 1024 * 1024) /* larger PDFs: text not read */
#define READCHILD_MAGIC 0x52504443u /* "RPDC" */

/* The helper programs' file names: beside recpack in the build tree, in RP_LIBEXECDIR once
 * installed. The sanitizer build has its own. */
#ifndef READCHILD_HELPER
#define READCHILD_HELPER "recpack-read"
#endif
#ifndef READCHILD_OCR_HELPER
#define READCHILD_OCR_HELPER "recpack-ocr"
#endif
#ifndef RP_LIBEXECDIR
#define RP_LIBEXECDIR "/usr/local/libexec/recpack"
#endif

/* What the parent sends before a document's bytes (both ends are built from this header). */
struct readchild_request {
	uint32_t magic, kind;
	uint64_t len;
};

/* Where the helper program name (READCHILD_HELPER or READCHILD_OCR_HELPER) is: 0 with its
 * path in buf, or -1 when it is missing. */
int readchild_find(const char *name, char *buf, size_t len);

/* Make the readers send PDFs to helper children started from pdf_exe, and scans and photos to
 * children started from ocr_exe (the helper programs, or a test's own binary whose main()
 * calls readchild_main for READCHILD_ARG). NULL: that helper is missing, and each document it
 * would read is reported unread with a message that says so. Call once, before threads
 * start. */
void readchild_install(const char *pdf_exe, const char *ocr_exe);

/* Start up to n PDF helper children (at most READCHILD_IDLE in all) now, so that their start
 * (loading poppler) overlaps the caller's own work before the first PDF. */
void readchild_start(int n);

/* A helper program's reader: fills out for one request of that kind. */
typedef void (*readchild_reader)(uint32_t kind, const unsigned char *buf, size_t len,
				 struct doc_facts *out);

/* The child's loop: requests on fd 0, facts on fd 1, until end of input, each read by
 * read_one. Returns the exit status. */
int readchild_main(readchild_reader read_one);

/* Kind of request: a PDF's text; the same and its pages read by OCR when they hold none (a
 * scan); an image file read by OCR. READ_CRASH exists so that tests can check a child's
 * death is survived. */
enum readchild_kind { READCHILD_PDF = 1, READCHILD_PDF_OCR, READCHILD_IMAGE, READCHILD_CRASH = 99 };

/* Whether scanned pages, photos and faxes are read by OCR (read/ocr.h): on unless --no-ocr.
 * Off, they are reported unread, saying so. Call before threads start. */
void readchild_ocr(int on);

/* Run one request in a child (what reader_pdf and reader_image point to). */
int readchild_request(enum readchild_kind kind, const unsigned char *buf, size_t len,
		      struct doc_facts *out);

#endif
