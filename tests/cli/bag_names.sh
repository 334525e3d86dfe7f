#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Names every BagIt validator accepts (issue 18): a packet built from hostile-but-legal file
# names ('%', CR, LF, C1 controls, bidirectional overrides, line separators) passes
# `sha256sum -c` on both manifests after unzip, and an independent BagIt check written here
# from RFC 8493 (not from recpack's code). packet.json keeps each original name.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/in"
names=(
	"Pathology 100% final%.pdf"
	"%41%25%0A.pdf"
	$'line\nbreak.pdf'
	$'carriage\rreturn.pdf'
	$'nel\u0085name.pdf'
	$'sep\u2028line.pdf'
	$'\u202efdp.exe.pdf'
	"José García – informe.pdf"
)
i=0
for n in "${names[@]}"; do
	i=$((i + 1))
	make_pdf "$T/in/$n" "Pathology report $i"
done
expect_exit 0 "build from ${#names[@]} hostile names" \
	"$RECPACK" build --allow-incomplete --name bag -o "$T/p.zip" "pathology=$T/in"
mkdir -p "$T/x"
(cd "$T/x" && unzip -q "$T/p.zip") || notok "unzip the packet"

# No manifest line needs percent-encoding, so sha256sum reads them as they are.
for m in manifest-sha256.txt tagmanifest-sha256.txt; do
	if [ -s "$T/x/bag/$m" ] && (cd "$T/x/bag" && sha256sum -c --quiet "$m") >"$T/sc.out" 2>&1; then
		ok "sha256sum -c $m after unzip"
	else notok "sha256sum -c $m after unzip" "$(head -5 "$T/sc.out")" "$(head -12 "$T/x/bag/$m" | cat -A | head -12)"; fi
done
if grep -q '%' "$T/x/bag/manifest-sha256.txt"; then
	notok "no manifest line is percent-encoded" "$(grep '%' "$T/x/bag/manifest-sha256.txt")"
else ok "no manifest line is percent-encoded"; fi

# An independent BagIt 1.0 check (RFC 8493 sections 2.1.3, 2.2.1, 3): every manifest line
# "<hex>  <path>" with %0D %0A %25 decoded, every path inside data/, every payload file
# listed, every checksum right, Payload-Oxum right.
cat >"$T/bagcheck.py" <<'EOF'
import hashlib, os, re, sys
bag = sys.argv[1]
errs = []
def decode(p):
    return p.replace('%0D', '\r').replace('%0d', '\r').replace('%0A', '\n').replace('%0a', '\n').replace('%25', '%')
def lines(name):
    with open(os.path.join(bag, name), 'rb') as f:
        data = f.read().decode('utf-8')
    return [l for l in re.split(r'\r\n|\r|\n', data) if l]
bagit = lines('bagit.txt')
if bagit[:2] != ['BagIt-Version: 1.0', 'Tag-File-Character-Encoding: UTF-8']:
    errs.append('bagit.txt: %r' % bagit[:2])
listed = {}
for line in lines('manifest-sha256.txt'):
    m = re.match(r'^([0-9a-f]{64})[ \t]+(.+)$', line)
    if not m:
        errs.append('bad manifest line %r' % line); continue
    path = decode(m.group(2))
    if not path.startswith('data/') or '..' in path.split('/'):
        errs.append('path outside data/: %r' % path); continue
    if path in listed:
        errs.append('duplicate %r' % path)
    listed[path] = m.group(1)
found = set()
total = 0
for root, dirs, files in os.walk(os.path.join(bag, 'data')):
    for fn in files:
        full = os.path.join(root, fn)
        rel = os.path.relpath(full, bag).replace(os.sep, '/')
        found.add(rel)
        data = open(full, 'rb').read()
        total += len(data)
        if rel not in listed:
            errs.append('not in manifest: %r' % rel)
        elif hashlib.sha256(data).hexdigest() != listed[rel]:
            errs.append('checksum: %r' % rel)
for p in listed:
    if p not in found:
        errs.append('missing: %r' % p)
info = dict(l.split(': ', 1) for l in lines('bag-info.txt') if ': ' in l and not l[0].isspace())
if info.get('Payload-Oxum') != '%d.%d' % (total, len(found)):
    errs.append('Payload-Oxum %r, payload %d.%d' % (info.get('Payload-Oxum'), total, len(found)))
print('\n'.join(errs) if errs else 'valid: %d files' % len(found))
sys.exit(1 if errs else 0)
EOF
if python3 "$T/bagcheck.py" "$T/x/bag" >"$T/bc.out" 2>&1 && grep -q "valid: ${#names[@]} files" "$T/bc.out"; then
	ok "an independent RFC 8493 check accepts the bag"
else notok "an independent RFC 8493 check accepts the bag" "$(head -8 "$T/bc.out")"; fi

# The packet's paths carry none of the special characters; packet.json keeps the originals.
if python3 - "$T/x/bag/packet.json" "${names[@]}" >"$T/pj.out" 2>&1 <<'EOF'; then
import json, sys, unicodedata
j = json.load(open(sys.argv[1], encoding='utf-8'))
want = set(unicodedata.normalize('NFC', n) for n in sys.argv[2:])
bad = []
for d in j['documents']:
    p = d.get('path', '')
    if any(c in p for c in '%\r\n\u0085\u2028\u202e'):
        bad.append('special character in %r' % p)
    name = d.get('name', '')
    want.discard(unicodedata.normalize('NFC', name))
if want:
    bad.append('original names not in packet.json: %r' % sorted(want))
print('\n'.join(bad))
sys.exit(1 if bad else 0)
EOF
	ok "packet paths are plain; packet.json keeps every original name"
else notok "packet paths are plain; packet.json keeps every original name" "$(head -5 "$T/pj.out")"; fi

expect_exit 0 "recpack verify accepts it" "$RECPACK" verify "$T/p.zip"
