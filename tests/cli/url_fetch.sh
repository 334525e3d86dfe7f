#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Downloads that go wrong the way portals do: names, sign-in pages, busy servers, dropped
# and stalled connections, endless bodies, the cache, and many documents at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
start_httpd
A=http://127.0.0.1:$PORT
make_pdf "$WWW/report.pdf" "Pathology report"
make_pdf "$T/small.pdf" "Large scan report"
{ printf '%%PDF-1.4\n%%'; head -c 300000 /dev/zero | tr '\0' x; printf '\n'; tail -n +2 "$T/small.pdf"; } >"$WWW/big.pdf"
quote() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
reqs() { grep -c "\"path\": \"$1" "$HTTPD_LOG"; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$1" "$(now)"; }

# --- names ---
check_url "doc=$A/files/report.pdf?token=abc"
[ "$RC" -eq 0 ] && [ "$(json_doc name)" = report.pdf ] && ok "name from the URL path" || notok "name from path" "rc=$RC name=$(json_doc name)"
[ "$(json_doc source)" = "$A/files/report.pdf" ] && ok "source recorded without the query" || notok "source redacted" "$(json_doc source)"
[ "$(json_doc sha256)" = "$(sha256sum "$WWW/report.pdf" | cut -d' ' -f1)" ] && ok "downloaded bytes match (sha256sum)" || notok "sha256"
cd=$(quote "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''Surgical%20Pathology%20R%C3%A9sum%C3%A9.pdf")
check_url "doc=$A/files/report.pdf?cd=$cd"
[ "$(json_doc name)" = "Surgical Pathology Résumé.pdf" ] && ok "name from Content-Disposition filename*" || notok "filename*" "$(json_doc name)"
check_url "doc=$A/files/report.pdf?cd=$(quote 'attachment; filename="../../../etc/evil.pdf"')"
[ "$(json_doc name)" = evil.pdf ] && ok "Content-Disposition path stripped" || notok "cd path" "$(json_doc name)"
check_url "$A/files/report.pdf?cd=$(quote 'attachment; filename="Surgical_Pathology_Report.pdf"')"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["documents"][0]; sys.exit(d["category"] != "doc")' "$T/out" &&
	ok "classified by the Content-Disposition name" || notok "classified" "$(head -c 600 "$T/out")"

# --- the portal's sign-in page instead of the PDF ---
check_url "doc=$A/cookie/report.pdf"
[ "$RC" -eq 1 ] && ok "sign-in page: check fails (exit 1)" || notok "sign-in page exit" "rc=$RC"
expect_in "$T/out" '"code": "wrong-type"' "sign-in page is wrong-type"
expect_in "$T/out" 'Sign in to the portal again, export the cookies again' "sign-in page: advice to sign in again"
check_url "doc=$A/cookie/12345"
expect_in "$T/out" '"code": "wrong-type"' "sign-in page for a link without extension is wrong-type"

# --- busy portal: 503 then success; no retry on 404 ---
: >"$HTTPD_LOG"
start=$(now)
check_url "doc=$A/flaky/k1/report.pdf?fail=2"
[ "$RC" -eq 0 ] && ok "503 twice, then success" || notok "503 then success" "rc=$RC" "$(cat "$T/out")"
[ "$(reqs /flaky/k1)" -eq 3 ] && ok "503: three requests" || notok "503 requests" "$(reqs /flaky/k1)"
python3 -c "import sys; sys.exit(not float(sys.argv[1]) >= 1.9)" "$(elapsed "$start")" && ok "Retry-After honoured" || notok "Retry-After"
check_url --retries 1 "doc=$A/flaky/k2/report.pdf?fail=5"
[ "$RC" -eq 3 ] && ok "503 beyond --retries: exit 3" || notok "503 gives up" "rc=$RC"
expect_in "$T/out" '503 Service Unavailable: the portal is having trouble; try again later \(after 2 attempts\)' "503 in plain words"
check_url "doc=$A/status/404"
[ "$(reqs /status/404)" -eq 1 ] && ok "no retry on 404" || notok "404 retried" "$(reqs /status/404)"
check_url --retries 2 "doc=$A/status/500"
[ "$(reqs /status/500)" -eq 3 ] && ok "500 retried --retries times" || notok "500 retries" "$(reqs /status/500)"

# --- a connection dropped mid-body is resumed with Range ---
: >"$HTTPD_LOG"
check_url "doc=$A/drop/k3/big.pdf"
[ "$RC" -eq 0 ] && ok "dropped connection: document complete" || notok "drop" "rc=$RC" "$(cat "$T/out")"
[ "$(json_doc sha256)" = "$(sha256sum "$WWW/big.pdf" | cut -d' ' -f1)" ] && ok "resumed bytes match (sha256sum)" || notok "resume sha"
expect_in "$HTTPD_LOG" '"range": "bytes=1[0-9]{5}-"' "resumed with a Range request"

# --- a stalled server hits --timeout; an endless body stops at --max-size ---
start=$(now)
check_url --timeout 2 --retries 1 "doc=$A/stall/x.pdf"
t=$(elapsed "$start")
[ "$RC" -eq 3 ] && ok "stalled: exit 3" || notok "stall exit" "rc=$RC"
expect_in "$T/out" 'stalled: nothing arrived for 2 seconds' "stalled in plain words"
python3 -c "import sys; sys.exit(not 3.5 < float(sys.argv[1]) < 10)" "$t" && ok "stall retried once within the timeouts ($t s)" || notok "stall timing" "$t"
[ "$(reqs /stall/)" -eq 2 ] && ok "a timeout is retried" || notok "timeout retried" "$(reqs /stall/)"

# --- a portal that sends 2 bytes a second is given up on (--min-speed), and every
# document ends within --deadline, however its bytes trickle in ---
start=$(now)
check_url --timeout 3 --retries 0 "doc=$A/trickle?every=0.5"
t=$(elapsed "$start")
[ "$RC" -eq 3 ] && ok "2 bytes a second: exit 3" || notok "trickle exit" "rc=$RC"
expect_in "$T/out" 'too slow: under 1024 bytes a second for 3 seconds' "too slow, in plain words"
python3 -c "import sys; sys.exit(not 2.5 < float(sys.argv[1]) < 8)" "$t" && ok "too slow: abandoned after --timeout ($t s)" || notok "trickle timing" "$t"
start=$(now)
check_url --min-speed 1 --timeout 60 --deadline 3 --retries 5 "doc=$A/trickle?every=0.2"
t=$(elapsed "$start")
[ "$RC" -eq 3 ] && ok "--deadline: exit 3" || notok "deadline exit" "rc=$RC"
expect_in "$T/out" 'still not complete after 3 seconds \(--deadline\)' "--deadline in plain words"
python3 -c "import sys; sys.exit(not 2.5 < float(sys.argv[1]) < 7)" "$t" && ok "--deadline holds with retries left ($t s)" || notok "deadline timing" "$t"
expect_exit 2 "--deadline 0 is a usage error" "$RECPACK" check --deadline 0 "$T/m.ini"
expect_exit 2 "--min-speed x is a usage error" "$RECPACK" check --min-speed x "$T/m.ini"
start=$(now)
check_url --max-size 1M "doc=$A/endless"
[ "$RC" -eq 3 ] && ok "endless body: exit 3" || notok "endless" "rc=$RC"
expect_in "$T/out" 'larger than --max-size \(1.0 MB\)' "endless body stopped by --max-size"
python3 -c "import sys; sys.exit(not float(sys.argv[1]) < 10)" "$(elapsed "$start")" && ok "endless body stopped quickly" || notok "endless timing"
check_url --max-size 100K "doc=$A/files/big.pdf"
expect_in "$T/out" 'larger than --max-size' "announced size over --max-size refused"

# --- the cache: revalidated with ETag, bypassed with --no-cache, cleared ---
: >"$HTTPD_LOG"
check_url "doc=$A/files/big.pdf?token=QUERY-SECRET"
check_url "doc=$A/files/big.pdf?token=QUERY-SECRET"
[ "$RC" -eq 0 ] && [ "$(json_doc sha256)" = "$(sha256sum "$WWW/big.pdf" | cut -d' ' -f1)" ] && ok "cached copy used" || notok "cache" "rc=$RC"
[ "$(grep -c '"if_none_match": "\\"' "$HTTPD_LOG")" -eq 1 ] && ok "second run revalidated with ETag" || notok "revalidate" "$(cat "$HTTPD_LOG")"
[ "$(stat -c %a "$XDG_CACHE_HOME/recpack")" = 700 ] && ok "cache folder is 0700" || notok "cache mode"
[ -n "$(find "$XDG_CACHE_HOME/recpack" -type f)" ] && [ -z "$(find "$XDG_CACHE_HOME/recpack" -type f ! -perm 600)" ] && ok "cache files are 0600" || notok "cache file modes"
if [ -z "$(find "$XDG_CACHE_HOME/recpack" -type f)" ] || grep -rq 'SECRET\|token=' "$XDG_CACHE_HOME"; then
	notok "no secret in the cache" "an empty cache, or a secret in it"; else ok "no secret in the cache"; fi
check_url --no-cache "doc=$A/files/big.pdf?token=QUERY-SECRET"
[ "$(grep -c '"if_none_match": "\\"' "$HTTPD_LOG")" -eq 1 ] && ok "--no-cache bypasses the cache" || notok "no-cache"
expect_exit 0 "cache clear" "$RECPACK" cache clear
[ ! -e "$XDG_CACHE_HOME/recpack" ] && ok "cache clear removes the cached records" || notok "cache clear"

# --- 30 documents, each delayed 300 ms: about 5 rounds of --parallel 6, not 30 ---
srcs=()
for i in $(seq 30); do srcs+=("doc=$A/slow/report.pdf?delay=0.3&n=$i"); done
start=$(now)
check_url --no-cache "${srcs[@]}"
t=$(elapsed "$start")
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["documents"]))' "$T/out")
[ "$RC" -eq 0 ] && [ "$n" -eq 30 ] && ok "30 documents fetched" || notok "30 docs" "rc=$RC n=$n"
python3 -c "import sys; sys.exit(not float(sys.argv[1]) < 4.5)" "$t" && ok "30 x 300 ms fetched in $t s (5 rounds: 1.5 s; 30 rounds: 9 s)" || notok "parallel" "$t s"

# --- a long list of links never needs a descriptor per link ---
srcs=()
for i in $(seq 200); do srcs+=("doc=$A/files/report.pdf?n=$i"); done
(ulimit -n 48 && check_url --no-cache "${srcs[@]}" && echo "$RC" >"$T/rc200")
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["documents"]))' "$T/out")
[ "$(cat "$T/rc200")" = 0 ] && [ "$n" -eq 200 ] && ok "200 links with 48 file descriptors" || notok "200 links" "rc=$(cat "$T/rc200") n=$n" "$(head -c 400 "$T/err")"

# --- progress only on request or on a terminal ---
check_url "doc=$A/files/report.pdf"
[ ! -s "$T/err" ] && ok "no progress when stderr is not a terminal" || notok "quiet stderr" "$(cat "$T/err")"
check_url --progress always "doc=$A/slow/report.pdf?delay=0.5"
expect_in "$T/err" 'Downloading 1 of 1' "--progress always shows the download"
