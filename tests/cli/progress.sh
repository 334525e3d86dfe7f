#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The progress line on a terminal (issue 17): cut to the terminal's width so a refresh never
# wraps onto a new line (80 columns for downloads, 50 for the rest), redrawn at the new width
# after a resize (SIGWINCH); shown by check, build, verify, extract and batch. -o - is refused
# on a terminal and with --json. The terminal is a pseudo-terminal (tests/pty_run.py).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../httpd.sh"
start_httpd
A=http://127.0.0.1:$PORT
PTY="python3 $TOP/tests/pty_run.py"
cd "$T" || exit 1
make_records jane
long=pathology-report-of-the-biopsy-from-the-portal-with-a-long-name
for i in 1 2 3 4; do make_pdf "$WWW/$long-$i.pdf" "Surgical pathology report"; done

# widest.py FILE [MARK]: the widest progress line drawn (a segment between \r and \n, escapes
# removed, that starts as a progress line does) in FILE, after the line MARK when given; and
# how many were drawn.
cat >widest.py <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
if len(sys.argv) > 2:
    data = data.split(sys.argv[2], 1)[1]
segs = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", s) for s in re.split(r"[\r\n]", data)]
segs = [s for s in segs if re.match(r"(Downloading|Reading|Packing|Verifying|Extracting|Batch)\b", s)]
print(max((len(s) for s in segs), default=0), len(segs))
PY

# ---- downloads at 80 columns ----
args=()
for i in 1 2 3 4; do args+=("$A/slow/$long-$i.pdf?delay=1.5"); done
$PTY --cols 80 dl.tty -- "$RECPACK" check -m "$T/m.ini" --no-cache "${args[@]}" >/dev/null
read -r w n < <(python3 widest.py dl.tty)
expect_in dl.tty "Downloading" "a download shows progress on a terminal"
expect_true "at 80 columns the download line stays on one line (widest $w, $n drawn)" test "$w" -le 79
expect_true "the line would be wider than 80 without the cut (the test is real)" python3 -c "
import sys; sys.exit(len('Downloading 1 of 4' + ' | %.24s 100%%' % '$long' * 3 + ' | +1 more') <= 80)"

# ---- a resize: drawn at the new width ----
args=()
for i in 1 2 3 4; do args+=("$A/slow/$long-$i.pdf?delay=3"); done
$PTY --cols 200 --resize-when Downloading --resize-to 50 rs.tty -- "$RECPACK" check -m "$T/m.ini" --no-cache "${args[@]}" >/dev/null
read -r w0 n0 < <(python3 widest.py rs.tty)
read -r w1 n1 < <(python3 widest.py rs.tty -- "--RESIZED--")
expect_true "before the resize the line used the width (widest $w0)" test "$w0" -gt 50
expect_true "after a resize to 50 columns every line fits in 49 (widest $w1, $n1 drawn)" test "$w1" -le 49 -a "$n1" -ge 1

# ---- check, build, verify, extract and batch show progress, each within 50 columns ----
$PTY --cols 50 ck.tty -- "$RECPACK" check --patient "Jane Doe" --surgery --hospitalized jane >/dev/null
expect_in ck.tty "Reading: " "check shows its reading progress"
read -r w n < <(python3 widest.py ck.tty)
expect_true "check's lines fit 50 columns (widest $w)" test "$w" -le 49
$PTY --cols 50 bd.tty -- "$RECPACK" build --patient "Jane Doe" --surgery --hospitalized -o p.zip jane >/dev/null
expect_in bd.tty "Packing: " "build shows its packing progress"
read -r w n < <(python3 widest.py bd.tty)
expect_true "build's lines fit 50 columns (widest $w)" test "$w" -le 49
$PTY --cols 50 vf.tty -- "$RECPACK" verify p.zip >/dev/null
expect_in vf.tty "Verifying: " "verify shows progress"
$PTY --cols 50 ex.tty -- "$RECPACK" extract p.zip -d ex >/dev/null
expect_in ex.tty "Extracting: " "extract shows progress"
printf 'id,name,dob,facts,sources\nb1,Jane Doe,1970-01-01,surgery;hospitalized,jane\n' >r.csv
$PTY --cols 50 bt.tty -- "$RECPACK" batch r.csv -d pk >/dev/null
expect_in bt.tty "Batch: 0 of 1 rows done" "batch shows its rows' progress"
for f in vf ex bt; do
	read -r w n < <(python3 widest.py $f.tty)
	expect_true "$f: lines fit 50 columns (widest $w)" test "$w" -le 49
done
"$RECPACK" verify p.zip 2>vf.pipe >/dev/null
expect_true "no progress when stderr is not a terminal" test ! -s vf.pipe
"$RECPACK" verify --progress=always p.zip 2>vf.always >/dev/null
expect_in vf.always "Verifying: " "--progress=always draws even in a file"
expect_exit 2 "verify --progress takes auto, always or never" "$RECPACK" verify --progress=sometimes p.zip

# ---- -o - on a terminal, and with --json ----
$PTY --cols 80 --stdout-tty o.tty -- "$RECPACK" build --patient "Jane Doe" --surgery --hospitalized -o - jane
rc=$?
expect_true "build -o - with a terminal on standard output exits 2 ($rc)" test "$rc" = 2
expect_in o.tty "is a terminal here" "it says why"
expect_true "no ZIP bytes reached the terminal" sh -c "! grep -q 'PK' o.tty"
expect_exit 2 "build --json -o - is refused" sh -c "'$RECPACK' build --json --patient 'Jane Doe' --surgery --hospitalized -o - jane >p2.zip"
expect_in "$T/err" "--json and -o - would both write to standard output" "it says why"
