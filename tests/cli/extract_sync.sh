#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack extract: durable without one fsync per file. Everything written is flushed with one
# syncfs() of the tree before it is renamed into place (then the folder it lands in is
# fsynced), and the extracted bag still checks with sha256sum -c (a tool we did not write).
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
mkdir -p "$T/rec/labs"
for i in $(seq 1 150); do
	for k in $(seq 1 40); do printf 'Lab result %d for Jane Doe, line %d\n' "$i" "$k"; done >"$T/rec/labs/lab$i.txt"
done
FACTS=(--patient "Jane Doe" --dob 1970-01-01 --surgery --hospitalized)
expect_exit 0 "build a packet of 150 extra files" "$RECPACK" build -q "${FACTS[@]}" -o "$T/p.zip" "$T/rec" \
	"hospital=$T/rec/labs"
files=$(unzip -Z1 "$T/p.zip" | grep -vc '/$')
if ! command -v strace >/dev/null; then
	skip "extract syncs the tree once" "strace is not installed"
else
	# LeakSanitizer cannot run under ptrace: leaks are checked by every other test's run
	expect_exit 0 "extract under strace exits 0" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -o "$T/trace" -e trace=fsync,fdatasync,syncfs,sync "$RECPACK" extract "$T/p.zip" -d "$T/x"
	n_fsync=$(grep -cE '^[0-9]+ +(fsync|fdatasync)\(' "$T/trace")
	n_syncfs=$(grep -cE '^[0-9]+ +syncfs\(' "$T/trace")
	expect_true "one syncfs for the whole tree ($n_syncfs)" test "$n_syncfs" -eq 1
	expect_true "at most 2 fsyncs for $files files ($n_fsync)" test "$n_fsync" -le 2
	bag=$(ls "$T/x")
	expect_true "the extracted bag checks with sha256sum -c" sh -c "cd '$T/x/$bag' && sha256sum --quiet -c manifest-sha256.txt"
	expect_true "and all $files files are there" test "$(find "$T/x/$bag" -type f | wc -l)" -eq "$files"
fi

# A deflated entry damaged in the ZIP (read raw and inflated by libdeflate) is reported and
# left out; the others are extracted.
python3 - "$T/p.zip" "$T/bad.zip" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
i = [i for i in z.infolist() if "/lab77" in i.filename][0]
assert i.compress_type == zipfile.ZIP_DEFLATED
data = bytearray(open(sys.argv[1], "rb").read())
with open(sys.argv[1], "rb") as f:
    f.seek(i.header_offset + 26)
    n, m = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
data[i.header_offset + 30 + n + m + i.compress_size // 2] ^= 0x10
open(sys.argv[2], "wb").write(data)
PY
run "$RECPACK" extract "$T/bad.zip" -d "$T/xb"
expect_true "a damaged entry: extract exits 1" test "$RC" -eq 1
expect_true "and names it" grep -q "lab77.*damaged" "$T/out"
expect_true "and leaves it out" test -z "$(find "$T/xb" -name 'lab77*')"
expect_true "and extracts the others" test -n "$(find "$T/xb" -name 'lab78*')"
