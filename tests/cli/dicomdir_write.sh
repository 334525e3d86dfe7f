#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# dicomdir_write.sh: loose DICOM files (no DICOMDIR) get one in the packet, and tools we did not
# write read it: dcmtk's dcmdump and dcmftest, dicom3tools' dciodvfy and dcdirdmp, and pydicom,
# which follows every record's offsets and opens the file each names. A disc's own DICOMDIR is
# packed byte for byte. Inputs: Debian's pydicom test files of one patient (Lestrade^G, in five
# transfer syntaxes) and files made from one of them here with pydicom (a second study of two
# series, one in implicit VR, instance numbers out of order, a Latin-1 description).
. "$(dirname "$0")/../lib.sh"

DATA=${RECPACK_PYDICOM_DATA:-/usr/lib/python3/dist-packages/pydicom/data}/test_files
PY=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import pydicom' 2>/dev/null; then PY=$p; break; fi
done
if [ ! -f "$DATA/SC_rgb_small_odd.dcm" ] || [ -z "$PY" ]; then
	notok "python3-pydicom is installed" "no pydicom or no $DATA: run make test-deps"
	exit 0
fi
for tool in dcmdump dcmftest dciodvfy dcdirdmp; do
	command -v $tool >/dev/null || { notok "$tool is installed" "run make test-deps (dcmtk, dicom3tools)"; exit 0; }
done
export SOURCE_DATE_EPOCH=1767225600

# ---- loose files of one patient ----
IN=$T/portal
mkdir -p "$IN"
# SC_rgb_rle.dcm holds the same SOP instance as SC_rgb_jpeg_gdcm.dcm: listed once, kept twice
for f in SC_rgb_dcmtk_+eb+cr.dcm SC_rgb_jpeg_gdcm.dcm SC_rgb_rle.dcm SC_rgb_small_odd.dcm SC_rgb_gdcm_KY.dcm; do
	cp "$DATA/$f" "$IN/"
done
"$PY" -W ignore - "$DATA/SC_rgb_small_odd.dcm" "$IN/second study" <<'EOF' || { notok "pydicom made the second study"; exit 0; }
import os, sys, pydicom
from pydicom.uid import generate_uid, ImplicitVRLittleEndian
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
study = generate_uid(entropy_srcs=["recpack-test-study"])
for se in (1, 2):
    series = generate_uid(entropy_srcs=["recpack-test-series", str(se)])
    for im in (1, 2, 3):
        d = pydicom.dcmread(src)
        d.StudyInstanceUID, d.SeriesInstanceUID = study, series
        d.StudyDate, d.StudyTime, d.StudyID = "20180202", "093000", "S2"
        d.SeriesNumber, d.InstanceNumber = se + 10, 4 - im
        d.SOPInstanceUID = d.file_meta.MediaStorageSOPInstanceUID = generate_uid(
            entropy_srcs=["recpack-test-image", str(se), str(im)])
        d.SpecificCharacterSet, d.StudyDescription = "ISO_IR 100", "Thorax ärztlich"
        if se == 2:
            d.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
            d.is_implicit_VR = True
        d.save_as(os.path.join(out, "slice %d-%d.dcm" % (se, im)), write_like_original=False)
EOF
NFILES=$(find "$IN" -type f | wc -l)
NSOPS=$("$PY" -W ignore -c 'import os, sys, pydicom
print(len({pydicom.dcmread(os.path.join(d, f), stop_before_pixels=True).SOPInstanceUID
           for d, _, fs in os.walk(sys.argv[1]) for f in fs}))' "$IN")

expect_exit 0 "build from loose DICOM files" "$RECPACK" build -q --allow-incomplete -o "$T/a.zip" "radiology=$IN"
mkdir -p "$T/a" && (cd "$T/a" && unzip -q ../a.zip) || notok "unzip the packet"
BAG=$(find "$T/a" -mindepth 1 -maxdepth 1 -type d)
DIR=$BAG/data/01-radiology/images
if [ -f "$DIR/DICOMDIR" ]; then ok "the packet has data/01-radiology/images/DICOMDIR"; else
	notok "the packet has data/01-radiology/images/DICOMDIR" "$(cd "$BAG" && find data | head -20)"
	exit 0
fi

expect_in <(dcmftest "$DIR/DICOMDIR" 2>&1) '^yes: ' "dcmftest: a DICOM Part 10 file"
run dcmdump -q "$DIR/DICOMDIR"
if [ "$RC" -eq 0 ] && [ ! -s "$T/err" ] && grep -q '(0004,1220) SQ' "$T/out"; then
	ok "dcmdump reads it without a complaint"
else notok "dcmdump reads it without a complaint" "exit $RC" "$(head -c 600 "$T/err")"; fi
expect_in "$T/out" 'MediaStorageDirectoryStorage' "dcmdump: the Media Storage Directory SOP class"
expect_in "$T/out" '\(0002,0010\) UI =LittleEndianExplicit' "dcmdump: explicit VR little endian"
expect_in "$T/out" '\(0004,1130\) CS \[RECPACK\]' "dcmdump: the File-set ID"
expect_in "$T/out" 'Thorax ärztlich' "dcmdump: a Latin-1 description kept, as UTF-8 (ISO_IR 192)"

run dciodvfy "$DIR/DICOMDIR"
expect_in "$T/err" '^BasicDirectory' "dciodvfy: checked as a Basic Directory"
expect_not_in "$T/err" '^Error' "dciodvfy: no errors"
run dcdirdmp "$DIR/DICOMDIR"
expect_true "dcdirdmp dumps it" test "$RC" -eq 0
cat "$T/err" >>"$T/out" # it writes the dump to stderr
got=$(grep -c 'IMAGE' "$T/out")
expect_true "dcdirdmp: $NSOPS IMAGE records, one per SOP instance ($NFILES files)" test "$got" = "$NSOPS"
expect_true "dcdirdmp: 1 patient, 2 studies, 3 series" test \
	"$(grep -c 'PATIENT' "$T/out") $(grep -c 'STUDY' "$T/out") $(grep -c 'SERIES' "$T/out")" = "1 2 3"

# pydicom follows the offsets (FileSet rebuilds the tree from them) and opens every file
expect_true "pydicom: every record resolves to the SOP instance it names, under its parents" "$PY" -W ignore - "$DIR/DICOMDIR" <<'EOF'
import os, re, sys, pydicom
from pydicom.fileset import FileSet
path = sys.argv[1]
ds = pydicom.dcmread(path)
assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
recs = ds.DirectoryRecordSequence
by_off = {r.seq_item_tell: r for r in recs}
first = by_off[ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity]
last = by_off[ds.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity]
assert first.DirectoryRecordType == "PATIENT" and last.OffsetOfTheNextDirectoryRecord == 0
def walk(off, parents, level):
    n = 0
    while off:
        r = by_off[off]
        assert r.DirectoryRecordType == level[0], (r.DirectoryRecordType, level)
        if level[0] == "IMAGE":
            ids = list(r.ReferencedFileID)
            assert all(re.fullmatch(r"[A-Z0-9_]{1,8}", c) for c in ids) and len(ids) <= 8, ids
            f = pydicom.dcmread(os.path.join(os.path.dirname(path), *ids), stop_before_pixels=True)
            assert f.SOPInstanceUID == r.ReferencedSOPInstanceUIDInFile
            assert f.SOPClassUID == r.ReferencedSOPClassUIDInFile
            assert f.file_meta.TransferSyntaxUID == r.ReferencedTransferSyntaxUIDInFile
            assert str(f.InstanceNumber) == str(r.InstanceNumber)
            pt, st, se = parents
            assert f.PatientID == pt.PatientID and str(f.PatientName) == str(pt.PatientName)
            assert f.StudyInstanceUID == st.StudyInstanceUID and f.StudyDate == st.StudyDate
            assert f.SeriesInstanceUID == se.SeriesInstanceUID and f.Modality == se.Modality
            n += 1
        else:
            n += walk(r.OffsetOfReferencedLowerLevelDirectoryEntity, parents + [r], level[1:])
        off = r.OffsetOfTheNextDirectoryRecord
    return n
n = walk(ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, [], ["PATIENT", "STUDY", "SERIES", "IMAGE"])
assert n == sum(r.DirectoryRecordType == "IMAGE" for r in recs), n
fs = FileSet(ds)
assert len(fs) == n, (len(fs), n)
for inst in fs:
    assert inst.load().SOPInstanceUID == inst.SOPInstanceUID
EOF

expect_true "instance numbers order the files: IM000001 is instance 1" "$PY" -W ignore -c '
import sys, pydicom
d = pydicom.dcmread(sys.argv[1] + "/DICOM/ST000002/SE000001/IM000001", stop_before_pixels=True)
assert (d.StudyDate, d.InstanceNumber, d.SeriesNumber) == ("20180202", 1, 11), (d.StudyDate, d.InstanceNumber, d.SeriesNumber)' "$DIR"

# the bag: both manifests check, the DICOMDIR is listed, the original names are in packet.json
expect_true "sha256sum -c manifest-sha256.txt" sh -c "cd '$BAG' && sha256sum --quiet -c manifest-sha256.txt"
expect_true "sha256sum -c tagmanifest-sha256.txt" sh -c "cd '$BAG' && sha256sum --quiet -c tagmanifest-sha256.txt"
expect_in "$BAG/manifest-sha256.txt" '^[0-9a-f]{64}  data/01-radiology/images/DICOMDIR$' "manifest-sha256.txt lists the DICOMDIR"
expect_true "packet.json: the DICOMDIR and every file, with its original name and where it went" "$PY" - "$BAG" "$NFILES" <<'EOF'
import hashlib, json, os, sys
bag, nfiles = sys.argv[1], int(sys.argv[2])
j = json.load(open(os.path.join(bag, "packet.json")))
docs = j["documents"]
dd = [d for d in docs if d.get("path") == "data/01-radiology/images/DICOMDIR"]
assert len(dd) == 1 and dd[0]["type"] == "dicomdir", dd
dcm = [d for d in docs if d["type"] == "dicom"]
assert len(dcm) == nfiles, len(dcm)
for d in docs:
    data = open(os.path.join(bag, d["path"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == d["sha256"], d["path"]
moved = {d["name"]: d["path"] for d in dcm if d["path"].startswith("data/01-radiology/images/DICOM/")}
assert "SC_rgb_small_odd.dcm" in moved and "slice 2-3.dcm" in moved, moved
kept = [d for d in dcm if not d["path"].startswith("data/01-radiology/images/")]
assert [os.path.basename(d["path"]) for d in kept] == [d["name"] for d in kept], kept
assert len(kept) == 1 and kept[0]["name"] in ("SC_rgb_rle.dcm", "SC_rgb_jpeg_gdcm.dcm"), kept
EOF
expect_in "$BAG/index.html" 'href="data/01-radiology/images/DICOMDIR"' "index.html links the DICOMDIR"
got=$(grep -c 'href="data/01-radiology/images/DICOMDIR">the disc</a></td></tr>' "$BAG/index.html")
expect_true "index.html: each of the 2 studies opens with the DICOMDIR (got $got)" test "$got" = 2
expect_true "README.txt: the study opens with the DICOMDIR" python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
i = [k for k, l in enumerate(lines) if l.endswith("Thorax ärztlich: 6 images")]
assert len(i) == 1 and lines[i[0] + 1].strip() == "disc: data/01-radiology/images/DICOMDIR", lines' "$BAG/README.txt"
expect_exit 0 "recpack verify accepts the packet" "$RECPACK" verify "$T/a.zip"

# reproducible, whatever the number of jobs
expect_exit 0 "second build, 1 job" "$RECPACK" build -q --allow-incomplete -j 1 -o "$T/b.zip" "radiology=$IN"
expect_true "the same files give the same bytes" cmp "$T/a.zip" "$T/b.zip"

# encrypted: neutral names outside, and extract gives back a DICOMDIR whose files are there
export RECPACK_PASSWORD="correct horse battery staple"
expect_exit 0 "encrypted build" "$RECPACK" build -q --allow-incomplete --encrypt -o "$T/e.zip" "radiology=$IN"
expect_exit 0 "extract the encrypted packet" "$RECPACK" extract "$T/e.zip" -d "$T/e"
unset RECPACK_PASSWORD
EDIR=$(find "$T/e" -name DICOMDIR | head -1)
expect_true "extracted: every record's file is there and holds its SOP instance" "$PY" -W ignore -c '
import sys, pydicom
from pydicom.fileset import FileSet
fs = FileSet(pydicom.dcmread(sys.argv[1]))
assert len(fs) == int(sys.argv[2])
for inst in fs:
    assert inst.load().SOPInstanceUID == inst.SOPInstanceUID' "$EDIR" "$NSOPS"

# ---- a disc that has its own DICOMDIR: packed as it is, none added ----
make_cd "$T/mix/CD" || notok "make_cd"
make_dicom "$T/mix/loose/scan1.dcm" sop=1.2.826.0.1.3680043.8.498.7.1 series=1.2.826.0.1.3680043.8.498.7 || notok "make_dicom"
make_dicom "$T/mix/loose/scan2.dcm" sop=1.2.826.0.1.3680043.8.498.7.2 series=1.2.826.0.1.3680043.8.498.7 || notok "make_dicom"
expect_exit 0 "build: a disc with its DICOMDIR and two loose files" "$RECPACK" build -q --allow-incomplete \
	-o "$T/m.zip" "radiology=$T/mix/CD" "radiology=$T/mix/loose"
mkdir -p "$T/m" && (cd "$T/m" && unzip -q ../m.zip)
expect_true "the disc's DICOMDIR is byte-identical" cmp "$T/mix/CD/DICOMDIR" "$(find "$T/m" -path '*/CD/DICOMDIR')"
expect_true "the disc's images keep their names" test -f "$(find "$T/m" -type d -name CD)/DICOM/ST1/IM3"
got=$(find "$T/m" -name DICOMDIR | wc -l)
expect_true "the loose files get a DICOMDIR of their own (2 in all, got $got)" test "$got" = 2
MDIR=$(find "$T/m" -path '*/images/DICOMDIR')
run dciodvfy "$MDIR"
expect_not_in "$T/err" '^Error' "dciodvfy: no errors (dcmtk-made images)"
expect_true "its two records resolve" "$PY" -W ignore -c '
import sys, pydicom
from pydicom.fileset import FileSet
fs = FileSet(pydicom.dcmread(sys.argv[1]))
assert sorted(i.SOPInstanceUID for i in fs) == ["1.2.826.0.1.3680043.8.498.7.1", "1.2.826.0.1.3680043.8.498.7.2"]
for inst in fs:
    assert inst.load().SOPInstanceUID == inst.SOPInstanceUID' "$MDIR"

expect_exit 0 "build: only a disc" "$RECPACK" build -q --allow-incomplete -o "$T/c.zip" "radiology=$T/mix/CD"
expect_true "only a disc: no DICOMDIR added" test "$(unzip -Z1 "$T/c.zip" | grep -c DICOMDIR)" = 1
expect_true "only a disc: its DICOMDIR byte-identical" sh -c "unzip -p '$T/c.zip' '*/CD/DICOMDIR' | cmp - '$T/mix/CD/DICOMDIR'"
