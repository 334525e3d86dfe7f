#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/bench-big.py SERIES_DIR FRAMES OUT: one multi-frame CT of FRAMES 512x512 frames (the
# pixels of the bench corpus's slices, in turn) for `make bench`: modern imaging (breast
# tomosynthesis, enhanced multi-frame CT/MR) comes as single files of hundreds of MB to GBs.
# FRAMES at most 8191 (the 32-bit Pixel Data length). A bench tool only, never part of recpack.
import os, sys, struct, glob
src, frames, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
assert 0 < frames <= 8191, "FRAMES must be 1 to 8191"
files = sorted(glob.glob(os.path.join(src, "IM*")))
PX = 512 * 512 * 2
with open(files[0], "rb") as f:
    first = f.read()
hdr = bytearray(first[:-PX])
assert hdr[-12:-8] == b"\xe0\x7f\x10\x00" and hdr[-8:-4] == b"OW\0\0"
# NumberOfFrames (0028,0008) IS, inserted before (0028,0002) keeps the elements in order
nf = str(frames).encode(); nf += b" " * (len(nf) & 1)
el = struct.pack("<HH2sH", 0x0028, 0x0008, b"IS", len(nf)) + nf
at = hdr.find(b"\x28\x00\x02\x00US")
hdr = hdr[:at] + el + hdr[at:]
hdr[-4:] = struct.pack("<I", frames * PX)
with open(out, "wb") as o:
    o.write(hdr)
    for i in range(frames):
        with open(files[i % len(files)], "rb") as f:
            f.seek(-PX, 2)
            o.write(f.read())
