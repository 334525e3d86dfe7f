#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack build: the packet opens in tools we did not write (unzip, 7z, bsdtar, Python's
# zipfile), is a valid bag (sha256sum -c in the extracted bag), keeps the disc tree for
# dcmdump, and list/verify read it back.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
cd "$T" || exit 1
FACTS=(--patient "Jane Doe" --dob 1970-01-01 --surgery --hospitalized)

expect_exit 0 "build exits 0 on complete records" "$RECPACK" build "${FACTS[@]}" -o "$T/p.zip" "$T/rec"
expect_true "packet exists" test -f "$T/p.zip"
expect_true "packet is mode 0600" test "$(stat -c %a "$T/p.zip")" = 600
expect_true "sidecar exists" test -f "$T/p.zip.sha256"
expect_true "sidecar checks with sha256sum -c" sh -c "cd '$T' && sha256sum -c p.zip.sha256"
expect_true "unzip -t accepts the packet" unzip -t "$T/p.zip"
expect_true "7z t accepts the packet" 7z t "$T/p.zip"
expect_true "bsdtar lists the packet" bsdtar -tf "$T/p.zip"
expect_true "python zipfile testzip finds no bad entry" python3 -c "
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
tops = {n.split('/')[0] for n in names}
assert len(tops) == 1, tops
assert names == sorted(names[:len(names)-7]) + names[len(names)-7:], 'payload in fixed order'
" "$T/p.zip"

bag=$(bsdtar -tf "$T/p.zip" | head -1 | cut -d/ -f1)
expect_true "default folder name from patient and date" sh -c "echo '$bag' | grep -Eq '^Doe_Jane_[0-9]{4}-[0-9]{2}-[0-9]{2}_second-opinion$'"
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$T/p.zip")
B="$T/x/$bag"
for f in bagit.txt bag-info.txt manifest-sha256.txt tagmanifest-sha256.txt README.txt index.html packet.json; do
	expect_true "bag has $f" test -f "$B/$f"
done
expect_true "sha256sum -c manifest-sha256.txt in the extracted bag" sh -c "cd '$B' && sha256sum -c --strict manifest-sha256.txt"
expect_true "sha256sum -c tagmanifest-sha256.txt in the extracted bag" sh -c "cd '$B' && sha256sum -c --strict tagmanifest-sha256.txt"
expect_in "$B/bagit.txt" '^BagIt-Version: 1.0$' "bagit.txt version"
expect_in "$B/bagit.txt" '^Tag-File-Character-Encoding: UTF-8$' "bagit.txt encoding"
for k in Bagging-Date Payload-Oxum Bag-Software-Agent External-Description Patient-Name Patient-Birth-Date; do
	expect_in "$B/bag-info.txt" "^$k: " "bag-info.txt has $k"
done
n=$(find "$B/data" -type f | wc -l)
bytes=$(find "$B/data" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
expect_in "$B/bag-info.txt" "^Payload-Oxum: $bytes\\.$n\$" "Payload-Oxum matches the payload"
expect_true "DICOMDIR kept under data/01-radiology/CD" test -f "$B/data/01-radiology/CD/DICOMDIR"
expect_true "dcmdump reads the extracted DICOMDIR" dcmdump "$B/data/01-radiology/CD/DICOMDIR"
dcmdump "$B/data/01-radiology/CD/DICOMDIR" >"$T/dd.txt" 2>&1
expect_in "$T/dd.txt" 'DICOM\\ST1\\IM1.*ReferencedFileID' "DICOMDIR still refers to DICOM/ST1/IM1"
expect_true "the file the DICOMDIR refers to is in the bag" test -f "$B/data/01-radiology/CD/DICOM/ST1/IM1"
dcmdump "$B/data/01-radiology/CD/DICOM/ST1/IM1" >"$T/im.txt" 2>&1
expect_in "$T/im.txt" 'DOE\^JANE.*PatientName' "dcmdump reads an extracted DICOM image"
expect_true "pathology report in data/02-pathology" test -f "$B/data/02-pathology/Surgical_Pathology_Report_2026-03-20.pdf"
expect_true "packet.json is JSON with schema, complete, documents with path" python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert j['schema'] == 1 and j['complete'] is True
assert j['patient']['name'] == 'Jane Doe'
paths = [d['path'] for d in j['documents'] if 'path' in d]
assert 'data/01-radiology/CD/DICOMDIR' in paths, paths
for d in j['documents']:
    assert len(d['sha256']) == 64
assert all(c['status'] == 'ok' for c in j['categories'])
assert j['studies'][0]['images'] == 3
" "$B/packet.json"
# The tag files are made before the payload, each SHA-256 written in when its file is read:
# every one must be the real one, the same in manifest-sha256.txt and packet.json (index.html,
# for the doctor, carries none).
expect_true "packet.json and the manifest carry each file's real SHA-256" python3 -c "
import hashlib, json, os, re, sys
b = sys.argv[1]
real = {}
for root, _, files in os.walk(os.path.join(b, 'data')):
    for f in files:
        p = os.path.join(root, f)
        real[os.path.relpath(p, b)] = hashlib.sha256(open(p, 'rb').read()).hexdigest()
man = {}
for line in open(os.path.join(b, 'manifest-sha256.txt')):
    h, p = line.rstrip('\n').split('  ', 1)
    man[p] = h
assert man == real, 'manifest'
j = json.load(open(os.path.join(b, 'packet.json')))
packed = [d for d in j['documents'] if 'path' in d]
assert len(packed) == len(real)
for d in packed:
    assert d['sha256'] == real[d['path']], d['path']
assert not re.search(r'[0-9a-f]{64}', open(os.path.join(b, 'index.html')).read()), 'a checksum in index.html'
for t in ('manifest-sha256.txt', 'packet.json', 'index.html'):
    assert '0' * 64 not in open(os.path.join(b, t)).read(), t
" "$B"
expect_not_in "$B/index.html" '<script|https?://' "index.html has no scripts or external links"
expect_in "$B/index.html" 'Jane Doe' "index.html names the patient"
expect_in "$B/index.html" 'href="data/01-radiology/CD/DICOMDIR"' "index.html links the DICOMDIR"
expect_in "$B/README.txt" 'sha256sum -c manifest-sha256.txt' "README.txt explains how to check"

expect_exit 0 "verify accepts the packet" "$RECPACK" verify "$T/p.zip"
expect_in "$T/out" 'OK' "verify says OK"
expect_exit 0 "verify accepts the extracted folder" "$RECPACK" verify "$T/x"
expect_exit 0 "verify --json" "$RECPACK" verify --json "$T/p.zip"
expect_true "verify --json says ok" python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j['schema']==1 and j['ok'] and j['sidecar']=='ok' and j['failures']==[]" "$T/out"
expect_exit 0 "list the packet" "$RECPACK" list "$T/p.zip"
expect_in "$T/out" 'data/02-pathology/Surgical_Pathology_Report_2026-03-20.pdf' "list shows the pathology report"
expect_exit 0 "list --json" "$RECPACK" list --json "$T/p.zip"
expect_true "list --json groups by category" python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j['schema']==1 and len(j['categories']['pathology'])==1 and len(j['categories']['radiology'])==5 and j['unclassified']==[]" "$T/out"

# -o - streams the packet
expect_exit 0 "build -o - writes to stdout" "$RECPACK" build -q "${FACTS[@]}" -o - "$T/rec"
cp "$T/out" "$T/stdout.zip"
expect_true "packet from stdout passes unzip -t" unzip -t "$T/stdout.zip"
expect_true "no temp file left beside" sh -c "! ls -a '$T' | grep -q recpack-tmp"

# --name and levels
expect_exit 0 "build --name --level 0 -j 1" "$RECPACK" build -q "${FACTS[@]}" --name "Jane's packet" --level 0 -j 1 -o "$T/n.zip" "$T/rec"
expect_true "--name sets the top folder" sh -c "unzip -Z1 '$T/n.zip' | head -1 | grep -q \"^Jane's packet/\""
expect_true "--level 0 stores every entry" sh -c "! unzip -v '$T/n.zip' | grep -q Defl"
expect_exit 0 "verify the stored packet" "$RECPACK" verify "$T/n.zip"
