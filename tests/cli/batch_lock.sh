#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Two batch runs on one output folder (issue 16, defect 10): the second is refused at once,
# plainly, with exit 4, and the first finishes with an intact report.jsonl. The first is held
# up by a slow download from the local test portal, so the two surely overlap.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
start_httpd
A=http://127.0.0.1:$PORT
make_pdf "$WWW/report.pdf" "Pathology report"

cd "$T" || exit 1
make_records jane
cat >slow.csv <<CSV
id,name,dob,mrn,facts,sources
slow,Jane Doe,1970-01-01,MRN12345,surgery;hospitalized,jane;$A/slow/report.pdf?delay=10
CSV
cat >fast.csv <<'CSV'
id,name,dob,mrn,facts,sources
fast,Jane Doe,1970-01-01,MRN12345,surgery;hospitalized,jane
CSV

"$RECPACK" batch -q --allow-incomplete slow.csv -d pk >first.out 2>first.err &
first=$!
for _ in $(seq 100); do grep -q '/slow/' "$HTTPD_LOG" 2>/dev/null && break; sleep 0.1; done
grep -q '/slow/' "$HTTPD_LOG" && ok "the first batch is under way (its download started)" ||
	notok "the first batch is under way" "$(cat first.err)"

start=$(date +%s.%N)
expect_exit 4 "a second batch on the same folder is refused with exit 4" \
	timeout 20 "$RECPACK" batch -q --allow-incomplete fast.csv -d pk
took=$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" "$start" "$(date +%s.%N)")
python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 2)" "$took" &&
	ok "the second batch fails fast ($took s), without waiting" || notok "the second batch fails fast" "$took s"
expect_in "$T/err" "another recpack batch is writing to pk; wait for it to finish" "the refusal says why, plainly"
kill -0 $first 2>/dev/null && ok "the first batch was still running then" ||
	notok "the first batch was still running then" "the test did not overlap the two runs"
[ ! -e pk/fast.zip ] && ok "the refused batch wrote no packet" || notok "the refused batch wrote no packet"

wait $first
rc=$?
[ $rc -eq 0 ] && ok "the first batch completes (exit 0)" || notok "the first batch completes" "exit $rc: $(cat first.err)"
expect_true "report.jsonl is the first batch's: one valid JSON line for row slow" python3 -c '
import json, sys
rows = [json.loads(l) for l in open("pk/report.jsonl")]
assert [r["id"] for r in rows] == ["slow"], rows
assert rows[0]["status"] in ("ok", "incomplete"), rows
'
expect_exit 0 "the first batch's packet verifies" "$RECPACK" verify pk/slow.zip
[ ! -e pk/.recpack-batch.lock ] && ok "the lock file is removed when the batch ends" ||
	notok "the lock file is removed when the batch ends" "$(ls -A pk)"

expect_exit 0 "once the first is done, the folder can be used again" "$RECPACK" batch -q fast.csv -d pk
expect_true "report.jsonl then holds that run's row" sh -c 'grep -c "\"id\": *\"fast\"" pk/report.jsonl | grep -qx 1'
