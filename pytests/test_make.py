"""What the Makefile shows a user: a quiet build (short `CC file` lines,
the full commands with V=1), and one clear line for a TRACE= path that
cannot be written."""
import re
import subprocess

from conftest import ROOT


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT,
                          capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)


def test_quiet_build_prints_short_lines(built, tmp_path):
    b = tmp_path / "b"
    p = make(f"B={b}", f"{b}/kernel.elf")
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert "  CC      kernel/core/proc.c" in lines
    assert "  AS      kernel/arch/riscv/entry.S" in lines
    assert f"  LD      {b}/kernel.elf" in lines
    assert not [ln for ln in lines if "-ffreestanding" in ln], p.stdout
    # V=1: the full command lines
    (b / "kernel" / "core" / "string.c.o").unlink()
    p = make(f"B={b}", "V=1", f"{b}/kernel.elf")
    assert p.returncode == 0, p.stdout + p.stderr
    assert re.search(r"^riscv64-unknown-elf-gcc .*-ffreestanding.* -c "
                     r"kernel/core/string.c", p.stdout, re.M), p.stdout


def test_unwritable_trace_path_is_one_line(built):
    p = make("-s", "qemu", "INIT=/bin/uecho", "TRACE=/proc/no/x.perfetto-trace")
    assert p.returncode != 0
    out = (p.stdout + p.stderr).strip().splitlines()
    assert len(out) == 1, out
    assert "TRACE=/proc/no/x.perfetto-trace: cannot write" in out[0]
    assert "booting" not in p.stdout  # QEMU never started
