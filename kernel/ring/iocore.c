/*
 * The IO core: an executor that serves every ring in turn.
 *
 * Coroutine design: stackless.  Each ring's poller is a task whose state is
 * the ring itself (its private SQ head and CQ tail, its overflow CQEs), run
 * to a yield point by ring_poll(): it takes at most RING_BATCH SQEs per turn,
 * so that every ring gets served in round-robin and none can starve
 * another.  An operation that cannot finish at once (a TIMEOUT; the disk
 * later), a link-chain member waiting for its predecessor, or an
 * IOSQE_IO_DRAIN SQE waiting for all before it, parks as a request record
 * (struct ring_req: the state of its coroutine) in its ring's fixed pool;
 * the poller resumes it when its event comes, so completions come back out
 * of order, matched by user_data.  No heap allocation on this path and
 * bounded memory per ring; when the pool or the CQ (plus its overflow list)
 * has no room for one more completion, the poller stops taking SQEs until
 * there is: back-pressure, nothing dropped.  (A stackful design would need a
 * stack per parked operation; a state record is smaller and is what a
 * poll-style C executor naturally has.)
 *
 * Waiting: the IO core never enables interrupts (sstatus.SIE stays 0) and
 * takes no traps.  After sq_thread_idle without work it sets
 * IORING_SQ_NEED_WAKEUP in every ring and sleeps in wfi until an IPI
 * (sie.SSIE) -- from io_uring_enter(SQ_WAKEUP), from a ring being set up or
 * torn down, or from iocore_ping -- or until its own timer (sie.STIE) if a
 * timeout is parked, and clears the pending bits itself.
 *
 * Talking to the normal core: the IO core never changes process state.  It
 * sends an IPI and the normal core's handler (iocore_ipi) wakes everything
 * sleeping on iocore_event, which rechecks its condition (CQEs there, a ring
 * freed, a ping answered).
 *
 * Tracing: EXEC_BUSY/EXEC_IDLE when the executor's passes start or stop
 * finding work; RING_POLL for each pass of a ring's poller that did work
 * (the poller coroutine's run); CORO_PARK/CORO_RESUME for request
 * coroutines; OP_DONE for a request that completes as soon as it is taken,
 * otherwise SQE_TAKEN and CQE_POSTED or CQ_OVERFLOW;
 * IO_SLEEP/IO_WAKE around the wfi sleep with NEED_WAKEUP set.
 *
 * Locking: see ring.h and ring.c for the ring protocol; ping.req is written
 * by the normal core only and ping.ack by the IO core only.
 */
#include "arch/riscv/riscv.h"
#include "core/defs.h"
#include "core/param.h"
#include "core/proc.h"
#include "fs/fs.h"
#include "ring/ring.h"
#include "trace/trace.h"
#include "uapi/errno.h"

#define RING_BATCH 32
#define POLL_WFI_US 2 /* iopoll=wfi: the pause between empty passes */

int io_hart = -1;
const char iocore_event; /* the normal core's sleepers on IO core events */

static struct {
	uint64_t req; /* normal core writes */
	uint64_t ack; /* IO core writes */
} ping;

static struct ring *active[NRING]; /* IO core only: the rings it polls */
static int nactive;
/*
 * iopoll=wfi on the kernel command line: between empty passes the IO core
 * waits in wfi for POLL_WFI_US (or an IPI) instead of spinning.  Spinning
 * is what SQPOLL does and what real parallel hardware wants; under QEMU's
 * deterministic -icount mode the harts run in turn, and a spinning IO core
 * would hold the normal core off until its idle period ends (make ICOUNT=1
 * sets it).
 */
static bool poll_wfi;

/* Normal core: tell the IO core to look (it may be asleep in wfi). */
void iocore_kick(void)
{
	if (io_hart >= 0) {
		trace(TR_IPI_SEND, io_hart, 0);
		sbi_send_ipi(io_hart);
	}
}

/* IO core: wake the normal core's sleepers on iocore_event. */
void iocore_notify_normal(void)
{
	trace(TR_IPI_SEND, normal_hart, 0);
	sbi_send_ipi(normal_hart);
}

/* Normal core: an IPI from the IO core arrived. */
void iocore_ipi(void)
{
	wakeup(&iocore_event);
}

/*
 * IO core: room for one more operation?  Every completion still owed (the
 * CQEs in the CQ and the overflow list, and one per parked request) must
 * fit in the CQ plus the overflow list, and a request record must be free.
 */
static bool ring_has_room(struct ring *r)
{
	/* acquire: pairs with the user's release store of the CQ head */
	uint32_t head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
	uint64_t owed = (r->cq_tail_k - head) + (r->ovf_tail - r->ovf_head) +
			r->nparked;

	/* and the overflow list alone must hold all that is owed beyond the
	 * CQEs already in it: the user may free CQ room at any time, but
	 * post_cqe keeps appending to a non-empty list */
	return owed < r->cq_entries + r->ovf_cap &&
	       (r->ovf_tail - r->ovf_head) + r->nparked < r->ovf_cap &&
	       r->nparked < RING_REQS;
}

/* A CQE went to the CQ (in_cq) or to the overflow list. */
static void trace_posted(struct ring *r, uint64_t user_data, long res,
			 bool in_cq)
{
	trace_record(in_cq ? TR_CQE_POSTED : TR_CQ_OVERFLOW,
		     (uint64_t)res << 32 | r->id, user_data);
}

/* IO core: move overflowed CQEs into the CQ as the user frees room. */
static bool flush_overflow(struct ring *r)
{
	bool moved = false;

	while (r->ovf_head != r->ovf_tail) {
		uint32_t head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
		struct io_uring_cqe *cqe = &r->ovf[r->ovf_head % r->ovf_cap];

		if (r->cq_tail_k - head >= r->cq_entries)
			break;
		if (unlikely(trace_on))
			trace_posted(r, cqe->user_data, cqe->res, true);
		r->cqes[r->cq_tail_k & (r->cq_entries - 1)] = *cqe;
		r->ovf_head++;
		r->cq_tail_k++;
		moved = true;
	}
	if (r->ovf_head == r->ovf_tail)
		__atomic_and_fetch(r->sq_flags, ~IORING_SQ_CQ_OVERFLOW,
				   __ATOMIC_RELAXED);
	return moved;
}

/*
 * IO core: post one CQE, to the CQ or, if it is full, to the overflow list
 * (returns false).
 */
static bool post_cqe(struct ring *r, uint64_t user_data, int32_t res)
{
	struct io_uring_cqe cqe = { user_data, res, 0 };
	uint32_t head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);

	r->cqes_posted++;
	if (r->ovf_head == r->ovf_tail && r->cq_tail_k - head < r->cq_entries) {
		r->cqes[r->cq_tail_k & (r->cq_entries - 1)] = cqe;
		r->cq_tail_k++;
		return true;
	}
	/* ring_has_room() guaranteed room here before the SQE was taken */
	r->ovf[r->ovf_tail++ % r->ovf_cap] = cqe;
	__atomic_or_fetch(r->sq_flags, IORING_SQ_CQ_OVERFLOW, __ATOMIC_RELAXED);
	return false;
}

/* IO core: publish the CQ tail and wake a waiter if there is one. */
static void publish_cq(struct ring *r)
{
	/* release: the CQEs before the tail; pairs with the acquire load of
	 * the CQ tail in io_uring_peek_cqe / cq_ready() */
	__atomic_store_n(r->cq_tail, r->cq_tail_k, __ATOMIC_RELEASE);
	/* full barrier: pairs with the one in sys_io_uring_enter between the
	 * cq_waiting store and the CQ tail load */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->cq_waiting, __ATOMIC_RELAXED)) {
		__atomic_store_n(&r->cq_waiting, 0, __ATOMIC_RELAXED);
		iocore_notify_normal();
	}
}

/* IO core: SQEs the user has published and the kernel not yet taken. */
static uint32_t sq_pending(struct ring *r)
{
	/* acquire: pairs with the user's release store of the SQ tail */
	return __atomic_load_n(r->sq_tail, __ATOMIC_ACQUIRE) - r->sq_head_k;
}

static void trace_taken(struct ring *r, const struct ring_req *q)
{
	/* taken 0: tracing came on after it was taken */
	trace_at(TR_SQE_TAKEN, q->taken ? q->taken : rdtime(),
		 (uint64_t)q->sqe.opcode << 32 | r->id, q->sqe.user_data);
}

/* Complete a request that was parked. */
static void post(struct ring *r, uint64_t user_data, long res)
{
	bool in_cq = post_cqe(r, user_data, res);

	if (unlikely(trace_on))
		trace_posted(r, user_data, res, in_cq);
}

static void __attribute__((noinline))
trace_done_apart(struct ring *r, const struct ring_req *q, long res,
		 bool in_cq)
{
	trace_taken(r, q);
	trace_posted(r, q->sqe.user_data, res, in_cq);
}

static void __attribute__((noinline))
trace_done(struct ring *r, const struct ring_req *q, long res, bool in_cq)
{
	uint64_t now = rdtime(), took = now - q->taken;

	if (likely(in_cq && q->taken && took <= 0xffff))
		trace_put(TR_OP_DONE, now,
			  (uint64_t)res << 32 | took << 16 |
				  (uint64_t)q->sqe.opcode << 8 | r->id,
			  q->sqe.user_data);
	else
		trace_done_apart(r, q, res, in_cq);
}

/*
 * Complete a request just taken (q: its private copy).  Traced, one OP_DONE
 * record says it was taken, issued and posted, if its CQE went to the CQ
 * and it took under 2^16 ticks; otherwise SQE_TAKEN and CQE_POSTED or
 * CQ_OVERFLOW.
 */
static void post_taken(struct ring *r, const struct ring_req *q, long res)
{
	bool in_cq = post_cqe(r, q->sqe.user_data, res);

	if (unlikely(trace_on))
		trace_done(r, q, res, in_cq);
}

_Static_assert(REQ_TIMER == TRACE_PARK_TIMER &&
		       REQ_WAIT_LINK == TRACE_PARK_LINK &&
		       REQ_WAIT_DRAIN == TRACE_PARK_DRAIN,
	       "CORO_PARK's why is the request state");

/* A parked request's coroutine id in the trace (uapi/trace.h) */
static uint64_t coro_id(struct ring *r, struct ring_req *q)
{
	return (uint64_t)r->id << 8 | (q - r->reqs + 1);
}

static void trace_park(struct ring *r, struct ring_req *q)
{
	trace(TR_CORO_PARK, (uint64_t)q->state << 32 | coro_id(r, q),
	      q->sqe.user_data);
}

/* Put a request that must wait into the ring's pool (room was checked). */
static struct ring_req *park(struct ring *r, const struct ring_req *tmp,
			     enum req_state state)
{
	for (int i = 0; i < RING_REQS; i++) {
		struct ring_req *q = &r->reqs[i];

		if (q->state == REQ_FREE) {
			*q = *tmp;
			q->state = state;
			r->nparked++;
			trace_park(r, q);
			return q;
		}
	}
	panic("ring %d: no free request record", r->id);
}

static void req_free(struct ring *r, struct ring_req *q)
{
	q->state = REQ_FREE;
	q->link = NULL;
	r->nparked--;
}

/*
 * Run the parked members of a chain from q on, in order, given whether the
 * member before them failed (then they complete with -ECANCELED).  Stops at
 * one that parks again.
 */
static void run_waiting(struct ring *r, struct ring_req *q, bool failed)
{
	while (q) {
		struct ring_req *next = q->link;
		bool tail = q == r->chain_tail;

		q->link = NULL;
		trace(TR_CORO_RESUME, coro_id(r, q), q->sqe.user_data);
		if (failed) {
			post(r, q->sqe.user_data, -ECANCELED);
			req_free(r, q);
		} else {
			long res = ring_prep_issue(r, q);

			if (res == RING_PARKED) {
				q->link = next;
				trace_park(r, q); /* parks again (a TIMEOUT) */
				return;
			}
			failed = ring_req_failed(q, res);
			post(r, q->sqe.user_data, res);
			req_free(r, q);
		}
		if (tail) {
			/* the open chain's last member is done */
			r->chain_tail = NULL;
			r->chain_failed = failed;
		}
		q = next;
	}
}

/* A parked request's event came: complete it, then run its chain's rest. */
static void finish_parked(struct ring *r, struct ring_req *q, long res)
{
	struct ring_req *next = q->link;
	bool failed = ring_req_failed(q, res);

	if (q == r->chain_tail) {
		r->chain_tail = NULL;
		r->chain_failed = failed;
	}
	if (q == r->drain)
		r->drain = NULL;
	trace(TR_CORO_RESUME, coro_id(r, q), q->sqe.user_data);
	post(r, q->sqe.user_data, res);
	req_free(r, q);
	run_waiting(r, next, failed);
}

/* Expire timeouts and count-satisfied timeouts; returns whether any did. */
static bool run_timers(struct ring *r)
{
	uint64_t now = rdtime();
	bool fired = false;

	if (!r->nparked)
		return false;
	for (int i = 0; i < RING_REQS; i++) {
		struct ring_req *q = &r->reqs[i];

		if (q->state != REQ_TIMER)
			continue;
		if (q->count_target && r->cqes_posted >= q->count_target) {
			finish_parked(r, q, 0);
			fired = true;
		} else if (q->deadline <= now) {
			finish_parked(r, q, -ETIME);
			fired = true;
		}
	}
	return fired;
}

/* The earliest parked timeout on the ring, or ~0. */
static uint64_t next_deadline(struct ring *r)
{
	uint64_t t = ~0UL;

	for (int i = 0; r->nparked && i < RING_REQS; i++)
		if (r->reqs[i].state == REQ_TIMER && r->reqs[i].deadline < t)
			t = r->reqs[i].deadline;
	return t;
}

/*
 * An IOSQE_IO_DRAIN request runs once everything before it has finished,
 * and nothing after it starts before it finishes: if it parks (a TIMEOUT),
 * r->drain stays set until finish_parked() completes it.
 */
static bool try_drain(struct ring *r)
{
	struct ring_req *q = r->drain;

	if (!q || q->state != REQ_WAIT_DRAIN || r->nparked > 1)
		return false;
	run_waiting(r, q, false);
	/* still parked (its slot is not reused meanwhile: only take_sqe
	 * parks new requests, and it waits while r->drain is set) */
	if (q->state == REQ_FREE)
		r->drain = NULL;
	return true;
}

/* Start one SQE (tmp: its private copy, on the stack). */
static void take_sqe(struct ring *r, struct ring_req *tmp)
{
	bool link = tmp->sqe.flags & IOSQE_IO_LINK;
	bool failed = false;
	struct ring_req *parked = NULL;
	long res;

	if (r->in_chain && r->chain_failed) {
		post_taken(r, tmp, -ECANCELED);
		r->in_chain = link;
		r->chain_failed = link;
		return;
	}
	if (r->in_chain && r->chain_tail) {
		/* its predecessor is parked: wait behind it */
		trace_taken(r, tmp);
		parked = park(r, tmp, REQ_WAIT_LINK);
		r->chain_tail->link = parked;
		r->chain_tail = link ? parked : NULL;
		r->in_chain = link;
		return;
	}
	if ((tmp->sqe.flags & IOSQE_IO_DRAIN) && r->nparked) {
		trace_taken(r, tmp);
		r->drain = parked = park(r, tmp, REQ_WAIT_DRAIN);
	} else {
		res = ring_prep_issue(r, tmp);
		if (res == RING_PARKED) {
			trace_taken(r, tmp);
			parked = park(r, tmp, tmp->state);
			if (tmp->sqe.flags & IOSQE_IO_DRAIN)
				r->drain = parked; /* nothing after it starts yet */
		} else {
			failed = ring_req_failed(tmp, res);
			post_taken(r, tmp, res);
		}
	}
	r->in_chain = link;
	r->chain_tail = link ? parked : NULL;
	r->chain_failed = link && !parked && failed;
}

/*
 * Tracing the executor (IO core only, so plain statics): where a pass or a
 * ring's turn started -- the time, the seq number of this hart's next
 * record, the SQ head -- for the EXEC_BUSY or RING_POLL written at its end.
 */
static struct trace_start {
	uint64_t time, seq;
	uint32_t sq_head, cq_tail; /* RING_POLL's: the ring's, at the start */
	bool valid; /* tracing was on at the start (it may change meanwhile) */
} poll_start, pass_start;
static bool exec_busy; /* the last traced pass did work */

static void trace_mark_start(struct trace_start *t, struct ring *r)
{
	t->time = rdtime();
	t->seq = trace_seq();
	if (r) {
		t->sq_head = r->sq_head_k;
		t->cq_tail = r->cq_tail_k;
	}
	t->valid = true;
}

/* the end of a ring's pass: what the decoder needs to know which requests
 * its records are about (include/uapi/trace.h) */
static void trace_poll(struct ring *r, bool worked)
{
	uint64_t now = rdtime();
	uint64_t taken = MIN(r->sq_head_k - poll_start.sq_head, 0xffffffU);
	uint64_t ticks = MIN(now - poll_start.time, 0xffffffffU);

	if (worked)
		trace_put(TR_RING_POLL, now,
			  poll_start.seq << 32 | taken << 8 | r->id,
			  (uint64_t)(poll_start.cq_tail & 0xffff) << 48 |
				  (uint64_t)(poll_start.sq_head & 0xffff) << 32 |
				  ticks);
	poll_start.valid = false;
}

static void trace_pass(bool worked)
{
	/* EXEC_BUSY from the start of the first pass with work */
	if (worked && !exec_busy)
		trace_record(TR_EXEC_BUSY, pass_start.time, pass_start.seq);
	else if (!worked && exec_busy)
		trace_record(TR_EXEC_IDLE, 0, 0);
	exec_busy = worked;
	pass_start.valid = false;
}

/* One turn of a ring's poller task; returns whether it did anything. */
static bool ring_poll(struct ring *r)
{
	bool worked;
	uint32_t n;

	if (unlikely(trace_on))
		trace_mark_start(&poll_start, r);
	worked = flush_overflow(r);

	worked |= run_timers(r);
	worked |= try_drain(r);
	n = sq_pending(r);
	if (n > r->sq_entries) {
		/* a garbage tail: more than the ring holds.  Drop it all. */
		__atomic_add_fetch(r->sq_dropped, n, __ATOMIC_RELAXED);
		r->sq_head_k += n;
		n = 0;
		worked = true;
	}
	for (uint32_t i = 0; i < n && i < RING_BATCH && !r->drain &&
			     ring_has_room(r);
	     i++) {
		uint32_t idx = READ_ONCE(r->sq_array[r->sq_head_k & (r->sq_entries - 1)]);
		struct ring_req tmp;

		r->sq_head_k++;
		worked = true;
		if (idx >= r->sq_entries) {
			__atomic_add_fetch(r->sq_dropped, 1, __ATOMIC_RELAXED);
			continue;
		}
		/* the one copy of the SQE: nothing below reads shared memory */
		memcpy(&tmp.sqe, (const void *)&r->sqes[idx], sizeof(tmp.sqe));
		tmp.state = REQ_FREE;
		tmp.link = NULL;
		tmp.short_io = false;
		tmp.deadline = tmp.count_target = 0;
		tmp.taken = unlikely(trace_on) ? rdtime() : 0;
		take_sqe(r, &tmp);
	}
	if (worked) {
		/* release: pairs with the acquire load of the SQ head in
		 * io_uring_get_sqe (the SQE slots are free again) */
		__atomic_store_n(r->sq_head, r->sq_head_k, __ATOMIC_RELEASE);
		publish_cq(r);
	}
	if (unlikely(poll_start.valid))
		trace_poll(r, worked);
	return worked;
}

/* IO core: take new rings in, let dying ones go; returns whether any did. */
static bool service_ring_table(void)
{
	bool changed = false;

	for (int i = 0; i < NRING; i++) {
		struct ring *r = &rings[i];
		/* acquire: pairs with the release stores in ring.c */
		uint32_t s = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);

		/* NEW -> ACTIVE by compare-and-swap: the normal core may be
		 * moving it to DYING at the same time (then the next pass
		 * frees it) */
		if (s == RING_NEW &&
		    __atomic_compare_exchange_n(&r->state, &s, RING_ACTIVE, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			sfence_vma(); /* its kernel window was just mapped */
			active[nactive++] = r;
			changed = true;
		} else if (s == RING_DYING) {
			for (int j = 0; j < nactive; j++) {
				if (active[j] == r) {
					active[j] = active[--nactive];
					break;
				}
			}
			ring_destroy_memory(r);
			r->owner = NULL;
			trace(TR_RING_FREE, r->id, 0);
			/* release: the IO core is done with the ring */
			__atomic_store_n(&r->state, RING_FREE, __ATOMIC_RELEASE);
			iocore_notify_normal();
			changed = true;
		}
	}
	return changed;
}

static bool answer_ping(void)
{
	/* acquire: pairs with the release store of req in iocore_ping() */
	uint64_t req = __atomic_load_n(&ping.req, __ATOMIC_ACQUIRE);

	if (req == ping.ack)
		return false;
	/* release: pairs with the acquire load of ack in iocore_ping() */
	__atomic_store_n(&ping.ack, req, __ATOMIC_RELEASE);
	iocore_notify_normal();
	return true;
}

static void set_need_wakeup(bool on)
{
	for (int i = 0; i < nactive; i++) {
		if (on)
			__atomic_or_fetch(active[i]->sq_flags,
					  IORING_SQ_NEED_WAKEUP, __ATOMIC_RELAXED);
		else
			__atomic_and_fetch(active[i]->sq_flags,
					   ~IORING_SQ_NEED_WAKEUP,
					   __ATOMIC_RELAXED);
	}
}

/* wfi until an IPI or the time CSR reaches deadline (~0: no timer). */
static uint64_t wait_ipi_or_time(uint64_t deadline)
{
	uint64_t sip;

	if (deadline != ~0UL)
		sbi_set_timer(deadline);
	while (!((sip = csr_read(sip)) & (SIE_SSIE | SIE_STIE)))
		wfi();
	if (deadline != ~0UL)
		sbi_set_timer(~0UL); /* clears sip.STIP */
	return sip;
}

/* Sleep until an IPI or the next parked timeout, unless work came. */
static void idle_sleep(void)
{
	uint64_t deadline = ~0UL;

	set_need_wakeup(true);
	/* full barrier: pairs with the one in io_uring_submit between the SQ
	 * tail store and the flags load */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < nactive; i++) {
		if (sq_pending(active[i])) {
			set_need_wakeup(false);
			return;
		}
		deadline = MIN(deadline, next_deadline(active[i]));
	}
	trace(TR_IO_SLEEP, nactive, deadline);
	if (trace_available() && deadline != ~0UL)
		sbi_set_timer(deadline); /* a drain stops when it is due */
	trace_drain(false); /* idle: send the trace records */
	trace(TR_IO_WAKE, wait_ipi_or_time(deadline), 0);
	set_need_wakeup(false);
}

void iocore_main(void)
{
	struct hart *h = this_hart();
	uint64_t last_work = rdtime();
	int next = 0;

	sbi_set_timer(~0UL); /* no timer until a timeout is parked */
	poll_wfi = bootarg_present("iopoll=wfi");
	ring_xlate_cache = !bootarg_present("ringxlate=walk");
	kprintf("hart %ld: IO core: serving rings (%s between polls)\n",
		(long)h->id, poll_wfi ? "wfi" : "spin");
	for (;;) {
		bool worked = false;

		if (unlikely(trace_on))
			trace_mark_start(&pass_start, NULL);
		else
			exec_busy = false; /* paused: start afresh on resume */

		if (csr_read(sip) & SIE_SSIE) {
			csr_clear(sip, SIE_SSIE);
			trace(TR_IPI_RECV, 0, 0);
		}
		worked |= service_ring_table();
		worked |= answer_ping();
		/* each ring one turn, starting after last pass's first */
		for (int i = 0; i < nactive; i++)
			worked |= ring_poll(active[(next + i) % nactive]);
		next = nactive ? (next + 1) % nactive : 0;
		if (unlikely(pass_start.valid))
			trace_pass(worked);
		if (worked) {
			last_work = rdtime();
			continue;
		}
		uint64_t idle = ~0UL;

		for (int i = 0; i < nactive; i++)
			idle = MIN(idle, active[i]->idle_ticks);
		if (nactive == 0 || rdtime() - last_work >= idle) {
			idle_sleep();
			last_work = rdtime();
		} else if (poll_wfi) {
			wait_ipi_or_time(rdtime() + time_us_to_ticks(POLL_WFI_US));
		}
	}
}

long iocore_ping(long n)
{
	if (io_hart < 0)
		return -ENODEV;
	if (n < 1 || n > 1000000)
		return -EINVAL;
	for (long i = 0; i < n; i++) {
		uint64_t seq = ping.req + 1;

		/* release: pairs with the acquire load of req in answer_ping() */
		__atomic_store_n(&ping.req, seq, __ATOMIC_RELEASE);
		iocore_kick();
		/* acquire: pairs with the release store of ack in answer_ping() */
		while (__atomic_load_n(&ping.ack, __ATOMIC_ACQUIRE) < seq)
			sleep_on(&iocore_event, 0);
	}
	return n;
}
