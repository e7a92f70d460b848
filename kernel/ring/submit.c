/*
 * Submission (IO core): a ring's poller task, ring_poll(), run to a yield
 * point once per executor pass (iocore.c).  It takes at most RING_BATCH
 * SQEs per turn, so that every ring gets served in round-robin and none can
 * starve another.  Each SQE is copied once into a request record and
 * prepared (ring_req_prep: validated, its user arguments copied in), then
 * issued, or parked if it must wait:
 *
 *   link chains (IOSQE_IO_LINK)   a member waits behind its predecessor
 *       while that one is parked, and runs when it completes; an error or
 *       short I/O fails the chain, and the members after it complete with
 *       -ECANCELED (not after an IOSQE_IO_HARDLINK member: its failure
 *       does not sever the chain).  A member whose prep fails waits in its
 *       place and completes with its error there, so that a chain's CQEs
 *       keep its order.  (Linux assembles a whole chain before issuing its head and
 *       cancels the head too when a later member fails prep; here the head
 *       may already have run.)
 *   drain (IOSQE_IO_DRAIN)         runs once everything before it has
 *       finished; what is taken after it waits behind it, deferred, until
 *       it has started (run_deferred).
 *   timers (TIMEOUT)               wait for their time or count of CQEs.
 *   files (POLL_ADD, reads and writes that would wait)   wait for their
 *       file to be ready (poll.c).
 *
 * A parked request is the state of a stackless coroutine (struct ring_req)
 * in the ring's fixed pool; the poller resumes it when its event comes, so
 * completions come back out of order, matched by user_data.  No heap
 * allocation and bounded memory per ring; when the pool or the CQ (plus
 * its overflow list) has no room for one more completion, the poller stops
 * taking SQEs until there is: back-pressure, nothing dropped.  (A stackful
 * design would need a stack per parked operation; a state record is smaller
 * and is what a poll-style C executor naturally has.)
 *
 * IO core only: the ring's private fields (ring.h: "IO core only") need no
 * lock; the ordering contract with the user is at the top of ring.c.
 */
#include "arch/riscv/riscv.h"
#include "core/panic.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "ring/cqe.h"
#include "ring/iocore.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "ring/ring_trace.h"
#include "trace/trace.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

#define RING_BATCH 32

/*
 * Post q's CQE, unless IOSQE_CQE_SKIP_SUCCESS asks for none on success
 * (res >= 0), as Linux; true if it went into the CQ (or was skipped: the
 * trace still shows the completion).
 */
static bool post_q(struct ring *r, const struct ring_req *q, long res)
{
	if ((q->sqe.flags & IOSQE_CQE_SKIP_SUCCESS) && res >= 0)
		return true;
	if (q->parked_once)
		r->evfd_due = true;
	return post_cqe(r, q->sqe.user_data, res, 0);
}

/* Complete a request that was parked. */
static void post(struct ring *r, const struct ring_req *q, long res)
{
	bool in_cq = post_q(r, q, res);

	trace_ring_post(r, q->sqe.user_data, res, in_cq);
}

/*
 * One more CQE of a multishot request that stays parked (q), flagged
 * IORING_CQE_F_MORE, if there is room for it beside what is owed; false if
 * not (the caller then completes q: its last CQE, without the flag).
 */
bool ring_post_more(struct ring *r, struct ring_req *q, long res)
{
	bool in_cq;

	if (!ring_has_cqe_room(r))
		return false;
	r->evfd_due = true;
	in_cq = post_cqe(r, q->sqe.user_data, res, IORING_CQE_F_MORE);
	trace_ring_post(r, q->sqe.user_data, res, in_cq);
	return true;
}

/* Complete a request just taken (q: its private copy). */
static void post_taken(struct ring *r, const struct ring_req *q, long res)
{
	bool in_cq = post_q(r, q, res);

	trace_ring_done(r, q, res, in_cq);
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
			q->parked_once = true;
			r->nparked++;
			trace_coro_park(r, q);
			return q;
		}
	}
	panic("ring %d: no free request record", r->id);
}

static void req_free(struct ring *r, struct ring_req *q)
{
	if (q->state == REQ_POLL)
		ring_poll_unpark(r, q);
	if (q->deferred) { /* only as the ring goes: ring_drop_parked */
		q->deferred = false;
		r->ndeferred--;
	}
	if (q->file) {
		file_put(q->file);
		q->file = NULL;
	}
	q->state = REQ_FREE;
	q->link = NULL;
	r->nparked--;
}

/*
 * A parked request is done, its CQE posted: free it, and if a LINK_TIMEOUT
 * waits for it, that one is disarmed (-ECANCELED, after q's CQE, as Linux).
 */
static void req_done(struct ring *r, struct ring_req *q)
{
	struct ring_req *lt = q->ltimeout;

	req_free(r, q);
	if (lt) {
		q->ltimeout = NULL;
		lt->ltarget = NULL;
		post(r, lt, -ECANCELED);
		req_free(r, lt);
	}
}

/*
 * A LINK_TIMEOUT (lt) fired before its request: -ETIME for it, and its
 * request is cancelled -- at once if it waits for an event of its own
 * (a file, a time), or when its turn comes if it waits behind its chain or
 * a drain (its prep_err: it completes with -ECANCELED then), and the
 * chain's rest with it.
 */
static void link_timeout_fire(struct ring *r, struct ring_req *lt)
{
	struct ring_req *q = lt->ltarget;

	lt->ltarget = NULL;
	post(r, lt, -ETIME);
	req_free(r, lt);
	if (!q)
		return;
	q->ltimeout = NULL;
	if (q->state == REQ_POLL || q->state == REQ_TIMER)
		ring_finish_parked(r, q, -ECANCELED);
	else
		q->prep_err = -ECANCELED;
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
		trace_coro_resume(r, q);
		if (failed) {
			post(r, q, -ECANCELED);
			req_done(r, q);
		} else {
			long res = q->prep_err ? q->prep_err
					       : ring_req_issue(r, q);

			if (res == RING_PARKED) {
				q->link = next;
				trace_coro_park(
					r, q); /* parks again (a TIMEOUT) */
				return;
			}
			failed = ring_req_failed(q, res);
			post(r, q, res);
			req_done(r, q);
		}
		if (tail) {
			/* the open chain's last member is done */
			r->chain_tail = NULL;
			r->chain_failed = failed;
		}
		q = next;
	}
}

/*
 * A parked request's event came (or it was cancelled): complete it, then
 * run its chain's rest.
 */
void ring_finish_parked(struct ring *r, struct ring_req *q, long res)
{
	struct ring_req *next = q->link;
	bool failed = ring_req_failed(q, res);

	if (q == r->chain_tail) {
		r->chain_tail = NULL;
		r->chain_failed = failed;
	}
	trace_coro_resume(r, q);
	post(r, q, res);
	req_done(r, q);
	run_waiting(r, next, failed);
}

/* Expire timeouts and count-satisfied timeouts; returns whether any did. */
static bool run_timers(struct ring *r)
{
	uint64_t now;
	bool fired = false;

	if (!r->nparked)
		return false;
	now = rdtime();
	for (int i = 0; i < RING_REQS; i++) {
		struct ring_req *q = &r->reqs[i];

		long res;

		if (q->state != REQ_TIMER)
			continue;
		if (q->sqe.opcode == IORING_OP_LINK_TIMEOUT) {
			if (q->deadline <= now) {
				link_timeout_fire(r, q);
				fired = true;
			}
			continue;
		}
		if (q->count_target && ring_timeout_seq(r) >= q->count_target)
			res = 0;
		else if (q->deadline <= now)
			res = -ETIME;
		else
			continue;
		/* as Linux: a timeout's CQE does not count for the others;
		 * release: pairs with the acquire in sys_io_uring_enter, whose
		 * wait it ends */
		__atomic_store_n(&r->cq_timeouts, r->cq_timeouts + 1,
				 __ATOMIC_RELEASE);
		ring_finish_parked(r, q, res);
		fired = true;
	}
	return fired;
}

/*
 * The ring goes (IO core): let go of what its parked requests hold, without
 * completing them (nobody is left to see it).
 */
void ring_drop_parked(struct ring *r)
{
	for (int i = 0; r->nparked && i < RING_REQS; i++)
		if (r->reqs[i].state != REQ_FREE)
			req_free(r, &r->reqs[i]);
	r->defer_head = r->defer_tail = NULL;
}

/* The earliest parked timeout on the ring, or ~0. */
uint64_t ring_next_deadline(struct ring *r)
{
	uint64_t t = ~0UL;

	for (int i = 0; r->nparked && i < RING_REQS; i++)
		if (r->reqs[i].state == REQ_TIMER && r->reqs[i].deadline < t)
			t = r->reqs[i].deadline;
	return t;
}

/*
 * Deferred requests (IOSQE_IO_DRAIN), as Linux's defer list: a drain
 * request that finds requests in flight waits in r->defer (first in, first
 * out, through next_defer), and while that list is not empty every request
 * taken queues behind it (REQ_WAIT_DRAIN, with its chain's members: all
 * marked deferred).  The front goes when it may: a drain request once
 * everything in flight is deferred (all taken before it has completed),
 * any other at once.  So a drain request starts once everything before it
 * has finished, and nothing after it starts before it does.
 */
static void defer_add(struct ring *r, struct ring_req *q)
{
	q->deferred = true;
	r->ndeferred++;
	q->next_defer = NULL;
	if (r->defer_tail)
		r->defer_tail->next_defer = q;
	else
		r->defer_head = q;
	r->defer_tail = q;
}

/* q and its chain's waiting members are deferred no more. */
static void undefer_chain(struct ring *r, struct ring_req *q)
{
	for (; q && q->deferred; q = q->link) {
		q->deferred = false;
		r->ndeferred--;
	}
}

/* Start the deferred requests that may go now; any? */
static bool run_deferred(struct ring *r)
{
	struct ring_req *q;
	bool ran = false;

	while ((q = r->defer_head)) {
		if ((q->sqe.flags & IOSQE_IO_DRAIN) && r->nparked > r->ndeferred)
			break; /* something taken before it is in flight */
		r->defer_head = q->next_defer;
		if (!r->defer_head)
			r->defer_tail = NULL;
		q->next_defer = NULL;
		undefer_chain(r, q);
		run_waiting(r, q, false);
		ran = true;
	}
	return ran;
}

/*
 * A LINK_TIMEOUT (tmp; prep gave res) bounds the request before it in its
 * chain, as Linux: that one must have IOSQE_IO_LINK (else -EINVAL).  If it
 * is still parked, the timeout parks beside it (REQ_TIMER, its time from
 * now): whichever comes first cancels the other (req_done,
 * link_timeout_fire).  If it completed at once, the timeout has nothing
 * to bound: -ECANCELED.  The chain goes on behind the request, not the
 * timeout.  Returns whether it failed to submit.
 */
static bool take_link_timeout(struct ring *r, struct ring_req *tmp, long res,
			      bool link)
{
	struct ring_req *target = r->chain_tail;
	struct ring_req *lt;

	if (!r->in_chain)
		res = -EINVAL;
	if (res) {
		/* it fails to submit, and fails the chain it is in: its
		 * request too, as Linux, if that still waits for an event */
		post_taken(r, tmp, res);
		r->chain_failed = r->in_chain;
		r->chain_tail = NULL;
		r->in_chain = r->in_chain && link;
		if (target && (target->state == REQ_POLL ||
			       target->state == REQ_TIMER))
			ring_finish_parked(r, target, -ECANCELED);
		else if (target)
			target->prep_err = -ECANCELED;
		return true;
	}
	if (!target) {
		post_taken(r, tmp, -ECANCELED); /* its request is done */
		r->in_chain = link;
		return false;
	}
	tmp->deadline += rdtime();
	tmp->ltarget = target;
	trace_ring_take(r, tmp);
	lt = park(r, tmp, REQ_TIMER);
	target->ltimeout = lt;
	r->in_chain = link; /* the chain goes on behind its target */
	if (!link)
		r->chain_tail = NULL;
	return false;
}

/*
 * Start one SQE (tmp: its private copy, on the stack).  Returns whether it
 * failed to submit (its prep failed: Linux's io_submit_sqe error), which
 * ends an io_uring_enter's submission unless IORING_SETUP_SUBMIT_ALL.
 */
static bool take_sqe(struct ring *r, struct ring_req *tmp)
{
	bool link = tmp->sqe.flags & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK);
	bool failed = false;
	struct ring_req *parked = NULL;
	long res, prep;

	if (r->in_chain && r->chain_failed) {
		post_taken(r, tmp, -ECANCELED);
		r->in_chain = link;
		r->chain_failed = link;
		return false;
	}
	res = prep = ring_req_prep(r, tmp);
	if (tmp->sqe.opcode == IORING_OP_LINK_TIMEOUT)
		return take_link_timeout(r, tmp, res, link);
	if (r->in_chain && r->chain_tail) {
		/* its predecessor is parked: wait behind it, prepared or with
		 * the error its prep gave */
		tmp->prep_err = res;
		trace_ring_take(r, tmp);
		parked = park(r, tmp, REQ_WAIT_LINK);
		if (r->chain_tail->deferred) {
			parked->deferred = true;
			r->ndeferred++;
		}
		r->chain_tail->link = parked;
		r->chain_tail = link ? parked : NULL;
		r->in_chain = link;
		return prep != 0;
	}
	if (!res && (r->defer_head ||
		     ((tmp->sqe.flags & IOSQE_IO_DRAIN) && r->nparked))) {
		trace_ring_take(r, tmp);
		parked = park(r, tmp, REQ_WAIT_DRAIN);
		defer_add(r, parked);
	} else {
		if (!res)
			res = ring_req_issue(r, tmp);
		if (res == RING_PARKED) {
			trace_ring_take(r, tmp);
			parked = park(r, tmp, tmp->state);
		} else {
			failed = ring_req_failed(tmp, res);
			post_taken(r, tmp, res);
		}
	}
	r->in_chain = link;
	r->chain_tail = link ? parked : NULL;
	r->chain_failed = link && !parked && failed;
	return prep != 0;
}

/* SQEs the user has published and the kernel not yet taken. */
uint32_t sq_pending(struct ring *r)
{
	/* acquire: pairs with the user's release store of the SQ tail */
	return __atomic_load_n(r->sq_tail, __ATOMIC_ACQUIRE) - r->sq_head_k;
}

/*
 * Is an io_uring_enter waiting to have SQEs taken (a ring without
 * SQPOLL)?  Noticing a new one starts its count.
 */
static bool enter_active(struct ring *r)
{
	/* acquire: pairs with the release store of enter_seq in ring.c,
	 * after enter_limit */
	uint32_t seq = __atomic_load_n(&r->enter_seq, __ATOMIC_ACQUIRE);

	if (seq == r->enter_ack)
		return false;
	if (seq != r->enter_doing) {
		r->enter_doing = seq;
		r->enter_start = r->sq_head_k;
		r->submit_failed = false;
	}
	return true;
}

/*
 * How many SQEs the poller may take now: a SQPOLL ring's every published
 * one; another ring's only up to what an io_uring_enter asked for.
 */
static uint32_t takeable(struct ring *r, uint32_t pending)
{
	if (r->setup_flags & IORING_SETUP_SQPOLL)
		return pending;
	if (!enter_active(r) || r->submit_failed)
		return 0;
	return MIN(pending, r->enter_limit - r->sq_head_k);
}

uint32_t sq_takeable(struct ring *r)
{
	return takeable(r, sq_pending(r));
}

/*
 * After a turn: the io_uring_enter being served is done if everything it
 * asked for is taken, an SQE failed to submit, or nothing more can be taken
 * now (no room for completions or request records): its result (the count taken; -EBUSY for none and no room) goes back with
 * the SQ head and the CQ already published.
 */
static void enter_finish(struct ring *r)
{
	uint32_t taken;

	if ((r->setup_flags & IORING_SETUP_SQPOLL) || !enter_active(r))
		return;
	taken = MIN(r->sq_head_k - r->enter_start,
		    r->enter_limit - r->enter_start);
	if (!r->submit_failed && (int32_t)(r->sq_head_k - r->enter_limit) < 0 &&
	    sq_pending(r) && ring_has_room(r))
		return; /* more to take */
	r->enter_result =
		taken ? (int32_t)taken : (ring_has_room(r) ? 0 : -EBUSY);
	/* release: the result, and the SQ head and CQ published before it;
	 * pairs with the acquire load of enter_ack in ring.c */
	__atomic_store_n(&r->enter_ack, r->enter_doing, __ATOMIC_RELEASE);
	iocore_notify_normal();
}

/* One turn of a ring's poller task; returns whether it did anything. */
bool ring_poll(struct ring *r)
{
	bool worked;
	uint32_t n, pending;

	trace_ring_poll_begin(r);
	worked = flush_overflow(r);
	worked |= ring_run_polls(r);
	worked |= run_timers(r);
	worked |= run_deferred(r);
	pending = sq_pending(r); /* the tail, read once */
	n = takeable(r, pending);
	if (n && pending > r->sq_entries) {
		n = pending;
		/* a garbage tail: more than the ring holds.  Drop it all. */
		__atomic_add_fetch(r->sq_dropped, n, __ATOMIC_RELAXED);
		r->sq_head_k += n;
		n = 0;
		worked = true;
	}
	for (uint32_t i = 0;
	     i < n && i < RING_BATCH && ring_has_room(r); i++) {
		uint32_t idx = READ_ONCE(
			r->sq_array[r->sq_head_k & (r->sq_entries - 1)]);
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
		tmp.link = tmp.next_defer = NULL;
		tmp.ltimeout = tmp.ltarget = NULL;
		tmp.deferred = false;
		tmp.file = NULL;
		tmp.prep_err = 0;
		tmp.short_io = tmp.parked_once = false;
		tmp.poll_retry = false;
		tmp.deadline = tmp.count_target = 0;
		tmp.taken = unlikely(trace_on) ? rdtime() : 0;
		if (take_sqe(r, &tmp) &&
		    !(r->setup_flags &
		      (IORING_SETUP_SQPOLL | IORING_SETUP_SUBMIT_ALL))) {
			r->submit_failed = true; /* the enter stops here */
			break;
		}
	}
	if (worked) {
		/* release: pairs with the acquire load of the SQ head in
		 * io_uring_get_sqe (the SQE slots are free again) */
		__atomic_store_n(r->sq_head, r->sq_head_k, __ATOMIC_RELEASE);
		publish_cq(r);
	}
	enter_finish(r);
	trace_ring_poll_end(r, worked);
	return worked;
}
