/*
 * QEMU virt's bare power-off (platform.h: platform_poweroff_bare), called
 * by poweroff_bare (reset.S) with paging off, interrupts masked and a0 =
 * the exit status (0..255).  It writes the sifive,test device's finisher
 * word -- SIFIVE_TEST_PASS for status 0, status << 16 | SIFIVE_TEST_FAIL
 * otherwise -- and QEMU exits with that status.  The device's address is
 * virt_test_pa: QEMU virt's documented one until platform_init replaces it
 * with the device tree's (0 if the tree has none: then it returns and
 * poweroff_bare uses SBI system reset).  It is in .data, so that a .bss
 * cleared by a stray second boot does not lose it.  Registers only: t0,
 * t1, t2; a0 is kept.  No locking: any hart, any time.
 */
#include "platform/qemu-virt/board.h"

	.section .text
	.globl platform_poweroff_bare
platform_poweroff_bare:
	la t0, virt_test_pa
	ld t0, 0(t0)
	beqz t0, 2f			/* no test device: the caller's SRST */
	li t1, SIFIVE_TEST_PASS
	beqz a0, 1f
	slli t1, a0, 16
	li t2, SIFIVE_TEST_FAIL
	or t1, t1, t2			/* status << 16 | FAIL */
1:	sw t1, 0(t0)
2:	ret

	.section .data
	.align 3
	.globl virt_test_pa
virt_test_pa:
	.dword VIRT_TEST_DEFAULT
