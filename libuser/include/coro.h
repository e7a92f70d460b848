/*
 * User-level coroutines over a ring: code that looks synchronous
 * (co_read(), co_write(), ...) but parks the calling coroutine until its
 * completion arrives, while the scheduler runs the others.  Several
 * operations are in flight at once; the scheduler submits them together
 * when every coroutine is parked, waits for completions in the kernel
 * (io_uring_enter GETEVENTS), and resumes each coroutine when the CQE whose
 * user_data names it comes back.  Stackful: each coroutine has its own
 * stack (malloc'd), so calls can park at any depth.
 *
 *   struct co_sched s;
 *   co_init(&s, &ring);
 *   co_spawn(&s, fn, arg);          // as many as wanted
 *   co_run(&s);                     // until all have returned
 */
#ifndef LIBUSER_CORO_H
#define LIBUSER_CORO_H

#include <liburing.h>
#include <stddef.h>
#include <sys/types.h>

struct co_ctx {
	unsigned long ra, sp, s[12];
};

struct coro {
	struct co_ctx ctx;
	struct co_sched *sched;
	void (*fn)(void *);
	void *arg;
	void *stack;
	int res;	   /* the completion's result */
	int done;
	struct coro *next; /* in the ready list */
};

struct co_sched {
	struct io_uring *ring;
	struct co_ctx main; /* co_run's context */
	struct coro *current;
	struct coro *ready, *ready_tail;
	int live;	 /* coroutines not yet returned */
	int parked;	 /* waiting for a completion */
	long switches;	 /* statistics */
	long waits;	 /* io_uring_enter(GETEVENTS) calls */
};

void co_init(struct co_sched *s, struct io_uring *ring);
int co_spawn(struct co_sched *s, void (*fn)(void *), void *arg);
int co_run(struct co_sched *s);
/* in a coroutine: the result of one operation, as the ring returns it */
ssize_t co_read(int fd, void *buf, size_t n, off_t off);
ssize_t co_write(int fd, const void *buf, size_t n, off_t off);
int co_openat(int dirfd, const char *path, int flags, mode_t mode);
int co_close(int fd);
int co_nop(void);
/* the running coroutine's scheduler */
struct co_sched *co_current_sched(void);

#endif
