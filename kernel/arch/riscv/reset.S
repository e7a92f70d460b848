/*
 * Powering off, with nothing but registers: no stack, no page table, no
 * kernel state, so that it works from any hart at any moment, a panic's
 * included (before paging, on a damaged stack, with .bss overwritten).
 *
 * poweroff_bare(status): paging off (the kernel runs where it is linked,
 * VA == PA, so the next instruction is fetched from the same place), then
 * the board's own way (platform_poweroff_bare, platform/<board>/: on QEMU
 * virt the test device, and QEMU exits with the status).  If the board
 * returns, an SBI system reset (shutdown; reason 0 none, or 1 system
 * failure for a non-zero status), which loses the status on QEMU.
 *
 * panic_wait_then_poweroff(): a hart that panics while another hart is
 * reporting its own panic gives that report PANIC_WAIT_TICKS of the `time`
 * CSR to finish and power off, then powers off itself with
 * PANIC_EXIT_CODE: QEMU always ends, even if the reporting hart hangs.
 */
#include "arch/riscv/sbi.h"
#include "core/param.h"

	.section .text
	.globl poweroff_bare
poweroff_bare:
	csrw sie, zero
	csrci sstatus, 2		/* SIE off */
	csrw satp, zero
	sfence.vma
	andi a0, a0, 0xff
	call platform_poweroff_bare	/* registers only; keeps a0 */
	/* still here: the board has no way of its own */
	snez a1, a0			/* SBI_SRST_REASON_NONE or _FAILURE */
	li a0, SBI_SRST_TYPE_SHUTDOWN
	li a6, SBI_SRST_SYSTEM_RESET
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
