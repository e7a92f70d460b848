/*
 * Spinlocks for state shared by the two cores (console, memory FS, file
 * table).  The holder must not sleep.  Interrupts need not be disabled: the
 * normal-core kernel runs with them off, and the IO core never takes traps.
 * Each lock's users and its place in the lock order are written where the
 * lock is declared.
 *
 * Acquire is an atomic swap with acquire ordering (pairs with the release
 * store in spin_unlock); the waiter loop uses a plain load so that it does not
 * bounce the line, and a `pause` hint.  A waiter counts itself in `waiters`
 * while it spins, so that a holder in a long loop can see it (spin_contended)
 * and let it in (lock_break, core/resched.c) -- the fast path is unchanged.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "core/types.h"

struct spinlock {
	uint32_t locked;
	uint32_t waiters; /* spinning in spin_lock for it now */
	const char *name;
};

#define SPINLOCK_INIT(n)                                                       \
	{                                                                      \
		.locked = 0, .waiters = 0, .name = n                           \
	}

static inline void cpu_pause(void)
{
	asm volatile(".insn i 0x0f, 0, x0, x0, 0x010"); /* Zihintpause */
}

static inline bool spin_trylock(struct spinlock *l)
{
	/* acquire: pairs with the release in spin_unlock() */
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(struct spinlock *l)
{
	if (likely(spin_trylock(l)))
		return;
	__atomic_add_fetch(&l->waiters, 1, __ATOMIC_RELAXED);
	do {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_pause();
	} while (!spin_trylock(l));
	/* release: lock_break() sees the lock taken before the count drop */
	__atomic_sub_fetch(&l->waiters, 1, __ATOMIC_RELEASE);
}

/* Held by the caller: does someone wait for it? */
static inline bool spin_contended(struct spinlock *l)
{
	return __atomic_load_n(&l->waiters, __ATOMIC_RELAXED) != 0;
}

static inline void spin_unlock(struct spinlock *l)
{
	/* release: pairs with the acquire in spin_lock() */
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
