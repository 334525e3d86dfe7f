/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_dicomdir.c: the DICOMDIR record reader on arbitrary bytes. Whatever it reads, it must
 * stay in the buffer and its bounds, list records whose parents come before them, and never
 * give a referenced file a path that could leave the disc's folder. */
#include "fuzz.h"

#include <unistr.h>

#include "read/dicomdir.h"

static void check_string(const char *s)
{
	FUZZ_REQUIRE(s != NULL);
	FUZZ_REQUIRE(u8_check((const uint8_t *)s, strlen(s)) == NULL);
}

static void check_path(const char *p)
{
	check_string(p);
	FUZZ_REQUIRE(p[0] != '/');
	FUZZ_REQUIRE(strstr(p, "//") == NULL);
	for (const char *c = p; *c;) {
		size_t len = strcspn(c, "/");
		FUZZ_REQUIRE(!(len == 1 && c[0] == '.') && !(len == 2 && c[0] == '.' && c[1] == '.'));
		c += len;
		if (*c == '/')
			c++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dicomdir d;
	enum dicom_status st = dicomdir_read(data, size, &d);
	FUZZ_REQUIRE(dicom_status_str(st) != NULL);
	FUZZ_REQUIRE(d.n <= DICOMDIR_MAX_RECORDS);
	FUZZ_REQUIRE_STR(d.media_sop_instance);
	for (size_t i = 0; i < d.n; i++) {
		const struct dicomdir_record *r = &d.v[i];
		FUZZ_REQUIRE(r->parent >= -1 && r->parent < (long)d.n && r->parent != (long)i);
		FUZZ_REQUIRE((unsigned)r->level <= DIR_OTHER);
		FUZZ_REQUIRE(dicomdir_level_name(r->level) != NULL);
		check_path(r->file_id);
		FUZZ_REQUIRE(!r->file_id_unsafe || r->file_id[0] == '\0');
		check_string(r->type);
		check_string(r->sop_instance_uid);
		check_string(r->sop_class_uid);
		check_string(r->transfer_syntax);
		check_string(r->patient_name);
		check_string(r->patient_id);
		check_string(r->patient_birth_date);
		check_string(r->study_uid);
		check_string(r->study_date);
		check_string(r->study_description);
		check_string(r->series_uid);
		check_string(r->modality);
	}
	dicomdir_free(&d);
	return 0;
}
