/*
 * Trap handling in C, after trapvec.S has saved the registers.
 *
 * user_trap(): system calls (the hot path: straight to the syscall table),
 * interrupts, and user faults: a page the process may have but that is not
 * there yet (its stack's growth: mm_fault) is mapped and the access
 * retried; any other fault kills only the faulting process with a
 * one-line reason unless it has a handler for the fault's signal; on the
 * way out, pending signals are delivered (signal_deliver, one load and a
 * branch in trapvec.S when there are none).  kernel_trap(): interrupts taken in the
 * scheduler's idle loop and at the preemption points of long system calls
 * (cond_resched, core/resched.c: the timer handler may yield there, as for
 * user code); anything else is a kernel fault and panics.  Traced: TRAP_ENTER and
 * TRAP_EXIT around interrupts and user faults (a fault's process exits in
 * between); system calls have their own SYSCALL_ENTER/EXIT instead.
 *
 * The timer (SBI set_timer) drives round-robin preemption and sleeping
 * processes on the normal core.  Software interrupts are IPIs between the
 * cores (iocore.c).  External interrupts come from the PLIC, whose driver
 * runs the device's handler (drivers/plic.c; the console UART's today).
 *
 * Locking: normal-core state only, with interrupts off (proc.h).
 */
#include "arch/riscv/fpu.h"
#include "arch/riscv/riscv.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "core/panic.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/signal.h"
#include "core/syscall.h"
#include "core/types.h"
#include "drivers/plic.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "ring/iocore.h"
#include "trace/events.h"
#include "trace/trace.h"
#include "uapi/abi.h"

extern char trap_vector[];

uint64_t timebase_hz;
static uint64_t timer_deadline; /* normal core: what the timer is set to */

uint64_t time_us_to_ticks(uint64_t us)
{
	return us * timebase_hz / 1000000;
}

void trap_init_hart(void)
{
	struct hart *h = this_hart();

	csr_write(stvec, (uint64_t)trap_vector);
	csr_write(sscratch, 0);
	csr_write(scounteren, SCOUNTEREN_CY | SCOUNTEREN_TM | SCOUNTEREN_IR);
	fpu_init_hart(); /* FS Off; the normal core's FP registers zeroed */
	csr_clear(sip, SIE_SSIE);
	if (h->role == HART_NORMAL)
		csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	else
		csr_set(sie, SIE_SSIE | SIE_STIE); /* the IO core wakes for IPIs
						     * and its own timer */
}

/* Set the normal core's timer to the next event: a sleeper or preemption. */
void timer_program(void)
{
	struct proc *p = this_proc();
	uint64_t when = next_wake_time();

	if (p && p->slice_end < when)
		when = p->slice_end;
	if (when != timer_deadline) {
		timer_deadline = when;
		sbi_set_timer(when);
	}
}

static void timer_intr(void)
{
	struct proc *p = this_proc();
	uint64_t now = rdtime();

	timer_deadline = 0; /* it fired: the next timer_program() must rearm */
	wakeup_timers(now);
	trace_timer(p ? p->pid : 0, p && now >= p->slice_end);
	if (p && now >= p->slice_end)
		yield(); /* reprograms the timer when this process runs again */
	else
		timer_program();
}

static void interrupt(uint64_t scause)
{
	struct hart *h = this_hart();

	switch (scause & ~SCAUSE_INTR) {
	case IRQ_S_TIMER:
		timer_intr();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		trace_ipi_recv();
		iocore_ipi();
		break;
	case IRQ_S_EXT:
		plic_intr(h->id); /* claim, the device's handler, complete */
		break;
	default:
		kprintf("hart %ld: unexpected interrupt %lx\n", (long)h->id,
			scause);
	}
}

const char *trap_cause_name(uint64_t c)
{
	switch (c) {
	case EXC_INST_MISALIGNED: return "instruction address misaligned";
	case EXC_INST_ACCESS: return "instruction access fault";
	case EXC_ILLEGAL_INST: return "illegal instruction";
	case EXC_BREAKPOINT: return "breakpoint";
	case EXC_LOAD_MISALIGNED: return "load address misaligned";
	case EXC_LOAD_ACCESS: return "load access fault";
	case EXC_STORE_MISALIGNED: return "store address misaligned";
	case EXC_STORE_ACCESS: return "store access fault";
	case EXC_ECALL_S: return "environment call from S-mode";
	case EXC_INST_PAGE_FAULT: return "instruction page fault";
	case EXC_LOAD_PAGE_FAULT: return "load page fault";
	case EXC_STORE_PAGE_FAULT: return "store page fault";
	default: return "unknown exception";
	}
}

static int cause_signal(uint64_t c)
{
	switch (c) {
	case EXC_ILLEGAL_INST: return ABI_SIGILL;
	case EXC_BREAKPOINT: return ABI_SIGTRAP;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED: return ABI_SIGBUS;
	default: return ABI_SIGSEGV;
	}
}

/* A user fault to the process's handler for its signal, if it has one. */
static bool fault_to_handler(struct proc *p, struct trapframe *tf,
			     uint64_t scause, uint64_t stval)
{
	int sig = cause_signal(scause), code;
	uint64_t addr = stval;

	switch (scause) {
	case EXC_ILLEGAL_INST:
		code = ABI_ILL_ILLOPC;
		addr = tf->epc;
		break;
	case EXC_BREAKPOINT:
		code = ABI_TRAP_BRKPT;
		addr = tf->epc;
		break;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		code = ABI_BUS_ADRALN;
		break;
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		code = uvm_page(p->mm->pagetable, stval, PTE_U) ? ABI_SEGV_ACCERR
							    : ABI_SEGV_MAPERR;
		break;
	default:
		code = ABI_SEGV_ACCERR;
	}
	return signal_fault(p, sig, code, addr);
}

/*
 * A page fault on an absent page the process may have (its growing stack,
 * or anonymous pages madvise dropped): mm_fault maps it and the access is
 * retried.
 */
static bool demand_page(struct proc *p, uint64_t scause, uint64_t stval)
{
	uint64_t need;

	switch (scause) {
	case EXC_LOAD_PAGE_FAULT: need = PTE_R; break;
	case EXC_STORE_PAGE_FAULT: need = PTE_W; break;
	case EXC_INST_PAGE_FAULT: need = PTE_X; break;
	default: return false;
	}
	return mm_fault(p, stval, need) == 0;
}

/* An interrupt or a fault from user mode: off the system call path. */
static void __attribute__((noinline)) user_trap_slow(struct trapframe *tf,
						     uint64_t scause)
{
	struct proc *p = this_proc();
	bool traced = trace_trap_enter(scause);
	uint64_t stval;

	if (scause & SCAUSE_INTR) {
		interrupt(scause);
		trace_trap_exit(traced, scause);
		return;
	}
	stval = csr_read(stval);
	if (demand_page(p, scause, stval) ||
	    fault_to_handler(p, tf, scause, stval)) {
		trace_trap_exit(traced, scause);
		return;
	}
	kprintf("pid %d (%s): killed: %s (scause %ld) sepc 0x%lx stval 0x%lx\n",
		p->pid, p->name, trap_cause_name(scause), (long)scause, tf->epc,
		stval);
	proc_exit(ABI_W_EXITCODE(0, cause_signal(scause)));
}

void user_trap(struct trapframe *tf)
{
	uint64_t scause = csr_read(scause);

	if (likely(scause == EXC_ECALL_U)) {
		tf->epc += 4;
		if (unlikely(trace_on))
			syscall_traced(tf);
		else
			syscall(tf);
	} else {
		user_trap_slow(tf, scause);
	}
	/* trapvec.S then tests tf->sigwork: signal_deliver() */
}

void kernel_trap(struct kframe *kf)
{
	uint64_t scause = csr_read(scause);

	if (!(scause & SCAUSE_INTR))
		panic_trap(kf, scause, csr_read(stval));
	bool traced = trace_trap_enter(scause);

	interrupt(scause);
	trace_trap_exit(traced, scause);
}
