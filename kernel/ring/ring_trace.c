/*
 * The ring's trace events, packed by the packers generated from their
 * fields in include/uapi/trace.h (ring_trace.h has the wrappers the
 * executor calls).  IO core only.
 */
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/types.h"
#include "ring/ring.h"
#include "ring/ring_trace.h"
#include "trace/events.h"
#include "trace/trace.h"
#include "uapi/trace.h"

struct trace_start ring_poll_start, exec_pass_start;

_Static_assert(REQ_TIMER == TRACE_PARK_TIMER &&
		       REQ_WAIT_LINK == TRACE_PARK_LINK &&
		       REQ_WAIT_DRAIN == TRACE_PARK_DRAIN,
	       "CORO_PARK's why is the request state");

/*
 * A ring's id and a parked request's coroutine (slot + 1) in the trace
 * (uapi/trace.h), with what is known of them said to the compiler -- r is
 * rings[id], q one of r->reqs -- so that the packing need not mask them
 * into their fields (ring_trace.h checks that the fields are wide enough).
 */
static uint32_t ring_id(const struct ring *r)
{
	if ((uint32_t)r->id >= NRING)
		__builtin_unreachable();
	return r->id;
}

static uint32_t coro(const struct ring *r, const struct ring_req *q)
{
	uint32_t slot = q - r->reqs;

	if (slot >= RING_REQS)
		__builtin_unreachable();
	return slot + 1;
}

void __trace_ring_take(const struct ring *r, const struct ring_req *q)
{
	/* taken 0: tracing came on after it was taken */
	TRACE_PUT(SQE_TAKEN, q->taken ? q->taken : rdtime(), .ring = ring_id(r),
		  .opcode = q->sqe.opcode, .user_data = q->sqe.user_data);
}

_Static_assert(sizeof(struct trace_bits_CQE_POSTED) ==
			       sizeof(struct trace_bits_CQ_OVERFLOW) &&
		       TRACE_SAME_FIELD(CQE_POSTED, CQ_OVERFLOW, ring) &&
		       TRACE_SAME_FIELD(CQE_POSTED, CQ_OVERFLOW, result) &&
		       TRACE_SAME_FIELD(CQE_POSTED, CQ_OVERFLOW, user_data),
	       "CQE_POSTED and CQ_OVERFLOW have one layout");

void __trace_ring_post(const struct ring *r, uint64_t user_data, long res,
		       bool in_cq)
{
	struct trace_words w =
		TRACE_ARGS(CQE_POSTED, .ring = ring_id(r), .result = res,
			   .user_data = user_data);

	trace_put(in_cq ? TR_CQE_POSTED : TR_CQ_OVERFLOW, rdtime(), w.a0, w.a1);
}

/*
 * One OP_DONE record says the request was taken, issued and posted, if its
 * CQE went to the CQ and it took no longer than OP_DONE's ticks field holds
 * (2^16 - 1); otherwise SQE_TAKEN and CQE_POSTED or CQ_OVERFLOW.
 */
static void __attribute__((noinline))
trace_ring_done_apart(const struct ring *r, const struct ring_req *q, long res,
		      bool in_cq)
{
	__trace_ring_take(r, q);
	__trace_ring_post(r, q->sqe.user_data, res, in_cq);
}

void __trace_ring_done(const struct ring *r, const struct ring_req *q, long res,
		       bool in_cq)
{
	uint64_t now = rdtime(), took = now - q->taken;

	if (likely(in_cq && q->taken && took <= TRACE_MAX(OP_DONE, ticks)))
		TRACE_PUT(OP_DONE, now, .ring = ring_id(r),
			  .opcode = q->sqe.opcode, .ticks = took, .result = res,
			  .user_data = q->sqe.user_data);
	else
		trace_ring_done_apart(r, q, res, in_cq);
}

void __trace_coro_park(const struct ring *r, const struct ring_req *q)
{
	TRACE_PUT(CORO_PARK, rdtime(), .ring = ring_id(r), .coro = coro(r, q),
		  .why = q->state, .user_data = q->sqe.user_data);
}

void __trace_coro_resume(const struct ring *r, const struct ring_req *q)
{
	TRACE_PUT(CORO_RESUME, rdtime(), .ring = ring_id(r), .coro = coro(r, q),
		  .user_data = q->sqe.user_data);
}

static void mark_start(struct trace_start *t)
{
	t->time = rdtime();
	t->seq = trace_seq();
	t->valid = true;
}

void __trace_ring_poll_begin(const struct ring *r)
{
	mark_start(&ring_poll_start);
	ring_poll_start.sq_head = r->sq_head_k;
	ring_poll_start.cq_tail = r->cq_tail_k;
}

/* the end of a ring's turn: what the decoder needs to know which requests
 * its records are about (include/uapi/trace.h) */
void __trace_ring_poll_end(const struct ring *r, bool worked)
{
	const struct trace_start *s = &ring_poll_start;
	uint64_t now = rdtime();

	/* the SQ head and CQ tail: their low 16 bits, as uapi/trace.h says */
	if (worked)
		TRACE_PUT(RING_POLL, now, .ring = ring_id(r),
			  .taken = MIN(r->sq_head_k - s->sq_head,
				       TRACE_MAX(RING_POLL, taken)),
			  .since_seq = s->seq,
			  .ticks = MIN(now - s->time,
				       TRACE_MAX(RING_POLL, ticks)),
			  .sq_head = s->sq_head, .cq_tail = s->cq_tail);
	ring_poll_start.valid = false;
}

void __trace_exec_pass_begin(void)
{
	mark_start(&exec_pass_start);
}

void __trace_exec_pass_end(bool worked)
{
	/* EXEC_BUSY from the start of the first pass with work */
	if (worked && !exec_pass_start.busy)
		TRACE_PUT(EXEC_BUSY, rdtime(), .since = exec_pass_start.time,
			  .since_seq = exec_pass_start.seq);
	else if (!worked && exec_pass_start.busy)
		TRACE_PUT(EXEC_IDLE, rdtime());
	exec_pass_start.busy = worked;
	exec_pass_start.valid = false;
}
