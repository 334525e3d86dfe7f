# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib.sh: helpers shared by tests/cli/*.sh. Sourced, never run.
# Every assertion prints "ok - NAME" or "not ok - NAME", and a check that cannot run here
# prints "ok - NAME # SKIP reason" (TAP) through skip; tests/run.sh counts the three apart.
# Fixtures are synthetic: generated here with dcmtk and printf, never real patient data.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RECPACK=${RECPACK:-$TOP/recpack}
T=$(mktemp -d "${TMPDIR:-/tmp}/recpack-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1
unset SOURCE_DATE_EPOCH RECPACK_PASSWORD RECPACK_BEARER_TOKEN

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# skip NAME REASON: the check NAME did not run here, and why. Never counted as passed.
skip() { echo "ok - $1 # SKIP $2"; }

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
	if grep -Eq -- "$2" "$1"; then ok "$3"; else notok "$3" "no /$2/ in $1:" "$(head -c 800 "$1" 2>&1)"; fi
}

# expect_not_in FILE PATTERN NAME: FILE exists, is readable and PATTERN does not match it
# (a missing file is a failure, not an absence of the pattern; git's test_must_be_empty).
expect_not_in() {
	grep -Eq -- "$2" "$1" 2>"$T/grep.err"
	case $? in
	0) notok "$3" "unexpected /$2/ in $1:" "$(grep -E -- "$2" "$1" | head -5)" ;;
	1) ok "$3" ;;
	*) notok "$3" "cannot read $1: $(cat "$T/grep.err")" ;;
	esac
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

# reaped FILE CMD... &: runs CMD as the child of a small Python parent that can see how it
# ended, which a shell cannot (its $? is 128 + N both for a death by signal N and for a
# plain exit(128 + N)). The parent writes CMD's pid to FILE.pid once CMD runs, waits for it,
# writes "signal N" (WIFSIGNALED) or "exit N" to FILE and exits with the shell's status.
# Signals meant for CMD go to $(child_pid FILE), not to $!, which the parent ignores.
# CMD starts with the parent's signal dispositions (an ignored SIGINT stays ignored).
reaped() {
	exec python3 -c '
import os, signal, subprocess, sys
out = sys.argv[1]
p = subprocess.Popen(sys.argv[2:], close_fds=False)
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
with open(out + ".pid.tmp", "w") as f:
    f.write("%d\n" % p.pid)
os.rename(out + ".pid.tmp", out + ".pid")
rc = p.wait()
with open(out, "w") as f:
    f.write("signal %d\n" % -rc if rc < 0 else "exit %d\n" % rc)
sys.exit(128 - rc if rc < 0 else rc)
' "$@"
}

# child_pid FILE: prints the pid of the command `reaped FILE` started (waits up to 10 s).
child_pid() {
	for _ in $(seq 200); do
		[ -s "$1.pid" ] && break
		sleep 0.05
	done
	cat "$1.pid"
}

# expect_died FILE SIG NAME: the command `reaped FILE` ran died of signal SIG (WIFSIGNALED),
# as a shell, make or a batch scheduler expects from an interrupted program.
expect_died() {
	want="signal $(kill -l "$2")"
	got=$(cat "$1" 2>&1)
	if [ "$got" = "$want" ]; then ok "$3"; else notok "$3" "expected '$want', got '$got'"; fi
}
