#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# recpack build: documents bigger than the in-memory limit (8 MiB) are deflated in chunks on
# every core and joined into one deflate stream; the packet opens in unzip, 7z and Python's
# zipfile with every byte and CRC right, verifies, and is no bigger than zip -6 makes it.
# RECPACK_SMALL_MAX (internal, tests only) lowers the limit so that small files stream too.
. "$(dirname "$0")/../lib.sh"

make_records "$T/rec" || { notok "fixtures"; exit 1; }
cd "$T" || exit 1
FACTS=(--patient "Jane Doe" --dob 1970-01-01 --surgery --hospitalized)

# A 13 MiB "PDF": text that compresses, noise that does not, and runs of zeros, in turns, so
# chunk boundaries fall in each kind.
python3 - "$T/big.pdf" <<'EOF'
import random, sys
random.seed(20)
with open(sys.argv[1], "wb") as f:
    f.write(b"%PDF-1.4\n")
    for i in range(13):
        kind = i % 3
        if kind == 0:
            f.write((b"Discharge summary, Jane Doe, page %d. " % i) * (1 << 20 // 40) + b"\n" * 2000)
        elif kind == 1:
            f.write(random.randbytes(1 << 20))
        else:
            f.write(bytes(1 << 20))
    f.write(b"\n%%EOF\n")
EOF

check_packet() { # WHAT ZIP
	expect_true "$1: unzip -t accepts the packet" unzip -tq "$2"
	expect_true "$1: 7z t accepts the packet" 7z t "$2"
	expect_true "$1: Python's zipfile reads every entry back with its CRC, big.pdf byte for byte" python3 -c "
import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
big = [i for i in z.infolist() if i.filename.endswith('/big.pdf')]
assert len(big) == 1 and big[0].compress_type == zipfile.ZIP_DEFLATED, big
want = hashlib.sha256(open(sys.argv[2], 'rb').read()).hexdigest()
assert hashlib.sha256(z.read(big[0])).hexdigest() == want
" "$2" "$T/big.pdf"
	expect_exit 0 "$1: recpack verify passes" "$RECPACK" verify "$2"
}

for jobs in 1 2 3; do
	SOURCE_DATE_EPOCH=1767225600 expect_exit 0 "build with a 13 MiB document, -j $jobs" "$RECPACK" build -q "${FACTS[@]}" -j $jobs \
		-o "$T/big$jobs.zip" "$T/rec" "hospital=$T/big.pdf"
done
check_packet "-j 2" "$T/big2.zip"
expect_true "the same packet with 1, 2 and 3 threads" sh -c "cmp '$T/big1.zip' '$T/big2.zip' && cmp '$T/big1.zip' '$T/big3.zip'"

# no bigger than zip -6 makes the same document
zip -6 -q -j "$T/z6.zip" "$T/big.pdf"
csize() { python3 -c "import sys, zipfile; print([i.compress_size for i in zipfile.ZipFile(sys.argv[1]).infolist() if i.filename.endswith('big.pdf')][0])" "$1"; }
expect_true "big.pdf takes no more room than with zip -6 ($(csize "$T/big2.zip") vs $(csize "$T/z6.zip") bytes)" \
	test "$(csize "$T/big2.zip")" -le "$(csize "$T/z6.zip")"

# every payload file streamed, and chunked, at levels 1 and 9, and encrypted
export RECPACK_SMALL_MAX=1000
expect_exit 0 "build with every document streamed (RECPACK_SMALL_MAX=1000)" "$RECPACK" build -q "${FACTS[@]}" \
	-o "$T/all.zip" "$T/rec" "hospital=$T/big.pdf"
check_packet "every document streamed" "$T/all.zip"
expect_exit 0 "the same at --level 9" "$RECPACK" build -q "${FACTS[@]}" --level 9 \
	-o "$T/all9.zip" "$T/rec" "hospital=$T/big.pdf"
check_packet "--level 9" "$T/all9.zip"
expect_exit 0 "the same at --level 0 (stored)" "$RECPACK" build -q "${FACTS[@]}" --level 0 \
	-o "$T/all0.zip" "$T/rec" "hospital=$T/big.pdf"
expect_true "--level 0: unzip -t accepts the packet" unzip -tq "$T/all0.zip"
expect_exit 0 "--level 0: recpack verify passes" "$RECPACK" verify "$T/all0.zip"
unset RECPACK_SMALL_MAX

# encrypted: libzip encrypts the joined stream as it comes (names are hidden: the one file over 8 MiB)
PW="correct horse battery staple"
printf '%s\n' "$PW" >"$T/pw.txt"
expect_exit 0 "build --encrypt with a 13 MiB document" "$RECPACK" build -q --encrypt --password-file "$T/pw.txt" \
	"${FACTS[@]}" -o "$T/enc.zip" "$T/rec" "hospital=$T/big.pdf"
expect_true "7z t with the password accepts the encrypted packet" 7z t -p"$PW" "$T/enc.zip"
expect_true "and big.pdf comes out byte for byte" sh -c "7z x -p'$PW' -o'$T/encx' '$T/enc.zip' >/dev/null && cmp \"\$(find '$T/encx' -type f -size +8M)\" '$T/big.pdf'"
