#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Entry names are safe on Windows and macOS: NFC, no reserved characters, no trailing dots or
# spaces, unique ignoring case; a JPEG is stored, not deflated.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
rm "$T/rec/Medication List.pdf"
mkdir -p "$T/meds"
make_pdf "$T/meds/Meds: list?.pdf" "Medication list one"
make_pdf "$T/meds/MEDS: LIST?.pdf" "Medication list two"
make_pdf "$T/meds/trailing. " "Medication list three"
nfd=$(printf 'Me\xcc\x81dicaments.pdf')   # "Médicaments" in NFD, as macOS writes it
make_pdf "$T/meds/$nfd" "Medication list four"
make_pdf "$T/meds/CON.pdf" "Medication list five"
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' >"$T/photo.jpg"
head -c 4000 /dev/urandom >>"$T/photo.jpg"
printf '\xff\xd9' >>"$T/photo.jpg"

expect_exit 0 "build with awkward names" "$RECPACK" build -q --patient "Jane Doe" --surgery --hospitalized \
	-o "$T/p.zip" "$T/rec" "medications=$T/meds" "radiology=$T/photo.jpg"
# The checks below read the entry list: it must exist and hold the five medication lists,
# or "no reserved characters" would pass on an empty list after a failed build.
expect_exit 0 "unzip lists the packet" unzip -Z1 "$T/p.zip"
[ "$RC" -eq 0 ] && [ -s "$T/out" ] && cp "$T/out" "$T/names" # no list, no file: expect_not_in fails
expect_true "the list holds the five medication lists" \
	test "$(grep -c '/data/05-medications/[^/]' "$T/names")" -eq 5
expect_not_in "$T/names" '[:*?"<>|\\]' "no reserved characters in entry names"
expect_not_in "$T/names" '[. ]$' "no trailing dots or spaces"
expect_not_in "$T/names" '/CON\.pdf$' "no device names"
expect_true "names unique ignoring case" sh -c "test -s '$T/names' && test \$(tr 'A-Z' 'a-z' <'$T/names' | sort | uniq -d | wc -l) -eq 0"
expect_true "names are NFC with the UTF-8 flag" python3 -c "
import sys, unicodedata, zipfile
z = zipfile.ZipFile(sys.argv[1])
hit = False
for i in z.infolist():
    assert unicodedata.is_normalized('NFC', i.filename), i.filename
    if 'dicaments' in i.filename:
        hit = True
        assert i.flag_bits & 0x800, 'UTF-8 flag'
        assert i.filename.endswith('M\u00e9dicaments.pdf'), i.filename
assert hit
" "$T/p.zip"
expect_true "the JPEG is stored" sh -c "unzip -v '$T/p.zip' | grep 'photo.jpg' | grep -q Stored"
expect_true "PDFs are deflated" sh -c "unzip -v '$T/p.zip' | grep 'Operative' | grep -q Defl"
expect_exit 0 "verify accepts it" "$RECPACK" verify "$T/p.zip"
mkdir "$T/x" && (cd "$T/x" && unzip -q "$T/p.zip")
expect_true "sha256sum -c in the extracted bag" sh -c "cd '$T'/x/* && sha256sum -c manifest-sha256.txt"
