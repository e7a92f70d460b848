"""Perfetto output: layer three of the trace decoder.  Turns a parsed
stream (trace_stream.py), with each record's request found by
trace_requests.py, into a Perfetto Trace of TracePackets (TrackDescriptors
and TrackEvents; field numbers from hosttools/perfetto_trace.proto, compiled
with protoc into build/py).

    perfetto(path, out)  write the trace; 0, or 1 (no stream, no protoc,
                         cannot write), or 2 (the stream had problems)
    Timeline(stream)     .tracks, .events: what build_trace writes

The tracks (open the file at https://ui.perfetto.dev, "Open trace file"):

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
-> CQE posted -> reap (process), which ends it.  Timestamps are in ns from
the time CSR and the timebase in the stream's HELLO record.
"""
import collections
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uapi  # noqa: E402  (the include/uapi headers, parsed)
from riscv import CAUSES, SIP_SSIP, SIP_STIP  # noqa: E402
from trace_requests import Flush, Requests  # noqa: E402
from trace_stream import order_key, read_stream, time_order  # noqa: E402

PARK_WHY = uapi.PARK_WHY
PID_MASK = 0x7fffffff  # a pid is a positive int32 (more: a damaged record)
# track uuids: 10 + hart; RING_UUID * n (+ 1 + slot, + 900..) for the n-th
# ring instance; PROC_UUID + 2 * pid (+ 1 for its thread)
RING_UUID = 1 << 20
PROC_UUID = 1 << 48


class Timeline:
    """Walks the records in time order, with Requests saying which request
    each is about, and turns them into timeline events (slices, instants,
    counters, flows) on tracks."""

    def __init__(self, stream):
        self.problems = stream.problems
        self.ns = stream.ns
        self.req = Requests(stream)
        self.syscalls = uapi.SYSCALLS
        self.tracks = {}     # uuid -> (name, parent, counter, pid, tid)
        self.events = []     # (sort key, ns, seq, track, kind, name, ...)
        self.pname = {}      # pid -> name
        self.tgid = {}       # tid -> pid of a thread that is not a leader
        self.ring_name = {}  # ring -> "pid P fd F"
        self.current = {}    # hart -> running pid
        self.open = collections.defaultdict(list)  # track -> begin()'s whats
        self.key, self.sub = None, 0
        self.last_ns = 0
        for rec in time_order(stream.records):
            self.record(rec)

    # tracks -------------------------------------------------------------
    def track(self, uuid, name, parent=None, pid=None, tid=None, counter=False):
        if uuid not in self.tracks:
            self.tracks[uuid] = (name, parent, counter, pid, tid)
        return uuid

    def hart_track(self, hart):
        role = {0: "normal core", 1: "IO core"}.get(hart, "hart")
        return self.track(10 + hart, f"hart {hart}: {role}")

    def proc_track(self, pid):
        """The track of thread pid (a tid), under its process's track."""
        tid = pid & PID_MASK
        pid = self.tgid.get(tid, tid)
        name = f"{self.pname.get(pid, 'pid')} (pid {pid})"
        self.track(PROC_UUID + 2 * pid, name, pid=pid)
        if tid != pid:
            name = f"{self.pname.get(pid, 'pid')} (tid {tid})"
        return self.track(PROC_UUID + 2 * tid + 1, name,
                          parent=PROC_UUID + 2 * pid, pid=pid, tid=tid)

    def ring_track(self, ring, inst):
        """Each ring instance has uuids of its own: base + 0 the ring, + 1
        its poller, + 2.. its request slots, + 900.. its counters."""
        where = self.ring_name.get(ring)
        return self.track(RING_UUID * inst,
                          f"ring {ring}" + (f" ({where})" if where else ""),
                          parent=self.hart_track(1))

    def coro_track(self, ring, inst, coro):
        name = "poller" if coro == 0 else f"request {coro - 1}"
        return self.track(RING_UUID * inst + 1 + coro, name,
                          parent=self.ring_track(ring, inst))

    def poller(self, ring):
        return self.coro_track(ring, self.req.inst(ring), 0)

    def counter_track(self, ring, inst, what):
        n = {"SQ occupancy": 900, "CQ occupancy": 901, "in flight": 902}[what]
        return self.track(RING_UUID * inst + n, what,
                          parent=self.ring_track(ring, inst), counter=True)

    # events -------------------------------------------------------------
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
        inst = self.req.inst(ring)
        self.emit(seq, self.counter_track(ring, inst, what), 4, value=delta,
                  at=at)

    # the records --------------------------------------------------------
    def record(self, rec):
        ts = self.ns(rec.ts)
        self.last_ns = max(self.last_ns, ts)
        self.key, self.sub = order_key(rec), 0
        sq = rec.hart + 1  # one trusted packet sequence per hart
        h = self.hart_track(rec.hart)
        handler = getattr(self, "ev_" + rec.name.lower(), None)
        try:
            m = self.req.record(rec)
            if handler:
                handler(sq, h, rec, rec.f, m)
        except (ValueError, KeyError, IndexError, OverflowError) as e:
            self.problems.append(f"hart {rec.hart} record {rec.seq} "
                                 f"({rec.name}) makes no sense: {e}")

    def ev_hello(self, sq, h, rec, f, m):
        self.emit(sq, h, 3, "trace start", args={"timebase_hz": f.timebase_hz})

    def ev_lost(self, sq, h, rec, f, m):
        self.emit(sq, h, 3, f"{f.records} records lost"
                  + (f" (pid {f.pid}'s user trace area was full)"
                     if f.pid else ""))

    def ev_switch(self, sq, h, rec, f, m):
        if f.from_pid:  # switched out
            self.emit(sq, h, 2)
            self.current.pop(rec.hart, None)
        if f.to_pid:
            self.current[rec.hart] = f.to_pid
            self.emit(sq, h, 1, f"run {self.pname.get(f.to_pid, 'pid')} "
                      f"(pid {f.to_pid})")

    def ev_spawn(self, sq, h, rec, f, m):
        pid, parent = f.pid & PID_MASK, f.parent & PID_MASK
        self.pname[pid] = f.name.to_bytes(8, "little").split(b"\0")[0].decode(
            "ascii", "replace") or "pid"
        where = self.proc_track(parent) if parent else h
        self.emit(sq, where, 3, f"spawn {self.pname[pid]} (pid {pid})")
        self.proc_track(pid)

    def ev_thread(self, sq, h, rec, f, m):
        tid, tgid = f.tid & PID_MASK, f.tgid & PID_MASK
        if f.exited:
            t = self.proc_track(tid)
            self.emit(sq, t, 3, "thread exit")
            self.emit(sq, t, 2, "close all")
            self.open.pop(t, None)
            self.tgid.pop(tid, None)
        else:
            self.tgid[tid] = tgid
            self.emit(sq, self.proc_track(tid), 3,
                      f"thread {tid} of pid {tgid}")

    def ev_exit(self, sq, h, rec, f, m):
        t = self.proc_track(f.pid)
        self.emit(sq, t, 3, f"exit (status {f.wait_status:#x})")
        self.emit(sq, t, 2, "close all")  # its open syscall or trap
        self.open.pop(t, None)

    def ev_syscall_enter(self, sq, h, rec, f, m):
        call = self.syscalls.get(f.nr, f"syscall {f.nr}")
        # the caller runs on this hart, whether or not its switch-in is in
        # the stream (records lost, or tracing resumed while it ran)
        self.current[rec.hart] = f.pid & PID_MASK
        t = self.proc_track(f.pid)
        if call in ("exit", "exit_group"):
            self.emit(sq, t, 3, call, cat="syscall")
        else:
            self.begin(sq, t, ("syscall", f.nr), call, {"nr": f.nr})

    def ev_syscall_exit(self, sq, h, rec, f, m):
        pid = self.current.get(rec.hart)
        if pid:
            self.end(sq, self.proc_track(pid), ("syscall", f.nr),
                     {"result": f.result})

    def trap_track(self, hart, h):
        pid = self.current.get(hart)
        return self.proc_track(pid) if pid else h

    def ev_trap_enter(self, sq, h, rec, f, m):
        self.begin(sq, self.trap_track(rec.hart, h), ("trap", f.scause),
                   CAUSES.get(f.scause, f"trap {f.scause:#x}"),
                   {"scause": hex(f.scause), "sepc": hex(f.sepc)})

    def ev_trap_exit(self, sq, h, rec, f, m):
        self.end(sq, self.trap_track(rec.hart, h), ("trap", f.scause))

    def ev_timer(self, sq, h, rec, f, m):
        self.emit(sq, h, 3, f"timer: preempt pid {f.pid}" if f.preempted
                  else "timer")

    def ev_ipi_send(self, sq, h, rec, f, m):
        self.emit(sq, h, 3, f"IPI to hart {f.to_hart}")

    def ev_ipi_recv(self, sq, h, rec, f, m):
        self.emit(sq, h, 3, "IPI received")

    def ev_io_sleep(self, sq, h, rec, f, m):
        self.emit(sq, h, 1, "sleep (wfi)",
                  args={"rings flagged NEED_WAKEUP": f.need_wakeup})

    def ev_io_wake(self, sq, h, rec, f, m):
        by = "timer" if f.sip & SIP_STIP and not f.sip & SIP_SSIP else "IPI"
        self.emit(sq, h, 2, args={"woken by": by})
        self.emit(sq, h, 3, f"wakeup ({by})")

    def ev_exec_busy(self, sq, h, rec, f, m):
        self.emit(sq, h, 1, "busy", at=(f.since, rec.hart, f.since_seq, -3))

    def ev_exec_idle(self, sq, h, rec, f, m):
        self.emit(sq, h, 2)

    def ev_ring_setup(self, sq, h, rec, f, m):
        self.ring_name[f.ring] = f"pid {f.pid} fd {f.fd}"
        self.ring_track(f.ring, m)
        self.emit(sq, self.proc_track(f.pid), 3,
                  f"ring {f.ring} set up (fd {f.fd})")

    def ev_ring_free(self, sq, h, rec, f, m):
        inst, parked = m
        for op in parked:
            self.emit(sq, op.track, 2, "close all")
        for what in ("SQ occupancy", "CQ occupancy", "in flight"):
            # back to 0 (the freed instance's counters)
            self.emit(sq, self.counter_track(f.ring, inst, what), 4)

    def ev_user_submit(self, sq, h, rec, f, m):
        self.emit(sq, self.proc_track(f.pid), 3, f"submit {len(m.indexes)}",
                  flow=m.flows, args={"SQEs": len(m.indexes),
                                      "user_data": m.uds,
                                      "first SQ index": f.first})
        if m.ring is not None:
            self.counter(sq, m.ring, "SQ occupancy", len(m.indexes))

    def ev_user_reap(self, sq, h, rec, f, m):
        self.emit(sq, self.proc_track(f.pid), 3, f"reap {len(m.indexes)}",
                  end_flow=[op.flow for op in m.ops],
                  args={"CQEs": len(m.indexes), "first CQ index": f.first,
                        "user_data": [op.ud for op in m.ops]})
        if m.ring is not None:
            self.counter(sq, m.ring, "CQ occupancy", -len(m.indexes))

    def take(self, sq, ring, t, at=None):
        """The op slice of a request the IO core took, on its poller."""
        op = t.op
        if t.submitted:
            self.counter(sq, ring, "SQ occupancy", -1, at=at)
        op.track = self.poller(ring)
        self.emit(sq, op.track, 1, f"{op.name} {op.ud}", at=at,
                  flow=[op.flow], args={"user_data": op.ud,
                                        "opcode": op.name})
        self.counter(sq, ring, "in flight", 1, at=at)

    def post(self, sq, ring, p):
        """Its CQE, which ends its op slice."""
        op = p.op
        label = f"CQ overflow {p.res}" if p.overflow else f"CQE {p.res}"
        self.emit(sq, op.track, 3, label, flow=[op.flow],
                  args={"result": p.res})
        self.emit(sq, op.track, 2)
        self.counter(sq, ring, "in flight", -1)
        if not p.overflow:
            self.counter(sq, ring, "CQ occupancy", 1)

    def ev_sqe_taken(self, sq, h, rec, f, m):
        self.take(sq, f.ring, m)

    def ev_op_done(self, sq, h, rec, f, m):
        t, p = m
        ticks, seq = self.key[0], self.key[3]
        self.take(sq, f.ring, t, at=(max(0, ticks - f.ticks), rec.hart, seq, -1))
        self.post(sq, f.ring, p)

    def ev_cqe_posted(self, sq, h, rec, f, m):
        if m.op is None:  # a CQE whose request is not known
            self.counter(sq, f.ring, "CQ occupancy", 1)
        elif isinstance(m, Flush):  # from the overflow list
            self.emit(sq, self.poller(f.ring), 3,
                      f"CQE {m.res} (from overflow)", flow=[m.op.flow])
            self.counter(sq, f.ring, "CQ occupancy", 1)
        else:
            self.post(sq, f.ring, m)

    def ev_cq_overflow(self, sq, h, rec, f, m):
        if m is not None:
            self.post(sq, f.ring, m)

    def ev_coro_park(self, sq, h, rec, f, m):
        if m is None:
            return
        op = m.op
        t = self.coro_track(f.ring, self.req.inst(f.ring), f.coro)
        if m.moved:  # leaves the poller for its own coroutine
            self.emit(sq, op.track, 2)
            self.emit(sq, t, 1, f"{op.name} {f.user_data}",
                      args={"user_data": f.user_data})
            op.track = t
        self.emit(sq, t, 1, f"wait ({PARK_WHY.get(f.why, f.why)})")

    def ev_coro_resume(self, sq, h, rec, f, m):
        if m is not None:
            self.emit(sq, m.track, 2)

    def ev_ring_poll(self, sq, h, rec, f, m):
        since = max(0, self.key[0] - f.ticks)
        t = self.poller(f.ring)
        self.emit(sq, t, 1, f"poll: {f.taken} SQEs",
                  at=(since, rec.hart, f.since_seq, -2),
                  args={"SQEs taken": f.taken})
        self.emit(sq, t, 2)


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


def build_trace(pb, timeline):
    """The Trace: every track's descriptor, then the events in time order
    (so each sequence's timestamps never go backwards), with every slice
    that is still open at the end closed there, and ends without a begin
    dropped."""
    trace = pb.Trace()
    for uuid, (name, parent, counter, pid, tid) in sorted(timeline.tracks.items()):
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
    end_ts = timeline.last_ns
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
         args, cat) in sorted(timeline.events, key=lambda e: e[0]):
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
    trace = build_trace(pb, Timeline(s))
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
