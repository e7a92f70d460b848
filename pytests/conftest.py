"""The console fixture: boots QEMU (the command line comes from
`make qemu-cmd`, the same one `make qemu` runs), watches every read for a
kernel panic or an unexpected second boot, and on failure shows the last
console lines.  Each test gets a fresh QEMU.

KTAP suites (guest programs built on programs/ktest.h, such as utests and
ringtest): ktap_cases() reads a suite's case names from its C source at
collection time, KtapSuite boots once for the whole suite (a module-scoped
fixture) and parse_ktap() reads its output, so that every case is a pytest
item of its own."""
import os
import re
import shlex
import subprocess
import time
from dataclasses import dataclass, field

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANNER = r"kernel: booting on hart \d+"
PANIC = r"panic: [^\r\n]*"


class ConsoleError(AssertionError):
    pass


class Console:
    """A booted QEMU on a pexpect console.  timeout: how long any one wait
    for console output may take; generous, because a slow or busy host can
    run the guest many times slower than an idle one."""

    def __init__(self, init=None, cpus=2, icount=False, extra=None, kargs=None,
                 trace=None, timeout=300, allow_panic=False, make_vars=()):
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


# ---- KTAP (programs/ktest.h) ----

# A suite's progress is watched case by case: a case that gives no result
# line for KTAP_CASE_S fails the suite there (naming the case), and the
# whole suite has KTAP_TOTAL_S.  Its boot is a module-scoped fixture, set
# up inside whichever of its items runs first, so those items get a
# pytest-timeout (pytest.ini) that covers the whole suite: ktap_timeout.
KTAP_CASE_S = 300
KTAP_TOTAL_S = 900
ktap_timeout = pytest.mark.timeout(KTAP_TOTAL_S + 300)

KTAP_TABLE = re.compile(r"struct ktest_case\s+\w+\[\]\s*=\s*\{(.*?)\n\};",
                        re.S)
KTAP_ENTRY = re.compile(r'^\s*KTEST_(?:CASE|ALWAYS)\(\s*"([^"]+)"', re.M)
KTAP_RESULT = re.compile(r"^(ok|not ok) (\d+)(?: -)?(?: ([^#]*?))?"
                         r"(?: *# *(.*))?$")
KTAP_DIRECTIVES = ("SKIP", "TODO", "XFAIL", "TIMEOUT", "ERROR")


def ktap_cases(source):
    """The case names of a ktest.h suite, in order, from the case table in
    its C source (a path relative to the repository)."""
    with open(os.path.join(ROOT, source)) as f:
        text = f.read()
    tables = KTAP_TABLE.findall(text)
    assert len(tables) == 1, f"{source}: want one struct ktest_case table"
    names = KTAP_ENTRY.findall(tables[0])
    assert names and len(set(names)) == len(names), \
        f"{source}: case names missing or repeated: {names}"
    return names


@dataclass
class KtapResult:
    num: int
    name: str
    ok: bool
    directive: str  # "SKIP", ... or ""
    reason: str     # what follows '#' (without the directive)
    line: str
    log: list       # the lines since the previous result: its diagnostics


@dataclass
class Ktap:
    version: bool = False
    plan: int = None
    results: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)  # name -> KtapResult
    problems: list = field(default_factory=list)
    tail: list = field(default_factory=list)   # lines after the last result


def parse_ktap(text):
    """Parse the top level of KTAP output (indented subtests and any other
    console lines become the log of the result that follows them)."""
    k = Ktap()
    lines = text.splitlines()
    if "KTAP version 1" in lines:
        k.version = True
        lines = lines[lines.index("KTAP version 1") + 1:]
    log = []
    for line in lines:
        m = re.match(r"^1\.\.(\d+)", line)
        if m and k.plan is None and not k.results:
            k.plan = int(m.group(1))
            continue
        m = KTAP_RESULT.match(line)
        if not m:
            log.append(line)
            continue
        result, num, name, rest = m.groups()
        name, rest = (name or "").strip(), (rest or "").strip()
        directive = rest.split(" ", 1)[0].upper() if rest else ""
        if directive in KTAP_DIRECTIVES:
            rest = rest[len(directive):].strip()
        else:
            directive = ""
        r = KtapResult(int(num), name, result == "ok", directive, rest, line,
                       log)
        log = []
        if r.num != len(k.results) + 1:
            k.problems.append(f"result {r.num} ({name}) out of sequence: "
                              f"want {len(k.results) + 1}")
        if name in k.cases:
            k.problems.append(f"case {name} reported twice")
        k.results.append(r)
        k.cases.setdefault(name, r)
    k.tail = log
    if not k.version:
        k.problems.append("no 'KTAP version 1' line")
    if k.plan is None:
        k.problems.append("no plan line (1..N)")
    elif k.plan != len(k.results):
        k.problems.append(f"plan 1..{k.plan}, but {len(k.results)} results")
    return k


def _last_lines(text, n=40):
    return "\n".join(text.splitlines()[-n:])


class KtapSuite:
    """Boot with a ktest.h suite as init (Console's arguments), watch it
    case by case, and keep its console text, exit status, the error that
    stopped it (if any) and its parsed KTAP."""

    def __init__(self, init, **kw):
        self.init = init.split()[0]
        self.error = None
        self.status = None
        c = Console(init=init, timeout=KTAP_CASE_S, **kw)
        last, wait = "the plan", KTAP_CASE_S
        try:
            deadline = time.monotonic() + KTAP_TOTAL_S
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    c._fail(f"the suite did not finish in {KTAP_TOTAL_S} s")
                wait = min(KTAP_CASE_S, left)
                # a top-level result line, or the final summary line
                m = c.expect(r"(?m)^((?:not )?ok \d+|\S+: passed=\d+)"
                             r"[^\r\x0a]*\n", timeout=wait)
                last = repr(m.group(0).strip())
                if "passed=" in m.group(1):
                    break
            self.status = c.wait_exit()
        except ConsoleError as e:
            why, _, rest = str(e).partition("\n")
            if why.startswith("timeout waiting for"):
                why = (f"no result line for {wait:.0f} s after {last}: the "
                       f"next case hangs (or the host is very slow)")
            self.error = why + "\n" + rest
        finally:
            c.close()
        self.text = c.text
        self.ktap = parse_ktap(self.text)

    def _stopped(self):
        return (self.error or f"{self.init} exited with status "
                f"{self.status} without it\n--- last console lines ---\n"
                + _last_lines(self.text))

    def check_case(self, name):
        """Pass, skip or fail as the suite's result line for case name."""
        r = self.ktap.cases.get(name)
        if r is None:
            pytest.fail(f"no result for {name}: suite stopped before this "
                        f"case\n{self._stopped()}", pytrace=False)
        if r.ok and r.directive == "SKIP":
            pytest.skip(f"{name}: {r.reason}")
        if not r.ok:
            pytest.fail("\n".join([r.line, *r.log[-60:]]), pytrace=False)

    def check_suite(self, names):
        """The suite as a whole: the plan and a result for each of names (the
        table in its source, in order), the summary line, exit status 0 and
        no leaks."""
        k, prog = self.ktap, os.path.basename(self.init)
        problems = list(k.problems)
        if self.error:
            problems.append("stopped: " + self.error.split("\n")[0])
        if k.plan is not None and k.plan != len(names):
            problems.append(f"plan 1..{k.plan}, but the source has "
                            f"{len(names)} cases")
        got = [r.name for r in k.results]
        missing = [n for n in names if n not in k.cases]
        unknown = [n for n in got if n not in names]
        if missing:
            problems.append("no result for: " + " ".join(missing))
        if unknown:
            problems.append("results for cases not in the source: "
                            + " ".join(unknown))
        if got != [n for n in names if n in got]:
            problems.append("results not in the source's order: "
                            + " ".join(got))
        failed = [r.line for r in k.results if not r.ok]
        if failed:
            problems.append("failed: " + "; ".join(failed))
        sums = re.findall(rf"^{re.escape(prog)}: passed=(\d+) failed=(\d+)",
                          self.text, re.M)
        if not sums:
            problems.append(f"no '{prog}: passed=N failed=M' line")
        elif sums[-1] != (str(len(names)), "0"):
            problems.append(f"summary passed={sums[-1][0]} "
                            f"failed={sums[-1][1]}, want passed="
                            f"{len(names)} failed=0")
        if self.status != 0:
            problems.append(f"exit status {self.status}, want 0")
        leak = k.cases.get("leak-check")
        if not leak or not leak.ok:
            problems.append("leak-check: " + (leak.line if leak else
                                              "no result"))
        if problems:
            pytest.fail("\n".join(problems) + "\n--- last console lines ---\n"
                        + _last_lines(self.text), pytrace=False)
