#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 17, item 2, as a family member with a messy Downloads folder would meet it: each
# message says what is wrong and what to do. A --dob typo names the birth date on both sides;
# a misspelt category suggests the right one; unclassified files are "not in the packet" with
# the shell-quoted argument that files them under the missing category; partial downloads are
# refused; a saved web page goes with its _files/ folder; a disc's README.TXT is no record;
# --dob in the future is refused; the packet name comes right from every --patient form; -o
# without .zip and build without --patient are warned about.
. "$(dirname "$0")/../lib.sh"

R="$T/Downloads"
make_records "$R"
PT=(--patient "Jane Doe" --dob 1970-01-01)

# ---- a --dob typo: the birth date on both sides, not "someone else's record" ----
expect_exit 1 "a --dob typo fails the check" "$RECPACK" check --patient "Jane Doe" --dob 1970-01-02 "$R"
cat "$T/out" >>"$T/err"
expect_in "$T/err" "the birth date differs. It is 1970-01-01 on the scan, but 1970-01-02 was given with --dob" \
	"the message names the birth date on both sides"
expect_in "$T/err" "If you typed --dob wrong" "it says what to fix"
expect_not_in "$T/err" "belongs to someone else|IM1 " "no 'someone else', no single image file named"
expect_in "$T/err" "the disc .*/CD/ \\(3 images\\)" "it names the disc, with its image count"

# ---- a category typo ----
expect_exit 2 "patology= is a usage error" "$RECPACK" check "${PT[@]}" "patology=$R/Surgical_Pathology_Report_2026-03-20.pdf"
expect_in "$T/err" "did you mean 'pathology'\\?" "patology= suggests pathology"
expect_in "$T/err" "radiology, pathology, operative, hospital, medications, summary" "it lists the categories"
expect_not_in "$T/err" "no such file" "it is not called a missing file"
expect_exit 0 "Pathology= (any case) files the report" "$RECPACK" check -q "${PT[@]}" --surgery --hospitalized \
	"Pathology=$R/Surgical_Pathology_Report_2026-03-20.pdf" "$R"
mkdir -p "$T/eq" && cp "$R/Medication List.pdf" "$T/eq/patology=x.pdf"
expect_exit 0 "a file really named patology=x.pdf is a file" sh -c 'cd "$1" && "$2" check -q --patient "Jane Doe" patology=x.pdf >/dev/null; [ $? -ne 2 ]' sh "$T/eq" "$RECPACK"

# ---- unclassified: not in the packet, with the quoted argument for the missing category ----
M="$T/messy"
mkdir -p "$M"
cp "$R/Surgical_Pathology_Report_2026-03-20.pdf" "$R/Treatment Plan Summary.pdf" "$R/Medication List.pdf" "$M/"
make_pdf "$M/scan 0001 (Jane's).pdf" "Some letter" "Hello."
run "$RECPACK" check "${PT[@]}" "$M"
expect_in "$T/out" "scan 0001 \\(Jane's\\)\\.pdf \\(PDF document\\) is not in the packet" "an unclassified file is named 'not in the packet'"
quoted=$(grep "not in the packet" "$T/out" | sed -n "s/.*name it: \(radiology='.*'\) (the categories.*/\1/p" | head -1)
[ -n "$quoted" ] && ok "it suggests the missing category with a quoted argument: $quoted" ||
	notok "it suggests the missing category with a quoted argument" "$(grep 'not in the packet' "$T/out")"
# the suggested argument, given to a shell, is exactly the file
eval "set -- $quoted"
[ "$1" = "radiology=$M/scan 0001 (Jane's).pdf" ] && ok "the suggested argument is the file, shell-quoted" ||
	notok "the suggested argument is the file, shell-quoted" "got: $1"
expect_in "$T/out" "1 file recpack could not sort is not in the packet" "the summary says a file is not in the packet"

# ---- partial downloads ----
P="$T/partial"
mkdir -p "$P"
cp "$R/Medication List.pdf" "$P/Medication List.pdf.crdownload"
cp "$R/Medication List.pdf" "$P/Operative note.pdf.part"
cp "$R/Medication List.pdf" "$P/Discharge.pdf.download"
expect_exit 1 "partial downloads fail the check" "$RECPACK" check "${PT[@]}" "$R" "$P"
cat "$T/out" >>"$T/err"
for f in "Medication List.pdf.crdownload" "Operative note.pdf.part" "Discharge.pdf.download"; do
	expect_in "$T/err" "$f is an incomplete download" "$f is refused as an incomplete download"
done

# ---- a saved web page with its _files/ folder ----
W="$T/web"
mkdir -p "$W/Portal_files"
printf '<html><head><title>My portal</title></head><body>Welcome</body></html>\n' >"$W/Portal.html"
printf 'body{}\n' >"$W/Portal_files/style.css"
printf 'var x=1;\n' >"$W/Portal_files/app.js"
run "$RECPACK" check "${PT[@]}" --surgery --hospitalized "$R" "$W"
expect_in "$T/out" "Portal.html \\(web page \\(HTML\\), with the 2 files of its folder\\) is not in the packet" \
	"the page and its folder are left out as one unit"
expect_not_in "$T/out" "style.css|app.js" "the page's files are not warned about one by one"
mkdir -p "$T/pk1"
expect_exit 0 "a filed page is packed with its folder" "$RECPACK" build -q "${PT[@]}" --surgery --hospitalized \
	-o "$T/pk1/p.zip" "$R" "hospital=$W"
unzip -Z1 "$T/pk1/p.zip" >"$T/names"
expect_in "$T/names" "data/04-hospital/.*style\\.css$" "its _files/ folder went with it"
unzip -p "$T/pk1/p.zip" '*/packet.json' >"$T/pj"
python3 -c 'import json,sys; c=[c for c in json.load(open(sys.argv[1]))["categories"] if c["name"]=="hospital"][0]; print("count", c["count"])' "$T/pj" >"$T/hc"
expect_in "$T/hc" "^count 2$" "the page's files are not counted as records (hospital: the page and the discharge summary)"

# ---- disc furniture ----
printf 'To view these images, run the viewer.\n' >"$R/CD/README.TXT"
printf '[autorun]\nopen=viewer.exe\n' >"$R/CD/AUTORUN.INF"
run "$RECPACK" check --json "${PT[@]}" --surgery --hospitalized "$R"
python3 - "$T/out" >"$T/cd.txt" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
rad = [c for c in j["categories"] if c["name"] == "radiology"][0]
print("count", rad["count"])
EOF
expect_in "$T/cd.txt" "^count 5$" "README.TXT and AUTORUN.INF on the disc are no records (radiology: 3 images, DICOMDIR, report)"
mkdir -p "$T/pk2"
expect_exit 0 "build with the disc's README" "$RECPACK" build -q "${PT[@]}" --surgery --hospitalized -o "$T/pk2/p.zip" "$R"
unzip -p "$T/pk2/p.zip" '*/index.html' >"$T/index.html"
expect_not_in "$T/index.html" ">README.TXT<|AUTORUN" "the doctor's page lists no disc furniture"
unzip -Z1 "$T/pk2/p.zip" >"$T/names2"
expect_in "$T/names2" "data/01-radiology/CD/README.TXT$" "the disc stays whole in the packet"

# ---- --dob in the future ----
expect_exit 2 "--dob in the future is refused" "$RECPACK" check --patient "Jane Doe" --dob 2100-01-01 "$R"
expect_in "$T/err" "2100-01-01 is a date in the future" "the message says why"

# ---- the packet name from every --patient form ----
N="$T/noname"
make_pdf "$N/path.pdf" "SURGICAL PATHOLOGY REPORT" "Diagnosis: x"
i=0
for form in "Doe, Jane|Doe_Jane" "DOE^JANE|Doe_Jane" "Jane Doe|Doe_Jane" "García-López|García-López" \
	"José García-López|García-López_José" "o'brien, mary-kate|O'Brien_Mary-Kate"; do
	i=$((i + 1))
	mkdir -p "$T/n$i"
	(cd "$T/n$i" && "$RECPACK" build -q --allow-incomplete --patient "${form%%|*}" "$N" >/dev/null 2>&1)
	got=$(ls "$T/n$i" | grep '\.zip$' | head -1)
	case $got in
	"${form#*|}"_[0-9]*_second-opinion.zip) ok "--patient '${form%%|*}' names the packet $got" ;;
	*) notok "--patient '${form%%|*}' names the packet ${form#*|}_DATE_second-opinion.zip" "got: '$got'" ;;
	esac
done

# ---- -o without .zip, build without --patient ----
mkdir -p "$T/o"
run "$RECPACK" build --allow-incomplete --patient "Jane Doe" -o "$T/o/packet" "$N"
expect_in "$T/err" "packet does not end in .zip" "-o without .zip is warned about"
run "$RECPACK" build --allow-incomplete -o "$T/o/p2.zip" "$N"
[ "$RC" -eq 0 ] && ok "build without --patient still builds" || notok "build without --patient still builds" "exit $RC"
expect_in "$T/err" "warning: no --patient given" "build without --patient is warned about"
