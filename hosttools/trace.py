#!/usr/bin/env python3
"""Decode the kernel's binary trace stream (make qemu TRACE=path writes
path.bin).  The record format and the event list come from
include/uapi/trace.h, and syscall names from include/uapi/syscalls.h, parsed
here, so they cannot drift.

    hosttools/trace.py summary path.bin          events per hart, losses
    hosttools/trace.py perfetto path.bin OUT     a Perfetto trace (protobuf)

The Perfetto trace (open it at https://ui.perfetto.dev, "Open trace file"):
a track per hart ("hart 0: normal core", "hart 1: IO core"), a track per
user process with its system calls as slices, the processes' run time on
the normal core, the IO core's idle periods, a track per ring under the IO
core with an instant where each SQE is taken and where its CQE is posted,
joined by an arrow (a flow), and IPIs as instants.  Timestamps are in ns
from the time CSR and the timebase in the stream's HELLO record.

A stream that ends early or has damaged records is reported (and the good
records kept), never a traceback.
"""
import collections
import os
import re
import struct
import subprocess
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


OPCODES = {0: "NOP", 1: "READV", 2: "WRITEV", 4: "READ_FIXED",
           5: "WRITE_FIXED", 11: "TIMEOUT", 18: "OPENAT", 19: "CLOSE",
           22: "READ", 23: "WRITE"}


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


def latency_report(records, events, hz):
    """Per opcode: how many, and submit -> CQE and CQE -> reap latency
    percentiles (us), from the flows of request_flows()."""
    recs = sorted(records, key=lambda r: r[3])
    steps = collections.defaultdict(dict)  # flow -> {event name: (ts, a0)}
    for i, (flow, _end) in request_flows(recs, events).items():
        _h, e, _s, ts, a0, _a1 = recs[i]
        steps[flow][events[e][0]] = (ts, a0)
    by_op = collections.defaultdict(lambda: ([], []))
    for st in steps.values():
        if "SQE_TAKEN" not in st:
            continue
        op = OPCODES.get(st["SQE_TAKEN"][1] >> 32, str(st["SQE_TAKEN"][1] >> 32))
        to_cqe, to_reap = by_op[op]
        if "USER_SUBMIT" in st and "CQE_POSTED" in st:
            to_cqe.append((st["CQE_POSTED"][0] - st["USER_SUBMIT"][0]) * 1e6 / hz)
        if "CQE_POSTED" in st and "USER_REAP" in st:
            to_reap.append((st["USER_REAP"][0] - st["CQE_POSTED"][0]) * 1e6 / hz)
    for op, (to_cqe, to_reap) in sorted(by_op.items()):
        line = f"trace: op {op}: {max(len(to_cqe), len(to_reap))} requests"
        for label, v in (("submit->CQE", to_cqe), ("CQE->reap", to_reap)):
            if v:
                line += (f"; {label} us p50 {percentile(v, 50):.1f} "
                         f"p90 {percentile(v, 90):.1f} p99 {percentile(v, 99):.1f}")
        print(line)


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
    latency_report(s.records, events, hello[0] if hello else 10000000)
    total_lost = sum(s.lost.values()) + sum(s.gaps.values())
    print(f"trace: lost records: {total_lost}"
          + "".join(f" (hart {h}: {n})" for h, n in sorted((s.lost + s.gaps).items())))
    for p in s.problems:
        print(f"trace: problem: {p}")
    return 0 if not s.problems else 2


def proto_module():
    """The Python module for hosttools/perfetto_trace.proto, made with protoc
    into build/ when missing or older than the .proto."""
    src = os.path.join(ROOT, "hosttools", "perfetto_trace.proto")
    out = os.path.join(ROOT, "build", "py")
    mod = os.path.join(out, "perfetto_trace_pb2.py")
    if not os.path.exists(mod) or os.path.getmtime(mod) < os.path.getmtime(src):
        os.makedirs(out, exist_ok=True)
        subprocess.run(["protoc", "--python_out", out, "-I",
                        os.path.dirname(src), src], check=True)
    sys.path.insert(0, out)
    import perfetto_trace_pb2
    return perfetto_trace_pb2


def syscall_names():
    text = open(os.path.join(ROOT, "include", "uapi", "syscalls.h")).read()
    return {int(m[2]): m[1] for m in re.finditer(r"SYSCALL\((\w+), (\d+),", text)}


class Builder:
    """Packets for one Perfetto trace: tracks first, then events per hart
    sequence (each hart's records are in time order: its own sequence)."""

    def __init__(self, pb):
        self.pb = pb
        self.trace = pb.Trace()
        self.tracks = set()
        self.open = collections.defaultdict(list)  # track -> open slice names
        self.first = set()                          # sequences started

    def track(self, uuid, name, parent=None, pid=None, tid=None):
        if uuid in self.tracks:
            return uuid
        self.tracks.add(uuid)
        t = self.trace.packet.add().track_descriptor
        t.uuid = uuid
        if pid is not None and tid is None:
            t.process.pid = pid
            t.process.process_name = name
        elif pid is not None:
            t.thread.pid = pid
            t.thread.tid = tid
            t.thread.thread_name = name
            t.parent_uuid = parent
        else:
            t.name = name
            if parent is not None:
                t.parent_uuid = parent
        return uuid

    def event(self, seq, ts, track, kind, name=None, flow=None, end_flow=None):
        p = self.trace.packet.add()
        p.timestamp = ts
        p.trusted_packet_sequence_id = seq
        if seq not in self.first:
            self.first.add(seq)
            p.sequence_flags = 1  # SEQ_INCREMENTAL_STATE_CLEARED
        e = p.track_event
        e.track_uuid = track
        e.type = kind
        if name is not None:
            e.name = name
        if flow is not None:
            e.flow_ids.append(flow)
        if end_flow is not None:
            e.terminating_flow_ids.append(end_flow)

    def begin(self, seq, ts, track, name):
        self.open[track].append(name)
        self.event(seq, ts, track, 1, name)

    def end(self, seq, ts, track):
        if self.open[track]:
            self.open[track].pop()
            self.event(seq, ts, track, 2)

    def close_all(self, seq_of_track, ts):
        for track, names in self.open.items():
            while names:
                names.pop()
                self.event(seq_of_track[track], ts, track, 2)


def request_flows(recs, events):
    """One flow per ring request, through its submission in the process,
    its pickup on the IO core, its CQE, and its reap, which ends it (or the
    CQE, if never reaped).  Returns {record index: (flow id, ends it)}."""
    ring_of = {}                                  # (pid, fd) -> ring id
    stage = collections.defaultdict(collections.deque)  # (step, ring, ud)
    steps = {}                                    # flow id -> [indexes]
    next_flow = 1
    for i, (_h, e, _s, _t, a0, a1) in enumerate(recs):
        name = events[e][0]
        if name == "RING_SETUP":
            ring_of[(a0 >> 32, a0 & 0xffffffff)] = a1
            continue
        if name == "USER_SUBMIT":
            ring = ring_of.get((a0 >> 32, a0 & 0xffffffff))
            flow, next_flow = next_flow, next_flow + 1
            steps[flow] = [i]
            stage[("submitted", ring, a1)].append(flow)
        elif name == "SQE_TAKEN":
            a0 &= 0xffffffff  # the ring (opcode in the high half)
            q = stage[("submitted", a0, a1)]
            if q:
                flow = q.popleft()
            else:
                flow, next_flow = next_flow, next_flow + 1
                steps[flow] = []
            steps[flow].append(i)
            stage[("taken", a0, a1)].append(flow)
        elif name == "CQE_POSTED":
            q = stage[("taken", a0, a1)]
            if q:
                flow = q.popleft()
                steps[flow].append(i)
                stage[("posted", a0, a1)].append(flow)
        elif name == "USER_REAP":
            ring = ring_of.get((a0 >> 32, a0 & 0xffffffff))
            q = stage[("posted", ring, a1)]
            if q:
                steps[q.popleft()].append(i)
    out = {}
    for flow, idx in steps.items():
        for j, i in enumerate(idx):
            out[i] = (flow, j == len(idx) - 1 and len(idx) > 1)
    return out


def perfetto(path, out):
    magic, events = load_events()
    try:
        data = open(path, "rb").read()
    except OSError as e:
        print(f"trace.py: {e.strerror}: {path}")
        return 1
    s = Stream(data, magic, events)
    pb = proto_module()
    names = syscall_names()
    ev = {name: i for i, (name, _, _) in events.items()}
    hz = next((a0 for _, e, _, _, a0, _ in s.records if e == ev["HELLO"]),
              10000000) or 10000000
    b = Builder(pb)
    role = {0: "normal core", 1: "IO core"}
    recs = sorted(s.records, key=lambda r: r[3])  # one time order for all
    flows = request_flows(recs, events)
    seq_of_track = {}
    current = {}     # hart -> running pid
    last_ts = 0
    for i, (hart, e, _seq, ts, a0, a1) in enumerate(recs):
        seq = hart + 1
        ns = ts * 1000000000 // hz
        last_ts = max(last_ts, ns)
        htrack = b.track(10 + hart, f"hart {hart}: {role.get(hart, 'hart')}")
        seq_of_track[htrack] = seq
        name = events[e][0]
        flow, last = flows.get(i, (None, False))
        fkw = {"end_flow": flow} if last else {"flow": flow}
        if name == "SWITCH":
            b.end(seq, ns, htrack)
            b.begin(seq, ns, htrack, f"run pid {a1}")
            current[hart] = a1
        elif name in ("SYSCALL_ENTER", "SYSCALL_EXIT", "USER_SUBMIT",
                      "USER_REAP"):
            if name == "SYSCALL_EXIT":
                pid = current.get(hart, 0)
            elif name == "SYSCALL_ENTER":
                pid = a1
            else:
                pid = a0 >> 32
            ptrack = b.track(1000 + 2 * pid, f"pid {pid}", pid=pid)
            ttrack = b.track(1001 + 2 * pid, f"pid {pid}", parent=ptrack,
                             pid=pid, tid=pid)
            seq_of_track[ttrack] = seq
            call = names.get(a0, f"syscall {a0}")
            if name == "USER_SUBMIT":
                b.event(seq, ns, ttrack, 3, f"submit {a1}", **fkw)
            elif name == "USER_REAP":
                b.event(seq, ns, ttrack, 3, f"reap {a1}", **fkw)
            elif name == "SYSCALL_EXIT":
                b.end(seq, ns, ttrack)
            elif call in ("exit", "exit_group"):
                b.event(seq, ns, ttrack, 3, call)
            else:
                b.begin(seq, ns, ttrack, call)
        elif name in ("SQE_TAKEN", "CQE_POSTED"):
            a0 &= 0xffffffff  # the ring (SQE_TAKEN: opcode in the high half)
            rtrack = b.track(100 + a0, f"ring {a0}",
                             parent=b.track(11, "hart 1: IO core"))
            seq_of_track[rtrack] = seq
            label = "SQE taken" if name == "SQE_TAKEN" else "CQE posted"
            b.event(seq, ns, rtrack, 3, f"{label} {a1}", **fkw)
        elif name == "IO_SLEEP":
            b.begin(seq, ns, htrack, "idle (wfi)")
        elif name == "IO_WAKE":
            b.end(seq, ns, htrack)
        elif name in ("IPI_SEND", "IPI_RECV", "LOST", "HELLO"):
            label = {"IPI_SEND": f"IPI to hart {a0}", "IPI_RECV": "IPI received",
                     "LOST": f"{a0} records lost", "HELLO": "trace start"}[name]
            b.event(seq, ns, htrack, 3, label)
    b.close_all(seq_of_track, last_ts)
    with open(out, "wb") as f:
        f.write(b.trace.SerializeToString())
    print(f"trace: wrote {out}: {len(b.trace.packet)} packets; open it at "
          f"https://ui.perfetto.dev (Open trace file)")
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
