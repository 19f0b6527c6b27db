#!/bin/sh
# e2e_utf8.sh - any UTF-8 text can be typed (issue 12): Latin-1/Latin-A
# letters (U+0107 once acted as Backspace, U+0161 as Shift-Tab, U+0112 as
# F10, so it quit from the search prompt), Cyrillic, CJK, an emoji and a
# combining sequence typed into the search prompt leave sockview running and
# show in the prompt; typed into a client pane of an echo server opened from
# the menu they show in the transcript and come back; sent through a chat
# server they reach an outside peer byte for byte. A filter longer than the
# limit (4096 bytes) is refused with a message, not applied cut, and so is
# a -f option longer than that.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg LANG=C.UTF-8 LC_ALL=C.UTF-8"
TEXT="ć š Ē ň жук 漢字 😀 e$(printf '\314\201') € ✓"
# the same, as the bytes the peer must get
printf 'ć š Ē ň жук 漢字 😀 e\314\201 € ✓\n' >"$TL_TMP/want"
tl_start_shell 120 40
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"

# --- The search prompt: sockview stays, the prompt shows the text ---
tl_keys /
tl_wait_for '^Search:' || tl_fail "/: no search prompt"
tl_text "$TEXT"
tl_screen | grep -qF "Search: $TEXT" || tl_wait_for "^Search: .*✓" ||
	tl_fail "the search prompt does not show the text"
tl_screen | grep -qF "Search: $TEXT" || tl_fail "the search prompt shows other text"
kill -0 "$TL_SV_PID" 2>/dev/null || tl_fail "sockview quit while text was typed"
tl_screen | grep -q 'SV-EXIT' && tl_fail "sockview exited while text was typed"
# Backspace removes the last character only (the check mark), not a word
tl_keys BSpace
tl_wait_gone "^Search: .*✓" || tl_fail "Backspace does not remove the last character"
tl_screen | grep -qF "Search: ${TEXT% ✓}" || tl_fail "Backspace removed more than a character"
tl_keys Escape
tl_wait_gone '^Search:' || tl_fail "Esc does not close the search prompt"

# --- A client pane to an echo server from the menu ---
tl_open_tcp_server Enter 'echo server' 1
EP=$TL_PORT
tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no menu"
tl_keys 5
tl_wait_for "^  Port +$EP *\$" || tl_fail "the client form does not target the echo server"
tl_keys Enter
tl_wait_for "\[2\] client, TCP to 127\.0\.0\.1:$EP" || tl_fail "no client pane"
tl_wait_for "connected, [0-9]+ B in" || tl_fail "the client did not connect"
tl_text "$TEXT"
tl_wait_for "> .*✓" || tl_fail "the input line does not show the text"
tl_screen | grep -qF "> $TEXT" || tl_fail "the input line shows other text"
tl_keys Enter
tl_wait_for "[0-9:.]+ > 127\.0\.0\.1:$EP  .*✓" || tl_fail "the transcript does not show what was sent"
tl_screen | grep -qF "> 127.0.0.1:$EP  $TEXT\\n" || tl_fail "the transcript shows other text than was sent"
tl_wait_for "[0-9:.]+ < 127\.0\.0\.1:$EP  .*✓" || tl_fail "the echo did not come back"
tl_screen | grep -qF "< 127.0.0.1:$EP  $TEXT\\n" || tl_fail "the echo is not the text sent"
# the bytes, as the hex view shows them: ć is c4 87 (not Backspace)
tl_keys C-x
tl_wait_for '0000  c4 87 20 c5 a1 20 c4 92  20 c5 88 20 d0 b6 d1 83 ' ||
	tl_fail "the hex view does not show the UTF-8 bytes"
tl_wait_for '0010  d0 ba 20 e6 bc a2 e5 ad  97 20 f0 9f 98 80 20 65 ' ||
	tl_fail "the hex view does not show the CJK and the emoji"
tl_wait_for '0020  cc 81 20 e2 82 ac 20 e2  9c 93 0a ' ||
	tl_fail "the hex view does not show the combining accent"
tl_keys C-x

# --- Byte for byte to an outside peer, through a chat server ---
tl_keys F8
tl_wait_for 'closed pane \[2\]' || tl_fail "F8 did not close the client pane"
tl_keys F2
tl_wait_for 'New endpoint: choose' || tl_fail "F2: no menu"
tl_keys 2
tl_wait_for '^ New chat server' || tl_fail "no chat server form"
tl_keys Enter
tl_wait_for '\] chat server, TCP 127\.0\.0\.1:[0-9]+' || tl_fail "no chat server pane"
CP=$(tl_screen | sed -n 's/.*\] chat server, TCP 127\.0\.0\.1:\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$CP" ] || tl_fail "no port in the chat server pane's title"
tl_keys F2
tl_wait_for 'New endpoint: choose' || tl_fail "F2: no menu"
tl_keys 5
tl_wait_for "^  Port +$CP *\$" || tl_fail "the client form does not target the chat server"
tl_keys Enter
tl_wait_for "\] client, TCP to 127\.0\.0\.1:$CP" || tl_fail "no client pane"
tl_wait_for "connected, [0-9]+ B in" || tl_fail "the client pane did not connect"
tl_peer "$TL_TMP/chat" chat 127.0.0.1 "$CP"
tl_wait_for 'connected \(2 clients\)' || tl_fail "the chat server does not see two clients"
tl_text "$TEXT"
tl_keys Enter
tl_wait_file_has "$TL_TMP/chat.recv" "✓" || tl_fail "the outside peer did not get the line"
cmp "$TL_TMP/want" "$TL_TMP/chat.recv" >&2 || tl_fail "the outside peer got other bytes than were typed"

# --- A filter longer than the limit: refused, with a message ---
LONG=$("$PYTHON3" -c "print('port 1 or ' * 410 + 'port 2200', end='')")
printf '%s' "$LONG" >"$TL_TMP/long"
tl_keys F4
tl_wait_for '^Filter:' || tl_fail "F4: no filter prompt"
tmx load-buffer "$TL_TMP/long"
tmx paste-buffer -t "$TL_SESSION"
tl_wait_for 'too long: the text is limited to 4096 bytes, the rest was refused' ||
	tl_fail "no message for a filter past the limit"
tl_keys Enter
tl_wait_for 'too long: .*shorten it to apply it' || tl_fail "Enter applied a filter past the limit"
tl_wait_for '^Filter:' || tl_fail "the filter prompt closed"
tl_wait_for 'Filter none' || tl_fail "a cut filter was applied"
tl_keys Escape
tl_wait_gone '^Filter:' || tl_fail "Esc does not close the filter prompt"

# --- Quit (endpoints are open: it asks) ---
tl_keys F10
tl_wait_for 'panes are open: quit and close them\?' || tl_fail "F10 did not ask"
tl_keys y
tl_wait_for '^SV-EXIT=0$' || tl_fail "y did not quit with status 0"
tl_check_shell_back quit

# --- -f longer than the limit: a clear error, exit status 2 ---
"$SOCKVIEW" -f "$LONG" >"$TL_TMP/f.out" 2>"$TL_TMP/f.err"
st=$?
[ "$st" = 2 ] || tl_fail "-f past the limit: exit status $st, not 2"
grep -q 'filter expression too long: 4109 bytes, at most 4096' "$TL_TMP/f.err" ||
	{ cat "$TL_TMP/f.err" >&2; tl_fail "-f past the limit: no clear error"; }
exit 0
