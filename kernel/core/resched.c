/*
 * Preemption points for long kernel work: cond_resched() on the normal
 * core, lock_break() between the cores (see resched.h for the interface
 * and where they are used).
 *
 * Locking: cond_resched() runs with no spinlock held (an interrupt handler
 * may switch processes); lock_break() is called with l held and returns
 * with it held again, having let it go in between.
 */
#include "arch/riscv/riscv.h"
#include "core/proc.h"
#include "core/resched.h"
#include "core/spinlock.h"
#include "ring/iocore.h"

/*
 * Normal core, no spinlock held: take whatever interrupt is pending.  The
 * timer's handler wakes the sleepers that are due and, if the time slice
 * is over, yields (trap.c's timer_intr, taken here as from the idle loop:
 * kernel_trap).  Interrupts are off again on return.
 */
void cond_resched(void)
{
	struct hart *h = this_hart();

	if (h->role != HART_NORMAL || !h->proc || !resched_pending())
		return;
	intr_on();
	intr_off();
}

/* Wait a moment for the other core (the IO core in wfi under -icount). */
static void relax(void)
{
	if (this_hart()->role == HART_IO)
		iocore_relax();
	else
		cpu_pause();
}

/*
 * l was just let go by the caller: wait until those spinning for it have
 * had it (a waiter counts itself out once it holds l), then take it again.
 */
void lock_reacquire(struct spinlock *l)
{
	while (spin_contended(l))
		relax();
	while (!spin_trylock(l))
		relax();
}

/* l held: let its waiters have it, then hold it again. */
void lock_break(struct spinlock *l)
{
	spin_unlock(l);
	lock_reacquire(l);
}
