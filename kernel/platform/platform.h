/*
 * The platform seam: what the kernel needs from the board it runs on, and
 * nothing else.  Each board is a folder, kernel/platform/<board>/ (make
 * BOARD=..., default qemu-virt), that implements the functions below; the
 * board-independent part is platform.c.  Only platform/ and drivers/ know a
 * device's address: the board reads them from the device tree, binding
 * drivers to nodes by compatible strings (platform_probe), and falls back
 * to its documented defaults only for what runs before the tree is read.
 *
 * Boot order (main.c): platform_early_init() (the console at the board's
 * default address), fdt_parse(), platform_init() (every device from the
 * tree, one boot-log line each: "platform: <board>: <class> ...", and
 * `platform.devmap`, the physical ranges kvm_init maps at DEVMAP_BASE +
 * pa), then the rest of the kernel.
 *
 * Locking: platform_init and the trace sink's set-up run on the boot hart
 * before any other hart starts; afterwards `platform` is read-only.  The
 * console's callers hold the console lock (printf.c); the trace sink's,
 * trace_lock (trace.c).
 */
#ifndef KERNEL_PLATFORM_PLATFORM_H
#define KERNEL_PLATFORM_PLATFORM_H

#include "core/fdt.h"
#include "core/types.h"

#define PLATFORM_NDEVMAP 24
#define PLATFORM_NVIRTIO 8

struct platform_range {
	uint64_t base, size; /* physical */
};

/* a virtio-mmio slot ("virtio,mmio"): recorded for a virtio driver to come */
struct platform_virtio {
	uint64_t base, size;
	int irq;
};

/* What the board found, for the board-independent kernel. */
struct platform_info {
	const char *name;		/* "qemu-virt" */
	uint64_t ram_base, ram_size;	/* the /memory node's first range */
	struct platform_range devmap[PLATFORM_NDEVMAP];
	int ndevmap;
	struct platform_virtio virtio[PLATFORM_NVIRTIO];
	int nvirtio;
};
extern struct platform_info platform;

/*
 * A driver the board binds to device-tree nodes: every usable node that
 * one of match's strings fits is given to probe (a node binds to the first
 * driver of the board's table that matches it, as OpenSBI's fdt drivers).
 */
struct platform_driver {
	const char *class;		/* "uart", "plic", ...: for messages */
	const struct fdt_match *match;
	void (*probe)(const struct fdt_node *n, const struct fdt_match *m);
};

/* ---- implemented by each board (platform/<board>/) ---- */

/* The console at the board's default address, before the tree is read. */
void platform_early_init(void);
/* Every device from the device tree (after fdt_parse); fills `platform`. */
void platform_init(void);
/* One character to the console (the caller holds the console lock). */
void platform_console_putc(int c);
/* Set up the trace sink: its name ("pci-serial 00:01.0"), or NULL if the
 * board has none.  Boot hart, with paging on. */
const char *platform_trace_init(void);
/* Bytes to the trace sink, as they are (the caller holds trace_lock). */
void platform_trace_write(const void *buf, size_t n);
/* Start hart hartid at physical address start with a1 = opaque: 0, or an
 * SBI error code (SBI_ERR_*, arch/riscv/sbi.h). */
long platform_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque);
/*
 * Assembly, called by poweroff_bare (reset.S) with paging off and
 * interrupts masked, a0 = the exit status (0..255): end the machine with
 * that status using nothing but registers (t0-t2, a1 may be clobbered, a0
 * kept) and no memory beyond what the board set at boot; return (ret) if
 * the board cannot, and poweroff_bare falls back to SBI system reset.
 */
void platform_poweroff_bare(int status);

/* ---- board-independent (platform.c) ---- */

void platform_memory(void);
void platform_probe(const struct platform_driver *drivers);
void platform_report(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void platform_devmap_add(uint64_t base, uint64_t size);
int platform_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* platform.c: drain the trace, then reset.S's poweroff_bare */
void machine_poweroff(int status) __attribute__((noreturn));

#endif
