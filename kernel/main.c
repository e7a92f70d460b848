/*
 * Boot.  OpenSBI starts one hart (any of them) at _start; it sets up the
 * machine (device tree, page allocator, kernel page table, memory FS from
 * the initrd, process slots), then starts the other harts.  Roles are fixed
 * by hart id whichever hart booted: the lowest id is the normal core (user
 * processes, ecall syscalls, device interrupts), the next one the IO core;
 * any further harts are left stopped.
 *
 * Kernel command line (QEMU -append, read from /chosen/bootargs):
 *   init=/bin/prog -- arg1 arg2   first process and its arguments
 *                                 (default: /bin/sh)
 *   crash_test                    fault in the kernel after boot (tests the
 *                                 panic path)
 *   iopoll=wfi                    the IO core pauses in wfi between polls
 *                                 (set by make ICOUNT=1; see iocore.c)
 *   ringxlate=walk                the IO core walks the page table for every
 *                                 user page, without its translation cache
 */
#include "defs.h"
#include "fs.h"
#include "memlayout.h"
#include "param.h"
#include "proc.h"
#include "riscv.h"
#include "trace.h"

struct hart harts[NHART];
int normal_hart = -1;
static uint64_t boot_hart;

static char cmdline[512];
static char *init_argv[ABI_SPAWN_ARGC_MAX];
static int init_argc;
static uint8_t boot_stacks[NHART][PGSIZE] __attribute__((aligned(16)));

extern char _secondary_start[];
void call_on_stack(uint64_t top, void (*fn)(uint64_t), uint64_t arg)
	__attribute__((noreturn));

/* Is the word `key` (or "key=...", if key has no '=') on the command line? */
bool bootarg_present(const char *key)
{
	const char *s = bootinfo.bootargs;
	size_t n = strlen(key);
	bool has_value = strchr(key, '=') != NULL;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, "--", 2) && (s[2] == ' ' || !s[2]))
			return false;
		if (!strncmp(s, key, n) &&
		    (s[n] == ' ' || !s[n] || (!has_value && s[n] == '=')))
			return true;
		while (*s && *s != ' ')
			s++;
	}
	return false;
}

/* init=PATH, and the words after " -- " as its arguments. */
static void parse_init(void)
{
	char *s = cmdline, *prog = "/bin/sh";
	bool after_dashes = false;

	strlcpy(cmdline, bootinfo.bootargs, sizeof(cmdline));
	init_argc = 1;
	while (*s) {
		char *w;

		while (*s == ' ')
			*s++ = 0;
		if (!*s)
			break;
		w = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = 0;
		if (after_dashes) {
			if (init_argc < ABI_SPAWN_ARGC_MAX - 1)
				init_argv[init_argc++] = w;
		} else if (!strcmp(w, "--")) {
			after_dashes = true;
		} else if (!strncmp(w, "init=", 5)) {
			prog = w + 5;
		}
	}
	init_argv[0] = prog;
}

static volatile uint64_t crash_addr = 0x8; /* unmapped in the kernel */

static void __attribute__((noinline)) crash_test_inner(uint64_t addr)
{
	*(volatile uint64_t *)addr = 0xbad; /* a store page fault in S-mode */
}

static void __attribute__((noinline)) crash_test(void)
{
	kprintf("crash_test: faulting in the kernel on purpose\n");
	crash_test_inner(crash_addr);
}

static void normal_core_run(struct hart *h)
{
	int pid;

	plic_init_hart(h->id);
	if (bootarg_present("crash_test"))
		crash_test();
	parse_init();
	pid = proc_spawn(init_argv[0], init_argv, init_argc, NULL);
	if (pid < 0)
		panic("cannot start init %s: error %d", init_argv[0], pid);
	scheduler();
}

/* Per-hart set-up on the hart's own guarded stack, then its role. */
static void hart_run(uint64_t hartid)
{
	struct hart *h = &harts[hartid];

	asm volatile("mv tp, %0" ::"r"(h));
	trap_init_hart();
	kprintf("hart %ld: %s core%s\n", (long)hartid,
		h->role == HART_NORMAL ? "normal" : "IO",
		hartid == boot_hart ? " (boot hart)" : "");
	if (h->role == HART_NORMAL)
		normal_core_run(h);
	iocore_main();
}

static void hart_prepare(uint64_t hartid, enum hart_role role)
{
	struct hart *h = &harts[hartid];
	uint64_t emerg = kstack_alloc(NPROC + NHART + hartid);

	h->id = hartid;
	h->role = role;
	h->stack_lo = h->sched_stack_lo = kstack_alloc(NPROC + hartid);
	h->emerg_sp = emerg + KSTACK_PAGES * PGSIZE;
}

void secondary_main(uint64_t hartid)
{
	struct hart *h = &harts[hartid];

	kvm_init_hart();
	call_on_stack(h->stack_lo + KSTACK_PAGES * PGSIZE, hart_run, hartid);
}

static void boot_continue(uint64_t hartid)
{
	asm volatile("mv tp, %0" ::"r"(&harts[hartid]));
	plic_init();
	fs_init();
	if (bootinfo.initrd_end > bootinfo.initrd_start) {
		initrd_unpack(bootinfo.initrd_start, bootinfo.initrd_end);
		kalloc_release(bootinfo.initrd_start, bootinfo.initrd_end);
	} else {
		kprintf("kernel: no initrd: the file system is empty\n");
	}
	proc_init();
	trace_init();
	kprintf("kernel: %ld MiB RAM, %ld free pages, timebase %ld Hz, %d harts, "
		"bootargs \"%s\"\n",
		(long)(bootinfo.mem_size >> 20), (long)kalloc_free_pages(),
		(long)bootinfo.timebase, bootinfo.nharts, bootinfo.bootargs);
	for (int i = 0; i < bootinfo.nharts; i++) {
		uint64_t id = bootinfo.harts[i];

		if (id == hartid || id >= NHART || harts[id].role == HART_NONE)
			continue;
		__sync_synchronize(); /* everything above is visible to it */
		if (sbi_hart_start(id, (uint64_t)_secondary_start,
				   (uint64_t)boot_stacks[id] + PGSIZE))
			panic("cannot start hart %ld", (long)id);
	}
	hart_run(hartid);
}

void boot_main(uint64_t hartid, uint64_t dtb)
{
	uint64_t lowest = ~0UL, second = ~0UL;

	boot_hart = hartid;
	uart_init();
	kprintf("\nkernel: booting on hart %ld\n", (long)hartid);
	fdt_parse(dtb);
	timebase_hz = bootinfo.timebase;
	kalloc_init();
	kvm_init();
	for (int i = 0; i < bootinfo.nharts; i++) {
		uint64_t id = bootinfo.harts[i];

		if (id < lowest) {
			second = lowest;
			lowest = id;
		} else if (id < second) {
			second = id;
		}
	}
	if (lowest >= NHART || hartid >= NHART)
		panic("hart ids beyond NHART");
	normal_hart = lowest;
	hart_prepare(lowest, HART_NORMAL);
	if (second < NHART) {
		io_hart = second;
		hart_prepare(second, HART_IO);
	} else {
		kprintf("kernel: one hart only: no IO core\n");
	}
	if (hartid != lowest && hartid != second)
		panic("booted on hart %ld, which has no role", (long)hartid);
	kvm_init_hart();
	call_on_stack(harts[hartid].stack_lo + KSTACK_PAGES * PGSIZE,
		      boot_continue, hartid);
}
