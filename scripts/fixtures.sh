# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/fixtures.sh: generators of synthetic patient records, shared by tests/lib.sh and
# samples/make-samples.sh. Sourced by bash, never run. Everything here is made up: no real
# patient data, ever. Output is deterministic (same arguments, same bytes), so the committed
# samples can be checked against a fresh regeneration.
# Needs: printf, wc, perl (Debian's perl-base), dcmtk (dump2dcm, dcmmkdir).

# pdf_escape TEXT: TEXT as the inside of a PDF literal string.
pdf_escape() {
	printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/(/\\(/g' -e 's/)/\\)/g'
}

# make_pdf FILE TITLE [LINE...]: a small, valid one-page PDF (with a correct xref table) showing
# TITLE in large type and each LINE below it.
make_pdf() {
	local f=$1 title=$2 stream slen line body xref n obj start
	shift 2
	mkdir -p "$(dirname "$f")"
	stream="BT /F1 14 Tf 18 TL 72 720 Td ($(pdf_escape "$title")) Tj /F1 11 Tf"
	for line in "$@"; do stream="$stream T* ($(pdf_escape "$line")) Tj"; done
	stream="$stream ET"
	slen=$(printf '%s' "$stream" | wc -c)
	set -- \
		'<< /Type /Catalog /Pages 2 0 R >>' \
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>' \
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>' \
		"<< /Length $slen >>
stream
$stream
endstream" \
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	body='%PDF-1.4
'
	xref=''
	n=1
	for obj in "$@"; do
		xref="$xref$(printf '%010d 00000 n ' "$(printf '%s' "$body" | wc -c)")
"
		body="$body$n 0 obj
$obj
endobj
"
		n=$((n + 1))
	done
	start=$(printf '%s' "$body" | wc -c)
	{
		printf '%s' "$body"
		printf 'xref\n0 %d\n0000000000 65535 f \n%s' "$n" "$xref"
		printf 'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' "$n" "$start"
	} >"$f"
}

# make_dicom FILE [KEY=VALUE...]: a tiny CT image. Keys: name id dob study series sop date
# modality desc xfer (little|implicit|big).
make_dicom() {
	local f=$1 kv name id dob study series sop date modality desc xfer
	shift
	name='DOE^JANE' id=MRN12345 dob=19700101 study=1.2.826.0.1.3680043.8.498.1
	series=1.2.826.0.1.3680043.8.498.1.1 sop=1.2.826.0.1.3680043.8.498.1.1.$$.$RANDOM
	date=20260301 modality=CT desc='CT CHEST W CONTRAST' xfer=little
	for kv in "$@"; do eval "${kv%%=*}=\"\${kv#*=}\""; done
	mkdir -p "$(dirname "$f")"
	cat >"$f.dump" <<DUMP
(0008,0016) UI =CTImageStorage
(0008,0018) UI [$sop]
(0008,0020) DA [$date]
(0008,0030) TM [120000]
(0008,0050) SH [ACC1]
(0008,0060) CS [$modality]
(0008,1030) LO [$desc]
(0010,0010) PN [$name]
(0010,0020) LO [$id]
(0010,0030) DA [$dob]
(0020,000d) UI [$study]
(0020,000e) UI [$series]
(0020,0010) SH [1]
(0020,0011) IS [1]
(0020,0013) IS [1]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 4
(0028,0011) US 4
(0028,0100) US 16
(0028,0101) US 12
(0028,0102) US 11
(0028,0103) US 0
(7fe0,0010) OW 0000\0001\0002\0003\0004\0005\0006\0007\0008\0009\000a\000b\000c\000d\000e\000f
DUMP
	dump2dcm "--write-xfer-$xfer" "$f.dump" "$f" || return 1
	rm -f "$f.dump"
}

# dicomdir_fix_uid FILE: dcmmkdir gives every DICOMDIR a fresh MediaStorageSOPInstanceUID, of
# varying length; put a fixed one in its place and shift the group length and the directory
# record offsets by the change in length, so the same disc always gives the same bytes.
dicomdir_fix_uid() {
	perl -0777 -i -pe '
		/\x02\x00\x03\x00UI(..)/s or die "no MediaStorageSOPInstanceUID\n";
		my ($at, $old) = ($-[0] + 6, unpack("v", $1));
		my $uid = "1.2.826.0.1.3680043.8.498.2";
		$uid .= "\0" if length($uid) % 2;
		my $delta = length($uid) - $old;
		substr($_, $at, 2 + $old) = pack("v", length $uid) . $uid;
		sub shift_ul { my $v = unpack("V", $_[0]); pack("V", $v ? $v + $_[1] : 0) }
		s/(\x02\x00\x00\x00UL\x04\x00)(....)/$1 . shift_ul($2, $delta)/se;
		for my $el ("\x00\x12", "\x02\x12", "\x00\x14", "\x20\x14") {
			s/(\x04\x00\Q$el\EUL\x04\x00)(....)/$1 . shift_ul($2, $delta)/gse;
		}' "$1"
}

# make_cd DIR [make_dicom KEY=VALUE...]: a radiology disc folder: DICOMDIR + DICOM/ST1/IM1..3.
make_cd() {
	local d=$1 i
	shift
	mkdir -p "$d/DICOM/ST1"
	for i in 1 2 3; do make_dicom "$d/DICOM/ST1/IM$i" sop=1.2.826.0.1.3680043.8.498.1.1.$i "$@"; done
	(cd "$d" && rm -f DICOMDIR && dcmmkdir --recurse --invent DICOM >/dev/null 2>&1) || return 1
	dicomdir_fix_uid "$d/DICOMDIR"
}

# make_records DIR: a complete patient download folder for Jane Doe, no prefixes needed.
make_records() {
	local d=$1
	make_pdf "$d/Surgical_Pathology_Report_2026-03-20.pdf" "Surgical pathology report"
	make_pdf "$d/Operative_Note_2026-03-18.pdf" "Operative note"
	make_pdf "$d/Discharge_Summary_2026-03-22.pdf" "Discharge summary"
	make_pdf "$d/Medication List.pdf" "Medication list"
	make_pdf "$d/Treatment Plan Summary.pdf" "Treatment plan summary"
	make_pdf "$d/CT_Chest_Report_2026-03-01.pdf" "CT chest report"
	make_cd "$d/CD"
}
