/*
 * The read and write operations: READ/WRITE (a buffer), READV/WRITEV (an
 * iovec array), READ_FIXED/WRITE_FIXED (within a registered buffer).  The
 * generic code has looked the fd up into req->file (.needs_file).  User
 * memory is reached through a struct uview (mm/vm.c): the owner's page
 * table walked in software, the U bit and R/W checked per page, with the
 * IO core's translation cache in front of it, under the owner's mm_lock so
 * that the normal core cannot unmap a page under it; a registered buffer's
 * pages were pinned at registration and need neither walk nor mm_lock, but
 * the ring's buf_lock.  A long READ/READV lets mm_lock go between chunks
 * if the normal core waits for it (an munmap: uview_pause, mm/vm.c), so
 * that the normal core is never held off for the length of the copy.
 * Lock order: fd table (fd_get, in the generic code) before mm_lock or
 * buf_lock.  IO core.
 */
#include "core/proc.h"
#include "core/spinlock.h"
#include "fs/fs.h"
#include "mm/vm.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

/*
 * May the IO core read or write this file for the ring?  0, or the result:
 * on a ring set up with IORING_SETUP_IOPOLL the file must be one the device
 * completes by polling (O_DIRECT on a block device, as Linux's
 * io_rw_init_file), and none here is: -EOPNOTSUPP; a normal_core_only
 * file's state is the normal core's: -EAGAIN.
 */
static long rw_refused(const struct ring *r, const struct file *f)
{
	if (unlikely(r->setup_flags & IORING_SETUP_IOPOLL))
		return -EOPNOTSUPP;
	return f->ops->normal_core_only ? -EAGAIN : 0;
}

long rw_prep(struct ring *r, struct ring_req *req)
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

/*
 * How the IO core reaches the owner's memory: a walk, cached (mm_lock held;
 * a long copy lets the normal core have it between chunks, and absent
 * anonymous pages are paged in: .owner).
 */
static struct uview owner_view(struct proc *p)
{
	return (struct uview){
		.pt = p->mm->pagetable,
		.cache = ring_xlate_cache ? &p->mm->xlate : NULL,
		.mm_gen = &p->mm->mm_gen,
		.owner = p,
	};
}

/* A read or write through the view v: short I/O breaks a link chain. */
static long rw_through(struct ring_req *req, const struct uview *v, bool write)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct file *f = req->file;
	long res;

	if (write)
		res = file_write(f, v, sqe->addr, sqe->len, ring_off(f, sqe));
	else
		res = file_read(f, v, sqe->addr, sqe->len, ring_off(f, sqe));
	req->short_io = res >= 0 && res != (long)sqe->len;
	return res;
}

/* READ/WRITE, READV/WRITEV (.vectored): through the owner's page table. */
static long rw_issue(struct ring *r, struct ring_req *req, bool write)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct proc *p = r->owner;
	struct uview v;
	long res;

	res = rw_refused(r, req->file);
	if (res)
		return res;
	spin_lock(&p->mm->mm_lock);
	v = owner_view(p);
	if (req->def->vectored)
		res = file_rw_iov(req->file, &v, sqe->addr, sqe->len,
				  ring_off(req->file, sqe), write,
				  &req->short_io);
	else
		res = rw_through(req, &v, write);
	spin_unlock(&p->mm->mm_lock);
	return res;
}

long read_issue(struct ring *r, struct ring_req *req)
{
	return rw_issue(r, req, false);
}

long write_issue(struct ring *r, struct ring_req *req)
{
	return rw_issue(r, req, true);
}

/*
 * READ_FIXED/WRITE_FIXED: [addr, addr + len) must lie in registered buffer
 * buf_index, whose pages were translated and pinned at registration: no
 * page-table walk, no mm_lock.
 */
static long fixed_issue(struct ring *r, struct ring_req *req, bool write)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	struct uview v = {0};
	long res;

	res = rw_refused(r, req->file);
	if (res)
		return res;
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
	res = rw_through(req, &v, write);
out:
	spin_unlock(&r->buf_lock);
	return res;
}

long read_fixed_issue(struct ring *r, struct ring_req *req)
{
	return fixed_issue(r, req, false);
}

long write_fixed_issue(struct ring *r, struct ring_req *req)
{
	return fixed_issue(r, req, true);
}
