#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Scanned pages read by OCR (recpack-ocr, Tesseract): an image-only PDF of Jane's pathology
# report counts as pathology with her identity matched; another patient's faxed report is
# blocked as patient-mismatch; a two-page G4 fax TIFF (cover sheet first) and a JPEG photo of
# a page are read too; packet.json says the text came from OCR; --no-ocr leaves them unread,
# with a warning. The pages are text rendered to images by Ghostscript at test time, and
# checked with tools we did not write (pdftotext finds no text in them, tiffinfo names G4).
. "$(dirname "$0")/../lib.sh"

JANE=(--patient "Jane Doe" --dob 1970-01-01)
if ! ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1; then
	skip "scanned pages read by OCR" "Tesseract's English data (tesseract-ocr-eng) is not installed"
	exit 0
fi
for tool in enscript gs img2pdf pdftotext tiffinfo; do
	command -v $tool >/dev/null || { skip "scanned pages read by OCR" "$tool is not installed"; exit 0; }
done

# page_ps OUT LINE...: a PostScript page (a form feed in a line starts a new page).
page_ps() {
	local out=$1; shift
	printf '%s\n' "$@" | enscript -q -B -f Courier12 -o "$out"
}
gsr() { gs -q -dSAFER -dBATCH -dNOPAUSE "$@"; }

S=$T/scans
mkdir -p "$S"
page_ps "$T/jane.ps" "SURGICAL PATHOLOGY REPORT" "" "Patient: DOE, JANE      DOB: 01/01/1970" \
	"Accession: S26-1234        Date of service: 03/02/2026" "" \
	"Final diagnosis: invasive ductal carcinoma, left breast, grade 2."
page_ps "$T/smith.ps" "SURGICAL PATHOLOGY REPORT" "" "Patient: SMITH, JOHN      DOB: 02/02/1980" \
	"Accession: S26-9876        Date of service: 03/02/2026" "" \
	"Final diagnosis: benign colonic mucosa."
page_ps "$T/fax.ps" "FAX COVER SHEET" "" "To: Second Opinion Office" "From: City Hospital Pathology" \
	"Pages: 2 including this one" $'\f'"SURGICAL PATHOLOGY REPORT" "" \
	"Patient: DOE, JANE      DOB: 01/01/1970" "" "Final diagnosis: invasive ductal carcinoma."

# Image-only PDFs: the page rendered to a grey PNG, wrapped in a PDF with no text layer.
gsr -sDEVICE=pnggray -r200 -o "$T/jane.png" "$T/jane.ps" && img2pdf -o "$S/scan0001.pdf" "$T/jane.png" &&
	gsr -sDEVICE=pnggray -r200 -o "$T/smith.png" "$T/smith.ps" && img2pdf -o "$T/fax_smith.pdf" "$T/smith.png" ||
	notok "image-only PDFs made"
if [ -z "$(pdftotext "$S/scan0001.pdf" - | tr -d '[:space:]\f')" ]; then
	ok "the scanned PDF holds no text (pdftotext)"
else
	notok "the scanned PDF holds no text (pdftotext)"
fi
# A fax: two pages of CCITT G4 at fax resolution; a photo: a grey JPEG at 150 dpi.
gsr -sDEVICE=tiffg4 -r204x196 -o "$S/fax0002.tif" "$T/fax.ps" || notok "a G4 fax TIFF made"
expect_true "the fax TIFF is two pages of CCITT Group 4 (tiffinfo)" sh -c \
	'test "$(tiffinfo "$1" 2>/dev/null | grep -c "Compression Scheme: CCITT Group 4")" = 2' sh "$S/fax0002.tif"
gsr -sDEVICE=jpeggray -r150 -o "$S/IMG_0003.jpg" "$T/jane.ps" || notok "a JPEG photo made"

# py FILE EXPR: a Python expression over the JSON in FILE (as j).
py() { python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# Jane's own scans: read by OCR, classified by what they say, her identity matched.
run "$RECPACK" check --json "${JANE[@]}" "$S"
cp "$T/out" "$T/own.json"
expect_true "a scanned PDF, a fax TIFF and a photo of Jane's report: pathology, her patient matched, read by OCR" \
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
docs = {d["name"]: d for d in j["documents"]}
assert set(docs) == {"scan0001.pdf", "fax0002.tif", "IMG_0003.jpg"}, docs.keys()
for name, d in docs.items():
    assert d["category"] == "pathology", (name, d)
    assert d["identity"]["status"] == "matched", (name, d["identity"])
    assert d["identity"]["name"] == "DOE, JANE" and d["identity"]["dob"] == "1970-01-01", (name, d["identity"])
    assert d.get("read") == "ocr" and 40 <= d["ocr_confidence"] <= 100, (name, d)
    assert not d.get("excluded"), (name, d)
assert not [p for p in j["problems"] if p["code"] in ("patient-mismatch", "unreadable")], j["problems"]
' "$T/own.json"

# Another patient's faxed report, as an image-only PDF: blocked as patient-mismatch.
expect_exit 1 "another patient's faxed report fails the check" \
	"$RECPACK" check --json "${JANE[@]}" "$S" "$T/fax_smith.pdf"
expect_true "the faxed report is blocked: patient-mismatch naming what OCR read, and how to tell a misreading" \
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
m = [p for p in j["problems"] if p["code"] == "patient-mismatch"]
assert len(m) == 1 and m[0]["severity"] == "error", m
t = m[0]["message"]
for want in ("fax_smith.pdf", "patient \"SMITH, JOHN\" on this document", "read by OCR", "--no-ocr", "take this document out"):
    assert want in t, (want, t)
d = [d for d in j["documents"] if d["name"] == "fax_smith.pdf"][0]
assert d["identity"]["status"] == "mismatch" and d.get("excluded") and d.get("read") == "ocr", d
assert d["identity"]["name"] == "SMITH, JOHN" and d["category"] == "pathology", d
' "$T/out"
expect_exit 1 "build refuses a packet with another patient's faxed report" \
	"$RECPACK" build -q --allow-incomplete "${JANE[@]}" -o "$T/bad.zip" "$S" "$T/fax_smith.pdf"
expect_true "no packet is written with another patient's faxed report" test ! -e "$T/bad.zip"

# packet.json records that the text came from OCR.
export SOURCE_DATE_EPOCH=1767225600
expect_exit 0 "build with Jane's scans" \
	"$RECPACK" build -q --allow-incomplete "${JANE[@]}" -o "$T/jane.zip" "$S"
unzip -p "$T/jane.zip" '*/packet.json' >"$T/packet.json"
expect_true "packet.json says each scan was read by OCR, with its patient matched" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
d = {d["name"]: (d.get("read"), d["identity"]["status"], d["category"]) for d in j["documents"]}
assert d == {n: ("ocr", "matched", "pathology") for n in ("scan0001.pdf", "fax0002.tif", "IMG_0003.jpg")}, d
' "$T/packet.json"

# --no-ocr: the scans stay unread, their patient unreadable, and a warning says why.
run "$RECPACK" check --json --no-ocr "${JANE[@]}" "$S"
expect_true "--no-ocr: each scan unread, its patient unreadable, a warning naming --no-ocr" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
docs = {d["name"]: d for d in j["documents"]}
for name, d in docs.items():
    assert d["identity"]["status"] == "unreadable" and "read" not in d, (name, d)
w = [p for p in j["problems"] if p["code"] == "unreadable"]
assert len(w) == 3 and all(p["severity"] == "warning" and "--no-ocr" in p["message"] for p in w), w
' "$T/out"
expect_exit 2 "--no-ocr is an option of check, build and batch, not of verify" "$RECPACK" verify --no-ocr "$T/jane.zip"
