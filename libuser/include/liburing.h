/*
 * A liburing-compatible subset: the same names, struct layouts, constants
 * and semantics as liburing for what this kernel's rings do, so that a small
 * liburing program written for Linux compiles unchanged.  Results are
 * -errno, never errno.
 *
 * As liburing's: io_uring_submit publishes the SQ tail; for a ring set up
 * with IORING_SETUP_SQPOLL (polled by the IO core) it enters the kernel
 * only when the IO core has gone to sleep (IORING_SQ_NEED_WAKEUP) or when
 * asked to wait for completions; for any other ring it always enters with
 * the SQEs not yet consumed, and returns the count the kernel took.
 *
 * Memory ordering (the kernel's side is in kernel/ring/ring.c): the SQ tail is
 * stored with release after the SQEs and SQ array are written; the CQ tail
 * is loaded with acquire before CQEs are read; the CQ head is stored with
 * release after they are consumed; the SQ head is loaded with acquire before
 * an SQE slot is reused.  Between the SQ tail store and the load of the
 * NEED_WAKEUP flag there is a full barrier, paired with the IO core's.
 */
#ifndef LIBURING_H
#define LIBURING_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <sys/uio.h>
#include <uapi/io_uring.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iovec;

struct io_uring_sq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;
	unsigned *kring_entries;
	unsigned *kflags;
	unsigned *kdropped;
	unsigned *array;
	struct io_uring_sqe *sqes;
	unsigned sqe_head;
	unsigned sqe_tail;
	size_t ring_sz;
	void *ring_ptr;
	unsigned ring_mask;
	unsigned ring_entries;
	unsigned pad[2];
};

struct io_uring_cq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;
	unsigned *kring_entries;
	unsigned *kflags;
	unsigned *koverflow;
	struct io_uring_cqe *cqes;
	size_t ring_sz;
	void *ring_ptr;
	unsigned ring_mask;
	unsigned ring_entries;
	unsigned pad[2];
};

struct io_uring {
	struct io_uring_sq sq;
	struct io_uring_cq cq;
	unsigned flags;
	int ring_fd;
	unsigned features;
	int enter_ring_fd;
	uint8_t int_flags;
	uint8_t pad[3];
	unsigned pad2;
};

struct __kernel_timespec {
	int64_t tv_sec;
	long long tv_nsec;
};

#define io_uring_smp_store_release(p, v)                                       \
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define io_uring_smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)

/* system calls (raw: -errno) */
int io_uring_setup(unsigned entries, struct io_uring_params *p);
int io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete,
		   unsigned flags, void *sig);
int io_uring_register(unsigned fd, unsigned opcode, const void *arg,
		      unsigned nr_args);
/* this kernel's names for the design's calls */
#define setup_io io_uring_setup
int io_wait(struct io_uring *ring, unsigned min_complete);

int io_uring_queue_init(unsigned entries, struct io_uring *ring,
			unsigned flags);
int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
			       struct io_uring_params *p);
void io_uring_queue_exit(struct io_uring *ring);
int io_uring_submit(struct io_uring *ring);
int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);
int io_uring_wait_cqe_nr(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
			 unsigned wait_nr);
int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned wait_nr, struct __kernel_timespec *ts,
		       void *sigmask);
unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
				 struct io_uring_cqe **cqes, unsigned count);
int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
			      unsigned nr_iovecs);
int io_uring_unregister_buffers(struct io_uring *ring);
int io_uring_register_eventfd(struct io_uring *ring, int fd);
int io_uring_register_eventfd_async(struct io_uring *ring, int fd);
int io_uring_unregister_eventfd(struct io_uring *ring);
int io_uring_register_files(struct io_uring *ring, const int *files,
			    unsigned nr_files);
int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr);
int io_uring_unregister_files(struct io_uring *ring);
int io_uring_register_files_update(struct io_uring *ring, unsigned off,
				   const int *files, unsigned nr_files);
int io_uring_register_file_alloc_range(struct io_uring *ring, unsigned off,
				       unsigned len);

/*
 * The next free SQE, or NULL if the SQ is full.  The kernel's SQ head is
 * loaded (acquire: the IO core has copied the SQEs before it, so their slots
 * may be reused) only when the copy kept in pad[0] says the ring is full.
 */
static inline struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned tail = sq->sqe_tail;

	if (tail - sq->pad[0] >= sq->ring_entries) {
		sq->pad[0] = io_uring_smp_load_acquire(sq->khead);
		if (tail - sq->pad[0] >= sq->ring_entries)
			return NULL;
	}
	sq->sqe_tail = tail + 1;
	/* an int index: entries < 2^31, and RV64 keeps ints sign-extended */
	return &sq->sqes[(int)(tail & sq->ring_mask)];
}

static inline void io_uring_sqe_set_data(struct io_uring_sqe *sqe, void *data)
{
	sqe->user_data = (unsigned long)data;
}

static inline void io_uring_sqe_set_data64(struct io_uring_sqe *sqe,
					   uint64_t data)
{
	sqe->user_data = data;
}

static inline void io_uring_sqe_set_flags(struct io_uring_sqe *sqe,
					  unsigned flags)
{
	sqe->flags = (uint8_t)flags;
}

static inline void *io_uring_cqe_get_data(const struct io_uring_cqe *cqe)
{
	return (void *)(uintptr_t)cqe->user_data;
}

static inline uint64_t io_uring_cqe_get_data64(const struct io_uring_cqe *cqe)
{
	return cqe->user_data;
}

/*
 * Fill every field but user_data (as liburing: set it before or after), as
 * seven 8-byte stores: opcode, flags, ioprio and fd share the first word,
 * len and the op flags the fourth (little-endian, the SQE layout's order).
 */
static inline void io_uring_prep_rw(int op, struct io_uring_sqe *sqe, int fd,
				    const void *addr, unsigned len,
				    uint64_t offset)
{
	typedef uint64_t __attribute__((may_alias)) sqe_word;
	sqe_word *w = (sqe_word *)sqe;

	w[0] = (uint8_t)op | (uint64_t)(uint32_t)fd << 32;
	w[1] = offset;
	w[2] = (unsigned long)addr;
	w[3] = len;
	w[5] = 0; /* buf_index, personality, splice_fd_in */
	w[6] = 0; /* addr3 */
	w[7] = 0;
}

static inline void io_uring_prep_nop(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0);
}

static inline void io_uring_prep_read(struct io_uring_sqe *sqe, int fd,
				      void *buf, unsigned nbytes,
				      uint64_t offset)
{
	io_uring_prep_rw(IORING_OP_READ, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_write(struct io_uring_sqe *sqe, int fd,
				       const void *buf, unsigned nbytes,
				       uint64_t offset)
{
	io_uring_prep_rw(IORING_OP_WRITE, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_readv(struct io_uring_sqe *sqe, int fd,
				       const struct iovec *iovecs,
				       unsigned nr_vecs, uint64_t offset)
{
	io_uring_prep_rw(IORING_OP_READV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_writev(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs,
					unsigned nr_vecs, uint64_t offset)
{
	io_uring_prep_rw(IORING_OP_WRITEV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
					    void *buf, unsigned nbytes,
					    uint64_t offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_READ_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (uint16_t)buf_index;
}

static inline void io_uring_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
					     const void *buf, unsigned nbytes,
					     uint64_t offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_WRITE_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (uint16_t)buf_index;
}

/* picolibc's AT_FDCWD and open flags, translated to the kernel's (Linux's) */
int __libuser_abi_dirfd(int dirfd);
int __libuser_abi_open_flags(int flags);

static inline void io_uring_prep_openat(struct io_uring_sqe *sqe, int dfd,
					const char *path, int flags,
					mode_t mode)
{
	io_uring_prep_rw(IORING_OP_OPENAT, sqe, __libuser_abi_dirfd(dfd), path,
			 mode, 0);
	sqe->open_flags = (uint32_t)__libuser_abi_open_flags(flags);
}

static inline void io_uring_prep_close(struct io_uring_sqe *sqe, int fd)
{
	io_uring_prep_rw(IORING_OP_CLOSE, sqe, fd, NULL, 0, 0);
}

/* a direct descriptor: slot file_index of the registered files */
static inline void __io_uring_set_target_fixed_file(struct io_uring_sqe *sqe,
						    unsigned int file_index)
{
	/* 0 means none: the index is encoded + 1 */
	sqe->file_index = file_index + 1;
}

static inline void io_uring_prep_openat_direct(struct io_uring_sqe *sqe,
					       int dfd, const char *path,
					       int flags, mode_t mode,
					       unsigned file_index)
{
	io_uring_prep_openat(sqe, dfd, path, flags, mode);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_close_direct(struct io_uring_sqe *sqe,
					      unsigned file_index)
{
	io_uring_prep_close(sqe, 0);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_files_update(struct io_uring_sqe *sqe,
					      int *fds, unsigned nr_fds,
					      int offset)
{
	io_uring_prep_rw(IORING_OP_FILES_UPDATE, sqe, -1, fds, nr_fds,
			 (uint64_t)offset);
}

static inline void io_uring_prep_fsync(struct io_uring_sqe *sqe, int fd,
				       unsigned fsync_flags)
{
	io_uring_prep_rw(IORING_OP_FSYNC, sqe, fd, NULL, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

static inline void io_uring_prep_timeout(struct io_uring_sqe *sqe,
					 struct __kernel_timespec *ts,
					 unsigned count, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT, sqe, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_timeout_remove(struct io_uring_sqe *sqe,
						uint64_t user_data,
						unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_timeout_update(struct io_uring_sqe *sqe,
						struct __kernel_timespec *ts,
						uint64_t user_data,
						unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0,
			 (uintptr_t)ts);
	sqe->addr = user_data;
	sqe->timeout_flags = flags | IORING_TIMEOUT_UPDATE;
}

static inline void io_uring_prep_link_timeout(struct io_uring_sqe *sqe,
					      struct __kernel_timespec *ts,
					      unsigned flags)
{
	io_uring_prep_rw(IORING_OP_LINK_TIMEOUT, sqe, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_poll_add(struct io_uring_sqe *sqe, int fd,
					  unsigned poll_mask)
{
	io_uring_prep_rw(IORING_OP_POLL_ADD, sqe, fd, NULL, 0, 0);
	sqe->poll32_events = poll_mask; /* little-endian: as it is */
}

static inline void io_uring_prep_poll_multishot(struct io_uring_sqe *sqe,
						int fd, unsigned poll_mask)
{
	io_uring_prep_poll_add(sqe, fd, poll_mask);
	sqe->len = IORING_POLL_ADD_MULTI;
}

static inline void io_uring_prep_poll_remove(struct io_uring_sqe *sqe,
					     uint64_t user_data)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
}

static inline void io_uring_prep_poll_update(struct io_uring_sqe *sqe,
					     uint64_t old_user_data,
					     uint64_t new_user_data,
					     unsigned poll_mask, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, flags,
			 new_user_data);
	sqe->addr = old_user_data;
	sqe->poll32_events = poll_mask;
}

static inline void io_uring_prep_cancel64(struct io_uring_sqe *sqe,
					  uint64_t user_data, int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = (uint32_t)flags;
}

static inline void io_uring_prep_cancel(struct io_uring_sqe *sqe,
					void *user_data, int flags)
{
	io_uring_prep_cancel64(sqe, (uintptr_t)user_data, flags);
}

static inline void io_uring_prep_cancel_fd(struct io_uring_sqe *sqe, int fd,
					   unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, fd, NULL, 0, 0);
	sqe->cancel_flags = (uint32_t)flags | IORING_ASYNC_CANCEL_FD;
}

static inline unsigned io_uring_sq_ready(const struct io_uring *ring)
{
	return ring->sq.sqe_tail - io_uring_smp_load_acquire(ring->sq.khead);
}

static inline unsigned io_uring_sq_space_left(const struct io_uring *ring)
{
	return ring->sq.ring_entries - io_uring_sq_ready(ring);
}

static inline unsigned io_uring_cq_ready(const struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->cq.ktail) - *ring->cq.khead;
}

static inline bool io_uring_cq_has_overflow(const struct io_uring *ring)
{
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_RELAXED) &
	       IORING_SQ_CQ_OVERFLOW;
}

/* tracing: libuser records submissions and reaps (see uapi/trace.h) */
extern struct utrace_area *__utrace;
void __utrace_ring(struct io_uring *ring, int submit, unsigned first,
		   unsigned n);

static inline void io_uring_cq_advance(struct io_uring *ring, unsigned nr)
{
	if (nr) {
		if (__utrace)
			__utrace_ring(ring, 0, *ring->cq.khead, nr);
		io_uring_smp_store_release(ring->cq.khead,
					   *ring->cq.khead + nr);
	}
}

static inline void io_uring_cqe_seen(struct io_uring *ring,
				     struct io_uring_cqe *cqe)
{
	if (cqe)
		io_uring_cq_advance(ring, 1);
}

static inline int io_uring_peek_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	unsigned head = *ring->cq.khead;

	if (io_uring_smp_load_acquire(ring->cq.ktail) == head) {
		/* CQEs held in the kernel's overflow list: have it flush them
		 * into the room just made (as liburing does) */
		if (io_uring_cq_has_overflow(ring))
			io_uring_enter(ring->ring_fd, 0, 0,
				       IORING_ENTER_GETEVENTS, NULL);
		*cqe_ptr = NULL;
		return -EAGAIN;
	}
	*cqe_ptr = &ring->cq.cqes[head & ring->cq.ring_mask];
	return 0;
}

static inline int io_uring_wait_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 1);
}

/* (A loop that only uses this and io_uring_cq_advance never enters the
 * kernel: if io_uring_cq_has_overflow(), call io_uring_peek_cqe or
 * io_uring_wait_cqe so that the kernel's overflow list is flushed.) */
#define io_uring_for_each_cqe(ring, head, cqe)                                 \
	for (head = *(ring)->cq.khead;                                         \
	     (cqe = (head != io_uring_smp_load_acquire((ring)->cq.ktail)       \
			     ? &(ring)->cq.cqes[head & (ring)->cq.ring_mask]   \
			     : NULL));                                         \
	     head++)

#ifdef __cplusplus
}
#endif
#endif
