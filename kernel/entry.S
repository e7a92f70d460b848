/*
 * Boot entry.  OpenSBI jumps to _start on one hart (any of them) with
 * a0 = hart id and a1 = the device tree.  Other harts are started later by
 * sbi_hart_start() at _secondary_start with a1 = the top of a boot stack.
 * Both run with paging off until vm_init_hart().
 */
	.section .text.entry
	.globl _start
_start:
	/* clear .bss: nothing else runs yet */
	la t0, bss_start
	la t1, bss_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	la sp, boot_stack_top
	mv tp, zero
	mv fp, zero
	call boot_main
3:	wfi
	j 3b

	.globl _secondary_start
_secondary_start:
	mv sp, a1
	mv tp, zero
	mv fp, zero
	call secondary_main
4:	wfi
	j 4b

	.section .bss
	.align 12
	.globl boot_stack
boot_stack:
	.space 4096 * 4
boot_stack_top:
