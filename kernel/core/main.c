/*
 * Boot.  OpenSBI starts one hart (any of them) at _start; it sets up the
 * machine (device tree, the platform's devices from it: platform.h, page
 * allocator, kernel page table, memory FS from the initrd, process slots),
 * then starts the other harts.  Roles are fixed by hart id whichever hart
 * booted: the lowest id is the normal core (user processes, ecall
 * syscalls, device interrupts), the next one the IO core; any further
 * harts are left stopped.
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
 *   fpu=off                       user processes start with sstatus.FS Off
 *                                 (arch/riscv/fpu.c)
 *   fpustat                       each process's FP saves and restores,
 *                                 printed when it exits
 *   boot_entry=start              start the other harts at _start, the boot
 *                                 hart's entry, as firmware was seen to do
 *                                 by mistake (tests entry.S's lottery)
 *   panic_test=WHERE              panic on purpose (tests that QEMU always
 *                                 exits 254): early (before paging),
 *                                 early-trap (a fault before the trap
 *                                 vector), early-second (the hart started
 *                                 second, before paging), normal, io (each
 *                                 core after boot), both (both cores at once),
 *                                 console-held (with the console lock
 *                                 taken), bss (after zeroing .bss, as a
 *                                 stray second boot would)
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "core/boot.h"
#include "core/fdt.h"
#include "core/panic.h"
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/random.h"
#include "core/string.h"
#include "drivers/plic.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/vm.h"
#include "platform/platform.h"
#include "ring/iocore.h"
#include "trace/trace.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

struct hart harts[NHART];
int normal_hart = -1;
static uint64_t boot_hart;

static char cmdline[512];
static char *init_argv[ABI_SPAWN_ARGC_MAX];
static int init_argc;
/* the secondaries' first stacks, by hart id (entry.S indexes them too) */
uint8_t boot_stacks[NHART][PGSIZE] __attribute__((aligned(16)));
extern uint32_t boot_ready; /* entry.S: a late _start entry waits for it */

extern char _start[], _secondary_start[];
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

/*
 * init=PATH, and the words after " -- " as its arguments.  A PATH without
 * a '/' is looked up in /bin, as the shell does.
 */
static void parse_init(void)
{
	static char path[128];
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
	if (!strchr(prog, '/')) {
		strlcpy(path, "/bin/", sizeof(path));
		strlcpy(path + 5, prog, sizeof(path) - 5);
		prog = path;
	}
	init_argv[0] = prog;
}

/*
 * The first process could not start: say why as a shell would, and end
 * the machine with the shell's status for it (127: not found, 126: found
 * but not something it can run).
 */
static void __attribute__((noreturn)) init_failed(const char *path, int err)
{
	kprintf("init: %s: %s\n", path, errno_message(err));
	machine_poweroff(err == ENOENT || err == ENOTDIR ? 127 : 126);
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

/*
 * panic_test=WHERE: panic on purpose at one of the points named in the
 * header comment, to test that every panic ends QEMU with status 254.
 */
static bool panic_test(const char *where)
{
	char key[32];

	strlcpy(key, "panic_test=", sizeof(key));
	strlcpy(key + 11, where, sizeof(key) - 11);
	return bootarg_present(key);
}

extern char bss_start[], bss_end[];

static void panic_test_run(void)
{
	static uint32_t both_arrived;

	if (panic_test("both")) {
		/*
		 * Each core arrives here after boot; both panic at once.  The
		 * wait is a short timer and wfi, not a spin: under -icount a
		 * spinning hart holds the other off.
		 */
		__atomic_add_fetch(&both_arrived, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&both_arrived, __ATOMIC_SEQ_CST) < 2) {
			sbi_set_timer(rdtime() + 20);
			while (!(csr_read(sip) & SIE_STIE))
				wfi();
		}
		panic("panic_test: both cores at once");
	}
	if (this_hart()->role == HART_IO) {
		if (panic_test("io"))
			panic("panic_test: on the IO core");
		return;
	}
	if (panic_test("normal"))
		panic("panic_test: on the normal core");
	if (panic_test("console-held")) {
		console_lock();
		panic("panic_test: with the console lock held");
	}
	if (panic_test("bss")) {
		memset(bss_start, 0, bss_end - bss_start);
		panic("panic_test: after .bss was cleared");
	}
}

static void normal_core_run(struct hart *h)
{
	int pid;

	plic_init_hart(h->id);
	if (bootarg_present("crash_test"))
		crash_test();
	panic_test_run();
	parse_init();
	pid = proc_spawn(init_argv[0], init_argv, init_argc, NULL);
	if (pid < 0)
		init_failed(init_argv[0], -pid);
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
	panic_test_run();
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

/*
 * A secondary hart, from entry.S: started at _secondary_start, or (late)
 * a hart that entered at _start and lost the lottery.
 */
void secondary_main(uint64_t hartid, int late)
{
	struct hart *h = &harts[hartid];

	if (h->role == HART_NONE)
		return; /* no role: entry.S parks it */
	if (late)
		kprintf("kernel: hart %ld entered at _start after the boot hart: "
			"secondary path\n", (long)hartid);
	if (panic_test("early-second"))
		panic("panic_test: on the second hart before paging");
	kvm_init_hart();
	call_on_stack(h->stack_lo + KSTACK_PAGES * PGSIZE, hart_run, hartid);
}

/*
 * Start the harts that have a role.  boot_ready first (a release store:
 * pairs with the fence after entry.S's wait), so that a hart the firmware
 * lets into _start instead of _secondary_start takes the secondary path
 * too.  boot_entry=start does that on purpose.
 */
static void start_secondaries(uint64_t hartid)
{
	bool at_start = bootarg_present("boot_entry=start");

	__atomic_store_n(&boot_ready, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < bootinfo.nharts; i++) {
		uint64_t id = bootinfo.harts[i];
		long err;

		if (id == hartid || id >= NHART || harts[id].role == HART_NONE)
			continue;
		if (at_start) {
			kprintf("kernel: boot_entry=start: starting hart %ld at "
				"_start\n", (long)id);
			err = platform_hart_start(id, (uint64_t)_start, 0);
		} else {
			err = platform_hart_start(id, (uint64_t)_secondary_start,
						  (uint64_t)boot_stacks[id] +
							  PGSIZE);
		}
		if (err == SBI_ERR_ALREADY_AVAILABLE ||
		    err == SBI_ERR_ALREADY_STARTED) {
			kprintf("kernel: hart %ld was already running (%s): it "
				"takes the secondary path from _start\n",
				(long)id, sbi_strerror(err));
		} else if (err) {
			kprintf("kernel: cannot start hart %ld: SBI error %ld "
				"(%s): going on without it\n",
				(long)id, err, sbi_strerror(err));
			if (harts[id].role == HART_IO)
				io_hart = -1;
			harts[id].role = HART_NONE;
		}
	}
}

static void boot_continue(uint64_t hartid)
{
	asm volatile("mv tp, %0" ::"r"(&harts[hartid]));
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
	start_secondaries(hartid);
	hart_run(hartid);
}

void boot_main(uint64_t hartid, uint64_t dtb)
{
	uint64_t lowest = ~0UL, second = ~0UL;

	boot_hart = hartid;
	if (hartid < NHART)
		harts[hartid].id = hartid;
	platform_early_init(); /* the console, at the board's default address */
	kprintf("\nkernel: booting on hart %ld\n", (long)hartid);
	fdt_parse(dtb);
	platform_init(); /* the devices, from the device tree */
	if (panic_test("early"))
		panic("panic_test: before paging");
	if (panic_test("early-trap"))
		asm volatile("unimp"); /* an illegal instruction: early_trap */
	timebase_hz = bootinfo.timebase;
	random_init(bootinfo.rng_seed, bootinfo.rng_seed_len);
	memset(bootinfo.rng_seed, 0, sizeof(bootinfo.rng_seed));
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
