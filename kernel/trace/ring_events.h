/*
 * The trace points of the rings and of the IO core's executor: one wrapper
 * per event, taking the ring and the request (include/uapi/trace.h
 * declares the events and fields; the conventions, trace_EVENT testing
 * trace_on and __trace_EVENT not, are trace/events.h's).  The executor
 * calls them on its hot path: off, each is a load and a branch (or a test
 * of a mark's valid flag, set only while tracing); the packing and the
 * rare cases are out of line.
 *
 * struct trace_mark holds where a ring's poll pass or an executor pass
 * began (time, this hart's next seq number, the ring's SQ head and CQ
 * tail), for the RING_POLL or EXEC_BUSY written at its end, which the
 * decoder needs to place the pass and to know which request each record
 * in it is about.  The rare or long parts are out of line, in
 * trace/ring_events.c.
 *
 * Locking: none; the IO core's records go to its own buffer, a mark is the
 * IO core's (RING_SETUP is written by the normal core, to its buffer).
 */
#ifndef KERNEL_TRACE_RING_EVENTS_H
#define KERNEL_TRACE_RING_EVENTS_H

#include "core/param.h"
#include "ring/ring.h"
#include "trace/events.h"

/* the fields that hold ring ids, slots and opcodes are wide enough */
_Static_assert(NRING - 1 <= TRACE_MAX(OP_DONE, ring) &&
		       NRING - 1 <= TRACE_MAX(RING_POLL, ring) &&
		       NRING - 1 <= TRACE_MAX(CORO_PARK, ring) &&
		       NRING - 1 <= TRACE_MAX(CORO_RESUME, ring),
	       "a ring id fits the trace's ring fields");
_Static_assert(RING_REQS <= TRACE_MAX(CORO_PARK, coro) &&
		       RING_REQS <= TRACE_MAX(CORO_RESUME, coro),
	       "slot + 1 fits CORO_PARK's and CORO_RESUME's coro");
_Static_assert(sizeof(((struct io_uring_sqe *)0)->opcode) * 8 <=
		       TRACE_BITS(OP_DONE, opcode),
	       "an opcode fits OP_DONE's");
_Static_assert(REQ_TIMER == TRACE_PARK_TIMER &&
		       REQ_WAIT_LINK == TRACE_PARK_LINK &&
		       REQ_WAIT_DRAIN == TRACE_PARK_DRAIN,
	       "CORO_PARK's why is the request state");

struct trace_mark {
	uint64_t time, seq;
	uint32_t sq_head, cq_tail; /* a ring's, at the start of its pass */
	bool valid; /* tracing was on at the start (it may change meanwhile) */
	bool busy;  /* an executor pass's mark: the last traced pass worked */
};

/* the out-of-line rest (trace/ring_events.c) */
void __trace_op_done(const struct ring *r, const struct ring_req *q, long res,
		     bool in_cq);
void __trace_ring_poll(const struct ring *r, struct trace_mark *m,
		       bool worked);
void __trace_exec_pass(struct trace_mark *m, bool worked);

/* normal core: r was set up as pid's file descriptor fd */
static inline void trace_ring_setup(const struct ring *r, int pid, int fd)
{
	if (unlikely(trace_on))
		TRACE_RECORD(RING_SETUP, .pid = pid, .fd = fd, .ring = r->id);
}

static inline void trace_ring_free(const struct ring *r)
{
	if (unlikely(trace_on))
		TRACE_RECORD(RING_FREE, .ring = r->id);
}

/* q was taken from r's SQ (at q->taken; 0: before tracing came on) */
static inline void trace_ring_take(const struct ring *r,
				   const struct ring_req *q)
{
	if (unlikely(trace_on))
		TRACE_RECORD_AT(SQE_TAKEN, q->taken ? q->taken : rdtime(),
				.ring = r->id, .opcode = q->sqe.opcode,
				.user_data = q->sqe.user_data);
}

/* a request completed with res; its CQE went to the CQ (in_cq) or to the
 * overflow list */
static inline void trace_ring_post(const struct ring *r, uint64_t user_data,
				   long res, bool in_cq)
{
	if (unlikely(!trace_on))
		return;
	if (in_cq)
		TRACE_RECORD(CQE_POSTED, .ring = r->id, .result = res,
			     .user_data = user_data);
	else
		TRACE_RECORD(CQ_OVERFLOW, .ring = r->id, .result = res,
			     .user_data = user_data);
}

/*
 * q, just taken, completed with res at once.  One OP_DONE record says it
 * was taken, issued and posted, if its CQE went to the CQ and it took no
 * longer than OP_DONE's ticks field holds; otherwise SQE_TAKEN and
 * CQE_POSTED or CQ_OVERFLOW.
 */
static inline void trace_op_done(const struct ring *r,
				 const struct ring_req *q, long res, bool in_cq)
{
	if (unlikely(trace_on))
		__trace_op_done(r, q, res, in_cq);
}

/* q (in r's pool) waits, for the reason its state says */
static inline void trace_coro_park(const struct ring *r,
				   const struct ring_req *q)
{
	if (unlikely(trace_on))
		TRACE_RECORD(CORO_PARK, .ring = r->id, .coro = q - r->reqs + 1,
			     .why = q->state, .user_data = q->sqe.user_data);
}

static inline void trace_coro_resume(const struct ring *r,
				     const struct ring_req *q)
{
	if (unlikely(trace_on))
		TRACE_RECORD(CORO_RESUME, .ring = r->id,
			     .coro = q - r->reqs + 1,
			     .user_data = q->sqe.user_data);
}

static inline void __trace_mark(struct trace_mark *m, const struct ring *r)
{
	m->time = rdtime();
	m->seq = trace_seq();
	if (r) {
		m->sq_head = r->sq_head_k;
		m->cq_tail = r->cq_tail_k;
	}
	m->valid = true;
}

/* the start of r's poll pass */
static inline void trace_ring_poll_start(struct trace_mark *m,
					 const struct ring *r)
{
	if (unlikely(trace_on))
		__trace_mark(m, r);
}

/* the end of r's poll pass (m: its start), which did work or not */
static inline void trace_ring_poll(const struct ring *r, struct trace_mark *m,
				   bool worked)
{
	if (unlikely(m->valid))
		__trace_ring_poll(r, m, worked);
}

/* the start of an executor pass over the rings */
static inline void trace_exec_pass_start(struct trace_mark *m)
{
	if (unlikely(trace_on))
		__trace_mark(m, NULL);
}

/* the end of an executor pass (m: its start) */
static inline void trace_exec_pass(struct trace_mark *m, bool worked)
{
	if (unlikely(m->valid))
		__trace_exec_pass(m, worked);
}

/* the IO core goes to sleep with nrings flagged IORING_SQ_NEED_WAKEUP */
static inline void trace_io_sleep(int nrings, uint64_t deadline)
{
	if (unlikely(trace_on))
		TRACE_RECORD(IO_SLEEP, .need_wakeup = nrings,
			     .deadline = deadline);
}

/* and wakes, sip saying why */
static inline void trace_io_wake(uint64_t sip)
{
	if (unlikely(trace_on))
		TRACE_RECORD(IO_WAKE, .sip = sip);
}

#endif
