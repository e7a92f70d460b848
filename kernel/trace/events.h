/*
 * The trace points of the normal core and of the stream itself: one wrapper
 * per event (include/uapi/trace.h declares the events and their fields;
 * the IO core's and the rings' are in ring/ring_trace.h).  Each wrapper
 * packs its own fields, so a call site is one line and writes no bits.
 *
 *   trace_EVENT(...)    records if tracing is on: a load and a branch on
 *                       trace_on when it is off, the packing and an
 *                       out-of-line call when it is on
 *   __trace_EVENT(...)  records without testing trace_on, for code that
 *                       runs only when tracing (syscall_traced, the user
 *                       area's drain)
 *
 * A pair is recorded whole or not at all: trace_trap_enter() says whether
 * it recorded, and trace_trap_exit() takes that.
 *
 * Locking: none; a hart writes only its own buffer (trace/trace.h).
 */
#ifndef KERNEL_TRACE_EVENTS_H
#define KERNEL_TRACE_EVENTS_H

#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/types.h"
#include "trace/trace.h"
#include "uapi/trace.h"

_Static_assert(sizeof(((struct proc *)0)->pid) * 8 <=
		       TRACE_BITS(SWITCH, to_pid),
	       "a pid fits the trace's pid fields");

static inline void trace_hello(uint64_t timebase_hz, uint64_t harts)
{
	if (unlikely(trace_on))
		TRACE_RECORD(HELLO, .timebase_hz = timebase_hz, .harts = harts);
}

/* records a process's full user trace area dropped */
static inline void trace_lost_user(uint64_t records, int pid)
{
	if (unlikely(trace_on))
		TRACE_RECORD(LOST, .records = records, .pid = pid);
}

/* syscall_traced: user_trap chose it because tracing is on */
static inline void __trace_syscall_enter(uint64_t nr, int pid)
{
	TRACE_PUT(SYSCALL_ENTER, rdtime(), .nr = nr, .pid = pid);
}

static inline void __trace_syscall_exit(uint64_t nr, long result)
{
	TRACE_PUT(SYSCALL_EXIT, rdtime(), .nr = nr, .result = result);
}

/*
 * An interrupt or fault taken (sepc: still the trapped pc, interrupts are
 * off until the handler returns); returns whether it was recorded, for
 * trace_trap_exit, so that an exit is recorded if and only if its entry
 * was.
 */
static inline bool trace_trap_enter(uint64_t scause)
{
	if (likely(!trace_on))
		return false;
	TRACE_RECORD(TRAP_ENTER, .scause = scause, .sepc = csr_read(sepc));
	return true;
}

static inline void trace_trap_exit(bool traced, uint64_t scause)
{
	if (traced)
		TRACE_RECORD(TRAP_EXIT, .scause = scause);
}

static inline void trace_timer(int pid, bool preempted)
{
	if (unlikely(trace_on))
		TRACE_RECORD(TIMER, .pid = pid, .preempted = preempted);
}

static inline void trace_ipi_send(int to_hart)
{
	if (unlikely(trace_on))
		TRACE_RECORD(IPI_SEND, .to_hart = to_hart);
}

static inline void trace_ipi_recv(void)
{
	if (unlikely(trace_on))
		TRACE_RECORD(IPI_RECV);
}

/* from, to: pids, 0 for the scheduler */
static inline void trace_switch(int from, int to)
{
	if (unlikely(trace_on))
		TRACE_RECORD(SWITCH, .from_pid = from, .to_pid = to);
}

/* p was just made (parent: NULL for the first process) */
static inline void trace_spawn(const struct proc *p, const struct proc *parent)
{
	_Static_assert(sizeof(p->name) * 8 >= TRACE_BITS(SPAWN, name),
		       "SPAWN's name: the first bytes of p->name");
	if (unlikely(trace_on)) {
		uint64_t name8;

		memcpy(&name8, p->name, sizeof(name8));
		TRACE_RECORD(SPAWN, .pid = p->pid,
			     .parent = parent ? parent->pid : 0, .name = name8);
	}
}

/* a thread of p's group began (clone) or ended, not the group's last */
static inline void trace_thread(const struct proc *p, bool exited)
{
	if (unlikely(trace_on))
		TRACE_RECORD(THREAD, .tgid = p->tgid, .tid = p->pid,
			     .exited = exited);
}

static inline void trace_exit(int pid, int wait_status)
{
	if (unlikely(trace_on))
		TRACE_RECORD(EXIT, .pid = pid, .wait_status = wait_status);
}

_Static_assert(sizeof(struct trace_bits_USER_SUBMIT) ==
			       sizeof(struct trace_bits_USER_REAP) &&
		       TRACE_SAME_FIELD(USER_SUBMIT, USER_REAP, ring_fd) &&
		       TRACE_SAME_FIELD(USER_SUBMIT, USER_REAP, pid) &&
		       TRACE_SAME_FIELD(USER_SUBMIT, USER_REAP, first) &&
		       TRACE_SAME_FIELD(USER_SUBMIT, USER_REAP, count),
	       "USER_SUBMIT and USER_REAP have one layout");

/*
 * One batch from a process's user trace area (trace_user_drain, only when
 * tracing): u is the kernel's copy of the record, its event checked to be
 * USER_SUBMIT or USER_REAP, which share a layout.
 */
static inline void __trace_user_batch(const struct utrace_rec *u, int pid)
{
	struct trace_words w = TRACE_ARGS(USER_SUBMIT, .pid = pid,
					  .ring_fd = u->ring_fd,
					  .first = u->first, .count = u->count);

	trace_put(u->event, u->ts, w.a0, w.a1);
}

#endif
