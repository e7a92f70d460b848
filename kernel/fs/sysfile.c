/*
 * The file system calls: openat, close, read, write, lseek, fstat,
 * newfstatat, statx, faccessat/faccessat2, getdents64, mkdirat, unlinkat,
 * symlinkat, readlinkat, renameat2, utimensat, fchmodat, fchmod, linkat
 * (-EPERM), sync, fsync, fdatasync; the current directory
 * (getcwd, chdir, fchdir: struct proc.cwd, under the process's fd_lock,
 * because a ring's OPENAT on the IO core starts relative paths there).  Arguments are validated here
 * (flags, fds, user pointers, path lengths) and the work is done by fs.c,
 * file.c and console.c.  openat and close are split into a part that takes
 * the process explicitly (file_openat, file_close_fd), which the IO core's
 * ring operations share.  System calls run on the normal core.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/types.h"
#include "drivers/console.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

/*
 * Copy a path in from user memory into a kalloc'd page (kfree it).  An empty
 * path is -ENOENT unless allow_empty (AT_EMPTY_PATH).
 */
long path_in(pagetable_t pt, uint64_t upath, char **out, bool allow_empty)
{
	char *buf = kalloc();
	long r;

	if (!buf)
		return -ENOMEM;
	r = copyinstr(pt, buf, upath, ABI_PATH_MAX);
	if (r == 0 && !allow_empty)
		r = -ENOENT;
	if (r < 0) {
		kfree(buf);
		return r;
	}
	*out = buf;
	return 0;
}

/*
 * The directory a path starts from: NULL (the root) for an absolute path,
 * the process's cwd for AT_FDCWD (NULL: the root), else dirfd's
 * directory, with a reference (inode_put it).
 */
static long path_base(struct proc *p, long dirfd, const char *path,
		      struct inode **out)
{
	struct file *f;
	long r = 0;

	*out = NULL;
	if (path[0] == '/')
		return 0;
	if ((int)dirfd == ABI_AT_FDCWD) {
		/* the cwd; the IO core (a ring's OPENAT) reads it too */
		spin_lock(&p->files->fd_lock);
		*out = p->files->cwd;
		if (*out)
			inode_get(*out);
		spin_unlock(&p->files->fd_lock);
		return 0;
	}
	f = fd_get(p, dirfd);
	if (!f)
		return -EBADF;
	*out = file_dir(f);
	if (*out)
		inode_get(*out);
	else
		r = -ENOTDIR;
	file_put(f);
	return r;
}

static void base_put(struct inode *base)
{
	if (base)
		inode_put(base);
}

/*
 * The inode path names from dirfd (path_base, then fs_lookup_at), or NULL;
 * a symbolic link as the last component is followed if follow.
 */
static struct inode *path_lookup_follow(struct proc *p, long dirfd,
					const char *path, bool follow,
					long *err)
{
	struct inode *base, *ip;

	*err = path_base(p, dirfd, path, &base);
	if (*err < 0)
		return NULL;
	ip = fs_lookup_at(base, path, follow, err);
	base_put(base);
	return ip;
}

static struct inode *path_lookup_at(struct proc *p, long dirfd,
				    const char *path, long *err)
{
	return path_lookup_follow(p, dirfd, path, true, err);
}

/* path_lookup_at of a user path (copied in: -EFAULT, -ENAMETOOLONG...) */
static struct inode *user_path_lookup(struct proc *p, long dirfd,
				      uint64_t upath, long *err)
{
	struct inode *ip;
	char *path;

	*err = path_in(p->mm->pagetable, upath, &path, false);
	if (*err < 0)
		return NULL;
	ip = path_lookup_at(p, dirfd, path, err);
	kfree(path);
	return ip;
}

/*
 * The flag combinations Linux's build_open_flags refuses, before the path
 * is looked at (unknown bits are ignored, as open and openat do):
 * O_CREAT with O_DIRECTORY (Linux >= 6.4), O_TMPFILE without write access.
 */
static long open_flags_check(long flags)
{
	int acc = flags & ABI_O_ACCMODE;

	if ((flags & (ABI_O_CREAT | ABI_O_DIRECTORY)) ==
	    (ABI_O_CREAT | ABI_O_DIRECTORY))
		return -EINVAL;
	if ((flags & ABI___O_TMPFILE) &&
	    (!(flags & ABI_O_DIRECTORY) || acc == ABI_O_RDONLY))
		return -EINVAL;
	return 0;
}

/*
 * O_TMPFILE: the memory FS cannot make an unnamed file; as Linux on a file
 * system without tmpfile, the directory is looked up and the answer is
 * -EOPNOTSUPP.
 */
static long open_tmpfile(struct inode *base, const char *path)
{
	long r;
	struct inode *ip = fs_lookup(base, path, &r);

	if (!ip)
		return r;
	r = ip->type == I_DIR ? -EOPNOTSUPP : -ENOTDIR;
	inode_put(ip);
	return r;
}

/*
 * Open path for process p (a kernel copy of it) into *fp, a new file with
 * one reference; 0 or -errno.  Checks in Linux's order: the flags
 * (-EINVAL), a free fd (-EMFILE, if need_fd), the directory fd (-EBADF,
 * -ENOTDIR), the path.
 */
static long open_file(struct proc *p, long dirfd, const char *path, long flags,
		      bool need_fd, struct file **fp)
{
	int acc = flags & ABI_O_ACCMODE;
	struct inode *base, *ip;
	struct file *f;
	long r;

	r = open_flags_check(flags);
	if (r < 0)
		return r;
	if (need_fd && fd_free_slot(p) < 0)
		return -EMFILE; /* before creating anything */
	r = path_base(p, dirfd, path, &base);
	if (r < 0)
		return r;
	if (flags & ABI___O_TMPFILE) {
		r = open_tmpfile(base, path);
		base_put(base);
		return r;
	}
	if (flags & ABI_O_CREAT)
		ip = fs_create(base, path, I_FILE, flags & ABI_O_EXCL, &r);
	else
		ip = fs_lookup_at(base, path, !(flags & ABI_O_NOFOLLOW), &r);
	base_put(base);
	if (!ip)
		return r;
	if (ip->type == I_SYMLINK) {
		r = -ELOOP; /* O_NOFOLLOW on a symbolic link */
		goto out_put;
	}
	if (ip->type == I_DIR &&
	    (acc != ABI_O_RDONLY || (flags & (ABI_O_CREAT | ABI_O_TRUNC)))) {
		r = -EISDIR;
		goto out_put;
	}
	if ((flags & ABI_O_DIRECTORY) && ip->type != I_DIR) {
		r = -ENOTDIR;
		goto out_put;
	}
	if (ip->type == I_DEV && !dev_file_ops(ip->rdev)) {
		r = -ENXIO;
		goto out_put;
	}
	f = file_alloc();
	if (!f) {
		r = -ENFILE;
		goto out_put;
	}
	/* access mode 3 gives neither read nor write, as on Linux */
	f->readable = acc == ABI_O_RDONLY || acc == ABI_O_RDWR;
	f->writable = acc == ABI_O_WRONLY || acc == ABI_O_RDWR;
	f->append = flags & ABI_O_APPEND;
	f->nonblock = flags & ABI_O_NONBLOCK;
	f->largefile = true; /* openat forces O_LARGEFILE, as Linux on 64-bit */
	if (ip->type == I_DEV) {
		f->ops = dev_file_ops(ip->rdev); /* dev.c; checked above */
		f->private = (void *)(uint64_t)ip->rdev;
		inode_put(ip);
	} else {
		f->ops = ip->type == I_DIR ? &dir_file_ops : &inode_file_ops;
		f->ip = ip; /* the file owns the reference now */
		if ((flags & ABI_O_TRUNC) && ip->type == I_FILE)
			inode_truncate(ip, 0);
	}
	*fp = f;
	return 0;
out_put:
	inode_put(ip);
	return r;
}

/* openat for process p with a kernel copy of the path; returns the fd. */
long file_openat(struct proc *p, long dirfd, const char *path, long flags)
{
	struct file *f;
	long fd = open_file(p, dirfd, path, flags, true, &f);

	if (fd < 0)
		return fd;
	fd = fd_install(p, f, flags & ABI_O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* openat without an fd (a ring's direct descriptor): the file, in *fp. */
long file_open_nofd(struct proc *p, long dirfd, const char *path, long flags,
		    struct file **fp)
{
	return open_file(p, dirfd, path, flags, false, fp);
}

/* close(fd) for p; from a ring (from_ring), not a ring's own fd: -EBADF */
long file_close_fd(struct proc *p, long fd, bool from_ring)
{
	struct file *f = fd_remove(p, fd, from_ring);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* flags is an int, as Linux's: the upper half of the register is ignored */
long sys_openat(long dirfd, long upath, long flags, long mode, long a4, long a5)
{
	struct proc *p = this_proc();
	char *path;
	long r = open_flags_check((int)flags); /* before the path, as Linux */

	if (r < 0)
		return r;
	r = path_in(p->mm->pagetable, upath, &path, false);
	if (r < 0)
		return r;
	r = file_openat(p, dirfd, path, (int)flags);
	kfree(path);
	return r;
}

long sys_close(long fd, long a1, long a2, long a3, long a4, long a5)
{
	return file_close_fd(this_proc(), fd, false);
}

/*
 * read, write, pread64, pwrite64 (off >= 0, or -1: the file position), in
 * Linux's order: the fd (-EBADF), a position on what cannot seek
 * (-ESPIPE), then file_read/file_write's checks (-EBADF, -EINVAL, -EFAULT
 * for a buffer outside user space or a count no buffer can have, as
 * (size_t)-1).
 */
static long rw(long fd, long ubuf, size_t n, long off, bool write)
{
	struct proc *p = this_proc();
	struct file *f = fd_get(p, fd);
	struct uview v = { .pt = p->mm->pagetable };
	long r;

	if (!f)
		return -EBADF;
	if (off != -1 && !f->ops->lseek)
		r = -ESPIPE;
	else if (write)
		r = file_write(f, &v, ubuf, n, off);
	else
		r = file_read(f, &v, ubuf, n, off);
	file_put(f);
	return r;
}

long sys_read(long fd, long ubuf, long n, long a3, long a4, long a5)
{
	return rw(fd, ubuf, n, -1, false);
}

long sys_write(long fd, long ubuf, long n, long a3, long a4, long a5)
{
	return rw(fd, ubuf, n, -1, true);
}

/* as Linux: a negative position is -EINVAL before the fd is looked at */
long sys_pread64(long fd, long ubuf, long n, long off, long a4, long a5)
{
	return off < 0 ? -EINVAL : rw(fd, ubuf, n, off, false);
}

long sys_pwrite64(long fd, long ubuf, long n, long off, long a4, long a5)
{
	return off < 0 ? -EINVAL : rw(fd, ubuf, n, off, true);
}

/*
 * readv, writev: the fd (-EBADF), the file's mode (-EBADF, -EINVAL), then
 * the iovec array as a whole (file_rw_iov).  cnt is an unsigned long, as
 * Linux's: anything above UIO_MAXIOV is -EINVAL.
 */
static long rwv(long fd, long uiov, unsigned long cnt, bool write)
{
	struct proc *p = this_proc();
	struct file *f = fd_get(p, fd);
	struct uview v = { .pt = p->mm->pagetable };
	long r;

	if (!f)
		return -EBADF;
	r = file_rw_ok(f, write);
	if (!r)
		r = file_rw_iov(f, &v, uiov, cnt, -1, write, NULL);
	file_put(f);
	return r;
}

long sys_readv(long fd, long uiov, long cnt, long a3, long a4, long a5)
{
	return rwv(fd, uiov, cnt, false);
}

long sys_writev(long fd, long uiov, long cnt, long a3, long a4, long a5)
{
	return rwv(fd, uiov, cnt, true);
}

static long seek(struct file *f, long off, long whence)
{
	if (!f->ops->lseek)
		return -ESPIPE;
	return f->ops->lseek(f, off, whence);
}

long sys_lseek(long fd, long off, long whence, long a3, long a4, long a5)
{
	struct file *f = fd_get(this_proc(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = seek(f, off, (unsigned int)whence); /* unsigned int, as Linux */
	file_put(f);
	return r;
}

/* what fstat says of f (a file without stat: a ring, an anonymous inode) */
static void file_stat(struct file *f, struct abi_stat *st)
{
	if (f->ops->stat)
		f->ops->stat(f, st);
	else
		memset(st, 0, sizeof(*st));
}

static long fstat_file(struct file *f, uint64_t ust)
{
	struct abi_stat st;

	file_stat(f, &st);
	if (copyout(this_proc()->mm->pagetable, ust, &st, sizeof(st)) < 0)
		return -EFAULT;
	return 0;
}

long sys_fstat(long fd, long ust, long a2, long a3, long a4, long a5)
{
	struct file *f = fd_get(this_proc(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = fstat_file(f, ust);
	file_put(f);
	return r;
}

/*
 * The stat of what path names from dirfd; an empty path (the caller
 * allowed it: AT_EMPTY_PATH) names dirfd itself, or the cwd for AT_FDCWD;
 * AT_SYMLINK_NOFOLLOW in flags stats a symbolic link itself (lstat).
 */
static long stat_at(struct proc *p, long dirfd, char *path, long flags,
		    struct abi_stat *st)
{
	struct inode *ip;
	struct file *f;
	long r;

	if (!path[0] && (int)dirfd != ABI_AT_FDCWD) {
		f = fd_get(p, dirfd);
		if (!f)
			return -EBADF;
		file_stat(f, st);
		file_put(f);
		return 0;
	}
	if (!path[0])
		strlcpy(path, ".", 2); /* AT_FDCWD itself (AT_EMPTY_PATH) */
	ip = path_lookup_follow(p, dirfd, path,
				!(flags & ABI_AT_SYMLINK_NOFOLLOW), &r);
	if (!ip)
		return r;
	inode_stat(ip, st); /* devices: S_IFCHR and st_rdev */
	inode_put(ip);
	return 0;
}

/*
 * As Linux's vfs_statx: these flags are accepted (no automounts, nothing
 * to sync here), any other bit is -EINVAL.
 */
#define STAT_FLAGS (ABI_AT_EMPTY_PATH | ABI_AT_SYMLINK_NOFOLLOW | \
		    ABI_AT_NO_AUTOMOUNT | ABI_AT_STATX_SYNC_TYPE)

long sys_newfstatat(long dirfd, long upath, long ust, long flags, long a4,
		    long a5)
{
	struct proc *p = this_proc();
	struct abi_stat st;
	char *path;
	long r;

	flags = (int)flags; /* an int, as Linux's */
	if (flags & ~STAT_FLAGS)
		return -EINVAL;
	r = path_in(p->mm->pagetable, upath, &path, flags & ABI_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	r = stat_at(p, dirfd, path, flags, &st);
	kfree(path);
	if (!r && copyout(p->mm->pagetable, ust, &st, sizeof(st)) < 0)
		r = -EFAULT;
	return r;
}

/* Linux's new_decode_dev: a dev_t's major and minor */
static uint32_t dev_major(uint64_t dev)
{
	return (dev & 0xfff00) >> 8;
}

static uint32_t dev_minor(uint64_t dev)
{
	return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

static struct abi_statx_timestamp statx_time(int64_t sec, uint64_t nsec)
{
	return (struct abi_statx_timestamp){ .tv_sec = sec, .tv_nsec = nsec };
}

/*
 * struct statx from what stat knows: every basic field and the mount id
 * (Linux's vfs_statx adds STATX_MNT_ID whatever was asked; the memory FS
 * is mount 1 and its root directory STATX_ATTR_MOUNT_ROOT); no birth time.
 */
static void statx_fill(const struct abi_stat *st, bool root,
		       struct abi_statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = ABI_STATX_BASIC_STATS | ABI_STATX_MNT_ID;
	sx->stx_blksize = st->st_blksize;
	sx->stx_attributes = root ? ABI_STATX_ATTR_MOUNT_ROOT : 0;
	sx->stx_attributes_mask = ABI_STATX_ATTR_MOUNT_ROOT;
	sx->stx_nlink = st->st_nlink;
	sx->stx_uid = st->st_uid;
	sx->stx_gid = st->st_gid;
	sx->stx_mode = st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = st->st_size;
	sx->stx_blocks = st->st_blocks;
	sx->stx_atime = statx_time(st->st_atime_sec, st->st_atime_nsec);
	sx->stx_mtime = statx_time(st->st_mtime_sec, st->st_mtime_nsec);
	sx->stx_ctime = statx_time(st->st_ctime_sec, st->st_ctime_nsec);
	sx->stx_rdev_major = dev_major(st->st_rdev);
	sx->stx_rdev_minor = dev_minor(st->st_rdev);
	sx->stx_dev_major = dev_major(st->st_dev);
	sx->stx_dev_minor = dev_minor(st->st_dev);
	sx->stx_mnt_id = st->st_dev ? 1 : 0;
}

/*
 * statx: Linux's order: STATX__RESERVED in the mask and both sync flags
 * together (-EINVAL), the other flags (-EINVAL), the path (-EFAULT,
 * -ENOENT for an empty one without AT_EMPTY_PATH), the lookup, the copy
 * out (-EFAULT).  The mask asks for fields; what is filled is stx_mask.
 */
long sys_statx(long dirfd, long upath, long flags, long mask, long usx,
	       long a5)
{
	struct proc *p = this_proc();
	struct abi_stat st, root_st;
	struct abi_statx sx;
	char *path;
	long r;

	flags = (int)flags; /* unsigned ints, as Linux's */
	if ((uint32_t)mask & ABI_STATX__RESERVED)
		return -EINVAL;
	if ((flags & ABI_AT_STATX_SYNC_TYPE) == ABI_AT_STATX_SYNC_TYPE ||
	    (flags & ~STAT_FLAGS))
		return -EINVAL;
	r = path_in(p->mm->pagetable, upath, &path, flags & ABI_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	r = stat_at(p, dirfd, path, flags, &st);
	if (!r) {
		strlcpy(path, "/", 2);
		r = stat_at(p, ABI_AT_FDCWD, path, 0, &root_st);
	}
	kfree(path);
	if (r < 0)
		return r;
	statx_fill(&st, st.st_dev && st.st_dev == root_st.st_dev &&
			       st.st_ino == root_st.st_ino, &sx);
	if (copyout(p->mm->pagetable, usx, &sx, sizeof(sx)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * faccessat2 (faccessat: flags 0): may the caller, uid 0, access what path
 * names with mode?  As Linux's generic_permission for a process with
 * CAP_DAC_OVERRIDE: reading and writing always, executing (X_OK) if some x
 * bit is set or it is a directory.  AT_EACCESS changes nothing (the real
 * and effective ids are both 0), AT_SYMLINK_NOFOLLOW neither (no symbolic
 * links).  Errors in Linux's order: mode, flags (-EINVAL), the path, the
 * lookup, then -EACCES.
 */
static long access_at(long dirfd, long upath, long mode, long flags)
{
	struct proc *p = this_proc();
	struct abi_stat st;
	char *path;
	long r;

	mode = (int)mode;
	flags = (int)flags;
	if (mode & ~(ABI_R_OK | ABI_W_OK | ABI_X_OK))
		return -EINVAL;
	if (flags & ~(ABI_AT_EACCESS | ABI_AT_SYMLINK_NOFOLLOW |
		      ABI_AT_EMPTY_PATH))
		return -EINVAL;
	r = path_in(p->mm->pagetable, upath, &path, flags & ABI_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	r = stat_at(p, dirfd, path, flags, &st);
	kfree(path);
	if (r < 0)
		return r;
	if ((mode & ABI_X_OK) && (st.st_mode & ABI_S_IFMT) != ABI_S_IFDIR &&
	    !(st.st_mode & 0111))
		return -EACCES;
	return 0;
}

long sys_faccessat(long dirfd, long upath, long mode, long a3, long a4,
		   long a5)
{
	return access_at(dirfd, upath, mode, 0);
}

long sys_faccessat2(long dirfd, long upath, long mode, long flags, long a4,
		    long a5)
{
	return access_at(dirfd, upath, mode, flags);
}

#define DIRENT_NAME_OFF __builtin_offsetof(struct abi_dirent64, d_name)

/* Fill buf with linux_dirent64 records from the directory's offset on. */
static long getdents(struct file *f, uint64_t ubuf, uint32_t len)
{
	char rec[sizeof(struct abi_dirent64) + ABI_NAME_MAX + 1 + 8];
	struct abi_dirent64 *d = (struct abi_dirent64 *)rec;
	uint32_t done = 0;
	struct abi_stat st;

	if (!file_dir(f))
		return -ENOTDIR;
	inode_stat(f->ip, &st);
	if (st.st_nlink == 0)
		return -ENOENT; /* removed: Linux's IS_DEADDIR */
	for (;;) {
		uint64_t ino;
		int dtype;
		long r = inode_dirent(f->ip, f->off, d->d_name, ABI_NAME_MAX + 1,
				      &ino, &dtype);
		size_t namelen, reclen;

		if (r < 0)
			return r;
		if (r == 0)
			break;
		namelen = strlen(d->d_name);
		reclen = ROUNDUP(DIRENT_NAME_OFF + namelen + 1, 8);
		if (done + reclen > len) {
			if (done == 0)
				return -EINVAL; /* buffer too small */
			break;
		}
		d->d_ino = ino;
		d->d_off = f->off + 1;
		d->d_reclen = reclen;
		d->d_type = dtype;
		memset(d->d_name + namelen, 0, reclen - DIRENT_NAME_OFF - namelen);
		if (copyout(this_proc()->mm->pagetable, ubuf + done, rec, reclen) < 0)
			return done ? (long)done : -EFAULT;
		done += reclen;
		f->off++;
	}
	return done;
}

long sys_getdents64(long fd, long ubuf, long len, long a3, long a4, long a5)
{
	struct file *f = fd_get(this_proc(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = getdents(f, ubuf, (uint32_t)len); /* unsigned int count, as Linux */
	file_put(f);
	return r;
}

long sys_mkdirat(long dirfd, long upath, long mode, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct inode *base, *ip;
	char *path;
	long r;

	r = path_in(p->mm->pagetable, upath, &path, false);
	if (r < 0)
		return r;
	r = path_base(p, dirfd, path, &base);
	if (r == 0) {
		ip = fs_create(base, path, I_DIR, true, &r);
		base_put(base);
		if (ip) {
			inode_put(ip);
			r = 0;
		}
	}
	kfree(path);
	return r;
}

long sys_unlinkat(long dirfd, long upath, long flags, long a3, long a4,
		  long a5)
{
	struct proc *p = this_proc();
	struct inode *base;
	char *path;
	long r;

	if ((int)flags & ~ABI_AT_REMOVEDIR) /* an int, as Linux's */
		return -EINVAL;
	r = path_in(p->mm->pagetable, upath, &path, false);
	if (r < 0)
		return r;
	r = path_base(p, dirfd, path, &base);
	if (r == 0) {
		r = fs_unlink(base, path, flags & ABI_AT_REMOVEDIR);
		base_put(base);
	}
	kfree(path);
	return r;
}

/* ioctl: the file's own requests (file_ops.ioctl), else -ENOTTY. */
long sys_ioctl(long fd, long request, long arg, long a3, long a4, long a5)
{
	struct file *f = fd_get(this_proc(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = f->ops->ioctl ? f->ops->ioctl(f, (unsigned int)request, arg)
			  : -ENOTTY;
	file_put(f);
	return r;
}

/*
 * readlinkat: the target of a symbolic link, at most bufsiz bytes, no NUL;
 * a path that is not a link is -EINVAL, one that does not exist gives the
 * lookup's error (so /proc/self/exe, which glibc asks for: -ENOENT).
 */
long sys_readlinkat(long dirfd, long upath, long ubuf, long bufsiz, long a4,
		    long a5)
{
	struct proc *p = this_proc();
	struct inode *ip;
	char *path;
	long r;

	if ((int)bufsiz <= 0)
		return -EINVAL;
	r = path_in(p->mm->pagetable, upath, &path, true);
	if (r < 0)
		return r;
	if (!path[0]) {
		/* an empty path names dirfd itself (AT_EMPTY_PATH is implied) */
		struct file *f = NULL;

		if ((int)dirfd != ABI_AT_FDCWD && !(f = fd_get(p, dirfd)))
			r = -EBADF;
		else
			r = -EINVAL;
		if (f)
			file_put(f);
		goto out;
	}
	ip = path_lookup_follow(p, dirfd, path, false, &r);
	if (!ip)
		goto out;
	/* the target into the path's page, then out */
	r = inode_readlink(ip, path, MIN((uint64_t)(int)bufsiz, ABI_PATH_MAX));
	inode_put(ip);
	if (r > 0 && copyout(p->mm->pagetable, ubuf, path, r) < 0)
		r = -EFAULT;
out:
	kfree(path);
	return r;
}

/*
 * The two paths of symlinkat, renameat2 and linkat into kernel pages
 * (path_in, in order); on an error neither is held.
 */
static long two_paths_in(struct proc *p, uint64_t ua, char **a, uint64_t ub,
			 char **b)
{
	long r = path_in(p->mm->pagetable, ua, a, false);

	if (r < 0)
		return r;
	r = path_in(p->mm->pagetable, ub, b, false);
	if (r < 0)
		kfree(*a);
	return r < 0 ? r : 0;
}

/* symlinkat(target, newdirfd, linkpath): an empty target is -ENOENT */
long sys_symlinkat(long utarget, long dirfd, long upath, long a3, long a4,
		   long a5)
{
	struct proc *p = this_proc();
	struct inode *base;
	char *target, *path;
	long r;

	r = two_paths_in(p, utarget, &target, upath, &path);
	if (r < 0)
		return r;
	r = path_base(p, dirfd, path, &base);
	if (r == 0) {
		r = fs_symlink(base, path, target, strlen(target));
		base_put(base);
	}
	kfree(path);
	kfree(target);
	return r;
}

/*
 * renameat2: flags 0 or RENAME_NOREPLACE; RENAME_EXCHANGE and
 * RENAME_WHITEOUT are -EINVAL, as on a Linux file system without them.
 */
long sys_renameat2(long odirfd, long uold, long ndirfd, long unew, long flags,
		   long a5)
{
	struct proc *p = this_proc();
	struct inode *obase = NULL, *nbase = NULL;
	char *old, *new;
	long r;

	if ((unsigned int)flags & ~ABI_RENAME_NOREPLACE)
		return -EINVAL;
	r = two_paths_in(p, uold, &old, unew, &new);
	if (r < 0)
		return r;
	r = path_base(p, odirfd, old, &obase);
	if (r == 0)
		r = path_base(p, ndirfd, new, &nbase);
	if (r == 0)
		r = fs_rename(obase, old, nbase, new,
			      flags & ABI_RENAME_NOREPLACE);
	base_put(obase);
	base_put(nbase);
	kfree(new);
	kfree(old);
	return r;
}

#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

/*
 * One of utimensat's times as time-CSR ticks since boot (the memory FS's
 * clock, which CLOCK_REALTIME also counts from; a time before it is kept
 * as 0); *omit for UTIME_OMIT.
 */
static long utime_ticks(const struct abi_timespec *ts, uint64_t *t,
			bool *omit)
{
	*omit = ts->tv_nsec == UTIME_OMIT;
	if (ts->tv_nsec == UTIME_NOW || *omit) {
		*t = rdtime();
		return 0;
	}
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	*t = ts->tv_sec < 0 ? 0 : (uint64_t)ts->tv_sec * timebase_hz +
		(uint64_t)ts->tv_nsec * timebase_hz / 1000000000;
	return 0;
}

/*
 * utimensat: the memory FS keeps one time, the modification time (stat
 * reports it as all three), so times[1] is what is set; times NULL (or
 * UTIME_NOW) is now.  A NULL path is the file dirfd names (futimens).
 */
long sys_utimensat(long dirfd, long upath, long utimes, long flags, long a4,
		   long a5)
{
	struct proc *p = this_proc();
	struct abi_timespec ts[2];
	struct inode *ip = NULL;
	struct file *f = NULL;
	char *path = NULL;
	uint64_t t[2];
	bool omit[2] = { false, false };
	long r;

	flags = (int)flags;
	if (flags & ~(ABI_AT_SYMLINK_NOFOLLOW | ABI_AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copyin(p->mm->pagetable, ts, utimes, sizeof(ts)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			r = utime_ticks(&ts[i], &t[i], &omit[i]);
			if (r < 0)
				return r;
		}
	} else {
		t[1] = rdtime();
	}
	if (upath) {
		r = path_in(p->mm->pagetable, upath, &path,
			    flags & ABI_AT_EMPTY_PATH);
		if (r < 0)
			return r;
	} else if ((int)dirfd == ABI_AT_FDCWD) {
		return -EFAULT; /* Linux looks the NULL path up */
	}
	if (path && path[0]) {
		ip = path_lookup_follow(p, dirfd, path,
					!(flags & ABI_AT_SYMLINK_NOFOLLOW), &r);
	} else if ((int)dirfd == ABI_AT_FDCWD && path) {
		ip = path_lookup_at(p, dirfd, ".", &r);
	} else if (!(f = fd_get(p, dirfd))) {
		r = -EBADF;
	} else if (f->ops == &inode_file_ops || f->ops == &dir_file_ops) {
		ip = f->ip;
		inode_get(ip);
	} else {
		r = 0; /* a device or pipe: nothing kept to change */
	}
	if (f)
		file_put(f);
	if (ip) {
		if (!omit[1])
			inode_set_mtime(ip, t[1]);
		inode_put(ip);
		r = 0;
	}
	if (path)
		kfree(path);
	return r;
}

/*
 * linkat: the memory FS has one name per inode (its entry is the inode), so
 * no hard links: -EPERM once both paths check out, as Linux on a file
 * system without them (vfat).  Flags: AT_SYMLINK_FOLLOW, AT_EMPTY_PATH.
 */
long sys_linkat(long odirfd, long uold, long ndirfd, long unew, long flags,
		long a5)
{
	struct proc *p = this_proc();
	struct inode *ip = NULL, *there;
	char *old, *new;
	long r;

	if ((int)flags & ~(ABI_AT_SYMLINK_FOLLOW | ABI_AT_EMPTY_PATH))
		return -EINVAL;
	r = two_paths_in(p, uold, &old, unew, &new);
	if (r < 0)
		return r;
	ip = path_lookup_follow(p, odirfd, old, flags & ABI_AT_SYMLINK_FOLLOW,
				&r);
	if (!ip)
		goto out;
	there = path_lookup_follow(p, ndirfd, new, false, &r);
	if (there) {
		inode_put(there);
		r = -EEXIST;
	} else if (r == -ENOENT) {
		r = -EPERM;
	}
	inode_put(ip);
out:
	kfree(new);
	kfree(old);
	return r;
}

/* sync, fsync, fdatasync: the memory FS has nothing to write back */
long sys_sync(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}

/* truncate and ftruncate: a regular file's new size (Linux's errors) */
static long truncate_inode(struct inode *ip, long len)
{
	if (len < 0)
		return -EINVAL;
	if (ip->type == I_DIR)
		return -EISDIR;
	if (ip->type != I_FILE)
		return -EINVAL;
	return inode_truncate(ip, len);
}

long sys_truncate(long upath, long len, long a2, long a3, long a4, long a5)
{
	struct inode *ip;
	long r;

	ip = user_path_lookup(this_proc(), ABI_AT_FDCWD, upath, &r);
	if (!ip)
		return r;
	r = truncate_inode(ip, len);
	inode_put(ip);
	return r;
}

long sys_ftruncate(long fd, long len, long a2, long a3, long a4, long a5)
{
	struct file *f = fd_get(this_proc(), fd);
	long r;

	if (!f)
		return -EBADF;
	if (f->ops != &inode_file_ops || !f->writable)
		r = -EINVAL; /* not a file open for writing, as Linux */
	else
		r = truncate_inode(f->ip, len);
	file_put(f);
	return r;
}

/*
 * fadvise64: the advice is taken (POSIX_FADV_NORMAL .. NOREUSE) and
 * nothing done, as for a file system without readahead; a pipe is
 * -ESPIPE, an unknown advice or a negative length -EINVAL.
 */
long sys_fadvise64(long fd, long off, long len, long advice, long a4,
		   long a5)
{
	struct file *f = fd_get(this_proc(), fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (f->ops == &pipe_file_ops)
		r = -ESPIPE;
	else if (len < 0 || advice < 0 || advice > 5)
		r = -EINVAL;
	file_put(f);
	return r;
}

/* fsync and fdatasync: the file's own fsync (file_fsync; -EINVAL if none) */
static long fsync_fd(long fd, bool datasync)
{
	struct file *f = fd_get(this_proc(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = file_fsync(f, datasync);
	file_put(f);
	return r;
}

long sys_fsync(long fd, long a1, long a2, long a3, long a4, long a5)
{
	return fsync_fd(fd, false);
}

long sys_fdatasync(long fd, long a1, long a2, long a3, long a4, long a5)
{
	return fsync_fd(fd, true);
}

/*
 * fchmodat (following a symbolic link, as Linux's) and fchmod: the
 * permission bits (07777) the memory FS keeps; they are reported by stat
 * and faccessat's X_OK, but nothing else checks them (everyone is root, and
 * execve runs a file without an execute bit).  fchmod of what is not a
 * memory-FS file (a pipe, the console) changes nothing and succeeds.
 */
long sys_fchmodat(long dirfd, long upath, long mode, long a3, long a4,
		  long a5)
{
	struct proc *p = this_proc();
	struct inode *ip;
	char *path;
	long r;

	r = path_in(p->mm->pagetable, upath, &path, false);
	if (r < 0)
		return r;
	ip = path_lookup_at(p, dirfd, path, &r);
	if (ip) {
		inode_chmod(ip, mode);
		inode_put(ip);
		r = 0;
	}
	kfree(path);
	return r;
}

long sys_fchmod(long fd, long mode, long a2, long a3, long a4, long a5)
{
	struct file *f = fd_get(this_proc(), fd);

	if (!f)
		return -EBADF;
	if (f->ops == &inode_file_ops || f->ops == &dir_file_ops)
		inode_chmod(f->ip, mode);
	file_put(f);
	return 0;
}

/* ---- the current directory: getcwd, chdir, fchdir ---- */

/* Make dir (a reference, given to p) p's current directory. */
static void set_cwd(struct proc *p, struct inode *dir)
{
	struct inode *old;

	spin_lock(&p->files->fd_lock);
	old = p->files->cwd;
	p->files->cwd = dir;
	spin_unlock(&p->files->fd_lock);
	if (old)
		inode_put(old);
}

long sys_getcwd(long ubuf, long size, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	char *buf = kalloc();
	long r;

	if (!buf)
		return -ENOMEM;
	/* the path in a page (PATH_MAX), then as much as the caller has */
	r = inode_path(p->files->cwd, buf, ABI_PATH_MAX);
	if (r > 0 && (uint64_t)r > (uint64_t)size)
		r = -ERANGE;
	if (r > 0 && copyout(p->mm->pagetable, ubuf, buf, r) < 0)
		r = -EFAULT;
	kfree(buf);
	return r;
}

long sys_chdir(long upath, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct inode *ip;
	long r;

	ip = user_path_lookup(p, ABI_AT_FDCWD, upath, &r);
	if (!ip)
		return r;
	if (ip->type != I_DIR) {
		inode_put(ip);
		return -ENOTDIR;
	}
	set_cwd(p, ip);
	return 0;
}

long sys_fchdir(long fd, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct file *f = fd_get(p, fd);
	struct inode *dir;

	if (!f)
		return -EBADF;
	dir = file_dir(f);
	if (dir)
		inode_get(dir);
	file_put(f);
	if (!dir)
		return -ENOTDIR;
	set_cwd(p, dir);
	return 0;
}
