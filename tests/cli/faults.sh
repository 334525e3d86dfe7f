#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fault injection on `recpack check`: unreadable inputs, a full output device, and signals
# while work is under way (temporary files removed, exit 128 + signal).
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec"

# --- An input recpack may not read: exit 3, the problem names the file. -------------------
# Tests usually run as root, who may read anything: then the check runs as "nobody".
chmod 755 "$T"
make_pdf "$T/rec/Pathology_Addendum.pdf" "Addendum"
chmod 000 "$T/rec/Pathology_Addendum.pdf"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod -R a+rX "$T/rec"
	chmod 000 "$T/rec/Pathology_Addendum.pdf"
fi
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
	skip "unreadable file and folder checks" "root without setpriv"
else
	expect_exit 3 "unreadable file: exit 3" "${as_user[@]}" "$RECPACK" check "$T/rec"
	expect_in "$T/out" 'unreadable: .*Pathology_Addendum\.pdf' "unreadable file: the report names it"
	expect_in "$T/out" 'Pathology_Addendum\.pdf.*(Permission denied|may read it)' "unreadable file: the report says why"
	expect_exit 3 "unreadable file: exit 3 with --json" "${as_user[@]}" "$RECPACK" check --json "$T/rec"
	expect_true "unreadable file: JSON problem names it" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        for v in x.values(): yield from walk(v)
    elif isinstance(x, list):
        for v in x: yield from walk(v)
    elif isinstance(x, str): yield x
assert any("Pathology_Addendum.pdf" in s for s in walk(r.get("problems", r)))
' "$T/out"

	# A folder it may not enter.
	mkdir -p "$T/rec/Locked Scans"
	make_pdf "$T/rec/Locked Scans/CT_Abdomen.pdf" "CT abdomen"
	chmod 000 "$T/rec/Locked Scans"
	expect_exit 3 "unreadable folder: exit 3" "${as_user[@]}" "$RECPACK" check "$T/rec"
	expect_in "$T/out" 'Locked Scans' "unreadable folder: the report names it"
	chmod 755 "$T/rec/Locked Scans"
	rm -rf "$T/rec/Locked Scans"

	# Documents are read on several threads: the report still lists them in one order.
	mkdir -p "$T/many"
	for i in $(seq -w 1 40); do
		make_pdf "$T/many/Note_$i.pdf" "Note $i"
		case $i in 03 | 17 | 18 | 39) chmod 000 "$T/many/Note_$i.pdf" ;; esac
	done
	"${as_user[@]}" "$RECPACK" check --json -j 1 "$T/many" >"$T/j1.json" 2>/dev/null
	"${as_user[@]}" "$RECPACK" check --json -j 4 "$T/many" >"$T/j4.json" 2>/dev/null
	expect_true "unreadable files, -j 1 and -j 4: the same report" cmp "$T/j1.json" "$T/j4.json"
	expect_true "unreadable files: listed in document order" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
names = [p["message"].split("Note_")[1][:2] for p in r["problems"] if p["code"] == "unreadable"]
assert names == ["03", "17", "18", "39"], names
' "$T/j4.json"
	rm -rf "$T/many"
fi
chmod 644 "$T/rec/Pathology_Addendum.pdf"

# A folder entry that points nowhere (a disc unplugged, a moved file).
ln -s "$T/nowhere/Biopsy_Report.pdf" "$T/rec/Biopsy_Report.pdf"
expect_exit 3 "dangling symlink: exit 3" "$RECPACK" check "$T/rec"
expect_in "$T/out" 'unreadable: .*Biopsy_Report\.pdf' "dangling symlink: the report names it"
rm "$T/rec/Biopsy_Report.pdf"
expect_exit 3 "missing source: exit 3" "$RECPACK" check "$T/rec" "$T/Missing_Scan.pdf"
expect_in "$T/out" 'Missing_Scan\.pdf' "missing source: the report names it"

# --- Standard output on a full device: exit 4 and a message, never a silent success. -----
expect_exit 0 "records are complete (baseline)" "$RECPACK" check "$T/rec"
[ -w /dev/full ] || skip "stdout and manifest on /dev/full: exit 4" "no /dev/full here"
[ -w /dev/full ] && for fmt in --json --verbose; do
	"$RECPACK" check $fmt "$T/rec" >/dev/full 2>"$T/err"
	RC=$?
	if [ "$RC" -eq 4 ]; then ok "stdout on /dev/full ($fmt): exit 4"; else
		notok "stdout on /dev/full ($fmt): exit 4" "got $RC" "$(cat "$T/err")"; fi
	expect_in "$T/err" 'recpack: .*(write|output).*No space left' "stdout on /dev/full ($fmt): says why"
done
if [ -w /dev/full ]; then
	"$RECPACK" manifest default >/dev/full 2>"$T/err"
	RC=$?
	if [ "$RC" -eq 4 ]; then ok "manifest on /dev/full: exit 4"; else notok "manifest on /dev/full: exit 4" "got $RC"; fi
fi

# --- Signals: the private temporary folder is removed, exit 128 + signal. ----------------
# `check -` copies standard input into a private folder under $TMPDIR; a FIFO held open
# keeps recpack waiting there, with its temporary file in place, until the signal arrives.

# wait_for_tmp DIR: waits (at most ~10 s) until recpack's private folder holds a file.
wait_for_tmp() {
	for _ in $(seq 100); do
		[ -n "$(find "$1" -mindepth 2 -type f 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	return 1
}

# signal_test SIG CODE: check - < FIFO, then SIG: exit CODE, $TMPDIR empty again.
signal_test() {
	sig=$1 code=$2
	tmp="$T/tmp-$sig"
	mkdir -p "$tmp"
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	# Non-interactive shells start background jobs with SIGINT ignored: give it back.
	rm -f "$T/how" "$T/how.pid"
	TMPDIR="$tmp" reaped "$T/how" env --default-signal="$sig" "$RECPACK" check - <"$T/fifo" >"$T/out" 2>"$T/err" &
	parent=$!
	exec 3>"$T/fifo" # opening the FIFO lets the job above start
	pid=$(child_pid "$T/how")
	printf '%%PDF-1.4\n%% a pathology report arriving slowly\n' >&3
	if wait_for_tmp "$tmp"; then ok "SIG$sig: the stdin copy is in a private folder"; else
		notok "SIG$sig: the stdin copy is in a private folder" "$(find "$tmp")"; fi
	expect_true "SIG$sig: the private folder is 0700" test "$(stat -c %a "$tmp"/recpack.*)" = 700
	kill -"$sig" "$pid"
	wait "$parent"
	RC=$?
	exec 3>&-
	if [ "$RC" -eq "$code" ]; then ok "SIG$sig: exit $code"; else notok "SIG$sig: exit $code" "got $RC" "$(cat "$T/err")"; fi
	# Needs recpack to end with raise(sig) (branch signals); _exit(128 + sig) fails here.
	expect_died "$T/how" "$sig" "SIG$sig: recpack dies of the signal (WIFSIGNALED)"
	if [ -z "$(ls -A "$tmp")" ]; then ok "SIG$sig: temporary files removed"; else
		notok "SIG$sig: temporary files removed" "left: $(find "$tmp")"; fi
	expect_in "$T/err" 'temporary files were removed' "SIG$sig: says so"
}
signal_test INT 130
signal_test TERM 143
signal_test HUP 129

# A signal in the middle of the worker threads: hashing a large (sparse) file.
tmp="$T/tmp-hash"
mkdir -p "$tmp"
truncate -s 8G "$T/Big_Scan_Export.bin"
TMPDIR="$tmp" reaped "$T/how-hash" "$RECPACK" check - "$T/Big_Scan_Export.bin" <"$T/rec/Medication List.pdf" >"$T/out" 2>"$T/err" &
parent=$!
pid=$(child_pid "$T/how-hash")
wait_for_tmp "$tmp"
sleep 0.3
kill -TERM "$pid"
wait "$parent"
RC=$?
if [ "$RC" -eq 143 ]; then ok "SIGTERM while hashing: exit 143"; else notok "SIGTERM while hashing: exit 143" "got $RC" "$(cat "$T/err")"; fi
expect_died "$T/how-hash" TERM "SIGTERM while hashing: recpack dies of the signal (WIFSIGNALED)"
if [ -z "$(ls -A "$tmp")" ]; then ok "SIGTERM while hashing: temporary files removed"; else
	notok "SIGTERM while hashing: temporary files removed" "left: $(find "$tmp")"; fi
rm -f "$T/Big_Scan_Export.bin"

# nohup: a SIGHUP that was ignored when recpack started stays ignored.
tmp="$T/tmp-nohup"
mkdir -p "$tmp"
rm -f "$T/fifo"
mkfifo "$T/fifo"
(trap '' HUP; TMPDIR="$tmp" exec "$RECPACK" check --json - <"$T/fifo" >"$T/out" 2>"$T/err") &
pid=$!
exec 3>"$T/fifo"
cat "$T/rec/Medication List.pdf" >&3
wait_for_tmp "$tmp"
kill -HUP "$pid"
sleep 0.3
exec 3>&-
wait "$pid"
RC=$?
if [ "$RC" -eq 1 ]; then ok "ignored SIGHUP: the check runs to its end"; else notok "ignored SIGHUP: the check runs to its end" "got $RC" "$(cat "$T/err")"; fi
expect_in "$T/out" '"problems"' "ignored SIGHUP: the report is printed"
if [ -z "$(ls -A "$tmp")" ]; then ok "ignored SIGHUP: temporary files removed at the end"; else
	notok "ignored SIGHUP: temporary files removed at the end" "left: $(find "$tmp")"; fi
