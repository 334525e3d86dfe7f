#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Zip bombs that a per-entry ratio does not see: David Fifield's overlapping entries (every
# entry's data holds the next entry's header, so 64 KB expand 16 times to 63 MiB), the same
# with 290 entries (93 KB that would fill any disk), and many separately small entries that
# add up. Each is refused as a zip bomb before writing more than a few MiB (a file-size limit
# of 8 MiB kills recpack otherwise). Honest archives that compress well still pass.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/tmp" "$T/a"
export TMPDIR="$T/tmp"
A=$T/a

python3 - "$A" <<'PY'
import struct, sys, zlib
a = sys.argv[1]

def crc32_combine(c1, c2, len2):  # zlib's crc32_combine: crc of A+B from crc(A), crc(B), len(B)
    def times(mat, vec):
        s, i = 0, 0
        while vec:
            if vec & 1:
                s ^= mat[i]
            vec >>= 1
            i += 1
        return s
    def square(mat):
        return [times(mat, mat[n]) for n in range(32)]
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while True:
        even = square(odd)
        if len2 & 1:
            c1 = times(even, c1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            c1 = times(odd, c1)
        len2 >>= 1
        if not len2:
            break
    return c1 ^ c2

def lfh(name, crc, csize, usize):
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, usize, len(name), 0) + name

def cdh(name, crc, csize, usize, off):
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize, usize,
                       len(name), 0, 0, 0, 0, 0, off) + name

def fifield(path, n, usize=63 << 20):
    """Overlapping entries: entry i's deflate data is a stored block quoting entry i+1's local
    header, then entry i+1's data; the last entry's data is the one kernel of zeros."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = c.compress(bytes(usize)) + c.flush()
    names = [b"Scan_%04d.pdf" % i for i in range(n)]
    # from the last entry back: each entry's crc, sizes and header
    crc, csize, size = zlib.crc32(bytes(usize)), len(kernel), usize
    ent = [None] * n
    ent[n - 1] = (crc, csize, size)
    for i in range(n - 2, -1, -1):
        nxt = lfh(names[i + 1], *ent[i + 1])
        quote = struct.pack("<BHH", 0, len(nxt), len(nxt) ^ 0xFFFF)
        crc = crc32_combine(zlib.crc32(nxt), ent[i + 1][0], ent[i + 1][2])
        ent[i] = (crc, len(quote) + len(nxt) + ent[i + 1][1], len(nxt) + ent[i + 1][2])
    out, offs = b"", []
    for i in range(n):
        offs.append(len(out))
        out += lfh(names[i], *ent[i])
        if i < n - 1:
            nxt_len = len(lfh(names[i + 1], *ent[i + 1]))
            out += struct.pack("<BHH", 0, nxt_len, nxt_len ^ 0xFFFF)
    out += kernel
    cd = len(out)
    for i in range(n):
        out += cdh(names[i], *ent[i], offs[i])
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(out) - cd, cd, 0)
    open(path, "wb").write(out)

fifield(f"{a}/overlap16.zip", 16)
fifield(f"{a}/overlap290.zip", 290)  # 290 x 63 MiB: 18 GB

# Separate entries, none past 64 MiB, each deflated on its own: 4 x 20 MiB of zeros in 80 KB.
import zipfile
with zipfile.ZipFile(f"{a}/many.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(4):
        z.writestr(f"Scan_{i}.pdf", bytes(20 << 20))

# Honest and compressible: 40 DICOM-like images of 512 KiB, mostly air (zeros) around 5 %
# of noise: about 20:1. And one small record padded with zeros, far above 100:1 but small.
import random
random.seed(7)
with zipfile.ZipFile(f"{a}/ct.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(40):
        img = bytearray(512 << 10)
        img[128:132] = b"DICM"
        for j in range(0, len(img), 1024):
            img[j + 200:j + 226] = random.randbytes(26)
        z.writestr(f"DICOM/IM{i:04d}", bytes(img))
with zipfile.ZipFile(f"{a}/padded.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Pathology_Report.pdf", b"%PDF-1.4\n" + bytes(3 << 20) + b"\n%%EOF\n")
PY

size() { stat -c %s "$1"; }
expect_true "the 16-entry bomb is about 64 KB ($(size "$A/overlap16.zip") bytes)" test "$(size "$A/overlap16.zip")" -lt 70000
expect_true "the 290-entry bomb is under 96 KB ($(size "$A/overlap290.zip") bytes)" test "$(size "$A/overlap290.zip")" -lt 98304
expect_true "the bomb declares 16 x 63 MiB and more (python zipfile)" python3 -c '
import sys, zipfile
i = zipfile.ZipFile(sys.argv[1]).infolist()
assert len(i) == 16 and min(e.file_size for e in i) >= 63 << 20, [e.file_size for e in i]' "$A/overlap16.zip"
expect_true "its last entry is a valid 63 MiB of zeros (python zipfile checks the CRC)" python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert z.read("Scan_0015.pdf") == bytes(63 << 20)' "$A/overlap16.zip"
run unzip -t "$A/overlap16.zip"
expect_in "$T/out" "overlapped components|zip bomb" "Info-ZIP's unzip calls it a zip bomb too"

# Each bomb: exit 3, unsafe-archive naming the archive and saying "zip bomb", within a
# file-size limit of 8 MiB (ulimit -f), in seconds, and the temp folder is gone afterwards.
bomb() { # ARCHIVE WORD NAME
	expect_exit 3 "$3: refused (exit 3) within an 8 MiB file-size limit" \
		bash -c 'ulimit -f 8192; exec "$@"' sh "$RECPACK" check --json "$A/$1"
	expect_true "$3: unsafe-archive says $1 is a zip bomb, $2" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
m = [p["message"] for p in j["problems"] if p["code"] == "unsafe-archive"]
assert m and sys.argv[2] in m[0] and "is a zip bomb" in m[0] and sys.argv[3] in m[0] and "delete it" in m[0], m
assert not j["documents"], j["documents"]' "$T/out" "$1" "$2"
	expect_true "$3: the temp folder is gone" test -z "$(ls -A "$T/tmp")"
}
bomb overlap16.zip "overlap" "16 overlapping entries"
bomb overlap290.zip "overlap" "290 overlapping entries"
bomb many.zip "times its size" "4 entries of 20 MiB"

expect_exit 3 "the text report says zip bomb too" "$RECPACK" check "$A/overlap16.zip"
expect_in "$T/out" "unsafe-archive: .*overlap16.zip is a zip bomb" "the text report names the bomb"
expect_not_in "$T/out" "free some disk space|--max-expand" "nobody is told to make room for a bomb"

honest() { # ARCHIVE COUNT NAME
	expect_exit 1 "$3: expanded (exit 1: records missing, not refused)" "$RECPACK" check --json "$A/$1"
	expect_true "$3: all $2 records found, no unsafe-archive" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert len(j["documents"]) == int(sys.argv[2]), len(j["documents"])
assert not [p for p in j["problems"] if p["code"] == "unsafe-archive"], j["problems"]' "$T/out" "$2"
}
expect_true "the CT zip compresses about 20:1" python3 -c '
import os, sys, zipfile
r = sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()) / os.path.getsize(sys.argv[1])
assert 10 < r < 40, r' "$A/ct.zip"
honest ct.zip 40 "a ZIP of mostly-air images"
honest padded.zip 1 "a small ZIP of one zero-padded record"
