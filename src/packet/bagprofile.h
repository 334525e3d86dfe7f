/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagprofile.h: a bag checked against a BagIt Profile (BagIt Profiles specification 1.4,
 * JSON): Bag-Info fields and their values, required and allowed manifest and tag manifest
 * algorithms, fetch.txt, serialization, BagIt versions, required and allowed tag and payload
 * files. Judges facts handed in; reads only the profile file (at most BAGPROFILE_MAX bytes);
 * never prints. */
#ifndef BAGPROFILE_H
#define BAGPROFILE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "packet/bagit.h"

#define BAGPROFILE_MAX (1u << 20)

/* What a profile is checked against, gathered by verify. */
struct bag_facts {
	int major, minor;                  /* BagIt-Version */
	const struct bagit_info *info;     /* bag-info.txt (may be empty) */
	const char *const *manifests;      /* payload manifest algorithms present ("sha256") */
	size_t nmanifests;
	const char *const *tagmanifests;   /* tag manifest algorithms present */
	size_t ntagmanifests;
	int has_fetch;
	const char *const *tagfiles;       /* every file outside data/, relative to the bag */
	size_t ntagfiles;
	const char *const *payload;        /* every file under data/ ("data/...") */
	size_t npayload;
	uint64_t payload_bytes;
	const char *serialization;         /* NULL for a folder, else its MIME type */
};

/* Load the profile at path: RP_OK with *out, RP_ESOURCE when it cannot be read, RP_EUSAGE
 * when it is not a BagIt Profile (errbuf says why). */
int bagprofile_load(const char *path, json_t **out, char *errbuf, size_t errlen);

/* Each way the bag breaks the profile is a failure noted in ns (path: the tag file or
 * "profile"). */
void bagprofile_check(json_t *profile, const struct bag_facts *f, struct bagit_notes *ns);

#endif
