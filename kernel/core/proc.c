/*
 * Processes on the normal core: the process table, spawn, fork (clone),
 * exit, wait4/waitid, the round-robin scheduler, sleep and wakeup.  exec
 * is exec.c's (elf_load, shared by spawn and execve; proc_execve); the
 * system calls around fork, execve and waitid are fork.c's.
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
#include "core/signal.h"
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
#include "uapi/layout.h"

static struct proc procs[NPROC];
static struct proc *init_proc;
static void reap(struct proc *c);
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

/*
 * A live thread of the thread group tgid: its leader if that is live (it
 * may have exited before the others), or NULL.
 */
struct proc *proc_find_group(int tgid)
{
	struct proc *any = NULL;

	for (int i = 0; i < NPROC; i++) {
		struct proc *t = &procs[i];

		if (t->state == P_UNUSED || t->state == P_ZOMBIE ||
		    t->tgid != tgid)
			continue;
		if (t == t->leader)
			return t;
		if (!any)
			any = t;
	}
	return any;
}

/* The name of a process running the program at path: its last component. */
void proc_set_name(struct proc *p, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strlcpy(p->name, base, sizeof(p->name));
}

/* A free slot, or NULL. */
static struct proc *proc_slot(void)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state == P_UNUSED)
			return &procs[i];
	return NULL;
}

/* Any process after prev in the table, zombies too (NULL: the first). */
struct proc *proc_next_any(struct proc *prev)
{
	for (int i = prev ? prev - procs + 1 : 0; i < NPROC; i++)
		if (procs[i].state != P_UNUSED)
			return &procs[i];
	return NULL;
}

/* The live process after prev in the table (NULL: the first), or NULL. */
struct proc *proc_next_live(struct proc *prev)
{
	for (int i = prev ? prev - procs + 1 : 0; i < NPROC; i++)
		if (procs[i].state != P_UNUSED && procs[i].state != P_ZOMBIE)
			return &procs[i];
	return NULL;
}

/* A new process's current directory: its parent's (a new reference). */
static struct inode *cwd_dup(struct proc *parent)
{
	struct inode *ip = NULL;

	if (parent) {
		spin_lock(&parent->files->fd_lock);
		ip = parent->files->cwd;
		if (ip)
			inode_get(ip);
		spin_unlock(&parent->files->fd_lock);
	}
	return ip;
}

/* The group state of a new process: its own group, of one thread. */
static void group_init(struct proc *p)
{
	p->tgid = p->pid;
	p->leader = p;
	p->nthreads = 1;
	p->group_exiting = false;
	p->group_status = 0;
	p->group_exec = NULL;
	p->dead_ticks = 0;
}

/* A new process's own address space and fd table, empty; -ENOMEM. */
static long proc_alloc_mm_files(struct proc *p)
{
	p->mm = mm_alloc();
	p->files = files_alloc();
	if (p->mm && p->files)
		return 0;
	if (p->mm)
		mm_free(p->mm);
	if (p->files)
		files_free(p->files);
	p->mm = NULL;
	p->files = NULL;
	return -ENOMEM;
}

/* Undo proc_alloc_mm_files() and what was mapped since. */
static void proc_free_mm_files(struct proc *p)
{
	if (p->mm->pagetable)
		uvm_free(p->mm->pagetable);
	mm_free(p->mm); /* its trace area went with the page table */
	files_free(p->files);
	p->mm = NULL;
	p->files = NULL;
}

int proc_spawn(const char *path, char *const argv[], int argc,
	       struct proc *parent)
{
	struct proc *p = NULL;
	struct inode *ip;
	long err;

	p = proc_slot();
	if (!p)
		return -EAGAIN;
	ip = fs_lookup(parent ? parent->files->cwd : NULL, path, &err);
	if (!ip)
		return err;
	err = proc_alloc_mm_files(p);
	if (!err) {
		p->mm->pagetable = uvm_create();
		if (!p->mm->pagetable)
			err = -ENOMEM;
	}
	if (err) {
		if (p->mm)
			proc_free_mm_files(p);
		inode_put(ip);
		return err;
	}
	memset(p->tf, 0, sizeof(*p->tf));
	p->leader = p;
	signals_fork(p, parent, false); /* spawn = fork + exec */
	signals_exec(p);
	/* init gets Linux's initial environment; spawn passes none */
	err = elf_load(p, ip, path, argv, argc, parent ? NULL : init_env,
		       parent ? 0 : ARRAY_SIZE(init_env));
	inode_put(ip);
	if (!err)
		err = mmap_exec(p); /* its VMAs, from what exec mapped */
	if (err < 0) {
		proc_free_mm_files(p);
		return err;
	}
	/* fds are inherited as by fork + exec: close-on-exec ones are not.
	 * The parent's table under its fd_lock: the IO core may be changing
	 * it for one of the parent's rings */
	if (parent)
		spin_lock(&parent->files->fd_lock);
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = NULL;

		if (parent && !parent->files->cloexec[fd])
			f = parent->files->ofile[fd];
		else if (!parent && fd < 3)
			f = console_file();
		p->files->ofile[fd] = f ? file_dup(f) : NULL;
		p->files->cloexec[fd] = false;
	}
	if (parent)
		spin_unlock(&parent->files->fd_lock);
	p->run_ticks = 0;
	proc_set_name(p, path);
	p->pid = next_pid++;
	group_init(p);
	p->parent = parent ? parent->leader : NULL;
	p->clear_child_tid = p->robust_list = 0;
	p->vfork_pending = false;
	p->files->cwd = cwd_dup(parent);
	proc_limits_init(p, parent);
	pgrp_fork(p, parent);
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
	if (unlikely(itimer_maybe))
		signal_timers(now); /* setitimer's SIGALRMs */
	if (unlikely(timerfd_armed))
		timerfd_timers(now); /* fs/timerfd.c */
}

uint64_t next_wake_time(void)
{
	uint64_t t = ~0UL;

	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_SLEEPING && p->wake_time && p->wake_time < t)
			t = p->wake_time;
	}
	if (unlikely(itimer_maybe))
		t = MIN(t, signal_next_alarm());
	if (unlikely(timerfd_armed))
		t = MIN(t, timerfd_next());
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
		csr_write(satp, MAKE_SATP(p->mm->pagetable));
		sfence_vma();
		h->stack_lo = p->kstack_lo;
		timer_program();
		fpu_switch_in(p);
		swtch(&h->sched_ctx, &p->ctx);
		p->run_ticks += rdtime() - p->run_start;
		fpu_switch_out(p);
		if (p->state != P_ZOMBIE)
			trace_user_drain_full(p);
		else if (p->leader != p)
			reap(p); /* a thread: nobody waits for it */
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

		if (p->state != P_UNUSED && p->state != P_ZOMBIE && p->mm &&
		    p->mm->utrace)
			trace_user_drain(p);
	}
}

/*
 * The last thread of a group is gone: the group's fds, cwd, mappings,
 * rings and page table go, and its leader (a zombie now) is reported to
 * the parent with the group's status: exit_group's or the fatal signal's,
 * else the leader's own exit status.  p is the last thread.
 */
static void group_end(struct proc *p)
{
	struct proc *l = p->leader;
	int status = l->group_exiting ? l->group_status : l->wait_status;
	struct inode *ip;

	/* a ring's OPENAT may still be running: no new fds from here on */
	spin_lock(&p->files->fd_lock);
	p->files->exiting = true;
	spin_unlock(&p->files->fd_lock);
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = fd_remove(p, fd, false);

		if (f)
			file_put(f);
	}
	spin_lock(&p->files->fd_lock);
	ip = p->files->cwd;
	p->files->cwd = NULL;
	spin_unlock(&p->files->fd_lock);
	if (ip)
		inode_put(ip);
	/* the IO core lets go of the group's rings before its memory goes */
	mmap_exit(p);
	ring_exit_all(l);
	if (p->mm->utrace) {
		trace_user_drain(l);
		p->mm->utrace = NULL; /* its pages go with the page table */
	}
	trace_exit(l->pid, status);
	kvm_switch_kernel();
	uvm_free(p->mm->pagetable);
	mm_free(p->mm);
	files_free(p->files);
	p->mm = l->mm = NULL;
	p->files = l->files = NULL;
	if (l == init_proc) {
		int code = (status & 0x7f) ? 128 + (status & 0x7f)
					   : (status >> 8) & 0xff;

		kprintf("init exited with status %d; powering off\n", code);
		proc_trace_drain_all();
		machine_poweroff(code);
	}
	for (int i = 0; i < NPROC; i++) {
		if (procs[i].parent == l) {
			procs[i].parent = init_proc;
			if (procs[i].state == P_ZOMBIE)
				wakeup(init_proc);
		}
	}
	l->wait_status = status;
	l->state = P_ZOMBIE;
	if (l->parent)
		signal_child_exit(l->parent, l->pid, status);
	wakeup(l->parent);
}

/*
 * The calling thread ends (exit(2)): CLONE_CHILD_CLEARTID's word is
 * cleared and its futex woken (pthread_join waits on it), and the last
 * thread ends the group.  A thread other than the leader is reaped by the
 * scheduler once it is off its stack; the leader stays a zombie until its
 * group has ended and its parent has waited for it.
 */
void proc_thread_exit(int wait_status)
{
	struct proc *p = this_proc(), *l = p->leader;

	fpu_exit(p);
	proc_exec_done(p); /* a vfork parent goes on */
	if (p->clear_child_tid && l->nthreads > 1) {
		uint32_t zero = 0;

		/* as Linux's mm_release: failures are ignored */
		if (copyout(p->mm->pagetable, p->clear_child_tid, &zero,
			    sizeof(zero)) == 0)
			futex_wake_addr(p, p->clear_child_tid, 1);
	}
	futex_exit(p); /* the robust list, and no longer a waiter */
	l->dead_ticks += p->run_ticks + (rdtime() - p->run_start);
	p->wait_status = wait_status;
	if (--l->nthreads == 0) {
		group_end(p);
	} else {
		p->mm->users--;
		p->files->users--;
		wakeup(&l->nthreads); /* an execve waiting for the others */
		trace_thread(p, true);
	}
	p->state = P_ZOMBIE;
	sched();
	panic("zombie ran");
}

/* Every other thread of p's group gets SIGKILL (exit_group, execve). */
static void kill_other_threads(struct proc *p)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *t = &procs[i];

		if (t != p && t->leader == p->leader && t->state != P_UNUSED &&
		    t->state != P_ZOMBIE)
			signal_send(t, ABI_SIGKILL, ABI_SI_KERNEL, 0, 0);
	}
}

/*
 * The whole thread group exits with wait_status (wait4's format):
 * exit_group(2), or a signal's default action.  The other threads are
 * killed; the group ends when the last of them is gone.
 */
void proc_exit(int wait_status)
{
	struct proc *p = this_proc(), *l = p->leader;

	if (l->group_exec && l->group_exec != p)
		proc_thread_exit(wait_status); /* killed by an execve */
	if (!l->group_exiting) {
		l->group_exiting = true;
		l->group_status = wait_status;
		kill_other_threads(p);
	}
	proc_thread_exit(wait_status);
}

/*
 * execve in a group of several threads (Linux's de_thread): the other
 * threads are killed and waited for; a thread other than the leader takes
 * the leader's place and pid, as on Linux.  Returns the old leader, a
 * zombie whose slot still names the group's rings (ring owner): the caller
 * hands it to proc_exec_reap() once ring_exit_all() has run for it; NULL
 * if p was the leader.
 */
struct proc *proc_exec_alone(struct proc *p)
{
	struct proc *l = p->leader;

	if (l->nthreads == 1 && l == p)
		return NULL;
	l->group_exec = p;
	kill_other_threads(p);
	while (l->nthreads > 1)
		sleep_on(&l->nthreads, 0);
	l->group_exec = NULL;
	if (l == p)
		return NULL;
	/* the old leader is a zombie of this group: p becomes the leader */
	trace_thread(p, true);
	p->pid = l->pid;
	p->parent = l->parent;
	p->leader = p;
	p->nthreads = 1;
	p->group_exiting = false;
	p->group_exec = NULL;
	p->dead_ticks = l->dead_ticks;
	signals_new_leader(p, l);
	for (int i = 0; i < NPROC; i++)
		if (procs[i].parent == l)
			procs[i].parent = p;
	return l;
}

void proc_exec_reap(struct proc *old)
{
	old->mm->users--;
	old->files->users--;
	reap(old);
}

/*
 * A vfork child has exec'd or is exiting: the parent, sleeping in
 * proc_fork(), goes on.
 */
void proc_exec_done(struct proc *p)
{
	if (p->vfork_pending) {
		p->vfork_pending = false;
		wakeup(&p->vfork_pending);
	}
}

/* what pthread_create asks for: a thread of the caller's group */
#define CLONE_THREAD_SET                                                       \
	(ABI_CLONE_VM | ABI_CLONE_FS | ABI_CLONE_FILES | ABI_CLONE_SIGHAND |   \
	 ABI_CLONE_THREAD)
#define CLONE_OK                                                               \
	(ABI_CSIGNAL | ABI_CLONE_VFORK | ABI_CLONE_SETTLS |                    \
	 ABI_CLONE_PARENT_SETTID | ABI_CLONE_CHILD_CLEARTID |                  \
	 ABI_CLONE_CHILD_SETTID | ABI_CLONE_SYSVSEM | ABI_CLONE_DETACHED |     \
	 CLONE_THREAD_SET)

/*
 * Which clone flags are taken: Linux's rules (CLONE_THREAD needs
 * CLONE_SIGHAND, which needs CLONE_VM), and of the sharing flags only the
 * two ways they come here: all of CLONE_THREAD_SET (a thread), or none but
 * CLONE_VM with CLONE_VFORK (vfork, posix_spawn: the child gets a copy).
 * Anything else is -EINVAL rather than a half-shared process.
 */
static long clone_flags_ok(uint64_t flags)
{
	uint64_t share = flags & CLONE_THREAD_SET;

	if (flags & ~CLONE_OK)
		return -EINVAL; /* namespaces, pidfds, ...: not built */
	if ((flags & ABI_CLONE_THREAD) && !(flags & ABI_CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & ABI_CLONE_SIGHAND) && !(flags & ABI_CLONE_VM))
		return -EINVAL;
	if (share == CLONE_THREAD_SET || share == 0)
		return 0;
	if (share == ABI_CLONE_VM && (flags & ABI_CLONE_VFORK))
		return 0;
	return -EINVAL;
}

/* A fork child's own copy of me's address space, trace area and fds. */
static long fork_copy_mm_files(struct proc *p, struct proc *me)
{
	long err = proc_alloc_mm_files(p);

	if (err)
		return err;
	p->mm->pagetable = uvm_create();
	if (!p->mm->pagetable ||
	    uvm_copy(p->mm->pagetable, me->mm->pagetable) < 0 ||
	    mmap_fork(p, me) < 0) {
		proc_free_mm_files(p);
		return -ENOMEM;
	}
	/* the user trace area: the child's own copy of it */
	if (me->mm->utrace) {
		p->mm->utrace = uvm_page(p->mm->pagetable, UTRACE_VA, PTE_W);
		p->mm->utrace_tail = me->mm->utrace_tail;
		for (int i = 0; i < UTRACE_REC_PAGES; i++)
			p->mm->utrace_rec[i] =
				uvm_page(p->mm->pagetable,
					 UTRACE_VA + (1 + i) * PGSIZE, PTE_W);
	}
	spin_lock(&me->files->fd_lock);
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = me->files->ofile[fd];

		p->files->ofile[fd] = f ? file_dup(f) : NULL;
		p->files->cloexec[fd] = f && me->files->cloexec[fd];
	}
	spin_unlock(&me->files->fd_lock);
	p->files->cwd = cwd_dup(me);
	return 0;
}

/*
 * clone.  Fork-style: a new process with a copy of the caller's address
 * space (every page copied now; ring mappings are not inherited, see
 * mmap_fork), its fds (each file shared, close-on-exec kept), cwd, FP
 * state, rlimits and registers, a0 = 0; with CLONE_VFORK the caller sleeps
 * until the child execs or exits.  Thread-style (CLONE_THREAD_SET): a new
 * thread of the caller's group, sharing its address space, fds, cwd and
 * signal dispositions, with its own tid, registers, FP state, signal mask
 * and stack (newsp).  Returns the child's pid (tid) or -errno.
 */
long proc_fork(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
	       uint64_t ctid)
{
	struct proc *me = this_proc(), *p;
	bool thread = flags & ABI_CLONE_THREAD;
	uint64_t ksig = flags & ABI_CSIGNAL;
	long err;
	int pid;

	err = clone_flags_ok(flags);
	if (err)
		return err;
	if (ksig > 64)
		return -EINVAL;
	p = proc_slot();
	if (!p)
		return -EAGAIN;
	if (thread) {
		p->mm = me->mm;
		p->mm->users++;
		p->files = me->files;
		p->files->users++;
	} else {
		err = fork_copy_mm_files(p, me);
		if (err)
			return err;
	}
	memcpy(p->name, me->name, sizeof(p->name));
	pid = p->pid = next_pid++;
	if (thread) {
		p->tgid = me->tgid;
		p->leader = me->leader;
		p->leader->nthreads++;
		p->parent = me->leader->parent;
		p->group_exec = NULL;
	} else {
		group_init(p);
		p->parent = me->leader;
	}
	p->robust_list = 0; /* Linux: not inherited */
	p->clear_child_tid =
		flags & ABI_CLONE_CHILD_CLEARTID ? ctid : 0;
	memset(&p->futex, 0, sizeof(p->futex));
	memcpy(p->rlim, me->rlim, sizeof(p->rlim));
	p->umask = me->umask;
	pgrp_fork(p, me);
	p->run_ticks = 0; /* the child's CPU time starts at 0 */
	fpu_copy(p, me);
	*p->tf = *me->tf;
	p->tf->a0 = 0;
	/* handlers (shared by a thread), mask; nothing pending */
	signals_fork(p, me, thread);
	if (newsp)
		p->tf->sp = newsp;
	if (flags & ABI_CLONE_SETTLS)
		p->tf->tp = tls;
	p->tf->hart = &harts[normal_hart];
	memset(&p->ctx, 0, sizeof(p->ctx));
	p->ctx.ra = (uint64_t)proc_first_return;
	p->ctx.sp = (uint64_t)p->tf;
	/* the tids: failures are ignored, as Linux's put_user there */
	if (flags & ABI_CLONE_CHILD_SETTID)
		copyout(p->mm->pagetable, ctid, &pid, sizeof(pid));
	if (flags & ABI_CLONE_PARENT_SETTID)
		copyout(me->mm->pagetable, ptid, &pid, sizeof(pid));
	p->vfork_pending = flags & ABI_CLONE_VFORK;
	p->state = P_RUNNABLE;
	if (thread)
		trace_thread(p, false);
	else
		trace_spawn(p, me);
	while (p->vfork_pending)
		sleep_on(&p->vfork_pending, 0);
	return pid;
}

/*
 * The child wait4/waitid may report: with pid > 0 that one, -1 any, 0 one
 * in the caller's process group, < -1 one in group -pid (core/pgrp.c);
 * pgid > 0 (waitid's P_PGID) one in that group, whatever pid says.  *have
 * is set if some child matches at all; returns a zombie among them, or
 * NULL.
 */
static struct proc *find_zombie(struct proc *me, int pid, int pgid,
				bool *have)
{
	if (!pgid && pid == 0)
		pgid = me->pgid;
	else if (!pgid && pid < -1)
		pgid = -pid;
	*have = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *c = &procs[i];

		if (c->parent != me || c->state == P_UNUSED || c->leader != c)
			continue; /* not a child, or a thread of one */
		if (pgid ? c->pgid != pgid : (pid > 0 && c->pid != pid))
			continue;
		*have = true;
		if (c->state == P_ZOMBIE && c->nthreads == 0)
			return c; /* its whole group has ended */
	}
	return NULL;
}

static void reap(struct proc *c)
{
	c->state = P_UNUSED;
	c->parent = NULL;
	c->leader = NULL;
	c->mm = NULL;
	c->files = NULL;
	c->pid = c->tgid = 0;
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
	struct proc *me = this_proc()->leader; /* any of its threads */

	if ((unsigned int)options & ~(unsigned int)WAIT_OPTIONS)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if ((options & ABI___WCLONE) && !(options & ABI___WALL))
		return -ECHILD;
	for (;;) {
		bool have_child;
		struct proc *c = find_zombie(me, pid, 0, &have_child);

		if (c) {
			int cpid = c->pid;

			/* reaped even if the status cannot be stored, as Linux */
			reap(c);
			if (ustatus &&
			    copyout(me->mm->pagetable, ustatus, &c->wait_status,
				    sizeof(int)) < 0)
				return -EFAULT;
			return cpid;
		}
		if (!have_child)
			return -ECHILD;
		if (options & ABI_WNOHANG)
			return 0;
		long r = sleep_on_intr(me, 0);

		if (r)
			return r;
	}
}

#define WAITID_OK                                                              \
	(ABI_WNOHANG | ABI_WUNTRACED | ABI_WEXITED | ABI_WCONTINUED |          \
	 ABI_WNOWAIT | ABI___WNOTHREAD | ABI___WALL | ABI___WCLONE)

/*
 * waitid: P_PID, P_ALL, P_PGID (id 0: the caller's group); WEXITED must be
 * given (only exits are reported); WNOWAIT leaves the child a zombie.
 * Fills siginfo_t (SIGCHLD, CLD_EXITED or CLD_KILLED, pid, status); with
 * WNOHANG and no child ready, si_pid and si_signo are 0, as Linux.
 */
long proc_waitid(int idtype, int id, uint64_t uinfo, int options)
{
	struct proc *me = this_proc()->leader;
	uint8_t info[ABI_SIGINFO_SIZE];
	struct abi_siginfo_chld *si = (struct abi_siginfo_chld *)info;
	int pid, pgid = 0;

	if ((uint32_t)options & ~(uint32_t)WAITID_OK)
		return -EINVAL;
	if (!(options & (ABI_WEXITED | ABI_WUNTRACED | ABI_WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case ABI_P_ALL:
		pid = -1;
		break;
	case ABI_P_PID:
		if (id <= 0)
			return -EINVAL;
		pid = id;
		break;
	case ABI_P_PGID:
		if (id < 0)
			return -EINVAL;
		pid = 0;
		pgid = id ? id : me->pgid; /* 0: the caller's group */
		break;
	default:
		return -EINVAL;
	}
	memset(info, 0, sizeof(info));
	for (;;) {
		bool have_child;
		struct proc *c = NULL;

		if (options & ABI_WEXITED)
			c = find_zombie(me, pid, pgid, &have_child);
		else
			find_zombie(me, pid, pgid, &have_child);
		if (c) {
			int ws = c->wait_status;

			si->si_signo = ABI_SIGCHLD;
			si->si_pid = c->pid;
			if (ws & 0x7f) {
				si->si_code = ABI_CLD_KILLED;
				si->si_status = ws & 0x7f;
			} else {
				si->si_code = ABI_CLD_EXITED;
				si->si_status = (ws >> 8) & 0xff;
			}
			if (!(options & ABI_WNOWAIT))
				reap(c);
			break;
		}
		if (!have_child)
			return -ECHILD;
		if (options & ABI_WNOHANG)
			break;
		long r = sleep_on_intr(me, 0);

		if (r)
			return r;
	}
	if (uinfo && copyout(me->mm->pagetable, uinfo, info, sizeof(info)) < 0)
		return -EFAULT;
	return 0;
}
