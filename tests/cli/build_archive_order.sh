#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build leaves the archive check of a folder's files to the scan (one open a file fewer) and
# expands the archives it finds afterwards, in their place: the documents and the problems
# must come in the same order as when check expands each archive as the walk finds it.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/tmp" "$T/src/recs" "$T/src/only" "$T/inner"
export TMPDIR="$T/tmp"
printf 'Pathology report\nPatient: Jane Doe\n' >"$T/src/recs/a-path.txt"
printf 'Medication list\nPatient: Jane Doe\n' >"$T/inner/meds.txt"
printf 'Summary\nPatient: Jane Doe\n' >"$T/inner/summary.txt"
printf 'MZ setup' >"$T/inner/SETUP.EXE"
(cd "$T/inner" && zip -q "$T/src/recs/b-bundle.zip" meds.txt summary.txt SETUP.EXE)
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").close()' "$T/src/recs/c-empty.zip"
cp "$T/src/recs/c-empty.zip" "$T/src/only/nothing.zip"
mkfifo "$T/src/recs/a0.fifo" "$T/src/recs/d.fifo"
printf 'Radiology report\nPatient: Jane Doe\n' >"$T/src/recs/e-rad.txt"
printf '[autorun]\n' >"$T/src/recs/AUTORUN.INF"

# check hashes every document, so it checks for archives as it walks: the reference order
expect_exit 1 "check of the records (documents are missing)" \
	"$RECPACK" check --json --patient "Jane Doe" "$T/src/only" "$T/src/recs"
cp "$T/out" "$T/check.json"
expect_exit 0 "build of the same records" \
	"$RECPACK" build -q --allow-incomplete --patient "Jane Doe" -o "$T/p.zip" "$T/src/only" "$T/src/recs"
unzip -p "$T/p.zip" '*/packet.json' >"$T/packet.json"

docs() { python3 -c 'import json,sys; print([d["relpath"] for d in json.load(open(sys.argv[1]))["documents"]])' "$1"; }
probs() {
	python3 -c 'import json,os,sys; print([(p["code"], os.path.basename(p["source"] or "")) for p in json.load(open(sys.argv[1]))["problems"]])' "$1"
}
expect_true "check finds the archive's documents in its place" \
	test "$(docs "$T/check.json")" = "['recs/a-path.txt', 'recs/b-bundle/meds.txt', 'recs/b-bundle/summary.txt', 'recs/e-rad.txt']"
expect_true "build lists the documents in the same order as check" \
	test "$(docs "$T/packet.json")" = "$(docs "$T/check.json")"
expect_true "check says the empty archive and the folder holding only it hold nothing, between the pipes" \
	test "$(probs "$T/check.json" | grep -c "('empty', 'nothing.zip'), ('empty', 'only'), ('unreadable', 'a0.fifo'), ('empty', 'c-empty.zip'), ('unreadable', 'd.fifo')")" = 1
expect_true "build reports the same problems in the same order" \
	test "$(probs "$T/packet.json")" = "$(probs "$T/check.json")"
expect_true "the viewer program inside the archive is not packed" \
	test "$(unzip -Z1 "$T/p.zip" | grep -c SETUP)" = 0
