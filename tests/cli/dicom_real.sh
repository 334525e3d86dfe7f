#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# dicom_real.sh: recpack on DICOM files nobody here made — the ones Debian's python3-pydicom
# ships (ten transfer syntaxes, the DICOM standard's character-set examples, two discs) — and
# on HEIC/AVIF photos ImageMagick writes. What each file says is taken from pydicom (and
# dcmdump), never from recpack; recpack's answer is read from `check --json`.
. "$(dirname "$0")/../lib.sh"

DATA=${RECPACK_PYDICOM_DATA:-/usr/lib/python3/dist-packages/pydicom/data}
PY=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import pydicom' 2>/dev/null; then PY=$p; break; fi
done
if [ ! -d "$DATA/charset_files" ] || [ -z "$PY" ]; then
	notok "python3-pydicom is installed" "no pydicom or no $DATA: run make test-deps"
	exit 0
fi

# pydicom_field FILE KEYWORD: the top-level value as pydicom decodes it ("" when absent).
pydicom_field() {
	"$PY" -W ignore -c 'import sys, pydicom
v = pydicom.dcmread(sys.argv[1], stop_before_pixels=True).get(sys.argv[2])
print("" if v is None else str(v).strip())' "$1" "$2"
}

# json_query EXPR: evaluates EXPR over the JSON in $T/out (bound to j), prints the result.
json_query() {
	"$PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$T/out" "$1"
}

# names_in_mismatch FILE: prints "yes" when $T/out (check --json) has a patient-mismatch for FILE
# whose message names every component of the name's alphabetic group as pydicom decodes it
# (the message may write DOE^JANE as "DOE, JANE").
names_in_mismatch() {
	"$PY" -W ignore -c 'import json, sys, pydicom
ds = pydicom.dcmread(sys.argv[2], stop_before_pixels=True)
parts = [c for c in str(ds.get("PatientName", "")).split("=")[0].split("^") if c]
msgs = [p["message"] for p in json.load(open(sys.argv[1]))["problems"]
        if p["code"] == "patient-mismatch" and p["source"].endswith("/" + sys.argv[2].split("/")[-1])]
print("yes" if any(all(c in m for c in parts if c) for m in msgs) else "no: %s %s" % (parts, msgs))' "$T/out" "$1"
}

# ---- another patient's DICOM, in every transfer syntax, is caught ----
src="$DATA/test_files/image_dfl.dcm"
rm -rf "$T/one" && mkdir -p "$T/one" && cp "$src" "$T/one/"
run "$RECPACK" check --json "$T/one"
want=$(pydicom_field "$src" StudyInstanceUID)
got=$(json_query '[d.get("study_uid") for d in j["documents"]][0]')
if [ "$got" = "$want" ]; then ok "deflated image_dfl.dcm: study UID as pydicom reads it"; else
	notok "deflated image_dfl.dcm: study UID as pydicom reads it" "pydicom $want, recpack $got"
fi
for f in MR_small_bigendian.dcm MR_small_implicit.dcm CT_small.dcm MR_small.dcm \
	MR_small_RLE.dcm JPEG2000.dcm; do
	src="$DATA/test_files/$f"
	[ -f "$src" ] || { notok "$f is shipped by pydicom" "no $src"; continue; }
	rm -rf "$T/one" && mkdir -p "$T/one" && cp "$src" "$T/one/"
	run "$RECPACK" check --json --patient "Jane Doe" "$T/one"
	ts=$("$PY" -W ignore -c 'import sys, pydicom
print(pydicom.dcmread(sys.argv[1]).file_meta.TransferSyntaxUID)' "$src")
	name=$(pydicom_field "$src" PatientName)
	study=$(pydicom_field "$src" StudyInstanceUID)
	got=$(names_in_mismatch "$src")
	if [ "$got" = yes ]; then ok "another patient's $f ($ts) is a patient-mismatch naming $name"; else
		notok "another patient's $f ($ts) is a patient-mismatch naming $name" "$got"
	fi
	got=$(json_query '[d.get("study_uid") for d in j["documents"]][0]')
	if [ "$got" = "$study" ]; then ok "$f: study UID as pydicom reads it"; else
		notok "$f: study UID as pydicom reads it" "pydicom $study, recpack $got"
	fi
done

# image_dfl.dcm names nobody (^^^^): another patient's deflated file is written here instead
"$PY" -W ignore - "$T/deflated" <<'EOF2'
import os, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import DeflatedExplicitVRLittleEndian
os.makedirs(sys.argv[1])
ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.2'
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.4.1'
ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.Modality = 'CT'
ds.PatientName = 'SMITH^JOHN'
ds.PatientID = 'OTHER99'
ds.PatientBirthDate = '19551212'
ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.4'
ds.save_as(os.path.join(sys.argv[1], 'IM1'), write_like_original=False)
EOF2
if dcmdump "$T/deflated/IM1" 2>/dev/null | grep -q '^(0002,0010) UI =Deflated'; then
	run "$RECPACK" check --patient "Jane Doe" "$T/deflated"
	expect_in "$T/out" "patient-mismatch: .*IM1.*may belong to someone else.*SMITH.*JOHN" \
		"another patient's deflated file (written by pydicom) is a patient-mismatch"
else
	notok "pydicom wrote a deflated file" "$(dcmdump "$T/deflated/IM1" 2>&1 | head -5)"
fi

# ---- names in the standard's character sets, shown as pydicom decodes them ----
for f in chrArab.dcm chrFren.dcm chrGerm.dcm chrGreek.dcm chrH31.dcm chrH32.dcm chrHbrw.dcm \
	chrI2.dcm chrJapMulti.dcm chrKoreanMulti.dcm chrRuss.dcm chrX1.dcm chrX2.dcm; do
	src="$DATA/charset_files/$f"
	[ -f "$src" ] || { notok "$f is shipped by pydicom" "no $src"; continue; }
	rm -rf "$T/one" && mkdir -p "$T/one" && cp "$src" "$T/one/"
	run "$RECPACK" check --json --patient "Nobody Else" "$T/one"
	name=$(pydicom_field "$src" PatientName)
	got=$(names_in_mismatch "$src")
	if [ "$got" = yes ]; then ok "$f: the name reads $name, as pydicom decodes it"; else
		notok "$f: the name reads $name, as pydicom decodes it" "$got"
	fi
done

# ---- a study description in Latin-1 reaches the JSON as UTF-8 ----
"$PY" -W ignore - "$T/latin1" <<'EOF'
import os, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
os.makedirs(sys.argv[1])
ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.2'
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.5.1'
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.SpecificCharacterSet = 'ISO_IR 100'
ds.Modality = 'CT'
ds.StudyDate = '20260301'
ds.add_new(0x00081030, 'LO', 'Thorax \xe4rztlich'.encode('latin-1'))
ds.add_new(0x00100010, 'PN', 'M\xfcller^J\xf6rg'.encode('latin-1'))
ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.5'
ds.save_as(os.path.join(sys.argv[1], 'IM1'), write_like_original=False)
EOF
want=$(pydicom_field "$T/latin1/IM1" StudyDescription)
run "$RECPACK" check --json "$T/latin1"
got=$(json_query '[s["description"] for s in j["studies"]]')
if [ "$got" = "['$want']" ]; then ok "Latin-1 study description reads $want"; else
	notok "Latin-1 study description reads $want" "recpack: $got"
fi

# ---- a header that goes on past 36 KiB: another patient behind a long private element ----
"$PY" -W ignore - "$T/long" <<'EOF'
import os, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
os.makedirs(sys.argv[1])
ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.2'
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.6.1'
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.Modality = 'CT'
ds.add_new(0x00090010, 'LO', 'RECPACK TEST')  # private creator
ds.add_new(0x00091001, 'OB', b'\0' * 300000)  # before the patient module (group 0010)
ds.PatientName = 'SMITH^JOHN'
ds.PatientID = 'OTHER99'
ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.6'
ds.BitsAllocated = 8
ds.PixelData = b'\0' * 2000000
ds.save_as(os.path.join(sys.argv[1], 'IM1'), write_like_original=False)
EOF
if dcmdump "$T/long/IM1" 2>/dev/null | grep -q "(0010,0010) PN \[SMITH^JOHN\]"; then ok "dcmdump reads the long header's name"; else
	notok "dcmdump reads the long header's name" "$(dcmdump "$T/long/IM1" 2>&1 | head -20)"
fi
# read once for its type (check), and read whole and hashed (a duplicate copy is hashed)
run "$RECPACK" check --patient "Jane Doe" "$T/long"
expect_in "$T/out" "patient-mismatch: .*IM1.*may belong to someone else.*SMITH.*JOHN" \
	"check: a patient module 300 KB into the file is read"
cp "$T/long/IM1" "$T/long/IM2"
run "$RECPACK" build --patient "Jane Doe" -o "$T/long.zip" "$T/long"
expect_in "$T/err" "patient-mismatch: .*IM1.*may belong to someone else.*SMITH.*JOHN" \
	"build, hashing: a patient module 300 KB into the file is read"

# ---- pydicom's discs: the DICOMDIR and its images are DICOM, every one typed ----
cp -r "$DATA/test_files/dicomdirtests" "$T/discs"
run "$RECPACK" check --json "$T/discs/TINY_ALPHA"
# the DICOMDIR itself and every file it references, as pydicom counts them
want=$("$PY" -W ignore -c 'import sys, pydicom
ds = pydicom.dcmread(sys.argv[1])
print(1 + sum(1 for r in ds.DirectoryRecordSequence if "ReferencedFileID" in r))' "$T/discs/TINY_ALPHA/DICOMDIR")
got=$(json_query 'sum(1 for d in j["documents"] if d["type"] in ("dicom", "dicomdir"))')
if [ "$got" = "$want" ]; then ok "TINY_ALPHA disc: the DICOMDIR and its $((want - 1)) images read as DICOM"; else
	notok "TINY_ALPHA disc: the DICOMDIR and its $((want - 1)) images read as DICOM" "recpack: $got"
fi

# ---- HEIC and AVIF photos are images, accepted where JPEG is ----
for fmt in heic avif; do
	rm -rf "$T/photo" && mkdir -p "$T/photo"
	if ! convert -size 16x16 xc:red "$T/photo/pathology_slide.$fmt" 2>/dev/null || [ ! -s "$T/photo/pathology_slide.$fmt" ]; then
		notok "ImageMagick writes $fmt" "convert failed"
		continue
	fi
	cp "$T/photo/pathology_slide.$fmt" "$T/photo/photo0001"
	run "$RECPACK" check --json "$T/photo"
	got=$(json_query '[(d["name"], d["type"], d["category"]) for d in sorted(j["documents"], key=lambda d: d["name"])]')
	case $got in
	"[('pathology_slide.$fmt', '$fmt', 'pathology'), ('photo0001', '$fmt', None)]")
		ok "$fmt photo: sniffed by content, filed like a JPEG" ;;
	*) notok "$fmt photo: sniffed by content, filed like a JPEG" "recpack: $got" ;;
	esac
	expect_not_in "$T/out" "wrong-type" "$fmt photo is not a wrong-type problem"
done
