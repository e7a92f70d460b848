/*
 * timerfd(2): timerfd_create makes a file that counts a timer's
 * expirations; timerfd_settime arms it (relative, or TFD_TIMER_ABSTIME:
 * when the clock reads it_value; it_interval: again every so long; an
 * it_value of 0 disarms) and resets the count, giving the old setting;
 * timerfd_gettime gives the time left and the interval.  A read of at least
 * 8 bytes waits while the count is 0, then returns it (a u64) and sets it
 * to 0; fewer than 8 bytes is -EINVAL; O_NONBLOCK (TFD_NONBLOCK): -EAGAIN
 * instead of waiting.  poll: readable while the count is not 0.
 *
 * Every clock is the time CSR here (core/syscall.c), so REALTIME,
 * MONOTONIC and BOOTTIME timers all run on ticks since boot; the clock is
 * never set, so TFD_TIMER_CANCEL_ON_SET is accepted and never cancels.
 * The alarm clocks need an RTC this kernel does not drive: -EINVAL, as
 * clock_gettime gives for them.
 *
 * Expirations are counted from time, not from wakeups: an armed timer
 * keeps its next expiration (next, in ticks) and the count settles lazily
 * (settle(): every period that has ended since, one each), so a periodic
 * timer read after 3 periods says 3 however late its reader ran.  The
 * timer scan (wakeup_timers, core/proc.c) calls timerfd_timers(), which
 * settles each armed timer whose time has come, wakes its readers and
 * calls poll_wake(); timerfd_next() gives next_wake_time() the earliest.
 * Armed timers are on a list, and timerfd_armed says whether it is empty.
 *
 * Like eventfd its read may sleep, so timerfd_file_ops is
 * normal_core_only.  timerfd_poll only reads (count and next, each one
 * aligned 64-bit word): it is safe on the IO core too.
 *
 * Locking: the normal core only (interrupts off, not preemptible), so a
 * check followed by sleep_on() cannot miss the wakeup; poll's reads from
 * the IO core take no lock.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/proc.h"
#include "core/signal.h"
#include "core/string.h"
#include "core/syscall.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define NSEC 1000000000UL

struct timerfd {
	uint64_t count;		      /* expirations not yet read */
	uint64_t next;		      /* next expiration, ticks (0: disarmed) */
	uint64_t every;		      /* the period in ticks (0: one-shot) */
	struct abi_timespec interval; /* as set, for gettime */
	int clock;
	struct timerfd *prev_armed, *next_armed; /* while armed */
};

static struct timerfd *armed; /* the armed timers */
bool timerfd_armed;	      /* armed != NULL, for the timer scan */

static void arm(struct timerfd *t)
{
	t->prev_armed = NULL;
	t->next_armed = armed;
	if (armed)
		armed->prev_armed = t;
	armed = t;
	timerfd_armed = true;
}

static void disarm(struct timerfd *t)
{
	if (!t->next)
		return;
	if (t->prev_armed)
		t->prev_armed->next_armed = t->next_armed;
	else
		armed = t->next_armed;
	if (t->next_armed)
		t->next_armed->prev_armed = t->prev_armed;
	WRITE_ONCE(t->next, 0);
	timerfd_armed = armed != NULL;
}

/* Count the expirations up to now; true if there were any. */
static bool settle(struct timerfd *t, uint64_t now)
{
	uint64_t n;

	if (!t->next || now < t->next)
		return false;
	if (!t->every) {
		disarm(t);
		n = 1;
	} else {
		n = (now - t->next) / t->every + 1;
		WRITE_ONCE(t->next, t->next + n * t->every);
	}
	WRITE_ONCE(t->count, t->count + n);
	return true;
}

/* The timer scan (wakeup_timers): every timer whose time has come. */
void timerfd_timers(uint64_t now)
{
	struct timerfd *t = armed, *next;
	bool any = false;

	for (; t; t = next) {
		next = t->next_armed; /* settle() may take t off the list */
		if (settle(t, now)) {
			wakeup(t);
			any = true;
		}
	}
	if (any)
		poll_wake();
}

/* The earliest armed expiration (next_wake_time), or ~0. */
uint64_t timerfd_next(void)
{
	uint64_t when = ~0UL;

	for (struct timerfd *t = armed; t; t = t->next_armed)
		when = MIN(when, t->next);
	return when;
}

static uint64_t ts_ticks(const struct abi_timespec *ts)
{
	return ns_to_ticks(ts->tv_sec, ts->tv_nsec);
}

static void ticks_ts(uint64_t t, struct abi_timespec *ts)
{
	ts->tv_sec = t / timebase_hz;
	ts->tv_nsec = t % timebase_hz * NSEC / timebase_hz;
}

static bool ts_valid(const struct abi_timespec *ts)
{
	return ts->tv_sec >= 0 && (uint64_t)ts->tv_nsec < NSEC;
}

static long timerfd_read(struct file *f, const struct uview *v, uint64_t udst,
			 size_t n, int64_t off)
{
	struct timerfd *t = f->private;
	uint64_t val;

	if (n < sizeof(val))
		return -EINVAL;
	for (;;) {
		long r;

		settle(t, rdtime());
		if (t->count)
			break;
		if (f->nonblock)
			return -EAGAIN;
		r = sleep_on_intr(t, 0); /* a signal ends it, as Linux */
		if (r)
			return r;
	}
	val = t->count;
	if (uview_copyout(v, udst, &val, sizeof(val)) < 0)
		return -EFAULT;
	WRITE_ONCE(t->count, 0);
	return sizeof(val);
}

/* Only reads: safe on either core. */
static unsigned int timerfd_poll(struct file *f)
{
	const struct timerfd *t = f->private;
	uint64_t next = READ_ONCE(t->next);

	if (READ_ONCE(t->count) || (next && rdtime() >= next))
		return ABI_POLLIN | ABI_POLLRDNORM;
	return 0;
}

static void timerfd_release(void *private)
{
	disarm(private);
	kfree(private);
}

const struct file_ops timerfd_file_ops = {
	.read = timerfd_read,
	.stat = anon_inode_stat,
	.poll = timerfd_poll,
	.release = timerfd_release,
	.normal_core_only = true,
};

long sys_timerfd_create(long clock, long flags, long a2, long a3, long a4,
			long a5)
{
	struct proc *p = this_proc();
	struct timerfd *t;
	struct file *f;
	int fd;

	if (flags & ~(ABI_TFD_NONBLOCK | ABI_TFD_CLOEXEC))
		return -EINVAL;
	switch ((int)clock) {
	case ABI_CLOCK_REALTIME:
	case ABI_CLOCK_MONOTONIC:
	case ABI_CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	t = kalloc();
	if (!t)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	t->clock = (int)clock;
	f = file_alloc();
	if (!f) {
		kfree(t);
		return -ENFILE;
	}
	f->ops = &timerfd_file_ops;
	f->readable = f->writable = true; /* O_RDWR, as Linux */
	f->nonblock = flags & ABI_TFD_NONBLOCK;
	f->private = t;
	fd = fd_install(p, f, flags & ABI_TFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* fd's timerfd with a reference, or NULL and *err (-EBADF, -EINVAL) */
static struct file *timerfd_get(struct proc *p, long fd, long *err)
{
	struct file *f = fd_get(p, (int)fd);

	*err = -EBADF;
	if (f && f->ops != &timerfd_file_ops) {
		file_put(f);
		f = NULL;
		*err = -EINVAL;
	}
	return f;
}

/* the setting now, as gettime and settime's old value give it */
static void timerfd_setting(struct timerfd *t, struct abi_itimerspec *its)
{
	uint64_t now = rdtime();

	settle(t, now);
	its->it_interval = t->interval;
	ticks_ts(t->next ? t->next - MIN(now, t->next) : 0, &its->it_value);
	if (t->next && !its->it_value.tv_sec && !its->it_value.tv_nsec)
		its->it_value.tv_nsec = 1; /* still armed: never reads as off */
}

long sys_timerfd_settime(long fd, long flags, long unew, long uold, long a4,
			 long a5)
{
	struct proc *p = this_proc();
	struct abi_itimerspec its, old;
	struct timerfd *t;
	struct file *f;
	uint64_t when;
	long err;

	if (copyin(p->mm->pagetable, &its, unew, sizeof(its)) < 0)
		return -EFAULT;
	if ((flags & ~(ABI_TFD_TIMER_ABSTIME | ABI_TFD_TIMER_CANCEL_ON_SET)) ||
	    !ts_valid(&its.it_value) || !ts_valid(&its.it_interval))
		return -EINVAL;
	f = timerfd_get(p, fd, &err);
	if (!f)
		return err;
	t = f->private;
	timerfd_setting(t, &old);
	disarm(t);
	WRITE_ONCE(t->count, 0);
	t->interval = its.it_interval;
	t->every = ts_ticks(&its.it_interval);
	if (!t->every && (its.it_interval.tv_sec || its.it_interval.tv_nsec))
		t->every = 1; /* below a tick: every tick */
	if (its.it_value.tv_sec || its.it_value.tv_nsec) {
		when = ts_ticks(&its.it_value);
		if (!(flags & ABI_TFD_TIMER_ABSTIME))
			when += rdtime();
		WRITE_ONCE(t->next, MAX(when, 1UL));
		arm(t);
		settle(t, rdtime()); /* an absolute time already past */
		timer_program();
	}
	wakeup(t); /* a reader waits on the new setting */
	poll_wake();
	file_put(f);
	if (uold && copyout(p->mm->pagetable, uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(long fd, long ucur, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct abi_itimerspec its;
	struct file *f;
	long err;

	f = timerfd_get(p, fd, &err);
	if (!f)
		return err;
	timerfd_setting(f->private, &its);
	file_put(f);
	if (copyout(p->mm->pagetable, ucur, &its, sizeof(its)) < 0)
		return -EFAULT;
	return 0;
}
