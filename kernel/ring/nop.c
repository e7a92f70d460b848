/*
 * IORING_OP_NOP: completes at once with 0.  The cheapest request, so it is
 * what the ring benchmarks measure the executor with.  IO core; no locks.
 */
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/errno.h"

long nop_prep(struct ring *r, struct ring_req *req)
{
	/* liburing's prep_nop sets fd -1; Linux ignores fd, off, addr, len */
	return req->sqe.rw_flags ? -EINVAL : 0;
}

long nop_issue(struct ring *r, struct ring_req *req)
{
	return 0;
}
