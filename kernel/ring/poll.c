/*
 * Requests that wait for a file to be ready (REQ_POLL), as Linux's
 * io_uring/poll.c: IORING_OP_POLL_ADD (one-shot, or multishot with
 * IORING_POLL_ADD_MULTI: a CQE flagged IORING_CQE_F_MORE per event),
 * IORING_OP_POLL_REMOVE (cancel, or update the events or user_data), and
 * the reads and writes (ops with .pollin/.pollout) whose file said -EAGAIN
 * where a blocking call would wait (a pipe without O_NONBLOCK): they wait
 * for poll to say ready, then are issued again, as Linux arms a poll for
 * them (or -ERETRY, a lock the file could not take: again next pass).
 *
 * How the waiting works: every change of a file's readiness calls
 * poll_wake() (fs/poll.c), which counts it in poll_seq and, while any
 * request waits here (ring_poll_waiters), kicks the IO core; each pass,
 * a ring whose requests wait looks at them again if poll_seq moved since
 * it last looked (ring_run_polls).  Ordering: the count of waiters is
 * raised (seq_cst) before the IO core last reads poll_seq ahead of a sleep
 * (ring_polls_due, from idle_sleep), and poll_wake raises poll_seq
 * (seq_cst) before it reads the count: either the IO core sees the new
 * count or the normal core sees a waiter and kicks it.  poll_seq is read
 * before each look at the files, so a change after the look moves it.
 *
 * A POLL_ADD reports its file's events as Linux's wakeups do (see
 * poll_add_check).
 *
 * IO core only (the ring's private fields, ring.h).
 */
#include "core/types.h"
#include "fs/fs.h"
#include "ring/cqe.h"
#include "ring/opdef.h"
#include "ring/ring.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

#define POLL_ALWAYS (ABI_POLLERR | ABI_POLLHUP) /* as Linux: never masked */

/* Count q as waiting (state REQ_POLL); IO core. */
static void poll_park(struct ring *r, struct ring_req *q)
{
	q->state = REQ_POLL;
	r->npoll++;
	/* seq_cst: pairs with poll_wake's, see the top */
	__atomic_add_fetch(&ring_poll_waiters, 1, __ATOMIC_SEQ_CST);
}

/* q no longer waits (it is issued again, completed or dropped). */
void ring_poll_unpark(struct ring *r, struct ring_req *q)
{
	q->state = REQ_WAIT_LINK; /* neither waiting nor free: being run */
	r->npoll--;
	__atomic_sub_fetch(&ring_poll_waiters, 1, __ATOMIC_RELAXED);
}

/*
 * A read or write (req) gave res: if that means "would wait" on a file
 * that can say when it is ready, park it until then (RING_PARKED);
 * otherwise res stands.  -ERETRY always waits (for the next pass).
 */
long ring_poll_arm(struct ring *r, struct ring_req *req, long res)
{
	struct file *f = req->file;

	if (res == -ERETRY) {
		req->poll_retry = r->poll_retry = true;
	} else if (f && f->ops->ring_nowait && !f->nonblock) {
		req->poll_retry = false;
		req->poll_events = req->def->pollin ? ABI_POLLIN : ABI_POLLOUT;
	} else {
		return res;
	}
	poll_park(r, req);
	return RING_PARKED;
}

/* The ready events of q's file that q waits for (0: none yet). */
static unsigned int poll_ready(const struct ring_req *q)
{
	return file_poll(q->file) & (q->poll_events | POLL_ALWAYS);
}

/*
 * Look at a waiting POLL_ADD request: it reports the ready events it waits
 * for, or, if its file had an event for them since it last looked whose
 * readiness has gone again (the data read at once), the event's key, as
 * Linux's wait-queue wakeups carry one.  A file that counts its events
 * (file_poll_events) reports once per event -- a multishot request posts
 * a CQE per event -- or at once when first looked at (poll_fire_now); one
 * that does not, whenever it is looked at and ready.  One-shot, it
 * completes; multishot, it posts flagged IORING_CQE_F_MORE and waits on,
 * unless the CQ has no room for one more (then it completes: its last).
 */
static void poll_add_check(struct ring *r, struct ring_req *q)
{
	unsigned int key, mask;
	uint64_t ev = file_poll_events(q->file, q->poll_events, &key);
	bool evented = ev != q->poll_seen;
	uint64_t n = key && evented ? ev - q->poll_seen : 1;

	mask = poll_ready(q); /* after the count: see the top */
	if (key && !evented && !q->poll_fire_now)
		return;
	if (!mask && evented)
		mask = key & (q->poll_events | POLL_ALWAYS);
	q->poll_seen = ev;
	q->poll_fire_now = false;
	if (!mask)
		return;
	if (q->poll_multi) {
		/* one CQE per event since it last looked */
		while (n-- && ring_post_more(r, q, mask))
			;
		if (n == ~0UL)
			return; /* all posted: it waits on */
	}
	ring_finish_parked(r, q, mask);
}

/* Look at one waiting request again. */
static void poll_check(struct ring *r, struct ring_req *q)
{
	long res;

	if (q->sqe.opcode == IORING_OP_POLL_ADD) {
		poll_add_check(r, q);
		return;
	}
	if (!q->poll_retry && !poll_ready(q))
		return;
	/* ready (or a lock to try again): issue it again */
	ring_poll_unpark(r, q);
	res = ring_req_issue(r, q);
	if (res != RING_PARKED)
		ring_finish_parked(r, q, res);
}

/* Look at the ring's waiting requests if something changed; any done? */
bool ring_run_polls(struct ring *r)
{
	uint64_t seq;
	int before = r->nparked;
	uint64_t posted = r->cqes_posted;

	if (!r->npoll)
		return false;
	/* seq_cst: pairs with poll_wake's, see the top */
	seq = __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST);
	if (seq == r->poll_seq_seen && !r->poll_retry)
		return false;
	r->poll_seq_seen = seq;
	r->poll_retry = false;
	for (int i = 0; r->npoll && i < RING_REQS; i++)
		if (r->reqs[i].state == REQ_POLL)
			poll_check(r, &r->reqs[i]);
	return r->nparked != before || r->cqes_posted != posted;
}

/* Must the IO core look at this ring's waiting requests before it sleeps? */
bool ring_polls_due(struct ring *r)
{
	return r->npoll &&
	       (r->poll_retry || __atomic_load_n(&poll_seq, __ATOMIC_SEQ_CST) !=
					 r->poll_seq_seen);
}

/* The events of a POLL_ADD or POLL_REMOVE update, as Linux parses them. */
static uint32_t poll_parse_events(const struct io_uring_sqe *sqe)
{
	/* poll32_events is word-reversed on big-endian hosts only */
	return sqe->poll32_events;
}

long poll_add_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	uint32_t flags = sqe->len;

	if (sqe->buf_index || sqe->off || sqe->addr)
		return -EINVAL;
	if (flags & ~IORING_POLL_ADD_MULTI)
		return -EINVAL;
	if ((flags & IORING_POLL_ADD_MULTI) &&
	    (sqe->flags & IOSQE_CQE_SKIP_SUCCESS))
		return -EINVAL;
	req->poll_events = poll_parse_events(sqe);
	req->poll_multi = flags & IORING_POLL_ADD_MULTI;
	return 0;
}

/*
 * One-shot and ready now: complete.  Else wait; a multishot one ready now
 * posts on the next pass (poll_fire_now), parked, so that the CQE is
 * counted beside the one it owes.
 */
long poll_add_issue(struct ring *r, struct ring_req *req)
{
	unsigned int key, mask;

	req->poll_seen = file_poll_events(req->file, req->poll_events, &key);
	mask = poll_ready(req);
	if (mask && !req->poll_multi)
		return mask;
	req->poll_retry = false;
	req->poll_fire_now = mask != 0;
	r->poll_retry |= req->poll_fire_now;
	poll_park(r, req);
	return RING_PARKED;
}

/* The waiting POLL_ADD request with this user_data, or NULL. */
static struct ring_req *poll_find(struct ring *r, uint64_t user_data)
{
	for (int i = 0; r->npoll && i < RING_REQS; i++) {
		struct ring_req *q = &r->reqs[i];

		if (q->state == REQ_POLL && q->sqe.opcode == IORING_OP_POLL_ADD &&
		    q->sqe.user_data == user_data)
			return q;
	}
	return NULL;
}

long poll_remove_prep(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	uint32_t flags = sqe->len;

	if (sqe->buf_index || sqe->splice_fd_in)
		return -EINVAL;
	if (flags & ~(IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA |
		      IORING_POLL_ADD_MULTI))
		return -EINVAL;
	if (flags == IORING_POLL_ADD_MULTI)
		return -EINVAL; /* meaningless without an update */
	if (!(flags & IORING_POLL_UPDATE_EVENTS) && sqe->poll32_events)
		return -EINVAL;
	return 0;
}

/*
 * POLL_REMOVE: addr is the user_data of a waiting POLL_ADD.  Without an
 * update flag it is cancelled (its CQE -ECANCELED); with
 * IORING_POLL_UPDATE_EVENTS it waits for poll32_events now (multishot if
 * IORING_POLL_ADD_MULTI), with IORING_POLL_UPDATE_USER_DATA its user_data
 * becomes off.  0, or -ENOENT if there is no such request.
 */
long poll_remove_issue(struct ring *r, struct ring_req *req)
{
	const struct io_uring_sqe *sqe = &req->sqe;
	uint32_t flags = sqe->len;
	struct ring_req *q = poll_find(r, sqe->addr);

	if (!q)
		return -ENOENT;
	if (!(flags & (IORING_POLL_UPDATE_EVENTS |
		       IORING_POLL_UPDATE_USER_DATA))) {
		ring_finish_parked(r, q, -ECANCELED);
		return 0;
	}
	if (flags & IORING_POLL_UPDATE_EVENTS) {
		unsigned int key;

		q->poll_events = poll_parse_events(sqe);
		q->poll_multi = flags & IORING_POLL_ADD_MULTI;
		q->poll_seen =
			file_poll_events(q->file, q->poll_events, &key);
	}
	if (flags & IORING_POLL_UPDATE_USER_DATA)
		q->sqe.user_data = sqe->off;
	q->poll_fire_now = true; /* re-armed: it may be ready now */
	poll_add_check(r, q);
	return 0;
}
