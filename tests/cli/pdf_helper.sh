#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The PDF helper program: recpack itself never loads poppler (recpack-read does, in a child
# process), finds the helper beside its real path (through a symlink too), and says plainly
# when a PDF cannot be read: the helper missing, or a PDF protected by a password.
. "$(dirname "$0")/../lib.sh"

JANE=(--patient "Jane Doe" --dob 1970-01-01)
mkdir -p "$T/r"
make_pdf "$T/r/report.pdf" "SURGICAL PATHOLOGY REPORT" "Patient: DOE, JANE    DOB: 01/01/1970" \
	"Diagnosis: invasive ductal carcinoma" || notok "a text PDF"

# recpack links no PDF or OCR library: every command starts without loading poppler,
# Tesseract and their kin; the helper links them.
if ldd "$RECPACK" | grep -Eq 'libpoppler|libcairo|libnss3|libtesseract|liblept'; then
	notok "recpack does not link poppler, cairo, NSS, Tesseract or leptonica" \
		"$(ldd "$RECPACK" | grep -E 'poppler|cairo|nss3|tesseract|lept')"
else
	ok "recpack does not link poppler, cairo, NSS, Tesseract or leptonica"
fi
helper=$(dirname "$RECPACK")/recpack-read
case $RECPACK in *-asan) helper=$helper-asan ;; esac
expect_true "the helper recpack-read links poppler and Tesseract" sh -c \
	'ldd "$1" | grep -q libpoppler && ldd "$1" | grep -q libtesseract' sh "$helper"

# Through a symlink in another folder, the helper beside the real binary reads the PDF.
mkdir -p "$T/bin"
ln -s "$RECPACK" "$T/bin/recpack"
expect_exit 1 "check through a symlink runs" "$T/bin/recpack" check --json "${JANE[@]}" pathology="$T/r/report.pdf"
expect_true "through a symlink, the PDF is read: its patient matched" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["documents"][0]
assert d["identity"]["status"] == "matched", d' "$T/out"

# A copy of recpack without its helper: the PDF is named unreadable, saying what to do.
mkdir -p "$T/alone"
cp "$RECPACK" "$T/alone/recpack"
if [ -x /usr/local/libexec/recpack/recpack-read ]; then
	skip "without its helper, a PDF is reported unread" "an installed helper would be found"
else
	expect_exit 1 "check without the helper runs" "$T/alone/recpack" check "${JANE[@]}" pathology="$T/r/report.pdf"
	expect_in "$T/out" "warning unreadable: .*report.pdf cannot be read .*recpack-read.*reinstall recpack" \
		"without its helper, the PDF is reported unread and the message says to reinstall"
	expect_in "$T/out" "patient: unreadable" "without its helper, the PDF's patient is unreadable, not matched"
fi

# A PDF protected by a password: a warning that says so, and the patient unreadable.
if command -v qpdf >/dev/null; then
	qpdf --encrypt secret secret 256 -- "$T/r/report.pdf" "$T/r/locked.pdf"
	expect_exit 1 "check of a PDF with a password runs" "$RECPACK" check "${JANE[@]}" pathology="$T/r/locked.pdf"
	expect_in "$T/out" "warning unreadable: .*locked.pdf cannot be read \\(the PDF is protected by a password\\)" \
		"a PDF with a password is named, with the reason"
else
	skip "a PDF with a password is named" "qpdf is not installed"
fi
