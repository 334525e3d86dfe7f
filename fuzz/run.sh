#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz/run.sh SECONDS NAME...: runs each libFuzzer target build/fuzz/fuzz_NAME for SECONDS,
# starting from the committed seeds fuzz/corpus/NAME/ (new inputs go to build/fuzz/corpus/NAME/,
# crashes to build/fuzz/crashes/NAME-*), with fuzz/NAME.dict and the libFuzzer flags in
# fuzz/NAME.options when present. Fails, naming the input, when any target crashes.
cd "$(dirname "$0")/.." || exit 2
secs=$1
shift
failed=""
for name in "$@"; do
	work=build/fuzz/corpus/$name
	mkdir -p "$work" build/fuzz/crashes fuzz/corpus/"$name"
	dict="" opts=""
	[ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
	[ -f "fuzz/$name.options" ] && opts=$(grep -v '^#' "fuzz/$name.options")
	echo "fuzz: $name for ${secs}s"
	if ! ASAN_OPTIONS=detect_leaks=1 build/fuzz/fuzz_"$name" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 $dict $opts -artifact_prefix=build/fuzz/crashes/"$name"- \
		"$work" fuzz/corpus/"$name" >build/fuzz/"$name".log 2>&1; then
		tail -40 build/fuzz/"$name".log
		failed="$failed $name"
	else
		grep -E '^stat::number_of_executed_units|^Done' build/fuzz/"$name".log | sed "s/^/fuzz: $name: /"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: crash in:$failed. The inputs are in build/fuzz/crashes/; fix the bug, then copy each"
	echo "fuzz: input into fuzz/corpus/NAME/ so 'make check' replays it from now on."
	exit 1
fi
echo "fuzz: no crash in $# targets"
