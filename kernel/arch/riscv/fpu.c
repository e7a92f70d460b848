/*
 * User floating-point state: when the F/D registers are saved, restored
 * and zeroed (interface in fpu.h; the register moves are fpu.S).
 *
 * A process's sstatus.FS says what its registers hold, as the privileged
 * spec defines it: Off (FP instructions trap), Initial (all zero), Clean
 * (equal to what was last saved in or restored from p->fpu), Dirty
 * (written since).  The hardware moves Initial or Clean to Dirty on the
 * first write.  Nothing is done on a trap or a system call: the process's
 * FS simply stays in sstatus while the kernel runs on its behalf.  The work
 * is at the scheduler's switches, and only for processes that use FP:
 *
 *   switch out  FS Dirty: save into p->fpu, the process is now Clean and
 *               its values are still in the registers (fpu_live = p).
 *               Initial or Clean: nothing.  The scheduler then runs with
 *               FS Off.
 *   switch in   Clean: restore from p->fpu unless fpu_live == p (the
 *               registers still hold its values: no other process has
 *               loaded or dirtied them since).  Initial: zero the registers
 *               unless they are known to be zero already (fpu_zero_live).
 *               Off: nothing.  Then FS = the process's FS.
 *
 * A process that never executes an FP instruction stays Initial and costs
 * a few instructions per switch, with no save, restore or zeroing (the
 * registers are zeroed once at boot and stay so while no process dirties
 * them).  exec gives FS Initial (fpu=off on the command line: Off, so that
 * an FP instruction is an illegal-instruction fault that kills the process,
 * as before the FPU was used).  fpustat on the command line prints each
 * process's counts when it exits.
 *
 * Locking: normal core only, interrupts off (core/proc.h): fpu_live and
 * fpu_zero_live describe the normal core's registers.  The IO core runs
 * with FS Off and never touches user FP state.
 */
#include "arch/riscv/fpu.h"
#include "arch/riscv/riscv.h"
#include "core/boot.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/string.h"

#define FS_SHIFT 13

static struct proc *fpu_live; /* its p->fpu is what the registers hold */
static bool fpu_zero_live;    /* the registers are all zero */
static bool fpu_off;	      /* fpu=off: processes start with FS Off */
static bool fpu_stat;	      /* fpustat: counts printed at exit */

static inline uint64_t fs_get(void)
{
	return (csr_read(sstatus) & SSTATUS_FS) >> FS_SHIFT;
}

static inline void fs_set(uint64_t fs)
{
	csr_clear(sstatus, SSTATUS_FS);
	if (fs)
		csr_set(sstatus, fs << FS_SHIFT);
}

/* The registers to zero; FS is left Initial. */
static void fpu_zero_regs(void)
{
	fs_set(FS_DIRTY);
	fpu_zero();
	fs_set(FS_INITIAL);
	fpu_zero_live = true;
	fpu_live = NULL;
}

/* The running process p's Dirty registers into p->fpu; FS is left Clean. */
static void fpu_flush(struct proc *p)
{
	fpu_save(&p->fpu);
	p->fpu.saves++;
	fs_set(FS_CLEAN);
	fpu_live = p;
	fpu_zero_live = false;
}

void fpu_init_hart(void)
{
	fs_set(FS_OFF);
	if (this_hart()->role != HART_NORMAL)
		return; /* the IO core: FS Off for good */
	fpu_off = bootarg_present("fpu=off");
	fpu_stat = bootarg_present("fpustat");
	fpu_zero_regs(); /* the firmware left them as it did */
	fs_set(FS_OFF);
}

/*
 * A new program image in p: FP state Initial (all zero).  If p is the
 * running process (an execve), its live registers are zeroed now.
 */
void fpu_exec(struct proc *p)
{
	uint8_t fs = fpu_off ? FS_OFF : FS_INITIAL;

	memset(&p->fpu, 0, sizeof(p->fpu));
	p->fpu.fs = fs;
	if (fpu_live == p)
		fpu_live = NULL;
	if (p == this_proc()) {
		if (!fpu_zero_live || fs_get() == FS_DIRTY)
			fpu_zero_regs();
		fs_set(fs);
	}
}

/*
 * For fork/clone: dst gets a copy of src's FP state (src the running
 * process, or one that is not running).  If src's registers are Dirty they
 * are saved first, so that p->fpu is complete.  dst's counts start at 0.
 */
void fpu_copy(struct proc *dst, struct proc *src)
{
	uint8_t fs = src->fpu.fs;

	if (src == this_proc()) {
		fs = fs_get();
		if (fs == FS_DIRTY) {
			fpu_flush(src);
			fs = FS_CLEAN;
		}
	}
	dst->fpu = src->fpu;
	dst->fpu.fs = fs;
	dst->fpu.saves = dst->fpu.restores = 0;
}

/* The scheduler is about to run p. */
void fpu_switch_in(struct proc *p)
{
	switch (p->fpu.fs) {
	case FS_CLEAN:
		if (fpu_live != p) {
			fs_set(FS_DIRTY);
			fpu_restore(&p->fpu);
			p->fpu.restores++;
			fpu_live = p;
			fpu_zero_live = false;
		}
		break;
	case FS_INITIAL:
		if (!fpu_zero_live)
			fpu_zero_regs();
		break;
	}
	fs_set(p->fpu.fs);
}

/* p has just stopped running (it yielded, slept, was preempted or exited). */
void fpu_switch_out(struct proc *p)
{
	uint64_t fs = fs_get();

	if (fs == FS_DIRTY) {
		if (p->state == P_ZOMBIE) {
			fpu_live = NULL; /* nothing to keep */
			fpu_zero_live = false;
		} else {
			fpu_flush(p);
			fs = FS_CLEAN;
		}
	} else if (p->state == P_ZOMBIE && fpu_live == p) {
		fpu_live = NULL; /* its slot may be reused */
	}
	p->fpu.fs = fs;
	fs_set(FS_OFF);
}

static const char *const fs_names[] = {"off", "initial", "clean", "dirty"};

/* The running process p is exiting: its counts, if fpustat. */
void fpu_exit(struct proc *p)
{
	if (fpu_stat)
		kprintf("pid %d (%s): fpu: fs=%s saves=%u restores=%u\n",
			p->pid, p->name, fs_names[fs_get()], p->fpu.saves,
			p->fpu.restores);
}

/* The running process p's registers and fcsr (signal frames). */
void fpu_get(struct proc *p, struct fpu *out)
{
	uint64_t fs = fs_get();

	memset(out, 0, sizeof(*out));
	if (fs == FS_DIRTY) {
		fpu_flush(p);
		fs = FS_CLEAN;
	}
	if (fs == FS_CLEAN) {
		memcpy(out->f, p->fpu.f, sizeof(out->f));
		out->fcsr = p->fpu.fcsr;
	}
}

/* Load in's registers and fcsr into the running process p (sigreturn);
 * with FS Off (fpu=off, never used) nothing changes. */
void fpu_set(struct proc *p, const struct fpu *in)
{
	if (fs_get() == FS_OFF)
		return;
	memcpy(p->fpu.f, in->f, sizeof(p->fpu.f));
	p->fpu.fcsr = in->fcsr;
	fs_set(FS_DIRTY);
	fpu_restore(&p->fpu);
	p->fpu.restores++;
	fs_set(FS_CLEAN);
	fpu_live = p;
	fpu_zero_live = false;
}
