/*
 * futex(2) as Linux has it, for glibc's mutexes, condition variables,
 * pthread_join and semaphores: WAIT and WAKE, WAIT_BITSET and WAKE_BITSET
 * (absolute timeouts, CLOCK_REALTIME or MONOTONIC, the same clock here),
 * REQUEUE and CMP_REQUEUE, WAKE_OP; FUTEX_PRIVATE_FLAG is accepted and
 * changes nothing (a futex is named by its word's kernel address, which is
 * right for private and shared futexes alike).  The PI operations and
 * FUTEX_WAIT_REQUEUE_PI are not built: -ENOSYS, as a Linux without
 * CONFIG_FUTEX_PI.  Also the work at thread exit: the robust list
 * (set_robust_list) and CLONE_CHILD_CLEARTID's wake.
 *
 * Locking: normal core, interrupts off (futex.h).
 */
#include "arch/riscv/riscv.h"
#include "core/futex.h"
#include "core/proc.h"
#include "core/signal.h"
#include "core/string.h"
#include "core/syscall.h"
#include "mm/vm.h"
#include "platform/platform.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define FUTEX_CMD(op)                                                          \
	((op) & ~(ABI_FUTEX_PRIVATE_FLAG | ABI_FUTEX_CLOCK_REALTIME))
#define ROBUST_LIST_LIMIT 2048 /* entries walked at most, as Linux */

static uint64_t futex_seq; /* counts waits: the oldest waiter wakes first */

/* The kernel address of p's futex word at uaddr (need PTE_R or PTE_W), or 0 */
static uint64_t futex_key(struct proc *p, uint64_t uaddr, uint64_t need)
{
	return (uint64_t)uvm_page(p->mm->pagetable, uaddr, need);
}

/* The thread waiting longest on key with a bitset meeting mask, or NULL. */
static struct proc *oldest_waiter(uint64_t key, uint32_t mask)
{
	struct proc *best = NULL;

	for (struct proc *t = proc_next_live(NULL); t; t = proc_next_live(t))
		if (t->futex.key == key && (t->futex.bitset & mask) &&
		    (!best || t->futex.seq < best->futex.seq))
			best = t;
	return best;
}

/*
 * Wake waiters on key whose bitset meets mask: n of them, and at least one
 * if there is any (Linux's futex_wake counts so: n <= 0 wakes one).
 */
static int wake_key(uint64_t key, uint32_t mask, int n)
{
	int woken = 0;
	struct proc *t;

	while ((t = oldest_waiter(key, mask))) {
		t->futex.key = 0; /* the sign for futex_wait: woken */
		wakeup(&t->futex);
		if (++woken >= n)
			break;
	}
	return woken;
}

long futex_wake_addr(struct proc *p, uint64_t uaddr, int n)
{
	uint64_t key;

	if (uaddr & 3)
		return -EINVAL;
	key = futex_key(p, uaddr, PTE_R);
	if (!key)
		return -EFAULT;
	return wake_key(key, ABI_FUTEX_BITSET_MATCH_ANY, n);
}

/*
 * Sleep while the word at uaddr holds val, until a wake for a bitset
 * meeting ours, the deadline (if timed), or a signal.
 */
static long futex_wait(struct proc *p, uint64_t uaddr, uint32_t val, bool timed,
		       uint64_t deadline, uint32_t bitset)
{
	uint64_t key = futex_key(p, uaddr, PTE_R);

	if (!key)
		return -EFAULT;
	if (READ_ONCE(*(uint32_t *)key) != val)
		return -EAGAIN;
	p->futex.key = key;
	p->futex.bitset = bitset;
	p->futex.seq = ++futex_seq;
	for (;;) {
		long r = 0;

		if (timed && rdtime() >= deadline)
			r = -ETIMEDOUT;
		else
			r = sleep_on_intr(&p->futex, timed ? deadline : 0);
		if (!p->futex.key)
			return 0; /* woken: that wins over a signal or time */
		if (r == -ERESTARTSYS && timed)
			r = -ERESTARTNOHAND; /* a timed wait is not restarted */
		if (r) {
			p->futex.key = 0;
			return r;
		}
	}
}

/* The deadline of a timed wait: *uts relative (WAIT) or absolute. */
static long futex_deadline(struct proc *p, uint64_t uts, bool abs,
			   uint64_t *deadline)
{
	struct abi_timespec ts;

	if (copyin(p->mm->pagetable, &ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*deadline = ns_to_ticks(ts.tv_sec, ts.tv_nsec) + (abs ? 0 : rdtime());
	return 0;
}

/*
 * REQUEUE and CMP_REQUEUE: wake nr_wake waiters on uaddr, move up to
 * nr_requeue more to uaddr2; the count of both, as Linux's futex_requeue.
 */
static long futex_requeue(struct proc *p, uint64_t uaddr, uint64_t uaddr2,
			  int nr_wake, int nr_requeue, bool cmp, uint32_t val3)
{
	uint64_t key = futex_key(p, uaddr, PTE_R);
	uint64_t key2 = futex_key(p, uaddr2, PTE_R);
	long n = 0;
	struct proc *t;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if (!key || !key2)
		return -EFAULT;
	if (cmp && READ_ONCE(*(uint32_t *)key) != val3)
		return -EAGAIN;
	for (int i = 0; i < nr_wake; i++) {
		t = oldest_waiter(key, ABI_FUTEX_BITSET_MATCH_ANY);
		if (!t)
			return n;
		t->futex.key = 0;
		wakeup(&t->futex);
		n++;
	}
	if (key2 == key) { /* requeued onto itself: they stay, counted */
		int left = 0;

		for (t = proc_next_live(NULL); t; t = proc_next_live(t))
			left += t->futex.key == key;
		return n + MIN(left, nr_requeue);
	}
	for (int i = 0; i < nr_requeue; i++) {
		t = oldest_waiter(key, ABI_FUTEX_BITSET_MATCH_ANY);
		if (!t)
			break;
		t->futex.key = key2; /* keeps its place by seq */
		n++;
	}
	return n;
}

static int32_t sign_extend12(uint32_t v)
{
	return (int32_t)(v << 20) >> 20;
}

/*
 * WAKE_OP: *uaddr2 = oldval OP oparg (oldval its value before), wake
 * nr_wake on uaddr, and if oldval CMP cmparg, nr_wake2 on uaddr2.
 */
static long futex_wake_op(struct proc *p, uint64_t uaddr, uint64_t uaddr2,
			  int nr_wake, int nr_wake2, uint32_t encoded)
{
	uint32_t op = encoded >> 28 & 7, cmp = encoded >> 24 & 15;
	int32_t oparg = sign_extend12(encoded >> 12 & 0xfff);
	int32_t cmparg = sign_extend12(encoded & 0xfff), old;
	uint64_t key = futex_key(p, uaddr, PTE_R);
	uint64_t key2 = futex_key(p, uaddr2, PTE_W);
	uint32_t *w2 = (uint32_t *)key2;
	bool hit;
	long n;

	if (encoded >> 28 & 8) { /* FUTEX_OP_OPARG_SHIFT */
		if (oparg < 0 || oparg > 31)
			return -EINVAL;
		oparg = 1 << oparg;
	}
	if (op > 4 || cmp > 5)
		return -ENOSYS;
	if (!key || !key2)
		return -EFAULT;
	old = (int32_t)*w2;
	switch (op) {
	case 0: /* FUTEX_OP_SET */
		*w2 = oparg;
		break;
	case 1: /* FUTEX_OP_ADD */
		*w2 = old + oparg;
		break;
	case 2: /* FUTEX_OP_OR */
		*w2 = old | oparg;
		break;
	case 3: /* FUTEX_OP_ANDN */
		*w2 = old & ~oparg;
		break;
	default: /* FUTEX_OP_XOR */
		*w2 = old ^ oparg;
		break;
	}
	switch (cmp) {
	case 0:
		hit = old == cmparg;
		break;
	case 1:
		hit = old != cmparg;
		break;
	case 2:
		hit = old < cmparg;
		break;
	case 3:
		hit = old <= cmparg;
		break;
	case 4:
		hit = old > cmparg;
		break;
	default:
		hit = old >= cmparg;
		break;
	}
	n = wake_key(key, ABI_FUTEX_BITSET_MATCH_ANY, nr_wake);
	if (hit)
		n += wake_key(key2, ABI_FUTEX_BITSET_MATCH_ANY, nr_wake2);
	return n;
}

long sys_futex(long uaddr, long op, long val, long uts, long uaddr2, long val3)
{
	struct proc *p = this_proc();
	int cmd = FUTEX_CMD((int)op);
	uint64_t deadline = 0;
	bool timed = false;
	long r;

	if ((op & ABI_FUTEX_CLOCK_REALTIME) && cmd != ABI_FUTEX_WAIT &&
	    cmd != ABI_FUTEX_WAIT_BITSET)
		return -ENOSYS;
	if (uaddr & 3)
		return -EINVAL;
	switch (cmd) {
	case ABI_FUTEX_WAIT:
		val3 = ABI_FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case ABI_FUTEX_WAIT_BITSET:
		if (!(uint32_t)val3)
			return -EINVAL;
		if (uts) {
			r = futex_deadline(p, uts, cmd == ABI_FUTEX_WAIT_BITSET,
					   &deadline);
			if (r)
				return r;
			timed = true;
		}
		return futex_wait(p, uaddr, val, timed, deadline, val3);
	case ABI_FUTEX_WAKE:
		val3 = ABI_FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case ABI_FUTEX_WAKE_BITSET:
		if (!(uint32_t)val3)
			return -EINVAL;
		r = futex_key(p, uaddr, PTE_R);
		if (!r)
			return -EFAULT;
		return wake_key(r, val3, (int)val);
	case ABI_FUTEX_REQUEUE:
	case ABI_FUTEX_CMP_REQUEUE:
		if (uaddr2 & 3)
			return -EINVAL;
		return futex_requeue(p, uaddr, uaddr2, (int)val, (int)uts,
				     cmd == ABI_FUTEX_CMP_REQUEUE, val3);
	case ABI_FUTEX_WAKE_OP:
		if (uaddr2 & 3)
			return -EINVAL;
		return futex_wake_op(p, uaddr, uaddr2, (int)val, (int)uts,
				     val3);
	default:
		return -ENOSYS; /* PI futexes, WAIT_REQUEUE_PI, unknown */
	}
}

/*
 * A robust futex the exiting thread holds (its word's TID bits are the
 * thread's): mark it FUTEX_OWNER_DIED and wake a waiter, as Linux's
 * handle_futex_death.  Failures end the walk quietly.
 */
static bool futex_death(struct proc *p, uint64_t uaddr)
{
	uint32_t *w;

	if (uaddr & 3)
		return false;
	w = (uint32_t *)futex_key(p, uaddr, PTE_W);
	if (!w)
		return false;
	if ((*w & ABI_FUTEX_TID_MASK) != (uint32_t)p->pid)
		return true;
	*w = (*w & ABI_FUTEX_WAITERS) | ABI_FUTEX_OWNER_DIED;
	if (*w & ABI_FUTEX_WAITERS)
		wake_key((uint64_t)w, ABI_FUTEX_BITSET_MATCH_ANY, 1);
	return true;
}

/* Read a user word of the robust list; false if it cannot be read. */
static bool robust_word(struct proc *p, uint64_t uaddr, uint64_t *out)
{
	return copyin(p->mm->pagetable, out, uaddr, sizeof(*out)) == 0;
}

/* Thread exit: the robust list's held futexes are released (futex.h). */
void futex_exit(struct proc *p)
{
	struct abi_robust_list_head h;
	uint64_t entry, pending, next;

	p->futex.key = 0;
	if (!p->robust_list ||
	    copyin(p->mm->pagetable, &h, p->robust_list, sizeof(h)) < 0)
		return;
	pending = h.list_op_pending & ~1UL;
	entry = h.next & ~1UL; /* bit 0: a PI futex; the word is the same */
	for (int i = 0; entry != p->robust_list && i < ROBUST_LIST_LIMIT; i++) {
		if (!robust_word(p, entry, &next))
			return;
		if (entry != pending && !futex_death(p, entry + h.futex_offset))
			return;
		entry = next & ~1UL;
	}
	if (pending)
		futex_death(p, pending + h.futex_offset);
}
