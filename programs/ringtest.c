/*
 * ringtest: checks of the rings (io_uring set-up, the IO core's operations
 * and errors, overflow, several rings, several processes), written against
 * liburing.h.  Output is KTAP (ktest.h): each case runs in a process of its
 * own, on a ring of its own, and gets one result line; then
 *   ringtest: passed=N failed=M
 * `ringtest CASE...` runs only those cases (and leak-check).  Exit status 0
 * if every case passed, else 1.
 *
 * Nothing here depends on how fast the host is: a check that needs the IO
 * core to have done something (gone to sleep, taken the SQEs) waits for it
 * to show, and a check of completion order against a timeout retries with
 * a longer timeout when the clock says the timeout was already due.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/abi.h>
#include <uapi/layout.h>

#include "ktest.h"

#define HELLO_TEXT "Hello from the memory file system.\n"
#define KADDR	   ((void *)KERNEL_BASE) /* the kernel's text */
#define MS	   1000000L		/* ns */

int main(int argc, char **argv);

static long now_ns(void)
{
	struct abi_timespec ts;

	if (__syscall2(SYS_clock_gettime, ABI_CLOCK_MONOTONIC, &ts) < 0)
		return -1;
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static struct __kernel_timespec ts_ms(long ms)
{
	return (struct __kernel_timespec){ms / 1000, ms % 1000 * MS};
}

/*
 * Wait for the IO core to set IORING_SQ_NEED_WAKEUP (it does when it goes
 * to sleep after sq_thread_idle without work), a 1 ms sleep at a time, for
 * at least 10 s: whether it has by some time depends on the host.
 */
static bool await_need_wakeup(struct io_uring *ring)
{
	for (int i = 0; i < 10000; i++) {
		if (io_uring_smp_load_acquire(ring->sq.kflags) &
		    IORING_SQ_NEED_WAKEUP)
			return true;
		usleep(1000);
	}
	return false;
}

/* Submit one prepared SQE and wait for its CQE; returns res. */
static int run_one(struct io_uring *ring, uint64_t data)
{
	struct io_uring_cqe *cqe = NULL;
	int r, res;

	r = io_uring_submit(ring);
	expect_eq(r, 1, "submit (user_data %lu)", (unsigned long)data);
	r = io_uring_wait_cqe(ring, &cqe);
	if (!expect_eq(r, 0, "wait_cqe (user_data %lu)", (unsigned long)data) ||
	    !expect_true(cqe != NULL, "a CQE (user_data %lu)",
			 (unsigned long)data))
		return -9999;
	expect_eq(cqe->user_data, data, "user_data of the CQE");
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* Reap n CQEs into order[] (user_data) and res[]; returns how many.  With
 * t0 (ns), *first is how long after t0 the first CQE was seen. */
static int reap_timed(struct io_uring *ring, int n, uint64_t *order, int *res,
		      long t0, long *first)
{
	struct io_uring_cqe *cqe;
	int i;

	for (i = 0; i < n; i++) {
		if (io_uring_wait_cqe(ring, &cqe))
			break;
		if (i == 0 && first)
			*first = now_ns() - t0;
		order[i] = cqe->user_data;
		res[i] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	return i;
}

static int reap(struct io_uring *ring, int n, uint64_t *order, int *res)
{
	return reap_timed(ring, n, order, res, 0, NULL);
}

static struct io_uring_sqe *sqe_data(struct io_uring *ring, uint64_t data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_nop(sqe);
	sqe->user_data = data;
	return sqe;
}

static void t_setup(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	int r;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	r = io_uring_queue_init_params(6, &ring, &p);
	if (!expect_eq(r, 0, "queue_init_params(6)"))
		return;
	expect_eq(p.sq_entries, 8, "SQ entries (6 rounded up to a power of 2)");
	expect_eq(p.cq_entries, 16, "CQ entries (twice the SQ's)");
	expect_true(p.features & IORING_FEAT_NODROP, "IORING_FEAT_NODROP");
	expect_eq(*ring.sq.kring_entries, 8, "ring header: SQ entries");
	expect_eq(*ring.cq.kring_mask, 15, "ring header: CQ mask");
	expect_eq(io_uring_sq_space_left(&ring), 8, "SQ space left");
	io_uring_queue_exit(&ring);

	memset(&p, 0, sizeof(p));
	expect_errno(io_uring_setup(0, &p), -EINVAL, "0 entries");
	expect_errno(io_uring_setup(IORING_MAX_ENTRIES + 1, &p), -EINVAL,
		     "too many entries");
	p.flags = IORING_SETUP_CLAMP;
	r = io_uring_setup(IORING_MAX_ENTRIES + 1, &p);
	if (expect_ge(r, 0, "CLAMP with too many entries")) {
		expect_eq(p.sq_entries, IORING_MAX_ENTRIES,
			  "CLAMP: SQ entries");
		close(r);
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
	p.sq_thread_cpu = 4096;
	expect_errno(io_uring_setup(8, &p), -EINVAL,
		     "SQ_AFF with a CPU that does not exist");
	/* the largest ring Linux allows, used: 32768 SQEs, 65536 CQEs */
	struct io_uring big;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = IORING_MAX_CQ_ENTRIES;
	if (expect_eq(io_uring_queue_init_params(IORING_MAX_ENTRIES, &big, &p),
		      0, "a ring of 32768 SQEs and 65536 CQEs")) {
		for (int i = 0; i < 3; i++)
			io_uring_prep_nop(io_uring_get_sqe(&big));
		expect_eq(io_uring_submit(&big), 3, "3 NOPs on it");
		expect_eq(io_uring_cq_ready(&big), 3, "their CQEs");
		/* IORING_REGISTER_PROBE: every opcode's truth */
		static union {
			struct io_uring_probe p;
			char room[sizeof(struct io_uring_probe) + 256 * 8];
		} pr;

		expect_eq(io_uring_register(big.ring_fd, IORING_REGISTER_PROBE,
					    &pr, 256),
			  0, "IORING_REGISTER_PROBE");
		expect_eq(pr.p.last_op, IORING_OP_LAST - 1, "probe: last_op");
		expect_eq(pr.p.ops_len, IORING_OP_LAST, "probe: ops_len");
		expect_true((pr.p.ops[IORING_OP_NOP].flags &
			     IO_URING_OP_SUPPORTED) &&
				    (pr.p.ops[IORING_OP_FSYNC].flags &
				     IO_URING_OP_SUPPORTED) &&
				    pr.p.ops[IORING_OP_READ].op == IORING_OP_READ &&
				    (pr.p.ops[IORING_OP_POLL_ADD].flags &
				     IO_URING_OP_SUPPORTED) &&
				    !pr.p.ops[IORING_OP_SENDMSG].flags,
			    "probe: NOP, FSYNC, READ and POLL_ADD run, SENDMSG does not");
		expect_errno(io_uring_register(big.ring_fd,
					       IORING_REGISTER_PROBE, &pr, 4),
			     -EINVAL, "probe: not zeroed on the way in");
		io_uring_queue_exit(&big);
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SQPOLL;
	p.cq_entries = 100;
	r = io_uring_setup(16, &p);
	if (expect_ge(r, 0, "CQSIZE 100")) {
		expect_eq(p.cq_entries, 128, "CQSIZE 100: CQ entries");
		close(r);
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SQPOLL;
	p.cq_entries = 4;
	expect_errno(io_uring_setup(16, &p), -EINVAL, "CQ smaller than SQ");
	{
		/* IOPOLL, as Linux: a NOP runs; a read of a file that cannot
		 * be polled for completion (none here is) -EOPNOTSUPP */
		struct io_uring io;
		struct io_uring_sqe *sqe;
		char c;

		if (expect_eq(io_uring_queue_init(4, &io, IORING_SETUP_IOPOLL),
			      0, "IOPOLL ring")) {
			sqe_data(&io, 90);
			expect_eq(run_one(&io, 90), 0, "NOP on an IOPOLL ring");
			sqe = io_uring_get_sqe(&io);
			io_uring_prep_read(sqe, 0, &c, 1, 0);
			sqe->user_data = 91;
			expect_errno(run_one(&io, 91), -EOPNOTSUPP,
				     "READ on an IOPOLL ring");
			io_uring_queue_exit(&io);
		}
	}
	memset(&p, 0, sizeof(p));
	p.resv[1] = 1;
	expect_errno(io_uring_setup(8, &p), -EINVAL, "reserved field set");
	expect_errno(io_uring_setup(8, KADDR), -EFAULT,
		     "params in kernel memory");
	/* valid (all zero) params the kernel cannot write back */
	static const struct io_uring_params ro_params
		__attribute__((section(".rodata")));
	expect_errno(io_uring_setup(8, (struct io_uring_params *)&ro_params),
		     -EFAULT, "params in read-only memory");
	expect_errno(io_uring_setup(8, (void *)main), -EINVAL,
		     "params that are code: reserved fields set");
	expect_errno(io_uring_enter(1, 0, 0, 0, NULL), -EOPNOTSUPP,
		     "enter on a non-ring fd");
	expect_errno(io_uring_enter(99, 0, 0, 0, NULL), -EBADF,
		     "enter on a bad fd");
	expect_true(mmap(NULL, 4096, PROT_READ, MAP_SHARED, 0, 0) ==
				    MAP_FAILED &&
			    errno == ENODEV,
		    "mmap of the console fails with ENODEV");
}

static void t_nop(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;
	int seen = 0;

	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 42);
	expect_eq(run_one(ring, 42), 0, "nop");
	/* a batch, reaped with for_each */
	for (int i = 0; i < 8; i++) {
		sqe = io_uring_get_sqe(ring);
		if (!expect_true(sqe != NULL, "get_sqe %d of 8", i))
			return;
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data(sqe, (void *)(uintptr_t)(100 + i));
	}
	expect_true(io_uring_get_sqe(ring) == NULL, "SQ full after 8");
	expect_eq(io_uring_submit_and_wait(ring, 8), 8, "submit_and_wait(8)");
	expect_eq(io_uring_cq_ready(ring), 8, "cq_ready");
	io_uring_for_each_cqe(ring, head, cqe) {
		uintptr_t d = (uintptr_t)io_uring_cqe_get_data(cqe) - 100;

		if (d < 8)
			seen |= 1 << d;
		else
			ktest_fail("user_data %lu", (unsigned long)d + 100);
		expect_eq(cqe->res, 0, "res of NOP %lu",
			  (unsigned long)d + 100);
		n++;
	}
	io_uring_cq_advance(ring, n);
	expect_eq(seen, 0xff, "user_data seen (a bit each)");
}

static void t_rw(struct io_uring *ring)
{
	char buf[64] = {0}, back[64] = {0};
	struct io_uring_sqe *sqe;
	int fd, r;

	fd = open("/data/hello.txt", O_RDONLY);
	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, sizeof(buf), 0);
	sqe->user_data = 1;
	expect_eq(run_one(ring, 1), 35, "read at 0");
	expect_true(!strcmp(buf, HELLO_TEXT), "read at 0: got '%s'", buf);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, 5, 6);
	sqe->user_data = 2;
	expect_eq(run_one(ring, 2), 5, "read at 6");
	expect_mem(buf, "from ", 5, "read at 6: content");
	/* offset -1: the file position, which it advances */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, 4, -1);
	sqe->user_data = 3;
	expect_eq(run_one(ring, 3), 4, "read at the position");
	expect_mem(buf, "Hell", 4, "read at the position: content");
	expect_eq(lseek(fd, 0, SEEK_CUR), 4, "the position after it");
	/* into anonymous memory never touched: the IO core pages it in, as
	 * Linux's SQPOLL thread would fault it in */
	char *fresh = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (expect_true(fresh != MAP_FAILED, "mmap 3 fresh pages")) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, fresh + 4096 - 10, 35, 0);
		sqe->user_data = 5;
		expect_eq(run_one(ring, 5), 35, "read into untouched pages");
		expect_mem(fresh + 4096 - 10, HELLO_TEXT, 35,
			   "read into untouched pages: content");
		expect_eq(fresh[0] | fresh[3 * 4096 - 1], 0,
			  "the rest reads as zeros");
		munmap(fresh, 3 * 4096);
	}
	close(fd);

	fd = open("/tmp/ring-rw", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(fd, 0, "open /tmp/ring-rw"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, fd, "through the ring", 16, 0);
	sqe->user_data = 4;
	expect_eq(run_one(ring, 4), 16, "write");
	r = pread(fd, back, sizeof(back), 0);
	expect_eq(r, 16, "read back with pread");
	expect_mem(back, "through the ring", 16, "read back: content");
	close(fd);
	unlink("/tmp/ring-rw");
}

static void t_openat_close(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	char buf[8];
	int fd;

	io_uring_prep_openat(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY, 0);
	sqe->user_data = 7;
	fd = run_one(ring, 7);
	if (!expect_ge(fd, 3, "openat"))
		return;
	expect_true(read(fd, buf, 5) == 5 && !memcmp(buf, "Hello", 5),
		    "the fd works with read(2)");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, fd);
	sqe->user_data = 8;
	expect_eq(run_one(ring, 8), 0, "close");
	expect_true(read(fd, buf, 1) < 0 && errno == EBADF,
		    "read(2) of the closed fd fails with EBADF");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "/data/none", O_RDONLY, 0);
	sqe->user_data = 9;
	expect_errno(run_one(ring, 9), -ENOENT, "openat of a missing file");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "/tmp/ring-new",
			     O_WRONLY | O_CREAT | O_EXCL, 0644);
	sqe->user_data = 10;
	fd = run_one(ring, 10);
	if (expect_ge(fd, 0, "openat O_CREAT|O_EXCL"))
		close(fd);
	expect_eq(unlink("/tmp/ring-new"), 0, "unlink the file it made");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, ring->ring_fd);
	sqe->user_data = 11;
	expect_errno(run_one(ring, 11), -EBADF,
		     "closing the ring through itself");
}

static void t_errors(struct io_uring *ring)
{
	char buf[16];
	int fd = open("/data/hello.txt", O_RDONLY);
	struct io_uring_sqe *sqe;
	struct {
		const char *what;
		void *addr;
	} bad[] = {
		{"NULL", NULL},
		{"kernel", KADDR},
		{"unmapped", (void *)0x50000000},
		{"read-only", (void *)main},
	};

	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 99, buf, 4, 0);
	sqe->user_data = 1;
	expect_errno(run_one(ring, 1), -EBADF, "read from a bad fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, fd, "x", 1, 0);
	sqe->user_data = 2;
	expect_errno(run_one(ring, 2), -EBADF, "write to a read-only fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->opcode = 200;
	sqe->user_data = 3;
	expect_errno(run_one(ring, 3), -EINVAL, "bad opcode");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->addr3 = 1;
	sqe->user_data = 4;
	expect_errno(run_one(ring, 4), -EINVAL, "reserved field");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, 4, 0);
	sqe->rw_flags = 1;
	sqe->user_data = 5;
	expect_errno(run_one(ring, 5), -EINVAL, "rw_flags");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, fd);
	sqe->len = 1;
	sqe->user_data = 6;
	expect_errno(run_one(ring, 6), -EINVAL, "close with len set");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, bad[i].addr, 4, 0);
		sqe->user_data = 10 + i;
		expect_errno(run_one(ring, 10 + i), -EFAULT, "read into %s",
			     bad[i].what);
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_openat(sqe, AT_FDCWD, bad[i].addr, O_RDONLY, 0);
		sqe->user_data = 20 + i;
		if (i < 3)
			expect_errno(run_one(ring, 20 + i), -EFAULT,
				     "openat path in %s", bad[i].what);
		else
			run_one(ring, 20 + i); /* readable: just garbage */
	}
	close(fd);
}

static void t_garbage(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;
	unsigned before = *ring->sq.kdropped;

	/* an SQ array index out of range: dropped and counted */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	unsigned slot = *ring->sq.ktail & ring->sq.ring_mask;

	ring->sq.array[slot] = 1000;
	ring->sq.sqe_head = ring->sq.sqe_tail;
	io_uring_smp_store_release(ring->sq.ktail, *ring->sq.ktail + 1);
	io_uring_enter(ring->ring_fd, 1, 0, IORING_ENTER_SQ_WAKEUP, NULL);
	while (io_uring_smp_load_acquire(ring->sq.khead) != *ring->sq.ktail)
		sched_yield();
	expect_eq(*ring->sq.kdropped, before + 1, "entries dropped");
	ring->sq.array[slot] = slot; /* liburing keeps slot i at SQE i */
	expect_eq(io_uring_cq_ready(ring), 0, "CQEs for a dropped entry");
	/* a tail far ahead of the head: rejected, counted */
	unsigned tail = *ring->sq.ktail;

	io_uring_smp_store_release(ring->sq.ktail, tail + 100000);
	io_uring_enter(ring->ring_fd, 1, 0, IORING_ENTER_SQ_WAKEUP, NULL);
	while (io_uring_smp_load_acquire(ring->sq.khead) != tail + 100000)
		sched_yield();
	expect_eq(*ring->sq.kdropped, before + 1 + 100000,
		  "entries dropped with a tail 100000 ahead");
	ring->sq.sqe_head = ring->sq.sqe_tail = tail + 100000;
	/* and the ring still works */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 77;
	expect_eq(run_one(ring, 77), 0, "nop after garbage");
}

/*
 * The SQE flags beyond LINK and DRAIN, and FSYNC: IOSQE_ASYNC runs the
 * request (as everything runs here); IOSQE_FIXED_FILE with no registered
 * files is -EBADF; IOSQE_CQE_SKIP_SUCCESS posts no CQE on success, one on
 * failure; after an IOSQE_IO_HARDLINK member fails the chain goes on.
 */
static void t_sqe_flags(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;
	uint64_t order[4];
	int res[4], fd;

	sqe = sqe_data(ring, 1);
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	expect_eq(run_one(ring, 1), 0, "NOP with IOSQE_ASYNC");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 0, res, 4, 0);
	sqe->user_data = 2;
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	expect_errno(run_one(ring, 2), -EBADF,
		     "READ of fixed file 0 with none registered");
	/* skipped on success: only 4's CQE (a failure) and 5's come */
	sqe = sqe_data(ring, 3);
	io_uring_sqe_set_flags(sqe, IOSQE_CQE_SKIP_SUCCESS);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1000, res, 4, 0);
	sqe->user_data = 4;
	io_uring_sqe_set_flags(sqe, IOSQE_CQE_SKIP_SUCCESS);
	sqe_data(ring, 5);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 2, order, res), 2, "CQEs with SKIP_SUCCESS"))
		expect_true(order[0] == 4 && res[0] == -EBADF && order[1] == 5,
			    "got %lu %s, %lu; want 4 -EBADF, 5",
			    (unsigned long)order[0], ktest_err(res[0]),
			    (unsigned long)order[1]);
	usleep(2000);
	expect_eq(io_uring_cq_ready(ring), 0, "no CQE for the skipped NOP");
	/* a hard link: its failure does not cancel what follows */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1000, res, 4, 0);
	sqe->user_data = 6;
	io_uring_sqe_set_flags(sqe, IOSQE_IO_HARDLINK);
	sqe_data(ring, 7);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 2, order, res), 2, "CQEs of a hard link"))
		expect_true(res[0] == -EBADF && order[1] == 7 && res[1] == 0,
			    "got %s, %lu %s; want -EBADF, 7 0",
			    ktest_err(res[0]), (unsigned long)order[1],
			    ktest_err(res[1]));
	/* FSYNC: a memory-FS file has nothing to write back */
	fd = open("/tmp/ring-fsync", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(fd, 0, "open a file"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_fsync(sqe, fd, 0);
	sqe->user_data = 8;
	expect_eq(run_one(ring, 8), 0, "FSYNC");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
	sqe->user_data = 9;
	expect_eq(run_one(ring, 9), 0, "FSYNC with IORING_FSYNC_DATASYNC");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_fsync(sqe, fd, 2);
	sqe->user_data = 10;
	expect_errno(run_one(ring, 10), -EINVAL, "FSYNC with unknown flags");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_fsync(sqe, ring->ring_fd, 0);
	sqe->user_data = 11;
	expect_errno(run_one(ring, 11), -EINVAL, "FSYNC of a ring fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_fsync(sqe, 1000, 0);
	sqe->user_data = 12;
	expect_errno(run_one(ring, 12), -EBADF, "FSYNC of a bad fd");
	close(fd);
	unlink("/tmp/ring-fsync");
}

/*
 * A ring set up without IORING_SETUP_SQPOLL follows Linux's default
 * contract: SQEs are consumed only by io_uring_enter, which returns the
 * count it took, with the completions that came at once already in the
 * CQ; it stops after an SQE that fails to submit, unless
 * IORING_SETUP_SUBMIT_ALL (liburing's sq-space_left test).
 */
static void enter_contract(unsigned flags)
{
	bool all = flags & IORING_SETUP_SUBMIT_ALL;
	struct __kernel_timespec ts = ts_ms(20);
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	uint64_t order[8];
	int res[8];

	if (!expect_eq(io_uring_queue_init(8, &ring, flags), 0, "queue_init"))
		return;
	/* published but not entered: nothing is taken */
	sqe_data(&ring, 1);
	sqe_data(&ring, 2);
	io_uring_smp_store_release(ring.sq.ktail, ring.sq.sqe_tail);
	usleep(5000);
	expect_eq(io_uring_smp_load_acquire(ring.sq.khead), 0,
		  "no SQE taken without io_uring_enter");
	expect_eq(io_uring_cq_ready(&ring), 0, "and no CQE");
	/* io_uring_submit: both taken, both CQEs there when it returns */
	expect_eq(io_uring_submit(&ring), 2, "submit takes the 2 published");
	expect_eq(io_uring_cq_ready(&ring), 2, "their CQEs are in the CQ");
	expect_eq(io_uring_sq_ready(&ring), 0, "nothing left in the SQ");
	reap(&ring, 2, order, res);
	/* the 4th of 8 fails to submit (a bad opcode) */
	for (int i = 0; i < 8; i++) {
		struct io_uring_sqe *sqe = sqe_data(&ring, 10 + i);

		if (i == 3)
			sqe->opcode = 250;
	}
	expect_eq(io_uring_submit(&ring), all ? 8 : 4,
		  all ? "SUBMIT_ALL: every SQE taken"
		      : "submit stops after the SQE that fails");
	expect_eq(io_uring_cq_ready(&ring), all ? 8 : 4, "CQEs at once");
	expect_eq(reap(&ring, all ? 8 : 4, order, res), all ? 8 : 4,
		  "reap them");
	expect_true(order[3] == 13 && res[3] == -EINVAL,
		    "the bad SQE's CQE: %lu %s, want 13 -EINVAL",
		    (unsigned long)order[3], ktest_err(res[3]));
	if (!all) {
		expect_eq(io_uring_sq_ready(&ring), 4, "4 left in the SQ");
		expect_eq(io_uring_submit(&ring), 4,
			  "the next submit takes them");
		expect_eq(reap(&ring, 4, order, res), 4, "and they complete");
	}
	/* an operation that waits: submit returns at once, the CQE comes */
	io_uring_prep_timeout(io_uring_get_sqe(&ring), &ts, 0, 0);
	expect_eq(io_uring_submit(&ring), 1, "submit a 20 ms TIMEOUT");
	expect_eq(io_uring_cq_ready(&ring), 0, "not complete yet");
	expect_eq(io_uring_wait_cqe(&ring, &cqe), 0, "wait for it");
	if (cqe) {
		expect_errno(cqe->res, -ETIME, "the TIMEOUT's result");
		io_uring_cqe_seen(&ring, cqe);
	}
	/* submit and wait in one enter */
	sqe_data(&ring, 30);
	expect_eq(io_uring_submit_and_wait(&ring, 1), 1, "submit_and_wait");
	expect_eq(io_uring_cq_ready(&ring), 1, "its CQE");
	reap(&ring, 1, order, res);
	expect_eq(io_uring_submit(&ring), 0, "submit with nothing queued");
	io_uring_queue_exit(&ring);
}

static void t_enter_contract(void)
{
	enter_contract(0);
	enter_contract(IORING_SETUP_SUBMIT_ALL);
}

/*
 * Ten times the CQ's size in flight, none reaped until all are submitted:
 * the CQ fills, the kernel keeps the rest (IORING_SQ_CQ_OVERFLOW) and hands
 * them over as the CQ drains.  Every CQE must come exactly once.
 */
static void t_overflow(void)
{
	struct io_uring ring;
	unsigned char seen[160] = {0};
	int total = 160, submitted = 0, reaped = 0;

	if (!expect_eq(io_uring_queue_init(8, &ring, IORING_SETUP_SQPOLL), 0,
		       "queue_init(8)"))
		return; /* SQ 8, CQ 16 */
	while (submitted < total) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		if (!sqe) {
			io_uring_submit(&ring);
			sched_yield(); /* the IO core takes them */
			continue;
		}
		io_uring_prep_nop(sqe);
		sqe->user_data = submitted++;
	}
	io_uring_submit(&ring);
	/* the IO core has taken (and, NOPs, completed) them all */
	while (io_uring_sq_ready(&ring))
		sched_yield();
	expect_true(io_uring_cq_has_overflow(&ring),
		    "IORING_SQ_CQ_OVERFLOW set with %d in flight", total);
	expect_eq(io_uring_cq_ready(&ring), 16, "CQEs in the CQ");
	while (reaped < total) {
		struct io_uring_cqe *cqe;

		if (!expect_eq(io_uring_wait_cqe(&ring, &cqe), 0,
			       "wait_cqe after %d", reaped))
			break;
		expect_true(cqe->user_data < 160 && !seen[cqe->user_data]++,
			    "user_data %lu: once, and < 160",
			    (unsigned long)cqe->user_data);
		io_uring_cqe_seen(&ring, cqe);
		reaped++;
	}
	expect_eq(reaped, total, "CQEs reaped");
	expect_true(!io_uring_cq_has_overflow(&ring),
		    "IORING_SQ_CQ_OVERFLOW clear at the end");
	expect_eq(io_uring_cq_ready(&ring), 0, "CQEs left");
	io_uring_queue_exit(&ring);
}

static void t_wakeup(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 2; /* ms */
	if (!expect_eq(io_uring_queue_init_params(4, &ring, &p), 0,
		       "queue_init_params(4, SQPOLL)"))
		return;
	for (int round = 0; round < 3; round++) {
		struct io_uring_sqe *sqe;

		/* idle for longer than sq_thread_idle: the IO core sleeps */
		expect_true(await_need_wakeup(&ring),
			    "round %d: NEED_WAKEUP set once the IO core idles",
			    round);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, round);
		expect_eq(io_uring_submit(&ring), 1, "round %d: submit", round);
		if (!expect_eq(io_uring_wait_cqe(&ring, &cqe), 0,
			       "round %d: wait_cqe", round))
			break;
		expect_true(cqe->res == 0 && cqe->user_data == (uint64_t)round,
			    "round %d: the woken IO core completed the NOP",
			    round);
		io_uring_cqe_seen(&ring, cqe);
	}
	/* many submit-and-wait round trips: no lost wakeup */
	for (int i = 0; i < 300; i++) {
		io_uring_prep_nop(io_uring_get_sqe(&ring));
		if (io_uring_submit_and_wait(&ring, 1) != 1 ||
		    io_uring_peek_cqe(&ring, &cqe)) {
			ktest_fail("round trip %d", i);
			break;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
}

/*
 * Out of order: a timeout submitted first completes after a NOP submitted
 * with it.  That the NOP comes first holds only if the IO core got to it
 * before the timeout was due: when the clock says it was already due (a
 * host that stalled the IO core that long), try again with a timeout four
 * times longer.  Returns whether the order was right.
 */
static bool timeout_after_nop(struct io_uring *ring)
{
	uint64_t order[2];
	int res[2];
	long first;

	for (long ms = 30;; ms *= 4) {
		struct __kernel_timespec ts = ts_ms(ms);
		long t0 = now_ns();
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		io_uring_prep_timeout(sqe, &ts, 0, 0);
		sqe->user_data = 1;
		sqe_data(ring, 2);
		io_uring_submit(ring);
		if (!expect_eq(reap_timed(ring, 2, order, res, t0, &first), 2,
			       "CQEs of a %ld ms timeout and a NOP", ms))
			return false;
		if (order[0] == 2)
			return expect_true(order[1] == 1 && res[0] == 0 &&
						   res[1] == -ETIME,
					   "NOP %d, then the timeout %s",
					   res[0], ktest_err(res[1]));
		if (first < ms * MS)
			return ktest_fail("a %ld ms timeout came %ld ms after "
					  "it was submitted, before the NOP",
					  ms, first / MS);
		if (ms >= 2000)
			return ktest_fail("a %ld ms timeout still came before "
					  "the NOP submitted with it",
					  ms);
		ktest_diag("the NOP came %ld ms late: again with %ld ms",
			   first / MS, 4 * ms);
	}
}

/* A timeout with a count completes (0) after that many other CQEs; like
 * the above, that holds only if the timeout was not due by then. */
static void count_timeout(struct io_uring *ring)
{
	uint64_t order[3];
	int res[3], i;
	long first;

	for (long ms = 5000;; ms *= 4) {
		struct __kernel_timespec ts = ts_ms(ms);
		long t0 = now_ns();
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		io_uring_prep_timeout(sqe, &ts, 2, 0);
		sqe->user_data = 10;
		sqe_data(ring, 11);
		sqe_data(ring, 12);
		io_uring_submit(ring);
		if (!expect_eq(reap_timed(ring, 3, order, res, t0, &first), 3,
			       "CQEs of a count timeout and two NOPs"))
			return;
		for (i = 0; i < 2 && order[i] != 10; i++)
			;
		if (i == 2 && order[2] == 10 && res[2] == 0)
			return;
		if (order[i] != 10 || res[i] != -ETIME || first < ms * MS ||
		    ms >= 20000) {
			ktest_fail(
				"count timeout (10) and NOPs: %lu %s, %lu %s, "
				"%lu %s; want the timeout last, with 0",
				(unsigned long)order[0], ktest_err(res[0]),
				(unsigned long)order[1], ktest_err(res[1]),
				(unsigned long)order[2], ktest_err(res[2]));
			return;
		}
		ktest_diag("the NOPs came %ld ms late: again with %ld ms",
			   first / MS, 4 * ms);
	}
}

static void t_timeout(struct io_uring *ring)
{
	struct __kernel_timespec past = {0, 1}, bad = {0, 1000000000};
	struct io_uring_sqe *sqe;

	timeout_after_nop(ring);
	count_timeout(ring);
	/* absolute time: 1 ns after boot, long past */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &past, 0, IORING_TIMEOUT_ABS);
	sqe->user_data = 20;
	expect_errno(run_one(ring, 20), -ETIME, "absolute timeout in the past");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &bad, 0, 0);
	sqe->user_data = 21;
	expect_errno(run_one(ring, 21), -EINVAL, "tv_nsec 1e9");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, KADDR, 0, 0);
	sqe->user_data = 22;
	expect_errno(run_one(ring, 22), -EFAULT, "timespec in kernel memory");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &past, 0, 0x80);
	sqe->user_data = 23;
	expect_errno(run_one(ring, 23), -EINVAL, "unknown timeout flag");
}

/*
 * A timeout in a chain: the next member waits for it, and -ETIME breaks
 * the chain, as on Linux; a NOP outside the chain does not wait.  (That
 * the NOP comes first needs it done before the timeout is due: retried
 * with a longer one when it was not, as timeout_after_nop.)
 */
static void timeout_chain(struct io_uring *ring)
{
	uint64_t order[3];
	int res[3];
	long first;

	for (long ms = 20;; ms *= 4) {
		struct __kernel_timespec ts = ts_ms(ms);
		long t0 = now_ns();
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		io_uring_prep_timeout(sqe, &ts, 0, 0);
		sqe->user_data = 50;
		io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
		sqe_data(ring, 51);
		sqe_data(ring, 52);
		io_uring_submit(ring);
		if (!expect_eq(reap_timed(ring, 3, order, res, t0, &first), 3,
			       "CQEs of the timeout chain"))
			return;
		/* the chain's order, whatever the time */
		if (order[0] == 52) {
			expect_true(
				order[1] == 50 && res[1] == -ETIME &&
					order[2] == 51 && res[2] == -ECANCELED,
				"timeout chain after NOP 52: %lu %s, %lu %s; "
				"want 50 -ETIME, 51 -ECANCELED",
				(unsigned long)order[1], ktest_err(res[1]),
				(unsigned long)order[2], ktest_err(res[2]));
			return;
		}
		if (!expect_true(order[0] == 50 && res[0] == -ETIME &&
					 order[1] == 51 &&
					 res[1] == -ECANCELED && order[2] == 52,
				 "CQEs %lu %s, %lu %s, %lu; want 52 first or "
				 "last, and 50 -ETIME, 51 -ECANCELED",
				 (unsigned long)order[0], ktest_err(res[0]),
				 (unsigned long)order[1], ktest_err(res[1]),
				 (unsigned long)order[2]))
			return;
		/* 52 came last: right only if the timeout was due first */
		if (first < ms * MS || ms >= 2000) {
			ktest_fail("NOP 52 came after a %ld ms timeout chain "
				   "(%ld ms after submitting)",
				   ms, first / MS);
			return;
		}
		ktest_diag("NOP 52 came %ld ms late: again with %ld ms",
			   first / MS, 4 * ms);
	}
}

static void t_link(struct io_uring *ring)
{
	uint64_t order[8];
	int res[8];
	struct io_uring_sqe *sqe;
	char buf[8];

	/* a chain runs in order */
	for (int i = 0; i < 4; i++)
		io_uring_sqe_set_flags(sqe_data(ring, 30 + i),
				       i < 3 ? IOSQE_IO_LINK : 0);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 4, order, res), 4, "CQEs of the chain"))
		for (int i = 0; i < 4; i++)
			expect_true(order[i] == (uint64_t)(30 + i) &&
					    res[i] == 0,
				    "chain member %d: %lu %d, want %d 0", i,
				    (unsigned long)order[i], res[i], 30 + i);
	/* a failed member cancels the rest of its chain, not what follows */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 99, buf, 4, 0);
	sqe->user_data = 40;
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	io_uring_sqe_set_flags(sqe_data(ring, 41), IOSQE_IO_LINK);
	sqe_data(ring, 42);
	sqe_data(ring, 43);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 4, order, res), 4, "CQEs of the failed chain"))
		expect_true(res[0] == -EBADF && res[1] == -ECANCELED &&
				    res[2] == -ECANCELED && order[3] == 43 &&
				    res[3] == 0,
			    "failed chain: %s %s %s, then %lu %d; want -EBADF "
			    "-ECANCELED -ECANCELED, then 43 0",
			    ktest_err(res[0]), ktest_err(res[1]),
			    ktest_err(res[2]), (unsigned long)order[3], res[3]);
	timeout_chain(ring);
}

/* Wait until the IO core has taken every SQE submitted (its SQ head). */
static bool await_taken(struct io_uring *ring)
{
	for (int i = 0; io_uring_sq_ready(ring) && i < 20000; i++)
		usleep(100);
	return expect_eq(io_uring_sq_ready(ring), 0, "the SQEs taken");
}

/*
 * A request is prepared when the IO core takes its SQE and issued when its
 * turn comes, as Linux's io_init_req at submission and io_issue_sqe later:
 * a linked TIMEOUT's timespec is read once, at submission (changing it
 * afterwards changes nothing), and its clock and its count start at issue.
 */
static void t_prep_at_take(struct io_uring *ring)
{
	struct __kernel_timespec forever = ts_ms(600000), ts = ts_ms(20);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	uint64_t order[4];
	int res[4];

	/* 80 waits for one other CQE; 81, linked behind it, for 20 ms */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &forever, 1, 0);
	sqe->user_data = 80;
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 81;
	expect_eq(io_uring_submit(ring), 2, "submit the chain");
	if (!await_taken(ring))
		return;
	ts.tv_nsec = -1; /* invalid now, but it was read at submission */
	sqe_data(ring, 82);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 3, order, res), 3, "CQEs of the chain"))
		expect_true(order[0] == 82 && res[0] == 0 && order[1] == 80 &&
				    res[1] == 0 && order[2] == 81 &&
				    res[2] == -ETIME,
			    "%lu %s, %lu %s, %lu %s; want 82 0, 80 0, 81 -ETIME",
			    (unsigned long)order[0], ktest_err(res[0]),
			    (unsigned long)order[1], ktest_err(res[1]),
			    (unsigned long)order[2], ktest_err(res[2]));

	/* 91's prep fails while 90 is parked: its error comes in the
	 * chain's order, and cancels the rest (92) */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &forever, 1, 0);
	sqe->user_data = 90;
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	sqe = sqe_data(ring, 91);
	sqe->rw_flags = 1; /* NOP takes no flags: -EINVAL */
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	sqe_data(ring, 92);
	io_uring_submit(ring);
	if (!await_taken(ring))
		return;
	sqe_data(ring, 93);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 4, order, res), 4, "CQEs of the chain"))
		expect_true(order[0] == 93 && order[1] == 90 && res[1] == 0 &&
				    order[2] == 91 && res[2] == -EINVAL &&
				    order[3] == 92 && res[3] == -ECANCELED,
			    "%lu, %lu %s, %lu %s, %lu %s; want 93, 90 0, "
			    "91 -EINVAL, 92 -ECANCELED",
			    (unsigned long)order[0], (unsigned long)order[1],
			    ktest_err(res[1]), (unsigned long)order[2],
			    ktest_err(res[2]), (unsigned long)order[3],
			    ktest_err(res[3]));

	/* 84, linked behind 83, counts one other CQE from its issue on */
	for (int i = 83; i <= 84; i++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_timeout(sqe, &forever, 1, 0);
		sqe->user_data = i;
		io_uring_sqe_set_flags(sqe, i == 83 ? IOSQE_IO_LINK : 0);
	}
	io_uring_submit(ring);
	if (!await_taken(ring))
		return;
	sqe_data(ring, 85);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 2, order, res), 2, "CQEs after NOP 85"))
		expect_true(order[0] == 85 && order[1] == 83 && res[1] == 0,
			    "%lu, %lu %s; want 85, 83 0",
			    (unsigned long)order[0], (unsigned long)order[1],
			    ktest_err(res[1]));
	expect_eq(io_uring_peek_cqe(ring, &cqe), -EAGAIN,
		  "84 waits for a CQE after its issue");
	sqe_data(ring, 86);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 2, order, res), 2, "CQEs after NOP 86"))
		expect_true(order[0] == 86 && order[1] == 84 && res[1] == 0,
			    "%lu, %lu %s; want 86, 84 0",
			    (unsigned long)order[0], (unsigned long)order[1],
			    ktest_err(res[1]));
}

static void t_drain(struct io_uring *ring)
{
	struct __kernel_timespec ts = ts_ms(20);
	uint64_t order[8];
	int res[8];
	struct io_uring_sqe *sqe;

	/* 61 waits for the timeout (whenever it is due), 62 for 61 */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 60;
	io_uring_sqe_set_flags(sqe_data(ring, 61), IOSQE_IO_DRAIN);
	sqe_data(ring, 62);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 3, order, res), 3, "CQEs of the drain"))
		expect_true(order[0] == 60 && order[1] == 61 && order[2] == 62,
			    "drain order %lu %lu %lu, want 60 61 62",
			    (unsigned long)order[0], (unsigned long)order[1],
			    (unsigned long)order[2]);
}

static void t_vectored(struct io_uring *ring)
{
	char a[6] = {0}, b[12] = {0};
	struct iovec iov[2] = {{a, 5}, {b, 11}};
	struct iovec out[2] = {{"ring ", 5}, {"vectors", 7}};
	struct io_uring_sqe *sqe;
	int fd = open("/data/hello.txt", O_RDONLY);

	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_readv(sqe, fd, iov, 2, 0);
	sqe->user_data = 70;
	expect_eq(run_one(ring, 70), 16, "readv");
	expect_true(!strcmp(a, "Hello") && !strcmp(b, " from the m"),
		    "readv: got '%s' '%s'", a, b);
	close(fd);
	fd = open("/tmp/ring-v", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(fd, 0, "open /tmp/ring-v"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_writev(sqe, fd, out, 2, -1);
	sqe->user_data = 71;
	expect_eq(run_one(ring, 71), 12, "writev");
	expect_eq(lseek(fd, 0, SEEK_CUR), 12, "the position after writev");
	expect_true(pread(fd, b, 12, 0) == 12 && !memcmp(b, "ring vectors", 12),
		    "written: read back");
	expect_eq(readv(fd, iov, 2), 0, "readv(2) at the end");
	lseek(fd, 0, SEEK_SET);
	expect_eq(readv(fd, iov, 2), 12, "readv(2) from the start");
	expect_mem(a, "ring ", 5, "readv(2) from the start: content");
	close(fd);
	unlink("/tmp/ring-v");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_readv(sqe, 0, KADDR, 1, 0);
	sqe->user_data = 72;
	expect_errno(run_one(ring, 72), -EFAULT,
		     "iovec array in kernel memory");
}

static char fixed_a[8192] __attribute__((aligned(4096)));
static char fixed_b[6000];

static void t_fixed(struct io_uring *ring)
{
	char *b = fixed_b;
	struct iovec iov[2] = {{fixed_a, sizeof(fixed_a)}, {b, 6000}};
	struct io_uring_sqe *sqe;
	int fd = open("/data/hello.txt", O_RDONLY), out;
	char back[16] = {0};

	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	expect_eq(io_uring_register_buffers(ring, iov, 2), 0, "register");
	expect_errno(io_uring_register_buffers(ring, iov, 2), -EBUSY,
		     "register twice");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a + 4090, 10, 0, 0);
	sqe->user_data = 80;
	expect_eq(run_one(ring, 80), 10, "read_fixed across a page boundary");
	expect_mem(fixed_a + 4090, "Hello from", 10,
		   "read_fixed across a page boundary: content");
	out = open("/tmp/ring-fixed", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(out, 0, "open /tmp/ring-fixed"))
		return;
	memcpy(b + 100, "fixed write", 11);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write_fixed(sqe, out, b + 100, 11, 0, 1);
	sqe->user_data = 81;
	expect_eq(run_one(ring, 81), 11, "write_fixed");
	expect_true(pread(out, back, 11, 0) == 11 &&
			    !memcmp(back, "fixed write", 11),
		    "written: read back");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a, 10, 0, 2);
	sqe->user_data = 82;
	expect_errno(run_one(ring, 82), -EFAULT, "bad buffer index");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, b + 5995, 10, 0, 1);
	sqe->user_data = 83;
	expect_errno(run_one(ring, 83), -EFAULT, "past the buffer's end");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a, 10, 0, 1);
	sqe->user_data = 84;
	expect_errno(run_one(ring, 84), -EFAULT, "address of another buffer");
	expect_eq(io_uring_unregister_buffers(ring), 0, "unregister");
	expect_errno(io_uring_unregister_buffers(ring), -ENXIO,
		     "unregister twice");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a, 10, 0, 0);
	sqe->user_data = 85;
	expect_errno(run_one(ring, 85), -EFAULT, "after unregistering");
	iov[0].iov_base = (void *)main;
	iov[0].iov_len = 100;
	expect_errno(io_uring_register_buffers(ring, iov, 1), -EFAULT,
		     "register read-only memory");
	iov[0].iov_base = KADDR;
	expect_errno(io_uring_register_buffers(ring, iov, 1), -EFAULT,
		     "register kernel memory");
	iov[0].iov_base = fixed_a;
	iov[0].iov_len = 0;
	expect_errno(io_uring_register_buffers(ring, iov, 1), -EFAULT,
		     "register an empty buffer");

	/* a registered page stays valid when its mapping goes: it is freed
	 * when unregistered (with the registration's page list) */
	long before = free_pages();
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	iov[0].iov_base = m;
	iov[0].iov_len = 4096;
	expect_true(m != MAP_FAILED, "mmap a page");
	expect_eq(io_uring_register_buffers(ring, iov, 1), 0,
		  "register the mmap'd page");
	expect_eq(munmap(m, 4096), 0, "munmap it");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, m, 16, 0, 0);
	sqe->user_data = 86;
	expect_eq(run_one(ring, 86), 16,
		  "read_fixed into the unmapped, pinned page");
	expect_eq(before - free_pages(), 2,
		  "pages held: the pinned page and the page list");
	expect_eq(io_uring_unregister_buffers(ring), 0, "unregister");
	expect_eq(free_pages(), before, "free pages after unregistering");
	close(fd);
	close(out);
	unlink("/tmp/ring-fixed");
}

/* The IO core's translation cache forgets a page that goes away. */
static void t_xlate(struct io_uring *ring)
{
	int fd = open("/data/hello.txt", O_RDONLY);
	struct io_uring_sqe *sqe;
	char *p = sbrk(0), *orig = p;

	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	/* a fresh page at the end of the heap */
	p = (char *)(((uintptr_t)p + 8191) & ~4095UL);
	if (!expect_eq(brk(p + 4096), 0, "grow the heap"))
		return;
	for (int round = 0; round < 3; round++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, p, 5, 0);
		sqe->user_data = 90;
		expect_eq(run_one(ring, 90), 5,
			  "round %d: read into the heap page", round);
		expect_mem(p, "Hello", 5, "round %d: the heap page", round);
		expect_eq(brk(p), 0, "round %d: shrink the heap", round);
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, p, 5, 0);
		sqe->user_data = 91;
		expect_errno(run_one(ring, 91), -EFAULT,
			     "round %d: read into the unmapped page", round);
		if (!expect_eq(brk(p + 4096), 0, "round %d: grow again", round))
			break;
		expect_eq(p[0], 0, "round %d: the new page is zeroed", round);
	}
	expect_eq(brk(orig), 0, "the heap back as it was");
	close(fd);
}

/*
 * Regressions: CQEs must come exactly once while the user reaps and submits
 * continuously with the overflow list in use; overflowed CQEs must reach a
 * waiter after the IO core went to sleep with a full CQ; address space
 * exhaustion and a failed brk must not hurt the kernel.
 */
static void t_overflow_stress(void)
{
	static unsigned char seen[3000];
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int total = 3000, submitted = 0, reaped = 0;

	memset(seen, 0, sizeof(seen));
	if (!expect_eq(io_uring_queue_init(32, &ring, IORING_SETUP_SQPOLL), 0,
		       "queue_init(32)"))
		return; /* SQ 32, CQ 64 */
	while (reaped < total) {
		struct io_uring_sqe *sqe;

		while (submitted < total && (sqe = io_uring_get_sqe(&ring))) {
			io_uring_prep_nop(sqe);
			sqe->user_data = submitted++;
		}
		io_uring_submit(&ring);
		/* reap only some, so the CQ stays near full */
		for (int i = 0; i < 7 && reaped < total; i++) {
			if (!expect_eq(io_uring_wait_cqe(&ring, &cqe), 0,
				       "wait_cqe after %d", reaped))
				goto out;
			if (!expect_true(cqe->user_data < (uint64_t)total &&
						 !seen[cqe->user_data]++,
					 "user_data %lu: once, and < %d",
					 (unsigned long)cqe->user_data, total))
				goto out;
			io_uring_cqe_seen(&ring, cqe);
			reaped++;
		}
	}
out:
	expect_eq(reaped, total, "CQEs reaped");
	io_uring_queue_exit(&ring);
}

static void t_overflow_sleeping(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int got = 0;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SQPOLL;
	p.cq_entries = 8;
	if (!expect_eq(io_uring_queue_init_params(8, &ring, &p), 0,
		       "queue_init_params(8, CQ 8)"))
		return;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 6; i++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		io_uring_submit(&ring);
		while (io_uring_sq_ready(&ring))
			sched_yield();
	}
	/* the IO core goes to sleep with the CQ full and 4 CQEs in its
	 * overflow list: wait until it says so */
	expect_true(await_need_wakeup(&ring),
		    "the IO core sleeps (NEED_WAKEUP) with CQEs overflowed");
	expect_eq(io_uring_cq_ready(&ring), 8, "CQEs in the CQ");
	expect_true(io_uring_cq_has_overflow(&ring), "IORING_SQ_CQ_OVERFLOW");
	while (got < 12 && io_uring_wait_cqe(&ring, &cqe) == 0) {
		io_uring_cqe_seen(&ring, cqe);
		got++;
	}
	expect_eq(got, 12, "CQEs reaped");
	io_uring_queue_exit(&ring);
}

static void *exhaust_maps[65536];

static void t_exhaust(void)
{
	struct io_uring ring;
	int n = 0, bad = 0;
	void *m;

	if (!expect_eq(io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL), 0,
		       "queue_init(4)"))
		return;
	/* map and unmap many times: the address is reused, never ENOMEM */
	for (int i = 0; i < 20000; i++) {
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 ring.ring_fd, IORING_OFF_SQES);
		if (m == MAP_FAILED || munmap(m, 4096) || (n && m != exhaust_maps[0]))
			bad++;
		exhaust_maps[0] = m;
		n++;
	}
	expect_eq(bad, 0, "20000 maps and unmaps, each at the same address");
	/* map without unmapping until the map is full (vm.max_map_count):
	 * ENOMEM, no crash; the ring's pages take no memory per mapping */
	for (n = 0; n < 65536; n++) {
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 ring.ring_fd, IORING_OFF_SQES);
		if (m == MAP_FAILED)
			break;
		exhaust_maps[n] = m;
	}
	expect_eq(errno, ENOMEM, "errno when mmap stops (after %d maps)", n);
	expect_range(n, 65000, 65530, "maps before ENOMEM");
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(m == MAP_FAILED && errno == ENOMEM,
		    "anonymous mmap fails with ENOMEM too");
	bad = 0;
	for (int i = 0; i < n; i++)
		if (munmap(exhaust_maps[i], 4096))
			bad++;
	expect_eq(bad, 0, "every mapping unmapped");
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_true(m != MAP_FAILED, "anonymous mmap works again");
	if (m != MAP_FAILED)
		munmap(m, 4096);
	/* a brk the memory cannot hold fails, and maps nothing */
	char *top = sbrk(0);

	expect_true(brk(top + (400L << 20)) < 0 && sbrk(0) == top,
		    "brk(+400 MiB) fails, the break unchanged");
	io_uring_queue_exit(&ring);
}

static void t_several(void)
{
	struct io_uring a, b;
	struct io_uring_cqe *cqe;

	if (!expect_eq(io_uring_queue_init(4, &a, IORING_SETUP_SQPOLL), 0,
		       "queue_init ring a") ||
	    !expect_eq(io_uring_queue_init(4, &b, IORING_SETUP_SQPOLL), 0,
		       "queue_init ring b"))
		return;
	for (int i = 0; i < 4; i++) {
		io_uring_prep_nop(io_uring_get_sqe(&a));
		io_uring_prep_nop(io_uring_get_sqe(&b));
	}
	io_uring_submit(&a);
	io_uring_submit(&b);
	expect_eq(io_uring_wait_cqe_nr(&a, &cqe, 4), 0, "ring a served");
	expect_eq(io_uring_wait_cqe_nr(&b, &cqe, 4), 0, "ring b served");
	io_uring_queue_exit(&a);
	io_uring_queue_exit(&b);
}

/* A process's ring work: NOP round trips and reads, checked; 0 if all ok. */
static int ring_work(int rounds)
{
	struct io_uring r;
	struct io_uring_cqe *cqe;
	char buf[8];
	int fd = open("/data/hello.txt", O_RDONLY), bad = 0;

	if (fd < 0 || io_uring_queue_init(8, &r, IORING_SETUP_SQPOLL))
		return 1;
	for (int i = 0; i < rounds; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r);

		if (i % 4)
			io_uring_prep_nop(sqe);
		else
			io_uring_prep_read(sqe, fd, buf, 5, 0);
		sqe->user_data = i;
		if (io_uring_submit_and_wait(&r, 1) != 1 ||
		    io_uring_wait_cqe(&r, &cqe))
			return 1;
		bad |= cqe->user_data != (uint64_t)i ||
		       cqe->res != (i % 4 ? 0 : 5);
		io_uring_cqe_seen(&r, cqe);
	}
	io_uring_queue_exit(&r);
	close(fd);
	return bad;
}

/* Wait for pid: its wait status, or -errno. */
static long reap_pid(long pid)
{
	int st = 0;
	long r;

	if (pid < 0)
		return pid;
	r = waitpid(pid, &st, 0);
	if (r < 0)
		return -errno;
	return r == pid ? st : -ECHILD;
}

/* Several processes with rings at once, the IO core serving them all. */
static void t_processes(void)
{
	long pids[3];

	for (int i = 0; i < 3; i++) {
		pids[i] = spawn("/bin/ringtest",
				(char *[]){"ringtest", "child-work", NULL});
		if (pids[i] < 0)
			pids[i] = -errno;
	}
	expect_eq(ring_work(300), 0, "the parent's own ring");
	for (int i = 0; i < 3; i++)
		expect_status(reap_pid(pids[i]), ABI_W_EXITCODE(0, 0),
			      "child %d", i);
}

static void t_exit_with_ring(void)
{
	long before = free_pages();
	long pid = spawn("/bin/ringtest",
			 (char *[]){"ringtest", "child-ring", NULL});

	expect_status(reap_pid(pid < 0 ? -errno : pid), ABI_W_EXITCODE(0, 0),
		      "child with rings");
	expect_eq(before - free_pages(), 0, "pages leaked by the child");
}

static int child_ring(void)
{
	static struct io_uring r[3];
	struct __kernel_timespec ts = {60, 0};
	static struct io_uring t;

	/* 64 timeouts in flight when it exits */
	if (io_uring_queue_init(64, &t, IORING_SETUP_SQPOLL))
		return 1;
	for (int j = 0; j < 64; j++)
		io_uring_prep_timeout(io_uring_get_sqe(&t), &ts, 0, 0);
	if (io_uring_submit(&t) != 64)
		return 1;

	/* exits with rings set up, mapped, and NOPs submitted */
	for (int i = 0; i < 3; i++) {
		if (io_uring_queue_init(64, &r[i], IORING_SETUP_SQPOLL))
			return 1;
		for (int j = 0; j < 64; j++)
			io_uring_prep_nop(io_uring_get_sqe(&r[i]));
		io_uring_submit(&r[i]);
	}
	return 0;
}

/* ---- waiting for files: pipes, eventfds, POLL_ADD, cancel ---- */

static int pipe_of(int fds[2], int flags)
{
	return __syscall2(SYS_pipe2, fds, flags);
}

/* One CQE, whatever it is: its user_data, res and flags. */
static bool wait_any(struct io_uring *ring, uint64_t *data, int *res,
		     unsigned *flags)
{
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe(ring, &cqe))
		return false;
	*data = cqe->user_data;
	*res = cqe->res;
	*flags = cqe->flags;
	io_uring_cqe_seen(ring, cqe);
	return true;
}

/* Submit a NOP with data and wait for it: everything taken before it has
 * been issued (a request that waits has parked). */
static void barrier_nop(struct io_uring *ring, uint64_t data)
{
	sqe_data(ring, data);
	expect_eq(run_one(ring, data), 0, "NOP %lu", (unsigned long)data);
}

/*
 * Ring reads and writes of pipes wait for data or room instead of giving
 * -EAGAIN, without holding up the IO core (a NOP behind them completes);
 * O_NONBLOCK still gives -EAGAIN; end of file and EPIPE as read(2)/write(2).
 */
static void t_pipe_wait(struct io_uring *ring)
{
	static char big[65536 + 100];
	char buf[16] = {0};
	int fds[2], nb[2];
	struct io_uring_sqe *sqe;
	uint64_t data;
	int res;
	unsigned flags;

	if (!expect_eq(pipe_of(fds, 0), 0, "pipe2"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->user_data = 300;
	io_uring_submit(ring);
	barrier_nop(ring, 301); /* the read waits; the IO core goes on */
	expect_eq(io_uring_peek_cqe(ring, &(struct io_uring_cqe *){0}), -EAGAIN,
		  "no CQE for the read of an empty pipe");
	expect_eq(write(fds[1], "ring pipe", 9), 9, "write(2) to the pipe");
	expect_true(wait_any(ring, &data, &res, &flags) && data == 300 &&
			    res == 9,
		    "the waiting read completes with the data (%lu: %d)",
		    (unsigned long)data, res);
	expect_mem(buf, "ring pipe", 9, "the read's data");

	/* a write to a full pipe waits for room */
	memset(big, 'x', sizeof(big));
	expect_eq(write(fds[1], big, 65536), 65536, "fill the pipe");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, fds[1], "more", 4, 0);
	sqe->user_data = 302;
	io_uring_submit(ring);
	barrier_nop(ring, 303);
	expect_eq(io_uring_peek_cqe(ring, &(struct io_uring_cqe *){0}), -EAGAIN,
		  "no CQE for the write to a full pipe");
	expect_eq(read(fds[0], big, 8192), 8192, "read(2) makes room");
	expect_true(wait_any(ring, &data, &res, &flags) && data == 302 &&
			    res == 4,
		    "the waiting write completes (%lu: %d)",
		    (unsigned long)data, res);
	expect_eq(read(fds[0], big, sizeof(big)), 65536 - 8192 + 4,
		  "what is in the pipe");
	expect_mem(big + 65536 - 8192, "more", 4, "the ring's write at the end");

	/* the writer goes: a waiting read sees end of file */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->user_data = 304;
	io_uring_submit(ring);
	barrier_nop(ring, 305);
	close(fds[1]);
	expect_true(wait_any(ring, &data, &res, &flags) && data == 304 &&
			    res == 0,
		    "end of file for the waiting read (%lu: %d)",
		    (unsigned long)data, res);
	/* no reader: EPIPE */
	if (expect_eq(pipe_of(fds, 0), 0, "pipe2")) {
		close(fds[0]);
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_write(sqe, fds[1], "x", 1, 0);
		sqe->user_data = 306;
		expect_errno(run_one(ring, 306), -EPIPE, "ring write, no reader");
		close(fds[1]);
	}
	close(fds[0]);

	/* O_NONBLOCK: -EAGAIN, as Linux */
	if (!expect_eq(pipe_of(nb, ABI_O_NONBLOCK), 0, "pipe2(O_NONBLOCK)"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, nb[0], buf, sizeof(buf), 0);
	sqe->user_data = 307;
	expect_errno(run_one(ring, 307), -EAGAIN,
		     "ring read of an empty O_NONBLOCK pipe");
	close(nb[0]);
	close(nb[1]);
}

/* An eventfd: a ring read waits for a write(2); a ring write wakes read(2). */
static void t_eventfd_rw(struct io_uring *ring)
{
	uint64_t v = 0, got = 0, data;
	int res;
	unsigned flags;
	int efd = __syscall2(SYS_eventfd2, 0, 0);
	struct io_uring_sqe *sqe;

	if (!expect_ge(efd, 0, "eventfd"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, efd, &got, 8, 0);
	sqe->user_data = 310;
	io_uring_submit(ring);
	barrier_nop(ring, 311);
	v = 7;
	expect_eq(write(efd, &v, 8), 8, "write(2) 7 to the eventfd");
	expect_true(wait_any(ring, &data, &res, &flags) && data == 310 &&
			    res == 8 && got == 7,
		    "the ring read gets 7 (%lu: %d, %lu)", (unsigned long)data,
		    res, (unsigned long)got);
	v = 5;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, efd, &v, 8, 0);
	sqe->user_data = 312;
	expect_eq(run_one(ring, 312), 8, "ring write of 5");
	expect_true(read(efd, &v, 8) == 8 && v == 5, "read(2) gets 5");
	close(efd);
}

/*
 * POLL_ADD: at once when ready, else when the file becomes ready (the
 * event reported even if the data is read at once); multishot posts per
 * event with IORING_CQE_F_MORE until POLL_REMOVE; updates; Linux's errors.
 */
static void t_poll(struct io_uring *ring)
{
	int fds[2];
	char c[4];
	struct io_uring_sqe *sqe;
	uint64_t data;
	int res;
	unsigned flags;

	if (!expect_eq(pipe_of(fds, 0), 0, "pipe2"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_add(sqe, fds[1], ABI_POLLOUT);
	sqe->user_data = 320;
	expect_eq(run_one(ring, 320), ABI_POLLOUT, "POLLOUT of a pipe with room");

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_add(sqe, fds[0], ABI_POLLIN);
	sqe->user_data = 321;
	io_uring_submit(ring);
	barrier_nop(ring, 322);
	expect_eq(io_uring_peek_cqe(ring, &(struct io_uring_cqe *){0}), -EAGAIN,
		  "POLLIN of an empty pipe waits");
	expect_eq(write(fds[1], "ab", 2), 2, "write(2)");
	expect_eq(read(fds[0], c, 2), 2, "read(2) at once");
	expect_true(wait_any(ring, &data, &res, &flags) && data == 321 &&
			    (res & ABI_POLLIN) && !(flags & IORING_CQE_F_MORE),
		    "the poll reports POLLIN (%lu: %#x, flags %u)",
		    (unsigned long)data, res, flags);

	/* multishot: one CQE per write, flagged MORE */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_multishot(sqe, fds[0], ABI_POLLIN);
	sqe->user_data = 323;
	io_uring_submit(ring);
	barrier_nop(ring, 324);
	for (int i = 0; i < 3; i++) {
		expect_eq(write(fds[1], "x", 1), 1, "write(2) %d", i);
		expect_true(wait_any(ring, &data, &res, &flags) &&
				    data == 323 && (res & ABI_POLLIN) &&
				    (flags & IORING_CQE_F_MORE),
			    "multishot CQE %d (%lu: %#x, flags %u)", i,
			    (unsigned long)data, res, flags);
	}
	/* update: a new user_data, then remove it */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_update(sqe, 323, 325, ABI_POLLIN,
				  IORING_POLL_UPDATE_USER_DATA);
	sqe->user_data = 0;
	expect_eq(run_one(ring, 0), -EINVAL,
		  "poll update: events given without UPDATE_EVENTS");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_update(sqe, 323, 325, 0,
				  IORING_POLL_UPDATE_USER_DATA);
	sqe->user_data = 326;
	io_uring_submit(ring);
	/* the update's 0, and (the pipe still has data: the update re-armed
	 * it ready) a CQE under the new user_data, in either order */
	for (int i = 0; i < 2; i++) {
		if (!expect_true(wait_any(ring, &data, &res, &flags),
				 "CQE of the update"))
			break;
		if (data == 326)
			expect_eq(res, 0, "poll update");
		else
			expect_true(data == 325 && (res & ABI_POLLIN),
				    "re-armed under its new user_data (%lu: %#x)",
				    (unsigned long)data, res);
	}
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_remove(sqe, 325);
	sqe->user_data = 327;
	io_uring_submit(ring);
	for (int i = 0; i < 2; i++) {
		if (!expect_true(wait_any(ring, &data, &res, &flags),
				 "CQE of the remove"))
			break;
		if (data == 325)
			expect_true(res == -ECANCELED &&
					    !(flags & IORING_CQE_F_MORE),
				    "the multishot poll ends -ECANCELED (%d %u)",
				    res, flags);
		else
			expect_true(data == 327 && res == 0,
				    "POLL_REMOVE: 0 (%lu: %d)",
				    (unsigned long)data, res);
	}
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_remove(sqe, 325);
	sqe->user_data = 328;
	expect_errno(run_one(ring, 328), -ENOENT, "POLL_REMOVE of none");

	/* errors */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_add(sqe, 77, ABI_POLLIN);
	sqe->user_data = 329;
	expect_errno(run_one(ring, 329), -EBADF, "POLL_ADD of a bad fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_add(sqe, fds[0], ABI_POLLIN);
	sqe->addr = 1;
	sqe->user_data = 330;
	expect_errno(run_one(ring, 330), -EINVAL, "POLL_ADD with addr");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_multishot(sqe, fds[0], ABI_POLLIN);
	sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	sqe->user_data = 331;
	expect_errno(run_one(ring, 331), -EINVAL,
		     "multishot POLL_ADD with CQE_SKIP_SUCCESS");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_poll_remove(sqe, 1);
	sqe->len = IORING_POLL_ADD_MULTI;
	sqe->user_data = 332;
	expect_errno(run_one(ring, 332), -EINVAL,
		     "POLL_REMOVE with only IORING_POLL_ADD_MULTI");
	close(fds[0]);
	close(fds[1]);
}

/* ASYNC_CANCEL and TIMEOUT_REMOVE: of waiting requests, Linux's results. */
static void t_cancel(struct io_uring *ring)
{
	struct __kernel_timespec ts = ts_ms(60000), soon = ts_ms(1);
	int fds[2];
	struct io_uring_sqe *sqe;
	uint64_t data;
	int res, seen;
	unsigned flags;

	/* a timeout cancelled by user_data: it -ECANCELED, the cancel 0 */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 340;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel64(sqe, 340, 0);
	sqe->user_data = 341;
	io_uring_submit(ring);
	seen = 0;
	for (int i = 0; i < 2 && wait_any(ring, &data, &res, &flags); i++)
		seen |= (data == 340 && res == -ECANCELED) |
			(data == 341 && res == 0) << 1;
	expect_eq(seen, 3, "ASYNC_CANCEL of a timeout: both CQEs");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel64(sqe, 340, 0);
	sqe->user_data = 342;
	expect_errno(run_one(ring, 342), -ENOENT, "ASYNC_CANCEL of none");

	/* by fd, all: two polls of one pipe */
	if (!expect_eq(pipe_of(fds, 0), 0, "pipe2"))
		return;
	for (int i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_poll_add(sqe, fds[0], ABI_POLLIN);
		sqe->user_data = 343 + i;
	}
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel_fd(sqe, fds[0], IORING_ASYNC_CANCEL_ALL);
	sqe->user_data = 345;
	io_uring_submit(ring);
	seen = 0;
	for (int i = 0; i < 3 && wait_any(ring, &data, &res, &flags); i++) {
		if (data == 345)
			expect_eq(res, 2, "CANCEL_FD|ALL: the count");
		else
			expect_errno(res, -ECANCELED, "a poll cancelled");
		seen++;
	}
	expect_eq(seen, 3, "CQEs of the cancel by fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
	sqe->user_data = 346;
	expect_errno(run_one(ring, 346), -ENOENT, "CANCEL_ANY with none");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel_fd(sqe, fds[0], IORING_ASYNC_CANCEL_ANY);
	sqe->user_data = 347;
	expect_errno(run_one(ring, 347), -EINVAL, "CANCEL_FD with CANCEL_ANY");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel64(sqe, 1, 1U << 7);
	sqe->user_data = 348;
	expect_errno(run_one(ring, 348), -EINVAL, "an unknown cancel flag");
	close(fds[0]);
	close(fds[1]);

	/* TIMEOUT_REMOVE: update to soon, then remove what is gone */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 350;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout_update(sqe, &soon, 350, 0);
	sqe->user_data = 351;
	io_uring_submit(ring);
	seen = 0;
	for (int i = 0; i < 2 && wait_any(ring, &data, &res, &flags); i++)
		seen |= (data == 350 && res == -ETIME) |
			(data == 351 && res == 0) << 1;
	expect_eq(seen, 3, "a timeout updated to 1 ms fires; the update 0");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout_remove(sqe, 350, 0);
	sqe->user_data = 352;
	expect_errno(run_one(ring, 352), -ENOENT, "TIMEOUT_REMOVE of none");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 353;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout_remove(sqe, 353, 0);
	sqe->user_data = 354;
	io_uring_submit(ring);
	seen = 0;
	for (int i = 0; i < 2 && wait_any(ring, &data, &res, &flags); i++)
		seen |= (data == 353 && res == -ECANCELED) |
			(data == 354 && res == 0) << 1;
	expect_eq(seen, 3, "TIMEOUT_REMOVE: -ECANCELED and 0");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout_remove(sqe, 353, IORING_TIMEOUT_ABS);
	sqe->user_data = 355;
	expect_errno(run_one(ring, 355), -EINVAL, "TIMEOUT_REMOVE with a flag");
}

/* Two CQEs, either order: did they come with these results? */
static bool two_cqes(struct io_uring *ring, uint64_t d1, int r1, uint64_t d2,
		     int r2)
{
	uint64_t data;
	int res, seen = 0;
	unsigned flags;

	for (int i = 0; i < 2 && wait_any(ring, &data, &res, &flags); i++) {
		if (data == d1 && res == r1)
			seen |= 1;
		else if (data == d2 && res == r2)
			seen |= 2;
		else
			ktest_diag("unexpected CQE %lu: %d", (unsigned long)data,
				   res);
	}
	return seen == 3;
}

/*
 * LINK_TIMEOUT bounds the request before it: the one that comes first
 * cancels the other; with nothing linked before it, -EINVAL.
 */
static void t_link_timeout(struct io_uring *ring)
{
	struct __kernel_timespec short_ts = ts_ms(10), long_ts = ts_ms(60000);
	struct io_uring_sqe *sqe;
	char buf[8];
	int fds[2];

	if (!expect_eq(pipe_of(fds, 0), 0, "pipe2"))
		return;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 390;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &short_ts, 0);
	sqe->user_data = 391;
	io_uring_submit(ring);
	expect_true(two_cqes(ring, 390, -ECANCELED, 391, -ETIME),
		    "the timeout fires: read -ECANCELED, timeout -ETIME");

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 392;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &long_ts, 0);
	sqe->user_data = 393;
	io_uring_submit(ring);
	barrier_nop(ring, 394);
	expect_eq(write(fds[1], "data", 4), 4, "write(2)");
	expect_true(two_cqes(ring, 392, 4, 393, -ECANCELED),
		    "the read first: 4, timeout -ECANCELED");

	io_uring_sqe_set_flags(sqe_data(ring, 395), IOSQE_IO_LINK);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &long_ts, 0);
	sqe->user_data = 396;
	io_uring_submit(ring);
	expect_true(two_cqes(ring, 395, 0, 396, -ECANCELED),
		    "a NOP done at once: the timeout -ECANCELED");

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &long_ts, 0);
	sqe->user_data = 397;
	expect_errno(run_one(ring, 397), -EINVAL,
		     "LINK_TIMEOUT with nothing linked before it");
	close(fds[0]);
	close(fds[1]);
}

/*
 * Waiting with a timeout (IORING_ENTER_EXT_ARG, IORING_FEAT_EXT_ARG): -ETIME
 * when it passes with too few CQEs; Linux's checks of the argument.
 */
static void t_ext_arg(struct io_uring *ring)
{
	struct __kernel_timespec ts = ts_ms(20);
	struct io_uring_getevents_arg ga = {.ts = (uintptr_t)&ts};
	unsigned flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG;
	int fd = ring->ring_fd;

	expect_true(ring->features & IORING_FEAT_EXT_ARG, "IORING_FEAT_EXT_ARG");
	expect_errno(__syscall6(SYS_io_uring_enter, fd, 0, 1, flags, (long)&ga,
				sizeof(ga)),
		     -ETIME, "a 20 ms wait for a CQE that never comes");
	sqe_data(ring, 400);
	io_uring_submit(ring);
	expect_eq(__syscall6(SYS_io_uring_enter, fd, 0, 1, flags, (long)&ga,
			     sizeof(ga)),
		  0, "a wait for a NOP's CQE");
	expect_eq(io_uring_cq_ready(ring), 1, "the NOP's CQE is there");
	io_uring_cq_advance(ring, 1);
	expect_errno(__syscall6(SYS_io_uring_enter, fd, 0, 1, flags, (long)&ga,
				sizeof(ga) - 1),
		     -EINVAL, "argsz not the struct's");
	ga.pad = 1;
	expect_errno(__syscall6(SYS_io_uring_enter, fd, 0, 1, flags, (long)&ga,
				sizeof(ga)),
		     -EINVAL, "pad not zero");
	ga.pad = 0;
	ga.ts = (uintptr_t)KADDR;
	expect_errno(__syscall6(SYS_io_uring_enter, fd, 0, 1, flags, (long)&ga,
				sizeof(ga)),
		     -EFAULT, "the timespec in kernel memory");
	ga.ts = 0;
	ga.sigmask = (uintptr_t)&ga;
	ga.sigmask_sz = 4;
	expect_errno(__syscall6(SYS_io_uring_enter, fd, 0, 1, flags, (long)&ga,
				sizeof(ga)),
		     -EINVAL, "a signal mask of 4 bytes");
}

/*
 * A TIMEOUT's completion count, as Linux: other timeouts' CQEs do not
 * count (1 fires after the NOP, 2 does not and times out).
 */
static void t_timeout_count(struct io_uring *ring)
{
	struct __kernel_timespec ts = ts_ms(200);
	struct io_uring_sqe *sqe;
	uint64_t order[3];
	int res[3];

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 2, 0);
	sqe->user_data = 361;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 1, 0);
	sqe->user_data = 362;
	sqe_data(ring, 363);
	io_uring_submit(ring);
	if (expect_eq(reap(ring, 3, order, res), 3, "three CQEs"))
		expect_true(order[0] == 363 && order[1] == 362 && res[1] == 0 &&
				    order[2] == 361 && res[2] == -ETIME,
			    "NOP, count-1 timeout (0), count-2 timeout (-ETIME): "
			    "%lu %lu:%d %lu:%d",
			    (unsigned long)order[0], (unsigned long)order[1],
			    res[1], (unsigned long)order[2], res[2]);
}

/* IORING_REGISTER_EVENTFD: signalled after CQEs, unless disabled. */
static void t_eventfd_reg(struct io_uring *ring)
{
	int efd = __syscall2(SYS_eventfd2, 0, ABI_O_NONBLOCK);
	uint64_t v = 0;
	int fds[2];

	if (!expect_ge(efd, 0, "eventfd"))
		return;
	expect_eq(io_uring_register_eventfd(ring, efd), 0, "register eventfd");
	expect_errno(io_uring_register_eventfd(ring, efd), -EBUSY,
		     "register it twice");
	sqe_data(ring, 370);
	expect_eq(run_one(ring, 370), 0, "NOP");
	/* the count goes up after the CQE is there; the read may come first */
	for (int i = 0; i < 10000 && read(efd, &v, 8) != 8; i++)
		usleep(1000);
	expect_ge(v, 1, "the eventfd was signalled");
	*ring->cq.kflags |= IORING_CQ_EVENTFD_DISABLED;
	sqe_data(ring, 371);
	expect_eq(run_one(ring, 371), 0, "NOP with the eventfd disabled");
	barrier_nop(ring, 372);
	expect_errno(read(efd, &v, 8), -1, "not signalled while disabled");
	*ring->cq.kflags &= ~IORING_CQ_EVENTFD_DISABLED;
	expect_eq(io_uring_unregister_eventfd(ring), 0, "unregister");
	expect_errno(io_uring_unregister_eventfd(ring), -ENXIO,
		     "unregister none");
	if (expect_eq(pipe_of(fds, 0), 0, "pipe2")) {
		expect_errno(io_uring_register_eventfd(ring, fds[0]), -EINVAL,
			     "register a pipe as the eventfd");
		close(fds[0]);
		close(fds[1]);
	}
	expect_errno(io_uring_register(ring->ring_fd, IORING_REGISTER_EVENTFD,
				       &efd, 2),
		     -EINVAL, "nr_args 2");
	close(efd);
}

/*
 * A ring without SQPOLL: io_uring_submit consumes a drain and what follows
 * it (deferred, as Linux), and they complete in drain order.
 */
static void t_drain_enter(void)
{
	struct io_uring ring;
	struct __kernel_timespec ts = ts_ms(20);
	struct io_uring_sqe *sqe;
	uint64_t order[3];
	int res[3];

	if (!expect_eq(io_uring_queue_init(8, &ring, 0), 0, "plain ring"))
		return;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 380;
	io_uring_sqe_set_flags(sqe_data(&ring, 381), IOSQE_IO_DRAIN);
	sqe_data(&ring, 382);
	expect_eq(io_uring_submit(&ring), 3, "submit: all three consumed");
	expect_eq(io_uring_sq_ready(&ring), 0, "nothing left in the SQ");
	if (expect_eq(reap(&ring, 3, order, res), 3, "CQEs"))
		expect_true(order[0] == 380 && order[1] == 381 &&
				    order[2] == 382,
			    "drain order %lu %lu %lu",
			    (unsigned long)order[0], (unsigned long)order[1],
			    (unsigned long)order[2]);
	io_uring_queue_exit(&ring);
}

/*
 * Registered files (io_uring_register): register, sparse, the errors of
 * Linux 6.1, IORING_REGISTER_FILES_UPDATE, and READ/WRITE with
 * IOSQE_FIXED_FILE, which the table's own reference keeps working after
 * the fd is closed.
 */
static void t_files(struct io_uring *ring)
{
	int fd = open("/data/hello.txt", O_RDONLY), out, fds[4];
	int pfd[2] = {-1, -1};
	struct io_uring_sqe *sqe;
	char buf[64] = {0};

	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	out = open("/tmp/ring-files", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!expect_ge(out, 0, "open /tmp/ring-files"))
		return;
	expect_errno(io_uring_unregister_files(ring), -ENXIO,
		     "unregister with none");
	expect_errno(io_uring_register_files(ring, fds, 0), -EINVAL,
		     "register 0 files");
	expect_errno(io_uring_register_files(ring, fds, 1U << 21), -EMFILE,
		     "register past IORING_MAX_FIXED_FILES");
	expect_errno(io_uring_register_files(ring, fds, 100000), -EMFILE,
		     "register past the table's limit");
	fds[0] = 99;
	expect_errno(io_uring_register_files(ring, fds, 1), -EBADF,
		     "register an fd not open");
	fds[0] = ring->ring_fd;
	expect_errno(io_uring_register_files(ring, fds, 1), -EBADF,
		     "register the ring's own fd");
	fds[0] = fd;
	fds[1] = -1;
	fds[2] = out;
	fds[3] = -1;
	expect_eq(io_uring_register_files(ring, fds, 4), 0,
		  "register 4 (2 empty)");
	expect_errno(io_uring_register_files(ring, fds, 4), -EBUSY,
		     "register twice");
	expect_errno(io_uring_register_files_sparse(ring, 4), -EBUSY,
		     "register sparse while registered");
	close(fd);
	close(out);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 0, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 90;
	expect_eq(run_one(ring, 90), 5, "fixed read after close(fd)");
	expect_mem(buf, "Hello", 5, "fixed read after close(fd): content");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, 2, "fixed file", 10, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 91;
	expect_eq(run_one(ring, 91), 10, "fixed write after close(fd)");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 92;
	expect_errno(run_one(ring, 92), -EBADF, "fixed read of an empty slot");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 4, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 93;
	expect_errno(run_one(ring, 93), -EBADF, "fixed read past the table");

	/* IORING_REGISTER_FILES_UPDATE: slot 1 <- slot 2's file (by a new
	 * fd), slot 2 skipped, slot 0 cleared */
	out = open("/tmp/ring-files", O_RDONLY);
	if (!expect_ge(out, 0, "open /tmp/ring-files again"))
		return;
	fds[0] = -1;
	fds[1] = out;
	fds[2] = IORING_REGISTER_FILES_SKIP;
	expect_eq(io_uring_register_files_update(ring, 0, fds, 3), 3,
		  "update 3 slots");
	close(out);
	memset(buf, 0, sizeof(buf));
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1, buf, 10, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 94;
	expect_eq(run_one(ring, 94), 10, "fixed read of an updated slot");
	expect_mem(buf, "fixed file", 10, "updated slot: content");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 0, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 95;
	expect_errno(run_one(ring, 95), -EBADF, "fixed read of a cleared slot");
	fds[0] = -1;
	expect_errno(io_uring_register_files_update(ring, 4, fds, 1), -EINVAL,
		     "update past the table");
	expect_errno(io_uring_register_files_update(ring, 3, fds, 2), -EINVAL,
		     "update running past the table");
	fds[0] = 99;
	expect_errno(io_uring_register_files_update(ring, 0, fds, 1), -EBADF,
		     "update with an fd not open");

	/* a pipe may be registered, and written through its slot */
	if (expect_eq(__syscall2(SYS_pipe2, pfd, 0), 0, "pipe2")) {
		fds[0] = pfd[1];
		expect_eq(io_uring_register_files_update(ring, 3, fds, 1), 1,
			  "update with a pipe");
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_write(sqe, 3, "x", 1, 0);
		io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		sqe->user_data = 96;
		expect_eq(run_one(ring, 96), 1, "fixed write to a pipe");
		expect_true(read(pfd[0], buf, 1) == 1 && buf[0] == 'x',
			    "read(2) what the fixed write wrote");
		/* the IO core drops the slot's reference */
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_close_direct(sqe, 3);
		sqe->user_data = 99;
		expect_eq(run_one(ring, 99), 0,
			  "close_direct of a pipe, its fd open");
		expect_eq(io_uring_register_files_update(ring, 3, fds, 1), 1,
			  "update with the pipe again");
		close(pfd[1]);
	}
	expect_eq(io_uring_unregister_files(ring), 0, "unregister");
	if (pfd[0] >= 0) {
		/* the table's reference to the write end is gone: EOF */
		expect_eq(read(pfd[0], buf, 1), 0,
			  "pipe: EOF after unregister");
		close(pfd[0]);
	}
	expect_errno(io_uring_unregister_files(ring), -ENXIO,
		     "unregister twice");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 97;
	expect_errno(run_one(ring, 97), -EBADF, "fixed read after unregister");
	expect_errno(io_uring_register_files_update(ring, 0, fds, 1), -ENXIO,
		     "update with none registered");

	/* sparse, then filled by an update; the ring's teardown drops it */
	expect_eq(io_uring_register_files_sparse(ring, 8), 0,
		  "register sparse");
	fd = open("/data/hello.txt", O_RDONLY);
	fds[0] = fd;
	expect_eq(io_uring_register_files_update(ring, 7, fds, 1), 1,
		  "update the sparse table's last slot");
	close(fd);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 7, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 98;
	expect_eq(run_one(ring, 98), 5, "fixed read from a sparse table");
	unlink("/tmp/ring-files");
}

/* IORING_OP_FILES_UPDATE: prep's checks, an update, IORING_FILE_INDEX_ALLOC */
static void t_files_update_op(struct io_uring *ring)
{
	int fd = open("/data/hello.txt", O_RDONLY), fds[3];
	struct io_uring_sqe *sqe;
	char buf[8] = {0};

	if (!expect_ge(fd, 0, "open /data/hello.txt"))
		return;
	fds[0] = fd;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, 0);
	sqe->user_data = 100;
	expect_errno(run_one(ring, 100), -ENXIO, "with no table");
	expect_eq(io_uring_register_files_sparse(ring, 4), 0,
		  "register sparse");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 0, 0);
	sqe->user_data = 101;
	expect_errno(run_one(ring, 101), -EINVAL, "len 0");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, 0);
	sqe->rw_flags = 1;
	sqe->user_data = 102;
	expect_errno(run_one(ring, 102), -EINVAL, "rw_flags");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, 0);
	sqe->splice_fd_in = 1;
	sqe->user_data = 103;
	expect_errno(run_one(ring, 103), -EINVAL, "splice_fd_in");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, 4);
	sqe->user_data = 104;
	expect_errno(run_one(ring, 104), -EINVAL, "past the table");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, 2);
	sqe->user_data = 105;
	expect_eq(run_one(ring, 105), 1, "update slot 2");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 2, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 106;
	expect_eq(run_one(ring, 106), 5, "fixed read of the slot");
	expect_mem(buf, "Hello", 5, "fixed read of the slot: content");
	fds[0] = fds[1] = fd;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 2, (int)IORING_FILE_INDEX_ALLOC);
	sqe->user_data = 107;
	expect_eq(run_one(ring, 107), 2, "update with IORING_FILE_INDEX_ALLOC");
	expect_true(fds[0] == 0 && fds[1] == 1,
		    "the free slots written back: %d %d", fds[0], fds[1]);
	fds[0] = fd;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, 3);
	sqe->user_data = 108;
	expect_eq(run_one(ring, 108), 1, "update slot 3");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 1, (int)IORING_FILE_INDEX_ALLOC);
	sqe->user_data = 109;
	expect_errno(run_one(ring, 109), -ENFILE, "allocate in a full table");
	fds[0] = -1;
	fds[1] = IORING_REGISTER_FILES_SKIP;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_files_update(sqe, fds, 2, 2);
	sqe->user_data = 110;
	expect_eq(run_one(ring, 110), 2, "clear slot 2, skip slot 3");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 2, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 111;
	expect_errno(run_one(ring, 111), -EBADF,
		     "fixed read of a cleared slot");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 3, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 112;
	expect_eq(run_one(ring, 112), 5, "fixed read of the skipped slot");
	close(fd);
}

/* Direct descriptors: OPENAT and CLOSE with sqe->file_index */
static void t_files_direct(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;
	char buf[8] = {0};

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY,
				    0, 0);
	sqe->user_data = 120;
	expect_errno(run_one(ring, 120), -ENXIO, "openat_direct with no table");
	expect_eq(io_uring_register_files_sparse(ring, 2), 0,
		  "register sparse");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY,
				    0, 2);
	sqe->user_data = 121;
	expect_errno(run_one(ring, 121), -EINVAL,
		     "openat_direct past the table");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/hello.txt",
				    O_RDONLY | O_CLOEXEC, 0, 0);
	sqe->user_data = 122;
	expect_errno(run_one(ring, 122), -EINVAL, "openat_direct O_CLOEXEC");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/nosuch", O_RDONLY, 0,
				    0);
	sqe->user_data = 123;
	expect_errno(run_one(ring, 123), -ENOENT, "openat_direct: no file");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY,
				    0, 1);
	sqe->user_data = 124;
	expect_eq(run_one(ring, 124), 0, "openat_direct into slot 1");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 125;
	expect_eq(run_one(ring, 125), 5, "fixed read of the direct file");
	expect_mem(buf, "Hello", 5, "direct file: content");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY,
				    0, IORING_FILE_INDEX_ALLOC - 1);
	sqe->user_data = 126;
	expect_eq(run_one(ring, 126), 0, "openat_direct, allocated: slot 0");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY,
				    0, IORING_FILE_INDEX_ALLOC - 1);
	sqe->user_data = 127;
	expect_errno(run_one(ring, 127), -ENFILE,
		     "openat_direct, allocated: table full");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close_direct(sqe, 1);
	sqe->user_data = 128;
	expect_eq(run_one(ring, 128), 0, "close_direct slot 1");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close_direct(sqe, 1);
	sqe->user_data = 129;
	expect_errno(run_one(ring, 129), -EBADF, "close_direct an empty slot");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close_direct(sqe, 2);
	sqe->user_data = 130;
	expect_errno(run_one(ring, 130), -EINVAL,
		     "close_direct past the table");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 1, buf, 5, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 131;
	expect_errno(run_one(ring, 131), -EBADF, "fixed read after close");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	sqe->user_data = 132;
	expect_errno(run_one(ring, 132), -EBADF, "close with IOSQE_FIXED_FILE");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close_direct(sqe, 0);
	sqe->fd = 1;
	sqe->user_data = 133;
	expect_errno(run_one(ring, 133), -EINVAL, "close_direct with an fd");
}

/* ---- the cases ---- */

/* A case on a fresh ring of its own (SQ 8, CQ 16). */
static void on_ring(void (*fn)(struct io_uring *))
{
	static struct io_uring ring;

	if (!expect_eq(io_uring_queue_init(8, &ring, IORING_SETUP_SQPOLL), 0,
		       "queue_init(8)"))
		return;
	fn(&ring);
	io_uring_queue_exit(&ring);
}

#define ON_RING(fn)                                                            \
	static void fn##_case(void)                                            \
	{                                                                      \
		on_ring(fn);                                                   \
	}
ON_RING(t_nop)
ON_RING(t_rw)
ON_RING(t_openat_close)
ON_RING(t_errors)
ON_RING(t_garbage)
ON_RING(t_timeout)
ON_RING(t_link)
ON_RING(t_prep_at_take)
ON_RING(t_drain)
ON_RING(t_vectored)
ON_RING(t_fixed)
ON_RING(t_files)
ON_RING(t_files_update_op)
ON_RING(t_files_direct)
ON_RING(t_xlate)
ON_RING(t_sqe_flags)
ON_RING(t_pipe_wait)
ON_RING(t_eventfd_rw)
ON_RING(t_poll)
ON_RING(t_cancel)
ON_RING(t_link_timeout)
ON_RING(t_ext_arg)
ON_RING(t_timeout_count)
ON_RING(t_eventfd_reg)

static int start(void)
{
	struct io_uring ring;
	int r;

	ktest_leak_baseline();
	r = io_uring_queue_init(8, &ring, IORING_SETUP_SQPOLL);
	if (r) {
		printf("ringtest: cannot set up a ring: %s\n", strerror(-r));
		return 1;
	}
	io_uring_queue_exit(&ring);
	return 0;
}

/*
 * The cases, in the order they run: each KTEST_CASE in a process of its
 * own ("ringtest run NAME N"), leak-check here, whatever is selected.
 * pytests/test_ring.py makes one pytest item per line.
 */
static const struct ktest_case cases[] = {
	KTEST_CASE("setup", t_setup),
	KTEST_CASE("nop", t_nop_case),
	KTEST_CASE("rw", t_rw_case),
	KTEST_CASE("openat-close", t_openat_close_case),
	KTEST_CASE("errors", t_errors_case),
	KTEST_CASE("garbage", t_garbage_case),
	KTEST_CASE("timeout", t_timeout_case),
	KTEST_CASE("link", t_link_case),
	KTEST_CASE("prep-at-take", t_prep_at_take_case),
	KTEST_CASE("drain", t_drain_case),
	KTEST_CASE("sqe-flags", t_sqe_flags_case),
	KTEST_CASE("pipe-wait", t_pipe_wait_case),
	KTEST_CASE("eventfd-rw", t_eventfd_rw_case),
	KTEST_CASE("poll", t_poll_case),
	KTEST_CASE("cancel", t_cancel_case),
	KTEST_CASE("link-timeout", t_link_timeout_case),
	KTEST_CASE("ext-arg", t_ext_arg_case),
	KTEST_CASE("timeout-count", t_timeout_count_case),
	KTEST_CASE("eventfd-register", t_eventfd_reg_case),
	KTEST_CASE("drain-enter", t_drain_enter),
	KTEST_CASE("vectored", t_vectored_case),
	KTEST_CASE("fixed", t_fixed_case),
	KTEST_CASE("files", t_files_case),
	KTEST_CASE("files-update-op", t_files_update_op_case),
	KTEST_CASE("files-direct", t_files_direct_case),
	KTEST_CASE("xlate-cache", t_xlate_case),
	KTEST_CASE("overflow", t_overflow),
	KTEST_CASE("overflow-stress", t_overflow_stress),
	KTEST_CASE("overflow-sleeping", t_overflow_sleeping),
	KTEST_CASE("wakeup", t_wakeup),
	KTEST_CASE("enter-contract", t_enter_contract),
	KTEST_CASE("several", t_several),
	KTEST_CASE("processes", t_processes),
	KTEST_CASE("exit-with-rings", t_exit_with_ring),
	KTEST_CASE("exhaust", t_exhaust),
	KTEST_ALWAYS("leak-check", ktest_leak_check),
};

static const struct ktest_suite suite = KTEST_SUITE("ringtest", cases, start);

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child-ring"))
		return child_ring();
	if (argc > 1 && !strcmp(argv[1], "child-work"))
		return ring_work(300);
	return ktest_main(&suite, argc, argv);
}
