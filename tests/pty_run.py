#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/pty_run.py: run a command with its standard error (and, with --stdout-tty, its
standard output) on a pseudo-terminal of a given size, as a user's terminal would be, and
write what it drew there to a file. Used by the progress-line tests.

  pty_run.py --cols N [--resize-when TEXT --resize-to M] [--stdout-tty] OUT -- CMD...

--resize-when: once TEXT has been drawn, set the terminal to M columns and send the command
SIGWINCH, as a terminal emulator does when its window is resized; a line "--RESIZED--" in
OUT marks the moment. Exits with CMD's status.
"""
import argparse, fcntl, os, pty, select, signal, struct, subprocess, sys, termios

ap = argparse.ArgumentParser()
ap.add_argument("--cols", type=int, required=True)
ap.add_argument("--resize-when")
ap.add_argument("--resize-to", type=int)
ap.add_argument("--stdout-tty", action="store_true")
ap.add_argument("out")
ap.add_argument("cmd", nargs="+")
a = ap.parse_args()

master, slave = pty.openpty()
def size(cols):
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
size(a.cols)
out = slave if a.stdout_tty else None
p = subprocess.Popen(a.cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=slave, close_fds=True)
os.close(slave)
got = bytearray()
resized = a.resize_when is None
while True:
    if not resized and a.resize_when.encode() in got:
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, a.resize_to, 0, 0))
        got += b"\n--RESIZED--\n"
        p.send_signal(signal.SIGWINCH)
        resized = True
    r, _, _ = select.select([master], [], [], 0.05)
    if r:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if not data:
            break
        got += data
    elif p.poll() is not None:
        # drain what is left
        try:
            while select.select([master], [], [], 0.1)[0]:
                data = os.read(master, 65536)
                if not data:
                    break
                got += data
        except OSError:
            pass
        break
rc = p.wait()
with open(a.out, "wb") as f:
    f.write(bytes(got))
sys.exit(rc)
