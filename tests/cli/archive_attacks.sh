#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile archives: path traversal, absolute paths, drive letters, symlinks, hard links,
# devices and FIFOs, a 4 GiB zip bomb, --max-expand and nesting. Each is refused with
# unsafe-archive naming the archive and the entry, and nothing is written outside the
# private temp dir, which is gone afterwards.
. "$(dirname "$0")/../lib.sh"

py() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); docs={d["relpath"]: d for d in j["documents"]}; print(eval(sys.argv[2]))' "$@"
}

mkdir -p "$T/tmp" "$T/outside" "$T/in/a/b"
export TMPDIR="$T/tmp"
A=$T/in/a/b
# Names below climb from the expansion folder, $T/tmp/recpack.XXXXXX/N-archive, to $T itself,
# so that anything they managed to write would be found under $T.

python3 - "$A" "$T" <<'PY'
import io, sys, tarfile, zipfile
a, top = sys.argv[1], sys.argv[2]
pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
def z(name, entries):
    with zipfile.ZipFile(f"{a}/{name}", "w") as f:
        f.writestr("Pathology_Report.pdf", pdf)
        for n in entries:
            f.writestr(zipfile.ZipInfo(n), b"evil")
z("traversal.zip", ["../../../evil-traversal.txt"])
z("inner-traversal.zip", ["docs/../../evil-inner.txt"])
z("absolute.zip", [f"{top}/outside/evil-absolute.txt"])
z("drive.zip", ["C:\\evil-drive.txt"])
z("backslash.zip", ["..\\..\\evil-backslash.txt"])
def t(name, members):
    with tarfile.open(f"{a}/{name}", "w:gz") as f:
        info = tarfile.TarInfo("Pathology_Report.pdf"); info.size = len(pdf)
        f.addfile(info, io.BytesIO(pdf))
        for info, data in members:
            f.addfile(info, io.BytesIO(data) if data else None)
def link(name, target, kind):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = target; return i
def reg(name, data):
    i = tarfile.TarInfo(name); i.size = len(data); return i, data
t("symlink.tar.gz", [(link("escape", f"{top}/outside", tarfile.SYMTYPE), None), reg("escape/evil-symlink.txt", b"evil")])
t("symlink-rel.tar.gz", [(link("up", "../../..", tarfile.SYMTYPE), None), reg("up/evil-symrel.txt", b"evil")])
t("hardlink.tar.gz", [(link("passwd", f"{top}/outside/target.txt", tarfile.LNKTYPE), None)])
i = tarfile.TarInfo("fifo"); i.type = tarfile.FIFOTYPE
t("fifo.tar.gz", [(i, None)])
i = tarfile.TarInfo("null"); i.type = tarfile.CHRTYPE; i.devmajor, i.devminor = 1, 3
t("device.tar.gz", [(i, None)])
PY
echo "keep me" >"$T/outside/target.txt"

check_refused() { # ARCHIVE ENTRY-PATTERN NAME
	expect_exit 3 "$3: exit 3" "$RECPACK" check --json "$A/$1"
	expect_true "$3: unsafe-archive names the archive and the entry" \
		test "$(py "$T/out" '[p["code"] for p in j["problems"] if p["code"] == "unsafe-archive" and "'"$1"'" in p["message"] and "'"$2"'" in p["message"]]')" = "['unsafe-archive']"
	expect_true "$3: nothing from the archive is used" test "$(py "$T/out" 'len(docs)')" = 0
}
check_refused traversal.zip "../../../evil-traversal.txt" "traversal ZIP"
check_refused inner-traversal.zip "docs/../../evil-inner.txt" "ZIP with .. inside a path"
check_refused absolute.zip "$T/outside/evil-absolute.txt" "absolute path ZIP"
check_refused drive.zip "evil-drive.txt" "drive letter ZIP"
check_refused backslash.zip "evil-backslash.txt" "backslash traversal ZIP"
check_refused symlink.tar.gz "escape" "symlink-escape tar"
check_refused symlink-rel.tar.gz "up" "relative symlink-escape tar"
check_refused hardlink.tar.gz "passwd" "hard link tar"
check_refused fifo.tar.gz "fifo" "FIFO tar"
check_refused device.tar.gz "null" "device tar"
expect_exit 3 "a refused archive is a source error in plain text too" "$RECPACK" check "$A/symlink.tar.gz"
expect_in "$T/out" "unsafe-archive: .*symlink.tar.gz was refused: its entry \"escape\" is a symbolic link" "the text report says what was refused and why"

# A 4 GiB zip bomb (4 MB on disk; made without compressing 4 GiB: a deflated 1 MiB block of
# zeros ending in a full flush is position independent, so it is repeated 4096 times).
python3 - "$A/bomb.zip" <<'PY'
import struct, sys, zlib
SIZE, BLOCK = 4 << 30, 1 << 20
CRC = 0xD202EF8D  # crc32 of 4 GiB of zero bytes (unzip -t agrees)
c = zlib.compressobj(9, zlib.DEFLATED, -15)
chunk = c.compress(bytes(BLOCK)) + c.flush(zlib.Z_FULL_FLUSH)
end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
comp = len(chunk) * (SIZE // BLOCK) + len(end)
name = b"Pathology_Report.pdf"
extra = struct.pack("<HHQQ", 1, 16, SIZE, comp)  # ZIP64: the sizes do not fit 32 bits
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, CRC, 0xFFFFFFFF,
                        0xFFFFFFFF, len(name), len(extra)) + name + extra)
    for _ in range(SIZE // BLOCK):
        f.write(chunk)
    f.write(end)
    cd = f.tell()
    f.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, CRC, 0xFFFFFFFF,
                        0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0) + name + extra)
    f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, f.tell() - cd, cd, 0))
PY
expect_true "the bomb is a valid ZIP of 4 GiB (python zipfile)" \
	python3 -c 'import sys, zipfile; assert zipfile.ZipFile(sys.argv[1]).infolist()[0].file_size == 4 << 30' "$A/bomb.zip"
expect_true "the bomb really expands past 100 MiB (unzip -p)" \
	test "$(unzip -p "$A/bomb.zip" | head -c 104857601 | wc -c)" -eq 104857601
# Time and peak memory of recpack, measured by Python's resource module.
python3 - "$RECPACK" "$A/bomb.zip" "$T/bomb" <<'PY'
import json, resource, subprocess, sys, time
t = time.monotonic()
p = subprocess.run([sys.argv[1], "check", "--json", sys.argv[2]], capture_output=True, timeout=120)
secs = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[3] + ".json", "wb").write(p.stdout)
open(sys.argv[3] + ".stats", "w").write(f"{p.returncode} {secs:.1f} {rss}\n")
PY
read -r bomb_rc bomb_secs bomb_kb <"$T/bomb.stats"
expect_true "zip bomb: exit 3" test "$bomb_rc" -eq 3
expect_true "zip bomb: refused in seconds (took ${bomb_secs}s)" python3 -c "assert $bomb_secs < 10"
expect_true "zip bomb: memory stays flat (peak ${bomb_kb} KB)" test "$bomb_kb" -lt 65536
expect_true "zip bomb: unsafe-archive names the archive, the entry and says zip bomb" \
	test "$(py "$T/bomb.json" '[p["code"] for p in j["problems"] if "bomb.zip" in p["message"] and "Pathology_Report.pdf" in p["message"] and "zip bomb" in p["message"]]')" = "['unsafe-archive']"

# --max-expand: an honest archive bigger than the limit.
head -c 8192 /dev/urandom >"$T/scan.bin"
(cd "$T" && zip -q "$A/big.zip" scan.bin)
expect_exit 3 "an archive over --max-expand is refused" "$RECPACK" check --json --max-expand 4K "$A/big.zip"
expect_true "the message names the limit and how to raise it" \
	test "$(py "$T/out" '[p["code"] for p in j["problems"] if "big.zip" in p["message"] and "--max-expand" in p["message"] and "scan.bin" in p["message"]]')" = "['unsafe-archive']"
expect_exit 1 "the same archive within --max-expand is expanded" "$RECPACK" check --json --max-expand 1M "$A/big.zip"
expect_exit 2 "--max-expand takes a size" "$RECPACK" check --max-expand lots "$A/big.zip"

# Nesting: an archive in an archive is opened, one level deeper is refused.
python3 - "$A" <<'PY'
import io, sys, zipfile
def wrap(inner_name, inner_bytes, name):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr(inner_name, inner_bytes)
    return b.getvalue()
pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
two = wrap("inner.zip", wrap("Pathology_Report.pdf", pdf, ""), "")
three = wrap("middle.zip", two, "")
open(sys.argv[1] + "/two.zip", "wb").write(two)
open(sys.argv[1] + "/three.zip", "wb").write(three)
PY
expect_exit 1 "a ZIP in a ZIP is opened" "$RECPACK" check --json "$A/two.zip"
expect_true "its PDF is found through both" test "$(py "$T/out" 'list(docs)')" = "['two/inner/Pathology_Report.pdf']"
expect_exit 3 "a ZIP in a ZIP in a ZIP is refused" "$RECPACK" check --json "$A/three.zip"
expect_true "the nesting refusal names the innermost archive" \
	test "$(py "$T/out" '[p["code"] for p in j["problems"] if "middle.zip/inner.zip" in p["message"] and "deep" in p["message"]]')" = "['unsafe-archive']"

# build writes no packet from a refused archive.
expect_exit 3 "build with a traversal ZIP exits 3" "$RECPACK" build -q -o "$T/p.zip" "$A/traversal.zip"
expect_true "build with a traversal ZIP writes no packet" test ! -e "$T/p.zip" -a ! -e "$T/p.zip.sha256"
# --allow-incomplete with nothing else: no packet (an empty one would only delay the doctor).
expect_exit 3 "--allow-incomplete with only a traversal ZIP writes no packet" \
	"$RECPACK" build -q --allow-incomplete -o "$T/p.zip" "$A/traversal.zip"
expect_true "--allow-incomplete with only a traversal ZIP: no file at -o" test ! -e "$T/p.zip" -a ! -e "$T/p.zip.sha256"
# --allow-incomplete packs what there is: nothing from the refused archive, and says why.
mkdir -p "$T/good" && make_pdf "$T/good/Medication_List.pdf" "MEDICATION LIST" "Patient: Jane Doe"
expect_exit 0 "--allow-incomplete with a traversal ZIP and a good record writes a packet" \
	"$RECPACK" build -q --allow-incomplete -o "$T/p.zip" "$A/traversal.zip" "$T/good"
expect_true "--allow-incomplete: no member of the refused archive is packed (python zipfile)" python3 -c '
import re, sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert any(n.endswith("/bagit.txt") for n in names), names
assert any(n.endswith("/Medication_List.pdf") for n in names), names
bad = [n for n in names if re.search("traversal|evil|Pathology", n)]
assert not bad, bad' "$T/p.zip"
expect_true "--allow-incomplete: packet.json records the unsafe-archive problem" \
	sh -c "unzip -p '$T/p.zip' '*/packet.json' | grep -q unsafe-archive"
rm -f "$T/p.zip" "$T/p.zip.sha256"

# Nothing escaped: no evil file anywhere under the test dir but in the archives, the target
# of the hard link untouched, and the private temp dir gone.
expect_true "no file was written outside the temp dir" test -z "$(find "$T" -name 'evil*' -print)"
expect_true "the directory links pointed at is untouched" test "$(ls -A "$T/outside")" = target.txt
expect_true "the hard link's target is untouched" test "$(cat "$T/outside/target.txt")" = "keep me"
expect_true "the private temp dir is gone after every run" test -z "$(ls -A "$T/tmp")"
