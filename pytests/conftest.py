"""The console fixture: boots QEMU (the command line comes from
`make qemu-cmd`, the same one `make qemu` runs), watches every read for a
kernel panic or an unexpected second boot, and on failure shows the last
console lines.  Each test gets a fresh QEMU."""
import os
import re
import shlex
import subprocess

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANNER = r"kernel: booting on hart \d+"
PANIC = r"panic: [^\r\n]*"


class ConsoleError(AssertionError):
    pass


class Console:
    """A booted QEMU on a pexpect console."""

    def __init__(self, init=None, cpus=2, icount=False, extra=None, kargs=None,
                 trace=None, timeout=60, allow_panic=False, make_vars=()):
        args = ["make", "-s", "--no-print-directory", "qemu-cmd",
                f"CPUS={cpus}", f"ICOUNT={1 if icount else 0}", *make_vars]
        if init:
            args.append(f"INIT={init}")
        if extra:
            args.append("EXTRA=" + " ".join(extra))
        if kargs:
            args.append(f"KARGS={kargs}")
        if trace:
            args.append(f"TRACE={trace}")
        cmd = subprocess.run(args, cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.strip().splitlines()[-1]
        argv = shlex.split(cmd)
        self.allow_panic = allow_panic
        self.text = ""
        self.boots = 0
        self.child = pexpect.spawn(argv[0], argv[1:], cwd=ROOT,
                                   encoding="utf-8", codec_errors="replace",
                                   timeout=timeout)

    def _add(self, s):
        """Keep what the console printed, with plain newlines."""
        if isinstance(s, str):
            self.text += s.replace("\r", "")

    def _fail(self, why):
        try:  # catch what follows (the panic report), briefly
            self.child.expect(pexpect.EOF, timeout=2)
            self._add(self.child.before)
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass
        self.close()
        last = "\n".join(self.text.splitlines()[-40:])
        raise ConsoleError(f"{why}\n--- last console lines ---\n{last}")

    def expect(self, pattern, timeout=None):
        """Wait for pattern (a regex; a newline in it also matches the
        console's CR LF); return the match.  Fails at once on a panic (unless
        allowed) or a second boot banner."""
        pattern = pattern.replace("\\n", "\n").replace("\n", "\r*\n")
        watch = [pattern, PANIC, BANNER, pexpect.EOF, pexpect.TIMEOUT]
        while True:
            i = self.child.expect(watch, timeout=timeout or -1)
            self._add(self.child.before)
            if i in (0, 1, 2):
                self._add(self.child.after)
            if i == 0:
                return self.child.match
            if i == 1 and not self.allow_panic:
                self._fail("kernel panic: " + self.child.after)
            if i == 1:
                return self.child.match
            if i == 2:
                self.boots += 1
                if self.boots > 1:
                    self._fail("unexpected reboot")
                continue
            if i == 3:
                self._fail(f"QEMU exited while waiting for {pattern!r}")
            self._fail(f"timeout waiting for {pattern!r}")

    def send(self, line):
        self.child.send(line + "\r")

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit; return its exit status."""
        watch = [pexpect.EOF, PANIC, BANNER, pexpect.TIMEOUT]
        while True:
            i = self.child.expect(watch, timeout=timeout or -1)
            self._add(self.child.before)
            if i in (1, 2):
                self._add(self.child.after)
            if i == 0:
                break
            if i == 1 and not self.allow_panic:
                self._fail("kernel panic: " + self.child.after)
            if i == 2:
                self.boots += 1
                if self.boots > 1:
                    self._fail("unexpected reboot")
            if i == 3:
                self._fail("timeout waiting for QEMU to exit")
        self.child.close()
        return self.child.exitstatus

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture(scope="session")
def built():
    """Build everything once per session."""
    subprocess.run(["make", "-s", "--no-print-directory", "all"], cwd=ROOT,
                   check=True)
    return ROOT


@pytest.fixture
def boot(built):
    """boot(init=..., cpus=..., icount=..., extra=[...], kargs=...) -> Console"""
    consoles = []

    def make(**kw):
        c = Console(**kw)
        consoles.append(c)
        return c
    yield make
    for c in consoles:
        c.close()


def run(boot, init, **kw):
    """Boot with init as the first process, wait for QEMU to exit;
    return (console text, exit status)."""
    c = boot(init=init, **kw)
    status = c.wait_exit()
    return c.text, status


def result_line(text, prefix):
    """The guest program's machine-readable result line (the last
    'prefix: key=value ...' line), as a dict."""
    lines = re.findall(rf"^{re.escape(prefix)}: (\S+=.*)$", text, re.M)
    assert lines, f"no '{prefix}:' result line in output:\n{text[-2000:]}"
    return dict(kv.split("=", 1) for kv in lines[-1].split() if "=" in kv)
