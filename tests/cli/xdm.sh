#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A portal's IHE XDM download, zipped at test time: IHE_XDM/SUBSET01/METADATA.XML (ebRIM 3.0,
# its size and SHA-1 computed from the document), DOC0001.XML (the C-CDA pathology report of
# fuzz/corpus/ccda), INDEX.HTM linking to it, README.TXT and a stylesheet. It lands whole in
# the packet (INDEX.HTM's link resolves inside the zip, read with Python's zipfile), its
# C-CDA filed as pathology, its furniture never unclassified; another patient's C-CDA or
# metadata is patient-mismatch; a document not as its metadata says is download-mismatch.
. "$(dirname "$0")/../lib.sh"

CCDA=$TOP/fuzz/corpus/ccda/pathology.xml

# js FILE EXPR: jq-free JSON questions (j the document, probs its problems, docs by path inside the zip).
js() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); probs=j["problems"]; docs={d["relpath"].split("/", 1)[-1]: d for d in j["documents"]}; print(eval(sys.argv[2]))' "$@"
}

# make_xdm ZIP CCDA_FAMILY META_FAMILY [HASH_OVERRIDE]: the download, with the C-CDA's and
# the metadata's patient family names as given (Testperson is the patient's own).
make_xdm() {
	python3 - "$CCDA" "$@" <<'EOF'
import hashlib, sys, zipfile
ccda, out, cfam, mfam = sys.argv[1:5]
override = sys.argv[5] if len(sys.argv) > 5 else ""
doc = open(ccda, "rb").read().replace(b"<family>Testperson</family>", ("<family>%s</family>" % cfam).encode())
sha1 = override or hashlib.sha1(doc).hexdigest()
meta = f"""<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
 <rim:RegistryObjectList>
  <rim:ExtrinsicObject id="Document01" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
   <rim:Slot name="creationTime"><rim:ValueList><rim:Value>20240105101500</rim:Value></rim:ValueList></rim:Slot>
   <rim:Slot name="hash"><rim:ValueList><rim:Value>{sha1}</rim:Value></rim:ValueList></rim:Slot>
   <rim:Slot name="size"><rim:ValueList><rim:Value>{len(doc)}</rim:Value></rim:ValueList></rim:Slot>
   <rim:Slot name="sourcePatientInfo"><rim:ValueList>
     <rim:Value>PID-5|{mfam.upper()}^ALBA^M^^</rim:Value>
     <rim:Value>PID-7|19700102</rim:Value>
   </rim:ValueList></rim:Slot>
   <rim:Slot name="URI"><rim:ValueList><rim:Value>DOC0001.XML</rim:Value></rim:ValueList></rim:Slot>
   <rim:Name><rim:LocalizedString value="Surgical pathology report"/></rim:Name>
   <rim:Classification classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983" classifiedObject="Document01" nodeRepresentation="11526-1" id="c2">
    <rim:Slot name="codingScheme"><rim:ValueList><rim:Value>2.16.840.1.113883.6.1</rim:Value></rim:ValueList></rim:Slot>
   </rim:Classification>
  </rim:ExtrinsicObject>
  <rim:RegistryPackage id="SubmissionSet01"/>
 </rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>
"""
index = b'<html><body><h1>Your records</h1><a href="IHE_XDM/SUBSET01/DOC0001.XML">Surgical pathology report</a></body></html>\n'
with zipfile.ZipFile(out, "w") as z:
    z.writestr("INDEX.HTM", index)
    z.writestr("README.TXT", "This media holds health records in the IHE XDM format. Open INDEX.HTM.\n")
    z.writestr("IHE_XDM/SUBSET01/METADATA.XML", meta)
    z.writestr("IHE_XDM/SUBSET01/DOC0001.XML", doc)
    z.writestr("IHE_XDM/SUBSET01/CDA.XSL", '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n')
EOF
}

PT=(--patient "Alba Testperson" --dob 1970-01-02)
make_xdm "$T/download.zip" Testperson Testperson
run "$RECPACK" check --json "${PT[@]}" "$T/download.zip"
cp "$T/out" "$T/ok.json"
expect_true "the download's C-CDA is filed as pathology" \
	test "$(js "$T/ok.json" 'docs["IHE_XDM/SUBSET01/DOC0001.XML"]["category"]')" = pathology
expect_true "pathology is satisfied by the download's one document, its pages not counted" \
	test "$(js "$T/ok.json" '[(c["status"], c["count"]) for c in j["categories"] if c["name"]=="pathology"][0]')" = "('ok', 1)"
expect_true "INDEX.HTM, README.TXT and the stylesheet are kept, not unclassified" \
	test "$(js "$T/ok.json" '[docs[n]["category"] for n in ("INDEX.HTM","README.TXT","IHE_XDM/SUBSET01/CDA.XSL")] + [p["code"] for p in probs if p["code"] in ("unclassified","wrong-type")]')" = "['pathology', 'pathology', 'pathology']"
expect_true "no patient or download problem for the patient's own download" \
	test "$(js "$T/ok.json" '[p["code"] for p in probs if p["code"] in ("patient-mismatch","download-mismatch")]')" = "[]"

expect_exit 0 "build packs the download (other categories allowed missing)" \
	"$RECPACK" build -q --allow-incomplete "${PT[@]}" -o "$T/packet.zip" "$T/download.zip"
run python3 - "$T/packet.zip" <<'EOF'
import posixpath, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
index = [n for n in names if posixpath.basename(n) == "INDEX.HTM"]
for n in index:
    top = posixpath.dirname(n)
    links = re.findall(r'href="([^"]+)"', z.read(n).decode())
    print(n, [posixpath.join(top, l) in names for l in links],
          posixpath.join(top, "IHE_XDM/SUBSET01/METADATA.XML") in names, posixpath.join(top, "README.TXT") in names)
EOF
expect_in "$T/out" '/data/02-pathology/[^ ]*/INDEX\.HTM \[True\] True True$' \
	"the packet keeps the download whole: INDEX.HTM's link resolves, metadata and README beside it"

# Another patient's C-CDA inside the patient's own download: blocked.
make_xdm "$T/other-ccda.zip" Otherperson Testperson
expect_exit 1 "another patient's C-CDA in the download is blocked" \
	"$RECPACK" check --json "${PT[@]}" "$T/other-ccda.zip"
expect_true "patient-mismatch names the C-CDA, blocking" \
	test "$(js "$T/out" '[p["severity"] for p in probs if p["code"]=="patient-mismatch" and "DOC0001.XML" in p["source"]]')" = "['error']"
expect_true "the download's pages alone do not stand in for the pathology report" \
	test "$(js "$T/out" '[c["status"] for c in j["categories"] if c["name"]=="pathology"][0]')" = missing
expect_exit 1 "--allow-incomplete does not pack it" \
	"$RECPACK" build -q --allow-incomplete "${PT[@]}" -o "$T/other.zip" "$T/other-ccda.zip"
expect_true "no packet is written for it" test ! -e "$T/other.zip"

# A download whose metadata names another patient: blocked too, even with no --patient.
make_xdm "$T/other-meta.zip" Testperson Otherperson
expect_exit 1 "metadata naming another patient is blocked" \
	"$RECPACK" check --json "${PT[@]}" "$T/other-meta.zip"
expect_true "patient-mismatch on the metadata" \
	test "$(js "$T/out" '[p["code"] for p in probs if p["code"]=="patient-mismatch" and "METADATA.XML" in p["source"]]')" = "['patient-mismatch']"

# A document not as its metadata says (the SHA-1 of another file): download-mismatch.
make_xdm "$T/bad-hash.zip" Testperson Testperson da39a3ee5e6b4b0d3255bfef95601890afd80709
expect_exit 1 "a document whose SHA-1 differs from the metadata's is blocked" \
	"$RECPACK" check --json "${PT[@]}" "$T/bad-hash.zip"
expect_true "download-mismatch names the document and the SHA-1" \
	test "$(js "$T/out" '[(p["severity"], "SHA-1" in p["message"]) for p in probs if p["code"]=="download-mismatch" and "DOC0001.XML" in p["source"]]')" = "[('error', True)]"
