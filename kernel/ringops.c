/*
 * The ring operations, in a table indexed by opcode as in Linux io_uring:
 * each has a prep step that validates the SQE (already copied once out of
 * shared memory by the caller) and an issue step that runs it for the
 * ring's owner and returns the CQE result, >= 0 or -errno.  They run on the
 * IO core.  User memory is reached by walking the owner's page table in
 * software (uvm_page, with the U bit and R/W checked per page) under the
 * owner's mm_lock, so that the normal core cannot unmap a page under it.
 */
#include "defs.h"
#include "fs.h"
#include "proc.h"
#include "riscv.h"
#include "ring.h"
#include "uapi/errno.h"

struct ring_op {
	long (*prep)(const struct io_uring_sqe *sqe);
	long (*issue)(struct ring *r, const struct io_uring_sqe *sqe);
};

/* the SQE fields no operation here uses must be zero */
static bool common_reserved_clear(const struct io_uring_sqe *sqe)
{
	return !sqe->ioprio && !sqe->buf_index && !sqe->personality &&
	       !sqe->splice_fd_in && !sqe->addr3 && !sqe->__pad2[0];
}

static long nop_prep(const struct io_uring_sqe *sqe)
{
	/* liburing's prep_nop sets fd -1; Linux ignores fd, off, addr, len */
	return sqe->rw_flags ? -EINVAL : 0;
}

static long nop_issue(struct ring *r, const struct io_uring_sqe *sqe)
{
	return 0;
}

static long rw_prep(const struct io_uring_sqe *sqe)
{
	if (sqe->rw_flags)
		return -EINVAL; /* RWF_* flags are not supported */
	if ((int64_t)sqe->off < -1)
		return -EINVAL;
	return 0;
}

static long rw_issue(struct ring *r, const struct io_uring_sqe *sqe, bool write)
{
	struct proc *p = r->owner;
	struct file *f = fd_get(p, sqe->fd);
	long res;

	if (!f)
		return -EBADF;
	spin_lock(&p->mm_lock);
	if (write)
		res = file_write(f, p->pagetable, sqe->addr, sqe->len, sqe->off);
	else
		res = file_read(f, p->pagetable, sqe->addr, sqe->len, sqe->off);
	spin_unlock(&p->mm_lock);
	file_put(f);
	return res;
}

static long read_issue(struct ring *r, const struct io_uring_sqe *sqe)
{
	return rw_issue(r, sqe, false);
}

static long write_issue(struct ring *r, const struct io_uring_sqe *sqe)
{
	return rw_issue(r, sqe, true);
}

static long openat_prep(const struct io_uring_sqe *sqe)
{
	if (sqe->off)
		return -EINVAL;
	return 0;
}

static long openat_issue(struct ring *r, const struct io_uring_sqe *sqe)
{
	struct proc *p = r->owner;
	char *path;
	long res;

	spin_lock(&p->mm_lock);
	res = path_in(p->pagetable, sqe->addr, &path, false);
	spin_unlock(&p->mm_lock);
	if (res < 0)
		return res;
	res = file_openat(p, sqe->fd, path, sqe->open_flags);
	kfree(path);
	return res;
}

static long close_prep(const struct io_uring_sqe *sqe)
{
	if (sqe->off || sqe->addr || sqe->len || sqe->rw_flags)
		return -EINVAL;
	return 0;
}

static long close_issue(struct ring *r, const struct io_uring_sqe *sqe)
{
	struct file *f = fd_get(r->owner, sqe->fd);
	bool is_ring;

	if (!f)
		return -EBADF;
	is_ring = f->type == F_RING;
	file_put(f);
	if (is_ring)
		return -EBADF; /* as Linux: a ring's fd is not closed through it */
	return file_close_fd(r->owner, sqe->fd);
}

static const struct ring_op ring_ops[IORING_OP_LAST] = {
	[IORING_OP_NOP] = { nop_prep, nop_issue },
	[IORING_OP_READ] = { rw_prep, read_issue },
	[IORING_OP_WRITE] = { rw_prep, write_issue },
	[IORING_OP_OPENAT] = { openat_prep, openat_issue },
	[IORING_OP_CLOSE] = { close_prep, close_issue },
};

/* Run one SQE (a private copy) for ring r; returns the CQE result. */
long ring_execute(struct ring *r, const struct io_uring_sqe *sqe)
{
	const struct ring_op *op;
	long res;

	if (sqe->opcode >= IORING_OP_LAST || !ring_ops[sqe->opcode].issue)
		return -EINVAL;
	if (sqe->flags || !common_reserved_clear(sqe))
		return -EINVAL; /* no IOSQE_* flag is supported yet */
	op = &ring_ops[sqe->opcode];
	res = op->prep(sqe);
	if (res < 0)
		return res;
	return op->issue(r, sqe);
}
