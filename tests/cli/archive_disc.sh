#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A radiology CD as a disc image (ISO 9660 with Rock Ridge/Joliet, and plain): expanded in a
# private temp dir that is gone afterwards, its tree kept so the DICOMDIR still resolves,
# viewer programs left out and listed with -v.
. "$(dirname "$0")/../lib.sh"

# jq-free JSON questions: py FILE EXPR (j is the document, docs maps relpath -> document).
py() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); docs={d["relpath"]: d for d in j["documents"]}; print(eval(sys.argv[2]))' "$@"
}

mkdir -p "$T/tmp"
export TMPDIR="$T/tmp"
make_cd "$T/src/disc" || { notok "make_cd"; exit 1; }
# Disc furniture as burners put it there.
printf '[autorun]\nopen=viewer\\viewer.exe\n' >"$T/src/disc/AUTORUN.INF"
mkdir -p "$T/src/disc/VIEWER/lib" "$T/src/disc/OsiriX.app/Contents"
printf 'MZ fake viewer' >"$T/src/disc/VIEWER/viewer.exe"
printf 'MZ fake library' >"$T/src/disc/VIEWER/lib/dcm.dll"
printf 'MZ setup' >"$T/src/disc/SETUP.EXE"
printf 'icon' >"$T/src/disc/disc.ico"
printf 'plist' >"$T/src/disc/OsiriX.app/Contents/Info.plist"

xorriso -as mkisofs -quiet -V CTDISC -J -R -o "$T/disc.iso" "$T/src/disc" 2>/dev/null
expect_true "xorriso made a Rock Ridge + Joliet disc image" test -s "$T/disc.iso"

expect_exit 1 "check of the disc alone fails only for missing documents" \
	"$RECPACK" check --json "$T/disc.iso"
cp "$T/out" "$T/disc.json"
expect_true "radiology is satisfied by the disc" \
	test "$(py "$T/disc.json" '[c["status"] for c in j["categories"] if c["name"]=="radiology"][0]')" = ok
expect_true "DICOMDIR and images keep their tree under the disc's name" \
	test "$(py "$T/disc.json" 'sorted(docs)')" = "['disc/DICOM/ST1/IM1', 'disc/DICOM/ST1/IM2', 'disc/DICOM/ST1/IM3', 'disc/DICOMDIR']"
expect_true "every member is radiology and belongs to the disc" \
	test "$(py "$T/disc.json" 'set((d["category"], d.get("disc")) for d in j["documents"])')" = "{('radiology', 'disc/')}"
expect_true "the study is found with its 3 images" \
	test "$(py "$T/disc.json" '[(s["modality"], s["images"]) for s in j["studies"]]')" = "[('CT', 3)]"
expect_true "no source error and no unsafe-archive" \
	test "$(py "$T/disc.json" '[p["code"] for p in j["problems"] if p["code"] in ("unsafe-archive","unreadable")]')" = "[]"
expect_true "viewer programs, autorun and icons are not documents" \
	test "$(py "$T/disc.json" '[r for r in docs if any(x in r.lower() for x in ("viewer","autorun",".exe",".dll",".ico",".app"))]')" = "[]"
expect_true "the furniture is listed as skipped in JSON" \
	test "$(py "$T/disc.json" 'sorted(j.get("skipped", []))')" = "['$T/disc.iso/AUTORUN.INF', '$T/disc.iso/OsiriX.app/', '$T/disc.iso/SETUP.EXE', '$T/disc.iso/VIEWER/', '$T/disc.iso/disc.ico']"

# Every file the DICOMDIR refers to (read by dcmdump from bsdtar's copy) is a gathered document.
mkdir -p "$T/x"
bsdtar -xf "$T/disc.iso" -C "$T/x"
dcmdump +P 0004,1500 "$T/x/DICOMDIR" 2>/dev/null | sed -n 's/.*\[\(.*\)\].*/\1/p' | tr '\\' '/' >"$T/refs"
expect_true "dcmdump finds 3 referenced files in the DICOMDIR" test "$(wc -l <"$T/refs")" -eq 3
missing=0
while read -r ref; do
	py "$T/disc.json" "'disc/$ref' in docs" | grep -q True || missing=1
done <"$T/refs"
expect_true "every file the DICOMDIR refers to was gathered at its path" test "$missing" -eq 0

expect_exit 1 "check -v of the disc" "$RECPACK" check -v "$T/disc.iso"
expect_in "$T/out" "Left out" "-v has a Left out section"
expect_in "$T/out" "disc.iso/VIEWER/$" "-v lists the viewer folder"
expect_in "$T/out" "disc.iso/AUTORUN.INF" "-v lists autorun.inf"
expect_exit 1 "check without -v" "$RECPACK" check "$T/disc.iso"
expect_not_in "$T/out" "Left out" "without -v the skipped list is not shown"

# A plain ISO 9660 (no Rock Ridge, no Joliet), as many PACS burners write it.
rm -rf "$T/src/disc/OsiriX.app"
xorriso -as mkisofs -quiet -V CTDISC -o "$T/plain.iso" "$T/src/disc" 2>/dev/null
expect_exit 1 "check of a plain ISO 9660 image" "$RECPACK" check --json "$T/plain.iso"
expect_true "plain ISO 9660 names come out the same" \
	test "$(py "$T/out" 'sorted(docs)')" = "['plain/DICOM/ST1/IM1', 'plain/DICOM/ST1/IM2', 'plain/DICOM/ST1/IM3', 'plain/DICOMDIR']"

# Detected by content: a disc image with a misleading name.
cp "$T/disc.iso" "$T/scan-download.bin"
expect_exit 1 "check of a disc image without an .iso name" "$RECPACK" check --json "$T/scan-download.bin"
expect_true "the image is expanded whatever its name" \
	test "$(py "$T/out" '"scan-download.bin/DICOMDIR" in docs')" = True

# The mounted disc (a folder) is handled the same way: furniture left out and listed.
expect_exit 1 "check -v of the mounted disc folder" "$RECPACK" check -v --json "$T/src/disc"
expect_true "the folder's furniture is listed as skipped" \
	test "$(py "$T/out" 'sorted(j.get("skipped", []))')" = "['$T/src/disc/AUTORUN.INF', '$T/src/disc/SETUP.EXE', '$T/src/disc/VIEWER/', '$T/src/disc/disc.ico']"
expect_true "the folder's DICOM tree is gathered" \
	test "$(py "$T/out" 'len(docs)')" = 4

# The whole packet's worth of records, with the disc image among them, is complete.
make_records "$T/rec"
rm -rf "$T/rec/CD"
cp "$T/disc.iso" "$T/rec/CD.iso"
expect_exit 0 "records folder with a disc image in it checks clean" \
	"$RECPACK" check --surgery --hospitalized --json "$T/rec"
expect_true "the disc inside the folder keeps the folder's name in its path" \
	test "$(py "$T/out" '"rec/CD/DICOMDIR" in docs and docs["rec/CD/DICOM/ST1/IM1"]["disc"] == "rec/CD/"')" = True

# recpack build: the disc goes under data/01-radiology/<image name>/ with its tree, and the
# packet's DICOMDIR (read by dcmdump after unzip) still finds every file it refers to.
make_pdf "$T/more/Pathology_Report.pdf" "Pathology"
make_pdf "$T/more/Medication_List.pdf" "Medications"
make_pdf "$T/more/Treatment_Plan_Summary.pdf" "Plan"
expect_exit 0 "build from the disc image and three PDFs" \
	"$RECPACK" build -q -o "$T/packet.zip" "$T/disc.iso" "$T/more/"*.pdf
mkdir -p "$T/unz"
unzip -q "$T/packet.zip" -d "$T/unz"
dd=$(echo "$T"/unz/*/data/01-radiology/disc)
expect_true "the packet holds the disc's DICOMDIR under 01-radiology/disc" test -f "$dd/DICOMDIR"
expect_exit 0 "unzip lists the packet" unzip -Z1 "$T/packet.zip"
[ "$RC" -eq 0 ] && [ -s "$T/out" ] && cp "$T/out" "$T/listing" # no list, no file: the check fails
expect_not_in "$T/listing" '[Vv][Ii][Ee][Ww][Ee][Rr]|[Aa][Uu][Tt][Oo][Rr][Uu][Nn]|\.([Ee][Xx][Ee]|[Dd][Ll][Ll]|[Ii][Cc][Oo])' \
	"no viewer program went into the packet"
dcmdump +P 0004,1500 "$dd/DICOMDIR" 2>/dev/null | sed -n 's/.*\[\(.*\)\].*/\1/p' | tr '\\' '/' >"$T/prefs"
expect_true "dcmdump reads the packet's DICOMDIR (3 references)" test "$(wc -l <"$T/prefs")" -eq 3
missing=0
while read -r ref; do [ -f "$dd/$ref" ] || missing=1; done <"$T/prefs"
expect_true "every file the packet's DICOMDIR refers to is in the packet beside it" test "$missing" -eq 0
expect_exit 0 "the packet verifies" "$RECPACK" verify "$T/packet.zip"

expect_true "the private temp dir is gone after every run" test -z "$(ls -A "$T/tmp")"
