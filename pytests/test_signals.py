"""Signals as Linux has them: programs/linux/sigtest.c (glibc, static)
checks handlers, siginfo, masks, sigsuspend, the alternate stack, a fault's
handler (its frame's FP state and saved pc), siglongjmp out of SIGSEGV,
SIGPIPE, -EINTR and SA_RESTART, default actions with their wait status,
and the errors; one pytest item per check, read from the program's
source."""
import re

import pytest

from conftest import ROOT, Console, run

SRC = open(f"{ROOT}/programs/linux/sigtest.c").read()
CHECKS = re.findall(r'CHECK\("([\w-]+)"', SRC)


@pytest.fixture(scope="module")
def sigtest_run(built):
    """One boot of the whole suite, run in a child of the leak check."""
    c = Console(init="/bin/sigtest leak")
    try:
        status = c.wait_exit()
        return c.text, status
    finally:
        c.close()


@pytest.mark.parametrize("name", CHECKS)
def test_sigtest(sigtest_run, name):
    text, _ = sigtest_run
    lines = re.findall(rf"^sigtest: {re.escape(name)} (ok|FAIL.*?)\r?$",
                       text, re.M)
    assert lines == ["ok"], text[-3000:]


def test_sigtest_suite_and_no_leaks(sigtest_run):
    text, status = sigtest_run
    assert "sigtest: done, 0 failed" in text, text[-3000:]
    m = re.search(r"leak-check free pages before (\d+) after (\d+)", text)
    assert m and m.group(1) == m.group(2), text[-3000:]
    assert status == 0
    # a fault with no handler, and one inside a handler that blocks it,
    # still kill with the one-line reason
    assert len(re.findall(r"^pid \d+ \(sigtest\): killed: store page fault "
                          r"\(scause 15\) sepc 0x[0-9a-f]+ stval 0x0\r?$",
                          text, re.M)) == 2, text[-3000:]


def test_init_killed_by_default_action(boot):
    """raise(SIGTERM) in init: the kernel reports 128 + 15."""
    text, status = run(boot, "/bin/sigtest term")
    assert "init exited with status 143; powering off" in text
    assert status == 143


def test_init_core_signal(boot):
    """abort() in init: SIGABRT's default action (core), 128 + 6."""
    text, status = run(boot, "/bin/sigtest abort")
    assert "init exited with status 134; powering off" in text
    assert status == 134
