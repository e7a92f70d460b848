/*
 * Trap entry and exit, and the context switch.
 *
 * sscratch holds the current process's trapframe pointer while the hart runs
 * user code, and 0 while it runs the kernel: the first instruction of
 * trap_vector swaps it with sp and so tells the two cases apart.
 *
 * From user mode: the 31 registers and sepc are saved once into the
 * trapframe at the top of the process's kernel stack, tp is loaded with the
 * hart pointer, and user_trap(tf) runs on the kernel stack below the
 * trapframe.  satp is not switched: every process page table maps the kernel.
 * On the way back, a set tf->sigwork sends it through signal_deliver(tf).
 *
 * From kernel mode: the registers are saved on the current kernel stack
 * (after checking that it has not overflowed into its guard page: if so the
 * hart moves to its emergency stack, so that the panic can be reported) and
 * kernel_trap(frame) runs.
 *
 * Interrupts stay off on the whole path (sstatus.SIE is cleared by the trap).
 */
#include "arch/riscv/asm-offsets.h"

/* x1 and x3..x31 to / from slots 1..31 of the frame at sp (sp: slot 2) */
.macro SAVE_REGS
	sd ra, 1*8(sp)
	sd gp, 3*8(sp)
	sd tp, 4*8(sp)
	sd t0, 5*8(sp)
	sd t1, 6*8(sp)
	sd t2, 7*8(sp)
	sd s0, 8*8(sp)
	sd s1, 9*8(sp)
	sd a0, 10*8(sp)
	sd a1, 11*8(sp)
	sd a2, 12*8(sp)
	sd a3, 13*8(sp)
	sd a4, 14*8(sp)
	sd a5, 15*8(sp)
	sd a6, 16*8(sp)
	sd a7, 17*8(sp)
	sd s2, 18*8(sp)
	sd s3, 19*8(sp)
	sd s4, 20*8(sp)
	sd s5, 21*8(sp)
	sd s6, 22*8(sp)
	sd s7, 23*8(sp)
	sd s8, 24*8(sp)
	sd s9, 25*8(sp)
	sd s10, 26*8(sp)
	sd s11, 27*8(sp)
	sd t3, 28*8(sp)
	sd t4, 29*8(sp)
	sd t5, 30*8(sp)
	sd t6, 31*8(sp)
.endm

.macro LOAD_REGS
	ld ra, 1*8(sp)
	ld gp, 3*8(sp)
	ld tp, 4*8(sp)
	ld t0, 5*8(sp)
	ld t1, 6*8(sp)
	ld t2, 7*8(sp)
	ld s0, 8*8(sp)
	ld s1, 9*8(sp)
	ld a0, 10*8(sp)
	ld a1, 11*8(sp)
	ld a2, 12*8(sp)
	ld a3, 13*8(sp)
	ld a4, 14*8(sp)
	ld a5, 15*8(sp)
	ld a6, 16*8(sp)
	ld a7, 17*8(sp)
	ld s2, 18*8(sp)
	ld s3, 19*8(sp)
	ld s4, 20*8(sp)
	ld s5, 21*8(sp)
	ld s6, 22*8(sp)
	ld s7, 23*8(sp)
	ld s8, 24*8(sp)
	ld s9, 25*8(sp)
	ld s10, 26*8(sp)
	ld s11, 27*8(sp)
	ld t3, 28*8(sp)
	ld t4, 29*8(sp)
	ld t5, 30*8(sp)
	ld t6, 31*8(sp)
.endm

	.section .text
	.globl trap_vector
	.align 4
trap_vector:
	csrrw sp, sscratch, sp
	beqz sp, from_kernel
	SAVE_REGS
	csrrw t0, sscratch, zero	/* user sp; sscratch = 0: in the kernel now */
	sd t0, 2*8(sp)
	csrr t1, sepc
	sd t1, 0(sp)
	ld tp, TF_HART(sp)
	mv fp, zero			/* backtraces stop at the trap */
	mv a0, sp
	call user_trap
	ld t0, TF_SIGWORK(sp)		/* a signal to deliver? */
	bnez t0, deliver
	mv a0, sp
	/* fall through */

/* user_return(tf): back to user mode with tf's registers; interrupts off. */
	.globl user_return
user_return:
	mv sp, a0
	li t0, SSTATUS_SPP_BIT
	csrc sstatus, t0		/* sret to user mode ... */
	li t0, SSTATUS_SPIE_BIT
	csrs sstatus, t0		/* ... with interrupts on there */
	ld t0, 0(sp)
	csrw sepc, t0
	csrw sscratch, sp
	LOAD_REGS
	ld sp, 2*8(sp)
	sret

deliver:
	mv a0, sp
	call signal_deliver		/* core/signal.c: may not return */
	mv a0, sp
	j user_return

from_kernel:
	csrrw sp, sscratch, sp		/* sp back; sscratch = 0 again */
	csrw sscratch, t0		/* borrow t0 */
	ld t0, HART_STACK_LO(tp)
	addi t0, t0, KFRAME_SIZE
	bgeu sp, t0, 1f
	sd sp, HART_OVERFLOW_SP(tp)	/* overflowed into the guard page */
	ld sp, HART_EMERG_SP(tp)
1:	csrrw t0, sscratch, zero
	addi sp, sp, -KFRAME_SIZE
	SAVE_REGS
	addi t0, sp, KFRAME_SIZE
	sd t0, 2*8(sp)
	csrr t0, sepc
	sd t0, 0(sp)
	csrr t0, sstatus
	sd t0, 32*8(sp)
	mv a0, sp
	call kernel_trap
	ld t0, 0(sp)
	csrw sepc, t0
	ld t0, 32*8(sp)
	csrw sstatus, t0
	LOAD_REGS
	addi sp, sp, KFRAME_SIZE
	sret

/*
 * swtch(old, new): save the callee-saved registers into *old, load *new.
 * Called with interrupts off; returns on new's stack.
 */
	.globl swtch
swtch:
	sd ra, 0(a0)
	sd sp, 8(a0)
	sd s0, 16(a0)
	sd s1, 24(a0)
	sd s2, 32(a0)
	sd s3, 40(a0)
	sd s4, 48(a0)
	sd s5, 56(a0)
	sd s6, 64(a0)
	sd s7, 72(a0)
	sd s8, 80(a0)
	sd s9, 88(a0)
	sd s10, 96(a0)
	sd s11, 104(a0)
	ld ra, 0(a1)
	ld sp, 8(a1)
	ld s0, 16(a1)
	ld s1, 24(a1)
	ld s2, 32(a1)
	ld s3, 40(a1)
	ld s4, 48(a1)
	ld s5, 56(a1)
	ld s6, 64(a1)
	ld s7, 72(a1)
	ld s8, 80(a1)
	ld s9, 88(a1)
	ld s10, 96(a1)
	ld s11, 104(a1)
	ret

/* call_on_stack(top, fn, arg): run fn(arg) on a new stack; fn never returns. */
	.globl call_on_stack
call_on_stack:
	mv sp, a0
	mv fp, zero
	mv a0, a2
	jr a1
