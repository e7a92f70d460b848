/*
 * Panics (panic.c): the first hart to panic reports (its message, the
 * trap frame, a backtrace) and powers the machine off with status 254;
 * early_panic() is the path before the kernel is set up (entry.S).
 */
#ifndef KERNEL_CORE_PANIC_H
#define KERNEL_CORE_PANIC_H

#include "core/types.h"

struct kframe;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_trap(struct kframe *kf, uint64_t scause, uint64_t stval)
	__attribute__((noreturn));
void backtrace(uint64_t fp, uint64_t lo, uint64_t hi);
void early_panic(uint64_t scause, uint64_t sepc, uint64_t stval)
	__attribute__((noreturn));
extern volatile int panicking;
extern uint64_t panic_owner;

#endif
