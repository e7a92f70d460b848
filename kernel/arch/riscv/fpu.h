/*
 * User floating-point state (the F and D extensions): fpu.c, fpu.S.
 *
 * Each process has a struct fpu in its struct proc: f0..f31 and fcsr as
 * saved, and the process's sstatus.FS while it is not running.  While it
 * runs, its FS is the hart's own sstatus.FS (the trap path never touches
 * FS), and the registers are saved only when the hardware has marked them
 * Dirty; see fpu.c for when things are saved, restored and zeroed.  The
 * kernel's C code is built without F/D, so FP registers are user state only.
 *
 * Interface: fpu_init_hart() once per hart at boot; fpu_exec() when a
 * process gets a new program image; fpu_switch_in()/fpu_switch_out()
 * around the scheduler's swtch() to and from a process; fpu_exit() when a
 * process exits; fpu_copy() for a future fork/clone (copies the parent's
 * state, flushing it from the registers first if it is live).
 *
 * Locking: normal-core state, used with interrupts off (core/proc.h).  The
 * IO core never touches user FP state; its own sstatus.FS stays Off.
 */
#ifndef KERNEL_ARCH_RISCV_FPU_H
#define KERNEL_ARCH_RISCV_FPU_H

#include "arch/riscv/asm-offsets.h"
#include "core/types.h"

/* sstatus.FS values (bits 14:13) */
#define FS_OFF	   0
#define FS_INITIAL 1
#define FS_CLEAN   2
#define FS_DIRTY   3

struct fpu {
	uint64_t f[32]; /* f0..f31, all 64 bits (fsd/fld) */
	uint64_t fcsr;	/* frm and fflags */
	uint8_t fs;	/* FS_*: the process's sstatus.FS while not running */
	uint32_t saves; /* registers -> f[] (fpustat) */
	uint32_t restores; /* f[] -> registers (fpustat) */
};
_Static_assert(__builtin_offsetof(struct fpu, fcsr) == FPU_FCSR, "FPU_FCSR");

struct proc;

void fpu_init_hart(void);
void fpu_exec(struct proc *p);
void fpu_copy(struct proc *dst, struct proc *src);
void fpu_switch_in(struct proc *p);
void fpu_switch_out(struct proc *p);
void fpu_exit(struct proc *p);
void fpu_get(struct proc *p, struct fpu *out);
void fpu_set(struct proc *p, const struct fpu *in);

/* fpu.S: sstatus.FS must not be Off */
void fpu_save(struct fpu *f);
void fpu_restore(const struct fpu *f);
void fpu_zero(void);

#endif
