/*
 * Processes and harts.
 *
 * Locking: the process table, the run queue and struct proc are owned by
 * the normal core and touched by it with interrupts off (the normal-core
 * kernel never runs with interrupts on except in the scheduler's idle loop
 * and at the preemption points of long calls, core/resched.h),
 * so they need no lock -- except two things the IO core uses for the rings a
 * process owns: the fd table (under fd_lock) and the user page table (the
 * IO core walks it under mm_lock; the normal core changes it under mm_lock,
 * through mm/vm.c's mm_map_zeroed/mm_map_shared/mm_protect/mm_unmap).
 * The IO core never changes process state: it sends an IPI, and the normal
 * core's IPI handler does the wakeup.  Lock order: mm_lock, fd_lock, then
 * the file-system locks (fs.h).
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "arch/riscv/asm-offsets.h"
#include "arch/riscv/fpu.h"
#include "core/param.h"
#include "core/futex.h"
#include "core/signal.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/trace.h"

/* Registers saved by a trap from user mode; at the top of the kernel stack. */
struct trapframe {
	uint64_t epc; /* slot of x0: sepc */
	uint64_t ra, sp, gp, tp, t0, t1, t2, s0, s1;
	uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
	uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	uint64_t t3, t4, t5, t6;
	struct hart *hart; /* loaded into tp on entry */
	uint64_t sigwork; /* nonzero: an unblocked signal is pending (signal.c) */
};
_Static_assert(__builtin_offsetof(struct trapframe, hart) == TF_HART, "TF_HART");
_Static_assert(__builtin_offsetof(struct trapframe, sigwork) == TF_SIGWORK, "");

/* Registers saved by a trap taken in the kernel (on the kernel stack). */
struct kframe {
	uint64_t epc;
	uint64_t regs[31]; /* x1..x31; regs[1] (sp) is the sp before the trap */
	uint64_t sstatus;
	uint64_t pad;
};
_Static_assert(sizeof(struct kframe) == KFRAME_SIZE, "KFRAME_SIZE");

/* Callee-saved registers for swtch(). */
struct context {
	uint64_t ra, sp, s[12];
};

enum hart_role { HART_NONE, HART_NORMAL, HART_IO };
struct trace_buf;
struct file;
struct inode;

/* One per hart; tp points to it while the hart is in the kernel. */
struct hart {
	uint64_t stack_lo;    /* bottom of the kernel stack in use (asm) */
	uint64_t emerg_sp;    /* stack for reporting an overflow (asm) */
	uint64_t overflow_sp; /* sp that overflowed (asm) */
	uint64_t id;
	enum hart_role role;
	/* normal core only */
	struct proc *proc;	  /* running process, or NULL */
	struct context sched_ctx; /* the scheduler loop */
	uint64_t sched_stack_lo;
	struct trace_buf *trace; /* trace.c: this hart's buffer, if tracing */
};
_Static_assert(__builtin_offsetof(struct hart, stack_lo) == HART_STACK_LO, "");
_Static_assert(__builtin_offsetof(struct hart, emerg_sp) == HART_EMERG_SP, "");
_Static_assert(__builtin_offsetof(struct hart, overflow_sp) == HART_OVERFLOW_SP,
	       "");
_Static_assert(sizeof(struct hart) == HART_SIZE, "");

enum procstate { P_UNUSED, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

struct proc {
	enum procstate state;
	int pid;
	struct proc *parent;
	const void *chan;   /* sleeping on this */
	uint64_t wake_time; /* if sleeping, wake at this time too (0: never) */
	int wait_status;    /* for the parent's wait4 */
	bool vfork_pending; /* a vfork child: its parent waits until exec/exit
			     */

	struct mm *mm;		    /* the address space (mm/mmap.h) */
	struct files_struct *files; /* the fds and cwd (fs/fs.h) */
	/* threads: a thread group shares mm, files and signal dispositions */
	int tgid; /* the group's id: its leader's pid (getpid) */
	struct proc
		*leader; /* the group's first thread (itself if it is that) */
	/* the leader's only: the group as a whole */
	int nthreads;	    /* threads not yet exited, the leader included */
	bool group_exiting; /* exit_group or a fatal signal: every thread goes
			     */
	int group_status;   /* then the wait status the group exits with */
	struct proc *group_exec; /* a thread in execve: the others go */
	uint64_t dead_ticks;	 /* the run time of its threads that exited */

	struct trapframe *tf; /* top of the kernel stack */
	uint64_t kstack_lo;
	struct context ctx;
	uint64_t slice_end; /* time at which the process is preempted */
	struct fpu fpu; /* F/D state (arch/riscv/fpu.c); fork: fpu_copy() */
	uint64_t run_start; /* time it was last switched to */
	uint64_t run_ticks; /* time run before that (CLOCK_*_CPUTIME_ID) */

	char name[16];

	/* Linux's per-task state glibc registers (core/sysinfo.c) */
	uint64_t clear_child_tid; /* set_tid_address */
	uint64_t robust_list;	  /* set_robust_list: the head, user address */
	struct futex_waiter futex; /* core/futex.c: what it waits on, if any */
	struct abi_rlimit rlim[ABI_RLIM_NLIMITS];
	uint32_t umask; /* umask(2): kept and reported (the FS has no modes) */
	int pgid, sid;	/* process group and session (core/pgrp.c) */
	struct sigstate sig; /* core/signal.c */
};

extern struct hart harts[NHART]; /* main.c, indexed by hart id */

static inline struct hart *this_hart(void)
{
	struct hart *h;
	asm volatile("mv %0, tp" : "=r"(h));
	return h;
}

static inline struct proc *this_proc(void)
{
	return this_hart()->proc;
}

/* proc.c */
void proc_init(void);
void scheduler(void) __attribute__((noreturn));
void yield(void);
void sleep_on(const void *chan, uint64_t wake_time);
void wakeup(const void *chan);
void wakeup_timers(uint64_t now);
uint64_t next_wake_time(void);
int proc_spawn(const char *path, char *const argv[], int argc,
	       struct proc *parent);
void proc_exit(int wait_status) __attribute__((noreturn));
void proc_thread_exit(int wait_status) __attribute__((noreturn));
struct proc *proc_exec_alone(struct proc *p);
void proc_exec_reap(struct proc *old);
struct proc *proc_find_group(int tgid);
long proc_wait(int pid, uint64_t ustatus, int options);
long proc_waitid(int idtype, int id, uint64_t uinfo, int options);
long proc_fork(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
	       uint64_t ctid);
void proc_exec_done(struct proc *p);
void proc_set_name(struct proc *p, const char *path);
int proc_count(void);
struct proc *proc_find(int pid);
struct proc *proc_next_live(struct proc *prev);
struct proc *proc_next_any(struct proc *prev);
void proc_trace_drain_all(void);

/* sysinfo.c */
void proc_limits_init(struct proc *p, const struct proc *parent);

/* pgrp.c */
void pgrp_fork(struct proc *child, const struct proc *parent);
int pgrp_exists(int pgid, int sid);
int pgrp_signal(int pgid, int sig, int code, int sender);

/* exec.c */
long elf_load(struct proc *p, struct inode *ip, const char *path,
	      char *const argv[], int argc, char *const envp[], int envc);
long proc_execve(const char *path, char *const argv[], int argc,
		 char *const envp[], int envc);

#endif
