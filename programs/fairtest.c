/*
 * fairtest: one process's long system call must not freeze the others.
 * Each case forks a "ticker" (process B) that sleeps to absolute 10 ms
 * deadlines with clock_nanosleep(TIMER_ABSTIME) and records how late each
 * wakeup is, while the case's process (A) makes one long call:
 *
 *   readv-sparse  readv of 1 GiB (1024 x 1 MiB, one buffer) from a sparse
 *                 1 GiB file: zeros, then the one byte written at the end
 *   zero-readv    the same 1 GiB from /dev/zero
 *   writev-file   64 MiB written to a file in one writev (and read back)
 *   ring-readv    a ring READV of the sparse 1 GiB served by the IO core
 *                 while A waits for its completion
 *   ring-munmap   the same ring READV of the sparse 1 GiB served by the IO
 * core, while A munmaps an unrelated page on the normal core (which needs the
 * mm_lock the IO core holds for the walk) ring-zero     a ring READV of 1 GiB
 * from /dev/zero, with the munmap ring-unmap-buf  the ring-munmap READV with
 * the READV's own buffer unmapped mid-way: the READV ends with -EFAULT or a
 * short count, no crash signal-zero   a SIGALRM 5 ms into a 1 GiB /dev/zero
 * readv: it ends short (as Linux's read_iter_zero) signal-sparse the same into
 * the sparse file's readv: not interrupted shared-offset two processes read one
 * open file (one offset) at once: each read is one contiguous piece, they add
 * up console       64 KiB written to the console in one write()
 *
 * B's worst lateness must stay below LATE_BOUND_US (two 10 ms time slices)
 * and A's data must be right.  Lateness is measured with the monotonic
 * clock: meaningful as a bound under QEMU -icount (virtual time), which is
 * how pytests/test_fair.py runs it.  Each case prints a diagnostic line
 *   # fairtest: CASE worst_late_us=N wakeups=M
 * Output is KTAP (ktest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/abi.h>

#include "ktest.h"

#define MS	      1000000L /* ns */
#define TICK_NS	      (10 * MS)
#define LATE_BOUND_US 20000L
#define BUF_SIZE      (1L << 20)
#define NIOV	      1024 /* x BUF_SIZE = 1 GiB */
#define GIB	      (1L << 30)
#define SPARSE	      "/fair.sparse"
#define CONSOLE_BYTES (64 * 1024)
#define NO_RING	      (-1L << 40) /* ring_readv_fd: skipped, no IO core */

int main(int argc, char **argv);

static long now_ns(void)
{
	struct abi_timespec ts;

	__syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* libuser has no fork() or pipe(): the raw calls */
static int do_fork(void)
{
	return __syscall6(SYS_clone, ABI_SIGCHLD, 0, 0, 0, 0, 0);
}

static int do_pipe(int fds[2], int flags)
{
	return __syscall2(SYS_pipe2, fds, flags);
}

static void sleep_until(long t)
{
	struct abi_timespec ts = {t / 1000000000L, t % 1000000000L};

	while (__syscall4(SYS_clock_nanosleep, ABI_CLOCK_MONOTONIC,
			  ABI_TIMER_ABSTIME, &ts, 0) == -EINTR)
		;
}

/*
 * B: 10 ms ticks until A writes to done_rd (non-blocking), then the worst
 * lateness (us) and the number of wakeups go to res_wr.
 */
static void ticker(int ready_wr, int done_rd, int res_wr)
{
	long t = now_ns(), worst = 0, res[2];
	long n = 0;
	char c;

	write(ready_wr, "r", 1);
	for (;;) {
		long late;

		t += TICK_NS;
		sleep_until(t);
		late = now_ns() - t;
		if (late > worst)
			worst = late;
		n++;
		if (read(done_rd, &c, 1) == 1)
			break;
	}
	res[0] = worst / 1000;
	res[1] = n;
	write(res_wr, res, sizeof(res));
	_exit(0);
}

struct tick {
	int pid, done_wr, res_rd;
};

/* Fork B and wait until it ticks. */
static bool tick_start(struct tick *tk)
{
	int ready[2], done[2], res[2];
	char c;

	if (!expect_eq(do_pipe(ready, 0), 0, "pipe2") ||
	    !expect_eq(do_pipe(done, ABI_O_NONBLOCK), 0, "pipe2(O_NONBLOCK)") ||
	    !expect_eq(do_pipe(res, 0), 0, "pipe2"))
		return false;
	tk->pid = do_fork();
	if (tk->pid == 0) {
		close(ready[0]);
		close(done[1]);
		close(res[0]);
		ticker(ready[1], done[0], res[1]);
	}
	close(ready[1]);
	close(done[0]);
	close(res[1]);
	tk->done_wr = done[1];
	tk->res_rd = res[0];
	expect_eq(read(ready[0], &c, 1), 1, "the ticker started");
	close(ready[0]);
	return expect_true(tk->pid > 0, "fork");
}

/* Stop B; check and show its worst lateness. */
static void tick_stop(struct tick *tk, const char *what)
{
	long res[2] = {-1, -1};
	int st;

	write(tk->done_wr, "d", 1);
	expect_eq(read(tk->res_rd, res, sizeof(res)), sizeof(res),
		  "the ticker's figures");
	expect_eq(waitpid(tk->pid, &st, 0), tk->pid, "waitpid(ticker)");
	close(tk->done_wr);
	close(tk->res_rd);
	ktest_diag("fairtest: %s worst_late_us=%ld wakeups=%ld", what, res[0],
		   res[1]);
	expect_true(res[0] >= 0 && res[0] < LATE_BOUND_US,
		    "worst lateness %ld us < %ld us", res[0], LATE_BOUND_US);
}

/* The 1 GiB sparse file: a hole, then 'x' as its last byte. */
static int sparse_make(void)
{
	int fd = open(SPARSE, O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!expect_true(fd >= 0, "open " SPARSE))
		return -1;
	expect_eq(lseek(fd, GIB - 1, SEEK_SET), GIB - 1, "lseek");
	expect_eq(write(fd, "x", 1), 1, "write the last byte");
	expect_eq(lseek(fd, 0, SEEK_SET), 0, "lseek 0");
	return fd;
}

static uint8_t *buf_map(void)
{
	uint8_t *b = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!expect_true(b != MAP_FAILED, "mmap the buffer"))
		return NULL;
	memset(b, 0xff, BUF_SIZE);
	return b;
}

static void iov_fill(struct iovec *iov, uint8_t *b)
{
	for (int i = 0; i < NIOV; i++)
		iov[i] = (struct iovec){b, BUF_SIZE};
}

/* The buffer after the last 1 MiB of the file: zeros, then last. */
static void expect_tail(const uint8_t *b, int last, const char *what)
{
	long bad = -1;

	for (long i = 0; i < BUF_SIZE - 1 && bad < 0; i++)
		if (b[i])
			bad = i;
	expect_eq(bad, -1, "%s: first nonzero byte", what);
	expect_eq(b[BUF_SIZE - 1], last, "%s: the last byte", what);
}

static struct iovec iov[NIOV];

static void t_readv_sparse(void)
{
	struct tick tk;
	uint8_t *b;
	int fd = sparse_make();

	if (fd < 0 || !(b = buf_map()) || !tick_start(&tk))
		return;
	iov_fill(iov, b);
	expect_eq(readv(fd, iov, NIOV), GIB, "readv 1 GiB");
	tick_stop(&tk, "readv-sparse");
	expect_tail(b, 'x', "readv");
	expect_eq(lseek(fd, 0, SEEK_CUR), GIB, "the offset after it");
	close(fd);
	unlink(SPARSE);
	munmap(b, BUF_SIZE);
}

static void t_zero_readv(void)
{
	struct tick tk;
	uint8_t *b;
	int fd = open("/dev/zero", O_RDONLY);

	if (!expect_true(fd >= 0, "open /dev/zero") || !(b = buf_map()) ||
	    !tick_start(&tk))
		return;
	iov_fill(iov, b);
	expect_eq(readv(fd, iov, NIOV), GIB, "readv 1 GiB of /dev/zero");
	tick_stop(&tk, "zero-readv");
	expect_tail(b, 0, "/dev/zero");
	close(fd);
	munmap(b, BUF_SIZE);
}

/* 64 MiB written to a file in one writev, then read back. */
#define WFILE	  "/fair.written"
#define WFILE_IOV 64 /* x BUF_SIZE */

static void t_writev_file(void)
{
	struct tick tk;
	uint8_t *b = buf_map();
	int fd = open(WFILE, O_CREAT | O_RDWR | O_TRUNC, 0644);
	long bad = -1;

	if (!b || !expect_true(fd >= 0, "open " WFILE))
		return;
	for (long i = 0; i < BUF_SIZE; i++)
		b[i] = i * 7 + 1;
	iov_fill(iov, b);
	if (!tick_start(&tk))
		return;
	expect_eq(writev(fd, iov, WFILE_IOV), WFILE_IOV * BUF_SIZE,
		  "writev 64 MiB");
	tick_stop(&tk, "writev-file");
	expect_eq(lseek(fd, 0, SEEK_CUR), WFILE_IOV * BUF_SIZE,
		  "the offset after it");
	memset(b, 0, BUF_SIZE);
	expect_eq(pread(fd, b, BUF_SIZE, (WFILE_IOV - 1) * BUF_SIZE), BUF_SIZE,
		  "pread the last 1 MiB");
	for (long i = 0; i < BUF_SIZE && bad < 0; i++)
		if (b[i] != (uint8_t)(i * 7 + 1))
			bad = i;
	expect_eq(bad, -1, "the last 1 MiB: first wrong byte");
	close(fd);
	unlink(WFILE);
	munmap(b, BUF_SIZE);
}

/*
 * A ring READV of the sparse file; once the IO core is at it (2 ms on),
 * munmap `victim` (if any) from the normal core.  Returns the READV's result.
 */
static long ring_readv_fd(int fd, uint8_t *b, void *victim, long vlen,
			  const char *what);

static long ring_readv_munmap(uint8_t *b, void *victim, long vlen,
			      const char *what)
{
	long res = ring_readv_fd(sparse_make(), b, victim, vlen, what);

	unlink(SPARSE);
	return res;
}

/* The same READV from fd (closed here). */
static long ring_readv_fd(int fd, uint8_t *b, void *victim, long vlen,
			  const char *what)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct tick tk;
	long res = -1;

	if (fd < 0)
		return -1;
	res = io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL);
	if (res == -ENODEV) {
		ktest_skip("no IO core");
		res = NO_RING;
		goto out_fd;
	}
	if (!expect_eq(res, 0, "queue_init"))
		goto out_fd;
	res = -1;
	if (!tick_start(&tk))
		goto out_ring;
	iov_fill(iov, b);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_readv(sqe, fd, iov, NIOV, 0);
	expect_eq(io_uring_submit(&ring), 1, "submit the READV");
	sleep_until(now_ns() + 2 * MS);
	if (victim)
		expect_eq(munmap(victim, vlen), 0, "munmap");
	if (expect_eq(io_uring_wait_cqe(&ring, &cqe), 0, "wait_cqe")) {
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	tick_stop(&tk, what);
out_ring:
	io_uring_queue_exit(&ring);
out_fd:
	close(fd);
	return res;
}

static void t_ring_readv(void)
{
	uint8_t *b = buf_map();
	long r;

	if (!b)
		return;
	r = ring_readv_munmap(b, NULL, 0, "ring-readv");
	if (r == NO_RING)
		return;
	expect_eq(r, GIB, "the READV's result");
	expect_tail(b, 'x', "ring READV");
	munmap(b, BUF_SIZE);
}

static void t_ring_munmap(void)
{
	uint8_t *b = buf_map();
	void *other = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r;

	if (!b || !expect_true(other != MAP_FAILED, "mmap a page"))
		return;
	r = ring_readv_munmap(b, other, 4096, "ring-munmap");
	if (r == NO_RING)
		return;
	expect_eq(r, GIB, "the READV's result");
	expect_tail(b, 'x', "ring READV");
	munmap(b, BUF_SIZE);
}

static void t_ring_zero(void)
{
	uint8_t *b = buf_map();
	void *other = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r;

	if (!b || !expect_true(other != MAP_FAILED, "mmap a page"))
		return;
	r = ring_readv_fd(open("/dev/zero", O_RDONLY), b, other, 4096,
			  "ring-zero");
	if (r == NO_RING)
		return;
	expect_eq(r, GIB, "the READV's result");
	expect_tail(b, 0, "ring READV of /dev/zero");
	munmap(b, BUF_SIZE);
}

static void t_ring_unmap_buf(void)
{
	uint8_t *b = buf_map();
	long r;

	if (!b)
		return;
	r = ring_readv_munmap(b, b, BUF_SIZE, "ring-unmap-buf");
	if (r == NO_RING)
		return;
	ktest_diag("fairtest: ring-unmap-buf READV result %ld", r);
	expect_true(r == -EFAULT || (r >= 0 && r < GIB),
		    "READV with its buffer unmapped: -EFAULT or short, got %ld",
		    r);
}

/*
 * A signal during a long read: /dev/zero ends short with what it read (as
 * Linux's read_iter_zero), a regular file's read is not interrupted.
 */
static volatile int alarms;

static void on_alarm(int sig)
{
	alarms++;
}

static bool alarm_in(long us)
{
	struct abi_sigaction sa = {.sa_handler = (uint64_t)on_alarm};
	long itv[4] = {0, 0, us / 1000000, us % 1000000};

	alarms = 0;
	return expect_eq(__syscall4(SYS_rt_sigaction, ABI_SIGALRM, &sa, 0, 8),
			 0, "rt_sigaction(SIGALRM)") &&
	       expect_eq(__syscall3(SYS_setitimer, ABI_ITIMER_REAL, itv, 0), 0,
			 "setitimer 5 ms");
}

static void t_signal_zero(void)
{
	uint8_t *b = buf_map();
	int fd = open("/dev/zero", O_RDONLY);
	long r;

	if (!b || !expect_true(fd >= 0, "open /dev/zero") || !alarm_in(5000))
		return;
	iov_fill(iov, b);
	r = readv(fd, iov, NIOV);
	expect_eq(alarms, 1, "SIGALRM handled");
	expect_true(r > 0 && r < GIB, "readv of /dev/zero ends short: %ld", r);
	close(fd);
	munmap(b, BUF_SIZE);
}

static void t_signal_sparse(void)
{
	uint8_t *b = buf_map();
	int fd = sparse_make();

	if (!b || fd < 0 || !alarm_in(5000))
		return;
	iov_fill(iov, b);
	expect_eq(readv(fd, iov, NIOV), GIB, "readv of a file: the whole");
	expect_eq(alarms, 1, "SIGALRM handled");
	expect_tail(b, 'x', "readv");
	close(fd);
	unlink(SPARSE);
	munmap(b, BUF_SIZE);
}

/*
 * Two processes read one open file (one offset) at once, 8 MiB a call: each
 * call's bytes are one contiguous piece of the file (a call that pauses
 * has claimed its range), and the pieces add up to the file.
 */
#define SHARED	    "/fair.shared"
#define SHARED_SIZE (32L << 20)
#define SHARED_READ (8L << 20)

static long shared_reader(int fd, uint32_t *buf)
{
	long total = 0, r;

	while ((r = read(fd, buf, SHARED_READ)) > 0) {
		uint32_t first = buf[0];

		for (long i = 0; i < r / 4; i++)
			if (buf[i] != first + i)
				return -1000000 - i;
		if (first % (SHARED_READ / 4))
			return -2; /* not at a read-size boundary */
		total += r;
	}
	return r < 0 ? r : total;
}

static void t_shared_offset(void)
{
	uint32_t *buf = mmap(NULL, SHARED_READ, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(SHARED, O_CREAT | O_RDWR | O_TRUNC, 0644), pid, st;
	int res[2];
	long mine, theirs = -1;
	struct tick tk;

	if (!expect_true(buf != MAP_FAILED, "mmap") ||
	    !expect_true(fd >= 0, "open " SHARED))
		return;
	for (long off = 0; off < SHARED_SIZE; off += SHARED_READ) {
		for (long i = 0; i < SHARED_READ / 4; i++)
			buf[i] = off / 4 + i;
		if (!expect_eq(write(fd, buf, SHARED_READ), SHARED_READ,
			       "write 8 MiB"))
			return;
	}
	expect_eq(lseek(fd, 0, SEEK_SET), 0, "lseek 0");
	if (!tick_start(&tk) || !expect_eq(do_pipe(res, 0), 0, "pipe2"))
		return;
	pid = do_fork();
	if (pid == 0) {
		mine = shared_reader(fd, buf);
		write(res[1], &mine, sizeof(mine));
		_exit(0);
	}
	mine = shared_reader(fd, buf);
	expect_eq(read(res[0], &theirs, sizeof(theirs)), sizeof(theirs),
		  "the other reader's total");
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
	tick_stop(&tk, "shared-offset");
	ktest_diag("fairtest: shared-offset read %ld + %ld bytes", mine,
		   theirs);
	expect_true(mine >= 0 && theirs >= 0, "each read was one piece");
	expect_eq(mine + theirs, SHARED_SIZE, "the pieces add up");
	close(res[0]);
	close(res[1]);
	close(fd);
	unlink(SHARED);
	munmap(buf, SHARED_READ);
}

static void t_console(void)
{
	static char text[CONSOLE_BYTES];
	struct tick tk;

	for (int i = 0; i < CONSOLE_BYTES; i++)
		text[i] = i % 64 == 63 ? '\n' : 'a' + i % 64 % 26;
	if (!tick_start(&tk))
		return;
	expect_eq(write(1, text, sizeof(text)), sizeof(text),
		  "write 64 KiB to the console");
	tick_stop(&tk, "console");
}

static int start(void)
{
	ktest_leak_baseline();
	return 0;
}

/* The cases, in order; pytests/test_fair.py makes one pytest item per line. */
static const struct ktest_case cases[] = {
	KTEST_CASE("readv-sparse", t_readv_sparse),
	KTEST_CASE("zero-readv", t_zero_readv),
	KTEST_CASE("writev-file", t_writev_file),
	KTEST_CASE("ring-readv", t_ring_readv),
	KTEST_CASE("ring-munmap", t_ring_munmap),
	KTEST_CASE("ring-zero", t_ring_zero),
	KTEST_CASE("ring-unmap-buf", t_ring_unmap_buf),
	KTEST_CASE("signal-zero", t_signal_zero),
	KTEST_CASE("signal-sparse", t_signal_sparse),
	KTEST_CASE("shared-offset", t_shared_offset),
	KTEST_CASE("console", t_console),
	KTEST_ALWAYS("leak-check", ktest_leak_check),
};

static const struct ktest_suite suite = KTEST_SUITE("fairtest", cases, start);

int main(int argc, char **argv)
{
	return ktest_main(&suite, argc, argv);
}
