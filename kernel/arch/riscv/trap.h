/*
 * Traps in C (trap.c): user traps (system calls, faults, interrupts),
 * kernel traps, the timer, and the time base.
 */
#ifndef KERNEL_ARCH_RISCV_TRAP_H
#define KERNEL_ARCH_RISCV_TRAP_H

#include "core/types.h"

struct trapframe;
struct kframe;

extern uint64_t timebase_hz;
void trap_init_hart(void);
void user_trap(struct trapframe *tf);
void kernel_trap(struct kframe *kf);
void timer_program(void);
uint64_t time_us_to_ticks(uint64_t us);
const char *trap_cause_name(uint64_t scause);

#endif
