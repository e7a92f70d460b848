/*
 * IORING_OP_ASYNC_CANCEL, as Linux's io_uring/cancel.c: cancel waiting
 * requests of the same ring -- those waiting for a file (REQ_POLL) or a
 * time (TIMEOUT, REQ_TIMER) -- matched by user_data (addr), by file
 * (IORING_ASYNC_CANCEL_FD: sqe->fd) or all of them
 * (IORING_ASYNC_CANCEL_ANY); IORING_ASYNC_CANCEL_ALL cancels every match,
 * not just the first.  A cancelled request completes with -ECANCELED (its
 * chain's rest too).  The result: 0 (one cancelled), the count (ALL or
 * ANY), or -ENOENT for none.  A request already running cannot be caught
 * here: the IO core runs one request at a time, and this is it.
 *
 * IO core only (the ring's private fields).
 */
#include "core/types.h"
#include "fs/fs.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

#define CANCEL_FLAGS                                                           \
	(IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD |                    \
	 IORING_ASYNC_CANCEL_ANY)

long cancel_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	uint32_t flags = sqe->cancel_flags;

	if (sqe->off || sqe->len || sqe->splice_fd_in)
		return -EINVAL;
	/* IORING_ASYNC_CANCEL_FD_FIXED: registered files are not built */
	if (flags & ~CANCEL_FLAGS)
		return -EINVAL;
	if ((flags & IORING_ASYNC_CANCEL_FD) &&
	    (flags & IORING_ASYNC_CANCEL_ANY))
		return -EINVAL;
	return 0;
}

/* May q be cancelled, and does it match (file: for CANCEL_FD)? */
static bool cancel_match(const struct ring_req *q,
			 const struct io_uring_sqe *sqe, const struct file *file)
{
	uint32_t flags = sqe->cancel_flags;

	if (q->state != REQ_POLL &&
	    !(q->state == REQ_TIMER && q->sqe.opcode == IORING_OP_TIMEOUT))
		return false;
	if (flags & IORING_ASYNC_CANCEL_ANY)
		return true;
	if (flags & IORING_ASYNC_CANCEL_FD)
		return q->file && q->file == file;
	return q->sqe.user_data == sqe->addr;
}

long cancel_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	bool all = sqe->cancel_flags &
		   (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY);
	struct file *file = NULL;
	long n = 0;

	if (sqe->cancel_flags & IORING_ASYNC_CANCEL_FD) {
		file = fd_get(r->owner, sqe->fd);
		if (!file)
			return -EBADF;
	}
	for (int i = 0; r->nparked && i < RING_REQS; i++) {
		struct ring_req *q = &r->reqs[i];

		if (!cancel_match(q, sqe, file))
			continue;
		ring_finish_parked(r, q, -ECANCELED);
		n++;
		if (!all)
			break;
	}
	if (file)
		file_put(file);
	if (!n)
		return -ENOENT;
	return all ? n : 0;
}
