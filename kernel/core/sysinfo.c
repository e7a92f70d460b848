/*
 * The identity, limit and per-task registration calls a Linux C library
 * makes at start-up, with Linux's semantics: uname, getuid/geteuid/getgid/
 * getegid (everyone is root: 0), getgroups (none), gettid (the thread's
 * id; getpid is its group's), set_tid_address and set_robust_list
 * (recorded per thread for its exit: core/futex.c), get_robust_list,
 * getrlimit/setrlimit/prlimit64 (recorded and reported; RLIMIT_NOFILE is
 * at most NOFILE, the fd table's size, and bounds every new fd: fd_limit;
 * RLIMIT_STACK, 8 MiB, bounds the stack's growth: mm_fault),
 * sched_getaffinity (user processes run on the normal core only: CPU 0),
 * gettimeofday, umask (kept per process and inherited; the memory FS has
 * fixed modes, so it changes nothing else).
 *
 * Normal core only; a process's fields here are its own (prlimit64 of
 * another process reads or writes them with interrupts off, which is all
 * the normal core needs).
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/string.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

/* What uname says: Linux's ABI (glibc checks the release is not too old). */
static const struct abi_utsname utsname = {
	.sysname = "Linux",
	.nodename = "(none)",
	.release = "6.1.0-ioring",
	.version = "#1 SMP ioring research kernel (riscv64, normal + IO core)",
	.machine = "riscv64",
	.domainname = "(none)",
};

long sys_uname(long ubuf, long a1, long a2, long a3, long a4, long a5)
{
	if (copyout(this_proc()->mm->pagetable, ubuf, &utsname, sizeof(utsname)) <
	    0)
		return -EFAULT;
	return 0;
}

long sys_getuid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}

long sys_geteuid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}

long sys_getgid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}

long sys_getegid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}

/* no supplementary groups: 0 of them, whatever the size (>= 0) */
long sys_getgroups(long size, long ulist, long a2, long a3, long a4, long a5)
{
	return (int)size < 0 ? -EINVAL : 0;
}

long sys_gettid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return this_proc()->pid;
}

long sys_set_tid_address(long tidptr, long a1, long a2, long a3, long a4,
			 long a5)
{
	struct proc *p = this_proc();

	p->clear_child_tid = tidptr;
	return p->pid;
}

long sys_set_robust_list(long head, long len, long a2, long a3, long a4,
			 long a5)
{
	if (len != ABI_ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	this_proc()->robust_list = head;
	return 0;
}

/* pid 0: the caller; otherwise a live process, or NULL (-ESRCH) */
static struct proc *proc_by_pid(long pid)
{
	if (pid == 0)
		return this_proc();
	if (pid < 0)
		return NULL;
	return proc_find(pid);
}

long sys_get_robust_list(long pid, long uhead, long ulen, long a3, long a4,
			 long a5)
{
	struct proc *p = proc_by_pid(pid), *me = this_proc();
	uint64_t len = ABI_ROBUST_LIST_HEAD_SIZE;

	if (!p)
		return -ESRCH;
	if (copyout(me->mm->pagetable, uhead, &p->robust_list, sizeof(uint64_t)) <
		    0 ||
	    copyout(me->mm->pagetable, ulen, &len, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}

/* A process's limits and umask at creation: its parent's, or Linux's
 * defaults. */
void proc_limits_init(struct proc *p, const struct proc *parent)
{
	if (parent) {
		memcpy(p->rlim, parent->rlim, sizeof(p->rlim));
		p->umask = parent->umask;
		return;
	}
	p->umask = 022;
	for (int i = 0; i < ABI_RLIM_NLIMITS; i++)
		p->rlim[i] = (struct abi_rlimit){ABI_RLIM_INFINITY,
						 ABI_RLIM_INFINITY};
	p->rlim[ABI_RLIMIT_CORE].rlim_cur = 0;
	/* Linux's 8 MiB: how far the stack grows (mm_fault), USTACK_MAX at most */
	p->rlim[ABI_RLIMIT_STACK].rlim_cur = 8UL << 20;
	p->rlim[ABI_RLIMIT_NOFILE] = (struct abi_rlimit){NOFILE, NOFILE};
	p->rlim[ABI_RLIMIT_NPROC] = (struct abi_rlimit){NPROC, NPROC};
	p->rlim[ABI_RLIMIT_MEMLOCK] = (struct abi_rlimit){8UL << 20, 8UL << 20};
	p->rlim[ABI_RLIMIT_MSGQUEUE] = (struct abi_rlimit){819200, 819200};
	p->rlim[ABI_RLIMIT_SIGPENDING] = (struct abi_rlimit){1024, 1024};
}

/*
 * The core of getrlimit, setrlimit and prlimit64 (Linux's do_prlimit): old
 * limit out, new in; a soft limit above its hard limit is -EINVAL, more
 * files than the table has -EPERM (Linux: beyond nr_open).
 */
static long do_prlimit(struct proc *p, long res, const struct abi_rlimit *new,
		       struct abi_rlimit *old)
{
	if (res < 0 || res >= ABI_RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (res == ABI_RLIMIT_NOFILE && new->rlim_max > NOFILE)
			return -EPERM;
	}
	if (old)
		*old = p->rlim[res];
	if (new)
		p->rlim[res] = *new;
	return 0;
}

long sys_prlimit64(long pid, long res, long unew, long uold, long a4, long a5)
{
	struct proc *me = this_proc(), *p = proc_by_pid(pid);
	struct abi_rlimit new, old;
	long err;

	if (unew && copyin(me->mm->pagetable, &new, unew, sizeof(new)) < 0)
		return -EFAULT;
	if (!p)
		return -ESRCH;
	err = do_prlimit(p, res, unew ? &new : NULL, uold ? &old : NULL);
	if (err)
		return err;
	if (uold && copyout(me->mm->pagetable, uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_getrlimit(long res, long uold, long a2, long a3, long a4, long a5)
{
	struct abi_rlimit old;
	long err = do_prlimit(this_proc(), res, NULL, &old);

	if (err)
		return err;
	if (copyout(this_proc()->mm->pagetable, uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_setrlimit(long res, long unew, long a2, long a3, long a4, long a5)
{
	struct abi_rlimit new;

	if (copyin(this_proc()->mm->pagetable, &new, unew, sizeof(new)) < 0)
		return -EFAULT;
	return do_prlimit(this_proc(), res, &new, NULL);
}

/*
 * sched_getaffinity(pid, len, mask): user processes run on the normal core,
 * CPU 0 to them.  As Linux: len must hold nr_cpu_ids bits (here 1) and be
 * a multiple of sizeof(long); the result is the bytes written, 8.
 */
long sys_sched_getaffinity(long pid, long len, long umask, long a3, long a4,
			   long a5)
{
	uint64_t mask = 1;

	if (len < (long)sizeof(mask) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (!proc_by_pid(pid))
		return -ESRCH;
	if (copyout(this_proc()->mm->pagetable, umask, &mask, sizeof(mask)) < 0)
		return -EFAULT;
	return sizeof(mask);
}

/* gettimeofday: CLOCK_REALTIME's time (the time CSR from boot), tz zeros */
long sys_gettimeofday(long utv, long utz, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	uint64_t t = rdtime();
	struct abi_timeval tv = {
		.tv_sec = t / timebase_hz,
		.tv_usec = t % timebase_hz * 1000000 / timebase_hz,
	};
	struct abi_timezone tz = {0, 0};

	if (utv && copyout(p->mm->pagetable, utv, &tv, sizeof(tv)) < 0)
		return -EFAULT;
	if (utz && copyout(p->mm->pagetable, utz, &tz, sizeof(tz)) < 0)
		return -EFAULT;
	return 0;
}

long sys_umask(long mask, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	uint32_t old = p->umask;

	p->umask = mask & 0777;
	return old;
}
