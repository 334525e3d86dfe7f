#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
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
	rm -f "$T/how" "$T/how.pid"
	reaped "$T/how" "$RECPACK" check - <"$T/fifo" >"$T/out" 2>"$T/err" &
	parent=$!
	set +m
	pid=$(child_pid "$T/how")
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
	wait "$parent"
	rc=$?
	exec 3>&-
	expect_true "SIG$1: exit status $2 (got $rc)" test "$rc" -eq "$2"
	# Needs recpack to end with raise(sig) (branch signals); _exit(128 + sig) fails here.
	expect_died "$T/how" "$1" "SIG$1: recpack dies of the signal (WIFSIGNALED)"
	expect_true "SIG$1: the temp dir is removed" test -z "$(ls -A "$T/tmp")"
}
interrupted TERM 143
interrupted INT 130
interrupted HUP 129
