/*
 * utests: the user-side test suite, in the spirit of xv6's usertests.  It
 * exercises every system call in include/uapi/syscalls.h through libuser's
 * POSIX wrappers and through raw calls (which return -errno): the success
 * paths, the documented errors with Linux's semantics, and -EFAULT for bad
 * user pointers (NULL, a kernel address, an unmapped page and, for calls
 * that write to user memory, a read-only page of our own .text).
 *
 * Each test group runs in its own process ("utests run GROUP"), so that a
 * group that crashes is reported and the others still run; "utests
 * child-..." are the helper children the groups spawn.  Files are made
 * under /tmp/ut-* and removed.  At the end the number of free physical
 * pages must be what it was at the start (group leak-check).
 *
 *   utests               run every group
 *   utests GROUP...      run only these groups (and the leak check)
 *
 * Output: "ok GROUP" for each passing group, "FAIL GROUP: what (got X, want
 * Y)" for each failing check, then exactly one line "utests: passed=N
 * failed=M" counting groups.  Exit status 0 if every group passed, else 1.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/abi.h>

#define SELF	   "/bin/utests"
#define HELLO	   "/data/hello.txt"
#define HELLO_TEXT "Hello from the memory file system.\n"
#define KADDR	   0x80200000L /* the kernel's text: never user-accessible */
#define UNMAPPED   0x40000000L /* between the heap and the stack */
#define RO_ADDR	   ((long)(uintptr_t)main) /* our own .text: read-only */
#define PAGE	   4096L
#define MIB	   (1024L * 1024)
#define NOFILE	   32 /* open files per process */
#define NPROC	   64 /* process slots */

int main(int argc, char **argv);


static const char *test_name = "?";
static int nfail;

/* ---- reporting ---- */

/* clang-format off */
#define ERRNAME(e) { e, #e }
/* clang-format on */
static const struct {
	int num;
	const char *name;
} errnames[] = {
	ERRNAME(EPERM),	     ERRNAME(ENOENT),	    ERRNAME(ESRCH),
	ERRNAME(EINTR),	     ERRNAME(EIO),	    ERRNAME(ENXIO),
	ERRNAME(E2BIG),	     ERRNAME(ENOEXEC),	    ERRNAME(EBADF),
	ERRNAME(ECHILD),     ERRNAME(EAGAIN),	    ERRNAME(ENOMEM),
	ERRNAME(EACCES),     ERRNAME(EFAULT),	    ERRNAME(EBUSY),
	ERRNAME(EEXIST),     ERRNAME(EXDEV),	    ERRNAME(ENODEV),
	ERRNAME(ENOTDIR),    ERRNAME(EISDIR),	    ERRNAME(EINVAL),
	ERRNAME(ENFILE),     ERRNAME(EMFILE),	    ERRNAME(ENOTTY),
	ERRNAME(EFBIG),	     ERRNAME(ENOSPC),	    ERRNAME(ESPIPE),
	ERRNAME(EROFS),	     ERRNAME(EMLINK),	    ERRNAME(EPIPE),
	ERRNAME(ERANGE),     ERRNAME(ENAMETOOLONG), ERRNAME(ENOSYS),
	ERRNAME(ENOTEMPTY),  ERRNAME(ELOOP),	    ERRNAME(EOVERFLOW),
	ERRNAME(EOPNOTSUPP),
};
#undef ERRNAME

/* printf into one of a few rotating buffers */
static const char *fmt(const char *f, ...)
	__attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
	static char bufs[8][200];
	static int next;
	char *b = bufs[next++ % 8];
	va_list ap;

	va_start(ap, f);
	vsnprintf(b, sizeof(bufs[0]), f, ap);
	va_end(ap);
	return b;
}

/* a result: -ENAME for an error number, else the number */
static const char *val_str(long v)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (v == -errnames[i].num)
			return fmt("-%s", errnames[i].name);
	return fmt("%ld", v);
}

static const char *status_str(long st)
{
	if (st < 0)
		return val_str(st);
	if (WIFEXITED(st))
		return fmt("exit %d", (int)WEXITSTATUS(st));
	if (WIFSIGNALED(st))
		return fmt("signal %d", (int)WTERMSIG(st));
	return fmt("status 0x%lx", st);
}

static void fail(const char *what, const char *got, const char *want)
{
	printf("FAIL %s: %s (got %s, want %s)\n", test_name, what, got, want);
	nfail++;
}

static bool expect_eq(const char *what, long got, long want)
{
	if (got == want)
		return true;
	fail(what, val_str(got), val_str(want));
	return false;
}

static bool expect_ge(const char *what, long got, long min)
{
	if (got >= min)
		return true;
	fail(what, val_str(got), fmt(">= %ld", min));
	return false;
}

static bool expect_range(const char *what, long got, long lo, long hi)
{
	if (got >= lo && got <= hi)
		return true;
	fail(what, val_str(got), fmt("%ld..%ld", lo, hi));
	return false;
}

static bool expect_true(const char *what, bool cond)
{
	if (!cond)
		fail(what, "false", "true");
	return cond;
}

static bool expect_status(const char *what, long got, long want)
{
	if (got == want)
		return true;
	fail(what, status_str(got), status_str(want));
	return false;
}

static bool expect_mem(const char *what, const void *got, const void *want,
		       size_t n)
{
	const unsigned char *g = got, *w = want;

	for (size_t i = 0; i < n; i++) {
		if (g[i] != w[i]) {
			fail(what, fmt("byte %zu = 0x%02x", i, g[i]),
			     fmt("0x%02x", w[i]));
			return false;
		}
	}
	return true;
}

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
	if (!expect_ge("open(O_CREAT) of a new file", res(fd), 3))
		return;
	expect_eq("stat after O_CREAT", res(stat(p, &st)), 0);
	expect_eq("size of the new file", st.st_size, 0);
	expect_eq("type of the new file", st.st_mode & S_IFMT, S_IFREG);
	expect_eq("write hello", res(write(fd, "hello", 5)), 5);
	expect_eq("close", res(close(fd)), 0);

	/* O_CREAT of an existing file opens it, content kept */
	fd = open(p, O_RDWR | O_CREAT, 0644);
	expect_ge("open(O_CREAT) of an existing file", res(fd), 3);
	expect_eq("read after O_CREAT of an existing file",
		  res(read(fd, buf, sizeof(buf))), 5);
	close(fd);
	expect_eq("open(O_CREAT|O_EXCL) of an existing file",
		  res(open(p, O_RDWR | O_CREAT | O_EXCL, 0644)), -EEXIST);
	expect_eq("open(O_CREAT|O_EXCL) of a directory",
		  res(open("/tmp", O_RDONLY | O_CREAT | O_EXCL, 0644)),
		  -EEXIST);
	fd = open("/tmp/ut-open2", O_RDWR | O_CREAT | O_EXCL, 0644);
	expect_ge("open(O_CREAT|O_EXCL) of a new file", res(fd), 3);
	close(fd);
	expect_eq("unlink ut-open2", res(unlink("/tmp/ut-open2")), 0);

	/* O_TRUNC */
	fd = open(p, O_WRONLY | O_TRUNC);
	expect_ge("open(O_WRONLY|O_TRUNC)", res(fd), 3);
	expect_eq("size after O_TRUNC", fd_size(fd), 0);
	expect_eq("write after O_TRUNC", res(write(fd, "12345", 5)), 5);
	close(fd);
	/* Linux truncates with O_RDONLY|O_TRUNC too (O_TRUNC needs write
	 * permission, not a writable open) */
	fd = open(p, O_RDONLY | O_TRUNC);
	expect_ge("open(O_RDONLY|O_TRUNC)", res(fd), 3);
	expect_eq("size after open(O_RDONLY|O_TRUNC)", fd_size(fd), 0);
	close(fd);

	/* O_APPEND: every write goes to the end */
	expect_eq("write abc", file_put(p, "abc", 3), 3);
	fd = open(p, O_WRONLY | O_APPEND);
	expect_ge("open(O_APPEND)", res(fd), 3);
	expect_eq("lseek to 0 with O_APPEND", res(lseek(fd, 0, SEEK_SET)), 0);
	expect_eq("write with O_APPEND", res(write(fd, "def", 3)), 3);
	expect_eq("offset after an O_APPEND write", res(lseek(fd, 0, SEEK_CUR)),
		  6);
	close(fd);
	memset(buf, 0, sizeof(buf));
	expect_eq("size after O_APPEND", file_get(p, buf, sizeof(buf)), 6);
	expect_mem("content after O_APPEND", buf, "abcdef", 6);

	/* access modes */
	fd = open(p, O_RDONLY);
	expect_eq("write to an O_RDONLY fd", res(write(fd, "x", 1)), -EBADF);
	expect_eq("read from an O_RDONLY fd", res(read(fd, buf, 3)), 3);
	close(fd);
	fd = open(p, O_WRONLY);
	expect_eq("read from an O_WRONLY fd", res(read(fd, buf, 1)), -EBADF);
	expect_eq("write to an O_WRONLY fd", res(write(fd, "x", 1)), 1);
	close(fd);

	/* directories */
	expect_eq("open(O_DIRECTORY) of a file",
		  res(open(p, O_RDONLY | O_DIRECTORY)), -ENOTDIR);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_ge("open(O_DIRECTORY) of a directory", res(fd), 3);
	close(fd);
	expect_eq("open a directory O_WRONLY", res(open("/tmp", O_WRONLY)),
		  -EISDIR);
	expect_eq("open a directory O_RDWR", res(open("/tmp", O_RDWR)),
		  -EISDIR);
	expect_eq("open(O_CREAT) of an existing directory",
		  res(open("/tmp", O_RDONLY | O_CREAT, 0644)), -EISDIR);
	expect_eq("open(O_RDONLY|O_TRUNC) of a directory",
		  res(open("/tmp", O_RDONLY | O_TRUNC)), -EISDIR);

	/* missing things */
	expect_eq("open a missing file",
		  res(open("/tmp/ut-nonexistent", O_RDONLY)), -ENOENT);
	expect_eq("open(O_CREAT) in a missing directory",
		  res(open("/tmp/ut-nodir/f", O_RDWR | O_CREAT, 0644)),
		  -ENOENT);
	expect_eq("open with a file as a directory",
		  res(open(HELLO "/x", O_RDONLY)), -ENOTDIR);
	expect_eq("open(O_CREAT) with a file as a directory",
		  res(open(HELLO "/x", O_RDWR | O_CREAT, 0644)), -ENOTDIR);

	/* as Linux's open: unknown flag bits are ignored; access mode 3
	 * opens with neither read nor write access */
	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, p, 0x40000000, 0);
	expect_ge("openat with an unknown flag bit", fd, 3);
	if (fd >= 0)
		close(fd);
	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, p, 3, 0);
	if (expect_ge("openat with access mode 3", fd, 3)) {
		expect_eq("read with access mode 3", res(read(fd, buf, 1)),
			  -EBADF);
		expect_eq("write with access mode 3", res(write(fd, buf, 1)),
			  -EBADF);
		close(fd);
	}
	fd = __syscall4(SYS_openat, ABI_AT_FDCWD, p,
			ABI_O_RDONLY | ABI_O_CLOEXEC | ABI_O_NONBLOCK |
				ABI_O_NOCTTY | ABI_O_NOFOLLOW,
			0);
	expect_ge("openat with CLOEXEC|NONBLOCK|NOCTTY|NOFOLLOW", fd, 3);
	if (fd >= 0)
		close(fd);

	/* /dev/console */
	fd = open("/dev/console", O_RDWR);
	expect_ge("open /dev/console", res(fd), 3);
	expect_eq("write 0 bytes to /dev/console", res(write(fd, "", 0)), 0);
	close(fd);

	expect_eq("unlink", res(unlink(p)), 0);
}

static void t_openat(void)
{
	struct stat st;
	int dfd, fd, ffd;

	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (!expect_ge("open /tmp", res(dfd), 3))
		return;
	fd = openat(dfd, "ut-at", O_RDWR | O_CREAT | O_TRUNC, 0644);
	expect_ge("openat(dirfd, relative, O_CREAT)", res(fd), 3);
	expect_eq("write", res(write(fd, "at", 2)), 2);
	close(fd);
	expect_eq("the file is in the directory", stat_size("/tmp/ut-at"), 2);
	fd = openat(dfd, "../tmp/./ut-at", O_RDONLY);
	expect_ge("openat(dirfd, ../tmp/./ut-at)", res(fd), 3);
	close(fd);
	fd = openat(AT_FDCWD, "tmp/ut-at", O_RDONLY);
	expect_ge("openat(AT_FDCWD, relative): cwd is /", res(fd), 3);
	close(fd);
	fd = openat(999, HELLO, O_RDONLY);
	expect_ge("openat(bad dirfd, absolute path) ignores dirfd", res(fd), 3);
	close(fd);
	expect_eq("openat(bad dirfd 999, relative)",
		  res(openat(999, "ut-at", O_RDONLY)), -EBADF);
	expect_eq("openat(dirfd -1, relative)",
		  res(openat(-1, "ut-at", O_RDONLY)), -EBADF);
	expect_eq("openat(unused dirfd 20, relative)",
		  res(openat(20, "ut-at", O_RDONLY)), -EBADF);
	ffd = open(HELLO, O_RDONLY);
	expect_eq("openat(file as dirfd, relative)",
		  res(openat(ffd, "x", O_RDONLY)), -ENOTDIR);
	expect_eq("newfstatat(file as dirfd, relative)",
		  res(fstatat(ffd, "x", &st, 0)), -ENOTDIR);
	expect_eq("mkdirat(file as dirfd, relative)",
		  res(mkdirat(ffd, "x", 0755)), -ENOTDIR);
	expect_eq("unlinkat(file as dirfd, relative)",
		  res(unlinkat(ffd, "x", 0)), -ENOTDIR);
	close(ffd);

	expect_eq("mkdirat(dirfd)", res(mkdirat(dfd, "ut-atdir", 0755)), 0);
	expect_eq("mkdirat made a directory", stat_type("/tmp/ut-atdir"),
		  S_IFDIR);
	expect_eq("mkdirat(bad dirfd)", res(mkdirat(999, "ut-atdir2", 0755)),
		  -EBADF);
	expect_eq("fstatat(dirfd)", res(fstatat(dfd, "ut-at", &st, 0)), 0);
	expect_eq("fstatat(dirfd) size", st.st_size, 2);
	expect_eq("fstatat(bad dirfd)", res(fstatat(999, "ut-at", &st, 0)),
		  -EBADF);
	expect_eq("unlinkat(bad dirfd)", res(unlinkat(999, "ut-at", 0)),
		  -EBADF);
	expect_eq("unlinkat(dirfd, AT_REMOVEDIR)",
		  res(unlinkat(dfd, "ut-atdir", AT_REMOVEDIR)), 0);
	expect_eq("unlinkat(dirfd)", res(unlinkat(dfd, "ut-at", 0)), 0);
	expect_eq("file gone", stat_type("/tmp/ut-at"), -ENOENT);
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
	expect_ge("open(O_CREAT) with a 255-byte name", res(fd), 3);
	close(fd);
	expect_eq("stat with a 255-byte name", stat_type(name), S_IFREG);
	expect_eq("a 255-byte name is listed",
		  dir_count("/tmp", name + 5, NULL), 1);
	expect_eq("unlink with a 255-byte name", res(unlink(name)), 0);
	strcat(name, "n");
	expect_eq("open(O_CREAT) with a 256-byte name",
		  res(open(name, O_RDWR | O_CREAT, 0644)), -ENAMETOOLONG);
	expect_eq("open with a 256-byte name", res(open(name, O_RDONLY)),
		  -ENAMETOOLONG);
	expect_eq("stat with a 256-byte name", stat_type(name), -ENAMETOOLONG);
	expect_eq("mkdir with a 256-byte name", res(mkdir(name, 0755)),
		  -ENAMETOOLONG);
	expect_eq("unlink with a 256-byte name", res(unlink(name)),
		  -ENAMETOOLONG);
	expect_eq("rmdir with a 256-byte name", res(rmdir(name)),
		  -ENAMETOOLONG);
	strcat(name, "/f");
	expect_eq("open with a 256-byte directory component",
		  res(open(name, O_RDONLY)), -ENAMETOOLONG);

	/* a 4095-byte path (plus NUL) is fine, 4096 is too long */
	strcpy(pathbuf, "/tmp/");
	for (int i = 0; i < 2043; i++)
		strcat(pathbuf + 5 + 2 * i, "./");
	strcat(pathbuf, "ut-p");
	expect_eq("length of the long path", strlen(pathbuf), ABI_PATH_MAX - 1);
	fd = open(pathbuf, O_RDWR | O_CREAT, 0644);
	expect_ge("open(O_CREAT) with a 4095-byte path", res(fd), 3);
	close(fd);
	expect_eq("the 4095-byte path made /tmp/ut-p", stat_type("/tmp/ut-p"),
		  S_IFREG);
	expect_eq("stat with a 4095-byte path", stat_type(pathbuf), S_IFREG);
	strcat(pathbuf, "q");
	expect_eq("openat with a 4096-byte path",
		  __syscall4(SYS_openat, ABI_AT_FDCWD, pathbuf,
			     ABI_O_RDWR | ABI_O_CREAT, 0644),
		  -ENAMETOOLONG);
	expect_eq("newfstatat with a 4096-byte path",
		  __syscall4(SYS_newfstatat, ABI_AT_FDCWD, pathbuf, &st, 0),
		  -ENAMETOOLONG);
	expect_eq("mkdirat with a 4096-byte path",
		  __syscall3(SYS_mkdirat, ABI_AT_FDCWD, pathbuf, 0755),
		  -ENAMETOOLONG);
	expect_eq("unlinkat with a 4096-byte path",
		  __syscall3(SYS_unlinkat, ABI_AT_FDCWD, pathbuf, 0),
		  -ENAMETOOLONG);
	expect_eq("spawn with a 4096-byte path", res(spawn(pathbuf, argv)),
		  -ENAMETOOLONG);
	pathbuf[strlen(pathbuf) - 1] = 0;
	expect_eq("unlink with a 4095-byte path", res(unlink(pathbuf)), 0);
	expect_eq("/tmp/ut-p gone", stat_type("/tmp/ut-p"), -ENOENT);

	/* trailing slashes, dots, repeated slashes, empty paths */
	expect_eq("make ut-f", file_put("/tmp/ut-f", "f", 1), 1);
	expect_eq("open file/ (trailing slash)",
		  res(open("/tmp/ut-f/", O_RDONLY)), -ENOTDIR);
	expect_eq("stat file/ (trailing slash)", stat_type("/tmp/ut-f/"),
		  -ENOTDIR);
	expect_eq("open(O_CREAT) of newname/",
		  res(open("/tmp/ut-new/", O_RDWR | O_CREAT, 0644)), -EISDIR);
	expect_eq("stat dir/ (trailing slash)", stat_type("/tmp/"), S_IFDIR);
	expect_eq("stat /tmp/../tmp/./ut-f", stat_type("/tmp/../tmp/./ut-f"),
		  S_IFREG);
	expect_eq("stat //tmp///ut-f", stat_type("//tmp///ut-f"), S_IFREG);
	expect_eq("stat relative tmp/ut-f", stat_type("tmp/ut-f"), S_IFREG);
	expect_eq("stat /", res(stat("/", &st)), 0);
	expect_eq("stat /..", res(stat("/..", &st2)), 0);
	expect_eq("/.. is /", st2.st_ino, st.st_ino);
	expect_eq("stat /tmp/..", res(stat("/tmp/..", &st2)), 0);
	expect_eq("/tmp/.. is /", st2.st_ino, st.st_ino);
	expect_eq("open \"\"", res(open("", O_RDONLY)), -ENOENT);
	expect_eq("open(O_CREAT) \"\"", res(open("", O_RDWR | O_CREAT, 0644)),
		  -ENOENT);
	expect_eq("stat \"\"", stat_type(""), -ENOENT);
	expect_eq("mkdir \"\"", res(mkdir("", 0755)), -ENOENT);
	expect_eq("unlink \"\"", res(unlink("")), -ENOENT);
	expect_eq("spawn \"\"", res(spawn("", argv)), -ENOENT);
	expect_eq("unlink ut-f", res(unlink("/tmp/ut-f")), 0);
}

/* ---- read / write ---- */

static void t_rw(void)
{
	const char *p = "/tmp/ut-rw";
	char buf[64];
	int fd, fd2, dfd;

	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge("open", res(fd), 3))
		return;
	expect_eq("write 10 bytes", res(write(fd, "0123456789", 10)), 10);
	expect_eq("read at EOF", res(read(fd, buf, sizeof(buf))), 0);
	expect_eq("lseek to 0", res(lseek(fd, 0, SEEK_SET)), 0);
	expect_eq("read 4", res(read(fd, buf, 4)), 4);
	expect_mem("read 4 content", buf, "0123", 4);
	fd2 = open(p, O_RDONLY);
	expect_eq("a second open has its own offset", res(read(fd2, buf, 64)),
		  10);
	expect_mem("second open content", buf, "0123456789", 10);
	expect_eq("overwrite in the middle", res(write(fd, "ab", 2)), 2);
	expect_eq("size unchanged by an overwrite", fd_size(fd), 10);
	expect_eq("lseek second fd to 0", res(lseek(fd2, 0, SEEK_SET)), 0);
	expect_eq("read after the overwrite", res(read(fd2, buf, 64)), 10);
	expect_mem("content after the overwrite", buf, "0123ab6789", 10);
	expect_eq("write 0 bytes", res(write(fd, buf, 0)), 0);
	expect_eq("read 0 bytes", res(read(fd, buf, 0)), 0);
	expect_eq("read 0 bytes at EOF", res(read(fd2, buf, 0)), 0);
	expect_eq("write 0 bytes to the console", res(write(1, buf, 0)), 0);
	close(fd2);

	/* reads that end at EOF return what is there */
	expect_eq("lseek to 7", res(lseek(fd, 7, SEEK_SET)), 7);
	expect_eq("read past EOF is short", res(read(fd, buf, 64)), 3);
	expect_eq("lseek past EOF", res(lseek(fd, 100, SEEK_SET)), 100);
	expect_eq("read past EOF", res(read(fd, buf, 64)), 0);
	close(fd);

	/* a large write and read through user pages in one call */
	expect_eq("hello.txt", file_get(HELLO, buf, sizeof(buf)),
		  strlen(HELLO_TEXT));
	expect_mem("hello.txt content", buf, HELLO_TEXT, strlen(HELLO_TEXT));

	dfd = open("/tmp", O_RDONLY);
	expect_eq("read a directory", res(read(dfd, buf, 10)), -EISDIR);
	expect_eq("write a read-only directory fd", res(write(dfd, buf, 1)),
		  -EBADF);
	close(dfd);
	expect_eq("unlink", res(unlink(p)), 0);
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
	if (!expect_ge("open", res(fd), 3))
		return;
	expect_eq("write 100", res(write(fd, buf, 100)), 100);
	expect_eq("SEEK_SET 10", res(lseek(fd, 10, SEEK_SET)), 10);
	expect_eq("SEEK_CUR +5", res(lseek(fd, 5, SEEK_CUR)), 15);
	expect_eq("SEEK_CUR -3", res(lseek(fd, -3, SEEK_CUR)), 12);
	expect_eq("SEEK_CUR 0", res(lseek(fd, 0, SEEK_CUR)), 12);
	expect_eq("SEEK_END -10", res(lseek(fd, -10, SEEK_END)), 90);
	expect_eq("read after SEEK_END -10", res(read(fd, buf, 50)), 10);
	expect_eq("SEEK_END 0", res(lseek(fd, 0, SEEK_END)), 100);
	expect_eq("read at SEEK_END", res(read(fd, buf, 50)), 0);
	expect_eq("SEEK_SET -1", res(lseek(fd, -1, SEEK_SET)), -EINVAL);
	expect_eq("SEEK_CUR to before 0", res(lseek(fd, -101, SEEK_CUR)),
		  -EINVAL);
	expect_eq("SEEK_END to before 0", res(lseek(fd, -101, SEEK_END)),
		  -EINVAL);
	expect_eq("offset unchanged by failed lseeks",
		  res(lseek(fd, 0, SEEK_CUR)), 100);
	expect_eq("whence 99", __syscall3(SYS_lseek, fd, 0, 99), -EINVAL);
	expect_eq("whence -1", __syscall3(SYS_lseek, fd, 0, -1), -EINVAL);
	expect_eq("lseek on the console (fd 1)", res(lseek(1, 0, SEEK_CUR)),
		  -ESPIPE);
	expect_eq("lseek on the console (fd 0)", res(lseek(0, 0, SEEK_SET)),
		  -ESPIPE);

	/* sparse: seek past the end, write, the gap reads as zeros */
	expect_eq("SEEK_SET past the end", res(lseek(fd, 8192 + 50, SEEK_SET)),
		  8192 + 50);
	expect_eq("size unchanged by seeking", fd_size(fd), 100);
	expect_eq("write after the hole", res(write(fd, "end", 3)), 3);
	expect_eq("size after the hole", fd_size(fd), 8192 + 53);
	expect_eq("SEEK_SET 0", res(lseek(fd, 0, SEEK_SET)), 0);
	memset(buf, 0x55, sizeof(buf));
	expect_eq("read the sparse file", res(read(fd, buf, sizeof(buf))),
		  8192 + 53);
	memset(zero, 0, sizeof(zero));
	for (long off = 100; off < 8192 + 50; off += 150) {
		long n = 8192 + 50 - off < 150 ? 8192 + 50 - off : 150;

		if (!expect_mem(fmt("hole at %ld reads zeros", off), buf + off,
				zero, n))
			break;
	}
	expect_mem("data after the hole", buf + 8192 + 50, "end", 3);
	expect_eq("SEEK_SET into the hole", res(lseek(fd, 5000, SEEK_SET)),
		  5000);
	expect_eq("read inside the hole", res(read(fd, buf, 16)), 16);
	expect_mem("hole read", buf, zero, 16);
	close(fd);

	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_eq("SEEK_SET 0 on a directory", res(lseek(fd, 0, SEEK_SET)), 0);
	close(fd);
	expect_eq("unlink", res(unlink(p)), 0);
}

/* ---- fstat / stat ---- */

static void t_stat(void)
{
	const char *p = "/tmp/ut-stat";
	struct abi_stat ks;
	struct stat st, st2;
	int fd;

	expect_eq("stat hello.txt", res(stat(HELLO, &st)), 0);
	expect_eq("hello.txt size", st.st_size, strlen(HELLO_TEXT));
	expect_eq("hello.txt type", st.st_mode & S_IFMT, S_IFREG);
	expect_eq("stat /tmp type", stat_type("/tmp"), S_IFDIR);
	fd = open("/tmp", O_RDONLY);
	expect_eq("fstat a directory", res(fstat(fd, &st)), 0);
	expect_eq("fstat a directory: type", st.st_mode & S_IFMT, S_IFDIR);
	close(fd);
	expect_eq("stat / type", stat_type("/"), S_IFDIR);
	expect_eq("stat /bin/utests type", stat_type(SELF), S_IFREG);
	expect_ge("stat /bin/utests size", stat_size(SELF), 1000);
	expect_eq("stat /dev/console type", stat_type("/dev/console"), S_IFCHR);
	expect_eq("fstat(1)", res(fstat(1, &st)), 0);
	expect_eq("fstat(1) type: the console", st.st_mode & S_IFMT, S_IFCHR);
	expect_eq("stat missing", stat_type("/tmp/ut-missing"), -ENOENT);
	expect_eq("stat missing/x", stat_type("/tmp/ut-missing/x"), -ENOENT);
	expect_eq("stat file/x", stat_type(HELLO "/x"), -ENOTDIR);

	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge("open", res(fd), 3))
		return;
	expect_eq("fstat of an empty file", fd_size(fd), 0);
	expect_eq("write 1000", res(write(fd, pathbuf, 1000)), 1000);
	expect_eq("fstat size follows writes", fd_size(fd), 1000);
	expect_eq("stat size follows writes", stat_size(p), 1000);
	expect_eq("fstat", res(fstat(fd, &st)), 0);
	expect_eq("stat", res(stat(p, &st2)), 0);
	expect_eq("fstat and stat agree on st_ino", st.st_ino, st2.st_ino);
	expect_eq("st_nlink of a linked file", st.st_nlink, 1);
	expect_eq("fstat type", st.st_mode & S_IFMT, S_IFREG);
	expect_eq("stat hello.txt again", res(stat(HELLO, &st2)), 0);
	expect_true("different files have different st_ino",
		    st.st_ino != st2.st_ino);

	/* raw newfstatat: flags, AT_EMPTY_PATH, dirfd */
	expect_eq("newfstatat with bad flags",
		  __syscall4(SYS_newfstatat, ABI_AT_FDCWD, p, &ks, 0x4),
		  -EINVAL);
	expect_eq("newfstatat(fd, \"\", AT_EMPTY_PATH)",
		  __syscall4(SYS_newfstatat, fd, "", &ks, ABI_AT_EMPTY_PATH),
		  0);
	expect_eq("AT_EMPTY_PATH size", ks.st_size, 1000);
	expect_eq("newfstatat(\"\") without AT_EMPTY_PATH",
		  __syscall4(SYS_newfstatat, fd, "", &ks, 0), -ENOENT);
	expect_eq("newfstatat(bad fd, \"\", AT_EMPTY_PATH)",
		  __syscall4(SYS_newfstatat, 999, "", &ks, ABI_AT_EMPTY_PATH),
		  -EBADF);
	expect_eq("newfstatat AT_SYMLINK_NOFOLLOW",
		  __syscall4(SYS_newfstatat, ABI_AT_FDCWD, p, &ks, 0x100), 0);
	memset(&st, 0, sizeof(st));
	if (expect_eq("fstatat(fd, \"\", AT_EMPTY_PATH) (libc)",
		      res(fstatat(fd, "", &st, AT_EMPTY_PATH)), 0))
		expect_eq("fstatat(AT_EMPTY_PATH) size (libc)", st.st_size,
			  1000);
	expect_eq("raw fstat", __syscall2(SYS_fstat, fd, &ks), 0);
	expect_eq("raw fstat st_mode", ks.st_mode & ABI_S_IFMT, ABI_S_IFREG);
	expect_eq("raw fstat st_size", ks.st_size, 1000);
	expect_eq("raw fstat st_blksize", ks.st_blksize, 4096);

	/* unlinked but open: nlink 0, still stat-able by fd */
	expect_eq("unlink", res(unlink(p)), 0);
	expect_eq("fstat after unlink", res(fstat(fd, &st)), 0);
	expect_eq("st_nlink after unlink", st.st_nlink, 0);
	expect_eq("st_size after unlink", st.st_size, 1000);
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
	if (!expect_eq("open gives the lowest free fd", res(fd), 3))
		return;
	expect_eq("close", res(close(fd)), 0);
	expect_eq("close again", res(close(fd)), -EBADF);
	expect_eq("read a closed fd", res(read(fd, buf, 1)), -EBADF);
	expect_eq("open reuses the fd", res(fd = open(HELLO, O_RDONLY)), 3);
	close(fd);
	expect_eq("close(0)", res(close(0)), 0);
	expect_eq("open takes fd 0", res(fd = open(HELLO, O_RDONLY)), 0);
	expect_eq("read through fd 0", res(read(0, buf, 5)), 5);
	expect_mem("read through fd 0", buf, HELLO_TEXT, 5);
	close(fd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long b = bad[i];

		expect_eq(fmt("read(fd %ld)", b),
			  __syscall3(SYS_read, b, buf, 1), -EBADF);
		expect_eq(fmt("write(fd %ld)", b),
			  __syscall3(SYS_write, b, "x", 1), -EBADF);
		expect_eq(fmt("close(fd %ld)", b), __syscall1(SYS_close, b),
			  -EBADF);
		expect_eq(fmt("fstat(fd %ld)", b),
			  __syscall2(SYS_fstat, b, &ks), -EBADF);
		expect_eq(fmt("lseek(fd %ld)", b),
			  __syscall3(SYS_lseek, b, 0, ABI_SEEK_SET), -EBADF);
		expect_eq(fmt("getdents64(fd %ld)", b),
			  __syscall3(SYS_getdents64, b, buf, sizeof(buf)),
			  -EBADF);
	}
}

/* ---- unlink / rmdir ---- */

static void t_unlink(void)
{
	const char *p = "/tmp/ut-ul", *d = "/tmp/ut-uldir";
	static char data[3 * 4096 + 100], back[sizeof(data)];
	long f0;
	int fd;

	expect_eq("make a file", file_put(p, "data", 4), 4);
	expect_eq("unlink the file", res(unlink(p)), 0);
	expect_eq("open after unlink", res(open(p, O_RDONLY)), -ENOENT);
	expect_eq("stat after unlink", stat_type(p), -ENOENT);
	expect_eq("unlink again", res(unlink(p)), -ENOENT);
	expect_eq("unlink in a missing directory", res(unlink("/tmp/ut-no/x")),
		  -ENOENT);
	expect_eq("unlink with a file as a directory", res(unlink(HELLO "/x")),
		  -ENOTDIR);
	expect_eq("unlinkat with a bad flag",
		  __syscall3(SYS_unlinkat, ABI_AT_FDCWD, p, 0x1), -EINVAL);

	/* directories */
	expect_eq("mkdir", res(mkdir(d, 0755)), 0);
	expect_eq("unlink a directory", res(unlink(d)), -EISDIR);
	expect_eq("make a file in it", file_put("/tmp/ut-uldir/f", "x", 1), 1);
	expect_eq("rmdir a non-empty directory", res(rmdir(d)), -ENOTEMPTY);
	expect_eq("rmdir a file", res(rmdir("/tmp/ut-uldir/f")), -ENOTDIR);
	expect_eq("unlink file/", res(unlink("/tmp/ut-uldir/f/")), -ENOTDIR);
	expect_eq("rmdir dir/.", res(rmdir("/tmp/ut-uldir/.")), -EINVAL);
	expect_eq("rmdir dir/..", res(rmdir("/tmp/ut-uldir/..")), -ENOTEMPTY);
	expect_eq("rmdir /", res(rmdir("/")), -EBUSY);
	expect_eq("unlink /", res(unlink("/")), -EISDIR);
	expect_eq("rmdir missing", res(rmdir("/tmp/ut-uldir/nope")), -ENOENT);
	expect_eq("unlink the file in it", res(unlink("/tmp/ut-uldir/f")), 0);
	expect_eq("rmdir the empty directory", res(rmdir(d)), 0);
	expect_eq("stat after rmdir", stat_type(d), -ENOENT);
	expect_eq("rmdir again", res(rmdir(d)), -ENOENT);

	/* unlink while open: the data stays readable until the last close,
	 * then its pages are freed */
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = i * 13 + i / 4096;
	f0 = free_pages();
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge("open", res(fd), 3))
		return;
	expect_eq("write", res(write(fd, data, sizeof(data))), sizeof(data));
	expect_eq("unlink the open file", res(unlink(p)), 0);
	expect_eq("the name is gone", stat_type(p), -ENOENT);
	expect_eq("lseek the unlinked file", res(lseek(fd, 0, SEEK_SET)), 0);
	expect_eq("read the unlinked file", res(read(fd, back, sizeof(back))),
		  sizeof(back));
	expect_mem("unlinked file content", back, data, sizeof(data));
	expect_eq("write to the unlinked file", res(write(fd, "more", 4)), 4);
	expect_eq("size of the unlinked file", fd_size(fd), sizeof(data) + 4);
	expect_eq("a new file of the same name", file_put(p, "new", 3), 3);
	expect_eq("the new file is separate", stat_size(p), 3);
	expect_eq("unlink the new file", res(unlink(p)), 0);
	expect_true("the unlinked file still holds pages", free_pages() < f0);
	expect_eq("close the unlinked file", res(close(fd)), 0);
	expect_eq("free pages after the last close", free_pages(), f0);
}

/* ---- mkdir ---- */

static void t_mkdir(void)
{
	const char *d = "/tmp/ut-mk";

	expect_eq("mkdir", res(mkdir(d, 0755)), 0);
	expect_eq("mkdir made a directory", stat_type(d), S_IFDIR);
	expect_eq("mkdir again", res(mkdir(d, 0755)), -EEXIST);
	expect_eq("mkdir nested", res(mkdir("/tmp/ut-mk/a", 0755)), 0);
	expect_eq("mkdir nested 2", res(mkdir("/tmp/ut-mk/a/b", 0755)), 0);
	expect_eq("mkdir with a trailing slash",
		  res(mkdir("/tmp/ut-mk/c/", 0755)), 0);
	expect_eq("file in nested dir", file_put("/tmp/ut-mk/a/b/f", "x", 1),
		  1);
	expect_eq("mkdir over a file", res(mkdir("/tmp/ut-mk/a/b/f", 0755)),
		  -EEXIST);
	expect_eq("mkdir with a missing parent",
		  res(mkdir("/tmp/ut-mk/nope/x", 0755)), -ENOENT);
	expect_eq("mkdir with a file as parent",
		  res(mkdir("/tmp/ut-mk/a/b/f/x", 0755)), -ENOTDIR);
	expect_eq("mkdir /", res(mkdir("/", 0755)), -EEXIST);
	expect_eq("mkdir /tmp", res(mkdir("/tmp", 0755)), -EEXIST);
	expect_eq("mkdir /tmp/.", res(mkdir("/tmp/.", 0755)), -EEXIST);
	expect_eq("rmdir a/b non-empty", res(rmdir("/tmp/ut-mk/a/b")),
		  -ENOTEMPTY);
	expect_eq("unlink a/b/f", res(unlink("/tmp/ut-mk/a/b/f")), 0);
	expect_eq("rmdir a/b", res(rmdir("/tmp/ut-mk/a/b")), 0);
	expect_eq("rmdir a", res(rmdir("/tmp/ut-mk/a")), 0);
	expect_eq("rmdir c", res(rmdir("/tmp/ut-mk/c")), 0);
	expect_eq("rmdir", res(rmdir(d)), 0);
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

	if (!expect_eq("mkdir", res(mkdir(d, 0755)), 0))
		return;
	expect_eq("make a", file_put("/tmp/ut-dl/a", "a", 1), 1);
	expect_eq("make bb", file_put("/tmp/ut-dl/bb", "bb", 2), 2);
	expect_eq("make c", res(mkdir("/tmp/ut-dl/c", 0755)), 0);

	dir = opendir(d);
	if (expect_true("opendir", dir != NULL)) {
		while ((e = readdir(dir))) {
			for (n = 0; n < 5; n++)
				if (!strcmp(e->d_name, names[n]))
					break;
			if (n == 5) {
				other++;
				continue;
			}
			seen[n]++;
			expect_eq(fmt("d_type of %s", names[n]), e->d_type,
				  types[n]);
		}
		closedir(dir);
	}
	for (n = 0; n < 5; n++)
		expect_eq(fmt("readdir finds \"%s\" once", names[n]), seen[n],
			  1);
	expect_eq("readdir finds nothing else", other, 0);
	expect_eq("opendir of a file", dir_count(HELLO, NULL, NULL), -ENOTDIR);
	expect_eq("opendir of a missing directory",
		  dir_count("/tmp/ut-dl/none", NULL, NULL), -ENOENT);
	expect_eq("/ has bin", dir_count("/", "bin", &dtype), 1);
	expect_eq("/bin is DT_DIR", dtype, DT_DIR);
	expect_eq("/ has data", dir_count("/", "data", NULL), 1);
	expect_eq("/ has tmp", dir_count("/", "tmp", NULL), 1);
	expect_eq("/bin has utests", dir_count("/bin", "utests", &dtype), 1);
	expect_eq("/bin/utests is DT_REG", dtype, DT_REG);
	expect_eq("/dev has console", dir_count("/dev", "console", &dtype), 1);
	expect_eq("/dev/console is DT_CHR", dtype, DT_CHR);

	/* raw getdents64 */
	fd = open(d, O_RDONLY | O_DIRECTORY);
	if (!expect_ge("open the directory", res(fd), 3))
		goto out;
	expect_eq("getdents64 with an 8-byte buffer",
		  __syscall3(SYS_getdents64, fd, buf, 8), -EINVAL);
	expect_eq("getdents64 with a 0-byte buffer",
		  __syscall3(SYS_getdents64, fd, buf, 0), -EINVAL);
	/* everything in one call: the records in order, each d_reclen
	 * Linux's ALIGN(offsetof(d_name) + strlen + 1, 8), 24 for these */
	r = __syscall3(SYS_getdents64, fd, buf, sizeof(buf));
	expect_ge("getdents64 of everything", r, 5 * 24);
	total = 0;
	n = 0;
	reclen = 0;
	while (r > 0 && total < r && n < 5) {
		de = (struct abi_dirent64 *)(buf + total);
		if (!expect_eq("d_reclen is a multiple of 8", de->d_reclen % 8,
			       0) ||
		    !expect_ge("d_reclen", de->d_reclen, 24))
			break;
		expect_eq(fmt("record %d name", n),
			  strcmp(de->d_name, names[n]), 0);
		if (!reclen)
			reclen = de->d_reclen;
		total += de->d_reclen;
		n++;
	}
	expect_eq("records returned", n, 5);
	expect_eq("bytes returned are the records'", total, r);
	expect_eq("d_reclen of \".\" (Linux: ALIGN(19 + 2, 8))", reclen, 24);
	expect_eq("getdents64 at the end",
		  __syscall3(SYS_getdents64, fd, buf, sizeof(buf)), 0);
	expect_eq("getdents64 at the end again",
		  __syscall3(SYS_getdents64, fd, buf, sizeof(buf)), 0);

	/* a buffer that holds just one record: one at a time */
	expect_eq("lseek to 0 rewinds", res(lseek(fd, 0, SEEK_SET)), 0);
	for (n = 0; n < 5 && reclen; n++) {
		r = __syscall3(SYS_getdents64, fd, buf, reclen);
		if (!expect_eq(
			    fmt("getdents64 record %d, one-record buffer", n),
			    r, reclen))
			break;
		de = (struct abi_dirent64 *)buf;
		expect_eq(fmt("record %d name", n),
			  strcmp(de->d_name, names[n]), 0);
	}
	expect_eq("getdents64 at the end, one-record buffer",
		  __syscall3(SYS_getdents64, fd, buf, reclen), 0);
	expect_eq("lseek to 0 rewinds again", res(lseek(fd, 0, SEEK_SET)), 0);
	expect_eq("getdents64 with a buffer one byte short",
		  __syscall3(SYS_getdents64, fd, buf, reclen - 1), -EINVAL);
	close(fd);
	fd = open(HELLO, O_RDONLY);
	expect_eq("getdents64 on a file",
		  __syscall3(SYS_getdents64, fd, buf, sizeof(buf)), -ENOTDIR);
	close(fd);
	expect_eq("getdents64 on the console",
		  __syscall3(SYS_getdents64, 1, buf, sizeof(buf)), -ENOTDIR);

	expect_eq("unlink a", res(unlink("/tmp/ut-dl/a")), 0);
	expect_eq("a is no longer listed", dir_count(d, "a", NULL), 0);
	expect_eq("4 entries left", dir_count(d, NULL, NULL), 4);
out:
	unlink("/tmp/ut-dl/a");
	unlink("/tmp/ut-dl/bb");
	rmdir("/tmp/ut-dl/c");
	expect_eq("rmdir", res(rmdir(d)), 0);
}

/* A directory removed while open: empty, nothing can be made in it. */
static void t_rmdir_open(void)
{
	char buf[512] __attribute__((aligned(8)));
	struct abi_dirent64 *de;
	struct stat st;
	int fd, pfd, n;
	long r;

	expect_eq("mkdir ut-ro", res(mkdir("/tmp/ut-ro", 0755)), 0);
	expect_eq("mkdir ut-ro/sub", res(mkdir("/tmp/ut-ro/sub", 0755)), 0);
	fd = open("/tmp/ut-ro/sub", O_RDONLY | O_DIRECTORY);
	if (!expect_ge("open sub", res(fd), 3))
		return;
	expect_eq("rmdir the open directory", res(rmdir("/tmp/ut-ro/sub")), 0);
	expect_eq("openat(O_CREAT) in the removed directory",
		  res(openat(fd, "x", O_RDWR | O_CREAT, 0644)), -ENOENT);
	expect_eq("mkdirat in the removed directory",
		  res(mkdirat(fd, "y", 0755)), -ENOENT);
	expect_eq("fstat the removed directory", res(fstat(fd, &st)), 0);
	expect_eq("removed directory type", st.st_mode & S_IFMT, S_IFDIR);
	expect_eq("removed directory st_nlink", st.st_nlink, 0);
	r = __syscall3(SYS_getdents64, fd, buf, sizeof(buf));
	n = 0;
	for (long off = 0; off < r; off += de->d_reclen) {
		de = (struct abi_dirent64 *)(buf + off);
		if (de->d_reclen == 0)
			break;
		expect_true(
			fmt("entry \"%s\" of the removed directory is . or ..",
			    de->d_name),
			!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."));
		n++;
	}
	expect_eq("entries of the removed directory", n, 2);
	/* remove the parent too; ".." of the open directory still names it
	 * (Linux keeps a directory's parent alive while the child lives) */
	expect_eq("rmdir ut-ro", res(rmdir("/tmp/ut-ro")), 0);
	pfd = openat(fd, "..", O_RDONLY | O_DIRECTORY);
	if (expect_ge("openat(removed dir, \"..\", O_DIRECTORY)", res(pfd),
		      3)) {
		expect_eq("fstat ..", res(fstat(pfd, &st)), 0);
		expect_eq("removed parent type", st.st_mode & S_IFMT, S_IFDIR);
		close(pfd);
	}
	expect_eq("close", res(close(fd)), 0);
	expect_eq("ut-ro gone", stat_type("/tmp/ut-ro"), -ENOENT);
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
	expect_eq("open with every fd in use", r, -EMFILE);
	expect_eq("files opened (fds 3..31)", n, NOFILE - 3);
	for (int i = 0; i < n; i++)
		if (!expect_eq(fmt("open %d gives the lowest fd", i), fds[i],
			       3 + i))
			break;
	expect_eq("open a directory with every fd in use",
		  res(open("/tmp", O_RDONLY)), -EMFILE);
	/* Linux takes the fd before looking up the path: nothing is made */
	expect_eq("open(O_CREAT) with every fd in use",
		  res(open("/tmp/ut-emfile", O_RDWR | O_CREAT, 0644)), -EMFILE);
	expect_eq("O_CREAT with EMFILE made no file",
		  stat_type("/tmp/ut-emfile"), -ENOENT);
	unlink("/tmp/ut-emfile");
	if (n > 10) {
		expect_eq("close one", res(close(fds[10])), 0);
		expect_eq("open takes the freed fd", res(open(HELLO, O_RDONLY)),
			  fds[10]);
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	expect_eq("open after closing all", r = res(open(HELLO, O_RDONLY)), 3);
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
	if (!expect_true("sbrk the buffers", w != (void *)-1))
		return;
	r = w + BIG;
	for (long i = 0; i < BIG; i++)
		w[i] = (i * 7 + i / 251) & 0xff;
	f0 = free_pages();
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge("open", res(fd), 3))
		goto out;
	for (off = 0; off < BIG; off += n) {
		chunk = BIG - off < 1237 ? BIG - off : 1237;
		n = res(write(fd, w + off, chunk));
		if (!expect_eq(fmt("write of %ld at %ld", chunk, off), n,
			       chunk))
			break;
	}
	expect_eq("size after writing", fd_size(fd), BIG);
	f1 = free_pages();
	expect_ge("pages used by the file", f0 - f1, BIG / PAGE);
	expect_eq("lseek 0", res(lseek(fd, 0, SEEK_SET)), 0);
	memset(r, 0, BIG);
	for (off = 0; off < BIG; off += n) {
		n = res(read(fd, r + off, 4099));
		if (!expect_ge(fmt("read at %ld", off), n, 1))
			break;
	}
	expect_eq("bytes read back", off, BIG);
	expect_mem("content read back", r, w, BIG);
	expect_eq("lseek to the middle", res(lseek(fd, 150001, SEEK_SET)),
		  150001);
	expect_eq("read in the middle", res(read(fd, r, 10000)), 10000);
	expect_mem("content in the middle", r, w + 150001, 10000);
	expect_eq("one read of all of it", read_at(fd, r, BIG, 0), BIG);
	close(fd);

	/* O_TRUNC gives the pages back */
	fd = open(p, O_RDWR | O_TRUNC);
	expect_eq("size after O_TRUNC", fd_size(fd), 0);
	expect_eq("free pages after O_TRUNC", free_pages(), f0);

	/* the 1 GiB file size limit of the memory FS (fs.c) */
	expect_eq("lseek to 1 GiB - 1",
		  res(lseek(fd, (1L << 30) - 1, SEEK_SET)), (1L << 30) - 1);
	expect_eq("write across 1 GiB is short", res(write(fd, "ab", 2)), 1);
	expect_eq("size is 1 GiB", fd_size(fd), 1L << 30);
	expect_eq("write at 1 GiB", res(write(fd, "c", 1)), -EFBIG);
	expect_eq("read the last byte", read_at(fd, &c, 1, (1L << 30) - 1), 1);
	expect_eq("last byte", c, 'a');
	expect_eq("read in the hole", read_at(fd, &c, 1, 12345), 1);
	expect_eq("hole byte", c, 0);
	close(fd);
	expect_eq("unlink", res(unlink(p)), 0);
	expect_eq("free pages after unlink", free_pages(), f0);
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
	if (!expect_true("sbrk", buf != (void *)-1))
		return;
	memset(buf, 0x5a, MIB);
	f0 = free_pages();
	fd = open("/tmp/ut-full", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge("open", res(fd), 3))
		goto out;
	/* unlinked first: with memory full, path names cannot be copied in */
	expect_eq("unlink while open", res(unlink("/tmp/ut-full")), 0);
	while (total < (4L << 30)) {
		r = res(write(fd, buf, MIB));
		if (r <= 0)
			break;
		total += r;
	}
	expect_eq("write with memory full", r, -ENOSPC);
	expect_ge("bytes written before ENOSPC", total, 16 * MIB);
	f1 = free_pages();
	expect_range("free pages with memory full", f1, 0, 16);
	expect_eq("spawn with memory full", spawn_self("child-exit", "0", NULL),
		  -ENOMEM);
	expect_eq("getpid with memory full", getpid() > 0, 1);
	expect_eq("iocore_ping with memory full", res(iocore_ping(1)), 1);
	expect_ge("clock_gettime with memory full", mono_ns(), 0);
	expect_eq("read back with memory full",
		  read_at(fd, back, sizeof(back), total - sizeof(back)),
		  sizeof(back));
	expect_eq("data read back", back[0], 0x5a);
	expect_eq("close", res(close(fd)), 0);
	expect_eq("free pages after the close", free_pages(), f0);
out:
	sbrk(-MIB);
}

static void t_inodes(void)
{
	char name[40];
	long r = 0, pid;
	int n;

	if (!expect_eq("mkdir", res(mkdir("/tmp/ut-ino", 0755)), 0))
		return;
	for (n = 0; n < 4000; n++) {
		snprintf(name, sizeof(name), "/tmp/ut-ino/f%d", n);
		r = res(open(name, O_WRONLY | O_CREAT | O_EXCL, 0644));
		if (r < 0)
			break;
		close(r);
	}
	expect_eq("create with no free inode", r, -ENOSPC);
	expect_range("files made before ENOSPC", n, 100, 4000 - 1);
	expect_eq("mkdir with no free inode", res(mkdir("/tmp/ut-ino/d", 0755)),
		  -ENOSPC);
	expect_eq("the failed create left no name",
		  stat_type(fmt("/tmp/ut-ino/f%d", n)), -ENOENT);
	pid = spawn_self("child-exit", "0", NULL);
	expect_status("spawn with no free inode", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(0, 0));
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/tmp/ut-ino/f%d", i);
		if (!expect_eq(fmt("unlink %s", name), res(unlink(name)), 0))
			break;
	}
	expect_eq("rmdir", res(rmdir("/tmp/ut-ino")), 0);
	r = res(open("/tmp/ut-ino2", O_WRONLY | O_CREAT | O_EXCL, 0644));
	expect_ge("create after freeing the inodes", r, 3);
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

	n = stat_size("/bin/echo");
	if (!expect_ge("size of /bin/echo", n, 1000))
		return;
	img = sbrk(2 * n);
	if (!expect_true("sbrk", img != (void *)-1))
		return;
	elf_copy = img + n;
	expect_eq("read /bin/echo", file_get("/bin/echo", img, n), n);
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
	if (!expect_ge("a PT_LOAD in /bin/echo", ld, 0))
		return;
	f0 = free_pages();
	expect_status("a copy of /bin/echo runs",
		      spawn_variant(img, n, 0, NULL, 0), ABI_W_EXITCODE(0, 0));
	expect_eq("empty file", spawn_variant(img, 0, 0, NULL, 0), -ENOEXEC);
	expect_eq("truncated to 40 bytes", spawn_variant(img, 40, 0, NULL, 0),
		  -ENOEXEC);
	expect_eq("truncated to 64 bytes (no program headers)",
		  spawn_variant(img, 64, 0, NULL, 0), -ENOEXEC);
	expect_eq("truncated after the program headers",
		  spawn_variant(img, phoff + 56 * phnum, 0, NULL, 0), -ENOEXEC);
	expect_eq("truncated in the middle",
		  spawn_variant(img, n / 2, 0, NULL, 0), -ENOEXEC);
	expect_eq("bad magic", spawn_variant(img, n, 1, "X", 1), -ENOEXEC);
	expect_eq("32-bit class", spawn_variant(img, n, 4, "\1", 1), -ENOEXEC);
	expect_eq("big-endian", spawn_variant(img, n, 5, "\2", 1), -ENOEXEC);
	v16 = 62; /* x86-64 */
	expect_eq("e_machine x86-64", spawn_variant(img, n, 18, &v16, 2),
		  -ENOEXEC);
	v16 = 0;
	expect_eq("e_phnum 0", spawn_variant(img, n, 56, &v16, 2), -ENOEXEC);
	v16 = 40;
	expect_eq("e_phentsize 40", spawn_variant(img, n, 54, &v16, 2),
		  -ENOEXEC);
	v64 = 0;
	expect_eq("e_entry 0", spawn_variant(img, n, 24, &v64, 8), -ENOEXEC);
	v64 = KADDR;
	expect_eq("e_entry in the kernel", spawn_variant(img, n, 24, &v64, 8),
		  -ENOEXEC);
	v64 = 1L << 40;
	expect_eq("e_phoff past the end", spawn_variant(img, n, 32, &v64, 8),
		  -ENOEXEC);
	v64 = KADDR;
	expect_eq("PT_LOAD at a kernel address",
		  spawn_variant(img, n, ld + 16, &v64, 8), -ENOEXEC);
	v64 = 0;
	expect_eq("PT_LOAD at address 0",
		  spawn_variant(img, n, ld + 16, &v64, 8), -ENOEXEC);
	v64 = -4096UL;
	expect_eq("PT_LOAD wrapping around",
		  spawn_variant(img, n, ld + 40, &v64, 8), -ENOEXEC);
	v64 = 1;
	expect_eq("p_memsz < p_filesz", spawn_variant(img, n, ld + 40, &v64, 8),
		  -ENOEXEC);
	v64 = 1L << 40;
	expect_eq("p_offset past the end",
		  spawn_variant(img, n, ld + 8, &v64, 8), -ENOEXEC);
	v64 = 0x70000000;
	expect_eq("p_memsz of 1.75 GiB",
		  spawn_variant(img, n, ld + 40, &v64, 8), -ENOMEM);
	unlink("/tmp/ut-elf");
	expect_eq("free pages after the bad ELF files", free_pages(), f0);
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

	pid = res(spawn("/bin/echo", echo));
	if (expect_ge("spawn /bin/echo", pid, 1)) {
		int status = -1;

		expect_eq("waitpid returns its pid",
			  res(waitpid(pid, &status, 0)), pid);
		expect_status("echo's status", status, ABI_W_EXITCODE(0, 0));
	}
	expect_status("spawn(path, NULL argv)", run("/bin/echo", NULL),
		      ABI_W_EXITCODE(0, 0));
	expect_eq("spawn a missing file", res(spawn("/bin/nonexistent", echo)),
		  -ENOENT);
	expect_eq("spawn in a missing directory",
		  res(spawn("/nonexistent/echo", echo)), -ENOENT);
	expect_eq("spawn with a file as a directory",
		  res(spawn(HELLO "/x", echo)), -ENOTDIR);
	expect_eq("spawn a text file", res(spawn(HELLO, echo)), -ENOEXEC);
	expect_eq("spawn a directory", res(spawn("/bin", echo)), -EACCES);
	expect_eq("spawn /", res(spawn("/", echo)), -EACCES);
	expect_eq("spawn the console (not a regular file)",
		  res(spawn("/dev/console", echo)), -EACCES);
	expect_status("spawn via a relative path", run("bin/utests", self),
		      ABI_W_EXITCODE(0, 0));

	/* argv: the child sees exactly what was passed */
	args[0] = "utests";
	args[1] = "child-args";
	for (int i = 2; i < ABI_SPAWN_ARGC_MAX + 1; i++) {
		snprintf(argstr[i], sizeof(argstr[i]), "a%d", i);
		args[i] = argstr[i];
	}
	args[5] = NULL;
	expect_status("child sees argc 5", run(SELF, args),
		      ABI_W_EXITCODE(5, 0));
	args[5] = argstr[5];
	args[ABI_SPAWN_ARGC_MAX] = NULL;
	expect_status("spawn with 64 arguments", run(SELF, args),
		      ABI_W_EXITCODE(ABI_SPAWN_ARGC_MAX, 0));
	args[ABI_SPAWN_ARGC_MAX] = argstr[ABI_SPAWN_ARGC_MAX];
	args[ABI_SPAWN_ARGC_MAX + 1] = NULL;
	expect_eq("spawn with 65 arguments", res(spawn(SELF, args)), -E2BIG);
	memset(bigarg, 'z', sizeof(bigarg));
	bigarg[0][2999] = bigarg[1][2999] = 0;
	args[2] = bigarg[0];
	args[3] = bigarg[1];
	args[4] = NULL;
	expect_eq("spawn with 6000 bytes of arguments", res(spawn(SELF, args)),
		  -E2BIG);
	args[3] = NULL;
	expect_status("spawn with one 2999-byte argument", run(SELF, args),
		      ABI_W_EXITCODE(255, 0));

	/* the child inherits the fds, sharing the offset */
	fd = open("/tmp/ut-spawn", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (expect_ge("open", res(fd), 3)) {
		snprintf(buf, sizeof(buf), "%d", fd);
		expect_eq("write parent", res(write(fd, "parent", 6)), 6);
		pid = spawn_self("child-fdwrite", buf, NULL);
		st = pid < 0 ? pid : reap(pid);
		expect_status("child writes to the inherited fd", st,
			      ABI_W_EXITCODE(0, 0));
		expect_eq("shared offset after the child's write",
			  res(lseek(fd, 0, SEEK_CUR)), 11);
		memset(buf, 0, sizeof(buf));
		expect_eq("read the file", read_at(fd, buf, 11, 0), 11);
		expect_mem("file content", buf, "parentchild", 11);
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

	expect_eq("waitpid(-1) with no children", res(waitpid(-1, &st, 0)),
		  -ECHILD);
	expect_eq("waitpid(-1, WNOHANG) with no children",
		  res(waitpid(-1, &st, WNOHANG)), -ECHILD);
	expect_eq("waitpid(0) with no children", res(waitpid(0, &st, 0)),
		  -ECHILD);
	expect_eq("waitpid(12345), not a child", res(waitpid(12345, &st, 0)),
		  -ECHILD);
	expect_eq("waitpid(1), not a child", res(waitpid(1, &st, 0)), -ECHILD);
	expect_eq("waitpid(getpid())", res(waitpid(getpid(), &st, 0)), -ECHILD);

	pid = spawn_self("child-exit", "0", NULL);
	if (expect_ge("spawn a child for wait4 with rusage", pid, 1)) {
		int zero = 1;

		memset(buf, 0xff, sizeof(buf));
		expect_eq("wait4 with rusage",
			  __syscall4(SYS_wait4, pid, &st, 0, buf), pid);
		for (size_t i = 0; i < sizeof(buf); i++)
			zero &= buf[i] == 0;
		expect_eq("rusage comes back zeroed (usage is not kept)", zero, 1);
	}

	pid = spawn_self("child-sleep", "300", NULL);
	if (expect_ge("spawn a sleeping child", pid, 1)) {
		expect_eq("waitpid(pid, WNOHANG) while the child runs",
			  res(waitpid(pid, &st, WNOHANG)), 0);
		expect_eq("waitpid(-1, WNOHANG) while the child runs",
			  res(waitpid(-1, &st, WNOHANG)), 0);
		expect_eq("wait4 with bad options",
			  __syscall4(SYS_wait4, pid, &st, 0x10000, 0), -EINVAL);
		expect_eq("wait4 with rusage and WNOHANG while the child runs",
			  __syscall4(SYS_wait4, pid, &st, ABI_WNOHANG, buf), 0);
		expect_eq("waitpid(other pid) with a child",
			  res(waitpid(pid + 1000, &st, 0)), -ECHILD);
		st = -1;
		expect_eq("waitpid blocks until the child exits",
			  res(waitpid(pid, &st, 0)), pid);
		expect_status("status of the sleeper", st,
			      ABI_W_EXITCODE(0, 0));
		expect_eq("waitpid after reaping", res(waitpid(pid, &st, 0)),
			  -ECHILD);
	}

	/* exit status propagation */
	pid = spawn_self("child-exit", "7", NULL);
	expect_status("exit(7)", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(7, 0));
	pid = spawn_self("child-exit", "0", NULL);
	expect_status("exit(0)", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(0, 0));
	pid = spawn_self("child-exit", "255", NULL);
	expect_status("exit(255)", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(255, 0));
	pid = spawn_self("child-exit", "300", NULL);
	expect_status("exit(300) keeps the low 8 bits",
		      pid < 0 ? pid : reap(pid), ABI_W_EXITCODE(44, 0));
	pid = spawn_self("child-rawexit", "9", NULL);
	expect_status("raw SYS_exit(9)", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(9, 0));
	pid = spawn_self("child-rawexitgroup", "10", NULL);
	expect_status("raw SYS_exit_group(10)", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(10, 0));
	pid = spawn_self("child-exit", "3", NULL);
	if (pid > 0) {
		sleep_ms(50); /* let it become a zombie first */
		expect_eq("wait(NULL status) for a zombie",
			  res(waitpid(pid, NULL, 0)), pid);
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
				expect_status(fmt("status of child %d", j), st,
					      ABI_W_EXITCODE(j + 1, 0));
			}
		}
	}
	for (int j = 0; j < 3; j++)
		expect_eq(fmt("child %d reaped once by wait(-1)", j), found[j],
			  1);
	expect_eq("wait(-1) after reaping all", res(waitpid(-1, &st, 0)),
		  -ECHILD);

	/* an orphan: its parent exits before it is reaped; it is not ours */
	pid = spawn_self("child-orphan", "/tmp/ut-orphan", NULL);
	expect_status("the orphan's parent", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(0, 0));
	memset(buf, 0, sizeof(buf));
	if (expect_ge("orphan pid file", file_get("/tmp/ut-orphan", buf, 31),
		      1)) {
		r = atol(buf);
		expect_ge("orphan pid", r, 1);
		expect_eq("waitpid(an orphaned grandchild)",
			  res(waitpid(r, &st, WNOHANG)), -ECHILD);
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

		expect_status(fmt("child-fault %s", modes[i].mode),
			      pid < 0 ? pid : reap(pid),
			      ABI_W_EXITCODE(0, modes[i].sig));
	}
	expect_eq("free pages after the killed children", free_pages(), f0);
}

/* ---- getpid / getppid ---- */

static void t_getpid(void)
{
	long me = getpid(), pid, pid2, st;
	char buf[64];
	char arg[16];
	long cpid = -1, cppid = -1;

	expect_ge("getpid", me, 1);
	expect_eq("getpid is stable", getpid(), me);
	expect_eq("raw getpid", __syscall0(SYS_getpid), me);
	expect_ge("getppid", getppid(), 1);
	expect_true("getppid != getpid", getppid() != me);
	expect_eq("raw getppid", __syscall0(SYS_getppid), getppid());

	snprintf(arg, sizeof(arg), "%ld", me);
	unlink("/tmp/ut-ids");
	pid = spawn_self("child-ids", arg, "/tmp/ut-ids", NULL);
	if (!expect_ge("spawn child-ids", pid, 1))
		return;
	st = reap(pid);
	expect_status("child's getppid() is our pid", st, ABI_W_EXITCODE(0, 0));
	memset(buf, 0, sizeof(buf));
	if (expect_ge("read the child's ids", file_get("/tmp/ut-ids", buf, 63),
		      3))
		sscanf(buf, "%ld %ld", &cpid, &cppid);
	expect_eq("child's getpid() is spawn's result", cpid, pid);
	expect_eq("child's getppid() (from its file)", cppid, me);
	unlink("/tmp/ut-ids");
	pid2 = spawn_self("child-exit", "0", NULL);
	expect_true("a new child gets a new pid", pid2 > 0 && pid2 != pid);
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
	expect_eq("spawn with the process table full", r, -EAGAIN);
	expect_range("children spawned before EAGAIN", n, NPROC / 2, NPROC - 1);
	for (int i = 0; i < n; i++)
		if (!expect_status(fmt("reap child %d", i), reap(pids[i]),
				   ABI_W_EXITCODE(0, 0)))
			break;
	r = spawn_self("child-exit", "0", NULL);
	expect_ge("spawn after reaping", r, 1);
	if (r > 0)
		reap(r);
}

/* ---- sched_yield ---- */

static void t_sched(void)
{
	long pid;
	int i;

	for (i = 0; i < 100; i++)
		if (!expect_eq("sched_yield", res(sched_yield()), 0))
			break;
	expect_eq("raw sched_yield", __syscall0(SYS_sched_yield), 0);
	pid = spawn_self("child-exit", "5", NULL);
	for (i = 0; i < 20; i++)
		if (!expect_eq("sched_yield with a runnable child",
			       res(sched_yield()), 0))
			break;
	expect_status("the child ran", pid < 0 ? pid : reap(pid),
		      ABI_W_EXITCODE(5, 0));

	/* a child that never yields is preempted: we run before it ends */
	pid = spawn_self("child-spin", "300", NULL);
	if (expect_ge("spawn a spinning child", pid, 1)) {
		expect_eq("sched_yield to the spinner", res(sched_yield()), 0);
		expect_eq("we ran while the child spins (preemption)",
			  res(waitpid(pid, NULL, WNOHANG)), 0);
		expect_status("the spinner", reap(pid), ABI_W_EXITCODE(0, 0));
	}
}

/* ---- nanosleep and clock_gettime ---- */

static void t_time(void)
{
	struct abi_timespec req, rem, kt;
	struct timespec ts1, ts2, sl = {0, 20 * 1000000};
	struct timeval tv;
	long m1, m2;

	expect_eq("clock_gettime(CLOCK_REALTIME)",
		  res(clock_gettime(CLOCK_REALTIME, &ts1)), 0);
	expect_range("tv_nsec", ts1.tv_nsec, 0, 999999999);
	m1 = mono_ns();
	expect_ge("raw clock_gettime(CLOCK_MONOTONIC)", m1, 0);
	expect_eq("nanosleep 20 ms", res(nanosleep(&sl, NULL)), 0);
	m2 = mono_ns();
	expect_eq("clock_gettime(CLOCK_REALTIME) after",
		  res(clock_gettime(CLOCK_REALTIME, &ts2)), 0);
	expect_ge("CLOCK_MONOTONIC did not go backwards", m2, m1);
	expect_true("CLOCK_MONOTONIC advanced across a 20 ms sleep", m2 > m1);
	expect_true("CLOCK_REALTIME advanced across a 20 ms sleep",
		    ts2.tv_sec > ts1.tv_sec || (ts2.tv_sec == ts1.tv_sec &&
						ts2.tv_nsec > ts1.tv_nsec));
	expect_eq("clock_gettime(99)", __syscall2(SYS_clock_gettime, 99, &kt),
		  -EINVAL);
	expect_eq("clock_gettime(1000)",
		  __syscall2(SYS_clock_gettime, 1000, &kt), -EINVAL);
	expect_eq("gettimeofday", res(gettimeofday(&tv, NULL)), 0);
	expect_range("tv_usec", tv.tv_usec, 0, 999999);

	req.tv_sec = 0;
	req.tv_nsec = 1000000000;
	expect_eq("nanosleep tv_nsec = 1e9",
		  __syscall2(SYS_nanosleep, &req, NULL), -EINVAL);
	req.tv_nsec = -1;
	expect_eq("nanosleep tv_nsec = -1",
		  __syscall2(SYS_nanosleep, &req, NULL), -EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	expect_eq("nanosleep tv_sec = -1",
		  __syscall2(SYS_nanosleep, &req, NULL), -EINVAL);
	req.tv_sec = 0;
	req.tv_nsec = 0;
	expect_eq("nanosleep 0", __syscall2(SYS_nanosleep, &req, NULL), 0);
	req.tv_nsec = 1000000;
	m1 = mono_ns();
	expect_eq("nanosleep 1 ms with rem",
		  __syscall2(SYS_nanosleep, &req, &rem), 0);
	m2 = mono_ns();
	expect_true("CLOCK_MONOTONIC advanced across a 1 ms sleep", m2 > m1);
	expect_eq("usleep(1000)", res(usleep(1000)), 0);
}

/* ---- brk / sbrk / malloc ---- */

static void t_brk(void)
{
	struct abi_sysinfo si;
	long b0, f0, f1, big;
	char *p;

	b0 = __syscall1(SYS_brk, 0);
	expect_eq("sbrk(0) is brk(0)", (long)sbrk(0), b0);
	expect_true("the break is above our data", b0 > (long)&pathbuf);
	expect_eq("brk below the heap", __syscall1(SYS_brk, 0x1000), b0);
	expect_eq("brk into the stack", __syscall1(SYS_brk, 0x7fff0000), b0);
	expect_eq("brk to a kernel address", __syscall1(SYS_brk, KADDR), b0);
	expect_eq("brk(-1)", __syscall1(SYS_brk, -1), b0);
	expect_eq("break unchanged", __syscall1(SYS_brk, 0), b0);

	/* several MiB; shrinking gives the pages back (the page-table pages
	 * stay: warm them first) */
	if (!expect_eq("sbrk 4 MiB", (long)sbrk(4 * MIB), b0))
		return;
	sbrk(-4 * MIB);
	f0 = free_pages();
	p = sbrk(4 * MIB);
	expect_eq("sbrk 4 MiB again", (long)p, b0);
	expect_eq("new break", __syscall1(SYS_brk, 0), b0 + 4 * MIB);
	for (long i = 0; i < 4 * MIB; i += PAGE)
		p[i] = i >> 12;
	for (long i = 0; i < 4 * MIB; i += PAGE)
		if (!expect_eq("heap page content", p[i], (char)(i >> 12)))
			break;
	f1 = free_pages();
	expect_range("pages taken by 4 MiB of heap", f0 - f1, 1024, 1026);
	expect_eq("sbrk(-4 MiB)", (long)sbrk(-4 * MIB), b0 + 4 * MIB);
	expect_eq("break after shrinking", __syscall1(SYS_brk, 0), b0);
	expect_eq("free pages after shrinking", free_pages(), f0);
	expect_eq("brk to an unaligned end", __syscall1(SYS_brk, b0 + 5000),
		  b0 + 5000);
	p = (char *)b0;
	p[4999] = 1;
	expect_eq("brk back", __syscall1(SYS_brk, b0), b0);

	/* more than the machine has: refused, break unchanged, nothing lost */
	__syscall1(SYS_sysinfo, &si);
	big = (long)(si.totalram * si.mem_unit) + 16 * MIB;
	if (b0 + big < 0x70000000L) {
		f0 = free_pages();
		expect_eq("brk beyond physical memory",
			  __syscall1(SYS_brk, b0 + big), b0);
		expect_eq("sbrk beyond physical memory", (long)sbrk(big), -1);
		expect_eq("errno", errno, ENOMEM);
		expect_eq("free pages after the failed brk", free_pages(), f0);
		p = sbrk(MIB);
		expect_eq("sbrk works after the failed brk", (long)p, b0);
		if (p != (void *)-1) {
			memset(p, 1, MIB);
			sbrk(-MIB);
		}
	}

	/* malloc */
	p = malloc(6 * MIB);
	if (expect_true("malloc 6 MiB", p != NULL)) {
		for (long i = 0; i < 6 * MIB; i += 512)
			p[i] = i / 512;
		for (long i = 0; i < 6 * MIB; i += 512)
			if (!expect_eq("malloc'd content", p[i],
				       (char)(i / 512)))
				break;
		free(p);
	}
	for (int round = 0; round < 2; round++) {
		char *blk[8];

		for (int i = 0; i < 8; i++) {
			blk[i] = malloc(512 * 1024);
			if (expect_true("malloc 512 KiB", blk[i] != NULL))
				memset(blk[i], i, 512 * 1024);
		}
		for (int i = 0; i < 8; i++) {
			if (blk[i]) {
				expect_eq("block content",
					  blk[i][512 * 1024 - 1], i);
				free(blk[i]);
			}
		}
	}
	p = calloc(1, 3 * MIB);
	if (expect_true("calloc 3 MiB", p != NULL)) {
		for (long i = 0; i < 3 * MIB; i += 4093)
			if (!expect_eq("calloc'd memory is zero", p[i], 0))
				break;
		p = realloc(p, 5 * MIB);
		expect_true("realloc to 5 MiB", p != NULL);
		free(p);
	}
}

/* ---- sysinfo ---- */

static void t_sysinfo(void)
{
	struct abi_sysinfo si, si2;
	long pid;

	memset(&si, 0xff, sizeof(si));
	if (!expect_eq("sysinfo", __syscall1(SYS_sysinfo, &si), 0))
		return;
	expect_eq("mem_unit", si.mem_unit, 4096);
	expect_ge("totalram", si.totalram, 1024);
	expect_ge("freeram", si.freeram, 1);
	expect_true("freeram <= totalram", si.freeram <= si.totalram);
	expect_ge("procs (the driver and this group)", si.procs, 2);
	expect_ge("uptime", si.uptime, 0);
	expect_eq("free_pages() agrees", free_pages(), si.freeram);
	pid = spawn_self("child-sleep", "200", NULL);
	expect_eq("sysinfo again", __syscall1(SYS_sysinfo, &si2), 0);
	expect_eq("procs counts a new child", si2.procs, si.procs + 1);
	expect_true("a child uses memory", si2.freeram < si.freeram);
	expect_eq("totalram is constant", si2.totalram, si.totalram);
	if (pid > 0)
		reap(pid);
	expect_eq("free pages after the child is reaped", free_pages(),
		  si.freeram);
}

/* ---- the IO core ---- */

/* The ring part: /bin/ringtest (its own groups) must pass as a child. */
static void t_ring(void)
{
	int st = -1;
	long pid = res(spawn("/bin/ringtest", (char *[]){ "ringtest", NULL }));

	if (expect_ge("spawn /bin/ringtest", pid, 1)) {
		expect_eq("wait for ringtest", res(waitpid(pid, &st, 0)), pid);
		expect_status("ringtest's status", st, ABI_W_EXITCODE(0, 0));
	}
}

static void t_iocore(void)
{
	expect_eq("iocore_ping(10)", res(iocore_ping(10)), 10);
	expect_eq("iocore_ping(1)", res(iocore_ping(1)), 1);
	expect_eq("iocore_ping(1000)", res(iocore_ping(1000)), 1000);
	expect_eq("iocore_ping(0)", res(iocore_ping(0)), -EINVAL);
	expect_eq("iocore_ping(-1)", res(iocore_ping(-1)), -EINVAL);
	expect_eq("iocore_ping(1000001)", res(iocore_ping(1000001)), -EINVAL);
	expect_eq("raw iocore_ping(3)", __syscall1(SYS_iocore_ping, 3), 3);
}

/* ---- reboot (only refused calls) and unknown numbers ---- */

static void t_reboot(void)
{
	expect_eq("reboot with bad magic1",
		  __syscall4(SYS_reboot, 0x12345678, ABI_REBOOT_MAGIC2,
			     ABI_REBOOT_CMD_POWER_OFF, 0),
		  -EINVAL);
	expect_eq("reboot with bad magic2",
		  __syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, 0x12345678,
			     ABI_REBOOT_CMD_POWER_OFF, 0),
		  -EINVAL);
	expect_eq("reboot with no magic",
		  __syscall4(SYS_reboot, 0, 0, ABI_REBOOT_CMD_POWER_OFF, 0),
		  -EINVAL);
	expect_eq("reboot with a bad command",
		  __syscall4(SYS_reboot, ABI_REBOOT_MAGIC1, ABI_REBOOT_MAGIC2,
			     0x0badc0de, 0),
		  -EINVAL);
}

static void t_nosys(void)
{
	long nrs[] = {9999, 0,	1,	 500, 1999, SYS_MAX_PLUS_ONE,
		      2100, -1, 1L << 40};

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		expect_eq(fmt("syscall %ld", nrs[i]),
			  __syscall3(nrs[i], 1, 2, 3), -ENOSYS);
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
	if (!expect_ge("open hello", res(fd), 3) ||
	    !expect_ge("open /tmp", res(dfd), 3) ||
	    !expect_ge("open ut-efault", res(wfd), 3))
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
		expect_eq(fmt("read into %s", bn[i]),
			  __syscall3(SYS_read, fd, b, 16), -EFAULT);
		expect_eq(fmt("fstat into %s", bn[i]),
			  __syscall2(SYS_fstat, fd, b), -EFAULT);
		expect_eq(fmt("fstat(console) into %s", bn[i]),
			  __syscall2(SYS_fstat, 1, b), -EFAULT);
		expect_eq(fmt("newfstatat into %s", bn[i]),
			  __syscall4(SYS_newfstatat, ABI_AT_FDCWD, HELLO, b, 0),
			  -EFAULT);
		expect_eq(fmt("getdents64 into %s", bn[i]),
			  __syscall3(SYS_getdents64, dfd, b, 512), -EFAULT);
		expect_eq(fmt("clock_gettime(REALTIME) into %s", bn[i]),
			  __syscall2(SYS_clock_gettime, ABI_CLOCK_REALTIME, b),
			  -EFAULT);
		expect_eq(fmt("clock_gettime(MONOTONIC) into %s", bn[i]),
			  __syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC, b),
			  -EFAULT);
		expect_eq(fmt("sysinfo into %s", bn[i]),
			  __syscall1(SYS_sysinfo, b), -EFAULT);
		if (b) { /* NULL is allowed for these */
			/* as Linux: rem is written only when interrupted */
			expect_eq(fmt("nanosleep rem in %s (not written)", bn[i]),
				  __syscall2(SYS_nanosleep, &req, b), 0);
			pid = spawn_self("child-exit", "0", NULL);
			if (pid > 0) {
				expect_eq(fmt("wait4 status in %s", bn[i]),
					  __syscall4(SYS_wait4, pid, b, 0, 0),
					  -EFAULT);
				/* Linux reaps it anyway: either is fine */
				r = res(waitpid(pid, NULL, 0));
				expect_true(fmt("wait4 after EFAULT (got %s)",
						val_str(r)),
					    r == pid || r == -ECHILD);
			}
		}
		if (readable)
			continue;
		/* calls that read user memory */
		expect_eq(fmt("write from %s", bn[i]),
			  __syscall3(SYS_write, wfd, b, 16), -EFAULT);
		expect_eq(fmt("write to the console from %s", bn[i]),
			  __syscall3(SYS_write, 1, b, 16), -EFAULT);
		expect_eq(fmt("openat path %s", bn[i]),
			  __syscall4(SYS_openat, ABI_AT_FDCWD, b, ABI_O_RDONLY,
				     0),
			  -EFAULT);
		expect_eq(fmt("openat(O_CREAT) path %s", bn[i]),
			  __syscall4(SYS_openat, ABI_AT_FDCWD, b,
				     ABI_O_RDWR | ABI_O_CREAT, 0644),
			  -EFAULT);
		expect_eq(fmt("openat(dirfd) path %s", bn[i]),
			  __syscall4(SYS_openat, dfd, b, ABI_O_RDONLY, 0),
			  -EFAULT);
		expect_eq(fmt("mkdirat path %s", bn[i]),
			  __syscall3(SYS_mkdirat, ABI_AT_FDCWD, b, 0755),
			  -EFAULT);
		expect_eq(fmt("unlinkat path %s", bn[i]),
			  __syscall3(SYS_unlinkat, ABI_AT_FDCWD, b, 0),
			  -EFAULT);
		expect_eq(fmt("unlinkat(AT_REMOVEDIR) path %s", bn[i]),
			  __syscall3(SYS_unlinkat, ABI_AT_FDCWD, b,
				     ABI_AT_REMOVEDIR),
			  -EFAULT);
		expect_eq(fmt("newfstatat path %s", bn[i]),
			  __syscall4(SYS_newfstatat, ABI_AT_FDCWD, b, &ks, 0),
			  -EFAULT);
		expect_eq(fmt("nanosleep req %s", bn[i]),
			  __syscall2(SYS_nanosleep, b, 0), -EFAULT);
		expect_eq(fmt("spawn path %s", bn[i]),
			  __syscall2(SYS_spawn, b, 0), -EFAULT);
		if (b) {
			expect_eq(fmt("spawn argv %s", bn[i]),
				  __syscall2(SYS_spawn, SELF, b), -EFAULT);
			argv[0] = "utests";
			argv[1] = (char *)b;
			argv[2] = NULL;
			expect_eq(fmt("spawn argv[1] %s", bn[i]),
				  __syscall2(SYS_spawn, SELF, argv), -EFAULT);
		}
	}
	expect_eq("failed reads left the offset", res(lseek(fd, 0, SEEK_CUR)),
		  0);
	expect_eq("failed writes wrote nothing", fd_size(wfd), 0);
	expect_eq("write from a read-only page works",
		  __syscall3(SYS_write, wfd, RO_ADDR, 16), 16);
	expect_eq("nothing was made by the failed calls",
		  dir_count("/tmp", NULL, NULL), ntmp);

	/* buffers that run off the end of the heap into an unmapped page */
	edge = heap_edge(&undo);
	if (expect_true("heap edge", edge != NULL)) {
		expect_eq("read across the heap end is short",
			  __syscall3(SYS_read, fd, edge - 8, 16), 8);
		expect_mem("short read content", edge - 8, HELLO_TEXT, 8);
		expect_eq("write across the heap end is short",
			  __syscall3(SYS_write, wfd, edge - 8, 16), 8);
		expect_eq("fstat across the heap end",
			  __syscall2(SYS_fstat, fd, edge - 8), -EFAULT);
		expect_eq("clock_gettime across the heap end",
			  __syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC,
				     edge - 8),
			  -EFAULT);
		expect_eq("sysinfo across the heap end",
			  __syscall1(SYS_sysinfo, edge - 64), -EFAULT);
		expect_eq("getdents64 across the heap end returns what fit",
			  __syscall3(SYS_getdents64, dfd, edge - reclen, 64),
			  reclen);
		memset(edge - 8, 'a', 8);
		expect_eq("openat with a path running off the heap",
			  __syscall4(SYS_openat, ABI_AT_FDCWD, edge - 8,
				     ABI_O_RDONLY, 0),
			  -EFAULT);
		expect_eq("spawn with a path running off the heap",
			  __syscall2(SYS_spawn, edge - 8, 0), -EFAULT);
		memcpy(edge - 8, &(char *){"utests"}, 8);
		expect_eq("spawn with argv running off the heap",
			  __syscall2(SYS_spawn, SELF, edge - 8), -EFAULT);
		memset(edge - 8, 0, 8);
		expect_eq("nanosleep req across the heap end",
			  __syscall2(SYS_nanosleep, edge - 8, 0), -EFAULT);
		sbrk(-undo);
	}
	close(fd);
	close(dfd);
	close(wfd);
	expect_eq("unlink", res(unlink("/tmp/ut-efault")), 0);
}

/* ---- the groups ---- */

static const struct group {
	const char *name;
	void (*fn)(void);
} groups[] = {
	{"open", t_open},
	{"openat", t_openat},
	{"paths", t_paths},
	{"rw", t_rw},
	{"lseek", t_lseek},
	{"stat", t_stat},
	{"close", t_close},
	{"unlink", t_unlink},
	{"mkdir", t_mkdir},
	{"dirlist", t_dirlist},
	{"rmdir-open", t_rmdir_open},
	{"emfile", t_emfile},
	{"bigfile", t_bigfile},
	{"fs-full", t_fsfull},
	{"inodes", t_inodes},
	{"spawn", t_spawn},
	{"spawn-elf", t_spawn_elf},
	{"wait", t_wait},
	{"fault-kill", t_kill},
	{"getpid", t_getpid},
	{"eagain", t_eagain},
	{"sched", t_sched},
	{"time", t_time},
	{"brk", t_brk},
	{"sysinfo", t_sysinfo},
	{"iocore", t_iocore},
	{"ring", t_ring},
	{"reboot", t_reboot},
	{"nosys", t_nosys},
	{"efault", t_efault},
};

#define NGROUPS (int)(sizeof(groups) / sizeof(groups[0]))

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
	if (!strcmp(cmd, "child-sleep")) {
		sleep_ms(a);
		return 0;
	}
	if (!strcmp(cmd, "child-spin")) {
		long until = mono_ns() + a * 1000000;

		while (mono_ns() < until)
			;
		return 0;
	}
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
	if (!strcmp(cmd, "run") && argc > 2) {
		for (int i = 0; i < NGROUPS; i++) {
			if (!strcmp(groups[i].name, argv[2])) {
				test_name = groups[i].name;
				groups[i].fn();
				return nfail ? 1 : 0;
			}
		}
	}
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

/* Leftovers /tmp/ut-*: reported and removed; the count. */
static int cleanup(void)
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
			fail(fmt("leftover %.60s", name), "present", "removed");
		rm_rf(name);
		if (n > 1000)
			break;
	}
	return n;
}

static bool run_group(const struct group *g)
{
	char *argv[] = {"utests", "run", (char *)g->name, NULL};
	int st = -1;
	long pid, r;

	pid = res(spawn(SELF, argv));
	test_name = g->name;
	if (pid < 0) {
		fail("spawn the group", val_str(pid), "a pid");
		return false;
	}
	r = res(waitpid(pid, &st, 0));
	if (r != pid) {
		fail("waitpid for the group", val_str(r), val_str(pid));
		return false;
	}
	if (st == ABI_W_EXITCODE(0, 0))
		return true;
	if (st != ABI_W_EXITCODE(1, 0)) /* 1: it printed its FAIL lines */
		fail("the group's process ended abnormally", status_str(st),
		     "exit 0");
	return false;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, st;
	bool all = argc < 2;
	long base, end;
	DIR *d;

	if (argc >= 2 &&
	    (!strncmp(argv[1], "child-", 6) || !strcmp(argv[1], "run")))
		return child_main(argc, argv);

	/* warm-up: what libc allocates lazily (the DIR for opendir) */
	d = opendir("/tmp");
	if (d)
		closedir(d);
	printf("utests: pid %d, %d groups\n", (int)getpid(), NGROUPS);
	base = free_pages();

	for (int i = 0; i < NGROUPS; i++) {
		bool want = all;

		for (int j = 1; j < argc; j++)
			if (!strcmp(argv[j], groups[i].name))
				want = true;
		if (!want)
			continue;
		if (run_group(&groups[i])) {
			printf("ok %s\n", groups[i].name);
			passed++;
		} else {
			failed++;
		}
	}

	/* files left behind */
	test_name = "cleanup";
	nfail = 0;
	cleanup();
	if (nfail) {
		failed++;
	} else {
		printf("ok cleanup\n");
		passed++;
	}

	/* reap orphans given to us (when we are init) */
	while (waitpid(-1, &st, 0) > 0)
		;

	test_name = "leak-check";
	end = free_pages();
	if (expect_eq("free pages at the end vs the start", end, base)) {
		printf("ok leak-check\n");
		passed++;
	} else {
		failed++;
	}
	printf("utests: passed=%d failed=%d\n", passed, failed);
	return failed ? 1 : 0;
}
