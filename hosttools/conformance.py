#!/usr/bin/python3
"""liburing's own test suite on this kernel (make conformance).

    hosttools/conformance.py [-j JOBS] [--timeout S] [--json F] [--markdown F]
                             [TEST.t ...]

Boots QEMU once per test (JOBS boots at a time, default 2) with the suite's
initrd (make LIBURING=1: /liburing/ holds the tests hosttools/liburing.sh
built) and /liburing/run TEST as the first process, which runs the test in
/liburing and prints 'conformance: start T' and 'conformance: end T
exit=N' around its output.  A test's outcome:
    pass   exit 0
    skip   exit 77 (liburing's T_EXIT_SKIP)
    fail   any other status (or a signal): the detail is the last line the
           test printed
    hang   no exit within --timeout seconds of wall time (QEMU is killed;
           the few tests in SLOW get longer)
    panic  the kernel's panic line (QEMU exits 254), or a second boot
           (the console's patterns are pytests/conftest.py's)
Each detail also names the system calls the kernel did not know
("unknown system call N").  Prints a table, one line a test, and the total
    conformance: pass=N skip=N fail=N hang=N panic=N total=N
--json writes the results (for pytests/test_conformance.py), --markdown
the table as Markdown (for README.md), each test that does not pass with its
reason from hosttools/conformance_reasons.txt (written by hand)."""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "pytests"))
from conftest import BANNER, PANIC  # noqa: E402  (one definition of both)

LURING = os.path.join(ROOT, "build", "liburing")
MEM = "512M"
PLACEHOLDER = "@TEST@"
OUTCOMES = ("pass", "skip", "fail", "hang", "panic")
# tests that legitimately take long here (seconds of wall time on an idle
# host in parentheses): their own limit, and they start first
SLOW = {
    "a4c0b3decb33.t": 300,  # 5000 fork + ring set-ups (18 s idle, 60+ s busy)
    "35fa71a030ca.t": 60,   # (10 s)
}
UNKNOWN = re.compile(r"^pid \d+ \([^)]*\): unknown system call (\d+)", re.M)
START = re.compile(r"^conformance: start \S+$", re.M)
END = re.compile(r"^conformance: end \S+ (exit|signal)=(\d+)$", re.M)
# console lines that are the kernel's, not the test's
KERNEL_LINE = re.compile(r"^(pid \d+ \(.*\): unknown system call|init exited"
                         r"|kernel: )")


def qemu_command():
    """The QEMU command line for one test (PLACEHOLDER for its name), from
    `make qemu-cmd` (which also builds the kernel and the suite's initrd)."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "qemu-cmd", "LIBURING=1",
         f"MEM={MEM}", f"INIT=/liburing/run /liburing/{PLACEHOLDER}"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return shlex.split(out.strip().splitlines()[-1])


def test_names():
    with open(os.path.join(LURING, "tests.list")) as f:
        return [t for t in f.read().split() if t]


def last_test_line(text):
    """The last line the test printed (between the runner's markers)."""
    m = START.search(text)
    body = text[m.end():] if m else text
    e = END.search(body)
    if e:
        body = body[:e.start()]
    lines = [ln.strip() for ln in body.splitlines()
             if ln.strip() and not KERNEL_LINE.match(ln)]
    return lines[-1] if lines else ""


def classify(text, status, timed_out):
    """(outcome, detail) of one boot's console text and QEMU status."""
    unknown = sorted(set(int(n) for n in UNKNOWN.findall(text)))
    extra = f" [unknown syscalls: {' '.join(map(str, unknown))}]" \
        if unknown else ""
    panic = re.search(PANIC, text)
    if panic or status == 254:
        return "panic", (panic.group(0) if panic else "QEMU exit 254") + extra
    if len(re.findall(BANNER, text)) > 1:
        return "panic", "unexpected reboot" + extra
    if timed_out:
        return "hang", (last_test_line(text) or "(no output)") + extra
    end = END.search(text)
    if status == 0 and end:
        return "pass", extra.strip()
    if status == 77 and end:
        return "skip", last_test_line(text) + extra
    how = f"{end.group(1)}={end.group(2)}" if end else f"QEMU exit {status}"
    last = last_test_line(text)
    return "fail", (f"{last} ({how})" if last else f"({how})") + extra


def run_one(cmd, name, timeout):
    argv = [a.replace(PLACEHOLDER, name) for a in cmd]
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timed_out = False
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        p.kill()
        out, _ = p.communicate()
    text = out.decode("utf-8", "replace").replace("\r", "")
    outcome, detail = classify(text, p.returncode, timed_out)
    return {"test": name, "result": outcome, "detail": detail,
            "status": p.returncode, "seconds": round(time.monotonic() - t0, 1),
            "console": text[-4000:]}


def totals(results):
    n = {o: 0 for o in OUTCOMES}
    for r in results:
        n[r["result"]] += 1
    return n


def total_line(results):
    n = totals(results)
    return ("conformance: " + " ".join(f"{o}={n[o]}" for o in OUTCOMES) +
            f" total={len(results)}")


def reasons():
    """test -> why it does not pass, from conformance_reasons.txt."""
    why = {}
    with open(os.path.join(ROOT, "hosttools", "conformance_reasons.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, _, text = line.strip().partition(" ")
                why[name] = text.strip()
    return why


def markdown(results):
    why = reasons()
    rows = ["| test | result | last line it printed | reason |",
            "|---|---|---|---|"]
    for r in results:
        detail = r["detail"].replace("|", "\\|")
        reason = why.get(r["test"], "") if r["result"] != "pass" else ""
        rows.append(f"| `{r['test']}` | {r['result']} | {detail} | "
                    f"{reason.replace('|', '/')} |")
    return "\n".join(rows) + "\n\n`" + total_line(results) + "`\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds of wall time a test may take")
    ap.add_argument("--json")
    ap.add_argument("--markdown")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print each failing test's console")
    ap.add_argument("tests", nargs="*")
    args = ap.parse_args()

    cmd = qemu_command()
    names = args.tests or test_names()
    order = sorted(names, key=lambda t: t not in SLOW)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        done = dict(zip(order, pool.map(
            lambda t: run_one(cmd, t, max(args.timeout, SLOW.get(t, 0))),
            order)))
    results = [done[t] for t in names]
    width = max(len(t) for t in names)
    for r in results:
        print(f"{r['test']:<{width}}  {r['result']:<5}  {r['detail']}".rstrip())
        if args.verbose and r["result"] not in ("pass", "skip"):
            print("    " + r["console"].replace("\n", "\n    "))
    line = total_line(results)
    print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"totals": totals(results), "results": results}, f,
                      indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
