#!/usr/bin/env python3
"""Symbolize a kernel panic: read console output on stdin, print it with
each kernel address of the backtrace and the trap's sepc/ra resolved to
function and file:line, using addr2line on the kernel ELF.

    hosttools/symbolize.py build/kernel.elf < console.log
"""
import re
import subprocess
import sys

ADDR_LINE = re.compile(r"^\s*#(\d+|pc|ra) (0x[0-9a-f]+)")
KERNEL_LO, KERNEL_HI = 0x80200000, 0x80600000


def resolve(elf, addrs):
    """Map each address to 'function at file:line' with one addr2line run."""
    if not addrs:
        return {}
    out = subprocess.run(
        ["riscv64-unknown-elf-addr2line", "-f", "-C", "-e", elf]
        + [hex(a) for a in addrs],
        capture_output=True, text=True, check=True).stdout.splitlines()
    return {a: f"{out[2 * i]} at {out[2 * i + 1]}" for i, a in enumerate(addrs)}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: symbolize.py KERNEL_ELF < console.log")
    lines = sys.stdin.read().splitlines()
    wanted = []
    for line in lines:
        m = ADDR_LINE.match(line)
        if m:
            a = int(m.group(2), 16)
            # a return address points after the call: look up the call
            wanted.append(a if m.group(1) == "pc" else a - 2)
    names = resolve(sys.argv[1], sorted(set(wanted)))
    for line in lines:
        m = ADDR_LINE.match(line)
        if m:
            a = int(m.group(2), 16)
            a = a if m.group(1) == "pc" else a - 2
            if KERNEL_LO <= a < KERNEL_HI:
                line = f"{line}  {names[a]}"
        print(line)


if __name__ == "__main__":
    main()
