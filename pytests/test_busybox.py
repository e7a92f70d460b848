"""busybox (Debian 12's, built by hosttools/busybox.sh) as /bin/sh with its
applets: programs/data/bbscript.sh, a shell script of pipes, redirection,
loops, variables, control operators, substitutions, test, text and file
tools (cp, mv, rm, mkdir, ln -s, touch, chmod), is run once (programs/data/bbrun.sh as the first process) and each
of its cases is a pytest item; the same boot ends with the no-leak check.
Then the interactive shell on the console: line editing and history."""
import re

import pytest

from conftest import Console

# what each "case NAME" of bbscript.sh prints, exactly
CASES = {
    "pipes": ["3", "ONE 2 THREE"],
    "redirection": ["2", "first", "second",
                    "ls: /nonexistent: No such file or directory"],
    "loops": ["for 1", "for 2", "for 3", "while 1", "while 2", "while 3",
              "read y x", "read w z"],
    "variables": ["hello world worlds 5", "unset:default"],
    "control": ["and-yes", "or-yes", "status 1", "status 7", "/data", "/"],
    "substitution": ["lines: 1", "back tick", "in subshell /tmp",
                     "after /"],
    "test": ["tmp is a dir", "hello.txt is a file", "3 > 2", "a != b",
             "no /nonexistent"],
    "text": ["1", "2", "c", "4", "5", "Hello from the RAM file system.",
             "Hello"],
    "files": ["e", "h", "data", "ls: /tmp/d: No such file or directory",
              "/data/hello.txt", "Hello", "t: not executable",
              "t: executable"],
}


@pytest.fixture(scope="module")
def script_run(built):
    """One boot: busybox sh runs bbrun.sh as the first process."""
    c = Console(init="/bin/sh /data/bbrun.sh")
    try:
        status = c.wait_exit()
    finally:
        c.close()
    return c.text, status


def script_cases(text):
    """The script's output split at its "case NAME" lines."""
    cases, cur = {}, None
    for line in text.split("\n"):
        m = re.match(r"^case (\S+)$", line)
        if m:
            cur = cases.setdefault(m.group(1), [])
            continue
        if line.startswith("leak-check:"):
            cur = None
        if cur is not None:
            cur.append(line)
    return cases


@pytest.mark.parametrize("case", list(CASES))
def test_busybox_script(script_run, case):
    text, _ = script_run
    got = script_cases(text)
    assert "done" in got, "the script did not finish:\n" + text[-3000:]
    assert got.get(case) == CASES[case], text[-3000:]


def test_busybox_script_exits_and_no_unknown_syscalls(script_run):
    """The script ends with status 0, and busybox made no system call the
    kernel does not know (each would be named on the console)."""
    text, status = script_run
    assert status == 0, text[-3000:]
    assert "unknown system call" not in text, text[-3000:]


def test_busybox_no_leak(script_run):
    """The kernel's free pages before and after a run of the whole script
    (its pipes, forks, execs, files in /tmp) are the same."""
    text, _ = script_run
    m = re.search(r"^leak-check: free pages before (\d+) after (\d+)$", text,
                  re.M)
    assert m, text[-3000:]
    assert m.group(1) == m.group(2), m.group(0)


def shell(boot):
    """The default first process: busybox sh, interactive, at its prompt
    (PS1 "\\w \\$ ": ~ is HOME, /)."""
    c = boot(timeout=120)
    c.expect(r"~ # ")
    return c


def test_busybox_is_the_default_shell(boot):
    """make qemu boots to busybox's shell (ash), which names itself."""
    c = shell(boot)
    c.send("echo $0; busybox | head -1")
    c.expect(r"\n/bin/sh\n")
    c.expect(r"BusyBox v1\.35\.0 \(Debian 1:1\.35\.0-4\+deb12u1\)")
    c.expect(r"~ # ")
    c.send("exit 5")
    assert c.wait_exit() == 5


def test_busybox_line_editing(boot):
    """Backspace and the cursor keys edit the line before Enter: the
    command run is the edited one."""
    c = shell(boot)
    c.child.send("echo helxx\x7f\x7flo wrld")
    c.child.send("\x1b[D\x1b[D\x1b[D" + "o")  # three left, insert "o"
    c.child.send("\r")
    c.expect(r"\nhello world\n")
    c.expect(r"~ # ")
    c.send("exit 0")
    assert c.wait_exit() == 0


def test_busybox_history(boot):
    """Up-arrow brings back earlier lines; the one brought back can be
    edited and run again."""
    c = shell(boot)
    c.send("echo first")
    c.expect(r"\nfirst\n")
    c.expect(r"~ # ")
    c.send("echo second")
    c.expect(r"\nsecond\n")
    c.expect(r"~ # ")
    c.child.send("\x1b[A\x1b[A")  # up twice: "echo first"
    c.child.send(" again\r")
    c.expect(r"\nfirst again\n")
    c.expect(r"~ # ")
    c.send("exit 0")
    assert c.wait_exit() == 0


def test_busybox_pipeline_at_the_prompt(boot):
    """A pipeline and a redirection typed at the prompt."""
    c = shell(boot)
    c.send("cd /tmp && echo one > f && echo two >> f && sort -r f | head -1")
    c.expect(r"\ntwo\n")
    c.expect(r"/tmp # ")
    c.send("exit 0")
    assert c.wait_exit() == 0


def test_busybox_job_control_is_on(boot):
    """The console is the shell's controlling terminal (TIOCGPGRP works),
    so ash turns job control on: no "job control turned off" at boot, and
    each job gets a process group of its own."""
    c = shell(boot)
    c.send("echo on")
    c.expect(r"\non\n")
    c.expect(r"~ # ")
    assert "job control turned off" not in c.text, c.text[-2000:]
    c.send("exit 0")
    assert c.wait_exit() == 0


def test_busybox_ctrl_c_interrupts_the_foreground_job(boot):
    """Ctrl-C (ISIG: SIGINT to the console's foreground group) ends a
    foreground sleep; the shell itself goes on and sees status 130."""
    c = shell(boot)
    c.send("sleep 100")
    c.expect(r"sleep 100\n")
    c.child.send("\x03")
    c.expect(r"~ # ")
    c.send("echo status $?")
    c.expect(r"\nstatus 130\n")
    c.expect(r"~ # ")
    c.send("exit 0")
    assert c.wait_exit() == 0


def test_busybox_background_job(boot):
    """A job started with & runs beside the shell (until told to end); jobs
    lists it and wait collects its status."""
    c = shell(boot)
    c.send("(while [ ! -e /tmp/go ]; do sleep 1; done; exit 3) &")
    c.expect(r"~ # ")
    c.send("jobs")
    c.expect(r"\[1\]\+  Running +\(while .*\)\n")
    c.expect(r"~ # ")
    c.send("touch /tmp/go; wait %1; echo waited $?")
    c.expect(r"\nwaited 3\n")
    c.expect(r"~ # ")
    c.send("exit 0")
    assert c.wait_exit() == 0
