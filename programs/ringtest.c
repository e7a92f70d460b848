/*
 * ringtest: checks of the rings (io_uring set-up, the IO core's operations
 * and errors, overflow, several rings), written against liburing.h.
 * One line per check group (ok NAME / FAIL NAME: why), then
 *   ringtest: passed=N failed=M
 * `ringtest GROUP...` runs only those groups.
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

int main(int argc, char **argv);

static int passed, failed, group_failed;
static const char *group;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s: ", group);                            \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			group_failed = 1;                                      \
		}                                                              \
	} while (0)

/* Submit one prepared SQE and wait for its CQE; returns res. */
static int run_one(struct io_uring *ring, uint64_t data)
{
	struct io_uring_cqe *cqe;
	int r, res;

	r = io_uring_submit(ring);
	CHECK(r == 1, "submit returned %d", r);
	r = io_uring_wait_cqe(ring, &cqe);
	CHECK(r == 0 && cqe, "wait_cqe returned %d", r);
	if (r || !cqe)
		return -9999;
	CHECK(cqe->user_data == data, "user_data %lu, want %lu",
	      (unsigned long)cqe->user_data, (unsigned long)data);
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

static void t_setup(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	int r;

	memset(&p, 0, sizeof(p));
	r = io_uring_queue_init_params(6, &ring, &p);
	CHECK(r == 0, "queue_init: %d", r);
	if (r)
		return;
	CHECK(p.sq_entries == 8 && p.cq_entries == 16,
	      "entries %u/%u, want 8/16 (power of two, CQ twice)", p.sq_entries,
	      p.cq_entries);
	CHECK(p.features & IORING_FEAT_NODROP, "no NODROP feature");
	CHECK(*ring.sq.kring_entries == 8 && *ring.cq.kring_mask == 15,
	      "ring header: %u %u", *ring.sq.kring_entries, *ring.cq.kring_mask);
	CHECK(io_uring_sq_space_left(&ring) == 8, "space left %u",
	      io_uring_sq_space_left(&ring));
	io_uring_queue_exit(&ring);

	memset(&p, 0, sizeof(p));
	CHECK(io_uring_setup(0, &p) == -EINVAL, "0 entries");
	CHECK(io_uring_setup(IORING_MAX_ENTRIES + 1, &p) == -EINVAL,
	      "too many entries");
	p.flags = IORING_SETUP_CLAMP;
	r = io_uring_setup(IORING_MAX_ENTRIES + 1, &p);
	CHECK(r >= 0 && p.sq_entries == IORING_MAX_ENTRIES, "clamp: %d %u", r,
	      p.sq_entries);
	if (r >= 0)
		close(r);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 100;
	r = io_uring_setup(16, &p);
	CHECK(r >= 0 && p.cq_entries == 128, "CQSIZE 100: %d %u", r,
	      p.cq_entries);
	if (r >= 0)
		close(r);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 4;
	CHECK(io_uring_setup(16, &p) == -EINVAL, "CQ smaller than SQ");
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_IOPOLL;
	CHECK(io_uring_setup(8, &p) == -EINVAL, "IOPOLL is not supported");
	memset(&p, 0, sizeof(p));
	p.resv[1] = 1;
	CHECK(io_uring_setup(8, &p) == -EINVAL, "reserved field set");
	CHECK(io_uring_setup(8, (void *)0x80200000) == -EFAULT,
	      "params in kernel memory");
	/* valid (all zero) params the kernel cannot write back */
	static const struct io_uring_params ro_params
		__attribute__((section(".rodata")));
	CHECK(io_uring_setup(8, (struct io_uring_params *)&ro_params) == -EFAULT,
	      "params in read-only memory");
	CHECK(io_uring_setup(8, (void *)main) == -EINVAL,
	      "params that are code: reserved fields set");
	CHECK(io_uring_enter(1, 0, 0, 0, NULL) == -EOPNOTSUPP,
	      "enter on a non-ring fd");
	CHECK(io_uring_enter(99, 0, 0, 0, NULL) == -EBADF, "enter on a bad fd");
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, 0, 0) == MAP_FAILED &&
		      errno == ENODEV,
	      "mmap of the console");
}

static void t_nop(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int seen = 0;

	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 42);
	CHECK(run_one(ring, 42) == 0, "nop");
	/* a batch, reaped with for_each */
	for (int i = 0; i < 8; i++) {
		sqe = io_uring_get_sqe(ring);
		CHECK(sqe != NULL, "get_sqe %d", i);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data(sqe, (void *)(uintptr_t)(100 + i));
	}
	CHECK(io_uring_get_sqe(ring) == NULL, "SQ full after 8");
	CHECK(io_uring_submit_and_wait(ring, 8) == 8, "submit_and_wait");
	CHECK(io_uring_cq_ready(ring) == 8, "cq_ready %u",
	      io_uring_cq_ready(ring));
	unsigned head, n = 0;

	io_uring_for_each_cqe(ring, head, cqe) {
		seen |= 1 << ((uintptr_t)io_uring_cqe_get_data(cqe) - 100);
		CHECK(cqe->res == 0, "res %d", cqe->res);
		n++;
	}
	io_uring_cq_advance(ring, n);
	CHECK(seen == 0xff, "every user_data once: %x", seen);
}

static void t_rw(struct io_uring *ring)
{
	char buf[64] = { 0 }, back[64] = { 0 };
	struct io_uring_sqe *sqe;
	int fd, r;

	fd = open("/data/hello.txt", O_RDONLY);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, sizeof(buf), 0);
	sqe->user_data = 1;
	r = run_one(ring, 1);
	CHECK(r == 35 && !strcmp(buf, "Hello from the memory file system.\n"),
	      "read at 0: %d '%s'", r, buf);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, 5, 6);
	sqe->user_data = 2;
	r = run_one(ring, 2);
	CHECK(r == 5 && !memcmp(buf, "from ", 5), "read at 6: %d", r);
	/* offset -1: the file position, which it advances */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, 4, -1);
	sqe->user_data = 3;
	r = run_one(ring, 3);
	CHECK(r == 4 && !memcmp(buf, "Hell", 4) && lseek(fd, 0, SEEK_CUR) == 4,
	      "read at the position: %d, position %ld", r,
	      (long)lseek(fd, 0, SEEK_CUR));
	close(fd);

	fd = open("/tmp/ring-rw", O_RDWR | O_CREAT | O_TRUNC, 0644);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, fd, "through the ring", 16, 0);
	sqe->user_data = 4;
	r = run_one(ring, 4);
	CHECK(r == 16, "write: %d", r);
	r = pread(fd, back, sizeof(back), 0);
	CHECK(r == 16 && !memcmp(back, "through the ring", 16),
	      "read back with pread: %d", r);
	close(fd);
	unlink("/tmp/ring-rw");
}

static void t_openat_close(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	char buf[8];
	int fd, r;

	io_uring_prep_openat(sqe, AT_FDCWD, "/data/hello.txt", O_RDONLY, 0);
	sqe->user_data = 7;
	fd = run_one(ring, 7);
	CHECK(fd >= 3, "openat: %d", fd);
	CHECK(read(fd, buf, 5) == 5 && !memcmp(buf, "Hello", 5),
	      "the fd works with read(2)");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, fd);
	sqe->user_data = 8;
	r = run_one(ring, 8);
	CHECK(r == 0, "close: %d", r);
	CHECK(read(fd, buf, 1) < 0 && errno == EBADF, "fd closed");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "/data/none", O_RDONLY, 0);
	sqe->user_data = 9;
	CHECK(run_one(ring, 9) == -ENOENT, "openat missing");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "/tmp/ring-new",
			     O_WRONLY | O_CREAT | O_EXCL, 0644);
	sqe->user_data = 10;
	fd = run_one(ring, 10);
	CHECK(fd >= 0, "openat O_CREAT: %d", fd);
	close(fd);
	CHECK(unlink("/tmp/ring-new") == 0, "the file exists");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, ring->ring_fd);
	sqe->user_data = 11;
	CHECK(run_one(ring, 11) == -EBADF, "closing the ring through itself");
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
		{ "NULL", NULL },
		{ "kernel", (void *)0x80200000 },
		{ "unmapped", (void *)0x50000000 },
		{ "read-only", (void *)main },
	};

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 99, buf, 4, 0);
	sqe->user_data = 1;
	CHECK(run_one(ring, 1) == -EBADF, "bad fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write(sqe, fd, "x", 1, 0);
	sqe->user_data = 2;
	CHECK(run_one(ring, 2) == -EBADF, "write to a read-only fd");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->opcode = 200;
	sqe->user_data = 3;
	CHECK(run_one(ring, 3) == -EINVAL, "bad opcode");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->addr3 = 1;
	sqe->user_data = 4;
	CHECK(run_one(ring, 4) == -EINVAL, "reserved field");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, 4, 0);
	sqe->rw_flags = 1;
	sqe->user_data = 5;
	CHECK(run_one(ring, 5) == -EINVAL, "rw_flags");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_close(sqe, fd);
	sqe->len = 1;
	sqe->user_data = 6;
	CHECK(run_one(ring, 6) == -EINVAL, "close with len set");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, bad[i].addr, 4, 0);
		sqe->user_data = 10 + i;
		CHECK(run_one(ring, 10 + i) == -EFAULT, "read into %s",
		      bad[i].what);
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_openat(sqe, AT_FDCWD, bad[i].addr, O_RDONLY, 0);
		sqe->user_data = 20 + i;
		if (i < 3)
			CHECK(run_one(ring, 20 + i) == -EFAULT,
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
	CHECK(*ring->sq.kdropped == before + 1, "dropped %u, want %u",
	      *ring->sq.kdropped, before + 1);
	ring->sq.array[slot] = slot; /* liburing keeps slot i at SQE i */
	CHECK(io_uring_cq_ready(ring) == 0, "no CQE for a dropped entry");
	/* a tail far ahead of the head: rejected, counted */
	unsigned tail = *ring->sq.ktail;

	io_uring_smp_store_release(ring->sq.ktail, tail + 100000);
	io_uring_enter(ring->ring_fd, 1, 0, IORING_ENTER_SQ_WAKEUP, NULL);
	while (io_uring_smp_load_acquire(ring->sq.khead) != tail + 100000)
		sched_yield();
	CHECK(*ring->sq.kdropped == before + 1 + 100000, "dropped %u",
	      *ring->sq.kdropped);
	ring->sq.sqe_head = ring->sq.sqe_tail = tail + 100000;
	/* and the ring still works */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 77;
	CHECK(run_one(ring, 77) == 0, "nop after garbage");
}

/*
 * Ten times the CQ's size in flight, none reaped until all are submitted:
 * the CQ fills, the kernel keeps the rest (IORING_SQ_CQ_OVERFLOW) and hands
 * them over as the CQ drains.  Every CQE must come exactly once.
 */
static void t_overflow(void)
{
	struct io_uring ring;
	unsigned char seen[160] = { 0 };
	int total = 160, submitted = 0, reaped = 0;

	if (io_uring_queue_init(8, &ring, 0)) { /* SQ 8, CQ 16 */
		CHECK(0, "queue_init");
		return;
	}
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
	while (io_uring_sq_ready(&ring))
		sched_yield();
	CHECK(io_uring_cq_has_overflow(&ring),
	      "IORING_SQ_CQ_OVERFLOW not set with %d in flight", total);
	CHECK(io_uring_cq_ready(&ring) == 16, "CQ holds %u, want 16",
	      io_uring_cq_ready(&ring));
	while (reaped < total) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(&ring, &cqe)) {
			CHECK(0, "wait_cqe after %d", reaped);
			break;
		}
		CHECK(cqe->user_data < 160 && !seen[cqe->user_data]++,
		      "user_data %lu twice or bad", (unsigned long)cqe->user_data);
		io_uring_cqe_seen(&ring, cqe);
		reaped++;
	}
	CHECK(reaped == total, "reaped %d of %d", reaped, total);
	CHECK(!io_uring_cq_has_overflow(&ring), "overflow flag still set");
	CHECK(io_uring_cq_ready(&ring) == 0, "extra CQEs");
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
	if (io_uring_queue_init_params(4, &ring, &p)) {
		CHECK(0, "queue_init");
		return;
	}
	for (int round = 0; round < 3; round++) {
		/* idle for longer than sq_thread_idle: the IO core sleeps */
		usleep(20000);
		CHECK(*ring.sq.kflags & IORING_SQ_NEED_WAKEUP,
		      "round %d: NEED_WAKEUP not set after idling", round);
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, round);
		CHECK(io_uring_submit(&ring) == 1, "submit");
		CHECK(io_uring_wait_cqe(&ring, &cqe) == 0 && cqe->res == 0 &&
			      cqe->user_data == (uint64_t)round,
		      "round %d: the woken IO core completed the NOP", round);
		io_uring_cqe_seen(&ring, cqe);
	}
	/* many submit-and-wait round trips: no lost wakeup */
	for (int i = 0; i < 300; i++) {
		io_uring_prep_nop(io_uring_get_sqe(&ring));
		if (io_uring_submit_and_wait(&ring, 1) != 1 ||
		    io_uring_peek_cqe(&ring, &cqe)) {
			CHECK(0, "round trip %d", i);
			break;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
}

/* Reap n CQEs into order[] (user_data) and res[]; returns how many. */
static int reap(struct io_uring *ring, int n, uint64_t *order, int *res)
{
	struct io_uring_cqe *cqe;
	int i;

	for (i = 0; i < n; i++) {
		if (io_uring_wait_cqe(ring, &cqe))
			break;
		order[i] = cqe->user_data;
		res[i] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	return i;
}

static struct io_uring_sqe *sqe_data(struct io_uring *ring, uint64_t data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_nop(sqe);
	sqe->user_data = data;
	return sqe;
}

static void t_timeout(struct io_uring *ring)
{
	struct __kernel_timespec ts = { 0, 30 * 1000 * 1000 }, big = { 5, 0 },
				 bad = { 0, 1000000000 };
	uint64_t order[8];
	int res[8];
	struct io_uring_sqe *sqe;

	/* out of order: the timeout is submitted first, completes last */
	io_uring_prep_timeout(io_uring_get_sqe(ring), &ts, 0, 0);
	ring->sq.sqes[(ring->sq.sqe_tail - 1) & ring->sq.ring_mask].user_data = 1;
	sqe_data(ring, 2);
	io_uring_submit(ring);
	CHECK(reap(ring, 2, order, res) == 2, "reap");
	CHECK(order[0] == 2 && res[0] == 0 && order[1] == 1 && res[1] == -ETIME,
	      "order %lu(%d) %lu(%d), want the NOP first then -ETIME",
	      (unsigned long)order[0], res[0], (unsigned long)order[1], res[1]);
	/* a count: completes with 0 after 2 other completions */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &big, 2, 0);
	sqe->user_data = 10;
	sqe_data(ring, 11);
	sqe_data(ring, 12);
	io_uring_submit(ring);
	CHECK(reap(ring, 3, order, res) == 3, "reap count");
	CHECK(order[2] == 10 && res[2] == 0, "count timeout: %lu %d",
	      (unsigned long)order[2], res[2]);
	/* absolute time: already past */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, IORING_TIMEOUT_ABS);
	sqe->user_data = 20;
	CHECK(run_one(ring, 20) == -ETIME, "absolute timeout in the past");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &bad, 0, 0);
	sqe->user_data = 21;
	CHECK(run_one(ring, 21) == -EINVAL, "tv_nsec 1e9");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, (void *)0x80200000, 0, 0);
	sqe->user_data = 22;
	CHECK(run_one(ring, 22) == -EFAULT, "timespec in kernel memory");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0x80);
	sqe->user_data = 23;
	CHECK(run_one(ring, 23) == -EINVAL, "unknown timeout flag");
}

static void t_link(struct io_uring *ring)
{
	struct __kernel_timespec ts = { 0, 20 * 1000 * 1000 };
	uint64_t order[8];
	int res[8];
	struct io_uring_sqe *sqe;
	char buf[8];

	/* a chain runs in order */
	for (int i = 0; i < 4; i++)
		io_uring_sqe_set_flags(sqe_data(ring, 30 + i),
				       i < 3 ? IOSQE_IO_LINK : 0);
	io_uring_submit(ring);
	CHECK(reap(ring, 4, order, res) == 4, "reap chain");
	for (int i = 0; i < 4; i++)
		CHECK(order[i] == (uint64_t)(30 + i) && res[i] == 0,
		      "chain member %d: %lu %d", i, (unsigned long)order[i],
		      res[i]);
	/* a failed member cancels the rest of its chain, not what follows */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, 99, buf, 4, 0);
	sqe->user_data = 40;
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	io_uring_sqe_set_flags(sqe_data(ring, 41), IOSQE_IO_LINK);
	sqe_data(ring, 42);
	sqe_data(ring, 43);
	io_uring_submit(ring);
	CHECK(reap(ring, 4, order, res) == 4, "reap failed chain");
	CHECK(res[0] == -EBADF && res[1] == -ECANCELED &&
		      res[2] == -ECANCELED && order[3] == 43 && res[3] == 0,
	      "failed chain: %d %d %d, then %lu %d", res[0], res[1], res[2],
	      (unsigned long)order[3], res[3]);
	/* a timeout in a chain: the next member waits for it; -ETIME breaks
	 * the chain, as on Linux */
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 50;
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	sqe_data(ring, 51);
	sqe_data(ring, 52);
	io_uring_submit(ring);
	CHECK(reap(ring, 3, order, res) == 3, "reap timeout chain");
	CHECK(order[0] == 52 && order[1] == 50 && res[1] == -ETIME &&
		      order[2] == 51 && res[2] == -ECANCELED,
	      "timeout chain: %lu %lu(%d) %lu(%d)", (unsigned long)order[0],
	      (unsigned long)order[1], res[1], (unsigned long)order[2], res[2]);
}

static void t_drain(struct io_uring *ring)
{
	struct __kernel_timespec ts = { 0, 20 * 1000 * 1000 };
	uint64_t order[8];
	int res[8];
	struct io_uring_sqe *sqe;

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 60;
	io_uring_sqe_set_flags(sqe_data(ring, 61), IOSQE_IO_DRAIN);
	sqe_data(ring, 62);
	io_uring_submit(ring);
	CHECK(reap(ring, 3, order, res) == 3, "reap drain");
	CHECK(order[0] == 60 && order[1] == 61 && order[2] == 62,
	      "drain order %lu %lu %lu, want 60 61 62", (unsigned long)order[0],
	      (unsigned long)order[1], (unsigned long)order[2]);
}

static void t_vectored(struct io_uring *ring)
{
	char a[6] = { 0 }, b[12] = { 0 };
	struct iovec iov[2] = { { a, 5 }, { b, 11 } };
	struct iovec out[2] = { { "ring ", 5 }, { "vectors", 7 } };
	struct io_uring_sqe *sqe;
	int fd = open("/data/hello.txt", O_RDONLY), r;

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_readv(sqe, fd, iov, 2, 0);
	sqe->user_data = 70;
	r = run_one(ring, 70);
	CHECK(r == 16 && !strcmp(a, "Hello") && !strcmp(b, " from the m"),
	      "readv: %d '%s' '%s'", r, a, b);
	close(fd);
	fd = open("/tmp/ring-v", O_RDWR | O_CREAT | O_TRUNC, 0644);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_writev(sqe, fd, out, 2, -1);
	sqe->user_data = 71;
	r = run_one(ring, 71);
	CHECK(r == 12 && lseek(fd, 0, SEEK_CUR) == 12, "writev: %d", r);
	CHECK(pread(fd, b, 12, 0) == 12 && !memcmp(b, "ring vectors", 12),
	      "written");
	CHECK(readv(fd, iov, 2) == 0, "readv(2) at the end");
	lseek(fd, 0, SEEK_SET);
	CHECK(readv(fd, iov, 2) == 12 && !memcmp(a, "ring ", 5),
	      "readv(2) from the start");
	close(fd);
	unlink("/tmp/ring-v");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_readv(sqe, 0, (void *)0x80200000, 1, 0);
	sqe->user_data = 72;
	CHECK(run_one(ring, 72) == -EFAULT, "iovec array in kernel memory");
}

static char fixed_a[8192] __attribute__((aligned(4096)));
static char fixed_b[6000];

static void t_fixed(struct io_uring *ring)
{
	char *b = fixed_b;
	struct iovec iov[2] = { { fixed_a, sizeof(fixed_a) }, { b, 6000 } };
	struct io_uring_sqe *sqe;
	int fd = open("/data/hello.txt", O_RDONLY), out, r;
	char back[16] = { 0 };

	CHECK(io_uring_register_buffers(ring, iov, 2) == 0, "register");
	CHECK(io_uring_register_buffers(ring, iov, 2) == -EBUSY,
	      "register twice");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a + 4090, 10, 0, 0);
	sqe->user_data = 80;
	r = run_one(ring, 80);
	CHECK(r == 10 && !memcmp(fixed_a + 4090, "Hello from", 10),
	      "read_fixed across a page boundary: %d", r);
	out = open("/tmp/ring-fixed", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memcpy(b + 100, "fixed write", 11);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_write_fixed(sqe, out, b + 100, 11, 0, 1);
	sqe->user_data = 81;
	CHECK(run_one(ring, 81) == 11, "write_fixed");
	CHECK(pread(out, back, 11, 0) == 11 && !memcmp(back, "fixed write", 11),
	      "written");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a, 10, 0, 2);
	sqe->user_data = 82;
	CHECK(run_one(ring, 82) == -EFAULT, "bad buffer index");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, b + 5995, 10, 0, 1);
	sqe->user_data = 83;
	CHECK(run_one(ring, 83) == -EFAULT, "past the buffer's end");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a, 10, 0, 1);
	sqe->user_data = 84;
	CHECK(run_one(ring, 84) == -EFAULT, "address of another buffer");
	CHECK(io_uring_unregister_buffers(ring) == 0, "unregister");
	CHECK(io_uring_unregister_buffers(ring) == -ENXIO, "unregister twice");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, fixed_a, 10, 0, 0);
	sqe->user_data = 85;
	CHECK(run_one(ring, 85) == -EFAULT, "after unregistering");
	iov[0].iov_base = (void *)main;
	iov[0].iov_len = 100;
	CHECK(io_uring_register_buffers(ring, iov, 1) == -EFAULT,
	      "register read-only memory");
	iov[0].iov_base = (void *)0x80200000;
	CHECK(io_uring_register_buffers(ring, iov, 1) == -EFAULT,
	      "register kernel memory");
	iov[0].iov_base = fixed_a;
	iov[0].iov_len = 0;
	CHECK(io_uring_register_buffers(ring, iov, 1) == -EFAULT,
	      "register an empty buffer");

	/* a registered page stays valid when its mapping goes: it is freed
	 * when unregistered (with the registration's page list) */
	long before = free_pages();
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	iov[0].iov_base = m;
	iov[0].iov_len = 4096;
	CHECK(m != MAP_FAILED && io_uring_register_buffers(ring, iov, 1) == 0,
	      "register an mmap'd page");
	CHECK(munmap(m, 4096) == 0, "munmap it");
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read_fixed(sqe, fd, m, 16, 0, 0);
	sqe->user_data = 86;
	CHECK(run_one(ring, 86) == 16, "read_fixed into the unmapped, pinned page");
	CHECK(free_pages() == before - 2,
	      "the pinned page (and the page list) still held: %ld",
	      before - free_pages());
	CHECK(io_uring_unregister_buffers(ring) == 0, "unregister");
	CHECK(free_pages() == before, "the page is freed on unregistering");
	close(fd);
	close(out);
	unlink("/tmp/ring-fixed");
}

/* The IO core's translation cache forgets a page that goes away. */
static void t_xlate(struct io_uring *ring)
{
	int fd = open("/data/hello.txt", O_RDONLY);
	struct io_uring_sqe *sqe;
	char *p = sbrk(0), *q, *orig = p;

	/* a fresh page at the end of the heap */
	p = (char *)(((uintptr_t)p + 8191) & ~4095UL);
	CHECK(brk(p + 4096) == 0, "grow the heap");
	for (int round = 0; round < 3; round++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, p, 5, 0);
		sqe->user_data = 90;
		CHECK(run_one(ring, 90) == 5 && !memcmp(p, "Hello", 5),
		      "round %d: read into the heap page", round);
		CHECK(brk(p) == 0, "shrink the heap: the page goes");
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read(sqe, fd, p, 5, 0);
		sqe->user_data = 91;
		CHECK(run_one(ring, 91) == -EFAULT,
		      "round %d: read into the unmapped page", round);
		CHECK(brk(p + 4096) == 0, "grow again: a new page");
		q = p;
		CHECK(q[0] == 0, "the new page is zeroed");
	}
	CHECK(brk(orig) == 0, "the heap back as it was");
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
	if (io_uring_queue_init(32, &ring, 0)) { /* SQ 32, CQ 64 */
		CHECK(0, "queue_init");
		return;
	}
	while (reaped < total) {
		struct io_uring_sqe *sqe;

		while (submitted < total && (sqe = io_uring_get_sqe(&ring))) {
			io_uring_prep_nop(sqe);
			sqe->user_data = submitted++;
		}
		io_uring_submit(&ring);
		/* reap only some, so the CQ stays near full */
		for (int i = 0; i < 7 && reaped < total; i++) {
			if (io_uring_wait_cqe(&ring, &cqe)) {
				CHECK(0, "wait_cqe");
				goto out;
			}
			if (cqe->user_data >= (uint64_t)total ||
			    seen[cqe->user_data]++) {
				CHECK(0, "user_data %lu twice or bad",
				      (unsigned long)cqe->user_data);
				goto out;
			}
			io_uring_cqe_seen(&ring, cqe);
			reaped++;
		}
	}
out:
	CHECK(reaped == total, "reaped %d of %d", reaped, total);
	io_uring_queue_exit(&ring);
}

static void t_overflow_sleeping(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int got = 0;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 8;
	if (io_uring_queue_init_params(8, &ring, &p)) {
		CHECK(0, "queue_init");
		return;
	}
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 6; i++) {
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		}
		io_uring_submit(&ring);
		while (io_uring_sq_ready(&ring))
			sched_yield();
	}
	usleep(20000); /* the IO core sleeps with 4 CQEs in its overflow list */
	while (got < 12 && io_uring_wait_cqe(&ring, &cqe) == 0) {
		io_uring_cqe_seen(&ring, cqe);
		got++;
	}
	CHECK(got == 12, "got %d of 12 CQEs", got);
	io_uring_queue_exit(&ring);
}

static void t_exhaust(void)
{
	struct io_uring ring;
	int n = 0;
	void *m;

	if (io_uring_queue_init(4, &ring, 0)) {
		CHECK(0, "queue_init");
		return;
	}
	/* map and unmap until the mmap area is used up: ENOMEM, no crash */
	for (;;) {
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 ring.ring_fd, IORING_OFF_SQES);
		if (m == MAP_FAILED)
			break;
		munmap(m, 4096);
		n++;
	}
	CHECK(errno == ENOMEM && n > 1000, "mmap stops with ENOMEM (%d maps)",
	      n);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	CHECK(m == MAP_FAILED && errno == ENOMEM, "anonymous mmap too");
	/* a brk the memory cannot hold fails, and maps nothing */
	char *top = sbrk(0);

	CHECK(brk(top + (400L << 20)) < 0 && sbrk(0) == top,
	      "brk(+400 MiB) fails");
	io_uring_queue_exit(&ring);
}

static void t_several(void)
{
	struct io_uring a, b;
	struct io_uring_cqe *cqe;

	CHECK(io_uring_queue_init(4, &a, 0) == 0 &&
		      io_uring_queue_init(4, &b, 0) == 0,
	      "two rings");
	for (int i = 0; i < 4; i++) {
		io_uring_prep_nop(io_uring_get_sqe(&a));
		io_uring_prep_nop(io_uring_get_sqe(&b));
	}
	io_uring_submit(&a);
	io_uring_submit(&b);
	CHECK(io_uring_wait_cqe_nr(&a, &cqe, 4) == 0 &&
		      io_uring_wait_cqe_nr(&b, &cqe, 4) == 0,
	      "both rings served");
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

	if (fd < 0 || io_uring_queue_init(8, &r, 0))
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

/* Several processes with rings at once, the IO core serving them all. */
static void t_processes(void)
{
	int pids[3], st;

	for (int i = 0; i < 3; i++)
		pids[i] = spawn("/bin/ringtest",
				(char *[]){ "ringtest", "child-work", NULL });
	CHECK(ring_work(300) == 0, "the parent's own ring");
	for (int i = 0; i < 3; i++)
		CHECK(pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] &&
			      WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "child %d", i);
}

static void t_exit_with_ring(void)
{
	long before = free_pages();
	int st, pid = spawn("/bin/ringtest",
			    (char *[]){ "ringtest", "child-ring", NULL });

	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		      WEXITSTATUS(st) == 0,
	      "child with rings");
	CHECK(free_pages() == before, "pages leaked: %ld",
	      before - free_pages());
}

static int child_ring(void)
{
	static struct io_uring r[3];
	struct __kernel_timespec ts = { 60, 0 };
	static struct io_uring t;

	/* 64 timeouts in flight when it exits */
	if (io_uring_queue_init(64, &t, 0))
		return 1;
	for (int j = 0; j < 64; j++)
		io_uring_prep_timeout(io_uring_get_sqe(&t), &ts, 0, 0);
	if (io_uring_submit(&t) != 64)
		return 1;

	/* exits with rings set up, mapped, and NOPs submitted */
	for (int i = 0; i < 3; i++) {
		if (io_uring_queue_init(64, &r[i], 0))
			return 1;
		for (int j = 0; j < 64; j++)
			io_uring_prep_nop(io_uring_get_sqe(&r[i]));
		io_uring_submit(&r[i]);
	}
	return 0;
}

static void run(const char *name, void (*fn)(void))
{
	group = name;
	group_failed = 0;
	fn();
	if (group_failed)
		failed++;
	else
		passed++, printf("ok %s\n", name);
	fflush(stdout);
}

static struct io_uring shared_ring;
static void g_nop(void) { t_nop(&shared_ring); }
static void g_rw(void) { t_rw(&shared_ring); }
static void g_openat(void) { t_openat_close(&shared_ring); }
static void g_errors(void) { t_errors(&shared_ring); }
static void g_garbage(void) { t_garbage(&shared_ring); }
static void g_timeout(void) { t_timeout(&shared_ring); }
static void g_link(void) { t_link(&shared_ring); }
static void g_drain(void) { t_drain(&shared_ring); }
static void g_vectored(void) { t_vectored(&shared_ring); }
static void g_fixed(void) { t_fixed(&shared_ring); }
static void g_xlate(void) { t_xlate(&shared_ring); }

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child-ring"))
		return child_ring();
	if (argc > 1 && !strcmp(argv[1], "child-work"))
		return ring_work(300);
	long before = free_pages();

	int r = io_uring_queue_init(8, &shared_ring, 0);

	if (r) {
		printf("ringtest: cannot set up a ring: %s\n", strerror(-r));
		return 1;
	}
	io_uring_queue_exit(&shared_ring);
	run("setup", t_setup);
	if (io_uring_queue_init(8, &shared_ring, 0))
		return 1;
	run("nop", g_nop);
	run("rw", g_rw);
	run("openat-close", g_openat);
	run("errors", g_errors);
	run("garbage", g_garbage);
	run("timeout", g_timeout);
	run("link", g_link);
	run("drain", g_drain);
	run("vectored", g_vectored);
	run("fixed", g_fixed);
	run("xlate-cache", g_xlate);
	io_uring_queue_exit(&shared_ring);
	run("overflow", t_overflow);
	run("overflow-stress", t_overflow_stress);
	run("overflow-sleeping", t_overflow_sleeping);
	run("wakeup", t_wakeup);
	run("several", t_several);
	run("processes", t_processes);
	run("exit-with-rings", t_exit_with_ring);
	run("exhaust", t_exhaust);
	group = "leak-check";
	group_failed = 0;
	CHECK(free_pages() == before, "free pages %ld before, %ld after", before,
	      free_pages());
	if (group_failed)
		failed++;
	else
		passed++, printf("ok leak-check\n");
	printf("ringtest: passed=%d failed=%d\n", passed, failed);
	return failed != 0;
}
