/*
 * IORING_OP_TIMEOUT: addr -> struct __kernel_timespec (relative, or
 * absolute CLOCK_MONOTONIC with IORING_TIMEOUT_ABS), len 1, off = a
 * completion count (0: none).  Completes with -ETIME when the time passes,
 * or 0 once off other completions have been posted on the ring (not
 * counting the CQEs of other timeouts: ring_timeout_seq, as Linux's
 * cached_cq_tail - cq_timeouts; each one that fires ends an enter's wait); IORING_TIMEOUT_ETIME_SUCCESS: its -ETIME
 * does not fail a link chain.  TIMEOUT_REMOVE cancels or updates one.  As Linux:
 * the timespec is copied in at prep, once; the clock and the count start
 * at issue (a timeout linked behind another request starts when that one
 * is done).  The request parks as REQ_TIMER; submit.c's run_timers
 * completes it.  IO core.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/syscall.h"
#include "core/types.h"
#include "mm/vm.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

/*
 * A struct __kernel_timespec from the owner's memory, in ticks (relative,
 * or a time since boot: every clock here counts from boot).
 */
static long timespec_in(struct proc *p, uint64_t uts, uint64_t *ticks)
{
	struct abi_timespec ts;
	long err;

	spin_lock(&p->mm->mm_lock);
	err = copyin(p->mm->pagetable, &ts, uts, sizeof(ts));
	spin_unlock(&p->mm->mm_lock);
	if (err)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*ticks = ns_to_ticks(ts.tv_sec, ts.tv_nsec);
	return 0;
}

long timeout_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct proc *p = r->owner;
	uint32_t flags = sqe->timeout_flags;

	if (sqe->buf_index || sqe->len != 1 || sqe->splice_fd_in)
		return -EINVAL;
	if (flags & ~(IORING_TIMEOUT_ABS | IORING_TIMEOUT_CLOCK_MASK |
		      IORING_TIMEOUT_ETIME_SUCCESS))
		return -EINVAL;
	if ((flags & IORING_TIMEOUT_CLOCK_MASK) == IORING_TIMEOUT_CLOCK_MASK)
		return -EINVAL; /* one clock at most */
	return timespec_in(p, sqe->addr, &req->deadline);
}

/*
 * IORING_OP_LINK_TIMEOUT: as TIMEOUT's SQE, without a count; submit.c's
 * take_link_timeout ties it to the request before it (it is never issued
 * on its own).
 */
long link_timeout_prep(struct ring *r, struct ring_req *req)
{
	if (req->sqe.off)
		return -EINVAL;
	return timeout_prep(r, req);
}

long link_timeout_issue(struct ring *r, struct ring_req *req)
{
	return -EINVAL; /* not reached: taken by take_link_timeout */
}

long timeout_issue(struct ring *r, struct ring_req *req)
{
	if (!(req->sqe.timeout_flags & IORING_TIMEOUT_ABS))
		req->deadline += rdtime();
	req->count_target =
		req->sqe.off ? ring_timeout_seq(r) + req->sqe.off : 0;
	req->state = REQ_TIMER;
	return RING_PARKED;
}

long timeout_remove_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	uint32_t flags = sqe->timeout_flags;

	if (sqe->buf_index || sqe->len || sqe->splice_fd_in)
		return -EINVAL;
	if (!(flags & IORING_TIMEOUT_UPDATE_MASK))
		return flags ? -EINVAL : 0; /* removal takes no flags */
	if ((flags & IORING_TIMEOUT_CLOCK_MASK) == IORING_TIMEOUT_CLOCK_MASK)
		return -EINVAL;
	if (flags & ~(IORING_TIMEOUT_UPDATE_MASK | IORING_TIMEOUT_ABS |
		      IORING_TIMEOUT_CLOCK_MASK))
		return -EINVAL;
	return timespec_in(r->owner, sqe->addr2, &req->deadline);
}

/*
 * TIMEOUT_REMOVE: addr is the user_data of a waiting TIMEOUT.  It is
 * cancelled (its CQE -ECANCELED), or with IORING_TIMEOUT_UPDATE given the
 * time at addr2 (relative, or absolute with IORING_TIMEOUT_ABS) from now
 * on.  0, or -ENOENT if there is no such timeout (always for
 * IORING_LINK_TIMEOUT_UPDATE: linked timeouts are not built).
 */
long timeout_remove_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct ring_req *q = NULL;

	for (int i = 0; r->nparked && i < RING_REQS; i++) {
		if (r->reqs[i].state == REQ_TIMER &&
		    r->reqs[i].sqe.opcode == IORING_OP_TIMEOUT &&
		    r->reqs[i].sqe.user_data == sqe->addr) {
			q = &r->reqs[i];
			break;
		}
	}
	if (!q || (sqe->timeout_flags & IORING_LINK_TIMEOUT_UPDATE))
		return -ENOENT;
	if (!(sqe->timeout_flags & IORING_TIMEOUT_UPDATE)) {
		ring_finish_parked(r, q, -ECANCELED);
		return 0;
	}
	q->deadline = req->deadline;
	if (!(sqe->timeout_flags & IORING_TIMEOUT_ABS))
		q->deadline += rdtime();
	return 0;
}
