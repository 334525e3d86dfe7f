#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Portal sign-in without secrets on the command line: bearer token, cookie file, .netrc;
# 401 in plain words; credentials never follow a redirect to another host.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
start_httpd --bind 127.0.0.1 --bind 127.0.0.2 --token tok-SECRET-42 --user patient:pw-SECRET-7 --cookie session=ck-SECRET-9
make_pdf "$WWW/report.pdf" "Pathology report"
A=http://127.0.0.1:$PORT B=http://127.0.0.2:$PORT2

printf 'tok-SECRET-42\n' >"$T/token"
chmod 600 "$T/token"
check_url --bearer-file "$T/token" "doc=$A/bearer/report.pdf"
if [ "$RC" -eq 0 ] && [ "$(json_doc type)" = pdf ]; then ok "bearer file: document fetched"; else notok "bearer file" "rc=$RC" "$(cat "$T/err")"; fi

RECPACK_BEARER_TOKEN=tok-SECRET-42 run "$RECPACK" check -m "$T/m.ini" --json "doc=$A/bearer/report.pdf"
[ "$RC" -eq 0 ] && ok "bearer from RECPACK_BEARER_TOKEN" || notok "bearer from env" "rc=$RC" "$(cat "$T/err")"

printf 'wrong-token\n' >"$T/bad"
check_url --bearer-file "$T/bad" "doc=$A/bearer/report.pdf?sig=QUERY-SECRET"
[ "$RC" -eq 3 ] && ok "401: exit 3" || notok "401: exit 3" "rc=$RC"
expect_in "$T/out" '401 Unauthorized: the portal did not accept the token' "401 in plain words"
expect_in "$T/out" '"code": "fetch-failed"' "401 is fetch-failed"
expect_not_in "$T/out" 'QUERY-SECRET|wrong-token' "401: no secret in the output"

check_url "doc=$A/bearer/report.pdf"
expect_in "$T/out" 'wants you to sign in' "401 without credentials says how to sign in"

printf '# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tck-SECRET-9\n' >"$T/cookies.txt"
check_url --cookies "$T/cookies.txt" "doc=$A/cookie/report.pdf"
if [ "$RC" -eq 0 ] && [ "$(json_doc type)" = pdf ]; then ok "cookie file: document fetched"; else notok "cookie file" "rc=$RC" "$(cat "$T/out")"; fi

printf 'machine 127.0.0.1 login patient password pw-SECRET-7\n' >"$T/netrc"
chmod 600 "$T/netrc"
check_url --netrc-file "$T/netrc" "doc=$A/basic/report.pdf"
[ "$RC" -eq 0 ] && ok "netrc file: document fetched" || notok "netrc" "rc=$RC" "$(cat "$T/out")"
cp "$T/netrc" "$T/.netrc"
HOME=$T run "$RECPACK" check -m "$T/m.ini" --json --netrc "doc=$A/basic/report.pdf"
[ "$RC" -eq 0 ] && ok "--netrc reads ~/.netrc" || notok "--netrc" "rc=$RC" "$(cat "$T/out")"
HOME=$T run "$RECPACK" check -m "$T/m.ini" --json "doc=$A/basic/report.pdf"
[ "$RC" -eq 3 ] && ok "~/.netrc unused without --netrc" || notok "netrc opt-in" "rc=$RC"

# --header-file: extra headers, one per line; a bad line is named by number, never shown.
printf '# portal token\nAuthorization: Bearer tok-SECRET-42\n\n' >"$T/auth-headers"
check_url --header-file "$T/auth-headers" "doc=$A/bearer/report.pdf"
[ "$RC" -eq 0 ] && ok "header file: Authorization header sent" || notok "header file" "rc=$RC" "$(cat "$T/out")"
printf 'Authorization: Bearer tok-SECRET-42\nhdr-SECRET-line-without-colon\n' >"$T/bad-headers"
check_url --header-file "$T/bad-headers" "doc=$A/bearer/report.pdf"
[ "$RC" -eq 3 ] && ok "bad header file: exit 3" || notok "bad header file" "rc=$RC"
expect_in "$T/out" 'line 2 of the header file' "bad header line named by number"
expect_not_in "$T/out" 'SECRET' "bad header line not shown"

# Same host: the token follows. Other host: neither token, extra header nor cookie does.
: >"$HTTPD_LOG"
check_url --bearer-file "$T/token" "doc=$A/redirect?to=/bearer/report.pdf"
[ "$RC" -eq 0 ] && ok "same-host redirect keeps the token" || notok "same-host redirect" "rc=$RC" "$(cat "$T/out")"

printf 'X-Portal-Key: hdr-SECRET-5\n' >"$T/headers"
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tck-SECRET-9\n' >>"$T/cookies.txt"
: >"$HTTPD_LOG"
check_url --bearer-file "$T/token" --header-file "$T/headers" --cookies "$T/cookies.txt" \
	"doc=$A/redirect?to=$B/files/report.pdf"
[ "$RC" -eq 0 ] && ok "cross-host redirect followed" || notok "cross-host redirect" "rc=$RC" "$(cat "$T/out")"
grep "\"server\": \"127.0.0.1:$PORT\"" "$HTTPD_LOG" >"$T/log1"
grep "\"server\": \"127.0.0.2:$PORT2\"" "$HTTPD_LOG" >"$T/log2"
expect_in "$T/log1" 'tok-SECRET-42' "first host got the token"
expect_in "$T/log1" 'hdr-SECRET-5' "first host got the extra header"
expect_in "$T/log2" 'files/report.pdf' "second host was asked"
expect_not_in "$T/log2" 'SECRET' "no token, header or cookie reached the second host"

# An http:// link redirected to another scheme is refused.
check_url "doc=$A/redirect?to=ftp://127.0.0.1/x.pdf"
[ "$RC" -eq 3 ] && ok "redirect to ftp:// refused (exit 3)" || notok "redirect to ftp" "rc=$RC"
expect_in "$T/out" 'only http:// and https:// are followed' "redirect to ftp:// explained"
check_url "doc=ftp://127.0.0.1/x.pdf"
[ "$RC" -eq 3 ] && ok "ftp:// source refused (exit 3)" || notok "ftp source" "rc=$RC"
check_url "doc=$A/loop"
expect_in "$T/out" 'redirected more than 10 times' "redirect loop stops after 10"
n=$(grep -c '"path": "/loop"' "$HTTPD_LOG")
[ "$n" -ge 2 ] && [ "$n" -le 11 ] && ok "redirect loop: at most 11 requests" || notok "loop bound"

# Nothing secret anywhere in the output, text or JSON.
run "$RECPACK" check -m "$T/m.ini" --bearer-file "$T/token" "doc=http://user:pw-SECRET-7@127.0.0.1:$PORT/status/404?token=QUERY-SECRET"
expect_in "$T/out" "http://127.0.0.1:$PORT/status/404" "404: redacted URL named"
expect_in "$T/out" '404 Not Found' "404 in plain words"
expect_not_in "$T/out" 'SECRET' "no secret in text output"
expect_not_in "$T/err" 'SECRET' "no secret on stderr"
