/*
 * smallsys: the ordinary system calls a glibc program and its test suites
 * need beyond the basics, checked from a program built with Debian's
 * riscv64-linux-gnu-gcc -static: statx, faccessat/faccessat2, madvise,
 * RLIMIT_NOFILE at every call that makes an fd (and F_GETFL's
 * O_LARGEFILE), ppoll/pselect6 with a signal mask, and the growing stack
 * (more than 1 MiB of recursion, the kernel writing to a stack page not yet
 * touched, RLIMIT_STACK's end, fork copying only the pages in use), then
 * no page leaked.  KTAP as procs.c prints it (lktest.h: each case in a
 * forked child; pytests/test_smallsys.py makes one item per case of the
 * table below).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../include/uapi/layout.h" /* USTACK_TOP, USTACK_BOTTOM */

#include "lktest.h"

#define O_LARGEFILE_BITS 0100000 /* glibc's headers say 0 on 64-bit */
#define STATX_RESERVED 0x80000000U
#define PAGE 4096

static int make_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, data, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ---- statx ---- */

static long raw_statx(int dirfd, const void *path, long flags, long mask,
		      void *buf)
{
	return syscall(SYS_statx, dirfd, path, flags, mask, buf);
}

static void t_statx(void)
{
	struct statx sx;
	struct stat st;
	int fd, pfd[2];

	if (make_file("/tmp/statx", "0123456789", 10) < 0) {
		fail("make /tmp/statx");
		return;
	}
	memset(&sx, 0xff, sizeof(sx));
	expect_eq(raw_statx(AT_FDCWD, "/tmp/statx", 0, STATX_BASIC_STATS, &sx),
		  0, "statx a file");
	expect_eq(stat("/tmp/statx", &st), 0, "stat it");
	expect_eq(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS,
		  "stx_mask has the basic stats");
	expect_eq(sx.stx_mask & STATX_BTIME, 0, "no birth time");
	expect_eq(sx.stx_size, 10, "stx_size");
	expect_eq(sx.stx_mode, st.st_mode, "stx_mode = st_mode");
	expect_eq(S_ISREG(sx.stx_mode), 1, "a regular file");
	expect_eq(sx.stx_ino, st.st_ino, "stx_ino = st_ino");
	expect_eq(sx.stx_nlink, 1, "stx_nlink");
	expect_eq(sx.stx_uid | sx.stx_gid, 0, "uid, gid 0");
	expect_eq(sx.stx_blksize, st.st_blksize, "stx_blksize");
	expect_eq(sx.stx_blocks, st.st_blocks, "stx_blocks");
	expect_eq(sx.stx_mtime.tv_sec, st.st_mtim.tv_sec, "stx_mtime.tv_sec");
	expect_eq(sx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec, "stx_mtime.tv_nsec");
	expect_eq(sx.stx_dev_major, major(st.st_dev), "stx_dev_major");
	expect_eq(sx.stx_dev_minor, minor(st.st_dev), "stx_dev_minor");
	expect_eq(sx.__spare3[0] | sx.__spare3[11], 0, "the spare words zeroed");
	expect_eq(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT, 0,
		  "a file is not the mount root");
	/* a mask of 0 still gets what the FS has (Linux fills them all) */
	expect_eq(raw_statx(AT_FDCWD, "/tmp/statx", 0, 0, &sx), 0, "mask 0");
	expect_eq(sx.stx_size, 10, "mask 0: stx_size still filled");
	/* the sync flags, AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT are accepted */
	expect_eq(raw_statx(AT_FDCWD, "/tmp/statx",
			    AT_STATX_FORCE_SYNC | AT_SYMLINK_NOFOLLOW |
				    AT_NO_AUTOMOUNT,
			    STATX_ALL, &sx),
		  0, "AT_STATX_FORCE_SYNC | AT_SYMLINK_NOFOLLOW");
	expect_eq(raw_statx(AT_FDCWD, "/tmp/statx", AT_STATX_DONT_SYNC,
			    STATX_SIZE, &sx),
		  0, "AT_STATX_DONT_SYNC");
	/* glibc's own statx() */
	expect_eq(statx(AT_FDCWD, "/tmp/statx", 0, STATX_SIZE, &sx), 0,
		  "glibc statx()");
	/* a directory, the root, a device */
	expect_eq(raw_statx(AT_FDCWD, "/tmp", 0, STATX_BASIC_STATS, &sx), 0,
		  "statx /tmp");
	expect_eq(S_ISDIR(sx.stx_mode), 1, "/tmp is a directory");
	expect_eq(raw_statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &sx), 0,
		  "statx /");
	expect_eq(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT,
		  STATX_ATTR_MOUNT_ROOT, "/ is the mount root");
	expect_eq(sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT,
		  STATX_ATTR_MOUNT_ROOT, "attributes_mask says so");
	expect_eq(raw_statx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, &sx),
		  0, "statx /dev/null");
	expect_eq(S_ISCHR(sx.stx_mode), 1, "/dev/null: a character device");
	expect_eq(sx.stx_rdev_major * 1000 + sx.stx_rdev_minor, 1003,
		  "/dev/null is 1:3");
	/* relative to a directory fd, and the fd itself with AT_EMPTY_PATH */
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_eq(raw_statx(fd, "statx", 0, STATX_SIZE, &sx), 0,
		  "relative to a dirfd");
	expect_eq(sx.stx_size, 10, "the dirfd's file");
	close(fd);
	fd = open("/tmp/statx", O_RDONLY);
	expect_eq(raw_statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx), 0,
		  "AT_EMPTY_PATH on a file fd");
	expect_eq(sx.stx_size, 10, "AT_EMPTY_PATH: the fd's file");
	expect_err(raw_statx(fd, "x", 0, STATX_SIZE, &sx), ENOTDIR,
		   "relative to a file fd");
	close(fd);
	expect_eq(raw_statx(AT_FDCWD, "", AT_EMPTY_PATH, STATX_TYPE, &sx), 0,
		  "AT_EMPTY_PATH with AT_FDCWD: the cwd");
	expect_eq(S_ISDIR(sx.stx_mode), 1, "the cwd is a directory");
	if (pipe(pfd) == 0) {
		expect_eq(raw_statx(pfd[0], "", AT_EMPTY_PATH, STATX_TYPE, &sx),
			  0, "AT_EMPTY_PATH on a pipe");
		expect_eq(S_ISFIFO(sx.stx_mode), 1, "a pipe is a FIFO");
		close(pfd[0]);
		close(pfd[1]);
	}
	/* errors */
	expect_err(raw_statx(AT_FDCWD, "/tmp/statx", 0x1, STATX_SIZE, &sx),
		   EINVAL, "an unknown flag");
	expect_err(raw_statx(AT_FDCWD, "/tmp/statx",
			     AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
			     STATX_SIZE, &sx),
		   EINVAL, "both sync flags");
	expect_err(raw_statx(AT_FDCWD, "/tmp/statx", 0, STATX_RESERVED, &sx),
		   EINVAL, "STATX__RESERVED in the mask");
	expect_err(raw_statx(AT_FDCWD, "/tmp/statx", 0, STATX_SIZE,
			     (void *)8),
		   EFAULT, "a bad buffer");
	expect_err(raw_statx(AT_FDCWD, (void *)8, 0, STATX_SIZE, &sx), EFAULT,
		   "a bad path pointer");
	expect_err(raw_statx(AT_FDCWD, "", 0, STATX_SIZE, &sx), ENOENT,
		   "an empty path without AT_EMPTY_PATH");
	expect_err(raw_statx(AT_FDCWD, "/tmp/none", 0, STATX_SIZE, &sx), ENOENT,
		   "no such file");
	expect_err(raw_statx(AT_FDCWD, "/tmp/statx/x", 0, STATX_SIZE, &sx),
		   ENOTDIR, "a file in the middle of the path");
	expect_err(raw_statx(99, "", AT_EMPTY_PATH, STATX_SIZE, &sx), EBADF,
		   "AT_EMPTY_PATH on a bad fd");
	expect_err(raw_statx(99, "x", 0, STATX_SIZE, &sx), EBADF,
		   "relative to a bad dirfd");
	unlink("/tmp/statx");
}

/* ---- faccessat, faccessat2 ---- */

static long raw_faccessat(int dirfd, const void *path, long mode)
{
	return syscall(SYS_faccessat, dirfd, path, mode);
}

static long raw_faccessat2(int dirfd, const void *path, long mode, long flags)
{
	return syscall(SYS_faccessat2, dirfd, path, mode, flags);
}

static void t_access(void)
{
	int fd;

	if (make_file("/tmp/acc", "x", 1) < 0) {
		fail("make /tmp/acc");
		return;
	}
	expect_eq(access("/tmp/acc", F_OK), 0, "F_OK");
	expect_eq(access("/tmp/acc", R_OK | W_OK), 0, "R_OK|W_OK on 0644");
	expect_err(access("/tmp/acc", X_OK), EACCES, "X_OK on 0644");
	expect_eq(access("/tmp", R_OK | W_OK | X_OK), 0, "rwx on a directory");
	expect_eq(access("/bin/smallsys", X_OK), 0,
		  "X_OK on a program (the initrd's 0755)");
	expect_eq(access("/dev/null", R_OK | W_OK), 0, "R_OK|W_OK on /dev/null");
	expect_err(access("/dev/null", X_OK), EACCES, "X_OK on /dev/null");
	expect_err(access("/tmp/none", F_OK), ENOENT, "no such file");
	expect_err(access("/tmp/acc/x", F_OK), ENOTDIR, "through a file");
	expect_err(access("", F_OK), ENOENT, "an empty path");
	expect_err(raw_faccessat(AT_FDCWD, (void *)8, F_OK), EFAULT,
		   "a bad path pointer");
	expect_err(raw_faccessat(AT_FDCWD, "/tmp/acc", 8), EINVAL,
		   "mode 8");
	expect_err(raw_faccessat(AT_FDCWD, "/tmp/acc", -1), EINVAL,
		   "mode -1");
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_eq(raw_faccessat(fd, "acc", R_OK), 0, "relative to a dirfd");
	expect_err(raw_faccessat(99, "acc", R_OK), EBADF, "a bad dirfd");
	close(fd);
	/* faccessat2: the flags */
	expect_eq(raw_faccessat2(AT_FDCWD, "/tmp/acc", R_OK, AT_EACCESS), 0,
		  "AT_EACCESS");
	expect_eq(raw_faccessat2(AT_FDCWD, "/tmp/acc", W_OK,
				 AT_SYMLINK_NOFOLLOW),
		  0, "AT_SYMLINK_NOFOLLOW");
	fd = open("/tmp/acc", O_RDONLY);
	expect_eq(raw_faccessat2(fd, "", R_OK | W_OK, AT_EMPTY_PATH), 0,
		  "AT_EMPTY_PATH on a file fd");
	expect_err(raw_faccessat2(fd, "", X_OK, AT_EMPTY_PATH), EACCES,
		   "AT_EMPTY_PATH, X_OK on a 0644 file");
	expect_err(raw_faccessat2(fd, "", R_OK, 0), ENOENT,
		   "an empty path without AT_EMPTY_PATH");
	close(fd);
	expect_err(raw_faccessat2(AT_FDCWD, "/tmp/acc", R_OK, AT_NO_AUTOMOUNT),
		   EINVAL, "a flag faccessat2 does not know");
	expect_err(raw_faccessat2(AT_FDCWD, "/tmp/acc", 0x10, 0), EINVAL,
		   "faccessat2 mode 0x10");
	/* glibc's faccessat with flags goes to faccessat2 */
	expect_eq(faccessat(AT_FDCWD, "/tmp/acc", R_OK, AT_EACCESS), 0,
		  "glibc faccessat(AT_EACCESS)");
	unlink("/tmp/acc");
}

/* ---- madvise ---- */

static int all(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static unsigned char *dontneed_area;

static int child_sees_zeros(void)
{
	return all(dontneed_area, 2 * PAGE, 0) ? 0 : 1;
}

static void t_madvise(void)
{
	unsigned char *a = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int advice[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL,
			 MADV_WILLNEED };
	long before;

	if (a == MAP_FAILED || s == MAP_FAILED) {
		fail("mmap");
		return;
	}
	memset(a, 0xa5, 8 * PAGE);
	memset(s, 0x5a, 2 * PAGE);
	for (int i = 0; i < 4; i++)
		expect_eq(madvise(a, 8 * PAGE, advice[i]), 0, "advice 0-3");
	expect_eq(all(a, 8 * PAGE, 0xa5), 1, "informing advice keeps data");
	/* DONTNEED: those pages read back as zeros, the others stay */
	before = free_pages();
	expect_eq(madvise(a + 2 * PAGE, 2 * PAGE, MADV_DONTNEED), 0,
		  "MADV_DONTNEED");
	expect_eq(free_pages() - before, 2, "its 2 pages were freed");
	expect_eq(all(a + 2 * PAGE, 2 * PAGE, 0), 1, "read back as zeros");
	expect_eq(all(a, 2 * PAGE, 0xa5) && all(a + 4 * PAGE, 4 * PAGE, 0xa5),
		  1, "the pages around them kept");
	a[2 * PAGE] = 7;
	expect_eq(a[2 * PAGE], 7, "written again after DONTNEED");
	/* a child forked after DONTNEED sees zeros there too */
	expect_eq(madvise(a + 6 * PAGE, 2 * PAGE, MADV_DONTNEED), 0,
		  "DONTNEED before a fork");
	dontneed_area = a + 6 * PAGE;
	expect_eq(run_child(child_sees_zeros), 0, "the child reads zeros");
	/* MADV_FREE may free at once: here as DONTNEED */
	expect_eq(madvise(a, PAGE, MADV_FREE), 0, "MADV_FREE");
	expect_eq(all(a, PAGE, 0) || all(a, PAGE, 0xa5), 1,
		  "after MADV_FREE: zeros or the data");
	/* a shared mapping keeps its contents */
	expect_eq(madvise(s, 2 * PAGE, MADV_DONTNEED), 0, "DONTNEED shared");
	expect_eq(all(s, 2 * PAGE, 0x5a), 1, "shared contents kept");
	/* len 0, a length rounded up */
	expect_eq(madvise(a, 0, MADV_DONTNEED), 0, "len 0");
	expect_eq(madvise(a + 4 * PAGE, 1, MADV_DONTNEED), 0, "len 1: a page");
	expect_eq(a[4 * PAGE] | a[5 * PAGE - 1], 0, "the whole page dropped");
	expect_eq(a[5 * PAGE], 0xa5, "the next page kept");
	/* errors */
	expect_err(madvise(a + 1, PAGE, MADV_NORMAL), EINVAL, "unaligned");
	expect_err(madvise(a, PAGE, 999), EINVAL, "unknown advice");
	expect_err(madvise(a, PAGE, 5), EINVAL, "advice 5 (unused)");
	expect_err(madvise(a, (size_t)-PAGE, MADV_NORMAL), EINVAL,
		   "a range that wraps");
	expect_err(madvise((void *)(MMAP_TOP - 16 * PAGE), PAGE, MADV_NORMAL),
		   ENOMEM, "an unmapped range");
	munmap(a + 7 * PAGE, PAGE);
	a[6 * PAGE] = 1;
	expect_err(madvise(a + 6 * PAGE, 4 * PAGE, MADV_DONTNEED), ENOMEM,
		   "partly unmapped");
	expect_eq(a[6 * PAGE], 0, "the mapped part was still dropped");
	munmap(a, 8 * PAGE);
	munmap(s, 2 * PAGE);
}

/* ---- RLIMIT_NOFILE, F_GETFL ---- */

static int io_uring_fd(void)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	return syscall(SYS_io_uring_setup, 4, &p);
}

static void t_nofile(void)
{
	struct rlimit rl = { 6, 6 }, got;
	int fds[2] = { -1, -1 }, fd, n = 0;

	expect_eq(getrlimit(RLIMIT_NOFILE, &got), 0, "getrlimit");
	expect_eq(got.rlim_cur, 32, "the default: the table's 32");
	rl.rlim_max = 33;
	rl.rlim_cur = 6;
	expect_err(setrlimit(RLIMIT_NOFILE, &rl), EPERM,
		   "a hard limit above the table (nr_open)");
	rl.rlim_cur = 7;
	rl.rlim_max = 6;
	expect_err(setrlimit(RLIMIT_NOFILE, &rl), EINVAL, "soft above hard");
	rl.rlim_cur = rl.rlim_max = 6;
	expect_eq(setrlimit(RLIMIT_NOFILE, &rl), 0, "limit 6");
	/* 0-2 are open: fill 3..5 */
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	expect_eq(n, 3, "open up to the limit");
	expect_err(fd, EMFILE, "open at the limit");
	expect_err(dup(0), EMFILE, "dup");
	expect_err(fcntl(0, F_DUPFD, 0), EMFILE, "F_DUPFD");
	expect_err(fcntl(0, F_DUPFD_CLOEXEC, 0), EMFILE, "F_DUPFD_CLOEXEC");
	expect_err(fcntl(0, F_DUPFD, 6), EINVAL, "F_DUPFD from the limit");
	expect_err(dup3(0, 6, 0), EBADF, "dup3 to the limit");
	expect_err(dup2(0, 6), EBADF, "dup2 to the limit");
	expect_eq(dup2(0, 5), 5, "dup2 below the limit (replaces)");
	expect_err(pipe(fds), EMFILE, "pipe");
	expect_err(eventfd(0, 0), EMFILE, "eventfd");
	expect_err(io_uring_fd(), EMFILE, "io_uring_setup");
	/* one free: pipe2 needs two and leaves none behind */
	close(5);
	expect_err(pipe2(fds, O_CLOEXEC), EMFILE, "pipe2 with one fd free");
	expect_eq(fcntl(5, F_GETFD), -1, "pipe2 left no fd behind");
	fd = eventfd(0, 0);
	expect_eq(fd, 5, "eventfd in the last slot");
	close(fd);
	fd = io_uring_fd();
	expect_eq(fd, 5, "io_uring_setup in the last slot");
	close(fd);
	/* raised again (uid 0 may raise its hard limit up to the table) */
	rl.rlim_cur = rl.rlim_max = 32;
	expect_eq(setrlimit(RLIMIT_NOFILE, &rl), 0, "raised to 32 again");
	expect_eq(pipe(fds), 0, "pipe after raising");
	/* a limit below open fds: they stay, no new one */
	rl.rlim_cur = 2;
	expect_eq(setrlimit(RLIMIT_NOFILE, &rl), 0, "soft limit 2");
	expect_err(dup(fds[0]), EMFILE, "dup above a lowered limit");
	expect_eq(fcntl(fds[0], F_GETFD), 0, "the fds above it stay open");
	/* prlimit64 reports the limit */
	expect_eq(prlimit(0, RLIMIT_NOFILE, NULL, &got), 0, "prlimit64");
	expect_eq(got.rlim_cur * 100 + got.rlim_max, 232, "2, 32");
}

static void t_getfl(void)
{
	int fd = open("/tmp/getfl", O_CREAT | O_RDWR, 0644), pfd[2], e;

	expect_eq(fcntl(fd, F_GETFL) & (O_LARGEFILE_BITS | O_ACCMODE),
		  O_LARGEFILE_BITS | O_RDWR,
		  "a file from openat: O_LARGEFILE, as Linux on 64-bit");
	expect_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0, "F_SETFL");
	expect_eq(fcntl(fd, F_GETFL) & (O_LARGEFILE_BITS | O_NONBLOCK),
		  O_LARGEFILE_BITS | O_NONBLOCK, "F_SETFL keeps O_LARGEFILE");
	close(fd);
	unlink("/tmp/getfl");
	fd = open("/dev/null", O_WRONLY);
	expect_eq(fcntl(fd, F_GETFL), O_LARGEFILE_BITS | O_WRONLY,
		  "/dev/null: O_WRONLY | O_LARGEFILE");
	close(fd);
	if (pipe(pfd) == 0) {
		expect_eq(fcntl(pfd[0], F_GETFL), O_RDONLY,
			  "a pipe's read end: no O_LARGEFILE");
		expect_eq(fcntl(pfd[1], F_GETFL), O_WRONLY, "its write end");
		close(pfd[0]);
		close(pfd[1]);
	}
	e = eventfd(0, EFD_NONBLOCK);
	expect_eq(fcntl(e, F_GETFL), O_RDWR | O_NONBLOCK, "an eventfd");
	close(e);
}

/* ---- ppoll / pselect6 with a signal mask ---- */

static volatile int usr1_seen;
static volatile sigset_t mask_in_handler;

static void on_usr1(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_in_handler = cur;
	usr1_seen++;
}

static long raw_ppoll(struct pollfd *fds, long n, const struct timespec *ts,
		      const sigset_t *mask, long size)
{
	struct timespec t;

	if (ts)
		t = *ts; /* the kernel writes the time left */
	return syscall(SYS_ppoll, fds, n, ts ? &t : NULL, mask, size);
}

static long raw_pselect(int n, fd_set *in, const struct timespec *ts,
			const sigset_t *mask)
{
	struct timespec t;
	struct {
		const sigset_t *set;
		size_t size;
	} sig = { mask, 8 };

	if (ts)
		t = *ts;
	return syscall(SYS_pselect6, n, in, NULL, NULL, ts ? &t : NULL,
		       mask ? &sig : NULL);
}

/* is sig blocked now? */
static int blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static int late_usr2(void)
{
	struct timespec ts = { 0, 30 * 1000000 };

	nanosleep(&ts, NULL);
	kill(getppid(), SIGUSR2);
	return 0;
}

static void t_ppoll_mask(void)
{
	struct sigaction sa;
	sigset_t block, open_usr1, keep;
	struct timespec zero = { 0, 0 }, sec = { 5, 0 };
	int pfd[2];
	struct pollfd p;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	open_usr1 = block;
	sigdelset(&open_usr1, SIGUSR1); /* SIGUSR2 stays blocked in the call */
	sigemptyset(&keep);
	sigaddset(&keep, SIGUSR1);
	sigaddset(&keep, SIGUSR2);
	if (pipe(pfd) < 0) {
		fail("pipe");
		return;
	}
	p = (struct pollfd){ .fd = pfd[0], .events = POLLIN };
	/* a pending SIGUSR1 the mask unblocks interrupts at once */
	raise(SIGUSR1);
	expect_eq(usr1_seen, 0, "SIGUSR1 blocked: pending");
	expect_err(raw_ppoll(&p, 1, &sec, &open_usr1, 8), EINTR,
		   "ppoll: the mask unblocks a pending signal");
	expect_eq(usr1_seen, 1, "its handler ran");
	expect_eq(sigismember((sigset_t *)&mask_in_handler, SIGUSR2), 1,
		  "the handler ran with the call's mask (SIGUSR2 blocked)");
	expect_eq(sigismember((sigset_t *)&mask_in_handler, SIGUSR1), 1,
		  "and its own signal blocked");
	expect_eq(blocked(SIGUSR1), 1, "after: the caller's mask is back");
	/* a zero timeout is interrupted too (Linux checks the signal first) */
	raise(SIGUSR1);
	expect_err(raw_ppoll(&p, 1, &zero, &open_usr1, 8), EINTR,
		   "ppoll, zero timeout, a signal the mask unblocks");
	expect_eq(usr1_seen, 2, "handler ran again");
	/* a mask that keeps it blocked: no interruption, still pending */
	raise(SIGUSR1);
	expect_eq(raw_ppoll(&p, 1, &zero, &keep, 8), 0,
		  "ppoll with SIGUSR1 kept blocked: timeout");
	expect_eq(usr1_seen, 2, "not delivered");
	sigset_t pend;

	sigpending(&pend);
	expect_eq(sigismember(&pend, SIGUSR1), 1, "still pending");
	/* a ready fd wins over the pending signal; the mask comes back */
	write(pfd[1], "x", 1);
	expect_eq(raw_ppoll(&p, 1, &sec, &open_usr1, 8), 1,
		  "ready fd: ppoll returns it");
	expect_eq(blocked(SIGUSR1), 1, "mask restored after a ready return");
	/* the pending SIGUSR1 is delivered by sigsuspend-like means later:
	 * unblock it now */
	sigprocmask(SIG_UNBLOCK, &keep, NULL);
	expect_eq(usr1_seen, 3, "delivered once unblocked");
	sigprocmask(SIG_BLOCK, &block, NULL);
	read(pfd[0], &p.revents, 1);
	/* a signal arriving during the sleep: a child's SIGUSR2 */
	sigset_t open_usr2 = block;

	sigdelset(&open_usr2, SIGUSR2);
	pid = fork();
	if (pid == 0)
		_exit(late_usr2());
	usr1_seen = 0;
	expect_err(raw_ppoll(&p, 1, &sec, &open_usr2, 8), EINTR,
		   "ppoll woken by a signal its mask unblocks");
	expect_eq(usr1_seen, 1, "SIGUSR2's handler ran");
	expect_eq(blocked(SIGUSR2), 1, "SIGUSR2 blocked again after");
	waitpid(pid, NULL, 0);
	/* pselect6 the same */
	fd_set in;

	raise(SIGUSR1);
	FD_ZERO(&in);
	FD_SET(pfd[0], &in);
	expect_err(raw_pselect(pfd[0] + 1, &in, &sec, &open_usr1), EINTR,
		   "pselect6: the mask unblocks a pending signal");
	expect_eq(usr1_seen, 2, "its handler ran");
	expect_eq(blocked(SIGUSR1), 1, "pselect6: the mask is back");
	raise(SIGUSR1);
	FD_ZERO(&in);
	FD_SET(pfd[0], &in);
	expect_eq(raw_pselect(pfd[0] + 1, &in, &zero, &keep), 0,
		  "pselect6 with SIGUSR1 kept blocked");
	expect_eq(usr1_seen, 2, "not delivered");
	/* glibc's ppoll() and pselect() */
	expect_err(ppoll(&p, 1, &sec, &open_usr1), EINTR, "glibc ppoll()");
	expect_eq(usr1_seen, 3, "handler ran");
	/* errors: the mask's size */
	expect_err(raw_ppoll(&p, 1, &zero, &keep, 4), EINVAL, "sigsetsize 4");
	expect_err(raw_ppoll(&p, 1, &zero, (sigset_t *)8, 8), EFAULT,
		   "a bad mask pointer");
	expect_eq(blocked(SIGUSR1), 1, "the mask unchanged by the errors");
	close(pfd[0]);
	close(pfd[1]);
}

/* ---- the stack ---- */

static int recurse(int depth)
{
	volatile char pad[1024];

	pad[0] = (char)depth;
	pad[sizeof(pad) - 1] = (char)depth;
	if (depth == 0)
		return 0;
	return recurse(depth - 1) + (pad[0] == pad[sizeof(pad) - 1]);
}

static int deep_2mib(void)
{
	return recurse(2048) == 2048 ? 0 : 1; /* > 2 MiB of frames */
}

static int unbounded(void)
{
	recurse(1 << 30);
	return 0;
}

static int deep_under_1mib_limit(void)
{
	struct rlimit rl = { 1 << 20, RLIM_INFINITY };

	if (setrlimit(RLIMIT_STACK, &rl))
		return 2;
	recurse(2048); /* beyond 1 MiB: SIGSEGV */
	return 0;
}

static void t_stack_deep(void)
{
	struct rlimit rl;
	int st;
	char *sp = __builtin_frame_address(0);

	expect_eq(getrlimit(RLIMIT_STACK, &rl), 0, "getrlimit(RLIMIT_STACK)");
	expect_eq(rl.rlim_cur, 8 << 20, "8 MiB, as Linux");
	expect_eq(rl.rlim_max == RLIM_INFINITY, 1, "hard limit: unlimited");
	expect_eq(prlimit(0, RLIMIT_STACK, NULL, &rl), 0, "prlimit64");
	expect_eq(rl.rlim_cur, 8 << 20, "prlimit64 says 8 MiB");
	expect_eq((uintptr_t)sp < USTACK_TOP && (uintptr_t)sp > USTACK_BOTTOM,
		  1, "the stack is below USTACK_TOP");
	st = run_child(deep_2mib);
	expect_eq(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1,
		  "2048 frames of 1 KiB (> 2 MiB) of recursion");
	st = run_child(unbounded);
	expect_eq(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, 1,
		  "unbounded recursion: SIGSEGV at RLIMIT_STACK");
	st = run_child(deep_under_1mib_limit);
	expect_eq(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, 1,
		  "2 MiB under a 1 MiB RLIMIT_STACK: SIGSEGV");
	/* last: the pages stay mapped, and a child would inherit them */
	expect_eq(deep_2mib(), 0, "and in this process too");
}

static void t_stack_kernel(void)
{
	static unsigned char pattern[3 * PAGE];
	char *sp = __builtin_frame_address(0);
	/* untouched stack pages, 2 MiB below this frame */
	unsigned char *low = (unsigned char *)(((uintptr_t)sp - (2 << 20)) &
					       ~(uintptr_t)(PAGE - 1));
	unsigned char *beyond = (unsigned char *)(USTACK_TOP - (9 << 20));
	int fd, pfd[2];

	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 7 + 1);
	if (make_file("/tmp/stackpat", pattern, sizeof(pattern)) < 0) {
		fail("make /tmp/stackpat");
		return;
	}
	fd = open("/tmp/stackpat", O_RDONLY);
	expect_eq(read(fd, low, sizeof(pattern)), sizeof(pattern),
		  "read() into untouched stack pages (the kernel's copy)");
	expect_eq(memcmp(low, pattern, sizeof(pattern)), 0,
		  "the bytes are there");
	expect_err(pread(fd, beyond, PAGE, 0), EFAULT,
		   "read() beyond RLIMIT_STACK: EFAULT");
	close(fd);
	unlink("/tmp/stackpat");
	/* the kernel reading from an untouched stack page: zeros */
	if (pipe(pfd) == 0) {
		unsigned char got[16];

		low -= 64 * PAGE;
		expect_eq(write(pfd[1], low, 16), 16,
			  "write() from an untouched stack page");
		expect_eq(read(pfd[0], got, 16), 16, "read it back");
		expect_eq(all(got, 16, 0), 1, "zeros");
		close(pfd[0]);
		close(pfd[1]);
	}
	/* mmap never places anything in the stack's reserve */
	void *hint = (void *)(USTACK_TOP - (4 << 20));
	void *m = mmap(hint, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	expect_eq(m != MAP_FAILED, 1, "mmap with a hint in the stack");
	expect_eq((uintptr_t)m >= USTACK_BOTTOM && (uintptr_t)m < USTACK_TOP,
		  0, "not placed in the stack's reserve");
	munmap(m, PAGE);
	m = mmap((void *)USTACK_BOTTOM, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	expect_err(m == MAP_FAILED ? -1 : 0, EEXIST,
		   "MAP_FIXED_NOREPLACE at the reserve's bottom");
}

/* fork copies only the stack pages in use, not the 8 MiB reserve */
static int report_pages(int fd)
{
	long n = free_pages();

	return write(fd, &n, sizeof(n)) == sizeof(n) ? 0 : 1;
}

static void t_stack_fork(void)
{
	int pfd[2];
	long before, in_child = 0;
	pid_t pid;

	if (pipe(pfd) < 0) {
		fail("pipe");
		return;
	}
	before = free_pages();
	pid = fork();
	if (pid == 0)
		_exit(report_pages(pfd[1]));
	expect_eq(read(pfd[0], &in_child, sizeof(in_child)), sizeof(in_child),
		  "the child's count");
	waitpid(pid, NULL, 0);
	if (before - in_child >= 1024 || before - in_child <= 0)
		fail("fork took %ld pages: not the stack's reserve",
		     before - in_child);
	/* after deep recursion the pages stay the process's; a child gets
	 * copies of them, and they go with it */
	expect_eq(deep_2mib(), 0, "recursion");
	before = free_pages();
	pid = fork();
	if (pid == 0)
		_exit(report_pages(pfd[1]));
	read(pfd[0], &in_child, sizeof(in_child));
	waitpid(pid, NULL, 0);
	if (before - in_child < 512)
		fail("after 2 MiB of stack, fork copied only %ld pages",
		     before - in_child);
	expect_eq(free_pages(), before, "the child's copies went with it");
	close(pfd[0]);
	close(pfd[1]);
}

/* ---- no leak ---- */

static long start_pages;

static void cycles(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(deep_2mib());
		if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
			fail("cycle %d: fork/wait errno %d", i, errno);
			return;
		}
	}
}

static void t_leak_check(void)
{
	cycles(20);
	expect_eq(free_pages(), start_pages,
		  "free pages after every case and 20 deep-stack children");
}

/* ---- truncate, ftruncate, posix_fadvise ---- */

static void t_truncate(void)
{
	const char *path = "/tmp/ss-trunc";
	char buf[20000];
	long freed;
	int fd, rd, pfd[2];

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open: errno %d", errno);
	memset(buf, 'a', sizeof(buf));
	expect_eq(write(fd, buf, 10000), 10000, "write 10000 bytes");
	freed = free_pages();
	expect_eq(ftruncate(fd, 5000), 0, "ftruncate to 5000");
	expect_eq(free_pages() - freed, 1, "the third page freed");
	struct stat st;

	fstat(fd, &st);
	expect_eq(st.st_size, 5000, "st_size after ftruncate");
	expect_eq(ftruncate(fd, 20000), 0, "ftruncate up to 20000");
	memset(buf, 'x', sizeof(buf));
	expect_eq(pread(fd, buf, sizeof(buf), 0), 20000, "read it all");
	int good = 1;

	for (int i = 0; i < 20000; i++)
		good &= buf[i] == (i < 5000 ? 'a' : 0);
	expect_eq(good, 1, "5000 bytes kept, then zeros");
	expect_err(ftruncate(fd, -1), EINVAL, "ftruncate to -1");
	expect_err(ftruncate(99, 0), EBADF, "ftruncate of a bad fd");
	rd = open(path, O_RDONLY);
	expect_err(ftruncate(rd, 0), EINVAL, "ftruncate of a read-only fd");
	expect_eq(truncate(path, 7), 0, "truncate(path, 7)");
	fstat(fd, &st);
	expect_eq(st.st_size, 7, "st_size after truncate");
	expect_err(truncate("/tmp", 0), EISDIR, "truncate of a directory");
	expect_err(truncate("/tmp/none", 0), ENOENT, "truncate of no file");
	expect_err(truncate((char *)16, 0), EFAULT, "truncate of a bad path");
	expect_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0,
		  "posix_fadvise SEQUENTIAL");
	expect_eq(posix_fadvise(fd, 0, 0, 99), EINVAL, "an unknown advice");
	expect_eq(posix_fadvise(99, 0, 0, POSIX_FADV_NORMAL), EBADF,
		  "fadvise of a bad fd");
	if (pipe(pfd) == 0) {
		expect_eq(posix_fadvise(pfd[0], 0, 0, POSIX_FADV_NORMAL),
			  ESPIPE, "fadvise of a pipe");
		close(pfd[0]);
		close(pfd[1]);
	}
	close(rd);
	close(fd);
	unlink(path);
}

static const struct ktest_case cases[] = {
	KTEST_CASE("statx", t_statx),
	KTEST_CASE("faccessat", t_access),
	KTEST_CASE("madvise", t_madvise),
	KTEST_CASE("rlimit-nofile", t_nofile),
	KTEST_CASE("getfl-largefile", t_getfl),
	KTEST_CASE("ppoll-sigmask", t_ppoll_mask),
	KTEST_CASE("stack-deep", t_stack_deep),
	KTEST_CASE("stack-kernel-copy", t_stack_kernel),
	KTEST_CASE("stack-fork", t_stack_fork),
	KTEST_CASE("truncate", t_truncate),
	KTEST_ALWAYS("leak-check", t_leak_check),
};

int main(int argc, char **argv)
{
	return lktest_main(argc, argv, "smallsys", cases,
			   sizeof(cases) / sizeof(cases[0]), cycles,
			   &start_pages);
}
