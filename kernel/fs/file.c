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
 * ops table (fs.h); inode_file_ops, the memory FS's, is here.
 */
#include "core/param.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

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

	/* acq_rel: the releasing side's uses of f happen before the reuse */
	if (__atomic_sub_fetch(&f->ref, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (ops->release)
		ops->release(private);
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

/* The lowest free fd of p, or -EMFILE. */
int fd_free_slot(struct proc *p)
{
	int fd = -EMFILE;

	spin_lock(&p->fd_lock);
	for (int i = 0; i < NOFILE; i++) {
		if (!p->ofile[i]) {
			fd = i;
			break;
		}
	}
	spin_unlock(&p->fd_lock);
	return fd;
}

/* Give f (whose reference moves to the table) the lowest free fd of p. */
int fd_install(struct proc *p, struct file *f, bool cloexec)
{
	int fd = -EMFILE;

	spin_lock(&p->fd_lock);
	if (p->exiting)
		fd = -EBADF; /* decided under the lock: exit closes what is in */
	for (int i = 0; i < NOFILE && fd == -EMFILE; i++) {
		if (!p->ofile[i]) {
			p->ofile[i] = f;
			p->cloexec[i] = cloexec;
			fd = i;
		}
	}
	spin_unlock(&p->fd_lock);
	return fd;
}

/* A counted reference to p's file at fd, or NULL. */
struct file *fd_get(struct proc *p, int fd)
{
	struct file *f = NULL;

	if (fd < 0 || fd >= NOFILE)
		return NULL;
	spin_lock(&p->fd_lock);
	f = p->ofile[fd];
	if (f)
		file_dup(f);
	spin_unlock(&p->fd_lock);
	return f;
}

/*
 * fd_get for the IO core (a ring operation): NULL with *err -EBADF for no
 * file, -EAGAIN for one whose operations may sleep (normal_core_only),
 * without taking a reference, so that its last reference is never the IO
 * core's.
 */
struct file *fd_get_ring(struct proc *p, int fd, long *err)
{
	struct file *f = NULL;

	*err = -EBADF;
	if (fd < 0 || fd >= NOFILE)
		return NULL;
	spin_lock(&p->fd_lock);
	f = p->ofile[fd];
	if (f && f->ops->normal_core_only) {
		*err = -EAGAIN;
		f = NULL;
	} else if (f) {
		file_dup(f);
	}
	spin_unlock(&p->fd_lock);
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
	spin_lock(&p->fd_lock);
	f = p->ofile[fd];
	if (f && keep_ring && f->ops == &ring_file_ops)
		f = NULL;
	else
		p->ofile[fd] = NULL;
	spin_unlock(&p->fd_lock);
	return f;
}

/* The memory-FS directory f is open on, or NULL if it is not one. */
struct inode *file_dir(struct file *f)
{
	if (f->ops != &inode_file_ops || f->ip->type != I_DIR)
		return NULL;
	return f->ip;
}

/*
 * read(2) and write(2) on a file into or from user memory reached through v
 * (the caller's page table, or a ring owner's, or a registered buffer): the
 * common part of the system calls and the ring operations.  off == -1 means
 * the file position.
 */
long file_read(struct file *f, const struct uview *v, uint64_t udst, size_t n,
	       int64_t off)
{
	if (!f->readable)
		return -EBADF;
	if (n == 0)
		return 0;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, v, udst, n, off);
}

/*
 * readv/writev: the iovec array at uiov is read from user memory one entry
 * at a time, each once; a short transfer ends the call.
 */
long file_rw_iov(struct file *f, const struct uview *v, uint64_t uiov,
		 uint32_t cnt, int64_t off, bool write, bool *short_io)
{
	long done = 0, res = 0;

	if (short_io)
		*short_io = false;

	if (cnt > ABI_UIO_MAXIOV)
		return -EINVAL;
	for (uint32_t i = 0; i < cnt; i++) {
		struct abi_iovec iov;

		if (uview_copyin(v, &iov, uiov + i * sizeof(iov), sizeof(iov)) < 0) {
			res = -EFAULT;
			break;
		}
		if ((int64_t)iov.iov_len < 0) {
			res = -EINVAL;
			break;
		}
		if (iov.iov_len == 0)
			continue;
		res = write ? file_write(f, v, iov.iov_base, iov.iov_len, off)
			    : file_read(f, v, iov.iov_base, iov.iov_len, off);
		if (res < 0)
			break;
		done += res;
		if (off != -1)
			off += res;
		if ((uint64_t)res < iov.iov_len) {
			if (short_io)
				*short_io = true; /* less than asked for */
			break;
		}
	}
	if (res < 0 && short_io)
		*short_io = true;
	return done ? done : res;
}

long file_write(struct file *f, const struct uview *v, uint64_t usrc, size_t n,
		int64_t off)
{
	if (!f->writable)
		return -EBADF;
	if (n == 0)
		return 0;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, v, usrc, n, off);
}

/* inode_file_ops: off == -1 is the file offset, else a position */
static long inode_file_read(struct file *f, const struct uview *v,
			    uint64_t udst, size_t n, int64_t off)
{
	uint64_t pos = off;

	if (f->ip->type == I_DIR)
		return -EISDIR;
	return inode_read_user(f->ip, v, off == -1 ? &f->off : &pos, udst, n);
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

/* Files and directories of the memory FS (f->ip, the file's reference). */
const struct file_ops inode_file_ops = {
	.mmap = inode_file_mmap,
	.read = inode_file_read,
	.write = inode_file_write,
	.lseek = inode_file_lseek,
	.stat = inode_file_stat,
	.release = inode_file_release,
};
