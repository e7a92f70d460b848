"""Request matching: layer two of the trace decoder.  Which ring request
each record is about, followed from its submission (USER_SUBMIT) through
the IO core (SQE_TAKEN or OP_DONE, CORO_PARK/RESUME, CQE_POSTED or
CQ_OVERFLOW) to its reap (USER_REAP), without per-request user records:
by ring index (ring_indexes; include/uapi/trace.h explains RING_POLL), and
where that is not enough by ring and user_data.  It needs no timeline: the
summary uses it alone, trace_perfetto.py steps it record by record.

    Requests(stream)   .record(rec) -> what the record was about, for the
                       timeline (see each on_ method); .run() all records
                       in time order; .ops: every request the IO core took,
                       in that order (Op: opcode, user_data, flow id, and
                       its submit, completion, CQE and reap times in ns)
    ring_indexes(records)  the SQ and CQ index of each IO-core record

A ring id is used again once its ring is freed: requests are kept per ring
instance (Requests.inst), numbered 1, 2, ... as rings are seen.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uapi  # noqa: E402  (the include/uapi headers, parsed)
from trace_stream import time_order  # noqa: E402

OPCODES = uapi.OPCODES
# the most requests one USER_SUBMIT or USER_REAP can be about: a CQ's
# worth (include/uapi/io_uring.h: IORING_MAX_CQ_ENTRIES, twice this)
MAX_BATCH = uapi.IORING_MAX_CQ_ENTRIES
# ring indexes are compared in RING_POLL's width (its low 16 bits)
INDEX_MASK = (1 << next(f.bits for f in uapi.EVENT_BY_NAME["RING_POLL"].fields
                        if f.name == "sq_head")) - 1

TAKES = ("SQE_TAKEN", "OP_DONE")     # an SQE taken from the SQ
TO_CQ = ("OP_DONE", "CQE_POSTED")    # a CQE that went to the CQ


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
        if rec.name in TAKES + TO_CQ + ("RING_POLL",):
            by_hart[rec.hart].append(rec)
    for hart, recs in by_hart.items():
        pending = collections.defaultdict(list)  # ring -> records of its pass
        for rec in sorted(recs, key=lambda r: r.seq):
            if rec.name != "RING_POLL":
                pending[rec.f.ring].append(rec)
                continue
            f = rec.f
            sq, cq = f.sq_head, f.cq_tail
            mine = [r for r in pending.pop(f.ring, []) if r.seq >= f.since_seq]
            sq_ok = sum(r.name in TAKES for r in mine) == f.taken
            for r in mine:
                sq_i = cq_i = None
                if r.name in TAKES and sq_ok:
                    sq_i, sq = sq, (sq + 1) & INDEX_MASK
                if r.name in TO_CQ:
                    cq_i, cq = cq, (cq + 1) & INDEX_MASK
                index[(hart, r.seq)] = (sq_i, cq_i)
    return index


class Op:
    """One ring request, followed from submission to reap; its flow id is
    given when the IO core takes it."""

    def __init__(self, ud):
        self.ud, self.flow = ud, None
        self.opcode = None
        self.batch = ([], [])  # its submission's flows and user_data
        self.submit = self.completed = self.posted = self.reap = None  # ns
        self.where = None  # (ring instance, coroutine) it is in

    @property
    def name(self):
        return OPCODES.get(self.opcode, f"op {self.opcode}")


Batch = collections.namedtuple("Batch", "pid ring indexes ops flows uds")
Take = collections.namedtuple("Take", "op submitted")   # submitted: matched
Post = collections.namedtuple("Post", "op res overflow")
Flush = collections.namedtuple("Flush", "op res")       # overflow -> CQ
Park = collections.namedtuple("Park", "op moved")       # moved: first park


class Requests:
    """Walks the records in time order (record() one at a time, or run())
    and keeps each request's history; the on_ methods say what a record
    was about."""

    def __init__(self, stream):
        self.stream = stream
        self.problems = stream.problems
        self.ops = []        # the requests the IO core took, in that order
        self.ring_of = {}    # (pid, fd) -> ring
        self.instances = {}  # ring -> its instance, while it lives
        self.rings_seen = 0
        # requests by ring instance and SQ or CQ index (low 16 bits), or
        # by ring instance and user_data
        self.index = ring_indexes(stream.records)
        self.submitted = collections.defaultdict(dict)  # inst -> {SQ i: op}
        self.posted = collections.defaultdict(dict)     # inst -> {CQ i: op}
        self.in_flight = collections.defaultdict(collections.deque)  # (inst, ud)
        self.overflowed = collections.defaultdict(collections.deque)  # (inst, ud)
        self.sq_i = self.cq_i = None  # the current record's indexes
        self.slot = {}       # (ring, coro) -> Op parked in it
        self.cur_op = {}     # ring instance -> the Op just taken or resumed
        self.ovf_count = collections.Counter()  # ring instance -> CQEs there
        self.next_flow = 1
        self.now = 0         # the current record's time, ns

    def run(self):
        """Every record, in time order (what the summary needs)."""
        for rec in time_order(self.stream.records):
            try:
                self.record(rec)
            except (ValueError, KeyError, IndexError, OverflowError) as e:
                self.problems.append(f"hart {rec.hart} record {rec.seq} "
                                     f"({rec.name}) makes no sense: {e}")
        return self

    def record(self, rec):
        """Take one record (in time order) into account; returns what it was
        about (None for records that are about no request)."""
        self.now = self.stream.ns(rec.ts)
        self.sq_i, self.cq_i = self.index.get((rec.hart, rec.seq), (None, None))
        handler = getattr(self, "on_" + rec.name.lower(), None)
        return handler(rec.f) if handler else None

    def inst(self, ring):
        """The ring's current instance (a ring id is reused once freed)."""
        if ring not in self.instances:
            self.rings_seen += 1
            self.instances[ring] = self.rings_seen
        return self.instances[ring]

    # rings ----------------------------------------------------------------
    def on_ring_setup(self, f):
        """-> the new ring instance"""
        self.ring_of[(f.pid, f.fd)] = f.ring
        self.instances.pop(f.ring, None)  # a ring id used again
        return self.inst(f.ring)

    def on_ring_free(self, f):
        """-> (its instance, the requests it held parked)"""
        inst = self.inst(f.ring)
        parked = []
        for key, op in list(self.slot.items()):
            if key[0] == f.ring:
                parked.append(op)
                del self.slot[key]
        # what is still owed dies with the ring
        self.submitted.pop(inst, None)
        self.posted.pop(inst, None)
        for table in (self.in_flight, self.overflowed):
            for key in [k for k in table if k[0] == inst]:
                del table[key]
        self.ovf_count.pop(inst, None)
        self.cur_op.pop(inst, None)
        self.instances.pop(f.ring, None)
        return inst, parked

    # libuser's batches ----------------------------------------------------
    def user_batch(self, f):
        """A USER_SUBMIT or USER_REAP: its process, ring (None if unknown),
        and the ring indexes of the batch (low 16 bits; a batch holds at
        most a CQ's worth: a larger count comes from a damaged area)."""
        ring = self.ring_of.get((f.pid, f.ring_fd))
        n = min(f.count, MAX_BATCH)
        return ring, [(f.first + i) & INDEX_MASK for i in range(n)]

    def on_user_submit(self, f):
        """-> Batch; its flows and uds are filled in as the IO core takes
        its SQEs (a request never taken has no flow)"""
        ring, indexes = self.user_batch(f)
        flows, uds = [], []
        for i in indexes if ring is not None else ():
            op = Op(None)
            op.submit, op.batch = self.now, (flows, uds)
            self.submitted[self.inst(ring)][i] = op
        return Batch(f.pid, ring, indexes, [], flows, uds)

    def on_user_reap(self, f):
        """-> Batch with the requests whose CQEs were reaped"""
        ring, indexes = self.user_batch(f)
        ops = []
        if ring is not None:
            posted = self.posted[self.inst(ring)]
            ops = [op for op in (posted.pop(i, None) for i in indexes) if op]
        for op in ops:
            op.reap = self.now
        return Batch(f.pid, ring, indexes, ops, None, None)

    # the IO core ----------------------------------------------------------
    def take(self, ring, opcode, ud):
        """The IO core took a request: the one submitted at that SQ index,
        or a new one (submitted without libuser's records, or records
        lost)."""
        inst = self.inst(ring)
        op = None
        if self.sq_i is not None:
            op = self.submitted[inst].pop(self.sq_i, None)
        submitted = op is not None
        if submitted:
            op.batch[0].append(self.next_flow)
            op.batch[1].append(ud)
        else:
            op = Op(ud)
        op.flow = self.next_flow
        self.next_flow += 1
        self.ops.append(op)
        op.ud, op.opcode = ud, opcode
        op.where = (inst, 0)
        self.in_flight[(inst, ud)].append(op)
        self.cur_op[inst] = op
        return Take(op, submitted)

    def on_sqe_taken(self, f):
        """-> Take"""
        return self.take(f.ring, f.opcode, f.user_data)

    def on_op_done(self, f):
        """-> (Take, Post): taken, and posted straight to the CQ"""
        t = self.take(f.ring, f.opcode, f.user_data)
        # posted straight to the CQ: so the overflow list was empty
        self.ovf_count.pop(self.inst(f.ring), None)
        return t, self.post(f.ring, t.op, f.result, False)

    def in_hand(self, ring, ud):
        """The request the IO core is working on in this ring: the one just
        taken or resumed, if it has this user_data; else the oldest in
        flight with it."""
        inst = self.inst(ring)
        op = self.cur_op.get(inst)
        if op is not None and op.ud == ud and op.completed is None:
            return op
        q = self.in_flight[(inst, ud)]
        return q[0] if q else None

    def post(self, ring, op, res, overflow):
        """op completed with res; its CQE went to the CQ or overflowed."""
        inst = self.inst(ring)
        try:
            self.in_flight[(inst, op.ud)].remove(op)
        except ValueError:
            pass
        op.completed = self.now
        for key, o in list(self.slot.items()):
            if o is op:
                del self.slot[key]
        if overflow:
            self.ovf_count[inst] += 1
            self.overflowed[(inst, op.ud)].append(op)
        else:
            self.posted_to_cq(ring, op)
        return Post(op, res, overflow)

    def posted_to_cq(self, ring, op):
        if op is not None:
            op.posted = self.now
        if self.cq_i is not None:
            self.posted[self.inst(ring)][self.cq_i] = op

    def on_cqe_posted(self, f):
        """-> Post (a request's completion; op None if unknown), or Flush
        (a CQE moved from the overflow list to the CQ; op None if
        unknown)"""
        inst = self.inst(f.ring)
        if self.ovf_count[inst]:
            # the kernel posts directly only with an empty overflow list:
            # this one comes from it
            self.ovf_count[inst] -= 1
            q = self.overflowed[(inst, f.user_data)]
            op = q.popleft() if q else None
            self.posted_to_cq(f.ring, op)
            return Flush(op, f.result)
        op = self.in_hand(f.ring, f.user_data)
        if op is not None:
            return self.post(f.ring, op, f.result, False)
        self.posted_to_cq(f.ring, None)
        return Post(None, f.result, False)

    def on_cq_overflow(self, f):
        """-> Post, or None if the request is unknown"""
        op = self.in_hand(f.ring, f.user_data)
        if op is not None:
            return self.post(f.ring, op, f.result, True)
        self.ovf_count[self.inst(f.ring)] += 1
        return None

    def on_coro_park(self, f):
        """-> Park (moved: it leaves the poller for a coroutine of its own),
        or None if the request is unknown"""
        key = (f.ring, f.coro)
        op = self.slot.get(key)
        if op is None or op.ud != f.user_data:
            op = self.in_hand(f.ring, f.user_data)
        if op is None:
            return None
        where = (self.inst(f.ring), f.coro)
        moved = op.where != where
        if moved:
            self.slot[key] = op
            op.where = where
        return Park(op, moved)

    def on_coro_resume(self, f):
        """-> the request resumed, or None"""
        op = self.slot.get((f.ring, f.coro))
        if op is None or op.ud != f.user_data:
            return None
        self.cur_op[self.inst(f.ring)] = op
        return op
