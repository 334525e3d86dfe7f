#!/usr/bin/python3
# fuzz/make-corpus-dicom.py: synthetic seeds for fuzz_dicom and fuzz_dicomdir that dcmtk's
# dump2dcm cannot write (deflated and big-endian data sets with sequences, the character-set
# examples of PS3.5 annex H/I/J, DICOMDIRs in every encoding), made with Debian's
# python3-pydicom. Run by fuzz/make-corpus.sh; no real patient data.
import os, sys, warnings
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian,
                         DeflatedExplicitVRLittleEndian, generate_uid)
from pydicom.fileset import FileSet
from pydicom import dcmread

warnings.simplefilter('ignore')
out = sys.argv[1]
CT = '1.2.840.10008.5.1.4.1.1.2'
ROOT = '1.2.826.0.1.3680043.8.498.77.'


def image(n, name=b'DOE^JANE', charset=None, ts=ExplicitVRLittleEndian):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CT
    ds.file_meta.MediaStorageSOPInstanceUID = ROOT + str(n)
    ds.file_meta.TransferSyntaxUID = ts
    if charset:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID = CT
    ds.SOPInstanceUID = ROOT + str(n)
    ds.StudyDate = '20260301'
    ds.StudyTime = '120000'
    ds.StudyID = '1'
    ds.SeriesNumber = 1
    ds.InstanceNumber = n
    ds.Modality = 'CT'
    ds.StudyDescription = 'CT CHEST'
    ds.add_new(0x00100010, 'PN', name)
    ds.PatientID = 'MRN%d' % n
    ds.PatientBirthDate = '19700101'
    ds.PatientSex = 'F'
    ds.StudyInstanceUID = ROOT + '1'
    ds.SeriesInstanceUID = ROOT + '1.1'
    item = Dataset()
    item.ReferencedSOPClassUID = CT
    item.ReferencedSOPInstanceUID = ROOT + '99'
    ds.ReferencedImageSequence = Sequence([item])
    ds.Rows = ds.Columns = 2
    ds.BitsAllocated = 16
    ds.PixelData = b'\0' * 8
    ds.is_little_endian = ts != ExplicitVRBigEndian
    ds.is_implicit_VR = ts == ImplicitVRLittleEndian
    return ds


def save(ds, name):
    ds.save_as(os.path.join(out, name), write_like_original=False)


d = os.path.join(out, 'dicom')
save(image(1, ts=DeflatedExplicitVRLittleEndian), 'dicom/deflated.dcm')
save(image(2, ts=ExplicitVRBigEndian), 'dicom/big-endian-sequence.dcm')
save(image(3, b'Buc^J\xe9r\xf4me', 'ISO_IR 100'), 'dicom/charset-latin1.dcm')
save(image(4, b'Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B',
           ['', 'ISO 2022 IR 87']), 'dicom/charset-iso2022-jp.dcm')
save(image(5, b'Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf',
           ['', 'ISO 2022 IR 149']), 'dicom/charset-korean.dcm')
save(image(6, b'Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=', 'GB18030'), 'dicom/charset-gb18030.dcm')
save(image(7, 'Wang^XiaoDong=王^小東='.encode(), 'ISO_IR 192'), 'dicom/charset-utf8.dcm')
# the text decoder alone: character set, NUL, value
for name, cs, raw in [
        ('h32', b'ISO 2022 IR 13\\ISO 2022 IR 87',
         b'\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J'),
        ('jis0212', b'\\ISO 2022 IR 159', b'\x1b$(D\x30\x21\x1b(B'),
        ('gb2312', b'\\ISO 2022 IR 58', b'\x1b$)A\xcd\xf5'),
        ('thai', b'ISO_IR 166', b'\xa1\xa2\xa3')]:
    with open(os.path.join(out, 'dicom', 'text-%s.bin' % name), 'wb') as f:
        f.write(cs + b'\0' + raw)

# DICOMDIRs: one written by pydicom's FileSet, then re-encoded
fs = FileSet()
for n in range(3):
    fs.add(image(10 + n, b'M\xfcller^J\xf6rg', 'ISO_IR 100'))
tmp = os.path.join(out, 'tmp-fileset')
fs.write(tmp)
dd = dcmread(os.path.join(tmp, 'DICOMDIR'))
dd.save_as(os.path.join(out, 'dicomdir', 'explicit'), write_like_original=True)
for name, ts, little, implicit in [('implicit', ImplicitVRLittleEndian, True, True),
                                   ('big-endian', ExplicitVRBigEndian, False, False)]:
    dd.file_meta.TransferSyntaxUID = ts
    dd.is_little_endian, dd.is_implicit_VR = little, implicit
    dd.save_as(os.path.join(out, 'dicomdir', name), write_like_original=False)
for root, dirs, files in os.walk(tmp, topdown=False):
    for f in files:
        os.remove(os.path.join(root, f))
    for x in dirs:
        os.rmdir(os.path.join(root, x))
os.rmdir(tmp)
