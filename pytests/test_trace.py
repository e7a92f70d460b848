"""Tracing, first part: both harts write records into their own buffers,
drained over the second (PCI) UART when idle and at power-off; the host
decoder reads the event list from include/uapi/trace.h, reports every loss,
and survives damaged streams."""
import re
import subprocess

from conftest import ROOT, run

DECODER = ["/usr/bin/python3", "hosttools/trace.py", "summary"]


def summarize(path):
    p = subprocess.run(DECODER + [str(path)], cwd=ROOT, capture_output=True,
                       text=True)
    assert "Traceback" not in p.stderr, p.stderr
    return p.returncode, p.stdout


def counts(out, hart):
    line = next(l for l in out.splitlines()
                if l.startswith(f"trace: hart {hart}:"))
    return {name: int(n) for name, n in
            (kv.split() for kv in line.split(": ", 3)[3].split(", "))}


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
    assert normal["SWITCH"] >= 1
    # every SQE the IO core took got its CQE: iodemo's 4 x 16 reads
    assert io["SQE_TAKEN"] == io["CQE_POSTED"] == 64
    # and the process's side: libuser's submissions and reaps
    assert normal["USER_SUBMIT"] == normal["USER_REAP"] == 64
    assert normal["RING_SETUP"] == 1
    # latency percentiles per opcode, from the flows
    assert re.search(r"^trace: op READ: 64 requests; submit->CQE us p50 [\d.]+ "
                     r"p90 [\d.]+ p99 [\d.]+; CQE->reap us p50", out, re.M)
    assert io["IPI_RECV"] >= 1 and normal["IPI_RECV"] >= 1


def test_tracing_off_by_default(boot):
    text, status = run(boot, "/bin/echo hi")
    assert status == 0 and "trace: on" not in text


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


def load_perfetto(path):
    import importlib
    import sys
    subprocess.run(DECODER[:2] + ["perfetto", "/dev/null", "/dev/null"],
                   cwd=ROOT, capture_output=True)  # makes build/py
    sys.path.insert(0, f"{ROOT}/build/py")
    pb = importlib.import_module("perfetto_trace_pb2")
    t = pb.Trace()
    t.ParseFromString(open(path, "rb").read())
    return t


def test_perfetto_output_structure(boot, tmp_path):
    base = tmp_path / "ring.perfetto-trace"
    text, status = run(boot, "/bin/iodemo", trace=str(base))
    assert status == 0
    p = subprocess.run(DECODER[:2] + ["perfetto", f"{base}.bin", str(base)],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    t = load_perfetto(base)
    names = {pk.track_descriptor.uuid: pk.track_descriptor.name
             for pk in t.packet if pk.HasField("track_descriptor")}
    assert "hart 0: normal core" in names.values()
    assert "hart 1: IO core" in names.values()
    assert any(v.startswith("ring ") for v in names.values())
    depth, flows_begun, flows_ended, last_ts = {}, [], [], {}
    first_step = {}
    for pk in t.packet:
        if not pk.HasField("track_event"):
            continue
        e = pk.track_event
        assert pk.trusted_packet_sequence_id > 0
        seq = pk.trusted_packet_sequence_id
        assert pk.timestamp >= last_ts.get(seq, 0), "time went backwards"
        last_ts[seq] = pk.timestamp
        assert e.track_uuid in names or e.track_uuid in {
            d.track_descriptor.uuid for d in t.packet}
        d = depth.get(e.track_uuid, 0)
        if e.type == 1:
            depth[e.track_uuid] = d + 1
        elif e.type == 2:
            assert d > 0, "slice end without a begin"
            depth[e.track_uuid] = d - 1
        for f in e.flow_ids:
            first_step.setdefault(f, e.name)
        flows_begun += list(e.flow_ids)
        flows_ended += list(e.terminating_flow_ids)
    assert all(v == 0 for v in depth.values()), "unbalanced slices"
    # one flow per request: submitted in the process, taken and completed
    # on the IO core, ended where the process reaps it
    assert len(set(flows_begun)) == 64 == len(flows_ended)
    assert set(flows_begun) == set(flows_ended)
    assert all(flows_begun.count(f) == 3 for f in set(flows_begun))
    assert all(n.startswith("submit ") for n in first_step.values())
    reaps = [pk.track_event.name for pk in t.packet
             if pk.track_event.terminating_flow_ids]
    assert all(n.startswith("reap ") for n in reaps)
