/* source_archive.h: archives and disc images (ZIP, tar.*, 7z, ISO 9660), recognised by content,
 * streamed by libarchive into a folder of the private workdir, then gathered like a folder. It must
 * never write outside that folder, create or follow a link, or expand without bounds. */
#ifndef SOURCE_ARCHIVE_H
#define SOURCE_ARCHIVE_H

#include "sources/furniture.h"
#include "sources/source.h"

#define ARCHIVE_MAX_ENTRIES 200000u
#define ARCHIVE_MAX_DEPTH 2          /* an archive inside an archive, no deeper */
#define ARCHIVE_BOMB_RATIO 100       /* expanded : compressed, per entry ... */
#define ARCHIVE_BOMB_FLOOR (64ull << 20) /* ... once the entry passes this size */

/* Is the file at path an archive or disc image that we expand? Decided from its content
 * (a ZIP that is a Word or other office document is not); 0 when it cannot be read. */
int source_archive_detect(const char *path);

/* Expand the archive at path and gather its members with relpaths under relpath minus its
 * extension ("disc.iso" -> "disc/DICOM/IM1"). 0, or an RP_E* code after adding a problem;
 * on any failure nothing from the archive is gathered and its folder is removed. */
int source_archive_gather(struct gather *g, const char *path, const char *relpath, const char *shown,
			  const char *category);

#endif
