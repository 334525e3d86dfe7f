# SPDX-License-Identifier: GPL-3.0-or-later
# The walls between src/'s folders (scripts/check-walls.sh) hold on the tree, and the script
# can fail: a printf added to rules/, an include of cli/ from packet/, an exit outside main.c
# and a circle between modules are each caught, while the same words in comments and strings are not.
. "$(dirname "$0")/../lib.sh"

WALLS=$TOP/scripts/check-walls.sh

# The tree itself: the script's own "ok - walls: ..." lines are this test's results.
sh "$WALLS" "$TOP/src" >"$T/walls.out" 2>&1
rc=$?
sed -E 's/^(not )?ok - walls: /\1ok - /' "$T/walls.out"
[ "$rc" -eq 0 ] && ok "check-walls.sh passes on src/" || notok "check-walls.sh passes on src/" "exit $rc"
[ "$(grep -c '^ok - walls: ' "$T/walls.out")" -ge 7 ] && ok "check-walls.sh checked every wall" ||
	notok "check-walls.sh checked every wall" "$(cat "$T/walls.out")"

# broken NAME FILE TEXT PATTERN: a copy of src/ with TEXT appended to FILE fails the wall
# and names FILE with PATTERN.
cp -r "$TOP/src" "$T/src"
broken() {
	cp "$T/src/$2" "$T/saved"
	printf '%s\n' "$3" >>"$T/src/$2"
	run sh "$WALLS" "$T/src"
	cp "$T/saved" "$T/src/$2"
	if [ "$RC" -eq 1 ] && grep -Eq -- "$4" "$T/out"; then ok "$1"; else
		notok "$1" "exit $RC" "$(grep -v '^ok' "$T/out" | head -5)"; fi
}
broken "a printf in rules/ breaks the print wall" rules/classify.c \
	'void walls_probe(void); void walls_probe(void) { printf("x\n"); }' \
	"^#   .*src/rules/classify.c:[0-9]+: prints \(printf\)"
broken "stderr in read/ breaks the print wall" read/sniff.c \
	'void walls_probe(void); void walls_probe(void) { fputs("x", stderr); }' "read/sniff.c:[0-9]+: writes to standard"
broken "a FILE * parameter in packet/ breaks the print wall" packet/verify.h \
	'void walls_probe(FILE *out);' "packet/verify.h:[0-9]+: takes a stream"
broken "an exit in sources/ breaks the exit wall" sources/scan.c \
	'void walls_probe(void); void walls_probe(void) { exit(3); }' "sources/scan.c:[0-9]+: ends the process \(exit\)"
broken "getopt in packet/ breaks the argv wall" packet/bag.c \
	'int walls_probe(int c, char **v); int walls_probe(int c, char **v) { return getopt(c, v, "x"); }' \
	"packet/bag.c:[0-9]+: reads the command line"
broken "packet/ including cli/ breaks the include wall" packet/html.c '#include "cli/job.h"' \
	"packet/html.c:[0-9]+: packet/ includes cli/job.h"
broken "rules/ including sources/ breaks the include wall" rules/study.c '#include "sources/source.h"' \
	"rules/study.c:[0-9]+: rules/ includes sources/source.h"
broken "libcurl outside source_url.c breaks the library wall" sources/dlcache.c '#include <curl/curl.h>' \
	"sources/dlcache.c:[0-9]+: includes <curl/curl.h>"
broken "a call back from bagtext.c into html.c makes a circle" packet/bagtext.c \
	'void walls_probe(struct sbuf *s); void walls_probe(struct sbuf *s) { html_href(s, "x"); }' \
	"modules that use each other: .*packet/bagtext.c -> packet/html.c.*packet/html.c -> packet/bagtext.c"

# Words in comments and strings are not calls.
cp "$T/src/rules/classify.c" "$T/saved"
cat >>"$T/src/rules/classify.c" <<'C'
/* printf("x"); exit(1); fputs(s, stderr); getopt(argc, argv, "x"); */
// printf("y"); abort();
static const char walls_probe_text[] = "printf(\"z\"); exit(2); stderr \" argv";
static char walls_probe_char(void) { (void)walls_probe_text; return '"'; }
static int walls_probe_use(void) { return walls_probe_char() == 'x' ? printf_like_name(1) : 0; }
C
sed -i 's/printf_like_name(1)/0/' "$T/src/rules/classify.c"
run sh "$WALLS" "$T/src"
[ "$RC" -eq 0 ] && ok "the same words in comments, strings and characters pass" ||
	notok "the same words in comments, strings and characters pass" "$(grep -v '^ok' "$T/out" | head -5)"

cp "$T/saved" "$T/src/rules/classify.c"

# An exception that no longer matches anything is reported, so the list cannot go stale.
sed -i 's/\babort *()/(void)0/' "$T/src/sys/util.c"
run sh "$WALLS" "$T/src"
[ "$RC" -eq 1 ] && grep -q 'sys/util.c (exit, .*) matches nothing' "$T/out" &&
	ok "an exception no longer needed is reported" ||
	notok "an exception no longer needed is reported" "exit $RC" "$(grep -v '^ok' "$T/out" | head -5)"
