#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 17, item 1: the packet as the second-opinion doctor opens it. index.html and README.txt
# list every document by category with its date and title (from what it says), studies with
# modality, date, description and image count; no local folder of the patient anywhere in the
# packet (the sources live under this test's temp dir, so $T must appear nowhere); no checksum
# column; problems worded for the doctor, never the patient's command-line advice. The page is
# opened in headless Chromium at 1200 and 800 px (screenshot, and the DOM measured: nothing
# wider than the window) and printed to PDF, which pdftotext reads back.
. "$(dirname "$0")/../lib.sh"

R="$T/Downloads/My Records"
make_pdf "$R/Document (1).pdf" "SURGICAL PATHOLOGY REPORT" "Patient: DOE, JANE    DOB: 01/01/1970" \
	"Date of service: 03/20/2026" "Diagnosis: invasive adenocarcinoma."
make_pdf "$R/0f8e2c1a5b7d4c3e9a217e6f5d4c3b2a_discharge_summary_exported_from_the_patient_portal_with_a_very_long_name.pdf" \
	"DISCHARGE SUMMARY" "Patient: Jane Doe   DOB: 1970-01-01" "Date: 2026-03-22"
make_pdf "$R/Treatment Plan Summary.pdf" "Treatment plan summary" "Patient: Jane Doe"
cp "$R/Treatment Plan Summary.pdf" "$R/Treatment Plan Summary (copy).pdf"
make_pdf "$R/misc/letter.pdf" "Dear friend" "See you soon."
make_cd "$R/CD" desc='CT CHEST W CONTRAST' date=20260301

mkdir -p "$T/pk"
run "$RECPACK" build --allow-incomplete --patient "Jane Doe" --dob 1970-01-01 -o "$T/pk/packet.zip" "$R"
[ "$RC" -eq 0 ] && ok "build of a folder with a gap (--allow-incomplete)" || notok "build" "exit $RC" "$(cat "$T/err")"
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$T/pk/packet.zip") || notok "unzip the packet"
B=$(ls -d "$T/x"/*/ 2>/dev/null | head -1)
B=${B%/}
if [ -n "$B" ] && [ -f "$B/index.html" ]; then ok "the packet has index.html"; else
	notok "the packet has index.html" "$(ls -R "$T/x" | head)"
	exit 0
fi

# ---- no local path, no checksum column, words for the doctor ----
for f in index.html README.txt packet.json bag-info.txt; do
	expect_not_in "$B/$f" "$T|/tmp/|Downloads" "$f names no local folder of the patient"
done
python3 - "$B/packet.json" >"$T/src.txt" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
for d in j["documents"]:
    print(d["source"])
EOF
expect_in "$T/src.txt" '^My Records/Document \(1\)\.pdf$' "packet.json names a source relative to the folder given"
expect_not_in "$B/index.html" '[0-9a-f]{64}' "index.html has no 64-digit checksum"
expect_not_in "$B/README.txt" '[0-9a-f]{64}' "README.txt has no 64-digit checksum"
expect_in "$B/manifest-sha256.txt" '^[0-9a-f]{64}  data/' "the checksums are in the manifest"
for f in index.html README.txt packet.json; do
	expect_not_in "$B/$f" 'allow-incomplete|e\.g\. [a-z]+=|=FILE|run recpack|same document as|not in the packet' \
		"$f keeps the patient's command-line advice out"
done
expect_in "$B/index.html" 'Missing: Current medication list' "index.html says what was not supplied"
expect_in "$B/README.txt" 'Missing: +Current medication list' "README.txt says what was not supplied"
expect_in "$B/README.txt" '2026-03-20  SURGICAL PATHOLOGY REPORT' "README.txt lists a portal download by its date and title"
expect_in "$B/README.txt" '2026-03-01  CT CT CHEST W CONTRAST: 3 images' "README.txt lists the study: date, modality, description, images"
expect_not_in "$B/README.txt" 'recpack verify [^ ]+\.zip' "README.txt names no ZIP file it cannot know"
python3 - "$B" >"$T/links.txt" <<'EOF'
import html.parser, os, sys, urllib.parse
bag = sys.argv[1]
class P(html.parser.HTMLParser):
    def __init__(s): super().__init__(); s.links = []
    def handle_starttag(s, tag, attrs):
        if tag == "a": s.links.append(dict(attrs).get("href"))
p = P(); p.feed(open(os.path.join(bag, "index.html"), encoding="utf-8").read())
for l in p.links:
    ok = os.path.isfile(os.path.join(bag, urllib.parse.unquote(l)))
    print(("ok " if ok else "BROKEN ") + l)
EOF
expect_not_in "$T/links.txt" '^BROKEN' "every link in index.html opens a file in the packet"
expect_in "$T/links.txt" '^ok data/02-pathology/Document%20%281%29\.pdf$' "the pathology report is linked"
expect_in "$T/links.txt" '^ok data/01-radiology/CD/DICOMDIR$' "the study links to its disc"

# ---- Chromium: the page at 1200 and 800 px, and printed ----
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	skip "index.html in headless Chromium" "chromium is not installed (scripts/install-deps.sh --test)"
	exit 0
fi
chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
		--user-data-dir="$T/chrome" "$@" 2>>"$T/chrome.log"
}
# A copy of the page with a measuring script (the packet's page has none): the widest element's
# right edge and the page's scroll width against the window, written into the DOM.
sed 's#</body>#<script>onload=function(){var w=innerWidth,worst="",r=0;document.querySelectorAll("body *").forEach(function(e){var x=e.getBoundingClientRect().right;if(x>r){r=x;worst=e.tagName+" "+(e.textContent||"").slice(0,40)}});document.body.setAttribute("data-measure","scroll="+document.documentElement.scrollWidth+" inner="+w+" right="+Math.ceil(r)+" widest="+worst)}</script></body>#' \
	"$B/index.html" >"$B/measure.html"
for w in 1200 800; do
	chrome --window-size=$w,1000 --screenshot="$T/shot-$w.png" "file://$B/index.html" >/dev/null
	[ -s "$T/shot-$w.png" ] && [ "$(head -c 4 "$T/shot-$w.png" | tail -c 3)" = PNG ] &&
		ok "a screenshot of index.html at $w px" || notok "a screenshot at $w px" "$(tail -3 "$T/chrome.log")"
	chrome --window-size=$w,1000 --virtual-time-budget=2000 --dump-dom "file://$B/measure.html" >"$T/dom-$w.html"
	m=$(grep -o 'data-measure="[^"]*"' "$T/dom-$w.html")
	if [[ $m =~ scroll=([0-9]+)\ inner=([0-9]+)\ right=([0-9]+) ]] && [ "${BASH_REMATCH[2]}" -gt 0 ] &&
		[ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] && [ "${BASH_REMATCH[3]}" -le "${BASH_REMATCH[2]}" ]; then
		ok "at $w px nothing overflows the window ($m)"
	else
		notok "at $w px nothing overflows the window" "${m:-no measure: $(tail -3 "$T/chrome.log")}"
	fi
	expect_not_in "$T/dom-$w.html" "$T/Downloads" "the page Chromium rendered at $w px names no local folder"
done
chrome --no-pdf-header-footer --print-to-pdf="$T/page.pdf" "file://$B/index.html" >/dev/null
if [ -s "$T/page.pdf" ] && pdftotext -layout "$T/page.pdf" "$T/page.txt"; then
	ok "index.html prints to PDF"
	expect_in "$T/page.txt" 'Jane Doe' "the printed page names the patient"
	expect_in "$T/page.txt" 'SURGICAL PATHOLOGY REPORT' "the printed page lists the report by its title"
	expect_in "$T/page.txt" 'CT CHEST W CONTRAST' "the printed page lists the study"
	expect_not_in "$T/page.txt" "$T|Downloads|[0-9a-f]{64}" "the printed page names no local folder and no checksum"
else
	notok "index.html prints to PDF" "$(tail -3 "$T/chrome.log")"
fi
