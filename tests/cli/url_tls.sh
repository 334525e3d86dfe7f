#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# HTTPS: verified against a private test CA given with --cacert, refused without it
# (exit 3, plain words, no insecure retry).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
cd "$T" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=recpack test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
	-keyout srv.key -out srv.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf \
	-out srv.pem 2>/dev/null
expect_true "test CA signed the server certificate (openssl verify)" openssl verify -CAfile ca.pem srv.pem
start_httpd --cert srv.pem --key srv.key
make_pdf "$WWW/report.pdf" "Pathology report"
S=https://127.0.0.1:$PORT

check_url --cacert ca.pem "doc=$S/files/report.pdf"
if [ "$RC" -eq 0 ] && [ "$(json_doc type)" = pdf ]; then ok "https with --cacert: fetched"; else notok "https --cacert" "rc=$RC" "$(cat "$T/out")"; fi
[ "$(json_doc source)" = "$S/files/report.pdf" ] && ok "https source recorded" || notok "https source"

: >"$HTTPD_LOG"
check_url "doc=$S/files/report.pdf"
[ "$RC" -eq 3 ] && ok "untrusted certificate: exit 3" || notok "untrusted exit" "rc=$RC"
expect_in "$T/out" "certificate could not be verified.*--cacert FILE" "untrusted certificate in plain words"
expect_in "$T/out" '"code": "fetch-failed"' "untrusted certificate is fetch-failed"
[ ! -s "$HTTPD_LOG" ] && ok "no request sent over an unverified connection" || notok "request sent" "$(cat "$HTTPD_LOG")"

printf 'not a certificate\n' >bad.pem
check_url --cacert bad.pem "doc=$S/files/report.pdf"
[ "$RC" -eq 3 ] && ok "unusable --cacert: exit 3" || notok "bad cacert" "rc=$RC"
check_url --cacert "$T/missing.pem" "doc=$S/files/report.pdf"
expect_in "$T/out" 'certificate file \(--cacert\).*cannot be read' "missing --cacert named"
