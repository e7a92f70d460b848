/*
 * The ring ABI: Linux io_uring's structures, opcode numbers and flags
 * (facts from Linux's include/uapi/linux/io_uring.h), shared by the kernel
 * (kernel/ring/ring.c, kernel/ring/ringops.c) and libuser's liburing.h.  Only the
 * subset this kernel implements is listed; the layouts are Linux's to the
 * byte, so that liburing programs keep their meaning.
 */
#ifndef UAPI_IO_URING_H
#define UAPI_IO_URING_H

#include <stdint.h>

/* A submission queue entry: 64 bytes. */
struct io_uring_sqe {
	uint8_t opcode;
	uint8_t flags;	  /* IOSQE_ */
	uint16_t ioprio;
	int32_t fd;
	union {
		uint64_t off;
		uint64_t addr2;
	};
	union {
		uint64_t addr;
		uint64_t splice_off_in;
	};
	uint32_t len;
	union {
		uint32_t rw_flags;
		uint32_t fsync_flags;
		uint16_t poll_events;	/* compatibility */
		uint32_t poll32_events; /* word-reversed on big-endian */
		uint32_t open_flags;
		uint32_t timeout_flags;
		uint32_t cancel_flags;
	};
	uint64_t user_data;
	union {
		uint16_t buf_index;
		uint16_t buf_group;
	} __attribute__((packed));
	uint16_t personality;
	union {
		int32_t splice_fd_in;
		uint32_t file_index;
	};
	uint64_t addr3;
	uint64_t __pad2[1];
};

/* A completion queue entry: 16 bytes. */
struct io_uring_cqe {
	uint64_t user_data;
	int32_t res; /* result: >= 0, or -errno */
	uint32_t flags;
};

/* cqe->flags */
#define IORING_CQE_F_BUFFER (1U << 0)
#define IORING_CQE_F_MORE (1U << 1) /* more CQEs follow for this request */

/* sqe->flags */
#define IOSQE_FIXED_FILE (1U << 0)
#define IOSQE_IO_DRAIN (1U << 1)
#define IOSQE_IO_LINK (1U << 2)
#define IOSQE_IO_HARDLINK (1U << 3)
#define IOSQE_ASYNC (1U << 4)
#define IOSQE_BUFFER_SELECT (1U << 5)
#define IOSQE_CQE_SKIP_SUCCESS (1U << 6)

/* sqe->fsync_flags */
#define IORING_FSYNC_DATASYNC (1U << 0)

/* opcodes (enum io_uring_op) */
enum {
	IORING_OP_NOP = 0,
	IORING_OP_READV = 1,
	IORING_OP_WRITEV = 2,
	IORING_OP_FSYNC = 3,
	IORING_OP_READ_FIXED = 4,
	IORING_OP_WRITE_FIXED = 5,
	IORING_OP_POLL_ADD = 6,
	IORING_OP_POLL_REMOVE = 7,
	IORING_OP_SYNC_FILE_RANGE = 8,
	IORING_OP_SENDMSG = 9,
	IORING_OP_RECVMSG = 10,
	IORING_OP_TIMEOUT = 11,
	IORING_OP_TIMEOUT_REMOVE = 12,
	IORING_OP_ACCEPT = 13,
	IORING_OP_ASYNC_CANCEL = 14,
	IORING_OP_LINK_TIMEOUT = 15,
	IORING_OP_CONNECT = 16,
	IORING_OP_FALLOCATE = 17,
	IORING_OP_OPENAT = 18,
	IORING_OP_CLOSE = 19,
	IORING_OP_FILES_UPDATE = 20,
	IORING_OP_STATX = 21,
	IORING_OP_READ = 22,
	IORING_OP_WRITE = 23,
	IORING_OP_LAST = 24, /* this kernel knows none above */
};

/* io_uring_setup flags */
#define IORING_SETUP_IOPOLL (1U << 0)
#define IORING_SETUP_SQPOLL (1U << 1)
#define IORING_SETUP_SQ_AFF (1U << 2)
#define IORING_SETUP_CQSIZE (1U << 3)
#define IORING_SETUP_CLAMP (1U << 4)
#define IORING_SETUP_ATTACH_WQ (1U << 5)
#define IORING_SETUP_R_DISABLED (1U << 6)
#define IORING_SETUP_SUBMIT_ALL (1U << 7)

/* mmap offsets of the three regions of a ring fd */
#define IORING_OFF_SQ_RING 0ULL
#define IORING_OFF_CQ_RING 0x8000000ULL
#define IORING_OFF_SQES 0x10000000ULL

struct io_sqring_offsets {
	uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array;
	uint32_t resv1;
	uint64_t user_addr;
};

/* sq_ring->flags */
#define IORING_SQ_NEED_WAKEUP (1U << 0)
#define IORING_SQ_CQ_OVERFLOW (1U << 1)

/* cq_ring->flags */
#define IORING_CQ_EVENTFD_DISABLED (1U << 0)

struct io_cqring_offsets {
	uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags;
	uint32_t resv1;
	uint64_t user_addr;
};

/* io_uring_enter flags */
#define IORING_ENTER_GETEVENTS (1U << 0)
#define IORING_ENTER_SQ_WAKEUP (1U << 1)
#define IORING_ENTER_SQ_WAIT (1U << 2)
#define IORING_ENTER_EXT_ARG (1U << 3)

/* io_uring_enter's argument with IORING_ENTER_EXT_ARG (argsz: its size) */
struct io_uring_getevents_arg {
	uint64_t sigmask; /* a sigset_t, or 0 */
	uint32_t sigmask_sz;
	uint32_t pad;
	uint64_t ts; /* a struct __kernel_timespec: the wait's timeout, or 0 */
};

/* Passed in and out of io_uring_setup: 120 bytes. */
struct io_uring_params {
	uint32_t sq_entries;
	uint32_t cq_entries;
	uint32_t flags;
	uint32_t sq_thread_cpu;
	uint32_t sq_thread_idle; /* ms before the IO core may sleep */
	uint32_t features;
	uint32_t wq_fd;
	uint32_t resv[3];
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/* io_uring_register opcodes */
#define IORING_REGISTER_BUFFERS 0
#define IORING_UNREGISTER_BUFFERS 1
#define IORING_REGISTER_FILES		 2
#define IORING_UNREGISTER_FILES		 3
#define IORING_REGISTER_EVENTFD 4
#define IORING_UNREGISTER_EVENTFD 5
#define IORING_REGISTER_FILES_UPDATE	 6
#define IORING_REGISTER_EVENTFD_ASYNC 7
#define IORING_REGISTER_PROBE 8
#define IORING_REGISTER_FILES2		 13
#define IORING_REGISTER_FILES_UPDATE2	 14
#define IORING_REGISTER_FILE_ALLOC_RANGE 25

/* registered files: an fd of IORING_REGISTER_FILES_UPDATE left as it is */
#define IORING_REGISTER_FILES_SKIP (-2)
/* sqe->file_index (OPENAT), sqe->off (FILES_UPDATE): any free slot */
#define IORING_FILE_INDEX_ALLOC (~0U)
#define IORING_MAX_FIXED_FILES	(1U << 20)

struct io_uring_files_update {
	uint32_t offset;
	uint32_t resv;
	uint64_t fds; /* __aligned_u64: an int array */
};

/* IORING_REGISTER_FILES2 */
#define IORING_RSRC_REGISTER_SPARSE (1U << 0)
struct io_uring_rsrc_register {
	uint32_t nr;
	uint32_t flags;
	uint64_t resv2;
	uint64_t data;
	uint64_t tags;
};

/* IORING_REGISTER_FILES_UPDATE2 */
struct io_uring_rsrc_update2 {
	uint32_t offset;
	uint32_t resv;
	uint64_t data;
	uint64_t tags;
	uint32_t nr;
	uint32_t resv2;
};

/* IORING_REGISTER_FILE_ALLOC_RANGE */
struct io_uring_file_index_range {
	uint32_t off;
	uint32_t len;
	uint64_t resv;
};

/* IORING_REGISTER_PROBE: which opcodes this kernel runs */
#define IO_URING_OP_SUPPORTED (1U << 0)
struct io_uring_probe_op {
	uint8_t op;
	uint8_t resv;
	uint16_t flags; /* IO_URING_OP_* */
	uint32_t resv2;
};

struct io_uring_probe {
	uint8_t last_op; /* the last opcode this kernel knows */
	uint8_t ops_len; /* entries filled in ops[] */
	uint16_t resv;
	uint32_t resv2[3];
	struct io_uring_probe_op ops[];
};

/* io_uring_params->features */
#define IORING_FEAT_SINGLE_MMAP (1U << 0)
#define IORING_FEAT_NODROP (1U << 1)
#define IORING_FEAT_SUBMIT_STABLE (1U << 2)
#define IORING_FEAT_EXT_ARG (1U << 8)

/* sqe->timeout_flags */
#define IORING_TIMEOUT_ABS (1U << 0)
#define IORING_TIMEOUT_UPDATE (1U << 1)
#define IORING_TIMEOUT_BOOTTIME (1U << 2)
#define IORING_TIMEOUT_REALTIME (1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE (1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS (1U << 5)
#define IORING_TIMEOUT_CLOCK_MASK                                              \
	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK                                             \
	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/* POLL_ADD and POLL_REMOVE: sqe->len */
#define IORING_POLL_ADD_MULTI (1U << 0)
#define IORING_POLL_UPDATE_EVENTS (1U << 1)
#define IORING_POLL_UPDATE_USER_DATA (1U << 2)
#define IORING_POLL_ADD_LEVEL (1U << 3)

/* ASYNC_CANCEL: sqe->cancel_flags */
#define IORING_ASYNC_CANCEL_ALL (1U << 0)
#define IORING_ASYNC_CANCEL_FD (1U << 1)
#define IORING_ASYNC_CANCEL_ANY (1U << 2)
#define IORING_ASYNC_CANCEL_FD_FIXED (1U << 3)

#define IORING_MAX_ENTRIES 32768
#define IORING_MAX_CQ_ENTRIES (2 * IORING_MAX_ENTRIES)

#endif
