#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Portal downloads and record bundles as archives: ZIP of PDFs, tar in every compression, 7z,
# a ZIP holding a tar.gz, a lone report.pdf.gz; office documents stay documents.
. "$(dirname "$0")/../lib.sh"

py() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); docs={d["relpath"]: d for d in j["documents"]}; print(eval(sys.argv[2]))' "$@"
}

mkdir -p "$T/tmp"
export TMPDIR="$T/tmp"

# A portal-style ZIP: flat PDFs with the portal's names, one in a folder.
mkdir -p "$T/portal/Surgery"
make_pdf "$T/portal/Pathology_Report_2026-03-20.pdf" "Pathology"
make_pdf "$T/portal/Medication_List.pdf" "Medications"
make_pdf "$T/portal/Treatment_Plan_Summary.pdf" "Plan"
make_pdf "$T/portal/CT_Chest_Report.pdf" "CT report"
make_pdf "$T/portal/Surgery/Operative_Note.pdf" "Operative note"
python3 - "$T/portal" "$T/MyChart_Download.zip" <<'PY'
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in os.walk(root):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, root))
PY
# reports only, no images: the built-in manifests' images_required is turned off here
"$RECPACK" manifest default | sed 's/^images_required = yes/images_required = no/' >"$T/noimg.ini"
expect_exit 0 "portal ZIP of PDFs checks clean with --surgery" "$RECPACK" check -m "$T/noimg.ini" --surgery --json "$T/MyChart_Download.zip"
cp "$T/out" "$T/portal.json"
expect_true "each PDF lands in its category, under the ZIP's name" \
	test "$(py "$T/portal.json" 'sorted((r, d["category"]) for r, d in docs.items())')" = \
	"[('MyChart_Download/CT_Chest_Report.pdf', 'radiology'), ('MyChart_Download/Medication_List.pdf', 'medications'), ('MyChart_Download/Pathology_Report_2026-03-20.pdf', 'pathology'), ('MyChart_Download/Surgery/Operative_Note.pdf', 'operative'), ('MyChart_Download/Treatment_Plan_Summary.pdf', 'summary')]"
expect_true "members are PDFs hashed like files" \
	test "$(py "$T/portal.json" 'set(d["type"] for d in j["documents"]) == {"pdf"} and all(len(d["sha256"]) == 64 for d in j["documents"])')" = True
sum=$(sha256sum "$T/portal/Medication_List.pdf" | cut -d' ' -f1)
expect_true "a member's SHA-256 is the original file's" \
	test "$(py "$T/portal.json" 'docs["MyChart_Download/Medication_List.pdf"]["sha256"]')" = "$sum"

# A records folder as tar in every compression the brief names, and as 7z.
make_records "$T/rec"
(cd "$T" && tar -cf rec.tar rec && tar -czf rec.tar.gz rec && tar -cjf rec.tar.bz2 rec &&
	tar -cJf rec.tar.xz rec && tar --zstd -cf rec.tar.zst rec && 7z a -bd -bso0 rec.7z rec)
for f in rec.tar rec.tar.gz rec.tar.bz2 rec.tar.xz rec.tar.zst rec.7z; do
	expect_exit 0 "$f of a records folder checks clean" \
		"$RECPACK" check --surgery --hospitalized --json "$T/$f"
	expect_true "$f keeps the records' tree and the disc" \
		test "$(py "$T/out" 'len(docs) == 10 and docs["rec/rec/CD/DICOMDIR"]["disc"] == "rec/rec/CD/"')" = True
done

# An archive inside an archive (depth 2) is opened too.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").write(sys.argv[2], "records/rec.tar.gz")' \
	"$T/outer.zip" "$T/rec.tar.gz"
expect_exit 0 "a ZIP holding a tar.gz of the records checks clean" \
	"$RECPACK" check --surgery --hospitalized --json "$T/outer.zip"
expect_true "nested members are named through both archives" \
	test "$(py "$T/out" '"outer/records/rec/rec/Medication List.pdf" in docs')" = True

# A lone compressed file is one document under its own name.
gzip -c "$T/portal/Medication_List.pdf" >"$T/Medication_List.pdf.gz"
expect_exit 1 "a .pdf.gz is checked" "$RECPACK" check --json "$T/Medication_List.pdf.gz"
expect_true "a .pdf.gz is the PDF inside, classified by its name" \
	test "$(py "$T/out" '[(r, d["type"], d["category"]) for r, d in docs.items()]')" = "[('Medication_List.pdf', 'pdf', 'medications')]"

# Office documents are ZIPs too, but documents, not folders.
mkdir -p "$T/docx/word"
printf '<?xml version="1.0"?><Types/>' >"$T/docx/[Content_Types].xml"
printf '<?xml version="1.0"?><document/>' >"$T/docx/word/document.xml"
(cd "$T/docx" && zip -q -r ../Pathology_Report.docx .)
expect_exit 1 "a DOCX is checked" "$RECPACK" check --json "$T/Pathology_Report.docx"
expect_true "a DOCX stays one document" \
	test "$(py "$T/out" '[(r, d["type"]) for r, d in docs.items()]')" = "[('Pathology_Report.docx', 'docx')]"
mkdir -p "$T/xlsx/xl"
printf '<?xml version="1.0"?><Types/>' >"$T/xlsx/[Content_Types].xml"
printf '<?xml version="1.0"?><workbook/>' >"$T/xlsx/xl/workbook.xml"
(cd "$T/xlsx" && zip -q -r ../Labs.xlsx .)
expect_exit 1 "an XLSX is checked" "$RECPACK" check --json "$T/Labs.xlsx"
expect_true "an XLSX is not expanded" \
	test "$(py "$T/out" 'list(docs)')" = "['Labs.xlsx']"

# An empty archive is a warning, not a failure of the source.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").close()' "$T/empty.zip"
expect_exit 1 "an empty ZIP is checked" "$RECPACK" check --json "$T/empty.zip"
expect_true "an empty ZIP is reported as holding no records" \
	test "$(py "$T/out" '[p["code"] for p in j["problems"] if p["source"] and "empty.zip" in p["source"]]')" = "['empty']"

expect_true "the private temp dir is gone after every run" test -z "$(ls -A "$T/tmp")"
