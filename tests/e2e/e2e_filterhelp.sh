#!/bin/sh
# e2e_filterhelp.sh - F1 on the filter prompt shows the filter language
# (the man page's FILTERS section, issue 12 item 14): the grammar and the
# terms, no troff left; it scrolls; Esc goes back to the prompt with the
# text typed so far, which can then be finished and applied.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 100 30

tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys f
tl_wait_for '^Filter: +F1: syntax' || tl_fail "the filter prompt does not mention F1"
tl_text 'tcp and '
tl_wait_for '^Filter: tcp and *$' || tl_fail "the text typed is not on the prompt"
tl_keys F1
tl_wait_for 'The filter language' || tl_fail "F1 on the filter prompt: no filter language page"
tl_wait_for '^ +Grammar' || tl_fail "no grammar heading"
tl_wait_for 'expr +:= and \{ \(or \| \|\| \| \|\) and \}' || tl_fail "no grammar"
tl_wait_for 'EscBack' || tl_fail "no Esc hint in the footer"
if tl_screen | grep -q '\\f'; then
	tl_fail "troff font escapes on the page: $(tl_screen | grep '\\f')"
fi
# it scrolls: the terms come into view, then the end
tl_keys PageDown
tl_wait_for 'sport \[OP\] PORT' || tl_wait_for 'state STATE, exclude STATE' ||
	tl_fail "PgDn did not bring the terms into view"
tl_keys End
tl_wait_for 'the result is the same either way' || tl_fail "End did not show the end of the page"
tl_wait_gone '^ +Grammar' || tl_fail "End did not scroll the grammar away"

# Esc: the prompt again, with its text
tl_keys Escape
tl_wait_for '^Filter: tcp and *$' || tl_fail "Esc did not go back to the prompt with its text"
tl_wait_gone 'The filter language' || tl_fail "the page stayed"
tl_text 'port 22'
tl_keys Enter
tl_wait_for 'Filter tcp and port 22' || tl_fail "the expression finished after the page was not applied"
tl_keys F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
exit 0
