/* fuzz_dicom.c: the bounded DICOM header reader on arbitrary bytes. It must never read past
 * the buffer, and every field it fills must stay a terminated string. */
#include "fuzz.h"

#include "read/dicom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dicom_info info;
	enum dicom_status st = dicom_read(data, size, &info);
	FUZZ_REQUIRE(dicom_status_str(st) != NULL);
	FUZZ_REQUIRE_STR(info.patient_name);
	FUZZ_REQUIRE_STR(info.patient_id);
	FUZZ_REQUIRE_STR(info.patient_birth_date);
	FUZZ_REQUIRE_STR(info.study_uid);
	FUZZ_REQUIRE_STR(info.series_uid);
	FUZZ_REQUIRE_STR(info.study_date);
	FUZZ_REQUIRE_STR(info.modality);
	FUZZ_REQUIRE_STR(info.study_description);
	FUZZ_REQUIRE_STR(info.transfer_syntax);
	FUZZ_REQUIRE_STR(info.media_sop_class);
	FUZZ_REQUIRE_STR(info.sop_class);
	(void)dicom_has_magic(data, size);
	return 0;
}
