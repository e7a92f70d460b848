/*
 * ringbench: the cost of an operation through a trap and through the ring,
 * in instructions on each hart.  Meant for QEMU's deterministic mode
 * (-icount shift=0,sleep=off: one time-CSR tick = 100 instructions, harts
 * run in turn, a hart in wfi executes nothing); in the parallel mode the
 * figures are wall-clock based and only indicative.
 *
 * How each hart's share is isolated: the IO core sleeps in wfi after
 * sq_thread_idle (1 ms) without work.  While it sleeps, the user fills and
 * publishes a batch of SQEs (normal core only); then it wakes the IO core
 * and sleeps in io_uring_enter(GETEVENTS) until the batch is complete (IO
 * core only, plus the wakeup); then, the IO core asleep again, it reaps the
 * CQEs (normal core only).  So:
 *   normal core per op = (fill + publish + reap) / batch   (no system call:
 *                        with a polling IO core the ring needs none)
 *   IO core per op     = the completion window / batch     (includes one
 *                        IPI wakeup and the normal core's sleep per batch)
 * Reads of 4 KiB from the memory FS reach the user buffer by a page-table
 * walk (through the IO core's translation cache, or not with the kernel
 * option ringxlate=walk) or through a registered buffer (read4k-fixed).
 * One result line per case:
 *   ringbench: op=NAME batch=B normal=N io=M trap=T
 *
 * `ringbench overhead` (kernel booted with `trace`, make TRACE=...) runs
 * NOPs and 4 KiB reads at batch 32 with tracing paused (trace_ctl(0)) and
 * then recording, in the same run, and prints both and the difference:
 *   ringbench: op=NAME batch=B normal=N io=M trap=T trace=off|on
 *   ringbench: trace-overhead op=NAME batch=B normal=+P% io=+P% trap=+P%
 *              request=+P%
 * where request is normal + io, what one request costs both cores.
 * A round in which the normal core's windows took over 200 instructions
 * more than the median round (a timer interrupt landed in them) is left
 * out of "normal": the figure is the user side's own cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <usys.h>

#define ROUNDS 64

static struct io_uring ring;
static char bufs[128][4096];
static int fd;

static void idle_io_core(void)
{
	/* longer than sq_thread_idle: the IO core goes to sleep */
	struct timespec ts = { 0, 3 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* ticks -> instructions per op, in hundredths */
static unsigned long per_op(uint64_t ticks, long ops)
{
	return ticks * 100 * 100 / ops;
}

/* one case's cost per op, in hundredths of an instruction */
struct result {
	unsigned long normal, io, trap;
};

static void print_case(const char *op, int batch, struct result r,
		       const char *suffix)
{
	printf("ringbench: op=%s batch=%d normal=%lu.%02lu io=%lu.%02lu "
	       "trap=%lu.%02lu%s\n",
	       op, batch, r.normal / 100, r.normal % 100, r.io / 100,
	       r.io % 100, r.trap / 100, r.trap % 100, suffix);
}

/* (on - off) / off in tenths of a percent, printed as +P.P% */
static void print_pct(const char *label, unsigned long off, unsigned long on)
{
	long d = off ? ((long)on - (long)off) * 1000 / (long)off : 0;

	printf(" %s=%s%ld.%ld%%", label, d < 0 ? "-" : "+", labs(d) / 10,
	       labs(d) % 10);
}

static uint64_t trap_cost(int is_read, long n)
{
	uint64_t t0 = rdtime();

	for (long i = 0; i < n; i++) {
		if (is_read)
			pread(fd, bufs[0], 4096, 0);
		else
			__syscall0(SYS_getppid);
	}
	return rdtime() - t0;
}

enum kind { NOP, READ, READ_FIXED };

static struct result bench(enum kind kind, int batch)
{
	uint64_t normal_round[ROUNDS], io = 0;
	struct io_uring_cqe *cqe;
	long ops = (long)batch * ROUNDS;

	for (int round = 0; round < ROUNDS; round++) {
		idle_io_core();
		uint64_t t0 = rdtime();

		for (int i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			if (kind == READ)
				io_uring_prep_read(sqe, fd, bufs[i], 4096, 0);
			else if (kind == READ_FIXED)
				io_uring_prep_read_fixed(sqe, fd, bufs[i], 4096,
							 0, 0);
			else
				io_uring_prep_nop(sqe);
			sqe->user_data = i;
		}
		/* publish: what io_uring_submit does before it checks
		 * NEED_WAKEUP (here the wakeup is timed with the IO core),
		 * with libuser's trace records when tracing */
		if (__utrace)
			__utrace_ring(&ring, 1, ring.sq.sqe_head, batch);
		ring.sq.sqe_head = ring.sq.sqe_tail;
		io_uring_smp_store_release(ring.sq.ktail, ring.sq.sqe_tail);
		uint64_t t1 = rdtime();

		io_uring_enter(ring.ring_fd, batch, batch,
			       IORING_ENTER_SQ_WAKEUP | IORING_ENTER_GETEVENTS,
			       NULL);
		uint64_t t2 = rdtime();

		idle_io_core();
		uint64_t t3 = rdtime();
		unsigned n = io_uring_cq_ready(&ring), head = *ring.cq.khead;
		long sum = 0;

		for (unsigned i = 0; i < n; i++) {
			cqe = &ring.cq.cqes[(int)((head + i) & ring.cq.ring_mask)];
			sum += cqe->res;
		}
		io_uring_cq_advance(&ring, n);
		uint64_t t4 = rdtime();

		if (sum != (long)n * (kind == NOP ? 0 : 4096)) {
			printf("ringbench: error: a CQE failed\n");
			exit(1);
		}

		if ((int)n != batch) {
			printf("ringbench: error: %u CQEs, want %d\n", n, batch);
			exit(1);
		}
		normal_round[round] = (t1 - t0) + (t4 - t3);
		io += t2 - t1;
	}
	/* the median round, then the rounds within 2 ticks of it */
	uint64_t sorted[ROUNDS], normal = 0;
	long kept = 0;

	memcpy(sorted, normal_round, sizeof(sorted));
	for (int i = 1; i < ROUNDS; i++)
		for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			uint64_t t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	for (int i = 0; i < ROUNDS; i++) {
		if (normal_round[i] <= sorted[ROUNDS / 2] + 2) {
			normal += normal_round[i];
			kept += batch;
		}
	}
	return (struct result){ per_op(normal * ops / kept, ops), per_op(io, ops),
				per_op(trap_cost(kind != NOP, ops), ops) };
}

/* the same case with tracing paused, then recording */
static int overhead(const char *name, enum kind kind, int batch)
{
	struct result off, on;

	if (trace_ctl(0) < 0) {
		printf("ringbench: error: trace_ctl: %s (boot with trace: "
		       "make qemu TRACE=...)\n", strerror(errno));
		return 1;
	}
	off = bench(kind, batch);
	trace_ctl(1);
	on = bench(kind, batch);
	print_case(name, batch, off, " trace=off");
	print_case(name, batch, on, " trace=on");
	printf("ringbench: trace-overhead op=%s batch=%d", name, batch);
	print_pct("normal", off.normal, on.normal);
	print_pct("io", off.io, on.io);
	print_pct("trap", off.trap, on.trap);
	print_pct("request", off.normal + off.io, on.normal + on.io);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct io_uring_params p;
	static const int batches[] = { 1, 8, 32, 128 };

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 1;
	if (io_uring_queue_init_params(128, &ring, &p)) {
		printf("ringbench: error: no ring\n");
		return 1;
	}
	fd = open("/tmp/ringbench.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(bufs[0], 'x', 4096);
	if (fd < 0 || write(fd, bufs[0], 4096) != 4096) {
		printf("ringbench: error: test file\n");
		return 1;
	}
	struct iovec all = { bufs, sizeof(bufs) / 4 }; /* bufs[0..31] */

	if (argc > 1 && !strcmp(argv[1], "overhead")) {
		if (overhead("nop", NOP, 32) || overhead("read4k", READ, 32))
			return 1;
		goto out;
	}
	for (unsigned i = 0; i < sizeof(batches) / sizeof(batches[0]); i++)
		print_case("nop", batches[i], bench(NOP, batches[i]), "");
	print_case("read4k", 1, bench(READ, 1), "");
	print_case("read4k", 32, bench(READ, 32), "");
	if (io_uring_register_buffers(&ring, &all, 1)) {
		printf("ringbench: error: register_buffers\n");
		return 1;
	}
	print_case("read4k-fixed", 32, bench(READ_FIXED, 32), "");
out:
	close(fd);
	unlink("/tmp/ringbench.dat");
	io_uring_queue_exit(&ring);
	return 0;
}
