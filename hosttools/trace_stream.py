"""The kernel's binary trace stream, parsed: layer one of the decoder
(trace.py is the command line; trace_requests.py matches requests,
trace_perfetto.py writes the timeline).  The record layout, magic and
events come from include/uapi/trace.h through uapi.py.

    read_stream(path) -> Stream or None (the error printed)
    Stream(data)      .records: Record(hart, name, seq, ts, a0, a1, f), f
                      the event's fields by name (uapi.Event.unpack);
                      .problems (damage, truncation, an empty stream),
                      .lost (LOST records: where -> how many), .gaps (seq
                      numbers missing: "hart N" -> how many), .hz (the
                      timebase from HELLO), .ns(ticks)
    time_order(records)  all harts' records in one time order

A damaged, truncated or empty stream gives problems and keeps the good
records, never an exception.
"""
import collections
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uapi  # noqa: E402  (the include/uapi headers, parsed)

REC = uapi.record  # struct trace_rec: 32 bytes
HEADER = struct.Struct(REC.format[:4])  # its magic, hart and event
Record = collections.namedtuple("Record", "hart name seq ts a0 a1 f")


class Stream:
    """The records of a stream, with what was wrong with it."""

    def __init__(self, data, magic=uapi.TRACE_MAGIC, events=uapi.EVENTS):
        self.records = []   # Record, in stream order
        self.problems = []  # human-readable
        self.lost = collections.Counter()  # where -> records dropped
        self.gaps = collections.Counter()  # "hart N" -> seq numbers missing
        pos, last_seq = 0, {}

        def header_ok(at):
            """a record's magic and a known event at byte at"""
            if at + HEADER.size > len(data):
                return False
            magic_, _hart, ev = HEADER.unpack_from(data, at)
            return magic_ == magic and ev in events

        while pos + REC.size <= len(data):
            _magic, hart, ev, seq, ts, a0, a1 = REC.unpack_from(data, pos)
            if not header_ok(pos):
                # damaged: skip to the next plausible record start (two
                # good headers in a row, or one at the end: the magic's
                # two bytes alone turn up inside timestamps and arguments)
                nxt = pos
                while True:
                    nxt = data.find(struct.pack("<H", magic), nxt + 1)
                    if nxt < 0 or header_ok(nxt) and (
                            nxt + REC.size + HEADER.size > len(data) or
                            header_ok(nxt + REC.size)):
                        break
                self.problems.append(f"damaged record at byte {pos}; "
                                     f"resynchronized at {nxt if nxt >= 0 else 'end'}")
                if nxt < 0:
                    pos = len(data)
                    break
                pos = nxt
                continue
            pos += REC.size
            event = events[ev]
            rec = Record(hart, event.name, seq, ts, a0, a1,
                         event.unpack(a0, a1))
            if rec.name == "LOST":
                # pid: the process whose user trace area was full, or 0
                f = rec.f
                self.lost[f"pid {f.pid} user area" if f.pid
                          else f"hart {hart}"] += f.records
                if not f.pid:  # a drain's LOST is outside the seq numbering
                    self.records.append(rec)
                    continue
            if hart in last_seq and seq != last_seq[hart] + 1:
                if seq > last_seq[hart]:
                    self.gaps[f"hart {hart}"] += seq - last_seq[hart] - 1
            last_seq[hart] = seq
            self.records.append(rec)
        if pos < len(data):
            self.problems.append(f"stream ends inside a record "
                                 f"({len(data) - pos} bytes left over)")
        if not data:
            self.problems.append("the stream is empty: was the kernel "
                                 "booted with `trace` (make qemu TRACE=...) "
                                 "and built with TRACING=1?")
        hello = [r.f.timebase_hz for r in self.records if r.name == "HELLO"]
        self.hz = 10000000  # QEMU virt's, if the stream does not say
        if hello and 1000 <= hello[0] <= 10 ** 10:
            self.hz = hello[0]
        elif hello:
            self.problems.append(f"implausible timebase {hello[0]} Hz; "
                                 f"assuming {self.hz}")

    def ns(self, ticks):
        """A time-CSR value in ns (within what a protobuf uint64 holds)."""
        return max(0, min(ticks * 1000000000 // self.hz, (1 << 63) - 1))


def read_stream(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"trace.py: {e.strerror}: {path}")
        return None
    return Stream(data)


PRIO = {"USER_SUBMIT": 0, "USER_REAP": 2}


def order_key(rec):
    """All harts' records in one time order.  At one tick (the time CSR
    ticks every 100 ns: many events share one), a hart's own records in the
    order it wrote them, a submission before what the kernel did with it
    and a reap after its CQE."""
    return (rec.ts, PRIO.get(rec.name, 1), rec.hart, rec.seq)


def time_order(records):
    return sorted(records, key=order_key)
