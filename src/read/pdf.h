/* pdf.h: a PDF's text to facts, with poppler-glib: the text of its first PDF_PAGES_MAX pages
 * (at most TEXTFACTS_SCAN_MAX bytes) handed to textfacts. pdf.c reads only the bytes it is
 * handed (no copy), silences poppler's and glib's messages, and prints nothing.
 *
 * Bound: the title, date and patient labels of a report are in the header of its first page;
 * three pages also cover a fax or portal cover sheet before it, and 64 KiB of text is what
 * textfacts reads. Later pages are never laid out, so a 500-page PDF costs what 3 pages cost.
 *
 * Isolation: poppler is a large C++ parser fed bytes a stranger controls; a crash, a runaway
 * loop or a huge allocation in it must not take recpack (and a half-written packet) down.
 * So recpack runs it in helper processes: the program installs pdf_isolate (cli/readchild.c)
 * which hands the bytes over a socket to a child started by posix_spawn of recpack itself (a
 * fresh exec: fork() without exec in a threaded process may deadlock in glib or malloc) under
 * RLIMIT_AS, RLIMIT_CPU and a per-document alarm. Children are kept and reused, so a folder
 * of PDFs costs one exec per worker thread, not one per file (pdftotext in a loop pays one
 * per file). Measured on 200 one-page text PDFs, 2 threads, 2 busy cores: 1.6-2.9 s through
 * the helpers, 1.0 s in-process, 26-28 s for `pdftotext -l 3` in a loop. Without that hook (unit tests, fuzzing) pdf_read runs poppler in-process. */
#ifndef PDF_H
#define PDF_H

#include <stddef.h>

#include "read/facts.h"

#define PDF_PAGES_MAX 3

/* Returns 0 with out filled when buf is a PDF: FACTS_READ; FACTS_IMAGE_ONLY when its first
 * pages hold no text (a scan); FACTS_ENCRYPTED (needs a password to open); FACTS_DAMAGED with
 * out->error. Returns 1 when buf is not a PDF (no "%PDF-" in its first 1024 bytes). */
int pdf_read(const unsigned char *buf, size_t len, struct doc_facts *out);

/* The same, always in this process. What the helper child calls. */
int pdf_read_here(const unsigned char *buf, size_t len, struct doc_facts *out);

/* Where pdf_read sends the work: NULL for in-process. Set once, before any thread reads. */
extern int (*pdf_isolate)(const unsigned char *buf, size_t len, struct doc_facts *out);

/* Leave facts that came from another process safe to use: every string NUL-terminated inside
 * its array, counts and enums in range. */
void pdf_facts_sanitise(struct doc_facts *f);

#endif
