#!/usr/bin/python3
"""A small reader of flattened device trees (DTB), for the tests: what the
kernel says it found on the board is compared with what QEMU's own tree
says (`qemu-system-riscv64 -machine virt,dumpdtb=FILE ...`).

The format (Devicetree Specification, "Flattened Devicetree (DTB) Format"):
a header of big-endian 32-bit words (magic 0xd00dfeed, total size, offset of
the structure block, offset of the strings block, ...), a structure block of
32-bit tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END),
each item padded to 4 bytes, and a strings block of property names.

    tree = fdt.load(path)            # the root Node
    for n in tree.compatible("ns16550a"): n.reg()  # [(addr, size), ...]
    python3 hosttools/fdt.py FILE    # print the tree, dtc-like

No locking, no state: a pure function of the file."""
import struct
import sys

MAGIC = 0xD00DFEED
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


class FdtError(ValueError):
    pass


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.props = {}      # name -> bytes
        self.children = []

    @property
    def path(self):
        if self.parent is None:
            return "/"
        up = self.parent.path
        return (up if up != "/" else "") + "/" + self.name

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def u32s(self, prop):
        v = self.props.get(prop)
        if v is None:
            return None
        return list(struct.unpack(f">{len(v) // 4}I", v[:len(v) // 4 * 4]))

    def u32(self, prop, default=None):
        v = self.u32s(prop)
        return v[0] if v else default

    def strings(self, prop):
        v = self.props.get(prop)
        if v is None:
            return []
        return [s.decode() for s in v.rstrip(b"\0").split(b"\0")]

    def cells(self, which):
        """#address-cells / #size-cells that apply to this node's reg: its
        parent's (the spec's defaults 2 and 1 when absent)."""
        p = self.parent
        default = 2 if which == "#address-cells" else 1
        return p.u32(which, default) if p is not None else default

    def reg(self):
        """reg as [(address, size), ...] in the parent's cell sizes."""
        words = self.u32s("reg") or []
        ac, sc = self.cells("#address-cells"), self.cells("#size-cells")
        out = []
        for i in range(0, len(words) - (ac + sc) + 1, ac + sc):
            out.append((join(words[i:i + ac]), join(words[i + ac:i + ac + sc])))
        return out

    def compatible(self, *names):
        """Every node below (and including) this one whose compatible list
        names one of names, in tree order."""
        return [n for n in self.walk()
                if any(c in names for c in n.strings("compatible"))]

    def find(self, path):
        """The node at an absolute path ("/soc/plic@c000000"), or None."""
        n = self
        for part in [p for p in path.split("/") if p]:
            n = next((c for c in n.children if c.name == part or
                      c.name.split("@")[0] == part), None)
            if n is None:
                return None
        return n


def join(words):
    v = 0
    for w in words:
        v = v << 32 | w
    return v


def parse(blob):
    """Parse a DTB (bytes); return the root Node."""
    if len(blob) < 40:
        raise FdtError("too short for a device tree header")
    magic, total, off_struct, off_strings = struct.unpack(">4I", blob[:16])
    if magic != MAGIC:
        raise FdtError(f"bad magic 0x{magic:08x}")
    size_strings, size_struct = struct.unpack(">2I", blob[32:40])
    strings = blob[off_strings:off_strings + size_strings]
    p, end = off_struct, off_struct + size_struct
    root, node = None, None

    def pad(x):
        return (x + 3) & ~3

    while p < end:
        (tok,) = struct.unpack(">I", blob[p:p + 4])
        p += 4
        if tok == BEGIN_NODE:
            z = blob.index(b"\0", p)
            name = blob[p:z].decode()
            p = pad(z + 1)
            child = Node(name, node)
            if node is None:
                if root is not None:
                    raise FdtError("two root nodes")
                root = child
            else:
                node.children.append(child)
            node = child
        elif tok == END_NODE:
            if node is None:
                raise FdtError("END_NODE outside a node")
            node = node.parent
        elif tok == PROP:
            ln, nameoff = struct.unpack(">2I", blob[p:p + 8])
            z = strings.index(b"\0", nameoff)
            pname = strings[nameoff:z].decode()
            if node is None:
                raise FdtError("property outside a node")
            node.props[pname] = bytes(blob[p + 8:p + 8 + ln])
            p = pad(p + 8 + ln)
        elif tok == NOP:
            continue
        elif tok == END:
            break
        else:
            raise FdtError(f"bad token {tok} at 0x{p - 4:x}")
    if root is None:
        raise FdtError("no root node")
    return root


def load(path):
    with open(path, "rb") as f:
        return parse(f.read())


def show(node, depth=0, out=sys.stdout):
    ind = "\t" * depth
    print(f"{ind}{node.name or '/'} {{", file=out)
    for k, v in node.props.items():
        parts = v[:-1].split(b"\0") if v.endswith(b"\0") else []
        if parts and all(s and all(32 <= b < 127 for b in s) for s in parts):
            val = ", ".join(f'"{s.decode()}"' for s in parts)
            print(f"{ind}\t{k} = {val};", file=out)
        elif v and len(v) % 4 == 0:
            cells = " ".join(f"0x{w:x}" for w in struct.unpack(f">{len(v)//4}I", v))
            print(f"{ind}\t{k} = <{cells}>;", file=out)
        elif v:
            print(f"{ind}\t{k} = [{v.hex(' ')}];", file=out)
        else:
            print(f"{ind}\t{k};", file=out)
    for c in node.children:
        show(c, depth + 1, out)
    print(f"{ind}}};", file=out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: fdt.py FILE.dtb")
    show(load(sys.argv[1]))
