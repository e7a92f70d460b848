/*
 * Rings: io_uring-style submission and completion queues in memory shared
 * by a user process and the IO core.  The files:
 *   ring.c        set-up, tear-down, io_uring_enter/register (normal core)
 *   iocore.c      the IO core's executor: serves every ring, idles
 *   submit.c      a ring's poller: takes SQEs, links, drain, timers
 *   cqe.h, cqe.c  completion posting and the overflow list
 *   opdef.h/.c    the operations by opcode, with their properties
 *   poll.c        requests waiting for a file: POLL_ADD/POLL_REMOVE, and
 *                 reads and writes that would have waited
 *   cancel.c      ASYNC_CANCEL
 *   nop.c rw.c openclose.c timeout.c sync.c   the operations, by family
 *   nop.c rw.c openclose.c timeout.c   the operations, by family
 *   files.c       registered files: the table, its register opcodes,
 *                 FILES_UPDATE and the direct descriptors
 *   ring_trace.h  the IO core's trace events
 *
 * A ring's memory is two regions, each mapped twice: into the owner's user
 * space (mmap) and into the kernel's ring window (KRING_BASE + id *
 * RING_SLOT_SIZE), which is what the IO core uses, so it never switches page
 * tables.  Region A (struct ring_rings, below) holds the ring indexes and
 * the CQE array and the SQ index array; region B the SQE array.
 *
 * Lifecycle (state, written with release and read with acquire):
 *   RING_FREE -> RING_NEW      normal core: io_uring_setup filled it in
 *   RING_NEW -> RING_ACTIVE    IO core: took it into its polling loop
 *   RING_NEW/ACTIVE -> RING_DYING   either core: its file is closed and it
 *                              is unmapped, or its owner exits
 *   RING_DYING -> RING_FREE    IO core: stopped using it, freed its memory
 * Each change is followed by an IPI to the other core.
 *
 * Lock order (docs/DESIGN.md 7 has the whole): fd_lock before buf_lock
 * (rw.c), buf_lock before fs_lock and kmem.lock; file_lock (registered
 * files) is a leaf: nothing else is taken while it is held (user memory is
 * copied, fds are looked up and the references it gives up are dropped
 * with it let go).
 */
#ifndef KERNEL_RING_H
#define KERNEL_RING_H

#include "core/spinlock.h"
#include "core/types.h"
#include "mm/memlayout.h"
#include "mm/vm.h"
#include "uapi/io_uring.h"

enum ring_state { RING_FREE, RING_NEW, RING_ACTIVE, RING_DYING };

/*
 * Region A, as the user maps it at IORING_OFF_SQ_RING; io_uring_setup gives
 * the offsets of its fields in io_uring_params (ring.c, from offsetof), as
 * Linux's struct io_rings.  Each index the other side writes is on a 64-byte
 * line of its own; masks and entries are written once at set-up.  After
 * cqes[cq_entries] comes the SQ index array, sq_entries u32s.
 */
#define RING_LINE 64
struct ring_rings {
	uint32_t sq_head __attribute__((aligned(RING_LINE))); /* IO core */
	uint32_t sq_tail __attribute__((aligned(RING_LINE))); /* user */
	uint32_t cq_head __attribute__((aligned(RING_LINE))); /* user */
	uint32_t cq_tail __attribute__((aligned(RING_LINE))); /* IO core */
	uint32_t sq_mask __attribute__((aligned(RING_LINE)));
	uint32_t sq_entries;
	uint32_t sq_flags;   /* IO core: IORING_SQ_NEED_WAKEUP, _CQ_OVERFLOW */
	uint32_t sq_dropped; /* IO core */
	uint32_t cq_mask;
	uint32_t cq_entries;
	uint32_t cq_overflow; /* IO core */
	uint32_t cq_flags;    /* user */
	struct io_uring_cqe cqes[] __attribute__((aligned(RING_LINE)));
};
#define RING_MAX_PAGES (RING_SLOT_SIZE / 2 / 4096)
/* CQEs held in the kernel while the CQ is full: 10 x the CQ, within these
 * bounds; kernel-only pages in the ring's window, after region A */
#define RING_OVF_MIN 64
#define RING_OVF_MAX 4096
#define RING_OVF_OFF                                                           \
	(384 * 4096)	    /* 1.5 MiB: after 65536 CQEs and the SQ array */
#define RING_REQS 64	/* operations in flight (parked) per ring */
#define RING_PARKED (-4096) /* issue() result: the operation waits */
#define RING_MAX_BUFS 64    /* registered buffers per ring */
#define RING_BUF_MAX (512 * 4096) /* bytes per registered buffer */
#define RING_MAX_FILES 512	    /* registered files: a page of pointers */

/*
 * An operation that cannot finish at once: the state of its coroutine
 * (stackless), parked in the ring until a timer, a count of completions,
 * its predecessor in a link chain, a drain, or its file being ready
 * (REQ_POLL: a POLL_ADD, or a read or write that would have waited; poll.c)
 * lets it go on.
 */
enum req_state { REQ_FREE, REQ_TIMER, REQ_WAIT_LINK, REQ_WAIT_DRAIN, REQ_POLL };

struct io_op_def;
struct file;

struct ring_req {
	enum req_state state;
	struct io_uring_sqe sqe;  /* the one private copy of the SQE */
	const struct io_op_def *def; /* its opcode's, set by ring_req_prep */
	struct file *file;	  /* .needs_file: sqe->fd, while issued */
	int prep_err;		  /* REQ_WAIT_LINK: its prep failed so */
	uint64_t deadline;	  /* REQ_TIMER: time CSR value, or 0 */
	uint64_t count_target;	  /* REQ_TIMER: complete at this many CQEs */
	struct ring_req *link;	  /* the next member of its chain, waiting */
	struct ring_req *next_defer; /* the next in the ring's defer list */
	struct ring_req *ltimeout; /* the LINK_TIMEOUT that bounds it */
	struct ring_req *ltarget;  /* LINK_TIMEOUT: the request it bounds */
	bool deferred;		  /* behind an IOSQE_IO_DRAIN (submit.c) */
	bool short_io;		  /* READV/WRITEV did less than asked */
	bool parked_once;	  /* it waited: its CQE is an async one */
	uint64_t taken;		  /* tracing: when the SQE was taken */
	/* REQ_POLL (poll.c) */
	uint32_t poll_events;	  /* the ABI_POLL* mask it waits for */
	bool poll_multi;	  /* POLL_ADD with IORING_POLL_ADD_MULTI */
	bool poll_retry;	  /* a lock was busy (-ERETRY): again next pass */
	bool poll_fire_now;	  /* POLL_ADD: report if ready when next seen */
	uint64_t poll_seen;	  /* POLL_ADD: the file's events seen */
};

struct proc;

/* A ring's memory: its three regions, at these offsets in its slot. */
enum { RING_RINGS, RING_OVERFLOW, RING_SQES, RING_NREGIONS };

struct ring_region {
	int npages;
	uint64_t pa[RING_MAX_PAGES];
};

struct ring {
	uint32_t state; /* enum ring_state, see above */

	/* set by io_uring_setup before RING_NEW, read-only afterwards */
	int id;
	struct proc *owner;
	uint32_t sq_entries, cq_entries;
	struct ring_region region[RING_NREGIONS];
	struct ring_rings *ra;	   /* region A in the kernel window */
	struct io_uring_sqe *sqes; /* region B in the kernel window */
	uint32_t *sq_head, *sq_tail, *sq_flags, *sq_dropped, *sq_array;
	uint32_t *cq_head, *cq_tail, *cq_overflow;
	struct io_uring_cqe *cqes;
	uint64_t idle_ticks; /* sq_thread_idle */
	uint32_t setup_flags; /* IORING_SETUP_*: SQPOLL, SUBMIT_ALL, ... */

	/* normal core: what keeps the ring alive (atomic: the IO core may drop
	 * the last file reference) */
	uint32_t file_open;
	uint32_t maps;

	/* normal core sets it before sleeping for CQEs, the IO core clears it
	 * and sends an IPI (see ring.c for the ordering) */
	uint32_t cq_waiting;

	/*
	 * A ring without IORING_SETUP_SQPOLL is submitted by io_uring_enter
	 * only (ring.c, "Submission"): the normal core (one enter at a time,
	 * enter_busy) sets enter_limit, the SQ index the IO core may take up
	 * to, then bumps enter_seq (release); the IO core takes the SQEs,
	 * stops at one that fails to submit (unless SUBMIT_ALL) or when it has
	 * no room, publishes the SQ head and the CQ, then stores enter_result
	 * (the count taken, or -EBUSY) and enter_ack = enter_seq (release).
	 */
	bool enter_busy;      /* normal core */
	uint32_t enter_limit; /* normal core writes, IO core reads */
	uint32_t enter_seq;   /* normal core writes, IO core reads */
	uint32_t enter_ack;   /* IO core writes, normal core reads */
	int32_t enter_result; /* IO core writes, normal core reads */

	/* registered buffers (io_uring_register): set by the normal core, used
	 * by the IO core's _FIXED operations, both under buf_lock; and the
	 * registered eventfd the IO core signals after posting (cqe.c).  Lock
	 * order: buf_lock before the eventfd's lock */
	struct spinlock buf_lock;
	int nbufs;
	struct ubuf_fixed bufs[RING_MAX_BUFS];
	struct file *evfd;	/* IORING_REGISTER_EVENTFD: a reference */
	bool evfd_async;	/* ..._ASYNC: for CQEs of requests that waited */

	/*
	 * registered files (files.c): the table (a page, or NULL: none
	 * registered) holds a reference to each file in it.  Written by the
	 * normal core (io_uring_register, tear-down) and by the IO core
	 * (FILES_UPDATE, direct OPENAT/CLOSE), read by the IO core at issue,
	 * all under file_lock.  alloc_*: IORING_FILE_INDEX_ALLOC's range.
	 */
	struct spinlock file_lock;
	struct file **files;
	uint32_t nfiles;
	uint32_t alloc_start, alloc_end, alloc_hint;

	/* IO core only */
	uint32_t sq_head_k; /* private SQ head, published to *sq_head */
	uint32_t cq_tail_k; /* private CQ tail, published to *cq_tail */
	uint32_t ovf_head, ovf_tail;
	uint32_t ovf_cap;	  /* set at setup */
	struct io_uring_cqe *ovf; /* set at setup: kernel window */
	uint64_t cqes_posted;	   /* for TIMEOUT with a completion count */
	uint64_t cq_timeouts;	   /* ... less the TIMEOUTs that fired (the
				    * normal core reads it: one ends a wait) */
	int nparked;		   /* records not REQ_FREE */
	int npoll;		   /* records REQ_POLL */
	bool poll_retry;	   /* one of them is to be issued again */
	uint64_t poll_seq_seen;	   /* poll_seq when they were last looked at */
	uint32_t evfd_tail;	   /* the CQ tail when the eventfd was signalled */
	bool evfd_due;		   /* an async CQE since (for evfd_async) */
	bool in_chain;		   /* the last SQE taken had IOSQE_IO_LINK */
	bool chain_failed;	   /* ... and the chain has failed: cancel */
	struct ring_req *chain_tail; /* the chain's last member, if parked */
	struct ring_req *defer_head, *defer_tail; /* deferred: drain */
	int ndeferred;		   /* records marked deferred */
	uint32_t enter_start;	   /* the SQ head when the enter began */
	uint32_t enter_doing;	   /* the enter_seq being served */
	bool submit_failed;	   /* an SQE of this enter failed to submit */
	struct ring_req reqs[RING_REQS];
};

extern struct ring rings[];

/* The CQEs a TIMEOUT's completion count counts (timeout.c). */
static inline uint64_t ring_timeout_seq(const struct ring *r)
{
	return r->cqes_posted - r->cq_timeouts;
}

/* ring.c */
void ring_destroy_memory(struct ring *r);
extern bool ring_xlate_cache;
void ring_exit_all(struct proc *p); /* a process's rings, at its exit */

/* files.c */
struct file *ring_fixed_file(struct ring *r, uint32_t index);
void ring_files_drop(struct ring *r);
long ring_register_files(struct proc *p, struct ring *r, long opcode,
			 uint64_t arg, long nr_args);
long ring_fixed_install(struct ring *r, struct file *f, uint32_t file_index);
long ring_fixed_remove(struct ring *r, uint32_t index);

/* submit.c */
bool ring_poll(struct ring *r);
void ring_finish_parked(struct ring *r, struct ring_req *q, long res);
bool ring_post_more(struct ring *r, struct ring_req *q, long res);
void ring_drop_parked(struct ring *r);
/* poll.c */
bool ring_run_polls(struct ring *r);
bool ring_polls_due(struct ring *r);
long ring_poll_arm(struct ring *r, struct ring_req *req, long res);
void ring_poll_unpark(struct ring *r, struct ring_req *q);
uint32_t sq_pending(struct ring *r);
uint32_t sq_takeable(struct ring *r);
uint64_t ring_next_deadline(struct ring *r);

#endif
