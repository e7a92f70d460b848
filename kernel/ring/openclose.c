/*
 * OPENAT and CLOSE on the ring: the same file-table code as the openat and
 * close system calls (fs/file.c), for the ring's owner.  The path is copied
 * in under the owner's mm_lock.  With sqe->file_index (index + 1, or
 * IORING_FILE_INDEX_ALLOC for OPENAT) they open into, and close, a slot of
 * the registered-file table instead (a direct descriptor, files.c).  As
 * Linux, neither takes IOSQE_FIXED_FILE (-EBADF).  IO core.
 */
#include "core/proc.h"
#include "core/spinlock.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

long openat_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (sqe->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	if (sqe->off)
		return -EINVAL;
	/* as Linux: a direct descriptor has no close-on-exec */
	if (sqe->file_index && (sqe->open_flags & ABI_O_CLOEXEC))
		return -EINVAL;
	return 0;
}

long openat_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct proc *p = r->owner;
	char *path;
	long res;

	spin_lock(&p->mm->mm_lock);
	res = path_in(p->mm->pagetable, sqe->addr, &path, false);
	spin_unlock(&p->mm->mm_lock);
	if (res < 0)
		return res;
	if (sqe->file_index) {
		struct file *f;

		res = file_open_nofd(p, sqe->fd, path, sqe->open_flags, &f);
		if (!res)
			res = ring_fixed_install(r, f, sqe->file_index);
	} else {
		res = file_openat(p, sqe->fd, path, sqe->open_flags);
	}
	kfree(path);
	return res;
}

long close_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (sqe->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	if (sqe->off || sqe->addr || sqe->len || sqe->rw_flags)
		return -EINVAL;
	if (sqe->file_index && sqe->fd)
		return -EINVAL;
	return 0;
}

long close_issue(struct ring *r, struct ring_req *req)
{
	if (req->sqe.file_index)
		return ring_fixed_remove(r, req->sqe.file_index - 1);
	/* as Linux: a ring's fd is not closed through a ring (-EBADF) */
	return file_close_fd(r->owner, req->sqe.fd, true);
}
