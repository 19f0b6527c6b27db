#!/bin/sh
# e2e_escape.sh - the live view keeps two names apart that differ only in
# how they are written (issue 18 item 7): a path with the invalid byte 0xff
# shows as "a\xff.sock", one with the four characters \xff as
# "a\\xff.sock" - in the table and in the details.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
# a<0xff>.sock and a\xff.sock (literal backslash, x, f, f)
tl_sockets "$TL_TMP/s1" unixhex "$TL_TMP" 61ff2e736f636b
tl_sockets "$TL_TMP/s2" unixhex "$TL_TMP" 615c7866662e736f636b

tl_start_shell 120 40
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys /
tl_text ".sock"
tl_keys Enter
# grep -E: "\\\\" is one backslash on screen
tl_wait_for '^u_str +LISTEN .*/a\\xff\.sock ' || tl_fail "the invalid byte is not shown as \\xff"
tl_wait_for '^u_str +LISTEN .*/a\\\\xff\.sock ' || tl_fail "the text \\xff is not shown as \\\\xff"
n=$(tl_screen | grep -Ec '^u_str +LISTEN .*/a\\(\\)?xff\.sock ')
[ "$n" = 2 ] || tl_fail "expected two distinct rows, got $n"
# the details too
tl_keys /
tl_keys C-u
tl_text 'a\\xff'
tl_keys Enter
tl_wait_for '^u_str +LISTEN .*/a\\\\xff\.sock ' || tl_fail "search for the text did not find it"
tl_keys Enter
tl_wait_for '^Path +.*/a\\\\xff\.sock$' || tl_fail "the details do not show \\\\xff"
tl_keys Escape
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
