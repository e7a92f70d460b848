/*
 * The ring's trace events, packed (ring_trace.h has the wrappers the
 * executor calls; include/uapi/trace.h the record layouts).  IO core only.
 */
#include "ring/ring_trace.h"

struct trace_start ring_poll_start, exec_pass_start;

_Static_assert(REQ_TIMER == TRACE_PARK_TIMER &&
		       REQ_WAIT_LINK == TRACE_PARK_LINK &&
		       REQ_WAIT_DRAIN == TRACE_PARK_DRAIN,
	       "CORO_PARK's why is the request state");

/* A parked request's coroutine id in the trace (uapi/trace.h) */
static uint64_t coro_id(const struct ring *r, const struct ring_req *q)
{
	return (uint64_t)r->id << 8 | (q - r->reqs + 1);
}

void __trace_ring_take(const struct ring *r, const struct ring_req *q)
{
	/* taken 0: tracing came on after it was taken */
	trace_put(TR_SQE_TAKEN, q->taken ? q->taken : rdtime(),
		  (uint64_t)q->sqe.opcode << 32 | r->id, q->sqe.user_data);
}

void __trace_ring_post(const struct ring *r, uint64_t user_data, long res,
		       bool in_cq)
{
	trace_put(in_cq ? TR_CQE_POSTED : TR_CQ_OVERFLOW, rdtime(),
		  (uint64_t)res << 32 | r->id, user_data);
}

/*
 * One OP_DONE record says the request was taken, issued and posted, if its
 * CQE went to the CQ and it took under 2^16 ticks; otherwise SQE_TAKEN and
 * CQE_POSTED or CQ_OVERFLOW.
 */
void __trace_ring_done(const struct ring *r, const struct ring_req *q,
		       long res, bool in_cq)
{
	uint64_t now = rdtime(), took = now - q->taken;

	if (likely(in_cq && q->taken && took <= 0xffff)) {
		trace_put(TR_OP_DONE, now,
			  (uint64_t)res << 32 | took << 16 |
				  (uint64_t)q->sqe.opcode << 8 | r->id,
			  q->sqe.user_data);
	} else {
		__trace_ring_take(r, q);
		__trace_ring_post(r, q->sqe.user_data, res, in_cq);
	}
}

void __trace_coro_park(const struct ring *r, const struct ring_req *q)
{
	trace_put(TR_CORO_PARK, rdtime(),
		  (uint64_t)q->state << 32 | coro_id(r, q), q->sqe.user_data);
}

void __trace_coro_resume(const struct ring *r, const struct ring_req *q)
{
	trace_put(TR_CORO_RESUME, rdtime(), coro_id(r, q), q->sqe.user_data);
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
	uint64_t taken = MIN(r->sq_head_k - s->sq_head, 0xffffffU);
	uint64_t ticks = MIN(now - s->time, 0xffffffffU);

	if (worked)
		trace_put(TR_RING_POLL, now,
			  s->seq << 32 | taken << 8 | r->id,
			  (uint64_t)(s->cq_tail & 0xffff) << 48 |
				  (uint64_t)(s->sq_head & 0xffff) << 32 |
				  ticks);
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
		trace_put(TR_EXEC_BUSY, rdtime(), exec_pass_start.time,
			  exec_pass_start.seq);
	else if (!worked && exec_pass_start.busy)
		trace_put(TR_EXEC_IDLE, rdtime(), 0, 0);
	exec_pass_start.busy = worked;
	exec_pass_start.valid = false;
}
