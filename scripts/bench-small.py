#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/bench-small.py OUTDIR COUNT: writes COUNT small DICOM files (2-20 KB: small images,
# key objects, structured reports come like this, in their thousands) for `make bench`, in
# folders of 1,000. Made-up patient (DOE^JANE, MRN12345), the same bytes on every run. A
# bench tool only, never part of recpack.
import os, random, struct, sys

out, count = sys.argv[1], int(sys.argv[2])
STUDY = "1.2.826.0.1.3680043.8.498.8"
rng = random.Random(20)


def el(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode()
        value += (b"\0" if vr == "UI" else b" ") * (len(value) & 1)
    if vr in ("OB", "OW"):
        return struct.pack("<HH2s2xI", group, elem, vr.encode(), len(value)) + value
    return struct.pack("<HH2sH", group, elem, vr.encode(), len(value)) + value


def us(group, elem, v):
    return el(group, elem, "US", struct.pack("<H", v))


# 16-bit samples that compress like a small image: a smooth ramp with 12-bit noise, made once.
pool = bytearray()
for i in range(1 << 18):
    v = 1024 + (i % 512) + rng.randrange(40)
    pool += struct.pack("<H", v)

for i in range(count):
    d = os.path.join(out, "S%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    sop = "%s.%d.%d" % (STUDY, i // 1000 + 1, i + 1)
    side = rng.randrange(32, 100)
    px = side * side * 2
    off = rng.randrange(0, len(pool) - px) & ~1
    meta = (el(2, 1, "OB", b"\0\1") + el(2, 2, "UI", "1.2.840.10008.5.1.4.1.1.7") + el(2, 3, "UI", sop)
            + el(2, 0x10, "UI", "1.2.840.10008.1.2.1") + el(2, 0x12, "UI", "1.2.826.0.1.3680043.8.498.99"))
    body = (el(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.7") + el(8, 0x18, "UI", sop)
            + el(8, 0x20, "DA", "20260301") + el(8, 0x60, "CS", "OT")
            + el(8, 0x1030, "LO", "KEY IMAGES") + el(0x10, 0x10, "PN", "DOE^JANE")
            + el(0x10, 0x20, "LO", "MRN12345") + el(0x10, 0x30, "DA", "19700101")
            + el(0x20, 0xD, "UI", STUDY) + el(0x20, 0xE, "UI", "%s.%d" % (STUDY, i // 1000 + 1))
            + el(0x20, 0x13, "IS", str(i + 1)) + us(0x28, 2, 1) + el(0x28, 4, "CS", "MONOCHROME2")
            + us(0x28, 0x10, side) + us(0x28, 0x11, side) + us(0x28, 0x100, 16) + us(0x28, 0x101, 12)
            + us(0x28, 0x102, 11) + us(0x28, 0x103, 0) + el(0x7FE0, 0x10, "OW", pool[off:off + px]))
    with open(os.path.join(d, "IM%06d" % (i + 1)), "wb") as f:
        f.write(bytes(128) + b"DICM" + el(2, 0, "UL", struct.pack("<I", len(meta))) + meta + body)
