# bash completion for recpack                                     -*- shell-script -*-
# Installed as share/bash-completion/completions/recpack. Completes commands, options,
# option values, manifest names (asked of recpack itself, with a fixed fallback) and
# CATEGORY= prefixes for sources.

_recpack_commands='check build verify list extract manifest batch cache request'
_recpack_categories='radiology pathology operative hospital medications summary
	receptors genomics flow-cytometry bone-marrow molecular cytogenetics protein-studies slides'
# Options of check, build and batch; of check and build (batch reads them from its roster);
# of build and batch. Each command refuses the options it does not take.
_recpack_job_opts='-h --help -m --manifest --json -q --quiet -v --verbose -j --jobs
	--max-expand --max-size --netrc --netrc-file --cookies --bearer-file --header-file
	--cacert --retries --timeout --min-speed --deadline --parallel --no-cache
	--no-ocr'
_recpack_read_opts='--patient --dob --mrn --surgery --hospitalized --fact --sources -0 --null
	--progress'
_recpack_pack_opts='--force --level --allow-incomplete --encrypt --password-file'

# The built-in manifest names: from `recpack manifest`, else the ones recpack ships with.
_recpack_manifests() {
	local names
	names=$("${1:-recpack}" manifest 2>/dev/null | awk 'NF { print $1 }')
	[[ -n $names ]] || names='default breast lymphoma myeloma'
	printf '%s\n' "$names"
}

# _recpack_files PREFIX / _recpack_dirs PREFIX: add matching paths to COMPREPLY.
_recpack_files() {
	local IFS=$'\n'
	COMPREPLY+=($(compgen -f -- "$1"))
	compopt -o filenames 2>/dev/null
}

_recpack_ini() {
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -- "$1") $(compgen -f -X '!*.[iI][nN][iI]' -- "$1"))
	compopt -o filenames 2>/dev/null
}

# A packet: a .zip file or a folder (the bag, or where the ZIP was extracted).
_recpack_zip() {
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -- "$1") $(compgen -f -X '!*.[zZ][iI][pP]' -- "$1"))
	compopt -o filenames 2>/dev/null
}

# A bag to verify: a packet, a tar serialization, or a folder.
_recpack_bag() {
	local IFS=$'\n'
	local ext
	_recpack_zip "$1"
	for ext in tar tar.gz tgz tar.bz2 tar.xz tar.zst; do
		COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$1"))
	done
}

# A roster: a .csv file (or a folder on the way to one).
_recpack_csv() {
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -- "$1") $(compgen -f -X '!*.[cC][sS][vV]' -- "$1"))
	compopt -o filenames 2>/dev/null
}

_recpack_dirs() {
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -- "$1"))
	compopt -o filenames 2>/dev/null
}

# _recpack_value OPTION CUR PROG: complete the value of OPTION. Returns 1 if OPTION takes none.
_recpack_value() {
	local opt=$1 cur=$2 prog=$3
	case $opt in
	-m | --manifest)
		COMPREPLY=($(compgen -W "$(_recpack_manifests "$prog")" -- "$cur"))
		_recpack_ini "$cur"
		;;
	--progress) COMPREPLY=($(compgen -W 'auto always never' -- "$cur")) ;;
	--level) COMPREPLY=($(compgen -W '0 1 2 3 4 5 6 7 8 9' -- "$cur")) ;;
	--fact) COMPREPLY=($(compgen -W 'surgery hospitalized slides-sent' -- "$cur")) ;;
	-d | --dir | --outdir) _recpack_dirs "$cur" ;;
	-o | --sources | --questions | --netrc-file | --cookies | --bearer-file | --header-file | \
		--cacert | --password-file | --profile | --to-address | --from-address)
		_recpack_files "$cur" ;;
	--patient | --dob | --mrn | --name | --to | -j | --jobs | --max-expand | --max-size | \
		--retries | --timeout | --min-speed | --deadline | --parallel)
		;; # free text or a number: nothing to offer
	*) return 1 ;;
	esac
	return 0
}

_recpack() {
	local cur prev words cword
	if declare -F _get_comp_words_by_ref >/dev/null; then
		_get_comp_words_by_ref -n =: cur prev words cword
	else
		words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi
	COMPREPLY=()
	local prog=${words[0]} cmd='' i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		check | build | verify | list | extract | manifest | batch | cache | request) cmd=${words[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$_recpack_commands -h --help -V --version" -- "$cur"))
		return
	fi

	# --option=value: complete the value; readline replaces only what follows the '='
	# when '=' breaks words (the default).
	local keep=''
	[[ $COMP_WORDBREAKS == *=* ]] || keep=${cur%%=*}=
	if [[ $cur == --*=* ]]; then
		_recpack_value "${cur%%=*}" "${cur#*=}" "$prog"
		[[ -n $keep ]] && COMPREPLY=("${COMPREPLY[@]/#/$keep}")
		return
	fi
	if [[ $prev == -* ]] && _recpack_value "$prev" "$cur" "$prog"; then
		return
	fi

	local opts
	case $cmd in
	check) opts="$_recpack_job_opts $_recpack_read_opts" ;;
	build) opts="$_recpack_job_opts $_recpack_read_opts $_recpack_pack_opts -o --output --name
		--questions" ;;
	batch) opts="$_recpack_job_opts $_recpack_pack_opts -d --outdir --strict" ;;
	request) opts="${_recpack_job_opts/--json /} $_recpack_read_opts --force -o --output --to --to-address
		--from-address" ;;
	verify) opts='-h --help --json -q --quiet --password-file --profile --progress' ;;
	list) opts='-h --help --json -v --verbose --password-file' ;;
	extract) opts='-h --help -d --dir --password-file --json -q --quiet --progress' ;;
	manifest) opts='-h --help' ;;
	cache) opts='-h --help' ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	case $cmd in
	check | build | request)
		local cat
		if [[ $cur == *=* ]]; then
			cat=${cur%%=*}
			if [[ " ${_recpack_categories//[$'\n\t']/ } " == *" $cat "* ]]; then
				_recpack_files "${cur#*=}"
				[[ -n $keep ]] && COMPREPLY=("${COMPREPLY[@]/#/$keep}")
				return
			fi
		fi
		_recpack_files "$cur"
		for cat in $_recpack_categories; do
			[[ $cat= == "$cur"* ]] && COMPREPLY+=("$cat=")
		done
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		;;
	manifest)
		COMPREPLY=($(compgen -W "$(_recpack_manifests "$prog")" -- "$cur"))
		_recpack_ini "$cur"
		;;
	verify) _recpack_bag "$cur" ;;
	list | extract) _recpack_zip "$cur" ;;
	batch) _recpack_csv "$cur" ;;
	esac
}
complete -F _recpack recpack
