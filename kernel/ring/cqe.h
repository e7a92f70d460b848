/*
 * Completion posting (IO core): a CQE goes to the CQ, or, while the CQ is
 * full, to the ring's overflow list (kernel memory in the ring's window),
 * from which flush_overflow (cqe.c) moves it as the user frees room.  No
 * completion is ever dropped: the submission side takes an SQE only when
 * ring_has_room() says every completion it owes will fit.  The CQ tail is
 * private (cq_tail_k) until publish_cq() stores it.  The fast path is
 * inline here because it runs once per request; IO core only, no locks
 * (the ordering contract with the user is at the top of ring.c).
 */
#ifndef KERNEL_RING_CQE_H
#define KERNEL_RING_CQE_H

#include "ring/ring.h"

/*
 * Room for one more operation?  Every completion still owed (the CQEs in
 * the CQ and the overflow list, and one per parked request) must fit in the
 * CQ plus the overflow list, and a request record must be free
 * (ring_has_room).  ring_has_cqe_room: room for one more CQE only (a
 * multishot request's, which keeps its own owed one).
 */
static inline bool ring_has_cqe_room(struct ring *r)
{
	/* acquire: pairs with the user's release store of the CQ head */
	uint32_t head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
	uint64_t owed = (r->cq_tail_k - head) + (r->ovf_tail - r->ovf_head) +
			r->nparked;

	/* and the overflow list alone must hold all that is owed beyond the
	 * CQEs already in it: the user may free CQ room at any time, but
	 * post_cqe keeps appending to a non-empty list */
	return owed < r->cq_entries + r->ovf_cap &&
	       (r->ovf_tail - r->ovf_head) + r->nparked < r->ovf_cap;
}

static inline bool ring_has_room(struct ring *r)
{
	return ring_has_cqe_room(r) && r->nparked < RING_REQS;
}

/* Post one CQE, to the CQ or, if it is full, to the overflow list (false). */
static inline bool post_cqe(struct ring *r, uint64_t user_data, int32_t res,
			    uint32_t flags)
{
	struct io_uring_cqe cqe = {user_data, res, flags};
	/* acquire: pairs with the user's release store of the CQ head */
	uint32_t head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);

	r->cqes_posted++;
	if (r->ovf_head == r->ovf_tail && r->cq_tail_k - head < r->cq_entries) {
		r->cqes[r->cq_tail_k & (r->cq_entries - 1)] = cqe;
		r->cq_tail_k++;
		return true;
	}
	/* ring_has_room() guaranteed room here before the SQE was taken */
	r->ovf[r->ovf_tail++ % r->ovf_cap] = cqe;
	__atomic_or_fetch(r->sq_flags, IORING_SQ_CQ_OVERFLOW, __ATOMIC_RELAXED);
	return false;
}

bool flush_overflow_slow(struct ring *r);

/* Move overflowed CQEs into the CQ as the user frees room; any moved? */
static inline bool flush_overflow(struct ring *r)
{
	if (likely(r->ovf_head == r->ovf_tail))
		return false;
	return flush_overflow_slow(r);
}

void publish_cq(struct ring *r);

#endif
