"""Boot, hart roles, the IPI path, exit status, panics, determinism."""
import re
import subprocess

from conftest import ROOT, result_line, run


def test_both_harts_up_with_roles(boot):
    # a round trip to the IO core: it has started and printed its lines
    # (a program that does not need it may finish first)
    text, status = run(boot, "/bin/ipiping 1")
    assert status == 0 and result_line(text, "ipiping")["round_trips"] == "1"
    assert re.search(r"^hart 0: normal core", text, re.M)
    assert re.search(r"^hart 1: IO core", text, re.M)
    assert "IO core: serving rings (spin between polls)" in text
    assert "2 harts" in text


def test_ipi_round_trips_to_io_core(boot):
    text, status = run(boot, "/bin/ipiping 50")
    assert status == 0
    assert result_line(text, "ipiping")["round_trips"] == "50"


def test_one_hart_has_no_io_core(boot):
    text, status = run(boot, "/bin/ipiping 1", cpus=1)
    assert "one hart only: no IO core" in text
    assert "ipiping: error: No such device" in text
    assert status == 1


def test_init_exit_status_becomes_qemu_status(boot):
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send("exit 42")
    assert c.wait_exit() == 42
    assert "init exited with status 42" in c.text


def test_init_killed_by_fault_gives_128_plus_signal(boot):
    text, status = run(boot, "/bin/fault null")
    assert status == 128 + 11


def test_kernel_fault_panics_with_backtrace(boot, tmp_path):
    c = boot(init="/bin/uecho unreachable-output", kargs="crash_test",
             allow_panic=True)
    status = c.wait_exit()
    assert status == 254, "a panic exits QEMU with status 254"
    text = c.text
    assert re.search(r"panic: hart 0: kernel trap: scause 0xf sepc 0x[0-9a-f]+ "
                     r"stval 0x8", text)
    for reg in ("epc", "ra", "sp", "s0", "a0", "t6"):
        assert re.search(rf"\b{reg}\s+[0-9a-f]{{16}}", text)
    assert "backtrace:" in text
    assert not re.search(r"^unreachable-output$", text, re.M)
    # the host tool names the faulting function from the kernel ELF
    out = subprocess.run(["hosttools/symbolize.py", "build/kernel.elf"],
                         input=text, cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert re.search(r"#pc 0x[0-9a-f]+\s+crash_test_inner at .*main\.c:\d+", out)
    assert re.search(r"#\d+ 0x[0-9a-f]+\s+\w+ at .*\.c:\d+", out)


def test_deterministic_mode_boots_and_measures_traps(boot):
    text, status = run(boot, "/bin/trapbench 20000", icount=True)
    assert status == 0
    r = result_line(text, "trapbench")
    per_call = float(r["instructions_per_call"])
    print(f"getpid round trip: {per_call} instructions (xv6-riscv: 1131)")
    # a deterministic instruction count, not a timing: the lean trap path
    assert per_call < 250


def test_deterministic_mode_is_repeatable(boot):
    a, sa = run(boot, "/bin/trapbench 5000", icount=True)
    b, sb = run(boot, "/bin/trapbench 5000", icount=True)
    assert sa == sb == 0
    assert result_line(a, "trapbench") == result_line(b, "trapbench")


def test_make_run_demo(built):
    p = subprocess.run(["make", "-s", "run"], cwd=ROOT, capture_output=True,
                       stdin=subprocess.DEVNULL,
                       text=True, timeout=900)
    assert p.returncode == 0, p.stdout[-3000:]
    assert re.search(r"== demo summary: \d+ checks, 0 failed ==", p.stdout)
    # it writes a trace and says where and how to open it
    assert "trace: lost records: 0" in p.stdout
    assert ("trace: wrote traces/run.perfetto-trace" in p.stdout
            and "https://ui.perfetto.dev" in p.stdout)
