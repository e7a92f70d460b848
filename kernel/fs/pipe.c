/*
 * Pipes (pipe(7)): pipe2 makes a read end and a write end sharing a ring
 * buffer of PIPE_PAGES pages.  As Linux: a read returns what is there (at
 * most what was asked), waits while the pipe is empty and has writers, and
 * returns 0 (end of file) once it has none; a write waits for room while
 * there are readers, a write of at most PIPE_BUF bytes goes in whole (never
 * interleaved with another), a bigger one may be split and returns when all
 * is written; with no readers left a write is -EPIPE.  O_NONBLOCK: -EAGAIN
 * instead of waiting (a big write then writes what fits).
 *
 * Ring operations (ring_nowait): the IO core reads and writes pipes too,
 * never waiting there: where a read or write would wait it gives -EAGAIN
 * and the ring waits for pipe_poll to say ready (ring/poll.c), as Linux's
 * io_uring; it only tries the lock (-ERETRY if busy), because the normal
 * core may hold it while it takes mm_lock (a page of the buffer coming in)
 * and the IO core holds the ring owner's mm_lock here.  A write with no
 * readers from the ring is -EPIPE without SIGPIPE (no thread of the owner
 * did it).  Wakeups from the IO core go through its deferred work.
 *
 * poll: pipe_poll; every change of the state it reports calls poll_wake()
 * and counts in pp->in_events or out_events (pipe_poll_events).
 *
 * Locking: pp->lock over the buffer, the counters and the end counts (the
 * normal core with interrupts off, so a check, unlock and sleep_on()
 * cannot miss a wakeup: the IO core's come through an IPI); lock order:
 * pp->lock before mm_lock on the normal core, the IO core only trying it.
 */
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define PIPE_PAGES 16 /* 64 KiB, Linux's default capacity */
#define PIPE_SIZE (PIPE_PAGES * PGSIZE)
#define PIPE_BUF 4096 /* writes up to this size are atomic (limits.h) */

struct pipe {
	struct spinlock lock;
	uint8_t *page[PIPE_PAGES];
	uint64_t head, tail; /* free-running: bytes written, bytes read */
	int readers, writers; /* open ends (file references hold them) */
	uint64_t in_events;   /* writes, writer hang-ups: pipe_poll_events */
	uint64_t out_events;  /* reads, reader hang-ups */
};

/*
 * The pipe's state changed (pp->lock held): wake who waits on chan, the
 * readers (&pp->head: data or end of file) or the writers (&pp->tail).
 */
static void pipe_changed(struct pipe *pp, const void *chan)
{
	uint64_t *ev = chan == &pp->head ? &pp->in_events : &pp->out_events;

	__atomic_store_n(ev, *ev + 1, __ATOMIC_RELEASE);
	file_wakeup(chan);
	poll_wake();
}

/* a file's pipe: its private pointer, tagged with the end (pipe_release) */
static struct pipe *pipe_of(const struct file *f)
{
	return (struct pipe *)((uint64_t)f->private & ~1UL);
}

static long pipe_read(struct file *f, const struct uview *v, uint64_t udst,
		      size_t n, int64_t off)
{
	struct pipe *pp = pipe_of(f);
	size_t done = 0;

	if (!file_state_lock(&pp->lock))
		return -ERETRY;
	while (pp->head == pp->tail) {
		long r;

		if (!pp->writers)
			goto out;
		if (!file_may_wait(f)) {
			spin_unlock(&pp->lock);
			return -EAGAIN;
		}
		spin_unlock(&pp->lock);
		r = sleep_on_intr(&pp->head, 0);
		if (r)
			return r;
		spin_lock(&pp->lock);
	}
	while (done < n && pp->tail != pp->head) {
		uint64_t at = pp->tail % PIPE_SIZE;
		size_t m = MIN(n - done, pp->head - pp->tail);

		m = MIN(m, PGSIZE - at % PGSIZE);
		if (uview_copyout(v, udst + done, pp->page[at / PGSIZE] +
						  at % PGSIZE, m) < 0)
			break;
		pp->tail += m;
		done += m;
	}
	if (done)
		pipe_changed(pp, &pp->tail); /* room for writers */
	else
		done = -EFAULT;
out:
	spin_unlock(&pp->lock);
	return done;
}

static long pipe_write(struct file *f, const struct uview *v, uint64_t usrc,
		       size_t n, int64_t off)
{
	struct pipe *pp = pipe_of(f);
	size_t done = 0;
	long err = 0;

	if (!file_state_lock(&pp->lock))
		return -ERETRY;
	while (done < n) {
		size_t room = PIPE_SIZE - (pp->head - pp->tail);
		size_t want = n - done;

		if (!pp->readers) {
			err = -EPIPE;
			if (!done && this_hart()->role == HART_NORMAL)
				signal_send(this_proc(), ABI_SIGPIPE,
					    ABI_SI_USER, this_proc()->pid,
					    0); /* as Linux */
			break;
		}
		/* a small write goes in whole or waits; a big one in pieces */
		if (room == 0 || (n <= PIPE_BUF && room < n)) {
			if (!file_may_wait(f)) {
				err = -EAGAIN;
				break;
			}
			spin_unlock(&pp->lock);
			err = sleep_on_intr(&pp->tail, 0);
			spin_lock(&pp->lock);
			if (err)
				break;
			continue;
		}
		while (want && room) {
			uint64_t at = pp->head % PIPE_SIZE;
			size_t m = MIN(MIN(want, room), PGSIZE - at % PGSIZE);

			if (uview_copyin(v, pp->page[at / PGSIZE] + at % PGSIZE,
					 usrc + done, m) < 0) {
				err = -EFAULT;
				break;
			}
			pp->head += m;
			done += m;
			want -= m;
			room -= m;
		}
		if (done)
			pipe_changed(pp, &pp->head); /* data for readers */
		if (err)
			break;
	}
	spin_unlock(&pp->lock);
	return done ? (long)done : err;
}

static void pipe_stat(struct file *f, struct abi_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = ABI_S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = PGSIZE;
}

static long pipe_ioctl(struct file *f, unsigned int request, uint64_t arg)
{
	struct pipe *pp = pipe_of(f);
	int avail = __atomic_load_n(&pp->head, __ATOMIC_RELAXED) -
		    __atomic_load_n(&pp->tail, __ATOMIC_RELAXED);

	if (request != ABI_FIONREAD)
		return -ENOTTY;
	if (copyout(this_proc()->mm->pagetable, arg, &avail, sizeof(avail)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * As Linux's pipe_poll: the read end is readable with data and hangs up
 * with no writers; the write end is writable with room for PIPE_BUF bytes
 * and in error with no readers.  Either core, without the lock: a snapshot
 * (whatever changes it after counts an event and calls poll_wake()).
 */
static unsigned int pipe_poll(struct file *f)
{
	struct pipe *pp = pipe_of(f);
	uint64_t head = __atomic_load_n(&pp->head, __ATOMIC_ACQUIRE);
	uint64_t tail = __atomic_load_n(&pp->tail, __ATOMIC_ACQUIRE);
	unsigned int mask = 0;

	if (f->readable) {
		if (head != tail)
			mask |= ABI_POLLIN | ABI_POLLRDNORM;
		if (!__atomic_load_n(&pp->writers, __ATOMIC_ACQUIRE))
			mask |= ABI_POLLHUP;
	}
	if (f->writable) {
		if (PIPE_SIZE - (head - tail) >= PIPE_BUF)
			mask |= ABI_POLLOUT | ABI_POLLWRNORM;
		if (!__atomic_load_n(&pp->readers, __ATOMIC_ACQUIRE))
			mask |= ABI_POLLERR;
	}
	return mask;
}

/* the read end's events are writes, the write end's reads */
static uint64_t pipe_poll_events(struct file *f, unsigned int want,
				 unsigned int *key)
{
	struct pipe *pp = pipe_of(f);

	if (f->readable) {
		*key = ABI_POLLIN | ABI_POLLRDNORM;
		return __atomic_load_n(&pp->in_events, __ATOMIC_ACQUIRE);
	}
	*key = ABI_POLLOUT | ABI_POLLWRNORM;
	return __atomic_load_n(&pp->out_events, __ATOMIC_ACQUIRE);
}

static void pipe_free(struct pipe *pp)
{
	for (int i = 0; i < PIPE_PAGES; i++)
		if (pp->page[i])
			kfree(pp->page[i]);
	kfree(pp);
}

/*
 * The last reference to one end went: the other side sees end of file or
 * -EPIPE; the pipe goes with its last end.  The private pointer is tagged
 * with the end (bit 0: write end) because release gets only that.
 */
static void pipe_release(void *private)
{
	struct pipe *pp = (struct pipe *)((uint64_t)private & ~1UL);
	bool last;

	spin_lock(&pp->lock); /* normal core (file_put defers it there) */
	if ((uint64_t)private & 1)
		pp->writers--;
	else
		pp->readers--;
	last = !pp->readers && !pp->writers;
	pipe_changed(pp, &pp->head);
	pipe_changed(pp, &pp->tail);
	spin_unlock(&pp->lock);
	if (last)
		pipe_free(pp);
}

const struct file_ops pipe_file_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.poll_events = pipe_poll_events,
	.release = pipe_release,
	.ring_nowait = true,
};

long sys_pipe2(long ufds, long flags, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct file *rf = NULL, *wf = NULL;
	struct pipe *pp;
	int fds[2] = { -1, -1 };
	long err = -ENFILE;

	/* O_DIRECT (packet mode) is not built: -EINVAL as an unknown flag */
	if (flags & ~(ABI_O_CLOEXEC | ABI_O_NONBLOCK))
		return -EINVAL;
	pp = kalloc();
	if (!pp)
		return -ENOMEM;
	memset(pp, 0, sizeof(*pp));
	pp->lock = (struct spinlock)SPINLOCK_INIT("pipe");
	for (int i = 0; i < PIPE_PAGES; i++) {
		if (!(pp->page[i] = kalloc())) {
			pipe_free(pp);
			return -ENOMEM;
		}
	}
	rf = file_alloc();
	wf = rf ? file_alloc() : NULL;
	if (!wf)
		goto fail;
	rf->ops = wf->ops = &pipe_file_ops;
	rf->readable = wf->writable = true;
	rf->nonblock = wf->nonblock = flags & ABI_O_NONBLOCK;
	rf->private = pp;
	wf->private = (void *)((uint64_t)pp | 1);
	pp->readers = pp->writers = 1;
	fds[0] = fd_install(p, rf, flags & ABI_O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -1 : fd_install(p, wf, flags & ABI_O_CLOEXEC);
	if (fds[1] < 0) {
		err = -EMFILE;
		goto fail_fds;
	}
	if (copyout(p->mm->pagetable, ufds, fds, sizeof(fds)) < 0) {
		err = -EFAULT;
		goto fail_fds;
	}
	return 0;

fail_fds:
	/* the files hold the pipe now: putting them frees it */
	if (fds[0] >= 0)
		fd_remove(p, fds[0], false);
	if (fds[1] >= 0)
		fd_remove(p, fds[1], false);
	file_put(rf);
	file_put(wf);
	return err;
fail:
	if (rf)
		file_put(rf);
	pipe_free(pp);
	return err;
}
