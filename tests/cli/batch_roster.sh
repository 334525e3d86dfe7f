# SPDX-License-Identifier: GPL-3.0-or-later
# recpack batch, as a nurse navigator uses it (issue 17): every mistake of a roster reported in
# one run with its line and column while the good rows are still built (unless --strict);
# every failed row says why in report.jsonl; rosters from European and Windows spreadsheets
# (';' or tabs, Windows-1252, UTF-16) read and turned into UTF-8 tag files; one date check;
# a misspelt fact refused; the JSON summary agrees with the text.
. "$(dirname "$0")/../lib.sh"

cd "$T" || exit 1
make_records jane

# ---- a 20-row roster with five bad rows ----
{
	echo "id,name,dob,facts,sources"
	for i in $(seq 1 20); do
		case $i in
		3) echo "r3,Jane Doe,1970-02-31,surgery;hospitalized,jane" ;; # no such day
		7) echo "r2,Jane Doe,1970-01-01,surgery;hospitalized,jane" ;; # id used by row 2
		11) echo "r11,,1970-01-01,surgery;hospitalized,jane" ;;       # no name
		14) echo "r14,Jane Doe,1970-01-01,surgry;hospitalized,jane" ;; # misspelt fact
		18) echo "../r18,Jane Doe,1970-01-01,surgery;hospitalized,jane" ;; # unsafe id
		*) echo "r$i,Jane Doe,1970-01-01,surgery;hospitalized,jane" ;;
		esac
	done
} >twenty.csv
expect_exit 2 "a roster with bad rows exits 2 (the worst row's status)" "$RECPACK" batch -q -j 2 twenty.csv -d pk
cp "$T/err" twenty.err
for want in "twenty.csv:4: column C .dob.: '1970-02-31' is not a date" \
	"twenty.csv:8: column A .id.: the id 'r2' was already used by the row on line 3" \
	"twenty.csv:12: column B .name.: the name is empty" \
	"twenty.csv:15: column D .facts.: the fact 'surgry' is not one the manifest 'default' uses" \
	"twenty.csv:19: column A .id.: '../r18'"; do
	expect_in twenty.err "$want" "one run names the mistake: ${want%%:*}:${want#*:}"
done
expect_true "exactly five mistakes reported" test "$(grep -c '^recpack: twenty.csv:[0-9]*: column' twenty.err)" = 5
n=0
for z in pk/*.zip; do "$RECPACK" verify "$z" >/dev/null 2>&1 && n=$((n + 1)); done
expect_true "the fifteen good rows are built and verify ($n)" test "$n" = 15
expect_true "no packet for a bad row" sh -c '! ls pk/r3.zip pk/r11.zip pk/r14.zip 2>/dev/null'
cat >check_twenty.py <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 20, len(rows)
failed = [r for r in rows if r["status"] == "failed"]
assert sorted(r["line"] for r in failed) == [4, 8, 12, 15, 19], failed
for r in failed:
    assert r["exit"] == 2 and r["problems"], r
    for p in r["problems"]:
        assert p["severity"] == "error" and p["message"] and "alone with -v" not in p["message"], p
assert sum(r["status"] == "ok" for r in rows) == 15
PY
expect_true "report.jsonl: 20 lines, every failed row with its reasons" python3 check_twenty.py pk/report.jsonl
expect_in twenty.err "line 4: twenty.csv:4: column C" "the summary lists the bad rows"

# --strict: nothing built when any row is bad
expect_exit 2 "--strict refuses the whole roster" "$RECPACK" batch --strict -q twenty.csv -d strict
expect_in "$T/err" "5 of 20 rows have mistakes: nothing was built" "--strict says nothing was built"
expect_true "--strict built nothing" test ! -e strict

# ---- a failed build's own reasons reach report.jsonl ----
printf 'id,name,dob,facts,questions,sources\nq1,Jane Doe,1970-01-01,surgery;hospitalized,no-such-questions.txt,jane\n' >q.csv
"$RECPACK" batch -q q.csv -d qout >/dev/null 2>&1
expect_true "a row refused by its build carries the build's message" python3 -c '
import json, sys
r = json.loads(open("qout/report.jsonl").readline())
assert r["status"] == "failed" and r["problems"], r
assert any("no-such-questions.txt" in p["message"] for p in r["problems"]), r
assert not any("alone with -v" in p["message"] for p in r["problems"]), r'

# ---- separators and character sets ----
printf 'id;name;dob;facts;sources\nsemi;"Doe; Jane";1970-01-01;surgery;jane\n' >semi.csv
expect_exit 0 "a ';' roster (European spreadsheet) builds" "$RECPACK" batch -q --allow-incomplete semi.csv -d sep
printf 'id\tname\tdob\tfacts\tsources\ntab\tJane Doe\t1970-01-01\tsurgery\tjane\n' >tab.csv
expect_exit 0 "a tab-separated roster builds" "$RECPACK" batch -q --allow-incomplete tab.csv -d sep
expect_true "both packets verify" sh -c "'$RECPACK' verify sep/semi.zip >/dev/null && '$RECPACK' verify sep/tab.zip >/dev/null"

make_records jose
rm -rf jose/CD
make_cd jose/CD name=MULLER^JOSE
printf 'id,name,dob,facts,sources\ncp,José Müller,1970-01-01,surgery;hospitalized,jose\n' >utf8.csv
iconv -f UTF-8 -t CP1252 utf8.csv >cp1252.csv
expect_true "the CP1252 roster is not UTF-8 (the test is real)" sh -c '! iconv -f UTF-8 -t UTF-8 cp1252.csv >/dev/null 2>&1'
expect_exit 0 "a Windows-1252 roster builds" "$RECPACK" batch -q cp1252.csv -d cp
mkdir -p cpx && (cd cpx && unzip -q ../cp/cp.zip)
bag=$(ls cpx)
bad=""
for f in cpx/"$bag"/*.txt cpx/"$bag"/*.json cpx/"$bag"/*.html; do
	[ -f "$f" ] || continue
	iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || bad="$bad $f"
done
expect_true "every tag file is valid UTF-8 (iconv -f UTF-8 reads it)" test -z "$bad"
expect_in "cpx/$bag/bag-info.txt" "José Müller" "bag-info.txt has the name as written, in UTF-8"
expect_true "recpack verify accepts the packet" "$RECPACK" verify cp/cp.zip
expect_true "sha256sum -c accepts its sidecar" sh -c 'cd cp && sha256sum -c cp.zip.sha256'
expect_true "sha256sum -c accepts the bag's manifests" sh -c "cd 'cpx/$bag' && sha256sum -c --quiet manifest-sha256.txt tagmanifest-sha256.txt"

python3 -c '
import sys
t = open("utf8.csv", encoding="utf-8").read().replace("\ncp,", "\nu16,").replace("\n", "\r\n")
open("utf16.csv", "wb").write(t.encode("utf-16"))'
expect_exit 0 "a UTF-16 roster (Excel's Unicode text) builds" "$RECPACK" batch -q utf16.csv -d u16
expect_true "its packet names the patient in UTF-8" sh -c "unzip -p u16/u16.zip '*/bag-info.txt' | grep -q 'José Müller'"

# ---- one date check, everywhere ----
expect_exit 2 "build --dob 1970-02-31 is refused" "$RECPACK" check --dob 1970-02-31 jane
expect_exit 2 "build --dob 1900-02-29 is refused (not a leap year)" "$RECPACK" check --dob 1900-02-29 jane
make_pdf plain/medications.pdf "Medication list"
printf 'id,name,dob,sources\nleap,Jane Doe,2000-02-29,plain\n' >leap.csv
"$RECPACK" batch -q --allow-incomplete leap.csv -d leap >/dev/null 2>&1
expect_true "the roster takes 2000-02-29 (a leap day)" test -e leap/leap.zip

# ---- a misspelt fact on the command line ----
expect_exit 2 "--fact surgry is refused" "$RECPACK" check --patient "Jane Doe" --fact surgry jane
expect_in "$T/err" "the fact 'surgry' is not one the manifest 'default' uses.*surgery, hospitalized" "it names the facts the manifest knows"
expect_exit 0 "--fact surgery is fine" "$RECPACK" check --patient "Jane Doe" --dob 1970-01-01 --fact surgery --hospitalized jane

# ---- the JSON summary agrees with the text ----
printf 'id,name,dob,facts,sources\nj1,Jane Doe,1970-01-01,surgery;hospitalized,jane\nj2,Jane Doe,1970-01-01,surgery;hospitalized,jane\n' >two.csv
"$RECPACK" batch -q two.csv -d js/ >/dev/null 2>&1
expect_exit 0 "re-run (text)" "$RECPACK" batch two.csv -d js/
expect_in "$T/out" "ok +2 " "the text says ok 2"
expect_exit 0 "re-run (json)" "$RECPACK" batch --json two.csv -d js/
expect_true "--json says ok 2 too, and no '//' in a packet path" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] == 2 and d["skipped"] == 2 and d["built"] == 0, d
assert all("//" not in r["packet"] for r in d["rows"]), d["rows"]' "$T/out"

# ---- verify checks that tag files are UTF-8 ----
cp -r "cpx/$bag" latin
printf 'Patient: Jos\351 M\374ller\n' >>latin/README.txt
python3 - latin <<'PY'
import hashlib, os, sys
d = sys.argv[1]
lines = []
for l in open(os.path.join(d, "tagmanifest-sha256.txt")):
    h, name = l.rstrip("\n").split("  ", 1)
    if name == "README.txt":
        h = hashlib.sha256(open(os.path.join(d, name), "rb").read()).hexdigest()
    lines.append(h + "  " + name + "\n")
open(os.path.join(d, "tagmanifest-sha256.txt"), "w").write("".join(lines))
PY
expect_true "sha256sum -c accepts the altered bag (only its encoding is wrong)" sh -c 'cd latin && sha256sum -c --quiet tagmanifest-sha256.txt'
expect_exit 1 "recpack verify refuses a tag file that is not UTF-8" "$RECPACK" verify latin
expect_in "$T/out" "README.txt.*is not valid UTF-8" "it names the file"
expect_exit 0 "the same bag before the change verifies" "$RECPACK" verify "cpx/$bag"

# A cell holding terminal control bytes (an ESC sequence pasted from somewhere) is shown
# with '?' in the row's error, never sent to the terminal as it is.
printf 'id,name,dob\nj1,Jane Doe,1970-13-01\033[31m\n' >"$T/esc.csv"
expect_exit 2 "a roster with an ESC sequence in a cell fails that row" "$RECPACK" batch "$T/esc.csv" -d "$T/escout"
expect_in "$T/out" "'1970-13-01\?\[31m' is not a date of birth" "the cell is shown with '?' for ESC"
expect_true "no ESC byte reaches the output or report.jsonl" sh -c '! grep -q "$(printf "\033")" "$@"' sh "$T/out" "$T/escout/report.jsonl"

# A manifest file named in the roster is found beside the roster, as its sources are, from
# whatever folder the batch runs in.
mkdir -p "$T/navi" "$T/elsewhere"
cp -r "$T/jane" "$T/navi/jane"
printf '[manifest]\nname = clinic\n\n[pathology]\ntitle = Pathology reports\nrequired = yes\nmatch = *\n' >"$T/navi/clinic.ini"
printf 'id,name,dob,manifest,sources\nm1,Jane Doe,1970-01-01,clinic.ini,jane\n' >"$T/navi/roster.csv"
(cd "$T/elsewhere" && "$RECPACK" batch -q ../navi/roster.csv -d ../navi/out >"$T/out" 2>"$T/err")
expect_true "the row's manifest clinic.ini is read from the roster's folder" sh -c \
	'grep -q "\"status\": *\"ok\"" "$1" || grep -q "\"status\":\"ok\"" "$1"' sh "$T/navi/out/report.jsonl"
