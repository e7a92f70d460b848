/*
 * Futexes (futex.c): futex(2)'s WAIT, WAKE, their BITSET forms, REQUEUE,
 * CMP_REQUEUE and WAKE_OP, private or shared; the robust list and
 * CLONE_CHILD_CLEARTID's wake at thread exit.
 *
 * A futex is named by the kernel address of its word (the physical page
 * under the user address), so threads of one address space and processes
 * sharing a page find each other alike.  Waiters are threads sleeping in
 * futex_wait with p->futex.key set; a wake takes them oldest first.
 *
 * Locking: normal-core state, interrupts off (core/proc.h): checking the
 * word and going to sleep cannot be split by another thread.
 */
#ifndef KERNEL_CORE_FUTEX_H
#define KERNEL_CORE_FUTEX_H

#include "core/types.h"

struct futex_waiter {
	uint64_t key;	 /* the word's kernel address; 0: not waiting */
	uint32_t bitset; /* FUTEX_WAIT_BITSET's mask (WAIT: all ones) */
	uint64_t seq;	 /* when it began waiting: the oldest wakes first */
};

struct proc;

long futex_wake_addr(struct proc *p, uint64_t uaddr, int n);
void futex_exit(struct proc *p);

#endif
