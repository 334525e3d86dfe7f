#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nothing is left out silently: a record 65 folders deep in a folder walk (deeper than the
# walk goes) is reported by path, and the check is not complete; 63 deep is gathered. A FIFO
# and a link back to a parent folder are reported as left out, as warnings.
. "$(dirname "$0")/../lib.sh"

deep() { # ROOT DEPTH: prints the path of DEPTH nested folders under ROOT
	p=$1
	for i in $(seq 1 "$2"); do p=$p/d$i; done
	echo "$p"
}
make_pdf "$T/r/Pathology_Report.pdf" "Pathology report"
make_pdf "$T/r/Medication_List.pdf" "Medication list"
make_pdf "$T/r/Treatment_Summary.pdf" "Treatment plan summary"
make_pdf "$T/r/Radiology_Report.pdf" "Radiology report"
make_dicom "$T/r/CT_image.dcm" # radiology needs images, not only a report
D63=$(deep "$T/r" 63)
D65=$(deep "$T/r" 65)
mkdir -p "$D63" "$D65"
make_pdf "$D63/Shallow_Note.pdf" "Consult note"
make_pdf "$D65/Deep_Note.pdf" "Consult note"

expect_exit 3 "a record 65 folders deep makes the check fail (exit 3)" "$RECPACK" check --json "$T/r"
expect_true "the problem names the folder left out and why" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
m = [p for p in j["problems"] if "was left out" in p["message"] and "folders deep" in p["message"]]
assert len(m) == 1 and m[0]["severity"] == "error" and m[0]["source"].endswith("/d64"), j["problems"]
docs = [d["relpath"] for d in j["documents"]]
assert any(d.endswith("d63/Shallow_Note.pdf") for d in docs), docs
assert not any("Deep_Note" in d for d in docs), docs' "$T/out"
expect_exit 3 "build refuses to call it complete" "$RECPACK" build -q -o "$T/p.zip" "$T/r"
expect_true "no packet is written" test ! -e "$T/p.zip"
expect_exit 3 "text: the check is not complete" "$RECPACK" check "$T/r"
expect_in "$T/out" "d64 was left out: it is more than 64 folders deep" "text: the folder left out is named"
expect_not_in "$T/out" "^Complete" "text: no Complete line"

rm -rf "$T/r/d1"
mkfifo "$T/r/pipe"
ln -s . "$T/r/loop"
expect_exit 0 "a FIFO and a link loop do not stop the check" "$RECPACK" check --json "$T/r"
expect_true "each is reported as left out, as a warning" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
w = sorted(p["source"].rsplit("/", 1)[1] for p in j["problems"] if p["severity"] == "warning" and "was left out" in p["message"])
assert w == ["loop", "pipe"], j["problems"]' "$T/out"
