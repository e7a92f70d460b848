"""The platform seam (kernel/platform/): the devices the kernel reports at
boot, one line each,

    platform: qemu-virt: CLASS PATH COMPATIBLE reg 0xADDR size 0xSIZE [more]

are the ones QEMU's own device tree describes.  The tree comes from QEMU
itself (`-machine virt,dumpdtb=FILE` added to the very command line the
suite boots, so -smp, -m, -initrd and -append are the same) and is read on
the host with hosttools/fdt.py."""
import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "hosttools"))
import fdt  # noqa: E402

LINE = re.compile(r"^platform: (?P<board>\S+): (?P<cls>\S+) (?P<path>/\S*) "
                  r"(?P<compat>\S+) reg (?P<reg>0x[0-9a-f]+) "
                  r"size (?P<size>0x[0-9a-f]+)(?P<rest>.*)$", re.M)
IRQ_S_EXT = 9
PCI_SPACE_IO = 1


def qemu_argv(cpus=2, make_vars=(), init="/bin/uecho platform"):
    """The suite's QEMU command line (make qemu-cmd, as conftest's Console)."""
    out = subprocess.run(["make", "-s", "--no-print-directory", "qemu-cmd",
                          f"CPUS={cpus}", "ICOUNT=0", f"INIT={init}",
                          *make_vars], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return shlex.split(out.strip().splitlines()[-1])


def qemu_tree(tmp_path, argv):
    """QEMU's device tree for that command line, parsed."""
    dtb = tmp_path / "virt.dtb"
    i = argv.index("-machine")
    assert argv[i + 1] == "virt", argv
    argv = argv[:i + 1] + [f"virt,dumpdtb={dtb}"] + argv[i + 2:]
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True,
                   timeout=120)
    return fdt.load(dtb)


def reported(text):
    """The kernel's platform lines: {class: [dict, ...]} in their order."""
    found = {}
    for m in LINE.finditer(text):
        d = m.groupdict()
        d["reg"], d["size"] = int(d["reg"], 16), int(d["size"], 16)
        rest = d.pop("rest").split()
        d["console"] = "console" in rest
        for k, v in zip(rest, rest[1:]):
            if k in ("irq", "ndev"):
                d[k] = int(v)
            elif k in ("contexts", "buses"):
                d[k] = v
        io = re.search(r" io (0x[0-9a-f]+) size (0x[0-9a-f]+)", m.group(0))
        if io:
            d["io"] = (int(io.group(1), 16), int(io.group(2), 16))
        found.setdefault(d["cls"], []).append(d)
    return found


def one_reg(node):
    (reg,) = node.reg()[:1]
    return reg


def s_contexts(tree, plic):
    """hart:context for every S-mode external interrupt context."""
    hart_of = {}
    for intc in tree.compatible("riscv,cpu-intc"):
        ph = intc.u32("phandle")
        hart_of[ph] = one_reg(intc.parent)[0]
    cells = plic.u32s("interrupts-extended")
    out = []
    for ctx in range(len(cells) // 2):
        ph, cause = cells[2 * ctx], cells[2 * ctx + 1]
        if cause == IRQ_S_EXT and ph in hart_of:
            out.append(f"{hart_of[ph]}:{ctx}")
    return ",".join(out)


def pci_io_window(node):
    """(CPU address, size) of the PCI host's I/O window, from ranges."""
    words = node.u32s("ranges")
    pa = node.cells("#address-cells")
    sc = node.u32("#size-cells", 1)
    step = 3 + pa + sc
    for i in range(0, len(words) - step + 1, step):
        e = words[i:i + step]
        if e[0] >> 24 & 3 == PCI_SPACE_IO:
            return fdt.join(e[3:3 + pa]), fdt.join(e[3 + pa:])
    raise AssertionError("no I/O window in the PCI host's ranges")


def check_against_tree(text, tree):
    got = reported(text)
    boards = {d["board"] for ds in got.values() for d in ds}
    assert boards == {"qemu-virt"}, boards

    def same_node(d, node, compat_of):
        assert d["path"] == node.path
        assert d["compat"] in node.strings("compatible") or \
            d["compat"] == compat_of
        assert (d["reg"], d["size"]) == one_reg(node), d

    # RAM: the first /memory node
    mem = [n for n in tree.children if n.name.split("@")[0] == "memory"][0]
    (d,) = got["memory"]
    same_node(d, mem, "memory")

    # UARTs, and the console is the one /chosen/stdout-path names
    uarts = tree.compatible("ns16550a", "ns16550")
    assert [d["path"] for d in got["uart"]] == [n.path for n in uarts]
    stdout = tree.find("/chosen").strings("stdout-path")[0].split(":")[0]
    for d, n in zip(got["uart"], uarts):
        same_node(d, n, None)
        assert d["irq"] == n.u32("interrupts")
        assert d["console"] == (n.path == stdout)

    # the PLIC: reg, sources, each hart's S-mode context
    (plic,) = tree.compatible("sifive,plic-1.0.0", "riscv,plic0")
    (d,) = got["plic"]
    same_node(d, plic, None)
    assert d["ndev"] == plic.u32("riscv,ndev")
    assert d["contexts"] == s_contexts(tree, plic)

    # the test device that powers off with an exit status
    (test,) = tree.compatible("sifive,test1", "sifive,test0")
    (d,) = got["poweroff"]
    same_node(d, test, None)

    # the PCI host: config space, bus range, I/O window
    (pci,) = tree.compatible("pci-host-ecam-generic")
    (d,) = got["pci"]
    same_node(d, pci, None)
    first, last = pci.u32s("bus-range")
    assert d["buses"] == f"{first}-{last}"
    assert d["io"] == pci_io_window(pci)

    # every virtio-mmio slot, in tree order, with its interrupt
    slots = tree.compatible("virtio,mmio")
    assert len(got["virtio"]) == len(slots) == 8
    for d, n in zip(got["virtio"], slots):
        same_node(d, n, None)
        assert d["irq"] == n.u32("interrupts")

    assert set(got) == {"memory", "uart", "plic", "poweroff", "pci",
                        "virtio"}, sorted(got)
    return got


@pytest.mark.parametrize("cpus,mem", [(2, None), (1, "256M")])
def test_platform_devices_are_qemus(boot, tmp_path, cpus, mem):
    """Each device line matches QEMU's tree: with the suite's options, and
    with one hart and another RAM size (the tree, not a constant)."""
    make_vars = [f"MEM={mem}"] if mem else []
    tree = qemu_tree(tmp_path, qemu_argv(cpus, make_vars))
    c = boot(init="/bin/uecho platform", cpus=cpus, make_vars=make_vars)
    assert c.wait_exit() == 0
    got = check_against_tree(c.text, tree)
    assert "\nplatform\n" in c.text
    if mem:
        assert got["memory"][0]["size"] == 256 << 20
    assert got["plic"][0]["contexts"].count(":") == cpus
    # the device lines come before the kernel's summary line, whose RAM
    # size is the tree's
    summary = re.search(r"^kernel: (\d+) MiB RAM", c.text, re.M)
    assert c.text.index("platform: ") < summary.start()
    assert int(summary.group(1)) << 20 == got["memory"][0]["size"]


def test_platform_trace_sink_on_pci(boot, tmp_path):
    """With make TRACE=..., the trace sink is QEMU's pci-serial, found on
    the PCI bus and its BAR0 placed in the tree's I/O window."""
    trace = tmp_path / "p.perfetto-trace"
    argv = qemu_argv(make_vars=[f"TRACE={trace}"])
    tree = qemu_tree(tmp_path, argv)
    c = boot(init="/bin/uecho platform", trace=str(trace))
    assert c.wait_exit() == 0
    check_against_tree(c.text, tree)
    m = re.search(r"^platform: qemu-virt: trace-sink pci-serial "
                  r"(\w\w:\w\w\.\w) 1b36:0002 reg (0x[0-9a-f]+)$",
                  c.text, re.M)
    assert m, c.text[-3000:]
    io, size = pci_io_window(tree.compatible("pci-host-ecam-generic")[0])
    assert io <= int(m.group(2), 16) < io + size
    assert f"trace: on, records to pci-serial {m.group(1)}" in c.text
    assert os.path.getsize(f"{trace}.bin") > 0


def test_platform_no_trace_sink(boot):
    """`trace` without a pci-serial on the bus: said once, tracing off, the
    machine runs as before."""
    c = boot(init="/bin/uecho platform", kargs="trace")
    assert c.wait_exit() == 0
    assert re.search(r"^platform: qemu-virt: trace-sink: no pci-serial "
                     r"\(1b36:0002\) on bus 0$", c.text, re.M), c.text[-2000:]
    assert "trace: no trace sink: tracing off" in c.text
    assert "trace: on" not in c.text


CODE_DIRS_ALLOWED = ("kernel/platform/", "kernel/drivers/")


def strip_comments(src):
    src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    return re.sub(r"//[^\n]*", " ", src)


def test_no_device_address_outside_platform(tmp_path):
    """Only kernel/platform/ and kernel/drivers/ name a device's address:
    no other kernel source has one of the tree's device addresses in its
    code.  (The test device's 0x100000 is left out: it is also 1 MiB,
    memlayout.h's RING_SLOT_SIZE.)"""
    tree = qemu_tree(tmp_path, qemu_argv())
    addrs = set()
    for compat in ("ns16550a", "sifive,plic-1.0.0", "pci-host-ecam-generic",
                   "virtio,mmio", "sifive,clint0"):
        for n in tree.compatible(compat):
            addrs.add(one_reg(n)[0])
    addrs.add(pci_io_window(tree.compatible("pci-host-ecam-generic")[0])[0])
    pattern = re.compile(r"\b0x0*(%s)(?:UL|ULL|U|L)?\b" %
                         "|".join(f"{a:x}" for a in sorted(addrs)), re.I)
    bad = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, "kernel")):
        rel = os.path.relpath(dirpath, ROOT) + "/"
        if rel.startswith(CODE_DIRS_ALLOWED):
            continue
        for f in files:
            if f.endswith((".c", ".h", ".S", ".ld")):
                with open(os.path.join(dirpath, f)) as fh:
                    code = strip_comments(fh.read())
                bad += [f"{rel}{f}: {m.group(0)}"
                        for m in pattern.finditer(code)]
    assert not bad, bad
