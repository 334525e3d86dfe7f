/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_dicom.c: the bounded DICOM header reader on arbitrary bytes (every transfer syntax,
 * deflated data sets inflated, text decoded under any SpecificCharacterSet). It must never read
 * past the buffer, and every field it fills must stay a terminated string of valid UTF-8. */
#include "fuzz.h"

#include <unistr.h>

#include "read/dicom.h"
#include "read/dicom_text.h"

#define CHECK_TEXT(field)                                                                     \
	do {                                                                                  \
		FUZZ_REQUIRE_STR(field);                                                      \
		FUZZ_REQUIRE(u8_check((const uint8_t *)(field), strlen(field)) == NULL);       \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dicom_info info;
	char out[64], group[32];
	enum dicom_status st = dicom_read(data, size, &info);
	FUZZ_REQUIRE(dicom_status_str(st) != NULL);
	CHECK_TEXT(info.patient_name);
	CHECK_TEXT(info.patient_name_alphabetic);
	CHECK_TEXT(info.patient_id);
	CHECK_TEXT(info.other_patient_ids);
	CHECK_TEXT(info.issuer_of_patient_id);
	CHECK_TEXT(info.patient_birth_date);
	CHECK_TEXT(info.patient_sex);
	CHECK_TEXT(info.study_uid);
	CHECK_TEXT(info.study_date);
	CHECK_TEXT(info.study_description);
	CHECK_TEXT(info.accession_number);
	CHECK_TEXT(info.modality);
	CHECK_TEXT(info.series_uid);
	CHECK_TEXT(info.series_description);
	CHECK_TEXT(info.sop_instance_uid);
	CHECK_TEXT(info.sop_class);
	CHECK_TEXT(info.transfer_syntax);
	CHECK_TEXT(info.media_sop_class);
	CHECK_TEXT(info.media_sop_instance);
	CHECK_TEXT(info.specific_character_set);
	(void)dicom_has_magic(data, size);

	/* The text decoder alone: the first bytes (up to a NUL) name the character set. */
	const uint8_t *nul = memchr(data, '\0', size < 80 ? size : 80);
	if (nul) {
		char charset[80];
		size_t cs = (size_t)(nul - data);
		memcpy(charset, data, cs);
		charset[cs] = '\0';
		(void)dicom_charset_known(charset);
		dicom_text_decode(charset, nul + 1, size - cs - 1, out, sizeof out);
		CHECK_TEXT(out);
		dicom_pn_group(out, 1, group, sizeof group);
		CHECK_TEXT(group);
	}
	return 0;
}
