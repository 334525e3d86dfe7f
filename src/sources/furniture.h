/* SPDX-License-Identifier: GPL-3.0-or-later */
/* furniture.h: names that are never records, whatever holds them (a folder, a disc, an
 * archive): hidden and system files, viewer programs and other disc furniture. Names only;
 * no I/O. */
#ifndef FURNITURE_H
#define FURNITURE_H

/* Names never gathered from folders: .DS_Store, Thumbs.db, hidden files, ... */
int source_is_junk(const char *name);


/* Viewer programs and other disc furniture that are never records (name is one path
 * component; is_dir says whether it names a folder). */
int source_is_furniture(const char *name, int is_dir);

#endif
