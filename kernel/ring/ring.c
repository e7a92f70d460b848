/*
 * Ring set-up and tear-down, and the ring system calls (normal core):
 * io_uring_setup, io_uring_enter, io_uring_register.  A ring's fd has
 * ring_file_ops (fs.h), by which it is recognised; its .mmap hands the
 * ring's regions to mm's mmap (mm/mmap.c), and its vm_ops count the
 * mappings.  The IO core runs the rings (iocore.c); ring.h describes the
 * memory layout and the lifecycle.
 *
 * The ownership and ordering contract of a ring, as in Linux io_uring:
 *  - The user writes SQEs, the SQ array and the SQ tail; the IO core writes
 *    the SQ head.  The IO core writes CQEs and the CQ tail; the user writes
 *    the CQ head.  Indexes run freely and are masked with entries - 1.
 *  - Publishing is a release store of the index after the entries are
 *    written; the reader loads the index with acquire before reading the
 *    entries.  (User SQ tail release -> IO core acquire in ring_poll; IO core
 *    CQ tail release -> user acquire in io_uring_peek_cqe; user CQ head
 *    release -> IO core acquire in ring_has_room, flush_overflow and
 *    post_cqe; IO core SQ head release -> user acquire in io_uring_get_sqe.)
 *  - IO core sleep: it sets IORING_SQ_NEED_WAKEUP, then a full barrier, then
 *    loads the SQ tail once more; the submitter stores the SQ tail, then a
 *    full barrier, then loads the flags.  One of the two always sees the
 *    other's store, so a submission is never stranded.
 *  - CQ wait (io_uring_enter GETEVENTS): the normal core sets cq_waiting,
 *    full barrier, loads the CQ tail; the IO core stores the CQ tail, full
 *    barrier, loads cq_waiting and IPIs the normal core if set.
 *  - The IO core copies each SQE once before looking at it and never reads a
 *    shared value twice; a garbage tail or SQ array index is counted in
 *    sq dropped, never trusted.
 *
 * Locking: the ring table is changed by the normal core (set-up) and the IO
 * core (freeing) through ring->state only.  See ring.h.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/fdt.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "core/syscall.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/memlayout.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "ring/iocore.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "ring/ring_trace.h"
#include "trace/trace.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

struct ring rings[NRING];
/* the IO core caches user address translations (ringxlate=walk: it walks
 * the page table for every page, to compare) */
bool ring_xlate_cache = true;

static uint32_t roundup_pow2(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/*
 * A queue's size as io_uring_setup asks for it: n rounded up to a power of
 * two, or clamped to max with IORING_SETUP_CLAMP; 0 if it is 0 or too big.
 */
static uint32_t ring_size(uint32_t n, uint32_t max, uint32_t flags)
{
	if (n == 0)
		return 0;
	if (n > max) {
		if (!(flags & IORING_SETUP_CLAMP))
			return 0;
		n = max;
	}
	return roundup_pow2(n);
}

/*
 * Region A's offsets.  Programs read them from io_uring_params (as
 * liburing does), so nothing depends on the numbers, but they stay what
 * they were when they were written out by hand (docs/DESIGN.md 7.2).
 */
#define RA_AT(field, at)                                                       \
	_Static_assert(offsetof(struct ring_rings, field) == (at),             \
		       "region A: " #field " moved")
RA_AT(sq_head, 0);
RA_AT(sq_tail, 64);
RA_AT(cq_head, 128);
RA_AT(cq_tail, 192);
RA_AT(sq_mask, 256);
RA_AT(sq_entries, 260);
RA_AT(sq_flags, 264);
RA_AT(sq_dropped, 268);
RA_AT(cq_mask, 272);
RA_AT(cq_entries, 276);
RA_AT(cq_overflow, 280);
RA_AT(cq_flags, 284);
RA_AT(cqes, 320);
_Static_assert(sizeof(struct ring_rings) == 320, "region A's header grew");
#undef RA_AT

/* Where the SQ index array starts in region A: after cqes[cq_entries]. */
static uint64_t ra_sq_array(uint32_t cq_entries)
{
	return offsetof(struct ring_rings, cqes) +
	       sizeof(struct io_uring_cqe) * (uint64_t)cq_entries;
}

/* Region A's size: the header, the CQEs, then the SQ index array. */
static uint64_t ra_bytes(uint32_t sq_entries, uint32_t cq_entries)
{
	return ra_sq_array(cq_entries) +
	       sizeof(uint32_t) * (uint64_t)sq_entries;
}

/* region A, the overflow list and region B fit their parts of the slot */
_Static_assert(offsetof(struct ring_rings, cqes[IORING_MAX_CQ_ENTRIES]) +
		       sizeof(uint32_t) * IORING_MAX_ENTRIES <= RING_OVF_OFF,
	       "region A overlaps the overflow list");
_Static_assert(RING_OVF_OFF + sizeof(struct io_uring_cqe) * RING_OVF_MAX <=
		       RING_SLOT_SIZE / 2,
	       "the overflow list overlaps region B");
_Static_assert(sizeof(struct io_uring_sqe) * IORING_MAX_ENTRIES <=
		       RING_SLOT_SIZE / 2,
	       "region B does not fit");

/* Unpin and forget the registered buffers (buf_lock held). */
static void unregister_buffers(struct ring *r)
{
	for (int i = 0; i < r->nbufs; i++) {
		struct ubuf_fixed *b = &r->bufs[i];

		for (int j = 0; j < b->npages; j++)
			page_unpin(b->pa[j]);
		if (b->pa)
			kfree(b->pa);
		memset(b, 0, sizeof(*b));
	}
	r->nbufs = 0;
}

/* Free a ring's pages and its kernel window (either core, ring unused). */
void ring_destroy_memory(struct ring *r)
{
	uint64_t base = KRING_BASE + r->id * RING_SLOT_SIZE;

	struct file *ev;

	spin_lock(&r->buf_lock);
	unregister_buffers(r);
	ev = r->evfd;
	r->evfd = NULL;
	spin_unlock(&r->buf_lock);
	if (ev)
		file_put(ev); /* from the IO core: put on the normal core */
	ring_files_drop(r); /* what the normal core has not dropped already */

	kvm_unmap(base, RING_SLOT_SIZE);
	for (int g = 0; g < RING_NREGIONS; g++) {
		for (int i = 0; i < r->region[g].npages; i++)
			if (r->region[g].pa[i])
				kfree((void *)r->region[g].pa[i]);
		r->region[g].npages = 0;
	}
}

static const uint64_t region_offset[RING_NREGIONS] = {
	[RING_RINGS] = 0,
	[RING_OVERFLOW] = RING_OVF_OFF,
	[RING_SQES] = RING_SLOT_SIZE / 2,
};

static long ring_alloc_memory(struct ring *r)
{
	uint64_t base = KRING_BASE + r->id * RING_SLOT_SIZE;
	uint64_t bytes[RING_NREGIONS];

	r->ovf_cap = MIN(MAX(10 * r->cq_entries, RING_OVF_MIN), RING_OVF_MAX);
	bytes[RING_RINGS] = ra_bytes(r->sq_entries, r->cq_entries);
	bytes[RING_OVERFLOW] = sizeof(*r->ovf) * (uint64_t)r->ovf_cap;
	bytes[RING_SQES] = sizeof(*r->sqes) * (uint64_t)r->sq_entries;
	for (int g = 0; g < RING_NREGIONS; g++) {
		struct ring_region *reg = &r->region[g];

		memset(reg, 0, sizeof(*reg));
		reg->npages = ROUNDUP(bytes[g], PGSIZE) / PGSIZE;
		for (int i = 0; i < reg->npages; i++) {
			void *page = kalloc();

			if (!page) {
				ring_destroy_memory(r); /* frees what is there */
				return -ENOMEM;
			}
			reg->pa[i] = (uint64_t)page;
			kvm_map(base + region_offset[g] + i * PGSIZE, reg->pa[i],
				PGSIZE, PTE_R | PTE_W);
		}
	}
	r->ovf = (struct io_uring_cqe *)(base + RING_OVF_OFF);
	sfence_vma();
	r->ra = (struct ring_rings *)base;
	r->sqes = (struct io_uring_sqe *)(base + RING_SLOT_SIZE / 2);
	r->sq_head = &r->ra->sq_head;
	r->sq_tail = &r->ra->sq_tail;
	r->cq_head = &r->ra->cq_head;
	r->cq_tail = &r->ra->cq_tail;
	r->sq_flags = &r->ra->sq_flags;
	r->sq_dropped = &r->ra->sq_dropped;
	r->cq_overflow = &r->ra->cq_overflow;
	r->cqes = r->ra->cqes;
	r->sq_array = (uint32_t *)&r->ra->cqes[r->cq_entries];
	r->ra->sq_mask = r->sq_entries - 1;
	r->ra->sq_entries = r->sq_entries;
	r->ra->cq_mask = r->cq_entries - 1;
	r->ra->cq_entries = r->cq_entries;
	return 0;
}

static void fill_offsets(const struct ring *r, struct io_uring_params *p)
{
	p->sq_entries = r->sq_entries;
	p->cq_entries = r->cq_entries;
	/* not IORING_FEAT_SUBMIT_STABLE: what an SQE points to (an iovec
	 * array, a timespec, a path) is read when the operation starts, which
	 * for a parked chain member is after io_uring_submit returned */
	p->features = IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP |
		      IORING_FEAT_EXT_ARG;
	memset(&p->sq_off, 0, sizeof(p->sq_off));
	memset(&p->cq_off, 0, sizeof(p->cq_off));
	p->sq_off.head = offsetof(struct ring_rings, sq_head);
	p->sq_off.tail = offsetof(struct ring_rings, sq_tail);
	p->sq_off.ring_mask = offsetof(struct ring_rings, sq_mask);
	p->sq_off.ring_entries = offsetof(struct ring_rings, sq_entries);
	p->sq_off.flags = offsetof(struct ring_rings, sq_flags);
	p->sq_off.dropped = offsetof(struct ring_rings, sq_dropped);
	p->sq_off.array = ra_sq_array(r->cq_entries);
	p->cq_off.head = offsetof(struct ring_rings, cq_head);
	p->cq_off.tail = offsetof(struct ring_rings, cq_tail);
	p->cq_off.ring_mask = offsetof(struct ring_rings, cq_mask);
	p->cq_off.ring_entries = offsetof(struct ring_rings, cq_entries);
	p->cq_off.overflow = offsetof(struct ring_rings, cq_overflow);
	p->cq_off.cqes = offsetof(struct ring_rings, cqes);
	p->cq_off.flags = offsetof(struct ring_rings, cq_flags);
}

/*
 * Ask the IO core to drop the ring (it frees it and sets RING_FREE).  On
 * the normal core (a process closing, unmapping or exiting) wait for that,
 * so that the memory is back when the call returns.
 */
static void ring_request_destroy(struct ring *r)
{
	uint32_t s = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);

	/* a compare-and-swap: the IO core may be moving NEW to ACTIVE; release
	 * pairs with the acquire load of state in iocore.c.  Already DYING
	 * (the IO core dropped the last file reference): still wait below */
	do {
		if (s != RING_NEW && s != RING_ACTIVE)
			break;
	} while (!__atomic_compare_exchange_n(&r->state, &s, RING_DYING, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	if (s == RING_FREE || this_hart()->role != HART_NORMAL)
		return; /* the IO core itself: it frees it on its next pass */
	/* the registered files' references, dropped here on the normal core
	 * (a pipe's last one must be: files.c) */
	ring_files_drop(r);
	iocore_kick();
	/* acquire: pairs with the IO core's release store of RING_FREE */
	while (__atomic_load_n(&r->state, __ATOMIC_ACQUIRE) != RING_FREE)
		sleep_on(&iocore_event, 0);
}

/*
 * ring_file_ops.release: the ring's file lost its last reference (either
 * core).  NULL: set-up failed before the ring was attached.
 */
static void ring_file_released(void *private)
{
	struct ring *r = private;

	if (!r)
		return;
	/* seq_cst, here and in ring_vm_close: of the last unmap and the last
	 * close, at least one sees the other done (both may: destroying is
	 * idempotent) */
	__atomic_store_n(&r->file_open, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->maps, __ATOMIC_SEQ_CST) == 0)
		ring_request_destroy(r);
}

/*
 * A mapping of the ring is in place (normal core): a new one (the fd still
 * held), or a piece of one that munmap or mprotect split (the piece it came
 * from keeps the ring alive).  One count per VMA.
 */
static void ring_vm_open(struct vma *v)
{
	struct ring *r = v->private;

	__atomic_add_fetch(&r->maps, 1, __ATOMIC_SEQ_CST);
}

/* A mapping of the ring is gone (normal core): the last one may free it. */
static void ring_vm_close(struct vma *v)
{
	struct ring *r = v->private;

	/* seq_cst: see ring_file_released */
	if (__atomic_sub_fetch(&r->maps, 1, __ATOMIC_SEQ_CST) == 0 &&
	    !__atomic_load_n(&r->file_open, __ATOMIC_SEQ_CST))
		ring_request_destroy(r);
}

static const struct vm_ops ring_vm_ops = {
	.open = ring_vm_open,
	.close = ring_vm_close,
};

/*
 * ring_file_ops.mmap: region A at IORING_OFF_SQ_RING or IORING_OFF_CQ_RING
 * (one mapping serves both: IORING_FEAT_SINGLE_MMAP), region B (the SQEs)
 * at IORING_OFF_SQES; at most the region's pages.
 */
static long ring_mmap(struct file *f, struct vma *v, uint64_t off,
		      uint64_t len)
{
	struct ring *r = f->ring;
	struct ring_region *reg;
	uint32_t s = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);

	if (s != RING_NEW && s != RING_ACTIVE)
		return -EINVAL; /* going away */
	if (off == IORING_OFF_SQ_RING || off == IORING_OFF_CQ_RING)
		reg = &r->region[RING_RINGS];
	else if (off == IORING_OFF_SQES)
		reg = &r->region[RING_SQES];
	else
		return -EINVAL;
	if (len > (uint64_t)reg->npages * PGSIZE)
		return -EINVAL;
	v->pages = reg->pa;
	v->ops = &ring_vm_ops;
	v->private = r;
	return 0;
}

/* A ring's fd: no read, write or seek; fstat gives an anonymous inode. */
const struct file_ops ring_file_ops = {
	.mmap = ring_mmap,
	.release = ring_file_released,
};

long sys_io_uring_setup(long entries, long uparams, long a2, long a3, long a4,
			long a5)
{
	struct proc *p = this_proc();
	struct io_uring_params params;
	struct ring *r = NULL;
	struct file *f;
	long err;
	int fd;

	if (copyin(p->mm->pagetable, &params, uparams, sizeof(params)) < 0)
		return -EFAULT;
	for (int i = 0; i < 3; i++)
		if (params.resv[i])
			return -EINVAL;
	if (params.flags &
	    ~(IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF |
	      IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP |
	      IORING_SETUP_SUBMIT_ALL))
		return -EINVAL;
	if ((params.flags & IORING_SETUP_SQ_AFF) &&
	    !(params.flags & IORING_SETUP_SQPOLL))
		return -EINVAL;
	/* as Linux: the CPU named for the poller must exist (here a hart;
	 * the IO core polls whatever it names) */
	if ((params.flags & IORING_SETUP_SQ_AFF) &&
	    params.sq_thread_cpu >= (uint32_t)bootinfo.nharts)
		return -EINVAL;
	/* an unsigned int, as Linux */
	entries = ring_size(entries, IORING_MAX_ENTRIES, params.flags);
	if (!entries)
		return -EINVAL;
	uint32_t cq = 2 * entries;

	if (params.flags & IORING_SETUP_CQSIZE) {
		cq = ring_size(params.cq_entries, IORING_MAX_CQ_ENTRIES,
			       params.flags);
		if (!cq || cq < entries)
			return -EINVAL;
	}
	if (io_hart < 0)
		return -ENODEV; /* no IO core to run it */
	if (fd_free_slot(p) < 0)
		return -EMFILE;
	for (int i = 0; i < NRING; i++) {
		if (__atomic_load_n(&rings[i].state, __ATOMIC_ACQUIRE) ==
		    RING_FREE) {
			r = &rings[i];
			break;
		}
	}
	if (!r)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->id = r - rings;
	r->owner = p->leader; /* the group's: its slot lasts as long */
	r->sq_entries = entries;
	r->cq_entries = cq;
	r->setup_flags = params.flags;
	/* the IO core may sleep after this long without work (0: 1 ms) */
	r->idle_ticks = time_us_to_ticks(
		1000 * (params.sq_thread_idle ? params.sq_thread_idle : 1));
	err = ring_alloc_memory(r);
	if (err)
		return err;
	fill_offsets(r, &params);
	if (copyout(p->mm->pagetable, uparams, &params, sizeof(params)) < 0) {
		err = -EFAULT;
		goto fail;
	}
	f = file_alloc();
	if (!f) {
		err = -ENFILE;
		goto fail;
	}
	f->ops = &ring_file_ops;
	f->ring = r;
	f->readable = f->writable = true;
	r->file_open = 1;
	/* io_uring fds are close-on-exec, as on Linux */
	fd = fd_install(p, f, true);
	if (fd < 0) {
		f->ring = NULL;
		file_put(f);
		err = fd;
		goto fail;
	}
	trace_ring_setup(r, p->pid, fd);
	/* release: the ring is filled in; pairs with the IO core's acquire */
	__atomic_store_n(&r->state, RING_NEW, __ATOMIC_RELEASE);
	iocore_kick();
	return fd;
fail:
	ring_destroy_memory(r);
	return err;
}

static uint32_t cq_ready(struct ring *r)
{
	/* acquire: pairs with the IO core's release store of the CQ tail */
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);
}

/*
 * io_uring_enter: SQ_WAKEUP (or anything to submit) kicks the IO core,
 * which polls the SQ itself (as with IORING_SETUP_SQPOLL: to_submit is
 * returned as submitted); GETEVENTS sleeps until min_complete CQEs are there.
 */
/*
 * Submission for a ring without IORING_SETUP_SQPOLL, as Linux's
 * io_uring_enter(to_submit): the SQEs published and not yet consumed, up
 * to to_submit, are taken now -- by the IO core, while the caller waits
 * (the protocol is in ring.h, at enter_seq) -- and the count taken is
 * returned, the SQEs that complete at once already in the CQ.  Taking stops
 * after an SQE that fails to submit (its CQE has the error) unless
 * IORING_SETUP_SUBMIT_ALL, and when completions have no room left (-EBUSY
 * if none was taken).  One enter at a time per ring (enter_busy).  A signal
 * while waiting asks the IO core to stop where it is.
 */
static long enter_submit(struct ring *r, uint32_t to_submit)
{
	uint32_t head, pending, seq;
	long ret;

	while (r->enter_busy)
		sleep_on(&r->enter_busy, 0);
	/* acquire: pairs with the IO core's release store of the SQ head; the
	 * user's tail with the user's release store */
	head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	pending = __atomic_load_n(r->sq_tail, __ATOMIC_ACQUIRE) - head;
	if (!to_submit || !pending)
		return 0;
	r->enter_busy = true;
	r->enter_limit = head + MIN(to_submit, pending);
	seq = r->enter_seq + 1;
	if (!seq)
		seq = 1; /* 0 is never a request: enter_ack starts there */
	/* release: enter_limit before the request; pairs with the IO core's
	 * acquire load of enter_seq (submit.c enter_active) */
	__atomic_store_n(&r->enter_seq, seq, __ATOMIC_RELEASE);
	iocore_kick();
	/* acquire: pairs with the IO core's release store of enter_ack */
	while (__atomic_load_n(&r->enter_ack, __ATOMIC_ACQUIRE) != seq)
		sleep_on(&iocore_event, 0);
	ret = r->enter_result;
	r->enter_busy = false;
	wakeup(&r->enter_busy);
	return ret;
}

/*
 * The wait's arguments, as Linux's io_get_ext_arg: without
 * IORING_ENTER_EXT_ARG, arg is a signal mask (argsz its size) or 0; with
 * it, a struct io_uring_getevents_arg of exactly argsz bytes, pad zero,
 * naming a mask and a timeout (relative; into *until, a time CSR value,
 * 0 for none).  The mask is the blocked set for the wait's length.
 */
static long enter_wait_args(struct proc *p, long flags, uint64_t arg,
			    uint64_t argsz, uint64_t *set, bool *masked,
			    uint64_t *until)
{
	struct io_uring_getevents_arg ga = {.sigmask = arg, .sigmask_sz = argsz};
	struct abi_timespec ts;

	*masked = false;
	*until = 0;
	if (flags & IORING_ENTER_EXT_ARG) {
		if (argsz != sizeof(ga))
			return -EINVAL;
		if (copyin(p->mm->pagetable, &ga, arg, sizeof(ga)) < 0)
			return -EFAULT;
		if (ga.pad)
			return -EINVAL;
	}
	if (ga.sigmask) {
		if (ga.sigmask_sz != sizeof(*set))
			return -EINVAL;
		if (copyin(p->mm->pagetable, set, ga.sigmask, sizeof(*set)) < 0)
			return -EFAULT;
		*masked = true;
	}
	if (ga.ts) {
		if (copyin(p->mm->pagetable, &ts, ga.ts, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		*until = rdtime() + ns_to_ticks(ts.tv_sec, ts.tv_nsec);
		*until = *until ? *until : 1;
	}
	return 0;
}

/*
 * Sleep until want CQEs are there, a TIMEOUT fires (as Linux: that ends
 * the wait however many there are), the time until passes (-ETIME) or a
 * signal comes (-EINTR); 0 when the CQEs are there, and after a timeout
 * or a signal if any CQE is (Linux's io_cqring_wait).
 */
static long enter_wait(struct ring *r, uint32_t want, uint64_t until)
{
	/* acquire: pairs with the release in run_timers */
	uint64_t timeouts = __atomic_load_n(&r->cq_timeouts, __ATOMIC_ACQUIRE);
	long ret = 0;

	for (;;) {
		__atomic_store_n(&r->cq_waiting, 1, __ATOMIC_RELAXED);
		/* full barrier: pairs with the one in iocore.c between the CQ
		 * tail store and the cq_waiting load */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (cq_ready(r) >= want ||
		    __atomic_load_n(&r->cq_timeouts, __ATOMIC_ACQUIRE) !=
			    timeouts)
			break;
		if (until && rdtime() >= until) {
			ret = -ETIME;
			break;
		}
		if (sleep_on_intr(&iocore_event, until)) {
			/* a signal: -EINTR, never restarted, as Linux */
			this_proc()->sig.restart = false;
			ret = -EINTR;
			break;
		}
	}
	__atomic_store_n(&r->cq_waiting, 0, __ATOMIC_RELAXED);
	/* as Linux's io_cqring_wait: no error while CQEs are there */
	return cq_ready(r) ? 0 : ret;
}

long sys_io_uring_enter(long fd, long to_submit, long min_complete, long flags,
			long sig, long sigsz)
{
	struct proc *p = this_proc();
	struct file *f = fd_get(p, fd);
	struct ring *r;
	long ret = (uint32_t)to_submit; /* an unsigned int, as Linux */

	if (!f)
		return -EBADF;
	if (f->ops != &ring_file_ops) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	r = f->ring;
	if (flags & ~(IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP |
		      IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG)) {
		ret = -EINVAL;
		goto out;
	}
	if (!(r->setup_flags & IORING_SETUP_SQPOLL)) {
		ret = enter_submit(r, ret);
		if (ret < 0)
			goto out;
	}
	/* kick the IO core for new SQEs, and when CQEs wait in the overflow
	 * list: it may be asleep with the CQ full, and the caller has just
	 * made room */
	if (((r->setup_flags & IORING_SETUP_SQPOLL) &&
	     (ret || (flags & IORING_ENTER_SQ_WAKEUP))) ||
	    (__atomic_load_n(r->sq_flags, __ATOMIC_RELAXED) &
	     IORING_SQ_CQ_OVERFLOW))
		iocore_kick();
	if (!(flags & IORING_ENTER_GETEVENTS))
		goto out;
	uint32_t want = MIN((uint32_t)min_complete, r->cq_entries);
	uint64_t set, until;
	bool masked;
	long err = enter_wait_args(p, flags, sig, sigsz, &set, &masked, &until);

	if (!err && cq_ready(r) < want) {
		if (masked)
			signal_mask_enter(p, set);
		err = enter_wait(r, want, until);
		if (masked)
			signal_mask_leave(p, err == -EINTR);
	}
	/* as Linux: the count submitted, else the wait's error */
	if (!ret)
		ret = err;
out:
	file_put(f);
	return ret;
}

/* Translate and pin one buffer for the _FIXED operations. */
static long register_one(struct proc *p, struct ubuf_fixed *b, uint64_t base,
			 uint64_t len)
{
	uint64_t first = ROUNDDOWN(base, PGSIZE);

	if (len == 0 || len > (1UL << 30) || base + len < base)
		return -EFAULT; /* as Linux: empty or over 1 GiB */
	if (base + len - first > RING_BUF_MAX)
		return -ENOMEM; /* this kernel's limit per buffer */
	b->pa = kalloc();
	if (!b->pa)
		return -ENOMEM;
	b->base = base;
	b->len = len;
	for (uint64_t va = first; va < base + len; va += PGSIZE) {
		struct uview v = {.pt = p->mm->pagetable};
		uint64_t pte;

		/* an absent page of the buffer comes in now, as Linux's
		 * pin_user_pages */
		if (!uview_page(&v, va, PTE_W))
			return -EFAULT;
		pte = uvm_pte(p->mm->pagetable, va);
		/* the _FIXED operations read and write it: both must be allowed */
		if (!pte || !(pte & PTE_R) || !(pte & PTE_W))
			return -EFAULT;
		b->pa[b->npages] = PTE2PA(pte);
		page_pin(b->pa[b->npages]);
		b->npages++;
	}
	return 0;
}

/*
 * io_uring_register: IORING_REGISTER_BUFFERS (arg: iovecs, nr_args of
 * them) translates and pins the buffers once, for READ_FIXED/WRITE_FIXED;
 * IORING_UNREGISTER_BUFFERS lets them go.  The registered-file opcodes
 * are files.c's.
 */
/*
 * IORING_REGISTER_PROBE, as Linux: arg is a struct io_uring_probe with room
 * for nr_args ops (at most IORING_OP_LAST are filled), all zero on the way
 * in (-EINVAL otherwise); each op says whether this kernel runs it (an
 * entry of the op table with an issue function: the truth, op by op).
 */
static long register_probe(struct proc *p, uint64_t arg, long nr_args)
{
	struct io_uring_probe *pr = kalloc();
	size_t size;
	long err = 0;

	_Static_assert(sizeof(*pr) + IORING_OP_LAST * sizeof(pr->ops[0]) <=
			       PGSIZE,
		       "a probe in a page");
	if (!pr)
		return -ENOMEM;
	if (nr_args < 0 || nr_args > 256) {
		err = -EINVAL;
		goto out;
	}
	nr_args = MIN(nr_args, (long)IORING_OP_LAST);
	size = sizeof(*pr) + nr_args * sizeof(pr->ops[0]);
	if (copyin(p->mm->pagetable, pr, arg, size) < 0) {
		err = -EFAULT;
		goto out;
	}
	for (size_t i = 0; i < size; i++) {
		if (((uint8_t *)pr)[i]) {
			err = -EINVAL;
			goto out;
		}
	}
	pr->last_op = IORING_OP_LAST - 1;
	pr->ops_len = nr_args;
	for (long i = 0; i < nr_args; i++) {
		pr->ops[i].op = i;
		if (io_op_defs[i].issue)
			pr->ops[i].flags = IO_URING_OP_SUPPORTED;
	}
	if (copyout(p->mm->pagetable, arg, pr, size) < 0)
		err = -EFAULT;
out:
	kfree(pr);
	return err;
}

/*
 * IORING_REGISTER_EVENTFD (arg: the eventfd's fd, an int; nr_args 1): the
 * IO core signals it after posting CQEs (cqe.c; _ASYNC: only for requests
 * that waited); IORING_UNREGISTER_EVENTFD lets it go.  As Linux: -EBUSY if
 * one is registered, -EINVAL for a file that is not an eventfd, -ENXIO to
 * unregister none.
 */
static long register_eventfd(struct proc *p, struct ring *r, long opcode,
			     uint64_t arg, long nr_args)
{
	struct file *ev, *old;
	int fd;

	if (opcode == IORING_UNREGISTER_EVENTFD) {
		if (arg || nr_args)
			return -EINVAL;
		spin_lock(&r->buf_lock);
		old = r->evfd;
		r->evfd = NULL;
		spin_unlock(&r->buf_lock);
		if (!old)
			return -ENXIO;
		file_put(old);
		return 0;
	}
	if (nr_args != 1)
		return -EINVAL;
	if (READ_ONCE(r->evfd))
		return -EBUSY;
	if (copyin(p->mm->pagetable, &fd, arg, sizeof(fd)) < 0)
		return -EFAULT;
	ev = fd_get(p, fd);
	if (!ev)
		return -EBADF;
	if (!eventfd_file(ev)) {
		file_put(ev);
		return -EINVAL;
	}
	spin_lock(&r->buf_lock);
	old = r->evfd;
	if (!old) {
		r->evfd_async = opcode == IORING_REGISTER_EVENTFD_ASYNC;
		r->evfd = ev;
	}
	spin_unlock(&r->buf_lock);
	if (old) {
		file_put(ev);
		return -EBUSY;
	}
	return 0;
}

long sys_io_uring_register(long fd, long opcode, long arg, long nr_args,
			   long a4, long a5)
{
	struct proc *p = this_proc();
	struct file *f = fd_get(p, fd);
	struct ring *r;
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->ops != &ring_file_ops) {
		file_put(f);
		return -EOPNOTSUPP;
	}
	r = f->ring;
	switch (opcode) {
	case IORING_REGISTER_FILES:
	case IORING_UNREGISTER_FILES:
	case IORING_REGISTER_FILES_UPDATE:
	case IORING_REGISTER_FILES2:
	case IORING_REGISTER_FILES_UPDATE2:
	case IORING_REGISTER_FILE_ALLOC_RANGE:
		err = ring_register_files(p, r, opcode, arg, nr_args);
		file_put(f);
		return err;
	}
	if (opcode == IORING_REGISTER_PROBE) {
		err = register_probe(p, arg, nr_args);
		file_put(f);
		return err;
	}
	if (opcode == IORING_REGISTER_EVENTFD ||
	    opcode == IORING_REGISTER_EVENTFD_ASYNC ||
	    opcode == IORING_UNREGISTER_EVENTFD) {
		err = register_eventfd(p, r, opcode, arg, nr_args);
		file_put(f);
		return err;
	}
	spin_lock(&r->buf_lock);
	switch (opcode) {
	case IORING_REGISTER_BUFFERS:
		if (r->nbufs) {
			err = -EBUSY;
			break;
		}
		if (nr_args <= 0 || nr_args > RING_MAX_BUFS) {
			err = -EINVAL;
			break;
		}
		for (long i = 0; i < nr_args && !err; i++) {
			struct abi_iovec iov;

			if (copyin(p->mm->pagetable, &iov,
				   arg + i * sizeof(iov), sizeof(iov)) < 0) {
				err = -EFAULT;
				break;
			}
			r->nbufs++;
			err = register_one(p, &r->bufs[i], iov.iov_base,
					   iov.iov_len);
		}
		if (err)
			unregister_buffers(r);
		break;
	case IORING_UNREGISTER_BUFFERS:
		if (arg || nr_args)
			err = -EINVAL;
		else if (!r->nbufs)
			err = -ENXIO;
		else
			unregister_buffers(r);
		break;
	default:
		err = -EINVAL;
	}
	spin_unlock(&r->buf_lock);
	file_put(f);
	return err;
}

/*
 * Process exit (its fds already closed, its regions unmapped: mmap_exit):
 * wait until the IO core has let go of each ring it owns, so that nothing
 * walks its page table once it is freed.
 */
void ring_exit_all(struct proc *p)
{
	for (int i = 0; i < NRING; i++) {
		struct ring *r = &rings[i];

		if (r->owner != p)
			continue;
		ring_request_destroy(r); /* the IO core clears owner, then FREE */
	}
}
