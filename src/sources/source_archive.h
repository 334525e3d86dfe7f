/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_archive.h: archives and disc images (ZIP, tar.*, 7z, ISO 9660), recognised by content,
 * streamed by libarchive into a folder of the private workdir, then gathered like a folder. It must
 * never write outside that folder, create or follow a link, or expand without bounds. */
#ifndef SOURCE_ARCHIVE_H
#define SOURCE_ARCHIVE_H

#include "sources/furniture.h"
#include "sources/source.h"

#define ARCHIVE_MAX_ENTRIES 100000u  /* entries of every archive of one run, together */
#define ARCHIVE_MAX_DEPTH 2          /* an archive inside an archive, no deeper */
#define ARCHIVE_BOMB_RATIO 100       /* expanded : size on disk, for all that one archive
				      * (with the archives inside it) expands to ... */
#define ARCHIVE_BOMB_ALLOWANCE (4ull << 20) /* ... once past this, so small archives of
					     * small, very compressible records pass; and
					     * per entry: expanded : its packed bytes ... */
#define ARCHIVE_BOMB_FLOOR (64ull << 20) /* ... once the entry passes this size */

/* Is the file at path an archive or disc image that we expand? Decided from its content
 * (a ZIP that is a Word or other office document is not); 0 when it cannot be read. */
int source_archive_detect(const char *path);
/* The same answer for the regular file open at fd, size bytes, whose first hn bytes are in
 * head (all of them, or 512 at least): reads only what head lacks (the scan's check). */
int source_archive_detect_head(int fd, uint64_t size, const unsigned char *head, size_t hn);

/* Expand the archive at path and gather its members with relpaths under relpath minus its
 * extension ("disc.iso" -> "disc/DICOM/IM1"). 0, or an RP_E* code after adding a problem;
 * on any failure nothing from the archive is gathered and its folder is removed. */
int source_archive_gather(struct gather *g, const char *path, const char *relpath, const char *shown,
			  const char *category);

/* Do two entries of the ZIP open at fd (size bytes) share packed bytes, by its central
 * directory? 0 for anything else, including ZIPs too damaged to tell (libarchive judges those). */
int source_archive_zip_overlaps(int fd, uint64_t size);

#endif
