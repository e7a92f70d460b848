/*
 * Registered files, as Linux 6.1's io_uring: a table of files per ring,
 * filled by io_uring_register (IORING_REGISTER_FILES, _FILES2, _UPDATE,
 * _UPDATE2, FILE_ALLOC_RANGE; normal core) and by the IO core's
 * IORING_OP_FILES_UPDATE and direct OPENAT/CLOSE (sqe->file_index); an
 * operation with IOSQE_FIXED_FILE names a slot instead of an fd
 * (ring_fixed_file, from ring_req_issue).  Each slot holds a reference of
 * its own, so a file stays open in the table after its fd is closed.
 * Registering a ring's own fd is -EBADF (as Linux: no reference cycles).
 *
 * The last reference of a file whose release is the normal core's (a
 * pipe, an eventfd, a timerfd) may go on the IO core (a direct CLOSE, a
 * FILES_UPDATE): file_put defers it to the normal core.  The normal core
 * empties the table before the ring is torn down (ring_files_drop from
 * ring_request_destroy); the IO core's own tear-down (ring_destroy_memory)
 * drops the rest.
 *
 * Locking: file_lock (struct ring) guards files, nfiles and the alloc range;
 * a leaf: user memory is copied and fds looked up with it let go, and the
 * references taken out of the table are dropped after it.
 */
#include "arch/riscv/riscv.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

_Static_assert(RING_MAX_FILES * sizeof(struct file *) <= PGSIZE,
	       "the registered-file table in a page");

static bool on_io_core(void)
{
	return this_hart()->role != HART_NORMAL;
}

/* Copy an fd in or out of the owner's memory (the IO core: under mm_lock). */
static int fd_copy(struct proc *p, uint64_t ua, int *fd, bool out)
{
	bool io = on_io_core();
	int err;

	if (io)
		spin_lock(&p->mm->mm_lock);
	if (out)
		err = copyout(p->mm->pagetable, ua, fd, sizeof(*fd));
	else
		err = copyin(p->mm->pagetable, fd, ua, sizeof(*fd));
	if (io)
		spin_unlock(&p->mm->mm_lock);
	return err < 0 ? -EFAULT : 0;
}

/*
 * A counted reference to the file in slot index, for an IOSQE_FIXED_FILE
 * operation (IO core), or NULL (past the table, empty: -EBADF).
 */
struct file *ring_fixed_file(struct ring *r, uint32_t index)
{
	struct file *f = NULL;

	spin_lock(&r->file_lock);
	if (index < r->nfiles)
		f = r->files[index];
	if (f)
		file_dup(f);
	spin_unlock(&r->file_lock);
	return f;
}

/*
 * Put f (its reference moves to the table on success) in slot i, dropping
 * what was there: 0, -ENXIO (no table), -EINVAL (past it).  f may be NULL
 * (clear).
 */
static long slot_set(struct ring *r, uint32_t i, struct file *f)
{
	struct file *old;

	spin_lock(&r->file_lock);
	if (!r->files || i >= r->nfiles) {
		long err = r->files ? -EINVAL : -ENXIO;

		spin_unlock(&r->file_lock);
		return err;
	}
	old = r->files[i];
	r->files[i] = f;
	spin_unlock(&r->file_lock);
	if (old)
		file_put(old);
	return 0;
}

/* A free slot in the alloc range (file_lock held), or -ENFILE. */
static long slot_alloc_locked(struct ring *r)
{
	uint32_t n = r->alloc_end - r->alloc_start;

	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = r->alloc_hint + k;

		if (i >= r->alloc_end)
			i -= n;
		if (i < r->alloc_start)
			i = r->alloc_start;
		if (!r->files[i]) {
			r->alloc_hint =
				i + 1 < r->alloc_end ? i + 1 : r->alloc_start;
			return i;
		}
	}
	return -ENFILE;
}

/*
 * A direct descriptor: install f (its reference moves to the table, or is
 * dropped on error) at file_index - 1, or at a free slot for
 * IORING_FILE_INDEX_ALLOC: 0 or the chosen slot, or -errno as Linux's
 * io_fixed_fd_install.
 */
long ring_fixed_install(struct ring *r, struct file *f, uint32_t file_index)
{
	long res;

	if (f->ops == &ring_file_ops) {
		file_put(f);
		return -EBADF;
	}
	if (file_index != IORING_FILE_INDEX_ALLOC) {
		res = slot_set(r, file_index - 1, f);
		if (res < 0)
			file_put(f);
		return res;
	}
	spin_lock(&r->file_lock);
	res = r->files ? slot_alloc_locked(r) : -ENXIO;
	if (res >= 0)
		r->files[res] = f;
	spin_unlock(&r->file_lock);
	if (res < 0)
		file_put(f);
	return res;
}

/* Close slot index (a direct CLOSE): 0, -ENXIO, -EINVAL, -EBADF (empty). */
long ring_fixed_remove(struct ring *r, uint32_t index)
{
	struct file *old = NULL;
	long res = 0;

	spin_lock(&r->file_lock);
	if (!r->files)
		res = -ENXIO;
	else if (index >= r->nfiles)
		res = -EINVAL;
	else if (!(old = r->files[index]))
		res = -EBADF;
	else
		r->files[index] = NULL;
	spin_unlock(&r->file_lock);
	if (old)
		file_put(old);
	return res;
}

/* Empty and free the table (either core; see the top for the IO core). */
void ring_files_drop(struct ring *r)
{
	struct file **files;
	uint32_t n;

	spin_lock(&r->file_lock);
	files = r->files;
	n = r->nfiles;
	r->files = NULL;
	r->nfiles = 0;
	spin_unlock(&r->file_lock);
	if (!files)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (files[i])
			file_put(files[i]);
	kfree(files);
}

/* An fd for the table: a counted reference, or NULL with -EBADF. */
static struct file *fd_for_table(struct proc *p, int fd, long *err)
{
	struct file *f;

	f = fd_get(p, fd);
	*err = -EBADF;
	if (f && f->ops == &ring_file_ops) {
		file_put(f);
		f = NULL;
	}
	return f;
}

/*
 * Register nr files from the int array at ufds (0: all empty, sparse; an
 * fd of -1: that slot empty).  As Linux's io_sqe_files_register.
 */
static long files_register(struct proc *p, struct ring *r, uint64_t ufds,
			   uint32_t nr)
{
	struct file **files;
	long err = 0;

	if (r->files)
		return -EBUSY;
	if (!nr)
		return -EINVAL;
	/* as Linux: past RLIMIT_NOFILE (not the fd table's size) -EMFILE, and
	 * past this kernel's table */
	if (nr > IORING_MAX_FIXED_FILES || nr > RING_MAX_FILES ||
	    nr > READ_ONCE(p->rlim[ABI_RLIMIT_NOFILE].rlim_cur))
		return -EMFILE;
	files = kalloc();
	if (!files)
		return -ENOMEM;
	memset(files, 0, PGSIZE);
	for (uint32_t i = 0; i < nr && !err; i++) {
		int fd = -1;

		if (ufds && fd_copy(p, ufds + i * sizeof(int), &fd, false)) {
			err = -EFAULT;
			break;
		}
		if (fd == -1)
			continue;
		files[i] = fd_for_table(p, fd, &err);
		if (files[i])
			err = 0;
	}
	if (err) {
		for (uint32_t i = 0; i < nr; i++)
			if (files[i])
				file_put(files[i]);
		kfree(files);
		return err;
	}
	spin_lock(&r->file_lock);
	if (r->files) {
		err = -EBUSY; /* raced with another register */
	} else {
		r->files = files;
		r->nfiles = nr;
		r->alloc_start = r->alloc_hint = 0;
		r->alloc_end = nr;
	}
	spin_unlock(&r->file_lock);
	if (err) {
		for (uint32_t i = 0; i < nr; i++)
			if (files[i])
				file_put(files[i]);
		kfree(files);
	}
	return err;
}

/*
 * Update nr slots from offset with the fds at ufds (-1: clear,
 * IORING_REGISTER_FILES_SKIP: leave): the count done, or the first error
 * if none was.  As Linux's __io_sqe_files_update.  Either core.
 */
static long ring_files_update(struct proc *p, struct ring *r, uint32_t offset,
			      uint64_t ufds, uint32_t nr)
{
	uint32_t done;
	long err = 0;

	if (offset + nr < offset)
		return -EOVERFLOW;
	spin_lock(&r->file_lock);
	if (!r->files)
		err = -ENXIO;
	else if (offset + nr > r->nfiles)
		err = -EINVAL;
	spin_unlock(&r->file_lock);
	if (err)
		return err;
	for (done = 0; done < nr; done++) {
		struct file *f = NULL;
		int fd;

		if (fd_copy(p, ufds + done * sizeof(int), &fd, false)) {
			err = -EFAULT;
			break;
		}
		if (fd == IORING_REGISTER_FILES_SKIP)
			continue;
		if (fd != -1) {
			f = fd_for_table(p, fd, &err);
			if (!f)
				break;
		}
		err = slot_set(r, offset + done, f);
		if (err) {
			if (f)
				file_put(f);
			break;
		}
	}
	return done ? (long)done : err;
}

/* IORING_OP_FILES_UPDATE with IORING_FILE_INDEX_ALLOC: each fd into a free
 * slot, whose index is written back over it. */
static long files_update_alloc(struct proc *p, struct ring *r, uint64_t ufds,
			       uint32_t nr)
{
	uint32_t done;
	long res = 0;

	if (!READ_ONCE(r->files))
		return -ENXIO; /* as Linux: before any fd is looked at */
	for (done = 0; done < nr; done++) {
		uint64_t ua = ufds + done * sizeof(int);
		struct file *f;
		int fd;

		if (fd_copy(p, ua, &fd, false)) {
			res = -EFAULT;
			break;
		}
		f = fd_for_table(p, fd, &res);
		if (!f)
			break;
		res = ring_fixed_install(r, f, IORING_FILE_INDEX_ALLOC);
		if (res < 0)
			break;
		fd = (int)res;
		if (fd_copy(p, ua, &fd, true)) {
			ring_fixed_remove(r, fd);
			res = -EFAULT;
			break;
		}
	}
	return done ? (long)done : res;
}

long files_update_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;

	if (sqe->flags & IOSQE_FIXED_FILE)
		return -EINVAL;
	if (sqe->rw_flags || sqe->splice_fd_in || !sqe->len)
		return -EINVAL;
	return 0;
}

long files_update_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	uint32_t offset = (uint32_t)sqe->off;

	if (offset == IORING_FILE_INDEX_ALLOC)
		return files_update_alloc(r->owner, r, sqe->addr, sqe->len);
	return ring_files_update(r->owner, r, offset, sqe->addr, sqe->len);
}

/* IORING_REGISTER_FILE_ALLOC_RANGE: where IORING_FILE_INDEX_ALLOC looks. */
static long files_alloc_range(struct proc *p, struct ring *r, uint64_t arg)
{
	struct io_uring_file_index_range range;
	long err = 0;

	if (copyin(p->mm->pagetable, &range, arg, sizeof(range)) < 0)
		return -EFAULT;
	if (range.off + range.len < range.off)
		return -EOVERFLOW;
	spin_lock(&r->file_lock);
	if (range.resv || range.off + range.len > r->nfiles) {
		err = -EINVAL;
	} else {
		r->alloc_start = r->alloc_hint = range.off;
		r->alloc_end = range.off + range.len;
	}
	spin_unlock(&r->file_lock);
	return err;
}

/*
 * io_uring_register's file opcodes (normal core), with Linux 6.1's checks;
 * tags (IORING_REGISTER_FILES2, _UPDATE2) are not supported: non-zero is
 * -EINVAL.
 */
long ring_register_files(struct proc *p, struct ring *r, long opcode,
			 uint64_t arg, long nr_args)
{
	switch (opcode) {
	case IORING_REGISTER_FILES:
		if (!arg)
			return -EFAULT;
		return files_register(p, r, arg, (uint32_t)nr_args);
	case IORING_UNREGISTER_FILES:
		if (arg || nr_args)
			return -EINVAL;
		if (!READ_ONCE(r->files))
			return -ENXIO;
		ring_files_drop(r);
		return 0;
	case IORING_REGISTER_FILES_UPDATE: {
		struct io_uring_files_update up;

		if (!nr_args)
			return -EINVAL;
		if (copyin(p->mm->pagetable, &up, arg, sizeof(up)) < 0)
			return -EFAULT;
		if (up.resv)
			return -EINVAL;
		return ring_files_update(p, r, up.offset, up.fds,
					 (uint32_t)nr_args);
	}
	case IORING_REGISTER_FILES2: {
		struct io_uring_rsrc_register rr;

		if (nr_args != sizeof(rr))
			return -EINVAL;
		if (copyin(p->mm->pagetable, &rr, arg, sizeof(rr)) < 0)
			return -EFAULT;
		if (!rr.nr || rr.resv2 ||
		    (rr.flags & ~IORING_RSRC_REGISTER_SPARSE) || rr.tags)
			return -EINVAL;
		if ((rr.flags & IORING_RSRC_REGISTER_SPARSE) && rr.data)
			return -EINVAL;
		return files_register(p, r, rr.data, rr.nr);
	}
	case IORING_REGISTER_FILES_UPDATE2: {
		struct io_uring_rsrc_update2 up;

		if (nr_args != sizeof(up))
			return -EINVAL;
		if (copyin(p->mm->pagetable, &up, arg, sizeof(up)) < 0)
			return -EFAULT;
		if (!up.nr || up.resv || up.resv2 || up.tags)
			return -EINVAL;
		return ring_files_update(p, r, up.offset, up.data, up.nr);
	}
	case IORING_REGISTER_FILE_ALLOC_RANGE:
		if (!arg || nr_args)
			return -EINVAL;
		return files_alloc_range(p, r, arg);
	}
	return -EINVAL;
}
