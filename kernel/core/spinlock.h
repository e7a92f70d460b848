/*
 * Spinlocks for state shared by the two cores (console, memory FS, file
 * table).  The holder must not sleep.  Interrupts need not be disabled: the
 * normal-core kernel runs with them off, and the IO core never takes traps.
 * Each lock's users and its place in the lock order are written where the
 * lock is declared.
 *
 * Acquire is an atomic swap with acquire ordering (pairs with the release
 * store in spin_unlock); the waiter loop uses a plain load so that it does not
 * bounce the line, and a `pause` hint.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "core/types.h"

struct spinlock {
	uint32_t locked;
	const char *name;
};

#define SPINLOCK_INIT(n)                                                       \
	{                                                                      \
		0, n                                                           \
	}

static inline void spin_lock(struct spinlock *l)
{
	/* acquire: pairs with the release in spin_unlock() */
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			asm volatile(".insn i 0x0f, 0, x0, x0, 0x010"); /* pause */
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	/* release: pairs with the acquire in spin_lock() */
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
