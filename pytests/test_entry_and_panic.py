"""Boot entry that no firmware ordering can break, panics that always end
QEMU with status 254, and the errors a user meets when init cannot start."""
import re

import pytest

from conftest import run

PANIC_STATUS = 254


@pytest.mark.parametrize("icount", [False, True], ids=["parallel", "icount"])
def test_second_hart_entering_at_start(boot, icount):
    """boot_entry=start: the other hart is started at _start, as OpenSBI
    v1.1 sometimes does by mistake.  It loses entry.S's lottery, waits for
    the boot hart and takes the secondary path: roles, rings and the exit
    status are as in a normal boot, and there is no second boot."""
    text, status = run(boot, "/bin/ringtest", kargs="boot_entry=start",
                       icount=icount, timeout=600)
    assert status == 0, text[-3000:]
    assert re.search(r"^kernel: boot_entry=start: starting hart \d at _start$",
                     text, re.M)
    assert re.search(r"^kernel: hart \d entered at _start after the boot "
                     r"hart: secondary path$", text, re.M)
    assert len(re.findall(r"kernel: booting on hart", text)) == 1
    assert re.search(r"^hart 0: normal core", text, re.M)
    assert re.search(r"^hart 1: IO core", text, re.M)


def test_second_hart_at_start_exit_status(boot):
    text, status = run(boot, "/bin/fault null", kargs="boot_entry=start")
    assert status == 128 + 11
    assert "killed: load page fault" in text


# panic_test=WHERE (kernel/core/main.c): where the panic happens, what it says
PANICS = {
    "early": r"panic: hart \d: panic_test: before paging",
    "early-trap": r"panic: hart \d: early trap: illegal instruction "
                  r"\(scause 0x2\) sepc 0x[0-9a-f]+ stval 0x0",
    "early-second": r"panic: hart \d: panic_test: on the second hart before paging",
    "normal": r"panic: hart 0: panic_test: on the normal core",
    "io": r"panic: hart 1: panic_test: on the IO core",
    "both": r"panic: hart [01]: panic_test: both cores at once",
    "console-held": r"panic: hart 0: panic_test: with the console lock held",
    "bss": r"panic: hart 0: panic_test: after .bss was cleared",
}


@pytest.mark.parametrize("icount", [False, True], ids=["parallel", "icount"])
@pytest.mark.parametrize("where", sorted(PANICS))
def test_every_panic_exits_254(boot, where, icount):
    """A panic on either hart, at any point (before paging, in an early
    trap, on both harts at once, with the console lock held, after .bss
    was wiped), prints one report and ends QEMU with 254.  init is the
    shell, which waits for input for ever: only the panic can end QEMU."""
    c = boot(init="/bin/ush", kargs=f"panic_test={where}", icount=icount,
             allow_panic=True)
    assert c.wait_exit(timeout=120) == PANIC_STATUS, c.text[-3000:]
    assert re.search(PANICS[where], c.text), c.text[-3000:]
    # one report: the other hart, if it panicked too, stayed quiet
    assert len(re.findall(r"^panic: ", c.text, re.M)) == 1, c.text[-3000:]
    assert "backtrace:" in c.text


@pytest.mark.parametrize("init,status,message", [
    ("/bin/nosuch", 127, "init: /bin/nosuch: No such file or directory"),
    ("nosuch", 127, "init: /bin/nosuch: No such file or directory"),
    ("/data/hello.txt/x", 127, "init: /data/hello.txt/x: Not a directory"),
    ("/data/hello.txt", 126, "init: /data/hello.txt: Exec format error"),
    ("/data", 126, "init: /data: Permission denied"),
])
def test_init_that_cannot_start(boot, init, status, message):
    """As a shell reports a command it cannot run: strerror's words, 127
    for not found and 126 for not executable; no panic."""
    text, st = run(boot, init)
    assert st == status, text[-2000:]
    assert re.search(rf"^{re.escape(message)}$", text, re.M), text[-2000:]


def test_init_without_a_slash_is_found_in_bin(boot):
    text, status = run(boot, "uls /data")
    assert status == 0
    assert re.search(r"^- +35 hello.txt$", text, re.M)
