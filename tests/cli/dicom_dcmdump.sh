#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# dicom_dcmdump.sh: the DICOM header reader against files that dcmtk wrote. What each file should
# give is taken from dcmdump's output, never from recpack; build/tests/test_dicom then compares
# (its test_dcmtk_fixtures runs when RECPACK_DICOM_FIXTURES names a directory).
. "$(dirname "$0")/../lib.sh"

TEST_DICOM=${TEST_DICOM:-$TOP/build/tests/test_dicom}
DICOMDIR_CLASS=1.2.840.10008.1.3.10
DEFLATED=1.2.840.10008.1.2.1.99

# top FILE TAG: the value dcmdump prints for TAG at the top level of FILE (empty when absent).
# +p prefixes elements inside sequences with their path, so "^(TAG) " matches only the top level.
top() {
	dcmdump -q -Un +L +p +P "$2" "$1" 2>/dev/null |
		sed -n "s/^($2) [A-Za-z][A-Za-z] \[\(.*\)\] *#.*/\1/p" | head -1
}

# write_expect FILE: FILE.expect, key=value lines that test_dicom checks.
write_expect() {
	f=$1
	ts=$(top "$f" 0002,0010)
	media=$(top "$f" 0002,0002)
	status=ok big=0 dicomdir=0 compressed=0 sniff=dicom
	[ "$ts" = 1.2.840.10008.1.2.2 ] && big=1
	[ "$media" = "$DICOMDIR_CLASS" ] && dicomdir=1 sniff=dicomdir
	[ "$ts" = "$DEFLATED" ] && compressed=1
	dcmdump -q +P 7fe0,0010 "$f" 2>/dev/null | grep -q '^(7fe0,0010) O[BW] (PixelSequence' && compressed=1
	{
		echo "status=$status"
		echo "sniff=$sniff"
		echo "transfer_syntax=$ts"
		echo "media_sop_class=$media"
		echo "is_dicomdir=$dicomdir"
		echo "big_endian=$big"
		echo "compressed=$compressed"
		# The data set is read in every syntax (dcmdump shows a deflated one inflated).
		{
			echo "patient_name=$(top "$f" 0010,0010)"
			echo "patient_id=$(top "$f" 0010,0020)"
			echo "patient_birth_date=$(top "$f" 0010,0030)"
			echo "study_uid=$(top "$f" 0020,000d)"
			echo "series_uid=$(top "$f" 0020,000e)"
			echo "study_date=$(top "$f" 0008,0020)"
			echo "modality=$(top "$f" 0008,0060)"
			echo "study_description=$(top "$f" 0008,1030)"
			echo "sop_class=$(top "$f" 0008,0016)"
			echo "sop_instance_uid=$(top "$f" 0008,0018)"
			echo "patient_sex=$(top "$f" 0010,0040)"
			echo "accession_number=$(top "$f" 0008,0050)"
			echo "series_description=$(top "$f" 0008,103e)"
		}
	} >"$f.expect"
}

# check NAME FILE: test_dicom agrees with dcmdump about FILE.
check() {
	name=$1 src=$2
	if [ ! -s "$src" ]; then
		notok "$name" "dcmtk did not make $src"
		return
	fi
	d="$T/fixtures/$name"
	mkdir -p "$d"
	cp "$src" "$d/file"
	write_expect "$d/file"
	if RECPACK_DICOM_FIXTURES=$d "$TEST_DICOM" >"$T/check.out" 2>&1; then ok "$name"; else
		notok "$name" "$(grep -v '^\[ *\(RUN\|OK\|PASSED\) *\]' "$T/check.out" | head -20)" \
			"expected ($d/file.expect): $(tr '\n' ' ' <"$d/file.expect")"
	fi
}

if [ ! -x "$TEST_DICOM" ]; then
	notok "test_dicom is built" "no $TEST_DICOM: run make unit"
	exit 0
fi
if ! command -v dcmdump >/dev/null || ! command -v dump2dcm >/dev/null; then
	notok "dcmtk is installed" "no dcmdump/dump2dcm: run make test-deps"
	exit 0
fi

make_dicom "$T/explicit.dcm" xfer=little
check "explicit VR little endian" "$T/explicit.dcm"
make_dicom "$T/implicit.dcm" xfer=implicit name='ROE^RICHARD' desc='MR BRAIN' modality=MR
check "implicit VR little endian, odd-length values" "$T/implicit.dcm"
make_dicom "$T/big.dcm" xfer=big
check "explicit VR big endian" "$T/big.dcm"
make_dicom "$T/deflated.dcm" xfer=deflated
check "deflated explicit VR little endian" "$T/deflated.dcm"

dcmcrle -q "$T/explicit.dcm" "$T/rle.dcm"
check "RLE pixel data is compressed" "$T/rle.dcm"
dcmcjpeg -q "$T/explicit.dcm" "$T/jpeg.dcm"
check "JPEG pixel data is compressed" "$T/jpeg.dcm"

make_cd "$T/cd"
check "DICOMDIR has no top-level patient" "$T/cd/DICOMDIR"
check "image from the disc" "$T/cd/DICOM/ST1/IM2"
dcmconv -q +F -e "$T/cd/DICOMDIR" "$T/dicomdir-undefined"
check "DICOMDIR with undefined-length sequences" "$T/dicomdir-undefined"

# A patient name only inside an undefined-length sequence must not become the file's.
cat >"$T/seq.dump" <<'DUMP'
(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.8.498.9]
(0008,0060) CS [OT]
(0010,0020) LO [MRN777]
(0010,1002) SQ (Sequence with undefined length)
(fffe,e000) na (Item with undefined length)
(0010,0010) PN [OTHER^PERSON]
(0010,0020) LO [OTHER-ID]
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0020,000d) UI [1.2.826.0.1.3680043.8.498.9.1]
DUMP
for xfer in little implicit; do
	dump2dcm -q -e "--write-xfer-$xfer" "$T/seq.dump" "$T/seq-$xfer.dcm"
	check "name inside a sequence is not the patient's ($xfer)" "$T/seq-$xfer.dcm"
done
