#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Discs against their DICOMDIR, on pydicom's real test disc (dicomdirtests) and its second
# disc (TINY_ALPHA), copied at test time with the images' patient made one person: an image
# missing blocks with the count, an unlisted DICOM file warns, two discs both named CD keep a
# folder each in the packet (every DICOMDIR reference resolves inside the zip, read back with
# Python's zipfile and pydicom), and a disc copied among PDFs leaves the PDFs their category.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3 # Debian's, with python3-pydicom (the python3 on PATH may not have it)
SRC=/usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests
if ! "$PY" -c 'import pydicom' 2>/dev/null || [ ! -f "$SRC/DICOMDIR" ] || [ ! -f "$SRC/TINY_ALPHA/DICOMDIR" ]; then
	skip "discs against their DICOMDIR" "python3-pydicom's dicomdirtests are not installed"
	exit 0
fi

# jq-free JSON questions: js FILE EXPR (j is the document, probs the problems).
js() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); probs=j["problems"]; print(eval(sys.argv[2]))' "$@"
}

# unify DIR: every image's patient made one person (the DICOMDIRs stay as shipped).
unify() {
	"$PY" - "$1" <<'EOF'
import os, sys, pydicom
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(root, f)
        try:
            ds = pydicom.dcmread(p)
        except Exception:
            continue
        if "DirectoryRecordSequence" in ds:
            continue
        ds.PatientName = "Doe^Peter"
        ds.PatientID = "98890234"
        ds.PatientBirthDate = "19500101"
        ds.save_as(p)
EOF
}

mkdir -p "$T/one" "$T/two" "$T/pdf"
cp -r "$SRC" "$T/one/CD"
rm -rf "$T/one/CD/TINY_ALPHA" "$T/one/CD/"DICOMDIR-* "$T/one/CD/README.txt"
cp -r "$SRC/TINY_ALPHA" "$T/two/CD"
unify "$T/one/CD"
unify "$T/two/CD"
make_pdf "$T/pdf/Surgical_Pathology_Report.pdf" "Surgical pathology report"
make_pdf "$T/pdf/Medication_List.pdf" "Medication list"
make_pdf "$T/pdf/Treatment_Plan_Summary.pdf" "Treatment plan summary"
PT=(--patient "Doe, Peter")

expect_exit 0 "two whole discs both named CD check clean" \
	"$RECPACK" check --json "${PT[@]}" "$T/one/CD" "$T/two/CD" "$T/pdf"
cp "$T/out" "$T/clean.json"
expect_true "no disc problem on whole discs" \
	test "$(js "$T/clean.json" '[p["code"] for p in probs if p["code"].startswith("disc-")]')" = "[]"

# Two discs of the same name: two folders, each DICOMDIR resolving inside the zip.
expect_exit 0 "build from two discs both named CD" \
	"$RECPACK" build -q "${PT[@]}" -o "$T/packet.zip" "$T/one/CD" "$T/two/CD" "$T/pdf"
cat >"$T/resolve.py" <<'EOF'
import io, posixpath, sys, zipfile, pydicom
z = zipfile.ZipFile(sys.argv[1])
names = {n.upper(): n for n in z.namelist()}
dirs = [n for n in z.namelist() if posixpath.basename(n) == "DICOMDIR"]
tops = sorted(posixpath.dirname(n) for n in dirs)
bad = 0
for n in dirs:
    dd = pydicom.dcmread(io.BytesIO(z.read(n)))
    for r in dd.DirectoryRecordSequence:
        if "ReferencedFileID" not in r:
            continue
        fid = r.ReferencedFileID
        fid = "/".join(fid) if isinstance(fid, pydicom.multival.MultiValue) else str(fid)
        member = names.get((posixpath.dirname(n) + "/" + fid).upper())
        if member is None:
            print("missing", n, fid); bad += 1; continue
        ds = pydicom.dcmread(io.BytesIO(z.read(member)), stop_before_pixels=True)
        if ds.SOPInstanceUID != r.ReferencedSOPInstanceUIDInFile:
            print("other image", member); bad += 1
print(len(dirs), "discs", tops, "bad", bad)
EOF
run "$PY" "$T/resolve.py" "$T/packet.zip"
expect_in "$T/out" '^2 discs .*bad 0$' "the packet holds both DICOMDIRs and every reference resolves to its image"
expect_true "the two discs sit in two different folders" \
	test "$(python3 -c 'import sys,re; t=re.findall(r"\x27([^\x27]*)\x27", open(sys.argv[1]).read()); print(len(set(t)) == 2 and all("/data/01-radiology/CD" in x for x in t))' "$T/out")" = True

# A disc copied in part: one image, then two, deleted.
cp -r "$T/one/CD" "$T/part"
rm "$T/part/98892003/MR1/4919"
expect_exit 1 "a disc missing an image its DICOMDIR lists is blocked" \
	"$RECPACK" check --json "${PT[@]}" "$T/part" "$T/pdf"
cp "$T/out" "$T/part.json"
expect_true "disc-incomplete, blocking, names the one missing image" \
	test "$(js "$T/part.json" '[(p["severity"], "lists 1 image that is not" in p["message"], "copy the whole disc again" in p["message"].lower()) for p in probs if p["code"]=="disc-incomplete"]')" = "[('error', True, True)]"
rm "$T/part/77654033/CT2/17136"
run "$RECPACK" check "${PT[@]}" "$T/part" "$T/pdf"
expect_in "$T/out" 'disc-incomplete: .*lists 2 images that are not on the disc' "two missing images are counted in the text report"
expect_exit 1 "build refuses the disc copied in part" \
	"$RECPACK" build -q "${PT[@]}" -o "$T/part.zip" "$T/part" "$T/pdf"
expect_true "no packet is written for it" test ! -e "$T/part.zip"

# A DICOM file on the disc its DICOMDIR does not list: a warning, packed.
cp -r "$T/one/CD" "$T/extra"
mkdir -p "$T/extra/EXTRA"
"$PY" - "$T/two/CD/PT000000/ST000000/SE000000/IM000000" "$T/extra/EXTRA/IM1" <<'EOF'
import sys, pydicom
from pydicom.uid import generate_uid
ds = pydicom.dcmread(sys.argv[1])
ds.SOPInstanceUID = generate_uid()
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.save_as(sys.argv[2])
EOF
expect_exit 0 "an unlisted DICOM file on the disc does not block" \
	"$RECPACK" check --json "${PT[@]}" "$T/extra" "$T/pdf"
expect_true "disc-unlisted warns and names it" \
	test "$(js "$T/out" '[(p["severity"], "EXTRA/IM1" in p["message"], p["message"].startswith("1 DICOM file")) for p in probs if p["code"]=="disc-unlisted"]')" = "[('warning', True, True)]"

# A disc copied into a folder of PDFs: the PDFs keep their own categories.
cp -r "$T/one/CD" "$T/mixed"
cp "$T/pdf/"*.pdf "$T/mixed/"
expect_exit 0 "a disc copied among PDFs checks clean" "$RECPACK" check --json "${PT[@]}" "$T/mixed"
expect_true "the PDFs beside the DICOMDIR are not radiology" \
	test "$(js "$T/out" 'sorted(d["category"] for d in j["documents"] if d["relpath"].endswith(".pdf"))')" = "['medications', 'pathology', 'summary']"
expect_true "the images are radiology" \
	test "$(js "$T/out" 'set(d["category"] for d in j["documents"] if not d["relpath"].endswith(".pdf"))')" = "{'radiology'}"
