/*
 * Processes on the normal core: the process table, spawn/exit/wait4, the
 * round-robin scheduler, sleep and wakeup.
 *
 * Locking: everything here is normal-core state used with interrupts off
 * (see proc.h); the normal-core kernel is not preemptible, so a check
 * followed by sleep_on() cannot miss a wakeup from an interrupt handler.
 */
#include "arch/riscv/fpu.h"
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/boot.h"
#include "core/panic.h"
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "fs/fs.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "platform/platform.h"
#include "ring/ring.h"
#include "trace/events.h"
#include "trace/trace.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

static struct proc procs[NPROC];
static struct proc *init_proc;
static int next_pid = 1;
static int rr_next; /* where the round-robin scan starts */

void user_return(struct trapframe *tf) __attribute__((noreturn));
void swtch(struct context *old, struct context *new);

void proc_init(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		p->kstack_lo = kstack_alloc(i);
		p->tf = (struct trapframe *)(p->kstack_lo + KSTACK_PAGES * PGSIZE -
					     sizeof(struct trapframe));
	}
}

int proc_count(void)
{
	int n = 0;

	for (int i = 0; i < NPROC; i++)
		n += procs[i].state != P_UNUSED;
	return n;
}

/* The first return of a new process: straight to user mode. */
static void proc_first_return(void)
{
	user_return(this_proc()->tf);
}

/*
 * Create a process running the ELF file at path with argv[0..argc-1]; it
 * inherits parent's open files (parent NULL: the console on fds 0-2).
 * Returns its pid or -errno.
 */
static char *const init_env[] = { "HOME=/", "TERM=linux" };

/* The live (not zombie) process with this pid, or NULL. */
struct proc *proc_find(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != P_UNUSED && procs[i].state != P_ZOMBIE &&
		    procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

int proc_spawn(const char *path, char *const argv[], int argc,
	       struct proc *parent)
{
	struct proc *p = NULL;
	struct inode *ip;
	const char *base;
	long err;

	for (int i = 0; i < NPROC; i++) {
		if (procs[i].state == P_UNUSED) {
			p = &procs[i];
			break;
		}
	}
	if (!p)
		return -EAGAIN;
	ip = fs_lookup(NULL, path, &err);
	if (!ip)
		return err;
	p->pagetable = uvm_create();
	if (!p->pagetable) {
		inode_put(ip);
		return -ENOMEM;
	}
	memset(p->tf, 0, sizeof(*p->tf));
	/* init gets Linux's initial environment; spawn passes none */
	err = elf_load(p, ip, path, argv, argc, parent ? NULL : init_env,
		       parent ? 0 : ARRAY_SIZE(init_env));
	inode_put(ip);
	if (!err)
		err = mmap_exec(p); /* its VMAs, from what exec mapped */
	if (err < 0) {
		uvm_free(p->pagetable);
		p->pagetable = NULL;
		p->utrace = NULL; /* its pages went with the page table */
		return err;
	}
	/* fds are inherited as by fork + exec: close-on-exec ones are not.
	 * The parent's table under its fd_lock: the IO core may be changing
	 * it for one of the parent's rings */
	p->exiting = false;
	if (parent)
		spin_lock(&parent->fd_lock);
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = NULL;

		if (parent && !parent->cloexec[fd])
			f = parent->ofile[fd];
		else if (!parent && fd < 3)
			f = console_file();
		p->ofile[fd] = f ? file_dup(f) : NULL;
		p->cloexec[fd] = false;
	}
	if (parent)
		spin_unlock(&parent->fd_lock);
	memset(&p->xlate, 0, sizeof(p->xlate));
	p->mm_gen = 0;
	p->run_ticks = 0;
	base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strlcpy(p->name, base, sizeof(p->name));
	p->pid = next_pid++;
	p->parent = parent;
	p->clear_child_tid = p->robust_list = 0;
	proc_limits_init(p, parent);
	p->tf->hart = &harts[normal_hart];
	memset(&p->ctx, 0, sizeof(p->ctx));
	p->ctx.ra = (uint64_t)proc_first_return;
	p->ctx.sp = (uint64_t)p->tf;
	p->state = P_RUNNABLE;
	if (!init_proc)
		init_proc = p;
	trace_spawn(p, parent);
	return p->pid;
}

static void sched(void)
{
	struct hart *h = this_hart();

	swtch(&h->proc->ctx, &h->sched_ctx);
}

void yield(void)
{
	this_proc()->state = P_RUNNABLE;
	sched();
}

/* Sleep until wakeup(chan) or, if wake_time != 0, until that time. */
void sleep_on(const void *chan, uint64_t wake_time)
{
	struct proc *p = this_proc();

	p->chan = chan;
	p->wake_time = wake_time;
	p->state = P_SLEEPING;
	sched();
	p->chan = NULL;
	p->wake_time = 0;
}

void wakeup(const void *chan)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_SLEEPING && p->chan == chan)
			p->state = P_RUNNABLE;
	}
}

void wakeup_timers(uint64_t now)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_SLEEPING && p->wake_time && p->wake_time <= now)
			p->state = P_RUNNABLE;
	}
}

uint64_t next_wake_time(void)
{
	uint64_t t = ~0UL;

	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_SLEEPING && p->wake_time && p->wake_time < t)
			t = p->wake_time;
	}
	return t;
}

static struct proc *pick_next(void)
{
	for (int n = 0; n < NPROC; n++) {
		struct proc *p = &procs[(rr_next + n) % NPROC];

		if (p->state == P_RUNNABLE) {
			rr_next = (p - procs + 1) % NPROC;
			return p;
		}
	}
	return NULL;
}

/*
 * The normal core's scheduler loop, on the hart's own stack.  With nothing
 * to run it waits in wfi with interrupts masked (so that no wakeup is missed
 * between the check and the wfi), then takes the pending interrupt.
 */
void scheduler(void)
{
	struct hart *h = this_hart();
	uint64_t slice = time_us_to_ticks(TIMESLICE_US);

	for (;;) {
		struct proc *p;

		intr_off();
		wakeup_timers(rdtime());
		p = pick_next();
		if (!p) {
			timer_program();
			trace_drain(false); /* idle: send the trace records */
			wfi();
			intr_on();
			intr_off();
			continue;
		}
		p->state = P_RUNNING;
		trace_switch(0, p->pid);
		p->run_start = rdtime();
		p->slice_end = p->run_start + slice;
		h->proc = p;
		csr_write(satp, MAKE_SATP(p->pagetable));
		sfence_vma();
		h->stack_lo = p->kstack_lo;
		timer_program();
		fpu_switch_in(p);
		swtch(&h->sched_ctx, &p->ctx);
		p->run_ticks += rdtime() - p->run_start;
		fpu_switch_out(p);
		if (p->state != P_ZOMBIE)
			trace_user_drain_full(p);
		trace_switch(p->pid, 0);
		h->proc = NULL;
		h->stack_lo = h->sched_stack_lo;
	}
}

/*
 * Tracing: move every live process's user-side records into the stream
 * (before power-off, and before trace_ctl pauses recording).
 */
void proc_trace_drain_all(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state != P_UNUSED && p->state != P_ZOMBIE && p->utrace)
			trace_user_drain(p);
	}
}

/* Exit the current process; wait_status is in wait4's format. */
void proc_exit(int wait_status)
{
	struct proc *p = this_proc();

	fpu_exit(p);
	/* a ring's OPENAT may still be running: no new fds from here on */
	spin_lock(&p->fd_lock);
	p->exiting = true;
	spin_unlock(&p->fd_lock);
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = fd_remove(p, fd, false);

		if (f)
			file_put(f);
	}
	/* the IO core lets go of this process's rings before its memory goes */
	mmap_exit(p);
	ring_exit_all(p);
	if (p->utrace) {
		trace_user_drain(p);
		p->utrace = NULL; /* its pages go with the page table */
	}
	trace_exit(p->pid, wait_status);
	kvm_switch_kernel();
	uvm_free(p->pagetable);
	p->pagetable = NULL;
	if (p == init_proc) {
		int code = (wait_status & 0x7f) ? 128 + (wait_status & 0x7f)
						: (wait_status >> 8) & 0xff;

		kprintf("init exited with status %d; powering off\n", code);
		proc_trace_drain_all();
		machine_poweroff(code);
	}
	for (int i = 0; i < NPROC; i++) {
		if (procs[i].parent == p) {
			procs[i].parent = init_proc;
			if (procs[i].state == P_ZOMBIE)
				wakeup(init_proc);
		}
	}
	p->wait_status = wait_status;
	p->state = P_ZOMBIE;
	wakeup(p->parent);
	sched();
	panic("zombie ran");
}

/*
 * wait4's options as Linux takes them: WNOHANG; WUNTRACED and WCONTINUED
 * (no process stops here, so they add nothing); __WNOTHREAD (one thread
 * per process); __WALL and __WCLONE (every child is a SIGCHLD child, so
 * __WCLONE alone matches none: -ECHILD).  Any other bit is -EINVAL, and
 * pid INT_MIN -ESRCH, as Linux.
 */
#define WAIT_OPTIONS                                                           \
	(ABI_WNOHANG | ABI_WUNTRACED | ABI_WCONTINUED | ABI___WNOTHREAD |      \
	 ABI___WALL | ABI___WCLONE)

long proc_wait(int pid, uint64_t ustatus, int options)
{
	struct proc *me = this_proc();

	if ((unsigned int)options & ~(unsigned int)WAIT_OPTIONS)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if ((options & ABI___WCLONE) && !(options & ABI___WALL))
		return -ECHILD;
	for (;;) {
		bool have_child = false;

		for (int i = 0; i < NPROC; i++) {
			struct proc *c = &procs[i];

			if (c->parent != me || c->state == P_UNUSED)
				continue;
			if (pid > 0 && c->pid != pid)
				continue;
			if (pid < -1)
				continue; /* no process groups */
			have_child = true;
			if (c->state != P_ZOMBIE)
				continue;
			int cpid = c->pid;

			/* reaped even if the status cannot be stored, as Linux */
			c->state = P_UNUSED;
			c->parent = NULL;
			c->pid = 0;
			if (ustatus && copyout(me->pagetable, ustatus,
					       &c->wait_status, sizeof(int)) < 0)
				return -EFAULT;
			return cpid;
		}
		if (!have_child)
			return -ECHILD;
		if (options & ABI_WNOHANG)
			return 0;
		sleep_on(me, 0);
	}
}
