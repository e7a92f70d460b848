/*
 * Open files: the system-wide file table and the per-process fd tables.
 * A struct file is shared by every fd (in any process) that refers to it,
 * with its offset, as on Linux after fork or dup.  Both cores use files:
 * the normal core for system calls, the IO core for ring operations on the
 * ring owner's fds.
 *
 * Locking: a file's ref count is atomic; ftable_lock (a leaf) only guards
 * finding a free slot.  A process's fd table is guarded by its fd_lock
 * (proc.h), taken before ftable_lock and fs_lock.  fd_get() returns a
 * counted reference: release it with file_put().  What a file does is in its
 * ops table (fs.h); inode_file_ops and dir_file_ops, the memory FS's, are
 * here.
 */
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/mmap.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "ring/iocore.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/layout.h"

static struct spinlock ftable_lock = SPINLOCK_INIT("ftable");
static struct file files[NFILE];
static struct file *console;

struct file *file_alloc(void)
{
	struct file *f = NULL;

	spin_lock(&ftable_lock);
	for (int i = 0; i < NFILE; i++) {
		if (__atomic_load_n(&files[i].ref, __ATOMIC_ACQUIRE) == 0) {
			f = &files[i];
			memset(f, 0, sizeof(*f));
			f->ref = 1;
			break;
		}
	}
	spin_unlock(&ftable_lock);
	return f;
}

struct file *file_dup(struct file *f)
{
	__atomic_add_fetch(&f->ref, 1, __ATOMIC_RELAXED);
	return f;
}

/*
 * Drop a reference; the last one calls ops->release (the inode's or the
 * ring's), with what was read before the drop: the slot may be reused after.
 */
void file_put(struct file *f)
{
	const struct file_ops *ops = f->ops;
	void *private = f->private;

	if (this_hart()->role == HART_IO &&
	    (ops->normal_core_only || ops->ring_nowait)) {
		/* its release is the normal core's: the last put goes there */
		int ref = __atomic_load_n(&f->ref, __ATOMIC_RELAXED);

		do {
			if (ref == 1) {
				iocore_defer_put(f);
				return;
			}
		} while (!__atomic_compare_exchange_n(&f->ref, &ref, ref - 1,
						      false, __ATOMIC_ACQ_REL,
						      __ATOMIC_RELAXED));
		return;
	}
	/* acq_rel: the releasing side's uses of f happen before the reuse */
	if (__atomic_sub_fetch(&f->ref, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (ops->release)
		ops->release(private);
}

bool file_may_wait(const struct file *f)
{
	return !f->nonblock && this_hart()->role == HART_NORMAL;
}

/*
 * A ring_nowait file's state lock (a pipe's, an eventfd's): taken on the
 * normal core, only tried on the IO core (false: the caller gives -ERETRY).
 */
bool file_state_lock(struct spinlock *l)
{
	if (this_hart()->role == HART_NORMAL) {
		spin_lock(l);
		return true;
	}
	return spin_trylock(l);
}

/* Wake chan's sleepers from either core (the IO core's go deferred). */
void file_wakeup(const void *chan)
{
	if (this_hart()->role == HART_NORMAL)
		wakeup(chan);
	else
		iocore_defer_wakeup(chan);
}

/* The console's struct file, shared by fds 0-2 of the first process. */
struct file *console_file(void)
{
	if (!console) {
		console = file_alloc();
		console->ops = &console_file_ops;
		console->readable = console->writable = true;
	}
	return console;
}

static struct files_struct fdtables[NPROC]; /* one per thread group at most */

/* An empty fd table (cwd: /), or NULL. */
struct files_struct *files_alloc(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct files_struct *fs = &fdtables[i];

		if (fs->users)
			continue;
		memset(fs, 0, sizeof(*fs));
		fs->fd_lock = (struct spinlock)SPINLOCK_INIT("fd");
		fs->users = 1;
		return fs;
	}
	return NULL;
}

/* Its last thread is gone and every fd is closed. */
void files_free(struct files_struct *fs)
{
	fs->users = 0;
}

/*
 * The limit on p's descriptor numbers: the table's size, or RLIMIT_NOFILE
 * if lower: every call that makes an fd gets -EMFILE at it.
 */
int fd_limit(struct proc *p)
{
	return MIN((uint64_t)NOFILE,
		   READ_ONCE(p->rlim[ABI_RLIMIT_NOFILE].rlim_cur));
}

/* The lowest free fd of p, or -EMFILE. */
int fd_free_slot(struct proc *p)
{
	int fd = -EMFILE, limit = fd_limit(p);

	spin_lock(&p->files->fd_lock);
	for (int i = 0; i < limit; i++) {
		if (!p->files->ofile[i]) {
			fd = i;
			break;
		}
	}
	spin_unlock(&p->files->fd_lock);
	return fd;
}

/* Give f (whose reference moves to the table) the lowest free fd of p. */
int fd_install(struct proc *p, struct file *f, bool cloexec)
{
	int fd = -EMFILE, limit = fd_limit(p);

	spin_lock(&p->files->fd_lock);
	if (p->files->exiting)
		fd = -EBADF; /* decided under the lock: exit closes what is in */
	for (int i = 0; i < limit && fd == -EMFILE; i++) {
		if (!p->files->ofile[i]) {
			p->files->ofile[i] = f;
			p->files->cloexec[i] = cloexec;
			fd = i;
		}
	}
	spin_unlock(&p->files->fd_lock);
	return fd;
}

/* A counted reference to p's file at fd, or NULL. */
struct file *fd_get(struct proc *p, int fd)
{
	struct file *f = NULL;

	if (fd < 0 || fd >= NOFILE)
		return NULL;
	spin_lock(&p->files->fd_lock);
	f = p->files->ofile[fd];
	if (f)
		file_dup(f);
	spin_unlock(&p->files->fd_lock);
	return f;
}

/*
 * Take fd out of p's table; returns its file (the table's reference), or
 * NULL if there is none -- or if it is a ring and keep_ring (a ring's fd is
 * not closed through the ring itself): checked and removed under one lock.
 */
struct file *fd_remove(struct proc *p, int fd, bool keep_ring)
{
	struct file *f;

	if (fd < 0 || fd >= NOFILE)
		return NULL;
	spin_lock(&p->files->fd_lock);
	f = p->files->ofile[fd];
	if (f && keep_ring && f->ops == &ring_file_ops)
		f = NULL;
	else
		p->files->ofile[fd] = NULL;
	spin_unlock(&p->files->fd_lock);
	return f;
}

/* The memory-FS directory f is open on, or NULL if it is not one. */
struct inode *file_dir(struct file *f)
{
	return f->ops == &dir_file_ops ? f->ip : NULL;
}

/*
 * Linux's checks before a read or write moves anything (vfs_read,
 * vfs_write, rw_verify_area, import_ubuf), in Linux's order:
 *
 *   the fd is not open for it                 -EBADF
 *   the file has no such operation            -EINVAL
 *   the buffer fails access_ok() below        -EFAULT (even for 0 bytes)
 *   a position plus the count overflows       -EINVAL (rw_verify_area;
 *                                             file_pos_ok, fs.h)
 *
 * then the copy goes as far as the buffer is mapped (a fault after some
 * bytes is a short count, at the first byte -EFAULT).  Linux clamps the
 * count to MAX_RW_COUNT; one buffer here cannot be longer, since user
 * space is no bigger (asserted below), so only readv's total, which can
 * name the same memory many times, needs the clamp.
 */
#define MAX_RW_COUNT (0x7fffffffUL & ~(PGSIZE - 1)) /* INT_MAX & PAGE_MASK */
_Static_assert(USER_TOP - USER_MIN <= MAX_RW_COUNT,
	       "a user buffer could exceed MAX_RW_COUNT: clamp in file_read");
_Static_assert(FILE_RW_FAST_LIMIT == MAX_RW_COUNT, "fs.h's copy");
/* Linux's TASK_SIZE on Sv39 (256 GiB): access_ok's bound on a count */
#define LINUX_TASK_SIZE (1UL << 38)

/*
 * Linux's access_ok(addr, n), with this kernel's user space: an address at
 * or above USER_TOP is the kernel's, refused even for n == 0; a count is
 * bounded as on Linux (so (size_t)-1 is refused), and a range that starts
 * in user space but runs past its mappings passes here and stops where
 * they do, as it does on Linux.
 */
static bool access_ok(uint64_t addr, uint64_t n)
{
	_Static_assert(FILE_RW_FAST_LIMIT <= USER_TOP, "file_read's fast test");

	return addr < USER_TOP && n <= LINUX_TASK_SIZE - addr;
}

/* f open for reading (writing) and able to: 0, -EBADF or -EINVAL */
long file_rw_ok(struct file *f, bool write)
{
	if (!(write ? f->writable : f->readable))
		return -EBADF;
	if (!(write ? f->ops->write : f->ops->read))
		return -EINVAL;
	return 0;
}

/*
 * read(2) and write(2) when file_read/file_write's inline test (fs.h) did
 * not pass at once: every check, in the order above.
 */
long file_read_checked(struct file *f, const struct uview *v, uint64_t udst,
		       size_t n, int64_t off)
{
	long r = file_rw_ok(f, false);

	if (r)
		return r;
	if (!access_ok(udst, n))
		return -EFAULT;
	if (!file_pos_ok(off, n))
		return -EINVAL;
	if (n == 0 && !file_dir(f))
		return 0; /* a directory says -EISDIR even for 0 bytes */
	return f->ops->read(f, v, udst, n, off);
}

long file_write_checked(struct file *f, const struct uview *v, uint64_t usrc,
			size_t n, int64_t off)
{
	long r = file_rw_ok(f, true);

	if (r)
		return r;
	if (!access_ok(usrc, n))
		return -EFAULT;
	if (!file_pos_ok(off, n))
		return -EINVAL;
	if (n == 0)
		return 0; /* nothing moves, not even an O_APPEND offset */
	return f->ops->write(f, v, usrc, n, off);
}

/*
 * An iovec array imported as Linux's import_iovec does it, before anything
 * is transferred: up to IOV_FAST entries on the stack, more in kalloc'd
 * pages (UIO_MAXIOV entries are 16 KiB, as big as a kernel stack).
 */
#define IOV_FAST 8
#define IOV_PER_PAGE (PGSIZE / sizeof(struct abi_iovec))
#define IOV_PAGES ((ABI_UIO_MAXIOV + IOV_PER_PAGE - 1) / IOV_PER_PAGE)

struct iov_import {
	uint32_t cnt;
	struct abi_iovec fast[IOV_FAST];
	struct abi_iovec *page[IOV_PAGES];
};

static struct abi_iovec *iov_at(struct iov_import *im, uint32_t i)
{
	if (im->cnt <= IOV_FAST)
		return &im->fast[i];
	return &im->page[i / IOV_PER_PAGE][i % IOV_PER_PAGE];
}

static void iov_release(struct iov_import *im)
{
	for (uint32_t i = 0; i < IOV_PAGES; i++) {
		if (im->page[i])
			kfree(im->page[i]);
	}
}

/*
 * Import cnt iovecs from uiov into im (iov_release it, whatever the
 * result); returns the total length, or in Linux's order: more than
 * UIO_MAXIOV entries -EINVAL; the array not in user space, or an entry
 * that cannot be read, -EFAULT; an entry's length negative as an ssize_t
 * -EINVAL (the first of these two in array order); then a base failing
 * access_ok -EFAULT.  The total is clamped to MAX_RW_COUNT by shortening
 * the entries.  Each entry is read from user memory exactly once.
 */
static long iov_import(const struct uview *v, uint64_t uiov, uint64_t cnt,
		       struct iov_import *im)
{
	uint64_t total = 0;

	memset(im->page, 0, sizeof(im->page));
	im->cnt = 0;
	if (cnt > ABI_UIO_MAXIOV)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	if (!access_ok(uiov, cnt * sizeof(struct abi_iovec)))
		return -EFAULT;
	im->cnt = cnt;
	if (cnt > IOV_FAST) {
		for (uint32_t i = 0;
		     i < (cnt + IOV_PER_PAGE - 1) / IOV_PER_PAGE; i++) {
			im->page[i] = kalloc();
			if (!im->page[i])
				return -ENOMEM;
		}
	}
	for (uint32_t i = 0; i < cnt; i++) {
		struct abi_iovec *iov = iov_at(im, i);

		if (uview_copyin(v, iov, uiov + i * sizeof(*iov), sizeof(*iov)))
			return -EFAULT;
		if ((int64_t)iov->iov_len < 0)
			return -EINVAL;
	}
	if (cnt == 1) {
		/* one entry is a plain buffer: clamped, then checked */
		struct abi_iovec *iov = iov_at(im, 0);

		iov->iov_len = MIN(iov->iov_len, MAX_RW_COUNT);
		if (!access_ok(iov->iov_base, iov->iov_len))
			return -EFAULT;
		return iov->iov_len;
	}
	for (uint32_t i = 0; i < cnt; i++) {
		struct abi_iovec *iov = iov_at(im, i);

		if (!access_ok(iov->iov_base, iov->iov_len))
			return -EFAULT;
		iov->iov_len = MIN(iov->iov_len, MAX_RW_COUNT - total);
		total += iov->iov_len;
	}
	return total;
}

/*
 * readv/writev, the system calls' and the ring's READV/WRITEV: the whole
 * array is imported and checked first (iov_import), so that a bad entry
 * anywhere fails the call with nothing moved; then the file is checked
 * (file_rw_ok: the system calls have checked it before the import too, as
 * Linux's vfs_readv does, and the ring's, as io_uring's, only after); then
 * the entries are transferred in order, a short transfer or a fault
 * ending the call with what was done (or the error, if nothing was).
 * *short_io (if given): less than the whole was moved, or an error.
 */
long file_rw_iov(struct file *f, const struct uview *v, uint64_t uiov,
		 uint64_t cnt, int64_t off, bool write, bool *short_io)
{
	struct iov_import im;
	long total, done = 0, res = 0;

	total = iov_import(v, uiov, cnt, &im);
	if (total >= 0)
		res = file_rw_ok(f, write);
	if (total > 0 && !res && !file_pos_ok(off, total))
		res = -EINVAL;
	if (total < 0)
		res = total;
	for (uint32_t i = 0; total > 0 && !res && i < im.cnt; i++) {
		struct abi_iovec *iov = iov_at(&im, i);

		if (iov->iov_len == 0)
			continue;
		res = write ? f->ops->write(f, v, iov->iov_base, iov->iov_len,
					    off)
			    : f->ops->read(f, v, iov->iov_base, iov->iov_len,
					   off);
		if (res < 0)
			break;
		done += res;
		if (off != -1)
			off += res;
		if ((uint64_t)res < iov->iov_len)
			break;
		res = 0;
	}
	iov_release(&im);
	if (short_io)
		*short_io = res < 0 || done != total;
	return done ? done : res;
}

/* inode_file_ops: off == -1 is the file offset, else a position */
static long inode_file_read(struct file *f, const struct uview *v,
			    uint64_t udst, size_t n, int64_t off)
{
	uint64_t pos = off;

	return inode_read_user(f->ip, v, off == -1 ? &f->off : &pos, udst, n);
}

/* dir_file_ops: a directory reads as -EISDIR, as Linux's generic_read_dir */
static long dir_file_read(struct file *f, const struct uview *v,
			  uint64_t udst, size_t n, int64_t off)
{
	return -EISDIR;
}

static long inode_file_write(struct file *f, const struct uview *v,
			     uint64_t usrc, size_t n, int64_t off)
{
	uint64_t pos = off;

	return inode_write_user(f->ip, v, off == -1 ? &f->off : &pos, f->append,
				usrc, n);
}

static long inode_file_lseek(struct file *f, long off, long whence)
{
	return inode_seek(f->ip, &f->off, off, whence);
}

static void inode_file_stat(struct file *f, struct abi_stat *st)
{
	inode_stat(f->ip, st);
}

static void inode_file_release(void *private)
{
	inode_put(private);
}

/*
 * inode_file_ops.mmap: a regular file, opened for reading, MAP_PRIVATE only:
 * mm fills fresh pages with the file's bytes from off (VMA_COPY), a copy
 * made at mmap time.  MAP_SHARED would need the mapping to be the file's
 * own pages, kept while mapped and unlinked or truncated: -ENODEV.  The
 * type of an open inode does not change, so no fs_lock.
 */
static long inode_file_mmap(struct file *f, struct vma *v, uint64_t off,
			    uint64_t len)
{
	if (!f->readable)
		return -EACCES;
	if (f->ip->type != I_FILE || (v->flags & VMA_SHARED))
		return -ENODEV;
	v->flags |= VMA_COPY;
	return 0;
}

/* Files of the memory FS (f->ip, the file's reference). */
/* The memory FS keeps everything in RAM: nothing to write back. */
static long inode_file_fsync(struct file *f, bool datasync)
{
	return 0;
}

/*
 * fstat of an anonymous inode (an eventfd, timerfd or signalfd), as
 * Linux's: mode 0600, no type bits.
 */
void anon_inode_stat(struct file *f, struct abi_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
}

/* fsync(2), fdatasync(2) and a ring's FSYNC: the file's own fsync. */
long file_fsync(struct file *f, bool datasync)
{
	return f->ops->fsync ? f->ops->fsync(f, datasync) : -EINVAL;
}

const struct file_ops inode_file_ops = {
	.mmap = inode_file_mmap,
	.fsync = inode_file_fsync,
	.read = inode_file_read,
	.write = inode_file_write,
	.lseek = inode_file_lseek,
	.stat = inode_file_stat,
	.release = inode_file_release,
};

/* Its directories (never open for writing): getdents64 reads them. */
const struct file_ops dir_file_ops = {
	.read = dir_file_read,
	.fsync = inode_file_fsync,
	.lseek = inode_file_lseek,
	.stat = inode_file_stat,
	.release = inode_file_release,
};
