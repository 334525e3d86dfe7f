#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack extract reads the manifest in step with the entries (a packet's documents come in its
# manifest's order) and falls back to the whole manifest when they do not: a packet rezipped in
# another order extracts whole; an entry added in the middle, one removed and one changed are
# each reported, and nothing else. Checked with Python's zipfile and sha256sum, not recpack.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
mkdir -p "$T/rec/labs"
for i in $(seq 1 60); do
	for k in $(seq 1 30); do printf 'Lab result %d for Jane Doe, line %d\n' "$i" "$k"; done >"$T/rec/labs/lab$i.txt"
done
FACTS=(--patient "Jane Doe" --dob 1970-01-01 --surgery --hospitalized)
expect_exit 0 "build a packet of 60 extra files" "$RECPACK" build -q "${FACTS[@]}" -o "$T/p.zip" "$T/rec" \
	"hospital=$T/rec/labs"

# remake PACKET OUT MODE: the same entries, rezipped by Python in another order or altered
python3 - "$T/p.zip" "$T" <<'PY'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
infos = [i for i in src.infolist() if not i.filename.endswith('/')]
docs = [k for k, i in enumerate(infos) if '/data/' in i.filename]
assert len(docs) > 40
def remake(name, order=None, drop=None, change=None, add_after=None):
    out = zipfile.ZipFile(sys.argv[2] + '/' + name, 'w', zipfile.ZIP_DEFLATED)
    for k in (order or range(len(infos))):
        i = infos[k]
        if k == drop:
            continue
        data = src.read(i.filename)
        if k == change:
            data += b'tampered'
        out.writestr(i.filename, data)
        if k == add_after:
            out.writestr(i.filename.rsplit('/', 1)[0] + '/zz-added.txt', b'added later\n')
    out.close()
rev = list(range(len(infos)))
rev[docs[0]:docs[-1] + 1] = reversed(rev[docs[0]:docs[-1] + 1])
remake('reversed.zip', order=rev)
remake('added.zip', add_after=docs[len(docs) // 3])
remake('removed.zip', drop=docs[len(docs) // 2])
remake('changed.zip', change=docs[len(docs) // 4])
with open(sys.argv[2] + '/names', 'w') as f:
    for k in (docs[len(docs) // 2], docs[len(docs) // 4]):
        f.write(infos[k].filename.split('/', 1)[1] + '\n')
PY
removed=$(sed -n 1p "$T/names")
changed=$(sed -n 2p "$T/names")

run "$RECPACK" extract "$T/reversed.zip" -d "$T/xr"
expect_true "documents in the reverse order: extract exits 0" test "$RC" -eq 0
bag=$(ls "$T/xr")
expect_true "and the bag checks with sha256sum -c" sh -c "cd '$T/xr/$bag' && sha256sum --quiet -c manifest-sha256.txt"

run "$RECPACK" extract "$T/added.zip" -d "$T/xa"
expect_true "an entry added in the middle: extract exits 1" test "$RC" -eq 1
expect_true "and names it as not listed" grep -q "zz-added.txt: is not listed" "$T/out"
expect_true "and reports nothing else" test "$(grep -c FAILED "$T/out")" -eq 1
expect_true "and leaves it out" test -z "$(find "$T/xa" -name zz-added.txt)"

run "$RECPACK" extract "$T/removed.zip" -d "$T/xm"
expect_true "an entry removed: extract exits 1" test "$RC" -eq 1
expect_true "and names it as missing" grep -qF "$removed: is missing" "$T/out"
expect_true "and reports nothing else" test "$(grep -c FAILED "$T/out")" -eq 1

run "$RECPACK" extract "$T/changed.zip" -d "$T/xc"
expect_true "an entry changed: extract exits 1" test "$RC" -eq 1
expect_true "and names it as changed" grep -qF "$changed: has been changed" "$T/out"
expect_true "and reports nothing else" test "$(grep -c FAILED "$T/out")" -eq 1
expect_true "and leaves it out" test ! -e "$T/xc/$(ls "$T/xc")/$changed"
