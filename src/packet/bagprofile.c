/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bagprofile.c: see bagprofile.h. */
#include "packet/bagprofile.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sys/rp.h"
#include "sys/util.h"

int bagprofile_load(const char *path, json_t **out, char *errbuf, size_t errlen)
{
	struct stat sb;
	json_error_t je;
	*out = NULL;
	if (stat(path, &sb) < 0) {
		snprintf(errbuf, errlen, "%s: cannot read the BagIt profile: %s", path, strerror(errno));
		return RP_ESOURCE;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(errbuf, errlen, "%s: the BagIt profile is not a file", path);
		return RP_ESOURCE;
	}
	if (sb.st_size > (off_t)BAGPROFILE_MAX) {
		snprintf(errbuf, errlen, "%s: a BagIt profile of more than %u KiB is not one recpack reads", path,
			 BAGPROFILE_MAX >> 10);
		return RP_EUSAGE;
	}
	json_t *p = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!p) {
		snprintf(errbuf, errlen, "%s: is not JSON (line %d: %s)", path, je.line, je.text);
		return RP_EUSAGE;
	}
	json_t *info = json_object_get(p, "BagIt-Profile-Info");
	if (!json_is_object(p) || !json_is_object(info) ||
	    !json_is_string(json_object_get(info, "BagIt-Profile-Identifier"))) {
		snprintf(errbuf, errlen, "%s: is not a BagIt profile (no \"BagIt-Profile-Info\" with a "
			 "\"BagIt-Profile-Identifier\")", path);
		json_decref(p);
		return RP_EUSAGE;
	}
	*out = p;
	return RP_OK;
}

static int in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int json_has_string(json_t *a, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
		if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
			return 1;
	return 0;
}

static int json_matches(json_t *a, const char *path)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
		if (json_is_string(x) && fnmatch(json_string_value(x), path, 0) == 0)
			return 1;
	return 0;
}

static void check_bag_info(json_t *spec, const struct bag_facts *f, struct bagit_notes *ns)
{
	const char *label;
	json_t *rule;
	json_object_foreach(spec, label, rule) {
		size_t count;
		const char *value = bagit_info_get(f->info, label, &count);
		json_t *values = json_object_get(rule, "values");
		json_t *rep = json_object_get(rule, "repeatable");
		if (!value) {
			if (json_is_true(json_object_get(rule, "required")))
				bagit_note(ns, 0, "bag-info.txt", "has no %s, which the profile requires", label);
			continue;
		}
		if (json_is_false(rep) && count > 1)
			bagit_note(ns, 0, "bag-info.txt", "has %s %zu times; the profile allows it once", label, count);
		for (size_t i = 0; json_is_array(values) && json_array_size(values) && i < f->info->n; i++)
			if (strcasecmp(f->info->label[i], label) == 0 && !json_has_string(values, f->info->value[i]))
				bagit_note(ns, 0, "bag-info.txt", "has %s \"%s\", which is not one of the values the profile allows",
					   label, f->info->value[i]);
	}
}

/* Manifests-Required/-Allowed or Tag-Manifests-Required/-Allowed. */
static void check_algs(json_t *p, const char *what, const char *file, const char *const *have, size_t n,
		       struct bagit_notes *ns)
{
	char key[64];
	snprintf(key, sizeof(key), "%s-Required", what);
	json_t *req = json_object_get(p, key);
	size_t i;
	json_t *x;
	json_array_foreach(req, i, x)
		if (json_is_string(x) && !in_list(have, n, json_string_value(x)))
			bagit_note(ns, 0, "profile", "requires %s-%s.txt, which the bag does not have", file,
				   json_string_value(x));
	snprintf(key, sizeof(key), "%s-Allowed", what);
	json_t *allowed = json_object_get(p, key);
	if (!json_is_array(allowed))
		return;
	for (size_t k = 0; k < n; k++)
		if (!json_has_string(allowed, have[k]))
			bagit_note(ns, 0, "profile", "does not allow %s-%s.txt, which the bag has", file, have[k]);
}

static void check_files(json_t *p, const char *what, const char *const *have, size_t n, int tags,
			struct bagit_notes *ns)
{
	char key[64];
	size_t i;
	json_t *x;
	snprintf(key, sizeof(key), "%s-Required", what);
	json_array_foreach(json_object_get(p, key), i, x)
		if (json_is_string(x) && !in_list(have, n, json_string_value(x)))
			bagit_note(ns, 0, json_string_value(x), "is missing; the profile requires it");
	snprintf(key, sizeof(key), "%s-Allowed", what);
	json_t *allowed = json_object_get(p, key);
	if (!json_is_array(allowed))
		return;
	for (size_t k = 0; k < n; k++) {
		int payload_or_own;
		char alg[32];
		/* the bag's own tag files are not subject to Tag-Files-Allowed */
		payload_or_own = tags && (strcmp(have[k], "bagit.txt") == 0 || strcmp(have[k], "bag-info.txt") == 0 ||
					  strcmp(have[k], "fetch.txt") == 0 ||
					  bagit_manifest_name(have[k], &(int){ 0 }, alg, sizeof(alg)));
		if (!payload_or_own && !json_matches(allowed, have[k]))
			bagit_note(ns, 0, have[k], "is not allowed by the profile's %s", key);
	}
}

static void check_serialization(json_t *p, const struct bag_facts *f, struct bagit_notes *ns)
{
	const char *ser = json_string_value(json_object_get(p, "Serialization"));
	json_t *accept = json_object_get(p, "Accept-Serialization");
	if (ser && strcmp(ser, "required") == 0 && !f->serialization)
		bagit_note(ns, 0, "profile", "requires a serialized bag (a ZIP or tar file); this one is a folder");
	else if (ser && strcmp(ser, "forbidden") == 0 && f->serialization)
		bagit_note(ns, 0, "profile", "forbids a serialized bag; this one is %s", f->serialization);
	else if (f->serialization && json_is_array(accept) && !json_has_string(accept, f->serialization))
		bagit_note(ns, 0, "profile", "does not accept the serialization %s", f->serialization);
}

void bagprofile_check(json_t *p, const struct bag_facts *f, struct bagit_notes *ns)
{
	char version[32];
	snprintf(version, sizeof(version), "%d.%d", f->major, f->minor);
	json_t *versions = json_object_get(p, "Accept-BagIt-Version");
	if (json_is_array(versions) && !json_has_string(versions, version))
		bagit_note(ns, 0, "bagit.txt", "declares BagIt-Version %s, which the profile does not accept", version);
	json_t *bi = json_object_get(p, "Bag-Info");
	if (json_is_object(bi))
		check_bag_info(bi, f, ns);
	check_algs(p, "Manifests", "manifest", f->manifests, f->nmanifests, ns);
	check_algs(p, "Tag-Manifests", "tagmanifest", f->tagmanifests, f->ntagmanifests, ns);
	if (f->has_fetch && json_is_false(json_object_get(p, "Allow-Fetch.txt")))
		bagit_note(ns, 0, "fetch.txt", "is not allowed by the profile");
	if (!f->has_fetch && json_is_true(json_object_get(p, "Fetch.txt-Required")))
		bagit_note(ns, 0, "fetch.txt", "is missing; the profile requires it");
	if (json_is_true(json_object_get(p, "Data-Empty")) &&
	    (f->npayload > 1 || f->payload_bytes > 0))
		bagit_note(ns, 0, "data/", "holds %zu files; the profile wants it empty (at most one file of 0 bytes)",
			   f->npayload);
	check_serialization(p, f, ns);
	check_files(p, "Tag-Files", f->tagfiles, f->ntagfiles, 1, ns);
	check_files(p, "Payload-Files", f->payload, f->npayload, 0, ns);
}
