/*
 * Moving user floating-point registers to and from a struct fpu (fpu.h).
 *
 *   fpu_save(f)     f0..f31 and fcsr into *f
 *   fpu_restore(f)  f0..f31 and fcsr from *f
 *   fpu_zero()      f0..f31 and fcsr to 0 (the Initial state of exec)
 *
 * The kernel is built for rv64imac: only this file may use F/D
 * instructions, enabled here with ".option arch".  The caller (fpu.c) makes
 * sure sstatus.FS is not Off, and sets it afterwards (writing the registers
 * makes it Dirty).  Locking: normal core only, interrupts off.
 */
#include "arch/riscv/asm-offsets.h"

	.option push
	.option arch, +d

	.section .text
	.globl fpu_save
fpu_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd f\n, \n*8(a0)
	.endr
	frcsr t0
	sd t0, FPU_FCSR(a0)
	ret

	.globl fpu_restore
fpu_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld f\n, \n*8(a0)
	.endr
	ld t0, FPU_FCSR(a0)
	fscsr t0
	ret

	.globl fpu_zero
fpu_zero:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.d.x f\n, zero
	.endr
	fscsr zero
	ret

	.option pop
