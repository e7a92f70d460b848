/*
 * Signals as Linux has them (signal.c): per-process dispositions, the
 * blocked mask and the pending set, delivery on the way back to user mode
 * through an rt_sigframe on the user stack, and the trampoline page every
 * process has for the handler's return.
 *
 * Interface: signal_send() raises a signal in a process (kill, faults,
 * SIGPIPE); trapvec.S calls signal_deliver() when tf->sigwork is set;
 * sleep_on_intr() is sleep_on() that a signal ends (-ERESTARTSYS);
 * signal_mask_enter/leave() apply ppoll's and pselect6's mask for a call;
 * signal_fault() hands a user fault to a handler; signals_fork() and
 * signals_exec() for process creation and exec; sigtramp_map() for exec;
 * signal_timers() and signal_next_alarm() for the timer scan (proc.c),
 * only while itimer_maybe; signal_child_exit() (SIGCHLD) from proc_exit();
 * signal_dequeue() for a signalfd's read (fs/signalfd.c).
 *
 * Locking: normal-core state, interrupts off (core/proc.h).
 */
#ifndef KERNEL_CORE_SIGNAL_H
#define KERNEL_CORE_SIGNAL_H

#include "core/types.h"
#include "uapi/abi.h"
#include "uapi/layout.h"

/* kernel-internal results of an interrupted call (never seen by the user) */
#define ERESTARTSYS 512	  /* -EINTR, or restarted under SA_RESTART */
#define ERESTARTNOHAND 514 /* -EINTR if a handler ran, else restarted */

/* the trampoline page: li a7, 139; ecall (read-execute, every process) */
#define SIGTRAMP_VA (USER_TOP - 0x1000)

struct siginfo_k {
	int code;
	int pid;
	uint64_t addr;
};

struct sigstate {
	struct abi_sigaction act[ABI_NSIG]; /* [sig - 1] */
	uint64_t blocked;		    /* bit sig - 1 */
	uint64_t pending;
	struct siginfo_k info[ABI_NSIG]; /* a pending signal's siginfo */
	struct abi_stack altstack;	 /* ss_flags: SS_DISABLE or 0 (+AUTODISARM) */
	uint64_t saved_mask; /* rt_sigsuspend, ppoll: the mask to restore */
	bool have_saved_mask;
	bool intr_sleep;  /* in sleep_on_intr: a signal wakes it */
	bool restart;	  /* the call returning now was interrupted */
	uint64_t restart_a0; /* its first argument, for a restart */
	uint64_t alarm_at;   /* ITIMER_REAL: SIGALRM at this time (0: off) */
	uint64_t alarm_every; /* and then every so many ticks (0: once) */
};

struct proc;
struct trapframe;

void signal_send(struct proc *p, int sig, int code, int pid, uint64_t addr);
void signal_deliver(struct trapframe *tf);
bool signal_fault(struct proc *p, int sig, int code, uint64_t addr);
long sleep_on_intr(const void *chan, uint64_t wake_time);
void signal_mask_enter(struct proc *p, uint64_t set);
void signal_mask_leave(struct proc *p, bool interrupted);
bool signal_pending(const struct proc *p);
int signal_dequeue(struct proc *p, uint64_t mask, struct siginfo_k *si);
void signal_send_group(struct proc *g, int sig, int code, int pid,
		       uint64_t addr);
void signals_fork(struct proc *child, const struct proc *parent, bool thread);
void signals_new_leader(struct proc *p, const struct proc *old);
void signals_exec(struct proc *p);
int sigtramp_map(struct proc *p);
void signal_child_exit(struct proc *parent, int pid, int wait_status);
extern bool itimer_maybe; /* some process may have ITIMER_REAL armed */
void signal_timers(uint64_t now);
uint64_t signal_next_alarm(void);

#endif
