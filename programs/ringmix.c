/*
 * ringmix: one of each kind of ring request path, for a traced run to show
 * (make qemu INIT=/bin/ringmix TRACE=...):
 *   timeout   a TIMEOUT of 1 ms parks as a request coroutine, then -ETIME
 *   link      NOP -> TIMEOUT (1 ms) -> NOP linked: the last one waits for
 *             the timeout (parked behind it), then is cancelled (-ECANCELED)
 *             because the timeout "failed" with -ETIME, as on Linux
 *   drain     a TIMEOUT, then a NOP with IOSQE_IO_DRAIN: the NOP waits
 *   same ud   a TIMEOUT and a NOP with the same user_data: the NOP completes
 *             first (the trace must not mix them up)
 *   overflow  a ring with 4 CQ entries gets 8 NOPs before any reap: 4 CQEs
 *             go to the kernel's overflow list and come back as room is made
 * user_data: 100+ timeout, 200+ link, 300+ drain, 500 same ud, 400+
 * overflow.
 * One line:  ringmix: ok=1 cqes=N
 *
 * `ringmix scribble` instead writes garbage over its own user trace area
 * (head, lost, records) between system calls, as a buggy or hostile
 * program could: the kernel must take none of it on trust.
 *   ringmix: scribbled=N
 */
#include <errno.h>
#include <liburing.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/trace.h>

static struct io_uring ring;
static int cqes, bad;

static void expect(uint64_t ud, int res)
{
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe(&ring, &cqe) < 0) {
		printf("ringmix: no CQE for %lu\n", (unsigned long)ud);
		bad++;
		return;
	}
	if (cqe->user_data != ud || cqe->res != res) {
		printf("ringmix: got ud=%lu res=%d, want ud=%lu res=%d\n",
		       (unsigned long)cqe->user_data, cqe->res,
		       (unsigned long)ud, res);
		bad++;
	}
	cqes++;
	io_uring_cqe_seen(&ring, cqe);
}

/* after the prep_ call, which clears them (as liburing's does) */
static void set(struct io_uring_sqe *sqe, uint64_t ud, unsigned flags)
{
	io_uring_sqe_set_data64(sqe, ud);
	io_uring_sqe_set_flags(sqe, flags);
}

static int scribble(void)
{
	struct utrace_area *u = __utrace;
	int n = 0;

	if (!u) {
		printf("ringmix: no trace area (boot with trace)\n");
		return 1;
	}
	for (int i = 0; i < 64; i++, n++) {
		u->head += (i % 3 == 0) ? 100000 : UTRACE_RECS - i;
		u->tail = 0x12345678;
		u->lost = 0xffffff00u + i;
		for (int j = 0; j < 8; j++) {
			u->rec[(i * 8 + j) % UTRACE_RECS].event = j % 2 ? 12 : 99;
			u->rec[(i * 8 + j) % UTRACE_RECS].ring_fd = -j;
		}
		getpid(); /* a system call: the kernel looks at the area */
		sched_yield();
	}
	printf("ringmix: scribbled=%d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	struct __kernel_timespec ms = { 0, 1000 * 1000 };
	struct io_uring_params p;
	struct io_uring_sqe *sqe;

	if (argc > 1 && !strcmp(argv[1], "scribble"))
		return scribble();
	if (io_uring_queue_init(8, &ring, IORING_SETUP_SQPOLL) < 0)
		goto fail;
	/* timeout */
	io_uring_prep_timeout(sqe = io_uring_get_sqe(&ring), &ms, 0, 0);
	set(sqe, 100, 0);
	io_uring_submit(&ring);
	expect(100, -ETIME);
	/* link: nop -> timeout -> nop */
	io_uring_prep_nop(sqe = io_uring_get_sqe(&ring));
	set(sqe, 200, IOSQE_IO_LINK);
	io_uring_prep_timeout(sqe = io_uring_get_sqe(&ring), &ms, 0, 0);
	set(sqe, 201, IOSQE_IO_LINK);
	io_uring_prep_nop(sqe = io_uring_get_sqe(&ring));
	set(sqe, 202, 0);
	io_uring_submit(&ring);
	expect(200, 0);
	expect(201, -ETIME);
	expect(202, -ECANCELED);
	/* drain */
	io_uring_prep_timeout(sqe = io_uring_get_sqe(&ring), &ms, 0, 0);
	set(sqe, 300, 0);
	io_uring_prep_nop(sqe = io_uring_get_sqe(&ring));
	set(sqe, 301, IOSQE_IO_DRAIN);
	io_uring_submit(&ring);
	expect(300, -ETIME);
	expect(301, 0);
	/* same user_data */
	io_uring_prep_timeout(sqe = io_uring_get_sqe(&ring), &ms, 0, 0);
	set(sqe, 500, 0);
	io_uring_prep_nop(sqe = io_uring_get_sqe(&ring));
	set(sqe, 500, 0);
	io_uring_submit(&ring);
	expect(500, 0);
	expect(500, -ETIME);
	io_uring_queue_exit(&ring);

	/* overflow: 4 CQ entries, 8 NOPs completed before any reap */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SQPOLL;
	p.cq_entries = 4;
	if (io_uring_queue_init_params(4, &ring, &p) < 0)
		goto fail;
	for (int batch = 0; batch < 2; batch++) {
		for (int i = 0; i < 4; i++) {
			io_uring_prep_nop(sqe = io_uring_get_sqe(&ring));
			set(sqe, 400 + batch * 4 + i, 0);
		}
		io_uring_submit_and_wait(&ring, 4);
	}
	while (!io_uring_cq_has_overflow(&ring))
		sched_yield(); /* the second four are in the overflow list */
	for (int i = 0; i < 8; i++)
		expect(400 + i, 0);
	io_uring_queue_exit(&ring);
	printf("ringmix: ok=%d cqes=%d\n", !bad, cqes);
	return bad != 0;
fail:
	printf("ringmix: ok=0 no ring\n");
	return 1;
}
