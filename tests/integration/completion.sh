#!/bin/bash
# completion.sh - the shell completions cannot drift from the program: the
# options of completions/sockview.bash and completions/_sockview are exactly
# those of `sockview --help`; their filter words are the same in both and
# each is in the filter language's manual (doc/filter.man). Then bash's
# completion is driven as Tab would: options, --format= values, -N names
# from /run/netns (a private one, in a user and mount namespace), filter
# words after -f and in a trailing expression. zsh's is checked by zsh -n
# and, where zsh is installed, loaded by compinit.
set -u
top=${SV_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
sv=${SOCKVIEW:-$top/src/sockview}
bashc=$top/completions/sockview.bash
zshc=$top/completions/_sockview
fails=0
fail() { echo "completion: FAIL: $*" >&2; fails=$((fails + 1)); }

# The options the help names: -x and --long, one per line, sorted.
help_opts=$("$sv" --help | grep -Eo '(^|[ ,])(-[A-Za-z0-9]|--[a-z][a-z0-9-]*)' |
	sed 's/^[ ,]*//' | sort -u)
[ -n "$help_opts" ] || { echo "completion: no options in --help" >&2; exit 1; }

block() { # block FILE NAME: the lines between "NAME-begin" and "NAME-end"
	sed -n "/$2-begin/,/$2-end/p" "$1"
}
bash_opts=$(block "$bashc" sockview-options | grep -Eo '(^|[ "	])(-[A-Za-z0-9]|--[a-z][a-z0-9-]*)' |
	sed 's/^[ "	]*//' | sort -u)
zsh_opts=$(block "$zshc" sockview-options | grep -Eo "(^|[{,'])(-[A-Za-z0-9]|--[a-z][a-z0-9-]*)" |
	sed "s/^[{,']*//" | sort -u)
d=$(diff <(echo "$help_opts") <(echo "$bash_opts")) ||
	fail "bash options differ from --help (< help only, > bash only):
$d"
d=$(diff <(echo "$help_opts") <(echo "$zsh_opts")) ||
	fail "zsh options differ from --help (< help only, > zsh only):
$d"

words_of() { # the filter words listed in a completion file
	block "$1" sockview-filter-words | grep -v 'sockview-filter-words' |
		sed 's/words=(//; s/)//; s/local words="//; s/"//' | tr -s ' \t' '\n' | grep . | sort -u
}
bw=$(words_of "$bashc")
zw=$(words_of "$zshc")
[ "$(echo "$bw" | wc -l)" -gt 20 ] || fail "too few filter words in $bashc"
d=$(diff <(echo "$bw") <(echo "$zw")) || fail "filter words differ between bash and zsh:
$d"
man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$top/doc/filter.man")
for w in $bw; do
	echo "$man" | grep -qw -- "$w" || fail "filter word '$w' is not in doc/filter.man"
done

# --- bash, as Tab drives it ---
bash -n "$bashc" || fail "bash syntax"
complete_bash() { # complete_bash WORD...: COMPREPLY for the last word, one per line
	bash -c '
		. "$0"
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		_sockview
		printf "%s\n" "${COMPREPLY[@]}"
	' "$bashc" "$@"
}
expect() { # expect "DESCRIPTION" "WANTED LINE" WORD...
	what=$1 want=$2
	shift 2
	got=$(complete_bash "$@")
	echo "$got" | grep -qx -- "$want" || fail "$what: '$want' not offered for '$*' (got: $(echo $got))"
}
expect "long option" "--format=" sockview --for
expect "long option" "--no-config" sockview --no-c
expect "short option" "-t" sockview -
expect "format value" "json" sockview --once --format=j
expect "format value" "csv" sockview --once --format c
expect "filter word after -f" "state" sockview -f sta
expect "filter word after --filter=" "established" sockview --filter=estab
expect "trailing filter word" "established" sockview --once state esta
expect "trailing filter word" "dport" sockview --once dp
[ "$(complete_bash sockview --format=x)" = "" ] || fail "a bad --format value completed to something"
# -N: the names of /run/netns, in a private mount namespace with a /run of
# its own (nothing of the machine's is touched)
if out=$(unshare -rm bash -c '
	mount -t tmpfs tmpfs /run && mkdir /run/netns && touch /run/netns/blue /run/netns/red &&
	. "$0" && COMP_WORDS=(sockview -N "") && COMP_CWORD=2 && _sockview &&
	printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' "$bashc" 2>&1); then
	[ "$out" = "all blue red " ] || fail "-N completed to '$out', not all and the namespaces blue red"
else
	fail "cannot make a private /run to test -N: $out"
fi

# --- zsh ---
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$zshc" || fail "zsh syntax"
	fdir=$(mktemp -d)
	cp "$zshc" "$fdir/"
	out=$(HOME=$fdir zsh -f -c "fpath=($fdir \$fpath); autoload -Uz compinit; compinit -u -d $fdir/dump;
		print -r -- \${_comps[sockview]}" 2>&1)
	rm -rf "$fdir"
	[ "$out" = "_sockview" ] || fail "zsh's compinit did not take _sockview for sockview: $out"
else
	fail "zsh is not installed (quickstart.sh installs it)"
fi

[ "$fails" -eq 0 ] || exit 1
echo "completion: PASS"
