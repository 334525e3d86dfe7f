#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Records about a patient extract readable by their owner only: every file entry is stored
# with Unix mode 0600 and every folder has its own entry with mode 0700, which unzip and
# bsdtar apply, even under the common umask 022.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
expect_exit 0 "build" "$RECPACK" build -q --patient "Jane Doe" --surgery --hospitalized -o "$T/p.zip" "$T/rec"

modes() { # modes DIR: "MODE TYPE" for everything under DIR, one per distinct pair
	find "$1" -mindepth 1 -printf '%m %y\n' | sort -u | tr '\n' ' '
}
(umask 022 && unzip -q "$T/p.zip" -d "$T/unzip")
expect_true "unzip under umask 022: files 0600, folders 0700" test "$(modes "$T/unzip")" = "600 f 700 d "
mkdir "$T/bsdtar"
(umask 022 && bsdtar -xf "$T/p.zip" -C "$T/bsdtar")
expect_true "bsdtar under umask 022: files 0600, folders 0700" test "$(modes "$T/bsdtar")" = "600 f 700 d "
expect_true "every file and folder has its entry with a Unix mode" python3 -c "
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
for i in z.infolist():
    assert i.create_system == 3, (i.filename, i.create_system)
    want = 0o40700 if i.is_dir() else 0o100600
    assert i.external_attr >> 16 == want, (i.filename, oct(i.external_attr >> 16))
    parts = i.filename.rstrip('/').split('/')
    for k in range(1, len(parts)):
        assert '/'.join(parts[:k]) + '/' in names, ('no folder entry for', i.filename)
" "$T/p.zip"
expect_true "the packet still verifies" "$RECPACK" verify -q "$T/p.zip"
bag=$(unzip -Z1 "$T/p.zip" | head -1)
expect_true "the extracted folder verifies" "$RECPACK" verify -q "$T/unzip/$bag"
