/*
 * Signals as a Linux program sees them (glibc, static): handlers through
 * signal() and sigaction (SA_SIGINFO, SA_RESTART, SA_NODEFER,
 * SA_RESETHAND, SA_ONSTACK with sigaltstack), masks and pending sets,
 * sigsuspend, tgkill, a fault's handler changing the saved pc and leaving
 * the interrupted FP registers intact, siglongjmp out of SIGSEGV, SIGPIPE,
 * -EINTR from a read and a nanosleep, setitimer/alarm, default actions (in children started
 * with the kernel's spawn), and the errors.  Prints "sigtest: NAME ok" or
 * "sigtest: NAME FAIL: why" per check and "sigtest: done, N failed";
 * exits with the number failed.  "sigtest MODE ..." is a child's role;
 * "sigtest leak" runs the suite in a child and compares the free pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/sysinfo.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;
static volatile sig_atomic_t hits, last_sig;
static volatile int got_pid, got_code, got_signo;
static volatile uintptr_t got_addr;

#define CHECK(name, cond, ...)                                                \
	do {                                                                  \
		if (cond) {                                                   \
			printf("sigtest: %s ok\n", name);                     \
		} else {                                                      \
			failed++;                                             \
			printf("sigtest: %s FAIL: ", name);                   \
			printf(__VA_ARGS__);                                  \
			printf("\n");                                         \
		}                                                             \
	} while (0)

static void on_sig(int sig)
{
	hits++;
	last_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	hits++;
	got_signo = si->si_signo;
	got_pid = si->si_pid;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	/* glibc's nanosleep is clock_nanosleep, which this kernel lacks */
	syscall(SYS_nanosleep, &ts, NULL);
}

static long spawn(char **argv)
{
	return syscall(2000, argv[0], argv); /* the kernel's spawn */
}

static int run_child(const char *mode, const char *a1, const char *a2)
{
	char *argv[] = { "/bin/sigtest", (char *)mode, (char *)a1, (char *)a2,
			 NULL };
	int st = -1;
	long pid = spawn(argv);

	if (pid < 0)
		return -1;
	if (a1) /* a poke child runs beside the caller's check */
		return (int)pid;
	waitpid(pid, &st, 0);
	return st;
}

static void test_basic(void)
{
	struct sigaction sa, old;

	hits = 0;
	signal(SIGUSR1, on_sig);
	kill(getpid(), SIGUSR1);
	CHECK("signal-kill-self", hits == 1 && last_sig == SIGUSR1,
	      "hits %d sig %d", hits, last_sig);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	kill(getpid(), SIGUSR2);
	CHECK("siginfo", hits == 1 && got_signo == SIGUSR2 &&
			 got_pid == getpid() && got_code == SI_USER,
	      "hits %d signo %d pid %d code %d", hits, got_signo, got_pid,
	      got_code);
	hits = 0;
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	CHECK("tgkill", hits == 1 && got_code == SI_TKILL, "hits %d code %d",
	      hits, got_code);
	sigaction(SIGUSR2, NULL, &old);
	CHECK("sigaction-old", old.sa_sigaction == on_info &&
			       (old.sa_flags & SA_SIGINFO),
	      "flags %#x", old.sa_flags);

	signal(SIGUSR1, SIG_IGN);
	hits = 0;
	raise(SIGUSR1);
	raise(SIGCHLD); /* default: ignored */
	raise(SIGURG);
	CHECK("ignored", hits == 0, "hits %d", hits);
}

static sigset_t in_handler_mask;

static void on_mask(int sig)
{
	hits++;
	sigprocmask(SIG_BLOCK, NULL, &in_handler_mask);
}

static void test_masks(void)
{
	sigset_t set, pend, old;
	struct sigaction sa;

	signal(SIGUSR1, on_sig);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	hits = 0;
	raise(SIGUSR1);
	raise(SIGUSR1); /* merged: one delivery */
	sigpending(&pend);
	CHECK("blocked-pending", hits == 0 && sigismember(&pend, SIGUSR1),
	      "hits %d", hits);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("delivered-at-unblock", hits == 1, "hits %d", hits);
	sigpending(&pend);
	CHECK("pending-cleared", !sigismember(&pend, SIGUSR1), "still");

	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, &old);
	sigprocmask(SIG_SETMASK, NULL, &set);
	CHECK("kill-stop-unblockable",
	      !sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP) &&
		      sigismember(&set, SIGTERM),
	      "mask wrong");
	sigprocmask(SIG_SETMASK, &old, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_mask;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	hits = 0;
	raise(SIGUSR1);
	CHECK("handler-mask", hits == 1 && sigismember(&in_handler_mask, SIGUSR1) &&
				      sigismember(&in_handler_mask, SIGUSR2),
	      "hits %d", hits);
	sigprocmask(SIG_SETMASK, NULL, &set);
	CHECK("mask-restored", !sigismember(&set, SIGUSR1) &&
				       !sigismember(&set, SIGUSR2),
	      "mask kept");
	sa.sa_flags = SA_NODEFER | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	hits = 0;
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &sa);
	CHECK("nodefer-resethand", hits == 1 &&
					   !sigismember(&in_handler_mask, SIGUSR1) &&
					   sa.sa_handler == SIG_DFL,
	      "hits %d", hits);

	/* sigsuspend: a pending blocked signal is taken, -EINTR, mask back */
	signal(SIGUSR1, on_sig);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	hits = 0;
	sigemptyset(&set);
	int r = sigsuspend(&set);
	int e = errno;

	sigprocmask(SIG_SETMASK, &old, &set);
	CHECK("sigsuspend", r == -1 && e == EINTR && hits == 1 &&
				    sigismember(&set, SIGUSR1),
	      "r %d errno %d hits %d", r, e, hits);
}

/* A fault in the middle of FP code; the handler moves pc past it. */
static volatile uint64_t frame_ft0;
static volatile int frame_frm_ok;

static void on_segv_skip(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	hits++;
	got_addr = (uintptr_t)si->si_addr;
	got_code = si->si_code;
	memcpy((void *)&frame_ft0, &uc->uc_mcontext.__fpregs.__d.__f[0], 8);
	frame_frm_ok = (uc->uc_mcontext.__fpregs.__d.__fcsr >> 5) ==
		       1; /* RTZ, as set below */
	/* clobber the live FP state: the kernel restores it from the frame */
	asm volatile("fmv.d.x ft0, zero\n\tfsrmi 3" ::: "ft0");
	uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void test_fault_fp(void)
{
	struct sigaction sa;
	uint64_t after, want;
	double d = 1.25;
	unsigned long frm;

	memcpy(&want, &d, 8);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv_skip;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	hits = 0;
	asm volatile(".option push\n\t.option norvc\n\t"
		     "fsrmi 1\n\t"
		     "fmv.d.x ft0, %1\n\t"
		     "li t0, 16\n\t"
		     "ld t0, 0(t0)\n\t" /* faults: skipped by the handler */
		     "fmv.x.d %0, ft0\n\t"
		     ".option pop"
		     : "=r"(after)
		     : "r"(want)
		     : "t0", "ft0", "memory");
	asm volatile("frrm %0\n\tfsrmi 0" : "=r"(frm));
	CHECK("fault-handler-skip", hits == 1 && got_addr == 16 &&
					    got_code == SEGV_MAPERR,
	      "hits %d addr %#lx code %d", hits, (unsigned long)got_addr,
	      got_code);
	CHECK("frame-fp-state", frame_ft0 == want && frame_frm_ok,
	      "ft0 %#llx frm_ok %d", (unsigned long long)frame_ft0,
	      frame_frm_ok);
	CHECK("fp-kept-across-handler", after == want && frm == 1,
	      "ft0 %#llx frm %lu", (unsigned long long)after, frm);
	signal(SIGSEGV, SIG_DFL);
}

static sigjmp_buf jb;

static void on_segv_jump(int sig, siginfo_t *si, void *uc)
{
	got_addr = (uintptr_t)si->si_addr;
	siglongjmp(jb, 1);
}

static void test_longjmp(void)
{
	struct sigaction sa;
	int n = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv_jump;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(jb, 1) == 0)
			*(volatile int *)(uintptr_t)(0x100 + i) = 1;
		else
			n += got_addr == (uintptr_t)(0x100 + i);
	}
	CHECK("siglongjmp-out-of-segv", n == 3, "n %d", n);
	signal(SIGSEGV, SIG_DFL);
}

static char altstack[16384];

static volatile int on_alt, alt_flags;

static void on_alt_sig(int sig)
{
	char here;
	stack_t ss;

	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	sigaltstack(NULL, &ss);
	alt_flags = ss.ss_flags;
}

static void test_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) }, old;
	struct sigaction sa;

	CHECK("sigaltstack-set", sigaltstack(&ss, &old) == 0 &&
					 old.ss_flags == SS_DISABLE,
	      "errno %d flags %d", errno, old.ss_flags);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt_sig;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK("sa-onstack", on_alt && alt_flags == SS_ONSTACK,
	      "on %d flags %d", on_alt, alt_flags);
	ss.ss_size = 100;
	CHECK("sigaltstack-small", sigaltstack(&ss, NULL) == -1 &&
					   errno == ENOMEM, "errno %d", errno);
	ss.ss_flags = 77;
	ss.ss_size = sizeof(altstack);
	CHECK("sigaltstack-flags", sigaltstack(&ss, NULL) == -1 &&
					   errno == EINVAL, "errno %d", errno);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	signal(SIGUSR2, SIG_DFL);
}

static void test_sigpipe(void)
{
	int fd[2];
	ssize_t r;

	pipe(fd);
	close(fd[0]);
	signal(SIGPIPE, on_sig);
	hits = 0;
	r = write(fd[1], "x", 1);
	CHECK("sigpipe", r == -1 && errno == EPIPE && hits == 1 &&
				 last_sig == SIGPIPE,
	      "r %zd errno %d hits %d", r, errno, hits);
	signal(SIGPIPE, SIG_IGN);
	r = write(fd[1], "x", 1);
	CHECK("sigpipe-ignored", r == -1 && errno == EPIPE, "r %zd", r);
	close(fd[1]);
}

static void test_eintr(void)
{
	struct sigaction sa;
	char pid[16], fdn[16], c;
	int fd[2], st;
	ssize_t r;
	long child;

	snprintf(pid, sizeof(pid), "%d", getpid());
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART */

	pipe(fd);
	snprintf(fdn, sizeof(fdn), "%d", fd[1]);
	hits = 0;
	child = run_child("poke", pid, fdn);
	r = read(fd[0], &c, 1);
	CHECK("read-eintr", r == -1 && errno == EINTR && hits == 1,
	      "r %zd errno %d hits %d", r, errno, hits);
	r = read(fd[0], &c, 1); /* the child's byte */
	waitpid(child, &st, 0);
	CHECK("read-after-eintr", r == 1 && c == 'x', "r %zd", r);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	hits = 0;
	child = run_child("poke", pid, fdn);
	r = read(fd[0], &c, 1);
	waitpid(child, &st, 0);
	CHECK("read-sa-restart", r == 1 && c == 'x' && hits == 1,
	      "r %zd errno %d hits %d", r, errno, hits);

	/* nanosleep: -EINTR even with SA_RESTART, the rest in rem */
	struct timespec req = { 5, 0 }, rem = { 0, 0 };

	hits = 0;
	child = run_child("poke", pid, "-1");
	int n = syscall(SYS_nanosleep, &req, &rem);
	int e = errno;

	waitpid(child, &st, 0);
	CHECK("nanosleep-eintr", n == -1 && e == EINTR && hits == 1 &&
					 rem.tv_sec >= 3 && rem.tv_sec < 5,
	      "r %d errno %d hits %d rem %ld", n, e, hits, (long)rem.tv_sec);

	/* poll: -EINTR even with SA_RESTART, as Linux's poll */
	struct pollfd pfd = { .fd = fd[0], .events = POLLIN };

	hits = 0;
	child = run_child("poke", pid, "-1");
	n = poll(&pfd, 1, 5000);
	e = errno;
	waitpid(child, &st, 0);
	CHECK("poll-eintr", n == -1 && e == EINTR && hits == 1,
	      "r %d errno %d hits %d", n, e, hits);
	close(fd[0]);
	close(fd[1]);
	signal(SIGUSR1, SIG_DFL);
}

static void test_itimer(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } }, cur;
	struct sigaction sa;
	sigset_t none, alrm, old;
	int fd[2], n;
	ssize_t r;
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGALRM, &sa, NULL);
	pipe(fd);
	hits = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &cur);
	CHECK("getitimer", cur.it_value.tv_sec == 0 &&
				   cur.it_value.tv_usec > 0 &&
				   cur.it_value.tv_usec <= 50000,
	      "value %ld.%06ld", (long)cur.it_value.tv_sec,
	      (long)cur.it_value.tv_usec);
	r = read(fd[0], &c, 1);
	CHECK("setitimer-alarm-eintr", r == -1 && errno == EINTR && hits == 1 &&
					       last_sig == SIGALRM,
	      "r %zd errno %d hits %d", r, errno, hits);
	getitimer(ITIMER_REAL, &cur);
	CHECK("itimer-disarmed", !cur.it_value.tv_sec && !cur.it_value.tv_usec,
	      "value %ld", (long)cur.it_value.tv_usec);

	/* an interval timer: three SIGALRMs taken in sigsuspend */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	it.it_interval.tv_usec = it.it_value.tv_usec = 20000;
	setitimer(ITIMER_REAL, &it, NULL);
	hits = 0;
	sigemptyset(&none);
	for (n = 0; n < 3; n++)
		sigsuspend(&none);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, &cur);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("itimer-interval", hits == 3 && cur.it_interval.tv_usec == 20000,
	      "hits %d interval %ld", hits, (long)cur.it_interval.tv_usec);

	alarm(5);
	n = alarm(0);
	CHECK("alarm", n == 5, "alarm(0) = %d", n);
	it.it_value.tv_usec = 1000000;
	CHECK("setitimer-einval", setitimer(ITIMER_REAL, &it, NULL) == -1 &&
					  errno == EINVAL, "errno %d", errno);
	CHECK("setitimer-efault",
	      syscall(SYS_setitimer, ITIMER_REAL, 8, NULL) == -1 &&
		      errno == EFAULT, "errno %d", errno);
	close(fd[0]);
	close(fd[1]);
	signal(SIGALRM, SIG_DFL);
}

static volatile int chld_pid, chld_code, chld_status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	hits++;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static void test_defaults(void)
{
	int st;

	st = run_child("term", NULL, NULL);
	CHECK("default-term", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM &&
				      !WCOREDUMP(st), "status %#x", st);
	st = run_child("abort", NULL, NULL);
	CHECK("default-core", WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT &&
				      WCOREDUMP(st), "status %#x", st);
	st = run_child("kill9", NULL, NULL);
	CHECK("sigkill", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "status %#x", st);
	st = run_child("segv", NULL, NULL);
	CHECK("segv-no-handler", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "status %#x", st);
	st = run_child("segv-blocked", NULL, NULL);
	CHECK("segv-in-handler-kills", WIFSIGNALED(st) &&
					       WTERMSIG(st) == SIGSEGV,
	      "status %#x", st);
	st = run_child("usr1", NULL, NULL);
	CHECK("default-usr1", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1,
	      "status %#x", st);

	struct sigaction sa;
	long pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	hits = 0;
	pid = spawn((char *[]){ "/bin/sigtest", "exit7", NULL });
	waitpid(pid, &st, 0);
	CHECK("sigchld", hits == 1 && chld_pid == pid &&
				 chld_code == CLD_EXITED && chld_status == 7,
	      "hits %d pid %d/%ld code %d status %d", hits, chld_pid, pid,
	      chld_code, chld_status);
	hits = 0;
	st = run_child("term", NULL, NULL);
	CHECK("sigchld-killed", hits == 1 && chld_code == CLD_KILLED &&
					chld_status == SIGTERM,
	      "hits %d code %d status %d", hits, chld_code, chld_status);
	signal(SIGCHLD, SIG_DFL);
}

static void test_errors(void)
{
	struct sigaction sa;
	uint64_t set = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	CHECK("sigaction-0", sigaction(0, &sa, NULL) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("sigaction-65", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8) ==
				      -1 && errno == EINVAL, "errno %d", errno);
	CHECK("sigaction-kill", sigaction(SIGKILL, &sa, NULL) == -1 &&
					errno == EINVAL, "errno %d", errno);
	CHECK("sigaction-stop", sigaction(SIGSTOP, &sa, NULL) == -1 &&
					errno == EINVAL, "errno %d", errno);
	CHECK("sigaction-kill-query",
	      syscall(SYS_rt_sigaction, SIGKILL, NULL, &set, 8) == 0,
	      "errno %d", errno);
	CHECK("sigaction-size", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL,
					16) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("sigaction-efault", syscall(SYS_rt_sigaction, SIGUSR1, 8, NULL,
					  8) == -1 && errno == EFAULT,
	      "errno %d", errno);
	CHECK("sigaction-old-efault",
	      syscall(SYS_rt_sigaction, SIGUSR1, NULL, 0x80200000UL, 8) == -1 &&
		      errno == EFAULT, "errno %d", errno);
	CHECK("sigprocmask-how", syscall(SYS_rt_sigprocmask, 7, &set, NULL,
					 8) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("sigprocmask-size", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set,
					  NULL, 4) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("sigprocmask-efault", syscall(SYS_rt_sigprocmask, SIG_BLOCK, 8,
					    NULL, 8) == -1 && errno == EFAULT,
	      "errno %d", errno);
	CHECK("sigpending-size", syscall(SYS_rt_sigpending, &set, 16) == -1 &&
					 errno == EINVAL, "errno %d", errno);
	CHECK("sigpending-efault", syscall(SYS_rt_sigpending, 8, 8) == -1 &&
					   errno == EFAULT, "errno %d", errno);
	CHECK("kill-bad-sig", kill(getpid(), 65) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("kill-negative-sig", kill(getpid(), -1) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("kill-esrch", kill(99999, 0) == -1 && errno == ESRCH,
	      "errno %d", errno);
	CHECK("kill-exists", kill(getpid(), 0) == 0, "errno %d", errno);
	CHECK("kill-0-self", kill(0, 0) == 0, "errno %d", errno);
	CHECK("kill-group-none", kill(-99999, 0) == -1 && errno == ESRCH,
	      "errno %d", errno);
	/* no process but init and this one now: nobody to signal */
	CHECK("kill-minus-1-none", kill(-1, 0) == -1 && errno == ESRCH,
	      "errno %d", errno);
	CHECK("tgkill-esrch", syscall(SYS_tgkill, getpid(), getpid() + 1000,
				      0) == -1 && errno == ESRCH,
	      "errno %d", errno);
	CHECK("tgkill-einval", syscall(SYS_tgkill, 0, getpid(), 0) == -1 &&
				       errno == EINVAL, "errno %d", errno);
	CHECK("tkill-esrch", syscall(SYS_tkill, 99999, 0) == -1 &&
				     errno == ESRCH, "errno %d", errno);
	CHECK("sigsuspend-efault", syscall(SYS_rt_sigsuspend, 8, 8) == -1 &&
					   errno == EFAULT, "errno %d", errno);
	CHECK("sigaltstack-efault", syscall(SYS_sigaltstack, 8, NULL) == -1 &&
					    errno == EFAULT, "errno %d", errno);
}

static void on_segv_nested(int sig)
{
	*(volatile int *)0 = 1; /* SIGSEGV is blocked here: killed */
}

static int child(int argc, char **argv)
{
	const char *mode = argv[1];

	if (!strcmp(mode, "term"))
		raise(SIGTERM);
	else if (!strcmp(mode, "abort"))
		abort();
	else if (!strcmp(mode, "kill9"))
		kill(getpid(), SIGKILL);
	else if (!strcmp(mode, "exit7"))
		return 7;
	else if (!strcmp(mode, "usr1"))
		kill(getpid(), SIGUSR1);
	else if (!strcmp(mode, "segv"))
		*(volatile int *)0 = 1;
	else if (!strcmp(mode, "segv-blocked")) {
		signal(SIGSEGV, on_segv_nested);
		*(volatile int *)0 = 1;
	} else if (!strcmp(mode, "poke") && argc >= 4) {
		int fd = atoi(argv[3]);

		msleep(50);
		kill(atoi(argv[2]), SIGUSR1);
		msleep(50);
		if (fd >= 0)
			write(fd, "x", 1);
		return 0;
	}
	return 100;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "leak")) {
		/* the whole suite in a child: no page may stay behind */
		struct sysinfo before, after;
		int st;

		sysinfo(&before);
		st = run_child(NULL, NULL, NULL);
		sysinfo(&after);
		printf("sigtest: leak-check free pages before %lu after %lu\n",
		       before.freeram, after.freeram);
		return st != 0 || before.freeram != after.freeram;
	}
	if (argc > 1)
		return child(argc, argv);
	test_basic();
	test_masks();
	test_fault_fp();
	test_longjmp();
	test_altstack();
	test_sigpipe();
	test_eintr();
	test_itimer();
	test_defaults();
	test_errors();
	printf("sigtest: done, %d failed\n", failed);
	return failed;
}
