/*
 * User-level coroutines over a ring (see coro.h).  One scheduler per
 * process is current at a time (co_run); no locking: a process has one
 * thread.
 */
#include <coro.h>
#include <stdlib.h>
#include <string.h>

#define CO_STACK (16 * 1024)

void co_switch(struct co_ctx *from, struct co_ctx *to);
void co_entry(void);

static struct co_sched *running; /* the scheduler inside co_run */

struct co_sched *co_current_sched(void)
{
	return running;
}

void co_init(struct co_sched *s, struct io_uring *ring)
{
	memset(s, 0, sizeof(*s));
	s->ring = ring;
}

static void make_ready(struct co_sched *s, struct coro *c)
{
	c->next = NULL;
	if (s->ready_tail)
		s->ready_tail->next = c;
	else
		s->ready = c;
	s->ready_tail = c;
}

/* Entered on the coroutine's own stack (co_entry). */
void co_trampoline(struct coro *c)
{
	c->fn(c->arg);
	c->done = 1;
	c->sched->live--;
	co_switch(&c->ctx, &c->sched->main);
}

int co_spawn(struct co_sched *s, void (*fn)(void *), void *arg)
{
	struct coro *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->stack = malloc(CO_STACK);
	if (!c->stack) {
		free(c);
		return -ENOMEM;
	}
	c->sched = s;
	c->fn = fn;
	c->arg = arg;
	c->ctx.sp = ((unsigned long)c->stack + CO_STACK) & ~15UL;
	c->ctx.ra = (unsigned long)co_entry;
	c->ctx.s[0] = (unsigned long)c; /* s0: co_entry's argument */
	s->live++;
	make_ready(s, c);
	return 0;
}

/* Park the running coroutine until its CQE comes; returns its result. */
static int park(struct co_sched *s)
{
	struct coro *c = s->current;

	s->parked++;
	co_switch(&c->ctx, &s->main);
	return c->res;
}

/* An SQE for the running coroutine (submitting to make room if full). */
static struct io_uring_sqe *co_sqe(struct co_sched *s)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(s->ring)))
		io_uring_submit(s->ring);
	sqe->user_data = (unsigned long)s->current;
	return sqe;
}

ssize_t co_read(int fd, void *buf, size_t n, off_t off)
{
	struct co_sched *s = running;

	io_uring_prep_read(co_sqe(s), fd, buf, n, off);
	return park(s);
}

ssize_t co_write(int fd, const void *buf, size_t n, off_t off)
{
	struct co_sched *s = running;

	io_uring_prep_write(co_sqe(s), fd, buf, n, off);
	return park(s);
}

int co_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	struct co_sched *s = running;

	io_uring_prep_openat(co_sqe(s), dirfd, path, flags, mode);
	return park(s);
}

int co_close(int fd)
{
	struct co_sched *s = running;

	io_uring_prep_close(co_sqe(s), fd);
	return park(s);
}

int co_nop(void)
{
	struct co_sched *s = running;

	io_uring_prep_nop(co_sqe(s));
	return park(s);
}

/*
 * Run every ready coroutine until it parks or returns; when none is ready,
 * submit what they queued, wait for completions and make their coroutines
 * ready.  Returns 0 when all have returned, or a ring error.
 */
int co_run(struct co_sched *s)
{
	struct co_sched *outer = running;
	int err = 0;

	running = s;
	while (s->live) {
		while (s->ready) {
			struct coro *c = s->ready;

			s->ready = c->next;
			if (!s->ready)
				s->ready_tail = NULL;
			s->current = c;
			s->switches++;
			co_switch(&s->main, &c->ctx);
			s->current = NULL;
			if (c->done) {
				free(c->stack);
				free(c);
			}
		}
		if (!s->parked)
			continue;
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_submit(s->ring);
		if (!io_uring_cq_ready(s->ring)) {
			s->waits++;
			err = io_uring_wait_cqe(s->ring, &cqe);
			if (err)
				break;
		}
		io_uring_for_each_cqe(s->ring, head, cqe) {
			struct coro *c = io_uring_cqe_get_data(cqe);

			c->res = cqe->res;
			s->parked--;
			make_ready(s, c);
			n++;
		}
		io_uring_cq_advance(s->ring, n);
	}
	running = outer;
	return err;
}
