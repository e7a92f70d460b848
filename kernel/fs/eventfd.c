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
 * Like a pipe it may sleep, so eventfd_file_ops is normal_core_only: a
 * ring operation on an eventfd gives -EAGAIN.
 *
 * Locking: the normal core only (interrupts off, not preemptible), so a
 * check followed by sleep_on() cannot miss the wakeup.
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
	uint64_t count;
	bool semaphore;
};

static long eventfd_read(struct file *f, const struct uview *v, uint64_t udst,
			 size_t n, int64_t off)
{
	struct eventfd *e = f->private;
	uint64_t val;

	if (n < sizeof(val))
		return -EINVAL;
	while (!e->count) {
		long r;

		if (f->nonblock)
			return -EAGAIN;
		r = sleep_on_intr(e, 0); /* a signal ends it, as Linux */
		if (r)
			return r;
	}
	val = e->semaphore ? 1 : e->count;
	if (uview_copyout(v, udst, &val, sizeof(val)) < 0)
		return -EFAULT;
	e->count -= val;
	wakeup(e);
	poll_wake();
	return sizeof(val);
}

static long eventfd_write(struct file *f, const struct uview *v,
			  uint64_t usrc, size_t n, int64_t off)
{
	struct eventfd *e = f->private;
	uint64_t val;

	if (n < sizeof(val))
		return -EINVAL;
	if (uview_copyin(v, &val, usrc, sizeof(val)) < 0)
		return -EFAULT;
	if (val == ~0UL)
		return -EINVAL;
	while (EVENTFD_MAX - e->count < val) {
		long r;

		if (f->nonblock)
			return -EAGAIN;
		r = sleep_on_intr(e, 0); /* a signal ends it, as Linux */
		if (r)
			return r;
	}
	e->count += val;
	if (val) {
		wakeup(e);
		poll_wake();
	}
	return sizeof(val);
}

static unsigned int eventfd_poll(struct file *f)
{
	struct eventfd *e = f->private;
	unsigned int mask = 0;

	if (e->count)
		mask |= ABI_POLLIN | ABI_POLLRDNORM;
	if (e->count < EVENTFD_MAX)
		mask |= ABI_POLLOUT | ABI_POLLWRNORM;
	return mask;
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
	.release = eventfd_release,
	.normal_core_only = true,
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
