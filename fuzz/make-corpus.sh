#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
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

# Archives: small ZIP, tar.gz, 7z and gzipped ISO of a PDF, and the hostile kinds source_archive.c
# refuses: a "..", a symlink, a name 65 folders deep, ESC and bidi in a name, an archive in
# an archive, and a 16-entry overlapping-entry zip bomb (1 MiB each, Fifield's layout).
mkdir -p $C/archive "$T/arc"
make_pdf "$T/arc/Pathology_Report.pdf" "Pathology report"
python3 - "$T/arc/Pathology_Report.pdf" $C/archive <<'PY'
import io, struct, sys, tarfile, zipfile, zlib
pdf, out = open(sys.argv[1], "rb").read(), sys.argv[2]
def zipped(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for n, d in entries:
            z.writestr(n, d)
    return b.getvalue()
open(f"{out}/plain.zip", "wb").write(zipped([("Pathology_Report.pdf", pdf), ("DICOM/", b"")]))
open(f"{out}/stored.zip", "wb").write(zipped([("a/b/Report.pdf", pdf)], zipfile.ZIP_STORED))
open(f"{out}/dotdot.zip", "wb").write(zipped([("../evil.pdf", pdf)]))
open(f"{out}/deep.zip", "wb").write(zipped([("/".join("d%d" % i for i in range(65)) + "/x.pdf", pdf)]))
open(f"{out}/hostile-names.zip", "wb").write(zipped([("R\x1b[2J\nComplete.pdf", pdf), ("M\u202efdp.exe", pdf)]))
open(f"{out}/nested.zip", "wb").write(zipped([("inner.zip", zipped([("Pathology_Report.pdf", pdf)]))]))
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w:gz") as t:
    i = tarfile.TarInfo("Pathology_Report.pdf"); i.size = len(pdf); t.addfile(i, io.BytesIO(pdf))
    i = tarfile.TarInfo("link"); i.type = tarfile.SYMTYPE; i.linkname = "/etc"; t.addfile(i)
open(f"{out}/symlink.tar.gz", "wb").write(b.getvalue())
# Fifield's overlapping entries, small: each entry's data quotes the next entry's header.
c = zlib.compressobj(9, zlib.DEFLATED, -15); U = 1 << 20
kernel = c.compress(bytes(U)) + c.flush()
def lfh(n, crc, cs, us):
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, cs, us, len(n), 0) + n
names = [b"S%02d.pdf" % i for i in range(16)]
ent = [None] * 16; ent[15] = (0, len(kernel), U)
for i in range(14, -1, -1):
    h = lfh(names[i + 1], *ent[i + 1])
    ent[i] = (0, 5 + len(h) + ent[i + 1][1], len(h) + ent[i + 1][2])
data, offs = b"", []
for i in range(16):
    offs.append(len(data)); data += lfh(names[i], *ent[i])
    if i < 15:
        n = len(lfh(names[i + 1], *ent[i + 1])); data += struct.pack("<BHH", 0, n, n ^ 0xFFFF)
data += kernel; cd = len(data)
for i in range(16):
    data += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *ent[i],
                        len(names[i]), 0, 0, 0, 0, 0, offs[i]) + names[i]
data += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 16, 16, len(data) - cd, cd, 0)
open(f"{out}/overlap-bomb.zip", "wb").write(data)
PY
(cd "$T/arc" && 7z a -bso0 -bsp0 "$OLDPWD/$C/archive/plain.7z" Pathology_Report.pdf)
mkdir -p "$T/arc/iso/DICOM" && cp "$T/arc/Pathology_Report.pdf" "$T/arc/iso/"
xorriso -as mkisofs -quiet -V RECORDS -o "$T/arc/disc.iso" "$T/arc/iso" 2>/dev/null
gzip -9 -n -c "$T/arc/disc.iso" >$C/archive/disc.iso.gz # 370 KB of mostly zeros: small gzipped

# C-CDA: a header with every field the reader takes, one with a DTD, entities and CDATA, a
# name given as text, and a cut file. Made-up people only.
mkdir -p $C/ccda $C/fhir $C/xdm
cat >$C/ccda/pathology.xml <<'E'
<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">
 <realmCode code="US"/>
 <code code="11526-1" codeSystem="2.16.840.1.113883.6.1" displayName="Pathology study"/>
 <title>Surgical Pathology Report</title>
 <effectiveTime value="20240105101500-0500"/>
 <recordTarget><patientRole>
  <id root="2.16.840.1.113883.19.5" extension="00123"/>
  <id root="2.16.840.1.113883.4.1" extension="999-00-0000"/>
  <patient>
   <name use="L"><prefix>Ms.</prefix><given>Alba</given><given>Maria</given><given qualifier="CL">Al</given><family>Testperson</family></name>
   <birthTime value="19700102"/>
  </patient>
 </patientRole></recordTarget>
 <component><structuredBody>
  <component><section><title>Final Diagnosis</title><text>Benign.</text></section></component>
  <component><section><title>Gross Description</title></section></component>
 </structuredBody></component>
</ClinicalDocument>
E
cat >$C/ccda/entities.xml <<'E'
<?xml version="1.0"?>
<!DOCTYPE ClinicalDocument [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY ext SYSTEM "file:///etc/passwd">
]>
<cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3"><cda:code code="&c;"/><cda:title>T &amp; &c;&ext;<![CDATA[ <x> ]]></cda:title>
<cda:recordTarget><cda:patientRole><cda:id extension="&ext;"/><cda:patient><cda:name><cda:family>&c;</cda:family></cda:name></cda:patient></cda:patientRole></cda:recordTarget>
<cda:recordTarget/></cda:ClinicalDocument>
E
printf '<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><patient><name>Ann  Other</name><birthTime value="1960"/></patient></patientRole></recordTarget></ClinicalDocument>' >$C/ccda/text-name.xml
head -c 400 $C/ccda/pathology.xml >$C/ccda/truncated.xml
printf '<ClinicalDocument xmlns="urn:other"><title>not CDA</title></ClinicalDocument>' >$C/ccda/other-namespace.xml

# FHIR: a document Bundle with two patients, a DiagnosticReport, a Patient, broken JSON.
cat >$C/fhir/bundle.json <<'E'
{"resourceType":"Bundle","type":"document","entry":[
 {"resource":{"resourceType":"Composition","title":"Discharge summary","date":"2024-02-01",
  "type":{"coding":[{"system":"http://loinc.org","code":"18842-5"}]},"section":[{"title":"Hospital course"}]}},
 {"resource":{"resourceType":"Patient","name":[{"use":"official","family":"Testperson","given":["Alba","Maria"]}],
  "birthDate":"1970-01-02","identifier":[{"system":"urn:oid:2.16.840.1.113883.19.5","value":"00123"}]}},
 {"resource":{"resourceType":"Patient","name":[{"text":"Ann Other"}],"birthDate":"1960-03-04"}},
 {"resource":{"resourceType":"DiagnosticReport","category":[{"coding":[{"system":"http://loinc.org","code":"LP7839-6"}]}],
  "code":{"text":"Surgical pathology"},"effectiveDateTime":"2024-01-05"}}]}
E
printf '{"resourceType":"DiagnosticReport","category":[{"coding":[{"system":"http://loinc.org","code":"LP29684-5"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"24627-2","display":"CT Chest"}]},"subject":{"display":"Alba Testperson"},"contained":[{"resourceType":"Patient","name":[{"family":["Testperson"],"given":["Alba"]}]}]}\n' >$C/fhir/report.json
printf '{"resourceType":"Patient","name":[{"family":"Testperson","given":["Alba"]}],"name":[{"text":"dup"}]}\n' >$C/fhir/duplicate-key.json
printf '{"resourceType":"Patient","name":[{"family":"Test' >$C/fhir/truncated.json
printf '{"resourceType":"Patient","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n' >$C/fhir/deep.json

# XDM: metadata-rim3.xml and metadata-ebxml21.xml are written by hand (test_xdm reads them
# too) and kept; here only a cut copy of each.
head -c 1500 $C/xdm/metadata-rim3.xml >$C/xdm/truncated-rim3.xml
