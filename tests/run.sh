#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/run.sh UNIT_BINARIES...: runs the cmocka unit tests and every tests/cli/*.sh; then,
# unless SKIP_ASAN is set, the sanitizer builds: the unit tests named in $ASAN_UNIT, the
# command-line suite against ./recpack-asan and the fuzz corpus replayers named in $REPLAY.
# Prints each result (TAP: "ok - NAME # SKIP reason" for a check that could not run here),
# then "N skipped" and, last, "N passed, N failed". A skip is never counted as passed.
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 skipped=0
mkdir -p tests/out

# unit_tests PREFIX BINARY...: runs cmocka binaries, logs in tests/out/PREFIX.
unit_tests() {
	prefix=$1
	shift
	mkdir -p "tests/out/$prefix"
	for bin in "$@"; do
		unit_test "$prefix$(basename "$bin")" "$bin"
	done
}

unit_test() {
	name=$1 bin=$2
	"$bin" >"tests/out/$name.log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "tests/out/$name.log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "tests/out/$name.log" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "tests/out/$name.log" | tail -1)
	p=${p:-0} f=${f:-0} s=${s:-0}
	skipped=$((skipped + s))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	sanitizer_reports "$name" >>"tests/out/$name.log" && f=$((f + 1))
	pass=$((pass + p)) fail=$((fail + f))
	note=""
	[ "$s" -gt 0 ] && note=", $s skipped"
	if [ "$f" -eq 0 ]; then echo "ok - unit/$name ($p tests$note)"; else
		echo "not ok - unit/$name"; grep -E '^\[  (FAILED|ERROR)|Failure|error|sanitizer' "tests/out/$name.log" | head -20 | sed 's/^/#   /'
	fi
}

# cli_suite PREFIX: runs every tests/cli/*.sh with $RECPACK as it is set, logs in tests/out/PREFIX.
cli_suite() {
	prefix=$1
	mkdir -p "tests/out/$prefix"
	for t in tests/cli/*.sh; do
		[ -e "$t" ] || continue
		[ -n "${TESTS:-}" ] && ! echo "$t" | grep -Eq "$TESTS" && continue
		name=$prefix$(basename "$t" .sh)
		log="tests/out/$name.log"
		${TEST_TIMEOUT:+timeout $TEST_TIMEOUT} bash "$t" >"$log" 2>&1
		rc=$?
		s=$(grep -c '^ok - .*# SKIP' "$log")
		p=$(($(grep -c '^ok - ' "$log") - s))
		f=$(grep -c '^not ok - ' "$log")
		skipped=$((skipped + s))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "not ok - $name: script exited $rc" >>"$log"
			f=1
		fi
		sanitizer_reports "$name" >>"$log" && f=$((f + 1))
		pass=$((pass + p)) fail=$((fail + f))
		sed -n "s|^ok - |ok - $name: |p; s|^not ok - |not ok - $name: |p; /^#   /p" "$log"
	done
}

# sanitizer_reports NAME: when the sanitized build wrote reports since the last call, prints
# one "not ok" naming them (moved to tests/out/asan/NAME.*) and succeeds.
sanitizer_reports() {
	found=""
	for r in "$SAN_DIR"/report.*; do
		[ -e "$r" ] || continue
		mv "$r" "tests/out/$1.${r##*/}"
		found="$found tests/out/$1.${r##*/}"
	done
	[ -n "$found" ] || return 1
	echo "not ok - sanitizer report:$found"
	for r in $(echo $found | cut -d' ' -f1-3); do
		grep -E 'ERROR:|SUMMARY:|runtime error|#[0-4] ' "$r" | head -8 | sed 's/^/#   /'
	done
	return 0
}

SAN_DIR=$PWD/tests/out/asan/reports
rm -rf tests/out/asan
mkdir -p "$SAN_DIR"
chmod 1777 "$SAN_DIR" # tests may run recpack as another user

unit_tests "" "$@"
cli_suite ""

# The same suite against the AddressSanitizer + UBSan build: any report fails the test script
# that triggered it, and a crash also changes the exit status the script expects.
if [ -x ./recpack-asan ] && [ -z "${SKIP_ASAN:-}" ]; then
	export RECPACK="$PWD/recpack-asan"
	export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:log_path=$SAN_DIR/report"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86:log_path=$SAN_DIR/report"
	export LSAN_OPTIONS="exitcode=86"
	unit_tests "asan/" ${ASAN_UNIT:-}
	cli_suite "asan/"

	# Every committed fuzz corpus through its target, built with the same sanitizers.
	for bin in ${REPLAY:-}; do
		name=${bin##*/replay_}
		log="tests/out/asan/replay-$name.log"
		"$bin" "fuzz/corpus/$name" >"$log" 2>&1
		rc=$?
		sanitizer_reports "asan/replay-$name" >>"$log" && [ "$rc" -eq 0 ] && rc=86
		if [ "$rc" -eq 0 ]; then
			pass=$((pass + 1))
			echo "ok - fuzz/$name: $(tail -1 "$log")"
		else
			fail=$((fail + 1))
			echo "not ok - fuzz/$name: replay of fuzz/corpus/$name failed (exit $rc), see $log"
			grep -E '^replay: |^#   |invariant' "$log" | tail -8 | sed 's/^#   //; s/^/#   /'
		fi
	done
fi
echo "$skipped skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
