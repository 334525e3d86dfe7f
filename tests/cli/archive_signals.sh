#!/bin/bash
# The private temp dir (where archives expand and stdin is copied) is removed when recpack is
# interrupted, and recpack dies of the signal as a shell expects.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/tmp"
export TMPDIR="$T/tmp"
mkfifo "$T/fifo"

# interrupted SIGNAL STATUS: recpack waits on stdin (an open FIFO nobody writes), its temp dir
# exists; send SIGNAL and expect exit STATUS and an empty $TMPDIR.
interrupted() {
	exec 3<>"$T/fifo" # a writer that never writes: recpack blocks reading its stdin
	# Job control on: without it bash starts background commands with SIGINT ignored.
	set -m
	"$RECPACK" check - <"$T/fifo" >"$T/out" 2>"$T/err" &
	pid=$!
	set +m
	for _ in $(seq 100); do
		[ -n "$(ls -A "$T/tmp")" ] && break
		sleep 0.05
	done
	expect_true "SIG$1: the temp dir exists while recpack works" test -n "$(ls -A "$T/tmp")"
	kill -s "$1" "$pid"
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -s KILL "$pid" 2>/dev/null # still alive after 5 s: the test fails below, not hangs
	wait "$pid"
	rc=$?
	exec 3>&-
	expect_true "SIG$1: recpack dies of the signal (status $rc)" test "$rc" -eq "$2"
	expect_true "SIG$1: the temp dir is removed" test -z "$(ls -A "$T/tmp")"
}
interrupted TERM 143
interrupted INT 130
interrupted HUP 129
