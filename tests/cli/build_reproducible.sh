#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# With SOURCE_DATE_EPOCH the same records give a byte-identical packet, whatever --jobs,
# and the bag's dates come from it too; the time zone the build runs in changes nothing.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
for i in 1 2 3 4 5 6 7 8; do make_dicom "$T/rec/series/IM$i" sop=1.2.826.0.1.3680043.8.498.1.2.$i; done
FACTS=(--patient "Jane Doe" --surgery --hospitalized)
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01T00:00:00Z

expect_exit 0 "first build" "$RECPACK" build -q "${FACTS[@]}" -o "$T/a.zip" "$T/rec"
sleep 1.1
expect_exit 0 "second build, later, 1 job" "$RECPACK" build -q "${FACTS[@]}" -j 1 -o "$T/b.zip" "$T/rec"
expect_exit 0 "third build, 4 jobs" "$RECPACK" build -q "${FACTS[@]}" -j 4 -o "$T/c.zip" "$T/rec"
expect_true "same bytes (default jobs vs -j 1)" cmp "$T/a.zip" "$T/b.zip"
expect_true "same bytes (-j 1 vs -j 4)" cmp "$T/b.zip" "$T/c.zip"
expect_true "sidecars agree" test "$(cut -d' ' -f1 "$T/a.zip.sha256")" = "$(cut -d' ' -f1 "$T/b.zip.sha256")"
expect_true "Bagging-Date from SOURCE_DATE_EPOCH" sh -c "unzip -p '$T/a.zip' '*/bag-info.txt' | grep -q '^Bagging-Date: 2026-01-01$'"
expect_true "folder name dated from SOURCE_DATE_EPOCH" sh -c "unzip -Z1 '$T/a.zip' | head -1 | grep -q '^Doe_Jane_2026-01-01_second-opinion/'"
expect_true "entry times from SOURCE_DATE_EPOCH" python3 -c "
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    assert i.date_time[:3] == (2026, 1, 1), i.date_time
" "$T/a.zip"

# libzip writes DOS times in local time: the time zone must not change a byte.
expect_exit 0 "build in New York" env TZ=America/New_York "$RECPACK" build -q "${FACTS[@]}" -o "$T/ny.zip" "$T/rec"
expect_exit 0 "build in Tokyo" env TZ=Asia/Tokyo "$RECPACK" build -q "${FACTS[@]}" -o "$T/tokyo.zip" "$T/rec"
expect_true "same bytes in New York and Tokyo" cmp "$T/ny.zip" "$T/tokyo.zip"
expect_true "same bytes as the build in this zone" cmp "$T/ny.zip" "$T/a.zip"
expect_true "entry times are SOURCE_DATE_EPOCH in UTC, to the second" python3 -c "
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    assert i.date_time == (2026, 1, 1, 0, 0, 0), (i.filename, i.date_time)
" "$T/ny.zip"
expect_exit 0 "build in New York at the epoch" env TZ=America/New_York SOURCE_DATE_EPOCH=0 "$RECPACK" build -q "${FACTS[@]}" -o "$T/ny0.zip" "$T/rec"
expect_true "a time before 1980 becomes 1980-01-01 00:00:00, not 1980-12-31" python3 -c "
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    assert i.date_time == (1980, 1, 1, 0, 0, 0), (i.filename, i.date_time)
" "$T/ny0.zip"
