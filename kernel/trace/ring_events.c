/*
 * The out-of-line parts of the ring and IO-core trace points
 * (trace/ring_events.h has the wrappers and says when each is written):
 * what runs only when tracing is on and would make the executor's hot
 * path longer if it were inline.  Locking: none, IO core only.
 */
#include "trace/ring_events.h"

void __trace_op_done(const struct ring *r, const struct ring_req *q, long res,
		     bool in_cq)
{
	uint64_t now = rdtime(), took = now - q->taken;

	if (likely(in_cq && q->taken && took <= TRACE_MAX(OP_DONE, ticks))) {
		TRACE_PUT(OP_DONE, now, .ring = r->id, .opcode = q->sqe.opcode,
			  .ticks = took, .result = res,
			  .user_data = q->sqe.user_data);
	} else {
		trace_ring_take(r, q);
		trace_ring_post(r, q->sqe.user_data, res, in_cq);
	}
}

void __trace_ring_poll(const struct ring *r, struct trace_mark *m,
		       bool worked)
{
	uint64_t now = rdtime();

	if (worked)
		TRACE_PUT(RING_POLL, now, .ring = r->id,
			  .taken = MIN(r->sq_head_k - m->sq_head,
				       TRACE_MAX(RING_POLL, taken)),
			  .since_seq = m->seq,
			  .ticks = MIN(now - m->time, TRACE_MAX(RING_POLL, ticks)),
			  .sq_head = m->sq_head, .cq_tail = m->cq_tail);
	m->valid = false;
}

void __trace_exec_pass(struct trace_mark *m, bool worked)
{
	/* EXEC_BUSY from the start of the first pass with work */
	if (worked && !m->busy)
		TRACE_RECORD(EXEC_BUSY, .since = m->time, .since_seq = m->seq);
	else if (!worked && m->busy)
		TRACE_RECORD(EXEC_IDLE);
	m->busy = worked;
	m->valid = false;
}
