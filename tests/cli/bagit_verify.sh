#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack verify is a BagIt validator for bags it did not make (issue 18, items 2 and 4). Every
# bag here is made at test time by the Python below, written from RFC 8493 with hashlib (never
# with recpack): md5, sha1, sha512 manifests, a v0.97 bag, ISO-8859-1 and UTF-16 tag files,
# fetch.txt, CRLF lines, tar and zip serializations; then broken bags, one defect at a time,
# each of which verify must refuse (exit 1) naming the defect. Finally recpack's own packet
# against the BagIt Profile in docs/, and bags that break the profile.
. "$(dirname "$0")/../lib.sh"

# mkbag KIND DIR: a bag of kind KIND in DIR (a folder), or DIR.tar / DIR.tar.gz / DIR.zip for
# the serialized kinds. Prints nothing; exits non-zero when the generator itself fails.
mkbag() {
	python3 - "$1" "$2" <<'PY'
import hashlib, io, os, sys, tarfile, unicodedata, zipfile
kind, out = sys.argv[1], sys.argv[2]

algs = ['sha256']
version = '1.0'
encoding = 'UTF-8'
eol = '\n'
sep = '  '
payload = {'data/report.txt': b'Pathology report\n', 'data/scans/ct-001.dcm': b'\x00' * 132 + b'DICM'}
info = [('Source-Organization', 'Clinique du Parc'), ('Bagging-Date', '2026-12-01')]
fetch = []          # (url, length, path) lines; those files are left out of the bag
extra_lines = {}    # manifest name -> extra raw lines (str) appended
drop = {}           # manifest name -> paths left out of it
oxum_delta = 0
bagit_txt = None
escape = lambda p: p.replace('%', '%25').replace('\r', '%0D').replace('\n', '%0A')

base = kind.split('.')[0]
if base == 'md5':
    algs = ['md5']
elif base == 'sha1':
    algs = ['sha1']
elif base == 'sha512':
    algs = ['sha512', 'sha256']
elif base == 'v097':
    version, algs = '0.97', ['md5']
elif base == 'latin1':
    encoding = 'ISO-8859-1'
    payload['data/r\u00e9sum\u00e9 m\u00e9dical.txt'] = 'R\u00e9sum\u00e9\n'.encode()
    info.append(('Contact-Name', 'H\u00e9l\u00e8ne Lef\u00e8vre'))
elif base == 'utf16':
    encoding = 'UTF-16'
    payload['data/\u00e9chographie.txt'] = b'echo\n'
    info.append(('Contact-Name', 'Zo\u00eb \u00c5str\u00f6m'))
elif base == 'fetch':
    fetch = [('https://example.org/bags/remote.bin', 4096, 'data/remote.bin')]
elif base == 'crlf':
    eol, sep = '\r\n', '\t'
    payload['data/a file with  spaces.txt'] = b'spaces\n'
elif base == 'percent':
    payload['data/100% final.txt'] = b'final\n'
elif base == 'casedup':
    payload['data/Report.txt'] = b'upper\n'
    payload['data/caf\u00e9.txt'] = b'nfc\n'
    payload[unicodedata.normalize('NFD', 'data/caf\u00e9.txt')] = b'nfd\n'
elif base == 'unknownalg':
    algs = ['sha256']
# ---- one defect each ----
elif base == 'notinone':
    algs = ['md5', 'sha256']
    drop['manifest-md5.txt'] = ['data/report.txt']
elif base == 'dup':
    extra_lines['manifest-sha256.txt'] = ['%s  data/report.txt' % hashlib.sha256(payload['data/report.txt']).hexdigest()]
elif base == 'outside':
    extra_lines['manifest-sha256.txt'] = ['%s  data/../../outside.txt' % hashlib.sha256(b'x').hexdigest()]
elif base == 'oxum':
    oxum_delta = 1
elif base == 'badsum':
    algs = ['md5']
elif base == 'missing':
    pass
elif base == 'leadspace':
    extra_lines['manifest-sha256.txt'] = [' %s  data/report.txt' % hashlib.sha256(b'y').hexdigest()]
elif base == 'trailspace':
    # the RFC's filepath is the rest of the line: a trailing space names another file
    drop['manifest-sha256.txt'] = ['data/report.txt']
    extra_lines['manifest-sha256.txt'] = ['%s  data/report.txt ' % hashlib.sha256(payload['data/report.txt']).hexdigest()]
elif base == 'nospace':
    bagit_txt = 'BagIt-Version:1.0\nTag-File-Character-Encoding: UTF-8\n'
elif base == 'version2':
    bagit_txt = 'BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n'
elif base == 'badenc':
    encoding = 'X-NO-SUCH-ENCODING'
elif base == 'nopayloadmanifest':
    algs = []
elif base == 'nodata':
    payload = {}
elif base != 'plain':
    sys.exit('unknown kind ' + kind)

files = {}
for p, b in payload.items():
    files[p] = b
payload_present = dict(payload)
for _, _, p in fetch:
    payload[p] = b'\x01' * 4096
def enc(text):
    return text.encode(encoding if encoding != 'X-NO-SUCH-ENCODING' else 'utf-8')
def manifest(alg, entries, name):
    lines = []
    for p, b in entries.items():
        if p in drop.get(name, []):
            continue
        lines.append('%s%s%s' % (hashlib.new(alg, b).hexdigest(), sep, escape(p) if version == '1.0' else p))
    lines += extra_lines.get(name, [])
    return enc(''.join(l + eol for l in lines))
tags = {}
tags['bagit.txt'] = (bagit_txt or 'BagIt-Version: %s\nTag-File-Character-Encoding: %s\n' % (version, encoding)).encode()
size = sum(len(b) for b in payload.values()) + oxum_delta
info.append(('Payload-Oxum', '%d.%d' % (size, len(payload))))
tags['bag-info.txt'] = enc(''.join('%s: %s%s' % (k, v, eol) for k, v in info))
for a in algs:
    tags['manifest-%s.txt' % a] = manifest(a, payload, 'manifest-%s.txt' % a)
if base == 'unknownalg':
    tags['manifest-blake3.txt'] = b'00  data/report.txt\n'
if fetch:
    tags['fetch.txt'] = enc(''.join('%s %d %s%s' % (u, n, p, eol) for u, n, p in fetch))
if base == 'badsum':
    payload_present['data/report.txt'] = b'Pathology rep0rt\n'
for a in algs[:1]:
    tags['tagmanifest-%s.txt' % a] = enc(''.join('%s  %s%s' % (hashlib.new(a, b).hexdigest(), n, eol) for n, b in tags.items()))
if base == 'missing':
    del payload_present['data/scans/ct-001.dcm']

everything = dict(tags)
everything.update(payload_present)
ser = kind.split('.', 1)[1] if '.' in kind else ''
top = 'bag-' + base
if ser == '':
    for p, b in everything.items():
        full = os.path.join(out, p)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        open(full, 'wb').write(b)
    os.makedirs(os.path.join(out, 'data'), exist_ok=True) if base != 'nodata' else None
elif ser in ('tar', 'tar.gz'):
    with tarfile.open(out + '.' + ser, 'w:gz' if ser == 'tar.gz' else 'w', format=tarfile.PAX_FORMAT) as t:
        for p, b in everything.items():
            ti = tarfile.TarInfo(top + '/' + p)
            ti.size = len(b)
            ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(b))
elif ser == 'zip':
    with zipfile.ZipFile(out + '.zip', 'w', zipfile.ZIP_DEFLATED) as z:
        for p, b in everything.items():
            z.writestr(top + '/' + p, b)
PY
}

# good KIND [PATTERN-ON-STDERR]: a valid bag verifies (exit 0), as a plain bag.
good() {
	kind=$1 target=$T/$1
	mkbag "$kind" "$target" || { notok "$kind: generator"; return; }
	case $kind in *.tar.gz) target=$target.tar.gz ;; *.tar) target=$target.tar ;; *.zip) target=$target.zip ;; esac
	expect_exit 0 "$kind: a valid bag verifies" "$RECPACK" verify "$target"
	expect_in "$T/out" 'not a recpack packet.*plain BagIt bag' "$kind: verify says it is a plain bag, not a packet"
	expect_in "$T/out" ': OK: ' "$kind: verify says OK"
	if [ -n "${2:-}" ]; then
		expect_in "$T/err" "^warning: .*$2" "$kind: the warning goes to standard error"
		expect_not_in "$T/out" "^warning" "$kind: no warning on standard output"
	else
		expect_not_in "$T/err" "." "$kind: nothing on standard error"
	fi
}

# bad KIND PATTERN: a bag with one defect is refused (exit 1), the defect named on stdout.
bad() {
	kind=$1 target=$T/$1
	mkbag "$kind" "$target" || { notok "$kind: generator"; return; }
	case $kind in *.tar.gz) target=$target.tar.gz ;; *.tar) target=$target.tar ;; *.zip) target=$target.zip ;; esac
	expect_exit 1 "$kind: verify refuses the bag" "$RECPACK" verify "$target"
	expect_in "$T/out" "^FAILED .*$2" "$kind: verify names the defect"
	expect_not_in "$T/out" ': OK' "$kind: verify does not say OK"
}

good plain
good md5
good sha1
good sha512
good v097
good latin1
good utf16
good crlf
good percent
good fetch 'data/remote.bin: is listed in fetch.txt'
good casedup 'differ only in case or Unicode normalisation'
good unknownalg 'manifest-blake3.txt.*does not know'
good md5.tar
good sha512.tar.gz
good sha1.zip
good latin1.zip

# What the bags are really made of, checked with tools that are not recpack.
if command -v iconv >/dev/null; then
	iconv -f UTF-16 -t UTF-8 "$T/utf16/manifest-sha256.txt" | grep -q 'data/échographie.txt' &&
		ok "utf16: the generated manifest really is UTF-16" || notok "utf16: the generated manifest really is UTF-16"
fi
grep -q $'\r$' "$T/crlf/manifest-sha256.txt" && ok "crlf: the generated manifest really has CRLF lines" ||
	notok "crlf: the generated manifest really has CRLF lines"
(cd "$T/md5" && md5sum -c --quiet manifest-md5.txt) && ok "md5: md5sum -c accepts the generated manifest" ||
	notok "md5: md5sum -c accepts the generated manifest"
(cd "$T/sha512" && sha512sum -c --quiet manifest-sha512.txt) && ok "sha512: sha512sum -c accepts the generated manifest" ||
	notok "sha512: sha512sum -c accepts the generated manifest"

bad notinone 'data/report.txt: is not listed in manifest-md5.txt'
bad dup 'data/report.txt: is listed twice in manifest-sha256.txt'
bad outside 'outside.txt: .*points outside the bag'
bad oxum 'Payload-Oxum says'
bad badsum 'data/report.txt: has been changed or damaged: its MD5 does not match manifest-md5.txt'
bad missing 'data/scans/ct-001.dcm: is missing'
bad leadspace 'manifest-sha256.txt:3: is not a'
bad trailspace 'data/report.txt : is missing'
bad nospace 'bagit.txt: is not the two lines'
bad version2 'bagit.txt: declares BagIt-Version 2.0'
bad badenc 'X-NO-SUCH-ENCODING'
bad nopayloadmanifest 'no payload manifest'
bad nodata 'data/: is missing'
bad badsum.tar 'data/report.txt: has been changed'
bad oxum.tar.gz 'Payload-Oxum says'
bad dup.zip 'listed twice'

# --json lists failures and warnings apart.
mkbag fetch "$T/j-fetch" && mkbag dup "$T/j-dup" || notok "json: generator"
run "$RECPACK" verify --json "$T/j-fetch"
expect_true "fetch --json: ok, not a packet, one warning naming fetch.txt" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and d["recpack_packet"] is False and d["fetch_entries"] == 1, d
assert any("fetch.txt" in w["problem"] and w["path"] == "data/remote.bin" for w in d["warnings"]), d
assert d["failures"] == [], d' "$T/out"
run "$RECPACK" verify --json "$T/j-dup"
expect_true "dup --json: not ok, the duplicate among the failures" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and any("listed twice" in f["problem"] for f in d["failures"]), d' "$T/out"

# A second, independent validator, when the machine has one (Debian's python3-bagit).
if /usr/bin/python3 -c 'import bagit' 2>/dev/null; then
	for k in md5 sha512 v097 latin1 notinone oxum; do
		want=0; case $k in notinone | oxum) want=1 ;; esac
		/usr/bin/python3 -m bagit --validate "$T/$k" >/dev/null 2>&1
		[ $? -eq 0 ] && got=0 || got=1
		[ $got -eq $want ] && ok "$k: bagit-python agrees ($want)" || notok "$k: bagit-python agrees" "want $want, got $got"
	done
else
	skip "bagit-python cross-check" "python3-bagit is not installed (not in Debian 12)"
fi

# ---- item 4: the packet's shape as a BagIt Profile ----
PROFILE=$TOP/docs/bagit-profile.json
expect_true "docs/bagit-profile.json is a BagIt Profile (its required fields)" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
info = p["BagIt-Profile-Info"]
for k in ("BagIt-Profile-Identifier", "Source-Organization", "External-Description", "Version"):
    assert isinstance(info[k], str) and info[k], k
assert p["Accept-BagIt-Version"] and p["Manifests-Required"] == ["sha256"]' "$PROFILE"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
"$RECPACK" build -q --patient "Jane Doe" -o "$T/p.zip" "$T/rec" || notok "build"
expect_exit 0 "recpack's packet passes its own profile" "$RECPACK" verify --profile "$PROFILE" "$T/p.zip"
expect_not_in "$T/out" "not a recpack packet" "the packet is recognised as a recpack packet"
mkdir -p "$T/px" && (cd "$T/px" && unzip -q "$T/p.zip")
expect_exit 1 "the extracted folder breaks the profile (Serialization required)" \
	"$RECPACK" verify --profile "$PROFILE" "$T/px"
expect_in "$T/out" 'requires a serialized bag' "the folder: the profile's serialization rule is named"
expect_exit 1 "an md5 bag breaks the profile" "$RECPACK" verify --profile "$PROFILE" "$T/md5.tar.tar"
expect_in "$T/out" 'requires manifest-sha256.txt' "md5 bag: the missing sha256 manifest is named"
expect_in "$T/out" 'does not allow manifest-md5.txt' "md5 bag: the disallowed md5 manifest is named"
expect_in "$T/out" 'does not accept the serialization application/x-tar' "md5 bag: the tar serialization is named"
expect_in "$T/out" 'bag-info.txt: has no Packet-Complete' "md5 bag: the missing Bag-Info field is named"
expect_in "$T/out" 'README.txt: is missing; the profile requires it' "md5 bag: the missing tag file is named"

# A profile of our own: values, repeatable, fetch.txt, Tag-Files-Allowed, BagIt versions.
cat >"$T/office.json" <<'EOF'
{ "BagIt-Profile-Info": { "BagIt-Profile-Identifier": "urn:test:office", "Source-Organization": "test",
    "External-Description": "an office", "Version": "1" },
  "Bag-Info": { "Source-Organization": { "required": true, "values": ["Clinique du Parc"] },
                "Contact-Phone": { "required": false } },
  "Allow-Fetch.txt": false, "Accept-BagIt-Version": ["1.0"], "Tag-Files-Allowed": [] }
EOF
expect_exit 0 "a bag that meets a profile passes" "$RECPACK" verify --profile "$T/office.json" "$T/plain"
sed -i 's/"Contact-Phone": { "required": false }/"Contact-Phone": { "required": true }/' "$T/office.json"
expect_exit 1 "a required Bag-Info field missing fails the profile" "$RECPACK" verify --profile "$T/office.json" "$T/plain"
expect_in "$T/out" 'has no Contact-Phone, which the profile requires' "the missing field is named"
expect_exit 1 "fetch.txt and a v0.97 bag fail the profile" "$RECPACK" verify --profile "$T/office.json" "$T/fetch"
expect_in "$T/out" 'fetch.txt: is not allowed by the profile' "fetch.txt is named"
expect_exit 1 "a v0.97 bag fails the profile" "$RECPACK" verify --profile "$T/office.json" "$T/v097"
expect_in "$T/out" 'declares BagIt-Version 0.97, which the profile does not accept' "the version is named"
printf '{ not json' >"$T/broken.json"
expect_exit 2 "a profile that is not JSON is a usage error" "$RECPACK" verify --profile "$T/broken.json" "$T/plain"
expect_in "$T/err" 'broken.json.*not JSON' "the broken profile is named"
expect_exit 3 "a profile that does not exist cannot be read" "$RECPACK" verify --profile "$T/none.json" "$T/plain"

# ---- a hostile tar is judged as a hostile ZIP is ----
hostile_tar() { # KIND OUT: a correct bag in a tar, plus one hostile entry
	python3 - "$1" "$2" <<'PY'
import hashlib, io, sys, tarfile
kind, out = sys.argv[1], sys.argv[2]
pdf = b'%PDF-1.4\n%%EOF\n'
sha = lambda b: hashlib.sha256(b).hexdigest()
files = {'bagit.txt': b'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
         'manifest-sha256.txt': ('%s  data/a.pdf\n' % sha(pdf)).encode(), 'data/a.pdf': pdf}
with tarfile.open(out, 'w') as t:
    for p, b in files.items():
        ti = tarfile.TarInfo('bag/' + p)
        ti.size = len(b)
        t.addfile(ti, io.BytesIO(b))
    ti = tarfile.TarInfo()
    if kind == 'symlink':
        ti.name, ti.type, ti.linkname = 'bag/data/link.pdf', tarfile.SYMTYPE, '/etc/passwd'
    elif kind == 'hardlink':
        ti.name, ti.type, ti.linkname = 'bag/data/hard.pdf', tarfile.LNKTYPE, 'bag/data/a.pdf'
    elif kind == 'dotdot':
        ti.name = 'bag/data/../../evil.pdf'
    elif kind == 'fifo':
        ti.name, ti.type = 'bag/data/pipe.pdf', tarfile.FIFOTYPE
    elif kind == 'outside':
        ti.name = 'elsewhere/evil.pdf'
    t.addfile(ti, io.BytesIO(b''))
PY
}
for spec in 'symlink:link.pdf.*link' 'hardlink:hard.pdf.*link' 'dotdot:evil.pdf.*unsafe name' \
	'fifo:pipe.pdf.*not a regular file' 'outside:elsewhere/evil.pdf.*outside the bag folder'; do
	kind=${spec%%:*} pattern=${spec#*:}
	hostile_tar "$kind" "$T/h-$kind.tar" || { notok "hostile tar $kind: generator"; continue; }
	expect_exit 1 "hostile tar ($kind): verify refuses it" "$RECPACK" verify "$T/h-$kind.tar"
	expect_in "$T/out" "$pattern" "hostile tar ($kind): verify names the entry"
done
printf 'BagIt-Version: 1.0\n' | gzip -c >"$T/notatar.tar.gz"
expect_exit 1 "a gzip that holds no tar is refused, not a crash" "$RECPACK" verify "$T/notatar.tar.gz"
expect_in "$T/out" 'notatar.tar.gz: ' "the file that is not a bag is named"
