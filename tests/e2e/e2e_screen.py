"""Reads a tmux screen capture on stdin and checks what a person would see.

Usage: e2e_screen.py MODE [ARGS]

  reverse         the capture is `capture-pane -e -p` (SGR codes included):
                  prints, one per line, "N:TEXT" for each screen line N
                  (1-based) whose first cell is drawn in reverse video.
                  tmux writes a code only where the attributes change, even
                  across lines, so the state is carried from line to line.
  colours         the same kind of capture: prints how many SGR codes set a
                  foreground or background colour.
  column HEAD ROWRE TEXT
                  the capture is plain (`capture-pane -p`): on the header line
                  (the first line that contains HEAD as a word), finds the display
                  column of HEAD; on the first line matching the regex ROWRE,
                  checks that the text at that same display column starts
                  with TEXT (wide characters count two cells). Exit 1 with a
                  message otherwise.
"""

import re
import sys
import unicodedata

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def reverse_lines(text):
    rev = False
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        first = None
        pos = 0
        while pos <= len(line):
            m = SGR.match(line, pos)
            if m:
                for code in (m.group(1) or "0").split(";"):
                    code = code or "0"
                    if code == "0":
                        rev = False
                    elif code == "7":
                        rev = True
                    elif code == "27":
                        rev = False
                pos = m.end()
                continue
            if first is None and pos < len(line):
                first = rev
            pos += 1
        if first:
            out.append("%d:%s" % (n, SGR.sub("", line)))
    return out


def colour_codes(text):
    n = 0
    for m in SGR.finditer(text):
        codes = [int(c) for c in (m.group(1) or "0").split(";") if c]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c in (38, 48):
                n += 1
                i += 3 if i + 1 < len(codes) and codes[i + 1] == 5 else 5
                continue
            if 30 <= c <= 37 or 40 <= c <= 47 or 90 <= c <= 97 or 100 <= c <= 107:
                n += 1
            i += 1
    return n


def cells(s):
    """The display column of each character of s."""
    col = 0
    out = []
    for ch in s:
        out.append(col)
        if unicodedata.combining(ch):
            continue
        col += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return out


def column(text, head, rowre, want):
    lines = text.split("\n")
    hx = None
    for line in lines:
        m = re.search(r"(^|\s)" + re.escape(head) + r"(\s|$)", line)
        if m:
            hx = cells(line)[m.start() + len(m.group(1))]
            break
    if hx is None:
        sys.exit("no header line with %r" % head)
    for line in lines:
        if re.search(rowre, line):
            cols = cells(line)
            for i, c in enumerate(cols):
                if c == hx:
                    if line[i:].startswith(want):
                        return 0
                    sys.exit("at column %d of %r: %r, not %r" % (hx, line, line[i:], want))
                if c > hx:
                    break
            sys.exit("no character starts at column %d of %r" % (hx, line))
    sys.exit("no line matches %r" % rowre)


def main():
    text = sys.stdin.buffer.read().decode("utf-8", "replace")
    mode = sys.argv[1]
    if mode == "reverse":
        for line in reverse_lines(text):
            print(line)
        return 0
    if mode == "colours":
        print(colour_codes(text))
        return 0
    if mode == "column" and len(sys.argv) == 5:
        return column(text, sys.argv[2], sys.argv[3], sys.argv[4])
    sys.exit("usage: e2e_screen.py reverse|colours|column HEAD ROWRE TEXT")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # the reader (grep -q) had enough
        sys.exit(0)
