#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A packet built from portal links records each document's source, and no secret anywhere:
# not in packet.json, index.html, README.txt, bag-info.txt nor the output.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
start_httpd --token tok-SECRET-42
make_pdf "$WWW/report.pdf" "Pathology report"
make_pdf "$WWW/meds.pdf" "Medication list"
A=http://127.0.0.1:$PORT
printf 'tok-SECRET-42\n' >"$T/token"
cd "$T" || exit 1
expect_exit 0 "build from portal links" "$RECPACK" build -m "$T/m.ini" --bearer-file "$T/token" -o "$T/p.zip" \
	"doc=http://user:pw-SECRET-1@127.0.0.1:$PORT/bearer/report.pdf?token=QUERY-SECRET#frag" \
	"doc=$A/files/meds.pdf?cd=attachment%3B%20filename%3DMedication_List.pdf&sig=SIG-SECRET"
expect_true "packet passes unzip -t" unzip -tq "$T/p.zip"
python3 - "$T/p.zip" "$A" >"$T/py.out" 2>&1 <<'PY'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
pj = json.loads(z.read([n for n in names if n.endswith("/packet.json")][0]))
sources = sorted(d["source"] for d in pj["documents"])
want = sorted([sys.argv[2] + "/bearer/report.pdf", sys.argv[2] + "/files/meds.pdf"])
assert sources == want, sources
assert any(n.endswith("/Medication_List.pdf") for n in names), names
for n in names:
    data = z.read(n)
    for bad in (b"SECRET", b"token=", b"sig=", b"pw-"):
        assert bad not in data, (n, bad)
print("clean")
PY
expect_in "$T/py.out" '^clean$' "packet.json sources redacted; no secret in any packet file (python zipfile)"
expect_not_in "$T/out" 'SECRET' "no secret in build output"
expect_not_in "$T/err" 'SECRET' "no secret on stderr"
