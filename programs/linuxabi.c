/*
 * linuxabi: the Linux start-up ABI and the identity, limit and
 * registration calls a Linux C library makes, checked through raw system
 * calls (the kernel's exact results, not libuser's translation): the
 * auxiliary vector on the initial stack, uname, the ids, gettid,
 * set_tid_address, set_robust_list/get_robust_list, getrlimit/setrlimit/
 * prlimit64, sched_getaffinity, gettimeofday, getrandom, ioctl on the
 * console and on files, readlinkat, -ENOSYS for an unknown number; pipes
 * (pipe2, blocking and not, end of file, EPIPE, atomic writes, a child
 * reading what the parent writes), dup, dup3 and fcntl; ppoll and pselect6
 * (pipes, a child's late write, the console, files, devices, errors), the
 * device files under /dev, eventfd2, clock_nanosleep; symbolic links
 * (symlinkat, readlinkat, lstat, O_NOFOLLOW, ELOOP), renameat2, linkat,
 * utimensat, fchmodat/fchmod, faccessat, umask, sync/fsync, getgroups.
 * A KTAP suite (ktest.h): pytests/test_linux.py runs it.
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/abi.h>
#include <uapi/errno.h>
#include <uapi/syscalls.h>

#include "ktest.h"

static char **saved_envp;
static const char *saved_argv0;

/* the value of an auxiliary vector entry, or def when it is absent */
static uint64_t aux(uint64_t tag, uint64_t def)
{
	char **e = saved_envp;

	while (*e)
		e++;
	for (uint64_t *a = (uint64_t *)(e + 1); a[0]; a += 2)
		if (a[0] == tag)
			return a[1];
	return def;
}

extern char _start[];

static void t_auxv(void)
{
	const uint64_t *phdr = (const uint64_t *)aux(3, 0); /* AT_PHDR */
	const uint8_t *rnd = (const uint8_t *)aux(25, 0);   /* AT_RANDOM */
	const char *execfn = (const char *)aux(31, 0);	    /* AT_EXECFN */
	uint64_t phnum = aux(5, 0);
	bool load_seen = false, any = false;

	expect_eq(aux(6, 0), 4096, "AT_PAGESZ");
	expect_eq(aux(4, 0), 56, "AT_PHENT (sizeof(Elf64_Phdr))");
	expect_eq(aux(9, 0), (uint64_t)_start, "AT_ENTRY is _start");
	expect_eq(aux(7, 1), 0, "AT_BASE (no interpreter)");
	expect_eq(aux(23, 1), 0, "AT_SECURE");
	expect_eq(aux(11, 1) | aux(12, 1) | aux(13, 1) | aux(14, 1), 0,
		  "AT_UID AT_EUID AT_GID AT_EGID");
	expect_eq(aux(17, 0), 100, "AT_CLKTCK");
	/* IMAFDC: a, c, d, f, i, m */
	expect_eq(aux(16, 0), 0x112d, "AT_HWCAP");
	if (expect_true(execfn != NULL, "AT_EXECFN"))
		expect_true(!strcmp(execfn, "/bin/linuxabi"),
			    "AT_EXECFN is %s, want /bin/linuxabi", execfn);
	if (expect_true(rnd != NULL, "AT_RANDOM")) {
		for (int i = 0; i < 16; i++)
			any |= rnd[i] != 0;
		expect_true(any, "AT_RANDOM's 16 bytes are not all zero");
	}
	/* AT_PHNUM is the ELF header's; AT_PHDR, where the headers are in
	 * memory if a PT_LOAD holds them (else 0, as Linux), shows them */
	int fd = open("/bin/linuxabi", O_RDONLY);
	uint8_t eh[64];

	if (expect_true(fd >= 0, "open /bin/linuxabi") &&
	    expect_eq(read(fd, eh, sizeof(eh)), 64, "its ELF header")) {
		uint16_t e_phnum = eh[56] | eh[57] << 8;

		expect_eq(phnum, e_phnum, "AT_PHNUM is e_phnum");
	}
	if (fd >= 0)
		close(fd);
	if (phdr) {
		for (uint64_t i = 0; i < phnum; i++)
			load_seen |= (uint32_t)phdr[i * 7] == 1; /* PT_LOAD */
		expect_true(load_seen,
			    "a PT_LOAD among the headers at AT_PHDR");
	}
	/* argv[0] is the path the program was started with */
	expect_true(strstr(saved_argv0, "linuxabi") != NULL, "argv[0] %s",
		    saved_argv0);
}

static void t_uname(void)
{
	struct abi_utsname u;

	memset(&u, 0x55, sizeof(u));
	expect_eq(__syscall1(SYS_uname, &u), 0, "uname");
	expect_true(!strcmp(u.sysname, "Linux"), "sysname %s", u.sysname);
	expect_true(!strcmp(u.machine, "riscv64"), "machine %s", u.machine);
	expect_true(u.release[0] >= '3' && u.release[1] == '.',
		    "release %s (glibc wants >= 3.2)", u.release);
	expect_errno(__syscall1(SYS_uname, (void *)0x10), -EFAULT,
		     "bad pointer");
}

static void t_ids(void)
{
	expect_eq(__syscall0(SYS_getuid), 0, "getuid");
	expect_eq(__syscall0(SYS_geteuid), 0, "geteuid");
	expect_eq(__syscall0(SYS_getgid), 0, "getgid");
	expect_eq(__syscall0(SYS_getegid), 0, "getegid");
	expect_eq(__syscall0(SYS_gettid), __syscall0(SYS_getpid),
		  "gettid is the pid");
}

static void t_tid_robust(void)
{
	int tid_word;
	uint64_t head[3], got = 0, len = 0;

	expect_eq(__syscall1(SYS_set_tid_address, &tid_word),
		  __syscall0(SYS_getpid), "set_tid_address returns the tid");
	expect_errno(__syscall2(SYS_set_robust_list, head, 16), -EINVAL,
		     "set_robust_list with len 16");
	expect_eq(__syscall2(SYS_set_robust_list, head, 24), 0,
		  "set_robust_list");
	expect_eq(__syscall3(SYS_get_robust_list, 0, &got, &len), 0,
		  "get_robust_list");
	expect_eq(got, (uint64_t)head, "the head registered");
	expect_eq(len, 24, "its length");
	expect_errno(__syscall3(SYS_get_robust_list, 99999, &got, &len), -ESRCH,
		     "get_robust_list of no process");
	expect_errno(__syscall3(SYS_get_robust_list, 0, (void *)0x10, &len),
		     -EFAULT, "get_robust_list to a bad pointer");
}

static void t_rlimits(void)
{
	struct abi_rlimit r, old, big;

	expect_eq(__syscall2(SYS_getrlimit, ABI_RLIMIT_NOFILE, &r), 0,
		  "getrlimit(NOFILE)");
	expect_true(r.rlim_cur > 3 && r.rlim_cur <= r.rlim_max,
		    "NOFILE %lu/%lu", (unsigned long)r.rlim_cur,
		    (unsigned long)r.rlim_max);
	expect_eq(__syscall2(SYS_getrlimit, ABI_RLIMIT_STACK, &r), 0,
		  "getrlimit(STACK)");
	expect_true(r.rlim_cur >= 65536, "a stack of at least 64 KiB");
	expect_errno(__syscall2(SYS_getrlimit, 16, &r), -EINVAL, "resource 16");
	expect_errno(__syscall2(SYS_getrlimit, ABI_RLIMIT_CORE, (void *)0x10),
		     -EFAULT, "bad pointer");
	/* set, read back with prlimit64's old value */
	r = (struct abi_rlimit){1000, 2000};
	expect_eq(__syscall2(SYS_setrlimit, ABI_RLIMIT_CPU, &r), 0,
		  "setrlimit(CPU)");
	expect_eq(__syscall4(SYS_prlimit64, 0, ABI_RLIMIT_CPU, 0, &old), 0,
		  "prlimit64 old only");
	expect_true(old.rlim_cur == 1000 && old.rlim_max == 2000,
		    "CPU limits read back %lu/%lu", (unsigned long)old.rlim_cur,
		    (unsigned long)old.rlim_max);
	r = (struct abi_rlimit){3000, 2000};
	expect_errno(__syscall2(SYS_setrlimit, ABI_RLIMIT_CPU, &r), -EINVAL,
		     "soft above hard");
	big = (struct abi_rlimit){1UL << 20, 1UL << 20};
	expect_errno(__syscall4(SYS_prlimit64, 0, ABI_RLIMIT_NOFILE, &big, 0),
		     -EPERM, "NOFILE beyond the fd table");
	expect_errno(__syscall4(SYS_prlimit64, 99999, ABI_RLIMIT_CPU, 0, &old),
		     -ESRCH, "prlimit64 of no process");
	expect_eq(__syscall4(SYS_prlimit64, __syscall0(SYS_getpid),
			     ABI_RLIMIT_CPU, 0, &old),
		  0, "prlimit64 of itself by pid");
}

static void t_affinity(void)
{
	uint64_t mask[2] = {0, 0};

	expect_eq(__syscall3(SYS_sched_getaffinity, 0, sizeof(mask), mask), 8,
		  "sched_getaffinity: 8 bytes");
	expect_eq(mask[0], 1, "CPU 0 only");
	expect_errno(__syscall3(SYS_sched_getaffinity, 0, 4, mask), -EINVAL,
		     "len 4");
	expect_errno(__syscall3(SYS_sched_getaffinity, 0, 12, mask), -EINVAL,
		     "len 12");
	expect_errno(__syscall3(SYS_sched_getaffinity, 99999, 8, mask), -ESRCH,
		     "no such process");
	expect_errno(__syscall3(SYS_sched_getaffinity, 0, 8, (void *)0x10),
		     -EFAULT, "bad pointer");
}

static void t_gettimeofday(void)
{
	struct abi_timeval a, b;
	struct abi_timezone tz = {7, 7};

	expect_eq(__syscall2(SYS_gettimeofday, &a, &tz), 0, "gettimeofday");
	expect_true(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0,
		    "the time zone is zeros");
	expect_true(a.tv_usec >= 0 && a.tv_usec < 1000000, "tv_usec range");
	expect_eq(__syscall2(SYS_gettimeofday, &b, 0), 0, "no tz");
	expect_true(b.tv_sec > a.tv_sec ||
			    (b.tv_sec == a.tv_sec && b.tv_usec >= a.tv_usec),
		    "the time does not go back");
	expect_eq(__syscall2(SYS_gettimeofday, 0, 0), 0, "both NULL");
	expect_errno(__syscall2(SYS_gettimeofday, (void *)0x10, 0), -EFAULT,
		     "bad pointer");
}

static void t_getrandom(void)
{
	uint8_t a[64], b[64];
	static uint8_t big[70000];
	int same = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	expect_eq(__syscall3(SYS_getrandom, a, sizeof(a), 0), 64, "64 bytes");
	expect_eq(__syscall3(SYS_getrandom, b, sizeof(b), 1), 64,
		  "GRND_NONBLOCK");
	for (int i = 0; i < 64; i++)
		same += a[i] == b[i];
	expect_true(same < 16, "two draws differ (%d bytes alike)", same);
	expect_eq(__syscall3(SYS_getrandom, big, sizeof(big), 4),
		  (long)sizeof(big), "GRND_INSECURE, 70000 bytes");
	expect_eq(__syscall3(SYS_getrandom, a, 0, 0), 0, "length 0");
	expect_errno(__syscall3(SYS_getrandom, a, 8, 8), -EINVAL,
		     "an unknown flag");
	expect_errno(__syscall3(SYS_getrandom, a, 8, 6), -EINVAL,
		     "GRND_RANDOM | GRND_INSECURE");
	expect_errno(__syscall3(SYS_getrandom, (void *)0x10, 8, 0), -EFAULT,
		     "bad pointer");
}

static void t_ioctl(void)
{
	struct abi_termios t;
	struct abi_winsize ws;
	int fd;

	expect_eq(__syscall3(SYS_ioctl, 0, ABI_TCGETS, &t), 0,
		  "TCGETS on the console");
	expect_true(t.c_lflag & 2, "ICANON set");
	expect_eq(__syscall3(SYS_ioctl, 1, ABI_TIOCGWINSZ, &ws), 0,
		  "TIOCGWINSZ on the console");
	expect_true(ws.ws_row == 24 && ws.ws_col == 80, "24x80");
	expect_errno(__syscall3(SYS_ioctl, 0, ABI_TCGETS, (void *)0x10),
		     -EFAULT, "TCGETS to a bad pointer");
	expect_errno(__syscall3(SYS_ioctl, 0, 0x1234, 0), -ENOTTY,
		     "an unknown request on the console");
	fd = open("/data/hello.txt", O_RDONLY);
	if (expect_true(fd >= 0, "open /data/hello.txt")) {
		expect_errno(__syscall3(SYS_ioctl, fd, ABI_TCGETS, &t), -ENOTTY,
			     "TCGETS on a file");
		close(fd);
	}
	expect_errno(__syscall3(SYS_ioctl, 99, ABI_TCGETS, &t), -EBADF,
		     "a bad fd");
}

static void t_readlinkat(void)
{
	char buf[64];

	expect_errno(__syscall4(SYS_readlinkat, ABI_AT_FDCWD, "/data/hello.txt",
				buf, sizeof(buf)),
		     -EINVAL, "a file is not a symbolic link");
	expect_errno(__syscall4(SYS_readlinkat, ABI_AT_FDCWD, "/proc/self/exe",
				buf, sizeof(buf)),
		     -ENOENT, "/proc/self/exe (no /proc)");
	expect_errno(__syscall4(SYS_readlinkat, ABI_AT_FDCWD, "/data/hello.txt",
				buf, 0),
		     -EINVAL, "bufsiz 0");
	expect_errno(__syscall4(SYS_readlinkat, ABI_AT_FDCWD, (void *)0x10, buf,
				sizeof(buf)),
		     -EFAULT, "a bad path pointer");
	expect_errno(__syscall4(SYS_readlinkat, 99, "x", buf, sizeof(buf)),
		     -EBADF, "a relative path from a bad dirfd");
	expect_errno(
		__syscall4(SYS_readlinkat, ABI_AT_FDCWD, "", buf, sizeof(buf)),
		-EINVAL, "an empty path: the cwd, not a link");
}

static void t_enosys(void)
{
	expect_errno(__syscall0(1999), -ENOSYS, "syscall 1999");
	expect_errno(__syscall0(1999), -ENOSYS, "syscall 1999 again");
	expect_errno(__syscall0(5000000), -ENOSYS, "syscall 5000000");
}

#define PIPE_CAP 65536

/* a child's half of t_pipe: read fd to the end; exit 0 if the bytes are
 * the pattern and there are want of them */
static int pipe_reader(int fd, long want)
{
	static unsigned char buf[3000];
	long got = 0;
	long n;

	while ((n = __syscall3(SYS_read, fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++)
			if (buf[i] != (unsigned char)((got + i) * 7))
				return 2;
		got += n;
	}
	return n == 0 && got == want ? 0 : 3;
}

static void t_pipe(void)
{
	int fds[2], st;
	char buf[16];
	static unsigned char big[200000];
	struct abi_stat ks;
	int avail = -1;
	long pid, n;

	expect_errno(__syscall2(SYS_pipe2, fds, 0x40), -EINVAL, "an unknown flag");
	expect_errno(__syscall2(SYS_pipe2, (void *)0x10, 0), -EFAULT,
		     "a bad pointer");
	if (!expect_eq(__syscall2(SYS_pipe2, fds, 0), 0, "pipe2"))
		return;
	expect_eq(__syscall3(SYS_write, fds[1], "hello", 5), 5, "write 5");
	expect_eq(__syscall3(SYS_ioctl, fds[0], ABI_FIONREAD, &avail), 0,
		  "FIONREAD");
	expect_eq(avail, 5, "5 bytes to read");
	expect_eq(__syscall3(SYS_read, fds[0], buf, 3), 3, "read 3 of 5");
	expect_eq(__syscall3(SYS_read, fds[0], buf + 3, 16), 2, "read the rest");
	expect_true(!memcmp(buf, "hello", 5), "the bytes");
	expect_eq(__syscall2(SYS_fstat, fds[0], &ks), 0, "fstat");
	expect_eq(ks.st_mode & ABI_S_IFMT, ABI_S_IFIFO, "S_IFIFO");
	expect_errno(__syscall3(SYS_lseek, fds[0], 0, 0), -ESPIPE, "lseek");
	expect_errno(__syscall4(SYS_pread64, fds[0], buf, 1, 0), -ESPIPE,
		     "pread64");
	expect_errno(__syscall3(SYS_read, fds[1], buf, 1), -EBADF,
		     "read the write end");
	expect_errno(__syscall3(SYS_write, fds[0], "x", 1), -EBADF,
		     "write the read end");
	/* a child reads 200000 bytes while the parent writes them: both wait */
	for (long i = 0; i < (long)sizeof(big); i++)
		big[i] = (unsigned char)(i * 7);
	/* the child must not inherit the write end, or it never sees EOF */
	expect_eq(__syscall3(SYS_fcntl, fds[1], 2, 1), 0, "F_SETFD FD_CLOEXEC");
	snprintf(buf, sizeof(buf), "%d", fds[0]);
	pid = spawn("/bin/linuxabi",
		    (char *const[]){ "linuxabi", "pipe-reader", buf, NULL });
	if (!expect_true(pid > 0, "spawn the reader"))
		return;
	close(fds[0]);
	n = __syscall3(SYS_write, fds[1], big, sizeof(big));
	expect_eq(n, sizeof(big), "one write of 200000 bytes, in pieces");
	close(fds[1]);
	expect_eq(waitpid(pid, &st, 0), pid, "wait for the reader");
	expect_true(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "the reader saw every byte (status %#x)", st);

	/* end of file, EPIPE, O_NONBLOCK */
	if (!expect_eq(__syscall2(SYS_pipe2, fds, ABI_O_NONBLOCK), 0,
		       "pipe2(O_NONBLOCK)"))
		return;
	expect_errno(__syscall3(SYS_read, fds[0], buf, 1), -EAGAIN,
		     "reading an empty non-blocking pipe");
	n = __syscall3(SYS_write, fds[1], big, sizeof(big));
	expect_eq(n, PIPE_CAP, "a non-blocking write fills 64 KiB");
	expect_errno(__syscall3(SYS_write, fds[1], "x", 1), -EAGAIN,
		     "writing a full non-blocking pipe");
	expect_eq(__syscall3(SYS_read, fds[0], big, 100), 100, "read 100");
	expect_errno(__syscall3(SYS_write, fds[1], big, 4096), -EAGAIN,
		     "4096 bytes (PIPE_BUF) go in whole or not at all");
	expect_eq(__syscall3(SYS_write, fds[1], big, 100), 100,
		  "100 bytes fit");
	close(fds[1]);
	n = 0;
	while (__syscall3(SYS_read, fds[0], big, sizeof(big)) > 0)
		n++;
	expect_eq(__syscall3(SYS_read, fds[0], buf, 1), 0,
		  "end of file once the writer is gone");
	close(fds[0]);
	if (!expect_eq(__syscall2(SYS_pipe2, fds, ABI_O_CLOEXEC), 0,
		       "pipe2(O_CLOEXEC)"))
		return;
	expect_eq(__syscall3(SYS_fcntl, fds[0], 1, 0), 1, "FD_CLOEXEC set");
	close(fds[0]);
	/* as on Linux, the write raises SIGPIPE: ignored here */
	uint64_t ign[3] = { ABI_SIG_IGN, 0, 0 };

	expect_eq(__syscall4(SYS_rt_sigaction, ABI_SIGPIPE, ign, 0, 8), 0,
		  "SIGPIPE ignored");
	expect_errno(__syscall3(SYS_write, fds[1], "x", 1), -EPIPE,
		     "writing with no reader");
	close(fds[1]);
}

static void t_dup(void)
{
	int fd = open("/data/hello.txt", O_RDONLY), d, d2;
	char a[4], b[4];

	if (!expect_true(fd >= 0, "open"))
		return;
	d = __syscall1(SYS_dup, fd);
	expect_true(d > fd, "dup gives the lowest free fd (%d)", d);
	expect_eq(read(fd, a, 4), 4, "read 4 from the original");
	expect_eq(read(d, b, 4), 4, "read 4 from the duplicate");
	expect_true(!memcmp(b, "o fr", 4), "the offset is shared");
	expect_errno(__syscall1(SYS_dup, 99), -EBADF, "dup of a bad fd");
	d2 = 20;
	expect_eq(__syscall3(SYS_dup3, fd, d2, ABI_O_CLOEXEC), d2, "dup3 to 20");
	expect_eq(__syscall3(SYS_fcntl, d2, 1, 0), 1, "dup3's O_CLOEXEC");
	expect_eq(__syscall3(SYS_dup3, d, d2, 0), d2, "dup3 over an open fd");
	expect_eq(__syscall3(SYS_fcntl, d2, 1, 0), 0, "no FD_CLOEXEC now");
	expect_errno(__syscall3(SYS_dup3, fd, fd, 0), -EINVAL,
		     "dup3 to itself");
	expect_errno(__syscall3(SYS_dup3, fd, 21, 1), -EINVAL, "a bad flag");
	expect_errno(__syscall3(SYS_dup3, fd, 9999, 0), -EBADF,
		     "newfd beyond the table");
	expect_errno(__syscall3(SYS_dup3, 99, 22, 0), -EBADF, "a bad oldfd");
	close(d2);
	close(d);
	close(fd);
}

static void t_fcntl(void)
{
	int fd = open("/tmp/fcntl.txt", O_CREAT | O_RDWR | O_APPEND, 0644), d;
	long fl;

	if (!expect_true(fd >= 0, "open"))
		return;
	fl = __syscall3(SYS_fcntl, fd, 3, 0);
	expect_eq(fl & (ABI_O_ACCMODE | ABI_O_APPEND | ABI_O_NONBLOCK),
		  ABI_O_RDWR | ABI_O_APPEND, "F_GETFL");
	expect_eq(__syscall3(SYS_fcntl, fd, 4, ABI_O_NONBLOCK | ABI_O_RDONLY),
		  0, "F_SETFL O_NONBLOCK");
	fl = __syscall3(SYS_fcntl, fd, 3, 0);
	expect_eq(fl & (ABI_O_ACCMODE | ABI_O_APPEND | ABI_O_NONBLOCK),
		  ABI_O_RDWR | ABI_O_NONBLOCK,
		  "O_NONBLOCK on, O_APPEND off, the access mode kept");
	d = __syscall3(SYS_fcntl, fd, 0, 10);
	expect_true(d >= 10, "F_DUPFD >= 10 (%d)", d);
	expect_eq(__syscall3(SYS_fcntl, d, 3, 0) & ABI_O_NONBLOCK,
		  ABI_O_NONBLOCK, "the duplicate shares the status flags");
	expect_eq(__syscall3(SYS_fcntl, d, 1, 0), 0, "F_DUPFD: no FD_CLOEXEC");
	close(d);
	d = __syscall3(SYS_fcntl, fd, 1030, 0);
	expect_eq(__syscall3(SYS_fcntl, d, 1, 0), 1, "F_DUPFD_CLOEXEC");
	expect_eq(__syscall3(SYS_fcntl, d, 2, 0), 0, "F_SETFD 0");
	expect_eq(__syscall3(SYS_fcntl, d, 1, 0), 0, "F_GETFD after it");
	close(d);
	expect_errno(__syscall3(SYS_fcntl, fd, 0, 9999), -EINVAL,
		     "F_DUPFD beyond the table");
	expect_errno(__syscall3(SYS_fcntl, fd, 12345, 0), -EINVAL,
		     "an unknown command");
	expect_errno(__syscall3(SYS_fcntl, 99, 3, 0), -EBADF, "a bad fd");
	expect_errno(__syscall3(SYS_fcntl, 99, 1, 0), -EBADF,
		     "F_GETFD of a bad fd");
	close(fd);
	unlink("/tmp/fcntl.txt");
}

/* ---- ppoll, pselect6, device files, eventfd, clock_nanosleep ---- */

#define AT_CWD (-100)
#define sys5(n, a, b, c, d, e)                                                 \
	__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define sys6(n, a, b, c, d, e, f)                                              \
	__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e),   \
		   (long)(f))
#define NO_MASK 0

static long now_ns(long clk)
{
	struct abi_timespec ts;

	__syscall2(SYS_clock_gettime, clk, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static long ppoll1(struct abi_pollfd *p, long n, long ms)
{
	struct abi_timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	return sys5(SYS_ppoll, p, n, ms < 0 ? NULL : &ts, NO_MASK, 8);
}

/* a child's half of t_poll_child and t_eventfd: after ms, write to fd
 * (a byte, or an eventfd value) and exit */
static int late_writer(int fd, long ms, long val)
{
	struct abi_timespec ts = { 0, ms * 1000000L };

	__syscall2(SYS_nanosleep, &ts, NULL);
	if (val)
		return __syscall3(SYS_write, fd, &val, 8) == 8 ? 0 : 2;
	return __syscall3(SYS_write, fd, "x", 1) == 1 ? 0 : 2;
}

static void t_poll_pipe(void)
{
	int fds[2];
	struct abi_pollfd p[4];
	struct abi_timespec ts;
	struct abi_rlimit rl;
	static char big[65536];
	char buf[8];
	long t0, n;

	if (!expect_eq(__syscall2(SYS_pipe2, fds, 0), 0, "pipe2"))
		return;
	p[0] = (struct abi_pollfd){ fds[0], ABI_POLLIN, -1 };
	p[1] = (struct abi_pollfd){ fds[1], ABI_POLLOUT, -1 };
	expect_eq(ppoll1(p, 2, 0), 1, "timeout 0: only the write end ready");
	expect_eq(p[0].revents, 0, "an empty pipe is not readable");
	expect_eq(p[1].revents, ABI_POLLOUT, "the write end: POLLOUT");

	t0 = now_ns(ABI_CLOCK_MONOTONIC);
	ts = (struct abi_timespec){ 0, 50000000 };
	expect_eq(sys5(SYS_ppoll, p, 1, &ts, NO_MASK, 8), 0,
		  "50 ms with nothing to read: 0");
	expect_true(now_ns(ABI_CLOCK_MONOTONIC) - t0 >= 50000000,
		    "returned after at least 50 ms");
	expect_true(ts.tv_sec == 0 && ts.tv_nsec == 0,
		    "the time left written back: 0 (%ld.%09ld)",
		    (long)ts.tv_sec, (long)ts.tv_nsec);

	expect_eq(__syscall3(SYS_write, fds[1], "abc", 3), 3, "write 3");
	p[0].events = ABI_POLLIN | ABI_POLLRDNORM;
	ts = (struct abi_timespec){ 5, 0 };
	expect_eq(sys5(SYS_ppoll, p, 1, &ts, NO_MASK, 8), 1,
		  "readable after a write");
	expect_eq(p[0].revents, ABI_POLLIN | ABI_POLLRDNORM,
		  "POLLIN | POLLRDNORM");
	expect_true(ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0),
		    "most of the 5 s left written back (%ld s)",
		    (long)ts.tv_sec);
	p[0].events = ABI_POLLOUT;
	expect_eq(ppoll1(p, 1, 0), 0, "POLLOUT asked of the read end: 0");
	close(fds[1]);
	p[0].events = ABI_POLLIN;
	expect_eq(ppoll1(p, 1, -1), 1, "writer gone, data left");
	expect_eq(p[0].revents, ABI_POLLIN | ABI_POLLHUP, "POLLIN | POLLHUP");
	expect_eq(__syscall3(SYS_read, fds[0], buf, 8), 3, "read the 3");
	p[0].events = 0;
	expect_eq(ppoll1(p, 1, -1), 1, "events 0: POLLHUP still reported");
	expect_eq(p[0].revents, ABI_POLLHUP, "POLLHUP alone at end of file");
	close(fds[0]);

	/* POLLERR: the write end without readers; a full pipe: no POLLOUT */
	if (!expect_eq(__syscall2(SYS_pipe2, fds, ABI_O_NONBLOCK), 0, "pipe2"))
		return;
	p[1] = (struct abi_pollfd){ fds[1], ABI_POLLOUT, -1 };
	expect_eq(__syscall3(SYS_write, fds[1], big, sizeof(big)), sizeof(big),
		  "fill the pipe");
	expect_eq(ppoll1(&p[1], 1, 0), 0, "a full pipe is not writable");
	expect_eq(__syscall3(SYS_read, fds[0], big, 100), 100, "read 100");
	expect_eq(ppoll1(&p[1], 1, 0), 0,
		  "100 bytes of room: still not (PIPE_BUF)");
	expect_eq(__syscall3(SYS_read, fds[0], big, 8192), 8192, "read 8192");
	expect_eq(ppoll1(&p[1], 1, 0), 1, "room for PIPE_BUF: writable");
	close(fds[0]);
	expect_eq(ppoll1(&p[1], 1, 0), 1, "no readers");
	expect_eq(p[1].revents, ABI_POLLOUT | ABI_POLLERR,
		  "POLLOUT | POLLERR without readers");

	/* a negative fd is skipped, a closed one is POLLNVAL */
	p[0] = (struct abi_pollfd){ -1, ABI_POLLIN, -1 };
	p[2] = (struct abi_pollfd){ 31, ABI_POLLIN, -1 };
	expect_eq(ppoll1(p, 3, 0), 2, "POLLERR and POLLNVAL count");
	expect_eq(p[0].revents, 0, "a negative fd: revents 0");
	expect_eq(p[2].revents, ABI_POLLNVAL, "a closed fd: POLLNVAL");
	close(fds[1]);

	/* errors */
	expect_eq(__syscall2(SYS_getrlimit, ABI_RLIMIT_NOFILE, &rl), 0,
		  "getrlimit");
	expect_errno(sys5(SYS_ppoll, p, rl.rlim_cur + 1, NULL, 0, 8),
		     -EINVAL, "nfds over RLIMIT_NOFILE");
	expect_errno(sys5(SYS_ppoll, (void *)0x10, 1, NULL, 0, 8),
		     -EFAULT, "a bad pollfd pointer");
	ts = (struct abi_timespec){ 0, 1000000000 };
	expect_errno(sys5(SYS_ppoll, p, 1, &ts, 0, 8), -EINVAL,
		     "tv_nsec 1e9");
	expect_errno(sys5(SYS_ppoll, p, 1, (void *)0x10, 0, 8), -EFAULT,
		     "a bad timespec pointer");
	n = 0;
	expect_errno(sys5(SYS_ppoll, p, 1, NULL, &n, 4), -EINVAL,
		     "sigsetsize 4");
	ts = (struct abi_timespec){ 0, 0 };
	expect_eq(sys5(SYS_ppoll, NULL, 0, &ts, &n, 8), 0,
		  "no fds, timeout 0, a mask: 0");
}

static void t_poll_child(void)
{
	int fds[2], st;
	struct abi_pollfd p;
	char buf[16];
	long pid;

	if (!expect_eq(__syscall2(SYS_pipe2, fds, 0), 0, "pipe2"))
		return;
	snprintf(buf, sizeof(buf), "%d", fds[1]);
	pid = spawn("/bin/linuxabi",
		    (char *const[]){ "linuxabi", "late-writer", buf, NULL });
	if (!expect_true(pid > 0, "spawn the writer"))
		return;
	close(fds[1]);
	p = (struct abi_pollfd){ fds[0], ABI_POLLIN, -1 };
	expect_eq(ppoll1(&p, 1, 10000), 1, "woken by the child's write");
	expect_eq(p.revents & ABI_POLLIN, ABI_POLLIN, "POLLIN");
	expect_eq(__syscall3(SYS_read, fds[0], buf, 16), 1, "read its byte");
	expect_eq(waitpid(pid, &st, 0), pid, "wait for the writer");
	expect_true(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer wrote");
	expect_eq(ppoll1(&p, 1, -1), 1, "then the child's exit hangs up");
	expect_eq(p.revents, ABI_POLLHUP, "POLLHUP");
	close(fds[0]);
}

static void t_poll_files(void)
{
	struct abi_pollfd p[3];
	int fd;

	p[0] = (struct abi_pollfd){ 1, ABI_POLLOUT | ABI_POLLIN, -1 };
	expect_eq(ppoll1(p, 1, 0), 1, "the console");
	expect_eq(p[0].revents, ABI_POLLOUT, "the console: POLLOUT, no input");
	fd = __syscall4(SYS_openat, AT_CWD, "/tmp/poll.txt",
			ABI_O_RDWR | ABI_O_CREAT, 0644);
	if (!expect_true(fd >= 0, "create a file"))
		return;
	p[1] = (struct abi_pollfd){ fd, ABI_POLLIN | ABI_POLLOUT, -1 };
	expect_eq(ppoll1(&p[1], 1, -1), 1, "a file is always ready");
	expect_eq(p[1].revents, ABI_POLLIN | ABI_POLLOUT, "POLLIN | POLLOUT");
	close(fd);
	unlink("/tmp/poll.txt");
	fd = __syscall4(SYS_openat, AT_CWD, "/dev/null", ABI_O_RDWR, 0);
	p[2] = (struct abi_pollfd){ fd, ABI_POLLIN | ABI_POLLOUT, -1 };
	expect_eq(ppoll1(&p[2], 1, -1), 1, "/dev/null");
	expect_eq(p[2].revents, ABI_POLLIN | ABI_POLLOUT, "POLLIN | POLLOUT");
	close(fd);
}

static void t_pselect(void)
{
	int fds[2];
	uint64_t rd, wr, ex;
	struct abi_timespec ts = { 0, 0 };
	long t0;

	if (!expect_eq(__syscall2(SYS_pipe2, fds, 0), 0, "pipe2"))
		return;
	rd = 1UL << fds[0];
	wr = 1UL << fds[1];
	ex = 0;
	expect_eq(sys6(SYS_pselect6, fds[1] + 1, &rd, &wr, &ex, &ts, NULL),
		  1, "only the write end");
	expect_eq(rd, 0, "read set cleared");
	expect_eq(wr, 1UL << fds[1], "write set");
	rd = 1UL << fds[0];
	ts = (struct abi_timespec){ 0, 30000000 };
	t0 = now_ns(ABI_CLOCK_MONOTONIC);
	expect_eq(sys6(SYS_pselect6, fds[0] + 1, &rd, NULL, NULL, &ts,
			     NULL),
		  0, "30 ms timeout");
	expect_true(now_ns(ABI_CLOCK_MONOTONIC) - t0 >= 30000000,
		    "after at least 30 ms");
	expect_eq(__syscall3(SYS_write, fds[1], "a", 1), 1, "write");
	rd = 1UL << fds[0];
	expect_eq(sys6(SYS_pselect6, fds[0] + 1, &rd, NULL, NULL, NULL,
			     NULL),
		  1, "readable");
	expect_eq(rd, 1UL << fds[0], "read set");
	rd = 1UL << 30;
	expect_errno(sys6(SYS_pselect6, 31, &rd, NULL, NULL, NULL, NULL),
		     -EBADF, "a closed fd in a set");
	expect_errno(sys6(SYS_pselect6, -1, NULL, NULL, NULL, NULL, NULL),
		     -EINVAL, "nfds -1");
	close(fds[0]);
	close(fds[1]);
}

static void check_dev(const char *path, int major, int minor)
{
	struct abi_stat st;
	int fd;

	expect_eq(__syscall4(SYS_newfstatat, AT_CWD, path, &st, 0), 0,
		  "stat %s", path);
	expect_eq(st.st_mode & ABI_S_IFMT, ABI_S_IFCHR, "%s: S_IFCHR", path);
	expect_eq(st.st_rdev, (uint64_t)(major << 8 | minor), "%s: rdev %d:%d",
		  path, major, minor);
	fd = __syscall4(SYS_openat, AT_CWD, path, ABI_O_RDWR, 0);
	if (!expect_true(fd >= 0, "open %s", path))
		return;
	memset(&st, 0, sizeof(st));
	expect_eq(__syscall2(SYS_fstat, fd, &st), 0, "fstat %s", path);
	expect_eq(st.st_mode & ABI_S_IFMT, ABI_S_IFCHR, "%s: S_IFCHR", path);
	expect_eq(st.st_rdev, (uint64_t)(major << 8 | minor),
		  "%s open: rdev %d:%d", path, major, minor);
	close(fd);
}

static void t_devices(void)
{
	static unsigned char buf[10000];
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int fd, nz;

	check_dev("/dev/null", 1, 3);
	check_dev("/dev/zero", 1, 5);
	check_dev("/dev/random", 1, 8);
	check_dev("/dev/urandom", 1, 9);
	check_dev("/dev/tty", 5, 0);
	check_dev("/dev/console", 5, 1);

	fd = __syscall4(SYS_openat, AT_CWD, "/dev/null", ABI_O_RDWR, 0);
	expect_eq(__syscall3(SYS_read, fd, buf, 100), 0, "/dev/null reads EOF");
	expect_eq(__syscall3(SYS_write, fd, buf, 10000), 10000,
		  "/dev/null takes every byte");
	close(fd);
	fd = __syscall4(SYS_openat, AT_CWD, "/dev/zero", ABI_O_RDWR, 0);
	memset(buf, 0xa5, sizeof(buf));
	expect_eq(__syscall3(SYS_read, fd, buf, 10000), 10000,
		  "/dev/zero reads in full");
	nz = 0;
	for (int i = 0; i < 10000; i++)
		nz += buf[i] != 0;
	expect_eq(nz, 0, "all zeros");
	expect_eq(__syscall3(SYS_write, fd, buf, 77), 77, "/dev/zero writes");
	expect_errno(__syscall3(SYS_read, fd, (void *)0x10, 8), -EFAULT,
		     "a bad buffer");
	/* through a ring, on the IO core (none with CPUS=1: -ENODEV) */
	nz = io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL);
	if (nz != -ENODEV && expect_eq(nz, 0, "a ring")) {
		memset(buf, 0xa5, 4096);
		io_uring_prep_read(io_uring_get_sqe(&ring), fd, buf, 4096, -1);
		io_uring_submit(&ring);
		if (expect_eq(io_uring_wait_cqe(&ring, &cqe), 0, "wait")) {
			expect_eq(cqe->res, 4096, "a ring READ of /dev/zero");
			io_uring_cqe_seen(&ring, cqe);
		}
		nz = 0;
		for (int i = 0; i < 4096; i++)
			nz += buf[i] != 0;
		expect_eq(nz, 0, "zeros through the ring");
		io_uring_queue_exit(&ring);
	}
	close(fd);
	for (int k = 0; k < 2; k++) {
		const char *path = k ? "/dev/random" : "/dev/urandom";

		fd = __syscall4(SYS_openat, AT_CWD, path, ABI_O_RDWR, 0);
		memset(buf, 0, 4096);
		expect_eq(__syscall3(SYS_read, fd, buf, 4096), 4096,
			  "%s reads in full", path);
		nz = 0;
		for (int i = 0; i < 4096; i++)
			nz += buf[i] != 0;
		expect_true(nz > 3900, "%s: random bytes (%d not 0)", path, nz);
		expect_eq(__syscall3(SYS_write, fd, "seed", 4), 4,
			  "%s takes writes", path);
		close(fd);
	}
	fd = __syscall4(SYS_openat, AT_CWD, "/dev/tty", ABI_O_WRONLY, 0);
	expect_eq(__syscall3(SYS_write, fd, "# /dev/tty\n", 11), 11,
		  "a write to /dev/tty");
	close(fd);
}

static void t_eventfd(void)
{
	uint64_t v;
	struct abi_pollfd p;
	struct abi_stat st;
	char arg[16];
	long fd, pid;
	int status;

	expect_errno(__syscall2(SYS_eventfd2, 0, 1 << 5), -EINVAL,
		     "an unknown flag");
	fd = __syscall2(SYS_eventfd2, 0, ABI_EFD_NONBLOCK | ABI_EFD_CLOEXEC);
	if (!expect_true(fd >= 0, "eventfd2"))
		return;
	expect_eq(__syscall3(SYS_fcntl, fd, 1, 0), 1, "EFD_CLOEXEC");
	expect_errno(__syscall3(SYS_read, fd, &v, 8), -EAGAIN, "0: -EAGAIN");
	p = (struct abi_pollfd){ fd, ABI_POLLIN | ABI_POLLOUT, -1 };
	expect_eq(ppoll1(&p, 1, 0), 1, "poll at 0");
	expect_eq(p.revents, ABI_POLLOUT, "writable, not readable");
	v = 3;
	expect_eq(__syscall3(SYS_write, fd, &v, 8), 8, "add 3");
	v = 4;
	expect_eq(__syscall3(SYS_write, fd, &v, 16), 8, "add 4 (16 bytes: 8)");
	expect_eq(ppoll1(&p, 1, 0), 1, "poll at 7");
	expect_eq(p.revents, ABI_POLLIN | ABI_POLLOUT, "readable and writable");
	expect_errno(__syscall3(SYS_read, fd, &v, 7), -EINVAL, "read 7 bytes");
	expect_errno(__syscall3(SYS_write, fd, &v, 4), -EINVAL,
		     "write 4 bytes");
	v = 0;
	expect_eq(__syscall3(SYS_read, fd, &v, 8), 8, "read");
	expect_eq(v, 7, "the counter, 7");
	expect_errno(__syscall3(SYS_read, fd, &v, 8), -EAGAIN, "reset to 0");
	v = ~0UL;
	expect_errno(__syscall3(SYS_write, fd, &v, 8), -EINVAL, "write ~0");
	v = 0xfffffffffffffffeUL;
	expect_eq(__syscall3(SYS_write, fd, &v, 8), 8, "add the maximum");
	v = 1;
	expect_errno(__syscall3(SYS_write, fd, &v, 8), -EAGAIN,
		     "past the maximum: -EAGAIN");
	expect_eq(ppoll1(&p, 1, 0), 1, "poll at the maximum");
	expect_eq(p.revents, ABI_POLLIN, "readable, not writable");
	expect_eq(__syscall3(SYS_read, fd, &v, 8), 8, "read");
	expect_eq(v, 0xfffffffffffffffeUL, "the maximum");
	expect_errno(__syscall3(SYS_read, fd, (void *)0x10, 8), -EAGAIN,
		     "a bad buffer with nothing to read: -EAGAIN");
	expect_eq(__syscall2(SYS_fstat, fd, &st), 0, "fstat");
	expect_eq(st.st_mode, 0600, "an anonymous inode, 0600");
	close(fd);

	fd = __syscall2(SYS_eventfd2, 3, ABI_EFD_SEMAPHORE | ABI_EFD_NONBLOCK);
	for (int i = 0; i < 3; i++) {
		v = 0;
		expect_eq(__syscall3(SYS_read, fd, &v, 8), 8, "semaphore read");
		expect_eq(v, 1, "1 at a time");
	}
	expect_errno(__syscall3(SYS_read, fd, &v, 8), -EAGAIN,
		     "3 reads took the 3");
	close(fd);

	/* a blocking read woken by a child's write */
	fd = __syscall2(SYS_eventfd2, 0, 0);
	snprintf(arg, sizeof(arg), "%ld", fd);
	pid = spawn("/bin/linuxabi",
		    (char *const[]){ "linuxabi", "late-eventfd", arg, NULL });
	if (expect_true(pid > 0, "spawn the writer")) {
		v = 0;
		expect_eq(__syscall3(SYS_read, fd, &v, 8), 8,
			  "a blocking read");
		expect_eq(v, 5, "the child's 5");
		expect_eq(waitpid(pid, &status, 0), pid, "wait");
		expect_true(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			    "the child wrote");
	}
	close(fd);
}

static void t_clock_nanosleep(void)
{
	struct abi_timespec ts = { 0, 20000000 }, rem;
	long t0, target;

	t0 = now_ns(ABI_CLOCK_MONOTONIC);
	expect_eq(__syscall4(SYS_clock_nanosleep, ABI_CLOCK_MONOTONIC, 0, &ts,
			     &rem),
		  0, "relative 20 ms");
	expect_true(now_ns(ABI_CLOCK_MONOTONIC) - t0 >= 20000000,
		    "at least 20 ms");
	for (int k = 0; k < 3; k++) {
		static const long clk[3] = { ABI_CLOCK_MONOTONIC,
					     ABI_CLOCK_REALTIME,
					     ABI_CLOCK_BOOTTIME };

		target = now_ns(clk[k]) + 30000000;
		ts.tv_sec = target / 1000000000;
		ts.tv_nsec = target % 1000000000;
		expect_eq(__syscall4(SYS_clock_nanosleep, clk[k],
				     ABI_TIMER_ABSTIME, &ts, NULL),
			  0, "absolute, clock %ld", clk[k]);
		expect_true(now_ns(clk[k]) >= target, "clock %ld reached",
			    clk[k]);
	}
	ts = (struct abi_timespec){ 0, 1 };
	t0 = now_ns(ABI_CLOCK_MONOTONIC);
	expect_eq(__syscall4(SYS_clock_nanosleep, ABI_CLOCK_MONOTONIC,
			     ABI_TIMER_ABSTIME, &ts, NULL),
		  0, "an absolute time in the past: at once");
	ts = (struct abi_timespec){ 0, 1000000000 };
	expect_errno(__syscall4(SYS_clock_nanosleep, ABI_CLOCK_MONOTONIC, 0,
				&ts, NULL),
		     -EINVAL, "tv_nsec 1e9");
	ts = (struct abi_timespec){ -1, 0 };
	expect_errno(__syscall4(SYS_clock_nanosleep, ABI_CLOCK_MONOTONIC, 0,
				&ts, NULL),
		     -EINVAL, "tv_sec -1");
	expect_errno(__syscall4(SYS_clock_nanosleep, ABI_CLOCK_MONOTONIC, 0,
				(void *)0x10, NULL),
		     -EFAULT, "a bad pointer");
	ts = (struct abi_timespec){ 0, 1000 };
	expect_errno(__syscall4(SYS_clock_nanosleep, 3, 0, &ts, NULL), -EINVAL,
		     "CLOCK_THREAD_CPUTIME_ID");
	expect_errno(__syscall4(SYS_clock_nanosleep, 99, 0, &ts, NULL), -EINVAL,
		     "an unknown clock");
	expect_errno(__syscall4(SYS_clock_nanosleep, 4, 0, &ts, NULL),
		     -EOPNOTSUPP, "CLOCK_MONOTONIC_RAW");
	ts = (struct abi_timespec){ 0, 1000 };
	expect_eq(__syscall4(SYS_clock_nanosleep, ABI_CLOCK_TAI, 0, &ts, NULL),
		  0, "CLOCK_TAI");
}


static int start(void)
{
	ktest_leak_baseline();
	return 0;
}

/* ---- symbolic links, rename, times, modes (busybox's file calls) ---- */

#define AT ABI_AT_FDCWD

static long mkfile(const char *path, const char *text)
{
	long fd = __syscall4(SYS_openat, AT, path,
			     ABI_O_CREAT | ABI_O_WRONLY | ABI_O_TRUNC, 0644);

	if (fd < 0)
		return fd;
	__syscall3(SYS_write, fd, text, strlen(text));
	__syscall1(SYS_close, fd);
	return 0;
}

/* the file at path's first n bytes (following links), or -errno */
static long slurp(const char *path, char *buf, size_t n)
{
	long fd = __syscall4(SYS_openat, AT, path, ABI_O_RDONLY, 0), r;

	if (fd < 0)
		return fd;
	r = __syscall3(SYS_read, fd, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
	__syscall1(SYS_close, fd);
	return r;
}

static uint32_t mode_of(const char *path, int flags)
{
	struct abi_stat st;

	if (__syscall4(SYS_newfstatat, AT, path, &st, flags) < 0)
		return 0;
	return st.st_mode;
}

static void t_symlinks(void)
{
	char buf[64];
	long fd;

	__syscall3(SYS_mkdirat, AT, "/tmp/sl", 0755);
	expect_eq(mkfile("/tmp/sl/f", "target\n"), 0, "a file");
	expect_eq(__syscall3(SYS_symlinkat, "f", AT, "/tmp/sl/rel"), 0,
		  "symlinkat, relative target");
	expect_eq(__syscall3(SYS_symlinkat, "/tmp/sl", AT, "/tmp/sl/dir"), 0,
		  "symlinkat to a directory");
	expect_eq(slurp("/tmp/sl/rel", buf, sizeof(buf)), 7, "read via link");
	expect_mem(buf, "target\n", 8, "what the link leads to");
	expect_eq(slurp("/tmp/sl/dir/dir/rel", buf, sizeof(buf)), 7,
		  "links in the middle of a path");
	expect_eq(__syscall4(SYS_readlinkat, AT, "/tmp/sl/rel", buf,
			     sizeof(buf)), 1, "readlinkat: the length");
	expect_eq(buf[0], 'f', "readlinkat: the target");
	expect_eq(__syscall4(SYS_readlinkat, AT, "/tmp/sl/dir", buf, 3), 3,
		  "readlinkat truncates to bufsiz");
	expect_eq(mode_of("/tmp/sl/rel", ABI_AT_SYMLINK_NOFOLLOW) & ABI_S_IFMT,
		  ABI_S_IFLNK, "lstat: S_IFLNK");
	expect_eq(mode_of("/tmp/sl/rel", 0) & ABI_S_IFMT, ABI_S_IFREG,
		  "stat follows the link");
	expect_errno(__syscall4(SYS_openat, AT, "/tmp/sl/rel",
				ABI_O_RDONLY | ABI_O_NOFOLLOW, 0), -ELOOP,
		     "O_NOFOLLOW on a link");
	expect_errno(__syscall3(SYS_symlinkat, "f", AT, "/tmp/sl/rel"),
		     -EEXIST, "symlinkat over an existing name");
	expect_errno(__syscall3(SYS_symlinkat, "", AT, "/tmp/sl/e"), -ENOENT,
		     "an empty target");
	expect_errno(__syscall3(SYS_symlinkat, (void *)0x10, AT, "/tmp/sl/e"),
		     -EFAULT, "a bad target pointer");
	expect_eq(__syscall3(SYS_symlinkat, "nowhere", AT, "/tmp/sl/dang"), 0,
		  "a dangling link");
	expect_errno(slurp("/tmp/sl/dang", buf, sizeof(buf)), -ENOENT,
		     "opening a dangling link");
	expect_eq(__syscall3(SYS_symlinkat, "loop2", AT, "/tmp/sl/loop1"), 0,
		  "loop1 -> loop2");
	expect_eq(__syscall3(SYS_symlinkat, "loop1", AT, "/tmp/sl/loop2"), 0,
		  "loop2 -> loop1");
	expect_errno(slurp("/tmp/sl/loop1", buf, sizeof(buf)), -ELOOP,
		     "a loop of links");
	expect_errno(__syscall4(SYS_readlinkat, AT, "/tmp/sl/f", buf,
				sizeof(buf)), -EINVAL, "readlinkat of a file");
	fd = __syscall4(SYS_openat, AT, "/tmp/sl/rel", ABI_O_RDONLY, 0);
	expect_eq(__syscall3(SYS_unlinkat, AT, "/tmp/sl/rel", 0), 0,
		  "unlink removes the link");
	expect_eq(mode_of("/tmp/sl/f", 0) & ABI_S_IFMT, ABI_S_IFREG,
		  "not its target");
	__syscall1(SYS_close, fd);
	const char *names[] = { "dir", "dang", "loop1", "loop2", "f" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(buf, sizeof(buf), "/tmp/sl/%s", names[i]);
		expect_eq(__syscall3(SYS_unlinkat, AT, buf, 0), 0, buf);
	}
	expect_eq(__syscall3(SYS_unlinkat, AT, "/tmp/sl", ABI_AT_REMOVEDIR), 0,
		  "rmdir");
}

static void t_rename(void)
{
	char buf[64];

	__syscall3(SYS_mkdirat, AT, "/tmp/rn", 0755);
	__syscall3(SYS_mkdirat, AT, "/tmp/rn/d", 0755);
	__syscall3(SYS_mkdirat, AT, "/tmp/rn/e", 0755);
	mkfile("/tmp/rn/a", "aaa");
	mkfile("/tmp/rn/b", "bb");
	mkfile("/tmp/rn/d/x", "x");
	expect_eq(sys5(SYS_renameat2, AT, "/tmp/rn/a", AT, "/tmp/rn/c",
			     0), 0, "rename a file");
	expect_errno(slurp("/tmp/rn/a", buf, sizeof(buf)), -ENOENT,
		     "the old name is gone");
	expect_eq(slurp("/tmp/rn/c", buf, sizeof(buf)), 3, "the new one");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/c", AT,
				"/tmp/rn/b", ABI_RENAME_NOREPLACE), -EEXIST,
		     "RENAME_NOREPLACE over a file");
	expect_eq(sys5(SYS_renameat2, AT, "/tmp/rn/c", AT, "/tmp/rn/b",
			     0), 0, "rename over a file");
	expect_eq(slurp("/tmp/rn/b", buf, sizeof(buf)), 3, "replaced");
	expect_eq(sys5(SYS_renameat2, AT, "/tmp/rn/b", AT, "/tmp/rn/b",
			     0), 0, "rename to itself");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/b", AT,
				"/tmp/rn/d", 0), -EISDIR,
		     "a file over a directory");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/e", AT,
				"/tmp/rn/b", 0), -ENOTDIR,
		     "a directory over a file");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/e", AT,
				"/tmp/rn/d", 0), -ENOTEMPTY,
		     "over a directory that is not empty");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/d", AT,
				"/tmp/rn/d/y", 0), -EINVAL,
		     "a directory into itself");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/nope", AT,
				"/tmp/rn/z", 0), -ENOENT, "no such file");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/b", AT,
				"/tmp/rn/z", 4), -EINVAL, "RENAME_WHITEOUT");
	expect_errno(sys5(SYS_renameat2, AT, "/tmp/rn/b", AT,
				"/tmp/rn/z", 2), -EINVAL, "RENAME_EXCHANGE");
	expect_errno(sys5(SYS_renameat2, AT, (void *)0x10, AT,
				"/tmp/rn/z", 0), -EFAULT, "a bad pointer");
	expect_eq(sys5(SYS_renameat2, AT, "/tmp/rn/d", AT, "/tmp/rn/e",
			     0), 0, "a directory over an empty one");
	expect_eq(slurp("/tmp/rn/e/x", buf, sizeof(buf)), 1,
		  "its entries came along");
	expect_errno(sys5(SYS_linkat, AT, "/tmp/rn/b", AT, "/tmp/rn/h",
				0), -EPERM, "linkat: no hard links");
	expect_errno(sys5(SYS_linkat, AT, "/tmp/rn/b", AT, "/tmp/rn/e",
				0), -EEXIST, "linkat over a name");
	expect_errno(sys5(SYS_linkat, AT, "/tmp/rn/no", AT, "/tmp/rn/h",
				0), -ENOENT, "linkat of no file");
	__syscall3(SYS_unlinkat, AT, "/tmp/rn/e/x", 0);
	__syscall3(SYS_unlinkat, AT, "/tmp/rn/e", ABI_AT_REMOVEDIR);
	__syscall3(SYS_unlinkat, AT, "/tmp/rn/b", 0);
	expect_eq(__syscall3(SYS_unlinkat, AT, "/tmp/rn", ABI_AT_REMOVEDIR), 0,
		  "all of it removed");
}

static void t_times_modes(void)
{
	struct abi_timespec ts[2] = { { 100, 0 }, { 12345, 500000000 } };
	struct abi_stat st;
	long fd;

	mkfile("/tmp/tm", "t");
	expect_eq(__syscall4(SYS_utimensat, AT, "/tmp/tm", ts, 0), 0,
		  "utimensat");
	__syscall4(SYS_newfstatat, AT, "/tmp/tm", &st, 0);
	expect_eq(st.st_mtime_sec, 12345, "st_mtime from times[1]");
	expect_eq(st.st_mtime_nsec, 500000000, "st_mtime_nsec");
	ts[1].tv_nsec = (1L << 30) - 2; /* UTIME_OMIT */
	ts[1].tv_sec = 1;
	expect_eq(__syscall4(SYS_utimensat, AT, "/tmp/tm", ts, 0), 0,
		  "UTIME_OMIT");
	__syscall4(SYS_newfstatat, AT, "/tmp/tm", &st, 0);
	expect_eq(st.st_mtime_sec, 12345, "UTIME_OMIT kept it");
	ts[1].tv_nsec = 1000000000;
	expect_errno(__syscall4(SYS_utimensat, AT, "/tmp/tm", ts, 0), -EINVAL,
		     "tv_nsec out of range");
	expect_errno(__syscall4(SYS_utimensat, AT, "/tmp/tm", ts, 0x8),
		     -EINVAL, "an unknown flag");
	expect_errno(__syscall4(SYS_utimensat, AT, "/tmp/none", 0, 0),
		     -ENOENT, "utimensat of no file");
	expect_errno(__syscall4(SYS_utimensat, AT, 0, 0, 0), -EFAULT,
		     "utimensat(AT_FDCWD, NULL)");
	fd = __syscall4(SYS_openat, AT, "/tmp/tm", ABI_O_RDONLY, 0);
	expect_eq(__syscall4(SYS_utimensat, fd, 0, 0, 0), 0,
		  "futimens: a NULL path is the fd's file");
	expect_errno(__syscall4(SYS_utimensat, 99, 0, 0, 0), -EBADF,
		     "futimens of a bad fd");
	/* modes */
	expect_eq(mode_of("/tmp/tm", 0), ABI_S_IFREG | 0644, "a new file: 0644");
	expect_errno(__syscall3(SYS_faccessat, AT, "/tmp/tm", 1), -EACCES,
		     "X_OK without an execute bit");
	expect_eq(__syscall3(SYS_fchmodat, AT, "/tmp/tm", 04755), 0,
		  "fchmodat");
	expect_eq(mode_of("/tmp/tm", 0), ABI_S_IFREG | 04755, "its mode");
	expect_eq(__syscall3(SYS_faccessat, AT, "/tmp/tm", 1), 0, "X_OK now");
	expect_eq(__syscall2(SYS_fchmod, fd, 0600), 0, "fchmod");
	expect_eq(mode_of("/tmp/tm", 0), ABI_S_IFREG | 0600, "fchmod's mode");
	expect_errno(__syscall2(SYS_fchmod, 99, 0600), -EBADF, "fchmod EBADF");
	expect_errno(__syscall3(SYS_fchmodat, AT, "/tmp/none", 0600), -ENOENT,
		     "fchmodat of no file");
	expect_eq(mode_of("/bin/linuxabi", 0) & 0111, 0111,
		  "a program from the initrd keeps its execute bits");
	expect_eq(__syscall3(SYS_faccessat, AT, "/tmp", 1), 0,
		  "X_OK of a directory");
	expect_errno(__syscall3(SYS_faccessat, AT, "/tmp/tm", 8), -EINVAL,
		     "faccessat, a bad mode");
	expect_errno(__syscall3(SYS_faccessat, AT, "/tmp/none", 0), -ENOENT,
		     "F_OK of no file");
	/* umask: the old one back, inherited */
	expect_eq(__syscall1(SYS_umask, 077), 022, "umask: the first is 022");
	expect_eq(__syscall1(SYS_umask, 01777), 077, "umask: the old mask");
	expect_eq(__syscall1(SYS_umask, 022), 0777, "only 0777 is kept");
	/* no write back to wait for */
	expect_eq(__syscall0(SYS_sync), 0, "sync");
	expect_eq(__syscall1(SYS_fsync, fd), 0, "fsync");
	expect_eq(__syscall1(SYS_fdatasync, fd), 0, "fdatasync");
	expect_errno(__syscall1(SYS_fsync, 99), -EBADF, "fsync EBADF");
	{
		int pfd[2];

		if (expect_eq(__syscall2(SYS_pipe2, pfd, 0), 0, "a pipe")) {
			expect_errno(__syscall1(SYS_fsync, pfd[0]), -EINVAL,
				     "fsync of a pipe: EINVAL, as Linux");
			__syscall1(SYS_close, pfd[0]);
			__syscall1(SYS_close, pfd[1]);
		}
	}
	expect_eq(__syscall2(SYS_getgroups, 0, 0), 0, "getgroups: none");
	expect_errno(__syscall2(SYS_getgroups, -1, 0), -EINVAL,
		     "getgroups, size < 0");
	__syscall1(SYS_close, fd);
	__syscall3(SYS_unlinkat, AT, "/tmp/tm", 0);
}

static const struct ktest_case cases[] = {
	KTEST_CASE("auxv", t_auxv),
	KTEST_CASE("uname", t_uname),
	KTEST_CASE("ids", t_ids),
	KTEST_CASE("tid-robust-list", t_tid_robust),
	KTEST_CASE("rlimits", t_rlimits),
	KTEST_CASE("affinity", t_affinity),
	KTEST_CASE("gettimeofday", t_gettimeofday),
	KTEST_CASE("getrandom", t_getrandom),
	KTEST_CASE("ioctl", t_ioctl),
	KTEST_CASE("readlinkat", t_readlinkat),
	KTEST_CASE("enosys", t_enosys),
	KTEST_CASE("pipe", t_pipe),
	KTEST_CASE("dup", t_dup),
	KTEST_CASE("fcntl", t_fcntl),
	KTEST_CASE("poll-pipe", t_poll_pipe),
	KTEST_CASE("poll-child", t_poll_child),
	KTEST_CASE("poll-files", t_poll_files),
	KTEST_CASE("pselect", t_pselect),
	KTEST_CASE("devices", t_devices),
	KTEST_CASE("eventfd", t_eventfd),
	KTEST_CASE("clock-nanosleep", t_clock_nanosleep),
	KTEST_CASE("symlinks", t_symlinks),
	KTEST_CASE("rename-link", t_rename),
	KTEST_CASE("times-modes", t_times_modes),
	KTEST_ALWAYS("leak-check", ktest_leak_check),
};

static const struct ktest_suite suite = KTEST_SUITE("linuxabi", cases, start);

int main(int argc, char **argv, char **envp)
{
	saved_envp = envp;
	saved_argv0 = argv[0];
	if (argc == 3 && !strcmp(argv[1], "pipe-reader"))
		return pipe_reader(atoi(argv[2]), 200000);
	if (argc == 3 && !strcmp(argv[1], "late-writer"))
		return late_writer(atoi(argv[2]), 30, 0);
	if (argc == 3 && !strcmp(argv[1], "late-eventfd"))
		return late_writer(atoi(argv[2]), 30, 5);
	return ktest_main(&suite, argc, argv);
}
