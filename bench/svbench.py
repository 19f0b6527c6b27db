"""svbench.py - helpers shared by the live benchmarks (live.py, epload.py).

What a process costs, read from /proc (CPU seconds, memory), and a tmux
control-mode client that sends keys and reads the screen over one pipe, so
that timing a key press costs a round trip to the tmux server (well under a
millisecond) instead of starting a tmux client per key or per look.
"""
import os
import select
import subprocess
import time

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    """The fields of /proc/PID/stat from the state (field 3) on."""
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    # the name may hold anything, ')' and spaces too: start after the last ')'
    return s[s.rindex(")") + 2:].split()


def own_cpu(pid):
    """CPU seconds (utime + stime) of pid itself."""
    f = stat_fields(pid)
    return (int(f[11]) + int(f[12])) / TICK


def reaped_cpu(pid):
    """CPU seconds of pid's reaped children (cutime + cstime)."""
    f = stat_fields(pid)
    return (int(f[13]) + int(f[14])) / TICK


def status_kb(pid, key):
    """A kB field of /proc/PID/status (VmRSS, VmHWM...); 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sched_ns(pid):
    """Nanoseconds pid has spent on a CPU (/proc/PID/schedstat)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


class Control:
    """A tmux control-mode client (tmux -C attach) of the server `sock`."""

    def __init__(self, tmux_bin, sock):
        self.p = subprocess.Popen([tmux_bin, "-L", sock, "-C", "attach"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.buf = b""
        self.seq = 0
        self.cmd("display-message -p ready")  # drains the attach's own block

    def _line(self, deadline):
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("tmux control mode: no answer")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    raise EOFError("tmux control mode closed")
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def cmd(self, line, timeout=10.0):
        """Runs one command; returns its output lines."""
        self.seq += 1
        tag = f"svbench-{self.seq}"
        self.p.stdin.write(f"{line}\ndisplay-message -p {tag}\n".encode())
        deadline = time.monotonic() + timeout
        out, block, inside = [], [], False
        while True:
            ln = self._line(deadline)
            if ln.startswith("%begin"):
                inside, block = True, []
            elif ln.startswith("%end") or ln.startswith("%error"):
                inside = False
                if block == [tag]:
                    return out
                out = block
            elif inside:
                block.append(ln)
            # anything else (%output ...) is a notification: ignored

    def screen(self):
        """The visible screen as one string."""
        return "\n".join(self.cmd("capture-pane -p"))

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def ctl_wait_text(ctl, text, present, timeout=10.0, poll=0.001):
    """Seconds until text is (or is no longer) on the screen, polling
    through the control client every `poll` seconds; None on timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if (text in ctl.screen()) == present:
            return time.monotonic() - t0
        time.sleep(poll)
    return None
