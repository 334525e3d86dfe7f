#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The tag files of a packet with hundreds of documents, which build makes a piece at a time in
# its private folder under $TMPDIR and packs from there (here packet.json, index.html and the
# manifest are each several pieces): packet.json is byte for byte what Python's json module
# writes for the same object with 2-space indentation, it lists every document once with its
# path, the manifests check, index.html links every document, and nothing is left in $TMPDIR.
. "$(dirname "$0")/../lib.sh"

export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
make_records "$T/rec" || { notok "fixtures"; exit 1; }
mkdir -p "$T/rec/notes"
for i in $(seq 1 440); do
	printf 'Progress note %d: "stable" & <improving>, 100%% of goals\n' "$i" >"$T/rec/notes/Note ü $i.txt"
done
cp "$T/rec/Medication List.pdf" "$T/rec/notes/copy of the list.pdf" # a duplicate: listed, not packed
FACTS=(--patient "Jane Doe" --dob 1970-01-01 --surgery --hospitalized --allow-incomplete)

# canonical_json FILE: FILE is exactly json.dumps(json.load(FILE), indent=2) plus a newline.
canonical_json() {
	python3 -c '
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read()
want = json.dumps(json.loads(raw), indent=2, ensure_ascii=False) + "\n"
if raw != want:
    i = next(i for i in range(min(len(raw), len(want))) if raw[i] != want[i])
    sys.exit("differs at byte %d: %r vs %r" % (i, raw[i - 40:i + 40], want[i - 40:i + 40]))
' "$1"
}

expect_exit 0 "build of 440 notes and the records" "$RECPACK" build -q "${FACTS[@]}" -o "$T/p.zip" "$T/rec"
expect_true "nothing left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$T/p.zip")
B=$(echo "$T"/x/*)
expect_true "packet.json is several pieces long (over 192 KB)" test "$(stat -c %s "$B/packet.json")" -gt 196608
expect_true "index.html is more than one piece long (over 96 KB)" test "$(stat -c %s "$B/index.html")" -gt 98304
expect_true "packet.json is exactly what json.dumps(indent=2) writes" canonical_json "$B/packet.json"
expect_true "packet.json lists every document once, each packed one with its path" python3 -c '
import json, os, sys
j = json.load(open(sys.argv[1]))
docs = j["documents"]
assert len(docs) == 451, len(docs)  # 440 notes, the copy, 6 PDFs, a disc of 4
assert len({d["relpath"] for d in docs}) == 451
packed = [d for d in docs if "path" in d]
assert len(packed) == 450, len(packed)
for d in packed:
    assert os.path.isfile(os.path.join(sys.argv[2], d["path"])), d["path"]
    assert len(d["sha256"]) == 64
dup = [d for d in docs if d["name"] == "copy of the list.pdf"]
assert len(dup) == 1 and dup[0].get("excluded") is True and "path" not in dup[0], dup
assert list(j)[-2:] == ["bag", "bagging_date"], list(j)
' "$B/packet.json" "$B"
expect_true "sha256sum -c manifest-sha256.txt" sh -c "cd '$B' && sha256sum -c --strict --quiet manifest-sha256.txt"
expect_true "sha256sum -c tagmanifest-sha256.txt" sh -c "cd '$B' && sha256sum -c --strict --quiet tagmanifest-sha256.txt"
expect_true "manifest lists the 450 packed files" test "$(wc -l <"$B/manifest-sha256.txt")" -eq 450
expect_true "index.html links every note" test "$(grep -o 'href="data/[^"]*Note%20%C3%BC%20[0-9]*\.txt"' "$B/index.html" | sort -u | wc -l)" -eq 440
expect_exit 0 "recpack verify accepts it" "$RECPACK" verify -q "$T/p.zip"

# Encrypted: neutral names, the real ones in packet.json's original_path.
printf 'correct horse battery staple\n' >"$T/pw"
expect_exit 0 "encrypted build" "$RECPACK" build -q "${FACTS[@]}" --encrypt --password-file "$T/pw" -o "$T/e.zip" "$T/rec"
mkdir -p "$T/e" && (cd "$T/e" && 7z x -p'correct horse battery staple' "$T/e.zip" >/dev/null)
E=$(echo "$T"/e/*)
expect_true "encrypted packet.json is exactly what json.dumps(indent=2) writes" canonical_json "$E/packet.json"
expect_true "encrypted packet.json keeps the real names" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["encrypted"] is True and j["original_bag"].startswith("Doe_Jane_")
real = [d["original_path"] for d in j["documents"] if "original_path" in d]
assert len(real) == 450 and any(r.endswith("/Note ü 17.txt") for r in real)
' "$E/packet.json"
expect_true "nothing left in TMPDIR after the encrypted build" test -z "$(ls -A "$TMPDIR")"

# The tag files need the private folder: a TMPDIR that cannot hold it stops the build before
# any payload is written, with exit status 4 and no packet.
expect_exit 4 "build with a TMPDIR that does not exist" env TMPDIR="$T/missing" "$RECPACK" build -q "${FACTS[@]}" -o "$T/m.zip" "$T/rec"
expect_in "$T/err" "private temporary folder in $T/missing" "the message names the folder"
expect_true "no packet was written" test ! -e "$T/m.zip"
