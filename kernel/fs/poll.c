/*
 * Waiting for files to become ready: ppoll (poll(2); glibc's poll() is
 * ppoll) and pselect6 (select(2)), over each file's file_ops.poll (fs.h:
 * NULL means always readable and writable, as Linux's DEFAULT_POLLMASK).
 *
 * Waiting is one global channel, poll_chan: whatever changes a file's
 * readiness (a pipe read, write or release, a console line, an eventfd
 * read or write) calls poll_wake(), and every sleeping ppoll/pselect6
 * rescans its whole set.  That is simple and correct on this kernel,
 * where every process runs on the normal core; poll_wake() costs one
 * compare while nobody polls.  The timeout is sleep_on()'s wake time.
 * Both calls write the time left back into their timespec, as Linux does
 * (poll_select_finish), ignoring a fault there.
 *
 * The signal mask argument (size 8) is the blocked mask for the call's
 * duration (signal_mask_enter/leave, core/signal.c): a signal it unblocks
 * ends the call with -EINTR, its handler running before the caller's mask
 * comes back, as Linux.  A signal pending at a timed-out or zero timeout
 * still interrupts, as Linux's do_poll checks for one before the time.
 *
 * Locking: the sleepers are the normal core's, interrupts off and not
 * preemptible in the kernel, so a scan followed by sleep_on() cannot miss a
 * poll_wake() (one on the IO core reaches them through its deferred work,
 * an IPI the normal core takes only once it sleeps).
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/proc.h"
#include "core/signal.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/vm.h"
#include "ring/iocore.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define DEFAULT_POLLMASK                                                       \
	(ABI_POLLIN | ABI_POLLOUT | ABI_POLLRDNORM | ABI_POLLWRNORM)
#define SIGSET_SIZE 8
#define SELECT_MAX 1024 /* FD_SETSIZE: bits of a select set looked at */

static const char poll_chan;
static int poll_waiters; /* processes asleep in ppoll/pselect6 */

/*
 * Every poll_wake() counts here (either core), for the ring's requests
 * that wait for a file (ring/poll.c): while any is parked
 * (ring_poll_waiters, the IO core's count), a poll_wake on the normal core
 * kicks the IO core to look again.
 */
uint64_t poll_seq;
uint32_t ring_poll_waiters;

/* Normal core: wake the sleeping ppoll/pselect6 calls to rescan. */
void poll_wake_sleepers(void)
{
	if (poll_waiters)
		wakeup(&poll_chan);
}

void poll_wake(void)
{
	/* seq_cst, with the load below: pairs with the IO core's seq_cst
	 * store of ring_poll_waiters before it last looks at poll_seq
	 * (ring/poll.c): it sees this count, or this sees its waiters */
	__atomic_add_fetch(&poll_seq, 1, __ATOMIC_SEQ_CST);
	if (this_hart()->role != HART_NORMAL) {
		iocore_defer_poll_wake(); /* the sleepers are the normal core's */
		return;
	}
	if (__atomic_load_n(&ring_poll_waiters, __ATOMIC_SEQ_CST))
		iocore_kick();
	poll_wake_sleepers();
}

/* f's ready mask now (either core). */
unsigned int file_poll(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : DEFAULT_POLLMASK;
}

/* f's count of events for want (either core), 0 with no key if none. */
uint64_t file_poll_events(struct file *f, unsigned int want,
			  unsigned int *key)
{
	*key = 0;
	if (f->ops->poll_events)
		return f->ops->poll_events(f, want, key);
	return 0;
}

/* the ready mask of fd in p, or -EBADF */
static long fd_poll(struct proc *p, int fd)
{
	struct file *f = fd_get(p, fd);
	unsigned int mask;

	if (!f)
		return -EBADF;
	mask = file_poll(f);
	file_put(f);
	return mask;
}

/*
 * A timeout from user memory into a wake time (0: none, wait forever).
 * *timed says whether there is a timeout at all.
 */
static long timeout_in(struct proc *p, uint64_t uts, uint64_t *until)
{
	struct abi_timespec ts;

	*until = 0;
	if (!uts)
		return 0;
	if (copyin(p->mm->pagetable, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*until = rdtime() + MIN((uint64_t)ts.tv_sec, 1UL << 30) * timebase_hz +
		 (uint64_t)ts.tv_nsec * timebase_hz / 1000000000;
	if (!*until)
		*until = 1;
	return 0;
}

/* the time left written back (Linux's poll_select_finish); faults ignored */
static void timeout_out(struct proc *p, uint64_t uts, uint64_t until)
{
	uint64_t now = rdtime();
	uint64_t left = now < until ? until - now : 0;
	struct abi_timespec ts = {
		.tv_sec = left / timebase_hz,
		.tv_nsec = left % timebase_hz * 1000000000 / timebase_hz,
	};

	if (uts)
		copyout(p->mm->pagetable, uts, &ts, sizeof(ts));
}

/* the sigmask argument, into *set; *has: there is one */
static long sigmask_in(struct proc *p, uint64_t umask, uint64_t size,
		       uint64_t *set, bool *has)
{
	*has = false;
	if (!umask)
		return 0;
	if (size != SIGSET_SIZE)
		return -EINVAL;
	if (copyin(p->mm->pagetable, set, umask, sizeof(*set)) < 0)
		return -EFAULT;
	*has = true;
	return 0;
}

/*
 * Sleep until a poll_wake(), a signal or the wake time: 1 after a sleep
 * (scan again), 0 once the time has passed, -EINTR for a signal (as Linux's
 * poll, never restarted: the caller returns it without rescanning).
 */
static long poll_sleep(uint64_t until)
{
	long r;

	if (until && rdtime() >= until && !signal_pending(this_proc()))
		return 0;
	poll_waiters++;
	r = sleep_on_intr(&poll_chan, until);
	poll_waiters--;
	if (r) {
		this_proc()->sig.restart = false;
		return -EINTR;
	}
	return 1;
}

/* one pass over the pollfd array: revents written, ready ones counted */
static long poll_scan(struct proc *p, uint64_t ufds, uint64_t nfds)
{
	long ready = 0;

	for (uint64_t i = 0; i < nfds; i++) {
		uint64_t u = ufds + i * sizeof(struct abi_pollfd);
		struct abi_pollfd pfd;
		long mask;

		if (copyin(p->mm->pagetable, &pfd, u, sizeof(pfd)) < 0)
			return -EFAULT;
		pfd.revents = 0;
		if (pfd.fd >= 0) {
			mask = fd_poll(p, pfd.fd);
			if (mask < 0)
				pfd.revents = ABI_POLLNVAL;
			else
				pfd.revents = mask & ((uint16_t)pfd.events |
						      ABI_POLLERR | ABI_POLLHUP);
		}
		if (copyout(p->mm->pagetable, u + __builtin_offsetof(struct abi_pollfd, revents),
			    &pfd.revents, sizeof(pfd.revents)) < 0)
			return -EFAULT;
		if (pfd.revents)
			ready++;
	}
	return ready;
}

long sys_ppoll(long ufds, long nfds, long uts, long umask, long masksize,
	       long a5)
{
	struct proc *p = this_proc();
	uint64_t until, set;
	bool masked;
	long r;

	if ((uint64_t)nfds > p->rlim[ABI_RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	r = timeout_in(p, uts, &until);
	if (r < 0)
		return r;
	r = sigmask_in(p, umask, masksize, &set, &masked);
	if (r < 0)
		return r;
	if (masked)
		signal_mask_enter(p, set);
	for (;;) {
		long slept;

		r = poll_scan(p, ufds, nfds);
		if (r != 0 || (slept = poll_sleep(uts ? until : 0)) == 0)
			break;
		if (slept < 0) {
			r = slept;
			break;
		}
	}
	if (uts && r >= 0)
		timeout_out(p, uts, until);
	if (masked)
		signal_mask_leave(p, r == -EINTR);
	return r;
}

/*
 * select's sets, as Linux's POLLIN_SET/POLLOUT_SET/POLLEX_SET: a fd is
 * readable with POLLIN, POLLHUP or POLLERR, writable with POLLOUT or
 * POLLERR, exceptional with POLLPRI.
 */
#define IN_SET (ABI_POLLRDNORM | ABI_POLLRDBAND | ABI_POLLIN | ABI_POLLHUP | \
		ABI_POLLERR)
#define OUT_SET (ABI_POLLWRBAND | ABI_POLLWRNORM | ABI_POLLOUT | ABI_POLLERR)
#define EX_SET ABI_POLLPRI
#define SET_WORDS (SELECT_MAX / 64)

static long select_scan(struct proc *p, int n, uint64_t in[3][SET_WORDS],
			uint64_t out[3][SET_WORDS])
{
	static const unsigned int want[3] = { IN_SET, OUT_SET, EX_SET };
	long ready = 0;

	memset(out, 0, 3 * SET_WORDS * sizeof(uint64_t));
	for (int fd = 0; fd < n; fd++) {
		uint64_t bit = 1UL << (fd % 64);
		bool asked = false;
		long mask;

		for (int k = 0; k < 3; k++)
			asked |= in[k][fd / 64] & bit;
		if (!asked)
			continue;
		mask = fd_poll(p, fd);
		if (mask < 0)
			return mask;
		for (int k = 0; k < 3; k++) {
			if ((in[k][fd / 64] & bit) && (mask & want[k])) {
				out[k][fd / 64] |= bit;
				ready++;
			}
		}
	}
	return ready;
}

/* pselect6's loop, with its sets written back and the time left */
static long select_wait(struct proc *p, int n, const uint64_t uset[3],
			uint64_t in[3][SET_WORDS], uint64_t out[3][SET_WORDS],
			size_t bytes, uint64_t uts, uint64_t until)
{
	long r;

	for (;;) {
		long slept;

		r = select_scan(p, n, in, out);
		if (r != 0 || (slept = poll_sleep(uts ? until : 0)) == 0)
			break;
		if (slept < 0) {
			r = slept;
			break;
		}
	}
	if (r < 0)
		return r;
	for (int k = 0; k < 3; k++)
		if (uset[k] && bytes &&
		    copyout(p->mm->pagetable, uset[k], out[k], bytes) < 0)
			return -EFAULT;
	if (uts)
		timeout_out(p, uts, until);
	return r;
}

long sys_pselect6(long n, long uin, long uout, long uex, long uts, long usig)
{
	struct proc *p = this_proc();
	uint64_t uset[3] = { uin, uout, uex };
	uint64_t in[3][SET_WORDS], out[3][SET_WORDS];
	uint64_t sig[2] = { 0, 0 }; /* { const sigset_t *, size_t } */
	uint64_t until, set;
	bool masked;
	size_t bytes;
	long r;

	if (n < 0)
		return -EINVAL;
	n = MIN(n, SELECT_MAX);
	bytes = ROUNDUP((uint64_t)n, 64) / 8;
	memset(in, 0, sizeof(in));
	for (int k = 0; k < 3; k++)
		if (uset[k] && bytes &&
		    copyin(p->mm->pagetable, in[k], uset[k], bytes) < 0)
			return -EFAULT;
	r = timeout_in(p, uts, &until);
	if (r < 0)
		return r;
	if (usig && copyin(p->mm->pagetable, sig, usig, sizeof(sig)) < 0)
		return -EFAULT;
	r = sigmask_in(p, sig[0], sig[1], &set, &masked);
	if (r < 0)
		return r;
	if (masked)
		signal_mask_enter(p, set);
	r = select_wait(p, n, uset, in, out, bytes, uts, until);
	if (masked)
		signal_mask_leave(p, r == -EINTR);
	return r;
}
