#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Names are shown clean and indexed whole. An archive whose entry names carry ESC sequences,
# a newline with a forged "Complete:" line, C1 controls and bidirectional overrides prints
# none of them to the terminal or into README.txt. A record whose file name is Latin-1 (not
# UTF-8) is in check --json, packet.json, recpack list and an encrypted packet's extract,
# under its name read as Latin-1 ("Müller").
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/r" "$T/l"
make_pdf "$T/p.pdf" "Pathology report"
python3 - "$T/p.pdf" "$T/r/hostile.zip" <<'PY'
import sys, zipfile
pdf = open(sys.argv[1], "rb").read()
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("Pathology_Report\x1b]0;owned\x07\x1b[2J\x1b[32m\nComplete: every required record is here.\n.pdf", pdf)
    z.writestr("Medication_List_\u202e\u2066fdp.exe.pdf", pdf)
    z.writestr("Treatment_Summary\u009b31m\u200f\u061c\u2028.pdf", pdf)
PY
LATIN=$(printf 'Pathology_M\374ller.pdf')
cp "$T/p.pdf" "$T/l/$LATIN"

# No ESC, BEL, C1 (U+009B), bidi (U+202E, U+2066, U+200F, U+061C) or U+2028 in what a person sees.
hidden() { # FILE: fails when FILE holds any of them
	! grep -qaP '\x1b|\x07|\xc2\x9b|\xe2\x80\xae|\xe2\x81\xa6|\xe2\x80\x8f|\xd8\x9c|\xe2\x80\xa8' "$1"
}
expect_exit 1 "check of the hostile archive: not complete (exit 1)" "$RECPACK" check -v "$T/r/hostile.zip"
expect_true "the text report holds no control or bidi characters" hidden "$T/out"
expect_not_in "$T/out" "^Complete" "no forged Complete line"
expect_in "$T/out" "^Not complete" "the real verdict is there"
expect_in "$T/out" "Pathology_Report\?.*Complete: every required record is here\.\?\.pdf" "the name is shown on one line, its controls as ?"
expect_in "$T/out" "Medication_List_\?\?fdp\.exe\.pdf" "the bidi overrides are shown as ?"
expect_exit 1 "check --json of the hostile archive" "$RECPACK" check --json "$T/r/hostile.zip"
expect_true "check --json keeps all three names, escaped by JSON" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
s = sorted(d["relpath"] for d in j["documents"])
assert len(s) == 3 and "\x1b[2J" in s[1] and "\u202e" in s[0], s' "$T/out"
expect_exit 0 "build --allow-incomplete packs the hostile archive" "$RECPACK" build -q --allow-incomplete -o "$T/h.zip" "$T/r/hostile.zip"
unzip -p "$T/h.zip" '*/README.txt' >"$T/readme.txt"
expect_true "README.txt holds no control or bidi characters" hidden "$T/readme.txt"
expect_in "$T/readme.txt" "data/02-pathology/[^ ]+\\.pdf \\(PDF document" "README.txt lists the record"
expect_true "the packet's file names hold none either (unzip -Z1)" sh -c "unzip -Z1 '$T/h.zip' >'$T/names' && ! grep -qaP '\x1b|\xc2\x9b|\xe2\x80\xae|\xe2\x81\xa6' '$T/names'"

# A Latin-1 file name.
expect_exit 1 "check --json of a Latin-1 file name" "$RECPACK" check --json "$T/l"
expect_true "check --json lists it, read as Latin-1" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert [d["relpath"] for d in j["documents"]] == ["l/Pathology_M\u00fcller.pdf"], j["documents"]' "$T/out"
expect_exit 0 "build of a Latin-1 file name" "$RECPACK" build -q --allow-incomplete -o "$T/l.zip" "$T/l"
expect_true "packet.json lists it (python json, zipfile)" python3 -c '
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
j = json.loads(z.read([n for n in z.namelist() if n.endswith("/packet.json")][0]))
d = j["documents"]
assert len(d) == 1 and d[0]["path"].endswith("M\u00fcller.pdf") and d[0]["source"].endswith("M\u00fcller.pdf"), d
assert [n for n in z.namelist() if n.endswith("Pathology_M\u00fcller.pdf")], z.namelist()' "$T/l.zip"
expect_exit 0 "recpack list of it" "$RECPACK" list "$T/l.zip"
expect_in "$T/out" "Pathology_Müller\.pdf" "recpack list shows the Latin-1 name"
printf 'correct horse battery\n' >"$T/pw"
expect_exit 0 "encrypted build of a Latin-1 file name" "$RECPACK" build -q --allow-incomplete --encrypt --password-file "$T/pw" -o "$T/e.zip" "$T/l"
mkdir -p "$T/x"
expect_exit 0 "extract of the encrypted packet" "$RECPACK" extract -q --password-file "$T/pw" -d "$T/x" "$T/e.zip"
expect_true "extract restores the real name, not 0001.pdf" sh -c "find '$T/x' -type f -name 'Pathology_Müller.pdf' | grep -q . && ! find '$T/x' -name '0001*' | grep -q ."
