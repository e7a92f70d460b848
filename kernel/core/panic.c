/*
 * Kernel panics: print the reason, the registers of the faulting trap if
 * any, and a frame-pointer backtrace, then power off with PANIC_EXIT_CODE.
 * hosttools/symbolize.py turns the addresses into function:line using the
 * kernel ELF.  The first hart to panic reports, bypassing the console lock;
 * a hart that panics while another reports waits a bounded time for it to
 * power off, then powers off itself (reset.S), and a panic inside the
 * report powers off at once: QEMU always ends with PANIC_EXIT_CODE.
 * Nothing here needs state that the failure may have destroyed beyond
 * what it sets itself: the console's registers are reached through
 * devmem() (physical or the device map, by satp) at an address the
 * platform keeps in .data (its documented default until the device tree
 * is read), power-off needs no more than the test device's address word
 * (also .data), and tp, which tells the harts apart, is set from the first
 * instruction on.
 */
#include "arch/riscv/reset.h"
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/panic.h"
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/types.h"
#include "platform/platform.h"

volatile int panicking;
uint64_t panic_owner; /* this_hart() of the panicking hart */
static int panic_claim;

static const char *const regnames[32] = {
	"epc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1",  "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6",  "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

extern char _start[], etext[];

static bool in_kernel_text(uint64_t pc)
{
	return pc >= (uint64_t)_start && pc < (uint64_t)etext;
}

/*
 * Walk the frame-pointer chain (-fno-omit-frame-pointer: ra at fp-8, the
 * caller's fp at fp-16) while it stays inside the stack [lo, hi).
 */
void backtrace(uint64_t fp, uint64_t lo, uint64_t hi)
{
	kprintf("backtrace:\n");
	for (int depth = 0; depth < 32; depth++) {
		if (fp < lo + 16 || fp > hi || (fp & 7))
			break;
		uint64_t ra = ((uint64_t *)fp)[-1];

		if (!in_kernel_text(ra))
			break;
		kprintf("  #%d 0x%lx\n", depth, ra);
		fp = ((uint64_t *)fp)[-2];
	}
}

static void stack_bounds(uint64_t sp, uint64_t *lo, uint64_t *hi)
{
	struct hart *h = this_hart();

	*lo = h ? h->stack_lo : 0;
	*hi = *lo + KSTACK_PAGES * 4096;
	if (!h || sp < *lo || sp >= *hi) {
		/* early boot stack or unknown: allow a window around sp */
		*lo = sp & ~4095UL;
		*hi = *lo + 4 * 4096;
	}
}

static void panic_begin(void)
{
	intr_off();
	/* claim the console before announcing the panic to the other hart */
	if (__atomic_exchange_n(&panic_claim, 1, __ATOMIC_SEQ_CST)) {
		if (READ_ONCE(panicking) && panic_owner == (uint64_t)this_hart())
			poweroff_bare(PANIC_EXIT_CODE);
		panic_wait_then_poweroff(); /* another hart is reporting */
	}
	panic_owner = (uint64_t)this_hart();
	__atomic_store_n(&panicking, 1, __ATOMIC_SEQ_CST);
	console_take_for_panic();
}

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	uint64_t lo, hi, sp;

	panic_begin();
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	asm volatile("mv %0, sp" : "=r"(sp));
	kprintf("\npanic: hart %ld: %s\n", this_hart() ? (long)this_hart()->id : -1L,
		msg);
	stack_bounds(sp, &lo, &hi);
	backtrace(read_fp(), lo, hi);
	kprintf("(symbolize: hosttools/symbolize.py build/kernel.elf < console.log)\n");
	machine_poweroff(PANIC_EXIT_CODE);
}

void panic_trap(struct kframe *kf, uint64_t scause, uint64_t stval)
{
	struct hart *h = this_hart();
	uint64_t lo, hi, fp = kf->regs[7]; /* s0 */

	panic_begin();
	kprintf("\npanic: hart %ld: kernel trap: scause 0x%lx sepc 0x%lx stval 0x%lx%s\n",
		h ? (long)h->id : -1L, scause, kf->epc, stval,
		h && h->overflow_sp ? " (kernel stack overflow)" : "");
	for (int i = 0; i < 32; i += 4)
		kprintf("  %-4s %016lx  %-4s %016lx  %-4s %016lx  %-4s %016lx\n",
			regnames[i], i ? kf->regs[i - 1] : kf->epc, regnames[i + 1],
			kf->regs[i], regnames[i + 2], kf->regs[i + 1],
			regnames[i + 3], kf->regs[i + 2]);
	/* the faulting function's own return address: a leaf function (or
	 * one past its epilogue) is not in the frame chain */
	kprintf("  #pc 0x%lx\n  #ra 0x%lx\n", kf->epc, kf->regs[0]);
	stack_bounds(kf->regs[1], &lo, &hi);
	if (h && h->overflow_sp) {
		lo = h->stack_lo - 4096;
		hi = h->stack_lo + KSTACK_PAGES * 4096;
	}
	backtrace(fp, lo, hi);
	kprintf("(symbolize: hosttools/symbolize.py build/kernel.elf < console.log)\n");
	machine_poweroff(PANIC_EXIT_CODE);
}

/* A trap before trap_init_hart() installed the real vector (entry.S). */
void early_panic(uint64_t scause, uint64_t sepc, uint64_t stval)
{
	if (scause & SCAUSE_INTR)
		panic("early trap: interrupt %ld sepc 0x%lx", (long)(scause & 0xff),
		      sepc);
	panic("early trap: %s (scause 0x%lx) sepc 0x%lx stval 0x%lx",
	      trap_cause_name(scause), scause, sepc, stval);
}
