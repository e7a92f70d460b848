#!/usr/bin/env python3
"""Decode the kernel's binary trace stream (make qemu TRACE=path writes
path.bin): the command line.

    hosttools/trace.py summary path.bin          events per hart, losses,
                                                 latency per opcode
    hosttools/trace.py perfetto path.bin OUT     a Perfetto trace (protobuf)

The decoder's layers, each a module here, all reading include/uapi through
uapi.py (the record format, events and their fields, park reasons, opcodes,
syscall names), so that nothing can drift:

    trace_stream.py    the records, damage, gaps in the sequence numbers,
                       losses
    trace_requests.py  request matching: which ring request each record is
                       about (by ring index), and its history; the summary
                       needs only this
    trace_perfetto.py  the timeline and its Perfetto output (the tracks are
                       described there)

A stream that ends early or has damaged records is reported (and the good
records kept), never a traceback.  Exit status: 0, 1 (no stream or no
output), 2 (the stream had problems).
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_perfetto import perfetto  # noqa: E402
from trace_requests import Requests  # noqa: E402
from trace_stream import read_stream  # noqa: E402


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


def latency_report(requests):
    """How many requests the IO core took, how many of them could not be
    matched to their submission or reap; per opcode: how many, and submit
    -> CQE and CQE -> reap latency percentiles (us)."""
    taken = requests.ops  # only the requests the IO core took are in it
    print(f"trace: requests: {len(taken)} taken; "
          f"{sum(op.submit is None for op in taken)} without a submit record; "
          f"{sum(op.posted is not None and op.reap is None for op in taken)} "
          f"CQEs not reaped")
    by_op = collections.defaultdict(lambda: ([], [], [0]))
    for op in taken:
        to_cqe, to_reap, n = by_op[op.name]
        n[0] += 1
        if op.submit is not None and op.posted is not None:
            to_cqe.append((op.posted - op.submit) / 1000)
        if op.posted is not None and op.reap is not None:
            to_reap.append((op.reap - op.posted) / 1000)
    for name, (to_cqe, to_reap, n) in sorted(by_op.items()):
        line = f"trace: op {name}: {n[0]} requests"
        for label, v in (("submit->CQE", to_cqe), ("CQE->reap", to_reap)):
            if v:
                line += (f"; {label} us p50 {percentile(v, 50):.1f} "
                         f"p90 {percentile(v, 90):.1f} p99 {percentile(v, 99):.1f}")
        print(line)


def summary(path):
    s = read_stream(path)
    if s is None:
        return 1
    per_hart = collections.defaultdict(collections.Counter)
    harts = None
    for rec in s.records:
        per_hart[rec.hart][rec.name] += 1
        if rec.name == "HELLO":
            harts = rec.f.harts
    print(f"trace: {path}: {len(s.records)} records"
          + (f", timebase {s.hz} Hz, {harts} harts" if harts else ""))
    for hart in sorted(per_hart):
        counts = ", ".join(f"{n} {c}" for n, c in sorted(per_hart[hart].items()))
        print(f"trace: hart {hart}: {sum(per_hart[hart].values())} records: {counts}")
    latency_report(Requests(s).run())
    total_lost = sum(s.lost.values()) + sum(s.gaps.values())
    print(f"trace: lost records: {total_lost}"
          + "".join(f" ({h}: {n})" for h, n in sorted((s.lost + s.gaps).items())))
    for p in s.problems:
        print(f"trace: problem: {p}")
    return 0 if not s.problems else 2


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "summary":
        return summary(sys.argv[2])
    if len(sys.argv) == 4 and sys.argv[1] == "perfetto":
        return perfetto(sys.argv[2], sys.argv[3])
    print("usage: trace.py summary TRACE.bin | perfetto TRACE.bin OUT",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
