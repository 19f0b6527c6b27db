#!/bin/sh
# e2e_tour.sh - the guided tour (issue 16, SPEC §9: T, --tour) as a scripted
# learner takes it: every step is done by the keys it names and confirmed
# only when the table shows it; Esc leaves the tour at any time and T
# resumes it where it was.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"
tl_start_shell 140 50
tl_start_sockview --tour
tl_wait_for 'Guided tour: the tutorials' || tl_fail "--tour: no tour page"
tl_wait_for 'now +1\. What a socket is' || tl_fail "the tour does not start at step 1"

# Esc leaves at once; T resumes on the page, Enter goes to the table.
tl_keys Escape
tl_wait_for 'left the tour at step 1: T resumes it' || tl_fail "Esc did not leave the tour"
tl_wait_gone 'Tour, step' || tl_fail "the tour's box stays after Esc"
tl_keys T
tl_wait_for 'Guided tour: the tutorials' || tl_fail "T: no tour page"
tl_keys Enter
tl_wait_for 'Tour, step 1 of 8: What a socket is' || tl_fail "no tour box in the table"
tl_wait_for 'Open a TCP echo server: n, then 1' || tl_fail "the box does not say what to press"

# 1: an echo server
tl_keys n 1
tl_wait_for '^ New echo server' || tl_fail "no echo form"
tl_keys Enter
tl_wait_for 'Tour, step 2 of 8' || tl_fail "step 1 not confirmed from the table"
# 2: a client, and its echo
tl_keys n 5
tl_wait_for '^ New client' || tl_fail "no client form"
tl_keys Enter
tl_wait_for 'connected, [0-9]+ B in' || tl_fail "the client did not connect"
tl_wait_for 'Tour, step 2 of 8' || tl_fail "step 2 confirmed before the echo"
tl_text hello
tl_keys Enter
tl_wait_for 'Tour, step 3 of 8' || tl_fail "step 2 (the echo) not confirmed"
tl_keys Escape
# 3: a Unix echo server
tl_keys n 1
tl_wait_for '^ New echo server' || tl_fail "no echo form (Unix)"
tl_keys Right Right
tl_wait_for '\[Unix stream\]' || tl_fail "no Unix stream transport"
tl_keys Enter
tl_wait_for 'Tour, step 4 of 8' || tl_fail "step 3 (Unix) not confirmed"
# Esc in the middle: left, and resumed where it was
tl_keys Escape
tl_wait_for 'left the tour at step 4' || tl_fail "Esc did not leave the tour (step 4)"
tl_keys T
tl_wait_for 'now +4\. TCP and UDP' || tl_fail "T did not resume at step 4"
tl_wait_for 'done +1\. What a socket is' || tl_fail "the page does not mark step 1 done"
tl_keys Enter
# 4: a UDP echo server
tl_keys n 1
tl_wait_for '^ New echo server' || tl_fail "no echo form (UDP)"
tl_keys Right
tl_wait_for '\[UDP\]' || tl_fail "no UDP transport"
tl_keys Enter
tl_wait_for 'Tour, step 5 of 8' || tl_fail "step 4 (UDP) not confirmed"
# 5: the chat until bye
tl_keys n 2
tl_wait_for '^ New chat server' || tl_fail "no chat form"
tl_keys Enter
tl_wait_for 'chat server listening' || tl_fail "no chat server"
tl_keys n 5
tl_wait_for '^ New client' || tl_fail "no client form (chat)"
tl_keys Enter
tl_wait_for 'Tour, step 6 of 8' || tl_fail "step 5 (chat) not confirmed"
tl_text bye
tl_keys Enter Escape
# 6: the greeting server
tl_keys n 3
tl_wait_for '^ New greeting server' || tl_fail "no greeting form"
tl_keys Enter
tl_wait_for 'greeting server listening' || tl_fail "no greeting server"
tl_keys n 5
tl_wait_for '^ New client' || tl_fail "no client form (greeting)"
tl_keys Enter
tl_wait_for 'Thank you for connecting' || tl_fail "no greeting"
tl_wait_for 'Tour, step 7 of 8' || tl_fail "step 6 (greeting) not confirmed"
tl_keys Escape
# 7: listening sockets only, as ss -l
tl_keys l
tl_wait_for 'Tour, step 8 of 8' || tl_fail "step 7 (l) not confirmed"
# 8: the state lab
tl_keys l n 6 1
tl_wait_for 'state lab: CLOSE-WAIT' || tl_fail "no lab pane"
tl_wait_for 'Tour: every step is done' || tl_fail "step 8 (the lab) not confirmed"
# Esc: to the table, then out of the tour
tl_keys Escape Escape
tl_wait_for 'left the tour' || tl_fail "Esc did not leave the finished tour"
tl_wait_gone 'Tour: every step' || tl_fail "the box stays"

tl_keys q
tl_wait_for 'quit and close them\?' || tl_fail "no quit question"
tl_keys y
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit cleanly"
tl_log "ok"
