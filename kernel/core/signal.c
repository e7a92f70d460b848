/*
 * Signals with Linux's semantics (signal(7)): dispositions, the blocked
 * mask, the pending set; kill, tkill, tgkill, rt_sigaction,
 * rt_sigprocmask, rt_sigpending, rt_sigsuspend, sigaltstack and
 * rt_sigreturn, setitimer/getitimer (ITIMER_REAL: SIGALRM); SIGCHLD at a
 * child's exit; delivery on the way back to user mode.
 *
 * A standard signal is pending at most once (a second one while pending is
 * merged, as Linux does for signals below SIGRTMIN; real-time signals are
 * not queued either).  tf->sigwork caches "an unblocked signal is
 * pending", so that the return to user mode costs one load and a branch
 * (user_trap); every change to pending or blocked goes through recalc().
 * Delivery takes the lowest pending unblocked signal: its default action
 * (terminate; terminate with the core bit 0x80 in the wait status; ignore;
 * the stop signals are ignored, as stopping is not implemented), SIG_IGN,
 * or a handler, which gets Linux riscv64's rt_sigframe (siginfo_t, then
 * the ucontext with the interrupted pc and x1..x31, the D state and the
 * mask) on its stack (or the alternate one, SA_ONSTACK), a0..a2 = signo,
 * &info, &uc, and ra at the trampoline page (li a7, 139; ecall) mapped at
 * SIGTRAMP_VA in every process, as Linux's vDSO provides
 * __vdso_rt_sigreturn.  A call interrupted in sleep_on_intr() returns
 * -ERESTARTSYS: with a handler that has SA_RESTART (or with no handler run)
 * it is restarted (pc back on the ecall, a0 as it was), else -EINTR.
 *
 * Interface: signal.h.  Locking: normal-core state, interrupts off
 * (core/proc.h).
 */
#include "arch/riscv/fpu.h"
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/signal.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

#define BIT(sig) (1UL << ((sig) - 1))
#define UNBLOCKABLE (BIT(ABI_SIGKILL) | BIT(ABI_SIGSTOP))
#define SIG_OK(sig) ((sig) >= 1 && (sig) <= ABI_NSIG)

#define CORE_SET                                                              \
	(BIT(ABI_SIGQUIT) | BIT(ABI_SIGILL) | BIT(ABI_SIGTRAP) |              \
	 BIT(ABI_SIGABRT) | BIT(ABI_SIGBUS) | BIT(ABI_SIGFPE) |               \
	 BIT(ABI_SIGSEGV) | BIT(ABI_SIGXCPU) | BIT(ABI_SIGXFSZ) |             \
	 BIT(ABI_SIGSYS))
/* default ignore; the stop signals too (no job control here) */
#define IGNORE_SET                                                            \
	(BIT(ABI_SIGCHLD) | BIT(ABI_SIGCONT) | BIT(ABI_SIGURG) |              \
	 BIT(ABI_SIGWINCH) | BIT(ABI_SIGSTOP) | BIT(ABI_SIGTSTP) |            \
	 BIT(ABI_SIGTTIN) | BIT(ABI_SIGTTOU))

_Static_assert(sizeof(struct abi_siginfo) == 128, "siginfo_t");
_Static_assert(__builtin_offsetof(struct abi_ucontext, uc_mcontext) == 176,
	       "uc_mcontext");
_Static_assert(sizeof(struct abi_sigcontext) == 784, "struct sigcontext");
_Static_assert(sizeof(struct abi_rt_sigframe) == 1088, "rt_sigframe");

static void recalc(struct proc *p)
{
	p->tf->sigwork = (p->sig.pending & ~p->sig.blocked) != 0;
}

bool signal_pending(const struct proc *p)
{
	return (p->sig.pending & ~p->sig.blocked) != 0;
}

/* Would sig be thrown away on arrival (ignored, and not blocked)? */
static bool ignored(const struct proc *p, int sig)
{
	uint64_t h = p->leader->sig.act[sig - 1].sa_handler;

	if (sig == ABI_SIGKILL || (p->sig.blocked & BIT(sig)))
		return false;
	return h == ABI_SIG_IGN || (h == ABI_SIG_DFL && (IGNORE_SET & BIT(sig)));
}

void signal_send(struct proc *p, int sig, int code, int pid, uint64_t addr)
{
	struct siginfo_k *si = &p->sig.info[sig - 1];

	if (ignored(p, sig) || (p->sig.pending & BIT(sig)))
		return;
	p->sig.pending |= BIT(sig);
	si->code = code;
	si->pid = pid;
	si->addr = addr;
	recalc(p);
	if (p->state == P_SLEEPING && p->sig.intr_sleep &&
	    (BIT(sig) & ~p->sig.blocked))
		p->state = P_RUNNABLE;
	signalfd_notify(); /* a signalfd reader may want it (fs/signalfd.c) */
}

/*
 * signalfd's read: take p's lowest pending signal of mask off the pending
 * set, its siginfo into *si; its number, or 0 if none is pending.
 */
int signal_dequeue(struct proc *p, uint64_t mask, struct siginfo_k *si)
{
	uint64_t set = p->sig.pending & mask;
	int sig;

	if (!set)
		return 0;
	sig = __builtin_ctzl(set) + 1;
	*si = p->sig.info[sig - 1];
	p->sig.pending &= ~BIT(sig);
	recalc(p);
	return sig;
}

/*
 * A signal for the process (kill, SIGCHLD, SIGALRM) rather than one thread:
 * it goes to a thread of g's group that does not block it -- the leader
 * first -- or, if all block it, to the leader (or any live thread), where
 * it waits.  (Linux keeps such a signal in a set of the group's and lets
 * whichever thread unblocks it first take it; here it stays with the
 * thread it was given to.)
 */
void signal_send_group(struct proc *g, int sig, int code, int pid,
		       uint64_t addr)
{
	struct proc *t, *first = proc_find_group(g->tgid);

	if (!first)
		return;
	t = first;
	if (t->sig.blocked & BIT(sig)) {
		for (struct proc *u = proc_next_live(NULL); u;
		     u = proc_next_live(u)) {
			if (u->tgid == g->tgid &&
			    !(u->sig.blocked & BIT(sig))) {
				t = u;
				break;
			}
		}
	}
	signal_send(t, sig, code, pid, addr);
}

/*
 * A user fault: with a handler installed for sig and sig not blocked, the
 * signal is made pending (delivered on the way out) and true returned;
 * otherwise false (the caller kills the process, as before).
 */
bool signal_fault(struct proc *p, int sig, int code, uint64_t addr)
{
	uint64_t h = p->leader->sig.act[sig - 1].sa_handler;

	if (h == ABI_SIG_DFL || h == ABI_SIG_IGN || (p->sig.blocked & BIT(sig)))
		return false;
	p->sig.pending &= ~BIT(sig); /* this fault's info, not an older kill's */
	signal_send(p, sig, code, 0, addr);
	return true;
}

static long interrupted(struct proc *p, long err)
{
	p->sig.restart = true;
	p->sig.restart_a0 = p->tf->a0; /* syscall() has not stored a result */
	return -err;
}

/*
 * sleep_on(), but a signal the process does not block wakes it.  Returns
 * -ERESTARTSYS at once if such a signal is pending (the caller returns it
 * from its system call), else 0 after sleeping, whatever woke it: callers
 * loop, testing their condition before calling again, so that what they
 * waited for wins over a signal that came with it (a wait4 woken by a
 * child's exit reaps it even though SIGCHLD arrived too), as on Linux.
 */
long sleep_on_intr(const void *chan, uint64_t wake_time)
{
	struct proc *p = this_proc();

	if (signal_pending(p))
		return interrupted(p, ERESTARTSYS);
	p->sig.intr_sleep = true;
	sleep_on(chan, wake_time);
	p->sig.intr_sleep = false;
	return 0;
}

/*
 * A new process (parent NULL: the first) or, with thread, a new thread of
 * parent's group: it shares the leader's dispositions, inherits the mask,
 * and has no alternate stack (Linux: a CLONE_VM child gets none).
 */
void signals_fork(struct proc *child, const struct proc *parent, bool thread)
{
	if (thread) {
		memset(&child->sig, 0, sizeof(child->sig));
		child->sig.blocked = parent->sig.blocked;
		memset(&child->sig.altstack, 0, sizeof(child->sig.altstack));
		child->sig.altstack.ss_flags = ABI_SS_DISABLE;
	} else if (parent) {
		child->sig = parent->sig;
		memcpy(child->sig.act, parent->leader->sig.act,
		       sizeof(child->sig.act));
		child->sig.pending = 0; /* fork(2): the child's set is empty */
	} else {
		memset(&child->sig, 0, sizeof(child->sig));
		child->sig.altstack.ss_flags = ABI_SS_DISABLE;
	}
	child->sig.intr_sleep = child->sig.restart = false;
	child->sig.alarm_at = child->sig.alarm_every = 0; /* not inherited */
	child->sig.have_saved_mask = false;
	recalc(child);
}

/* execve by a thread that is not the leader: it takes over the group's. */
void signals_new_leader(struct proc *p, const struct proc *old)
{
	memcpy(p->sig.act, old->sig.act, sizeof(p->sig.act));
	p->sig.alarm_at = old->sig.alarm_at;
	p->sig.alarm_every = old->sig.alarm_every;
}

/* execve(2): handled signals go back to SIG_DFL; ignored ones, the mask
 * and the pending set stay; no alternate stack. */
void signals_exec(struct proc *p)
{
	for (int i = 0; i < ABI_NSIG; i++) {
		struct abi_sigaction *a = &p->leader->sig.act[i];

		if (a->sa_handler != ABI_SIG_IGN)
			a->sa_handler = ABI_SIG_DFL;
		a->sa_flags = 0;
		a->sa_mask = 0;
	}
	memset(&p->sig.altstack, 0, sizeof(p->sig.altstack));
	p->sig.altstack.ss_flags = ABI_SS_DISABLE;
	recalc(p);
}

/* The return trampoline: li a7, 139; ecall; read-execute. */
int sigtramp_map(struct proc *p)
{
	static const uint32_t code[] = { 0x08b00893, 0x00000073 };
	void *page;
	int err;

	err = uvm_map_zeroed(p->mm->pagetable, SIGTRAMP_VA, PGSIZE,
			     PTE_R | PTE_X);
	if (err)
		return err;
	page = uvm_page(p->mm->pagetable, SIGTRAMP_VA, PTE_R);
	memcpy(page, code, sizeof(code));
	asm volatile("fence.i");
	return 0;
}

static bool on_altstack(const struct proc *p, uint64_t sp)
{
	const struct abi_stack *ss = &p->sig.altstack;

	return !(ss->ss_flags & ABI_SS_DISABLE) && sp > ss->ss_sp &&
	       sp - ss->ss_sp <= ss->ss_size;
}

static void fill_stack_t(const struct proc *p, uint64_t sp,
			 struct abi_stack *out)
{
	*out = p->sig.altstack;
	out->pad = 0;
	if (p->sig.altstack.ss_flags & ABI_SS_AUTODISARM)
		out->ss_flags = 0; /* the flag is the caller's to set again */
	if (on_altstack(p, sp))
		out->ss_flags = ABI_SS_ONSTACK;
	else if (p->sig.altstack.ss_flags & ABI_SS_DISABLE)
		out->ss_flags = ABI_SS_DISABLE;
	else
		out->ss_flags |= p->sig.altstack.ss_flags & ABI_SS_AUTODISARM;
}

static void __attribute__((noreturn)) kill_self(int sig)
{
	proc_exit(ABI_W_EXITCODE(0, sig) |
		  (CORE_SET & BIT(sig) ? ABI_WCOREFLAG : 0));
}

/* Build the rt_sigframe for sig on the user stack and enter the handler. */
static void setup_frame(struct proc *p, struct trapframe *tf, int sig,
			uint64_t oldmask)
{
	struct abi_sigaction *a = &p->leader->sig.act[sig - 1];
	struct siginfo_k *si = &p->sig.info[sig - 1];
	struct abi_rt_sigframe *f;
	struct fpu fp;
	uint64_t sp = tf->sp, uf;

	f = kalloc();
	if (!f) {
		kprintf("pid %d (%s): killed: no memory for a signal frame\n",
			p->pid, p->name);
		kill_self(ABI_SIGSEGV);
	}
	_Static_assert(sizeof(*f) <= PGSIZE, "rt_sigframe");
	memset(f, 0, sizeof(*f));
	f->info.si_signo = sig;
	f->info.si_code = si->code;
	if (sig == ABI_SIGSEGV || sig == ABI_SIGBUS || sig == ABI_SIGILL ||
	    sig == ABI_SIGFPE || sig == ABI_SIGTRAP) {
		if (si->code > 0) /* from a fault, not from kill */
			f->info.si_addr = si->addr;
		else
			f->info.si_pid = si->pid;
	} else {
		f->info.si_pid = si->pid;
		if (sig == ABI_SIGCHLD)
			f->info.si_status = (int)si->addr;
	}
	fill_stack_t(p, sp, &f->uc.uc_stack);
	f->uc.uc_sigmask = oldmask;
	memcpy(f->uc.uc_mcontext.regs, tf, 32 * 8); /* epc, x1..x31 */
	fpu_get(p, &fp);
	memcpy(f->uc.uc_mcontext.fpregs, fp.f, sizeof(fp.f));
	f->uc.uc_mcontext.fcsr = fp.fcsr;

	if ((a->sa_flags & ABI_SA_ONSTACK) &&
	    !(p->sig.altstack.ss_flags & ABI_SS_DISABLE) && !on_altstack(p, sp)) {
		sp = p->sig.altstack.ss_sp + p->sig.altstack.ss_size;
		if (p->sig.altstack.ss_flags & ABI_SS_AUTODISARM) {
			memset(&p->sig.altstack, 0, sizeof(p->sig.altstack));
			p->sig.altstack.ss_flags = ABI_SS_DISABLE;
		}
	}
	uf = (sp - sizeof(*f)) & ~15UL;
	if (copyout(p->mm->pagetable, uf, f, sizeof(*f)) < 0) {
		kfree(f);
		kprintf("pid %d (%s): killed: signal %d frame at 0x%lx not "
			"writable\n", p->pid, p->name, sig, uf);
		kill_self(ABI_SIGSEGV);
	}
	kfree(f);
	tf->epc = a->sa_handler;
	tf->sp = uf;
	tf->ra = SIGTRAMP_VA;
	tf->a0 = sig;
	tf->a1 = uf + __builtin_offsetof(struct abi_rt_sigframe, info);
	tf->a2 = uf + __builtin_offsetof(struct abi_rt_sigframe, uc);
	p->sig.blocked |= a->sa_mask;
	if (!(a->sa_flags & ABI_SA_NODEFER))
		p->sig.blocked |= BIT(sig);
	p->sig.blocked &= ~UNBLOCKABLE;
	if (a->sa_flags & ABI_SA_RESETHAND) {
		a->sa_handler = ABI_SIG_DFL;
		a->sa_flags &= ~ABI_SA_SIGINFO;
	}
}

/* The return to user mode found tf->sigwork set. */
void signal_deliver(struct trapframe *tf)
{
	struct proc *p = this_proc();
	bool handled = false;

	while (signal_pending(p)) {
		uint64_t set = p->sig.pending & ~p->sig.blocked;
		int sig = __builtin_ctzl(set) + 1;
		uint64_t h = p->leader->sig.act[sig - 1].sa_handler;
		uint64_t oldmask;

		p->sig.pending &= ~BIT(sig);
		if (h == ABI_SIG_IGN)
			continue;
		if (h == ABI_SIG_DFL) {
			if (IGNORE_SET & BIT(sig))
				continue;
			kill_self(sig);
		}
		if (p->sig.restart) { /* an interrupted call, first frame only */
			p->sig.restart = false;
			if ((long)tf->a0 == -ERESTARTSYS &&
			    (p->leader->sig.act[sig - 1].sa_flags &
			     ABI_SA_RESTART)) {
				tf->a0 = p->sig.restart_a0;
				tf->epc -= 4;
			} else if ((long)tf->a0 == -ERESTARTSYS ||
				   (long)tf->a0 == -ERESTARTNOHAND) {
				tf->a0 = -EINTR;
			}
		}
		oldmask = p->sig.blocked;
		if (p->sig.have_saved_mask) {
			oldmask = p->sig.saved_mask;
			p->sig.have_saved_mask = false;
		}
		setup_frame(p, tf, sig, oldmask);
		handled = true;
	}
	if (!handled) {
		if (p->sig.restart) {
			p->sig.restart = false;
			if ((long)tf->a0 == -ERESTARTSYS ||
			    (long)tf->a0 == -ERESTARTNOHAND) {
				tf->a0 = p->sig.restart_a0;
				tf->epc -= 4;
			}
		}
		if (p->sig.have_saved_mask) {
			p->sig.blocked = p->sig.saved_mask;
			p->sig.have_saved_mask = false;
		}
	}
	recalc(p);
}

long sys_rt_sigreturn(long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct trapframe *tf = p->tf;
	struct abi_rt_sigframe *f = kalloc();
	const struct abi_stack *ss;
	struct fpu fp;

	if (!f || copyin(p->mm->pagetable, f, tf->sp, sizeof(*f)) < 0) {
		if (f)
			kfree(f);
		kprintf("pid %d (%s): killed: bad signal frame at 0x%lx\n",
			p->pid, p->name, tf->sp);
		kill_self(ABI_SIGSEGV);
	}
	memcpy(tf, f->uc.uc_mcontext.regs, 32 * 8);
	memset(&fp, 0, sizeof(fp));
	memcpy(fp.f, f->uc.uc_mcontext.fpregs, sizeof(fp.f));
	fp.fcsr = f->uc.uc_mcontext.fcsr & 0xff; /* frm and fflags only */
	fpu_set(p, &fp);
	p->sig.blocked = f->uc.uc_sigmask & ~UNBLOCKABLE;
	/* the alternate stack as the frame says, if it is a valid one */
	ss = &f->uc.uc_stack;
	if (!on_altstack(p, tf->sp)) {
		if (ss->ss_flags & ABI_SS_DISABLE) {
			memset(&p->sig.altstack, 0, sizeof(p->sig.altstack));
			p->sig.altstack.ss_flags = ABI_SS_DISABLE;
		} else if (ss->ss_size >= ABI_MINSIGSTKSZ &&
			   !(ss->ss_flags & ~(ABI_SS_ONSTACK | ABI_SS_AUTODISARM))) {
			p->sig.altstack.ss_sp = ss->ss_sp;
			p->sig.altstack.ss_size = ss->ss_size;
			p->sig.altstack.ss_flags = ss->ss_flags & ABI_SS_AUTODISARM;
		}
	}
	kfree(f);
	p->sig.restart = false;
	recalc(p);
	return tf->a0; /* syscall() stores it back */
}

static long copy_set_in(uint64_t uset, uint64_t *set)
{
	return copyin(this_proc()->mm->pagetable, set, uset, 8) < 0 ? -EFAULT
								    : 0;
}

long sys_rt_sigaction(long sig, long uact, long uold, long size, long a4,
		      long a5)
{
	struct proc *p = this_proc();
	struct abi_sigaction act;

	if (size != 8 || !SIG_OK(sig))
		return -EINVAL;
	if (uact && (sig == ABI_SIGKILL || sig == ABI_SIGSTOP))
		return -EINVAL;
	if (uact && copyin(p->mm->pagetable, &act, uact, sizeof(act)) < 0)
		return -EFAULT;
	if (uold && copyout(p->mm->pagetable, uold,
			    &p->leader->sig.act[sig - 1], sizeof(act)) < 0)
		return -EFAULT;
	if (!uact)
		return 0;
	act.sa_mask &= ~UNBLOCKABLE;
	p->leader->sig.act[sig - 1] = act;
	/* POSIX: setting a pending signal to be ignored discards it */
	if (act.sa_handler == ABI_SIG_IGN ||
	    (act.sa_handler == ABI_SIG_DFL && (IGNORE_SET & BIT(sig))))
		p->sig.pending &= ~BIT(sig);
	recalc(p);
	return 0;
}

long sys_rt_sigprocmask(long how, long uset, long uold, long size, long a4,
			long a5)
{
	struct proc *p = this_proc();
	uint64_t set, old = p->sig.blocked;

	if (size != 8)
		return -EINVAL;
	if (uset) {
		if (copy_set_in(uset, &set))
			return -EFAULT;
		switch (how) {
		case ABI_SIG_BLOCK:
			set |= old;
			break;
		case ABI_SIG_UNBLOCK:
			set = old & ~set;
			break;
		case ABI_SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
	}
	if (uset) { /* changed even if old cannot be stored, as Linux */
		p->sig.blocked = set & ~UNBLOCKABLE;
		recalc(p);
	}
	if (uold && copyout(p->mm->pagetable, uold, &old, 8) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(long uset, long size, long a2, long a3, long a4,
		       long a5)
{
	struct proc *p = this_proc();
	uint64_t set = p->sig.pending & p->sig.blocked;

	if (size != 8)
		return -EINVAL;
	if (copyout(p->mm->pagetable, uset, &set, 8) < 0)
		return -EFAULT;
	return 0;
}

/*
 * ppoll and pselect6's mask, as Linux's set_user_sigmask and
 * restore_saved_sigmask_unless: set is the blocked mask for the call, the
 * caller's kept as rt_sigsuspend keeps it; at the end it comes back at
 * once, unless the call was interrupted by a signal that is to be
 * delivered: then its handler runs first and the frame carries the
 * caller's mask (signal_deliver).
 */
void signal_mask_enter(struct proc *p, uint64_t set)
{
	p->sig.saved_mask = p->sig.blocked;
	p->sig.have_saved_mask = true;
	p->sig.blocked = set & ~UNBLOCKABLE;
	recalc(p);
}

void signal_mask_leave(struct proc *p, bool interrupted)
{
	if (interrupted && signal_pending(p))
		return; /* signal_deliver restores it */
	p->sig.blocked = p->sig.saved_mask;
	p->sig.have_saved_mask = false;
	recalc(p);
}

static const char suspend_chan; /* nothing wakes it but a signal */

long sys_rt_sigsuspend(long uset, long size, long a2, long a3, long a4,
		       long a5)
{
	struct proc *p = this_proc();
	uint64_t set;

	if (size != 8)
		return -EINVAL;
	if (copy_set_in(uset, &set))
		return -EFAULT;
	p->sig.saved_mask = p->sig.blocked;
	p->sig.have_saved_mask = true;
	p->sig.blocked = set & ~UNBLOCKABLE;
	recalc(p);
	while (!signal_pending(p)) {
		p->sig.intr_sleep = true;
		sleep_on(&suspend_chan, 0);
		p->sig.intr_sleep = false;
	}
	return interrupted(p, ERESTARTNOHAND);
}

long sys_sigaltstack(long uss, long uold, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct abi_stack ss, old;
	uint64_t sp = p->tf->sp;

	fill_stack_t(p, sp, &old);
	if (uss) {
		if (copyin(p->mm->pagetable, &ss, uss, sizeof(ss)) < 0)
			return -EFAULT;
		if (on_altstack(p, sp))
			return -EPERM;
		if (ss.ss_flags != 0 && ss.ss_flags != ABI_SS_ONSTACK &&
		    ss.ss_flags != ABI_SS_DISABLE &&
		    ss.ss_flags != (int32_t)ABI_SS_AUTODISARM &&
		    ss.ss_flags != (int32_t)(ABI_SS_ONSTACK | ABI_SS_AUTODISARM))
			return -EINVAL;
		if (ss.ss_flags == ABI_SS_DISABLE) {
			ss.ss_sp = ss.ss_size = 0;
		} else {
			if (ss.ss_size < ABI_MINSIGSTKSZ)
				return -ENOMEM;
			ss.ss_flags &= ABI_SS_AUTODISARM;
		}
	}
	if (uold && copyout(p->mm->pagetable, uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (uss) {
		ss.pad = 0;
		p->sig.altstack = ss;
	}
	return 0;
}

/* Send sig to p from the caller (sig 0: only the check). */
static void kill_one(struct proc *p, int sig, int code)
{
	if (sig)
		signal_send(p, sig, code, this_proc()->tgid, 0);
}

/* ... or to p's process (any of its threads, signal_send_group) */
static void kill_group(struct proc *p, int sig)
{
	if (sig)
		signal_send_group(p, sig, ABI_SI_USER, this_proc()->tgid, 0);
}

long sys_kill(long pid, long sig, long a2, long a3, long a4, long a5)
{
	struct proc *me = this_proc(), *p;
	int n = 0;

	if (sig < 0 || sig > ABI_NSIG)
		return -EINVAL;
	pid = (int)pid;
	if (pid == -1) {
		p = NULL;
		while ((p = proc_next_live(p))) {
			/* each process once: through its first live thread */
			if (p->tgid == 1 || p->tgid == me->tgid ||
			    proc_find_group(p->tgid) != p)
				continue;
			kill_group(p, sig);
			n++;
		}
		return n ? 0 : -ESRCH;
	}
	/* 0: the caller's process group; -pgid: that group (core/pgrp.c) */
	if (pid <= 0) {
		if (pid == -0x80000000L)
			return -ESRCH; /* Linux: -INT_MIN is no group */
		n = pgrp_signal(pid ? -pid : me->pgid, sig, ABI_SI_USER,
				me->pid);
		return n ? 0 : -ESRCH;
	}
	p = proc_find_group(pid);
	if (!p)
		return -ESRCH;
	kill_group(p, sig);
	return 0;
}

long sys_tgkill(long tgid, long tid, long sig, long a3, long a4, long a5)
{
	struct proc *p;

	if ((int)tgid <= 0 || (int)tid <= 0 || sig < 0 || sig > ABI_NSIG)
		return -EINVAL;
	p = proc_find((int)tid);
	if (!p || p->tgid != (int)tgid)
		return -ESRCH;
	kill_one(p, sig, ABI_SI_TKILL);
	return 0;
}

long sys_tkill(long tid, long sig, long a2, long a3, long a4, long a5)
{
	struct proc *p;

	if ((int)tid <= 0 || sig < 0 || sig > ABI_NSIG)
		return -EINVAL;
	p = proc_find((int)tid);
	if (!p)
		return -ESRCH;
	kill_one(p, sig, ABI_SI_TKILL);
	return 0;
}

/* A child of p's has exited with wait_status (proc_exit): SIGCHLD. */
void signal_child_exit(struct proc *parent, int pid, int wait_status)
{
	int sig = wait_status & 0x7f, code = ABI_CLD_EXITED;
	uint64_t status = (wait_status >> 8) & 0xff;

	if (sig) {
		code = wait_status & ABI_WCOREFLAG ? ABI_CLD_DUMPED
						   : ABI_CLD_KILLED;
		status = sig;
	}
	signal_send_group(parent, ABI_SIGCHLD, code, pid, status);
}

bool itimer_maybe; /* cleared by a scan that finds no timer armed */

/* ITIMER_REAL: p's alarm time has come. */
static void alarm_fire(struct proc *p, uint64_t now)
{
	if (p->sig.alarm_every) {
		uint64_t late = now - p->sig.alarm_at;

		p->sig.alarm_at += (late / p->sig.alarm_every + 1) *
				   p->sig.alarm_every;
	} else {
		p->sig.alarm_at = 0;
	}
	signal_send_group(p, ABI_SIGALRM, ABI_SI_KERNEL, 0, 0);
}

/* The timer scan (wakeup_timers): every alarm that has come. */
void signal_timers(uint64_t now)
{
	bool any = false;

	for (struct proc *p = proc_next_live(NULL); p; p = proc_next_live(p)) {
		if (p->sig.alarm_at && p->sig.alarm_at <= now)
			alarm_fire(p, now);
		any |= p->sig.alarm_at != 0;
	}
	itimer_maybe = any;
}

/* The earliest armed alarm (next_wake_time), or ~0. */
uint64_t signal_next_alarm(void)
{
	uint64_t t = ~0UL;

	for (struct proc *p = proc_next_live(NULL); p; p = proc_next_live(p))
		if (p->sig.alarm_at && p->sig.alarm_at < t)
			t = p->sig.alarm_at;
	return t;
}

static uint64_t tv_ticks(const struct abi_timeval *tv)
{
	uint64_t us = (uint64_t)MIN(tv->tv_sec, 1L << 30) * 1000000 +
		      tv->tv_usec;

	return us ? MAX(time_us_to_ticks(us), 1UL) : 0;
}

static void ticks_tv(uint64_t t, struct abi_timeval *tv)
{
	tv->tv_sec = t / timebase_hz;
	tv->tv_usec = (t % timebase_hz) * 1000000 / timebase_hz;
	if (t && !tv->tv_sec && !tv->tv_usec)
		tv->tv_usec = 1; /* still armed: never reads as off */
}

static void get_itimer(const struct proc *p, struct abi_timeval out[2])
{
	uint64_t now = rdtime();

	ticks_tv(p->sig.alarm_every, &out[0]);
	ticks_tv(p->sig.alarm_at ? p->sig.alarm_at - MIN(now, p->sig.alarm_at)
				 : 0, &out[1]);
	if (p->sig.alarm_at && p->sig.alarm_at <= now)
		out[1].tv_usec = 1;
}

long sys_getitimer(long which, long uval, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc()->leader; /* a process's timer */
	struct abi_timeval v[2];

	if (which != ABI_ITIMER_REAL)
		return -EINVAL; /* ITIMER_VIRTUAL, ITIMER_PROF: not built */
	get_itimer(p, v);
	if (copyout(p->mm->pagetable, uval, v, sizeof(v)) < 0)
		return -EFAULT;
	return 0;
}

long sys_setitimer(long which, long unew, long uold, long a3, long a4,
		   long a5)
{
	struct proc *p = this_proc()->leader; /* a process's timer */
	struct abi_timeval v[2], old[2];

	if (which != ABI_ITIMER_REAL)
		return -EINVAL;
	if (unew) {
		if (copyin(p->mm->pagetable, v, unew, sizeof(v)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if (v[i].tv_sec < 0 || v[i].tv_usec < 0 ||
			    v[i].tv_usec >= 1000000)
				return -EINVAL;
	} else {
		memset(v, 0, sizeof(v)); /* Linux: NULL disarms */
	}
	get_itimer(p, old);
	if (uold && copyout(p->mm->pagetable, uold, old, sizeof(old)) < 0)
		return -EFAULT;
	p->sig.alarm_at = tv_ticks(&v[1]);
	if (p->sig.alarm_at)
		p->sig.alarm_at += rdtime();
	p->sig.alarm_every = p->sig.alarm_at ? tv_ticks(&v[0]) : 0;
	if (p->sig.alarm_at)
		itimer_maybe = true;
	timer_program();
	return 0;
}
