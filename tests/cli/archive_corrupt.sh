#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Damaged, truncated and password-protected archives are source errors (exit 3) that name the
# archive and, where there is one, the member; nothing from them is used.
. "$(dirname "$0")/../lib.sh"

py() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); docs={d["relpath"]: d for d in j["documents"]}; print(eval(sys.argv[2]))' "$@"
}

mkdir -p "$T/tmp"
export TMPDIR="$T/tmp"
make_records "$T/rec"
head -c 300000 /dev/urandom >"$T/rec/scan-notes.bin" # data deflate cannot shrink, to damage
(cd "$T" && zip -q -r rec.zip rec && tar -czf rec.tar.gz rec && 7z a -bd -bso0 rec.7z rec)
xorriso -as mkisofs -quiet -J -R -o "$T/rec.iso" "$T/rec" 2>/dev/null

source_error() { # FILE NAME [PATTERN]: exit 3, an unreadable problem naming FILE (and PATTERN)
	expect_exit 3 "$2: exit 3" "$RECPACK" check --surgery --hospitalized --json "$T/$1"
	expect_true "$2: the problem names the archive${3:+ and \"$3\"}" \
		test "$(py "$T/out" '[p["code"] for p in j["problems"] if p["code"] == "unreadable" and "'"$1"'" in p["message"] and "'"${3:-}"'" in p["message"]]')" = "['unreadable']"
	expect_true "$2: nothing from it is used" test "$(py "$T/out" 'len(docs)')" = 0
	expect_true "$2: the check is not complete" test "$(py "$T/out" 'j["complete"]')" = False
}

size() { stat -c %s "$1"; }
head -c $(($(size "$T/rec.zip") / 2)) "$T/rec.zip" >"$T/cut.zip"
source_error cut.zip "truncated ZIP"
head -c $(($(size "$T/rec.tar.gz") / 2)) "$T/rec.tar.gz" >"$T/cut.tar.gz"
source_error cut.tar.gz "truncated tar.gz"
head -c $(($(size "$T/rec.7z") / 2)) "$T/rec.7z" >"$T/cut.7z"
source_error cut.7z "truncated 7z"
head -c $(($(size "$T/rec.iso") / 2)) "$T/rec.iso" >"$T/cut.iso"
source_error cut.iso "truncated disc image" "incomplete disc image"

# A UDF-only image (no ISO 9660 bridge): libarchive cannot read it; say so plainly.
python3 -c 'import sys; d = bytearray(36864); d[32768:32774] = b"\0BEA01"; open(sys.argv[1], "wb").write(d)' "$T/dvd.iso"
source_error dvd.iso "UDF-only disc image" "UDF"

# Flip bytes in the middle of one member's compressed data: its CRC no longer matches.
python3 - "$T/rec.zip" "$T/bad.zip" <<'PY'
import sys, zipfile
data = bytearray(open(sys.argv[1], "rb").read())
info = zipfile.ZipFile(sys.argv[1]).getinfo("rec/scan-notes.bin")
at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
data[at:at + 64] = bytes(64)
open(sys.argv[2], "wb").write(data)
PY
expect_true "unzip -t agrees the damaged ZIP is damaged" sh -c "! unzip -tq '$T/bad.zip' >/dev/null 2>&1"
source_error bad.zip "ZIP with a damaged member" "rec/scan-notes.bin"

(printf 'PK\003\004'; head -c 2000 /dev/zero) >"$T/junk.zip"
source_error junk.zip "garbage behind a ZIP signature"

(cd "$T/rec" && zip -q -P secret "$T/locked.zip" Medication\ List.pdf)
source_error locked.zip "password-protected ZIP" "password"
(cd "$T/rec" && 7z a -bd -bso0 -psecret -mhe=on "$T/locked.7z" Medication\ List.pdf)
source_error locked.7z "7z with encrypted names" "password"

# A damaged archive among good sources still fails the whole check.
expect_exit 3 "a damaged archive among good records fails the check" \
	"$RECPACK" check --surgery --hospitalized "$T/rec" "$T/cut.zip"
expect_in "$T/out" "cut.zip is damaged or incomplete" "the text report says which archive is damaged"

expect_exit 3 "build with a damaged archive exits 3" \
	"$RECPACK" build -q --surgery --hospitalized -o "$T/p.zip" "$T/rec" "$T/bad.zip"
expect_true "build with a damaged archive writes no packet" test ! -e "$T/p.zip" -a ! -e "$T/p.zip.sha256"

expect_true "the private temp dir is gone after every run" test -z "$(ls -A "$T/tmp")"
