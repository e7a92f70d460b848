/*
 * Program entry.  The kernel starts _start with Linux's initial stack
 * (argc, argv[], NULL, envp[], NULL, auxv) at sp.
 */
	.section .text.init.enter, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	la tp, __tls_base
	mv fp, zero
	ld a0, 0(sp)		/* argc */
	addi a1, sp, 8		/* argv */
	slli a2, a0, 3
	add a2, a1, a2
	addi a2, a2, 8		/* envp */
	call __libuser_start
1:	j 1b
