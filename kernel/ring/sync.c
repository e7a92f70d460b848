/*
 * The ring's synchronisation operation: FSYNC (IORING_FSYNC_DATASYNC for
 * fdatasync), through the file's fsync (fs/file.c file_fsync), as Linux's
 * io_uring/sync.c.  The range (off, len) is accepted and the whole file
 * synced, which Linux's fsync of a range also may do.  IO core.
 */
#include "fs/fs.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

long fsync_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (sqe->addr || sqe->buf_index || sqe->splice_fd_in)
		return -EINVAL;
	if (sqe->fsync_flags & ~IORING_FSYNC_DATASYNC)
		return -EINVAL;
	return 0;
}

long fsync_issue(struct ring *r, struct ring_req *req)
{
	return file_fsync(req->file,
			  req->sqe.fsync_flags & IORING_FSYNC_DATASYNC);
}
