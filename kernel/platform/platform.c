/*
 * The board-independent half of the platform seam (platform.h): binding a
 * board's drivers to device-tree nodes by compatible strings, the boot-log
 * line for each device ("platform: <board>: ..."), the device map that
 * kvm_init maps, and powering the machine off with an exit status.
 *
 * Locking: everything but machine_poweroff runs on the boot hart before the
 * other harts start.  machine_poweroff may run on any hart at any time.
 */
#include "arch/riscv/reset.h"
#include "arch/riscv/riscv.h"
#include "core/fdt.h"
#include "core/panic.h"
#include "core/printf.h"
#include "core/string.h"
#include "core/types.h"
#include "mm/memlayout.h"
#include "platform/platform.h"
#include "trace/trace.h"

struct platform_info platform;

struct probe_walk {
	const struct platform_driver *drivers;
};

static void probe_node(const struct fdt_node *n, void *arg)
{
	const struct probe_walk *w = arg;

	if (!fdt_node_okay(n))
		return;
	for (const struct platform_driver *d = w->drivers; d->match; d++) {
		const struct fdt_match *m = fdt_match_node(n, d->match);

		if (m) {
			d->probe(n, m);
			return;
		}
	}
}

/* Give every usable node of the tree to the first driver that matches it. */
void platform_probe(const struct platform_driver *drivers)
{
	struct probe_walk w = { drivers };

	fdt_walk(probe_node, &w);
}

int platform_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void find_memory(const struct fdt_node *n, void *arg)
{
	uint64_t base, size;
	char path[64];

	if (n->depth != 1 || strncmp(n->name, "memory", 6) ||
	    (n->name[6] && n->name[6] != '@') || platform.ram_size ||
	    fdt_reg(n, 0, &base, &size))
		return;
	fdt_path(n, path, sizeof(path));
	platform.ram_base = base;
	platform.ram_size = size;
	platform_report("memory %s memory reg 0x%lx size 0x%lx", path, base,
			size);
}

/* The RAM range: the first /memory node's first reg entry (as fdt_parse
 * takes it for the page allocator). */
void platform_memory(void)
{
	fdt_walk(find_memory, NULL);
}

/* One boot-log line: "platform: <board>: " and the rest. */
void platform_report(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kprintf("platform: %s: %s\n", platform.name, line);
}

/*
 * Map [base, base + size) (whole pages) at DEVMAP_BASE + base.  The device
 * map is one 4 GiB window of the kernel's address space: anything above
 * panics here rather than being mapped over something else.
 */
void platform_devmap_add(uint64_t base, uint64_t size)
{
	uint64_t lo = ROUNDDOWN(base, PGSIZE);
	uint64_t hi = ROUNDUP(base + size, PGSIZE);

	if (hi > DEVMAP_SIZE)
		panic("platform: device at 0x%lx is beyond the device map",
		      base);
	if (platform.ndevmap == PLATFORM_NDEVMAP)
		panic("platform: more than %d device ranges", PLATFORM_NDEVMAP);
	platform.devmap[platform.ndevmap].base = lo;
	platform.devmap[platform.ndevmap].size = hi - lo;
	platform.ndevmap++;
}

/*
 * Power off with an exit status: send what the trace holds (unless
 * panicking), then poweroff_bare (reset.S), which needs no kernel state.
 */
void machine_poweroff(int status)
{
	if (!panicking)
		trace_drain(true); /* what is still buffered, every hart's */
	poweroff_bare(status);
}
