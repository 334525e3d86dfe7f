#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build --encrypt, verify and extract of encrypted packets, checked with tools we did not write:
# 7z opens the packet only with the right password and its entry list (7z l, Python zipfile)
# names neither the patient nor any document; Info-ZIP unzip cannot extract it; extract gives
# back files whose sha256sum matches the originals, under their real names.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
make_pdf "$T/rec/Jane_Doe_biopsy_2026-03-19.pdf" "Biopsy report for Jane Doe" || { notok "fixtures"; exit 1; }
cd "$T" || exit 1
FACTS=(--patient "Jane Doe" --dob 1970-01-01 --surgery --hospitalized)
PW='correct horse battery'
printf '%s\n' "$PW" >"$T/pw.txt"
printf 'wrong horse battery\n' >"$T/wrong.txt"
chmod 600 "$T/pw.txt" "$T/wrong.txt"

# ---- refusals: no packet is written ----
RECPACK_PASSWORD=short9chr expect_exit 2 "a password of 9 characters is refused with exit 2" \
	"$RECPACK" build --encrypt "${FACTS[@]}" -o "$T/short.zip" "$T/rec"
expect_in "$T/err" "too short .*at least 10" "the refusal gives advice"
expect_true "no packet after a short password" test ! -e "$T/short.zip"
printf 'abc\n' >"$T/short.txt"
expect_exit 2 "a short --password-file is refused with exit 2" \
	"$RECPACK" build --encrypt --password-file "$T/short.txt" "${FACTS[@]}" -o "$T/short.zip" "$T/rec"
expect_exit 2 "there is no --password option" \
	"$RECPACK" build --encrypt --password "$PW" "${FACTS[@]}" -o "$T/argv.zip" "$T/rec"
expect_true "no packet after --password" test ! -e "$T/argv.zip"
expect_exit 2 "--password-file without --encrypt is a usage error" \
	"$RECPACK" build --password-file "$T/pw.txt" "${FACTS[@]}" -o "$T/noenc.zip" "$T/rec"
expect_exit 2 "--encrypt with no password and no terminal is exit 2" \
	"$RECPACK" build --encrypt "${FACTS[@]}" -o "$T/nopw.zip" "$T/rec" </dev/null
expect_in "$T/err" "password-file.*RECPACK_PASSWORD" "the message says where a password can come from"
expect_exit 2 "a missing password file is exit 2" \
	"$RECPACK" build --encrypt --password-file "$T/nonexistent" "${FACTS[@]}" -o "$T/nopw.zip" "$T/rec"
expect_true "no packet without a password" test ! -e "$T/nopw.zip"

# ---- build with --password-file ----
expect_exit 0 "build --encrypt --password-file exits 0" \
	"$RECPACK" build --encrypt --password-file "$T/pw.txt" "${FACTS[@]}" -o "$T/p.zip" "$T/rec"
expect_true "encrypted packet is mode 0600" test "$(stat -c %a "$T/p.zip")" = 600
expect_true "sidecar checks with sha256sum -c" sh -c "cd '$T' && sha256sum -c p.zip.sha256"
expect_true "7z t with the right password passes" 7z t -p"$PW" "$T/p.zip"
run 7z t -p"wrong horse battery" "$T/p.zip"
if [ "$RC" -ne 0 ] && grep -qi "wrong password" "$T/out" "$T/err"; then ok "7z t with a wrong password fails"; else
	notok "7z t with a wrong password fails" "exit $RC" "$(tail -5 "$T/out")"; fi
run 7z t -p "$T/p.zip"
[ "$RC" -ne 0 ] && ok "7z t with an empty password fails" || notok "7z t with an empty password fails"

# Every name in the entry list, as 7z and Python see them.
7z l -slt -p"$PW" "$T/p.zip" | sed -n 's/^Path = //p' | tail -n +2 >"$T/names.7z"
# Folder entries (so unzip makes folders 0700) hold no data and stay plain; every file is encrypted.
expect_true "python zipfile: every file entry is encrypted, folder entries are empty" python3 -c "
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
files = 0
with open(sys.argv[2], 'w') as out:
    for i in z.infolist():
        if i.is_dir():
            assert i.file_size == 0 and i.compress_size == 0, i.filename + ' is a folder with data'
        else:
            assert i.flag_bits & 1, i.filename + ' is not encrypted'
            files += 1
        print(i.filename.rstrip('/'), file=out)
assert files > 0, 'no file entry'
" "$T/p.zip" "$T/names.py"
expect_true "7z and python list the same entries" cmp -s "$T/names.7z" "$T/names.py"
7z l -slt -p"$PW" "$T/p.zip" | awk '/^Folder = -/ { f = 1 } /^Folder = \+/ { f = 0 } /^Method = / && f' | sort -u >"$T/methods"
expect_true "7z: every file entry is AES-256" sh -c "! grep -v 'AES-256' '$T/methods' && test -s '$T/methods'"
expect_true "the top folder is second-opinion-packet" sh -c "cut -d/ -f1 '$T/names.py' | sort -u | grep -qx second-opinion-packet && test \$(cut -d/ -f1 '$T/names.py' | sort -u | wc -l) = 1"
expect_true "7z l lists the entries" test -s "$T/names.7z"
expect_not_in "$T/names.7z" "[Jj][Aa][Nn][Ee]|[Dd][Oo][Ee]" "7z l: no entry names the patient"
expect_not_in "$T/names.py" "[Jj][Aa][Nn][Ee]|[Dd][Oo][Ee]" "python namelist: no entry names the patient (any case)"
# every document's name (without its extension), and the disc's folder name
leaks=''
[ -s "$T/names.py" ] || leaks=" (no entry list)"
for f in "$T"/rec/*.pdf; do
	stem=$(basename "$f" .pdf)
	grep -qiF -- "$stem" "$T/names.py" && leaks="$leaks $stem"
done
grep -qE '(^|/)CD(/|$)' "$T/names.py" && leaks="$leaks CD"
[ -z "$leaks" ] && ok "no entry carries a document's name or the disc's folder name" ||
	notok "no entry carries a document's name or the disc's folder name" "found:$leaks"
expect_in "$T/names.py" '^second-opinion-packet/data/02-pathology/0001\.pdf$' "documents are numbered, extension kept"
expect_in "$T/names.py" '^second-opinion-packet/data/01-radiology/disc-1/DICOMDIR$' "the disc is under a neutral folder"
expect_in "$T/names.py" '^second-opinion-packet/data/01-radiology/disc-1/DICOM/ST1/IM1$' "the disc keeps its tree inside"

# ---- what 7-Zip unpacks works as a bag ----
mkdir -p "$T/x7" && (cd "$T/x7" && 7z x -p"$PW" "$T/p.zip" >/dev/null)
B7=$T/x7/second-opinion-packet
expect_true "sha256sum -c manifest-sha256.txt in the 7z-extracted bag" sh -c "cd '$B7' && sha256sum -c --strict manifest-sha256.txt"
expect_true "sha256sum -c tagmanifest-sha256.txt in the 7z-extracted bag" sh -c "cd '$B7' && sha256sum -c --strict tagmanifest-sha256.txt"
expect_in "$B7/packet.json" '"original_path": "data/02-pathology/Jane_Doe_biopsy_2026-03-19.pdf"' "packet.json keeps the real names"
expect_in "$B7/packet.json" '"name": "Jane Doe"' "packet.json names the patient (encrypted)"
expect_in "$B7/index.html" 'Surgical_Pathology_Report_2026-03-20\.pdf</a>' "index.html shows the real names"
bad=''
links=$(grep -o 'href="data/[^"]*"' "$B7/index.html" | sed 's/^href="//; s/"$//')
[ -n "$links" ] || bad=" (no link to data/ in index.html)"
for h in $links; do
	[ -f "$B7/$(printf '%b' "${h//%/\\x}")" ] || bad="$bad $h"
done
[ -z "$bad" ] && ok "every index.html link opens a file in the 7z-extracted bag" ||
	notok "every index.html link opens a file in the 7z-extracted bag" "broken:$bad"
dcmdump "$B7/data/01-radiology/disc-1/DICOMDIR" 2>/dev/null | sed -n 's/.*\[\(.*\)\].*ReferencedFileID.*/\1/p' | tr '\\' / >"$T/refs"
bad=''
while read -r ref; do [ -f "$B7/data/01-radiology/disc-1/$ref" ] || bad="$bad $ref"; done <"$T/refs"
[ -s "$T/refs" ] && [ -z "$bad" ] && ok "every DICOMDIR reference resolves under the neutral disc folder" ||
	notok "every DICOMDIR reference resolves under the neutral disc folder" "refs: $(cat "$T/refs")" "missing:$bad"

# ---- Info-ZIP unzip cannot open it ----
mkdir -p "$T/xu"
run unzip -o "$T/p.zip" -d "$T/xu"
if [ "$RC" -ne 0 ] && [ -z "$(find "$T/xu" -type f)" ]; then ok "Info-ZIP unzip cannot extract an encrypted packet"; else
	notok "Info-ZIP unzip cannot extract an encrypted packet" "exit $RC" "$(find "$T/xu" -type f | head -3)"; fi

# ---- the password from the environment ----
RECPACK_PASSWORD=$PW expect_exit 0 "build --encrypt with RECPACK_PASSWORD exits 0" \
	"$RECPACK" build --encrypt "${FACTS[@]}" -o "$T/env.zip" "$T/rec"
expect_true "7z t passes with the RECPACK_PASSWORD password" 7z t -p"$PW" "$T/env.zip"
expect_true "--password-file wins over RECPACK_PASSWORD" env RECPACK_PASSWORD=other-password-x \
	"$RECPACK" build -q --encrypt --password-file "$T/pw.txt" "${FACTS[@]}" -o "$T/both.zip" "$T/rec"
expect_true "7z t passes with the file's password" 7z t -p"$PW" "$T/both.zip"
printf '%s\r\n' "$PW" >"$T/crlf.txt"
expect_true "a password file with CRLF gives the same password" \
	"$RECPACK" build -q --encrypt --password-file "$T/crlf.txt" "${FACTS[@]}" -o "$T/crlf.zip" "$T/rec"
expect_true "7z t passes for the CRLF password file" 7z t -p"$PW" "$T/crlf.zip"

# ---- recpack verify ----
expect_exit 0 "verify --password-file with the right password exits 0" \
	"$RECPACK" verify --password-file "$T/pw.txt" "$T/p.zip"
expect_in "$T/out" "OK: 11 documents" "verify reads every document"
RECPACK_PASSWORD=$PW expect_exit 0 "verify with RECPACK_PASSWORD exits 0" "$RECPACK" verify "$T/p.zip"
expect_exit 2 "verify with a wrong password exits 2" "$RECPACK" verify --password-file "$T/wrong.txt" "$T/p.zip"
expect_in "$T/err" "password is wrong" "verify says the password is wrong"
expect_not_in "$T/out" "DAMAGED" "a wrong password is not reported as damage"
expect_exit 2 "verify of an encrypted packet without a password (no terminal) exits 2" \
	"$RECPACK" verify "$T/p.zip" </dev/null
expect_in "$T/err" "encrypted" "verify says the packet is encrypted"
cp "$T/p.zip" "$T/bad.zip"
python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = b.find(b'PK\x03\x04')
while True:  # the first file entry (folder entries come first and hold no data)
    n, e = int.from_bytes(b[i+26:i+28], 'little'), int.from_bytes(b[i+28:i+30], 'little')
    if not b[i+30:i+30+n].endswith(b'/'):
        break
    i = b.find(b'PK\x03\x04', i + 30 + n + e)
b[i + 30 + n + e + 40] ^= 0xff  # a byte of the first file entry's encrypted data
open(p, 'wb').write(b)
" "$T/bad.zip"
expect_exit 1 "verify finds a flipped byte in an encrypted packet" \
	"$RECPACK" verify --password-file "$T/pw.txt" "$T/bad.zip"

# ---- recpack extract ----
expect_exit 2 "extract with a wrong password exits 2" \
	"$RECPACK" extract --password-file "$T/wrong.txt" "$T/p.zip" -d "$T/xw"
expect_in "$T/err" "password is wrong" "extract says the password is wrong"
expect_true "nothing is extracted with a wrong password" sh -c "test -z \"\$(find '$T/xw' -mindepth 1 2>/dev/null)\""
expect_exit 0 "extract --password-file exits 0" "$RECPACK" extract --password-file "$T/pw.txt" "$T/p.zip" -d "$T/xr"
bag=$(ls "$T/xr")
expect_true "extract restores the real folder name" sh -c "echo '$bag' | grep -Eq '^Doe_Jane_[0-9-]+_second-opinion$'"
XB=$T/xr/$bag
bad=''
for f in "$T"/rec/*.pdf; do
	got=$(find "$XB/data" -name "$(basename "$f")" -type f | head -1)
	if [ -z "$got" ] || [ "$(sha256sum <"$f")" != "$(sha256sum <"$got")" ]; then bad="$bad $(basename "$f")"; fi
done
for f in DICOMDIR DICOM/ST1/IM1 DICOM/ST1/IM2 DICOM/ST1/IM3; do
	[ "$(sha256sum <"$T/rec/CD/$f")" = "$(sha256sum <"$XB/data/01-radiology/CD/$f" 2>/dev/null)" ] || bad="$bad CD/$f"
done
[ -z "$bad" ] && ok "extract restores every real name, each file matching the original's sha256" ||
	notok "extract restores every real name, each file matching the original's sha256" "wrong:$bad"
expect_true "extracted files are 0600" sh -c "test -f '$XB/bagit.txt' && test -z \"\$(find '$XB' -type f ! -perm 600)\""
expect_true "extracted folders are 0700" sh -c "test -d '$XB/data' && test -z \"\$(find '$XB' -type d ! -perm 700)\""
expect_true "sha256sum -c manifest-sha256.txt in the extracted bag" sh -c "cd '$XB' && sha256sum -c --strict manifest-sha256.txt"
expect_true "sha256sum -c tagmanifest-sha256.txt in the extracted bag" sh -c "cd '$XB' && sha256sum -c --strict tagmanifest-sha256.txt"
expect_exit 0 "recpack verify passes on the extracted folder" "$RECPACK" verify "$XB"
expect_exit 0 "recpack list reads the extracted folder" "$RECPACK" list "$XB"
expect_in "$T/out" "Surgical_Pathology_Report_2026-03-20.pdf" "list shows the real names"
expect_in "$XB/index.html" 'href="data/02-pathology/Surgical_Pathology_Report_2026-03-20.pdf"' "index.html links use the real names"
expect_not_in "$XB/packet.json" "original_path" "packet.json paths are the real ones"
RECPACK_PASSWORD=$PW expect_exit 4 "extract into a folder that already holds the bag exits 4" \
	"$RECPACK" extract "$T/p.zip" -d "$T/xr"
RECPACK_PASSWORD=$PW expect_exit 0 "extract with RECPACK_PASSWORD exits 0" "$RECPACK" extract -q "$T/env.zip" -d "$T/xe"
RECPACK_PASSWORD=$PW expect_exit 0 "extract --json exits 0" "$RECPACK" extract --json "$T/env.zip" -d "$T/xj"
expect_true "extract --json: schema 1, ok, names restored, the folder it names exists" python3 -c "
import json, os, sys
j = json.load(open(sys.argv[1]))
assert j['schema'] == 1 and j['ok'] is True and j['names_restored'] is True and j['failures'] == [], j
assert j['payload_files'] == 11 and os.path.isfile(os.path.join(j['folder'], 'bagit.txt')), j
" "$T/out"
expect_exit 0 "extract of an unencrypted packet exits 0" sh -c "'$RECPACK' build -q ${FACTS[*]@Q} -o '$T/plain.zip' '$T/rec' && '$RECPACK' extract '$T/plain.zip' -d '$T/xp'"
expect_exit 0 "verify passes on an extracted unencrypted packet" "$RECPACK" verify "$T/xp/$bag"
expect_exit 1 "extract leaves out a damaged file and exits 1" \
	"$RECPACK" extract --password-file "$T/pw.txt" "$T/bad.zip" -d "$T/xb"
expect_in "$T/out" "FAILED" "extract names the damaged file"

# ---- extract refuses unsafe names ----
mkdir -p "$T/hostile"
python3 - "$T/hostile" <<'EOF'
import hashlib, json, sys, zipfile
d = sys.argv[1]
def bag(path, entries, docs):
    man = ''.join('%s  %s\n' % (hashlib.sha256(b).hexdigest(), n) for n, b in entries if n.startswith('data/'))
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('b/bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
        z.writestr('b/manifest-sha256.txt', man)
        z.writestr('b/packet.json', json.dumps({'documents': docs}))
        for n, b in entries:
            z.writestr('b/' + n, b)
bag(d + '/dotdot.zip', [('data/x/0001.pdf', b'hello')],
    [{'path': 'data/x/0001.pdf', 'original_path': 'data/../../../escaped.pdf'}])
bag(d + '/abs.zip', [('data/x/0001.pdf', b'hello')],
    [{'path': 'data/x/0001.pdf', 'original_path': '/tmp/escaped-abs.pdf'}])
bag(d + '/entry.zip', [('data/ok.pdf', b'fine'), ('data/../../escaped-entry.pdf', b'evil')], [])
EOF
mkdir -p "$T/hx/in"
expect_exit 3 "extract refuses a packet.json that maps a name outside with .." "$RECPACK" extract "$T/hostile/dotdot.zip" -d "$T/hx/in"
expect_in "$T/err" "unsafe" "the refusal says the name is unsafe"
expect_exit 3 "extract refuses a packet.json with an absolute name" "$RECPACK" extract "$T/hostile/abs.zip" -d "$T/hx/in"
expect_exit 1 "extract refuses an entry whose name climbs out with .." "$RECPACK" extract "$T/hostile/entry.zip" -d "$T/hx/in"
expect_in "$T/out" "unsafe name" "the entry is named as unsafe"
expect_true "nothing was written outside DIR" sh -c "test ! -e '$T/escaped.pdf' && test ! -e '$T/hx/escaped-entry.pdf' && test ! -e '$T/escaped-entry.pdf' && test ! -e /tmp/escaped-abs.pdf"
expect_true "the safe entry beside it was extracted" test -f "$T/hx/in/b/data/ok.pdf"

# ---- the prompt on a terminal (a pseudo-terminal driven by Python) ----
cat >"$T/drive_tty.py" <<'EOF'
import os, pty, sys, time
answers = sys.argv[1].split(',')
pid, fd = pty.fork()
if pid == 0:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as in a terminal, even under a script
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
for a in answers:
    while b': ' not in out.split(b'\n')[-1]:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.write(fd, a.encode() + b'\n')
    out += b'\n'
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)  # a death by signal N as a shell shows it: 128 + N
EOF
expect_exit 0 "build --encrypt asks twice on a terminal" \
	timeout 60 python3 "$T/drive_tty.py" "$PW,$PW" "$RECPACK" build -q --encrypt "${FACTS[@]}" -o "$T/tty.zip" "$T/rec"
expect_not_in "$T/out" "$PW" "the typed password is not echoed"
expect_true "7z t passes with the typed password" 7z t -p"$PW" "$T/tty.zip"
expect_exit 2 "two different passwords typed are refused" \
	timeout 60 python3 "$T/drive_tty.py" "$PW,other password" "$RECPACK" build -q --encrypt "${FACTS[@]}" -o "$T/tty2.zip" "$T/rec"
expect_true "no packet after two different passwords" test ! -e "$T/tty2.zip"
expect_exit 0 "verify asks once on a terminal" timeout 60 python3 "$T/drive_tty.py" "$PW" "$RECPACK" verify "$T/tty.zip"
expect_exit 130 "Ctrl-C at the password prompt exits 130" \
	timeout 60 python3 "$T/drive_tty.py" $'\x03' "$RECPACK" build -q --encrypt "${FACTS[@]}" -o "$T/tty3.zip" "$T/rec"
expect_in "$T/out" "interrupted" "it says it was interrupted"
expect_true "no packet after Ctrl-C at the prompt" test ! -e "$T/tty3.zip"
expect_exit 130 "Ctrl-C at the second prompt exits 130" \
	timeout 60 python3 "$T/drive_tty.py" "$PW,"$'\x03' "$RECPACK" build -q --encrypt "${FACTS[@]}" -o "$T/tty4.zip" "$T/rec"

# ---- recpack list ----
expect_exit 0 "list --password-file reads an encrypted packet" "$RECPACK" list --password-file "$T/pw.txt" "$T/p.zip"
expect_in "$T/out" "data/02-pathology/0001\.pdf  .*\.pdf" "list shows the neutral name and the real one"
expect_exit 2 "list with a wrong password exits 2" "$RECPACK" list --password-file "$T/wrong.txt" "$T/p.zip"
expect_in "$T/err" "password is wrong" "list says the password is wrong"

# ---- recpack batch --encrypt: one password for every row ----
make_records "$T/john" || notok "fixtures"
printf 'id,name,dob,facts,sources\njane,Jane Doe,1970-01-01,surgery;hospitalized,rec\njane2,Jane Doe,1970-01-01,surgery;hospitalized,john\n' >"$T/roster.csv"
expect_exit 2 "batch --password-file without --encrypt is a usage error" \
	"$RECPACK" batch --password-file "$T/pw.txt" "$T/roster.csv" -d "$T/bx"
RECPACK_PASSWORD=short expect_exit 2 "batch --encrypt refuses a short password" "$RECPACK" batch --encrypt "$T/roster.csv" -d "$T/bs"
expect_true "no packet after a short batch password" sh -c "! ls '$T'/bs/*.zip 2>/dev/null"
expect_exit 0 "batch --encrypt --password-file exits 0" "$RECPACK" batch --encrypt --password-file "$T/pw.txt" "$T/roster.csv" -d "$T/bp"
for id in jane jane2; do
	expect_true "batch: $id.zip opens in 7z with the password" 7z t -p"$PW" "$T/bp/$id.zip"
	run python3 -c "import sys, zipfile; print('\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))" "$T/bp/$id.zip"
	expect_not_in "$T/out" "[Jj]ane|[Dd]oe|Pathology_Report|CD/" "batch: $id.zip names nobody"
done
RECPACK_PASSWORD=$PW expect_exit 0 "batch --encrypt re-run with RECPACK_PASSWORD skips verified rows" \
	"$RECPACK" batch --encrypt --json "$T/roster.csv" -d "$T/bp"
expect_in "$T/bp/report.jsonl" '"id": ?"jane2".*"skipped": ?true' "batch: encrypted rows verified with the password are skipped"

# ---- extract interrupted: its temp folder inside DIR is removed (cleanup.h registry) ----
{ printf '%%PDF-1.4\n'; head -c 45000000 /dev/urandom | base64; printf '\n%%%%EOF\n'; } >"$T/big.pdf"
expect_exit 0 "a big encrypted packet builds" "$RECPACK" build -q --encrypt --password-file "$T/pw.txt" "${FACTS[@]}" \
	--level 0 -o "$T/big.zip" "$T/rec" "hospital=$T/big.pdf"
has_tmp() { ls -A "$1" | grep -q '^\.recpack-extract\.'; }
# extract_interrupted SIGNAL STATUS: extract runs in 10 ms slices (SIGSTOP/SIGCONT) until its
# temp folder exists, then gets SIGNAL; it must die of it and leave DIR empty.
extract_interrupted() {
	local d="$T/xs-$1" pid rc
	mkdir "$d"
	set -m # job control: without it bash starts background commands with SIGINT ignored
	reaped "$T/how-$1" "$RECPACK" extract -q --password-file "$T/pw.txt" "$T/big.zip" -d "$d" >"$T/out" 2>"$T/err" &
	parent=$!
	set +m
	pid=$(child_pid "$T/how-$1")
	kill -STOP "$pid"
	for _ in $(seq 500); do
		has_tmp "$d" && break
		kill -CONT "$pid" 2>/dev/null
		sleep 0.01
		kill -STOP "$pid" 2>/dev/null
	done
	expect_true "SIG$1: extract's temp folder exists while it works" has_tmp "$d"
	kill -s "$1" "$pid" 2>/dev/null
	kill -CONT "$pid" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -s KILL "$pid" 2>/dev/null # still alive after 5 s: the test fails below, not hangs
	wait "$parent"
	rc=$?
	expect_true "SIG$1: extract exits with status $2 (got $rc)" test "$rc" -eq "$2"
	# Needs recpack to end with raise(sig) (branch signals); _exit(128 + sig) fails here.
	expect_died "$T/how-$1" "$1" "SIG$1: extract dies of the signal (WIFSIGNALED)"
	expect_true "SIG$1: extract leaves nothing in DIR" test -z "$(ls -A "$d")"
}
extract_interrupted INT 130
extract_interrupted TERM 143
expect_exit 0 "the big packet extracts when left alone" "$RECPACK" extract -q --password-file "$T/pw.txt" "$T/big.zip" -d "$T/xbig"
expect_true "its big document matches the original" cmp -s "$T/big.pdf" "$T/xbig/$(ls "$T/xbig")/data/04-hospital/big.pdf"
