/*
 * Duplicating file descriptors and their flags, as Linux's fs/fcntl.c and
 * fs/file.c: dup, dup3, fcntl (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD,
 * F_GETFL, F_SETFL).  A descriptor is a slot of the process's table
 * (p->files->ofile, p->files->cloexec) holding a reference to a struct file; the status
 * flags (O_APPEND, O_NONBLOCK) belong to the file and are shared by every
 * duplicate, the close-on-exec flag belongs to the slot.
 *
 * Locking: p->files->fd_lock around every look at or change of the table (the IO
 * core may be installing an fd for one of p's rings at the same time); a
 * file replaced by dup3 is put after the lock is dropped.
 */
#include "core/proc.h"
#include "core/spinlock.h"
#include "fs/fs.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

/* oldfd's file into the lowest free slot >= min; the new fd or -errno. */
static long dup_from(struct proc *p, long oldfd, long min, bool cloexec)
{
	long fd = -EMFILE;

	if (min < 0 || min >= fd_limit(p))
		return -EINVAL;
	spin_lock(&p->files->fd_lock);
	if (oldfd < 0 || oldfd >= NOFILE || !p->files->ofile[oldfd]) {
		fd = -EBADF;
	} else if (!p->files->exiting) {
		for (int i = min; i < fd_limit(p); i++) {
			if (!p->files->ofile[i]) {
				p->files->ofile[i] = file_dup(p->files->ofile[oldfd]);
				p->files->cloexec[i] = cloexec;
				fd = i;
				break;
			}
		}
	}
	spin_unlock(&p->files->fd_lock);
	return fd;
}

long sys_dup(long oldfd, long a1, long a2, long a3, long a4, long a5)
{
	return dup_from(this_proc(), oldfd, 0, false);
}

long sys_dup3(long oldfd, long newfd, long flags, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct file *old = NULL;
	long r = newfd;

	if (flags & ~ABI_O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= fd_limit(p))
		return -EBADF;
	spin_lock(&p->files->fd_lock);
	if (oldfd < 0 || oldfd >= NOFILE || !p->files->ofile[oldfd]) {
		r = -EBADF;
	} else if (p->files->exiting) {
		r = -EBADF;
	} else {
		old = p->files->ofile[newfd];
		p->files->ofile[newfd] = file_dup(p->files->ofile[oldfd]);
		p->files->cloexec[newfd] = flags & ABI_O_CLOEXEC;
	}
	spin_unlock(&p->files->fd_lock);
	if (old)
		file_put(old); /* closed silently, as dup2 does */
	return r;
}

/*
 * F_GETFL: the access mode and the status flags, O_LARGEFILE included for
 * what openat opened (Linux's force_o_largefile on 64-bit; not for pipes,
 * eventfds, rings, or the console fds the kernel opened itself)
 */
static long file_getfl(const struct file *f)
{
	long fl = f->readable && f->writable ? ABI_O_RDWR
		  : f->writable		   ? ABI_O_WRONLY
					   : ABI_O_RDONLY;

	if (!f->readable && !f->writable)
		fl = 3; /* opened with access mode 3 */
	if (f->append)
		fl |= ABI_O_APPEND;
	if (f->nonblock)
		fl |= ABI_O_NONBLOCK;
	if (f->largefile)
		fl |= ABI_O_LARGEFILE;
	return fl;
}

long sys_fcntl(long fd, long cmd, long arg, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct file *f;
	long r = 0;

	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return dup_from(p, fd, arg, cmd == F_DUPFD_CLOEXEC);
	if (cmd == F_GETFD || cmd == F_SETFD) {
		spin_lock(&p->files->fd_lock);
		if (fd < 0 || fd >= NOFILE || !p->files->ofile[fd])
			r = -EBADF;
		else if (cmd == F_GETFD)
			r = p->files->cloexec[fd] ? FD_CLOEXEC : 0;
		else
			p->files->cloexec[fd] = arg & FD_CLOEXEC;
		spin_unlock(&p->files->fd_lock);
		return r;
	}
	f = fd_get(p, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_GETFL:
		r = file_getfl(f);
		break;
	case F_SETFL:
		/* only these can change; the access mode and the rest stay */
		f->append = arg & ABI_O_APPEND;
		f->nonblock = arg & ABI_O_NONBLOCK;
		break;
	default:
		r = -EINVAL; /* locks, owners, leases, ...: not built */
		break;
	}
	file_put(f);
	return r;
}
