/*
 * The ring operations' table (opdef.c), indexed by opcode as Linux's
 * io_uring/opdef.c: each entry says what the generic code must do for the
 * operation (its properties) and gives its two steps.
 *
 *   prep   runs when the SQE is taken, on its private copy (req->sqe):
 *          validates the fields this operation uses and copies in what
 *          else it needs from user memory (a timespec), so that nothing is
 *          read from the user twice; returns 0 or -errno.
 *   issue  runs the operation for the ring's owner, at once or later (a
 *          link-chain member waits for its predecessor): the CQE result,
 *          >= 0 or -errno, or RING_PARKED when it must wait (submit.c
 *          completes it).  With .needs_file the generic code has looked up
 *          sqe->fd into req->file (once: a request issued again keeps it)
 *          and drops it after issue; with .pollin/.pollout an -EAGAIN
 *          from a file that would have waited parks it until the file is
 *          ready, and it is issued again (poll.c).
 *
 * The generic checks (ring_req_prep) run once for every operation: a known
 * opcode, supported SQE flags, the reserved fields zero (buf_index unless
 * .fixed_buf, file_index unless .file_index); ring_req_issue looks the fd
 * up (as Linux's io_assign_file: at issue, so that a read linked after an
 * openat sees its fd), or with IOSQE_FIXED_FILE the registered file
 * (files.c).
 *
 * IO core only; no locks of its own (the operations take the owner's
 * mm_lock, the ring's buf_lock and file_lock, the fd table's lock as they
 * need).
 */
#ifndef KERNEL_RING_OPDEF_H
#define KERNEL_RING_OPDEF_H

#include "fs/fs.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

struct io_op_def {
	const char *name;
	unsigned needs_file : 1; /* sqe->fd is an open file, into req->file */
	unsigned fixed_buf : 1;	 /* sqe->buf_index names a registered buffer */
	unsigned vectored : 1;	 /* addr and len: an iovec array, at most
				  * UIO_MAXIOV entries */
	unsigned pollin : 1;	 /* -EAGAIN from its file: wait for POLLIN */
	unsigned pollout : 1;	 /* ... for POLLOUT (poll.c) */
	unsigned file_index : 1; /* sqe->file_index (splice_fd_in) is used */
	long (*prep)(struct ring *r, struct ring_req *req);
	long (*issue)(struct ring *r, struct ring_req *req);
};

extern const struct io_op_def io_op_defs[];

/*
 * The SQE flags this kernel honours.  IOSQE_ASYNC asks for what every
 * request gets here (the IO core runs it, apart from the submitter);
 * IOSQE_FIXED_FILE makes sqe->fd an index in the registered files.
 */
#define RING_SQE_FLAGS                                                         \
	(IOSQE_IO_LINK | IOSQE_IO_HARDLINK | IOSQE_IO_DRAIN | IOSQE_ASYNC |    \
	 IOSQE_CQE_SKIP_SUCCESS | IOSQE_FIXED_FILE)

/* the SQE fields no operation here uses: zero, or the SQE is refused */
static inline bool sqe_reserved_clear(const struct io_uring_sqe *sqe,
				      const struct io_op_def *def)
{
	return !sqe->ioprio && !sqe->personality &&
	       (!sqe->splice_fd_in || def->file_index) && !sqe->addr3 &&
	       !sqe->__pad2[0];
}

/*
 * Validate the request's SQE (its private copy) and prepare it: 0 or the
 * -errno it completes with, unissued.  Sets req->def.
 */
static inline long ring_req_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	const struct io_op_def *def;

	if (unlikely(sqe->opcode >= IORING_OP_LAST))
		return -EINVAL;
	def = &io_op_defs[sqe->opcode];
	req->def = def;
	if (unlikely(!def->issue || (sqe->flags & ~RING_SQE_FLAGS) ||
		     !sqe_reserved_clear(sqe, def) ||
		     (sqe->buf_index && !def->fixed_buf) ||
		     (def->vectored && sqe->len > ABI_UIO_MAXIOV)))
		return -EINVAL;
	return def->prep(r, req);
}

/* Run a prepared request: the CQE result, or RING_PARKED. */
static inline long ring_req_issue(struct ring *r, struct ring_req *req)
{
	const struct io_op_def *def = req->def;
	long res;

	if (def->needs_file && !req->file) {
		if (req->sqe.flags & IOSQE_FIXED_FILE)
			req->file = ring_fixed_file(r, (uint32_t)req->sqe.fd);
		else
			req->file = fd_get(r->owner, req->sqe.fd);
		if (!req->file)
			return -EBADF;
	}
	res = def->issue(r, req);
	if (unlikely(res == -EAGAIN || res == -ERETRY) &&
	    (def->pollin || def->pollout))
		res = ring_poll_arm(r, req, res);
	if (req->file && res != RING_PARKED) {
		file_put(req->file);
		req->file = NULL;
	}
	return res;
}

/*
 * Does this result break a link chain?  (As Linux: an error, short I/O;
 * never for an IOSQE_IO_HARDLINK member.)
 */
static inline bool ring_req_failed(const struct ring_req *req, long res)
{
	if (res == -ETIME && req->sqe.opcode == IORING_OP_TIMEOUT &&
	    (req->sqe.timeout_flags & IORING_TIMEOUT_ETIME_SUCCESS))
		return false;
	return (res < 0 || req->short_io) &&
	       !(req->sqe.flags & IOSQE_IO_HARDLINK);
}

/* The operations, by family (one file each). */
/* nop.c */
long nop_prep(struct ring *r, struct ring_req *req);
long nop_issue(struct ring *r, struct ring_req *req);
/* rw.c */
long rw_prep(struct ring *r, struct ring_req *req);
long read_issue(struct ring *r, struct ring_req *req);
long write_issue(struct ring *r, struct ring_req *req);
long read_fixed_issue(struct ring *r, struct ring_req *req);
long write_fixed_issue(struct ring *r, struct ring_req *req);
/* openclose.c */
long openat_prep(struct ring *r, struct ring_req *req);
long openat_issue(struct ring *r, struct ring_req *req);
long close_prep(struct ring *r, struct ring_req *req);
long close_issue(struct ring *r, struct ring_req *req);
/* files.c */
long files_update_prep(struct ring *r, struct ring_req *req);
long files_update_issue(struct ring *r, struct ring_req *req);
/* sync.c */
long fsync_prep(struct ring *r, struct ring_req *req);
long fsync_issue(struct ring *r, struct ring_req *req);
/* timeout.c */
long timeout_prep(struct ring *r, struct ring_req *req);
long timeout_issue(struct ring *r, struct ring_req *req);
long timeout_remove_prep(struct ring *r, struct ring_req *req);
long link_timeout_prep(struct ring *r, struct ring_req *req);
long link_timeout_issue(struct ring *r, struct ring_req *req);
long timeout_remove_issue(struct ring *r, struct ring_req *req);
/* poll.c */
long poll_add_prep(struct ring *r, struct ring_req *req);
long poll_add_issue(struct ring *r, struct ring_req *req);
long poll_remove_prep(struct ring *r, struct ring_req *req);
long poll_remove_issue(struct ring *r, struct ring_req *req);
/* cancel.c */
long cancel_prep(struct ring *r, struct ring_req *req);
long cancel_issue(struct ring *r, struct ring_req *req);

#endif
