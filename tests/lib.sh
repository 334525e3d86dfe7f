# tests/lib.sh: helpers shared by tests/cli/*.sh. Sourced, never run.
# Every assertion prints "ok - NAME" or "not ok - NAME"; tests/run.sh counts them.
# Fixtures are synthetic: generated here with dcmtk and printf, never real patient data.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RECPACK=${RECPACK:-$TOP/recpack}
T=$(mktemp -d "${TMPDIR:-/tmp}/recpack-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1
unset SOURCE_DATE_EPOCH RECPACK_PASSWORD RECPACK_BEARER_TOKEN

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# run CMD...: runs recpack-or-anything, stdout in $T/out, stderr in $T/err, status in $RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# expect_exit CODE NAME CMD...: the command exits with CODE.
expect_exit() {
	want=$1 name=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$want" ]; then ok "$name"; else
		notok "$name" "expected exit $want, got $RC: $*" "stderr: $(head -c 600 "$T/err")" "stdout: $(head -c 600 "$T/out")"
	fi
}

# expect_in FILE PATTERN NAME: grep -E PATTERN matches FILE.
expect_in() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else notok "$3" "no /$2/ in $1:" "$(head -c 800 "$1")"; fi
}

# expect_not_in FILE PATTERN NAME
expect_not_in() {
	if grep -Eq -- "$2" "$1"; then notok "$3" "unexpected /$2/ in $1:" "$(grep -E -- "$2" "$1" | head -5)"; else ok "$3"; fi
}

# expect_true NAME CMD...: the command succeeds.
expect_true() {
	name=$1
	shift
	if "$@" >"$T/true.out" 2>&1; then ok "$name"; else notok "$name" "failed: $*" "$(head -c 800 "$T/true.out")"; fi
}

# Fixture generators (make_pdf, make_dicom, make_cd, make_records) are shared with samples/.
. "$TOP/scripts/fixtures.sh"

# with_sigint CMD... &: start CMD in the background with SIGINT at its default, as in a
# terminal (a script's background jobs start with SIGINT ignored, and recpack keeps an
# ignored signal ignored). Only with '&': it execs, so $! is CMD's own pid.
with_sigint() {
	exec python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}
