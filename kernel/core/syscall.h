/*
 * The system-call dispatcher (syscall.c): the table is generated from
 * include/uapi/syscalls.h.
 */
#ifndef KERNEL_CORE_SYSCALL_H
#define KERNEL_CORE_SYSCALL_H

struct trapframe;

void syscall(struct trapframe *tf);
void syscall_traced(struct trapframe *tf);
uint64_t ns_to_ticks(uint64_t sec, uint64_t nsec); /* to time CSR ticks */

#endif
