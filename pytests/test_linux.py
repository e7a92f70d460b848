"""The Linux ABI: programs built as a Linux user builds them (Debian's
riscv64-linux-gnu-gcc, -static, glibc or no C library) run unchanged, and
the start-up ABI and the calls a C library makes at start-up behave as on
Linux.  programs/linuxabi.c is a KTAP suite of raw system calls (one pytest
item per case, the names read from its source); programs/linux/ holds the
Linux-built programs."""
import re
import subprocess

import pytest

from conftest import ROOT, KtapSuite, ktap_cases, ktap_timeout, run

LINUXABI_CASES = ktap_cases("programs/linuxabi.c")


@pytest.fixture(scope="module")
def linuxabi_run(built):
    """One boot running every linuxabi case."""
    return KtapSuite("/bin/linuxabi")


@pytest.mark.parametrize("case", LINUXABI_CASES)
def test_linuxabi(linuxabi_run, case):
    linuxabi_run.check_case(case)


@ktap_timeout
def test_linuxabi_suite(linuxabi_run):
    linuxabi_run.check_suite(LINUXABI_CASES)


def test_unknown_syscall_is_reported_once_per_number(linuxabi_run):
    """The enosys case makes syscall 1999 twice and 5000000 once: the
    console names each number once."""
    said = re.findall(r"^pid \d+ \(linuxabi\): unknown system call (\d+): "
                      r"ENOSYS\r?$", linuxabi_run.text, re.M)
    assert said == ["1999", "5000000"], said


def test_static_pie_runs_at_a_bias_with_linux_auxv(boot):
    """programs/linux/pie.c: no C library, checks its own auxv (AT_ENTRY is
    where it runs, AT_PHDR its headers) and exits 0 only if all holds."""
    text, status = run(boot, "/bin/pie")
    assert "pie: ok" in text, text[-2000:]
    assert status == 0


def test_dynamically_linked_program_is_refused_clearly(boot, tmp_path):
    """A program linked against the shared glibc needs an interpreter this
    kernel does not have: -ENOENT, as Linux, and one line saying why."""
    src = tmp_path / "dyn.c"
    src.write_text("int main(void) { return 0; }\n")
    exe = tmp_path / "dyn"
    subprocess.run(["riscv64-linux-gnu-gcc", "-O2", str(src), "-o", str(exe)],
                   cwd=ROOT, check=True)
    text, status = run(boot, "/bin/dyn", extra=[str(exe)])
    assert re.search(r"^exec: /bin/dyn is dynamically linked: no interpreter "
                     r"here \(link it with -static\)", text, re.M), text[-2000:]
    assert re.search(r"^init: /bin/dyn: No such file or directory", text,
                     re.M), text[-2000:]
    assert status == 127
