#!/usr/bin/env python3
"""Decode the kernel's binary trace stream (make qemu TRACE=path writes
path.bin).  The record format, the event list, park reasons, opcodes and
syscall names come from include/uapi, parsed by hosttools/uapi.py, so they
cannot drift.

    hosttools/trace.py summary path.bin          events per hart, losses,
                                                 latency per opcode
    hosttools/trace.py perfetto path.bin OUT     a Perfetto trace (protobuf)

The Perfetto trace (open it at https://ui.perfetto.dev, "Open trace file"):

  hart 0: normal core    which process runs ("run NAME (pid N)"), interrupts
                         taken while idle, timer ticks, IPIs
  hart 1: IO core        "busy" while its passes find work, "sleep (wfi)"
                         while it waits with NEED_WAKEUP set, IPIs
    ring R (pid P fd F)  one per ring, under the IO core, holding:
      poller             the ring's poller coroutine: a "poll" slice per pass
                         that did work, with an op slice per request it took
                         and issued (ended by its CQE)
      request S          a parked request's coroutine (a TIMEOUT, a link
                         member waiting for the one before it, a drain): the
                         op's slice, with "wait (...)" while parked
      SQ occupancy, CQ occupancy, in flight     counters
  NAME (pid N)           a process, its thread track: system calls
                         (category "syscall", the result in the slice's
                         arguments) and traps taken while it ran (category
                         "trap", with scause) as slices, ring submissions
                         and reaps as instants (one per batch libuser
                         published or consumed)

Each ring request has one flow (arrows): submit (process) -> op (IO core)
-> CQE posted -> reap (process), which ends it.  Requests are matched by
ring index (see ring_indexes).  Timestamps are in ns from
the time CSR and the timebase in the stream's HELLO record.

A stream that ends early or has damaged records is reported (and the good
records kept), never a traceback.
"""
import collections
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uapi  # noqa: E402  (the include/uapi headers, parsed)

REC = uapi.record  # struct trace_rec: 32 bytes
OPCODES = uapi.OPCODES
PARK_WHY = uapi.PARK_WHY
# scause values and their names (the RISC-V privileged specification; the
# kernel's own names are in kernel/arch/riscv/trap.c)
CAUSES = {0x8000000000000001: "software interrupt (IPI)",
          0x8000000000000005: "timer interrupt",
          0x8000000000000009: "external interrupt",
          0: "instruction address misaligned", 1: "instruction access fault",
          2: "illegal instruction", 3: "breakpoint",
          4: "load address misaligned", 5: "load access fault",
          6: "store address misaligned", 7: "store access fault",
          12: "instruction page fault", 13: "load page fault",
          15: "store page fault"}


class Stream:
    """The records of a stream, with what was wrong with it."""

    def __init__(self, data, magic, events):
        self.records = []   # (hart, event name, seq, ts, a0, a1)
        self.problems = []  # human-readable
        self.lost = collections.Counter()  # where -> records dropped
        self.gaps = collections.Counter()  # "hart N" -> seq numbers missing
        pos, last_seq = 0, {}

        def header_ok(at):
            """a record's magic and a known event at byte at"""
            if at + 4 > len(data):
                return False
            magic_, _hart, ev = struct.unpack_from("<HBB", data, at)
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
                            nxt + REC.size + 4 > len(data) or
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
            name = events[ev].name
            if name == "LOST":
                # a1: the process whose user trace area was full, or 0
                self.lost[f"pid {a1} user area" if a1 else f"hart {hart}"] += a0
                if not a1:  # a drain's LOST is outside the seq numbering
                    self.records.append((hart, name, seq, ts, a0, a1))
                    continue
            if hart in last_seq and seq != last_seq[hart] + 1:
                if seq > last_seq[hart]:
                    self.gaps[f"hart {hart}"] += seq - last_seq[hart] - 1
            last_seq[hart] = seq
            self.records.append((hart, name, seq, ts, a0, a1))
        if pos < len(data):
            self.problems.append(f"stream ends inside a record "
                                 f"({len(data) - pos} bytes left over)")
        if not data:
            self.problems.append("the stream is empty: was the kernel "
                                 "booted with `trace` (make qemu TRACE=...) "
                                 "and built with TRACING=1?")
        hello = [a0 for _, e, _, _, a0, _ in self.records if e == "HELLO"]
        self.hz = 10000000  # QEMU virt's, if the stream does not say
        if hello and 1000 <= hello[0] <= 10 ** 10:
            self.hz = hello[0]
        elif hello:
            self.problems.append(f"implausible timebase {hello[0]} Hz; "
                                 f"assuming {self.hz}")


PRIO = {"USER_SUBMIT": 0, "USER_REAP": 2}
# the most requests one USER_SUBMIT or USER_REAP can be about: a CQ's
# worth (include/uapi/io_uring.h: IORING_MAX_CQ_ENTRIES, twice this)
MAX_BATCH = uapi.IORING_MAX_CQ_ENTRIES
# track uuids: 10 + hart; RING_UUID * n (+ 1 + slot, + 900..) for the n-th
# ring set up; PROC_UUID + 2 * pid (+ 1 for its thread)
RING_UUID = 1 << 20
PROC_UUID = 1 << 48


def order_key(hart, name, seq, ticks):
    """All harts' records in one time order.  At one tick (the time CSR
    ticks every 100 ns: many events share one), a hart's own records in the
    order it wrote them, a submission before what the kernel did with it
    and a reap after its CQE."""
    return (ticks, PRIO.get(name, 1), hart, seq)


def time_order(records):
    return sorted(records, key=lambda r: order_key(r[0], r[1], r[2], r[3]))


TAKES = ("SQE_TAKEN", "OP_DONE")     # an SQE taken from the SQ
TO_CQ = ("OP_DONE", "CQE_POSTED")    # a CQE that went to the CQ


def ring_of_record(name, a0):
    return a0 & 0xff if name in ("OP_DONE", "RING_POLL") else a0 & 0xffffffff


def ring_indexes(records):
    """{(hart, seq): (SQ index or None, CQ index or None)} for the IO core's
    records about one request: each ring's poll pass ends with a RING_POLL
    that gives the SQ head and CQ tail at its start (low 16 bits), and the
    pass's takes and CQ postings are, in order, at the indexes from those
    on.  A pass whose takes do not add up to its count (records lost, or
    SQEs dropped for a bad index) gets no SQ indexes."""
    index = {}
    by_hart = collections.defaultdict(list)
    for rec in records:
        if rec[1] in TAKES + TO_CQ + ("RING_POLL",):
            by_hart[rec[0]].append(rec)
    for hart, recs in by_hart.items():
        pending = collections.defaultdict(list)  # ring -> records of its pass
        for rec in sorted(recs, key=lambda r: r[2]):
            _h, name, seq, _ts, a0, a1 = rec
            ring = ring_of_record(name, a0)
            if name != "RING_POLL":
                pending[ring].append(rec)
                continue
            since, taken = a0 >> 32, (a0 >> 8) & 0xffffff
            sq, cq = (a1 >> 32) & 0xffff, (a1 >> 48) & 0xffff
            mine = [r for r in pending.pop(ring, []) if r[2] >= since]
            sq_ok = sum(r[1] in TAKES for r in mine) == taken
            for r in mine:
                sq_i = cq_i = None
                if r[1] in TAKES and sq_ok:
                    sq_i, sq = sq, (sq + 1) & 0xffff
                if r[1] in TO_CQ:
                    cq_i, cq = cq, (cq + 1) & 0xffff
                index[(hart, r[2])] = (sq_i, cq_i)
    return index


def s32(v):
    v &= 0xffffffff
    return v - (1 << 32) if v >> 31 else v


class Op:
    """One ring request, followed from submission to reap; its flow id is
    given when the IO core takes it."""

    def __init__(self, ud):
        self.ud, self.flow = ud, None
        self.opcode = None
        self.batch = ([], [])  # its submission's flows and user_data
        self.submit = self.completed = self.posted = self.reap = None  # ns
        self.track = None  # where its op slice is open

    @property
    def name(self):
        return OPCODES.get(self.opcode, f"op {self.opcode}")


class Model:
    """Walks the records in time order and turns them into timeline events
    (slices, instants, counters, flows) on tracks, and into the requests'
    histories (for the latency summary)."""

    def __init__(self, stream):
        self.hz = stream.hz
        self.problems = stream.problems
        self.syscalls = uapi.SYSCALLS
        self.tracks = {}     # uuid -> (name, parent, kind, pid, tid)
        self.events = []     # (sort key, ns, seq, track, kind, name, ...)
        self.ops = []        # the requests the IO core took, in that order
        self.pname = {}      # pid -> name
        self.ring_of = {}    # (pid, fd) -> ring
        self.ring_name = {}  # ring -> "pid P fd F"
        self.ring_uuid = {}  # ring -> its tracks' base uuid, while it lives
        self.rings_seen = 0
        self.current = {}    # hart -> running pid
        self.open = collections.defaultdict(list)  # track -> begin()'s whats
        self.key, self.sub = None, 0
        # requests by ring instance and SQ or CQ index (low 16 bits), or
        # by ring instance and user_data
        self.index = ring_indexes(stream.records)
        self.submitted = collections.defaultdict(dict)  # ring -> {SQ i: op}
        self.posted = collections.defaultdict(dict)     # ring -> {CQ i: op}
        self.in_flight = collections.defaultdict(collections.deque)  # (ring, ud)
        self.overflowed = collections.defaultdict(collections.deque)  # (ring, ud)
        self.sq_i = self.cq_i = None  # the current record's indexes
        self.slot = {}       # coroutine id -> Op parked in it
        self.cur_op = {}     # ring instance -> the Op just taken or resumed
        self.ovf_count = collections.Counter()  # ring instance -> CQEs there
        self.next_flow = 1
        self.last_ns = 0
        for rec in time_order(stream.records):
            self.record(*rec)

    # tracks -------------------------------------------------------------
    def track(self, uuid, name, parent=None, pid=None, tid=None, counter=False):
        if uuid not in self.tracks:
            self.tracks[uuid] = (name, parent, counter, pid, tid)
        return uuid

    def hart_track(self, hart):
        role = {0: "normal core", 1: "IO core"}.get(hart, "hart")
        return self.track(10 + hart, f"hart {hart}: {role}")

    def proc_track(self, pid):
        pid &= 0x7fffffff  # a pid is an int32 (larger: a damaged record)
        name = f"{self.pname.get(pid, 'pid')} (pid {pid})"
        self.track(PROC_UUID + 2 * pid, name, pid=pid)
        return self.track(PROC_UUID + 2 * pid + 1, name,
                          parent=PROC_UUID + 2 * pid, pid=pid, tid=pid)

    def ring_base(self, ring):
        """Each ring (a ring id is reused once freed) has uuids of its own:
        base + 0 the ring, + 1 its poller, + 2.. its request slots, + 900..
        its counters."""
        if ring not in self.ring_uuid:
            self.rings_seen += 1
            self.ring_uuid[ring] = RING_UUID * self.rings_seen
        return self.ring_uuid[ring]

    def ring_track(self, ring):
        where = self.ring_name.get(ring)
        return self.track(self.ring_base(ring),
                          f"ring {ring}" + (f" ({where})" if where else ""),
                          parent=self.hart_track(1))

    def coro_track(self, ring, slot):
        name = "poller" if slot == 0 else f"request {slot - 1}"
        return self.track(self.ring_base(ring) + 1 + slot, name,
                          parent=self.ring_track(ring))

    def counter_track(self, ring, what):
        n = {"SQ occupancy": 900, "CQ occupancy": 901, "in flight": 902}[what]
        return self.track(self.ring_base(ring) + n, what,
                          parent=self.ring_track(ring), counter=True)

    # events -------------------------------------------------------------
    def ns(self, ticks):
        return max(0, min(ticks * 1000000000 // self.hz, (1 << 63) - 1))

    def emit(self, seq, track, kind, name=None, at=None, flow=None,
             end_flow=None, value=None, args=None, cat=None):
        """kind: 1 begin, 2 end, 3 instant, 4 counter; at the current
        record's place in time, or at (ticks, hart, seq of the first record
        written after it, rank) for something that is recorded after it
        happened (RING_POLL, EXEC_BUSY, OP_DONE): rank orders those that
        share a place, the outermost slice first.  cat: the event's
        category ("syscall", "trap")."""
        self.sub += 1
        if at is None:
            key = self.key + (self.sub,)
        else:
            ticks, hart, first, rank = at
            key = (ticks, 1, hart, first, rank)
        self.events.append((key, self.ns(key[0]), seq, track, kind, name,
                            flow, end_flow, value, args or {}, cat))

    def begin(self, seq, track, what, name, args):
        """A system call or trap slice; what: ("syscall", nr) or ("trap",
        scause), which its end must match."""
        self.open[track].append(what)
        self.emit(seq, track, 1, name, args=args, cat=what[0])

    def end(self, seq, track, what, args=None):
        """End the innermost slice on track if it is what (see begin).  An
        end that does not match -- its begin was lost -- is dropped rather
        than closing another slice (a trap's end never closes a system
        call)."""
        stack = self.open[track]
        if stack and stack[-1] == what:
            stack.pop()
            self.emit(seq, track, 2, args=args)

    def counter(self, seq, ring, what, delta, at=None):
        """A change of a ring's counter; the values are summed in time
        order when the trace is built (events are placed in time after
        they are read: see emit)."""
        self.emit(seq, self.counter_track(ring, what), 4, value=delta, at=at)

    def flow_step(self, op, last=False):
        return {"end_flow": [op.flow]} if last else {"flow": [op.flow]}

    # the records --------------------------------------------------------
    def record(self, hart, name, seq, ticks, a0, a1):
        ts = self.now = self.ns(ticks)
        self.last_ns = max(self.last_ns, ts)
        self.key, self.sub = order_key(hart, name, seq, ticks), 0
        self.sq_i, self.cq_i = self.index.get((hart, seq), (None, None))
        sq = hart + 1  # one trusted packet sequence per hart
        h = self.hart_track(hart)
        handler = getattr(self, "ev_" + name.lower(), None)
        try:
            if handler:
                handler(ts, sq, h, hart, a0, a1)
        except (ValueError, KeyError, IndexError, OverflowError) as e:
            self.problems.append(f"hart {hart} record {seq} ({name}) makes "
                                 f"no sense: {e}")

    def ev_hello(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 3, "trace start", args={"timebase_hz": a0})

    def ev_lost(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 3, f"{a0} records lost"
                  + (f" (pid {a1}'s user trace area was full)" if a1 else ""))

    def ev_switch(self, ts, sq, h, hart, a0, a1):
        if a0:  # switched out
            self.emit(sq, h, 2)
            self.current.pop(hart, None)
        if a1:
            self.current[hart] = a1
            self.emit(sq, h, 1, f"run {self.pname.get(a1, 'pid')} (pid {a1})")

    def ev_spawn(self, ts, sq, h, hart, a0, a1):
        pid, parent = a0 >> 32 & 0x7fffffff, a0 & 0x7fffffff
        self.pname[pid] = a1.to_bytes(8, "little").split(b"\0")[0].decode(
            "ascii", "replace") or "pid"
        where = self.proc_track(parent) if parent else h
        self.emit(sq, where, 3, f"spawn {self.pname[pid]} (pid {pid})")
        self.proc_track(pid)

    def ev_exit(self, ts, sq, h, hart, a0, a1):
        t = self.proc_track(a0)
        self.emit(sq, t, 3, f"exit (status {a1:#x})")
        self.emit(sq, t, 2, "close all")  # its open syscall or trap
        self.open.pop(t, None)

    def ev_syscall_enter(self, ts, sq, h, hart, a0, a1):
        call = self.syscalls.get(a0, f"syscall {a0}")
        # the caller runs on this hart, whether or not its switch-in is in
        # the stream (records lost, or tracing resumed while it ran)
        self.current[hart] = a1 & 0x7fffffff
        t = self.proc_track(a1)
        if call in ("exit", "exit_group"):
            self.emit(sq, t, 3, call, cat="syscall")
        else:
            self.begin(sq, t, ("syscall", a0), call, {"nr": a0})

    def ev_syscall_exit(self, ts, sq, h, hart, a0, a1):
        pid = self.current.get(hart)
        if pid:
            self.end(sq, self.proc_track(pid), ("syscall", a0),
                     {"result": s32(a1) if a1 >> 63 else a1})

    def trap_track(self, hart, h):
        pid = self.current.get(hart)
        return self.proc_track(pid) if pid else h

    def ev_trap_enter(self, ts, sq, h, hart, a0, a1):
        self.begin(sq, self.trap_track(hart, h), ("trap", a0),
                   CAUSES.get(a0, f"trap {a0:#x}"),
                   {"scause": hex(a0), "sepc": hex(a1)})

    def ev_trap_exit(self, ts, sq, h, hart, a0, a1):
        self.end(sq, self.trap_track(hart, h), ("trap", a0))

    def ev_timer(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 3, f"timer: preempt pid {a0}" if a1 else "timer")

    def ev_ipi_send(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 3, f"IPI to hart {a0}")

    def ev_ipi_recv(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 3, "IPI received")

    def ev_io_sleep(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 1, "sleep (wfi)",
                  args={"rings flagged NEED_WAKEUP": a0})

    def ev_io_wake(self, ts, sq, h, hart, a0, a1):
        by = "timer" if a0 & 0x20 and not a0 & 0x2 else "IPI"  # sip bits
        self.emit(sq, h, 2, args={"woken by": by})
        self.emit(sq, h, 3, f"wakeup ({by})")

    def ev_exec_busy(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 1, "busy", at=(a0, hart, a1 & 0xffffffff, -3))

    def ev_exec_idle(self, ts, sq, h, hart, a0, a1):
        self.emit(sq, h, 2)

    def ev_ring_setup(self, ts, sq, h, hart, a0, a1):
        pid, fd = a0 >> 32, a0 & 0xffffffff
        self.ring_of[(pid, fd)] = a1
        self.ring_name[a1] = f"pid {pid} fd {fd}"
        self.ring_uuid.pop(a1, None)  # a ring id used again: new tracks
        self.ring_track(a1)
        self.emit(sq, self.proc_track(pid), 3, f"ring {a1} set up (fd {fd})")

    def ev_ring_free(self, ts, sq, h, hart, a0, a1):
        inst = self.ring_base(a0)
        for key, op in list(self.slot.items()):
            if key >> 8 == a0:
                self.emit(sq, op.track, 2, "close all")
                del self.slot[key]
        for what in ("SQ occupancy", "CQ occupancy", "in flight"):
            self.counter(sq, a0, what, None)  # back to 0
        # what is still owed dies with the ring
        self.submitted.pop(inst, None)
        self.posted.pop(inst, None)
        for table in (self.in_flight, self.overflowed):
            for key in [k for k in table if k[0] == inst]:
                del table[key]
        self.ovf_count.pop(inst, None)
        self.cur_op.pop(inst, None)
        self.ring_uuid.pop(a0, None)

    def user_batch(self, a0, a1):
        """A USER_SUBMIT or USER_REAP: its process, ring (None if unknown),
        and the ring indexes of the batch (low 16 bits; a batch holds at
        most a CQ's worth: a larger count comes from a damaged area)."""
        pid, fd = a0 >> 32, a0 & 0xffffffff
        first, n = a1 & 0xffffffff, min(a1 >> 32, MAX_BATCH)
        ring = self.ring_of.get((pid, fd))
        return pid, ring, [(first + i) & 0xffff for i in range(n)]

    def ev_user_submit(self, ts, sq, h, hart, a0, a1):
        pid, ring, indexes = self.user_batch(a0, a1)
        # the batch's flows and user_data, filled in as the IO core takes
        # its SQEs (a request never taken has no flow)
        flows, uds = [], []
        for i in indexes if ring is not None else ():
            op = Op(None)
            op.submit, op.batch = ts, (flows, uds)
            self.submitted[self.ring_base(ring)][i] = op
        self.emit(sq, self.proc_track(pid), 3, f"submit {len(indexes)}",
                  flow=flows, args={"SQEs": len(indexes), "user_data": uds,
                                    "first SQ index": a1 & 0xffffffff})
        if ring is not None:
            self.counter(sq, ring, "SQ occupancy", len(indexes))

    def take(self, sq, ring, opcode, ud, at=None):
        """The IO core took a request: the one submitted at that SQ index,
        or a new one (submitted without libuser's records, or records
        lost)."""
        inst = self.ring_base(ring)
        op = None
        if self.sq_i is not None:
            op = self.submitted[inst].pop(self.sq_i, None)
        if op is not None:
            self.counter(sq, ring, "SQ occupancy", -1, at=at)
            op.batch[0].append(self.next_flow)
            op.batch[1].append(ud)
        else:
            op = Op(ud)
        op.flow = self.next_flow
        self.next_flow += 1
        self.ops.append(op)
        op.ud, op.opcode = ud, opcode
        op.track = self.coro_track(ring, 0)
        self.in_flight[(inst, ud)].append(op)
        self.cur_op[inst] = op
        self.emit(sq, op.track, 1, f"{op.name} {ud}", at=at,
                  **self.flow_step(op), args={"user_data": ud, "opcode": op.name})
        self.counter(sq, ring, "in flight", 1, at=at)
        return op

    def ev_sqe_taken(self, ts, sq, h, hart, a0, a1):
        self.take(sq, a0 & 0xffffffff, a0 >> 32, a1)

    def ev_op_done(self, ts, sq, h, hart, a0, a1):
        ring, opcode, took = a0 & 0xff, (a0 >> 8) & 0xff, (a0 >> 16) & 0xffff
        ticks, seq = self.key[0], self.key[3]
        op = self.take(sq, ring, opcode, a1,
                       at=(max(0, ticks - took), hart, seq, -1))
        # posted straight to the CQ: so the overflow list was empty
        self.ovf_count.pop(self.ring_base(ring), None)
        self.post(sq, ring, op, s32(a0 >> 32), False)

    def in_hand(self, ring, ud):
        """The request the IO core is working on in this ring: the one just
        taken or resumed, if it has this user_data; else the oldest in
        flight with it."""
        inst = self.ring_base(ring)
        op = self.cur_op.get(inst)
        if op is not None and op.ud == ud and op.completed is None:
            return op
        q = self.in_flight[(inst, ud)]
        return q[0] if q else None

    def ev_coro_park(self, ts, sq, h, hart, a0, a1):
        coro, why = a0 & 0xffffffff, a0 >> 32
        op = self.slot.get(coro)
        if op is None or op.ud != a1:
            op = self.in_hand(coro >> 8, a1)
        if op is None:
            return
        t = self.coro_track(coro >> 8, coro & 0xff)
        if op.track != t:  # leaves the poller for its own coroutine
            self.emit(sq, op.track, 2)
            self.emit(sq, t, 1, f"{op.name} {a1}", args={"user_data": a1})
            self.slot[coro] = op
            op.track = t
        self.emit(sq, t, 1, f"wait ({PARK_WHY.get(why, why)})")

    def ev_coro_resume(self, ts, sq, h, hart, a0, a1):
        op = self.slot.get(a0)
        if op is not None and op.ud == a1:
            self.emit(sq, op.track, 2)
            self.cur_op[self.ring_base(a0 >> 8)] = op

    def post(self, sq, ring, op, res, overflow):
        """op completed with res; its CQE went to the CQ or overflowed."""
        inst = self.ring_base(ring)
        try:
            self.in_flight[(inst, op.ud)].remove(op)
        except ValueError:
            pass
        op.completed = self.now
        label = f"CQ overflow {res}" if overflow else f"CQE {res}"
        self.emit(sq, op.track, 3, label, **self.flow_step(op),
                  args={"result": res})
        self.emit(sq, op.track, 2)
        for key, o in list(self.slot.items()):
            if o is op:
                del self.slot[key]
        self.counter(sq, ring, "in flight", -1)
        if overflow:
            self.ovf_count[inst] += 1
            self.overflowed[(inst, op.ud)].append(op)
        else:
            self.posted_to_cq(sq, ring, op)

    def posted_to_cq(self, sq, ring, op):
        if op is not None:
            op.posted = self.now
        if self.cq_i is not None:
            self.posted[self.ring_base(ring)][self.cq_i] = op
        self.counter(sq, ring, "CQ occupancy", 1)

    def ev_cqe_posted(self, ts, sq, h, hart, a0, a1):
        ring, res = a0 & 0xffffffff, s32(a0 >> 32)
        inst = self.ring_base(ring)
        if self.ovf_count[inst]:
            # the kernel posts directly only with an empty overflow list:
            # this one comes from it
            self.ovf_count[inst] -= 1
            q = self.overflowed[(inst, a1)]
            op = q.popleft() if q else None
            if op:
                self.emit(sq, self.coro_track(ring, 0), 3,
                          f"CQE {res} (from overflow)", **self.flow_step(op))
            self.posted_to_cq(sq, ring, op)
            return
        op = self.in_hand(ring, a1)
        if op is not None:
            self.post(sq, ring, op, res, False)
        else:
            self.posted_to_cq(sq, ring, None)

    def ev_cq_overflow(self, ts, sq, h, hart, a0, a1):
        ring, res = a0 & 0xffffffff, s32(a0 >> 32)
        op = self.in_hand(ring, a1)
        if op is not None:
            self.post(sq, ring, op, res, True)
        else:
            self.ovf_count[self.ring_base(ring)] += 1

    def ev_ring_poll(self, ts, sq, h, hart, a0, a1):
        ring, taken, first = a0 & 0xff, (a0 >> 8) & 0xffffff, a0 >> 32
        since = max(0, self.key[0] - (a1 & 0xffffffff))
        t = self.coro_track(ring, 0)
        self.emit(sq, t, 1, f"poll: {taken} SQEs", at=(since, hart, first, -2),
                  args={"SQEs taken": taken})
        self.emit(sq, t, 2)

    def ev_user_reap(self, ts, sq, h, hart, a0, a1):
        pid, ring, indexes = self.user_batch(a0, a1)
        ops = []
        if ring is not None:
            posted = self.posted[self.ring_base(ring)]
            ops = [op for op in (posted.pop(i, None) for i in indexes) if op]
        for op in ops:
            op.reap = ts
        self.emit(sq, self.proc_track(pid), 3, f"reap {len(indexes)}",
                  end_flow=[op.flow for op in ops],
                  args={"CQEs": len(indexes), "first CQ index": a1 & 0xffffffff,
                        "user_data": [op.ud for op in ops]})
        if ring is not None:
            self.counter(sq, ring, "CQ occupancy", -len(indexes))


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


def latency_report(model):
    """How many requests the IO core took, how many of them could not be
    matched to their submission or reap; per opcode: how many, and submit
    -> CQE and CQE -> reap latency percentiles (us)."""
    taken = model.ops  # only the requests the IO core took are in it
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


def read_stream(path):
    try:
        data = open(path, "rb").read()
    except OSError as e:
        print(f"trace.py: {e.strerror}: {path}")
        return None
    return Stream(data, uapi.TRACE_MAGIC, uapi.EVENTS)


def summary(path):
    s = read_stream(path)
    if s is None:
        return 1
    per_hart = collections.defaultdict(collections.Counter)
    harts = None
    for hart, name, seq, ts, a0, a1 in s.records:
        per_hart[hart][name] += 1
        if name == "HELLO":
            harts = a1
    print(f"trace: {path}: {len(s.records)} records"
          + (f", timebase {s.hz} Hz, {harts} harts" if harts else ""))
    for hart in sorted(per_hart):
        counts = ", ".join(f"{n} {c}" for n, c in sorted(per_hart[hart].items()))
        print(f"trace: hart {hart}: {sum(per_hart[hart].values())} records: {counts}")
    latency_report(Model(s))
    total_lost = sum(s.lost.values()) + sum(s.gaps.values())
    print(f"trace: lost records: {total_lost}"
          + "".join(f" ({h}: {n})" for h, n in sorted((s.lost + s.gaps).items())))
    for p in s.problems:
        print(f"trace: problem: {p}")
    return 0 if not s.problems else 2


def proto_module():
    """The Python module for hosttools/perfetto_trace.proto, made with protoc
    into build/ when missing or older than the .proto."""
    src = os.path.join(uapi.ROOT, "hosttools", "perfetto_trace.proto")
    out = os.path.join(uapi.ROOT, "build", "py")
    mod = os.path.join(out, "perfetto_trace_pb2.py")
    if not os.path.exists(mod) or os.path.getmtime(mod) < os.path.getmtime(src):
        os.makedirs(out, exist_ok=True)
        subprocess.run(["protoc", "--python_out", out, "-I",
                        os.path.dirname(src), src], check=True)
    sys.path.insert(0, out)
    import perfetto_trace_pb2
    return perfetto_trace_pb2


def annotate(e, args):
    for k, v in args.items():
        a = e.debug_annotations.add()
        a.name = k
        if isinstance(v, list):  # shown as text: the first 32
            a.string_value = " ".join(map(str, v[:32])) + \
                (f" ... ({len(v)})" if len(v) > 32 else "")
        elif isinstance(v, str):
            a.string_value = v
        elif v < 0:
            a.int_value = max(v, -(1 << 63))
        else:
            a.uint_value = min(v, (1 << 64) - 1)


def build_trace(pb, model):
    """The Trace: every track's descriptor, then the events in time order
    (so each sequence's timestamps never go backwards), with every slice
    that is still open at the end closed there, and ends without a begin
    dropped."""
    trace = pb.Trace()
    for uuid, (name, parent, counter, pid, tid) in sorted(model.tracks.items()):
        t = trace.packet.add().track_descriptor
        t.uuid = uuid
        if pid is not None and tid is None:
            t.process.pid = pid
            t.process.process_name = name
        elif pid is not None:
            t.thread.pid = pid
            t.thread.tid = tid
            t.thread.thread_name = name
        else:
            t.name = name
        if parent is not None:
            t.parent_uuid = parent
        if counter:
            t.counter.SetInParent()
    depth = collections.Counter()
    first = set()
    last_seq = {}
    end_ts = model.last_ns
    level = collections.Counter()  # counter track -> value

    def packet(ts, seq, track, kind, name=None, flow=None, end_flow=None,
               value=None, args=None, cat=None):
        p = trace.packet.add()
        p.timestamp = ts
        p.trusted_packet_sequence_id = seq
        if seq not in first:
            first.add(seq)
            p.sequence_flags = 1  # SEQ_INCREMENTAL_STATE_CLEARED
        e = p.track_event
        e.track_uuid = track
        e.type = kind
        if name is not None:
            e.name = name
        if cat is not None:
            e.categories.append(cat)
        if flow is not None:
            e.flow_ids.extend(flow)
        if end_flow is not None:
            e.terminating_flow_ids.extend(end_flow)
        if value is not None:
            e.counter_value = value
        if args:
            annotate(e, args)

    for (_key, ts, seq, track, kind, name, flow, end_flow, value,
         args, cat) in sorted(model.events, key=lambda e: e[0]):
        last_seq[track] = seq
        end_ts = max(end_ts, ts)
        if kind == 4:  # value: a change, or None for back to 0
            level[track] = 0 if value is None else max(0, level[track] + value)
            value = level[track]
        if kind == 1:
            depth[track] += 1
        elif kind == 2:
            n = depth[track] if name == "close all" else 1
            if depth[track] == 0:
                continue  # its begin is not in the trace
            for _ in range(n):
                depth[track] -= 1
                packet(ts, seq, track, 2, args=args if n == 1 else None)
            continue
        packet(ts, seq, track, kind, name, flow, end_flow, value, args, cat)
    for track, d in sorted(depth.items()):
        for _ in range(d):
            packet(end_ts, last_seq[track], track, 2)
    return trace


def perfetto(path, out):
    s = read_stream(path)
    if s is None:
        return 1
    try:
        pb = proto_module()
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"trace.py: cannot compile hosttools/perfetto_trace.proto "
              f"with protoc: {e}")
        return 1
    except ImportError as e:
        print(f"trace.py: {e}: this Python ({sys.executable}) lacks Debian's "
              f"python3-protobuf (hosttools/deps.sh installs it for /usr/bin/python3)")
        return 1
    trace = build_trace(pb, Model(s))
    try:
        with open(out, "wb") as f:
            f.write(trace.SerializeToString())
    except OSError as e:
        print(f"trace.py: {e.strerror}: {out}")
        return 1
    print(f"trace: wrote {out}: {len(trace.packet)} packets; open it at "
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
