/*
 * The ring's trace events (IO core, and RING_SETUP from the normal core),
 * one wrapper per event: each tests trace_on inline, so that a call site
 * costs the executor a load and a branch when tracing is off, and packs its
 * own fields out of line (ring_trace.c) when it is on, with the packers
 * generated from the fields declared in include/uapi/trace.h (which also
 * says what each record means; trace/events.h has the normal core's
 * events).  IO core only, so the pass-start state is plain statics.
 */
#ifndef KERNEL_RING_RING_TRACE_H
#define KERNEL_RING_RING_TRACE_H

#include "ring/ring.h"
#include "core/param.h"
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

/*
 * Where an executor pass or a ring's turn started -- the time, the seq
 * number of this hart's next record, the ring's SQ head and CQ tail -- for
 * the EXEC_BUSY or RING_POLL written at its end.
 */
struct trace_start {
	uint64_t time, seq;
	uint32_t sq_head, cq_tail; /* RING_POLL's: the ring's, at the start */
	bool valid; /* tracing was on at the start (it may change meanwhile) */
	bool busy;  /* exec_pass_start's: the last traced pass did work */
};
extern struct trace_start ring_poll_start, exec_pass_start;

void __trace_ring_take(const struct ring *r, const struct ring_req *q);
void __trace_ring_post(const struct ring *r, uint64_t user_data, long res,
		       bool in_cq);
void __trace_ring_done(const struct ring *r, const struct ring_req *q, long res,
		       bool in_cq);
void __trace_coro_park(const struct ring *r, const struct ring_req *q);
void __trace_coro_resume(const struct ring *r, const struct ring_req *q);
void __trace_ring_poll_begin(const struct ring *r);
void __trace_ring_poll_end(const struct ring *r, bool worked);
void __trace_exec_pass_begin(void);
void __trace_exec_pass_end(bool worked);

/* RING_SETUP (normal core): r was set up as pid's file descriptor fd */
static inline void trace_ring_setup(const struct ring *r, int pid, int fd)
{
	if (unlikely(trace_on))
		TRACE_RECORD(RING_SETUP, .pid = pid, .fd = fd, .ring = r->id);
}

/* RING_FREE: the IO core let go of r */
static inline void trace_ring_free(const struct ring *r)
{
	if (unlikely(trace_on))
		TRACE_RECORD(RING_FREE, .ring = r->id);
}

/* SQE_TAKEN: the request was taken (when: q->taken) and did not finish. */
static inline void trace_ring_take(const struct ring *r,
				   const struct ring_req *q)
{
	if (unlikely(trace_on))
		__trace_ring_take(r, q);
}

/* CQE_POSTED or CQ_OVERFLOW: a parked request's CQE went to the CQ (in_cq)
 * or to the overflow list; or an overflowed CQE moved to the CQ. */
static inline void trace_ring_post(const struct ring *r, uint64_t user_data,
				   long res, bool in_cq)
{
	if (unlikely(trace_on))
		__trace_ring_post(r, user_data, res, in_cq);
}

/* A request just taken completed: OP_DONE, or SQE_TAKEN and a post. */
static inline void trace_ring_done(const struct ring *r,
				   const struct ring_req *q, long res,
				   bool in_cq)
{
	if (unlikely(trace_on))
		__trace_ring_done(r, q, res, in_cq);
}

/* CORO_PARK: a request waits (why: its state) */
static inline void trace_coro_park(const struct ring *r,
				   const struct ring_req *q)
{
	if (unlikely(trace_on))
		__trace_coro_park(r, q);
}

/* CORO_RESUME: a parked request's event came */
static inline void trace_coro_resume(const struct ring *r,
				     const struct ring_req *q)
{
	if (unlikely(trace_on))
		__trace_coro_resume(r, q);
}

/* RING_POLL, written at the end of a ring's turn that did work */
static inline void trace_ring_poll_begin(const struct ring *r)
{
	if (unlikely(trace_on))
		__trace_ring_poll_begin(r);
}

static inline void trace_ring_poll_end(const struct ring *r, bool worked)
{
	if (unlikely(ring_poll_start.valid))
		__trace_ring_poll_end(r, worked);
}

/* EXEC_BUSY when passes start finding work, EXEC_IDLE when they stop */
static inline void trace_exec_pass_begin(void)
{
	if (unlikely(trace_on))
		__trace_exec_pass_begin();
	else
		exec_pass_start.busy = false; /* paused: afresh on resume */
}

static inline void trace_exec_pass_end(bool worked)
{
	if (unlikely(exec_pass_start.valid))
		__trace_exec_pass_end(worked);
}

/* IO_SLEEP: the IO core waits, with nrings flagged IORING_SQ_NEED_WAKEUP */
static inline void trace_io_sleep(int nrings, uint64_t deadline)
{
	if (unlikely(trace_on))
		TRACE_RECORD(IO_SLEEP, .need_wakeup = nrings,
			     .deadline = deadline);
}

/* IO_WAKE: and woke, sip saying why */
static inline void trace_io_wake(uint64_t sip)
{
	if (unlikely(trace_on))
		TRACE_RECORD(IO_WAKE, .sip = sip);
}

#endif
