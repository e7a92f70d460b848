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


def test_glibc_static_program_runs_unchanged(boot):
    """programs/linux/hello.c, built with riscv64-linux-gnu-gcc -static
    against glibc: arguments, the initial environment, the auxiliary vector,
    uname, file I/O, malloc from brk and from mmap, floating point through
    printf, and its exit status."""
    text, status = run(boot, "/bin/hello one two")
    want = [
        "hello: argv[0] = /bin/hello",
        "hello: argv[1] = one",
        "hello: argv[2] = two",
        "hello: env HOME=/",
        "hello: env TERM=linux",
        "hello: AT_PAGESZ 4096 AT_HWCAP 0x112d AT_EXECFN /bin/hello",
        "hello: AT_RANDOM set",
        "hello: uname Linux 6.1.0-ioring riscv64",
        "hello: read 35 bytes: Hello from the memory file system.",
        "hello: malloc ok and kept",
        "hello: 3.125",
    ]
    got = [line.rstrip("\r") for line in text.split("\n")
           if line.startswith("hello: ")]
    assert got == want, text[-3000:]
    assert status == 3


def test_glibc_program_from_the_shell(boot):
    """The project's shell starts a glibc program like any other; it gets
    no environment (spawn passes none) and its status comes back."""
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send("hello x")
    c.expect(r"hello: argv\[1\] = x")
    c.expect(r"hello: 2\.125")
    c.expect(r"\$ ")
    c.send("poweroff")
    assert c.wait_exit() == 0


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


# ---- processes as Linux has them (programs/linux/procs.c) ----

PROCS_CASES = ktap_cases("programs/linux/procs.c")


@pytest.fixture(scope="module")
def procs_run(built):
    """One boot running every case of the glibc process suite."""
    return KtapSuite("/bin/procs")


@pytest.mark.parametrize("case", PROCS_CASES)
def test_procs(procs_run, case):
    """fork (clone), execve, wait4/waitid, vfork, posix_spawn and the cwd,
    from a glibc program: one item per case of procs.c's table."""
    procs_run.check_case(case)


@ktap_timeout
def test_procs_suite_and_no_leaks(procs_run):
    """The plan, every case, exit status 0 and the leak check (free pages
    the same after every case and 200 fork/exit cycles)."""
    procs_run.check_suite(PROCS_CASES)


# ---- POSIX threads (programs/linux/threads.c) ----

THREADS_CASES = ktap_cases("programs/linux/threads.c")


@pytest.fixture(scope="module")
def threads_run(built):
    """One boot running every case of the glibc pthreads suite."""
    return KtapSuite("/bin/threads")


@pytest.mark.parametrize("case", THREADS_CASES)
def test_threads(threads_run, case):
    """pthreads from a glibc program: create/join, mutex and condition
    variable under contention, TLS, thread exit and its futex wake, the
    whole group's exit, signals, exec and fork from a thread, robust
    mutexes, futex(2)'s errors: one item per case of threads.c's table."""
    threads_run.check_case(case)


@ktap_timeout
def test_threads_suite_and_no_leaks(threads_run):
    """The plan, every case, exit status 0 and the leak check (free pages
    the same after every case and 50 cycles of threads made and joined)."""
    threads_run.check_suite(THREADS_CASES)


def test_fault_in_forked_child_is_reported(procs_run):
    """A forked child killed by a fault is reported by the kernel as any
    other process's fault (and its parent sees WTERMSIG 11: fork-wait)."""
    assert re.search(r"pid \d+ \(procs\): killed: store page fault",
                     procs_run.text), procs_run.text[-2000:]


def test_glibc_poll_select_eventfd_devices_clock_nanosleep(boot):
    """programs/linux/pollfd.c through glibc: poll (a 50 ms timeout,
    POLLOUT, POLLIN, POLLHUP, woken by a forked child's write), select,
    eventfd (semaphore), /dev/urandom,
    /dev/null, /dev/zero's device number, clock_nanosleep relative and
    TIMER_ABSTIME, usleep."""
    text, status = run(boot, "/bin/pollfd")
    lines = [line.rstrip("\r") for line in text.split("\n")
             if line.startswith("pollfd: ")]
    assert lines and lines[-1] == "pollfd: all ok", text[-3000:]
    assert not [line for line in lines if "FAILED" in line], text[-3000:]
    assert status == 0


def test_glibc_poll_wakes_on_a_console_line(boot):
    """pollfd stdin: poll(stdin) finds nothing at once, then sleeps until a
    line is typed (the console's input wakes pollers) and reads it."""
    c = boot(init="/bin/pollfd stdin")
    c.expect(r"pollfd: stdin empty ok")
    c.expect(r"pollfd: waiting")
    c.send("typed line")
    c.expect(r"pollfd: stdin POLLIN ok")
    c.expect(r'pollfd: read "typed line"')
    assert c.wait_exit() == 0
