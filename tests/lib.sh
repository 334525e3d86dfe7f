# tests/lib.sh: helpers shared by tests/cli/*.sh. Sourced, never run.
# Every assertion prints "ok - NAME" or "not ok - NAME"; tests/run.sh counts them.
# Fixtures are synthetic: generated here with dcmtk and printf, never real patient data.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RECPACK=${RECPACK:-$TOP/recpack}
T=$(mktemp -d "${TMPDIR:-/tmp}/recpack-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1
unset SOURCE_DATE_EPOCH RECPACK_PASSWORD RECPACK_BEARER_TOKEN

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# run CMD...: runs recpack-or-anything, stdout in $T/out, stderr in $T/err, status in $RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# expect_exit CODE NAME CMD...: the command exits with CODE.
expect_exit() {
	want=$1 name=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$want" ]; then ok "$name"; else
		notok "$name" "expected exit $want, got $RC: $*" "stderr: $(head -c 600 "$T/err")" "stdout: $(head -c 600 "$T/out")"
	fi
}

# expect_in FILE PATTERN NAME: grep -E PATTERN matches FILE.
expect_in() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else notok "$3" "no /$2/ in $1:" "$(head -c 800 "$1")"; fi
}

# expect_not_in FILE PATTERN NAME
expect_not_in() {
	if grep -Eq -- "$2" "$1"; then notok "$3" "unexpected /$2/ in $1:" "$(grep -E -- "$2" "$1" | head -5)"; else ok "$3"; fi
}

# expect_true NAME CMD...: the command succeeds.
expect_true() {
	name=$1
	shift
	if "$@" >"$T/true.out" 2>&1; then ok "$name"; else notok "$name" "failed: $*" "$(head -c 800 "$T/true.out")"; fi
}

# make_pdf FILE TITLE: a small valid PDF whose only text is TITLE.
make_pdf() {
	f=$1 title=$2
	mkdir -p "$(dirname "$f")"
	stream="BT /F1 14 Tf 72 720 Td ($title) Tj ET"
	{
		printf '%%PDF-1.4\n'
		printf '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
		printf '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'
		printf '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n'
		printf '4 0 obj << /Length %d >> stream\n%s\nendstream endobj\n' "${#stream}" "$stream"
		printf '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n'
		printf 'trailer << /Root 1 0 R >>\n%%%%EOF\n'
	} >"$f"
}

# make_dicom FILE [KEY=VALUE...]: a tiny CT image. Keys: name id dob study series sop date
# modality desc xfer (little|implicit|big).
make_dicom() {
	f=$1
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

# make_cd DIR [make_dicom KEY=VALUE...]: a radiology disc folder: DICOMDIR + DICOM/ST1/IM1..3.
make_cd() {
	d=$1
	shift
	mkdir -p "$d/DICOM/ST1"
	for i in 1 2 3; do make_dicom "$d/DICOM/ST1/IM$i" sop=1.2.826.0.1.3680043.8.498.1.1.$i "$@"; done
	(cd "$d" && dcmmkdir --recurse --invent DICOM >/dev/null 2>&1) || return 1
}

# make_records DIR: a complete patient download folder for Jane Doe, no prefixes needed.
make_records() {
	d=$1
	make_pdf "$d/Surgical_Pathology_Report_2026-03-20.pdf" "Surgical pathology report"
	make_pdf "$d/Operative_Note_2026-03-18.pdf" "Operative note"
	make_pdf "$d/Discharge_Summary_2026-03-22.pdf" "Discharge summary"
	make_pdf "$d/Medication List.pdf" "Medication list"
	make_pdf "$d/Treatment Plan Summary.pdf" "Treatment plan summary"
	make_pdf "$d/CT_Chest_Report_2026-03-01.pdf" "CT chest report"
	make_cd "$d/CD"
}
