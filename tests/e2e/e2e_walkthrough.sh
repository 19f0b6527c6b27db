#!/bin/sh
# e2e_walkthrough.sh - the README's walk-through, typed exactly as written
# (issue 12): n Enter Enter opens an echo server; n 5 Enter a client that
# has the focus; hello Enter comes back. Then the same after opening a
# chat server: its pane does not take the keys, so "n" then "5" opens the
# client form instead of typing "n5" into the chat.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"
tl_start_shell 120 40
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"

# 1. n (or F2) and Enter: the echo server form; Enter again opens it
tl_keys n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "step 1: no menu"
tl_keys Enter
tl_wait_for '^ New echo server' || tl_fail "step 1: no form"
tl_keys Enter
tl_wait_for '^\[1\] echo server, TCP 127\.0\.0\.1:[0-9]+' || tl_fail "step 1: no pane"
tl_wait_for '^listening, 0 clients' || tl_fail "step 1: no status"
# 2. n, then 5 (client) and Enter: a second pane with the focus
tl_keys n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "step 2: n did not open the menu"
tl_keys 5
tl_wait_for '^ New client' || tl_fail "step 2: 5 did not open the client form"
tl_keys Enter
tl_wait_for '▶ \[2\] client, TCP to 127\.0\.0\.1:[0-9]+' || tl_fail "step 2: the client has no focus"
tl_wait_for 'connected, ' || tl_fail "step 2: the client did not connect"
# 3. hello and Enter: it comes back
tl_text hello
tl_keys Enter
tl_wait_for '< 127\.0\.0\.1:[0-9]+  hello\\n' || tl_fail "step 3: no echo"

# A chat server, then n and 5 again: letters go to the table, not the chat
tl_keys Escape n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "chat: no menu"
tl_keys 2
tl_wait_for '^ New chat server' || tl_fail "chat: no form"
tl_keys Enter
tl_wait_for '\[3\] chat server, TCP 127\.0\.0\.1:[0-9]+' || tl_fail "chat: no pane"
tl_keys n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "chat: n was typed into the chat"
tl_keys 5
tl_wait_for '^ New client' || tl_fail "chat: 5 did not open the client form"
tl_screen | grep -q '> n5' && tl_fail "chat: n5 was typed into the chat"
tl_keys Enter
tl_wait_for '▶ \[4\] client, TCP to 127\.0\.0\.1:[0-9]+' || tl_fail "chat: no client pane"
tl_wait_for 'connected \(1 client\)' || tl_fail "chat: the client did not reach the chat server"

tl_keys F10
tl_wait_for 'panes are open: quit and close them\?' || tl_fail "F10 did not ask"
tl_keys y
tl_wait_for '^SV-EXIT=0$' || tl_fail "y did not quit"
exit 0
