# SPDX-License-Identifier: GPL-3.0-or-later
# Documentation that ships: the man page lints clean, every option recpack prints in --help is
# in the man page and in the bash, zsh and fish completions, the completions load and complete,
# --help works for every command, and `make demo` succeeds.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 2
MAN=man/recpack.1
BASHC=completions/recpack.bash
ZSHC=completions/_recpack
FISHC=completions/recpack.fish

# ---- man page renders without warnings ----
run groff -ww -man -z "$MAN"
if [ "$RC" -eq 0 ] && [ ! -s "$T/err" ] && [ ! -s "$T/out" ]; then ok "man page: groff -ww -man -z has no warnings"; else
	notok "man page: groff -ww -man -z has no warnings" "exit $RC" "$(head -20 "$T/err")"
fi
run mandoc -T lint -W warning "$MAN"
if [ "$RC" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then ok "man page: mandoc -T lint has no warnings or errors"; else
	notok "man page: mandoc -T lint has no warnings or errors" "exit $RC" "$(head -20 "$T/out" "$T/err")"
fi
run mandoc -T lint -W style "$MAN"
if [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then ok "man page: mandoc -T lint has no style remarks"; else
	notok "man page: mandoc -T lint has no style remarks" "$(head -20 "$T/out" "$T/err")"
fi
long=$(LC_ALL=C awk 'length > 80 { printf " %d", FNR }' "$MAN")
[ -z "$long" ] && ok "man page source lines are at most 80 bytes" ||
	notok "man page source lines are at most 80 bytes" "lines:$long"
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "MANIFEST FORMAT" CLASSIFICATION \
	"PROBLEM CODES" "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	expect_in "$MAN" "^\.SH \"?$section\"?\$" "man page has section $section"
done

# The man source with escapes undone, for word searches: "\-\-manifest" -> "--manifest".
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" >"$T/man.txt"
has_word() { # has_word FILE WORD: WORD appears in FILE, not as part of a longer option
	grep -Eq -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" "$1"
}

# Every code, with or without a comment after its #define; and at least the ones known today.
codes=$(sed -n 's/^#define P_[A-Z_]*[[:space:]]*"\([^"]*\)".*$/\1/p' src/rules/problem.h)
[ "$(echo "$codes" | wc -w)" -ge 16 ] && ok "problem codes found in src/rules/problem.h" ||
	notok "problem codes found in src/rules/problem.h" "$codes"
for code in $codes; do
	if has_word "$T/man.txt" "$code"; then ok "man page explains problem code $code"; else
		notok "man page explains problem code $code"; fi
done
for var in NO_COLOR TMPDIR SOURCE_DATE_EPOCH RECPACK_BEARER_TOKEN RECPACK_PASSWORD XDG_CACHE_HOME; do
	expect_in "$T/man.txt" "^\.B $var\$" "man page ENVIRONMENT has $var"
done
for status in 0 1 2 3 4; do
	expect_in "$T/man.txt" "^\.B $status\$" "man page EXIT STATUS has $status"
done

# ---- --help for every command ----
expect_exit 0 "recpack --help exits 0" "$RECPACK" --help
cp "$T/out" "$T/help-main"
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$T/help-main")
[ -n "$commands" ] && ok "recpack --help lists commands" || notok "recpack --help lists commands"
expect_exit 0 "recpack --version exits 0" "$RECPACK" --version
expect_in "$T/out" '^recpack [0-9]+\.[0-9]+' "recpack --version prints the version"
for cmd in $commands; do
	has_word "$T/man.txt" "$cmd" && ok "man page describes command $cmd" || notok "man page describes command $cmd"
	grep -Eq "(^|[ '])$cmd([ '|]|\$)" "$BASHC" && ok "bash completion offers command $cmd" || notok "bash completion offers command $cmd"
	grep -Eq "'$cmd:" "$ZSHC" && ok "zsh completion offers command $cmd" || notok "zsh completion offers command $cmd"
	grep -Eq -- "-a $cmd " "$FISHC" && ok "fish completion offers command $cmd" || notok "fish completion offers command $cmd"
	run "$RECPACK" "$cmd" --help
	if [ "$RC" -ne 0 ] && grep -q "not available in this version yet" "$T/err"; then
		skip "recpack $cmd --help exits 0 with usage" "$cmd is not built yet"
		continue
	fi
	if [ "$RC" -eq 0 ] && grep -q "^Usage: recpack $cmd" "$T/out"; then ok "recpack $cmd --help exits 0 with usage"; else
		notok "recpack $cmd --help exits 0 with usage" "exit $RC" "$(head -5 "$T/out" "$T/err")"
	fi
	cp "$T/out" "$T/help-$cmd"
	dup=$(grep -oE '^ +(-[A-Za-z0-9], )?--[a-z0-9-]+' "$T/help-$cmd" | sed 's/.*--/--/' | sort | uniq -d | tr '\n' ' ')
	[ -z "$dup" ] && ok "recpack $cmd --help lists each option once" ||
		notok "recpack $cmd --help lists each option once" "listed twice: $dup"
	if "$RECPACK" help "$cmd" >"$T/help-cmd" 2>&1 && cmp -s "$T/help-cmd" "$T/help-$cmd"; then
		ok "recpack help $cmd is recpack $cmd --help"; else
		notok "recpack help $cmd is recpack $cmd --help" "$(head -3 "$T/help-cmd")"; fi
done

# ---- every option in every --help is in the man page and each completion ----
# Options named in help text: "-x" or "--long-name" at the start of a word.
cat "$T"/help-* | grep -oE -- "(^|[[:space:],('])--?[A-Za-z0-9][A-Za-z0-9-]*" |
	sed -E "s/^[[:space:],(']//" | grep -E -- '^(-[A-Za-z0-9]|--[a-z][a-z0-9-]+)$' | sort -u >"$T/opts"
# The packet options of the brief, whether or not build is written yet.
printf '%s\n' -o --name --force --level --encrypt --password-file >>"$T/opts"
sort -u -o "$T/opts" "$T/opts"
[ "$(wc -l <"$T/opts")" -ge 30 ] && ok "found the options in --help ($(wc -l <"$T/opts"))" ||
	notok "found the options in --help" "$(cat "$T/opts")"
missing_man='' missing_bash='' missing_zsh='' missing_fish=''
while read -r opt; do
	has_word "$T/man.txt" "$opt" || missing_man="$missing_man $opt"
	has_word "$BASHC" "$opt" || missing_bash="$missing_bash $opt"
	has_word "$ZSHC" "$opt" || missing_zsh="$missing_zsh $opt"
	case $opt in
	--*) grep -Eq -- "-l ${opt#--}( |\$)" "$FISHC" || missing_fish="$missing_fish $opt" ;;
	*) grep -Eq -- "-s ${opt#-}( |\$)" "$FISHC" || missing_fish="$missing_fish $opt" ;;
	esac
done <"$T/opts"
for where in man bash zsh fish; do
	eval "missing=\$missing_$where"
	if [ -z "$missing" ]; then ok "every --help option is in the $where documentation"; else
		notok "every --help option is in the $where documentation" "missing:$missing"; fi
done

# Category names of every built-in manifest are offered as CATEGORY= prefixes.
cats=$(for m in $("$RECPACK" manifest | awk '{print $1}'); do
	"$RECPACK" manifest "$m" | sed -n 's/^\[\([a-z0-9_-]*\)\]$/\1/p'; done | grep -vx manifest | sort -u)
missing=''
for c in $cats; do
	has_word "$BASHC" "$c" && has_word "$ZSHC" "$c" && has_word "$FISHC" "$c" || missing="$missing $c"
done
[ -n "$cats" ] && [ -z "$missing" ] && ok "every manifest category is offered by all three completions" ||
	notok "every manifest category is offered by all three completions" "missing:$missing"

# ---- bash completion ----
run bash -c "source /usr/share/bash-completion/bash_completion; source $BASHC; complete -p recpack"
expect_in "$T/out" "complete -F _recpack recpack" "bash completion loads and registers _recpack"

# A stub recpack whose `manifest` lists a name only it knows (names must come from recpack
# itself), and one that fails (the completions must fall back to the shipped names).
mkdir -p "$T/stubbin" "$T/failbin"
printf '#!/bin/sh\n[ "$1" = manifest ] && printf "default    any\\nstubonly   a manifest only the stub knows\\n"\n' >"$T/stubbin/recpack"
printf '#!/bin/sh\nexit 2\n' >"$T/failbin/recpack"
chmod +x "$T/stubbin/recpack" "$T/failbin/recpack"
STUB=$T/stubbin:$PATH FAIL=$T/failbin:$PATH
mkdir -p "$T/cwd/records" && : >"$T/cwd/my.ini" && : >"$T/cwd/notes.txt"
cat >"$T/bashcomp.sh" <<EOF
source /usr/share/bash-completion/bash_completion
source "$TOP/$BASHC"
cd "$T/cwd"
# comp WORD...: complete the last WORD of the line as bash would (words split like COMP_WORDS).
comp() {
	COMP_WORDS=("\$@") COMP_CWORD=\$((\$# - 1))
	COMP_LINE="\$*" COMP_LINE=\${COMP_LINE// = /=} COMP_POINT=\${#COMP_LINE}
	COMPREPLY=()
	_recpack recpack "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "\${COMPREPLY[@]}"
}
EOF
bashcomp() { # bashcomp NAME PATTERN WORD...: the completions of WORD... match grep -Ex PATTERN
	name=$1 pat=$2
	shift 2
	bash -c ". '$T/bashcomp.sh'; comp \"\$@\"" comp "$@" >"$T/bc.out" 2>"$T/bc.err"
	if grep -Eqx -- "$pat" "$T/bc.out"; then ok "bash completion: $name"; else
		notok "bash completion: $name" "got: $(tr '\n' ' ' <"$T/bc.out")" "$(head -3 "$T/bc.err")"; fi
}
bashcomp "recpack ch -> check" "check" recpack ch
bashcomp "recpack check --ma -> --manifest" "--manifest" recpack check --ma
bashcomp "recpack build --pass -> --password-file" "--password-file" recpack build --pass
bashcomp "recpack check --progress -> never" "never" recpack check --progress ""
bashcomp "recpack check patho -> pathology=" "pathology=" recpack check patho
bashcomp "recpack check protein -> protein-studies=" "protein-studies=" recpack check protein
bashcomp "recpack check pathology=rec -> a path" "records" recpack check pathology = rec
bashcomp "recpack check --manifest=ly -> lymphoma" "lymphoma" recpack check --manifest = ly
PATH=$STUB bashcomp "recpack manifest -> names from recpack" "stubonly" recpack manifest ""
PATH=$FAIL bashcomp "recpack manifest -> fallback names" "myeloma" recpack manifest ""
bashcomp "recpack manifest -> .ini files" "my.ini" recpack manifest ""
bashcomp "recpack -V -> --version" "--version" recpack --v
mkdir -p "$T/cwd/pk" && : >"$T/cwd/p.zip" && : >"$T/cwd/roster.csv"
bashcomp "recpack verify -> a .zip" "p.zip" recpack verify ""
bash -c ". '$T/bashcomp.sh'; comp recpack verify ''" >"$T/bc.out" 2>&1
grep -qx "roster.csv" "$T/bc.out" && notok "bash completion: recpack verify offers no .csv" "$(tr '\n' ' ' <"$T/bc.out")" ||
	ok "bash completion: recpack verify offers no .csv"
bashcomp "recpack list -v -> --verbose" "--verbose" recpack list --verb
bashcomp "recpack batch -> a .csv roster" "roster.csv" recpack batch ""
bashcomp "recpack build --level -> 9" "9" recpack build --level ""

# ---- zsh completion ----
run zsh -fc "fpath=($TOP/completions \$fpath); autoload -U compinit; compinit -u -D; autoload -U +X _recpack; whence -w _recpack"
expect_in "$T/out" "_recpack: function" "zsh loads _recpack"
run zsh -n "$ZSHC"
[ "$RC" -eq 0 ] && ok "zsh parses _recpack" || notok "zsh parses _recpack" "$(head -5 "$T/err")"

# Drive zsh's completion system in a pseudo-terminal; a hooked compadd prints every match.
cat >"$T/zcomp.zsh" <<'EOF'
zmodload zsh/zpty || exit 2
init=$1 line=$2
zpty z zsh -f -i
zpty -w z ". $init"
local out chunk all=''
for i in {1..100}; do zpty -r z out; [[ $out == READY* ]] && break; done
zpty -w -n z "$line"$'\t'
while zpty -r z chunk; do all+=$chunk; done
print -r -- "${${all//$'\r'/}#*@@@$'\n'}" | sed -n '/^@@@$/q;p'
EOF
cat >"$T/zinit.zsh" <<EOF
PS1='' PROMPT='' RPROMPT=''
fpath=($TOP/completions \$fpath)
cd $T/cwd
autoload -U compinit && compinit -u -D
bindkey '^I' complete-word
zstyle ':completion:*' insert-tab false
mark() { print -n -- '\n@@@\n' }
compprefuncs=(mark)
comppostfuncs=(mark exit)
compadd() {
	if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "\$@"; return; fi
	local -a hits; local -A o
	zparseopts -E -A o P: p: S: s:
	builtin compadd -A hits "\$@"
	local h; for h in \$hits; do print -r -- "\$IPREFIX\${o[-P]}\${o[-p]}\$h\${o[-s]}\${o[-S]}"; done
}
print READY
EOF
zshcomp() { # zshcomp NAME PATTERN LINE
	timeout 30 zsh -f "$T/zcomp.zsh" "$T/zinit.zsh" "$3" >"$T/zc.out" 2>&1
	if grep -Eqx -- "$2" "$T/zc.out"; then ok "zsh completion: $1"; else
		notok "zsh completion: $1" "got: $(tr '\n' ' ' <"$T/zc.out" | head -c 600)"; fi
}
zshcomp "recpack ch -> check" "check" "recpack ch"
zshcomp "recpack check --ma -> --manifest" "--manifest" "recpack check --ma"
zshcomp "recpack check patho -> pathology=" "pathology=" "recpack check patho"
zshcomp "recpack check pathology=rec -> a path" "pathology=records/?" "recpack check pathology=rec"
zshcomp "recpack check --progress -> never" "never" "recpack check --progress "
zshcomp "recpack list -v -> --verbose" "--verbose" "recpack list --verb"
PATH=$STUB zshcomp "recpack manifest -> names from recpack" "stubonly" "recpack manifest "
PATH=$FAIL zshcomp "recpack manifest -> fallback names" "myeloma" "recpack manifest "
if grep -q "bad option\|command not found\|parse error" "$T/zc.out"; then
	notok "zsh completion runs without errors" "$(grep -m3 'bad option\|command not found\|parse error' "$T/zc.out")"
else ok "zsh completion runs without errors"; fi

# ---- fish completion ----
fishcomp() { # fishcomp NAME PATTERN LINE
	(cd "$T/cwd" && fish -c "source '$TOP/$FISHC'; complete -C'$3'") >"$T/fc.out" 2>&1
	if cut -f1 "$T/fc.out" | grep -Eqx -- "$2" && ! grep -q "fish:" "$T/fc.out"; then ok "fish completion: $1"; else
		notok "fish completion: $1" "got: $(cut -f1 "$T/fc.out" | tr '\n' ' ' | head -c 600)"; fi
}
fishcomp "recpack ch -> check" "check" "recpack ch"
fishcomp "recpack check --ma -> --manifest" "--manifest" "recpack check --ma"
fishcomp "recpack check patho -> pathology=" "pathology=" "recpack check patho"
fishcomp "recpack check pathology=rec -> a path" "pathology=records/?" "recpack check pathology=rec"
fishcomp "recpack check --progress -> never" "never" "recpack check --progress "
fishcomp "recpack list -v -> --verbose" "--verbose" "recpack list --verb"
PATH=$STUB fishcomp "recpack manifest -> names from recpack" "stubonly" "recpack manifest "
PATH=$FAIL fishcomp "recpack manifest -> fallback names" "myeloma" "recpack manifest "

# ---- make demo ----
run make -s -C "$TOP" demo DEMO_DIR="$T/demo"
if [ "$RC" -eq 0 ] && grep -q "Complete" "$T/out"; then ok "make demo exits 0 with a complete check"; else
	notok "make demo exits 0 with a complete check" "exit $RC" "$(tail -5 "$T/err")" "$(tail -15 "$T/out")"
fi
# The packet stays where the demo says, and the command it prints verifies it.
if grep -q "verify $T/demo/jane-doe.zip" "$T/out" && (cd "$T/demo" && sha256sum -c --quiet jane-doe.zip.sha256) >/dev/null 2>&1; then
	ok "make demo leaves the packet it names, and it verifies"
else notok "make demo leaves the packet it names, and it verifies" "$(tail -3 "$T/out")" "$(ls -la "$T/demo" 2>&1)"; fi

# ---- make install puts the binary, man page and completions where each tool looks ----
run make -s -C "$TOP" install DESTDIR="$T/inst" PREFIX=/usr/local
[ "$RC" -eq 0 ] && ok "make install DESTDIR=... PREFIX=/usr/local exits 0" ||
	notok "make install DESTDIR=... PREFIX=/usr/local exits 0" "$(tail -5 "$T/err")"
I=$T/inst/usr/local
bad=''
for f in bin/recpack share/man/man1/recpack.1 share/bash-completion/completions/recpack \
	share/zsh/site-functions/_recpack share/fish/vendor_completions.d/recpack.fish; do
	[ -s "$I/$f" ] || bad="$bad $f"
done
[ -z "$bad" ] && ok "make install installs binary, man page and completions" ||
	notok "make install installs binary, man page and completions" "missing:$bad"
run "$I/bin/recpack" --version
[ "$RC" -eq 0 ] && ok "installed recpack runs" || notok "installed recpack runs" "$(cat "$T/err")"
run mandoc -T ascii "$I/share/man/man1/recpack.1"
sed -i "s/.$(printf '\b')//g" "$T/out" # undo overstrike bold
[ "$RC" -eq 0 ] && grep -q "EXIT STATUS" "$T/out" && ok "installed man page renders" ||
	notok "installed man page renders" "$(head -3 "$T/err")"
run make -s -C "$TOP" uninstall DESTDIR="$T/inst" PREFIX=/usr/local
left=$(find "$I" -type f | head -5)
[ "$RC" -eq 0 ] && [ -d "$I/bin" ] && [ -z "$left" ] && ok "make uninstall removes every installed file" ||
	notok "make uninstall removes every installed file" "exit $RC; left: $left"
