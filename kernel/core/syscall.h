/*
 * The system-call dispatcher (syscall.c): the table is generated from
 * include/uapi/syscalls.h.
 */
#ifndef KERNEL_CORE_SYSCALL_H
#define KERNEL_CORE_SYSCALL_H

struct trapframe;

void syscall(struct trapframe *tf);
void syscall_traced(struct trapframe *tf);

#endif
