#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# samples/make-samples.sh [DIR]: regenerate the sample records (default: samples/records).
# One made-up patient, Jane Doe, born 1970-01-01, MRN MRN12345: every name, date and finding
# here is invented. The output is byte-for-byte the same on every run, so the committed files
# can be checked against a fresh copy (tests/cli/samples.sh does).
# Needs bash, perl and dcmtk (dump2dcm, dcmmkdir): `sh scripts/install-deps.sh --test`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/fixtures.sh"
out=${1:-$here/records}

for tool in dump2dcm dcmmkdir perl; do
	command -v "$tool" >/dev/null || { echo "make-samples.sh: $tool is missing: run 'sh scripts/install-deps.sh --test'" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/recpack-samples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
r=$tmp/records
who='Patient: Jane Doe    DOB: 1970-01-01    MRN: MRN12345'
fake='SYNTHETIC SAMPLE RECORD - not a real patient - for trying out recpack'

make_pdf "$r/CT_Chest_Report_2026-03-01.pdf" "Radiology report: CT chest with contrast" \
	"$who" "Exam date: 2026-03-01    Accession: ACC1" \
	"Findings: 2.1 cm spiculated mass, right upper lobe. No pleural effusion." \
	"Impression: suspicious for primary lung malignancy; tissue sampling advised." \
	"$fake"
make_pdf "$r/Surgical_Pathology_Report_2026-03-20.pdf" "Surgical pathology report" \
	"$who" "Specimen: right upper lobe, lobectomy    Received: 2026-03-18" \
	"Diagnosis: invasive adenocarcinoma, acinar predominant, 2.0 cm." \
	"Margins negative. Lymph nodes 0/12. pT1cN0." \
	"$fake"
make_pdf "$r/Operative_Note_2026-03-18.pdf" "Operative note" \
	"$who" "Date of surgery: 2026-03-18" \
	"Procedure: robotic right upper lobectomy with mediastinal lymph node dissection." \
	"Estimated blood loss 50 mL. No complications." \
	"$fake"
make_pdf "$r/Discharge_Summary_2026-03-22.pdf" "Hospital discharge summary" \
	"$who" "Admitted: 2026-03-18    Discharged: 2026-03-22" \
	"Course: uneventful recovery after lobectomy; chest tube removed day 3." \
	"Follow-up: thoracic surgery clinic in 2 weeks; oncology referral." \
	"$fake"
make_pdf "$r/Medication List.pdf" "Current medication list" \
	"$who" "As of 2026-03-25" \
	"Acetaminophen 500 mg by mouth every 6 hours as needed for pain" \
	"Lisinopril 10 mg by mouth once daily" \
	"Allergies: penicillin (rash)" \
	"$fake"
make_pdf "$r/Treatment Plan Summary.pdf" "Treatment plan summary" \
	"$who" "Oncologist: Dr. A. Example    Date: 2026-03-30" \
	"Stage IA3 lung adenocarcinoma, completely resected." \
	"Plan: surveillance CT every 6 months; molecular testing requested." \
	"$fake"
make_cd "$r/CD"

if [ -e "$out" ] && [ -n "$(ls -A "$out")" ] && [ ! -e "$out/CD/DICOMDIR" ]; then
	echo "make-samples.sh: $out is not an earlier set of samples; not replacing it" >&2
	exit 2
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$r" "$out"
echo "sample records written to $out"
