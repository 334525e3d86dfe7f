# SPDX-License-Identifier: GPL-3.0-or-later
# recpack request (the records-request letter), physical items (pathology slides by case
# number) and recency (max_age, priors): the done-when checks of issue 19, items 1-3.
# Dates are fixed by SOURCE_DATE_EPOCH, which recpack takes as "today".
. "$(dirname "$0")/../lib.sh"

export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(date -u -d 2026-04-01 +%s)
who() { printf '%s\n' "Patient: DOE, JANE   DOB: 01/01/1970   MRN: MRN12345"; }

# ---- 1. the letter: the pathology report and the CT images are missing ----
A=$T/a
make_pdf "$A/ct_report.pdf" "CT CHEST WITH CONTRAST" "$(who)" "Exam date: 03/01/2026" "Findings: a 2 cm mass."
make_pdf "$A/medications.pdf" "Medication List" "$(who)" "Date: 03/10/2026" "letrozole 2.5 mg daily"
make_pdf "$A/summary.pdf" "Treatment Plan" "$(who)" "Visit date: 03/12/2026" "Plan: surgery"
printf '1200 Main Street\nSuite 4\nSpringfield, IL 62701\n' >"$T/office.txt"
cd "$T" || exit 2

expect_exit 1 "check fails on these records (no pathology, no images)" "$RECPACK" check --patient "Jane Doe" "$A"
expect_exit 0 "request writes the letter" "$RECPACK" request --to "Springfield Imaging, Medical Records" \
	--to-address "$T/office.txt" --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 -o "$T/letter" "$A"
expect_in "$T/out" "Wrote .*letter.txt and .*letter.html" "request says which files it wrote"
expect_in "$T/out" "sends nothing" "request says nothing was sent"
for f in letter.txt letter.html; do
	mode=$(stat -c %a "$T/$f" 2>/dev/null)
	[ "$mode" = 600 ] && ok "$f is mode 0600" || notok "$f is mode 0600" "mode: $mode"
done
L=$T/letter.txt
expect_in "$L" "the CT of 2026-03-01 as DICOM images on a disc or by download, not only" "the letter asks for the CT's images by its date"
expect_in "$L" "surgical pathology and cytology reports" "the letter asks for the pathology report"
[ "$(grep -Ec '^ +[0-9]+\. ' "$L")" -eq 2 ] && ok "the letter asks for exactly two items" ||
	notok "the letter asks for exactly two items" "$(grep -E '^ +[0-9]+\. ' "$L")"
expect_in "$L" "45 CFR 164\.524" "the letter cites the right of access"
expect_in "$L" "DICOM" "the letter asks for DICOM"
expect_in "$L" "PDF" "the letter asks for PDF"
letter_date=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%B %-d, %Y')
deadline=$(date -u -d "@$((SOURCE_DATE_EPOCH + 30 * 86400))" '+%B %-d, %Y')
expect_in "$L" "^$letter_date\$" "the letter is dated $letter_date"
tr '\n' ' ' <"$L" | tr -s ' ' >"$T/flat.txt"
expect_in "$T/flat.txt" "within 30 days, that is by $deadline" "the letter states the 30-day deadline ($deadline)"
expect_in "$L" "^Springfield Imaging, Medical Records\$" "the letter is addressed to the office"
expect_in "$L" "^Springfield, IL 62701\$" "the office's address lines are in the letter"
expect_in "$L" "^Date of birth: 1970-01-01\$" "the letter has the date of birth"
expect_in "$L" "^Medical record number: MRN12345\$" "the letter has the MRN"
expect_in "$L" "^Jane Doe\$" "the letter has the patient's name"
long=$(awk 'length > 80' "$L" | head -3)
[ -z "$long" ] && ok "the text letter's lines fit a page" || notok "the text letter's lines fit a page" "$long"

# The HTML letter: parsed by Python's HTML parser, the same two items in an ordered list.
cat >"$T/letter_html.py" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.items = []; self.tags = set(); self.cur = None; self.text = []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "li": self.cur = []
    def handle_endtag(self, tag):
        if tag == "li": self.items.append("".join(self.cur)); self.cur = None
    def handle_data(self, d):
        self.text.append(d)
        if self.cur is not None: self.cur.append(d)
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert "script" not in p.tags and "ol" in p.tags, p.tags
assert len(p.items) == 2, p.items
assert any("the CT of 2026-03-01 as DICOM images" in i for i in p.items), p.items
assert any("pathology" in i for i in p.items), p.items
text = " ".join(" ".join(p.text).split())
assert "45 CFR 164.524" in text and sys.argv[2] in text, text
print("ok")
PY
run python3 "$T/letter_html.py" "$T/letter.html" "$deadline"
[ "$RC" -eq 0 ] && ok "the HTML letter lists the same two items and the deadline" ||
	notok "the HTML letter lists the same two items and the deadline" "$(tail -3 "$T/err")"

cp "$L" "$T/first.txt"
expect_exit 4 "request does not replace a letter without --force" "$RECPACK" request --to X --patient "Jane Doe" -o "$T/letter" "$A"
cmp -s "$L" "$T/first.txt" && ok "the refused run left the letter alone" || notok "the refused run left the letter alone"
expect_exit 0 "request --force replaces it" "$RECPACK" request --force --to "Springfield Imaging, Medical Records" \
	--to-address "$T/office.txt" --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 -o "$T/letter.html" "$A"
cmp -s "$L" "$T/first.txt" && ok "the same records and date give the same letter" || notok "the same records and date give the same letter"
ls -a "$T" | grep -q 'recpack-tmp' && notok "no temp files left beside the letters" "$(ls -a "$T")" || ok "no temp files left beside the letters"

expect_exit 2 "request without --to is a usage error" "$RECPACK" request --patient "Jane Doe" "$A"
expect_in "$T/err" "--to" "the usage error names --to"
expect_exit 2 "request without --patient is a usage error" "$RECPACK" request --to X "$A"
expect_exit 2 "request refuses --json" "$RECPACK" request --json --to X --patient "Jane Doe" "$A"
expect_exit 3 "request with an unreadable --to-address" "$RECPACK" request --to X --to-address "$T/nope" --patient "Jane Doe" "$A"

R=$T/complete
make_records "$R"
mkdir "$T/empty" && cd "$T/empty" || exit 2
expect_exit 0 "request on complete records exits 0" "$RECPACK" request --surgery --hospitalized --to X --patient "Jane Doe" "$R"
expect_in "$T/out" "Nothing is missing" "request says nothing is missing"
[ -z "$(ls -A "$T/empty")" ] && ok "no letter is written when nothing is missing" || notok "no letter is written when nothing is missing" "$(ls -A "$T/empty")"
cd "$T" || exit 2

# ---- 2. slides: listed by the case number on the pathology report; --fact slides-sent ----
B=$T/b
make_pdf "$B/pathology.pdf" "SURGICAL PATHOLOGY REPORT" "$(who)" "Accession #: S26-12345" "Collected: 03/02/2026" \
	"Breast, left, core biopsy: invasive ductal carcinoma."
make_pdf "$B/receptors.pdf" "Receptor Status" "$(who)" "ER positive, PR positive, HER2 negative"
cp "$A/medications.pdf" "$A/summary.pdf" "$A/ct_report.pdf" "$B/"
make_dicom "$B/cd/IM1" date=20260301

run "$RECPACK" check -m breast --json --patient "Jane Doe" "$B"
[ "$RC" -eq 0 ] && ok "breast: slides not yet sent do not fail the check" || notok "breast: slides not yet sent do not fail the check" "exit $RC" "$(head -c 600 "$T/err")"
cp "$T/out" "$T/b.json"
cat >"$T/slides_json.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [c for c in d["categories"] if c["name"] == "slides"]
assert len(s) == 1, d["categories"]
s = s[0]
assert s["kind"] == "physical" and s["required"] is True and s["status"] == sys.argv[2], s
assert s["items"] == [{"case": "S26-12345", "status": sys.argv[2]}], s["items"]
codes = [p["code"] for p in d["problems"]]
assert ("not-shipped" in codes) == (sys.argv[2] == "to-send"), codes
assert d["complete"] is True
assert all(c["kind"] == "records" for c in d["categories"] if c["name"] != "slides")
dates = {x["name"]: x["date"] for x in d["documents"]}
assert dates["pathology.pdf"] == "2026-03-02" and dates["IM1"] == "2026-03-01", dates
print("ok")
PY
run python3 "$T/slides_json.py" "$T/b.json" to-send
[ "$RC" -eq 0 ] && ok "check --json lists slide case S26-12345 as to-send, with a not-shipped warning" ||
	notok "check --json lists slide case S26-12345 as to-send, with a not-shipped warning" "$(tail -3 "$T/err")"
run "$RECPACK" check -m breast --patient "Jane Doe" "$B"
expect_in "$T/out" "case S26-12345: not yet sent" "the check report lists the case as not yet sent"
expect_in "$T/out" "add --fact slides-sent" "the check report says how to mark them sent"

expect_exit 0 "build -m breast --fact slides-sent" "$RECPACK" build -q -m breast --patient "Jane Doe" --fact slides-sent -o "$T/b.zip" "$B"
mkdir "$T/bx" && (cd "$T/bx" && unzip -q "$T/b.zip")
cat >"$T/index_html.py" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.row = None
    def handle_starttag(self, tag, attrs):
        if tag == "tr": self.row = []
        if tag in ("td", "th") and self.row is not None: self.row.append("")
    def handle_endtag(self, tag):
        if tag == "tr" and self.row is not None: self.rows.append([c.strip() for c in self.row]); self.row = None
    def handle_data(self, d):
        if self.row: self.row[-1] += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
row = [r for r in p.rows if r and r[0].endswith("case S26-12345")]
assert row and row[0][1] == sys.argv[2], (row, p.rows)
title = [r for r in p.rows if r and r[0] == "Pathology glass slides and blocks"]
assert title and sys.argv[3] in title[0][1], title
print("ok")
PY
run python3 "$T/index_html.py" "$T"/bx/*/index.html shipped "shipped separately"
[ "$RC" -eq 0 ] && ok "index.html shows slide case S26-12345 as shipped" || notok "index.html shows slide case S26-12345 as shipped" "$(tail -3 "$T/err")"
run python3 "$T/slides_json.py" "$T"/bx/*/packet.json shipped
[ "$RC" -eq 0 ] && ok "packet.json shows slide case S26-12345 as shipped" || notok "packet.json shows slide case S26-12345 as shipped" "$(tail -3 "$T/err")"
expect_in "$(echo "$T"/bx/*/README.txt)" "case S26-12345: shipped" "the cover sheet shows slide case S26-12345 as shipped"
[ ! -e "$(echo "$T"/bx/*)/data/09-slides" ] && ok "slides make no folder in the packet" || notok "slides make no folder in the packet"

expect_exit 0 "build -m breast without the fact" "$RECPACK" build -q -m breast --patient "Jane Doe" -o "$T/b2.zip" "$B"
mkdir "$T/bx2" && (cd "$T/bx2" && unzip -q "$T/b2.zip")
run python3 "$T/index_html.py" "$T"/bx2/*/index.html "not yet sent" "not yet sent"
[ "$RC" -eq 0 ] && ok "index.html shows the slides as not yet sent without the fact" || notok "index.html shows the slides as not yet sent without the fact" "$(tail -3 "$T/err")"

expect_exit 0 "request -m breast asks the lab for the slides" "$RECPACK" request -m breast --to "Pathology Lab" --patient "Jane Doe" -o "$T/lab" "$B"
tr '\n' ' ' <"$T/lab.txt" | tr -s ' ' >"$T/lab.flat"
expect_in "$T/lab.flat" "glass slides .* for pathology case S26-12345" "the letter asks for the slides by case number"
expect_in "$T/lab.flat" "sends glass slides and blocks directly to the reviewing pathologist" "the letter explains how slides travel"
expect_exit 0 "request -m breast --fact slides-sent" "$RECPACK" request -m breast --fact slides-sent --to Lab --patient "Jane Doe" -o "$T/sent" "$B"
expect_not_in "$T/sent.txt" "slides" "no slides asked for once they are sent"
tr '\n' ' ' <"$T/sent.txt" | tr -s ' ' >"$T/sent.flat"
expect_in "$T/sent.flat" "any earlier radiology images and reports from the 2 years before 2026-03-01" "the letter asks for prior imaging (priors = 2 years)"

expect_exit 1 "a file filed under the physical category is refused" "$RECPACK" check -m breast --patient "Jane Doe" "$B" "slides=$A/summary.pdf"
expect_in "$T/out" "wrong-type: .*physical items" "the refusal says slides are physical"

# ---- 3. recency: a 14-month-old CT and no newer imaging ----
C=$T/c
mkdir -p "$C" && cp "$B/pathology.pdf" "$B/receptors.pdf" "$B/medications.pdf" "$B/summary.pdf" "$C/"
old=$(date -u -d "2026-04-01 -14 months" +%Y%m%d)
old_iso=$(date -u -d "2026-04-01 -14 months" +%Y-%m-%d)
make_dicom "$C/cd/IM1" date="$old" study=1.2.826.0.1.3680043.8.498.7
run "$RECPACK" check -m breast --fact slides-sent --patient "Jane Doe" "$C"
[ "$RC" -eq 0 ] && ok "an outdated CT is a warning, not a failure, in the breast manifest" || notok "an outdated CT is a warning, not a failure, in the breast manifest" "exit $RC"
expect_in "$T/out" "warning +outdated: radiology: the newest record is dated $old_iso" "the recency problem names the CT's date ($old_iso)"
expect_in "$T/out" "older than the 6 months" "the recency problem names the manifest's 6 months"

"$RECPACK" manifest breast | sed -e 's/^max_age = 6 months$/max_age = 12 months\noutdated = blocking/' >"$T/strict.ini"
expect_exit 1 "outdated = blocking fails the check" "$RECPACK" check -m "$T/strict.ini" --fact slides-sent --patient "Jane Doe" "$C"
expect_in "$T/out" "error +outdated: .*$old_iso.*12 months" "the blocking problem names the date and 12 months"

make_dicom "$C/cd2/IM1" date=20260301 study=1.2.826.0.1.3680043.8.498.8
run "$RECPACK" check -m breast --fact slides-sent --patient "Jane Doe" "$C"
expect_not_in "$T/out" "outdated" "a newer CT clears the recency problem (the old one is a prior)"
expect_not_in "$T/out" "no-priors" "the 14-month-old CT counts as a prior"
rm -r "$C/cd"
run "$RECPACK" check -m breast --fact slides-sent --patient "Jane Doe" "$C"
expect_in "$T/out" "info +no-priors: radiology" "only recent imaging: the doctor would compare with priors (info)"
rm -r "$C/cd2"
make_dicom "$C/cd/IM1" date="$old" study=1.2.826.0.1.3680043.8.498.7
expect_exit 0 "request asks for newer imaging" "$RECPACK" request -m breast --fact slides-sent --to X --patient "Jane Doe" -o "$T/recent" "$C"
tr '\n' ' ' <"$T/recent.txt" | tr -s ' ' >"$T/recent.flat"
expect_in "$T/recent.flat" "any radiology images and reports from after 2025-10-01" "the letter asks for imaging newer than 6 months"
run "$RECPACK" check --patient "Jane Doe" "$C"
expect_not_in "$T/out" "outdated" "the default manifest sets no max_age"

# ---- a roster's facts column marks the slides shipped too ----
printf 'id,name,dob,manifest,facts,sources\np1,Jane Doe,1970-01-01,breast,slides-sent,%s\n' "$B" >"$T/roster.csv"
expect_exit 0 "batch with facts = slides-sent" "$RECPACK" batch -q "$T/roster.csv" -d "$T/batch"
unzip -p "$T/batch/p1.zip" '*/packet.json' >"$T/p1.json" 2>"$T/unzip.err"
run python3 "$T/slides_json.py" "$T/p1.json" shipped
[ "$RC" -eq 0 ] && ok "the roster's slides-sent fact marks slide case S26-12345 shipped" ||
	notok "the roster's slides-sent fact marks slide case S26-12345 shipped" "$(tail -3 "$T/err")"
