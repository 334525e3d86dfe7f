# SPDX-License-Identifier: GPL-3.0-or-later
# Options per command: check, build and batch each take only the options they use; any other
# is a usage error (exit 2) that names it, and nothing is read or written.
. "$(dirname "$0")/../lib.sh"

R=$T/records
make_records "$R"
printf 'id,name,dob,sources\np1,Jane Doe,1970-01-01,%s\n' "$R" >"$T/roster.csv"

# refused CMD OPTION ARGS...: `recpack CMD OPTION ARGS...` exits 2 and stderr names OPTION.
refused() {
	cmd=$1 opt=$2
	shift 2
	expect_exit 2 "$cmd refuses $opt" "$RECPACK" "$cmd" "$opt" "$@"
	expect_in "$T/err" "recpack $cmd: ${opt%%=*} is an option of .*, not of $cmd" "$cmd names $opt as another command's option"
	[ ! -s "$T/out" ] && ok "$cmd $opt: nothing on stdout" || notok "$cmd $opt: nothing on stdout" "$(head -c 300 "$T/out")"
}

refused check --level 9 "$R"
refused check --level=9 "$R"
refused check --force "$R"
refused check --allow-incomplete "$R"
refused check --questions "$T/q.txt" "$R"
refused batch --patient "Jane Doe" "$T/roster.csv" -d "$T/out-batch"
refused batch --progress never "$T/roster.csv" -d "$T/out-batch"
refused batch --sources "$T/list" "$T/roster.csv" -d "$T/out-batch"
[ ! -e "$T/out-batch" ] && ok "a refused batch made no output folder" || notok "a refused batch made no output folder"

expect_exit 2 "batch refuses -0" "$RECPACK" batch -0 "$T/roster.csv" -d "$T/out-batch"
expect_in "$T/err" "invalid option -- '0'" "batch -0 is named as an invalid option"

# The same options still work where they belong.
expect_exit 0 "build takes --level and --force" "$RECPACK" build -q --surgery --hospitalized --level 0 --force -o "$T/p.zip" "$R"
expect_true "the --level 0 packet is a valid zip" unzip -tq "$T/p.zip"
expect_exit 0 "check takes --progress, -j and --max-size" "$RECPACK" check -q --surgery --hospitalized --progress never -j 1 --max-size 1G "$R"
