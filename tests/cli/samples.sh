# SPDX-License-Identifier: GPL-3.0-or-later
# The committed samples: a complete check for the made-up Jane Doe, synthetic through and
# through, valid files, and reproducible by samples/make-samples.sh (PDFs byte for byte,
# DICOM files equal as dcmdump sees them).
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 2
S=samples/records

expect_exit 0 "samples check complete" "$RECPACK" check --patient "Jane Doe" --dob 1970-01-01 \
	--mrn MRN12345 --surgery --hospitalized "$S"
expect_in "$T/out" "Complete" "samples report says complete"
expect_not_in "$T/out" "Problems:" "samples have no problems"

"$RECPACK" check --json --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 --surgery \
	--hospitalized "$S" >"$T/samples.json"
cat >"$T/samples.py" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["complete"] is True, j["complete"]
status = {c["name"]: c["status"] for c in j["categories"]}
assert all(s == "ok" for s in status.values()), status
cats = {d["source"].split("/")[-1]: d["category"] for d in j["documents"]}
want = {"Surgical_Pathology_Report_2026-03-20.pdf": "pathology", "Operative_Note_2026-03-18.pdf": "operative",
        "Discharge_Summary_2026-03-22.pdf": "hospital", "Medication List.pdf": "medications",
        "Treatment Plan Summary.pdf": "summary", "CT_Chest_Report_2026-03-01.pdf": "radiology",
        "DICOMDIR": "radiology", "IM1": "radiology", "IM2": "radiology", "IM3": "radiology"}
assert cats == want, cats
assert j["problems"] == [], j["problems"]
assert len(j["studies"]) == 1, j["studies"]
PY
expect_true "samples classify into every category of the default manifest" python3 "$T/samples.py" "$T/samples.json"

# Synthetic: one made-up patient everywhere, and every PDF says it is a sample.
bad=''
for f in "$S"/CD/DICOM/*/* "$S"/CD/DICOMDIR; do
	dcmdump "$f" >"$T/dump" 2>&1 || bad="$bad $f(unreadable)"
	grep -q '(0010,0010) PN \[DOE^JANE\]' "$T/dump" || bad="$bad $f(name)"
	grep -q '(0010,0020) LO \[MRN12345\]' "$T/dump" || bad="$bad $f(id)"
done
[ -z "$bad" ] && ok "sample DICOM files are Jane Doe's, read by dcmdump" || notok "sample DICOM files are Jane Doe's, read by dcmdump" "$bad"
bad=''
for f in "$S"/*.pdf; do grep -q "SYNTHETIC SAMPLE RECORD" "$f" && grep -q "Jane Doe" "$f" || bad="$bad $f"; done
[ -z "$bad" ] && ok "every sample PDF is marked synthetic and names Jane Doe" || notok "every sample PDF is marked synthetic and names Jane Doe" "$bad"

# The DICOMDIR refers to every image of the disc, and every file it refers to is there.
dcmdump +P 0004,1500 "$S/CD/DICOMDIR" | sed -n 's/.*\[\(.*\)\].*/\1/p' | tr '\\' '/' | sort >"$T/refs"
(cd "$S/CD" && find DICOM -type f | sort) >"$T/files"
if [ -s "$T/refs" ] && cmp -s "$T/refs" "$T/files"; then ok "DICOMDIR refers to exactly the disc's images"; else
	notok "DICOMDIR refers to exactly the disc's images" "refs: $(tr '\n' ' ' <"$T/refs")" "files: $(tr '\n' ' ' <"$T/files")"; fi

# Its record offsets (which make-samples.sh shifts when it pins the file's UID) each point at
# a directory record, as dcmdump finds them.
dcmdump "$S/CD/DICOMDIR" >"$T/dd.txt" 2>&1
ups=$(sed -n 's/.*(0004,14[02]0) up \([1-9][0-9]*\) .*/\1/p; s/.*(0004,120[02]) up \([1-9][0-9]*\) .*/\1/p' "$T/dd.txt" | sort -u)
bad=''
for o in $ups; do grep -q "offset=\$$o\b" "$T/dd.txt" || bad="$bad $o"; done
[ -n "$ups" ] && [ -z "$bad" ] && ok "DICOMDIR record offsets point at its records" ||
	notok "DICOMDIR record offsets point at its records" "offsets:$ups" "dangling:$bad"

# Every PDF is well formed: each xref entry points at its object, startxref at the table.
cat >"$T/pdf.py" <<'PY'
import re, sys
for path in sys.argv[1:]:
    d = open(path, "rb").read()
    assert d.startswith(b"%PDF-1.") and d.rstrip().endswith(b"%%EOF"), path
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", d).group(1))
    assert d[start:].startswith(b"xref"), (path, "startxref")
    lines = d[start:].split(b"\n")
    first, count = map(int, lines[1].split())
    for i in range(1, count):
        off = int(lines[2 + i][:10])
        assert d[off:].startswith(b"%d 0 obj" % (first + i)), (path, i)
PY
expect_true "sample PDFs have a correct cross-reference table" python3 "$T/pdf.py" "$S"/*.pdf

# Reproducible: a fresh run of make-samples.sh gives the same files.
expect_exit 0 "make-samples.sh regenerates the samples" bash samples/make-samples.sh "$T/regen"
(cd "$S" && find . | sort) >"$T/list-committed"
(cd "$T/regen" && find . | sort) >"$T/list-regen"
if cmp -s "$T/list-committed" "$T/list-regen"; then ok "regenerated samples have the same files"; else
	notok "regenerated samples have the same files" "$(diff "$T/list-committed" "$T/list-regen" | head)"; fi
bad=''
for f in "$S"/*.pdf; do cmp -s "$f" "$T/regen/${f#"$S"/}" || bad="$bad $f"; done
[ -z "$bad" ] && ok "regenerated PDFs are byte-identical" || notok "regenerated PDFs are byte-identical" "$bad"
# dcmdump output, less what names the dcmtk release that wrote the file (and the offsets that
# move with its length), so a newer dcmtk still compares equal.
dump() {
	dcmdump "$1" 2>&1 | grep -Ev 'ImplementationClassUID|ImplementationVersionName|FileMetaInformationGroupLength|^ *# *offset=| up [0-9]+ '
}
bad=''
for f in CD/DICOMDIR CD/DICOM/ST1/IM1 CD/DICOM/ST1/IM2 CD/DICOM/ST1/IM3; do
	[ "$(dump "$S/$f")" = "$(dump "$T/regen/$f")" ] || bad="$bad $f"
done
[ -z "$bad" ] && ok "regenerated DICOM files and DICOMDIR are equal by dcmdump" || notok "regenerated DICOM files and DICOMDIR are equal by dcmdump" "$bad"
expect_exit 0 "regenerated samples check complete" "$RECPACK" check --patient "Jane Doe" --dob 1970-01-01 \
	--mrn MRN12345 --surgery --hospitalized "$T/regen"

# The sample roster builds with batch: every row ok, every packet verifies.
expect_exit 0 "samples/roster.csv builds with recpack batch" "$RECPACK" batch samples/roster.csv -d "$T/roster-out"
expect_true "samples roster: every row ok in report.jsonl" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["jane-doe", "jane-doe-filed"], rows
assert all(r["status"] == "ok" and r["exit"] == 0 for r in rows), rows' "$T/roster-out/report.jsonl"
expect_true "samples roster: both packets verify" sh -c "'$RECPACK' verify -q '$T/roster-out/jane-doe.zip' && '$RECPACK' verify -q '$T/roster-out/jane-doe-filed.zip'"
