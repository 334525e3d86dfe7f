# SPDX-License-Identifier: GPL-3.0-or-later
# tests/httpd.sh: start and stop the local test portal (tests/httpd.py) for tests/cli/url_*.sh.
# Sourced after lib.sh. Only 127.0.0.1 and 127.0.0.2 are ever contacted.

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export XDG_CACHE_HOME="$T/cache" # never the user's own cache
WWW=$T/www
HTTPD_LOG=$T/httpd.log
mkdir -p "$WWW"

# A manifest with one optional category, so a test's exit status is about the download.
cat >"$T/m.ini" <<'INI'
[manifest]
name = urltest
description = one optional category for the download tests

[doc]
title = Documents
required = no
match = *patholog*
INI

# start_httpd [httpd.py options]: sets HTTPD_PID, PORT (first --bind) and PORT2 (second).
start_httpd() {
	rm -f "$T/ports"
	python3 "$TOP/tests/httpd.py" --root "$WWW" --log "$HTTPD_LOG" --portfile "$T/ports" "$@" \
		>"$T/httpd.out" 2>&1 &
	HTTPD_PID=$!
	trap 'kill "$HTTPD_PID" 2>/dev/null; rm -rf "$T"' EXIT
	for _ in $(seq 100); do
		[ -s "$T/ports" ] && break
		sleep 0.1
	done
	PORT=$(sed -n '1s/.* //p' "$T/ports")
	PORT2=$(sed -n '2s/.* //p' "$T/ports")
	[ -n "$PORT" ] || { echo "not ok - test server did not start"; cat "$T/httpd.out"; exit 1; }
}

stop_httpd() {
	kill "$HTTPD_PID" 2>/dev/null
	wait "$HTTPD_PID" 2>/dev/null
}

# check_url ARGS...: recpack check with the test manifest, JSON on stdout.
check_url() {
	run "$RECPACK" check -m "$T/m.ini" --json "$@"
}

# json_doc FIELD: FIELD of the first document in $T/out.
json_doc() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["documents"]; print(d[0][sys.argv[2]] if d else "")' "$T/out" "$1"
}
