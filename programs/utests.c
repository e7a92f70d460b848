/*
 * utests: the user-side test suite, in the spirit of xv6's usertests.  It
 * exercises every system call in include/uapi/syscalls.h through libuser's
 * POSIX wrappers and through raw calls (which return -errno): the success
 * paths, the documented errors with Linux's semantics, and -EFAULT for bad
 * user pointers (NULL, a kernel address, an unmapped page and, for calls
 * that write to user memory, a read-only page of our own .text).
 *
 * Each case runs in its own process ("utests run CASE N", see ktest.h), so
 * that a case that crashes is reported and the others still run; "utests
 * child-..." are the helper children the cases spawn.  Files are made under
 * /tmp/ut-* and removed (case cleanup).  At the end the number of free
 * physical pages must be what it was at the start (case leak-check).
 *
 *   utests               run every case
 *   utests CASE...       run only these cases (and cleanup and leak-check)
 *
 * Output: KTAP (ktest.h): "ok N CASE" for each passing case, a "# what: got
 * X, want Y" line for each failing check and "not ok N CASE # why", then
 * exactly one line "utests: passed=N failed=M" counting cases.  Exit status
 * 0 if every case passed, else 1.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <liburing.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/abi.h>
#include <uapi/layout.h>

#include "ktest.h"

#define SELF	   "/bin/utests"
#define HELLO	   "/data/hello.txt"
#define HELLO_TEXT "Hello from the memory file system.\n"
#define KADDR	   ((long)KERNEL_BASE) /* the kernel's text: never for the user */
#define UNMAPPED   ((long)USER_UNMAPPED_VA) /* never mapped */
#define RO_ADDR	   ((long)(uintptr_t)main) /* our own .text: read-only */
#define PAGE	   4096L
#define MIB	   (1024L * 1024)
#define NOFILE	   32 /* open files per process */
#define NPROC	   64 /* process slots */

int main(int argc, char **argv);

/* ---- helpers ---- */

/* A libc result as a raw one: -errno on failure. */
static long res(long r)
{
	return r < 0 ? -(long)errno : r;
}

static long file_put(const char *path, const void *buf, long n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long r;

	if (fd < 0)
		return -errno;
	r = res(write(fd, buf, n));
	close(fd);
	return r;
}

/* Read up to max bytes of path; the count or -errno. */
static long file_get(const char *path, void *buf, long max)
{
	int fd = open(path, O_RDONLY);
	long got = 0, r;

	if (fd < 0)
		return -errno;
	while (got < max) {
		r = res(read(fd, (char *)buf + got, max - got));
		if (r <= 0) {
			if (r < 0)
				got = r;
			break;
		}
		got += r;
	}
	close(fd);
	return got;
}

/* read n bytes at off (moves the offset, unlike pread) */
static long read_at(int fd, void *buf, long n, long off)
{
	long got = 0, r;

	if (lseek(fd, off, SEEK_SET) != off)
		return -errno;
	while (got < n) {
		r = res(read(fd, (char *)buf + got, n - got));
		if (r <= 0)
			return got ? got : r;
		got += r;
	}
	return got;
}

static long stat_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	return st.st_size;
}

/* S_IFMT bits of path, or -errno */
static long stat_type(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	return st.st_mode & S_IFMT;
}

static long fd_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return st.st_size;
}

/* Spawn SELF with "utests" and the NULL-terminated arguments. */
static long spawn_self(const char *first, ...)
{
	char *argv[16];
	va_list ap;
	int n = 0;

	argv[n++] = "utests";
	va_start(ap, first);
	for (const char *a = first; a && n < 15; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	return res(spawn(SELF, argv));
}

/* Wait for pid: its wait status, or -errno, or -10000 for another pid. */
static long reap(long pid)
{
	int st = 0;
	long r = res(waitpid(pid, &st, 0));

	if (r < 0)
		return r;
	return r == pid ? st : -10000;
}

/* Spawn path with argv and wait: the wait status or -errno. */
static long run(const char *path, char *const argv[])
{
	long pid = res(spawn(path, argv));

	return pid < 0 ? pid : reap(pid);
}

static long mono_ns(void)
{
	struct abi_timespec ts;

	if (__syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC, &ts) < 0)
		return -1;
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000};

	nanosleep(&ts, NULL);
}

/*
 * A child that must still be running while the parent looks waits for the
 * parent to make a file (GO), not for a time: a busy host can stall any
 * process for longer than a sleep.  The limit only keeps a broken kernel
 * from hanging the suite.
 */
#define GO	   "/tmp/ut-go"
#define GO_LIMIT_S 30

/* Wait for path to exist, sleeping (or spinning, never yielding): 0, or 3
 * if it did not come within GO_LIMIT_S. */
static int wait_for_file(const char *path, bool spin)
{
	long until = mono_ns() + GO_LIMIT_S * 1000000000L;
	struct stat st;

	while (stat(path, &st) < 0) {
		if (mono_ns() > until)
			return 3;
		if (!spin)
			sleep_ms(1);
	}
	return 0;
}

/*
 * Grow the heap so that its end is page-aligned with at least one page below
 * it; returns that end (the next page is unmapped).  *undo is what to give
 * back with sbrk(-*undo).
 */
static char *heap_edge(long *undo)
{
	uintptr_t cur = (uintptr_t)sbrk(0);
	long n = (long)(-cur & (PAGE - 1)) + PAGE;

	*undo = 0;
	if (sbrk(n) == (void *)-1)
		return NULL;
	*undo = n;
	return (char *)(cur + n);
}

/* Count entries called name in directory path (-errno on error). */
static long dir_count(const char *path, const char *name, int *dtype)
{
	struct dirent *e;
	long n = 0;
	DIR *d = opendir(path);

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!name || !strcmp(e->d_name, name)) {
			n++;
			if (dtype)
				*dtype = e->d_type;
		}
	}
	closedir(d);
	return n;
}

/* ---- open / openat ---- */

static void t_open(void)
{
	const char *p = "/tmp/ut-open";
	char buf[32];
	struct stat st;
	int fd;

	unlink(p);
	fd = open(p, O_RDWR | O_CREAT, 0644);
	if (!expect_ge(res(fd), 3, "open(O_CREAT) of a new file"))
		return;
	expect_eq(res(stat(p, &st)), 0, "stat after O_CREAT");
	expect_eq(st.st_size, 0, "size of the new file");
	expect_eq(st.st_mode & S_IFMT, S_IFREG, "type of the new file");
	expect_eq(res(write(fd, "hello", 5)), 5, "write hello");
	expect_eq(res(close(fd)), 0, "close");

	/* O_CREAT of an existing file opens it, content kept */
	fd = open(p, O_RDWR | O_CREAT, 0644);
	expect_ge(res(fd), 3, "open(O_CREAT) of an existing file");
	expect_eq(res(read(fd, buf, sizeof(buf))), 5,
		  "read after O_CREAT of an existing file");
	close(fd);
	expect_errno(res(open(p, O_RDWR | O_CREAT | O_EXCL, 0644)), -EEXIST,
		     "open(O_CREAT|O_EXCL) of an existing file");
	expect_errno(res(open("/tmp", O_RDONLY | O_CREAT | O_EXCL, 0644)),
		     -EEXIST, "open(O_CREAT|O_EXCL) of a directory");
	fd = open("/tmp/ut-open2", O_RDWR | O_CREAT | O_EXCL, 0644);
	expect_ge(res(fd), 3, "open(O_CREAT|O_EXCL) of a new file");
	close(fd);
	expect_eq(res(unlink("/tmp/ut-open2")), 0, "unlink ut-open2");

	/* O_TRUNC */
	fd = open(p, O_WRONLY | O_TRUNC);
	expect_ge(res(fd), 3, "open(O_WRONLY|O_TRUNC)");
	expect_eq(fd_size(fd), 0, "size after O_TRUNC");
	expect_eq(res(write(fd, "12345", 5)), 5, "write after O_TRUNC");
	close(fd);
	/* Linux truncates with O_RDONLY|O_TRUNC too (O_TRUNC needs write
	 * permission, not a writable open) */
	fd = open(p, O_RDONLY | O_TRUNC);
	expect_ge(res(fd), 3, "open(O_RDONLY|O_TRUNC)");
	expect_eq(fd_size(fd), 0, "size after open(O_RDONLY|O_TRUNC)");
	close(fd);

	/* O_APPEND: every write goes to the end */
	expect_eq(file_put(p, "abc", 3), 3, "write abc");
	fd = open(p, O_WRONLY | O_APPEND);
	expect_ge(res(fd), 3, "open(O_APPEND)");
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "lseek to 0 with O_APPEND");
	expect_eq(res(write(fd, "def", 3)), 3, "write with O_APPEND");
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 6,
		  "offset after an O_APPEND write");
	close(fd);
	memset(buf, 0, sizeof(buf));
	expect_eq(file_get(p, buf, sizeof(buf)), 6, "size after O_APPEND");
	expect_mem(buf, "abcdef", 6, "content after O_APPEND");

	/* access modes */
	fd = open(p, O_RDONLY);
	expect_errno(res(write(fd, "x", 1)), -EBADF, "write to an O_RDONLY fd");
	expect_eq(res(read(fd, buf, 3)), 3, "read from an O_RDONLY fd");
	close(fd);
	fd = open(p, O_WRONLY);
	expect_errno(res(read(fd, buf, 1)), -EBADF, "read from an O_WRONLY fd");
	expect_eq(res(write(fd, "x", 1)), 1, "write to an O_WRONLY fd");
	close(fd);

	/* directories */
	expect_errno(res(open(p, O_RDONLY | O_DIRECTORY)), -ENOTDIR,
		     "open(O_DIRECTORY) of a file");
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_ge(res(fd), 3, "open(O_DIRECTORY) of a directory");
	close(fd);
	expect_errno(res(open("/tmp", O_WRONLY)), -EISDIR,
		     "open a directory O_WRONLY");
	expect_errno(res(open("/tmp", O_RDWR)), -EISDIR,
		     "open a directory O_RDWR");
	expect_errno(res(open("/tmp", O_RDONLY | O_CREAT, 0644)), -EISDIR,
		     "open(O_CREAT) of an existing directory");
	expect_errno(res(open("/tmp", O_RDONLY | O_TRUNC)), -EISDIR,
		     "open(O_RDONLY|O_TRUNC) of a directory");

	/* missing things */
	expect_errno(res(open("/tmp/ut-nonexistent", O_RDONLY)), -ENOENT,
		     "open a missing file");
	expect_errno(res(open("/tmp/ut-nodir/f", O_RDWR | O_CREAT, 0644)),
		     -ENOENT, "open(O_CREAT) in a missing directory");
	expect_errno(res(open(HELLO "/x", O_RDONLY)), -ENOTDIR,
		     "open with a file as a directory");
	expect_errno(res(open(HELLO "/x", O_RDWR | O_CREAT, 0644)), -ENOTDIR,
		     "open(O_CREAT) with a file as a directory");

	/* as Linux's open: unknown flag bits are ignored; access mode 3
	 * opens with neither read nor write access */
	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, p, 0x40000000, 0);
	expect_ge(fd, 3, "openat with an unknown flag bit");
	if (fd >= 0)
		close(fd);
	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, p, 3, 0);
	if (expect_ge(fd, 3, "openat with access mode 3")) {
		expect_errno(res(read(fd, buf, 1)), -EBADF,
			     "read with access mode 3");
		expect_errno(res(write(fd, buf, 1)), -EBADF,
			     "write with access mode 3");
		close(fd);
	}
	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, p,
			ABI_O_RDONLY | ABI_O_CLOEXEC | ABI_O_NONBLOCK |
				ABI_O_NOCTTY | ABI_O_NOFOLLOW,
			0);
	expect_ge(fd, 3, "openat with CLOEXEC|NONBLOCK|NOCTTY|NOFOLLOW");
	if (fd >= 0)
		close(fd);

	/* /dev/console */
	fd = open("/dev/console", O_RDWR);
	expect_ge(res(fd), 3, "open /dev/console");
	expect_eq(res(write(fd, "", 0)), 0, "write 0 bytes to /dev/console");
	close(fd);

	expect_eq(res(unlink(p)), 0, "unlink");
}

static void t_openat(void)
{
	struct stat st;
	int dfd, fd, ffd;

	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (!expect_ge(res(dfd), 3, "open /tmp"))
		return;
	fd = openat(dfd, "ut-at", O_RDWR | O_CREAT | O_TRUNC, 0644);
	expect_ge(res(fd), 3, "openat(dirfd, relative, O_CREAT)");
	expect_eq(res(write(fd, "at", 2)), 2, "write");
	close(fd);
	expect_eq(stat_size("/tmp/ut-at"), 2, "the file is in the directory");
	fd = openat(dfd, "../tmp/./ut-at", O_RDONLY);
	expect_ge(res(fd), 3, "openat(dirfd, ../tmp/./ut-at)");
	close(fd);
	fd = openat(AT_FDCWD, "tmp/ut-at", O_RDONLY);
	expect_ge(res(fd), 3, "openat(AT_FDCWD, relative): cwd is /");
	close(fd);
	fd = openat(999, HELLO, O_RDONLY);
	expect_ge(res(fd), 3, "openat(bad dirfd, absolute path) ignores dirfd");
	close(fd);
	expect_errno(res(openat(999, "ut-at", O_RDONLY)), -EBADF,
		     "openat(bad dirfd 999, relative)");
	expect_errno(res(openat(-1, "ut-at", O_RDONLY)), -EBADF,
		     "openat(dirfd -1, relative)");
	expect_errno(res(openat(20, "ut-at", O_RDONLY)), -EBADF,
		     "openat(unused dirfd 20, relative)");
	ffd = open(HELLO, O_RDONLY);
	expect_errno(res(openat(ffd, "x", O_RDONLY)), -ENOTDIR,
		     "openat(file as dirfd, relative)");
	expect_errno(res(fstatat(ffd, "x", &st, 0)), -ENOTDIR,
		     "newfstatat(file as dirfd, relative)");
	expect_errno(res(mkdirat(ffd, "x", 0755)), -ENOTDIR,
		     "mkdirat(file as dirfd, relative)");
	expect_errno(res(unlinkat(ffd, "x", 0)), -ENOTDIR,
		     "unlinkat(file as dirfd, relative)");
	close(ffd);

	expect_eq(res(mkdirat(dfd, "ut-atdir", 0755)), 0, "mkdirat(dirfd)");
	expect_eq(stat_type("/tmp/ut-atdir"), S_IFDIR,
		  "mkdirat made a directory");
	expect_errno(res(mkdirat(999, "ut-atdir2", 0755)), -EBADF,
		     "mkdirat(bad dirfd)");
	expect_eq(res(fstatat(dfd, "ut-at", &st, 0)), 0, "fstatat(dirfd)");
	expect_eq(st.st_size, 2, "fstatat(dirfd) size");
	expect_errno(res(fstatat(999, "ut-at", &st, 0)), -EBADF,
		     "fstatat(bad dirfd)");
	expect_errno(res(unlinkat(999, "ut-at", 0)), -EBADF,
		     "unlinkat(bad dirfd)");
	expect_eq(res(unlinkat(dfd, "ut-atdir", AT_REMOVEDIR)), 0,
		  "unlinkat(dirfd, AT_REMOVEDIR)");
	expect_eq(res(unlinkat(dfd, "ut-at", 0)), 0, "unlinkat(dirfd)");
	expect_errno(stat_type("/tmp/ut-at"), -ENOENT, "file gone");
	close(dfd);
}

/* ---- path names ---- */

static char pathbuf[ABI_PATH_MAX + 64];

static void t_paths(void)
{
	static char name[300];
	struct stat st, st2;
	char *argv[] = {"x", NULL};
	int fd;

	/* a 255-byte component is fine, 256 is too long */
	strcpy(name, "/tmp/ut-");
	memset(name + 8, 'n', 252); /* "ut-" and 252: 255 */
	name[8 + 252] = 0;
	fd = open(name, O_RDWR | O_CREAT, 0644);
	expect_ge(res(fd), 3, "open(O_CREAT) with a 255-byte name");
	close(fd);
	expect_eq(stat_type(name), S_IFREG, "stat with a 255-byte name");
	expect_eq(dir_count("/tmp", name + 5, NULL), 1,
		  "a 255-byte name is listed");
	expect_eq(res(unlink(name)), 0, "unlink with a 255-byte name");
	strcat(name, "n");
	expect_errno(res(open(name, O_RDWR | O_CREAT, 0644)), -ENAMETOOLONG,
		     "open(O_CREAT) with a 256-byte name");
	expect_errno(res(open(name, O_RDONLY)), -ENAMETOOLONG,
		     "open with a 256-byte name");
	expect_errno(stat_type(name), -ENAMETOOLONG,
		     "stat with a 256-byte name");
	expect_errno(res(mkdir(name, 0755)), -ENAMETOOLONG,
		     "mkdir with a 256-byte name");
	expect_errno(res(unlink(name)), -ENAMETOOLONG,
		     "unlink with a 256-byte name");
	expect_errno(res(rmdir(name)), -ENAMETOOLONG,
		     "rmdir with a 256-byte name");
	strcat(name, "/f");
	expect_errno(res(open(name, O_RDONLY)), -ENAMETOOLONG,
		     "open with a 256-byte directory component");

	/* a 4095-byte path (plus NUL) is fine, 4096 is too long */
	strcpy(pathbuf, "/tmp/");
	for (int i = 0; i < 2043; i++)
		strcat(pathbuf + 5 + 2 * i, "./");
	strcat(pathbuf, "ut-p");
	expect_eq(strlen(pathbuf), ABI_PATH_MAX - 1, "length of the long path");
	fd = open(pathbuf, O_RDWR | O_CREAT, 0644);
	expect_ge(res(fd), 3, "open(O_CREAT) with a 4095-byte path");
	close(fd);
	expect_eq(stat_type("/tmp/ut-p"), S_IFREG,
		  "the 4095-byte path made /tmp/ut-p");
	expect_eq(stat_type(pathbuf), S_IFREG, "stat with a 4095-byte path");
	strcat(pathbuf, "q");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, pathbuf,
				ABI_O_RDWR | ABI_O_CREAT, 0644),
		     -ENAMETOOLONG, "openat with a 4096-byte path");
	expect_errno(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, pathbuf, &st, 0),
		     -ENAMETOOLONG, "newfstatat with a 4096-byte path");
	expect_errno(__syscall3(SYS_mkdirat, ABI_AT_FDCWD, pathbuf, 0755),
		     -ENAMETOOLONG, "mkdirat with a 4096-byte path");
	expect_errno(__syscall3(SYS_unlinkat, ABI_AT_FDCWD, pathbuf, 0),
		     -ENAMETOOLONG, "unlinkat with a 4096-byte path");
	expect_errno(res(spawn(pathbuf, argv)), -ENAMETOOLONG,
		     "spawn with a 4096-byte path");
	pathbuf[strlen(pathbuf) - 1] = 0;
	expect_eq(res(unlink(pathbuf)), 0, "unlink with a 4095-byte path");
	expect_errno(stat_type("/tmp/ut-p"), -ENOENT, "/tmp/ut-p gone");

	/* trailing slashes, dots, repeated slashes, empty paths */
	expect_eq(file_put("/tmp/ut-f", "f", 1), 1, "make ut-f");
	expect_errno(res(open("/tmp/ut-f/", O_RDONLY)), -ENOTDIR,
		     "open file/ (trailing slash)");
	expect_errno(stat_type("/tmp/ut-f/"), -ENOTDIR,
		     "stat file/ (trailing slash)");
	expect_errno(res(open("/tmp/ut-new/", O_RDWR | O_CREAT, 0644)), -EISDIR,
		     "open(O_CREAT) of newname/");
	expect_eq(stat_type("/tmp/"), S_IFDIR, "stat dir/ (trailing slash)");
	expect_eq(stat_type("/tmp/../tmp/./ut-f"), S_IFREG,
		  "stat /tmp/../tmp/./ut-f");
	expect_eq(stat_type("//tmp///ut-f"), S_IFREG, "stat //tmp///ut-f");
	expect_eq(stat_type("tmp/ut-f"), S_IFREG, "stat relative tmp/ut-f");
	expect_eq(res(stat("/", &st)), 0, "stat /");
	expect_eq(res(stat("/..", &st2)), 0, "stat /..");
	expect_eq(st2.st_ino, st.st_ino, "/.. is /");
	expect_eq(res(stat("/tmp/..", &st2)), 0, "stat /tmp/..");
	expect_eq(st2.st_ino, st.st_ino, "/tmp/.. is /");
	expect_errno(res(open("", O_RDONLY)), -ENOENT, "open \"\"");
	expect_errno(res(open("", O_RDWR | O_CREAT, 0644)), -ENOENT,
		     "open(O_CREAT) \"\"");
	expect_errno(stat_type(""), -ENOENT, "stat \"\"");
	expect_errno(res(mkdir("", 0755)), -ENOENT, "mkdir \"\"");
	expect_errno(res(unlink("")), -ENOENT, "unlink \"\"");
	expect_errno(res(spawn("", argv)), -ENOENT, "spawn \"\"");
	expect_eq(res(unlink("/tmp/ut-f")), 0, "unlink ut-f");
}

/* ---- read / write ---- */

static void t_rw(void)
{
	const char *p = "/tmp/ut-rw";
	char buf[64];
	int fd, fd2, dfd;

	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open"))
		return;
	expect_eq(res(write(fd, "0123456789", 10)), 10, "write 10 bytes");
	expect_eq(res(read(fd, buf, sizeof(buf))), 0, "read at EOF");
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "lseek to 0");
	expect_eq(res(read(fd, buf, 4)), 4, "read 4");
	expect_mem(buf, "0123", 4, "read 4 content");
	fd2 = open(p, O_RDONLY);
	expect_eq(res(read(fd2, buf, 64)), 10,
		  "a second open has its own offset");
	expect_mem(buf, "0123456789", 10, "second open content");
	expect_eq(res(write(fd, "ab", 2)), 2, "overwrite in the middle");
	expect_eq(fd_size(fd), 10, "size unchanged by an overwrite");
	expect_eq(res(lseek(fd2, 0, SEEK_SET)), 0, "lseek second fd to 0");
	expect_eq(res(read(fd2, buf, 64)), 10, "read after the overwrite");
	expect_mem(buf, "0123ab6789", 10, "content after the overwrite");
	expect_eq(res(write(fd, buf, 0)), 0, "write 0 bytes");
	expect_eq(res(read(fd, buf, 0)), 0, "read 0 bytes");
	expect_eq(res(read(fd2, buf, 0)), 0, "read 0 bytes at EOF");
	expect_eq(res(write(1, buf, 0)), 0, "write 0 bytes to the console");
	close(fd2);

	/* reads that end at EOF return what is there */
	expect_eq(res(lseek(fd, 7, SEEK_SET)), 7, "lseek to 7");
	expect_eq(res(read(fd, buf, 64)), 3, "read past EOF is short");
	expect_eq(res(lseek(fd, 100, SEEK_SET)), 100, "lseek past EOF");
	expect_eq(res(read(fd, buf, 64)), 0, "read past EOF");
	close(fd);

	/* a large write and read through user pages in one call */
	expect_eq(file_get(HELLO, buf, sizeof(buf)), strlen(HELLO_TEXT),
		  "hello.txt");
	expect_mem(buf, HELLO_TEXT, strlen(HELLO_TEXT), "hello.txt content");

	dfd = open("/tmp", O_RDONLY);
	expect_errno(res(read(dfd, buf, 10)), -EISDIR, "read a directory");
	expect_errno(res(write(dfd, buf, 1)), -EBADF,
		     "write a read-only directory fd");
	close(dfd);
	expect_eq(res(unlink(p)), 0, "unlink");
}

/* ---- lseek ---- */

static void t_lseek(void)
{
	const char *p = "/tmp/ut-lseek";
	static char buf[8192 + 200];
	char zero[200];
	int fd;

	memset(buf, 'x', 100);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open"))
		return;
	expect_eq(res(write(fd, buf, 100)), 100, "write 100");
	expect_eq(res(lseek(fd, 10, SEEK_SET)), 10, "SEEK_SET 10");
	expect_eq(res(lseek(fd, 5, SEEK_CUR)), 15, "SEEK_CUR +5");
	expect_eq(res(lseek(fd, -3, SEEK_CUR)), 12, "SEEK_CUR -3");
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 12, "SEEK_CUR 0");
	expect_eq(res(lseek(fd, -10, SEEK_END)), 90, "SEEK_END -10");
	expect_eq(res(read(fd, buf, 50)), 10, "read after SEEK_END -10");
	expect_eq(res(lseek(fd, 0, SEEK_END)), 100, "SEEK_END 0");
	expect_eq(res(read(fd, buf, 50)), 0, "read at SEEK_END");
	expect_errno(res(lseek(fd, -1, SEEK_SET)), -EINVAL, "SEEK_SET -1");
	expect_errno(res(lseek(fd, -101, SEEK_CUR)), -EINVAL,
		     "SEEK_CUR to before 0");
	expect_errno(res(lseek(fd, -101, SEEK_END)), -EINVAL,
		     "SEEK_END to before 0");
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 100,
		  "offset unchanged by failed lseeks");
	expect_errno(__syscall3(SYS_lseek, fd, 0, 99), -EINVAL, "whence 99");
	expect_errno(__syscall3(SYS_lseek, fd, 0, -1), -EINVAL, "whence -1");
	expect_errno(res(lseek(1, 0, SEEK_CUR)), -ESPIPE,
		     "lseek on the console (fd 1)");
	expect_errno(res(lseek(0, 0, SEEK_SET)), -ESPIPE,
		     "lseek on the console (fd 0)");

	/* sparse: seek past the end, write, the gap reads as zeros */
	expect_eq(res(lseek(fd, 8192 + 50, SEEK_SET)), 8192 + 50,
		  "SEEK_SET past the end");
	expect_eq(fd_size(fd), 100, "size unchanged by seeking");
	expect_eq(res(write(fd, "end", 3)), 3, "write after the hole");
	expect_eq(fd_size(fd), 8192 + 53, "size after the hole");
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "SEEK_SET 0");
	memset(buf, 0x55, sizeof(buf));
	expect_eq(res(read(fd, buf, sizeof(buf))), 8192 + 53,
		  "read the sparse file");
	memset(zero, 0, sizeof(zero));
	for (long off = 100; off < 8192 + 50; off += 150) {
		long n = 8192 + 50 - off < 150 ? 8192 + 50 - off : 150;

		if (!expect_mem(buf + off, zero, n, "hole at %ld reads zeros",
				off))
			break;
	}
	expect_mem(buf + 8192 + 50, "end", 3, "data after the hole");
	expect_eq(res(lseek(fd, 5000, SEEK_SET)), 5000,
		  "SEEK_SET into the hole");
	expect_eq(res(read(fd, buf, 16)), 16, "read inside the hole");
	expect_mem(buf, zero, 16, "hole read");
	close(fd);

	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "SEEK_SET 0 on a directory");
	close(fd);
	expect_eq(res(unlink(p)), 0, "unlink");
}

/* ---- fstat / stat ---- */

static void t_stat(void)
{
	const char *p = "/tmp/ut-stat";
	struct abi_stat ks;
	struct stat st, st2;
	int fd;

	expect_eq(res(stat(HELLO, &st)), 0, "stat hello.txt");
	expect_eq(st.st_size, strlen(HELLO_TEXT), "hello.txt size");
	expect_eq(st.st_mode & S_IFMT, S_IFREG, "hello.txt type");
	expect_eq(stat_type("/tmp"), S_IFDIR, "stat /tmp type");
	fd = open("/tmp", O_RDONLY);
	expect_eq(res(fstat(fd, &st)), 0, "fstat a directory");
	expect_eq(st.st_mode & S_IFMT, S_IFDIR, "fstat a directory: type");
	close(fd);
	expect_eq(stat_type("/"), S_IFDIR, "stat / type");
	expect_eq(stat_type(SELF), S_IFREG, "stat /bin/utests type");
	expect_ge(stat_size(SELF), 1000, "stat /bin/utests size");
	expect_eq(stat_type("/dev/console"), S_IFCHR, "stat /dev/console type");
	expect_eq(res(fstat(1, &st)), 0, "fstat(1)");
	expect_eq(st.st_mode & S_IFMT, S_IFCHR, "fstat(1) type: the console");
	expect_errno(stat_type("/tmp/ut-missing"), -ENOENT, "stat missing");
	expect_errno(stat_type("/tmp/ut-missing/x"), -ENOENT, "stat missing/x");
	expect_errno(stat_type(HELLO "/x"), -ENOTDIR, "stat file/x");

	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open"))
		return;
	expect_eq(fd_size(fd), 0, "fstat of an empty file");
	expect_eq(res(write(fd, pathbuf, 1000)), 1000, "write 1000");
	expect_eq(fd_size(fd), 1000, "fstat size follows writes");
	expect_eq(stat_size(p), 1000, "stat size follows writes");
	expect_eq(res(fstat(fd, &st)), 0, "fstat");
	expect_eq(res(stat(p, &st2)), 0, "stat");
	expect_eq(st.st_ino, st2.st_ino, "fstat and stat agree on st_ino");
	expect_eq(st.st_nlink, 1, "st_nlink of a linked file");
	expect_eq(st.st_mode & S_IFMT, S_IFREG, "fstat type");
	expect_eq(res(stat(HELLO, &st2)), 0, "stat hello.txt again");
	expect_true(st.st_ino != st2.st_ino,
		    "different files have different st_ino");

	/* raw newfstatat: flags, AT_EMPTY_PATH, dirfd */
	expect_errno(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, p, &ks, 0x4),
		     -EINVAL, "newfstatat with bad flags");
	expect_eq(__syscall4(SYS_newfstatat, fd, "", &ks, ABI_AT_EMPTY_PATH), 0,
		  "newfstatat(fd, \"\", AT_EMPTY_PATH)");
	expect_eq(ks.st_size, 1000, "AT_EMPTY_PATH size");
	expect_errno(__syscall4(SYS_newfstatat, fd, "", &ks, 0), -ENOENT,
		     "newfstatat(\"\") without AT_EMPTY_PATH");
	expect_errno(
		__syscall4(SYS_newfstatat, 999, "", &ks, ABI_AT_EMPTY_PATH),
		-EBADF, "newfstatat(bad fd, \"\", AT_EMPTY_PATH)");
	expect_eq(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, p, &ks, 0x100), 0,
		  "newfstatat AT_SYMLINK_NOFOLLOW");
	memset(&st, 0, sizeof(st));
	if (expect_eq(res(fstatat(fd, "", &st, AT_EMPTY_PATH)), 0,
		      "fstatat(fd, \"\", AT_EMPTY_PATH) (libc)"))
		expect_eq(st.st_size, 1000,
			  "fstatat(AT_EMPTY_PATH) size (libc)");
	expect_eq(__syscall2(SYS_fstat, fd, &ks), 0, "raw fstat");
	expect_eq(ks.st_mode & ABI_S_IFMT, ABI_S_IFREG, "raw fstat st_mode");
	expect_eq(ks.st_size, 1000, "raw fstat st_size");
	expect_eq(ks.st_blksize, 4096, "raw fstat st_blksize");

	/* unlinked but open: nlink 0, still stat-able by fd */
	expect_eq(res(unlink(p)), 0, "unlink");
	expect_eq(res(fstat(fd, &st)), 0, "fstat after unlink");
	expect_eq(st.st_nlink, 0, "st_nlink after unlink");
	expect_eq(st.st_size, 1000, "st_size after unlink");
	close(fd);
}

/* ---- close and bad fds ---- */

static void t_close(void)
{
	long bad[] = {-1, 999, 20, NOFILE, 0x7fffffff};
	struct abi_stat ks;
	char buf[64];
	int fd;

	fd = open(HELLO, O_RDONLY);
	if (!expect_eq(res(fd), 3, "open gives the lowest free fd"))
		return;
	expect_eq(res(close(fd)), 0, "close");
	expect_errno(res(close(fd)), -EBADF, "close again");
	expect_errno(res(read(fd, buf, 1)), -EBADF, "read a closed fd");
	expect_eq(res(fd = open(HELLO, O_RDONLY)), 3, "open reuses the fd");
	close(fd);
	expect_eq(res(close(0)), 0, "close(0)");
	expect_eq(res(fd = open(HELLO, O_RDONLY)), 0, "open takes fd 0");
	expect_eq(res(read(0, buf, 5)), 5, "read through fd 0");
	expect_mem(buf, HELLO_TEXT, 5, "read through fd 0");
	close(fd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long b = bad[i];

		expect_errno(__syscall3(SYS_read, b, buf, 1), -EBADF,
			     "read(fd %ld)", b);
		expect_errno(__syscall3(SYS_write, b, "x", 1), -EBADF,
			     "write(fd %ld)", b);
		expect_errno(__syscall1(SYS_close, b), -EBADF, "close(fd %ld)",
			     b);
		expect_errno(__syscall2(SYS_fstat, b, &ks), -EBADF,
			     "fstat(fd %ld)", b);
		expect_errno(__syscall3(SYS_lseek, b, 0, ABI_SEEK_SET), -EBADF,
			     "lseek(fd %ld)", b);
		expect_errno(__syscall3(SYS_getdents64, b, buf, sizeof(buf)),
			     -EBADF, "getdents64(fd %ld)", b);
	}
}

/* ---- unlink / rmdir ---- */

static void t_unlink(void)
{
	const char *p = "/tmp/ut-ul", *d = "/tmp/ut-uldir";
	static char data[3 * 4096 + 100], back[sizeof(data)];
	long f0;
	int fd;

	expect_eq(file_put(p, "data", 4), 4, "make a file");
	expect_eq(res(unlink(p)), 0, "unlink the file");
	expect_errno(res(open(p, O_RDONLY)), -ENOENT, "open after unlink");
	expect_errno(stat_type(p), -ENOENT, "stat after unlink");
	expect_errno(res(unlink(p)), -ENOENT, "unlink again");
	expect_errno(res(unlink("/tmp/ut-no/x")), -ENOENT,
		     "unlink in a missing directory");
	expect_errno(res(unlink(HELLO "/x")), -ENOTDIR,
		     "unlink with a file as a directory");
	expect_errno(__syscall3(SYS_unlinkat, ABI_AT_FDCWD, p, 0x1), -EINVAL,
		     "unlinkat with a bad flag");

	/* directories */
	expect_eq(res(mkdir(d, 0755)), 0, "mkdir");
	expect_errno(res(unlink(d)), -EISDIR, "unlink a directory");
	expect_eq(file_put("/tmp/ut-uldir/f", "x", 1), 1, "make a file in it");
	expect_errno(res(rmdir(d)), -ENOTEMPTY, "rmdir a non-empty directory");
	expect_errno(res(rmdir("/tmp/ut-uldir/f")), -ENOTDIR, "rmdir a file");
	expect_errno(res(unlink("/tmp/ut-uldir/f/")), -ENOTDIR, "unlink file/");
	expect_errno(res(rmdir("/tmp/ut-uldir/.")), -EINVAL, "rmdir dir/.");
	expect_errno(res(rmdir("/tmp/ut-uldir/..")), -ENOTEMPTY,
		     "rmdir dir/..");
	expect_errno(res(rmdir("/")), -EBUSY, "rmdir /");
	expect_errno(res(unlink("/")), -EISDIR, "unlink /");
	expect_errno(res(rmdir("/tmp/ut-uldir/nope")), -ENOENT,
		     "rmdir missing");
	expect_eq(res(unlink("/tmp/ut-uldir/f")), 0, "unlink the file in it");
	expect_eq(res(rmdir(d)), 0, "rmdir the empty directory");
	expect_errno(stat_type(d), -ENOENT, "stat after rmdir");
	expect_errno(res(rmdir(d)), -ENOENT, "rmdir again");

	/* unlink while open: the data stays readable until the last close,
	 * then its pages are freed */
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = i * 13 + i / 4096;
	f0 = free_pages();
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open"))
		return;
	expect_eq(res(write(fd, data, sizeof(data))), sizeof(data), "write");
	expect_eq(res(unlink(p)), 0, "unlink the open file");
	expect_errno(stat_type(p), -ENOENT, "the name is gone");
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "lseek the unlinked file");
	expect_eq(res(read(fd, back, sizeof(back))), sizeof(back),
		  "read the unlinked file");
	expect_mem(back, data, sizeof(data), "unlinked file content");
	expect_eq(res(write(fd, "more", 4)), 4, "write to the unlinked file");
	expect_eq(fd_size(fd), sizeof(data) + 4, "size of the unlinked file");
	expect_eq(file_put(p, "new", 3), 3, "a new file of the same name");
	expect_eq(stat_size(p), 3, "the new file is separate");
	expect_eq(res(unlink(p)), 0, "unlink the new file");
	expect_true(free_pages() < f0, "the unlinked file still holds pages");
	expect_eq(res(close(fd)), 0, "close the unlinked file");
	expect_eq(free_pages(), f0, "free pages after the last close");
}

/* ---- mkdir ---- */

static void t_mkdir(void)
{
	const char *d = "/tmp/ut-mk";

	expect_eq(res(mkdir(d, 0755)), 0, "mkdir");
	expect_eq(stat_type(d), S_IFDIR, "mkdir made a directory");
	expect_errno(res(mkdir(d, 0755)), -EEXIST, "mkdir again");
	expect_eq(res(mkdir("/tmp/ut-mk/a", 0755)), 0, "mkdir nested");
	expect_eq(res(mkdir("/tmp/ut-mk/a/b", 0755)), 0, "mkdir nested 2");
	expect_eq(res(mkdir("/tmp/ut-mk/c/", 0755)), 0,
		  "mkdir with a trailing slash");
	expect_eq(file_put("/tmp/ut-mk/a/b/f", "x", 1), 1,
		  "file in nested dir");
	expect_errno(res(mkdir("/tmp/ut-mk/a/b/f", 0755)), -EEXIST,
		     "mkdir over a file");
	expect_errno(res(mkdir("/tmp/ut-mk/nope/x", 0755)), -ENOENT,
		     "mkdir with a missing parent");
	expect_errno(res(mkdir("/tmp/ut-mk/a/b/f/x", 0755)), -ENOTDIR,
		     "mkdir with a file as parent");
	expect_errno(res(mkdir("/", 0755)), -EEXIST, "mkdir /");
	expect_errno(res(mkdir("/tmp", 0755)), -EEXIST, "mkdir /tmp");
	expect_errno(res(mkdir("/tmp/.", 0755)), -EEXIST, "mkdir /tmp/.");
	expect_errno(res(rmdir("/tmp/ut-mk/a/b")), -ENOTEMPTY,
		     "rmdir a/b non-empty");
	expect_eq(res(unlink("/tmp/ut-mk/a/b/f")), 0, "unlink a/b/f");
	expect_eq(res(rmdir("/tmp/ut-mk/a/b")), 0, "rmdir a/b");
	expect_eq(res(rmdir("/tmp/ut-mk/a")), 0, "rmdir a");
	expect_eq(res(rmdir("/tmp/ut-mk/c")), 0, "rmdir c");
	expect_eq(res(rmdir(d)), 0, "rmdir");
}

/* ---- directory listing ---- */

static void t_dirlist(void)
{
	const char *d = "/tmp/ut-dl";
	static const char *names[] = {".", "..", "a", "bb", "c"};
	static const int types[] = {DT_DIR, DT_DIR, DT_REG, DT_REG, DT_DIR};
	char buf[1024] __attribute__((aligned(8)));
	struct abi_dirent64 *de;
	struct dirent *e;
	int seen[5] = {0};
	int fd, n, other = 0, dtype = -1;
	long r, total, reclen;
	DIR *dir;

	if (!expect_eq(res(mkdir(d, 0755)), 0, "mkdir"))
		return;
	expect_eq(file_put("/tmp/ut-dl/a", "a", 1), 1, "make a");
	expect_eq(file_put("/tmp/ut-dl/bb", "bb", 2), 2, "make bb");
	expect_eq(res(mkdir("/tmp/ut-dl/c", 0755)), 0, "make c");

	dir = opendir(d);
	if (expect_true(dir != NULL, "opendir")) {
		while ((e = readdir(dir))) {
			for (n = 0; n < 5; n++)
				if (!strcmp(e->d_name, names[n]))
					break;
			if (n == 5) {
				other++;
				continue;
			}
			seen[n]++;
			expect_eq(e->d_type, types[n], "d_type of %s",
				  names[n]);
		}
		closedir(dir);
	}
	for (n = 0; n < 5; n++)
		expect_eq(seen[n], 1, "readdir finds \"%s\" once", names[n]);
	expect_eq(other, 0, "readdir finds nothing else");
	expect_errno(dir_count(HELLO, NULL, NULL), -ENOTDIR,
		     "opendir of a file");
	expect_errno(dir_count("/tmp/ut-dl/none", NULL, NULL), -ENOENT,
		     "opendir of a missing directory");
	expect_eq(dir_count("/", "bin", &dtype), 1, "/ has bin");
	expect_eq(dtype, DT_DIR, "/bin is DT_DIR");
	expect_eq(dir_count("/", "data", NULL), 1, "/ has data");
	expect_eq(dir_count("/", "tmp", NULL), 1, "/ has tmp");
	expect_eq(dir_count("/bin", "utests", &dtype), 1, "/bin has utests");
	expect_eq(dtype, DT_REG, "/bin/utests is DT_REG");
	expect_eq(dir_count("/dev", "console", &dtype), 1, "/dev has console");
	expect_eq(dtype, DT_CHR, "/dev/console is DT_CHR");

	/* raw getdents64 */
	fd = open(d, O_RDONLY | O_DIRECTORY);
	if (!expect_ge(res(fd), 3, "open the directory"))
		goto out;
	expect_errno(__syscall3(SYS_getdents64, fd, buf, 8), -EINVAL,
		     "getdents64 with an 8-byte buffer");
	expect_errno(__syscall3(SYS_getdents64, fd, buf, 0), -EINVAL,
		     "getdents64 with a 0-byte buffer");
	/* everything in one call: the records in order, each d_reclen
	 * Linux's ALIGN(offsetof(d_name) + strlen + 1, 8), 24 for these */
	r = __syscall3(SYS_getdents64, fd, buf, sizeof(buf));
	expect_ge(r, 5 * 24, "getdents64 of everything");
	total = 0;
	n = 0;
	reclen = 0;
	while (r > 0 && total < r && n < 5) {
		de = (struct abi_dirent64 *)(buf + total);
		if (!expect_eq(de->d_reclen % 8, 0,
			       "d_reclen is a multiple of 8") ||
		    !expect_ge(de->d_reclen, 24, "d_reclen"))
			break;
		expect_eq(strcmp(de->d_name, names[n]), 0, "record %d name", n);
		if (!reclen)
			reclen = de->d_reclen;
		total += de->d_reclen;
		n++;
	}
	expect_eq(n, 5, "records returned");
	expect_eq(total, r, "bytes returned are the records'");
	expect_eq(reclen, 24, "d_reclen of \".\" (Linux: ALIGN(19 + 2, 8))");
	expect_eq(__syscall3(SYS_getdents64, fd, buf, sizeof(buf)), 0,
		  "getdents64 at the end");
	expect_eq(__syscall3(SYS_getdents64, fd, buf, sizeof(buf)), 0,
		  "getdents64 at the end again");

	/* a buffer that holds just one record: one at a time */
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "lseek to 0 rewinds");
	for (n = 0; n < 5 && reclen; n++) {
		r = __syscall3(SYS_getdents64, fd, buf, reclen);
		if (!expect_eq(r, reclen,
			       "getdents64 record %d, one-record buffer", n))
			break;
		de = (struct abi_dirent64 *)buf;
		expect_eq(strcmp(de->d_name, names[n]), 0, "record %d name", n);
	}
	expect_eq(__syscall3(SYS_getdents64, fd, buf, reclen), 0,
		  "getdents64 at the end, one-record buffer");
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "lseek to 0 rewinds again");
	expect_errno(__syscall3(SYS_getdents64, fd, buf, reclen - 1), -EINVAL,
		     "getdents64 with a buffer one byte short");
	close(fd);
	fd = open(HELLO, O_RDONLY);
	expect_errno(__syscall3(SYS_getdents64, fd, buf, sizeof(buf)), -ENOTDIR,
		     "getdents64 on a file");
	close(fd);
	expect_errno(__syscall3(SYS_getdents64, 1, buf, sizeof(buf)), -ENOTDIR,
		     "getdents64 on the console");

	expect_eq(res(unlink("/tmp/ut-dl/a")), 0, "unlink a");
	expect_eq(dir_count(d, "a", NULL), 0, "a is no longer listed");
	expect_eq(dir_count(d, NULL, NULL), 4, "4 entries left");
out:
	unlink("/tmp/ut-dl/a");
	unlink("/tmp/ut-dl/bb");
	rmdir("/tmp/ut-dl/c");
	expect_eq(res(rmdir(d)), 0, "rmdir");
}

/* A directory removed while open: empty, nothing can be made in it. */
static void t_rmdir_open(void)
{
	char buf[512] __attribute__((aligned(8)));
	struct stat st;
	int fd, pfd;

	expect_eq(res(mkdir("/tmp/ut-ro", 0755)), 0, "mkdir ut-ro");
	expect_eq(res(mkdir("/tmp/ut-ro/sub", 0755)), 0, "mkdir ut-ro/sub");
	fd = open("/tmp/ut-ro/sub", O_RDONLY | O_DIRECTORY);
	if (!expect_ge(res(fd), 3, "open sub"))
		return;
	expect_eq(res(rmdir("/tmp/ut-ro/sub")), 0, "rmdir the open directory");
	expect_errno(res(openat(fd, "x", O_RDWR | O_CREAT, 0644)), -ENOENT,
		     "openat(O_CREAT) in the removed directory");
	expect_errno(res(mkdirat(fd, "y", 0755)), -ENOENT,
		     "mkdirat in the removed directory");
	expect_eq(res(fstat(fd, &st)), 0, "fstat the removed directory");
	expect_eq(st.st_mode & S_IFMT, S_IFDIR, "removed directory type");
	expect_eq(st.st_nlink, 0, "removed directory st_nlink");
	/* as Linux (IS_DEADDIR): a removed directory cannot be listed */
	expect_errno(__syscall3(SYS_getdents64, fd, buf, sizeof(buf)), -ENOENT,
		     "getdents64 of the removed directory");
	/* remove the parent too; ".." of the open directory still names it
	 * (Linux keeps a directory's parent alive while the child lives) */
	expect_eq(res(rmdir("/tmp/ut-ro")), 0, "rmdir ut-ro");
	pfd = openat(fd, "..", O_RDONLY | O_DIRECTORY);
	if (expect_ge(res(pfd), 3,
		      "openat(removed dir, \"..\", O_DIRECTORY)")) {
		expect_eq(res(fstat(pfd, &st)), 0, "fstat ..");
		expect_eq(st.st_mode & S_IFMT, S_IFDIR, "removed parent type");
		close(pfd);
	}
	expect_eq(res(close(fd)), 0, "close");
	expect_errno(stat_type("/tmp/ut-ro"), -ENOENT, "ut-ro gone");
}

/* ---- EMFILE ---- */

static void t_emfile(void)
{
	int fds[NOFILE + 4];
	int n = 0;
	long r = 0;

	for (int i = 0; i < NOFILE + 4; i++) {
		r = res(open(HELLO, O_RDONLY));
		if (r < 0)
			break;
		fds[n++] = r;
	}
	expect_errno(r, -EMFILE, "open with every fd in use");
	expect_eq(n, NOFILE - 3, "files opened (fds 3..31)");
	for (int i = 0; i < n; i++)
		if (!expect_eq(fds[i], 3 + i, "open %d gives the lowest fd", i))
			break;
	expect_errno(res(open("/tmp", O_RDONLY)), -EMFILE,
		     "open a directory with every fd in use");
	/* Linux takes the fd before looking up the path: nothing is made */
	expect_errno(res(open("/tmp/ut-emfile", O_RDWR | O_CREAT, 0644)),
		     -EMFILE, "open(O_CREAT) with every fd in use");
	expect_errno(stat_type("/tmp/ut-emfile"), -ENOENT,
		     "O_CREAT with EMFILE made no file");
	unlink("/tmp/ut-emfile");
	if (n > 10) {
		expect_eq(res(close(fds[10])), 0, "close one");
		expect_eq(res(open(HELLO, O_RDONLY)), fds[10],
			  "open takes the freed fd");
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	expect_eq(r = res(open(HELLO, O_RDONLY)), 3, "open after closing all");
	if (r >= 0)
		close(r);
}

/* ---- a large file ---- */

#define BIG (300 * 1024 + 123)

static void t_bigfile(void)
{
	const char *p = "/tmp/ut-big";
	unsigned char *w, *r;
	long f0, f1, n, off, chunk;
	char c;
	int fd;

	w = sbrk(2 * BIG);
	if (!expect_true(w != (void *)-1, "sbrk the buffers"))
		return;
	r = w + BIG;
	for (long i = 0; i < BIG; i++)
		w[i] = (i * 7 + i / 251) & 0xff;
	memset(r, 0, BIG); /* the heap's pages come at the first touch */
	f0 = free_pages();
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open"))
		goto out;
	for (off = 0; off < BIG; off += n) {
		chunk = BIG - off < 1237 ? BIG - off : 1237;
		n = res(write(fd, w + off, chunk));
		if (!expect_eq(n, chunk, "write of %ld at %ld", chunk, off))
			break;
	}
	expect_eq(fd_size(fd), BIG, "size after writing");
	f1 = free_pages();
	expect_ge(f0 - f1, BIG / PAGE, "pages used by the file");
	expect_eq(res(lseek(fd, 0, SEEK_SET)), 0, "lseek 0");
	memset(r, 0, BIG);
	for (off = 0; off < BIG; off += n) {
		n = res(read(fd, r + off, 4099));
		if (!expect_ge(n, 1, "read at %ld", off))
			break;
	}
	expect_eq(off, BIG, "bytes read back");
	expect_mem(r, w, BIG, "content read back");
	expect_eq(res(lseek(fd, 150001, SEEK_SET)), 150001,
		  "lseek to the middle");
	expect_eq(res(read(fd, r, 10000)), 10000, "read in the middle");
	expect_mem(r, w + 150001, 10000, "content in the middle");
	expect_eq(read_at(fd, r, BIG, 0), BIG, "one read of all of it");
	close(fd);

	/* O_TRUNC gives the pages back */
	fd = open(p, O_RDWR | O_TRUNC);
	expect_eq(fd_size(fd), 0, "size after O_TRUNC");
	expect_eq(free_pages(), f0, "free pages after O_TRUNC");

	/* the 1 GiB file size limit of the memory FS (fs.c) */
	expect_eq(res(lseek(fd, (1L << 30) - 1, SEEK_SET)), (1L << 30) - 1,
		  "lseek to 1 GiB - 1");
	expect_eq(res(write(fd, "ab", 2)), 1, "write across 1 GiB is short");
	expect_eq(fd_size(fd), 1L << 30, "size is 1 GiB");
	expect_errno(res(write(fd, "c", 1)), -EFBIG, "write at 1 GiB");
	expect_eq(read_at(fd, &c, 1, (1L << 30) - 1), 1, "read the last byte");
	expect_eq(c, 'a', "last byte");
	expect_eq(read_at(fd, &c, 1, 12345), 1, "read in the hole");
	expect_eq(c, 0, "hole byte");
	close(fd);
	expect_eq(res(unlink(p)), 0, "unlink");
	expect_eq(free_pages(), f0, "free pages after unlink");
out:
	sbrk(-2 * BIG);
}

/* ---- running out of memory and of inodes ---- */

static void t_fsfull(void)
{
	long f0, f1, r = 0, total = 0;
	char *buf, back[16];
	int fd;

	buf = sbrk(MIB);
	if (!expect_true(buf != (void *)-1, "sbrk"))
		return;
	memset(buf, 0x5a, MIB);
	f0 = free_pages();
	fd = open("/tmp/ut-full", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open"))
		goto out;
	/* unlinked first: with memory full, path names cannot be copied in */
	expect_eq(res(unlink("/tmp/ut-full")), 0, "unlink while open");
	while (total < (4L << 30)) {
		r = res(write(fd, buf, MIB));
		if (r <= 0)
			break;
		total += r;
	}
	expect_errno(r, -ENOSPC, "write with memory full");
	expect_ge(total, 16 * MIB, "bytes written before ENOSPC");
	f1 = free_pages();
	expect_range(f1, 0, 16, "free pages with memory full");
	expect_errno(spawn_self("child-exit", "0", NULL), -ENOMEM,
		     "spawn with memory full");
	expect_eq(getpid() > 0, 1, "getpid with memory full");
	expect_eq(res(iocore_ping(1)), 1, "iocore_ping with memory full");
	expect_ge(mono_ns(), 0, "clock_gettime with memory full");
	expect_eq(read_at(fd, back, sizeof(back), total - sizeof(back)),
		  sizeof(back), "read back with memory full");
	expect_eq(back[0], 0x5a, "data read back");
	expect_eq(res(close(fd)), 0, "close");
	expect_eq(free_pages(), f0, "free pages after the close");
out:
	sbrk(-MIB);
}

static void t_inodes(void)
{
	char name[40];
	long r = 0, pid;
	int n;

	if (!expect_eq(res(mkdir("/tmp/ut-ino", 0755)), 0, "mkdir"))
		return;
	for (n = 0; n < 4000; n++) {
		snprintf(name, sizeof(name), "/tmp/ut-ino/f%d", n);
		r = res(open(name, O_WRONLY | O_CREAT | O_EXCL, 0644));
		if (r < 0)
			break;
		close(r);
	}
	expect_errno(r, -ENOSPC, "create with no free inode");
	expect_range(n, 100, 4000 - 1, "files made before ENOSPC");
	expect_errno(res(mkdir("/tmp/ut-ino/d", 0755)), -ENOSPC,
		     "mkdir with no free inode");
	expect_errno(stat_type(ktest_fmt("/tmp/ut-ino/f%d", n)), -ENOENT,
		     "the failed create left no name");
	pid = spawn_self("child-exit", "0", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(0, 0),
		      "spawn with no free inode");
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/tmp/ut-ino/f%d", i);
		if (!expect_eq(res(unlink(name)), 0, "unlink %s", name))
			break;
	}
	expect_eq(res(rmdir("/tmp/ut-ino")), 0, "rmdir");
	r = res(open("/tmp/ut-ino2", O_WRONLY | O_CREAT | O_EXCL, 0644));
	expect_ge(r, 3, "create after freeing the inodes");
	if (r >= 0)
		close(r);
	unlink("/tmp/ut-ino2");
}

/* ---- spawn ---- */

static unsigned char *elf_copy; /* as big as the image */

/*
 * Write the first n bytes of img, patched with plen bytes at off, to
 * /tmp/ut-elf and spawn it: -errno or the wait status.
 */
static long spawn_variant(const unsigned char *img, long n, long off,
			  const void *patch, int plen)
{
	unsigned char *copy = elf_copy;
	char *argv[] = {"ut-elf", "utests: a copy of /bin/echo runs", NULL};

	memcpy(copy, img, n);
	if (plen)
		memcpy(copy + off, patch, plen);
	if (file_put("/tmp/ut-elf", copy, n) != n)
		return -10001;
	return run("/tmp/ut-elf", argv);
}

static void t_spawn_elf(void)
{
	unsigned char *img, hdr[64], ph[56];
	long n, f0, ld = -1, phoff, phnum;
	uint16_t v16;
	uint64_t v64;

	n = stat_size("/bin/uecho");
	if (!expect_ge(n, 1000, "size of /bin/echo"))
		return;
	img = sbrk(2 * n);
	if (!expect_true(img != (void *)-1, "sbrk"))
		return;
	elf_copy = img + n;
	memset(elf_copy, 0, n); /* the heap's pages come at the first touch */
	expect_eq(file_get("/bin/uecho", img, n), n, "read /bin/echo");
	memcpy(hdr, img, 64);
	memcpy(&phoff, hdr + 32, 8);
	phnum = hdr[56] | hdr[57] << 8;
	for (long i = 0; i < phnum && phoff + 56 * (i + 1) <= n; i++) {
		memcpy(ph, img + phoff + 56 * i, 56);
		if (ph[0] == 1 && ph[1] == 0 && ph[2] == 0 && ph[3] == 0) {
			ld = phoff + 56 * i;
			break;
		}
	}
	if (!expect_ge(ld, 0, "a PT_LOAD in /bin/echo"))
		return;
	f0 = free_pages();
	expect_status(spawn_variant(img, n, 0, NULL, 0), ABI_W_EXITCODE(0, 0),
		      "a copy of /bin/echo runs");
	expect_errno(spawn_variant(img, 0, 0, NULL, 0), -ENOEXEC, "empty file");
	expect_errno(spawn_variant(img, 40, 0, NULL, 0), -ENOEXEC,
		     "truncated to 40 bytes");
	expect_errno(spawn_variant(img, 64, 0, NULL, 0), -ENOEXEC,
		     "truncated to 64 bytes (no program headers)");
	expect_errno(spawn_variant(img, phoff + 56 * phnum, 0, NULL, 0),
		     -ENOEXEC, "truncated after the program headers");
	expect_errno(spawn_variant(img, n / 2, 0, NULL, 0), -ENOEXEC,
		     "truncated in the middle");
	expect_errno(spawn_variant(img, n, 1, "X", 1), -ENOEXEC, "bad magic");
	expect_errno(spawn_variant(img, n, 4, "\1", 1), -ENOEXEC,
		     "32-bit class");
	expect_errno(spawn_variant(img, n, 5, "\2", 1), -ENOEXEC, "big-endian");
	v16 = 62; /* x86-64 */
	expect_errno(spawn_variant(img, n, 18, &v16, 2), -ENOEXEC,
		     "e_machine x86-64");
	v16 = 0;
	expect_errno(spawn_variant(img, n, 56, &v16, 2), -ENOEXEC, "e_phnum 0");
	v16 = 40;
	expect_errno(spawn_variant(img, n, 54, &v16, 2), -ENOEXEC,
		     "e_phentsize 40");
	v64 = 0;
	expect_errno(spawn_variant(img, n, 24, &v64, 8), -ENOEXEC, "e_entry 0");
	v64 = KADDR;
	expect_errno(spawn_variant(img, n, 24, &v64, 8), -ENOEXEC,
		     "e_entry in the kernel");
	v64 = 1L << 40;
	expect_errno(spawn_variant(img, n, 32, &v64, 8), -ENOEXEC,
		     "e_phoff past the end");
	v64 = KADDR;
	expect_errno(spawn_variant(img, n, ld + 16, &v64, 8), -ENOEXEC,
		     "PT_LOAD at a kernel address");
	v64 = 0;
	expect_errno(spawn_variant(img, n, ld + 16, &v64, 8), -ENOEXEC,
		     "PT_LOAD at address 0");
	v64 = -4096UL;
	expect_errno(spawn_variant(img, n, ld + 40, &v64, 8), -ENOEXEC,
		     "PT_LOAD wrapping around");
	v64 = 1;
	expect_errno(spawn_variant(img, n, ld + 40, &v64, 8), -ENOEXEC,
		     "p_memsz < p_filesz");
	v64 = 1L << 40;
	expect_errno(spawn_variant(img, n, ld + 8, &v64, 8), -ENOEXEC,
		     "p_offset past the end");
	v64 = 0x70000000;
	expect_errno(spawn_variant(img, n, ld + 40, &v64, 8), -ENOMEM,
		     "p_memsz of 1.75 GiB");
	unlink("/tmp/ut-elf");
	expect_eq(free_pages(), f0, "free pages after the bad ELF files");
}

static char bigarg[2][3000];

static void t_spawn(void)
{
	char *echo[] = {"echo", "utests:", "spawn", "runs", "echo", NULL};
	char *args[ABI_SPAWN_ARGC_MAX + 2];
	static char argstr[ABI_SPAWN_ARGC_MAX + 2][8];
	char *self[] = {"utests", "child-exit", "0", NULL};
	char buf[32];
	long pid, st;
	int fd;

	pid = res(spawn("/bin/uecho", echo));
	if (expect_ge(pid, 1, "spawn /bin/echo")) {
		int status = -1;

		expect_eq(res(waitpid(pid, &status, 0)), pid,
			  "waitpid returns its pid");
		expect_status(status, ABI_W_EXITCODE(0, 0), "echo's status");
	}
	expect_status(run("/bin/uecho", NULL), ABI_W_EXITCODE(0, 0),
		      "spawn(path, NULL argv)");
	expect_errno(res(spawn("/bin/nonexistent", echo)), -ENOENT,
		     "spawn a missing file");
	expect_errno(res(spawn("/nonexistent/echo", echo)), -ENOENT,
		     "spawn in a missing directory");
	expect_errno(res(spawn(HELLO "/x", echo)), -ENOTDIR,
		     "spawn with a file as a directory");
	expect_errno(res(spawn(HELLO, echo)), -ENOEXEC, "spawn a text file");
	expect_errno(res(spawn("/bin", echo)), -EACCES, "spawn a directory");
	expect_errno(res(spawn("/", echo)), -EACCES, "spawn /");
	expect_errno(res(spawn("/dev/console", echo)), -EACCES,
		     "spawn the console (not a regular file)");
	expect_status(run("bin/utests", self), ABI_W_EXITCODE(0, 0),
		      "spawn via a relative path");

	/* argv: the child sees exactly what was passed */
	args[0] = "utests";
	args[1] = "child-args";
	for (int i = 2; i < ABI_SPAWN_ARGC_MAX + 1; i++) {
		snprintf(argstr[i], sizeof(argstr[i]), "a%d", i);
		args[i] = argstr[i];
	}
	args[5] = NULL;
	expect_status(run(SELF, args), ABI_W_EXITCODE(5, 0),
		      "child sees argc 5");
	args[5] = argstr[5];
	args[ABI_SPAWN_ARGC_MAX] = NULL;
	expect_status(run(SELF, args), ABI_W_EXITCODE(ABI_SPAWN_ARGC_MAX, 0),
		      "spawn with 64 arguments");
	args[ABI_SPAWN_ARGC_MAX] = argstr[ABI_SPAWN_ARGC_MAX];
	args[ABI_SPAWN_ARGC_MAX + 1] = NULL;
	expect_errno(res(spawn(SELF, args)), -E2BIG, "spawn with 65 arguments");
	memset(bigarg, 'z', sizeof(bigarg));
	bigarg[0][2999] = bigarg[1][2999] = 0;
	args[2] = bigarg[0];
	args[3] = bigarg[1];
	args[4] = NULL;
	expect_errno(res(spawn(SELF, args)), -E2BIG,
		     "spawn with 6000 bytes of arguments");
	args[3] = NULL;
	expect_status(run(SELF, args), ABI_W_EXITCODE(255, 0),
		      "spawn with one 2999-byte argument");

	/* the child inherits the fds, sharing the offset */
	fd = open("/tmp/ut-spawn", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (expect_ge(res(fd), 3, "open")) {
		snprintf(buf, sizeof(buf), "%d", fd);
		expect_eq(res(write(fd, "parent", 6)), 6, "write parent");
		pid = spawn_self("child-fdwrite", buf, NULL);
		st = pid < 0 ? pid : reap(pid);
		expect_status(st, ABI_W_EXITCODE(0, 0),
			      "child writes to the inherited fd");
		expect_eq(res(lseek(fd, 0, SEEK_CUR)), 11,
			  "shared offset after the child's write");
		memset(buf, 0, sizeof(buf));
		expect_eq(read_at(fd, buf, 11, 0), 11, "read the file");
		expect_mem(buf, "parentchild", 11, "file content");
		close(fd);
	}
	unlink("/tmp/ut-spawn");
}

/* ---- wait4 and exit ---- */

static void t_wait(void)
{
	long pid, pids[3], r;
	int st = -1, found[3] = {0};
	char buf[144]; /* a Linux struct rusage */

	expect_errno(res(waitpid(-1, &st, 0)), -ECHILD,
		     "waitpid(-1) with no children");
	expect_errno(res(waitpid(-1, &st, WNOHANG)), -ECHILD,
		     "waitpid(-1, WNOHANG) with no children");
	expect_errno(res(waitpid(0, &st, 0)), -ECHILD,
		     "waitpid(0) with no children");
	expect_errno(res(waitpid(12345, &st, 0)), -ECHILD,
		     "waitpid(12345), not a child");
	expect_errno(res(waitpid(1, &st, 0)), -ECHILD,
		     "waitpid(1), not a child");
	expect_errno(res(waitpid(getpid(), &st, 0)), -ECHILD,
		     "waitpid(getpid())");

	pid = spawn_self("child-exit", "0", NULL);
	if (expect_ge(pid, 1, "spawn a child for wait4 with rusage")) {
		int zero = 1;

		memset(buf, 0xff, sizeof(buf));
		expect_eq(__syscall4(SYS_wait4, pid, &st, 0, buf), pid,
			  "wait4 with rusage");
		for (size_t i = 0; i < sizeof(buf); i++)
			zero &= buf[i] == 0;
		expect_eq(zero, 1,
			  "rusage comes back zeroed (usage is not kept)");
	}

	unlink(GO);
	pid = spawn_self("child-wait", GO, NULL);
	if (expect_ge(pid, 1, "spawn a waiting child")) {
		expect_eq(res(waitpid(pid, &st, WNOHANG)), 0,
			  "waitpid(pid, WNOHANG) while the child runs");
		expect_eq(res(waitpid(-1, &st, WNOHANG)), 0,
			  "waitpid(-1, WNOHANG) while the child runs");
		expect_errno(__syscall4(SYS_wait4, pid, &st, 0x10000, 0),
			     -EINVAL, "wait4 with bad options");
		expect_eq(__syscall4(SYS_wait4, pid, &st, ABI_WNOHANG, buf), 0,
			  "wait4 with rusage and WNOHANG while the child runs");
		expect_errno(res(waitpid(pid + 1000, &st, 0)), -ECHILD,
			     "waitpid(other pid) with a child");
		expect_eq(file_put(GO, "", 0), 0, "let the child go");
		st = -1;
		expect_eq(res(waitpid(pid, &st, 0)), pid,
			  "waitpid blocks until the child exits");
		expect_status(st, ABI_W_EXITCODE(0, 0),
			      "status of the waiting child (3: never let go)");
		expect_errno(res(waitpid(pid, &st, 0)), -ECHILD,
			     "waitpid after reaping");
	}

	/* exit status propagation */
	pid = spawn_self("child-exit", "7", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(7, 0),
		      "exit(7)");
	pid = spawn_self("child-exit", "0", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(0, 0),
		      "exit(0)");
	pid = spawn_self("child-exit", "255", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(255, 0),
		      "exit(255)");
	pid = spawn_self("child-exit", "300", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(44, 0),
		      "exit(300) keeps the low 8 bits");
	pid = spawn_self("child-rawexit", "9", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(9, 0),
		      "raw SYS_exit(9)");
	pid = spawn_self("child-rawexitgroup", "10", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(10, 0),
		      "raw SYS_exit_group(10)");
	unlink(GO);
	pid = spawn_self("child-exit", "3", NULL);
	if (pid > 0) {
		/* WNOHANG finds the child only once it is a zombie */
		long until = mono_ns() + GO_LIMIT_S * 1000000000L;

		while (!(r = res(waitpid(pid, NULL, WNOHANG))) &&
		       mono_ns() < until)
			sleep_ms(1);
		expect_eq(r, pid, "wait(NULL status) for a zombie");
	}

	/* several children: wait(-1) reaps each once */
	for (int i = 0; i < 3; i++)
		pids[i] = spawn_self("child-exit",
				     i == 0   ? "1"
				     : i == 1 ? "2"
					      : "3",
				     NULL);
	for (int i = 0; i < 3; i++) {
		r = res(waitpid(i == 0 ? 0 : -1, &st, 0));
		for (int j = 0; j < 3; j++) {
			if (r == pids[j]) {
				found[j]++;
				expect_status(st, ABI_W_EXITCODE(j + 1, 0),
					      "status of child %d", j);
			}
		}
	}
	for (int j = 0; j < 3; j++)
		expect_eq(found[j], 1, "child %d reaped once by wait(-1)", j);
	expect_errno(res(waitpid(-1, &st, 0)), -ECHILD,
		     "wait(-1) after reaping all");

	/* an orphan: its parent exits before it is reaped; it is not ours */
	pid = spawn_self("child-orphan", "/tmp/ut-orphan", NULL);
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(0, 0),
		      "the orphan's parent");
	memset(buf, 0, sizeof(buf));
	if (expect_ge(file_get("/tmp/ut-orphan", buf, 31), 1,
		      "orphan pid file")) {
		r = atol(buf);
		expect_ge(r, 1, "orphan pid");
		expect_errno(res(waitpid(r, &st, WNOHANG)), -ECHILD,
			     "waitpid(an orphaned grandchild)");
	}
	unlink("/tmp/ut-orphan");
}

/* ---- faults kill only the child ---- */

static void t_kill(void)
{
	static const struct {
		const char *mode;
		int sig;
	} modes[] = {
		{"null", ABI_SIGSEGV},	     {"kernel", ABI_SIGSEGV},
		{"write-text", ABI_SIGSEGV}, {"jump-null", ABI_SIGSEGV},
		{"brk", ABI_SIGSEGV},	     {"stack", ABI_SIGSEGV},
		{"illegal", ABI_SIGILL},     {"ebreak", ABI_SIGTRAP},
	};
	long f0 = free_pages();

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		long pid = spawn_self("child-fault", modes[i].mode, NULL);

		expect_status(pid < 0 ? pid : reap(pid),
			      ABI_W_EXITCODE(0, modes[i].sig), "child-fault %s",
			      modes[i].mode);
	}
	expect_eq(free_pages(), f0, "free pages after the killed children");
}

/* ---- getpid / getppid ---- */

static void t_getpid(void)
{
	long me = getpid(), pid, pid2, st;
	char buf[64];
	char arg[16];
	long cpid = -1, cppid = -1;

	expect_ge(me, 1, "getpid");
	expect_eq(getpid(), me, "getpid is stable");
	expect_eq(__syscall0(SYS_getpid), me, "raw getpid");
	expect_ge(getppid(), 1, "getppid");
	expect_true(getppid() != me, "getppid != getpid");
	expect_eq(__syscall0(SYS_getppid), getppid(), "raw getppid");

	snprintf(arg, sizeof(arg), "%ld", me);
	unlink("/tmp/ut-ids");
	pid = spawn_self("child-ids", arg, "/tmp/ut-ids", NULL);
	if (!expect_ge(pid, 1, "spawn child-ids"))
		return;
	st = reap(pid);
	expect_status(st, ABI_W_EXITCODE(0, 0), "child's getppid() is our pid");
	memset(buf, 0, sizeof(buf));
	if (expect_ge(file_get("/tmp/ut-ids", buf, 63), 3,
		      "read the child's ids"))
		sscanf(buf, "%ld %ld", &cpid, &cppid);
	expect_eq(cpid, pid, "child's getpid() is spawn's result");
	expect_eq(cppid, me, "child's getppid() (from its file)");
	unlink("/tmp/ut-ids");
	pid2 = spawn_self("child-exit", "0", NULL);
	expect_true(pid2 > 0 && pid2 != pid, "a new child gets a new pid");
	if (pid2 > 0)
		reap(pid2);
}

/* ---- the process table filling up ---- */

static void t_eagain(void)
{
	long pids[NPROC + 8], r = 0;
	int n = 0;

	/* zombies keep their slots until reaped */
	while (n < NPROC + 8) {
		r = spawn_self("child-exit", "0", NULL);
		if (r < 0)
			break;
		pids[n++] = r;
	}
	expect_errno(r, -EAGAIN, "spawn with the process table full");
	expect_range(n, NPROC / 2, NPROC - 1, "children spawned before EAGAIN");
	for (int i = 0; i < n; i++)
		if (!expect_status(reap(pids[i]), ABI_W_EXITCODE(0, 0),
				   "reap child %d", i))
			break;
	r = spawn_self("child-exit", "0", NULL);
	expect_ge(r, 1, "spawn after reaping");
	if (r > 0)
		reap(r);
}

/* ---- sched_yield ---- */

static void t_sched(void)
{
	long pid;
	int i;

	for (i = 0; i < 100; i++)
		if (!expect_eq(res(sched_yield()), 0, "sched_yield"))
			break;
	expect_eq(__syscall0(SYS_sched_yield), 0, "raw sched_yield");
	pid = spawn_self("child-exit", "5", NULL);
	for (i = 0; i < 20; i++)
		if (!expect_eq(res(sched_yield()), 0,
			       "sched_yield with a runnable child"))
			break;
	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(5, 0),
		      "the child ran");

	/* a child that never yields is preempted: we run while it spins
	 * (it spins until we make GO, so we must have run) */
	unlink(GO);
	pid = spawn_self("child-spin", GO, NULL);
	if (expect_ge(pid, 1, "spawn a spinning child")) {
		expect_eq(res(sched_yield()), 0, "sched_yield to the spinner");
		expect_eq(res(waitpid(pid, NULL, WNOHANG)), 0,
			  "we ran while the child spins (preemption)");
		expect_eq(file_put(GO, "", 0), 0, "stop the spinner");
		expect_status(reap(pid), ABI_W_EXITCODE(0, 0),
			      "the spinner (3: never stopped)");
	}
	unlink(GO);
}

/* ---- nanosleep and clock_gettime ---- */

static void t_time(void)
{
	struct abi_timespec req, rem, kt;
	struct timespec ts1, ts2, sl = {0, 20 * 1000000};
	struct timeval tv;
	long m1, m2;

	expect_eq(res(clock_gettime(CLOCK_REALTIME, &ts1)), 0,
		  "clock_gettime(CLOCK_REALTIME)");
	expect_range(ts1.tv_nsec, 0, 999999999, "tv_nsec");
	m1 = mono_ns();
	expect_ge(m1, 0, "raw clock_gettime(CLOCK_MONOTONIC)");
	expect_eq(res(nanosleep(&sl, NULL)), 0, "nanosleep 20 ms");
	m2 = mono_ns();
	expect_eq(res(clock_gettime(CLOCK_REALTIME, &ts2)), 0,
		  "clock_gettime(CLOCK_REALTIME) after");
	expect_ge(m2, m1, "CLOCK_MONOTONIC did not go backwards");
	expect_ge(m2 - m1, 20 * 1000000L,
		  "CLOCK_MONOTONIC across a 20 ms sleep (ns)");
	expect_true(ts2.tv_sec > ts1.tv_sec || (ts2.tv_sec == ts1.tv_sec &&
						ts2.tv_nsec > ts1.tv_nsec),
		    "CLOCK_REALTIME advanced across a 20 ms sleep");
	expect_errno(__syscall2(SYS_clock_gettime, 99, &kt), -EINVAL,
		     "clock_gettime(99)");
	expect_errno(__syscall2(SYS_clock_gettime, 1000, &kt), -EINVAL,
		     "clock_gettime(1000)");
	expect_eq(res(gettimeofday(&tv, NULL)), 0, "gettimeofday");
	expect_range(tv.tv_usec, 0, 999999, "tv_usec");

	req.tv_sec = 0;
	req.tv_nsec = 1000000000;
	expect_errno(__syscall2(SYS_nanosleep, &req, NULL), -EINVAL,
		     "nanosleep tv_nsec = 1e9");
	req.tv_nsec = -1;
	expect_errno(__syscall2(SYS_nanosleep, &req, NULL), -EINVAL,
		     "nanosleep tv_nsec = -1");
	req.tv_sec = -1;
	req.tv_nsec = 0;
	expect_errno(__syscall2(SYS_nanosleep, &req, NULL), -EINVAL,
		     "nanosleep tv_sec = -1");
	req.tv_sec = 0;
	req.tv_nsec = 0;
	expect_eq(__syscall2(SYS_nanosleep, &req, NULL), 0, "nanosleep 0");
	req.tv_nsec = 1000000;
	m1 = mono_ns();
	expect_eq(__syscall2(SYS_nanosleep, &req, &rem), 0,
		  "nanosleep 1 ms with rem");
	m2 = mono_ns();
	expect_true(m2 > m1, "CLOCK_MONOTONIC advanced across a 1 ms sleep");
	expect_eq(res(usleep(1000)), 0, "usleep(1000)");
}

/* ---- mmap, munmap, mprotect: the address-space map ---- */

#define RW    (PROT_READ | PROT_WRITE)
#define ANON  (MAP_PRIVATE | MAP_ANONYMOUS)
#define NMANY 1000

static char *map_anon(void *hint, long len, int prot, int flags)
{
	void *m = mmap(hint, len, prot, ANON | flags, -1, 0);

	return m == MAP_FAILED ? NULL : m;
}

/* A child that must die of SIGSEGV doing `mode` (child_fault). */
static void expect_segv(const char *mode)
{
	long pid = spawn_self("child-fault", mode, NULL);

	expect_status(pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(0, ABI_SIGSEGV),
		      "child-fault %s is killed by SIGSEGV", mode);
}

static char *many[NMANY];

static void t_mmap_many(void)
{
	long f0 = free_pages();
	int bad = 0;

	/* alternating permissions: 1000 VMAs, none merged */
	for (int i = 0; i < NMANY; i++) {
		many[i] = map_anon(NULL, PAGE, i & 1 ? PROT_READ : RW, 0);
		if (!many[i]) {
			expect_true(false, "mmap %d of %d: %s", i, NMANY,
				    strerror(errno));
			return;
		}
		if (!(i & 1))
			many[i][0] = (char)i;
	}
	for (int i = 0; i < NMANY; i++) {
		if ((uintptr_t)many[i] < MMAP_BASE ||
		    (uintptr_t)many[i] >= MMAP_TOP ||
		    many[i][0] != (i & 1 ? 0 : (char)i))
			bad++;
		for (int j = 0; j < i; j++)
			if (many[j] == many[i])
				bad++;
	}
	expect_eq(bad, 0, "1000 distinct pages in the mmap area, contents kept");
	for (int i = 0; i < NMANY; i++)
		if (munmap(many[i], PAGE))
			bad++;
	expect_eq(bad, 0, "munmap of each");
	expect_eq(free_pages(), f0, "free pages after unmapping all");
}

static void t_mmap_reuse(void)
{
	long f0 = free_pages(), bad = 0;
	char *a, *b, *c, *m, *first = NULL;

	for (long i = 0; i < 100000; i++) {
		m = map_anon(NULL, PAGE, RW, 0);
		if (!m || (first && m != first) || munmap(m, PAGE)) {
			bad++;
			break;
		}
		first = m;
	}
	expect_eq(bad, 0, "100000 map/unmap cycles, always the same page");
	/* a freed range in the middle is the first fit for its size */
	a = map_anon(NULL, 2 * PAGE, RW, 0);
	b = map_anon(NULL, 3 * PAGE, RW, 0);
	c = map_anon(NULL, 2 * PAGE, RW, 0);
	if (!expect_true(a && b && c, "three mappings"))
		return;
	expect_eq((long)b, (long)a + 2 * PAGE, "placed bottom-up, adjacent");
	expect_eq(munmap(b, 3 * PAGE), 0, "munmap the middle one");
	m = map_anon(NULL, 4 * PAGE, RW, 0);
	expect_true(m && m != b, "4 pages do not fit the 3-page hole");
	expect_eq((long)map_anon(NULL, 3 * PAGE, RW, 0), (long)b,
		  "3 pages go into it");
	munmap(a, 7 * PAGE); /* a, b and c in one call */
	munmap(m, 4 * PAGE);
	expect_eq(free_pages(), f0, "free pages at the end");
}

static void t_ring_cycles(void)
{
	struct io_uring ring;
	long f0, bad = 0, n = 40000;
	struct io_uring_cqe *cqe;

	if (io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL) == -ENODEV)
		return; /* no IO core */
	io_uring_queue_exit(&ring);
	f0 = free_pages();
	for (long i = 0; i < n; i++) {
		if (io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL)) {
			bad++;
			break;
		}
		io_uring_queue_exit(&ring);
	}
	expect_eq(bad, 0, "%ld ring set-ups and tear-downs", n);
	expect_eq(free_pages(), f0, "free pages after them");
	/* and the ring still works after that many */
	if (expect_eq(io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL), 0,
		      "one more ring")) {
		io_uring_prep_nop(io_uring_get_sqe(&ring));
		io_uring_submit(&ring);
		expect_eq(io_uring_wait_cqe(&ring, &cqe), 0, "a NOP completes");
		io_uring_queue_exit(&ring);
	}
}

static void t_munmap_partial(void)
{
	long f0 = free_pages();
	char *m = map_anon(NULL, 8 * PAGE, RW, 0);
	int fd = open(HELLO, O_RDONLY);

	if (!expect_true(m != NULL, "mmap 8 pages"))
		return;
	for (int i = 0; i < 8; i++)
		memset(m + i * PAGE, 'a' + i, PAGE);
	expect_eq(munmap(m + 3 * PAGE, 2 * PAGE), 0, "munmap pages 3-4");
	expect_eq(m[0] + m[3 * PAGE - 1], 'a' + 'c', "the lower part kept");
	expect_eq(m[5 * PAGE] + m[8 * PAGE - 1], 'f' + 'h', "the upper part kept");
	expect_errno(read_at(fd, m + 3 * PAGE, 10, 0), -EFAULT,
		     "read(2) into the hole");
	close(fd);
	expect_eq(munmap(m, PAGE), 0, "munmap the first page");
	expect_eq(munmap(m + 7 * PAGE, PAGE), 0, "munmap the last page");
	expect_eq(m[PAGE] + m[7 * PAGE - 1], 'b' + 'g', "the rest kept");
	expect_eq(munmap(m + 3 * PAGE, 2 * PAGE), 0, "munmap the hole again");
	expect_eq(munmap((void *)UNMAPPED, PAGE), 0, "munmap of nothing");
	expect_eq(munmap(m, 8 * PAGE), 0,
		  "munmap over pieces and holes at once");
	expect_eq(free_pages(), f0, "free pages after");
	expect_errno(res(munmap(m + 1, PAGE)), -EINVAL, "munmap unaligned");
	expect_errno(res(munmap(m, 0)), -EINVAL, "munmap of 0 bytes");
	expect_errno(res(munmap((void *)(MMAP_BASE), -PAGE)), -EINVAL,
		     "munmap that wraps around");
	expect_errno(res(munmap((void *)KADDR, PAGE)), -EINVAL,
		     "munmap of kernel space");
	expect_segv("mmap-hole");
}

static void t_mmap_fixed(void)
{
	long f0 = free_pages();
	char *m = map_anon(NULL, 4 * PAGE, RW, 0), *r, *hint;

	if (!expect_true(m != NULL, "mmap 4 pages"))
		return;
	memset(m, 'x', 4 * PAGE);
	r = map_anon(m + PAGE, PAGE, RW, MAP_FIXED);
	expect_eq((long)r, (long)(m + PAGE), "MAP_FIXED over page 1");
	expect_eq(m[PAGE] + m[2 * PAGE - 1], 0, "its new page is zeroed");
	expect_eq(m[0] + m[2 * PAGE], 'x' + 'x', "its neighbours kept");
	expect_errno(res((long)mmap(m + 2 * PAGE, PAGE, RW,
				    ANON | MAP_FIXED_NOREPLACE, -1, 0)),
		     -EEXIST, "MAP_FIXED_NOREPLACE over a mapping");
	expect_errno(res((long)mmap(m + 3 * PAGE, 2 * PAGE, RW,
				    ANON | MAP_FIXED_NOREPLACE, -1, 0)),
		     -EEXIST, "MAP_FIXED_NOREPLACE half over one");
	expect_eq(m[2 * PAGE], 'x', "left alone");
	expect_eq(munmap(m, 4 * PAGE), 0, "munmap");
	r = map_anon(m + 2 * PAGE, PAGE, RW, MAP_FIXED_NOREPLACE);
	expect_eq((long)r, (long)(m + 2 * PAGE),
		  "MAP_FIXED_NOREPLACE where nothing is");
	munmap(r, PAGE);
	expect_errno(res((long)mmap(m + 1, PAGE, RW, ANON | MAP_FIXED, -1, 0)),
		     -EINVAL, "MAP_FIXED unaligned");
	expect_errno(res((long)mmap(NULL, PAGE, RW, ANON | MAP_FIXED, -1, 0)),
		     -EPERM, "MAP_FIXED at 0");
	expect_errno(res((long)mmap((void *)(USER_TOP - PAGE), 2 * PAGE, RW,
				    ANON | MAP_FIXED, -1, 0)),
		     -ENOMEM, "MAP_FIXED beyond user space");
	/* hints: taken when free, else somewhere else */
	hint = (char *)MMAP_BASE + 256 * MIB;
	r = map_anon(hint, 2 * PAGE, RW, 0);
	expect_eq((long)r, (long)hint, "a free hint is honoured");
	m = map_anon(hint + PAGE, PAGE, RW, 0);
	expect_true(m && m != hint + PAGE &&
			    (m + PAGE <= hint || m >= hint + 2 * PAGE),
		    "a busy hint is not");
	m[0] = 1;
	munmap(m, PAGE);
	m = map_anon(hint + PAGE + 1, PAGE, RW, 0);
	expect_eq((long)m, (long)(hint + 2 * PAGE),
		  "an unaligned hint is rounded up");
	munmap(m, PAGE);
	munmap(r, 2 * PAGE);
	expect_eq(free_pages(), f0, "free pages after");
}

static void t_mprotect(void)
{
	long f0 = free_pages();
	char *m = map_anon(NULL, 3 * PAGE, RW, 0);
	int fd = open(HELLO, O_RDONLY);

	if (!expect_true(m != NULL, "mmap 3 pages"))
		return;
	memset(m, 'm', 3 * PAGE);
	expect_eq(mprotect(m + PAGE, PAGE, PROT_READ), 0,
		  "mprotect the middle page read-only");
	expect_eq(m[PAGE], 'm', "still readable");
	expect_errno(read_at(fd, m + PAGE, 5, 0), -EFAULT,
		     "read(2) into it: EFAULT");
	expect_eq(read_at(fd, m, 5, 0), 5, "read(2) into the page before");
	expect_eq(read_at(fd, m + 2 * PAGE, 5, 0), 5,
		  "read(2) into the page after");
	expect_eq(mprotect(m + PAGE, PAGE, RW), 0, "mprotect it back");
	m[PAGE] = 'w';
	expect_eq(read_at(fd, m + PAGE, 5, 0), 5, "read(2) into it again");
	expect_eq(mprotect(m, 3 * PAGE, PROT_NONE), 0, "mprotect PROT_NONE");
	expect_errno(res(write(1, m, 1)), -EFAULT, "write(2) from it: EFAULT");
	expect_eq(mprotect(m, 3 * PAGE, PROT_READ | PROT_EXEC), 0,
		  "mprotect R-X");
	expect_eq(m[0], 'H', "the contents survived");
	expect_eq(mprotect(m, 3 * PAGE, RW), 0, "mprotect RW");
	expect_eq(mprotect(m, 0, PROT_READ), 0, "mprotect of 0 bytes");
	expect_errno(res(mprotect(m + 1, PAGE, PROT_READ)), -EINVAL,
		     "mprotect unaligned");
	expect_errno(res(mprotect(m, PAGE, 8)), -EINVAL, "mprotect bad prot");
	expect_eq(munmap(m + PAGE, PAGE), 0, "munmap the middle");
	expect_errno(res(mprotect(m, 3 * PAGE, PROT_READ)), -ENOMEM,
		     "mprotect over a hole");
	m[2 * PAGE] = 1;
	expect_errno(res(mprotect((void *)UNMAPPED, PAGE, PROT_READ)), -ENOMEM,
		     "mprotect of nothing");
	munmap(m, 3 * PAGE);
	close(fd);
	expect_eq(free_pages(), f0, "free pages after");
	expect_segv("mprotect-ro");
	expect_segv("mprotect-none");
	expect_segv("mprotect-exec");
}

static char data_pages[3 * PAGE] __attribute__((aligned(PAGE)));
static char data_init[2 * PAGE] __attribute__((aligned(PAGE))) = {1};

static void t_mprotect_data(void)
{
	int fd = open(HELLO, O_RDONLY);
	char *brk0 = sbrk(3 * PAGE), *stack = (char *)&fd;
	char *heap = (char *)(((uintptr_t)brk0 + PAGE - 1) & -PAGE);

	data_pages[PAGE] = 'd';
	expect_eq(mprotect(data_pages + PAGE, PAGE, PROT_READ), 0,
		  "mprotect a .bss page read-only");
	expect_eq(data_pages[PAGE], 'd', "readable");
	expect_errno(read_at(fd, data_pages + PAGE, 5, 0), -EFAULT,
		     "read(2) into it: EFAULT");
	expect_eq(read_at(fd, data_pages, 5, 0), 5, "the page before writable");
	expect_eq(mprotect(data_pages + PAGE, PAGE, RW), 0, "and back");
	data_pages[PAGE] = 'e';
	expect_eq(mprotect(data_init, 2 * PAGE, PROT_READ), 0,
		  "mprotect .data read-only (as RELRO)");
	expect_eq(data_init[0], 1, "readable");
	expect_errno(read_at(fd, data_init + PAGE, 5, 0), -EFAULT,
		     "read(2) into it: EFAULT");
	expect_eq(mprotect(data_init, 2 * PAGE, RW), 0, "and back");
	data_init[PAGE] = 2;
	expect_eq(mprotect((void *)((uintptr_t)main & -PAGE), PAGE,
			   PROT_READ | PROT_EXEC),
		  0, "mprotect our text R-X");
	expect_eq(mprotect((void *)((uintptr_t)stack & -PAGE), PAGE, RW), 0,
		  "mprotect the stack RW");
	if (expect_true(brk0 != (void *)-1, "sbrk 3 pages")) {
		expect_eq(mprotect(heap, 2 * PAGE, PROT_READ), 0,
			  "mprotect the heap read-only");
		expect_errno(read_at(fd, heap, 5, 0), -EFAULT, "EFAULT there");
		expect_eq(mprotect(heap, 2 * PAGE, RW), 0, "and back");
		heap[0] = 1;
		sbrk(-3 * PAGE);
		expect_eq((long)sbrk(0), (long)brk0, "brk shrinks over it");
	}
	close(fd);
	expect_segv("mprotect-data");
}

static void t_mmap_file(void)
{
	static char buf[10000], got[PAGE];
	long f0 = free_pages();
	char *m;
	int fd, wfd, dfd;

	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = 'A' + i % 23;
	if (!expect_eq(file_put("/tmp/ut-mmap", buf, sizeof(buf)),
		       sizeof(buf), "make a 10000-byte file"))
		return;
	fd = open("/tmp/ut-mmap", O_RDONLY);
	m = mmap(NULL, sizeof(buf), PROT_READ, MAP_PRIVATE, fd, 0);
	if (expect_true(m != MAP_FAILED, "mmap it MAP_PRIVATE, read-only")) {
		expect_mem(m, buf, sizeof(buf), "the file's bytes");
		expect_eq(m[sizeof(buf)] + m[3 * PAGE - 1], 0,
			  "zeros after its end");
		munmap(m, sizeof(buf));
	}
	m = mmap(NULL, PAGE, RW, MAP_PRIVATE, fd, 2 * PAGE);
	if (expect_true(m != MAP_FAILED, "mmap its third page, writable")) {
		expect_mem(m, buf + 2 * PAGE, sizeof(buf) - 2 * PAGE,
			   "the bytes at offset 8192");
		memset(m, '!', PAGE);
		expect_eq(read_at(fd, got, PAGE, 2 * PAGE),
			  sizeof(buf) - 2 * PAGE, "read the file");
		expect_mem(got, buf + 2 * PAGE, sizeof(buf) - 2 * PAGE,
			   "writes to a private mapping do not reach the file");
		munmap(m, PAGE);
	}
	m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 4 * PAGE);
	expect_true(m != MAP_FAILED && m[0] == 0 && m[PAGE - 1] == 0,
		    "mmap past the end: zeros");
	munmap(m, PAGE);
	wfd = open("/tmp/ut-mmap", O_WRONLY);
	dfd = open("/tmp", O_RDONLY);
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0)),
		     -ENODEV, "MAP_SHARED of a file");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wfd, 0)),
		     -EACCES, "a file opened write-only");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dfd, 0)),
		     -ENODEV, "a directory");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 1, 0)),
		     -ENODEV, "the console");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0)),
		     -EBADF, "a bad fd");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 1)),
		     -EINVAL, "an unaligned offset");
	expect_errno(res((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0)),
		     -EINVAL, "0 bytes");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, 0, fd, 0)), -EINVAL,
		     "neither MAP_SHARED nor MAP_PRIVATE");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ, 0x0f, -1, 0)),
		     -EINVAL, "a bad mapping type");
	expect_errno(res((long)mmap(NULL, PAGE, 0x10, ANON, -1, 0)), -EINVAL,
		     "a bad prot");
	expect_errno(res((long)mmap(NULL, PAGE, PROT_READ,
				    MAP_SHARED_VALIDATE | 0x400000, fd, 0)),
		     -EOPNOTSUPP, "MAP_SHARED_VALIDATE with an unknown flag");
	expect_errno(res((long)mmap(NULL, -PAGE, PROT_READ, ANON, -1, 0)),
		     -ENOMEM, "a size that wraps around");
	close(fd);
	close(wfd);
	close(dfd);
	expect_segv("file-ro");
	unlink("/tmp/ut-mmap");
	expect_eq(free_pages(), f0, "free pages after");
}

/* A ring's mapping cut in pieces keeps its count: the ring dies at the end. */
static void t_ring_split(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	long f0 = free_pages(), f1;
	char *m;
	long sz;

	if (io_uring_queue_init(256, &ring, IORING_SETUP_SQPOLL) == -ENODEV)
		return;
	sz = (ring.sq.ring_sz + PAGE - 1) & -PAGE;
	if (!expect_ge(sz, 3 * PAGE, "the SQ/CQ region has 3 pages or more"))
		goto out;
	m = mmap(NULL, sz, RW, MAP_SHARED, ring.ring_fd, IORING_OFF_SQ_RING);
	if (!expect_true(m != MAP_FAILED, "a second mapping of it"))
		goto out;
	expect_eq(*(unsigned *)(m + ((char *)ring.sq.kring_entries -
				     (char *)ring.sq.ring_ptr)),
		  256, "it shows the SQ entries");
	expect_eq(munmap(m + PAGE, PAGE), 0, "munmap its second page");
	expect_eq(mprotect(m + 2 * PAGE, PAGE, PROT_READ), 0,
		  "mprotect its third page read-only");
	expect_eq(mprotect(m, PAGE, PROT_NONE), 0, "its first PROT_NONE");
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	io_uring_submit(&ring);
	expect_eq(io_uring_wait_cqe(&ring, &cqe), 0, "the ring still works");
	io_uring_cqe_seen(&ring, cqe);
	/* the fd and liburing's mappings go; our pieces keep the ring (its
	 * memory, 7 pages or more, is not freed) */
	f1 = free_pages();
	io_uring_queue_exit(&ring);
	expect_range(free_pages() - f1, 0, 2,
		     "the ring lives while a piece is mapped");
	expect_eq(*(volatile unsigned *)(m + 2 * PAGE), *(unsigned *)(m + 2 * PAGE),
		  "its read-only piece is readable");
	expect_eq(munmap(m, PAGE), 0, "munmap the first piece");
	expect_eq(munmap(m + 2 * PAGE, sz - 2 * PAGE), 0, "and the rest");
	expect_eq(free_pages(), f0, "the ring is gone with the last piece");
	return;
out:
	io_uring_queue_exit(&ring);
}

/* ---- brk / sbrk / malloc ---- */

static void t_brk(void)
{
	struct abi_sysinfo si;
	long b0, f0, f1, big;
	char *p;

	b0 = __syscall1(SYS_brk, 0);
	expect_eq((long)sbrk(0), b0, "sbrk(0) is brk(0)");
	expect_true(b0 > (long)&pathbuf, "the break is above our data");
	expect_eq(__syscall1(SYS_brk, 0x1000), b0, "brk below the heap");
	expect_eq(__syscall1(SYS_brk, USTACK_TOP - PAGE), b0,
		  "brk into the stack");
	expect_eq(__syscall1(SYS_brk, MMAP_BASE + PAGE), b0,
		  "brk into the mmap area");
	expect_eq(__syscall1(SYS_brk, KADDR), b0, "brk to a kernel address");
	expect_eq(__syscall1(SYS_brk, -1), b0, "brk(-1)");
	expect_eq(__syscall1(SYS_brk, 0), b0, "break unchanged");

	/* several MiB; shrinking gives the pages back (the page-table pages
	 * stay: warm them first) */
	if (!expect_eq((long)sbrk(4 * MIB), b0, "sbrk 4 MiB"))
		return;
	sbrk(-4 * MIB);
	f0 = free_pages();
	p = sbrk(4 * MIB);
	expect_eq((long)p, b0, "sbrk 4 MiB again");
	expect_eq(__syscall1(SYS_brk, 0), b0 + 4 * MIB, "new break");
	for (long i = 0; i < 4 * MIB; i += PAGE)
		p[i] = i >> 12;
	for (long i = 0; i < 4 * MIB; i += PAGE)
		if (!expect_eq(p[i], (char)(i >> 12), "heap page content"))
			break;
	f1 = free_pages();
	expect_range(f0 - f1, 1024, 1026, "pages taken by 4 MiB of heap");
	expect_eq((long)sbrk(-4 * MIB), b0 + 4 * MIB, "sbrk(-4 MiB)");
	expect_eq(__syscall1(SYS_brk, 0), b0, "break after shrinking");
	expect_eq(free_pages(), f0, "free pages after shrinking");
	expect_eq(__syscall1(SYS_brk, b0 + 5000), b0 + 5000,
		  "brk to an unaligned end");
	p = (char *)b0;
	p[4999] = 1;
	expect_eq(__syscall1(SYS_brk, b0), b0, "brk back");

	/* more than the machine has: refused, break unchanged, nothing lost */
	__syscall1(SYS_sysinfo, &si);
	big = (long)(si.totalram * si.mem_unit) + 16 * MIB;
	if (b0 + big <= (long)MMAP_BASE) { /* else brk refuses for the limit */
		f0 = free_pages();
		expect_eq(__syscall1(SYS_brk, b0 + big), b0,
			  "brk beyond physical memory");
		expect_eq((long)sbrk(big), -1, "sbrk beyond physical memory");
		expect_eq(errno, ENOMEM, "errno");
		expect_eq(free_pages(), f0, "free pages after the failed brk");
		p = sbrk(MIB);
		expect_eq((long)p, b0, "sbrk works after the failed brk");
		if (p != (void *)-1) {
			memset(p, 1, MIB);
			sbrk(-MIB);
		}
	}

	/* malloc */
	p = malloc(6 * MIB);
	if (expect_true(p != NULL, "malloc 6 MiB")) {
		for (long i = 0; i < 6 * MIB; i += 512)
			p[i] = i / 512;
		for (long i = 0; i < 6 * MIB; i += 512)
			if (!expect_eq(p[i], (char)(i / 512),
				       "malloc'd content"))
				break;
		free(p);
	}
	for (int round = 0; round < 2; round++) {
		char *blk[8];

		for (int i = 0; i < 8; i++) {
			blk[i] = malloc(512 * 1024);
			if (expect_true(blk[i] != NULL, "malloc 512 KiB"))
				memset(blk[i], i, 512 * 1024);
		}
		for (int i = 0; i < 8; i++) {
			if (blk[i]) {
				expect_eq(blk[i][512 * 1024 - 1], i,
					  "block content");
				free(blk[i]);
			}
		}
	}
	p = calloc(1, 3 * MIB);
	if (expect_true(p != NULL, "calloc 3 MiB")) {
		for (long i = 0; i < 3 * MIB; i += 4093)
			if (!expect_eq(p[i], 0, "calloc'd memory is zero"))
				break;
		p = realloc(p, 5 * MIB);
		expect_true(p != NULL, "realloc to 5 MiB");
		free(p);
	}
}

/* ---- sysinfo ---- */

static void t_sysinfo(void)
{
	struct abi_sysinfo si, si2;
	long pid;

	memset(&si, 0xff, sizeof(si));
	if (!expect_eq(__syscall1(SYS_sysinfo, &si), 0, "sysinfo"))
		return;
	expect_eq(si.mem_unit, 4096, "mem_unit");
	expect_ge(si.totalram, 1024, "totalram");
	expect_ge(si.freeram, 1, "freeram");
	expect_true(si.freeram <= si.totalram, "freeram <= totalram");
	expect_ge(si.procs, 2, "procs (the runner and this case)");
	expect_ge(si.uptime, 0, "uptime");
	expect_eq(free_pages(), si.freeram, "free_pages() agrees");
	/* the child runs until we make GO */
	unlink(GO);
	pid = spawn_self("child-wait", GO, NULL);
	expect_eq(__syscall1(SYS_sysinfo, &si2), 0, "sysinfo again");
	expect_eq(si2.procs, si.procs + 1, "procs counts a new child");
	expect_true(si2.freeram < si.freeram, "a child uses memory");
	expect_eq(si2.totalram, si.totalram, "totalram is constant");
	expect_eq(file_put(GO, "", 0), 0, "let the child go");
	if (pid > 0)
		expect_status(reap(pid), ABI_W_EXITCODE(0, 0),
			      "the child (3: never let go)");
	unlink(GO);
	expect_eq(free_pages(), si.freeram,
		  "free pages after the child is reaped");
}

/* ---- the IO core ---- */

/* The ring part: /bin/ringtest (its own cases) must pass as a child; its
 * KTAP output is a subtest of this case's (indented one level deeper). */
static void t_ring(void)
{
	char depth[32];
	int st = -1;
	long pid;

	snprintf(depth, sizeof(depth), "--ktap-depth=%d", ktest_cur.depth + 1);
	pid = res(spawn("/bin/ringtest", (char *[]){"ringtest", depth, NULL}));

	if (expect_ge(pid, 1, "spawn /bin/ringtest")) {
		expect_eq(res(waitpid(pid, &st, 0)), pid, "wait for ringtest");
		expect_status(st, ABI_W_EXITCODE(0, 0), "ringtest's status");
	}
}

static void t_iocore(void)
{
	expect_eq(res(iocore_ping(10)), 10, "iocore_ping(10)");
	expect_eq(res(iocore_ping(1)), 1, "iocore_ping(1)");
	expect_eq(res(iocore_ping(1000)), 1000, "iocore_ping(1000)");
	expect_errno(res(iocore_ping(0)), -EINVAL, "iocore_ping(0)");
	expect_errno(res(iocore_ping(-1)), -EINVAL, "iocore_ping(-1)");
	expect_errno(res(iocore_ping(1000001)), -EINVAL,
		     "iocore_ping(1000001)");
	expect_eq(__syscall1(SYS_iocore_ping, 3), 3, "raw iocore_ping(3)");
}

/* ---- reboot (only refused calls) and unknown numbers ---- */

static void t_reboot(void)
{
	expect_errno(__syscall4(SYS_reboot, 0x12345678, ABI_REBOOT_MAGIC2,
				ABI_REBOOT_CMD_POWER_OFF, 0),
		     -EINVAL, "reboot with bad magic1");
	expect_errno(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, 0x12345678,
				ABI_REBOOT_CMD_POWER_OFF, 0),
		     -EINVAL, "reboot with bad magic2");
	expect_errno(__syscall4(SYS_reboot, 0, 0, ABI_REBOOT_CMD_POWER_OFF, 0),
		     -EINVAL, "reboot with no magic");
	expect_errno(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1,
				ABI_REBOOT_MAGIC2, 0x0badc0de, 0),
		     -EINVAL, "reboot with a bad command");
	/* Linux's other commands and magic2 values */
	static const long magic2[] = {ABI_REBOOT_MAGIC2, ABI_REBOOT_MAGIC2A,
				      ABI_REBOOT_MAGIC2B, ABI_REBOOT_MAGIC2C};

	for (int i = 0; i < 4; i++) {
		expect_eq(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, magic2[i],
				     ABI_REBOOT_CMD_CAD_OFF, 0),
			  0, "reboot(CAD_OFF) with magic2 %ld", magic2[i]);
		expect_eq(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, magic2[i],
				     ABI_REBOOT_CMD_CAD_ON, 0),
			  0, "reboot(CAD_ON) with magic2 %ld", magic2[i]);
	}
	expect_errno(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1,
				ABI_REBOOT_MAGIC2, ABI_REBOOT_CMD_RESTART2, 0),
		     -EFAULT, "reboot(RESTART2) with a NULL command");
	expect_errno(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1,
				ABI_REBOOT_MAGIC2, ABI_REBOOT_CMD_RESTART2,
				KADDR),
		     -EFAULT, "reboot(RESTART2) with a kernel-address command");
	expect_errno(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1,
				ABI_REBOOT_MAGIC2, 0x45584543, 0),
		     -EINVAL, "reboot(KEXEC): nothing loaded");
	expect_errno(__syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, 0x12345678,
				ABI_REBOOT_CMD_CAD_ON, 0),
		     -EINVAL, "reboot(CAD_ON) with a bad magic2");
}

static void t_nosys(void)
{
	long nrs[] = {9999, 0,	1,	 500, 1999, SYS_MAX_PLUS_ONE,
		      2100, -1, 1L << 40};

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		expect_errno(__syscall3(nrs[i], 1, 2, 3), -ENOSYS,
			     "syscall %ld", nrs[i]);
}

/* ---- bad user pointers ---- */

static void t_efault(void)
{
	const long bad[4] = {0, KADDR, UNMAPPED, RO_ADDR};
	static const char *const bn[4] = {"NULL", "a kernel address",
					  "an unmapped address",
					  "a read-only page"};
	struct abi_timespec req = {0, 1000000};
	struct abi_stat ks;
	char *edge, *argv[3], dbuf[256] __attribute__((aligned(8)));
	long undo, pid, r, ntmp, reclen;
	int fd, dfd, wfd, fd2;

	fd = open(HELLO, O_RDONLY);
	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	wfd = open("/tmp/ut-efault", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(res(fd), 3, "open hello") ||
	    !expect_ge(res(dfd), 3, "open /tmp") ||
	    !expect_ge(res(wfd), 3, "open ut-efault"))
		return;
	ntmp = dir_count("/tmp", NULL, NULL);
	/* the size of the first record ("."), for a buffer ending after it */
	fd2 = open("/tmp", O_RDONLY | O_DIRECTORY);
	reclen = __syscall3(SYS_getdents64, fd2, dbuf, sizeof(dbuf)) > 0
			 ? ((struct abi_dirent64 *)dbuf)->d_reclen
			 : 24;
	close(fd2);
	for (int i = 0; i < 4; i++) {
		long b = bad[i];
		bool readable = i == 3; /* fine as a source */

		/* calls that write to user memory */
		expect_errno(__syscall3(SYS_read, fd, b, 16), -EFAULT,
			     "read into %s", bn[i]);
		expect_errno(__syscall2(SYS_fstat, fd, b), -EFAULT,
			     "fstat into %s", bn[i]);
		expect_errno(__syscall2(SYS_fstat, 1, b), -EFAULT,
			     "fstat(console) into %s", bn[i]);
		expect_errno(
			__syscall4(SYS_newfstatat, ABI_AT_FDCWD, HELLO, b, 0),
			-EFAULT, "newfstatat into %s", bn[i]);
		expect_errno(__syscall3(SYS_getdents64, dfd, b, 512), -EFAULT,
			     "getdents64 into %s", bn[i]);
		expect_errno(
			__syscall2(SYS_clock_gettime, ABI_CLOCK_REALTIME, b),
			-EFAULT, "clock_gettime(REALTIME) into %s", bn[i]);
		expect_errno(
			__syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC, b),
			-EFAULT, "clock_gettime(MONOTONIC) into %s", bn[i]);
		expect_errno(__syscall1(SYS_sysinfo, b), -EFAULT,
			     "sysinfo into %s", bn[i]);
		if (b) { /* NULL is allowed for these */
			/* as Linux: rem is written only when interrupted */
			expect_eq(__syscall2(SYS_nanosleep, &req, b), 0,
				  "nanosleep rem in %s (not written)", bn[i]);
			pid = spawn_self("child-exit", "0", NULL);
			if (pid > 0) {
				expect_errno(
					__syscall4(SYS_wait4, pid, b, 0, 0),
					-EFAULT, "wait4 status in %s", bn[i]);
				/* Linux reaps it anyway: either is fine */
				r = res(waitpid(pid, NULL, 0));
				expect_true(r == pid || r == -ECHILD,
					    "wait4 after EFAULT (got %s)",
					    ktest_err(r));
			}
		}
		if (readable)
			continue;
		/* calls that read user memory */
		expect_errno(__syscall3(SYS_write, wfd, b, 16), -EFAULT,
			     "write from %s", bn[i]);
		expect_errno(__syscall3(SYS_write, 1, b, 16), -EFAULT,
			     "write to the console from %s", bn[i]);
		expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, b,
					ABI_O_RDONLY, 0),
			     -EFAULT, "openat path %s", bn[i]);
		expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, b,
					ABI_O_RDWR | ABI_O_CREAT, 0644),
			     -EFAULT, "openat(O_CREAT) path %s", bn[i]);
		expect_errno(__syscall4(SYS_openat, dfd, b, ABI_O_RDONLY, 0),
			     -EFAULT, "openat(dirfd) path %s", bn[i]);
		expect_errno(__syscall3(SYS_mkdirat, ABI_AT_FDCWD, b, 0755),
			     -EFAULT, "mkdirat path %s", bn[i]);
		expect_errno(__syscall3(SYS_unlinkat, ABI_AT_FDCWD, b, 0),
			     -EFAULT, "unlinkat path %s", bn[i]);
		expect_errno(__syscall3(SYS_unlinkat, ABI_AT_FDCWD, b,
					ABI_AT_REMOVEDIR),
			     -EFAULT, "unlinkat(AT_REMOVEDIR) path %s", bn[i]);
		expect_errno(
			__syscall4(SYS_newfstatat, ABI_AT_FDCWD, b, &ks, 0),
			-EFAULT, "newfstatat path %s", bn[i]);
		expect_errno(__syscall2(SYS_nanosleep, b, 0), -EFAULT,
			     "nanosleep req %s", bn[i]);
		expect_errno(__syscall2(SYS_spawn, b, 0), -EFAULT,
			     "spawn path %s", bn[i]);
		if (b) {
			expect_errno(__syscall2(SYS_spawn, SELF, b), -EFAULT,
				     "spawn argv %s", bn[i]);
			argv[0] = "utests";
			argv[1] = (char *)b;
			argv[2] = NULL;
			expect_errno(__syscall2(SYS_spawn, SELF, argv), -EFAULT,
				     "spawn argv[1] %s", bn[i]);
		}
	}
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 0,
		  "failed reads left the offset");
	expect_eq(fd_size(wfd), 0, "failed writes wrote nothing");
	expect_eq(__syscall3(SYS_write, wfd, RO_ADDR, 16), 16,
		  "write from a read-only page works");
	expect_eq(dir_count("/tmp", NULL, NULL), ntmp,
		  "nothing was made by the failed calls");

	/* buffers that run off the end of the heap into an unmapped page */
	edge = heap_edge(&undo);
	if (expect_true(edge != NULL, "heap edge")) {
		expect_eq(__syscall3(SYS_read, fd, edge - 8, 16), 8,
			  "read across the heap end is short");
		expect_mem(edge - 8, HELLO_TEXT, 8, "short read content");
		expect_eq(__syscall3(SYS_write, wfd, edge - 8, 16), 8,
			  "write across the heap end is short");
		expect_errno(__syscall2(SYS_fstat, fd, edge - 8), -EFAULT,
			     "fstat across the heap end");
		expect_errno(__syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC,
					edge - 8),
			     -EFAULT, "clock_gettime across the heap end");
		expect_errno(__syscall1(SYS_sysinfo, edge - 64), -EFAULT,
			     "sysinfo across the heap end");
		expect_eq(__syscall3(SYS_getdents64, dfd, edge - reclen, 64),
			  reclen,
			  "getdents64 across the heap end returns what fit");
		memset(edge - 8, 'a', 8);
		expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, edge - 8,
					ABI_O_RDONLY, 0),
			     -EFAULT,
			     "openat with a path running off the heap");
		expect_errno(__syscall2(SYS_spawn, edge - 8, 0), -EFAULT,
			     "spawn with a path running off the heap");
		memcpy(edge - 8, &(char *){"utests"}, 8);
		expect_errno(__syscall2(SYS_spawn, SELF, edge - 8), -EFAULT,
			     "spawn with argv running off the heap");
		memset(edge - 8, 0, 8);
		expect_errno(__syscall2(SYS_nanosleep, edge - 8, 0), -EFAULT,
			     "nanosleep req across the heap end");
		sbrk(-undo);
	}
	close(fd);
	close(dfd);
	close(wfd);
	expect_eq(res(unlink("/tmp/ut-efault")), 0, "unlink");
}

/* ---- Linux's errors, in Linux's order (issue 10) ---- */

#define BIG_COUNT (1L << 31) /* a count a buffer could have */
#define MAX_RW	  0x7ffff000L /* Linux's MAX_RW_COUNT */
#define TMP_RWL	  "/tmp/ut-rwl"

/* read/write: a count no buffer can have, a kernel address even for 0 bytes */
static void t_rw_linux(void)
{
	static char big[2 * PAGE];
	long n = strlen(HELLO_TEXT);
	struct io_uring ring;
	int fd, wfd, wo, dfd;
	char buf[64];

	fd = open(HELLO, O_RDONLY);
	wfd = open(TMP_RWL, O_RDWR | O_CREAT | O_TRUNC, 0644);
	wo = open(TMP_RWL, O_WRONLY);
	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (!expect_ge(res(fd), 3, "open hello") ||
	    !expect_ge(res(wfd), 3, "open " TMP_RWL) ||
	    !expect_ge(res(wo), 3, "open " TMP_RWL " write-only") ||
	    !expect_ge(res(dfd), 3, "open /tmp"))
		return;

	/* (size_t)-1 and other counts beyond any buffer: -EFAULT */
	expect_errno(__syscall3(SYS_read, fd, buf, -1L), -EFAULT,
		     "read of (size_t)-1 bytes");
	expect_errno(__syscall3(SYS_write, wfd, buf, -1L), -EFAULT,
		     "write of (size_t)-1 bytes");
	expect_errno(__syscall3(SYS_write, 1, buf, -1L), -EFAULT,
		     "console write of (size_t)-1 bytes");
	expect_errno(__syscall4(SYS_pread64, fd, buf, -1L, 0), -EFAULT,
		     "pread64 of (size_t)-1 bytes");
	expect_errno(__syscall4(SYS_pwrite64, wfd, buf, -1L, 0), -EFAULT,
		     "pwrite64 of (size_t)-1 bytes");
	expect_errno(__syscall3(SYS_read, fd, buf, 1L << 62), -EFAULT,
		     "read of 2^62 bytes");
	expect_errno(__syscall3(SYS_read, fd, buf, LONG_MIN), -EFAULT,
		     "read of 2^63 bytes");
	/* a count a buffer could have is clamped and goes as far as the file */
	expect_eq(__syscall3(SYS_read, fd, big, BIG_COUNT), n,
		  "read of 2^31 bytes from a small file");
	expect_mem(big, HELLO_TEXT, n, "read of 2^31 bytes: content");
	expect_eq(__syscall4(SYS_pread64, fd, big, BIG_COUNT, 1), n - 1,
		  "pread64 of 2^31 bytes");
	lseek(fd, 0, SEEK_SET);

	/* the fd's mode is checked before the buffer */
	expect_errno(__syscall3(SYS_read, wo, KADDR, 16), -EBADF,
		     "read of a write-only fd into a kernel address");
	expect_errno(__syscall3(SYS_write, fd, KADDR, -1L), -EBADF,
		     "write of a read-only fd from a kernel address");
	expect_errno(__syscall3(SYS_read, 99, KADDR, -1L), -EBADF,
		     "read of a closed fd");

	/* a kernel address is -EFAULT even for 0 bytes */
	expect_errno(__syscall3(SYS_read, fd, KADDR, 0), -EFAULT,
		     "read of 0 bytes into a kernel address");
	expect_errno(__syscall3(SYS_write, wfd, KADDR, 0), -EFAULT,
		     "write of 0 bytes from a kernel address");
	expect_errno(__syscall3(SYS_write, 1, KADDR, 0), -EFAULT,
		     "console write of 0 bytes from a kernel address");
	expect_errno(__syscall4(SYS_pread64, fd, KADDR, 0, 0), -EFAULT,
		     "pread64 of 0 bytes into a kernel address");
	expect_errno(__syscall4(SYS_pwrite64, wfd, KADDR, 0, 0), -EFAULT,
		     "pwrite64 of 0 bytes from a kernel address");
	expect_errno(__syscall3(SYS_read, fd, -4096L, 0), -EFAULT,
		     "read of 0 bytes at the top of the address space");
	expect_errno(__syscall3(SYS_read, dfd, KADDR, 0), -EFAULT,
		     "read of 0 bytes from a directory into a kernel address");
	/* a user address passes for 0 bytes, mapped or not */
	expect_eq(__syscall3(SYS_read, fd, 0, 0), 0, "read of 0 bytes into NULL");
	expect_eq(__syscall3(SYS_read, fd, UNMAPPED, 0), 0,
		  "read of 0 bytes into an unmapped user address");
	expect_eq(__syscall3(SYS_write, wfd, 0, 0), 0,
		  "write of 0 bytes from NULL");
	expect_eq(__syscall3(SYS_write, wfd, RO_ADDR, 0), 0,
		  "write of 0 bytes from a read-only page");
	/* a directory says -EISDIR even for 0 bytes */
	expect_errno(__syscall3(SYS_read, dfd, buf, 0), -EISDIR,
		     "read of 0 bytes from a directory");
	/* a position plus the count past the largest off_t */
	expect_errno(__syscall4(SYS_pread64, fd, buf, 16, LONG_MAX - 8),
		     -EINVAL, "pread64 with offset + count past 2^63");
	expect_errno(__syscall4(SYS_pwrite64, wfd, buf, 16, LONG_MAX - 8),
		     -EINVAL, "pwrite64 with offset + count past 2^63");
	expect_eq(__syscall4(SYS_pread64, fd, buf, 8, LONG_MAX - 8), 0,
		  "pread64 ending at 2^63 - 1 (past EOF)");

	/* a file without read or write (a ring's fd): -EINVAL, before EFAULT */
	if (io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL) == 0) {
		expect_errno(__syscall3(SYS_read, ring.ring_fd, buf, 0), -EINVAL,
			     "read of 0 bytes from a ring fd");
		expect_errno(__syscall3(SYS_write, ring.ring_fd, KADDR, 16),
			     -EINVAL, "write to a ring fd from a kernel address");
		io_uring_queue_exit(&ring);
	}

	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 0,
		  "the failed reads left the offset");
	expect_eq(fd_size(wfd), 0, "the failed writes wrote nothing");
	close(fd);
	close(wfd);
	close(wo);
	close(dfd);
	expect_eq(res(unlink(TMP_RWL)), 0, "unlink");
}

#define IOV(b, n) ((struct iovec){(void *)(b), (size_t)(n)})

/* readv/writev of iov[cnt] on fd and wfd: both must fail with err, no move */
static void iov_fails(int fd, int wfd, const struct iovec *iov, long cnt,
		      long err, const char *what)
{
	expect_errno(__syscall3(SYS_readv, fd, iov, cnt), err, "readv, %s",
		     what);
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 0, "readv, %s: offset", what);
	expect_errno(__syscall3(SYS_writev, wfd, iov, cnt), err, "writev, %s",
		     what);
	expect_eq(fd_size(wfd), 0, "writev, %s: nothing written", what);
}

/* readv/writev check the whole iovec array before anything moves */
static void t_iov_linux(void)
{
	static struct iovec many[ABI_UIO_MAXIOV];
	static char big[2 * PAGE], src[ABI_UIO_MAXIOV];
	long n = strlen(HELLO_TEXT), undo;
	struct iovec iov[3], *e;
	char a[8], b[8], *edge;
	int fd, wfd, wo, dfd;

	fd = open(HELLO, O_RDONLY);
	wfd = open(TMP_RWL, O_RDWR | O_CREAT | O_TRUNC, 0644);
	wo = open(TMP_RWL, O_WRONLY);
	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (!expect_ge(res(fd), 3, "open hello") ||
	    !expect_ge(res(wfd), 3, "open " TMP_RWL) ||
	    !expect_ge(res(wo), 3, "open " TMP_RWL " write-only") ||
	    !expect_ge(res(dfd), 3, "open /tmp"))
		return;

	iov[0] = IOV(a, 5);
	iov[1] = IOV(KADDR, 5);
	iov_fails(fd, wfd, iov, 2, -EFAULT, "second iovec in kernel memory");
	iov[1] = IOV(KADDR, 0);
	iov_fails(fd, wfd, iov, 2, -EFAULT,
		  "second iovec in kernel memory, 0 bytes");
	iov[1] = IOV(b, -1L);
	iov_fails(fd, wfd, iov, 2, -EINVAL, "second iovec's length -1");
	iov[1] = IOV(b, LONG_MIN);
	iov_fails(fd, wfd, iov, 2, -EINVAL, "second iovec's length 2^63");
	iov[1] = IOV(b, 1L << 62);
	iov_fails(fd, wfd, iov, 2, -EFAULT, "second iovec's length 2^62");
	iov[1] = IOV(b, 5);
	iov[2] = IOV(b, -1L);
	iov_fails(fd, wfd, iov, 3, -EINVAL, "third iovec's length -1");
	iov[0] = IOV(KADDR, 5);
	iov_fails(fd, wfd, iov, 3, -EINVAL,
		  "a bad length after a kernel address: the lengths first");
	iov[0] = IOV(a, -1L);
	iov_fails(fd, wfd, iov, 1, -EINVAL, "one iovec of length -1");
	iov[0] = IOV(KADDR, 0);
	iov_fails(fd, wfd, iov, 1, -EFAULT, "one iovec in kernel memory");

	/* an array whose second entry is on an unmapped page */
	edge = heap_edge(&undo);
	if (expect_true(edge != NULL, "heap edge")) {
		e = (struct iovec *)(edge - sizeof(*e));
		e[0] = IOV(a, 5);
		iov_fails(fd, wfd, e, 2, -EFAULT, "second entry unmapped");
		e = (struct iovec *)(edge - 2 * sizeof(*e));
		e[0] = IOV(a, 5);
		e[1] = IOV(b, -1L);
		iov_fails(fd, wfd, e, 3, -EINVAL,
			  "a bad length before an unmapped entry");
		sbrk(-undo);
	}
	iov_fails(fd, wfd, (struct iovec *)KADDR, 2, -EFAULT,
		  "the array in kernel memory");
	iov_fails(fd, wfd, (struct iovec *)(USER_TOP - 16), 2, -EFAULT,
		  "the array running into kernel memory");

	/* counts: an unsigned long, at most UIO_MAXIOV */
	iov[0] = IOV(a, 5);
	iov[1] = IOV(b, 5);
	iov_fails(fd, wfd, iov, ABI_UIO_MAXIOV + 1, -EINVAL, "1025 iovecs");
	iov_fails(fd, wfd, iov, -1L, -EINVAL, "-1 iovecs");
	iov_fails(fd, wfd, iov, (1L << 32) + 1, -EINVAL, "2^32 + 1 iovecs");
	expect_eq(__syscall3(SYS_readv, fd, KADDR, 0), 0,
		  "readv of 0 iovecs (the array is not read)");
	expect_eq(__syscall3(SYS_writev, wfd, KADDR, 0), 0,
		  "writev of 0 iovecs");

	/* the fd and its mode come first */
	iov[1] = IOV(KADDR, 5);
	expect_errno(__syscall3(SYS_readv, 99, iov, 2), -EBADF,
		     "readv of a closed fd");
	expect_errno(__syscall3(SYS_readv, wo, iov, 2000), -EBADF,
		     "readv of a write-only fd, bad count");
	expect_errno(__syscall3(SYS_writev, fd, KADDR, 2), -EBADF,
		     "writev of a read-only fd, bad array");

	/* after the checks, a fault while copying is a short count */
	iov[0] = IOV(a, 5);
	iov[1] = IOV(UNMAPPED, 5);
	expect_eq(__syscall3(SYS_readv, fd, iov, 2), 5,
		  "readv into an unmapped user page after 5 bytes");
	expect_mem(a, HELLO_TEXT, 5, "readv short: content");
	lseek(fd, 0, SEEK_SET);
	/* the total is clamped to MAX_RW_COUNT, not refused */
	iov[0] = IOV(big, MAX_RW);
	iov[1] = IOV(big, MAX_RW);
	expect_eq(__syscall3(SYS_readv, fd, iov, 2), n,
		  "readv of 2 x MAX_RW_COUNT from a small file");
	lseek(fd, 0, SEEK_SET);
	/* one iovec is clamped before it is checked, several after */
	iov[0] = IOV(big, 1L << 40);
	expect_eq(__syscall3(SYS_readv, fd, iov, 1), n,
		  "readv of one 2^40-byte iovec");
	lseek(fd, 0, SEEK_SET);
	iov[1] = IOV(big, 1);
	expect_errno(__syscall3(SYS_readv, fd, iov, 2), -EFAULT,
		     "readv of a 2^40-byte iovec and another");
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 0, "offset");

	/* a directory: nothing to move is 0, else -EISDIR */
	iov[0] = IOV(a, 0);
	iov[1] = IOV(b, 0);
	expect_eq(__syscall3(SYS_readv, dfd, iov, 2), 0,
		  "readv of a directory, 0 bytes");
	iov[1] = IOV(b, 5);
	expect_errno(__syscall3(SYS_readv, dfd, iov, 2), -EISDIR,
		     "readv of a directory");

	/* UIO_MAXIOV entries (more than fit on the kernel's stack) */
	for (int i = 0; i < ABI_UIO_MAXIOV; i++) {
		many[i] = IOV(big + i, 1);
		src[i] = 'a' + i % 26;
	}
	expect_eq(__syscall3(SYS_readv, fd, many, ABI_UIO_MAXIOV), n,
		  "readv of 1024 one-byte iovecs");
	expect_mem(big, HELLO_TEXT, n, "readv of 1024 iovecs: content");
	lseek(fd, 0, SEEK_SET);
	many[ABI_UIO_MAXIOV - 1] = IOV(KADDR, 1);
	iov_fails(fd, wfd, many, ABI_UIO_MAXIOV, -EFAULT,
		  "the last of 1024 iovecs in kernel memory");
	many[1000] = IOV(big, -1L);
	iov_fails(fd, wfd, many, ABI_UIO_MAXIOV, -EINVAL,
		  "the 1001st of 1024 iovecs of length -1");
	for (int i = 0; i < ABI_UIO_MAXIOV; i++)
		many[i] = IOV(src + i, 1);
	expect_eq(__syscall3(SYS_writev, wfd, many, ABI_UIO_MAXIOV),
		  ABI_UIO_MAXIOV, "writev of 1024 one-byte iovecs");
	expect_eq(__syscall4(SYS_pread64, wfd, big, sizeof(src), 0),
		  sizeof(src), "read back");
	expect_mem(big, src, sizeof(src), "writev of 1024 iovecs: content");

	close(fd);
	close(wfd);
	close(wo);
	close(dfd);
	expect_eq(res(unlink(TMP_RWL)), 0, "unlink");
}

/* one SQE through the ring: its CQE's result */
static int ring_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe = NULL;
	int r;

	if (!expect_eq(io_uring_submit(ring), 1, "submit") ||
	    !expect_eq(io_uring_wait_cqe(ring, &cqe), 0, "wait_cqe") ||
	    !expect_true(cqe != NULL, "a CQE"))
		return -9999;
	r = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return r;
}

static int ring_rwv(struct io_uring *ring, int fd, const struct iovec *iov,
		    unsigned int cnt, bool write)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (write)
		io_uring_prep_writev(sqe, fd, iov, cnt, -1);
	else
		io_uring_prep_readv(sqe, fd, iov, cnt, -1);
	return ring_one(ring);
}

/* the ring's READV/WRITEV import the array as Linux's io_uring does */
static void ring_iov_fails(struct io_uring *ring, int fd, int wfd,
			   const struct iovec *iov, unsigned int cnt, long err,
			   const char *what)
{
	expect_errno(ring_rwv(ring, fd, iov, cnt, false), err, "READV, %s",
		     what);
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), 0, "READV, %s: offset", what);
	expect_errno(ring_rwv(ring, wfd, iov, cnt, true), err, "WRITEV, %s",
		     what);
	expect_eq(fd_size(wfd), 0, "WRITEV, %s: nothing written", what);
}

static void t_iov_ring(void)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct iovec iov[2], *e;
	char a[8], b[16], *edge;
	int fd, wfd, wo;
	long undo;

	if (!expect_eq(io_uring_queue_init(8, &ring, IORING_SETUP_SQPOLL), 0,
		       "a ring"))
		return;
	fd = open(HELLO, O_RDONLY);
	wfd = open(TMP_RWL, O_RDWR | O_CREAT | O_TRUNC, 0644);
	wo = open(TMP_RWL, O_WRONLY);
	if (!expect_ge(res(fd), 3, "open hello") ||
	    !expect_ge(res(wfd), 3, "open " TMP_RWL) ||
	    !expect_ge(res(wo), 3, "open " TMP_RWL " write-only"))
		return;
	iov[0] = IOV(a, 5);
	iov[1] = IOV(KADDR, 5);
	ring_iov_fails(&ring, fd, wfd, iov, 2, -EFAULT,
		       "second iovec in kernel memory");
	iov[1] = IOV(KADDR, 0);
	ring_iov_fails(&ring, fd, wfd, iov, 2, -EFAULT,
		       "second iovec in kernel memory, 0 bytes");
	iov[1] = IOV(b, -1L);
	ring_iov_fails(&ring, fd, wfd, iov, 2, -EINVAL,
		       "second iovec's length -1");
	edge = heap_edge(&undo);
	if (expect_true(edge != NULL, "heap edge")) {
		e = (struct iovec *)(edge - sizeof(*e));
		e[0] = IOV(a, 5);
		ring_iov_fails(&ring, fd, wfd, e, 2, -EFAULT,
			       "second entry unmapped");
		sbrk(-undo);
	}
	ring_iov_fails(&ring, fd, wfd, iov, ABI_UIO_MAXIOV + 1, -EINVAL,
		       "1025 iovecs");
	/* io_uring imports before it looks at the file's mode */
	iov[1] = IOV(KADDR, 5);
	expect_errno(ring_rwv(&ring, wo, iov, 2, false), -EFAULT,
		     "READV of a write-only fd, bad iovec");
	iov[1] = IOV(b, 11);
	expect_errno(ring_rwv(&ring, wo, iov, 2, false), -EBADF,
		     "READV of a write-only fd");
	/* good arrays still work */
	expect_eq(ring_rwv(&ring, fd, iov, 2, false), 16, "READV");
	expect_mem(a, HELLO_TEXT, 5, "READV: content");
	expect_eq(ring_rwv(&ring, wfd, iov, 2, true), 16, "WRITEV");
	/* READ: a kernel address is -EFAULT even for 0 bytes */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, (void *)KADDR, 0, 0);
	expect_errno(ring_one(&ring), -EFAULT, "READ of 0 bytes, kernel address");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, wfd, (void *)KADDR, 0, 0);
	expect_errno(ring_one(&ring), -EFAULT,
		     "WRITE of 0 bytes, kernel address");
	io_uring_queue_exit(&ring);
	close(fd);
	close(wfd);
	close(wo);
	expect_eq(res(unlink(TMP_RWL)), 0, "unlink");
}

/* openat: Linux's flag checks before the path */
static void t_open_linux(void)
{
	const char *p = "/tmp/ut-ocd";
	const long cd = ABI_O_CREAT | ABI_O_DIRECTORY;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	long ntmp = dir_count("/tmp", NULL, NULL);

	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, p, cd, 0644),
		     -EINVAL, "openat(O_CREAT | O_DIRECTORY) of a new name");
	expect_errno(stat_type(p), -ENOENT, "nothing was created");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, p,
				cd | ABI_O_EXCL | ABI_O_RDWR, 0644),
		     -EINVAL, "openat(O_CREAT | O_DIRECTORY | O_EXCL)");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, "/tmp", cd, 0),
		     -EINVAL, "openat(O_CREAT | O_DIRECTORY) of a directory");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, HELLO, cd, 0),
		     -EINVAL, "openat(O_CREAT | O_DIRECTORY) of a file");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, KADDR, cd, 0),
		     -EINVAL, "the flags before the path");
	expect_errno(__syscall4(SYS_openat, 99, "x", cd, 0), -EINVAL,
		     "the flags before the dirfd");
	/* the ring's OPENAT is the same */
	if (expect_eq(io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL), 0,
		      "a ring")) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_openat(sqe, AT_FDCWD, p, O_RDONLY, 0644);
		sqe->open_flags = cd; /* Linux's flags, untranslated */
		expect_errno(ring_one(&ring), -EINVAL,
			     "ring OPENAT(O_CREAT | O_DIRECTORY)");
		expect_errno(stat_type(p), -ENOENT,
			     "nothing was created by the ring");
		io_uring_queue_exit(&ring);
	}

	/* O_TMPFILE: Linux's checks, then the memory FS cannot */
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, "/tmp",
				ABI_O_TMPFILE | ABI_O_RDWR, 0600),
		     -EOPNOTSUPP, "O_TMPFILE in /tmp");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, HELLO,
				ABI_O_TMPFILE | ABI_O_WRONLY, 0600),
		     -ENOTDIR, "O_TMPFILE in a file");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, "/nonexistent",
				ABI_O_TMPFILE | ABI_O_RDWR, 0600),
		     -ENOENT, "O_TMPFILE in a missing directory");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, "/tmp",
				ABI_O_TMPFILE | ABI_O_RDONLY, 0600),
		     -EINVAL, "O_TMPFILE read-only");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, "/tmp",
				ABI___O_TMPFILE | ABI_O_RDWR, 0600),
		     -EINVAL, "__O_TMPFILE without O_DIRECTORY");
	expect_errno(__syscall4(SYS_openat, ABI_AT_FDCWD, "/tmp",
				ABI_O_TMPFILE | ABI_O_CREAT | ABI_O_RDWR, 0600),
		     -EINVAL, "O_TMPFILE | O_CREAT");
	expect_eq(dir_count("/tmp", NULL, NULL), ntmp,
		  "nothing was made in /tmp");
}

/* newfstatat: the flags Linux accepts */
static void t_stat_linux(void)
{
	static const long ok[] = {ABI_AT_NO_AUTOMOUNT, 0x2000, 0x4000, 0x6000,
				  ABI_AT_NO_AUTOMOUNT | ABI_AT_SYMLINK_NOFOLLOW |
					  ABI_AT_EMPTY_PATH};
	static const long bad[] = {0x1, 0x200, 0x400, 0x8000, 0x10000};
	struct abi_stat st, root;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&st, 0, sizeof(st));
		expect_eq(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, HELLO, &st,
				     ok[i]),
			  0, "newfstatat with flags %#lx", ok[i]);
		expect_eq(st.st_size, strlen(HELLO_TEXT),
			  "newfstatat with flags %#lx: size", ok[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_errno(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, HELLO,
					&st, bad[i]),
			     -EINVAL, "newfstatat with flags %#lx", bad[i]);
		expect_errno(__syscall4(SYS_newfstatat, 99, KADDR, KADDR,
					bad[i]),
			     -EINVAL, "flags %#lx before the rest", bad[i]);
	}
	/* AT_EMPTY_PATH at AT_FDCWD: the directory itself */
	memset(&st, 0, sizeof(st));
	expect_eq(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, "", &st,
			     ABI_AT_EMPTY_PATH),
		  0, "newfstatat(AT_FDCWD, \"\", AT_EMPTY_PATH)");
	expect_eq(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, "/", &root, 0), 0,
		  "newfstatat of /");
	expect_eq(st.st_mode & ABI_S_IFMT, ABI_S_IFDIR,
		  "AT_FDCWD with AT_EMPTY_PATH is a directory");
	expect_eq(st.st_ino, root.st_ino, "and it is / (no current directory)");
	expect_errno(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, "", &st, 0),
		     -ENOENT, "an empty path without AT_EMPTY_PATH");
	expect_errno(__syscall4(SYS_newfstatat, 99, "", &st,
				ABI_AT_EMPTY_PATH),
		     -EBADF, "AT_EMPTY_PATH at a closed fd");
}

/* wait4: Linux's options; without children -ECHILD */
static void t_wait_linux(void)
{
	static const long ok[] = {
		ABI_WUNTRACED,
		ABI_WCONTINUED,
		ABI___WALL | ABI_WNOHANG,
		ABI___WALL,
		ABI___WCLONE,
		ABI___WNOTHREAD,
		ABI_WNOHANG | ABI_WUNTRACED | ABI_WCONTINUED | ABI___WALL |
			ABI___WNOTHREAD,
	};
	/* WEXITED, WNOWAIT and unknown bits are waitid's or nobody's */
	static const long bad[] = {0x4, 0x10, 0x01000000, 0x10000,
				   ABI___WALL | 0x4};
	long pid;
	int st;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		expect_errno(__syscall4(SYS_wait4, -1, &st, ok[i], 0), -ECHILD,
			     "wait4(-1, %#lx) without children", ok[i]);
		expect_errno(__syscall4(SYS_wait4, 12345, &st, ok[i], 0),
			     -ECHILD, "wait4(12345, %#lx) without children",
			     ok[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_errno(__syscall4(SYS_wait4, -1, &st, bad[i], 0), -EINVAL,
			     "wait4(-1, %#lx)", bad[i]);
	expect_errno(__syscall4(SYS_wait4, INT_MIN, &st, 0, 0), -ESRCH,
		     "wait4(INT_MIN)");
	expect_errno(__syscall4(SYS_wait4, INT_MIN, &st, 0x4, 0), -EINVAL,
		     "wait4(INT_MIN) with bad options: the options first");

	/* with a child: __WCLONE alone matches no SIGCHLD child */
	pid = spawn_self("child-exit", "7", NULL);
	if (expect_ge(pid, 1, "spawn a child")) {
		expect_errno(__syscall4(SYS_wait4, pid, &st, ABI___WCLONE, 0),
			     -ECHILD, "wait4(child, __WCLONE)");
		st = -1;
		expect_eq(__syscall4(SYS_wait4, pid, &st,
				     ABI___WALL | ABI___WCLONE | ABI_WUNTRACED,
				     0),
			  pid, "wait4(child, __WALL | __WCLONE | WUNTRACED)");
		expect_status(st, ABI_W_EXITCODE(7, 0), "its status");
	}
	pid = spawn_self("child-exit", "3", NULL);
	if (expect_ge(pid, 1, "spawn a child")) {
		st = -1;
		expect_eq(__syscall4(SYS_wait4, -1, &st,
				     ABI_WUNTRACED | ABI_WCONTINUED |
					     ABI___WNOTHREAD,
				     0),
			  pid, "wait4(-1, WUNTRACED | WCONTINUED | __WNOTHREAD)");
		expect_status(st, ABI_W_EXITCODE(3, 0), "its status");
	}
}

static long cpu_ns(long clk)
{
	struct abi_timespec ts;

	if (__syscall2(SYS_clock_gettime, clk, &ts) < 0)
		return -1;
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Linux's CPU clock ids (clock_getcpuclockid, pthread_getcpuclockid) */
#define PROCESS_CPUCLOCK(pid, which) ((long)(~(pid) * 8 + (which)))
#define THREAD_CPUCLOCK(pid, which)  ((long)(~(pid) * 8 + 4 + (which)))

/* clock_gettime and clock_getres of every clock Linux has */
static void t_clocks(void)
{
	const long ok[] = {
		ABI_CLOCK_REALTIME,
		ABI_CLOCK_MONOTONIC,
		ABI_CLOCK_PROCESS_CPUTIME_ID,
		ABI_CLOCK_THREAD_CPUTIME_ID,
		ABI_CLOCK_MONOTONIC_RAW,
		ABI_CLOCK_REALTIME_COARSE,
		ABI_CLOCK_MONOTONIC_COARSE,
		ABI_CLOCK_BOOTTIME,
		ABI_CLOCK_TAI,
		(1L << 32) | ABI_CLOCK_MONOTONIC, /* clockid_t is an int */
		PROCESS_CPUCLOCK(0, 2),
		PROCESS_CPUCLOCK(0, 0),
		THREAD_CPUCLOCK(0, 1),
		PROCESS_CPUCLOCK(getpid(), 2),
		THREAD_CPUCLOCK(getpid(), 2),
	};
	/* the alarm clocks need an RTC; -1 and -5 are no CPU clock's */
	static const long bad[] = {ABI_CLOCK_REALTIME_ALARM,
				   ABI_CLOCK_BOOTTIME_ALARM,
				   10,
				   12,
				   16,
				   1000,
				   -1,
				   -5,
				   INT_MIN};
	struct abi_timespec ts, rs;
	long m0, m1, c0, c1, t0;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ts.tv_nsec = -1;
		expect_eq(__syscall2(SYS_clock_gettime, ok[i], &ts), 0,
			  "clock_gettime(%ld)", ok[i]);
		expect_range(ts.tv_nsec, 0, 999999999,
			     "clock_gettime(%ld): tv_nsec", ok[i]);
		expect_ge(ts.tv_sec, 0, "clock_gettime(%ld): tv_sec", ok[i]);
		rs.tv_sec = rs.tv_nsec = -1;
		expect_eq(__syscall2(SYS_clock_getres, ok[i], &rs), 0,
			  "clock_getres(%ld)", ok[i]);
		expect_true(rs.tv_sec == 0 && rs.tv_nsec >= 1 &&
				    rs.tv_nsec <= 1000000,
			    "clock_getres(%ld): %ld.%09ld s", ok[i],
			    (long)rs.tv_sec, (long)rs.tv_nsec);
		expect_eq(__syscall2(SYS_clock_getres, ok[i], 0), 0,
			  "clock_getres(%ld, NULL)", ok[i]);
		expect_errno(__syscall2(SYS_clock_getres, ok[i], KADDR),
			     -EFAULT, "clock_getres(%ld) into a kernel address",
			     ok[i]);
		expect_errno(__syscall2(SYS_clock_getres, ok[i], RO_ADDR),
			     -EFAULT, "clock_getres(%ld) into a read-only page",
			     ok[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_errno(__syscall2(SYS_clock_gettime, bad[i], &ts),
			     -EINVAL, "clock_gettime(%ld)", bad[i]);
		expect_errno(__syscall2(SYS_clock_getres, bad[i], &rs),
			     -EINVAL, "clock_getres(%ld)", bad[i]);
		expect_errno(__syscall2(SYS_clock_getres, bad[i], 0), -EINVAL,
			     "clock_getres(%ld, NULL)", bad[i]);
		expect_errno(__syscall2(SYS_clock_gettime, bad[i], KADDR),
			     -EINVAL, "clock_gettime(%ld): the id first",
			     bad[i]);
	}
	expect_errno(__syscall2(SYS_clock_gettime,
				PROCESS_CPUCLOCK(getpid() + 1000, 2), &ts),
		     -EINVAL, "the CPU clock of no process");

	/* the monotonic clocks are one count */
	m0 = cpu_ns(ABI_CLOCK_MONOTONIC);
	t0 = cpu_ns(ABI_CLOCK_BOOTTIME);
	m1 = cpu_ns(ABI_CLOCK_MONOTONIC_RAW);
	expect_true(m0 <= t0 && t0 <= m1, "MONOTONIC %ld <= BOOTTIME %ld <= "
		    "MONOTONIC_RAW %ld", m0, t0, m1);

	/* the CPU clocks count the time this process runs, not sleeps */
	c0 = cpu_ns(ABI_CLOCK_PROCESS_CPUTIME_ID);
	expect_range(c0, 0, m1, "CPU time so far, at most the uptime");
	m0 = mono_ns();
	while (mono_ns() - m0 < 30 * 1000000L)
		;
	m1 = mono_ns();
	c1 = cpu_ns(ABI_CLOCK_PROCESS_CPUTIME_ID);
	expect_ge(c1 - c0, 15 * 1000000L, "CPU time over a 30 ms spin (ns)");
	expect_ge(m1 - m0 + 1000000L, c1 - c0,
		  "CPU time over the spin, at most the time it took");
	expect_ge(cpu_ns(ABI_CLOCK_THREAD_CPUTIME_ID), c1,
		  "THREAD_CPUTIME_ID: the process's");
	c0 = cpu_ns(ABI_CLOCK_PROCESS_CPUTIME_ID);
	sleep_ms(50);
	c1 = cpu_ns(ABI_CLOCK_PROCESS_CPUTIME_ID);
	expect_range(c1 - c0, 0, 25 * 1000000L,
		     "CPU time over a 50 ms sleep (ns)");
}

/* int and unsigned int arguments, lseek's SEEK_DATA and SEEK_HOLE */
static void t_args_linux(void)
{
	const long hi = 1L << 32; /* above what Linux's int argument sees */
	struct abi_stat st;
	long n = strlen(HELLO_TEXT);
	int fd;

	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, HELLO, hi | ABI_O_RDONLY, 0);
	if (!expect_ge(fd, 3, "openat with flags 2^32 | O_RDONLY"))
		return;
	expect_eq(__syscall4(SYS_newfstatat, ABI_AT_FDCWD, HELLO, &st, hi), 0,
		  "newfstatat with flags 2^32");
	expect_eq(__syscall3(SYS_lseek, fd, 5, hi | ABI_SEEK_SET), 5,
		  "lseek with whence 2^32 | SEEK_SET");
	expect_errno(__syscall3(SYS_lseek, fd, 0, 5), -EINVAL, "whence 5");
	/* the whole file is data, with a hole at its end */
	expect_eq(__syscall3(SYS_lseek, fd, 0, ABI_SEEK_DATA), 0,
		  "SEEK_DATA from 0");
	expect_eq(__syscall3(SYS_lseek, fd, 7, ABI_SEEK_DATA), 7,
		  "SEEK_DATA from 7");
	expect_eq(__syscall3(SYS_lseek, fd, 7, ABI_SEEK_HOLE), n,
		  "SEEK_HOLE from 7: the end");
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), n, "the offset moved there");
	expect_errno(__syscall3(SYS_lseek, fd, n, ABI_SEEK_DATA), -ENXIO,
		     "SEEK_DATA from the end");
	expect_errno(__syscall3(SYS_lseek, fd, n, ABI_SEEK_HOLE), -ENXIO,
		     "SEEK_HOLE from the end");
	expect_errno(__syscall3(SYS_lseek, fd, -1, ABI_SEEK_DATA), -ENXIO,
		     "SEEK_DATA from -1");
	expect_eq(res(lseek(fd, 0, SEEK_CUR)), n, "failures left the offset");
	close(fd);
	expect_eq(file_put("/tmp/ut-args", "x", 1), 1, "make a file");
	expect_eq(__syscall3(SYS_unlinkat, ABI_AT_FDCWD, "/tmp/ut-args", hi),
		  0, "unlinkat with flags 2^32");
}

/* ---- helper children ---- */

static volatile uintptr_t fault_addr;

static int recurse(int n)
{
	volatile char pad[512];

	pad[0] = n;
	if (n > 100000000)
		return 0;
	return recurse(n + 1) + pad[0];
}

static int child_fault(const char *mode)
{
	char *p;

	if (!strcmp(mode, "null")) {
		fault_addr = 0;
		return *(volatile int *)fault_addr;
	} else if (!strcmp(mode, "kernel")) {
		fault_addr = KADDR;
		return *(volatile int *)fault_addr;
	} else if (!strcmp(mode, "write-text")) {
		fault_addr = (uintptr_t)main;
		*(volatile int *)fault_addr = 0;
	} else if (!strcmp(mode, "jump-null")) {
		fault_addr = 0;
		((void (*)(void))fault_addr)();
	} else if (!strcmp(mode, "brk")) {
		p = sbrk(2 * PAGE);
		p[2 * PAGE - 1] = 1;
		sbrk(-2 * PAGE);
		((volatile char *)p)[2 * PAGE - 1] = 2;
	} else if (!strcmp(mode, "stack")) {
		return recurse(0);
	} else if (!strcmp(mode, "mmap-hole")) {
		p = mmap(NULL, 3 * PAGE, RW, ANON, -1, 0);
		munmap(p + PAGE, PAGE);
		p[0] = p[2 * PAGE] = 1;
		fault_addr = (uintptr_t)p + PAGE;
		return *(volatile char *)fault_addr;
	} else if (!strcmp(mode, "mprotect-ro")) {
		p = mmap(NULL, PAGE, RW, ANON, -1, 0);
		p[0] = 1;
		mprotect(p, PAGE, PROT_READ);
		if (*(volatile char *)p != 1)
			return 101;
		*(volatile char *)p = 2;
	} else if (!strcmp(mode, "mprotect-none")) {
		p = mmap(NULL, PAGE, RW, ANON, -1, 0);
		p[0] = 1;
		mprotect(p, PAGE, PROT_NONE);
		return *(volatile char *)p;
	} else if (!strcmp(mode, "mprotect-exec")) {
		/* a page of code made read-only: no longer executable */
		p = (char *)((uintptr_t)child_fault & -PAGE);
		mprotect(p, PAGE, PROT_READ);
		return child_fault("none");
	} else if (!strcmp(mode, "mprotect-data")) {
		mprotect(data_pages + PAGE, PAGE, PROT_READ);
		data_pages[0] = 1;
		((volatile char *)data_pages)[PAGE] = 1;
	} else if (!strcmp(mode, "file-ro")) {
		int fd = open(HELLO, O_RDONLY);

		p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED || p[0] != 'H')
			return 101;
		*(volatile char *)p = 'h';
	} else if (!strcmp(mode, "illegal")) {
		__asm__ volatile(".word 0");
	} else if (!strcmp(mode, "ebreak")) {
		__asm__ volatile("ebreak");
	}
	return 100; /* survived */
}

static int child_main(int argc, char **argv)
{
	const char *cmd = argv[1];
	long a = argc > 2 ? atol(argv[2]) : 0;
	char buf[64];
	int fd, n;

	if (!strcmp(cmd, "child-exit"))
		exit(a);
	if (!strcmp(cmd, "child-rawexit"))
		__syscall1(SYS_exit, a);
	if (!strcmp(cmd, "child-rawexitgroup"))
		__syscall1(SYS_exit_group, a);
	if (!strcmp(cmd, "child-wait") && argc > 2)
		return wait_for_file(argv[2], false);
	if (!strcmp(cmd, "child-spin") && argc > 2)
		return wait_for_file(argv[2], true);
	if (!strcmp(cmd, "child-args")) {
		for (int i = 2; i < argc; i++) {
			snprintf(buf, sizeof(buf), "a%d", i);
			if (strcmp(argv[i], buf))
				return 255;
		}
		return argc;
	}
	if (!strcmp(cmd, "child-fdwrite"))
		return write(a, "child", 5) == 5 ? 0 : 1;
	if (!strcmp(cmd, "child-ids") && argc > 3) {
		n = snprintf(buf, sizeof(buf), "%d %d\n", (int)getpid(),
			     (int)getppid());
		fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, n) != n)
			return 2;
		close(fd);
		return getppid() == a ? 0 : 1;
	}
	if (!strcmp(cmd, "child-orphan") && argc > 2) {
		/* the grandchild exits quickly; it becomes a zombie whose
		 * parent (we) exits without reaping it */
		long pid = spawn_self("child-exit", "0", NULL);

		if (pid < 0)
			return 1;
		n = snprintf(buf, sizeof(buf), "%ld\n", pid);
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, n) != n)
			return 2;
		close(fd);
		sleep_ms(100);
		return 0;
	}
	if (!strcmp(cmd, "child-fault") && argc > 2)
		return child_fault(argv[2]);
	fprintf(stderr, "utests: bad helper command %s\n", cmd);
	return 2;
}

/* ---- the driver ---- */

/* Remove path and everything under it, one open directory at a time. */
static void rm_rf(const char *path)
{
	char sub[300];
	struct dirent *e;
	bool again = true;
	DIR *d;

	if (stat_type(path) != S_IFDIR) {
		unlink(path);
		return;
	}
	while (again) {
		again = false;
		d = opendir(path);
		if (!d)
			break;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path,
					 e->d_name);
				again = true;
				break;
			}
		}
		closedir(d);
		if (again)
			rm_rf(sub);
	}
	rmdir(path);
}

/* ---- the suite-wide cases, in the runner's own process ---- */


static int start(void)
{
	DIR *d;

	/* warm-up: what libc allocates lazily (the DIR for opendir) */
	d = opendir("/tmp");
	if (d)
		closedir(d);
	ktest_leak_baseline();
	return 0;
}

/* Leftovers /tmp/ut-*: reported and removed. */
static void c_cleanup(void)
{
	char name[300];
	struct dirent *e;
	int n = 0;
	DIR *d;

	for (;;) {
		bool found = false;

		d = opendir("/tmp");
		if (!d)
			break;
		while ((e = readdir(d))) {
			if (!strncmp(e->d_name, "ut-", 3)) {
				snprintf(name, sizeof(name), "/tmp/%s",
					 e->d_name);
				found = true;
				break;
			}
		}
		closedir(d);
		if (!found)
			break;
		if (n++ < 10)
			ktest_fail("%.60s left behind", name);
		rm_rf(name);
		if (n > 1000)
			break;
	}
}

/*
 * The cases, in the order they run: each KTEST_CASE in a process of its
 * own ("utests run NAME N"), the KTEST_ALWAYS ones here, whatever is
 * selected.  pytests/test_user.py makes one pytest item per line.
 */
static const struct ktest_case cases[] = {
	KTEST_CASE("open", t_open),
	KTEST_CASE("openat", t_openat),
	KTEST_CASE("paths", t_paths),
	KTEST_CASE("rw", t_rw),
	KTEST_CASE("lseek", t_lseek),
	KTEST_CASE("stat", t_stat),
	KTEST_CASE("close", t_close),
	KTEST_CASE("unlink", t_unlink),
	KTEST_CASE("mkdir", t_mkdir),
	KTEST_CASE("dirlist", t_dirlist),
	KTEST_CASE("rmdir-open", t_rmdir_open),
	KTEST_CASE("emfile", t_emfile),
	KTEST_CASE("bigfile", t_bigfile),
	KTEST_CASE("fs-full", t_fsfull),
	KTEST_CASE("inodes", t_inodes),
	KTEST_CASE("spawn", t_spawn),
	KTEST_CASE("spawn-elf", t_spawn_elf),
	KTEST_CASE("wait", t_wait),
	KTEST_CASE("fault-kill", t_kill),
	KTEST_CASE("getpid", t_getpid),
	KTEST_CASE("eagain", t_eagain),
	KTEST_CASE("sched", t_sched),
	KTEST_CASE("time", t_time),
	KTEST_CASE("brk", t_brk),
	KTEST_CASE("mmap-many", t_mmap_many),
	KTEST_CASE("mmap-reuse", t_mmap_reuse),
	KTEST_CASE("munmap-partial", t_munmap_partial),
	KTEST_CASE("mmap-fixed", t_mmap_fixed),
	KTEST_CASE("mprotect", t_mprotect),
	KTEST_CASE("mprotect-data", t_mprotect_data),
	KTEST_CASE("mmap-file", t_mmap_file),
	KTEST_CASE("ring-split", t_ring_split),
	KTEST_CASE("ring-cycles", t_ring_cycles),
	KTEST_CASE("sysinfo", t_sysinfo),
	KTEST_CASE("iocore", t_iocore),
	KTEST_CASE("ring", t_ring),
	KTEST_CASE("reboot", t_reboot),
	KTEST_CASE("nosys", t_nosys),
	KTEST_CASE("efault", t_efault),
	KTEST_CASE("rw-linux", t_rw_linux),
	KTEST_CASE("iov-linux", t_iov_linux),
	KTEST_CASE("iov-ring", t_iov_ring),
	KTEST_CASE("open-linux", t_open_linux),
	KTEST_CASE("stat-linux", t_stat_linux),
	KTEST_CASE("wait-linux", t_wait_linux),
	KTEST_CASE("clocks", t_clocks),
	KTEST_CASE("args-linux", t_args_linux),
	KTEST_ALWAYS("cleanup", c_cleanup),
	KTEST_ALWAYS("leak-check", ktest_leak_check),
};

static const struct ktest_suite suite = KTEST_SUITE("utests", cases, start);

int main(int argc, char **argv)
{
	if (argc >= 2 && !strncmp(argv[1], "child-", 6))
		return child_main(argc, argv);
	return ktest_main(&suite, argc, argv);
}
