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

from conftest import ROOT, result_line, run

DECODER = ["/usr/bin/python3", "hosttools/trace.py"]
# the user trace area's records (include/uapi/trace.h)
UTRACE_RECS = int(re.search(r"#define UTRACE_REC_PAGES (\d+)", open(
    f"{ROOT}/include/uapi/trace.h").read())[1]) * 4096 // 32


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


class Timeline:
    """A Perfetto trace read back, checked against the rules Perfetto's
    importer applies: tracks described before use and their parents
    existing, one trusted sequence per hart whose first packet clears
    incremental state and whose timestamps never go backwards, slices
    balanced on every track, counters only on counter tracks."""

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
        self.events = []  # (ts, track path, type, name, flows, ends, args)
        self.value = {}   # counter track path -> last value
        depth, last_ts, seen_seq = collections.Counter(), {}, set()
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
            self.events.append((pk.timestamp, self.path(e.track_uuid), e.type,
                                e.name, list(e.flow_ids),
                                list(e.terminating_flow_ids), args,
                                depth[e.track_uuid]))
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
        return [e for e in self.events if re.fullmatch(pattern, e[1])
                and (kind is None or e[2] == kind)]

    def at(self, path, kind=None):
        return self.on(re.escape(path), kind)

    def flows(self):
        """flow id -> [(track path, event name, terminating?)] in order"""
        f = collections.defaultdict(list)
        for _ts, path, _k, name, flows, ends, _a, _d in self.events:
            for i in flows:
                f[i].append((path, name, False))
            for i in ends:
                f[i].append((path, name, True))
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
    assert normal["SWITCH"] >= 2 and normal["SPAWN"] == normal["EXIT"] == 1
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
    assert io["IPI_RECV"] >= 1 and normal["IPI_RECV"] >= 1
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
    of USER_SUBMIT/USER_REAP, the SQ head and CQ tail of RING_POLL)."""
    ids = {m[2]: int(m[1]) for m in re.finditer(
        r"TRACE_EVENT\((\d+), (\w+),", open(f"{ROOT}/include/uapi/trace.h").read())}
    out = bytearray(data)
    for pos in range(0, len(data) - 31, 32):
        magic, hart, ev, seq, ts, a0, a1 = struct.unpack_from("<HBBIQQQ", data, pos)
        if ev in (ids["USER_SUBMIT"], ids["USER_REAP"]):
            a1 = a1 & ~0xffffffff | (a1 + by) & 0xffffffff
        elif ev == ids["RING_POLL"]:
            sq, cq = (a1 >> 32) & 0xffff, a1 >> 48
            a1 = a1 & 0xffffffff | ((sq + by) & 0xffff) << 32 | \
                ((cq + by) & 0xffff) << 48
        struct.pack_into("<HBBIQQQ", out, pos, magic, hart, ev, seq, ts, a0, a1)
    return bytes(out)


def test_tracing_off_by_default(boot):
    text, status = run(boot, "/bin/echo hi")
    assert status == 0 and "trace: on" not in text


def test_tracing_not_built_in(boot, tmp_path):
    """make TRACING=0: no trace points in the kernel; asked to trace, it
    says so, and the decoder says why the stream is empty."""
    base = tmp_path / "t"
    text, status = run(boot, "/bin/echo hi", trace=str(base),
                       make_vars=["TRACING=0"])
    assert status == 0 and "trace: not built in (make TRACING=0)" in text
    rc, out = summarize(f"{base}.bin")
    assert rc == 2 and "the stream is empty" in out
    # and the next test's default build has tracing again
    text, status = run(boot, "/bin/echo hi", trace=str(base))
    assert status == 0 and "trace: on" in text


def test_perfetto_ring_demo(boot, tmp_path):
    text, status, _base, tl = traced(boot, tmp_path, "/bin/iodemo")
    assert status == 0
    paths = tl.paths()
    io, ring = "hart 1: IO core", "hart 1: IO core/ring 0 (pid 1 fd 4)"
    assert {"hart 0: normal core", io, ring, ring + "/poller",
            ring + "/SQ occupancy", ring + "/CQ occupancy",
            ring + "/in flight", "iodemo (pid 1)",
            "iodemo (pid 1)/iodemo (pid 1)"} <= paths
    # the normal core runs the process; the IO core is busy, then sleeps
    assert tl.on("hart 0: normal core", 1)[0][3] == "run iodemo (pid 1)"
    assert {"busy", "sleep (wfi)"} <= {e[3] for e in tl.at(io, 1)}
    # system calls as slices on the thread, with their results
    calls = tl.on(r"iodemo \(pid 1\)/iodemo \(pid 1\)", 1)
    assert {"openat", "io_uring_setup", "io_uring_enter"} <= {e[3] for e in calls}
    ends = tl.on(r"iodemo \(pid 1\)/iodemo \(pid 1\)", 2)
    assert all("result" in e[6] for e in ends)
    # the poller coroutine's passes, with each op nested in one
    polls = [e for e in tl.at(ring + "/poller", 1) if e[3].startswith("poll")]
    ops = [e for e in tl.at(ring + "/poller", 1) if e[3].startswith("READ ")]
    assert polls and len(ops) == 64 and all(e[7] == 2 for e in ops)
    assert sum(e[6]["SQEs taken"] for e in polls) == 64
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
                   if e[3].startswith(kind + " ")]
        assert 1 < len(batches) < 64
        for e in batches:
            n = len(e[4] if kind == "submit" else e[5])
            assert e[3] == f"{kind} {n}" and e[6][arg] == n
            assert len(e[6]["user_data"].split()) == n  # from the IO core
        assert sum(e[6][arg] for e in batches) == 64


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
    waits = collections.Counter(e[3] for e in tl.on(r".*/request \d+", 1)
                                if e[3].startswith("wait"))
    # four TIMEOUTs wait for their timer, one NOP for the link before it,
    # one for the drain
    assert waits == {"wait (timer)": 4, "wait (link)": 1, "wait (drain)": 1}
    ops = {e[3] for e in tl.on(r".*/request \d+", 1)
           if not e[3].startswith("wait")}
    assert {"TIMEOUT 100", "TIMEOUT 201", "NOP 202", "TIMEOUT 300",
            "NOP 301", "TIMEOUT 500"} == ops
    # two requests with one user_data: each result on its own op's track
    for path, name, cqe in ((r".*/request \d+", "TIMEOUT 500", "CQE -62"),
                            (r".*/poller", "NOP 500", "CQE 0")):
        evs = tl.on(path)
        i = next(i for i, e in enumerate(evs) if e[3] == name)
        assert next(e[3] for e in evs[i:] if e[2] == 3) == cqe
    # results as arguments and in the CQE instants
    cqes = {e[3] for e in tl.on(r".*", 3) if e[3].startswith("CQ")}
    assert {"CQE -62", "CQE -125", "CQE 0", "CQ overflow 0",
            "CQE 0 (from overflow)"} <= cqes
    assert len([e for e in tl.on(r".*", 3)
                if e[3] == "CQE 0 (from overflow)"]) == 4
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
    c = boot(init="/bin/sh", trace=str(base))
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
    assert "sh (pid 1)" in paths and "fault (pid 2)" in paths
    thread = r"fault \(pid 2\)/fault \(pid 2\)"
    assert "load page fault" in [e[3] for e in tl.on(thread, 1)]
    exits = [e[3] for e in tl.on(thread, 3)]
    assert "exit (status 0xb)" in exits  # killed by SIGSEGV
    spawns = [e[3] for e in tl.on(r"sh \(pid 1\)/sh \(pid 1\)", 3)]
    assert "spawn fault (pid 2)" in spawns
    # the normal core ran both, and took interrupts (console input) as traps
    runs = {e[3] for e in tl.on("hart 0: normal core", 1)}
    assert {"run sh (pid 1)", "run fault (pid 2)"} <= runs
    assert any(e[3] == "external interrupt" for e in tl.on(".*", 1))


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
    events = len(re.findall(r"TRACE_EVENT\(\d+,", open(
        f"{ROOT}/include/uapi/trace.h").read()))
    recs = b"".join(struct.pack(
        "<HBBIQQQ", 0x5254, rnd.randrange(3), rnd.randrange(events), i,
        rnd.randrange(1 << 20), rnd.choice([0, 1, 7, 1 << 32, rnd.getrandbits(64)]),
        rnd.choice([0, 2, 255, rnd.getrandbits(64)])) for i in range(4000))
    fuzz = tmp_path / "fuzz.bin"
    fuzz.write_bytes(recs)
    rc, out = summarize(fuzz)
    assert rc in (0, 2) and "trace: lost records:" in out
    rc, out = decode("perfetto", fuzz, tmp_path / "fuzz.perfetto-trace")
    assert rc in (0, 2) and "trace: wrote" in out
    Timeline(load_perfetto(tmp_path / "fuzz.perfetto-trace"))
