/*
 * eventfd(2): eventfd2 makes a file holding a 64-bit counter.  A read of
 * at least 8 bytes waits while the counter is 0, then returns it and sets
 * it to 0 (EFD_SEMAPHORE: returns 1 and decrements it); a write of at
 * least 8 bytes adds its value, waiting while the sum would pass
 * 0xfffffffffffffffe; a value of ~0 is -EINVAL, as are fewer than 8
 * bytes.  O_NONBLOCK (EFD_NONBLOCK): -EAGAIN instead of waiting.  poll:
 * readable while the counter is not 0, writable while at least 1 can be
 * added.
 *
 * Like a pipe, ring_nowait: the IO core reads and writes it too (a ring
 * READ or WRITE), never waiting there (-EAGAIN: the ring waits for poll),
 * and signals it for a ring's registered eventfd (eventfd_signal).
 *
 * Locking: e->lock over the counter (the normal core with interrupts off,
 * so a check, unlock and sleep_on() cannot miss a wakeup: the IO core's
 * come through an IPI).  The IO core only tries it inside a ring READ or
 * WRITE (-ERETRY), where it holds the owner's mm_lock and the normal core
 * may hold e->lock while it takes mm_lock; eventfd_signal, with no lock
 * held, takes it.
 */
#include "core/proc.h"
#include "core/signal.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define EVENTFD_MAX 0xfffffffffffffffeUL

struct eventfd {
	struct spinlock lock;
	uint64_t count;
	uint64_t in_events, out_events; /* writes, reads: for poll_events */
	bool semaphore;
};

/*
 * The count changed (e->lock held; up: a write): wake readers, writers
 * and pollers.
 */
static void eventfd_changed(struct eventfd *e, bool up)
{
	uint64_t *ev = up ? &e->in_events : &e->out_events;

	__atomic_store_n(ev, *ev + 1, __ATOMIC_RELEASE);
	file_wakeup(e);
	poll_wake();
}

static long eventfd_read(struct file *f, const struct uview *v, uint64_t udst,
			 size_t n, int64_t off)
{
	struct eventfd *e = f->private;
	uint64_t val;
	long r = sizeof(val);

	if (n < sizeof(val))
		return -EINVAL;
	if (!file_state_lock(&e->lock))
		return -ERETRY;
	while (!e->count) {
		if (!file_may_wait(f)) {
			r = -EAGAIN;
			goto out;
		}
		spin_unlock(&e->lock);
		r = sleep_on_intr(e, 0); /* a signal ends it, as Linux */
		if (r)
			return r;
		spin_lock(&e->lock);
	}
	val = e->semaphore ? 1 : e->count;
	if (uview_copyout(v, udst, &val, sizeof(val)) < 0) {
		r = -EFAULT;
		goto out;
	}
	r = sizeof(val);
	__atomic_store_n(&e->count, e->count - val, __ATOMIC_RELEASE);
	eventfd_changed(e, false);
out:
	spin_unlock(&e->lock);
	return r;
}

static long eventfd_write(struct file *f, const struct uview *v,
			  uint64_t usrc, size_t n, int64_t off)
{
	struct eventfd *e = f->private;
	uint64_t val;
	long r = sizeof(val);

	if (n < sizeof(val))
		return -EINVAL;
	if (uview_copyin(v, &val, usrc, sizeof(val)) < 0)
		return -EFAULT;
	if (val == ~0UL)
		return -EINVAL;
	if (!file_state_lock(&e->lock))
		return -ERETRY;
	while (EVENTFD_MAX - e->count < val) {
		if (!file_may_wait(f)) {
			r = -EAGAIN;
			goto out;
		}
		spin_unlock(&e->lock);
		r = sleep_on_intr(e, 0); /* a signal ends it, as Linux */
		if (r)
			return r;
		spin_lock(&e->lock);
	}
	if (val) {
		__atomic_store_n(&e->count, e->count + val, __ATOMIC_RELEASE);
		eventfd_changed(e, true);
	}
out:
	spin_unlock(&e->lock);
	return r;
}

/*
 * Add n to the counter of an eventfd (a ring's registered one, on the IO
 * core, no lock held), as Linux's eventfd_signal: never waits, adds what
 * fits.  f must be an eventfd (eventfd_file).
 */
void eventfd_signal(struct file *f, uint64_t n)
{
	struct eventfd *e = f->private;

	spin_lock(&e->lock);
	n = MIN(n, EVENTFD_MAX - e->count);
	if (n) {
		__atomic_store_n(&e->count, e->count + n, __ATOMIC_RELEASE);
		eventfd_changed(e, true);
	}
	spin_unlock(&e->lock);
}

bool eventfd_file(const struct file *f)
{
	return f->ops == &eventfd_file_ops;
}

static unsigned int eventfd_poll(struct file *f)
{
	struct eventfd *e = f->private;
	uint64_t count = __atomic_load_n(&e->count, __ATOMIC_ACQUIRE);
	unsigned int mask = 0;

	if (count)
		mask |= ABI_POLLIN | ABI_POLLRDNORM;
	if (count < EVENTFD_MAX)
		mask |= ABI_POLLOUT | ABI_POLLWRNORM;
	return mask;
}

/* writes make it readable, reads writable */
static uint64_t eventfd_poll_events(struct file *f, unsigned int want,
				    unsigned int *key)
{
	struct eventfd *e = f->private;
	uint64_t n = 0;

	if (want & (ABI_POLLIN | ABI_POLLRDNORM)) {
		*key |= ABI_POLLIN | ABI_POLLRDNORM;
		n += __atomic_load_n(&e->in_events, __ATOMIC_ACQUIRE);
	}
	if (want & (ABI_POLLOUT | ABI_POLLWRNORM)) {
		*key |= ABI_POLLOUT | ABI_POLLWRNORM;
		n += __atomic_load_n(&e->out_events, __ATOMIC_ACQUIRE);
	}
	return n;
}

static void eventfd_release(void *private)
{
	kfree(private);
}

const struct file_ops eventfd_file_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.stat = anon_inode_stat,
	.poll = eventfd_poll,
	.poll_events = eventfd_poll_events,
	.release = eventfd_release,
	.ring_nowait = true,
};

long sys_eventfd2(long initval, long flags, long a2, long a3, long a4,
		  long a5)
{
	struct proc *p = this_proc();
	struct eventfd *e;
	struct file *f;
	int fd;

	if (flags & ~(ABI_EFD_SEMAPHORE | ABI_EFD_NONBLOCK | ABI_EFD_CLOEXEC))
		return -EINVAL;
	e = kalloc();
	if (!e)
		return -ENOMEM;
	memset(e, 0, sizeof(*e));
	e->lock = (struct spinlock)SPINLOCK_INIT("eventfd");
	e->count = (uint32_t)initval; /* an unsigned int on Linux */
	e->semaphore = flags & ABI_EFD_SEMAPHORE;
	f = file_alloc();
	if (!f) {
		kfree(e);
		return -ENFILE;
	}
	f->ops = &eventfd_file_ops;
	f->readable = f->writable = true;
	f->nonblock = flags & ABI_EFD_NONBLOCK;
	f->private = e;
	fd = fd_install(p, f, flags & ABI_EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
