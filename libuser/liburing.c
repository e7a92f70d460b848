/*
 * The liburing-compatible library's out-of-line part: ring set-up and
 * tear-down (io_uring_setup, then mmap of the ring regions, as liburing
 * does), submission, and waiting.  See liburing.h for the ordering contract.
 */
#include <liburing.h>
#include <sys/mman.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/trace.h>

int io_uring_setup(unsigned entries, struct io_uring_params *p)
{
	return __syscall2(SYS_io_uring_setup, entries, p);
}

int io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete,
		   unsigned flags, void *sig)
{
	return __syscall6(SYS_io_uring_enter, fd, to_submit, min_complete,
			  flags, (long)sig, 8);
}

static long map_region(int fd, size_t len, uint64_t off)
{
	return __syscall6(SYS_mmap, 0, len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, fd, off);
}

int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
			       struct io_uring_params *p)
{
	struct io_uring_sq *sq = &ring->sq;
	struct io_uring_cq *cq = &ring->cq;
	long fd, rings, sqes;
	size_t sq_sz, cq_sz;

	memset(ring, 0, sizeof(*ring));
	fd = io_uring_setup(entries, p);
	if (fd < 0)
		return fd;
	sq_sz = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	cq_sz = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (cq_sz > sq_sz)
		sq_sz = cq_sz;
	/* IORING_FEAT_SINGLE_MMAP: one mapping holds both rings */
	rings = map_region(fd, sq_sz, IORING_OFF_SQ_RING);
	if (rings < 0 && rings > -4096) {
		close(fd);
		return rings;
	}
	sqes = map_region(fd, p->sq_entries * sizeof(struct io_uring_sqe),
			  IORING_OFF_SQES);
	if (sqes < 0 && sqes > -4096) {
		__syscall2(SYS_munmap, rings, sq_sz);
		close(fd);
		return sqes;
	}
	ring->ring_fd = ring->enter_ring_fd = fd;
	ring->flags = p->flags;
	ring->features = p->features;
	sq->ring_ptr = cq->ring_ptr = (void *)rings;
	sq->ring_sz = cq->ring_sz = sq_sz;
	sq->khead = (unsigned *)(rings + p->sq_off.head);
	sq->ktail = (unsigned *)(rings + p->sq_off.tail);
	sq->kring_mask = (unsigned *)(rings + p->sq_off.ring_mask);
	sq->kring_entries = (unsigned *)(rings + p->sq_off.ring_entries);
	sq->kflags = (unsigned *)(rings + p->sq_off.flags);
	sq->kdropped = (unsigned *)(rings + p->sq_off.dropped);
	sq->array = (unsigned *)(rings + p->sq_off.array);
	sq->sqes = (struct io_uring_sqe *)sqes;
	sq->ring_mask = *sq->kring_mask;
	sq->ring_entries = *sq->kring_entries;
	cq->khead = (unsigned *)(rings + p->cq_off.head);
	cq->ktail = (unsigned *)(rings + p->cq_off.tail);
	cq->kring_mask = (unsigned *)(rings + p->cq_off.ring_mask);
	cq->kring_entries = (unsigned *)(rings + p->cq_off.ring_entries);
	cq->kflags = (unsigned *)(rings + p->cq_off.flags);
	cq->koverflow = (unsigned *)(rings + p->cq_off.overflow);
	cq->cqes = (struct io_uring_cqe *)(rings + p->cq_off.cqes);
	cq->ring_mask = *cq->kring_mask;
	cq->ring_entries = *cq->kring_entries;
	sq->sqe_head = sq->sqe_tail = *sq->ktail;
	sq->pad[0] = *sq->khead; /* io_uring_get_sqe's copy of the SQ head */
	/* SQE i always goes in SQ slot i: the array is set once, here, and
	 * submitting only moves the tail (as liburing does) */
	for (unsigned i = 0; i < sq->ring_entries; i++)
		sq->array[i] = i;
	return 0;
}

int io_uring_queue_init(unsigned entries, struct io_uring *ring, unsigned flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(entries, ring, &p);
}

void io_uring_queue_exit(struct io_uring *ring)
{
	__syscall2(SYS_munmap, ring->sq.sqes,
		   ring->sq.ring_entries * sizeof(struct io_uring_sqe));
	__syscall2(SYS_munmap, ring->sq.ring_ptr, ring->sq.ring_sz);
	close(ring->ring_fd);
}

/*
 * Publish the SQEs got since the last submit; returns how many.  SQE slots
 * and SQ array slots coincide (set at init), so the SQEs got since the last
 * submit are exactly those between the old and the new tail.
 */
static unsigned flush_sq(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned n = sq->sqe_tail - sq->sqe_head;

	if (__utrace && n)
		__utrace_ring(ring, 1, sq->sqe_head, n);
	sq->sqe_head = sq->sqe_tail;
	/* release: the SQEs before the tail; pairs with the IO core's acquire
	 * load of the SQ tail (kernel/ring/iocore.c sq_pending) */
	io_uring_smp_store_release(sq->ktail, sq->sqe_tail);
	return n;
}

static bool need_wakeup(struct io_uring *ring)
{
	/* full barrier: pairs with the IO core's between setting
	 * IORING_SQ_NEED_WAKEUP and loading the SQ tail (idle_sleep) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_RELAXED) &
	       IORING_SQ_NEED_WAKEUP;
}

/* SQEs in the SQ not yet consumed by the kernel (liburing's flush count) */
static unsigned sq_unconsumed(struct io_uring *ring)
{
	/* acquire: pairs with the kernel's release store of the SQ head */
	return ring->sq.sqe_tail - io_uring_smp_load_acquire(ring->sq.khead);
}

/*
 * Submit, as liburing's __io_uring_submit: a ring without SQPOLL enters
 * the kernel with every SQE not yet consumed, which takes them before it
 * returns (its count is the result); a SQPOLL ring enters only to wake
 * the IO core (IORING_SQ_NEED_WAKEUP) or to wait.
 */
static int submit(struct io_uring *ring, unsigned wait_nr)
{
	unsigned n = flush_sq(ring),
		 flags = wait_nr ? IORING_ENTER_GETEVENTS : 0;

	if (!(ring->flags & IORING_SETUP_SQPOLL)) {
		n = sq_unconsumed(ring);
		if (!n && !wait_nr)
			return 0;
		return io_uring_enter(ring->ring_fd, n, wait_nr, flags, NULL);
	}
	if (n && need_wakeup(ring))
		flags |= IORING_ENTER_SQ_WAKEUP;
	if (flags) {
		int r = io_uring_enter(ring->ring_fd, n, wait_nr, flags, NULL);

		if (r < 0)
			return r;
	}
	return n;
}

int io_uring_submit(struct io_uring *ring)
{
	return submit(ring, 0);
}

int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	return submit(ring, wait_nr);
}

int io_uring_wait_cqe_nr(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
			 unsigned wait_nr)
{
	for (;;) {
		int r;

		if (io_uring_cq_ready(ring) >= (wait_nr ? wait_nr : 1) ||
		    (wait_nr == 0 && io_uring_cq_ready(ring)))
			return io_uring_peek_cqe(ring, cqe_ptr);
		if (wait_nr == 0)
			return io_uring_peek_cqe(ring, cqe_ptr);
		r = io_uring_enter(ring->ring_fd, 0, wait_nr,
				   IORING_ENTER_GETEVENTS, NULL);
		if (r < 0) {
			*cqe_ptr = NULL;
			return r;
		}
	}
}

int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned wait_nr, struct __kernel_timespec *ts,
		       void *sigmask)
{
	if (ts)
		return -EINVAL; /* waiting with a timeout is not supported */
	return io_uring_wait_cqe_nr(ring, cqe_ptr, wait_nr);
}

unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
				 struct io_uring_cqe **cqes, unsigned count)
{
	unsigned ready = io_uring_cq_ready(ring), head = *ring->cq.khead;

	if (!ready && io_uring_cq_has_overflow(ring)) {
		/* CQEs held in the kernel: have the IO core flush them */
		io_uring_enter(ring->ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);
		ready = io_uring_cq_ready(ring);
	}
	if (count > ready)
		count = ready;
	for (unsigned i = 0; i < count; i++)
		cqes[i] = &ring->cq.cqes[(head + i) & ring->cq.ring_mask];
	return count;
}

int io_uring_register(unsigned fd, unsigned opcode, const void *arg,
		      unsigned nr_args)
{
	return __syscall4(SYS_io_uring_register, fd, opcode, arg, nr_args);
}

int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
			      unsigned nr_iovecs)
{
	return io_uring_register(ring->ring_fd, IORING_REGISTER_BUFFERS, iovecs,
				 nr_iovecs);
}

int io_uring_unregister_buffers(struct io_uring *ring)
{
	return io_uring_register(ring->ring_fd, IORING_UNREGISTER_BUFFERS, NULL,
				 0);
}

int io_uring_register_eventfd(struct io_uring *ring, int fd)
{
	return io_uring_register(ring->ring_fd, IORING_REGISTER_EVENTFD, &fd,
				 1);
}

int io_uring_register_eventfd_async(struct io_uring *ring, int fd)
{
	return io_uring_register(ring->ring_fd, IORING_REGISTER_EVENTFD_ASYNC,
				 &fd, 1);
}

int io_uring_unregister_eventfd(struct io_uring *ring)
{
	return io_uring_register(ring->ring_fd, IORING_UNREGISTER_EVENTFD, NULL,
				 0);
}

int io_uring_register_files(struct io_uring *ring, const int *files,
			    unsigned nr_files)
{
	return io_uring_register(ring->ring_fd, IORING_REGISTER_FILES, files,
				 nr_files);
}

/* nr empty slots (IORING_REGISTER_FILES2 with IORING_RSRC_REGISTER_SPARSE) */
int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr)
{
	struct io_uring_rsrc_register reg = {
		.flags = IORING_RSRC_REGISTER_SPARSE,
		.nr = nr,
	};

	return io_uring_register(ring->ring_fd, IORING_REGISTER_FILES2, &reg,
				 sizeof(reg));
}

int io_uring_unregister_files(struct io_uring *ring)
{
	return io_uring_register(ring->ring_fd, IORING_UNREGISTER_FILES, NULL,
				 0);
}

int io_uring_register_files_update(struct io_uring *ring, unsigned off,
				   const int *files, unsigned nr_files)
{
	struct io_uring_files_update up = {
		.offset = off,
		.fds = (uint64_t)(uintptr_t)files,
	};

	return io_uring_register(ring->ring_fd, IORING_REGISTER_FILES_UPDATE,
				 &up, nr_files);
}

int io_uring_register_file_alloc_range(struct io_uring *ring, unsigned off,
				       unsigned len)
{
	struct io_uring_file_index_range range = {
		.off = off,
		.len = len,
	};

	return io_uring_register(ring->ring_fd,
				 IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0);
}

/*
 * Tracing: record that n SQEs (from SQ index first) were published, or n
 * CQEs (from CQ index first) consumed, in one record in the user trace
 * area, with the time CSR; the kernel drains it into the trace stream, and
 * its own records give each entry's user_data.  A full area counts the
 * record it drops.  This runs for every submission and every reap.
 */
void __utrace_ring(struct io_uring *ring, int submit, unsigned first,
		   unsigned n)
{
	struct utrace_area *u = __utrace;
	unsigned head = u->head;
	uint64_t *w = (uint64_t *)&u->rec[head % UTRACE_RECS];
	uint64_t now;

	/* acquire: pairs with the kernel's release store of tail */
	if (head - __atomic_load_n(&u->tail, __ATOMIC_ACQUIRE) >= UTRACE_RECS) {
		u->lost++; /* full, or a damaged area */
		return;
	}
	__asm__ volatile("rdtime %0" : "=r"(now));
	w[0] = now;
	w[1] = (uint64_t)(uint32_t)ring->ring_fd << 32 |
	       (submit ? TR_USER_SUBMIT : TR_USER_REAP);
	w[2] = (uint64_t)n << 32 | first;
	/* release: the record before the head; pairs with the kernel's
	 * acquire load of head (trace_user_drain) */
	__atomic_store_n(&u->head, head + 1, __ATOMIC_RELEASE);
}

int io_wait(struct io_uring *ring, unsigned min_complete)
{
	return io_uring_enter(ring->ring_fd, 0, min_complete,
			      IORING_ENTER_GETEVENTS, NULL);
}
