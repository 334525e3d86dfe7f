#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build finds each document's type from as few bytes as it can (8 KiB, more only when those
# do not settle it) and then reads it once more whole to pack it. The answers must be the ones
# a full read gives (check reads every byte), on documents whose deciding bytes lie past
# 8 KiB; and the bytes read from the inputs must stay within 1.05 times their size.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/c" "$T/ct"
cat >"$T/gen.py" <<'PY'
import os, random, struct, sys
os.chdir(sys.argv[1])
r = random.Random(7)
def w(name, data): open(name, 'wb').write(data)
def pad(n): return b''.join(b'%% filler line %06d\n' % i for i in range(n // 20 + 1))[:n]
def el(g, e, vr, val):
    if isinstance(val, str):
        val = val.encode()
        if len(val) % 2: val += b'\0' if vr == 'UI' else b' '
    if vr in ('OB', 'OW'):
        return struct.pack('<HH2sHI', g, e, vr.encode(), 0, len(val)) + val
    return struct.pack('<HH2sH', g, e, vr.encode(), len(val)) + val
def dicom(study, extra=b'', after=b'', pixels=4096, ts='1.2.840.10008.1.2.1'):
    meta = el(2, 1, 'OB', b'\0\1') + el(2, 2, 'UI', '1.2.840.10008.5.1.4.1.1.2') + \
        el(2, 3, 'UI', study + '.1') + el(2, 0x10, 'UI', ts)
    head = b'\0' * 128 + b'DICM' + el(2, 0, 'UL', struct.pack('<I', len(meta))) + meta + \
        el(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.2') + el(8, 0x18, 'UI', study + '.1') + \
        el(8, 0x60, 'CS', 'CT') + el(0x10, 0x10, 'PN', 'DOE^JANE') + el(0x20, 0xd, 'UI', study) + extra
    return head, head + after + (el(0x7fe0, 0x10, 'OW', bytes(pixels)) if pixels else b'')
if sys.argv[2] == 'edge':
    w('flate_late.pdf', b'%PDF-1.4\n' + pad(10000) + b'/FlateDecode\n' + pad(10000) + b'\n%%EOF\n')
    w('flate_early.pdf', b'%PDF-1.4\n/FlateDecode\n' + pad(60000) + b'\n%%EOF\n')
    w('eof_then_junk.pdf', b'%PDF-1.4\n/FlateDecode\n' + pad(15000) + b'\n%%EOF\n' + pad(3000))
    w('nul_late.txt', pad(10000) + b'\0' + pad(10000))
    w('comment_then.html', b'<!--' + pad(12000) + b'-->\n<html><body>x</body></html>\n')
    w('ccda_late.xml', b'<?xml version="1.0"?>\n<!--' + pad(12000) + b'-->\n<ClinicalDocument/>\n')
    b = bytearray(r.getrandbits(8) for _ in range(40000)); b[0] = 1; b[32769:32774] = b'CD001'
    w('disc.img', bytes(b))
    w('big_header.dcm', dicom('1.2.826.0.1.3680043.8.498.71', extra=el(9, 0x1010, 'OB', bytes(15000)) +
                              el(8, 0x1030, 'LO', 'AFTER A LONG HEADER'), pixels=60000)[1])
    # a header element that ends exactly at 8 KiB, the study description just after it
    head, _ = dicom('1.2.826.0.1.3680043.8.498.72')
    fill = el(0x29, 0x1010, 'OB', bytes(8192 - len(head) - 12))
    w('boundary.dcm', dicom('1.2.826.0.1.3680043.8.498.72', extra=fill,
                            after=el(8, 0x1030, 'LO', 'PAST THE BOUNDARY'), pixels=0)[1])
else:  # CT slices of about 512 KiB
    for i in range(int(sys.argv[2])):
        w('IM%03d' % i, dicom('1.2.826.0.1.3680043.8.498.73', extra=el(0x20, 0x13, 'IS', str(i + 1)),
                              pixels=512 * 512 * 2)[1][:-4] + struct.pack('<I', i))
PY
python3 "$T/gen.py" "$T/c" edge || notok "edge fixtures"
export SOURCE_DATE_EPOCH=1767225600
# one category that takes every file: unclassified documents are never packed
printf '[records]\nrequired = no\nmatch = *\n' >"$T/all.ini"
"$RECPACK" check -m "$T/all.ini" --json "$T/c" >"$T/check.json"
expect_exit 0 "build the edge cases" "$RECPACK" build -q -m "$T/all.ini" --allow-incomplete -o "$T/c.zip" "$T/c"
expect_true "build's types and DICOM fields are check's (which reads every byte)" python3 -c '
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[2])
p = json.loads(z.read([n for n in z.namelist() if n.endswith("/packet.json")][0]))
c = json.load(open(sys.argv[1]))
key = lambda d: (d["name"], d["type"], d["category"], d["size"], d.get("study_uid"))
# the DICOMDIR build makes for the loose DICOM files (dicomdir_write.sh) is not an input
p["documents"] = [d for d in p["documents"] if not d["source"].startswith("recpack:")]
assert sorted(map(key, p["documents"])) == sorted(map(key, c["documents"])), (p["documents"], c["documents"])
assert p["studies"] == c["studies"], (p["studies"], c["studies"])
# (disc.img, an ISO signature past 8 KiB, is now expanded as a disc image: archive_disc.sh)
want = {"flate_late.pdf": "pdf", "nul_late.txt": "unknown", "comment_then.html": "html"}
got = {d["name"]: d["type"] for d in p["documents"]}
assert all(got[k] == v for k, v in want.items()), got
desc = sorted(s["description"] for s in p["studies"])
assert desc == ["AFTER A LONG HEADER", "PAST THE BOUNDARY"], desc
' "$T/check.json" "$T/c.zip"
expect_true "a PDF whose compressed streams start past 8 KiB is stored, not deflated" python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
i = [i for i in z.infolist() if i.filename.endswith("/flate_late.pdf")][0]
assert i.compress_type == zipfile.ZIP_STORED, i.compress_type
' "$T/c.zip"

# Bytes read from the inputs, counted by strace on every read of a file under the input folder.
python3 "$T/gen.py" "$T/ct" 40 || notok "CT fixtures"
total=$(find "$T/ct" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
# LeakSanitizer cannot run under ptrace: leaks are checked by every other test.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -ff -qq -y -e trace=read,pread64,readv,preadv -o "$T/trace" \
	"$RECPACK" build -q --allow-incomplete -o "$T/ct.zip" "$T/ct" >/dev/null 2>&1
read=$(cat "$T"/trace.* | grep -F "<$T/ct/" | sed -n 's/.*= \([0-9][0-9]*\)$/\1/p' | awk '{s += $1} END {print s + 0}')
ratio=$(awk -v r="$read" -v t="$total" 'BEGIN {printf "%.4f", r / t}')
expect_true "bytes read from the inputs <= 1.05 x their size (read $read of $total: $ratio)" \
	awk -v r="$read" -v t="$total" 'BEGIN {exit !(t > 0 && r >= t && r <= 1.05 * t)}'
expect_true "the CT packet verifies" "$RECPACK" verify -q "$T/ct.zip"
