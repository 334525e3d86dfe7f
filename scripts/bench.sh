#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/bench.sh: what `make bench` runs (issue 8). Times recpack against what a user would do
# by hand on a synthetic corpus (scripts/bench-corpus.sh), median of BENCH_RUNS runs (default
# 3), with peak RSS from /usr/bin/time, then prints PASS/FAIL/SKIP for each target of issue 8,
# every ratio measured in this same run. Rows whose recpack command does not exist yet print
# SKIP. Output is also kept in bench/results-SIZE.txt. The shapes of records of issue 20 (many
# small files, one big file, extract and list of the small files, verify) are timed against a limit
# measured in the same run (scripts/bench-limit.c); BENCH_SIZE=large makes them 100,000 files
# and a file sized to the free disk (up to 4.3 GB).
#   BENCH_SIZE=normal|large   the 315 MB corpus, or the 4x one (default normal)
#   BENCH_STRICT=1            exit 1 when a target FAILs (default: report only)
#   BENCH_RUNS=N              runs per row (default 3); RECPACK=PATH: the recpack to time
# Never part of `make check`: it takes minutes and its verdicts depend on the machine.
set -euo pipefail
case ${RECPACK:-} in */*) RECPACK=$(realpath -- "$RECPACK") ;; esac # the bench changes directory
cd "$(dirname "$0")/.."
TOP=$PWD
SIZE=${BENCH_SIZE:-normal}
BENCH=${BENCH_DIR:-$TOP/bench}
RECPACK=${RECPACK:-$TOP/recpack}
RUNS=${BENCH_RUNS:-3}
CORES=$(nproc)
PATIENT=(--patient "Jane Doe" --dob 1970-01-01 --mrn MRN12345 --surgery --hospitalized)
export NO_COLOR=1
unset SOURCE_DATE_EPOCH RECPACK_PASSWORD RECPACK_BEARER_TOKEN

case $SIZE in normal | large) ;; *)
	echo "bench: BENCH_SIZE must be normal or large, not '$SIZE'" >&2
	exit 2
	;;
esac
for tool in /usr/bin/time zip 7z bsdtar curl python3 sha256sum dcmmkdir cc; do
	command -v "$tool" >/dev/null || {
		echo "bench: $tool is missing; run 'make test-deps' first" >&2
		exit 2
	}
done
[ -x "$RECPACK" ] || {
	echo "bench: $RECPACK is not built; run 'make' first" >&2
	exit 2
}

mkdir -p "$BENCH"
if [ -z "${BENCH_TEED:-}" ]; then # run again with the output copied to the results file
	BENCH_TEED=1 bash "$TOP/scripts/bench.sh" "$@" 2>&1 | tee "$BENCH/results-$SIZE.txt"
	exit "${PIPESTATUS[0]}"
fi
corpus=$(scripts/bench-corpus.sh "$SIZE")
[ "$SIZE" = large ] && normal_corpus=$(scripts/bench-corpus.sh normal)
cd "$BENCH"
corpus=$(basename "$corpus") # relative names, so every archive holds corpus-SIZE/...
OUT=$BENCH/out
rm -rf "$OUT"
mkdir -p "$OUT"

declare -A T RSS BYTES RC NOTE # per row: median ms, peak KiB, output bytes, exit status, SKIP/FAIL reason

# measure KEY SETUP CMD...: runs SETUP (untimed) then CMD, RUNS times; T[KEY] is the median wall
# time in ms, RSS[KEY] the highest peak RSS in KiB (/usr/bin/time counts the process tree's
# largest member), RC[KEY] the exit status of the last run. Stops at the first run whose status
# is not in OKRC (default "0").
measure() {
	local key=$1 setup=$2 i start end rc
	shift 2
	local ms=()
	RSS[$key]=0
	for ((i = 0; i < RUNS; i++)); do
		eval "$setup"
		start=$(date +%s%N)
		rc=0
		/usr/bin/time -f %M -o "$OUT/$key.time" "$@" >"$OUT/$key.log" 2>&1 || rc=$?
		end=$(date +%s%N)
		RC[$key]=$rc
		case " ${OKRC:-0} " in *" $rc "*) ;; *) return 0 ;; esac
		ms+=($(((end - start) / 1000000)))
		local kib
		kib=$(tail -n 1 "$OUT/$key.time")
		[ "$kib" -gt "${RSS[$key]}" ] && RSS[$key]=$kib
	done
	T[$key]=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
}

sec() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }
mb() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1e6 }'; }
mib() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
warm() { find "$@" -type f -print0 | xargs -0 cat >/dev/null; }

# The bytes a process tree read, from /proc/PID/io once it has exited: waitid(WNOWAIT) leaves the
# child a zombie whose counters are still readable (and include its reaped children), then it is
# reaped. rchar counts every byte read() returned, page cache or not.
PROCIO='
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
with open("/proc/%d/io" % pid) as f:
    io = dict(l.split(": ") for l in f.read().splitlines())
with open(sys.argv[1], "w") as f:
    f.write(io["rchar"] + "\n")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
'

# Sums the bytes that read()-family calls returned, and the lengths mmap()ed, for files under
# ROOT, from strace -ff -y logs (one per thread, so no call is split across lines).
INPUTREAD='
import os, re, sys
root = os.path.realpath(sys.argv[1]) + "/"
rd = re.compile(r"^(?:read|pread64|readv|preadv|preadv2)\(\d+<(.*?)>, .*\) = (\d+)$")
mm = re.compile(r"^mmap\([^,]*, (\d+), [^,]*, [^,]*, \d+<(.*?)>, \w+\) = 0x")
total = 0
for log in sys.argv[2:]:
    with open(log, errors="replace") as f:
        for line in f:
            m = rd.match(line)
            if m and m.group(1).startswith(root):
                total += int(m.group(2))
            m = mm.match(line)
            if m and m.group(2).startswith(root):
                total += int(m.group(1))
print(total)
'

# A portal stand-in: serves DIR's files, each response 300 ms late, logs one line per GET.
SERVER='
import http.server, os, sys, time
root, portfile, log = sys.argv[1:4]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        time.sleep(0.3)
        with open(log, "a") as f:
            f.write("GET %s\n" % self.path)
        path = os.path.join(root, os.path.basename(self.path))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Disposition", "attachment; filename=\"%s\"" % os.path.basename(path))
        self.end_headers()
        self.wfile.write(body)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
'

have_build=0
"$RECPACK" build --help >/dev/null 2>&1 && have_build=1
input_bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
input_files=$(find "$corpus" -type f | wc -l)
echo "recpack bench: corpus $corpus, $input_files files, $(mb "$input_bytes") MB; $CORES cores; median of $RUNS runs"
echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
warm "$corpus"

# ---- packets ----
build_row() { # KEY OUTPUT CORPUS [EXTRA OPTION...]
	local key=$1 zipf=$2 dir=$3
	shift 3
	if [ "$have_build" -eq 0 ]; then
		NOTE[$key]="SKIP (recpack build not available)"
		return
	fi
	measure "$key" "rm -f '$OUT/$zipf' '$OUT/$zipf.sha256'" \
		"$RECPACK" build -q "${PATIENT[@]}" "$@" -o "$OUT/$zipf" "$dir"
	if [ "${RC[$key]}" -ne 0 ]; then
		NOTE[$key]="FAIL (recpack build exited ${RC[$key]}: $(head -c 200 "$OUT/$key.log" | tr '\n' ' '))"
	else
		BYTES[$key]=$(stat -c %s "$OUT/$zipf")
	fi
}
tool_row() { # KEY OUTPUT SETUP CMD...
	local key=$1 zipf=$2 setup=$3
	shift 3
	measure "$key" "rm -f '$OUT/$zipf'; $setup" "$@"
	if [ "${RC[$key]}" -ne 0 ]; then
		NOTE[$key]="FAIL ($1 exited ${RC[$key]})"
	else
		BYTES[$key]=$(stat -c %s "$OUT/$zipf")
	fi
}

build_row rp recpack.zip "$corpus"
build_row rp0 recpack-level0.zip "$corpus" --level 0
tool_row hand hand.zip "rm -f '$OUT/SHA256SUMS'" bash -c '
	find "$1" -type f -print0 | xargs -0 sha256sum >"$2/SHA256SUMS" &&
	zip -r -X -6 -q "$2/hand.zip" "$1" && zip -j -X -q "$2/hand.zip" "$2/SHA256SUMS"' hand "$corpus" "$OUT"
tool_row 7z 7z.zip "" 7z a -tzip -mx=5 "-mmt=$CORES" -bso0 -bsp0 "$OUT/7z.zip" "$corpus"
tool_row zip0 zip0.zip "" zip -r -X -0 -q "$OUT/zip0.zip" "$corpus"
tool_row bsdtar bsdtar.zip "" bsdtar --format zip -cf "$OUT/bsdtar.zip" "$corpus"

echo
printf '%-40s %9s %12s %10s %11s\n' "packet of $corpus" "time (s)" "size (MB)" "peak RSS" "× recpack"
for key in rp rp0 hand 7z zip0 bsdtar; do
	case $key in
	rp) label="recpack build" ;;
	rp0) label="recpack build --level 0" ;;
	hand) label="find|xargs sha256sum; zip -r -X -6" ;;
	7z) label="7z a -tzip -mx=5 -mmt=$CORES" ;;
	zip0) label="zip -r -X -0" ;;
	bsdtar) label="bsdtar --format zip" ;;
	esac
	if [ -n "${NOTE[$key]:-}" ]; then
		printf '%-40s %s\n' "$label" "${NOTE[$key]}"
		continue
	fi
	x=-
	[ -n "${T[rp]:-}" ] && x=$(ratio "${T[$key]}" "${T[rp]}")
	printf '%-40s %9s %12s %6s MiB %11s\n' "$label" "$(sec "${T[$key]}")" "$(mb "${BYTES[$key]}")" \
		"$(mib "${RSS[$key]}")" "$x"
done

# ---- check against sha256sum on the same files ----
measure chk "" "$RECPACK" check -q "${PATIENT[@]}" "$corpus"
[ "${RC[chk]}" -ne 0 ] && NOTE[chk]="FAIL (recpack check exited ${RC[chk]}: $(head -c 200 "$OUT/chk.log" | tr '\n' ' '))"
measure sha "" bash -c 'find "$1" -type f -print0 | xargs -0 sha256sum >/dev/null' sha "$corpus"
echo
echo "checking the same $input_files files"
for key in chk sha; do
	label="recpack check"
	[ $key = sha ] && label="find|xargs sha256sum"
	if [ -n "${NOTE[$key]:-}" ]; then
		printf '%-40s %s\n' "$label" "${NOTE[$key]}"
	else
		printf '%-40s %9s %19s MiB\n' "$label" "$(sec "${T[$key]}")" "$(mib "${RSS[$key]}")"
	fi
done

# ---- reading what 200 text PDFs say (issue 15): check against a pdftotext loop ----
pdfdir=$OUT/pdfs
if command -v pdftotext >/dev/null 2>&1; then
	if [ ! -d "$pdfdir" ]; then (
		. "$TOP/scripts/fixtures.sh"
		for i in $(seq -w 1 200); do
			case $((10#$i % 4)) in
			0) t="SURGICAL PATHOLOGY REPORT" ;; 1) t="OPERATIVE REPORT" ;;
			2) t="DISCHARGE SUMMARY" ;; *) t="MEDICATION LIST" ;;
			esac
			make_pdf "$pdfdir/scan$i.pdf" "$t" "Patient: DOE, JANE    DOB: 01/01/1970    MRN: MRN12345" \
				"Date of Service: 2026-03-$((10#$i % 28 + 1))" "Findings and plan for page $i of the records."
		done
	) fi
	warm "$pdfdir"
	OKRC="0 1" measure pdfchk "" "$RECPACK" check -q "${PATIENT[@]}" "$pdfdir"
	measure pdftt "" bash -c 'for f in "$1"/*.pdf; do pdftotext -l 3 "$f" - >/dev/null || exit 1; done' pdftt "$pdfdir"
else
	NOTE[pdfchk]="SKIP (pdftotext not installed)"
fi
echo
echo "reading what 200 text PDFs say"
for key in pdfchk pdftt; do
	label="recpack check (titles, patients)"
	[ $key = pdftt ] && label="pdftotext -l 3, one per file"
	if [ -n "${NOTE[$key]:-}" ]; then
		printf '%-40s %s\n' "$label" "${NOTE[$key]}"
	elif [ -n "${T[$key]:-}" ]; then
		printf '%-40s %9s %19s MiB\n' "$label" "$(sec "${T[$key]}")" "$(mib "${RSS[$key]}")"
	fi
done

# ---- reading 20 scanned pages (issue 19): check against a pdftoppm | tesseract loop ----
# Image-only PDFs made here: a report's text rendered to a 200 dpi grey image (enscript,
# Ghostscript) and wrapped in a PDF with no text layer (img2pdf), as a scanner or fax makes.
ocrdir=$OUT/scans
if command -v tesseract >/dev/null && command -v img2pdf >/dev/null && command -v pdftoppm >/dev/null &&
	command -v enscript >/dev/null && command -v gs >/dev/null; then
	if [ ! -d "$ocrdir" ]; then (
		mkdir -p "$ocrdir"
		for i in $(seq -w 1 20); do
			case $((10#$i % 4)) in
			0) t="SURGICAL PATHOLOGY REPORT" ;; 1) t="OPERATIVE REPORT" ;;
			2) t="DISCHARGE SUMMARY" ;; *) t="MEDICATION LIST" ;;
			esac
			printf '%s\n' "$t" "" "Patient: DOE, JANE      DOB: 01/01/1970      MRN: MRN12345" \
				"Date of Service: 2026-03-$((10#$i % 28 + 1))" "" "Findings and plan for page $i of the records." \
				"The patient was seen in clinic and the findings were reviewed with her." |
				enscript -q -B -f Courier12 -o "$ocrdir/p.ps"
			gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r200 -o "$ocrdir/p.png" "$ocrdir/p.ps"
			img2pdf -o "$ocrdir/fax$i.pdf" "$ocrdir/p.png"
		done
		rm -f "$ocrdir/p.ps" "$ocrdir/p.png"
	) fi
	warm "$ocrdir"
	OKRC="0 1" measure ocrchk "" "$RECPACK" check -q "${PATIENT[@]}" "$ocrdir"
	measure ocrtess "" bash -c 'for f in "$1"/*.pdf; do
		pdftoppm -r 300 -gray -l 3 "$f" | tesseract - - >/dev/null 2>&1 || exit 1; done' ocrtess "$ocrdir"
else
	NOTE[ocrchk]="SKIP (tesseract, img2pdf, pdftoppm, enscript or gs not installed)"
fi
echo
echo "reading 20 scanned pages (OCR)"
for key in ocrchk ocrtess; do
	label="recpack check (OCR in recpack-ocr)"
	[ $key = ocrtess ] && label="pdftoppm -r 300 | tesseract, per file"
	if [ -n "${NOTE[$key]:-}" ]; then
		printf '%-40s %s\n' "$label" "${NOTE[$key]}"
	elif [ -n "${T[$key]:-}" ]; then
		printf '%-40s %9s %19s MiB\n' "$label" "$(sec "${T[$key]}")" "$(mib "${RSS[$key]}")"
	fi
done

# ---- bytes read from the inputs ----
# Two counters, one run each. rchar (PROCIO) is every byte the process tree read, the packet
# read back included; the target uses the bytes read from the input files themselves, from
# strace (INPUTREAD), and falls back to rchar where strace cannot run.
echo
input_read() { # KEY CMD...: runs CMD twice, prints "RCHAR INPUTBYTES" (INPUTBYTES "-" without
	local key=$1 rchar inb=- # strace); eval's $CLEAN before each run
	shift
	eval "${CLEAN:-}"
	python3 -c "$PROCIO" "$OUT/$key.rchar" "$@" >/dev/null 2>"$OUT/$key.io.err" || return 1
	rchar=$(cat "$OUT/$key.rchar")
	rm -rf "$OUT/strace"
	mkdir -p "$OUT/strace"
	eval "${CLEAN:-}"
	if command -v strace >/dev/null && strace -f -ff -qq -y -s 0 -o "$OUT/strace/t" \
		-e trace=read,pread64,readv,preadv,preadv2,mmap "$@" >/dev/null 2>"$OUT/$key.strace.err"; then
		inb=$(python3 -c "$INPUTREAD" "$BENCH/$corpus" "$OUT/strace"/t.*)
	fi
	rm -rf "$OUT/strace"
	echo "$rchar $inb"
}
report_read() { # WHAT RCHAR INPUTBYTES
	local line="bytes read by $1: $2 in all ($(ratio "$2" "$input_bytes") × the $input_bytes input bytes)"
	[ "$3" != - ] && line="$line, $3 from the inputs ($(ratio "$3" "$input_bytes") ×)"
	echo "$line"
}
if [ -z "${NOTE[chk]:-}" ] && io=$(input_read chkio "$RECPACK" check -q "${PATIENT[@]}" "$corpus"); then
	report_read "recpack check" $io
fi
if [ "$have_build" -eq 1 ] && [ -z "${NOTE[rp]:-}" ]; then
	if io=$(CLEAN="rm -f '$OUT/io.zip' '$OUT/io.zip.sha256'" input_read rpio \
		"$RECPACK" build -q "${PATIENT[@]}" -o "$OUT/io.zip" "$corpus"); then
		report_read "recpack build" $io
		read -r rchar inb <<<"$io"
		BYTES[rpio]=$inb
		[ "$inb" = - ] && BYTES[rpio]=$rchar NOTE[rpio_how]="rchar: strace could not run"
	else
		NOTE[rpio]="FAIL (recpack build failed under the byte counter)"
	fi
	rm -f "$OUT/io.zip" "$OUT/io.zip.sha256"
else
	NOTE[rpio]="SKIP (recpack build not available)"
	[ "$have_build" -eq 1 ] && NOTE[rpio]="FAIL (recpack build failed)"
	echo "bytes read by recpack build: ${NOTE[rpio]}"
fi

# ---- peak memory on the 300 MB corpus, when this run is the large one ----
if [ "$SIZE" = large ]; then
	normal_corpus=$(basename "$normal_corpus")
	warm "$normal_corpus"
	build_row rpn recpack-normal.zip "$normal_corpus"
	if [ -z "${NOTE[rpn]:-}" ]; then
		echo "recpack build on $normal_corpus: $(sec "${T[rpn]}") s, peak RSS $(mib "${RSS[rpn]}") MiB"
	fi
fi

# ---- portal fetching: 30 documents, 300 ms per response ----
portal=$BENCH/portal
if [ ! -f "$portal/.done" ]; then
	rm -rf "$portal"
	(
		. "$TOP/scripts/fixtures.sh"
		kinds=(Surgical_Pathology_Report Operative_Note Discharge_Summary Medication_List Treatment_Plan_Summary CT_Chest_Report)
		for i in $(seq 1 30); do
			k=${kinds[$((i % 6))]}
			make_pdf "$portal/${k}_$i.pdf" "${k//_/ } $i" "Portal document $i of 30 for Jane Doe." \
				"$(printf 'Findings and plan, paragraph %d. %.0s' $(seq 1 40))"
		done
	)
	touch "$portal/.done"
fi
mapfile -t docs < <(cd "$portal" && ls -- *.pdf)
rm -f "$OUT/port" "$OUT/gets"
touch "$OUT/gets"
python3 -c "$SERVER" "$portal" "$OUT/port" "$OUT/gets" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	[ -f "$OUT/port" ] && break
	sleep 0.1
done
port=$(cat "$OUT/port")
urls=()
for d in "${docs[@]}"; do urls+=("http://127.0.0.1:$port/records/$d"); done
gets() { wc -l <"$OUT/gets"; }

before=$(gets)
OKRC="0 1" measure portrp "" "$RECPACK" check -q --no-cache "${urls[@]}"
fetched=$(($(gets) - before))
if [ "$fetched" -eq 0 ]; then
	NOTE[portrp]="SKIP (recpack cannot fetch URLs yet: exit ${RC[portrp]}, no request reached the server)"
elif [ "${RC[portrp]}" -gt 1 ] || [ "$fetched" -lt "${#urls[@]}" ]; then
	NOTE[portrp]="FAIL (recpack check exited ${RC[portrp]}, $fetched requests for ${#urls[@]} documents)"
fi
before=$(gets)
measure portcurl "rm -rf '$OUT/curl'; mkdir -p '$OUT/curl'" \
	curl -sS --fail --parallel --parallel-max 6 --output-dir "$OUT/curl" --remote-name-all "${urls[@]}"
[ "${RC[portcurl]}" -ne 0 ] && NOTE[portcurl]="FAIL (curl exited ${RC[portcurl]})"
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
trap - EXIT

echo
echo "fetching ${#urls[@]} documents, 300 ms per response"
for key in portrp portcurl; do
	label="recpack check URL..."
	[ $key = portcurl ] && label="curl --parallel --parallel-max 6"
	if [ -n "${NOTE[$key]:-}" ]; then
		printf '%-40s %s\n' "$label" "${NOTE[$key]}"
	else
		printf '%-40s %9s\n' "$label" "$(sec "${T[$key]}")"
	fi
done

# ---- shapes of records (issue 20): many small files, one big file; extract and list ----
# Each build is held to a limit measured in this run: scripts/bench-limit.c reads every file,
# hashes it (OpenSSL SHA-256) and deflates it (libdeflate level 1) on every core, writing
# nothing. normal: 10,000 small files and a 1 GB file; large: 100,000 and one as big as the
# free disk allows (up to 4.3 GB, the most a DICOM Pixel Data length can say).
LIMIT=$BENCH/bench-limit
cc -O2 -o "$LIMIT" "$TOP/scripts/bench-limit.c" $(pkg-config --cflags --libs libdeflate libcrypto) -lpthread
small_n=10000 frames=2000
if [ "$SIZE" = large ]; then
	small_n=100000
	free_kib=$(df -Pk "$BENCH" | awk 'NR == 2 { print $4 }')
	frames=$((free_kib / 4 / 512)) # the file, its packet and zip's, with room to spare
	[ "$frames" -gt 8191 ] && frames=8191
fi
gen_small() { # N: bench/small-N, made once
	local dir=$BENCH/small-$1
	if [ ! -f "$dir.stamp" ]; then
		rm -rf "$dir"
		python3 "$TOP/scripts/bench-small.py" "$dir" "$1"
		touch "$dir.stamp"
	fi
	find "$dir" -type f >"$dir.list"
}
gen_small 1000
gen_small "$small_n"
bigdir=$BENCH/big-$frames
if [ ! -f "$bigdir.stamp" ]; then
	rm -rf "$BENCH"/big-*
	mkdir -p "$bigdir"
	python3 "$TOP/scripts/bench-big.py" "$corpus/CD/DICOM/ST1/SE1" "$frames" "$bigdir/ct.dcm"
	touch "$bigdir.stamp"
fi
find "$bigdir" -type f >"$bigdir.list"
big_bytes=$(stat -c %s "$bigdir/ct.dcm")
small_bytes=$(awk '{ print }' "$BENCH/small-$small_n.list" | xargs stat -c %s | awk '{ s += $1 } END { print s }')
warm "$BENCH/small-1000" "$BENCH/small-$small_n" "$bigdir"

shape_build() { # KEY DIR ZIP
	measure "$1" "rm -f '$OUT/$3' '$OUT/$3.sha256'" "$RECPACK" build -q "${PATIENT[@]}" --allow-incomplete -o "$OUT/$3" "$2"
	if [ "${RC[$1]}" -ne 0 ]; then
		NOTE[$1]="FAIL (recpack build exited ${RC[$1]}: $(head -c 200 "$OUT/$1.log" | tr '\n' ' '))"
	else
		BYTES[$1]=$(stat -c %s "$OUT/$3")
	fi
}
shape_build s1k "$BENCH/small-1000" small1k.zip
shape_build sN "$BENCH/small-$small_n" smallN.zip
measure sNlim "" "$LIMIT" "$BENCH/small-$small_n.list"
shape_build big "$bigdir" big.zip
measure biglim "" "$LIMIT" "$bigdir.list"
RUNS=1 tool_row bigzip bigzip.zip "" zip -X -6 -q -j "$OUT/bigzip.zip" "$bigdir/ct.dcm"
if [ -z "${NOTE[sN]:-}" ] && [ -z "${NOTE[s1k]:-}" ]; then
	measure xN "rm -rf '$OUT/xN'" "$RECPACK" extract "$OUT/smallN.zip" -d "$OUT/xN"
	measure x1k "rm -rf '$OUT/x1k'" "$RECPACK" extract "$OUT/small1k.zip" -d "$OUT/x1k"
	measure unzipN "rm -rf '$OUT/unzipN'" unzip -q "$OUT/smallN.zip" -d "$OUT/unzipN"
	measure lN "" "$RECPACK" list "$OUT/smallN.zip"
	measure l1k "" "$RECPACK" list "$OUT/small1k.zip"
	for k in xN x1k unzipN lN l1k; do
		[ "${RC[$k]}" -ne 0 ] && NOTE[$k]="FAIL ($k exited ${RC[$k]}: $(head -c 200 "$OUT/$k.log" | tr '\n' ' '))"
	done
	rm -rf "$OUT/xN" "$OUT/x1k" "$OUT/unzipN"
else
	for k in xN x1k unzipN lN l1k; do NOTE[$k]="FAIL (no packet of small files to read)"; done
fi

# verify of the bench packet against what a receiver does by hand: unzip it (untimed), then
# sha256sum -c its manifest in the bag (timed).
if [ -z "${NOTE[rp]:-}" ] && [ -f "$OUT/recpack.zip" ]; then
	measure vrp "" "$RECPACK" verify -q "$OUT/recpack.zip"
	[ "${RC[vrp]}" -ne 0 ] && NOTE[vrp]="FAIL (recpack verify exited ${RC[vrp]}: $(head -c 200 "$OUT/vrp.log" | tr '\n' ' '))"
	rm -rf "$OUT/vunzip"
	if unzip -q "$OUT/recpack.zip" -d "$OUT/vunzip"; then
		vbag=$(find "$OUT/vunzip" -mindepth 2 -maxdepth 2 -name manifest-sha256.txt -printf '%h\n' | head -n 1)
		measure vsha "" bash -c 'cd "$1" && sha256sum -c --quiet manifest-sha256.txt' vsha "$vbag"
		[ "${RC[vsha]}" -ne 0 ] && NOTE[vsha]="FAIL (sha256sum -c exited ${RC[vsha]})"
	else
		NOTE[vsha]="FAIL (unzip of the bench packet failed)"
	fi
	rm -rf "$OUT/vunzip"
else
	NOTE[vrp]="FAIL (no bench packet to verify)" NOTE[vsha]="FAIL (no bench packet to verify)"
fi

echo
printf '%-52s %9s %12s %10s\n' "shapes of records (issue 20)" "time (s)" "size (MB)" "peak RSS"
shape_line() { # KEY LABEL
	if [ -n "${NOTE[$1]:-}" ]; then
		printf '%-52s %s\n' "$2" "${NOTE[$1]}"
	elif [ -n "${T[$1]:-}" ]; then
		printf '%-52s %9s %12s %6s MiB\n' "$2" "$(sec "${T[$1]}")" "$( [ -n "${BYTES[$1]:-}" ] && mb "${BYTES[$1]}" || echo -)" \
			"$(mib "${RSS[$1]}")"
	fi
}
shape_line s1k "recpack build, 1,000 small files"
shape_line sN "recpack build, $small_n small files ($(mb "$small_bytes") MB)"
shape_line sNlim "  limit: read + SHA-256 + deflate -1, $CORES cores"
shape_line big "recpack build, one $(mb "$big_bytes") MB file"
shape_line biglim "  limit: read + SHA-256 + deflate -1, $CORES cores"
shape_line bigzip "  zip -6 of the same file (one run)"
shape_line xN "recpack extract, $small_n files"
shape_line unzipN "  unzip -q of the same packet"
shape_line x1k "recpack extract, 1,000 files"
shape_line lN "recpack list, $small_n files"
shape_line l1k "recpack list, 1,000 files"
shape_line vrp "recpack verify of the bench packet ($input_files files)"
shape_line vsha "  sha256sum -c of it, after unzip"

# ---- targets (issue 8, item 3) ----
pass=0 fail=0 skip=0
verdict() { # NAME OK(1/0/skip) DETAIL
	local v
	case $2 in
	1) v=PASS pass=$((pass + 1)) ;;
	0) v=FAIL fail=$((fail + 1)) ;;
	*) v=SKIP skip=$((skip + 1)) ;;
	esac
	printf '%-4s  %s: %s\n' "$v" "$1" "$3"
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
# within NUM DEN LIMIT: 1 when NUM/DEN <= LIMIT, on the exact values (a ratio shown as 1.10
# may be 1.104); q NUM DEN: the ratio as the verdicts show it, to 3 decimals.
within() { awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { print (b > 0 && a <= b * l) ? 1 : 0 }'; }
q() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
# target NAME LIMIT NUM DEN [NUM2 DEN2 LIMIT2]: PASS when NUM/DEN <= LIMIT; SKIP when a row is missing.
row_ok() { for k; do [ -z "${NOTE[$k]:-}" ] && [ -n "${T[$k]:-}" ] || return 1; done; }
row_why() { for k; do [ -n "${NOTE[$k]:-}" ] && { echo "${NOTE[$k]}"; return; }; done; echo "no timing"; }
time_target() { # NAME LIMIT KEY REFKEY
	if row_ok "$3" "$4"; then
		local r
		verdict "$1" "$(within "${T[$3]}" "${T[$4]}" "$2")" \
			"$(q "${T[$3]}" "${T[$4]}") ($(sec "${T[$3]}") s vs $(sec "${T[$4]}") s)"
	else
		local why
		why=$(row_why "$3" "$4")
		case $why in SKIP*) verdict "$1" skip "${why#SKIP }" ;; *) verdict "$1" 0 "$why" ;; esac
	fi
}

echo
echo "targets (issue 8), every ratio from this run:"
if row_ok rp hand; then
	rt=$(q "${T[rp]}" "${T[hand]}") rs=$(q "${BYTES[rp]}" "${BYTES[hand]}")
	ok=$(($(within "${T[rp]}" "${T[hand]}" 0.12) & $(within "${BYTES[rp]}" "${BYTES[hand]}" 1.00)))
	verdict "default build ≤ 0.12 × sha256sum + zip -6, packet ≤ 1.00 × zip's" "$ok" \
		"time $rt ($(sec "${T[rp]}") s vs $(sec "${T[hand]}") s), size $rs ($(mb "${BYTES[rp]}") MB vs $(mb "${BYTES[hand]}") MB)"
else
	time_target "default build ≤ 0.12 × sha256sum + zip -6, packet ≤ 1.00 × zip's" 0.12 rp hand
fi
time_target "default build ≤ 0.35 × 7z -mx=5 -mmt=$CORES" 0.35 rp 7z
time_target "--level 0 build ≤ 0.6 × zip -0" 0.6 rp0 zip0
time_target "check ≤ 0.4 × sha256sum" 0.4 chk sha
time_target "check of 200 text PDFs ≤ 0.5 × a pdftotext loop" 0.5 pdfchk pdftt
time_target "check of 20 scanned pages ≤ 0.6 × a pdftoppm | tesseract loop" 0.6 ocrchk ocrtess

limit=$((64 * 1024))
if row_ok rp; then
	if [ "$SIZE" = normal ]; then
		verdict "peak RSS ≤ 64 MiB (300 MB corpus)" "$(le "${RSS[rp]}" $limit)" "$(mib "${RSS[rp]}") MiB"
		verdict "peak RSS on the large corpus ≤ 1.10 × the 300 MB one" skip "run with BENCH_SIZE=large"
	elif row_ok rpn; then
		verdict "peak RSS ≤ 64 MiB (300 MB corpus)" "$(le "${RSS[rpn]}" $limit)" "$(mib "${RSS[rpn]}") MiB"
		verdict "peak RSS on the large corpus ≤ 1.10 × the 300 MB one" "$(within "${RSS[rp]}" "${RSS[rpn]}" 1.10)" \
			"$(q "${RSS[rp]}" "${RSS[rpn]}") ($(mib "${RSS[rp]}") MiB vs $(mib "${RSS[rpn]}") MiB)"
	else
		verdict "peak RSS ≤ 64 MiB (300 MB corpus)" 0 "${NOTE[rpn]}"
		verdict "peak RSS on the large corpus ≤ 1.10 × the 300 MB one" 0 "${NOTE[rpn]}"
	fi
else
	why=$(row_why rp)
	v=0
	case $why in SKIP*) v=skip why=${why#SKIP } ;; esac
	verdict "peak RSS ≤ 64 MiB (300 MB corpus)" $v "$why"
	verdict "peak RSS on the large corpus ≤ 1.10 × the 300 MB one" $v "$why"
fi

if [ -n "${BYTES[rpio]:-}" ]; then
	verdict "bytes read ≤ 1.05 × input size" "$(within "${BYTES[rpio]}" "$input_bytes" 1.05)" \
		"$(q "${BYTES[rpio]}" "$input_bytes") (${BYTES[rpio]} of $input_bytes bytes${NOTE[rpio_how]:+; ${NOTE[rpio_how]}})"
else
	case ${NOTE[rpio]} in SKIP*) verdict "bytes read ≤ 1.05 × input size" skip "${NOTE[rpio]#SKIP }" ;;
	*) verdict "bytes read ≤ 1.05 × input size" 0 "${NOTE[rpio]}" ;; esac
fi
time_target "portal fetching ≤ 1.3 × curl --parallel" 1.3 portrp portcurl

echo
echo "targets (issue 20), every ratio from this run:"
time_target "build of $small_n small files ≤ 1.3 × its limit" 1.3 sN sNlim
time_target "build of one $(mb "$big_bytes") MB file ≤ 1.3 × its limit" 1.3 big biglim
if row_ok big bigzip; then
	verdict "the big file's packet ≤ 1.00 × zip -6's" "$(within "${BYTES[big]}" "${BYTES[bigzip]}" 1.00)" \
		"$(q "${BYTES[big]}" "${BYTES[bigzip]}") ($(mb "${BYTES[big]}") MB vs $(mb "${BYTES[bigzip]}") MB)"
else
	verdict "the big file's packet ≤ 1.00 × zip -6's" 0 "$(row_why big bigzip)"
fi
rss_target() { # NAME KEY REFKEY
	if row_ok "$2" "$3"; then
		verdict "$1" "$(within "${RSS[$2]}" "${RSS[$3]}" 1.2)" \
			"$(q "${RSS[$2]}" "${RSS[$3]}") ($(mib "${RSS[$2]}") MiB vs $(mib "${RSS[$3]}") MiB)"
	else
		verdict "$1" 0 "$(row_why "$2" "$3")"
	fi
}
# libzip keeps every entry (about 0.7 KiB each) until zip_close(): docs/benchmarks.md
rss_target "build peak RSS at $small_n files ≤ 1.2 × at 1,000" sN s1k
rss_target "extract peak RSS at $small_n files ≤ 1.2 × at 1,000" xN x1k
rss_target "list peak RSS at $small_n files ≤ 1.2 × at 1,000" lN l1k
time_target "extract of $small_n files ≤ 1.0 × unzip" 1.0 xN unzipN
time_target "verify ≤ 0.5 × sha256sum -c after unzip" 0.5 vrp vsha

echo
echo "$pass PASS, $fail FAIL, $skip SKIP ($CORES cores; results in bench/results-$SIZE.txt)"
[ "${BENCH_STRICT:-0}" = 1 ] && [ "$fail" -gt 0 ] && exit 1
exit 0
