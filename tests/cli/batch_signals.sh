#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kill -TERM of a running batch (issue 17): its rows' builds die with it, no process is left
# behind (re-parented to init), and nothing is written into the output folder after it exits:
# no packet, no temporary file, no lock. The rows are held up by slow downloads from the
# local test portal, so the batch is surely mid-row when the signal comes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
start_httpd
A=http://127.0.0.1:$PORT
make_pdf "$WWW/report.pdf" "Pathology report"

cd "$T" || exit 1
mkdir -p tmp
export TMPDIR=$T/tmp
make_records jane
cat >slow.csv <<CSV
id,name,dob,mrn,facts,sources
s1,Jane Doe,1970-01-01,MRN12345,surgery;hospitalized,jane;$A/slow/report.pdf?delay=8
s2,Jane Doe,1970-01-01,MRN12345,surgery;hospitalized,jane;$A/slow/report.pdf?delay=8&b
s3,Jane Doe,1970-01-01,MRN12345,surgery;hospitalized,jane;$A/slow/report.pdf?delay=8&c
CSV

# alive PID: running, not a zombie waiting for a parent (or an init) to reap it
alive() { st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }
# rows' children: every process whose parent is the batch
children() { ps -o pid= --ppid "$1" 2>/dev/null | tr -s " \n" " " | sed "s/^ //;s/ $//"; }
# descendants PID: its children, theirs (a row's PDF reader), and so on
descendants() {
	local k
	for k in $(children "$1"); do echo "$k"; descendants "$k"; done
}

reaped batch.status "$RECPACK" batch -q -j 2 --allow-incomplete slow.csv -d pk >/dev/null 2>batch.err &
job=$!
pid=$(child_pid batch.status)
for _ in $(seq 100); do [ "$(grep -c '/slow/' "$HTTPD_LOG" 2>/dev/null)" -ge 2 ] && break; sleep 0.1; done
kids=$(children "$pid")
all=$(descendants "$pid" | tr '\n' ' ')
[ "$(echo $kids | wc -w)" -ge 2 ] && ok "two rows are being built (their downloads started)" ||
	notok "two rows are being built" "children: $kids" "$(cat batch.err)"
before=$(ls -A pk | sort | tr '\n' ' ')
kill -TERM "$pid"
wait $job
expect_died batch.status TERM "the batch dies of SIGTERM"
left=""
for k in $kids; do alive "$k" && left="$left $k"; done
expect_true "no row's build outlives the batch ($kids)" test -z "$left"
left=""
for k in $all; do alive "$k" && left="$left $k:$(ps -o args= -p "$k")"; done
expect_true "nor any process they started ($all)" test -z "$left"
expect_true "no recpack process is left re-parented to init" sh -c \
	"! ps -eo ppid=,args= | awk '\$1 == 1' | grep -q -- 'batch -q -j 2 --allow-incomplete slow.csv'"
sleep 9 # past the downloads' delay: an orphaned build would have written its packet by now
after=$(ls -A pk | sort | tr '\n' ' ')
expect_true "nothing new in the output folder ($after)" test "$after" = "report.jsonl "
expect_true "it held only the report and the lock while running ($before)" test "$before" = ".recpack-batch.lock report.jsonl "
expect_true "no packet was written" sh -c '! ls pk/*.zip* 2>/dev/null'
expect_true "no temporary folder left in TMPDIR" test -z "$(ls -A tmp)"

# the same with SIGKILL, which no handler sees: the rows die of PR_SET_PDEATHSIG
# counted before the batch starts: its rows may have asked already when its pid is known
n0=$(grep -c '/slow/' "$HTTPD_LOG")
reaped kill.status "$RECPACK" batch -q -j 2 --allow-incomplete slow.csv -d pk9 >/dev/null 2>&1 &
job=$!
pid=$(child_pid kill.status)
for _ in $(seq 100); do [ "$(grep -c '/slow/' "$HTTPD_LOG")" -ge $((n0 + 2)) ] && break; sleep 0.1; done
kids=$(children "$pid")
kill -KILL "$pid"
wait $job
sleep 1
left=""
for k in $kids; do alive "$k" && left="$left $k"; done
expect_true "after kill -9 of the batch its rows die too ($kids)" test -z "$left"
sleep 8
expect_true "and write no packet" sh -c '! ls pk9/*.zip 2>/dev/null'

# a row's build killed on its own: the batch goes on, and the row's line says what happened
head -2 slow.csv >one.csv
"$RECPACK" batch -q --allow-incomplete one.csv -d pk1 >/dev/null 2>&1 &
job=$!
n0=$(grep -c '/slow/' "$HTTPD_LOG")
for _ in $(seq 100); do [ "$(grep -c '/slow/' "$HTTPD_LOG")" -gt "$n0" ] && break; sleep 0.1; done
kid=$(children $job)
kill -KILL $kid
wait $job
expect_true "the killed row's line says it was stopped by signal 9" python3 -c '
import json
r = json.loads(open("pk1/report.jsonl").readline())
assert r["status"] == "failed" and any("stopped by signal 9" in p["message"] for p in r["problems"]), r'
