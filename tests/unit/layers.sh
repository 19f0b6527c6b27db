#!/bin/sh
# The layers hold: no file includes a header of a layer above its own.
#
#   util -> model -> {source, endpoint} -> core -> ui -> main (src/*.c)
#
# The build enforces the same with each library's include paths; this test
# says which include broke the rule, in words, and also checks that curses
# appears in ui/ only and libmnl in source/ only. Headers are found by
# name anywhere under src/ (names are unique).
set -u
src=${SV_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/src
[ -d "$src/util" ] || { echo "layers: no source tree at $src" >&2; exit 99; }

allowed() { # allowed LAYER: the layers LAYER may include
	case $1 in
	util) echo "util" ;;
	model) echo "util model" ;;
	source) echo "util model source" ;;
	endpoint) echo "util model endpoint" ;;
	core) echo "util model source endpoint core" ;;
	ui) echo "util model source endpoint core ui" ;;
	main) echo "util model source endpoint core ui main" ;;
	esac
}

layer_of() { # layer_of PATH-under-src
	case $1 in
	*/*) echo "${1%%/*}" ;;
	*) echo main ;;
	esac
}

fail=0
checked=0
cd "$src" || exit 99
for f in $(find . -name '*.[ch]' | sed 's|^\./||' | sort); do
	lf=$(layer_of "$f")
	ok=$(allowed "$lf")
	if [ -z "$ok" ]; then
		echo "layers: $f is in no known layer (folder $lf)"
		fail=1
		continue
	fi
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		[ "$h" = config.h ] && continue
		hp=$(find . -name "$h" | sed 's|^\./||' | head -n 1)
		if [ -z "$hp" ]; then
			echo "layers: $f includes \"$h\", which is not under src/"
			fail=1
			continue
		fi
		lh=$(layer_of "$hp")
		checked=$((checked + 1))
		case " $ok " in
		*" $lh "*) ;;
		*)
			echo "layers: $f ($lf) includes $hp ($lh): $lf may include only: $ok"
			fail=1
			;;
		esac
	done
	if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<n?curses(w/)?[a-z]*\.h>' "$f" &&
		[ "$lf" != ui ]; then
		echo "layers: $f includes curses outside ui/"
		fail=1
	fi
	if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<libmnl/' "$f" && [ "$lf" != source ]; then
		echo "layers: $f includes libmnl outside source/"
		fail=1
	fi
done
[ "$checked" -gt 50 ] || { echo "layers: only $checked includes checked"; fail=1; }
[ $fail -eq 0 ] && echo "layers: $checked includes follow the layers"
exit $fail
