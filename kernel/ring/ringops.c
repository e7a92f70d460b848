/*
 * The ring operations, in a table indexed by opcode as in Linux io_uring:
 * each has a prep step that validates the SQE (already copied once out of
 * shared memory into its request record by the caller) and copies in what
 * else it needs, and an issue step that runs it for the ring's owner and
 * returns the CQE result, >= 0 or -errno, or RING_PARKED when it must wait
 * (TIMEOUT; iocore.c completes it later).  They run on the IO core.  User
 * memory is reached through a struct uview (mm/vm.c's uview_page: the
 * owner's page table walked in software, with the U bit and R/W checked per
 * page, or the translation cache in front of it) under the owner's
 * mm_lock, so that the normal core cannot unmap a page under it.
 */
#include "arch/riscv/riscv.h"
#include "core/defs.h"
#include "core/proc.h"
#include "fs/fs.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

struct ring_op {
	long (*prep)(struct ring *r, struct ring_req *req);
	long (*issue)(struct ring *r, struct ring_req *req);
};

/* the SQE fields no operation here uses must be zero (buf_index: but for
 * the _FIXED operations) */
static bool common_reserved_clear(const struct io_uring_sqe *sqe)
{
	bool fixed = sqe->opcode == IORING_OP_READ_FIXED ||
		     sqe->opcode == IORING_OP_WRITE_FIXED;

	return !sqe->ioprio && (fixed || !sqe->buf_index) &&
	       !sqe->personality && !sqe->splice_fd_in && !sqe->addr3 &&
	       !sqe->__pad2[0];
}

static long nop_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	/* liburing's prep_nop sets fd -1; Linux ignores fd, off, addr, len */
	return sqe->rw_flags ? -EINVAL : 0;
}

static long nop_issue(struct ring *r, struct ring_req *req)
{
	return 0;
}

static long rw_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (sqe->rw_flags)
		return -EINVAL; /* RWF_* flags are not supported */
	if ((int64_t)sqe->off < -1)
		return -EINVAL;
	return 0;
}

/* The offset for a ring read/write: ignored for what cannot seek, as Linux. */
static int64_t ring_off(struct file *f, const struct io_uring_sqe *sqe)
{
	return f->ops->lseek ? (int64_t)sqe->off : -1;
}

/* How the IO core reaches the owner's memory: a walk, cached (mm_lock held). */
static struct uview owner_view(struct proc *p)
{
	return (struct uview){
		.pt = p->pagetable,
		.cache = ring_xlate_cache ? &p->xlate : NULL,
		.mm_gen = &p->mm_gen,
	};
}

static long rw_issue(struct ring *r, const struct io_uring_sqe *sqe, bool write)
{
	struct proc *p = r->owner;
	struct file *f = fd_get(p, sqe->fd);
	struct uview v;
	long res;

	if (!f)
		return -EBADF;
	spin_lock(&p->mm_lock);
	v = owner_view(p);
	if (write)
		res = file_write(f, &v, sqe->addr, sqe->len, ring_off(f, sqe));
	else
		res = file_read(f, &v, sqe->addr, sqe->len, ring_off(f, sqe));
	spin_unlock(&p->mm_lock);
	file_put(f);
	return res;
}

/*
 * READ_FIXED/WRITE_FIXED: [addr, addr + len) must lie in registered buffer
 * buf_index, whose pages were translated and pinned at registration: no
 * page-table walk, no mm_lock.
 */
static long fixed_prep(struct ring *r, struct ring_req *req)
{
	if (req->sqe.rw_flags || (int64_t)req->sqe.off < -1)
		return -EINVAL;
	return 0;
}

static long fixed_issue(struct ring *r, struct ring_req *req, bool write)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct file *f = fd_get(r->owner, sqe->fd); /* fd_lock before buf_lock */
	struct uview v = { 0 };
	long res;

	if (!f)
		return -EBADF;
	spin_lock(&r->buf_lock);
	if (sqe->buf_index >= r->nbufs) {
		res = -EFAULT;
		goto out;
	}
	v.fixed = &r->bufs[sqe->buf_index];
	if (sqe->addr < v.fixed->base ||
	    sqe->addr + sqe->len > v.fixed->base + v.fixed->len ||
	    sqe->addr + sqe->len < sqe->addr) {
		res = -EFAULT;
		goto out;
	}
	if (write)
		res = file_write(f, &v, sqe->addr, sqe->len, ring_off(f, sqe));
	else
		res = file_read(f, &v, sqe->addr, sqe->len, ring_off(f, sqe));
out:
	spin_unlock(&r->buf_lock);
	file_put(f);
	return res;
}

static long read_fixed_issue(struct ring *r, struct ring_req *req)
{
	return fixed_issue(r, req, false);
}

static long write_fixed_issue(struct ring *r, struct ring_req *req)
{
	return fixed_issue(r, req, true);
}

static long read_issue(struct ring *r, struct ring_req *req)
{
	return rw_issue(r, &req->sqe, false);
}

static long write_issue(struct ring *r, struct ring_req *req)
{
	return rw_issue(r, &req->sqe, true);
}

static long openat_prep(struct ring *r, struct ring_req *req)
{
	if (req->sqe.off)
		return -EINVAL;
	return 0;
}

static long openat_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
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

static long close_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (sqe->off || sqe->addr || sqe->len || sqe->rw_flags)
		return -EINVAL;
	return 0;
}

static long close_issue(struct ring *r, struct ring_req *req)
{
	/* as Linux: a ring's fd is not closed through a ring (-EBADF) */
	return file_close_fd(r->owner, req->sqe.fd, true);
}

static long rwv_prep(struct ring *r, struct ring_req *req)
{
	long err = rw_prep(r, req);

	if (err)
		return err;
	if (req->sqe.len > ABI_UIO_MAXIOV)
		return -EINVAL;
	return 0;
}

static long rwv_issue(struct ring *r, struct ring_req *req, bool write)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct proc *p = r->owner;
	struct file *f = fd_get(p, sqe->fd);
	long res;

	if (!f)
		return -EBADF;
	struct uview v;

	spin_lock(&p->mm_lock);
	v = owner_view(p);
	res = file_rw_iov(f, &v, sqe->addr, sqe->len, ring_off(f, sqe), write,
			  &req->short_io);
	spin_unlock(&p->mm_lock);
	file_put(f);
	return res;
}

static long readv_issue(struct ring *r, struct ring_req *req)
{
	return rwv_issue(r, req, false);
}

static long writev_issue(struct ring *r, struct ring_req *req)
{
	return rwv_issue(r, req, true);
}

/*
 * TIMEOUT: addr -> struct __kernel_timespec (relative, or absolute
 * CLOCK_MONOTONIC with IORING_TIMEOUT_ABS), len 1, off = a completion count
 * (0: none).  Completes with -ETIME when the time passes, or 0 once off
 * other completions have been posted on the ring.  The time is copied in at
 * prep, once.
 */
static long timeout_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct proc *p = r->owner;
	struct abi_timespec ts;
	uint64_t ticks, now = rdtime();
	long err;

	if (sqe->len != 1 || (sqe->timeout_flags & ~IORING_TIMEOUT_ABS))
		return -EINVAL;
	spin_lock(&p->mm_lock);
	err = copyin(p->pagetable, &ts, sqe->addr, sizeof(ts));
	spin_unlock(&p->mm_lock);
	if (err)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	/* no overflow: beyond ~30 years is forever enough */
	ticks = MIN((uint64_t)ts.tv_sec, 1UL << 30) * timebase_hz +
		ts.tv_nsec * timebase_hz / 1000000000;
	if (sqe->timeout_flags & IORING_TIMEOUT_ABS)
		req->deadline = ticks;
	else
		req->deadline = now + ticks;
	req->count_target = sqe->off ? r->cqes_posted + sqe->off : 0;
	return 0;
}

static long timeout_issue(struct ring *r, struct ring_req *req)
{
	req->state = REQ_TIMER;
	return RING_PARKED;
}

static const struct ring_op ring_ops[IORING_OP_LAST] = {
	[IORING_OP_READV] = { rwv_prep, readv_issue },
	[IORING_OP_READ_FIXED] = { fixed_prep, read_fixed_issue },
	[IORING_OP_WRITE_FIXED] = { fixed_prep, write_fixed_issue },
	[IORING_OP_WRITEV] = { rwv_prep, writev_issue },
	[IORING_OP_TIMEOUT] = { timeout_prep, timeout_issue },
	[IORING_OP_NOP] = { nop_prep, nop_issue },
	[IORING_OP_READ] = { rw_prep, read_issue },
	[IORING_OP_WRITE] = { rw_prep, write_issue },
	[IORING_OP_OPENAT] = { openat_prep, openat_issue },
	[IORING_OP_CLOSE] = { close_prep, close_issue },
};

#define SUPPORTED_SQE_FLAGS (IOSQE_IO_LINK | IOSQE_IO_DRAIN)

/*
 * Validate and run the request's SQE (its private copy) for ring r: the
 * CQE result, or RING_PARKED.
 */
long ring_prep_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	const struct ring_op *op;
	long res;

	if (sqe->opcode >= IORING_OP_LAST || !ring_ops[sqe->opcode].issue)
		return -EINVAL;
	if ((sqe->flags & ~SUPPORTED_SQE_FLAGS) || !common_reserved_clear(sqe))
		return -EINVAL;
	op = &ring_ops[sqe->opcode];
	res = op->prep(r, req);
	if (res < 0)
		return res;
	return op->issue(r, req);
}

/* Does this result break a link chain?  (As Linux: errors, short I/O.) */
bool ring_req_failed(const struct ring_req *req, long res)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (res < 0 || req->short_io)
		return true;
	switch (sqe->opcode) {
	case IORING_OP_READ:
	case IORING_OP_WRITE:
	case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED:
		return res != (long)sqe->len;
	default:
		return false;
	}
}
