"""User processes: the shell, programs, syscall error paths seen from
programs, user faults, out-of-tree programs built with hosttools/ucc, and
the utests suite (every syscall, its error paths, and the no-leak check):
one boot for the suite, one pytest item per utests case (test_utests[CASE],
the names read from programs/utests.c) and one for the suite as a whole."""
import os
import re
import subprocess

import pytest

from conftest import ROOT, KtapSuite, ktap_cases, ktap_timeout, run

UTESTS_CASES = ktap_cases("programs/utests.c")


def test_shell_runs_programs_with_arguments(boot):
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send("uecho 'two words' and three")
    c.expect(r"two words and three\n")
    c.expect(r"\$ ")
    c.send("ucat /data/hello.txt")
    c.expect(r"Hello from the memory file system\.")
    c.expect(r"\$ ")
    c.send("uls /bin")
    c.expect(r"- +\d+ utests")
    c.expect(r"\$ ")
    c.send("poweroff")
    assert c.wait_exit() == 0


def test_shell_reports_errors_and_goes_on(boot):
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send("nosuchprogram")
    c.expect(r"sh: nosuchprogram: No such file or directory")
    c.send("/data/hello.txt")
    c.expect(r"sh: /data/hello.txt: Exec format error")
    c.send("/data")
    c.expect(r"sh: /data: Permission denied")
    c.send("ucat /data/missing")
    c.expect(r"cat: /data/missing: No such file or directory")
    c.send("uls /data/hello.txt/x")
    c.expect(r"ls: /data/hello.txt/x: Not a directory")
    c.send("exit")
    assert c.wait_exit() == 1  # the status of the last command


@pytest.mark.parametrize("mode,cause,sig", [
    ("null", "load page fault \\(scause 13\\)", 11),
    ("kernel", "load page fault \\(scause 13\\)", 11),
    ("write-text", "store page fault \\(scause 15\\)", 11),
    ("illegal", "illegal instruction \\(scause 2\\)", 4),
    ("misaligned", "store address misaligned \\(scause 6\\)", 7),
    ("exec-data", "instruction page fault \\(scause 12\\)", 11),
])
def test_user_fault_kills_only_that_process(boot, mode, cause, sig):
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send(f"fault {mode}")
    m = c.expect(rf"pid (\d+) \(fault\): killed: {cause} sepc 0x[0-9a-f]+ "
                 r"stval 0x[0-9a-f]+\n")
    c.expect(r"sh: fault: killed by signal (\d+)\n")
    if sig:
        assert c.child.match.group(1) == str(sig), c.text[-2000:]
    c.send("uecho still alive")
    c.expect(r"still alive\n")
    c.send("exit 0")
    assert c.wait_exit() == 0, c.text[-2000:]
    assert "survived" not in c.text, c.text[-2000:]


def test_out_of_tree_program_with_ucc_and_extra(boot, tmp_path):
    src = tmp_path / "mine.c"
    src.write_text(
        '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n'
        '#include <unistd.h>\n'
        'int main(int argc, char **argv) {\n'
        '  char *p = malloc(100000);\n'
        '  memset(p, 7, 100000);\n'
        '  printf("mine: argc=%d argv1=%s pid=%d sum=%d\\n", argc,\n'
        '         argc > 1 ? argv[1] : "-", getpid(), p[99999] + p[0]);\n'
        '  return 5;\n}\n')
    exe = tmp_path / "mine"
    subprocess.run(["hosttools/ucc", "-O2", str(src), "-o", str(exe)],
                   cwd=ROOT, check=True)
    text, status = run(boot, "/bin/mine hello", extra=[str(exe)])
    assert status == 5
    assert re.search(r"^mine: argc=2 argv1=hello pid=1 sum=14$", text, re.M)


@pytest.fixture(scope="module")
def utests_run(built):
    """One boot running every utests case."""
    return KtapSuite("/bin/utests")


@ktap_timeout
@pytest.mark.parametrize("case", UTESTS_CASES)
def test_utests(utests_run, case):
    utests_run.check_case(case)


@ktap_timeout
def test_utests_every_syscall_and_no_leaks(utests_run):
    """The plan, a result for every case, the summary line, exit status 0
    and leak-check."""
    utests_run.check_suite(UTESTS_CASES)


def test_several_processes_round_robin(boot):
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send("demo worker 1")
    c.expect(r"worker 1 \(pid \d+\): round 2")
    c.send("exit 0")
    assert c.wait_exit() == 0
