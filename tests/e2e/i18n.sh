#!/bin/sh
# i18n.sh - the French catalog is installed where sockview looks, and used:
# by --help, by option errors, by the batch table and by the live view.
#
# The catalog is installed by the po/ machinery itself (make install into a
# private DESTDIR); the test checks that this lands in the LOCALEDIR compiled
# into the binary, then points SOCKVIEW_LOCALEDIR at the DESTDIR copy (the
# build is not installed during make check). A private fr_FR.UTF-8 locale is
# compiled with localedef (Debian: the locales package), since gettext stays
# silent in the C locale. Nothing here skips: a missing tool is a failure.
. "$TESTS_SRCDIR/support/tmuxlib.sh"

tl_init

: "${TESTS_BUILDDIR:?}"
PO_BUILDDIR=$(dirname "$TESTS_BUILDDIR")/po

command -v localedef >/dev/null 2>&1 ||
	tl_fail "localedef not found (install the locales package)"
localedef -i fr_FR -f UTF-8 "$TL_TMP/fr_FR.UTF-8" >"$TL_TMP/localedef.log" 2>&1 ||
	tl_fail "localedef cannot build fr_FR.UTF-8: $(cat "$TL_TMP/localedef.log")"

# Install the catalogs as `make install` would, into a private DESTDIR. The
# sub-make must not inherit the jobserver of the make running the tests.
(
	unset MAKEFLAGS MFLAGS MAKELEVEL
	"${MAKE:-make}" -C "$PO_BUILDDIR" install DESTDIR="$TL_TMP/inst"
) >"$TL_TMP/install.log" 2>&1 ||
	tl_fail "make -C po install failed: $(tail -n 20 "$TL_TMP/install.log")"
MO=$(find "$TL_TMP/inst" -path '*/fr/LC_MESSAGES/sockview.mo' | head -n 1)
[ -n "$MO" ] && [ -s "$MO" ] ||
	tl_fail "make install put no fr/LC_MESSAGES/sockview.mo under DESTDIR"
LOCALEDIR=${MO%/fr/LC_MESSAGES/sockview.mo}
LOCALEDIR=${LOCALEDIR#"$TL_TMP/inst"}
grep -aqF -- "$LOCALEDIR" "$SOCKVIEW" ||
	tl_fail "the binary does not look in $LOCALEDIR, where make install puts the catalog"
tl_log "ok: make install puts sockview.mo in $LOCALEDIR, the binary's LOCALEDIR"

FR_ENV="LOCPATH=$TL_TMP LANG=fr_FR.UTF-8 LANGUAGE=fr SOCKVIEW_LOCALEDIR=$TL_TMP/inst$LOCALEDIR"

# fr CMD...: runs sockview in French (no LC_ALL to override LANG).
fr() {
	# shellcheck disable=SC2086
	env -u LC_ALL -u LC_MESSAGES $FR_ENV "$SOCKVIEW" "$@" \
		>"$TL_TMP/out" 2>"$TL_TMP/err" </dev/null
}

# has FILE TEXT WHAT: FILE contains the fixed string TEXT.
has() {
	grep -qF -- "$2" "$1" || tl_fail "$3: no \"$2\" in: $(cat "$1")"
}

fr --help
rc=$?
[ "$rc" -eq 0 ] || tl_fail "--help in French exited $rc"
has "$TL_TMP/out" "Usage : sockview [OPTION]..." "--help"
has "$TL_TMP/out" "afficher cette aide et quitter" "--help"
if grep -qF "show this help and exit" "$TL_TMP/out"; then
	tl_fail "--help in French still has English lines"
fi
tl_log "ok: --help is French"

fr --bogus
rc=$?
[ "$rc" -eq 2 ] || tl_fail "--bogus in French exited $rc, expected 2"
has "$TL_TMP/err" "option « --bogus » inconnue" "bad option"
has "$TL_TMP/err" "Essayez « sockview --help »" "bad option"
tl_log "ok: a bad option is reported in French"

fr -d abc
rc=$?
[ "$rc" -eq 2 ] || tl_fail "-d abc in French exited $rc, expected 2"
has "$TL_TMP/err" "intervalle de rafraîchissement « abc » invalide" "bad delay"

# Numbers keep their C form in French (a decimal comma locale): -d 0.5 is
# accepted as documented, and the batch table has French titles.
fr --once --no-processes -l -d 0.5
rc=$?
[ "$rc" -eq 0 ] || tl_fail "--once -d 0.5 in French exited $rc: $(cat "$TL_TMP/err")"
head -n 1 "$TL_TMP/out" >"$TL_TMP/head"
has "$TL_TMP/head" "État" "batch table header"
has "$TL_TMP/head" "Adresse locale:Port" "batch table header"
tl_log "ok: -d 0.5 is accepted and the batch table is French"

# The live view: footer hints, column titles, the help screen.
tl_start_shell 120 30
TL_ENV="env -u LC_ALL $FR_ENV" tl_start_sockview -l
tl_wait_for 'F1Aide .*F2Nouveau' || tl_fail "no French footer"
tl_wait_for '^Proto.* État ' || tl_fail "no French column titles"
tl_keys F1
tl_wait_for 'Touches de sockview' || tl_fail "no French help screen"
tl_keys Escape
tl_wait_gone 'Touches de sockview' || tl_fail "the help screen did not close"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not quit on q"
tl_log "ok: the live view is French"
exit 0
