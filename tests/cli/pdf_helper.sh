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
ocr_helper=$(dirname "$RECPACK")/recpack-ocr
case $RECPACK in *-asan) helper=$helper-asan ocr_helper=$ocr_helper-asan ;; esac
expect_true "the PDF helper recpack-read links poppler, not Tesseract (it starts with every check)" sh -c \
	'ldd "$1" | grep -q libpoppler && ! ldd "$1" | grep -Eq "libtesseract|liblept"' sh "$helper"
expect_true "the OCR helper recpack-ocr links poppler and Tesseract" sh -c \
	'ldd "$1" | grep -q libpoppler && ldd "$1" | grep -q libtesseract' sh "$ocr_helper"

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

# recpack and the PDF helper without the OCR helper: a text PDF is read; a scan is named
# unread, saying what to do.
if [ -x /usr/local/libexec/recpack/recpack-ocr ]; then
	skip "without the OCR helper, a scan is reported unread" "an installed helper would be found"
elif command -v gs >/dev/null && command -v img2pdf >/dev/null; then
	mkdir -p "$T/noocr" "$T/s"
	cp "$RECPACK" "$T/noocr/recpack"
	cp "$helper" "$T/noocr/$(basename "$helper")"
	{ gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r100 -o "$T/s/page.png" "$T/r/report.pdf" &&
		img2pdf -o "$T/s/scan.pdf" "$T/s/page.png"; } || notok "an image-only PDF made with ghostscript and img2pdf"
	expect_exit 1 "check without the OCR helper runs" "$T/noocr/recpack" check "${JANE[@]}" \
		pathology="$T/r/report.pdf" pathology="$T/s/scan.pdf"
	expect_in "$T/out" "warning unreadable: .*scan.pdf cannot be read .*recpack-ocr.*scans and photos.*reinstall recpack" \
		"without the OCR helper, the scan is reported unread and the message says to reinstall"
	expect_not_in "$T/out" "report.pdf cannot be read" "without the OCR helper, the text PDF is still read"
else
	skip "without the OCR helper, a scan is reported unread" "ghostscript or img2pdf is not installed"
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
