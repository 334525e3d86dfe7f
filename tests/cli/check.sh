# SPDX-License-Identifier: GPL-3.0-or-later
# recpack check on generated records: every exit status and every problem code it owns.
. "$(dirname "$0")/../lib.sh"

R=$T/records
make_records "$R"

expect_exit 0 "complete records check clean" "$RECPACK" check --surgery --hospitalized --patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 "$R"
expect_in "$T/out" "✓ +pathology" "pathology listed as present"
expect_in "$T/out" "Complete" "report says complete"
expect_not_in "$T/out" "Problems:" "no problems on clean records"

# classification of a typical download folder, no prefixes
"$RECPACK" check --json --surgery --hospitalized "$R" >"$T/j.json"
cat >"$T/cls.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {"Surgical_Pathology_Report_2026-03-20.pdf": "pathology", "Operative_Note_2026-03-18.pdf": "operative",
        "Discharge_Summary_2026-03-22.pdf": "hospital", "Medication List.pdf": "medications",
        "Treatment Plan Summary.pdf": "summary", "CT_Chest_Report_2026-03-01.pdf": "radiology",
        "DICOMDIR": "radiology", "IM1": "radiology"}
got = {x["name"]: x["category"] for x in d["documents"]}
bad = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
assert not bad, bad
assert d["complete"] is True and d["schema"] == 1
types = {x["name"]: x["type"] for x in d["documents"]}
assert types["IM1"] == "dicom" and types["DICOMDIR"] == "dicomdir" and types["Medication List.pdf"] == "pdf", types
for x in d["documents"]:
    assert len(x["sha256"]) == 64 and x["size"] > 0 and x["source"]
assert [c["name"] for c in d["categories"]] == ["radiology", "pathology", "operative", "hospital", "medications", "summary"]
assert d["studies"][0]["images"] == 3 and d["studies"][0]["modality"] == "CT", d["studies"]
PY
expect_true "typical folder classifies with no prefixes (JSON)" python3 "$T/cls.py" "$T/j.json"

# sha256 in JSON agrees with sha256sum
want=$(sha256sum "$R/Medication List.pdf" | cut -d' ' -f1)
expect_in "$T/j.json" "$want" "JSON sha256 agrees with sha256sum"

# missing pathology: exit 1, names the category
mkdir -p "$T/nopath" && cp -r "$R"/. "$T/nopath/" && rm "$T/nopath/Surgical_Pathology_Report_2026-03-20.pdf"
expect_exit 1 "missing pathology report fails the check" "$RECPACK" check --surgery --hospitalized "$T/nopath"
expect_in "$T/out" "missing-required: no pathology document" "missing-required names the category"
expect_in "$T/out" "✗ +pathology" "pathology marked missing"

# conditional categories: without --surgery operative is n-a, with it and no note it is missing
mkdir -p "$T/noop" && cp -r "$R"/. "$T/noop/" && rm "$T/noop/Operative_Note_2026-03-18.pdf"
expect_exit 0 "operative not required without --surgery" "$RECPACK" check "$T/noop"
expect_in "$T/out" "n-a operative" "operative shown n-a"
expect_exit 1 "operative required with --surgery" "$RECPACK" check --surgery "$T/noop"
expect_exit 1 "--fact surgery is the same as --surgery" "$RECPACK" check --fact surgery "$T/noop"

# wrong-type: a portal login page saved as report.pdf
cp -r "$R" "$T/html"
printf '<!DOCTYPE html>\n<html><head><title>Sign in - MyChart</title></head><body><form>Password</form></body></html>\n' >"$T/html/report.pdf"
expect_exit 1 "HTML saved as report.pdf fails" "$RECPACK" check "pathology=$T/html/report.pdf" "$T/html"
expect_in "$T/out" "wrong-type: .*report.pdf is a web page" "HTML login page is wrong-type"

# wrong-type: a kind of file its category does not take (a file nobody recognises, filed as
# pathology), said in plain words, without "a unrecognised file"
mkdir -p "$T/odd"
head -c 3000 /dev/urandom >"$T/odd/blob.bin"
expect_exit 1 "an unrecognised file under pathology fails" "$RECPACK" check "pathology=$T/odd/blob.bin"
expect_in "$T/out" "wrong-type: .*blob.bin cannot go under \"Pathology reports\": its kind of file .unrecognised file. is not one that category accepts .accepted: pdf, " \
	"the wrong-type message names the category and the kind of file"
expect_not_in "$T/out" "a unrecognised" "no \"a unrecognised\" in the message"

# truncated PDF and empty file
cp -r "$R" "$T/trunc"
head -c 200 "$R/Medication List.pdf" >"$T/trunc/Medication List.pdf"
: >"$T/trunc/Pathology_addendum.pdf"
expect_exit 1 "truncated and empty files fail" "$RECPACK" check "$T/trunc"
expect_in "$T/out" "truncated: .*Medication List.pdf" "truncated PDF reported"
expect_in "$T/out" "empty: .*Pathology_addendum.pdf" "empty file reported"

# patient-mismatch: another patient's scan, against --patient and across studies
cp -r "$R" "$T/mix"
make_dicom "$T/mix/other/IM9" name='SMITH^JOHN' id=OTHER99 dob=19551212 study=1.2.826.0.1.3680043.8.498.9
expect_exit 1 "another patient's DICOM fails (given --patient)" "$RECPACK" check --patient "Jane Doe" "$T/mix"
expect_in "$T/out" "patient-mismatch: .*IM9.*: the patient's name differs, so it may belong to someone else: patient \"SMITH, JOHN\" on the scan, \"Jane Doe\" given with --patient" "patient-mismatch names the file and patient"
expect_exit 1 "another patient's DICOM fails (across studies, no --patient)" "$RECPACK" check "$T/mix"
expect_in "$T/out" "patient-mismatch: .*IM9" "majority identity flags the odd study"
expect_exit 1 "wrong --dob is a mismatch" "$RECPACK" check --dob 1971-01-01 "$R"
expect_in "$T/out" "patient-mismatch" "dob mismatch reported"
expect_exit 1 "wrong --mrn is a mismatch" "$RECPACK" check --mrn X999 "$R"
expect_exit 0 "names match the way people write them" "$RECPACK" check --patient "  jane   marie DOE " "$R"

# duplicate: warning, still complete
cp -r "$R" "$T/dup"
cp "$R/Medication List.pdf" "$T/dup/Medication List (1).pdf"
expect_exit 0 "a duplicate is only a warning" "$RECPACK" check "$T/dup"
expect_in "$T/out" "duplicate: .*Medication List.*pdf is the same document as .*Medication List" "duplicate reported"

# unclassified: warning
cp -r "$R" "$T/uncl"
echo "hello" >"$T/uncl/notes-from-mom.txt"
expect_exit 0 "an unclassified file is a warning" "$RECPACK" check "$T/uncl"
expect_in "$T/out" "unclassified: .*notes-from-mom.txt" "unclassified reported"

# explicit CATEGORY= prefix wins, and a path with '=' that is not a category stays a path
cp "$R/Medication List.pdf" "$T/a=b.pdf"
expect_exit 0 "CATEGORY=SOURCE files a document" "$RECPACK" check --json "summary=$T/uncl/notes-from-mom.txt" "$R"
expect_true "prefix sets the category" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(x["name"]=="notes-from-mom.txt" and x["category"]=="summary" for x in d["documents"])' "$T/out"
cd "$T" && expect_exit 0 "a path containing = stays a path" "$RECPACK" check --json "a=b.pdf" "$R" && cd - >/dev/null
expect_in "$T/out" '"name": "a=b.pdf"' "a=b.pdf gathered as a file"

# hidden and system files skipped, symlink loops safe
cp -r "$R" "$T/junk"
touch "$T/junk/.DS_Store" "$T/junk/Thumbs.db" "$T/junk/desktop.ini" "$T/junk/.hidden.pdf"
mkdir -p "$T/junk/__MACOSX" && cp "$R/Medication List.pdf" "$T/junk/__MACOSX/._x.pdf"
ln -s .. "$T/junk/CD/loop"
expect_exit 0 "junk skipped and symlink loop safe" timeout 20 "$RECPACK" check --json "$T/junk"
expect_not_in "$T/out" 'DS_Store|Thumbs|desktop.ini|hidden|MACOSX' "junk files not gathered"

# stdin and --sources
expect_exit 0 "one document on stdin" sh -c "'$RECPACK' check --surgery --hospitalized 'pathology=-' '$T/nopath' < '$R/Surgical_Pathology_Report_2026-03-20.pdf'"
(cd "$T" && find records -type f -print0) >"$T/list0"
expect_exit 0 "--sources - -0 reads find -print0" sh -c "cd '$T' && '$RECPACK' check --sources - -0 --json < '$T/list0'"
expect_true "find -print0 | check --sources - -0 --json parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["documents"]) == 10' "$T/out"
# each file its own source: the disc is still checked against its DICOMDIR, by source path
(cd "$T" && find records -type f ! -name IM3 -print0) >"$T/list1"
expect_exit 1 "--sources - -0 without one image of the disc fails" sh -c "cd '$T' && '$RECPACK' check --sources - -0 --json < '$T/list1'"
expect_in "$T/out" 'lists 1 image that is not on the disc \(the first: DICOM/ST1/IM3\)' "the missing image is named"
printf '# my records\npathology=%s\n%s\n' "$R/Surgical_Pathology_Report_2026-03-20.pdf" "$T/nopath" >"$T/list.txt"
expect_exit 0 "--sources FILE with CATEGORY= lines" "$RECPACK" check --sources "$T/list.txt"

# usage errors: exit 2
expect_exit 2 "unknown option" "$RECPACK" check --no-such-option "$R"
expect_exit 2 "no sources" "$RECPACK" check
expect_exit 2 "bad --dob" "$RECPACK" check --dob 1970-02-30 "$R"
expect_in "$T/err" "YYYY-MM-DD" "bad --dob explains the format"
expect_exit 2 "unknown command" "$RECPACK" frobnicate
expect_exit 2 "unknown manifest name" "$RECPACK" check -m nosuch "$R"
printf '[manifest]\nname = mine\n\n[pathology]\ntitle = Path\nrequired = sometimes\n' >"$T/bad.ini"
expect_exit 2 "manifest with a bad value" "$RECPACK" check -m "$T/bad.ini" "$R"
expect_in "$T/err" "bad.ini:6: required must be" "bad manifest gives FILE:LINE"
printf '[pathology]\ntitle = Path\nthis line is broken\n' >"$T/syntax.ini"
expect_exit 2 "manifest with a syntax error" "$RECPACK" check -m "$T/syntax.ini" "$R"
expect_in "$T/err" "syntax.ini:3:" "syntax error gives FILE:LINE"

# a user manifest works like a built-in
printf '[manifest]\nname = tiny\n[pathology]\ntitle = Pathology\nrequired = yes\nmatch = *patholog*\n' >"$T/tiny.ini"
expect_exit 0 "user manifest file" "$RECPACK" check -m "$T/tiny.ini" "$R/Surgical_Pathology_Report_2026-03-20.pdf"

# source errors: exit 3
expect_exit 3 "missing source file" "$RECPACK" check "$R" "$T/no-such-file.pdf"
expect_in "$T/out" "unreadable: .*no-such-file.pdf" "missing source named"
ln -s "$T/nowhere.pdf" "$T/dangling.pdf"
expect_exit 3 "dangling link given as source" "$RECPACK" check "$T/dangling.pdf"

# output errors: exit 4
if [ -w /dev/full ]; then
	expect_exit 4 "stdout on a full disk is an error" sh -c "'$RECPACK' check --json '$R' > /dev/full"
	expect_exit 4 "a packet streamed to a full disk is an error" sh -c "'$RECPACK' build -q --allow-incomplete -o - '$R' > /dev/full"
	expect_in "$T/err" "cannot write the packet to standard output: No space left on device" "full disk explained"
	[ "$(grep -c . "$T/err")" -eq 1 ] && ok "full disk said once, with the real reason" ||
		notok "full disk said once, with the real reason" "$(cat "$T/err")"
	expect_exit 4 "a listing on a full disk is an error" sh -c "'$RECPACK' manifest > /dev/full"
	expect_in "$T/err" "could not write the output: No space left on device" "a listing on a full disk explained"
fi

# below-minimum: a manifest asking for two pathology reports
printf '[manifest]\nname = two\n[pathology]\ntitle = Pathology\nrequired = yes\nmin = 2\nmatch = *patholog*\n' >"$T/two.ini"
expect_exit 1 "fewer documents than min fails" "$RECPACK" check -m "$T/two.ini" "$R/Surgical_Pathology_Report_2026-03-20.pdf"
expect_in "$T/out" "below-minimum: pathology needs 2 documents" "below-minimum reported"
