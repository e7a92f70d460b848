#!/usr/bin/env python3
"""make soak-boot [BOOTS=300]: boot QEMU that many times in a row, each
time with a trivial first process whose exit status is known, and count
what went wrong: a panic, a hang (no exit within the time limit), a second
boot banner, no normal core, or an exit status other than the one
expected.  It also counts the boots in which a hart entered at _start
after the boot hart (the firmware race entry.S guards against).  The QEMU
command line is `make qemu-cmd`'s, the one `make qemu` runs.  Exit status
0 only if every boot was right."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HANG_S = 60  # a boot of a trivial program takes well under a second

# (init, expected QEMU exit status): taken in turn
PROGRAMS = [
    ("/bin/uecho soak", 0),
    ("/bin/fault null", 128 + 11),
    ("/bin/nosuch", 127),
    ("/data/hello.txt", 126),
]


def qemu_cmd(init):
    out = subprocess.run(["make", "-s", "--no-print-directory", "qemu-cmd",
                          f"INIT={init}"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def one_boot(cmd, want):
    """Return (problem or None, boot hart, whether a hart entered late)."""
    try:
        p = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=HANG_S)
    except subprocess.TimeoutExpired as e:
        return "hang", None, False
    text = p.stdout.decode("utf-8", "replace")
    late = "entered at _start after the boot hart" in text
    boots = re.findall(r"kernel: booting on hart (\d+)", text)
    if re.search(r"^panic: ", text, re.M):
        return "panic", boots[0] if boots else None, late
    if len(boots) != 1:
        return "reboot" if boots else "no banner", None, late
    # (the IO core's line may come after a quick init has powered off)
    if not re.search(r"^hart \d: normal core", text, re.M):
        return "role missing", boots[0], late
    if p.returncode != want:
        return f"exit status {p.returncode}, expected {want}", boots[0], late
    return None, boots[0], late


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    cmds = [(qemu_cmd(init), want, init) for init, want in PROGRAMS]
    problems = {}
    boot_harts = {}
    lates = 0
    for i in range(n):
        cmd, want, init = cmds[i % len(cmds)]
        problem, hart, late = one_boot(cmd, want)
        lates += late
        if hart is not None:
            boot_harts[hart] = boot_harts.get(hart, 0) + 1
        if problem:
            kind = problem.split(",")[0]
            problems[kind] = problems.get(kind, 0) + 1
            print(f"soak-boot: boot {i + 1} ({init}): {problem}", flush=True)
        if (i + 1) % 50 == 0:
            print(f"soak-boot: {i + 1}/{n} boots, "
                  f"{sum(problems.values())} wrong", flush=True)
    harts = ", ".join(f"hart {h}: {c}" for h, c in sorted(boot_harts.items()))
    wrong = sum(problems.values())
    detail = ", ".join(f"{c} {k}" for k, c in sorted(problems.items()))
    print(f"soak-boot: {n} boots: {n - wrong} right, {wrong} wrong"
          f"{' (' + detail + ')' if detail else ''}; booted on {harts}; "
          f"a hart entered at _start late in {lates}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
