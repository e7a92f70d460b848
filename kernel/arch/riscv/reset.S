/*
 * Powering off, with nothing but registers: no stack, no page table, no
 * kernel state, so that it works from any hart at any moment, a panic's
 * included (before paging, on a damaged stack, with .bss overwritten).
 *
 * poweroff_bare(word, reason): paging off (the kernel runs where it is
 * linked, VA == PA, so the next instruction is fetched from the same
 * place), then QEMU virt's test device at its physical address: `word` is
 * 0x5555 (exit 0) or status << 16 | 0x3333 (exit status).  A machine
 * without the device gets an SBI system reset (shutdown, `reason` 0 none
 * or 1 system failure).
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
	li t0, VIRT_TEST_PA
	sw a0, 0(t0)
	/* still here: not QEMU virt */
	li a0, 0			/* shutdown */
	li a6, 0			/* system_reset */
	li a7, SBI_EXT_SRST
	ecall
1:	wfi
	j 1b

	.globl panic_wait_then_poweroff
panic_wait_then_poweroff:
	csrw sie, zero
	csrci sstatus, 2
	rdtime t0
	li t1, PANIC_WAIT_TICKS
	add t1, t0, t1
2:	rdtime t0
	bltu t0, t1, 2b
	li a0, (PANIC_EXIT_CODE << 16) | 0x3333
	li a1, 1
	j poweroff_bare
