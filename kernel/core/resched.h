/*
 * Preemption points for long kernel work (resched.c).  The normal core's
 * kernel is not preemptible and runs with interrupts off, so a long copy
 * (a 1 GiB readv, /dev/zero, the console) would hold every other process
 * off for its whole length; and a core spinning for a lock the other core
 * holds through a long copy would stall just as long.  Long loops therefore
 * work in chunks of RESCHED_CHUNK bytes and between two chunks, with no
 * spinlock held, call
 *
 *   cond_resched()   normal core: if an interrupt is pending (the timer: a
 *                    sleeper is due or the time slice is over; an IPI; the
 *                    UART), take it -- the timer handler yields when the
 *                    slice is over, as it does for user code.  Nothing on
 *                    the IO core.
 *
 * and, holding a spinlock another core may be spinning for,
 *
 *   spin_contended(l)  (spinlock.h) someone waits for l: then
 *   lock_break(l)    let go of l, wait until the waiters have had it, take
 *                    it again (what the holder protected may have changed:
 *                    revalidate).  lock_reacquire(l) is the second half,
 *                    for a caller that dropped l itself.
 *
 * The checks cost a CSR read or a load per chunk; a short call never
 * reaches one.  Locking: none of its own.
 */
#ifndef KERNEL_RESCHED_H
#define KERNEL_RESCHED_H

#include "arch/riscv/riscv.h"
#include "core/spinlock.h"
#include "core/types.h"

#define RESCHED_CHUNK (64 * 1024) /* bytes copied between two checks */

/* An interrupt is pending that the normal core would take in user mode. */
static inline bool resched_pending(void)
{
	return csr_read(sip) & (SIE_SSIE | SIE_STIE | SIE_SEIE);
}

void cond_resched(void);
void lock_break(struct spinlock *l);
void lock_reacquire(struct spinlock *l);

#endif
