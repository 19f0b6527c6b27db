#!/usr/bin/env python3
"""Hostile strings in every batch output (issue 6, item 3).

Three helper processes (hostile_holder.py) hold Unix sockets whose names -
paths and abstract names - carry ESC and OSC sequences, C1 controls, DEL,
bidi overrides, invalid UTF-8, NUL, wide and combining characters, CSV
quotes, and the longest names the kernel allows; their process names
(prctl(PR_SET_NAME)) carry the same, and one is ") S 1 1 (x", the /proc/PID/stat
trap, and one has a comma, quotes and a line break, which CSV must keep in
one field. `sockview --once` in table, CSV and JSON, in a UTF-8 locale and in
LC_ALL=C, must show each exactly as the expected visible escapes (never a
raw control byte), keep the table's columns aligned (display width, as
wcswidth() counts it) and round-trip names through JSON. Error messages on
stderr that quote what the user typed are escaped too.
"""
import csv
import ctypes
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

SOCKVIEW = os.environ["SOCKVIEW"]
SRCDIR = os.environ["TESTS_SRCDIR"]
failures = []

libc = ctypes.CDLL(None)
libc.setlocale.restype = ctypes.c_char_p
libc.setlocale.argtypes = [ctypes.c_int, ctypes.c_char_p]
libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]
LC_CTYPE = 0
if not libc.setlocale(LC_CTYPE, b"C.UTF-8"):
    sys.exit("FAIL: no C.UTF-8 locale")

UTF8_ENV = dict(os.environ, LC_ALL="C.UTF-8")
C_ENV = dict(os.environ, LC_ALL="C")


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)
    return cond


def width(s):
    w = libc.wcswidth(s, len(s))
    if w < 0:
        raise AssertionError("unprintable character in %r" % s)
    return w


def run(args, env, expect=0):
    p = subprocess.run([SOCKVIEW] + args, capture_output=True, env=env, timeout=60,
                       stdin=subprocess.DEVNULL)
    if p.returncode != expect:
        raise SystemExit("FAIL: sockview %s exited %d: %s" % (args, p.returncode, p.stderr))
    return p


def jtext(raw):
    """What a JSON string decodes to: a backslash as two, each byte of
    invalid UTF-8 as the text \\xNN (issue 18 item 7: reversible)."""
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def raw_unsafe(b, allow_nl=True):
    """What in the bytes b could act on a terminal (None if nothing)."""
    for i, c in enumerate(b):
        if (c < 0x20 and not (allow_nl and c == 0x0a)) or c == 0x7f:
            return "control byte 0x%02x at %d" % (c, i)
    try:
        t = b.decode("utf-8")
    except UnicodeDecodeError as e:
        return "invalid UTF-8: %s" % e
    for i, ch in enumerate(t):
        o = ord(ch)
        if 0x80 <= o < 0xa0 or o in (0x061c, 0x2028, 0x2029, 0xfeff) or \
                0x200b <= o <= 0x200f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
            return "control character U+%04X at %d" % (o, i)
    return None


tmp = tempfile.mkdtemp(prefix="svhostile.")
os.chmod(tmp, 0o755)
tag = "svh%d" % os.getpid()
T = tag.encode()

# (kind, raw name, display in a UTF-8 locale, display in the C locale);
# abstract names are shown with a leading "@".
long_abstract = T + b"-long\x1b]2;" + b"A" * 80
long_abstract += b"\x9b" * (107 - len(long_abstract))   # 107 bytes + the leading NUL
long_path = b"\x1b[31m" + b"P" * (107 - len(tmp) - 1 - 5 - 5) + b".sock"  # 107 with the dir
assert len(os.fsencode(tmp)) + 1 + len(long_path) == 107
NAMES = [
    ("abstract", T + b"-osc\x1b]0;PWNED\x07",
     "@%s-osc\\x1b]0;PWNED\\x07" % tag, "@%s-osc\\x1b]0;PWNED\\x07" % tag),
    ("abstract", T + b"-c1\x1b[2J\xc2\x9b31m\x7f\xc2\x85",
     "@%s-c1\\x1b[2J\\u{9b}31m\\x7f\\u{85}" % tag,
     "@%s-c1\\x1b[2J\\xc2\\x9b31m\\x7f\\xc2\\x85" % tag),
    ("abstract", T + b"-bidi\xe2\x80\xaegnp.exe\xe2\x81\xa6",
     "@%s-bidi\\u{202e}gnp.exe\\u{2066}" % tag,
     "@%s-bidi\\xe2\\x80\\xaegnp.exe\\xe2\\x81\\xa6" % tag),
    ("abstract", T + b"-bad\xff\xfe\xc0\xaf\xed\xa0\x80\xe2\x82",
     "@%s-bad\\xff\\xfe\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82" % tag,
     "@%s-bad\\xff\\xfe\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82" % tag),
    ("abstract", T + b"-nul\x00x\r\n",
     "@%s-nul\\x00x\\r\\n" % tag, "@%s-nul\\x00x\\r\\n" % tag),
    ("abstract", long_abstract,
     "@%s-long\\x1b]2;%s%s" % (tag, "A" * 80, "\\x9b" * (107 - len(T) - 89)),
     "@%s-long\\x1b]2;%s%s" % (tag, "A" * 80, "\\x9b" * (107 - len(T) - 89))),
    ("abstract", T + b'-csv,"q" x',
     '@%s-csv,"q" x' % tag, '@%s-csv,"q" x' % tag),
    ("path", b"p\tq\\r\xe2\x80\xaes.sock",
     tmp + "/p\\tq\\\\r\\u{202e}s.sock", tmp + "/p\\tq\\\\r\\xe2\\x80\\xaes.sock"),
    ("path", long_path,
     tmp + "/\\x1b[31m" + "P" * (len(long_path) - 10) + ".sock",
     tmp + "/\\x1b[31m" + "P" * (len(long_path) - 10) + ".sock"),
    ("path", "日本語-wide.sock".encode(),
     tmp + "/日本語-wide.sock", tmp + "/\\xe6\\x97\\xa5\\xe6\\x9c\\xac\\xe8\\xaa\\x9e-wide.sock"),
    ("abstract", T + "-wide-ＡＢ😀e\u0301".encode(),
     "@%s-wide-ＡＢ😀e\u0301" % tag,
     "@%s-wide-\\xef\\xbc\\xa1\\xef\\xbc\\xa2\\xf0\\x9f\\x98\\x80e\\xcc\\x81" % tag),
    ("abstract", T + b"-trunc", "@%s-trunc" % tag, "@%s-trunc" % tag),
    ("abstract", T + b"-csvcomm", "@%s-csvcomm" % tag, "@%s-csvcomm" % tag),
]
# (comm bytes, display in UTF-8, display in C, which NAMES it holds)
COMMS = [
    (b"\x1b]0;T\x07\xe2\x80\xae\x7f\xff", "\\x1b]0;T\\x07\\u{202e}\\x7f\\xff",
     "\\x1b]0;T\\x07\\xe2\\x80\\xae\\x7f\\xff", range(0, 7)),
    (b") S 1 1 (x", ") S 1 1 (x", ") S 1 1 (x", range(7, 10)),
    (b"w\xc2\x9b\n\t\\\xe6\x97\xa5", "w\\u{9b}\\n\\t\\\\日",
     "w\\xc2\\x9b\\n\\t\\\\\\xe6\\x97\\xa5", range(10, 11)),
    # 16 bytes given, the kernel keeps 15: the last character is cut in two
    ("a日日日日日".encode()[:15], "a日日日日\\xe6\\x97",
     "a" + "\\xe6\\x97\\xa5" * 4 + "\\xe6\\x97", range(11, 12)),
    # what a spreadsheet would split: comma, quotes, a line break, ESC, space
    (b'q,"x"\n\x1by z', 'q,"x"\\n\\x1by z', 'q,"x"\\n\\x1by z', range(12, 13)),
]
COMM_GIVEN = {3: "a日日日日日".encode()}

holders = []
socks = {}  # inode -> (name index, comm index, pid)
try:
    for ci, (comm, _, _, idx) in enumerate(COMMS):
        args = [sys.executable, os.path.join(SRCDIR, "integration", "hostile_holder.py"),
                "--comm", COMM_GIVEN.get(ci, comm).hex(), "--dir", tmp]
        for i in idx:
            kind, raw = NAMES[i][0], NAMES[i][1]
            args += ["--" + kind, raw.hex()]
        h = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        holders.append(h)
        info = json.loads(h.stdout.readline())
        for i, s in zip(idx, info["sockets"]):
            socks[s["inode"]] = (i, ci, info["pid"])
    check(len(socks) == len(NAMES), "helpers hold all %d hostile sockets" % len(NAMES))

    # --- JSON: valid, safe, exact round trip of names and process names.
    for env, loc in ((UTF8_ENV, "UTF-8"), (C_ENV, "C")):
        out = run(["--once", "-x", "--format=json"], env).stdout
        bad = raw_unsafe(out)
        check(bad is None, "json (%s locale): nothing raw (%s)" % (loc, bad))
        rows = {r["inode"]: r for r in json.loads(out.decode("utf-8"))}
        for ino, (i, ci, pid) in socks.items():
            kind, raw = NAMES[i][0], NAMES[i][1]
            r = rows.get(ino)
            if not check(r is not None, "json (%s): socket %d listed" % (loc, i)):
                continue
            want = ("@" if kind == "abstract" else tmp + "/") + jtext(raw)
            check(r["local"] == {"path": want},
                  "json (%s): name %d round-trips (%r)" % (loc, i, r["local"]))
            procs = [p for p in r["processes"] if p["pid"] == pid]
            check(len(procs) == 1 and procs[0]["comm"] ==
                  jtext(COMMS[ci][0]),
                  "json (%s): process name %d round-trips (%r)" % (loc, ci, procs))

    # --- table: exact escapes, aligned columns.
    for env, loc, col in ((UTF8_ENV, "UTF-8", 2), (C_ENV, "C", 3)):
        out = run(["--once", "-x", "--format=table"], env).stdout
        bad = raw_unsafe(out)
        check(bad is None, "table (%s locale): nothing raw (%s)" % (loc, bad))
        if loc == "C":
            check(all(b < 0x80 for b in out), "table (C locale): ASCII only")
        lines = out.decode("utf-8").splitlines()
        head = lines[0]
        peer_col = width(head[:head.index("Peer Address:Port")])
        proc_col = width(head[:head.index("Process")])
        for ino, (i, ci, pid) in socks.items():
            cell = "%s %d" % (NAMES[i][col], ino)
            mine = [ln for ln in lines if cell in ln]
            if not check(len(mine) == 1, "table (%s): name %d shown as %r" % (loc, i, NAMES[i][col])):
                continue
            ln = mine[0]
            end = ln.index(cell) + len(cell)
            peer = end + len(ln[end:]) - len(ln[end:].lstrip(" "))
            check(width(ln[:peer]) == peer_col,
                  "table (%s): peer column aligned after name %d (at %d, header at %d)"
                  % (loc, i, width(ln[:peer]), peer_col))
            users = '(("%s",pid=%d,fd=' % (COMMS[ci][col - 1], pid)
            check(users in ln, "table (%s): process name %d shown as %r" % (loc, ci, users))
            if "users:(" in ln:
                check(width(ln[:ln.index("users:(")]) == proc_col,
                      "table (%s): process column aligned after name %d" % (loc, i))

    # --- CSV: exact escapes inside properly quoted fields.
    for env, loc, col in ((UTF8_ENV, "UTF-8", 2), (C_ENV, "C", 3)):
        out = run(["--once", "-x", "--format=csv"], env).stdout
        bad = raw_unsafe(out)
        check(bad is None, "csv (%s locale): nothing raw (%s)" % (loc, bad))
        if loc == "C":
            check(all(b < 0x80 for b in out), "csv (C locale): ASCII only")
        recs = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
        hdr = recs[0]
        check(all(len(r) == len(hdr) for r in recs[1:]),
              "csv (%s): %d fields in every row" % (loc, len(hdr)))
        rows = {int(r[hdr.index("inode")]): r for r in recs[1:]
                if len(r) == len(hdr)}
        for ino, (i, ci, pid) in socks.items():
            r = rows.get(ino)
            if not check(r is not None, "csv (%s): socket %d listed" % (loc, i)):
                continue
            check(r[hdr.index("local_addr")] == NAMES[i][col],
                  "csv (%s): name %d is %r" % (loc, i, r[hdr.index("local_addr")]))
            check(('(("%s",pid=%d,fd=' % (COMMS[ci][col - 1], pid)) in r[hdr.index("processes")],
                  "csv (%s): process name %d escaped" % (loc, ci))
            # the owner in columns of its own: one field each, whatever
            # the name holds (csv.reader has undone the quoting)
            own = {k: r[hdr.index(k)] if k in hdr else None
                   for k in ("pid", "comm", "fd", "owners")}
            check(own["pid"] == str(pid) and own["comm"] == COMMS[ci][col - 1]
                  and (own["fd"] or "").isdigit() and own["owners"] == "1",
                  "csv (%s): socket %d's owner in pid, comm, fd, owners: %r" % (loc, i, own))

    # --- a filter with a hostile word selects the socket, and its error
    # message quotes hostile bytes escaped.
    out = run(["--once", "-x", "--format=json", "-f", "path @%s-osc*" % tag], UTF8_ENV).stdout
    got = {r["inode"] for r in json.loads(out.decode("utf-8"))}
    check(got == {ino for ino, v in socks.items() if v[0] == 0},
          "-f 'path @...-osc*' selects exactly the OSC socket")
    p = run(["--once", "-f", "state \x1b]0;PWNED\x07\u202e"], UTF8_ENV, expect=2)
    check(raw_unsafe(p.stderr, allow_nl=True) is None and b"\\x1b]0;PWNED\\x07" in p.stderr,
          "filter error quotes the token escaped: %r" % p.stderr)
    for args in (["-N", "\x1b]0;PWNED\x07"], ["-d", "\x1b[2J"], ["--format", "\x1b[2J"],
                 ["--\x1b[2Jx"], ["-f", "tcp", "\x1b]0;PWNED\x07"]):
        p = run(["--once"] + args, UTF8_ENV, expect=2)
        check(raw_unsafe(p.stderr, allow_nl=True) is None and b"\\x1b" in p.stderr,
              "usage error for %r quotes the value escaped: %r" % (args, p.stderr))
finally:
    for h in holders:
        h.stdin.close()
        h.terminate()
    for h in holders:
        h.wait(timeout=30)
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
