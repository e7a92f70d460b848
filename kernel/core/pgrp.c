/*
 * Process groups and sessions as Linux has them (credentials(7)):
 * setpgid, getpgid, getsid, setsid, and what the console's job control
 * asks of them (drivers/console.c: its session and foreground group).
 * Every process has a group and a session (struct proc's pgid and sid),
 * inherited at fork and spawn; the first process leads both (pgid = sid =
 * its pid), and the console is its session's controlling terminal.
 *
 * Interface (core/proc.h): pgrp_fork() when a process is made,
 * pgrp_exists() and pgrp_signal() for the console and kill(2).
 * Not built: setpgid's EACCES for a child that has called execve (a child
 * may be moved after its exec too), SIGHUP to a session when its leader
 * exits, orphaned process groups.
 *
 * Locking: normal core only, interrupts off, as every system call (the
 * console's interrupt handler runs there too).
 */
#include "core/proc.h"
#include "core/signal.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

void pgrp_fork(struct proc *child, const struct proc *parent)
{
	if (parent) {
		child->pgid = parent->pgid;
		child->sid = parent->sid;
	} else {
		child->pgid = child->sid = child->pid; /* the first: init */
	}
}

/*
 * Is there a process in group pgid (a zombie not yet waited for counts, as
 * on Linux: a pipeline's group outlives its first process)?  1: in session
 * sid, -1: only in another session, 0: none (for TIOCSPGRP and setpgid).
 */
int pgrp_exists(int pgid, int sid)
{
	int r = 0;

	for (struct proc *p = proc_next_any(NULL); p; p = proc_next_any(p)) {
		if (p->pgid != pgid)
			continue;
		if (p->sid == sid)
			return 1;
		r = -1;
	}
	return r;
}

/*
 * sig to every process of group pgid (sig 0: none); how many it has,
 * zombies included (kill(2) of a group of zombies succeeds, as on Linux).
 */
int pgrp_signal(int pgid, int sig, int code, int sender)
{
	int n = 0;

	for (struct proc *p = proc_next_any(NULL); p; p = proc_next_any(p)) {
		if (p->pgid != pgid || p->leader != p)
			continue; /* each process once, by its leader */
		if (sig && p->state != P_ZOMBIE)
			signal_send_group(p, sig, code, sender, 0);
		n++;
	}
	return n;
}

/* Every thread of p's process gets the group and session. */
static void set_pgid_sid(struct proc *p, int pgid, int sid)
{
	for (struct proc *t = proc_next_any(NULL); t; t = proc_next_any(t)) {
		if (t->tgid == p->tgid) {
			t->pgid = pgid;
			t->sid = sid;
		}
	}
}

/* in Linux's order: EINVAL, ESRCH, EPERM */
long sys_setpgid(long pid, long pgid, long a2, long a3, long a4, long a5)
{
	struct proc *me = this_proc(), *p;

	pid = (int)pid;
	pgid = (int)pgid;
	if (pid == 0)
		pid = me->tgid;
	if (pgid == 0)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	p = pid == me->tgid ? me : proc_find_group(pid);
	if (pid < 0 || !p ||
	    (p->tgid != me->tgid && p->leader->parent != me->leader))
		return -ESRCH;
	if (p->sid != me->sid || p->tgid == p->sid)
		return -EPERM; /* another session, or a session leader */
	if (pgid != p->tgid && pgrp_exists(pgid, me->sid) != 1)
		return -EPERM; /* no such group in the session */
	set_pgid_sid(p, pgid, p->sid);
	return 0;
}

long sys_getpgid(long pid, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *me = this_proc();
	struct proc *p = (int)pid ? proc_find((int)pid) : me;

	if ((int)pid < 0 || !p)
		return -ESRCH;
	return p->pgid;
}

long sys_getsid(long pid, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *me = this_proc();
	struct proc *p = (int)pid ? proc_find((int)pid) : me;

	if ((int)pid < 0 || !p)
		return -ESRCH;
	return p->sid;
}

/* a new session and group led by the caller, without a terminal */
long sys_setsid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *me = this_proc();

	if (pgrp_exists(me->tgid, me->sid))
		return -EPERM; /* a group leader already */
	set_pgid_sid(me, me->tgid, me->tgid);
	return me->sid;
}
