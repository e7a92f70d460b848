/*
 * Boot entry.  OpenSBI jumps to _start on one hart (any of them) with
 * a0 = hart id and a1 = the device tree.  The other harts are started by
 * the boot hart with sbi_hart_start() at _secondary_start, a1 = the top of
 * a boot stack.  Everything here runs with paging off.
 *
 * No firmware ordering may break this: OpenSBI v1.1 was seen to enter a
 * hart it was asked to start at _secondary_start at _start instead, and
 * firmware may release several harts at _start.  So whatever enters _start
 * first draws a lottery (an atomic add on a word in .data, before anything
 * is written): exactly one hart wins and boots; any other waits, touching
 * nothing but registers, until the boot hart has set boot_ready (after it
 * has set up memory and the hart slots: main.c), and then takes the
 * secondary path with the boot stack of its own hart id.  The kernel option
 * boot_entry=start has the boot hart start the others at _start, so that
 * this path is tested.
 *
 * Until trap_init_hart() installs the real vector, stvec points at
 * early_trap, which reports a fault as a panic (QEMU exits with 254)
 * instead of jumping wherever the firmware left stvec.
 */
#include "arch/riscv/asm-offsets.h"
#include "core/param.h"

/* tp = &harts[a0] (a0 < NHART, checked by the caller), from the first
 * instruction on: a panic tells the harts apart by it */
.macro set_tp_to_hart
	li t0, HART_SIZE
	mul t0, t0, a0
	la tp, harts
	add tp, tp, t0
.endm

	.section .text.entry
	.globl _start
_start:
	la t0, early_trap
	csrw stvec, t0
	csrw sie, zero
	la t0, boot_lottery
	li t1, 1
	amoadd.w.aqrl t1, t1, (t0)
	bnez t1, late_entry

	/* the boot hart: clear .bss (nobody else writes memory yet) */
	la t0, bss_start
	la t1, bss_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	la sp, boot_stack_top
	mv fp, zero
	mv tp, zero
	li t0, NHART
	bgeu a0, t0, 3f		/* boot_main reports it */
	set_tp_to_hart
3:	call boot_main
	j park

	/*
	 * Lost the lottery: wait for boot_ready (a release store in
	 * start_secondaries(), main.c; the fence makes what the boot hart
	 * wrote before it visible here), then go on as a started secondary
	 * with the boot stack boot_stacks[hartid].
	 */
late_entry:
	li t0, NHART
	bgeu a0, t0, park	/* a hart the kernel does not know: stay out */
	la t0, boot_ready
4:	lw t1, 0(t0)
	bnez t1, 5f
	.insn i 0x0f, 0, x0, x0, 0x010	/* pause */
	j 4b
5:	fence r, rw
	la a1, boot_stacks
	addi t0, a0, 1
	slli t0, t0, 12		/* boot_stacks[NHART][PGSIZE] */
	add sp, a1, t0
	li a1, 1		/* secondary_main(hartid, late = 1) */
	j 8f

	.globl _secondary_start
_secondary_start:
	la t0, early_trap
	csrw stvec, t0
	csrw sie, zero
	mv sp, a1
	li a1, 0		/* secondary_main(hartid, late = 0) */
	li t0, NHART
	bgeu a0, t0, park
8:	mv fp, zero
	set_tp_to_hart
	call secondary_main
park:
	csrw sie, zero
6:	wfi
	j 6b

	/*
	 * A trap before the real vector is installed (or a fault in the early
	 * panic itself).  One hart at a time gets the early panic stack and
	 * reports in C (early_panic, panic.c); a hart that finds it taken
	 * waits a bounded time for that report to power off, then powers off
	 * itself.  Registers only until the stack is ours.
	 */
	.align 2
early_trap:
	la t0, early_trap_claim
	li t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez t1, 7f
	la sp, early_stack_top
	mv fp, zero
	csrr a0, scause
	csrr a1, sepc
	csrr a2, stval
	call early_panic
7:	call panic_wait_then_poweroff	/* never returns; uses no stack */

	.section .data
	.align 3
boot_lottery:
	.word 0
	.globl boot_ready
boot_ready:
	.word 0
early_trap_claim:
	.word 0

	.section .bss
	.align 12
	.globl boot_stack
boot_stack:
	.space 4096 * 4
boot_stack_top:
early_stack:
	.space 4096
early_stack_top:
