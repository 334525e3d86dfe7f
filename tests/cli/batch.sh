# SPDX-License-Identifier: GPL-3.0-or-later
# recpack batch: a roster of made-up patients, report.jsonl, exit status, resuming, pipelines.
. "$(dirname "$0")/../lib.sh"

cd "$T" || exit 1
make_records jane
make_records john
rm john/Surgical_Pathology_Report_2026-03-20.pdf
make_records "kim mo"
cat >roster.csv <<'CSV'
id,name,dob,mrn,facts,sources,pathology
complete,Jane Doe,1970-01-01,MRN12345,surgery;hospitalized,jane,
quoted,"Doe, Jane ""JD""",1970-01-01,,surgery,kim mo,
missing,Jane Doe,1970-01-01,,surgery,john,
nofile,Jane Doe,1970-01-01,,,jane/CD;jane/Medication List.pdf;jane/Treatment Plan Summary.pdf,no-such-report.pdf
CSV
# the roster is read relative to its own folder, wherever we run from
mkdir -p elsewhere
expect_exit 3 "batch exits with the worst row's status" sh -c "cd elsewhere && '$RECPACK' batch ../roster.csv -d ../pk"
for id in complete quoted; do
	expect_true "$id: packet verifies" "$RECPACK" verify "pk/$id.zip"
	expect_true "$id: sidecar checks with sha256sum -c" sh -c "cd pk && sha256sum -c $id.zip.sha256"
done
expect_true "failed rows leave no packet" sh -c '! ls pk/missing.zip pk/nofile.zip 2>/dev/null'
expect_true "no temp or result files left" sh -c '[ "$(ls -A pk | sort | tr "\n" " ")" = "complete.zip complete.zip.sha256 quoted.zip quoted.zip.sha256 report.jsonl " ]'
expect_true "packets and report are private (0600)" sh -c '[ "$(stat -c %a pk/complete.zip pk/report.jsonl | sort -u)" = 600 ]'
cat >check_report.py <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["id"]: r for r in rows}
assert set(by) == {"complete", "quoted", "missing", "nofile"}, by.keys()
assert by["complete"]["status"] == "ok" and by["complete"]["exit"] == 0 and len(by["complete"]["sha256"]) == 64
assert by["quoted"]["status"] == "ok"
assert by["missing"]["status"] == "failed" and by["missing"]["exit"] == 1
assert any(p["code"] == "missing-required" for p in by["missing"]["problems"])
assert by["nofile"]["status"] == "failed" and by["nofile"]["exit"] == 3
assert any("no-such-report.pdf" in p["message"] for p in by["nofile"]["problems"])
for r in rows:
    assert r["schema"] == 1 and set(r) >= {"id", "status", "exit", "packet", "sha256", "problems"}
PY
expect_true "report.jsonl has one right line per row" python3 check_report.py pk/report.jsonl
expect_in "$T/out" "failed +2" "summary counts failures"
expect_in "$T/out" "missing: no pathology document" "summary gives the reason for each failure"
expect_true "the quoted name reaches the packet" python3 -c '
import zipfile, json, sys
z = zipfile.ZipFile("pk/quoted.zip")
p = [n for n in z.namelist() if n.endswith("/packet.json")][0]
assert json.loads(z.read(p))["patient"]["name"] == "Doe, Jane \"JD\""'

# re-run: finished rows are skipped (not rebuilt), the rest tried again
before=$(stat -c %Y.%i pk/complete.zip)
expect_exit 3 "re-run has the same status" "$RECPACK" batch roster.csv -d pk --json
expect_true "re-run skipped the finished packet" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); r={x["id"]:x for x in d["rows"]}
assert r["complete"]["skipped"] and r["quoted"]["skipped"] and not r["missing"]["skipped"], r' "$T/out"
expect_true "re-run did not rewrite it" test "$before" = "$(stat -c %Y.%i pk/complete.zip)"
# a damaged packet is rebuilt; --force rebuilds all
printf 'garbage' >>pk/complete.zip
expect_exit 3 "re-run after damage" "$RECPACK" batch roster.csv -d pk
expect_true "the damaged packet was rebuilt" "$RECPACK" verify pk/complete.zip

# a run killed midway, then completed
head -1 roster.csv >big.csv
for i in 1 2 3 4 5 6; do echo "r$i,Jane Doe,1970-01-01,,surgery;hospitalized,jane," >>big.csv; done
"$RECPACK" batch big.csv -d killed -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -e killed/r2.zip ] && break; sleep 0.05; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
sleep 0.3
for z in killed/*.zip; do
	[ -e "$z" ] || continue
	"$RECPACK" verify "$z" >/dev/null 2>&1 || notok "a killed batch leaves only packets that verify" "$z"
done
expect_exit 0 "the next run finishes the rest" "$RECPACK" batch big.csv -d killed -q
expect_true "all six packets present and verified" sh -c 'for i in 1 2 3 4 5 6; do '"'$RECPACK'"' verify killed/r$i.zip >/dev/null || exit 1; done'

# parallel rows give the same packets as one at a time
SOURCE_DATE_EPOCH=1767225600 "$RECPACK" batch big.csv -d par -j 3 -q >/dev/null 2>&1
SOURCE_DATE_EPOCH=1767225600 "$RECPACK" batch big.csv -d seq -j 1 -q >/dev/null 2>&1
expect_true "-j 3 and -j 1 give identical packets" cmp par/r4.zip seq/r4.zip

# a malformed roster is refused before any work, with FILE:LINE
printf 'id,name,dob\nok1,Jane Doe,1970-01-01\nbad,"Jane,1970-01-01\n' >bad.csv
expect_exit 2 "malformed roster exits 2" "$RECPACK" batch bad.csv -d badout
expect_in "$T/err" "bad.csv:3: a quoted field is never closed" "malformed roster names FILE:LINE"
expect_true "nothing was built for a malformed roster" test ! -e badout
printf 'id,name,dob,pathologee\nx1,Jane Doe,1970-01-01,a.pdf\n' >typo.csv
expect_exit 2 "unknown category column exits 2" "$RECPACK" batch typo.csv -d badout
expect_in "$T/err" "typo.csv:2: column D .pathologee.: .pathologee. is not a category" "unknown column named, with its line and column"
expect_exit 2 "batch without -d" "$RECPACK" batch roster.csv

# pipelines: a packet streamed to stdout and read by Python's zipfile
expect_true "build -o - | python3 zipfile" sh -c "'$RECPACK' build --surgery --hospitalized -q -o - jane | python3 -c '
import sys, io, zipfile
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
assert z.testzip() is None
assert any(n.endswith(\"/bagit.txt\") for n in z.namelist())'"
