/*
 * IORING_OP_TIMEOUT: addr -> struct __kernel_timespec (relative, or
 * absolute CLOCK_MONOTONIC with IORING_TIMEOUT_ABS), len 1, off = a
 * completion count (0: none).  Completes with -ETIME when the time passes,
 * or 0 once off other completions have been posted on the ring.  As Linux:
 * the timespec is copied in at prep, once; the clock and the count start
 * at issue (a timeout linked behind another request starts when that one
 * is done).  The request parks as REQ_TIMER; submit.c's run_timers
 * completes it.  IO core.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "mm/vm.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

long timeout_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct proc *p = r->owner;
	struct abi_timespec ts;
	long err;

	if (sqe->len != 1 || (sqe->timeout_flags & ~IORING_TIMEOUT_ABS))
		return -EINVAL;
	spin_lock(&p->mm->mm_lock);
	err = copyin(p->mm->pagetable, &ts, sqe->addr, sizeof(ts));
	spin_unlock(&p->mm->mm_lock);
	if (err)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	/* in ticks, until issue makes it a deadline; no overflow: beyond ~30
	 * years is forever enough */
	req->deadline = MIN((uint64_t)ts.tv_sec, 1UL << 30) * timebase_hz +
			ts.tv_nsec * timebase_hz / 1000000000;
	return 0;
}

long timeout_issue(struct ring *r, struct ring_req *req)
{
	if (!(req->sqe.timeout_flags & IORING_TIMEOUT_ABS))
		req->deadline += rdtime();
	req->count_target = req->sqe.off ? r->cqes_posted + req->sqe.off : 0;
	req->state = REQ_TIMER;
	return RING_PARKED;
}
