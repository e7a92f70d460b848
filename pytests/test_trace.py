"""Tracing: both harts write records into their own buffers, drained over
the second (PCI) UART when idle and at power-off; the host decoder reads the
event list from include/uapi/trace.h, reports every loss, survives damaged
streams, and writes a Perfetto trace whose structure is checked here after
reading it back with Debian's protobuf against hosttools/perfetto_trace.proto.
"""
import collections
import importlib
import random
import re
import struct
import subprocess
import sys

import pytest

from conftest import ROOT, result_line, run

sys.path.insert(0, f"{ROOT}/hosttools")
import uapi  # noqa: E402  (include/uapi, parsed once for tools and tests)

DECODER = ["/usr/bin/python3", "hosttools/trace.py"]
# what can interrupt a process while it runs (a fault would kill it)
INTERRUPTS = {"timer interrupt", "software interrupt (IPI)",
              "external interrupt"}
# the faults that page in a heap, stack or mmap page at its first touch
DEMAND_FAULTS = {"load page fault", "store page fault",
                 "instruction page fault"}
TIMER_IRQ = 0x8000000000000005  # its scause
EVENT_IDS = uapi.EVENT_IDS        # event name -> id
UTRACE_RECS = uapi.UTRACE_RECS    # the user trace area's records
REC = uapi.record                 # struct trace_rec
OPCODE = {name: n for n, name in uapi.OPCODES.items()}  # "NOP" -> 0


def decode(*args):
    p = subprocess.run(DECODER + [str(a) for a in args], cwd=ROOT,
                       capture_output=True, text=True)
    assert "Traceback" not in p.stderr + p.stdout, p.stderr
    return p.returncode, p.stdout


def summarize(path):
    return decode("summary", path)


def counts(out, hart):
    line = next(l for l in out.splitlines()
                if l.startswith(f"trace: hart {hart}:"))
    return {name: int(n) for name, n in
            (kv.split() for kv in line.split(": ", 3)[3].split(", "))}


def load_perfetto(path):
    decode("perfetto", "/dev/null", "/dev/null")  # makes build/py
    sys.path.insert(0, f"{ROOT}/build/py")
    pb = importlib.import_module("perfetto_trace_pb2")
    t = pb.Trace()
    t.ParseFromString(open(path, "rb").read())
    return t


Event = collections.namedtuple(
    "Event", "ts path kind name flows ends args depth cats")
# a slice: its begin and end events together (Perfetto merges their args)
Slice = collections.namedtuple("Slice", "path name cats args begin end depth")


class Timeline:
    """A Perfetto trace read back, checked against the rules Perfetto's
    importer applies: tracks described before use and their parents
    existing, one trusted sequence per hart whose first packet clears
    incremental state and whose timestamps never go backwards, slices
    balanced on every track, counters only on counter tracks.  events:
    every event in order; slices: every slice, in the order they end."""

    def __init__(self, t):
        self.tracks = {}  # uuid -> descriptor
        for pk in t.packet:
            if pk.HasField("track_descriptor"):
                d = pk.track_descriptor
                assert d.uuid not in self.tracks, "track described twice"
                self.tracks[d.uuid] = d
        for d in self.tracks.values():
            if d.HasField("parent_uuid"):
                assert d.parent_uuid in self.tracks, "parent track missing"
        self.events, self.slices = [], []
        self.value = {}   # counter track path -> last value
        depth, last_ts, seen_seq = collections.Counter(), {}, set()
        open_ = collections.defaultdict(list)  # track -> begin events
        for pk in t.packet:
            if not pk.HasField("track_event"):
                continue
            e = pk.track_event
            seq = pk.trusted_packet_sequence_id
            assert seq > 0
            if seq not in seen_seq:
                assert pk.sequence_flags & 1, "sequence not started cleanly"
                seen_seq.add(seq)
            assert pk.timestamp >= last_ts.get(seq, 0), "time went backwards"
            last_ts[seq] = pk.timestamp
            assert e.track_uuid in self.tracks, "event on an unknown track"
            d = self.tracks[e.track_uuid]
            is_counter = d.HasField("counter")
            assert (e.type == 4) == is_counter, "counter/slice track mixed"
            if e.type == 1:
                depth[e.track_uuid] += 1
            elif e.type == 2:
                assert depth[e.track_uuid] > 0, "slice end without a begin"
                depth[e.track_uuid] -= 1
            elif e.type == 4:
                assert e.counter_value >= 0
                self.value[self.path(e.track_uuid)] = e.counter_value
            args = {}
            for a in e.debug_annotations:
                args[a.name] = (a.string_value if a.HasField("string_value")
                                else a.int_value if a.HasField("int_value")
                                else a.uint_value)
            ev = Event(pk.timestamp, self.path(e.track_uuid), e.type, e.name,
                       list(e.flow_ids), list(e.terminating_flow_ids), args,
                       depth[e.track_uuid], list(e.categories))
            self.events.append(ev)
            if e.type == 1:
                open_[e.track_uuid].append(ev)
            elif e.type == 2:
                b = open_[e.track_uuid].pop()
                self.slices.append(Slice(b.path, b.name, b.cats,
                                         {**b.args, **args}, b.ts, ev.ts,
                                         b.depth))
        assert all(v == 0 for v in depth.values()), "unbalanced slices"

    def name(self, d):
        if d.HasField("thread"):
            return d.thread.thread_name
        if d.HasField("process"):
            return d.process.process_name
        return d.name

    def path(self, uuid):
        """ "hart 1: IO core/ring 0 (pid 1 fd 3)/poller" """
        d = self.tracks[uuid]
        up = self.path(d.parent_uuid) + "/" if d.HasField("parent_uuid") else ""
        return up + self.name(d)

    def paths(self):
        return {self.path(u) for u in self.tracks}

    def on(self, pattern, kind=None):
        """events on the tracks whose path matches pattern (a regex)"""
        return [e for e in self.events if re.fullmatch(pattern, e.path)
                and (kind is None or e.kind == kind)]

    def at(self, path, kind=None):
        return self.on(re.escape(path), kind)

    def slices_on(self, pattern):
        """slices on the tracks whose path matches pattern (a regex)"""
        return [s for s in self.slices if re.fullmatch(pattern, s.path)]

    def flows(self):
        """flow id -> [(track path, event name, terminating?)] in order"""
        f = collections.defaultdict(list)
        for e in self.events:
            for i in e.flows:
                f[i].append((e.path, e.name, False))
            for i in e.ends:
                f[i].append((e.path, e.name, True))
        return f


def traced(boot, tmp_path, init, **kw):
    base = tmp_path / "t.perfetto-trace"
    text, status = run(boot, init, trace=str(base), **kw)
    rc, out = decode("perfetto", f"{base}.bin", base)
    assert rc == 0, out
    return text, status, base, Timeline(load_perfetto(base))


def test_traced_ring_demo(boot, tmp_path):
    base = tmp_path / "demo"
    text, status = run(boot, "/bin/iodemo", trace=str(base))
    assert status == 0
    assert "trace: on" in text
    rc, out = summarize(f"{base}.bin")
    assert rc == 0, out
    assert "trace: lost records: 0" in out
    normal, io = counts(out, 0), counts(out, 1)
    assert normal.get("HELLO", 0) + io.get("HELLO", 0) == 1  # boot hart
    assert normal["SYSCALL_ENTER"] >= normal["SYSCALL_EXIT"] > 10
    # switched to (and whether it also slept or was preempted is up to the
    # host's speed); init's exit powers off without a switch
    assert normal["SWITCH"] >= 1 and normal["SPAWN"] == normal["EXIT"] == 1
    # every SQE the IO core took was completed: iodemo's 4 x 16 reads, most
    # as one OP_DONE record, the others as SQE_TAKEN + CQE_POSTED
    assert io.get("OP_DONE", 0) + io.get("SQE_TAKEN", 0) == 64
    assert io.get("OP_DONE", 0) + io.get("CQE_POSTED", 0) == 64
    assert io["EXEC_BUSY"] >= 1 and io["RING_POLL"] >= 1
    # and the process's side: libuser's submissions and reaps, in batches
    # (4 styles x 16 requests; iodemo's one-at-a-time style submits 4 + 12)
    assert 4 <= normal["USER_SUBMIT"] < 64 and 4 <= normal["USER_REAP"] < 64
    assert normal["RING_SETUP"] == 1 and io["RING_FREE"] == 1
    # latency percentiles per opcode, from the requests' histories
    assert "trace: requests: 64 taken; 0 without a submit record; " \
        "0 CQEs not reaped" in out
    assert re.search(r"^trace: op READ: 64 requests; submit->CQE us p50 [\d.]+ "
                     r"p90 [\d.]+ p99 [\d.]+; CQE->reap us p50", out, re.M)
    # the ring's set-up kicks the IO core, which takes the IPI; a hart
    # takes no more IPIs than the other sent (the IO core's own, to wake a
    # waiting process or say the ring is freed, are up to the timing)
    assert io.get("IPI_RECV", 0) >= 1
    assert io.get("IPI_RECV", 0) <= normal.get("IPI_SEND", 0)
    assert normal.get("IPI_RECV", 0) <= io.get("IPI_SEND", 0)
    # the decoder matches requests by ring index (16 bits): the same run as
    # if the ring's indexes had been about to wrap around is matched alike
    shifted = tmp_path / "wrapped.bin"
    shifted.write_bytes(shift_ring_indexes(open(f"{base}.bin", "rb").read(),
                                           0xffe0))
    rc, out2 = summarize(shifted)
    assert rc == 0 and "0 without a submit record; 0 CQEs not reaped" in out2
    assert [l for l in out.splitlines() if l.startswith("trace: op ")] == \
        [l for l in out2.splitlines() if l.startswith("trace: op ")]


def shift_ring_indexes(data, by):
    """A stream with every SQ and CQ index moved on by `by` (the first index
    of USER_SUBMIT/USER_REAP, the SQ head and CQ tail of RING_POLL), each
    wrapping around in its field's width."""
    moved = {"USER_SUBMIT": ("first",), "USER_REAP": ("first",),
             "RING_POLL": ("sq_head", "cq_tail")}
    out = bytearray(data)
    for pos in range(0, len(data) - 31, 32):
        magic, hart, ev, seq, ts, a0, a1 = REC.unpack_from(data, pos)
        e = uapi.EVENTS[ev]
        if e.name in moved:
            f = e.unpack(a0, a1)._asdict()
            for name in moved[e.name]:
                f[name] = (f[name] + by) & e.field(name).mask
            a0, a1 = e.pack(**f)
        REC.pack_into(out, pos, magic, hart, ev, seq, ts, a0, a1)
    return bytes(out)


def test_tracing_off_by_default(boot):
    text, status = run(boot, "/bin/uecho hi")
    assert status == 0 and "trace: on" not in text


def test_tracing_not_built_in(boot, tmp_path):
    """make TRACING=0: no trace points in the kernel; asked to trace, it
    says so, and the decoder says why the stream is empty."""
    base = tmp_path / "t"
    text, status = run(boot, "/bin/uecho hi", trace=str(base),
                       make_vars=["TRACING=0"])
    assert status == 0 and "trace: not built in (make TRACING=0)" in text
    rc, out = summarize(f"{base}.bin")
    assert rc == 2 and "the stream is empty" in out
    # and the next test's default build has tracing again
    text, status = run(boot, "/bin/uecho hi", trace=str(base))
    assert status == 0 and "trace: on" in text


@pytest.mark.parametrize("icount", [False, True], ids=["parallel", "icount"])
def test_perfetto_ring_demo(boot, tmp_path, icount):
    """iodemo's timeline.  In the parallel mode the harts are host threads,
    so what lands where (an interrupt while the process runs, the IO core
    going to sleep, the process sleeping) varies from run to run: the checks
    hold for any of it.  Under -icount the run is the same every time, and
    it does show those things: then they are checked too."""
    text, status, _base, tl = traced(boot, tmp_path, "/bin/iodemo",
                                     icount=icount)
    assert status == 0
    paths = tl.paths()
    io, ring = "hart 1: IO core", "hart 1: IO core/ring 0 (pid 1 fd 4)"
    assert {"hart 0: normal core", io, ring, ring + "/poller",
            ring + "/SQ occupancy", ring + "/CQ occupancy",
            ring + "/in flight", "iodemo (pid 1)",
            "iodemo (pid 1)/iodemo (pid 1)"} <= paths
    # the normal core runs the process; the IO core is busy, and each of
    # its sleeps ends with a wakeup (the last may be cut short by power-off)
    assert tl.on("hart 0: normal core", 1)[0].name == "run iodemo (pid 1)"
    assert "busy" in {s.name for s in tl.slices_on(io)}
    sleeps = [s for s in tl.slices_on(io) if s.name == "sleep (wfi)"]
    assert all(s.args["woken by"] in ("IPI", "timer") for s in sleeps[:-1])
    # the thread: system calls, each with its result, and the interrupts
    # that landed while the process ran in user mode (whether any did is
    # up to the host), each with its cause, and the page faults that map
    # its pages at the first touch; never one inside another (the kernel
    # takes interrupts only in user mode and when idle)
    thread = tl.slices_on(r"iodemo \(pid 1\)/iodemo \(pid 1\)")
    calls = [s for s in thread if s.cats == ["syscall"]]
    traps = [s for s in thread if s.cats == ["trap"]]
    assert len(calls) + len(traps) == len(thread)
    assert all(s.depth == 1 for s in thread)
    assert {"openat", "write", "io_uring_setup", "mmap", "munmap", "close",
            "unlinkat"} <= {s.name for s in calls}
    assert all("result" in s.args for s in calls)
    result = {s.name: s.args["result"] for s in calls}
    assert result["openat"] == 3 and result["io_uring_setup"] == 4  # fd 4
    for s in traps:  # interrupts, and page faults paging in the heap
        assert (s.name in INTERRUPTS and int(s.args["scause"], 16) >> 63) \
            or s.name in DEMAND_FAULTS, s
        assert "result" not in s.args
    if icount:
        # this run's timer tick lands in user mode, and the IO core sleeps
        # from boot until the ring's set-up wakes it: not vacuous checks
        assert "timer interrupt" in {s.name for s in traps}
        assert sleeps and sleeps[0].args["woken by"] == "IPI"
    # the poller coroutine's passes, with each op nested in one
    polls = [e for e in tl.at(ring + "/poller", 1) if e.name.startswith("poll")]
    ops = [e for e in tl.at(ring + "/poller", 1) if e.name.startswith("READ ")]
    assert polls and len(ops) == 64 and all(e.depth == 2 for e in ops)
    assert sum(e.args["SQEs taken"] for e in polls) == 64
    # counters: they moved, and all is drained at the end
    for c in ("SQ occupancy", "CQ occupancy", "in flight"):
        values = [e for e in tl.at(f"{ring}/{c}", 4)]
        assert len(values) >= 64 + 4  # each request, and each batch
        assert tl.value[f"{ring}/{c}"] == 0
    # one flow per request: submitted in the process, taken and completed
    # on the IO core, ended where the process reaps it
    flows = tl.flows()
    assert len(flows) == 64
    for steps in flows.values():
        (p0, n0, e0), (p1, n1, e1), (p2, n2, e2), (p3, n3, e3) = steps
        assert n0.startswith("submit ") and p0.endswith("iodemo (pid 1)")
        assert n1.startswith("READ ") and p1 == ring + "/poller"
        assert n2 == "CQE 4096" and p2 == ring + "/poller"
        assert n3.startswith("reap ") and e3 and not (e0 or e1 or e2)
    # libuser records a batch: one submit (reap) instant per io_uring_submit
    # (io_uring_cq_advance), with a flow for each of its requests
    for kind, arg in (("submit", "SQEs"), ("reap", "CQEs")):
        batches = [e for e in tl.on(r"iodemo \(pid 1\)/iodemo \(pid 1\)", 3)
                   if e.name.startswith(kind + " ")]
        assert 1 < len(batches) < 64
        for e in batches:
            n = len(e.flows if kind == "submit" else e.ends)
            assert e.name == f"{kind} {n}" and e.args[arg] == n
            assert len(e.args["user_data"].split()) == n  # from the IO core
        assert sum(e.args[arg] for e in batches) == 64


def test_perfetto_parked_requests_and_overflow(boot, tmp_path):
    """ringmix: a TIMEOUT, a link chain, a drain and a CQ overflow: parked
    requests get coroutine tracks of their own, with their waits."""
    text, status, base, tl = traced(boot, tmp_path, "/bin/ringmix")
    assert status == 0 and result_line(text, "ringmix")["ok"] == "1"
    rc, out = summarize(f"{base}.bin")
    assert "trace: lost records: 0" in out
    io = counts(out, 1)
    assert io["CORO_PARK"] == io["CORO_RESUME"] == 6
    assert io["CQ_OVERFLOW"] == 4
    waits = collections.Counter(e.name for e in tl.on(r".*/request \d+", 1)
                                if e.name.startswith("wait"))
    # four TIMEOUTs wait for their timer, one NOP for the link before it,
    # one for the drain
    assert waits == {"wait (timer)": 4, "wait (link)": 1, "wait (drain)": 1}
    ops = {e.name for e in tl.on(r".*/request \d+", 1)
           if not e.name.startswith("wait")}
    assert {"TIMEOUT 100", "TIMEOUT 201", "NOP 202", "TIMEOUT 300",
            "NOP 301", "TIMEOUT 500"} == ops
    # two requests with one user_data: each result on its own op's track
    for path, name, cqe in ((r".*/request \d+", "TIMEOUT 500", "CQE -62"),
                            (r".*/poller", "NOP 500", "CQE 0")):
        evs = tl.on(path)
        i = next(i for i, e in enumerate(evs) if e.name == name)
        assert next(e.name for e in evs[i:] if e.kind == 3) == cqe
    # results as arguments and in the CQE instants
    cqes = {e.name for e in tl.on(r".*", 3) if e.name.startswith("CQ")}
    assert {"CQE -62", "CQE -125", "CQE 0", "CQ overflow 0",
            "CQE 0 (from overflow)"} <= cqes
    assert len([e for e in tl.on(r".*", 3)
                if e.name == "CQE 0 (from overflow)"]) == 4
    # two rings, each with its poller and counters, back to 0 at the end
    rings = {p.split("/")[1] for p in tl.paths() if p.count("/") >= 1
             and p.startswith("hart 1: IO core/ring")}
    assert rings == {"ring 0 (pid 1 fd 3)"}  # the id of a freed ring reused
    assert len([u for u in tl.tracks if tl.path(u).endswith("/poller")]) == 2
    assert all(v == 0 for p, v in tl.value.items())
    # every request's flow: submit ... reap, overflowed ones through both
    flows = tl.flows()
    assert len(flows) == 16
    for steps in flows.values():
        assert steps[0][1].startswith("submit ") and steps[-1][2]
        assert steps[-1][1].startswith("reap ")
        assert sum(s[2] for s in steps) == 1


def test_trace_traps_spawn_exit(boot, tmp_path):
    """A user fault: a trap slice on the process's thread, closed by its
    exit; spawn and exit instants; the programs' names on their tracks."""
    base = tmp_path / "t.perfetto-trace"
    c = boot(init="/bin/ush", trace=str(base))
    c.expect(r"\$ ")
    c.send("fault null")
    c.expect(r"killed: load page fault")
    c.expect(r"\$ ")
    c.send("exit 0")
    assert c.wait_exit() == 0
    rc, out = decode("perfetto", f"{base}.bin", base)
    assert rc == 0, out
    tl = Timeline(load_perfetto(base))
    paths = tl.paths()
    assert "ush (pid 1)" in paths and "fault (pid 2)" in paths
    thread = r"fault \(pid 2\)/fault \(pid 2\)"
    fault = [s for s in tl.slices_on(thread) if s.name == "load page fault"]
    assert len(fault) == 1 and fault[0].cats == ["trap"]
    assert fault[0].args["scause"] == "0xd"
    exits = [e.name for e in tl.on(thread, 3)]
    assert "exit (status 0xb)" in exits  # killed by SIGSEGV
    spawns = [e.name for e in tl.on(r"ush \(pid 1\)/ush \(pid 1\)", 3)]
    assert "spawn fault (pid 2)" in spawns
    # the normal core ran both, and took interrupts (console input) as traps
    runs = {e.name for e in tl.on("hart 0: normal core", 1)}
    assert {"run ush (pid 1)", "run fault (pid 2)"} <= runs
    assert any(e.name == "external interrupt" for e in tl.on(".*", 1))


def test_trace_threads(boot, tmp_path):
    """pthreads: each thread its own track under its process's, named by
    tid, with a start instant naming the process and an exit instant;
    the process's own exit on the leader's track."""
    text, status, _base, tl = traced(boot, tmp_path,
                                     "/bin/threads create-join")
    assert status == 0, text[-2000:]
    assert re.search(r"^ok 1 create-join$", text, re.M), text[-2000:]
    paths = tl.paths()
    # the case runs in pid 2 (forked by the runner), its 8 threads after it
    tracks = sorted(p for p in paths
                    if re.fullmatch(r"threads \(pid 2\)/threads \(tid \d+\)",
                                    p))
    assert len(tracks) == 8, sorted(paths)
    for t in tracks:
        names = [e.name for e in tl.on(re.escape(t), 3)]
        tid = re.search(r"tid (\d+)", t).group(1)
        assert names.index(f"thread {tid} of pid 2") < \
            names.index("thread exit"), names
    leader = r"threads \(pid 2\)/threads \(pid 2\)"
    assert any(e.name.startswith("exit (status") for e in tl.on(leader, 3))


def test_scribbled_user_trace_area(boot, tmp_path):
    """A process that writes garbage over its own trace area (head far
    ahead, tail and lost nonsense, bad records): no panic, the kernel takes
    at most what the area holds and half the free buffer, counts the rest
    as that process's loss, and the stream still decodes."""
    base = tmp_path / "t"
    text, status = run(boot, "/bin/ringmix scribble", trace=str(base))
    assert status == 0 and result_line(text, "ringmix")["scribbled"] == "64"
    rc, out = summarize(f"{base}.bin")
    assert rc == 0, out
    lost = re.search(r"^trace: lost records: (\d+) \(pid 1 user area: (\d+)\)$",
                     out, re.M)
    assert lost and int(lost[2]) > 1000000
    normal = counts(out, 0)
    # records with a valid event were taken (as far as the rules allow),
    # the others dropped; the kernel's own records are all there
    assert 0 < normal.get("USER_SUBMIT", 0) <= 64 * UTRACE_RECS
    assert normal["SYSCALL_ENTER"] >= 128 and normal["EXIT"] == 1
    rc, out = decode("perfetto", f"{base}.bin", tmp_path / "t.perfetto-trace")
    assert rc == 0, out
    Timeline(load_perfetto(tmp_path / "t.perfetto-trace"))


def test_trace_ctl_pauses_recording(boot, tmp_path):
    """ringbench overhead: the same cases with tracing paused, then on;
    only the second half's requests are in the trace, none lost."""
    base = tmp_path / "rb"
    text, status = run(boot, "/bin/ringbench overhead", icount=True,
                       trace=str(base), timeout=300)
    assert status == 0
    lines = re.findall(r"^ringbench: trace-overhead op=(\w+) batch=32 "
                       r"normal=[+-][\d.]+% io=[+-][\d.]+% trap=[+-][\d.]+% "
                       r"request=[+-][\d.]+%", text, re.M)
    assert lines == ["nop", "read4k"]
    rc, out = summarize(f"{base}.bin")
    assert rc == 0 and "trace: lost records: 0" in out
    normal, io = counts(out, 0), counts(out, 1)
    # 2 cases x 64 rounds x 32 requests recorded (a batch of 32 submitted
    # and reaped at once: one user record each); as many again ran paused
    assert normal["USER_SUBMIT"] == normal["USER_REAP"] == 128
    assert io.get("OP_DONE", 0) + io.get("SQE_TAKEN", 0) == 4096
    # every request matched to its submission and reap
    assert "trace: requests: 4096 taken; 0 without a submit record; " \
        "0 CQEs not reaped" in out
    for op in ("NOP", "READ"):
        assert re.search(rf"^trace: op {op}: 2048 requests; submit->CQE us "
                         r"p50 [\d.]+ p90 [\d.]+ p99 [\d.]+; CQE->reap us p50 ",
                         out, re.M), out


def test_trace_ctl_without_tracing(boot):
    text, status = run(boot, "/bin/ringbench overhead")
    assert status == 1
    assert "ringbench: error: trace_ctl: No such device" in text


def test_decoder_reports_damage_and_keeps_the_rest(boot, tmp_path):
    base = tmp_path / "t"
    run(boot, "/bin/ipiping 20", trace=str(base))
    data = open(f"{base}.bin", "rb").read()
    assert len(data) >= 32 * 8 and len(data) % 32 == 0
    rc, good = summarize(f"{base}.bin")
    assert rc == 0
    whole = int(good.split(": ")[2].split()[0])
    # truncated in the middle of a record
    cut = tmp_path / "cut.bin"
    cut.write_bytes(data[:len(data) - 13])
    rc, out = summarize(cut)
    assert rc == 2 and "stream ends inside a record" in out
    assert f": {whole - 1} records" in out
    # a damaged record in the middle: reported, the others kept
    bad = bytearray(data)
    bad[32 * 3:32 * 3 + 4] = b"\xff\xff\xff\xff"
    (tmp_path / "bad.bin").write_bytes(bad)
    rc, out = summarize(tmp_path / "bad.bin")
    assert rc == 2 and "damaged record at byte 96" in out
    assert f": {whole - 1} records" in out
    # even if the damaged record's time or arguments hold what looks like a
    # record's start (the magic, a known event: as a run may make them)
    bad[32 * 3 + 8:32 * 3 + 12] = struct.pack("<HBB", uapi.TRACE_MAGIC, 0, 2)
    (tmp_path / "bad2.bin").write_bytes(bad)
    rc, out = summarize(tmp_path / "bad2.bin")
    assert rc == 2 and "damaged record at byte 96; resynchronized at 128" in out
    assert f": {whole - 1} records" in out
    # a missing file: a one-line error
    rc, out = summarize(tmp_path / "none.bin")
    assert rc == 1 and "No such file" in out


def test_decoder_closes_what_a_cut_trace_leaves_open(boot, tmp_path):
    """A stream cut anywhere still gives a valid Perfetto trace: the slices
    it cut off are closed, the flows it cut off are left unterminated."""
    base = tmp_path / "t"
    run(boot, "/bin/iodemo", trace=str(base))
    data = open(f"{base}.bin", "rb").read()
    for cut in (len(data) // 3, len(data) // 2 + 7, 2 * len(data) // 3 + 32):
        part = tmp_path / f"cut{cut}.bin"
        part.write_bytes(data[:cut])
        rc, out = decode("perfetto", part, tmp_path / "cut.perfetto-trace")
        assert rc == (0 if cut % 32 == 0 else 2), out
        Timeline(load_perfetto(tmp_path / "cut.perfetto-trace"))
    # garbage of every kind, never a traceback
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 64)
    rc, out = decode("perfetto", junk, tmp_path / "junk.perfetto-trace")
    assert rc == 2 and "damaged record" in out
    # well-formed records of every event with random arguments, in random
    # order: whatever they say, a valid trace comes out
    rnd = random.Random(4)
    events = len(uapi.EVENTS)
    recs = b"".join(REC.pack(
        uapi.TRACE_MAGIC, rnd.randrange(3), rnd.randrange(events), i,
        rnd.randrange(1 << 20), rnd.choice([0, 1, 7, 1 << 32, rnd.getrandbits(64)]),
        rnd.choice([0, 2, 255, rnd.getrandbits(64)])) for i in range(4000))
    fuzz = tmp_path / "fuzz.bin"
    fuzz.write_bytes(recs)
    rc, out = summarize(fuzz)
    assert rc in (0, 2) and "trace: lost records:" in out
    rc, out = decode("perfetto", fuzz, tmp_path / "fuzz.perfetto-trace")
    assert rc in (0, 2) and "trace: wrote" in out
    Timeline(load_perfetto(tmp_path / "fuzz.perfetto-trace"))


def stream(recs):
    """A stream of records (hart, event, ticks, a0, a1), or (hart, event,
    ticks, {field: value}) packed from the event's declaration, numbered
    per hart in the order given; an event written "~NAME" is numbered but
    left out, as if a full buffer had dropped it."""
    seq, out = collections.Counter(), b""
    for hart, ev, ticks, *args in recs:
        a0, a1 = (uapi.EVENT_BY_NAME[ev.lstrip("~")].pack(**args[0])
                  if isinstance(args[0], dict) else args)
        if not ev.startswith("~"):
            out += REC.pack(uapi.TRACE_MAGIC, hart, EVENT_IDS[ev],
                               seq[hart], ticks, a0, a1)
        seq[hart] += 1
    return out


def timeline_of(tmp_path, data):
    (tmp_path / "s.bin").write_bytes(data)
    rc, out = decode("perfetto", tmp_path / "s.bin", tmp_path / "s.trace")
    assert rc == 0, out
    return Timeline(load_perfetto(tmp_path / "s.trace"))


def name8(s):
    return int.from_bytes(s.encode(), "little")  # SPAWN's name argument


def test_decoder_pairs_system_calls_and_traps(tmp_path):
    """Each end closes its own slice, whatever the timing put around it: a
    timer tick that preempted a process in user mode is a trap slice, with
    its cause, over the time another process ran, between system call
    slices with their results; a process's first calls count even when its
    switch-in was not recorded (tracing resumed while it ran); and an end
    whose begin was lost does not close another slice (a trap's end a
    system call, or a system call's end a trap)."""
    recs = [
        (0, "HELLO", 0, 10000000, 2),
        (0, "SPAWN", 1, 1 << 32, name8("one")),
        (0, "SPAWN", 2, 2 << 32 | 1, name8("two")),
        (0, "SYSCALL_ENTER", 3, 172, 1), (0, "SYSCALL_EXIT", 4, 172, 1),
        (0, "TRAP_ENTER", 5, TIMER_IRQ, 0x1000), (0, "TIMER", 5, 1, 1),
        (0, "SWITCH", 6, 1, 0), (0, "SWITCH", 6, 0, 2),
        (0, "SYSCALL_ENTER", 7, 173, 2), (0, "SYSCALL_EXIT", 8, 173, 1),
        (0, "SWITCH", 9, 2, 0), (0, "SWITCH", 9, 0, 1),
        (0, "TRAP_EXIT", 10, TIMER_IRQ, 0),
        (0, "~TRAP_ENTER", 11, TIMER_IRQ, 0x1000),
        (0, "SYSCALL_ENTER", 12, 63, 1),
        (0, "TRAP_EXIT", 13, TIMER_IRQ, 0),
        (0, "SYSCALL_EXIT", 14, 63, 5),
        (0, "TRAP_ENTER", 15, TIMER_IRQ, 0x1004),
        (0, "~SYSCALL_ENTER", 16, 57, 1),
        (0, "SYSCALL_EXIT", 17, 57, 0),
        (0, "TRAP_EXIT", 18, TIMER_IRQ, 0),
        (0, "SYSCALL_ENTER", 19, 94, 1), (0, "EXIT", 20, 1, 0),
    ]
    tl = timeline_of(tmp_path, stream(recs))
    one = [(s.name, s.cats, s.args.get("result", s.args.get("scause")),
            s.depth) for s in tl.slices_on(r"one \(pid 1\)/.*")]
    assert one == [("getpid", ["syscall"], 1, 1),
                   ("timer interrupt", ["trap"], hex(TIMER_IRQ), 1),
                   ("read", ["syscall"], 5, 1),
                   ("timer interrupt", ["trap"], hex(TIMER_IRQ), 1)]
    two = [(s.name, s.args["result"]) for s in tl.slices_on(r"two .*/.*")]
    assert two == [("getppid", 1)]
    preempted = tl.slices_on(r"one .*/.*")[1]
    assert (preempted.begin, preempted.end) == (500, 1000)  # ns


def test_decoder_orders_the_harts_records_by_time(tmp_path):
    """The harts' buffers reach the stream one after the other (the IO
    core's may come first), and at one tick of the time CSR a request is
    submitted, taken, completed and reaped: its flow still goes submit ->
    op -> CQE -> reap."""
    batch = {"pid": 1, "ring_fd": 3, "first": 0, "count": 1}  # index 0
    normal = [
        (0, "HELLO", 0, 10000000, 2),
        (0, "SPAWN", 1, {"pid": 1, "name": name8("one")}),
        (0, "SWITCH", 1, 0, 1),
        (0, "RING_SETUP", 2, {"pid": 1, "fd": 3, "ring": 0}),
        (0, "USER_SUBMIT", 7, batch),
        (0, "USER_REAP", 7, batch),
    ]
    io = [
        (1, "OP_DONE", 7, {"opcode": OPCODE["NOP"], "user_data": 42}),
        (1, "RING_POLL", 7, {"taken": 1, "since_seq": 0}),
    ]
    tl = timeline_of(tmp_path, stream(io) + stream(normal))
    flows = list(tl.flows().values())
    assert flows == [[("one (pid 1)/one (pid 1)", "submit 1", False),
                      ("hart 1: IO core/ring 0 (pid 1 fd 3)/poller", "NOP 42",
                       False),
                      ("hart 1: IO core/ring 0 (pid 1 fd 3)/poller", "CQE 0",
                       False),
                      ("one (pid 1)/one (pid 1)", "reap 1", True)]]


def test_trace_field_declarations_are_consistent():
    """include/uapi/trace.h declares each event's fields once: ids and
    names unique, ids fit the record's event byte, and in each argument
    word the fields go from bit 0 up without a gap or an overlap, take at
    most 64 bits, and have names unique within their event (the kernel's
    build checks the same with _Static_assert)."""
    events = uapi.EVENTS.values()
    assert len({e.name for e in events}) == len(uapi.EVENTS)
    assert all(0 <= e.id < 256 for e in events)
    for e in events:
        names = [f.name for f in e.fields]
        assert len(set(names)) == len(names), e
        for word in e.words:
            at = 0
            for f in word:
                assert f.bits >= 1 and f.shift == at, (e, f)
                at += f.bits
            assert at <= 64, e


def test_trace_fields_round_trip(tmp_path):
    """A record packed in Python from the declaration decodes back to its
    fields; the declared layouts are the ones the kernel wrote before they
    were declared (so old streams decode the same); a value that does not
    fit its field is refused; and the decoder reads a packed record's
    fields (a READ with its result, on the ring it names)."""
    rnd = random.Random(9)
    for e in uapi.EVENTS.values():
        for _ in range(20):
            v = {f.name: rnd.randrange(-(1 << f.bits - 1), 1 << f.bits - 1)
                 if f.signed else rnd.randrange(1 << f.bits)
                 for f in e.fields}
            assert e.unpack(*e.pack(**v))._asdict() == v, e
        for f in e.fields:
            lo, hi = ((-(1 << f.bits - 1), (1 << f.bits - 1) - 1)
                      if f.signed else (0, f.mask))
            assert getattr(e.unpack(*e.pack(**{f.name: hi})), f.name) == hi
            assert getattr(e.unpack(*e.pack(**{f.name: lo})), f.name) == lo
            with pytest.raises(ValueError):
                e.pack(**{f.name: hi + 1})
            with pytest.raises(ValueError):
                e.pack(**{f.name: lo - 1})
    ev = uapi.EVENT_BY_NAME
    drain = {why: n for n, why in uapi.PARK_WHY.items()}["drain"]
    # the layouts as the kernel's call sites wrote them by hand
    u32 = 0xffffffff
    old = [
        ("OP_DONE", dict(ring=5, opcode=OPCODE["READ"], ticks=0x1234,
                         result=-14, user_data=0xdeadbeefcafef00d),
         ((-14 & u32) << 32 | 0x1234 << 16 | OPCODE["READ"] << 8 | 5,
          0xdeadbeefcafef00d)),
        ("RING_POLL", dict(ring=7, taken=0xabcdef, since_seq=0x12345678,
                           ticks=0x9abcdef0, sq_head=0xfffe, cq_tail=3),
         (0x12345678 << 32 | 0xabcdef << 8 | 7,
          3 << 48 | 0xfffe << 32 | 0x9abcdef0)),
        ("CORO_PARK", dict(ring=2, coro=9, why=drain,
                           user_data=1),
         (drain << 32 | (2 << 8 | 9), 1)),
        ("CORO_RESUME", dict(ring=2, coro=9, user_data=1), (2 << 8 | 9, 1)),
        ("SQE_TAKEN", dict(ring=4, opcode=OPCODE["TIMEOUT"], user_data=6),
         (OPCODE["TIMEOUT"] << 32 | 4, 6)),
        ("CQE_POSTED", dict(ring=4, result=-125, user_data=6),
         ((-125 & u32) << 32 | 4, 6)),
        ("CQ_OVERFLOW", dict(ring=4, result=7, user_data=6), (7 << 32 | 4, 6)),
        ("RING_SETUP", dict(pid=3, fd=5, ring=1), (3 << 32 | 5, 1)),
        ("SPAWN", dict(pid=3, parent=1, name=name8("sh")),
         (3 << 32 | 1, name8("sh"))),
        ("USER_SUBMIT", dict(pid=3, ring_fd=5, first=0xfff0, count=32),
         (3 << 32 | 5, 32 << 32 | 0xfff0)),
        ("SYSCALL_EXIT", dict(nr=63, result=-9), (63, -9 & (1 << 64) - 1)),
    ]
    for name, fields, words in old:
        assert ev[name].pack(**fields) == words, name
        assert ev[name].unpack(*words)._asdict() == {
            f.name: fields.get(f.name, 0) for f in ev[name].fields}, name
    # through the decoder: a READ taken and completed in one pass
    recs = [
        (0, "HELLO", 0, 10000000, 2),
        (0, "SPAWN", 1, {"pid": 1, "name": name8("one")}),
        (0, "RING_SETUP", 2, {"pid": 1, "fd": 3, "ring": 5}),
        (0, "USER_SUBMIT", 3, {"pid": 1, "ring_fd": 3, "first": 0xffff,
                               "count": 1}),
        (1, "OP_DONE", 9, dict(old[0][1], ticks=2)),
        (1, "RING_POLL", 9, {"ring": 5, "taken": 1, "sq_head": 0xffff,
                             "cq_tail": 0xffff, "ticks": 3}),
        (0, "USER_REAP", 9, {"pid": 1, "ring_fd": 3, "first": 0xffff,
                             "count": 1}),
    ]
    tl = timeline_of(tmp_path, stream(recs))
    (flow,) = tl.flows().values()
    assert [step[1] for step in flow] == [
        "submit 1", f"READ {0xdeadbeefcafef00d}", "CQE -14", "reap 1"]
    assert flow[1][0] == "hart 1: IO core/ring 5 (pid 1 fd 3)/poller"
