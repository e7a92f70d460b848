/*
 * System call dispatch and the process, time and machine calls.  The table
 * is built from include/uapi/syscalls.h, the one list of calls; the file
 * calls are in fs/sysfile.c, brk and mmap in mm/mmap.c, the ring calls in
 * ring/ring.c.  Normal core only, interrupts off.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/syscall.h"
#include "core/types.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "platform/platform.h"
#include "ring/iocore.h"
#include "trace/events.h"
#include "trace/trace.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/syscalls.h"

typedef long (*syscall_fn)(long, long, long, long, long, long);

#define SYSCALL_DECL(name, nr, nargs, doc)                                    \
	long sys_##name(long, long, long, long, long, long);
SYSCALL_LIST(SYSCALL_DECL)
#undef SYSCALL_DECL

#define SYSCALL_ENTRY(name, nr, nargs, doc) [nr] = sys_##name,
static const syscall_fn syscall_table[SYS_MAX_PLUS_ONE] = {
	SYSCALL_LIST(SYSCALL_ENTRY)
};
#undef SYSCALL_ENTRY

/*
 * A number the table does not have: -ENOSYS, and the console says which
 * the first time a number is seen (up to 64 numbers), so that a program
 * that fails on a missing call shows what to build next.
 */
static long __attribute__((noinline)) sys_unknown(uint64_t nr)
{
	static uint64_t seen[64];
	static int nseen;
	struct proc *p = this_proc();

	for (int i = 0; i < nseen; i++)
		if (seen[i] == nr)
			return -ENOSYS;
	if (nseen < (int)ARRAY_SIZE(seen)) {
		seen[nseen++] = nr;
		kprintf("pid %d (%s): unknown system call %lu: ENOSYS\n",
			p->pid, p->name, (unsigned long)nr);
	}
	return -ENOSYS;
}

void syscall(struct trapframe *tf)
{
	uint64_t nr = tf->a7;
	syscall_fn fn;

	if (likely(nr < ARRAY_SIZE(syscall_table) && (fn = syscall_table[nr])))
		tf->a0 = fn(tf->a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5);
	else
		tf->a0 = sys_unknown(nr);
}

/* syscall() with enter and exit records (user_trap picks it when tracing) */
void syscall_traced(struct trapframe *tf)
{
	struct proc *p = this_proc();
	uint64_t nr = tf->a7;

	trace_user_drain_full(p);
	__trace_syscall_enter(nr, p->pid);
	syscall(tf);
	__trace_syscall_exit(nr, tf->a0);
}

long sys_getpid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return this_proc()->tgid;
}

long sys_getppid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *parent = this_proc()->leader->parent;

	return parent ? parent->tgid : 0;
}

long sys_exit(long status, long a1, long a2, long a3, long a4, long a5)
{
	proc_thread_exit(ABI_W_EXITCODE(status, 0));
}

long sys_exit_group(long status, long a1, long a2, long a3, long a4, long a5)
{
	proc_exit(ABI_W_EXITCODE(status, 0));
}

long sys_sched_yield(long a0, long a1, long a2, long a3, long a4, long a5)
{
	yield();
	return 0;
}

long sys_wait4(long pid, long ustatus, long options, long rusage, long a4,
	       long a5)
{
	/* struct rusage: 2 timevals + 14 longs; no usage is kept: zeros */
	static const uint8_t zero_rusage[144];
	long r = proc_wait(pid, ustatus, options);

	if (r > 0 && rusage &&
	    copyout(this_proc()->mm->pagetable, rusage, zero_rusage,
		    sizeof(zero_rusage)) < 0)
		return -EFAULT;
	return r;
}

static const char sleep_chan; /* nanosleep sleeps here: nothing wakes it early */

uint64_t ns_to_ticks(uint64_t sec, uint64_t nsec)
{
	/* no overflow: beyond ~30 years is forever enough */
	return MIN(sec, 1UL << 30) * timebase_hz + nsec * timebase_hz / 1000000000;
}

/*
 * nanosleep and clock_nanosleep: sleep for *ureq (abs: until the clock
 * reads *ureq; every clock here counts from boot); a signal handler ends
 * it with -EINTR and, for a relative sleep, the time left in *urem.
 */
static long sleep_req(long ureq, long urem, bool abs)
{
	struct proc *p = this_proc();
	struct abi_timespec ts;
	uint64_t until;

	if (copyin(p->mm->pagetable, &ts, ureq, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	until = ns_to_ticks(ts.tv_sec, ts.tv_nsec);
	if (!abs)
		until += rdtime();
	while (rdtime() < until) {
		if (sleep_on_intr(&sleep_chan, until)) {
			/* a handler interrupts: -EINTR, and for a relative
			 * sleep the rest in rem (Linux writes none for
			 * TIMER_ABSTIME) */
			uint64_t left = until - MIN(rdtime(), until);

			p->sig.restart = false;
			ts.tv_sec = left / timebase_hz;
			ts.tv_nsec = left % timebase_hz * 1000000000 / timebase_hz;
			if (!abs && urem &&
			    copyout(p->mm->pagetable, urem, &ts, sizeof(ts)) <
				    0)
				return -EFAULT;
			return -EINTR;
		}
	}
	return 0;
}

long sys_nanosleep(long ureq, long urem, long a2, long a3, long a4, long a5)
{
	return sleep_req(ureq, urem, false);
}

/*
 * REALTIME, MONOTONIC, BOOTTIME and TAI (all the time since boot here) can
 * be slept on.  As Linux: the coarse and raw clocks have no sleep
 * (-EOPNOTSUPP), the thread CPU-time clock is -EINVAL; sleeping on the
 * process CPU-time clock is not built (-EOPNOTSUPP); anything else,
 * -EINVAL.  Flags other than TIMER_ABSTIME are ignored, as Linux.
 */
long sys_clock_nanosleep(long clk, long flags, long ureq, long urem, long a4,
			 long a5)
{
	switch ((int)clk) {
	case ABI_CLOCK_REALTIME:
	case ABI_CLOCK_MONOTONIC:
	case ABI_CLOCK_BOOTTIME:
	case ABI_CLOCK_TAI:
		return sleep_req(ureq, urem, flags & ABI_TIMER_ABSTIME);
	case ABI_CLOCK_PROCESS_CPUTIME_ID:
	case ABI_CLOCK_MONOTONIC_RAW:
	case ABI_CLOCK_REALTIME_COARSE:
	case ABI_CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/*
 * The clocks.  There is one time source, the time CSR (ticks since boot at
 * timebase_hz), so: REALTIME, REALTIME_COARSE and TAI are the time since
 * boot (no RTC is read, and TAI - UTC is 0 as on a Linux never told
 * otherwise); MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE and BOOTTIME
 * (nothing suspends) are the same count; THREAD_CPUTIME_ID is the time the
 * calling thread has been running, as the scheduler accounts it (its
 * system calls included), PROCESS_CPUTIME_ID all its threads' together.
 * A negative id is Linux's CPU clock of a process or thread, ~pid << 3 |
 * per-thread (4) | PROF, VIRT or SCHED (0-2; all three are the run time
 * here), as clock_getcpuclockid and pthread_getcpuclockid make them: pid 0
 * or the caller's own process, or a thread of it; another process's is not
 * looked up (-EINVAL); low bits 3 (a clock fd) or 7: -EINVAL.  The alarm
 * clocks need an RTC, which this kernel does not drive: -EINVAL, as on
 * Linux without one; unknown ids -EINVAL.  clockid_t is an int.
 */
/* The time t has run, as the scheduler accounts it (a running one: now). */
static uint64_t run_time(const struct proc *t)
{
	return t->run_ticks + (t == this_proc() ? rdtime() - t->run_start : 0);
}

/* The run time of the caller's process: all its threads' together. */
static uint64_t group_run_time(const struct proc *p)
{
	uint64_t sum = p->leader->dead_ticks;

	for (struct proc *t = proc_next_live(NULL); t; t = proc_next_live(t))
		if (t->tgid == p->tgid)
			sum += run_time(t);
	return sum;
}

static long clock_ticks(long clk, uint64_t *ticks)
{
	struct proc *p = this_proc();
	int id = clk;

	if (id < 0) {
		int pid = ~(id >> 3);
		struct proc *t = p;

		if ((id & 3) == 3)
			return -EINVAL;
		if (id & 4) { /* a thread's clock: one of the caller's group */
			if (pid != 0 &&
			    !((t = proc_find(pid)) && t->tgid == p->tgid))
				return -EINVAL;
			*ticks = run_time(t);
			return 0;
		}
		if (pid != 0 && pid != p->tgid)
			return -EINVAL;
		id = ABI_CLOCK_PROCESS_CPUTIME_ID;
	}
	switch (id) {
	case ABI_CLOCK_REALTIME:
	case ABI_CLOCK_MONOTONIC:
	case ABI_CLOCK_MONOTONIC_RAW:
	case ABI_CLOCK_REALTIME_COARSE:
	case ABI_CLOCK_MONOTONIC_COARSE:
	case ABI_CLOCK_BOOTTIME:
	case ABI_CLOCK_TAI:
		*ticks = rdtime();
		return 0;
	case ABI_CLOCK_PROCESS_CPUTIME_ID:
		*ticks = group_run_time(p);
		return 0;
	case ABI_CLOCK_THREAD_CPUTIME_ID:
		*ticks = run_time(p);
		return 0;
	default:
		return -EINVAL;
	}
}

/* the clock id first (-EINVAL), then the pointer (-EFAULT), as Linux */
long sys_clock_gettime(long clk, long uts, long a2, long a3, long a4, long a5)
{
	struct abi_timespec ts;
	uint64_t t;

	if (clock_ticks(clk, &t) < 0)
		return -EINVAL;
	ts.tv_sec = t / timebase_hz;
	ts.tv_nsec = t % timebase_hz * 1000000000 / timebase_hz;
	if (copyout(this_proc()->mm->pagetable, uts, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * clock_getres: every clock has the time CSR's resolution, one tick
 * rounded up to whole nanoseconds (100 ns at QEMU virt's 10 MHz).  res may
 * be NULL (only the id is checked), as Linux.
 */
long sys_clock_getres(long clk, long ures, long a2, long a3, long a4, long a5)
{
	struct abi_timespec ts = {
		.tv_sec = 0,
		.tv_nsec = (1000000000 + timebase_hz - 1) / timebase_hz,
	};
	uint64_t t;

	if (clock_ticks(clk, &t) < 0)
		return -EINVAL;
	if (ures &&
	    copyout(this_proc()->mm->pagetable, ures, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return 0;
}

long sys_sysinfo(long uinfo, long a1, long a2, long a3, long a4, long a5)
{
	struct abi_sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = rdtime() / timebase_hz;
	si.totalram = kalloc_total_pages();
	si.freeram = kalloc_free_pages();
	si.procs = proc_count();
	si.mem_unit = PGSIZE;
	if (copyout(this_proc()->mm->pagetable, uinfo, &si, sizeof(si)) < 0)
		return -EFAULT;
	return 0;
}

/*
 * reboot, with Linux's checks: magic1 and one of Linux's four magic2
 * values, else -EINVAL; CAD_ON/CAD_OFF (what Ctrl-Alt-Del does: nothing
 * here) 0; RESTART2's command string must be readable (-EFAULT); the
 * power-off, halt and restart commands end QEMU alike; any other command
 * (KEXEC, SW_SUSPEND: not built) -EINVAL.
 */
long sys_reboot(long magic1, long magic2, long cmd, long arg, long a4, long a5)
{
	char how[256];

	if ((uint32_t)magic1 != ABI_REBOOT_MAGIC1)
		return -EINVAL;
	switch ((uint32_t)magic2) {
	case ABI_REBOOT_MAGIC2:
	case ABI_REBOOT_MAGIC2A:
	case ABI_REBOOT_MAGIC2B:
	case ABI_REBOOT_MAGIC2C:
		break;
	default:
		return -EINVAL;
	}
	switch ((uint32_t)cmd) {
	case ABI_REBOOT_CMD_CAD_ON:
	case ABI_REBOOT_CMD_CAD_OFF:
		return 0;
	case ABI_REBOOT_CMD_RESTART2:
		/* as strncpy_from_user: a string cut at 255 bytes is fine */
		if (copyinstr(this_proc()->mm->pagetable, how, arg,
			      sizeof(how) - 1) == -EFAULT)
			return -EFAULT;
		/* fall through */
	case ABI_REBOOT_CMD_POWER_OFF:
	case ABI_REBOOT_CMD_HALT:
	case ABI_REBOOT_CMD_RESTART: /* QEMU: ends the same way */
		kprintf("reboot: power off requested by pid %d\n",
			this_proc()->pid);
		proc_trace_drain_all();
		machine_poweroff(0);
	default:
		return -EINVAL;
	}
}

/*
 * spawn(path, argv): copy the path and the argument strings in (at most
 * ABI_SPAWN_ARGC_MAX arguments and ABI_ARG_MAX bytes in all, else -E2BIG),
 * then create the child.  argv NULL means { path, NULL }.
 */
long sys_spawn(long upath, long uargv, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	char *path, *args, *argv[ABI_SPAWN_ARGC_MAX];
	size_t used = 0;
	int argc = 0;
	long r;

	path = kalloc();
	args = kalloc();
	if (!path || !args) {
		r = -ENOMEM;
		goto out;
	}
	r = copyinstr(p->mm->pagetable, path, upath, ABI_PATH_MAX);
	if (r < 0)
		goto out;
	if (!uargv) {
		argv[argc++] = path;
	} else {
		for (;;) {
			uint64_t uarg;

			r = copyin(p->mm->pagetable, &uarg, uargv + 8 * argc,
				   8);
			if (r < 0)
				goto out;
			if (!uarg)
				break;
			if (argc == ABI_SPAWN_ARGC_MAX) {
				r = -E2BIG;
				goto out;
			}
			r = copyinstr(p->mm->pagetable, args + used, uarg,
				      ABI_ARG_MAX - used);
			if (r < 0) {
				if (r == -ENAMETOOLONG)
					r = -E2BIG;
				goto out;
			}
			argv[argc++] = args + used;
			used += r + 1;
		}
	}
	r = proc_spawn(path, argv, argc, p);
out:
	if (path)
		kfree(path);
	if (args)
		kfree(args);
	return r;
}

long sys_iocore_ping(long n, long a1, long a2, long a3, long a4, long a5)
{
	return iocore_ping(n);
}
