#!/bin/bash
# fuzz/make-corpus.sh: regenerates the synthetic seed corpora in fuzz/corpus/ (no real patient
# data: the same generators as the tests, dcmtk's dump2dcm and printf). Run by hand when a
# format the targets should know about is added; the output is committed.
set -eu
cd "$(dirname "$0")/.."
. scripts/fixtures.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/recpack-corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT
C=fuzz/corpus
mkdir -p $C/dicom $C/dicomdir $C/sniff $C/manifest $C/roster

# DICOM: the three transfer syntaxes, a DICOMDIR, a header with no preamble, a cut file.
uid=1.2.826.0.1.3680043.8.498.7
make_dicom $C/dicom/ct-explicit-little.dcm sop=$uid.1
make_dicom $C/dicom/ct-implicit-little.dcm sop=$uid.2 xfer=implicit
make_dicom $C/dicom/ct-explicit-big.dcm sop=$uid.3 xfer=big
make_dicom $C/dicom/mr-long-name.dcm sop=$uid.4 modality=MR name='VERYLONGFAMILYNAMEXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX^Y' desc='MRI BRAIN'
make_cd "$T/cd" sop=$uid.5
cp "$T/cd/DICOMDIR" $C/dicom/dicomdir
tail -c +133 $C/dicom/ct-implicit-little.dcm >$C/dicom/no-preamble.dcm
head -c 300 $C/dicom/ct-explicit-little.dcm >$C/dicom/truncated.dcm
cp $C/dicom/dicomdir $C/dicomdir/dcmtk
# Deflated and big-endian data sets, the standard's character-set examples, DICOMDIRs in
# every encoding: written with Debian's pydicom (python3-pydicom).
/usr/bin/python3 fuzz/make-corpus-dicom.py $C

# Sniffer: one small file of each kind it names.
cp $C/dicom/ct-explicit-little.dcm $C/sniff/image.dcm
cp $C/dicom/dicomdir $C/sniff/DICOMDIR
make_pdf $C/sniff/report.pdf "Pathology report"
head -c 200 $C/sniff/report.pdf >$C/sniff/truncated.pdf
printf '<!DOCTYPE html>\n<html><head><title>Visit summary</title></head><body><p>Discharge summary</p></body></html>\n' >$C/sniff/summary.html
printf '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>CCD</title></ClinicalDocument>\n' >$C/sniff/ccda.xml
printf '{"resourceType":"Bundle","type":"document","entry":[]}\n' >$C/sniff/fhir.json
printf 'Medication list\nTamoxifen 20 mg daily\n' >$C/sniff/meds.txt
printf '{\\rtf1\\ansi Operative note\\par}\n' >$C/sniff/note.rtf
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\0\0\0\0:~\233U\0\0\0\nIDATx\234c`\0\0\0\2\0\1H\257\244q\0\0\0\0IEND\256B`\202' >$C/sniff/dot.png
printf '\377\330\377\340\0\20JFIF\0\1\1\0\0\1\0\1\0\0\377\331' >$C/sniff/stub.jpg
printf 'GIF89a\1\0\1\0\0\0\0;' >$C/sniff/stub.gif
printf 'II*\0\10\0\0\0\0\0\0\0' >$C/sniff/stub.tif
(cd "$T" && printf 'a\n' >a.txt && zip -q -X a.zip a.txt && tar --format=ustar -cf a.tar a.txt && gzip -n -c a.txt >a.gz && bzip2 -c a.txt >a.bz2 && xz -c a.txt >a.xz)
cp "$T"/a.zip "$T"/a.tar "$T"/a.gz "$T"/a.bz2 "$T"/a.xz $C/sniff/
: >$C/sniff/empty
# A disc image: its volume descriptor sits at 32769, so keep the first 40000 bytes only.
mkdir -p "$T/iso/DICOM" && cp $C/dicom/ct-explicit-little.dcm "$T/iso/DICOM/IM1"
xorriso -as mkisofs -quiet -V RECORDS -o "$T/disc.iso" "$T/iso" 2>/dev/null
head -c 40000 "$T/disc.iso" >$C/sniff/disc-head.iso

# Manifests: the built-ins, and a few that must be refused.
cp manifests/*.ini $C/manifest/
printf '[manifest]\nname = x\n[a]\nrequired = maybe\n' >$C/manifest/bad-required.ini
printf '[manifest]\nname = x\n[a]\ntitle = A\n[a]\ntitle = again\n' >$C/manifest/twice.ini
printf '[manifest]\nname = x\n[Bad Name]\ntitle = A\n' >$C/manifest/bad-name.ini
printf '[manifest]\nname = x\n[scans]\nrequired = if surgery\nmin = 3\ntypes = dicom pdf\nmatch = *ct* [a-\n' >$C/manifest/if-fact.ini

# Rosters: what spreadsheets export, and a few that must be refused.
printf '\xEF\xBB\xBFID,Name,DOB,pathology\r\np1,"Doe, Jane ""JD""",1970-01-01,"a.pdf;b.pdf"\r\n\r\np2,"Multi\nline",1980-02-02\r\n' >$C/roster/spreadsheet.csv
printf 'id,name,dob,radiology,pathology,manifest\njane-doe,Jane Doe,1970-01-01,/media/cd,path.pdf,breast\njohn-roe,John Roe,1965-12-31,https://portal.example.org/x,,default\n' >$C/roster/batch.csv
printf 'id,name,dob\np1,A,1970-13-01\np1,B,1970-01-01\n' >$C/roster/invalid.csv
printf 'id,name\n"unclosed,x\n' >$C/roster/unclosed.csv
