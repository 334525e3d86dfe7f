#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# verify and extract share one judgement of what is safe in a packet (issue 16, defect 6), and
# a small packet cannot make list, extract or verify exhaust memory (defect 7). Each hostile
# packet is made here with Python's zipfile, with every checksum, Payload-Oxum and tag
# manifest recomputed, so the hostile part is the only thing wrong with it: verify must exit 1
# naming it, and extract must refuse it and write nothing outside its folder.
. "$(dirname "$0")/../lib.sh"

# hostile KIND OUT.zip: a small bag, correct in every checksum, with one hostile part.
hostile() {
	python3 - "$1" "$2" <<'PY'
import hashlib, json, sys, zipfile
kind, out = sys.argv[1], sys.argv[2]
bag = '..' if kind == 'bagdotdot' else 'second-opinion-packet'
pdf = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
payload = {'data/02-pathology/report.pdf': pdf}
special = {}
doc = {'path': 'data/02-pathology/report.pdf', 'category': 'pathology', 'type': 'pdf'}
if kind == 'dotdot':
    payload['data/../../../evil.pdf'] = pdf
elif kind == 'backslash':
    payload['data/..\\..\\..\\evil.pdf'] = pdf
elif kind == 'symlink':
    payload['data/02-pathology/link.pdf'] = b'/etc/passwd'
    special['data/02-pathology/link.pdf'] = 0o120777 << 16
elif kind == 'fifo':
    payload['data/02-pathology/pipe.pdf'] = b''
    special['data/02-pathology/pipe.pdf'] = 0o010644 << 16
elif kind == 'jsonname':
    doc['original_path'] = 'data/../../evil.pdf'
pj = json.dumps({'complete': True, 'documents': [doc], 'problems': []}).encode()
sha = lambda b: hashlib.sha256(b).hexdigest()
tags = {
    'bagit.txt': b'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    'bag-info.txt': ('Payload-Oxum: %d.%d\n' % (sum(map(len, payload.values())), len(payload))).encode(),
    'manifest-sha256.txt': ''.join('%s  %s\n' % (sha(b), p) for p, b in payload.items()).encode(),
    'packet.json': pj,
}
tags['tagmanifest-sha256.txt'] = ''.join('%s  %s\n' % (sha(b), p) for p, b in tags.items()).encode()
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in list(tags.items()) + list(payload.items()):
        info = zipfile.ZipInfo(bag + '/' + name)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = special.get(name, 0o100644 << 16)
        z.writestr(info, data)
PY
}

# The model is accepted by both: the generator itself makes a good packet.
hostile none "$T/good.zip"
expect_exit 0 "verify accepts a clean generated bag" "$RECPACK" verify "$T/good.zip"
mkdir -p "$T/xgood"
expect_exit 0 "extract accepts a clean generated bag" "$RECPACK" extract "$T/good.zip" -d "$T/xgood"

check_kind() { # KIND PATTERN: what verify must name
	kind=$1 pattern=$2
	hostile "$kind" "$T/$kind.zip" || { notok "$kind: generator"; return; }
	mkdir -p "$T/x-$kind/inner"
	run "$RECPACK" extract "$T/$kind.zip" -d "$T/x-$kind/inner"
	if [ "$RC" -ne 0 ]; then ok "$kind: extract refuses it (exit $RC)"; else
		notok "$kind: extract refuses it" "$(cat "$T/out" "$T/err")"; fi
	left=$(find "$T/x-$kind" -mindepth 1 -not -path "$T/x-$kind/inner*" | head -3)
	[ -z "$left" ] && ok "$kind: extract wrote nothing outside its folder" ||
		notok "$kind: extract wrote nothing outside its folder" "$left"
	[ -z "$(find "$T/x-$kind" -type l)" ] && ok "$kind: extract made no symbolic link" ||
		notok "$kind: extract made no symbolic link" "$(find "$T/x-$kind" -type l)"
	expect_exit 1 "$kind: verify says it is not OK" "$RECPACK" verify "$T/$kind.zip"
	expect_in "$T/out" "$pattern" "$kind: verify names the defect"
	expect_not_in "$T/out" ': OK' "$kind: verify does not say OK"
	expect_exit 1 "$kind: verify --json exits 1 too" "$RECPACK" verify --json "$T/$kind.zip"
	expect_true "$kind: verify --json says ok false" \
		python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['ok'] is False else 1)" "$T/out"
}

check_kind dotdot 'evil.pdf.*unsafe name'
check_kind backslash 'evil.pdf.*unsafe name'
check_kind bagdotdot 'bag folder with an unsafe name'
check_kind symlink 'link.pdf.*symbolic link'
check_kind fifo 'pipe.pdf.*not a regular file'
check_kind jsonname 'packet.json.*unsafe name'

# Info-ZIP's unzip would make the link: the test's packet really is hostile.
if command -v unzip >/dev/null; then
	mkdir -p "$T/uz" && (cd "$T/uz" && unzip -q "$T/symlink.zip" 2>/dev/null)
	[ -L "$T/uz/second-opinion-packet/data/02-pathology/link.pdf" ] && ok "unzip makes the symlink verify refuses" ||
		notok "unzip makes the symlink verify refuses" "$(ls -lR "$T/uz" | head)"
else
	skip "unzip makes the symlink verify refuses" "no unzip"
fi

# ---- defect 7: a small packet whose packet.json would cost gigabytes ----
# bigjson KIND OUT.zip: a good bag whose packet.json is KIND: "huge" 64 MiB of {} (a 64 KB
# ZIP), "many" 15 MiB of {} (under the size bound, over the count bound), "deep" 40 levels.
bigjson() {
	python3 - "$1" "$2" <<'PY'
import hashlib, sys, zipfile
kind, out = sys.argv[1], sys.argv[2]
if kind == 'huge':
    pj = b'[' + b'{},' * ((64 << 20) // 3) + b'{}]'
elif kind == 'many':
    pj = b'[' + b'{},' * ((15 << 20) // 3) + b'{}]'
else:
    pj = b'{"a":' * 40 + b'1' + b'}' * 40
sha = lambda b: hashlib.sha256(b).hexdigest()
pdf = b'%PDF-1.4\n%%EOF\n'
tags = {'bagit.txt': b'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
        'manifest-sha256.txt': ('%s  data/a.pdf\n' % sha(pdf)).encode(), 'packet.json': pj}
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name, data in tags.items():
        z.writestr('p/' + name, data)
    z.writestr('p/data/a.pdf', pdf)
PY
}

maxrss() { # KB of the largest resident set of "$@"; output in $T/out, $T/err; exit in RC
	/usr/bin/time -f %M -o "$T/rss" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	RSS=$(tail -n 1 "$T/rss")
}

# 100 MiB; the sanitizer build's shadow memory and quarantine are allowed 400 MiB
limit=102400; [ -n "${ASAN_OPTIONS:-}" ] && limit=409600
for kind in huge many deep; do
	bigjson $kind "$T/$kind.zip" || { notok "$kind packet.json: generator"; continue; }
	size=$(stat -c %s "$T/$kind.zip")
	for cmd in list extract verify; do
		case $cmd in
		extract) mkdir -p "$T/xb-$kind"; set -- "$RECPACK" extract "$T/$kind.zip" -d "$T/xb-$kind" ;;
		*) set -- "$RECPACK" $cmd "$T/$kind.zip" ;;
		esac
		maxrss "$@"
		want=3; [ $cmd = verify ] && want=1
		if [ "$RC" -eq $want ] && [ "$RSS" -lt $limit ]; then
			ok "$kind packet.json ($size-byte ZIP): $cmd refuses it (exit $RC) in $RSS KB"
		else
			notok "$kind packet.json ($size-byte ZIP): $cmd refuses it within 100 MiB" \
				"exit $RC (want $want), max RSS $RSS KB (limit $limit KB)" "$(head -c 400 "$T/err") $(head -c 400 "$T/out")"
		fi
		case $kind in
		huge) pattern='packet.json.*bigger than the 16 MiB' ;;
		many) pattern='packet.json.*more than 250000 objects and arrays' ;;
		deep) pattern='packet.json.*nested more than 32 deep' ;;
		esac
		case $kind in # list, extract and verify read it one document at a time, up to 1 GiB
		huge | many) pattern='packet.json is not a JSON object' ;;
		esac
		cat "$T/out" "$T/err" >"$T/both"
		expect_in "$T/both" "$pattern" "$kind packet.json: $cmd says what is wrong"
	done
done
