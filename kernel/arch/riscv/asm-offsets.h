/*
 * Structure offsets used by the assembly in trapvec.S; proc.h checks each
 * against offsetof() with _Static_assert, so they cannot drift.
 */
#ifndef KERNEL_ASM_OFFSETS_H
#define KERNEL_ASM_OFFSETS_H

#define TF_HART (32 * 8)     /* struct trapframe.hart */
#define TF_SIGWORK (33 * 8)  /* struct trapframe.sigwork */
#define HART_STACK_LO 0	     /* struct hart.stack_lo */
#define HART_EMERG_SP 8	     /* struct hart.emerg_sp */
#define HART_OVERFLOW_SP 16  /* struct hart.overflow_sp */
#define HART_SIZE 176	     /* sizeof(struct hart): harts[] in entry.S */
#define KFRAME_SIZE (34 * 8) /* struct kframe */
#define FPU_FCSR (32 * 8)     /* struct fpu.fcsr (fpu.S) */
#define SSTATUS_SPP_BIT 0x100
#define SSTATUS_SPIE_BIT 0x20

#endif
