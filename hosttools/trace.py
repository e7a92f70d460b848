#!/usr/bin/env python3
"""Decode the kernel's binary trace stream (make qemu TRACE=path writes
path.bin).  The record format and the event list come from
include/uapi/trace.h, parsed here, so the two cannot drift.

    hosttools/trace.py summary path.bin     events per hart, losses, gaps

A stream that ends early or has damaged records is reported (and the good
records kept), never a traceback.
"""
import collections
import os
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(ROOT, "include", "uapi", "trace.h")
REC = struct.Struct("<HBBIQQQ")  # struct trace_rec: 32 bytes


def load_events(path=HEADER):
    """{id: (name, arg0 name, arg1 name)} and the magic, from trace.h."""
    text = open(path).read()
    magic = int(re.search(r"#define TRACE_MAGIC (0x[0-9a-fA-F]+)", text)[1], 16)
    events = {}
    for m in re.finditer(r'TRACE_EVENT\((\d+),\s*(\w+),\s*"([^"]*)",\s*"([^"]*)"\)',
                         text):
        events[int(m[1])] = (m[2], m[3], m[4])
    if REC.size != 32 or not events:
        raise SystemExit(f"trace.py: cannot read the event list in {path}")
    return magic, events


class Stream:
    """The records of a stream, with what was wrong with it."""

    def __init__(self, data, magic, events):
        self.records = []   # (hart, event, seq, ts, a0, a1)
        self.problems = []  # human-readable
        self.lost = collections.Counter()  # hart -> records the kernel dropped
        self.gaps = collections.Counter()  # hart -> seq numbers missing
        pos, last_seq = 0, {}
        while pos + REC.size <= len(data):
            magic_, hart, ev, seq, ts, a0, a1 = REC.unpack_from(data, pos)
            if magic_ != magic or ev not in events:
                # damaged: skip to the next plausible record start
                nxt = data.find(struct.pack("<H", magic), pos + 1)
                self.problems.append(f"damaged record at byte {pos}; "
                                     f"resynchronized at {nxt if nxt >= 0 else 'end'}")
                if nxt < 0:
                    pos = len(data)
                    break
                pos = nxt
                continue
            pos += REC.size
            if events[ev][0] == "LOST":
                self.lost[hart] += a0
                continue
            if hart in last_seq and seq != last_seq[hart] + 1:
                if seq > last_seq[hart]:
                    self.gaps[hart] += seq - last_seq[hart] - 1
            last_seq[hart] = seq
            self.records.append((hart, ev, seq, ts, a0, a1))
        if pos < len(data):
            self.problems.append(f"stream ends inside a record "
                                 f"({len(data) - pos} bytes left over)")


def summary(path):
    magic, events = load_events()
    try:
        data = open(path, "rb").read()
    except OSError as e:
        print(f"trace.py: {e.strerror}: {path}")
        return 1
    s = Stream(data, magic, events)
    per_hart = collections.defaultdict(collections.Counter)
    hello = None
    for hart, ev, seq, ts, a0, a1 in s.records:
        per_hart[hart][events[ev][0]] += 1
        if events[ev][0] == "HELLO":
            hello = (a0, a1)
    print(f"trace: {path}: {len(s.records)} records"
          + (f", timebase {hello[0]} Hz, {hello[1]} harts" if hello else ""))
    for hart in sorted(per_hart):
        counts = ", ".join(f"{n} {c}" for n, c in sorted(per_hart[hart].items()))
        print(f"trace: hart {hart}: {sum(per_hart[hart].values())} records: {counts}")
    total_lost = sum(s.lost.values()) + sum(s.gaps.values())
    print(f"trace: lost records: {total_lost}"
          + "".join(f" (hart {h}: {n})" for h, n in sorted((s.lost + s.gaps).items())))
    for p in s.problems:
        print(f"trace: problem: {p}")
    return 0 if not s.problems else 2


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "summary":
        print("usage: trace.py summary TRACE.bin", file=sys.stderr)
        return 2
    return summary(sys.argv[2])


if __name__ == "__main__":
    sys.exit(main())
