/*
 * The file system calls: openat, close, read, write, lseek, fstat,
 * newfstatat, getdents64, mkdirat, unlinkat.  Arguments are validated here
 * (flags, fds, user pointers, path lengths) and the work is done by fs.c and
 * console.c.  Normal core only, interrupts off.
 */
#include "defs.h"
#include "fs.h"
#include "proc.h"
#include "riscv.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

/*
 * Copy a path in from user space into a kalloc'd page (kfree it).  An empty
 * path is -ENOENT unless allow_empty (AT_EMPTY_PATH).
 */
static long path_in(uint64_t upath, char **out, bool allow_empty)
{
	char *buf = kalloc();
	long r;

	if (!buf)
		return -ENOMEM;
	r = copyinstr(this_proc()->pagetable, buf, upath, ABI_PATH_MAX);
	if (r == 0 && !allow_empty)
		r = -ENOENT;
	if (r < 0) {
		kfree(buf);
		return r;
	}
	*out = buf;
	return 0;
}

/* The directory a relative path starts from: AT_FDCWD is the root. */
static long dirfd_inode(long dirfd, struct inode **out)
{
	struct file *f;

	*out = NULL;
	if ((int)dirfd == ABI_AT_FDCWD)
		return 0;
	f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	if (f->type != F_INODE || f->ip->type != I_DIR)
		return -ENOTDIR;
	*out = f->ip;
	return 0;
}

long sys_openat(long dirfd, long upath, long flags, long mode, long a4, long a5)
{
	int acc = flags & ABI_O_ACCMODE;
	struct inode *base, *ip;
	struct file *f;
	char *path;
	long r, fd;

	/* as Linux's open: unknown flag bits are ignored */
	if (fd_free_slot() < 0)
		return -EMFILE; /* before creating anything */
	r = path_in(upath, &path, false);
	if (r < 0)
		return r;
	if (path[0] != '/') {
		r = dirfd_inode(dirfd, &base);
		if (r < 0)
			goto out_path;
	} else {
		base = NULL;
	}
	if (flags & ABI_O_CREAT)
		ip = fs_create(base, path, I_FILE, flags & ABI_O_EXCL, &r);
	else
		ip = fs_lookup(base, path, &r);
	if (!ip)
		goto out_path;
	if (ip->type == I_DIR &&
	    (acc != ABI_O_RDONLY || (flags & (ABI_O_CREAT | ABI_O_TRUNC)))) {
		r = -EISDIR;
		goto out_put;
	}
	if ((flags & ABI_O_DIRECTORY) && ip->type != I_DIR) {
		r = -ENOTDIR;
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
	if (ip->type == I_DEV) {
		f->type = F_CONSOLE; /* the only device */
		inode_put(ip);
	} else {
		f->type = F_INODE;
		f->ip = ip; /* the file owns the reference now */
		if ((flags & ABI_O_TRUNC) && ip->type == I_FILE)
			inode_truncate(ip);
	}
	fd = fd_install(f);
	if (fd < 0) {
		file_close(f);
		r = fd;
		goto out_path;
	}
	kfree(path);
	return fd;
out_put:
	inode_put(ip);
out_path:
	kfree(path);
	return r;
}

long sys_close(long fd, long a1, long a2, long a3, long a4, long a5)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	this_proc()->ofile[fd] = NULL;
	file_close(f);
	return 0;
}

long sys_read(long fd, long ubuf, long n, long a3, long a4, long a5)
{
	struct file *f = fd_get(fd);

	if (!f || !f->readable)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (f->type == F_CONSOLE)
		return console_read(ubuf, n);
	if (f->ip->type == I_DIR)
		return -EISDIR;
	return inode_read_user(f->ip, &f->off, ubuf, n);
}

long sys_write(long fd, long ubuf, long n, long a3, long a4, long a5)
{
	struct file *f = fd_get(fd);

	if (!f || !f->writable)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (f->type == F_CONSOLE)
		return console_write(ubuf, n);
	return inode_write_user(f->ip, &f->off, f->append, ubuf, n);
}

long sys_lseek(long fd, long off, long whence, long a3, long a4, long a5)
{
	struct file *f = fd_get(fd);
	struct abi_stat st;
	long pos;

	if (!f)
		return -EBADF;
	if (f->type != F_INODE)
		return -ESPIPE;
	switch (whence) {
	case ABI_SEEK_SET:
		pos = off;
		break;
	case ABI_SEEK_CUR:
		pos = f->off + off;
		break;
	case ABI_SEEK_END:
		inode_stat(f->ip, &st);
		pos = st.st_size + off;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	f->off = pos;
	return pos;
}

static long stat_out(struct inode *ip, bool console, uint64_t ust)
{
	struct abi_stat st;

	if (console) {
		memset(&st, 0, sizeof(st));
		st.st_mode = ABI_S_IFCHR | 0620;
		st.st_rdev = 0x0501; /* 5:1, Linux's /dev/console */
		st.st_nlink = 1;
		st.st_blksize = 4096;
	} else {
		inode_stat(ip, &st);
	}
	if (copyout(this_proc()->pagetable, ust, &st, sizeof(st)) < 0)
		return -EFAULT;
	return 0;
}

long sys_fstat(long fd, long ust, long a2, long a3, long a4, long a5)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	return stat_out(f->ip, f->type == F_CONSOLE, ust);
}

long sys_newfstatat(long dirfd, long upath, long ust, long flags, long a4,
		    long a5)
{
	struct inode *base, *ip;
	char *path;
	long r;

	if (flags & ~(ABI_AT_EMPTY_PATH | ABI_AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	r = path_in(upath, &path, flags & ABI_AT_EMPTY_PATH);
	if (r < 0)
		return r;
	if (!path[0]) {
		kfree(path);
		return sys_fstat(dirfd, ust, 0, 0, 0, 0);
	}
	r = path[0] == '/' ? (base = NULL, 0) : dirfd_inode(dirfd, &base);
	if (r < 0)
		goto out;
	ip = fs_lookup(base, path, &r);
	if (!ip)
		goto out;
	r = stat_out(ip, ip->type == I_DEV, ust);
	inode_put(ip);
out:
	kfree(path);
	return r;
}

#define DIRENT_NAME_OFF __builtin_offsetof(struct abi_dirent64, d_name)

/* Fill buf with linux_dirent64 records from the directory's offset on. */
long sys_getdents64(long fd, long ubuf, long ulen, long a3, long a4, long a5)
{
	uint32_t len = ulen; /* unsigned int count, as Linux */
	struct file *f = fd_get(fd);
	char rec[sizeof(struct abi_dirent64) + ABI_NAME_MAX + 1 + 8];
	struct abi_dirent64 *d = (struct abi_dirent64 *)rec;
	long done = 0;

	if (!f)
		return -EBADF;
	if (f->type != F_INODE || f->ip->type != I_DIR)
		return -ENOTDIR;
	for (;;) {
		uint64_t ino;
		int dtype;
		long r = inode_dirent(f->ip, f->off, d->d_name, ABI_NAME_MAX + 1,
				      &ino, &dtype);
		size_t reclen;

		if (r < 0)
			return r;
		if (r == 0)
			break;
		reclen = ROUNDUP(DIRENT_NAME_OFF + strlen(d->d_name) + 1, 8);
		if (done + reclen > len) {
			if (done == 0)
				return -EINVAL; /* buffer too small */
			break;
		}
		d->d_ino = ino;
		d->d_off = f->off + 1;
		d->d_reclen = reclen;
		d->d_type = dtype;
		memset(d->d_name + strlen(d->d_name), 0,
		       reclen - DIRENT_NAME_OFF - strlen(d->d_name));
		if (copyout(this_proc()->pagetable, ubuf + done, rec, reclen) < 0)
			return done ? done : -EFAULT;
		done += reclen;
		f->off++;
	}
	return done;
}

long sys_mkdirat(long dirfd, long upath, long mode, long a3, long a4, long a5)
{
	struct inode *base = NULL, *ip;
	char *path;
	long r;

	r = path_in(upath, &path, false);
	if (r < 0)
		return r;
	if (path[0] != '/')
		r = dirfd_inode(dirfd, &base);
	if (r == 0) {
		ip = fs_create(base, path, I_DIR, true, &r);
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
	struct inode *base = NULL;
	char *path;
	long r;

	if (flags & ~ABI_AT_REMOVEDIR)
		return -EINVAL;
	r = path_in(upath, &path, false);
	if (r < 0)
		return r;
	if (path[0] != '/')
		r = dirfd_inode(dirfd, &base);
	if (r == 0)
		r = fs_unlink(base, path, flags & ABI_AT_REMOVEDIR);
	kfree(path);
	return r;
}
