/*
 * signalfd(2): signalfd4 makes a file (fd -1) or changes the mask of an
 * existing one (another kind of file: -EINVAL) through which a thread
 * reads its pending signals of the mask instead of having them delivered:
 * a read of at least one struct abi_signalfd_siginfo (128 bytes; fewer:
 * -EINVAL) takes as many pending signals of the mask as fit, lowest first,
 * dequeuing them, and waits while there is none (O_NONBLOCK, SFD_NONBLOCK:
 * -EAGAIN).  poll: readable while a signal of the mask is pending.
 * SIGKILL and SIGSTOP in the mask are silently dropped; sizemask must be 8.
 * As on Linux the signals must be blocked for this to be of use: an
 * unblocked one is delivered (or kills) before a read sees it.
 *
 * The signals are the reader's: those pending for the calling thread and,
 * for a thread other than its group's leader, the leader's too (where a
 * signal sent to the process waits when every thread blocks it,
 * core/signal.c's signal_send_group).  poll from the normal core looks at
 * the polling thread; from the IO core (an io_uring POLL_ADD) at the
 * thread that made the signalfd, if it still lives.
 *
 * Whatever makes a signal pending (signal_send) calls signalfd_notify(),
 * which wakes every reader (one channel, each rechecks) and poll_wake().
 *
 * Like eventfd a read may sleep, so signalfd_file_ops is normal_core_only;
 * signalfd_poll only reads (the mask and pending sets, aligned 64-bit
 * words): it is safe on the IO core too.
 *
 * Locking: the normal core only (interrupts off, not preemptible), so a
 * check followed by sleep_on() cannot miss the wakeup; poll's reads from
 * the IO core take no lock.
 */
#include "core/proc.h"
#include "core/signal.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define BIT(sig)    (1UL << ((sig)-1))
#define SIGSET_SIZE 8

_Static_assert(sizeof(struct abi_signalfd_siginfo) == 128, "signalfd_siginfo");

struct signalfd {
	uint64_t mask;	    /* bit sig - 1; never SIGKILL or SIGSTOP */
	struct proc *owner; /* the thread that made it (IO-core poll) */
	int owner_pid;
};

static const char signalfd_chan; /* readers wait here */
static int nsignalfds;		 /* signalfds open */

void signalfd_notify(void)
{
	if (!nsignalfds)
		return;
	wakeup(&signalfd_chan);
	poll_wake();
}

static void fill(struct abi_signalfd_siginfo *out, int sig,
		 const struct siginfo_k *si)
{
	memset(out, 0, sizeof(*out));
	out->ssi_signo = sig;
	out->ssi_code = si->code;
	if ((sig == ABI_SIGSEGV || sig == ABI_SIGBUS || sig == ABI_SIGILL ||
	     sig == ABI_SIGFPE || sig == ABI_SIGTRAP) &&
	    si->code > 0) {
		out->ssi_addr = si->addr; /* a fault's */
		return;
	}
	out->ssi_pid = si->pid;
	if (sig == ABI_SIGCHLD)
		out->ssi_status = (int32_t)si->addr;
}

/* Take the reader's lowest pending signal of mask: its number, or 0. */
static int take(struct proc *t, uint64_t mask, struct siginfo_k *si)
{
	int sig = signal_dequeue(t, mask, si);

	if (!sig && t->leader != t)
		sig = signal_dequeue(t->leader, mask, si);
	return sig;
}

static long signalfd_read(struct file *f, const struct uview *v, uint64_t udst,
			  size_t n, int64_t off)
{
	struct signalfd *s = f->private;
	struct proc *t = this_proc();
	struct abi_signalfd_siginfo out;
	struct siginfo_k si;
	size_t done = 0;
	int sig;

	if (n < sizeof(out))
		return -EINVAL;
	while (!(sig = take(t, s->mask, &si))) {
		long r;

		if (f->nonblock)
			return -EAGAIN;
		r = sleep_on_intr(&signalfd_chan, 0); /* a signal ends it */
		if (r)
			return r;
	}
	do {
		fill(&out, sig, &si);
		if (uview_copyout(v, udst + done, &out, sizeof(out)) < 0)
			return done ? done : -EFAULT;
		done += sizeof(out);
	} while (n - done >= sizeof(out) && (sig = take(t, s->mask, &si)));
	return done;
}

/* Only reads: safe on either core. */
static unsigned int signalfd_poll(struct file *f)
{
	const struct signalfd *s = f->private;
	struct proc *t = NULL, *leader;
	uint64_t pending;

	if (this_hart()->role == HART_NORMAL)
		t = this_proc();
	if (!t) {
		t = s->owner;
		if (READ_ONCE(t->pid) != s->owner_pid ||
		    READ_ONCE(t->state) == P_UNUSED ||
		    READ_ONCE(t->state) == P_ZOMBIE)
			return 0;
	}
	pending = READ_ONCE(t->sig.pending);
	leader = READ_ONCE(t->leader);
	if (leader && leader != t)
		pending |= READ_ONCE(leader->sig.pending);
	return pending & READ_ONCE(s->mask) ? ABI_POLLIN | ABI_POLLRDNORM : 0;
}

static void signalfd_release(void *private)
{
	nsignalfds--;
	kfree(private);
}

const struct file_ops signalfd_file_ops = {
	.read = signalfd_read,
	.stat = anon_inode_stat,
	.poll = signalfd_poll,
	.release = signalfd_release,
	.normal_core_only = true,
};

long sys_signalfd4(long fd, long umask, long size, long flags, long a4, long a5)
{
	struct proc *p = this_proc();
	struct signalfd *s;
	struct file *f;
	uint64_t mask;

	if (size != SIGSET_SIZE)
		return -EINVAL;
	if (copyin(p->mm->pagetable, &mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	if (flags & ~(ABI_SFD_NONBLOCK | ABI_SFD_CLOEXEC))
		return -EINVAL;
	mask &= ~(BIT(ABI_SIGKILL) | BIT(ABI_SIGSTOP));
	if ((int)fd != -1) {
		f = fd_get(p, (int)fd);
		if (!f)
			return -EBADF;
		if (f->ops != &signalfd_file_ops) {
			file_put(f);
			return -EINVAL;
		}
		s = f->private;
		WRITE_ONCE(s->mask, mask);
		file_put(f);
		signalfd_notify(); /* a reader may now have a signal */
		return (int)fd;
	}
	s = kalloc();
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->mask = mask;
	s->owner = p;
	s->owner_pid = p->pid;
	f = file_alloc();
	if (!f) {
		kfree(s);
		return -ENFILE;
	}
	nsignalfds++;
	f->ops = &signalfd_file_ops;
	f->readable = f->writable = true; /* O_RDWR, as Linux */
	f->nonblock = flags & ABI_SFD_NONBLOCK;
	f->private = s;
	fd = fd_install(p, f, flags & ABI_SFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
