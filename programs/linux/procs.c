/*
 * procs: processes as Linux has them, checked from a glibc program built
 * with Debian's riscv64-linux-gnu-gcc -static: fork (clone), execve,
 * wait4/waitpid, waitid, vfork, posix_spawn, getcwd/chdir/fchdir, process
 * groups and sessions with the console's job control, and no
 * page leaked by 200 fork/exit cycles.  It prints KTAP like the libuser
 * suites (programs/ktest.h, which needs libuser: this is its small glibc
 * twin), each case in a child process of its own made with fork, so that
 * pytests/test_linux.py makes one item per case of the table below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "lktest.h"

/* ---- fork and wait ---- */

static int exit7(void)
{
	return 7;
}

static int *volatile bad_ptr = (int *)8;

static int segv(void)
{
	*bad_ptr = 1;
	return 0;
}

/* execve with pointers the compiler would object to */
static long raw_execve(const void *path, const void *argv, const void *envp)
{
	return syscall(SYS_execve, path, argv, envp);
}

static void t_fork_wait(void)
{
	pid_t me = getpid(), pid;
	int st = -1, pfd[2];

	pid = fork();
	if (pid == 0)
		_exit(getppid() == me ? 42 : 1);
	expect_eq(pid > me, 1, "fork returns a new pid in the parent");
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid(child)");
	expect_eq(WIFEXITED(st) && WEXITSTATUS(st) == 42, 1,
		  "child saw getppid() == parent's pid");
	st = run_child(exit7);
	expect_eq(WIFEXITED(st), 1, "exit(7): WIFEXITED");
	expect_eq(WEXITSTATUS(st), 7, "exit(7): WEXITSTATUS");
	st = run_child(segv);
	expect_eq(WIFSIGNALED(st), 1, "a fault: WIFSIGNALED");
	expect_eq(WTERMSIG(st), SIGSEGV, "a fault: WTERMSIG");
	/* the child's pid as fork returns it and as getpid says */
	if (pipe(pfd) == 0) {
		pid = fork();
		if (pid == 0) {
			pid_t c = getpid();

			write(pfd[1], &c, sizeof(c));
			_exit(0);
		}
		pid_t c = 0;

		read(pfd[0], &c, sizeof(c));
		expect_eq(c, pid, "getpid() in the child = fork()'s result");
		waitpid(pid, NULL, 0);
		close(pfd[0]);
		close(pfd[1]);
	}
	expect_err(waitpid(-1, &st, 0), ECHILD, "waitpid(-1) with no child");
	expect_err(waitpid(-1, &st, WUNTRACED | WCONTINUED), ECHILD,
		   "WUNTRACED|WCONTINUED accepted");
	expect_err(waitpid(-1, &st, 0x10000), EINVAL, "wait4 bad options");
	/* many children at once, reaped by -1 */
	for (int i = 0; i < 5; i++)
		if (fork() == 0)
			_exit(10 + i);
	int sum = 0;

	for (int i = 0; i < 5; i++) {
		if (waitpid(-1, &st, 0) > 0)
			sum += WEXITSTATUS(st);
	}
	expect_eq(sum, 10 + 11 + 12 + 13 + 14, "5 children reaped by -1");
	/* pid 0: the caller's group, which (no groups yet) is every child */
	pid = fork();
	if (pid == 0)
		_exit(3);
	expect_eq(waitpid(0, &st, 0), pid, "waitpid(0)");
}

/* ---- memory and fds after fork ---- */

static int global = 1;

static void t_fork_memory(void)
{
	int local = 2, st;
	int *heap = malloc(100000 * sizeof(int)); /* mmap'd by malloc */
	char *brk_mem = malloc(64);
	pid_t pid;

	heap[0] = 3;
	heap[99999] = 4;
	strcpy(brk_mem, "parent");
	pid = fork();
	if (pid == 0) {
		int ok = global == 1 && local == 2 && heap[0] == 3 &&
			 heap[99999] == 4 && !strcmp(brk_mem, "parent");

		global = local = heap[0] = heap[99999] = 99;
		strcpy(brk_mem, "child");
		free(malloc(1000000)); /* the child's own mmap/munmap */
		_exit(ok ? 0 : 1);
	}
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
	expect_eq(st, 0, "the child sees the parent's memory");
	expect_eq(global, 1, "a global written by the child");
	expect_eq(local, 2, "a stack variable written by the child");
	expect_eq(heap[0] + heap[99999], 7, "mmap'd memory written by the child");
	expect_str(brk_mem, "parent", "brk memory written by the child");
	free(heap);
	free(brk_mem);
	/* the FP state is copied: a double across fork */
	volatile double d = 1.0 / 3.0;

	pid = fork();
	if (pid == 0)
		_exit(d * 3.0 == 1.0 && d > 0.333 && d < 0.334 ? 0 : 1);
	waitpid(pid, &st, 0);
	expect_eq(st, 0, "an FP value in the child");
}

static void t_fork_fds(void)
{
	char buf[8] = { 0 };
	int fd = open("/data/hello.txt", O_RDONLY);
	int cfd = open("/data/hello.txt", O_RDONLY | O_CLOEXEC);
	int st;
	pid_t pid;

	expect_eq(fd >= 0 && cfd >= 0, 1, "open");
	pid = fork();
	if (pid == 0) {
		int ok = read(fd, buf, 5) == 5 &&
			 fcntl(cfd, F_GETFD) == FD_CLOEXEC &&
			 fcntl(fd, F_GETFD) == 0;
		_exit(ok ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	expect_eq(st, 0, "child read 5 bytes; FD_CLOEXEC kept");
	expect_eq(lseek(fd, 0, SEEK_CUR), 5, "the offset is shared");
	expect_eq(read(fd, buf, 3), 3, "parent reads on");
	expect_str(buf, " fr", "parent's read starts where the child's ended");
	close(fd);
	close(cfd);
}

/* ---- execve ---- */

static void t_execve_args(void)
{
	char out[512];
	int pfd[2], st, n = 0, r;
	pid_t pid;

	if (pipe(pfd) < 0) {
		fail("pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "showargs", "a b", "", "c", NULL };
		char *envp[] = { "X=1", "LONG=two words", NULL };

		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execve("/bin/showargs", argv, envp);
		_exit(100 + errno);
	}
	close(pfd[1]);
	while (n < (int)sizeof(out) - 1 &&
	       (r = read(pfd[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += r;
	out[n] = 0;
	close(pfd[0]);
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
	expect_eq(WIFEXITED(st) ? WEXITSTATUS(st) : -st, 4,
		  "the new program's exit status (its argc)");
	expect_str(out,
		   "argv[0]=showargs\nargv[1]=a b\nargv[2]=\nargv[3]=c\n"
		   "env X=1\nenv LONG=two words\n",
		   "what the exec'd program printed");
	/* NULL argv and envp: Linux allows them (argc 0) */
	pid = fork();
	if (pid == 0) {
		raw_execve("/bin/showargs", NULL, NULL);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	expect_eq(WEXITSTATUS(st), 0, "execve with NULL argv: argc 0");
	/* the pid stays, the parent too */
	pid = fork();
	if (pid == 0) {
		char arg[16];
		char *argv[] = { "showargs", "fds", arg, NULL };

		snprintf(arg, sizeof(arg), "%d", 0);
		execve("/bin/showargs", argv, environ);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	expect_eq(WEXITSTATUS(st), 1, "fd 0 stays open across exec");
}

static void t_execve_cloexec(void)
{
	int a = open("/data/hello.txt", O_RDONLY);
	int b = open("/data/hello.txt", O_RDONLY | O_CLOEXEC);
	int c = dup(a), st;
	pid_t pid;

	fcntl(c, F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid == 0) {
		char sa[16], sb[16], sc[16];
		char *argv[] = { "showargs", "fds", sa, sb, sc, NULL };

		snprintf(sa, sizeof(sa), "%d", a);
		snprintf(sb, sizeof(sb), "%d", b);
		snprintf(sc, sizeof(sc), "%d", c);
		execve("/bin/showargs", argv, environ);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	expect_eq(WEXITSTATUS(st), 1,
		  "after exec: the plain fd open, the O_CLOEXEC and "
		  "FD_CLOEXEC ones closed");
	close(a);
	close(b);
	close(c);
}

static void t_execve_errors(void)
{
	char *argv[] = { "x", NULL };
	char *many[80];
	int fd;

	expect_err(execve("/nonexistent", argv, environ), ENOENT, "ENOENT");
	expect_err(execve("/bin", argv, environ), EACCES, "a directory");
	expect_err(execve("/data/hello.txt", argv, environ), ENOEXEC,
		   "a text file");
	expect_err(execve("/data/hello.txt/x", argv, environ), ENOTDIR,
		   "a file as a directory");
	expect_err(execve("", argv, environ), ENOENT, "empty path");
	expect_err(raw_execve(bad_ptr, argv, environ), EFAULT, "bad path");
	expect_err(raw_execve("/bin/showargs", bad_ptr, environ), EFAULT,
		   "bad argv");
	expect_err(raw_execve("/bin/showargs", argv, bad_ptr), EFAULT,
		   "bad envp");
	char *bad[] = { "x", (char *)8, NULL };

	expect_err(execve("/bin/showargs", bad, environ), EFAULT,
		   "bad argv[1]");
	for (int i = 0; i < 79; i++)
		many[i] = "arg";
	many[79] = NULL;
	expect_err(execve("/bin/showargs", many, environ), E2BIG,
		   "too many arguments");
	/* an empty file (no ELF header) */
	fd = open("/tmp/empty", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	close(fd);
	expect_err(execve("/tmp/empty", argv, environ), ENOEXEC,
		   "an empty file");
	unlink("/tmp/empty");
	/* still here, the old image intact */
	expect_eq(global, 1, "the old image after failed execs");
	expect_eq(fcntl(1, F_GETFD), 0, "stdout after failed execs");
}

/* ---- waitpid WNOHANG, waitid ---- */

static void t_wait_nohang(void)
{
	int pfd[2], st = -1;
	char c;
	pid_t pid;

	pipe(pfd);
	pid = fork();
	if (pid == 0) {
		close(pfd[1]);
		_exit(read(pfd[0], &c, 1) == 1 ? c : 0);
	}
	close(pfd[0]);
	expect_eq(waitpid(pid, &st, WNOHANG), 0, "WNOHANG, child running");
	expect_eq(waitpid(-1, &st, WNOHANG), 0, "WNOHANG -1, child running");
	write(pfd[1], "\x21", 1);
	close(pfd[1]);
	expect_eq(waitpid(pid, &st, 0), pid, "then it exits");
	expect_eq(WEXITSTATUS(st), 0x21, "its status");
	expect_err(waitpid(pid, &st, WNOHANG), ECHILD, "reaped");
}

static void t_waitid(void)
{
	siginfo_t si;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(5);
	memset(&si, 0xff, sizeof(si));
	expect_eq(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0,
		  "waitid WNOWAIT");
	expect_eq(si.si_signo, SIGCHLD, "si_signo");
	expect_eq(si.si_code, CLD_EXITED, "si_code");
	expect_eq(si.si_pid, pid, "si_pid");
	expect_eq(si.si_status, 5, "si_status");
	memset(&si, 0, sizeof(si));
	expect_eq(waitid(P_ALL, 0, &si, WEXITED), 0, "waitid P_ALL reaps");
	expect_eq(si.si_pid, pid, "the same child again");
	expect_err(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "then ECHILD");
	pid = fork();
	if (pid == 0) {
		segv();
		_exit(0);
	}
	expect_eq(waitid(P_PGID, 0, &si, WEXITED), 0, "waitid P_PGID 0");
	expect_eq(si.si_code, CLD_KILLED, "a killed child: CLD_KILLED");
	expect_eq(si.si_status, SIGSEGV, "si_status: the signal");
	expect_err(waitid(P_ALL, 0, &si, 0), EINVAL, "no WEXITED");
	expect_err(waitid(P_PID, 0, &si, WEXITED), EINVAL, "P_PID 0");
	expect_err(waitid(7, 0, &si, WEXITED), EINVAL, "bad idtype");
	int pfd[2];
	char c;

	pipe(pfd);
	pid = fork();
	if (pid == 0) {
		close(pfd[1]);
		read(pfd[0], &c, 1);
		_exit(0);
	}
	close(pfd[0]);
	memset(&si, 0xff, sizeof(si));
	expect_eq(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), 0,
		  "WNOHANG with the child running");
	expect_eq(si.si_pid, 0, "WNOHANG, none ready: si_pid 0");
	close(pfd[1]);
	expect_eq(waitid(P_PID, pid, &si, WEXITED), 0, "then it exits");
	expect_err(syscall(SYS_waitid, P_ALL, 0, (void *)8, WEXITED, NULL),
		   ECHILD, "ECHILD before EFAULT");
	pid = fork();
	if (pid == 0)
		_exit(0);
	expect_err(syscall(SYS_waitid, P_ALL, 0, (void *)8, WEXITED, NULL),
		   EFAULT, "bad siginfo");
}

/* ---- vfork, posix_spawn, raw clone ---- */

static void t_vfork(void)
{
	int st = -1;
	pid_t pid = vfork();

	if (pid == 0)
		_exit(9);
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid after vfork");
	expect_eq(WEXITSTATUS(st), 9, "the vfork child's status");
	pid = vfork();
	if (pid == 0) {
		char *argv[] = { "showargs", "fds", "0", "1", NULL };

		execve("/bin/showargs", argv, environ);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	expect_eq(WEXITSTATUS(st), 3, "vfork + execve");
}

static void t_posix_spawn(void)
{
	char *argv[] = { "showargs", "fds", "0", "1", "2", NULL };
	pid_t pid = -1;
	int st = -1, r;

	r = posix_spawn(&pid, "/bin/showargs", NULL, NULL, argv, environ);
	expect_eq(r, 0, "posix_spawn");
	if (r == 0) {
		expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
		expect_eq(WEXITSTATUS(st), 7, "the spawned program ran");
	}
}

static void t_clone_raw(void)
{
	pid_t ptid = 0, pid;
	int st;

	expect_err(syscall(SYS_clone, CLONE_VM | SIGCHLD, 0, 0, 0, 0), EINVAL,
		   "CLONE_VM without CLONE_VFORK");
	expect_err(syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM,
			   0, 0, 0, 0),
		   EINVAL, "CLONE_THREAD without CLONE_FS and CLONE_FILES");
	expect_err(syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0),
		   EINVAL, "CLONE_FILES");
	expect_err(syscall(435, NULL, 0), ENOSYS, "clone3");
	pid = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0,
		      0);
	if (pid == 0)
		_exit(0);
	expect_eq(ptid, pid, "CLONE_PARENT_SETTID stores the pid");
	waitpid(pid, &st, 0);
}

/* fork until the process table (or memory) runs out, then reap them all */
static void t_fork_many(void)
{
	pid_t pids[80];
	int pfd[2], n = 0, err = 0, reaped = 0;
	char c;

	if (pipe(pfd) < 0) {
		fail("pipe");
		return;
	}
	while (n < 80) {
		pid_t pid = fork();

		if (pid == 0) {
			close(pfd[1]);
			read(pfd[0], &c, 1);
			_exit(0);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		pids[n++] = pid;
	}
	expect_eq(err == EAGAIN || err == ENOMEM, 1,
		  "fork fails with EAGAIN (no slot) or ENOMEM at the end");
	expect_eq(n > 10, 1, "more than 10 children at once");
	close(pfd[0]);
	close(pfd[1]); /* EOF: they all exit */
	for (int i = 0; i < n; i++)
		reaped += waitpid(pids[i], NULL, 0) == pids[i];
	expect_eq(reaped, n, "every child reaped");
	printf("# %d children at once, then errno %d\n", n, err);
}

/* ---- the current directory ---- */

/* 0 if path exists (faccessat is not built: stat instead of access) */
static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st);
}

static void t_cwd(void)
{
	char buf[256];
	int fd, dfd, st;
	pid_t pid;

	expect_str(getcwd(buf, sizeof(buf)), "/", "getcwd at start");
	expect_eq(chdir("/data"), 0, "chdir /data");
	expect_str(getcwd(buf, sizeof(buf)), "/data", "getcwd");
	fd = open("hello.txt", O_RDONLY);
	expect_eq(fd >= 0, 1, "a relative open from the cwd");
	close(fd);
	fd = openat(AT_FDCWD, "hello.txt", O_RDONLY);
	expect_eq(fd >= 0, 1, "openat(AT_FDCWD) from the cwd");
	close(fd);
	expect_eq(exists("../bin/showargs"), 0, ".. from the cwd");
	mkdir("/tmp/cwd1", 0755);
	mkdir("/tmp/cwd1/sub", 0755);
	expect_eq(chdir("/tmp/cwd1/sub"), 0, "chdir deeper");
	expect_str(getcwd(buf, sizeof(buf)), "/tmp/cwd1/sub", "getcwd deep");
	expect_eq(syscall(SYS_getcwd, buf, 14), 14, "raw getcwd: the length");
	expect_err(syscall(SYS_getcwd, buf, 13), ERANGE, "a small buffer");
	expect_err(syscall(SYS_getcwd, (void *)8, 100), EFAULT, "bad buffer");
	fd = open("f", O_CREAT | O_WRONLY, 0644);
	expect_eq(fd >= 0, 1, "create relative");
	close(fd);
	expect_eq(exists("/tmp/cwd1/sub/f"), 0, "created in the cwd");
	expect_eq(mkdir("d", 0755), 0, "mkdir relative");
	expect_eq(chdir("d"), 0, "chdir relative");
	expect_eq(chdir(".."), 0, "chdir ..");
	expect_str(getcwd(buf, sizeof(buf)), "/tmp/cwd1/sub", "after ..");
	pid = fork();
	if (pid == 0)
		_exit(getcwd(buf, sizeof(buf)) &&
		      !strcmp(buf, "/tmp/cwd1/sub") && chdir("/") == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	expect_eq(st, 0, "the child inherits the cwd");
	expect_str(getcwd(buf, sizeof(buf)), "/tmp/cwd1/sub",
		   "the child's chdir is its own");
	dfd = open("/bin", O_RDONLY | O_DIRECTORY);
	expect_eq(fchdir(dfd), 0, "fchdir");
	expect_str(getcwd(buf, sizeof(buf)), "/bin", "getcwd after fchdir");
	expect_eq(exists("showargs"), 0, "relative after fchdir");
	close(dfd);
	fd = open("/data/hello.txt", O_RDONLY);
	expect_err(fchdir(fd), ENOTDIR, "fchdir a file");
	close(fd);
	expect_err(fchdir(99), EBADF, "fchdir a bad fd");
	expect_err(chdir("/nonexistent"), ENOENT, "chdir ENOENT");
	expect_err(chdir("/data/hello.txt"), ENOTDIR, "chdir a file");
	expect_err(chdir((char *)8), EFAULT, "chdir EFAULT");
	expect_err(chdir(""), ENOENT, "chdir empty");
	/* a removed cwd */
	expect_eq(chdir("/tmp/cwd1/sub/d"), 0, "chdir d");
	expect_eq(rmdir("/tmp/cwd1/sub/d"), 0, "rmdir the cwd");
	expect_err(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT,
		   "getcwd of a removed directory");
	chdir("/");
	unlink("/tmp/cwd1/sub/f");
	rmdir("/tmp/cwd1/sub");
	rmdir("/tmp/cwd1");
}

/* ---- a process with a ring: fork, exec, and the cwd for OPENAT ---- */

static void t_ring(void)
{
	struct io_uring_params pr;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned *sq_tail, *sq_array, *cq_head, *cq_tail, *cq_mask;
	char *rings, buf[64];
	size_t len;
	int fd, st, got = -1000;
	pid_t pid;

	memset(&pr, 0, sizeof(pr));
	fd = syscall(SYS_io_uring_setup, 4, &pr);
	expect_eq(fd >= 0, 1, "io_uring_setup");
	if (fd < 0)
		return;
	len = pr.cq_off.cqes + pr.cq_entries * sizeof(struct io_uring_cqe);
	if (len < pr.sq_off.array + pr.sq_entries * sizeof(unsigned))
		len = pr.sq_off.array + pr.sq_entries * sizeof(unsigned);
	rings = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		     IORING_OFF_SQ_RING);
	sqes = mmap(NULL, pr.sq_entries * sizeof(*sqes),
		    PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_SQES);
	expect_eq(rings != MAP_FAILED && sqes != MAP_FAILED, 1, "ring mmap");
	if (rings == MAP_FAILED || sqes == MAP_FAILED)
		return;
	sq_tail = (unsigned *)(rings + pr.sq_off.tail);
	sq_array = (unsigned *)(rings + pr.sq_off.array);
	cq_head = (unsigned *)(rings + pr.cq_off.head);
	cq_tail = (unsigned *)(rings + pr.cq_off.tail);
	cq_mask = (unsigned *)(rings + pr.cq_off.ring_mask);

	/* OPENAT of a relative path starts at the cwd */
	chdir("/data");
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_OPENAT;
	sqes[0].fd = AT_FDCWD;
	sqes[0].addr = (unsigned long)"hello.txt";
	sqes[0].open_flags = O_RDONLY;
	sq_array[0] = 0;
	__atomic_store_n(sq_tail, 1, __ATOMIC_RELEASE);
	syscall(SYS_io_uring_enter, fd, 1, 1,
		IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP, NULL, 0);
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) != *cq_head) {
		cqe = (struct io_uring_cqe *)(rings + pr.cq_off.cqes) +
		      (*cq_head & *cq_mask);
		got = cqe->res;
		__atomic_store_n(cq_head, *cq_head + 1, __ATOMIC_RELEASE);
	}
	expect_eq(got >= 0, 1, "a ring OPENAT of a relative path after chdir");
	if (got >= 0) {
		memset(buf, 0, sizeof(buf));
		read(got, buf, 5);
		expect_str(buf, "Hello", "read from the ring-opened file");
		close(got);
	}
	chdir("/");

	/* the ring's mappings are not inherited (as MADV_DONTFORK) */
	pid = fork();
	if (pid == 0) {
		(void)*(volatile unsigned *)sq_tail;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	expect_eq(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, 1,
		  "the child has no ring mapping");
	/* exec closes the ring fd (the rings go as at exit) */
	pid = fork();
	if (pid == 0) {
		char arg[16];
		char *argv[] = { "showargs", "fds", arg, "0", NULL };

		snprintf(arg, sizeof(arg), "%d", fd);
		execve("/bin/showargs", argv, environ);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	expect_eq(WEXITSTATUS(st), 2, "after exec: the ring fd closed, fd 0 not");
	/* an exec'ing process with a ring mapped: the rings go */
	pid = fork();
	if (pid == 0) {
		struct io_uring_params p2;
		int rfd;

		memset(&p2, 0, sizeof(p2));
		rfd = syscall(SYS_io_uring_setup, 4, &p2);
		if (rfd < 0 || mmap(NULL, 4096, PROT_READ, MAP_SHARED, rfd,
				    IORING_OFF_SQ_RING) == MAP_FAILED)
			_exit(99);
		char *argv[] = { "showargs", "fds", "0", NULL };

		execve("/bin/showargs", argv, environ);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	expect_eq(WEXITSTATUS(st), 1, "exec with a ring of its own");
	/* the parent's ring still works */
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_NOP;
	sqes[0].user_data = 77;
	sq_array[1 & (pr.sq_entries - 1)] = 0;
	__atomic_store_n(sq_tail, 2, __ATOMIC_RELEASE);
	syscall(SYS_io_uring_enter, fd, 1, 1,
		IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP, NULL, 0);
	got = -1;
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) != *cq_head) {
		cqe = (struct io_uring_cqe *)(rings + pr.cq_off.cqes) +
		      (*cq_head & *cq_mask);
		got = cqe->user_data;
		__atomic_store_n(cq_head, *cq_head + 1, __ATOMIC_RELEASE);
	}
	expect_eq(got, 77, "the parent's ring after its children forked");
	munmap(rings, len);
	munmap(sqes, pr.sq_entries * sizeof(*sqes));
	close(fd);
}

/* ---- process groups, sessions, the console's job control ---- */

/* a grandchild's view after setsid(): its own session, no terminal */
static int new_session(void)
{
	pid_t me = getpid();
	int pg;

	failed = 0;
	expect_eq(setsid(), me, "setsid() returns the new session");
	expect_eq(getsid(0), me, "getsid(0) after setsid");
	expect_eq(getpgrp(), me, "getpgrp() after setsid");
	expect_err(setsid(), EPERM, "setsid() again (a group leader)");
	expect_err(setpgid(0, 0), EPERM, "setpgid of a session leader");
	expect_err(ioctl(0, TIOCGPGRP, &pg), ENOTTY,
		   "TIOCGPGRP without a controlling terminal");
	expect_err(ioctl(0, TIOCSCTTY, 0), EPERM,
		   "TIOCSCTTY of a terminal another session has");
	return failed;
}

static void t_pgrp(void)
{
	pid_t me = getpid(), a, b, r1, r2;
	int st = -1, sa = -1, sb = -1;

	/* a case runs in a child of the suite (init: group and session 1) */
	expect_eq(getpgrp(), 1, "a child is in its parent's group");
	expect_eq(getpgid(0), 1, "getpgid(0)");
	expect_eq(getpgid(me), 1, "getpgid(self)");
	expect_eq(getsid(0), 1, "getsid(0): init's session");
	expect_eq(getpgid(1), 1, "getpgid(1)");
	expect_err(getpgid(999999), ESRCH, "getpgid of no process");
	expect_err(getsid(999999), ESRCH, "getsid of no process");
	expect_err(setpgid(0, -1), EINVAL, "setpgid(0, -1)");
	expect_err(setpgid(999999, 0), ESRCH, "setpgid of no process");
	expect_err(setpgid(1, 1), ESRCH, "setpgid of the parent");
	expect_err(setpgid(0, 999999), EPERM, "setpgid into no group");
	expect_eq(setpgid(0, 0), 0, "setpgid(0, 0): a group of its own");
	expect_eq(getpgrp(), me, "getpgrp() == pid");
	expect_eq(kill(-me, 0), 0, "kill(-pgrp, 0)");
	expect_eq(setpgid(0, 1), 0, "setpgid(0, 1): back into group 1");
	expect_eq(getpgrp(), 1, "getpgrp() == 1 again");
	/* kill(0) and kill(-pgrp): the caller's group, a group */
	expect_eq(kill(0, 0), 0, "kill(0, 0)");
	expect_err(kill(-999999, 0), ESRCH, "kill of no group");
	/* two children in a group of the first one's: one kill ends both */
	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		pause();
		_exit(1);
	}
	setpgid(a, a); /* both sides, as shells do: no race */
	b = fork();
	if (b == 0) {
		setpgid(0, a);
		pause();
		_exit(1);
	}
	expect_eq(setpgid(b, a), 0, "setpgid(child, other child's group)");
	expect_eq(getpgid(a), a, "first child leads its group");
	expect_eq(getpgid(b), a, "second child in the first one's group");
	expect_eq(kill(-a, SIGTERM), 0, "kill(-group, SIGTERM)");
	r1 = waitpid(-a, &sa, 0); /* wait4 of a group: either, then the other */
	r2 = waitpid(-a, &sb, 0);
	expect_eq((r1 == a && r2 == b) || (r1 == b && r2 == a), 1,
		  "waitpid(-group) twice: both children");
	expect_err(waitpid(-a, &st, 0), ECHILD, "waitpid(-group), none left");
	expect_err(waitpid(-999999, &st, 0), ECHILD, "waitpid(no group)");
	expect_eq(WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM, 1,
		  "first child ended by SIGTERM");
	expect_eq(WIFSIGNALED(sb) && WTERMSIG(sb) == SIGTERM, 1,
		  "second child ended by SIGTERM");
	/* setsid in a child that is not a group leader */
	st = run_child(new_session);
	expect_eq(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1,
		  "setsid in a child (its checks)");
}

static void t_tty_jobctl(void)
{
	pid_t me = getpid();
	int pg = -1, sid = -1, bad = 999999;

	signal(SIGTTOU, SIG_IGN); /* as a shell: tcsetpgrp from the background */
	expect_eq(tcgetpgrp(0), 1, "the console's foreground group: init's");
	expect_eq(ioctl(0, TIOCGSID, &sid), 0, "TIOCGSID");
	expect_eq(sid, 1, "the console is session 1's terminal");
	expect_err(ioctl(0, TIOCSCTTY, 0), EPERM,
		   "TIOCSCTTY from a process that leads no session");
	expect_eq(setpgid(0, 0), 0, "a group of its own");
	expect_eq(tcsetpgrp(0, me), 0, "tcsetpgrp(its group)");
	expect_eq(tcgetpgrp(0), me, "tcgetpgrp() == its group");
	expect_eq(ioctl(0, TIOCGPGRP, &pg), 0, "TIOCGPGRP");
	expect_eq(pg, me, "TIOCGPGRP == its group");
	expect_err(tcsetpgrp(0, bad), ESRCH, "tcsetpgrp(no such group)");
	expect_err(tcsetpgrp(0, -1), EINVAL, "tcsetpgrp(-1)");
	expect_err(ioctl(0, TIOCGPGRP, NULL), EFAULT, "TIOCGPGRP, NULL");
	expect_eq(tcsetpgrp(0, 1), 0, "tcsetpgrp(1): init's group again");
	expect_eq(tcgetpgrp(0), 1, "tcgetpgrp() == 1");
	expect_eq(setpgid(0, 1), 0, "back into group 1");
}

/* ---- no leak ---- */

static void cycles(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(i & 0x7f);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
			fail("cycle %d: fork/wait errno %d", i, errno);
			return;
		}
	}
}

static long start_pages;

static void t_leak_check(void)
{
	long after;

	cycles(200);
	after = free_pages();
	expect_eq(after, start_pages,
		  "free pages after every case and 200 fork/exit cycles");
}

static const struct ktest_case cases[] = {
	KTEST_CASE("fork-wait", t_fork_wait),
	KTEST_CASE("fork-memory", t_fork_memory),
	KTEST_CASE("fork-fds", t_fork_fds),
	KTEST_CASE("execve-args", t_execve_args),
	KTEST_CASE("execve-cloexec", t_execve_cloexec),
	KTEST_CASE("execve-errors", t_execve_errors),
	KTEST_CASE("wait-nohang", t_wait_nohang),
	KTEST_CASE("waitid", t_waitid),
	KTEST_CASE("vfork", t_vfork),
	KTEST_CASE("posix-spawn", t_posix_spawn),
	KTEST_CASE("clone-raw", t_clone_raw),
	KTEST_CASE("fork-many", t_fork_many),
	KTEST_CASE("cwd", t_cwd),
	KTEST_CASE("ring", t_ring),
	KTEST_CASE("pgrp", t_pgrp),
	KTEST_CASE("tty-jobctl", t_tty_jobctl),
	KTEST_ALWAYS("leak-check", t_leak_check),
};

int main(int argc, char **argv)
{
	return lktest_main(argc, argv, "procs", cases, sizeof(cases) / sizeof(cases[0]),
			   cycles, &start_pages);
}
