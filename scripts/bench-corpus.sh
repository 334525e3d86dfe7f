#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/bench-corpus.sh [normal|large]: generates the synthetic records `make bench` times,
# under bench/ (git-ignored, never committed), and prints the corpus folder on stdout.
#   normal: one CT study of 600 slices of 512x512 16-bit DICOM (about 315 MB) on a "CD" with a
#           DICOMDIR, plus 20 report PDFs of about 100 KB to 1 MB (half of them FlateDecode scans);
#   large:  4x that (four series of 600 slices, 80 PDFs).
# The folder passes `recpack check --surgery --hospitalized`. Made-up patient (Jane Doe), same
# bytes on every run; regenerated only when this script or scripts/bench-gen.c changes.
set -euo pipefail
size=${1:-normal}
case $size in
normal) series=1 copies=1 ;;
large) series=4 copies=4 ;;
*)
	echo "usage: scripts/bench-corpus.sh [normal|large]" >&2
	exit 2
	;;
esac
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH_DIR:-$TOP/bench}
out=$BENCH/corpus-$size
stamp=$BENCH/corpus-$size.stamp
. "$TOP/scripts/fixtures.sh"

want=$(cat "$TOP/scripts/bench-corpus.sh" "$TOP/scripts/bench-gen.c" | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$out" ]; then
	echo "$out"
	exit 0
fi
rm -rf "$out" "$stamp"
mkdir -p "$out/CD/DICOM/ST1" "$out/reports"

# The CT slices: a small C generator writes each Part 10 file whole (fast, deterministic).
cc -O2 -o "$BENCH/bench-gen" "$TOP/scripts/bench-gen.c" -lm
for s in $(seq 1 "$series"); do
	mkdir -p "$out/CD/DICOM/ST1/SE$s"
	"$BENCH/bench-gen" "$out/CD/DICOM/ST1/SE$s" "$s" 600
done
dcmdump "$out/CD/DICOM/ST1/SE1/IM000001" >/dev/null # a sanity check with a tool we did not write
(cd "$out/CD" && dcmmkdir --recurse --invent DICOM >/dev/null 2>"$BENCH/dcmmkdir.log") || {
	cat "$BENCH/dcmmkdir.log" >&2
	exit 1
}
dicomdir_fix_uid "$out/CD/DICOMDIR"

# bulk_text N SEED: N lines of about 1.5 KB of made-up clinical prose (deterministic).
bulk_text() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		split("the patient tolerated procedure well margins negative lymph nodes examined " \
		      "specimen received fresh labeled invasive ductal carcinoma grade two tumor size " \
		      "centimeters no lymphovascular invasion identified follow up imaging recommended " \
		      "chemotherapy cycle dose adjusted renal function stable blood pressure within " \
		      "normal limits discussed options with family questions answered plan reviewed", w, " ")
		nw = length(w); x = seed
		for (i = 1; i <= n; i++) {
			line = sprintf("%d.", i)
			while (length(line) < 1500) { x = (x * 1103515245 + 12345) % 2147483648; line = line " " w[int(x / 65536) % nw + 1] }
			print line
		}
	}'
}

# flate_pdf FILE TITLE SEED KB: a one-page "scanned" report: a FlateDecode text stream and a
# FlateDecode grayscale image of about KB kilobytes, as portals and scanners make them.
flate_pdf() {
	python3 - "$@" <<'PY'
import random, sys, zlib
path, title, seed, kb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
w = 1240
ink = bytes((0, 40, 90, 255, 255, 255, 255, 255, 255)[i % 9] for i in range(256))
co, parts, done, height = zlib.compressobj(6), [], 0, 0
while done < kb * 1024:  # rows of blank paper and of speckled "text" until the image is KB
    row = bytes([255]) * w if rnd.random() < 0.4 else rnd.randbytes(w).translate(ink)
    parts.append(co.compress(row))
    done += len(parts[-1])
    height += 1
parts.append(co.flush())
img = b"".join(parts)
text = zlib.compress(("BT /F1 14 Tf 72 760 Td (%s) Tj ET q 468 0 0 600 72 100 cm /Im1 Do Q" % title).encode(), 6)
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
    b" /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
    b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(text), text),
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
    b" /BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (w, height, len(img), img),
]
body, offs = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", []
for i, o in enumerate(objs, 1):
    offs.append(len(body))
    body += b"%d 0 obj\n%s\nendobj\n" % (i, o)
xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, len(body))
with open(path, "wb") as f:
    f.write(body + xref + trailer)
PY
}

# The 20 reports, each kind named the way portals name them. Odd ones are plain-text PDFs
# (make_pdf with N lines of bulk text), even ones FlateDecode scans of KB kilobytes.
reports=(
	"CT_Chest_Report_2026-03-01|CT chest report|80" "CT_Abdomen_Pelvis_Report_2026-03-01|CT abdomen and pelvis report|300"
	"PET_CT_Report_2026-04-02|PET-CT report|90" "MRI_Brain_Report_2026-04-10|MRI brain report|500"
	"Surgical_Pathology_Report_1|Surgical pathology report|150" "Surgical_Pathology_Report_2|Surgical pathology report|900"
	"Surgical_Pathology_Report_3|Surgical pathology report|70" "Surgical_Pathology_Report_4|Surgical pathology addendum|400"
	"Operative_Note_1|Operative note|120" "Operative_Note_2|Operative note|600" "Operative_Note_3|Operative note|400"
	"Discharge_Summary_1|Discharge summary|700" "Discharge_Summary_2|Discharge summary|100"
	"Admission_Note_1|Admission history and physical|250" "Consult_Note_1|Oncology consult note|200"
	"Medication List|Medication list|150" "Medication List 2026-04|Medication list|70"
	"Treatment Plan Summary|Treatment plan summary|400" "Treatment Plan Summary 2|Treatment plan summary|60"
	"Treatment Plan Summary 3|Treatment plan summary|1000"
)
n=0
for c in $(seq 1 "$copies"); do
	for r in "${reports[@]}"; do
		IFS='|' read -r name title amount <<<"$r"
		n=$((n + 1))
		[ "$copies" -gt 1 ] && name="$name copy $c"
		if [ $((n % 2)) -eq 1 ]; then
			mapfile -t lines < <(bulk_text "$amount" "$n")
			make_pdf "$out/reports/$name.pdf" "$title" "${lines[@]}"
		else
			flate_pdf "$out/reports/$name.pdf" "$title" "$n" "$amount"
		fi
	done
done
echo "$want" >"$stamp"
echo "$out"
