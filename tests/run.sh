#!/bin/sh
# tests/run.sh UNIT_BINARIES...: runs the cmocka unit tests and every tests/cli/*.sh,
# prints each result and ends with the one line "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
mkdir -p tests/out

for bin in "$@"; do
	name=$(basename "$bin")
	"$bin" >"tests/out/$name.log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "tests/out/$name.log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "tests/out/$name.log" | tail -1)
	p=${p:-0} f=${f:-0}
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p)) fail=$((fail + f))
	if [ "$f" -eq 0 ]; then echo "ok - unit/$name ($p tests)"; else
		echo "not ok - unit/$name"; grep -E '^\[  (FAILED|ERROR)|Failure|error' "tests/out/$name.log" | head -20 | sed 's/^/#   /'
	fi
done

for t in tests/cli/*.sh; do
	[ -n "${TESTS:-}" ] && ! echo "$t" | grep -Eq "$TESTS" && continue
	name=$(basename "$t" .sh)
	log="tests/out/$name.log"
	${TEST_TIMEOUT:+timeout $TEST_TIMEOUT} bash "$t" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: script exited $rc" >>"$log"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f))
	sed -n "s|^ok - |ok - $name: |p; s|^not ok - |not ok - $name: |p; /^#   /p" "$log"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
