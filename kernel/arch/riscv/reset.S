/*
 * Powering off, with nothing but registers: no stack, no page table, no
 * kernel state, so that it works from any hart at any moment, a panic's
 * included (before paging, on a damaged stack, with .bss overwritten).
 *
 * poweroff_bare(status): paging off (the kernel runs where it is linked,
 * VA == PA, so the next instruction is fetched from the same place), then
 * QEMU virt's test device at its physical address: 0x5555 for status 0,
 * status << 16 | 0x3333 for any other (QEMU exits with it).  A machine
 * without the device gets an SBI system reset (shutdown; reason 0 none, or
 * 1 system failure for a non-zero status).
 *
 * panic_wait_then_poweroff(): a hart that panics while another hart is
 * reporting its own panic gives that report PANIC_WAIT_TICKS of the `time`
 * CSR to finish and power off, then powers off itself with
 * PANIC_EXIT_CODE: QEMU always ends, even if the reporting hart hangs.
 */
#include "core/param.h"
#include "mm/memlayout.h"

#define SBI_EXT_SRST 0x53525354

	.section .text
	.globl poweroff_bare
poweroff_bare:
	csrw sie, zero
	csrci sstatus, 2		/* SIE off */
	csrw satp, zero
	sfence.vma
	andi a0, a0, 0xff
	li t1, 0x5555			/* status 0 */
	li a1, 0			/* SRST reason: none */
	beqz a0, 1f
	slli t1, a0, 16
	li t0, 0x3333
	or t1, t1, t0			/* status << 16 | 0x3333 */
	li a1, 1			/* SRST reason: system failure */
1:	li t0, VIRT_TEST_PA
	sw t1, 0(t0)
	/* still here: not QEMU virt */
	li a0, 0			/* shutdown */
	li a6, 0			/* system_reset */
	li a7, SBI_EXT_SRST
	ecall
3:	wfi
	j 3b

	.globl panic_wait_then_poweroff
panic_wait_then_poweroff:
	csrw sie, zero
	csrci sstatus, 2
	rdtime t0
	li t1, PANIC_WAIT_TICKS
	add t1, t0, t1
2:	rdtime t0
	bltu t0, t1, 2b
	li a0, PANIC_EXIT_CODE
	j poweroff_bare
