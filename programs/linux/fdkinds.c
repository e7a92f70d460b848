/*
 * fdkinds: timerfd(2) and signalfd(2) through glibc, as a Linux program
 * uses them (built with riscv64-linux-gnu-gcc -static;
 * pytests/test_fdkinds.py runs it, one pytest item per case).  KTAP as
 * lktest.h prints it; "fdkinds CASE" runs one case.
 *
 * Timing: the machine may be slow and shared, so no case asserts that
 * anything took less than some time; a count that depends on time is
 * checked against the time measured around it, and waits have generous
 * timeouts.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "lktest.h"

#define MS	1000000L
#define WAIT_MS 20000 /* a poll's timeout: only a hang reaches it */

static int64_t now_ns(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, ms % 1000 * MS};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static struct itimerspec its(long value_ns, long interval_ns)
{
	struct itimerspec v = {
		.it_value = {value_ns / 1000000000, value_ns % 1000000000},
		.it_interval = {interval_ns / 1000000000,
				interval_ns % 1000000000},
	};

	return v;
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* an 8-byte read of a timerfd: the count, or -errno */
static int64_t tfd_read(int fd)
{
	uint64_t v;
	ssize_t n = read(fd, &v, sizeof(v));

	if (n < 0)
		return -errno;
	if (n != sizeof(v)) {
		fail("timerfd read gave %ld bytes", (long)n);
		return -1;
	}
	return (int64_t)v;
}

/* ---- timerfd ---- */

static void t_tfd_oneshot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec v = its(50 * MS, 0), cur;
	int64_t t0;

	if (fd < 0) {
		fail("timerfd_create: errno %d", errno);
		return;
	}
	t0 = now_ns(CLOCK_MONOTONIC);
	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "settime 50 ms");
	expect_eq(tfd_read(fd), 1, "read waits for the one expiration");
	if (now_ns(CLOCK_MONOTONIC) - t0 < 50 * MS)
		fail("the timer expired before its 50 ms");
	expect_eq(timerfd_gettime(fd, &cur), 0, "gettime");
	expect_eq(ts_ns(&cur.it_value), 0, "expired one-shot: value 0");
	expect_eq(ts_ns(&cur.it_interval), 0, "one-shot: interval 0");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	expect_eq(tfd_read(fd), -EAGAIN, "no second expiration");
	close(fd);
}

static void t_tfd_periodic(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	const long period = 20 * MS;
	struct itimerspec v = its(period, period);
	int64_t t0, t1, n, total = 0;

	if (fd < 0) {
		fail("timerfd_create: errno %d", errno);
		return;
	}
	t0 = now_ns(CLOCK_MONOTONIC);
	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "settime every 20 ms");
	/* not read meanwhile: the count is from time, not from wakeups */
	sleep_ms(100);
	n = tfd_read(fd);
	t1 = now_ns(CLOCK_MONOTONIC);
	if (n < 5 || n > (t1 - t0) / period)
		fail("after 100 ms of 20 ms periods (%ld ms measured): count "
		     "%ld, want 5..%ld",
		     (long)((t1 - t0) / MS), (long)n,
		     (long)((t1 - t0) / period));
	total += n > 0 ? n : 0;
	/* a blocking read after that: at least one more */
	n = tfd_read(fd);
	t1 = now_ns(CLOCK_MONOTONIC);
	if (n < 1)
		fail("second read: %ld", (long)n);
	total += n > 0 ? n : 0;
	if (total > (t1 - t0) / period)
		fail("%ld expirations in %ld ms of 20 ms periods", (long)total,
		     (long)((t1 - t0) / MS));
	close(fd);
}

static void t_tfd_abstime(void)
{
	static const clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME,
					   CLOCK_BOOTTIME};

	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		int fd = timerfd_create(clocks[i], 0);
		int64_t at = now_ns(clocks[i]) + 50 * MS;
		struct itimerspec v = its(at, 0), past = its(1, 0);

		if (fd < 0) {
			fail("timerfd_create(%d): errno %d", clocks[i], errno);
			continue;
		}
		expect_eq(timerfd_settime(fd, TFD_TIMER_ABSTIME, &v, NULL), 0,
			  "settime ABSTIME now + 50 ms");
		expect_eq(tfd_read(fd), 1, "ABSTIME: one expiration");
		if (now_ns(clocks[i]) < at)
			fail("clock %d: expired before its time", clocks[i]);
		/* a time long past: expired at once */
		fcntl(fd, F_SETFL, O_NONBLOCK);
		expect_eq(timerfd_settime(fd, TFD_TIMER_ABSTIME, &past, NULL),
			  0, "settime ABSTIME 1 ns");
		expect_eq(tfd_read(fd), 1, "ABSTIME in the past: at once");
		close(fd);
	}
	/* periodic from a time in the past: one expiration per period gone
	 * by, counted at once (the clock is at least 1 s past boot) */
	{
		int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
		int64_t t0, t1, n, start;
		struct itimerspec v;

		t0 = now_ns(CLOCK_MONOTONIC);
		if (t0 < 1000 * MS) /* soon after boot */
			sleep_ms((1000 * MS - t0) / MS + 1);
		t0 = now_ns(CLOCK_MONOTONIC);
		start = t0 - 900 * MS;
		v = its(start, 100 * MS);

		expect_eq(timerfd_settime(fd, TFD_TIMER_ABSTIME, &v, NULL), 0,
			  "settime ABSTIME 900 ms ago, every 100 ms");
		n = tfd_read(fd);
		t1 = now_ns(CLOCK_MONOTONIC);
		if (n < 10 || n > (t1 - start) / (100 * MS) + 1)
			fail("periods since 900 ms ago (%ld ms measured): %ld",
			     (long)((t1 - start) / MS), (long)n);
		close(fd);
	}
}

static void t_tfd_gettime(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec v = its(100000 * MS, 7000 * MS), cur, old;
	struct itimerspec w = its(5000 * MS, 0);

	expect_eq(timerfd_gettime(fd, &cur), 0, "gettime unarmed");
	expect_eq(ts_ns(&cur.it_value) | ts_ns(&cur.it_interval), 0,
		  "unarmed: all zeros");
	expect_eq(timerfd_settime(fd, 0, &v, &old), 0, "settime 100 s");
	expect_eq(ts_ns(&old.it_value) | ts_ns(&old.it_interval), 0,
		  "old value of an unarmed timer: zeros");
	expect_eq(timerfd_gettime(fd, &cur), 0, "gettime");
	expect_eq(cur.it_interval.tv_sec, 7, "interval seconds as set");
	expect_eq(cur.it_interval.tv_nsec, 0, "interval ns as set");
	if (ts_ns(&cur.it_value) <= 0 || ts_ns(&cur.it_value) > 100000 * MS)
		fail("time left %ld ms, want (0, 100000]",
		     (long)(ts_ns(&cur.it_value) / MS));
	expect_eq(timerfd_settime(fd, 0, &w, &old), 0, "settime again");
	expect_eq(old.it_interval.tv_sec, 7, "old interval");
	if (ts_ns(&old.it_value) <= 0 || ts_ns(&old.it_value) > 100000 * MS)
		fail("old time left %ld ms", (long)(ts_ns(&old.it_value) / MS));
	expect_eq(timerfd_gettime(fd, &cur), 0, "gettime after reset");
	expect_eq(ts_ns(&cur.it_interval), 0, "new interval 0");
	if (ts_ns(&cur.it_value) <= 0 || ts_ns(&cur.it_value) > 5000 * MS)
		fail("new time left %ld ms", (long)(ts_ns(&cur.it_value) / MS));
	/* a periodic one past its first expiration: the time to the next */
	v = its(10 * MS, 10000 * MS);
	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "settime 10 ms/10 s");
	expect_eq(tfd_read(fd), 1, "first expiration");
	expect_eq(timerfd_gettime(fd, &cur), 0, "gettime periodic");
	if (ts_ns(&cur.it_value) <= 0 || ts_ns(&cur.it_value) > 10000 * MS)
		fail("periodic: time to the next %ld ms",
		     (long)(ts_ns(&cur.it_value) / MS));
	close(fd);
}

static void t_tfd_disarm(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec v = its(10000 * MS, 1000 * MS), zero = its(0, 0);
	struct itimerspec old, cur, past = its(1, 0);
	struct pollfd p = {.fd = fd, .events = POLLIN};

	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "arm 10 s");
	expect_eq(timerfd_settime(fd, 0, &zero, &old), 0, "disarm");
	if (ts_ns(&old.it_value) <= 0)
		fail("disarm: old value %ld ns", (long)ts_ns(&old.it_value));
	expect_eq(ts_ns(&old.it_interval), 1000 * MS, "disarm: old interval");
	expect_eq(timerfd_gettime(fd, &cur), 0, "gettime");
	expect_eq(ts_ns(&cur.it_value) | ts_ns(&cur.it_interval), 0,
		  "disarmed: zeros");
	expect_eq(tfd_read(fd), -EAGAIN, "disarmed: nothing to read");
	expect_eq(poll(&p, 1, 0), 0, "disarmed: not readable");
	/* settime resets the count: an expiration not read is dropped */
	expect_eq(timerfd_settime(fd, TFD_TIMER_ABSTIME, &past, NULL), 0,
		  "expire at once");
	expect_eq(poll(&p, 1, 0), 1, "expired: readable");
	expect_eq(timerfd_settime(fd, 0, &zero, NULL), 0, "disarm again");
	expect_eq(tfd_read(fd), -EAGAIN, "the count went with the setting");
	expect_eq(poll(&p, 1, 0), 0, "and not readable");
	close(fd);
}

static void t_tfd_nonblock(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	struct itimerspec v = its(10000 * MS, 0);

	if (fd < 0) {
		fail("timerfd_create: errno %d", errno);
		return;
	}
	expect_eq(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK, "F_GETFL");
	expect_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "F_GETFD");
	expect_eq(tfd_read(fd), -EAGAIN, "unarmed: EAGAIN");
	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "arm 10 s");
	expect_eq(tfd_read(fd), -EAGAIN, "armed, not expired: EAGAIN");
	close(fd);
	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	expect_eq(fcntl(fd, F_GETFL), O_RDWR, "F_GETFL without flags");
	expect_eq(fcntl(fd, F_GETFD), 0, "F_GETFD without flags");
	close(fd);
}

static void t_tfd_poll(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec v = its(10000 * MS, 0);
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};

	expect_eq(poll(&p, 1, 0), 0, "unarmed: nothing");
	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "arm 10 s");
	expect_eq(poll(&p, 1, 0), 0, "armed: not yet");
	v = its(30 * MS, 0);
	expect_eq(timerfd_settime(fd, 0, &v, NULL), 0, "arm 30 ms");
	/* a sleeping poll is woken by the expiration */
	expect_eq(poll(&p, 1, WAIT_MS), 1, "poll until it expires");
	expect_eq(p.revents, POLLIN, "readable, never writable");
	expect_eq(tfd_read(fd), 1, "read");
	expect_eq(poll(&p, 1, 0), 0, "read: not readable");
	/* select too */
	{
		fd_set r;
		struct timeval tv = {WAIT_MS / 1000, 0};

		v = its(20 * MS, 0);
		timerfd_settime(fd, 0, &v, NULL);
		FD_ZERO(&r);
		FD_SET(fd, &r);
		expect_eq(select(fd + 1, &r, NULL, NULL, &tv), 1, "select");
		expect_eq(FD_ISSET(fd, &r) != 0, 1, "select: readable");
	}
	close(fd);
}

static void t_tfd_errors(void)
{
	struct itimerspec v = its(1000 * MS, 0), bad;
	int fd, efd, pfd[2];
	uint64_t u;
	char c[4];

	expect_err(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL,
		   "CPU-time clock");
	expect_err(timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL, "RAW");
	expect_err(timerfd_create(99, 0), EINVAL, "clock 99");
	expect_err(timerfd_create(-1, 0), EINVAL, "clock -1");
	expect_err(timerfd_create(CLOCK_MONOTONIC, 1), EINVAL, "flags 1");
	expect_err(timerfd_create(CLOCK_MONOTONIC, O_APPEND), EINVAL,
		   "flags O_APPEND");
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	expect_err(timerfd_settime(fd, 4, &v, NULL), EINVAL, "settime flags 4");
	bad = its(0, 0);
	bad.it_value.tv_nsec = 1000000000;
	expect_err(timerfd_settime(fd, 0, &bad, NULL), EINVAL, "nsec 1e9");
	bad = its(0, 0);
	bad.it_value.tv_sec = -1;
	expect_err(timerfd_settime(fd, 0, &bad, NULL), EINVAL, "negative sec");
	bad = its(1000 * MS, 0);
	bad.it_interval.tv_nsec = -1;
	expect_err(timerfd_settime(fd, 0, &bad, NULL), EINVAL,
		   "negative interval nsec");
	expect_err(timerfd_settime(fd, 0, (void *)8, NULL), EFAULT,
		   "settime bad pointer");
	expect_err(timerfd_gettime(fd, (void *)8), EFAULT,
		   "gettime bad pointer");
	expect_err(read(fd, c, sizeof(c)), EINVAL, "read of 4 bytes");
	expect_err(read(fd, &u, sizeof(u)), EAGAIN, "read of 8, unarmed");
	expect_err(write(fd, &u, sizeof(u)), EINVAL, "write");
	expect_err(timerfd_settime(999, 0, &v, NULL), EBADF, "settime fd 999");
	expect_err(timerfd_gettime(-1, &v), EBADF, "gettime fd -1");
	efd = eventfd(0, 0);
	expect_err(timerfd_settime(efd, 0, &v, NULL), EINVAL,
		   "settime on an eventfd");
	pipe(pfd);
	expect_err(timerfd_gettime(pfd[0], &v), EINVAL, "gettime on a pipe");
	close(efd);
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
}

/* a blocked reader is woken by a new setting that expires */
static void t_tfd_rearm_wakes(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec v = its(100000 * MS, 0);
	pid_t pid;
	int st;

	timerfd_settime(fd, 0, &v, NULL);
	pid = fork();
	if (pid == 0) {
		struct itimerspec w = its(1, 0);

		sleep_ms(50); /* the parent is reading by then, or soon */
		timerfd_settime(fd, TFD_TIMER_ABSTIME, &w, NULL);
		_exit(0);
	}
	expect_eq(tfd_read(fd), 1, "read woken by the child's settime");
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
	close(fd);
}

/* a forked child shares the timer: its read takes the count */
static void t_tfd_fork(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec v = its(30 * MS, 0);
	pid_t pid;
	int st = -1;

	timerfd_settime(fd, 0, &v, NULL);
	pid = fork();
	if (pid == 0)
		_exit(tfd_read(fd) == 1 ? 0 : 1);
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
	expect_eq(st, 0, "the child read one expiration");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	expect_eq(tfd_read(fd), -EAGAIN, "the child took it");
	close(fd);
}

/* ---- signalfd ---- */

static int block(int sig1, int sig2, int sig3, sigset_t *set)
{
	sigemptyset(set);
	if (sig1)
		sigaddset(set, sig1);
	if (sig2)
		sigaddset(set, sig2);
	if (sig3)
		sigaddset(set, sig3);
	return sigprocmask(SIG_BLOCK, set, NULL);
}

static ssize_t sfd_read(int fd, struct signalfd_siginfo *si, int n)
{
	ssize_t r = read(fd, si, n * sizeof(*si));

	return r < 0 ? -errno : r;
}

static int pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

static void t_sfd_read(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;
	pid_t pid;

	block(SIGUSR1, 0, 0, &set);
	fd = signalfd(-1, &set, 0);
	if (fd < 0) {
		fail("signalfd: errno %d", errno);
		return;
	}
	expect_eq(raise(SIGUSR1), 0, "raise");
	expect_eq(pending(SIGUSR1), 1, "pending before the read");
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "read after raise");
	expect_eq(si.ssi_signo, SIGUSR1, "ssi_signo");
	expect_eq(si.ssi_code, SI_TKILL, "raise: SI_TKILL");
	expect_eq(si.ssi_pid, getpid(), "ssi_pid");
	expect_eq(si.ssi_uid, 0, "ssi_uid");
	expect_eq(pending(SIGUSR1), 0, "dequeued by the read");
	expect_eq(kill(getpid(), SIGUSR1), 0, "kill");
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "read after kill");
	expect_eq(si.ssi_signo, SIGUSR1, "kill: ssi_signo");
	expect_eq(si.ssi_code, SI_USER, "kill: SI_USER");
	/* a blocking read, woken by a child's kill */
	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "read waits for a kill");
	expect_eq(si.ssi_signo, SIGUSR1, "child's kill: ssi_signo");
	expect_eq(si.ssi_pid, pid, "child's kill: ssi_pid");
	waitpid(pid, NULL, 0);
	close(fd);
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	handled++;
}

/* a signal read through the signalfd never reaches its handler */
static void t_sfd_not_delivered(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;

	signal(SIGUSR1, on_usr1);
	block(SIGUSR1, 0, 0, &set);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	raise(SIGUSR1);
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "read");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	expect_eq(handled, 0, "the handler did not run");
	/* unblocked, a signal goes to the handler, not to the signalfd */
	raise(SIGUSR1);
	expect_eq(handled, 1, "unblocked: handled");
	expect_eq(sfd_read(fd, &si, 1), -EAGAIN, "unblocked: nothing read");
	close(fd);
}

static void t_sfd_mask_update(void)
{
	struct signalfd_siginfo si;
	sigset_t set, one;
	int fd;

	block(SIGUSR1, SIGUSR2, 0, &set);
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	fd = signalfd(-1, &one, SFD_NONBLOCK);
	raise(SIGUSR2);
	expect_eq(sfd_read(fd, &si, 1), -EAGAIN, "SIGUSR2 not in the mask");
	expect_eq(pending(SIGUSR2), 1, "SIGUSR2 stays pending");
	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	expect_eq(signalfd(fd, &one, 0), fd, "update gives the same fd");
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "now SIGUSR2 is read");
	expect_eq(si.ssi_signo, SIGUSR2, "ssi_signo");
	raise(SIGUSR1);
	expect_eq(sfd_read(fd, &si, 1), -EAGAIN, "SIGUSR1 no longer");
	expect_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK,
		  "update's flags leave O_NONBLOCK as it was");
	close(fd);
}

static void t_sfd_nonblock(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;

	block(SIGUSR1, 0, 0, &set);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	expect_eq(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK, "F_GETFL");
	expect_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "F_GETFD");
	expect_eq(sfd_read(fd, &si, 1), -EAGAIN, "nothing pending: EAGAIN");
	close(fd);
	fd = signalfd(-1, &set, 0);
	expect_eq(fcntl(fd, F_GETFL), O_RDWR, "F_GETFL without flags");
	expect_eq(fcntl(fd, F_GETFD), 0, "F_GETFD without flags");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	expect_eq(sfd_read(fd, &si, 1), -EAGAIN, "F_SETFL O_NONBLOCK: EAGAIN");
	close(fd);
}

static void t_sfd_poll(void)
{
	struct signalfd_siginfo si;
	struct pollfd p;
	sigset_t set;
	pid_t pid;
	int fd;

	block(SIGUSR1, SIGUSR2, 0, &set);
	sigdelset(&set, SIGUSR2);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	p = (struct pollfd){.fd = fd, .events = POLLIN | POLLOUT};
	expect_eq(poll(&p, 1, 0), 0, "nothing pending");
	raise(SIGUSR2);
	expect_eq(poll(&p, 1, 0), 0, "a signal outside the mask: nothing");
	raise(SIGUSR1);
	expect_eq(poll(&p, 1, 0), 1, "pending: readable");
	expect_eq(p.revents, POLLIN, "POLLIN, never POLLOUT");
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "read");
	expect_eq(poll(&p, 1, 0), 0, "read: nothing again");
	/* a sleeping poll woken by a child's kill */
	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	expect_eq(poll(&p, 1, WAIT_MS), 1, "poll woken by the kill");
	expect_eq(p.revents, POLLIN, "POLLIN");
	expect_eq(sfd_read(fd, &si, 1), sizeof(si), "read it");
	expect_eq(si.ssi_pid, pid, "the child's");
	waitpid(pid, NULL, 0);
	close(fd);
}

static void t_sfd_several(void)
{
	struct signalfd_siginfo si[4];
	sigset_t set;
	int fd;

	block(SIGUSR1, SIGUSR2, SIGTERM, &set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	raise(SIGTERM);
	raise(SIGUSR2);
	raise(SIGUSR1);
	expect_eq(sfd_read(fd, si, 4), 3 * sizeof(si[0]), "three in one read");
	expect_eq(si[0].ssi_signo, SIGUSR1, "lowest first");
	expect_eq(si[1].ssi_signo, SIGUSR2, "then SIGUSR2");
	expect_eq(si[2].ssi_signo, SIGTERM, "then SIGTERM");
	/* a buffer for one and a half: one */
	raise(SIGUSR1);
	raise(SIGUSR2);
	expect_eq(read(fd, si, sizeof(si[0]) * 3 / 2), sizeof(si[0]),
		  "room for one: one");
	expect_eq(si[0].ssi_signo, SIGUSR1, "the first");
	expect_eq(sfd_read(fd, si, 4), sizeof(si[0]), "the other one later");
	expect_eq(si[0].ssi_signo, SIGUSR2, "the second");
	/* SIGCHLD with the child's exit status */
	if (fork() == 0)
		_exit(7);
	{
		struct pollfd p = {.fd = fd, .events = POLLIN};

		expect_eq(poll(&p, 1, WAIT_MS), 1, "SIGCHLD arrives");
	}
	expect_eq(sfd_read(fd, si, 4), sizeof(si[0]), "read SIGCHLD");
	expect_eq(si[0].ssi_signo, SIGCHLD, "ssi_signo SIGCHLD");
	expect_eq(si[0].ssi_code, CLD_EXITED, "CLD_EXITED");
	expect_eq(si[0].ssi_status, 7, "ssi_status");
	wait(NULL);
	close(fd);
}

struct sfd_thread {
	int fd;
	struct signalfd_siginfo si;
	ssize_t got;
};

static void *sfd_reader(void *arg)
{
	struct sfd_thread *t = arg;

	t->got = sfd_read(t->fd, &t->si, 1);
	return NULL;
}

/* a thread reads a signal sent to the process (every thread blocks it) */
static void t_sfd_thread(void)
{
	struct sfd_thread t = {.got = -1};
	pthread_t th;
	sigset_t set;

	block(SIGUSR1, 0, 0, &set); /* before the thread: both block it */
	t.fd = signalfd(-1, &set, 0);
	if (pthread_create(&th, NULL, sfd_reader, &t)) {
		fail("pthread_create");
		return;
	}
	sleep_ms(50); /* the thread is reading by then, or soon */
	expect_eq(kill(getpid(), SIGUSR1), 0, "kill the process");
	pthread_join(th, NULL);
	expect_eq(t.got, sizeof(t.si), "the thread's read");
	expect_eq(t.si.ssi_signo, SIGUSR1, "ssi_signo");
	expect_eq(t.si.ssi_code, SI_USER, "SI_USER");
	expect_eq(pending(SIGUSR1), 0, "dequeued");
	close(t.fd);
}

static void t_sfd_errors(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd, tfd, pfd[2];
	char small[64];

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	expect_err(syscall(SYS_signalfd4, -1, &set, 4, 0), EINVAL,
		   "sizemask 4");
	expect_err(syscall(SYS_signalfd4, -1, &set, 16, 0), EINVAL,
		   "sizemask 16");
	expect_err(signalfd(-1, &set, 1), EINVAL, "flags 1");
	expect_err(signalfd(-1, &set, O_APPEND), EINVAL, "flags O_APPEND");
	expect_err(syscall(SYS_signalfd4, -1, (void *)8, 8, 0), EFAULT,
		   "mask at a bad address");
	expect_err(signalfd(999, &set, 0), EBADF, "fd 999");
	expect_err(signalfd(-2, &set, 0), EBADF, "fd -2");
	pipe(pfd);
	expect_err(signalfd(pfd[0], &set, 0), EINVAL, "a pipe");
	tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	expect_err(signalfd(tfd, &set, 0), EINVAL, "a timerfd");
	/* SIGKILL and SIGSTOP in the mask: silently dropped */
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	if (fd < 0)
		fail("a mask with SIGKILL and SIGSTOP: errno %d", errno);
	expect_err(read(fd, small, sizeof(small)), EINVAL, "read of 64 bytes");
	expect_err(read(fd, &si, sizeof(si)), EAGAIN, "read, none pending");
	expect_err(write(fd, &si, sizeof(si)), EINVAL, "write");
	expect_err(timerfd_gettime(fd, NULL), EINVAL, "timerfd_gettime on it");
	close(fd);
	close(tfd);
	close(pfd[0]);
	close(pfd[1]);
}

/* ---- no leak ---- */

static long start_pages;

static void warm_up(int n)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int i = 0; i < n; i++) {
		struct itimerspec v = its(10000 * MS, 10000 * MS);
		int t = timerfd_create(CLOCK_MONOTONIC, 0);
		int s = signalfd(-1, &set, 0);

		timerfd_settime(t, 0, &v, NULL);
		close(t);
		close(s);
	}
}

static void t_leak_check(void)
{
	warm_up(20);
	expect_eq(free_pages(), start_pages,
		  "free pages after every case and 20 timerfds and "
		  "signalfds");
}

static const struct ktest_case cases[] = {
	KTEST_CASE("tfd-oneshot", t_tfd_oneshot),
	KTEST_CASE("tfd-periodic", t_tfd_periodic),
	KTEST_CASE("tfd-abstime", t_tfd_abstime),
	KTEST_CASE("tfd-gettime", t_tfd_gettime),
	KTEST_CASE("tfd-disarm", t_tfd_disarm),
	KTEST_CASE("tfd-nonblock", t_tfd_nonblock),
	KTEST_CASE("tfd-poll", t_tfd_poll),
	KTEST_CASE("tfd-errors", t_tfd_errors),
	KTEST_CASE("tfd-rearm-wakes", t_tfd_rearm_wakes),
	KTEST_CASE("tfd-fork", t_tfd_fork),
	KTEST_CASE("sfd-read", t_sfd_read),
	KTEST_CASE("sfd-not-delivered", t_sfd_not_delivered),
	KTEST_CASE("sfd-mask-update", t_sfd_mask_update),
	KTEST_CASE("sfd-nonblock", t_sfd_nonblock),
	KTEST_CASE("sfd-poll", t_sfd_poll),
	KTEST_CASE("sfd-several", t_sfd_several),
	KTEST_CASE("sfd-thread", t_sfd_thread),
	KTEST_CASE("sfd-errors", t_sfd_errors),
	KTEST_ALWAYS("leak-check", t_leak_check),
};

int main(int argc, char **argv)
{
	return lktest_main(argc, argv, "fdkinds", cases,
			   sizeof(cases) / sizeof(cases[0]), warm_up,
			   &start_pages);
}
