#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack build refuses and fails cleanly: a failed check writes nothing (unless
# --allow-incomplete), an existing packet needs --force, a missing or unwritable folder is
# exit 4 with no file, and a build interrupted or killed leaves no file at -o.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
FACTS=(--patient "Jane Doe" --surgery --hospitalized)
mkdir "$T/o"

rm "$T/rec/Surgical_Pathology_Report_2026-03-20.pdf"
expect_exit 1 "missing pathology: build exits 1" "$RECPACK" build "${FACTS[@]}" -o "$T/o/p.zip" "$T/rec"
expect_in "$T/err" 'missing-required' "the missing category is reported"
expect_true "nothing written when the check fails" test -z "$(ls -A "$T/o")"

expect_exit 0 "--allow-incomplete writes it" "$RECPACK" build -q "${FACTS[@]}" --allow-incomplete -o "$T/o/p.zip" "$T/rec"
mkdir "$T/x" && (cd "$T/x" && unzip -q "$T/o/p.zip")
B=$(ls -d "$T"/x/*)
expect_true "packet.json says complete: false" python3 -c "
import json,sys; j=json.load(open(sys.argv[1])); assert j['complete'] is False
assert [c['status'] for c in j['categories'] if c['name']=='pathology'] == ['missing']" "$B/packet.json"
expect_in "$B/README.txt" 'MISSING' "README.txt lists the gap"
expect_in "$B/index.html" 'class="missing"' "index.html marks the gap in red"
expect_exit 0 "the incomplete packet still verifies" "$RECPACK" verify "$T/o/p.zip"
make_pdf "$T/rec/Surgical_Pathology_Report_2026-03-20.pdf" "Surgical pathology report"

# --allow-incomplete with nothing that can go in the packet: refused, not an empty packet.
mkdir "$T/none" "$T/o2" && printf 'hello\n' >"$T/none/notes.xyz"
expect_exit 1 "--allow-incomplete with no usable record: exit 1" \
	"$RECPACK" build "${FACTS[@]}" --allow-incomplete -o "$T/o2/p.zip" "$T/none/notes.xyz"
expect_true "no empty packet is written" test -z "$(ls -A "$T/o2")"
expect_in "$T/err" "unclassified: .*notes.xyz" "the record left out is named, with why"
expect_in "$T/err" "no packet was written: not one of the records given can go in it" "the refusal says why"

expect_exit 4 "existing packet without --force: exit 4" "$RECPACK" build -q "${FACTS[@]}" -o "$T/o/p.zip" "$T/rec"
expect_in "$T/err" 'force' "the message suggests --force"
old=$(sha256sum <"$T/o/p.zip")
expect_true "the existing packet is untouched" test "$old" = "$(sha256sum <"$T/o/p.zip")"
expect_exit 0 "--force replaces it" "$RECPACK" build -q "${FACTS[@]}" --force -o "$T/o/p.zip" "$T/rec"
expect_true "replaced packet is complete" sh -c "unzip -p '$T/o/p.zip' '*/packet.json' | grep -q '\"complete\": true'"

expect_exit 4 "missing output folder: exit 4" "$RECPACK" build -q "${FACTS[@]}" -o "$T/nodir/p.zip" "$T/rec"
expect_true "no file made for the missing folder" test ! -e "$T/nodir"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$T/ro" && chmod 555 "$T/ro"
	expect_exit 4 "unwritable output folder: exit 4" "$RECPACK" build -q "${FACTS[@]}" -o "$T/ro/p.zip" "$T/rec"
	expect_true "no file in the unwritable folder" test -z "$(ls -A "$T/ro")"
else
	# root ignores permissions: a full (read-only) file system stands in for it
	expect_exit 4 "unwritable output folder (/proc): exit 4" "$RECPACK" build -q "${FACTS[@]}" -o /proc/p.zip "$T/rec"
	expect_true "no file made in /proc" test ! -e /proc/p.zip
fi

# A big document (streamed through the writer, > 8 MiB) makes the build last long enough to interrupt.
{ printf '%%PDF-1.4\n'; head -c 60000000 /dev/urandom | base64; printf '\n%%%%EOF\n'; } >"$T/big.pdf"
mkdir "$T/k"
# Signal the build once its temp packet holds bytes (the writing is under way), not after a
# fixed time: a faster build or a slower machine would finish or not have started yet.
writing() {
	for _ in $(seq 1 600); do
		for f in "$1"/.p.zip.recpack-tmp.*; do
			[ -s "$f" ] && return 0
		done
		sleep 0.05
	done
	return 1
}
with_sigint "$RECPACK" build -q "${FACTS[@]}" --level 9 -j 1 -o "$T/k/p.zip" "$T/rec" "hospital=$T/big.pdf" &
pid=$!
writing "$T/k" || notok "the build started writing its temp packet"
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
expect_true "SIGKILL during build leaves no file at -o" test ! -e "$T/k/p.zip"
expect_true "only a recognisable temp file is left" sh -c "test -z \"\$(ls -A '$T/k' | grep -v '^\.p\.zip\.recpack-tmp\.')\""
rm -rf "$T/k" && mkdir "$T/k"
with_sigint "$RECPACK" build -q "${FACTS[@]}" --level 9 -j 1 -o "$T/k/p.zip" "$T/rec" "hospital=$T/big.pdf" &
pid=$!
writing "$T/k" || notok "the build started writing its temp packet"
kill -INT $pid
wait $pid
rc=$?
expect_true "SIGINT during build exits non-zero" test $rc -ne 0
expect_true "SIGINT during build leaves nothing" test -z "$(ls -A "$T/k")"

expect_exit 0 "a packet with a big streamed document builds" "$RECPACK" build -q "${FACTS[@]}" --level 1 -o "$T/k/big.zip" "$T/rec" "hospital=$T/big.pdf"
expect_exit 0 "and verifies" "$RECPACK" verify "$T/k/big.zip"
expect_true "and passes unzip -t" unzip -tq "$T/k/big.zip"
