/*
 * Completion posting's slow parts (cqe.h has the fast path and the
 * contract): draining the overflow list, and publishing the CQ tail with
 * the wakeup of a waiting process and the signal of a registered eventfd.
 * IO core only.
 */
#include "core/spinlock.h"
#include "core/types.h"
#include "fs/fs.h"
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

/*
 * Signal the ring's registered eventfd, if there is one, for the CQEs
 * posted since the last time (IORING_REGISTER_EVENTFD_ASYNC: only if one
 * of them is of a request that waited), unless the user set
 * IORING_CQ_EVENTFD_DISABLED; as Linux's io_eventfd_signal, once per
 * publication.
 */
static void signal_eventfd(struct ring *r)
{
	if (likely(!READ_ONCE(r->evfd)) || r->evfd_tail == r->cq_tail_k)
		return;
	r->evfd_tail = r->cq_tail_k;
	spin_lock(&r->buf_lock);
	if (r->evfd && (!r->evfd_async || r->evfd_due) &&
	    !(READ_ONCE(r->ra->cq_flags) & IORING_CQ_EVENTFD_DISABLED))
		eventfd_signal(r->evfd, 1);
	r->evfd_due = false;
	spin_unlock(&r->buf_lock);
}

/* Publish the CQ tail and wake a waiter if there is one. */
void publish_cq(struct ring *r)
{
	/* release: the CQEs before the tail; pairs with the acquire load of
	 * the CQ tail in io_uring_peek_cqe / cq_ready() */
	__atomic_store_n(r->cq_tail, r->cq_tail_k, __ATOMIC_RELEASE);
	signal_eventfd(r); /* after the tail: a reader finds the CQEs */
	/* full barrier: pairs with the one in sys_io_uring_enter between the
	 * cq_waiting store and the CQ tail load */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->cq_waiting, __ATOMIC_RELAXED)) {
		__atomic_store_n(&r->cq_waiting, 0, __ATOMIC_RELAXED);
		iocore_notify_normal();
	}
}
