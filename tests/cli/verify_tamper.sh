#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack verify catches each kind of tampering: a payload byte changed (re-zipped), a file
# added, a file removed, packet.json edited; and a damaged ZIP or sidecar.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
"$RECPACK" build -q --patient "Jane Doe" --surgery --hospitalized -o "$T/p.zip" "$T/rec" || { notok "build"; exit 1; }

# fresh extracted copy in $T/w/<bag>; rezip into $1
extract() { rm -rf "$T/w" && mkdir "$T/w" && (cd "$T/w" && unzip -q "$T/p.zip") && B=$(ls -d "$T"/w/*); }
rezip() { rm -f "$1" && (cd "$T/w" && zip -qr -X "$1" .); }

extract
expect_exit 0 "untouched re-zip verifies" sh -c "cd '$T/w' && zip -qr -X '$T/same.zip' . && '$RECPACK' verify '$T/same.zip'"

extract
f="$B/data/02-pathology/Surgical_Pathology_Report_2026-03-20.pdf"
printf 'X' | dd of="$f" bs=1 seek=20 conv=notrunc 2>/dev/null
rezip "$T/t1.zip"
expect_exit 1 "changed payload byte is caught" "$RECPACK" verify "$T/t1.zip"
expect_in "$T/out" 'Surgical_Pathology_Report.*changed' "the changed file is named"
expect_exit 1 "changed payload byte caught in the folder" "$RECPACK" verify "$T/w"

extract
make_pdf "$B/data/02-pathology/extra.pdf" "Not from the sender"
rezip "$T/t2.zip"
expect_exit 1 "added file is caught" "$RECPACK" verify "$T/t2.zip"
expect_in "$T/out" 'extra.pdf.*not listed' "the added file is named"

extract
rm "$B/data/05-medications/Medication List.pdf"
rezip "$T/t3.zip"
expect_exit 1 "removed file is caught" "$RECPACK" verify "$T/t3.zip"
expect_in "$T/out" 'Medication List.pdf.*missing' "the removed file is named"
expect_in "$T/out" 'Payload-Oxum' "Payload-Oxum disagrees"

extract
sed -i 's/"complete": true/"complete": false/' "$B/packet.json"
rezip "$T/t4.zip"
expect_exit 1 "edited packet.json is caught" "$RECPACK" verify "$T/t4.zip"
expect_in "$T/out" 'packet.json.*changed' "packet.json is named"

cp "$T/p.zip" "$T/t5.zip"
python3 - "$T/t5.zip" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
info = [i for i in z.infolist() if i.filename.endswith('Treatment Plan Summary.pdf')][0]
off = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
with open(sys.argv[1], 'r+b') as f:
    f.seek(off); b = f.read(1); f.seek(off); f.write(bytes([b[0] ^ 0xff]))
PY
expect_exit 1 "a flipped byte inside the ZIP is caught" "$RECPACK" verify "$T/t5.zip"
expect_in "$T/out" 'Treatment Plan Summary.pdf' "the damaged entry is named"

cp "$T/p.zip" "$T/t6.zip"
echo "0000000000000000000000000000000000000000000000000000000000000000  t6.zip" >"$T/t6.zip.sha256"
expect_exit 1 "a sidecar that does not match is caught" "$RECPACK" verify "$T/t6.zip"
expect_in "$T/out" 't6.zip.sha256' "the sidecar is named"

head -c 3000 "$T/p.zip" >"$T/t7.zip"
expect_exit 1 "a truncated ZIP is damaged" "$RECPACK" verify "$T/t7.zip"
expect_exit 3 "a missing packet cannot be read" "$RECPACK" verify "$T/nope.zip"
expect_exit 2 "verify without an argument is a usage error" "$RECPACK" verify
