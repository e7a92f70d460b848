/*
 * POSIX-style wrappers over the kernel's system calls, so that ordinary C
 * programs build against picolibc: each raw call returns -errno, the wrapper
 * sets errno and returns -1.  picolibc's open flags, AT_FDCWD and struct
 * stat differ from the kernel's (Linux's, include/uapi/abi.h): they are
 * translated here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <uapi/trace.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/abi.h>

long __syscall_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = -r;
		return -1;
	}
	return r;
}

int __libuser_abi_dirfd(int dirfd)
{
	return dirfd == AT_FDCWD ? ABI_AT_FDCWD : dirfd;
}

int __libuser_abi_open_flags(int flags)
{
	int f = flags & O_ACCMODE; /* same values */

	if (flags & O_CREAT)
		f |= ABI_O_CREAT;
	if (flags & O_EXCL)
		f |= ABI_O_EXCL;
	if (flags & O_TRUNC)
		f |= ABI_O_TRUNC;
	if (flags & O_APPEND)
		f |= ABI_O_APPEND;
	if (flags & O_NONBLOCK)
		f |= ABI_O_NONBLOCK;
	if (flags & O_NOCTTY)
		f |= ABI_O_NOCTTY;
#ifdef O_DIRECTORY
	if (flags & O_DIRECTORY)
		f |= ABI_O_DIRECTORY;
#endif
#ifdef O_CLOEXEC
	if (flags & O_CLOEXEC)
		f |= ABI_O_CLOEXEC;
#endif
	return f;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
	va_end(ap);
	return __syscall_ret(__syscall4(SYS_openat, __libuser_abi_dirfd(dirfd), path,
					__libuser_abi_open_flags(flags), mode));
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
	va_end(ap);
	return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
	return __syscall_ret(__syscall1(SYS_close, fd));
}

ssize_t read(int fd, void *buf, size_t n)
{
	return __syscall_ret(__syscall3(SYS_read, fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return __syscall_ret(__syscall3(SYS_write, fd, buf, n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return __syscall_ret(__syscall4(SYS_pread64, fd, buf, n, off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return __syscall_ret(__syscall4(SYS_pwrite64, fd, buf, n, off));
}

off_t lseek(int fd, off_t off, int whence)
{
	return __syscall_ret(__syscall3(SYS_lseek, fd, off, whence));
}

static void stat_from_abi(struct stat *st, const struct abi_stat *k)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = k->st_dev;
	st->st_ino = k->st_ino;
	st->st_mode = k->st_mode;
	st->st_nlink = k->st_nlink;
	st->st_uid = k->st_uid;
	st->st_gid = k->st_gid;
	st->st_rdev = k->st_rdev;
	st->st_size = k->st_size;
	st->st_blksize = k->st_blksize;
	st->st_blocks = k->st_blocks;
	st->st_atim.tv_sec = k->st_atime_sec;
	st->st_atim.tv_nsec = k->st_atime_nsec;
	st->st_mtim.tv_sec = k->st_mtime_sec;
	st->st_mtim.tv_nsec = k->st_mtime_nsec;
	st->st_ctim.tv_sec = k->st_ctime_sec;
	st->st_ctim.tv_nsec = k->st_ctime_nsec;
}

int fstat(int fd, struct stat *st)
{
	struct abi_stat k;
	long r = __syscall2(SYS_fstat, fd, &k);

	if (r == 0)
		stat_from_abi(st, &k);
	return __syscall_ret(r);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct abi_stat k;
	int kflags = 0;
	long r;

	if (flags & 16) /* picolibc's AT_EMPTY_PATH (only with _GNU_SOURCE) */
		kflags |= ABI_AT_EMPTY_PATH;
	if (flags & AT_SYMLINK_NOFOLLOW)
		kflags |= ABI_AT_SYMLINK_NOFOLLOW;
	r = __syscall4(SYS_newfstatat, __libuser_abi_dirfd(dirfd), path, &k, kflags);

	if (r == 0)
		stat_from_abi(st, &k);
	return __syscall_ret(r);
}

int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int isatty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	if (!S_ISCHR(st.st_mode)) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return __syscall_ret(__syscall3(SYS_mkdirat, __libuser_abi_dirfd(dirfd), path, mode));
}

int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	return __syscall_ret(__syscall3(SYS_unlinkat, __libuser_abi_dirfd(dirfd), path,
					(flags & AT_REMOVEDIR) ? ABI_AT_REMOVEDIR : 0));
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

pid_t getpid(void)
{
	return __syscall0(SYS_getpid);
}

pid_t getppid(void)
{
	return __syscall0(SYS_getppid);
}

void _exit(int status)
{
	__syscall1(SYS_exit_group, status);
	for (;;)
		;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return __syscall_ret(__syscall4(SYS_wait4, pid, status,
					(options & WNOHANG) ? ABI_WNOHANG : 0, 0));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int sched_yield(void)
{
	return __syscall_ret(__syscall0(SYS_sched_yield));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct abi_timespec k = { req->tv_sec, req->tv_nsec };
	long r = __syscall2(SYS_nanosleep, &k, 0);

	if (rem) {
		rem->tv_sec = 0;
		rem->tv_nsec = 0;
	}
	return __syscall_ret(r);
}

unsigned sleep(unsigned sec)
{
	struct timespec ts = { sec, 0 };

	nanosleep(&ts, NULL);
	return 0;
}

int usleep(useconds_t us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

/* picolibc's clock ids differ from Linux's; unknown ones give EINVAL */
static int abi_clock(clockid_t clk)
{
	if (clk == CLOCK_REALTIME)
		return ABI_CLOCK_REALTIME;
#ifdef CLOCK_MONOTONIC
	if (clk == CLOCK_MONOTONIC)
		return ABI_CLOCK_MONOTONIC;
#endif
	return -1;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	struct abi_timespec k;
	long r = __syscall2(SYS_clock_gettime, abi_clock(clk), &k);

	if (r == 0) {
		ts->tv_sec = k.tv_sec;
		ts->tv_nsec = k.tv_nsec;
	}
	return __syscall_ret(r);
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts = { 0, 0 };

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

static uintptr_t cur_brk; /* the break, as the kernel last said */

int brk(void *addr)
{
	uintptr_t got = __syscall1(SYS_brk, addr);

	cur_brk = got;
	if (got != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	uintptr_t old;

	if (!cur_brk)
		cur_brk = __syscall1(SYS_brk, 0);
	old = cur_brk;
	if (incr && brk((void *)(old + incr)) < 0)
		return (void *)-1;
	return (void *)old;
}

int spawn(const char *path, char *const argv[])
{
	return __syscall_ret(__syscall2(SYS_spawn, path, argv));
}

long iocore_ping(long n)
{
	return __syscall_ret(__syscall1(SYS_iocore_ping, n));
}

int trace_ctl(int on)
{
	static struct utrace_area *paused;
	long r = __syscall1(SYS_trace_ctl, on);

	/* this process stops and starts its own user-side records too */
	if (r >= 0 && !on && __utrace) {
		paused = __utrace;
		__utrace = NULL;
	} else if (r >= 0 && on && paused) {
		__utrace = paused;
		paused = NULL;
	}
	return __syscall_ret(r);
}

long free_pages(void)
{
	struct abi_sysinfo si;

	if (__syscall_ret(__syscall1(SYS_sysinfo, &si)) < 0)
		return -1;
	return si.freeram * si.mem_unit / 4096;
}

void poweroff(void)
{
	__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, ABI_REBOOT_MAGIC2,
		   ABI_REBOOT_CMD_POWER_OFF, 0);
	_exit(1);
}

struct __dirstream {
	int fd;
	int pos, len;
	char buf[2048];
	struct dirent ent;
};

DIR *opendir(const char *path)
{
	DIR *d;
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

struct dirent *readdir(DIR *d)
{
	struct abi_dirent64 *k;

	if (d->pos >= d->len) {
		long n = __syscall3(SYS_getdents64, d->fd, d->buf, sizeof(d->buf));

		if (n <= 0) {
			if (n < 0)
				errno = -n;
			return NULL;
		}
		d->len = n;
		d->pos = 0;
	}
	k = (struct abi_dirent64 *)(d->buf + d->pos);
	d->pos += k->d_reclen;
	d->ent.d_ino = k->d_ino;
	d->ent.d_off = k->d_off;
	d->ent.d_reclen = sizeof(d->ent);
	d->ent.d_type = k->d_type;
	strncpy(d->ent.d_name, k->d_name, sizeof(d->ent.d_name) - 1);
	d->ent.d_name[sizeof(d->ent.d_name) - 1] = 0;
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = __syscall6(SYS_mmap, (long)addr, len, prot, flags, fd, off);

	if (r < 0 && r > -4096) {
		errno = -r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap(void *addr, size_t len)
{
	return __syscall_ret(__syscall2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return __syscall_ret(__syscall3(SYS_mprotect, addr, len, prot));
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(__syscall3(SYS_readv, fd, iov, iovcnt));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(__syscall3(SYS_writev, fd, iov, iovcnt));
}
