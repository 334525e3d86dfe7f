/* readchild.h: the helper processes that read PDFs for recpack (see read/pdf.h, Isolation).
 * The parent side hands a document's bytes to an idle child over a socket and takes its facts
 * back; the child side is recpack started as `recpack READCHILD_ARG`, which never prints. */
#ifndef READCHILD_H
#define READCHILD_H

#include <stddef.h>

#include "read/facts.h"

#define READCHILD_ARG "--internal-read-child" /* argv[1] of a helper: not a user command */
#define READCHILD_SECONDS 20   /* CPU and wall time a child may spend on one document */
#define READCHILD_MEMORY (2048UL * 1024 * 1024) /* its address space (RLIMIT_AS) */
#define READCHILD_IDLE 4       /* children kept for reuse (one per worker thread) */
#define READCHILD_MAX_BYTES (1024UL * 1024 * 1024) /* larger PDFs: text not read */

/* Make pdf_read use helper children started from exe (normally "/proc/self/exe", whose
 * main() must call readchild_main for READCHILD_ARG). Call once, before threads start. */
void readchild_install(const char *exe);

/* The child's loop: requests on fd 0, facts on fd 1, until end of input. Returns the exit
 * status. */
int readchild_main(void);

/* Kind of request; READ_CRASH exists so that tests can check a child's death is survived. */
enum readchild_kind { READCHILD_PDF = 1, READCHILD_CRASH = 99 };

/* Run one request in a child (what pdf_isolate points to for READCHILD_PDF). */
int readchild_request(enum readchild_kind kind, const unsigned char *buf, size_t len,
		      struct doc_facts *out);

#endif
