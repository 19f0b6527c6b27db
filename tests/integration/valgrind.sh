#!/bin/sh
# valgrind.sh - the batch mode under valgrind: no leak, no invalid access.
#
# Runs `sockview --once` in each format (and its error paths) with hostile
# sockets open (sockholder.py --hostile: ESC/OSC/C1/bidi/invalid UTF-8
# names and a hostile process name), under
#   valgrind --leak-check=full --error-exitcode=99
# and checks that the output is still right. In a sanitizer build
# (--enable-sanitizers) valgrind cannot run the ASan binary, so the same
# runs go through LeakSanitizer instead, which makes the same checks.
# The live view under valgrind, driven in tmux: tests/e2e_valgrind.sh.
. "$TESTS_SRCDIR/support/lib.sh"

if grep -q __asan_init "$SOCKVIEW" 2>/dev/null; then
	echo "ASan build: the same runs under AddressSanitizer + LeakSanitizer"
	ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0
	LSAN_OPTIONS=exitcode=99
	export ASAN_OPTIONS LSAN_OPTIONS
	VG=""
else
	if ! command -v valgrind >/dev/null 2>&1; then
		fail "valgrind is not installed (quickstart.sh installs it)"
		t_done
	fi
	VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --log-file=$T_TMP/vg.%p.log"
fi

t_holder hold --hostile --comm "$(printf 'sv\033]0;vg\007\177x')"

# vg CODE NAME ARGS...: runs sockview ARGS under valgrind (or ASan) with
# stdout in $T_TMP/NAME.out; the exit status must be CODE. VG_ENV may hold
# an env(1) prefix.
VG_ENV=""
vg() {
	code=$1
	name=$2
	shift 2
	# shellcheck disable=SC2086
	$VG_ENV $VG "$SOCKVIEW" "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" </dev/null
	rc=$?
	if [ "$rc" -eq 99 ]; then
		fail "$name: memory errors or leaks: $(cat "$T_TMP"/vg.*.log "$T_TMP/$name.err" 2>/dev/null | head -40)"
	elif [ "$rc" -ne "$code" ]; then
		fail "$name: exit $rc, expected $code: $(head -5 "$T_TMP/$name.err")"
	else
		pass "$name: clean (exit $rc)"
	fi
	rm -f "$T_TMP"/vg.*.log
}

vg 0 json --once --format=json
"$PYTHON3" -c '
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if any((r["local"] or {}).get("path", "").startswith("@svevil\x1b]0;PWNED") for r in rows) else 1)
' "$T_TMP/json.out" && pass "json: valid, with the hostile name" || fail "json output wrong"

vg 0 table --once --format=table
grep -qF '@svevil\x1b]0;PWNED\x07' "$T_TMP/table.out" && pass "table: hostile name escaped" ||
	fail "table output lacks the escaped hostile name"

vg 0 csv --once --format=csv -f 'unix or (tcp and state listening)'
grep -q '^unix,unix,stream,LISTEN' "$T_TMP/csv.out" && pass "csv: lists the Unix listeners" ||
	fail "csv output wrong"

VG_ENV="env LC_ALL=C"
vg 0 table-c --once -x
VG_ENV=""
grep -qF '@svevil\x1b]0;PWNED\x07' "$T_TMP/table-c.out" && pass "C locale table: escaped" ||
	fail "C locale table output wrong"

vg 0 noproc --once -t -l --no-processes --format=json
vg 2 badfilter --once -f 'tcp and ('
grep -q column "$T_TMP/badfilter.err" && pass "bad filter: message" || fail "bad filter: no message"
vg 2 badns --once -N nosuch
vg 2 badopt --once --bogus
# a full disk: the write error path
# shellcheck disable=SC2086
$VG "$SOCKVIEW" --once --format=json >/dev/full 2>"$T_TMP/full.err" </dev/null
rc=$?
[ "$rc" -eq 1 ] && pass "--once >/dev/full: clean (exit 1)" ||
	fail "--once >/dev/full: exit $rc: $(cat "$T_TMP"/vg.*.log "$T_TMP/full.err" 2>/dev/null | head -40)"

t_done
