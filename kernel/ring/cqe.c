/*
 * Completion posting's slow parts (cqe.h has the fast path and the
 * contract): draining the overflow list, and publishing the CQ tail with
 * the wakeup of a waiting process.  IO core only.
 */
#include "ring/cqe.h"
#include "ring/iocore.h"
#include "ring/ring.h"
#include "ring/ring_trace.h"
#include "uapi/io_uring.h"

bool flush_overflow_slow(struct ring *r)
{
	bool moved = false;

	while (r->ovf_head != r->ovf_tail) {
		/* acquire: pairs with the user's release store of the CQ head
		 */
		uint32_t head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
		struct io_uring_cqe *cqe = &r->ovf[r->ovf_head % r->ovf_cap];

		if (r->cq_tail_k - head >= r->cq_entries)
			break;
		trace_ring_post(r, cqe->user_data, cqe->res, true);
		r->cqes[r->cq_tail_k & (r->cq_entries - 1)] = *cqe;
		r->ovf_head++;
		r->cq_tail_k++;
		moved = true;
	}
	/* the flag is set by post_cqe only when it appends to the list */
	if (r->ovf_head == r->ovf_tail)
		__atomic_and_fetch(r->sq_flags, ~IORING_SQ_CQ_OVERFLOW,
				   __ATOMIC_RELAXED);
	return moved;
}

/* Publish the CQ tail and wake a waiter if there is one. */
void publish_cq(struct ring *r)
{
	/* release: the CQEs before the tail; pairs with the acquire load of
	 * the CQ tail in io_uring_peek_cqe / cq_ready() */
	__atomic_store_n(r->cq_tail, r->cq_tail_k, __ATOMIC_RELEASE);
	/* full barrier: pairs with the one in sys_io_uring_enter between the
	 * cq_waiting store and the CQ tail load */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->cq_waiting, __ATOMIC_RELAXED)) {
		__atomic_store_n(&r->cq_waiting, 0, __ATOMIC_RELAXED);
		iocore_notify_normal();
	}
}
