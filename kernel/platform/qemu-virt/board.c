/*
 * QEMU's `virt` machine behind the platform seam (platform.h).
 *
 * Every device comes from the device tree OpenSBI passes on, bound by
 * compatible strings (virt_drivers below): the console UART ("ns16550a",
 * the one /chosen/stdout-path names, else the first), the PLIC
 * ("sifive,plic-1.0.0", "riscv,plic0") with each hart's S-mode context
 * from its interrupts-extended and the harts' "riscv,cpu-intc" phandles,
 * the test device that powers off with an exit status ("sifive,test1",
 * "sifive,test0"), the PCI host ("pci-host-ecam-generic") with its I/O
 * window, and the virtio-mmio slots ("virtio,mmio", recorded for a virtio
 * driver to come).  Each is one boot-log line,
 *   platform: qemu-virt: CLASS PATH COMPATIBLE reg 0xADDR size 0xSIZE ...
 * and its registers go into platform.devmap.  Before the tree is read the
 * console is at QEMU's documented address (board.h); so is the test
 * device for poweroff_bare until platform_init replaces it.
 *
 * The trace sink is a second 16550 on the PCI bus (QEMU `-device
 * pci-serial`, 1b36:0002), found and given an I/O address when tracing is
 * asked for.  Harts start through SBI HSM.
 *
 * Locking: platform_init and platform_trace_init run on the boot hart
 * before the other harts start; afterwards this file's state is only read.
 * The console's users hold the console lock, the trace sink's trace_lock.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/sbi.h"
#include "core/fdt.h"
#include "core/string.h"
#include "core/types.h"
#include "drivers/console.h"
#include "drivers/ns16550.h"
#include "drivers/pci.h"
#include "drivers/plic.h"
#include "platform/platform.h"
#include "platform/qemu-virt/board.h"

#define IRQ_S_EXT_CAUSE 9 /* interrupts-extended: S-mode external interrupt */
#define NINTC 8
#define PCI_SERIAL_VENDOR 0x1b36 /* Red Hat, Inc. */
#define PCI_SERIAL_DEVICE 0x0002 /* QEMU's PCI 16550 */

/* .data, not .bss: a panic after .bss was cleared still finds the console */
static struct ns16550 console_uart = { .base = VIRT_UART0_DEFAULT,
				       .io_width = 1 };
static struct {
	const char *stdout_path; /* /chosen's, or NULL */
	bool console_bound;	 /* the console UART is known */
	int console_irq;
	struct ns16550 first_uart; /* the first UART, if not the console */
	uint64_t first_uart_size;
	int first_uart_irq;
	uint64_t plic_base, plic_size;
	char plic_path[96];
	const char *plic_compat;
	int plic_ndev;
	const uint8_t *plic_ctx; /* its interrupts-extended, in the tree */
	uint32_t plic_ctx_len;
	bool test_found;
	bool pci_found;
	struct {
		uint32_t phandle;
		uint64_t hartid;
	} intc[NINTC];
	int nintc;
} found;
static struct pci_host pci;
static struct ns16550 trace_uart;

static void console_intr(void)
{
	int c;

	while ((c = ns16550_getc(&console_uart)) >= 0)
		console_rx(c);
}

void platform_console_putc(int c)
{
	ns16550_putc(&console_uart, c);
}

void platform_early_init(void)
{
	platform.name = VIRT_BOARD_NAME;
	ns16550_init(&console_uart, true);
}

/* Is n the node stdout-path names ("/soc/serial@10000000[:opts]")? */
static bool is_stdout(const struct fdt_node *n)
{
	char path[96];
	size_t len = fdt_path(n, path, sizeof(path));
	const char *s = found.stdout_path;

	return s && !strncmp(s, path, len) && (s[len] == 0 || s[len] == ':');
}

/* Make u (a UART the tree describes) the console. */
static void bind_console(const struct ns16550 *u, uint64_t size, int irq)
{
	found.console_bound = true;
	found.console_irq = irq;
	platform_devmap_add(u->base, size);
	if (u->base != console_uart.base || u->reg_shift ||
	    u->io_width != console_uart.io_width) {
		console_uart = *u;
		ns16550_init(&console_uart, true);
	}
}

/*
 * Every 16550 is reported; the console is the one stdout-path names, or
 * the first if there is no stdout-path or it names none of them
 * (platform_init binds found.first_uart then).
 */
static void probe_uart(const struct fdt_node *n, const struct fdt_match *m)
{
	struct ns16550 u = { 0 };
	uint64_t size;
	int irq = fdt_irq(n, 0);
	char path[96];
	bool console;

	fdt_path(n, path, sizeof(path));
	if (fdt_reg(n, 0, &u.base, &size))
		return;
	u.reg_shift = fdt_prop_u32(n, "reg-shift", 0);
	u.io_width = fdt_prop_u32(n, "reg-io-width", 1) == 4 ? 4 : 1;
	console = !found.console_bound &&
		  (is_stdout(n) || !found.stdout_path);
	platform_report("uart %s %s reg 0x%lx size 0x%lx irq %d%s", path,
			m->compatible, u.base, size, irq,
			console ? " console" : "");
	if (console) {
		bind_console(&u, size, irq);
	} else if (!found.first_uart.base) {
		found.first_uart = u;
		found.first_uart_size = size;
		found.first_uart_irq = irq;
	}
}

static void probe_plic(const struct fdt_node *n, const struct fdt_match *m)
{
	if (found.plic_base || fdt_reg(n, 0, &found.plic_base,
				       &found.plic_size))
		return; /* one PLIC only */
	found.plic_ctx = fdt_prop(n, "interrupts-extended",
				  &found.plic_ctx_len);
	found.plic_ndev = fdt_prop_u32(n, "riscv,ndev", 0);
	found.plic_compat = m->compatible;
	fdt_path(n, found.plic_path, sizeof(found.plic_path));
	plic_setup(found.plic_base, found.plic_ndev);
	platform_devmap_add(found.plic_base, found.plic_size);
	/* reported after the walk, when the harts' phandles are known */
}

/* A hart's interrupt controller: its phandle names the hart in the PLIC's
 * interrupts-extended. */
static void probe_intc(const struct fdt_node *n, const struct fdt_match *m)
{
	uint64_t hartid, size;

	if (!n->parent || found.nintc == NINTC ||
	    fdt_reg(n->parent, 0, &hartid, &size))
		return;
	found.intc[found.nintc].phandle = fdt_phandle(n);
	found.intc[found.nintc].hartid = hartid;
	found.nintc++;
}

static void probe_test(const struct fdt_node *n, const struct fdt_match *m)
{
	uint64_t base, size;
	char path[96];

	if (found.test_found || fdt_reg(n, 0, &base, &size))
		return;
	found.test_found = true;
	fdt_path(n, path, sizeof(path));
	platform_report("poweroff %s %s reg 0x%lx size 0x%lx", path,
			m->compatible, base, size);
	platform_devmap_add(base, size);
	virt_test_pa = base;
}

static void probe_pci(const struct fdt_node *n, const struct fdt_match *m)
{
	char path[96];

	if (found.pci_found || pci_host_from_fdt(&pci, n))
		return;
	found.pci_found = true;
	fdt_path(n, path, sizeof(path));
	platform_report("pci %s %s reg 0x%lx size 0x%lx buses %d-%d io 0x%lx "
			"size 0x%lx", path, m->compatible, pci.ecam,
			pci.ecam_size, pci.bus_first, pci.bus_last, pci.io_cpu,
			pci.io_size);
	/* the first bus's config space (pci.c scans only that) and the I/O
	 * window */
	platform_devmap_add(pci.ecam, MIN(pci.ecam_size, PCI_BUS_CFG_SIZE));
	platform_devmap_add(pci.io_cpu, pci.io_size);
}

static void probe_virtio(const struct fdt_node *n, const struct fdt_match *m)
{
	struct platform_virtio *v = &platform.virtio[platform.nvirtio];
	char path[96];

	if (platform.nvirtio == PLATFORM_NVIRTIO ||
	    fdt_reg(n, 0, &v->base, &v->size))
		return;
	v->irq = fdt_irq(n, 0);
	platform.nvirtio++;
	fdt_path(n, path, sizeof(path));
	platform_report("virtio %s %s reg 0x%lx size 0x%lx irq %d", path,
			m->compatible, v->base, v->size, v->irq);
	platform_devmap_add(v->base, v->size);
}

static const struct fdt_match cpu_intc_match[] = {
	{ .compatible = "riscv,cpu-intc" },
	{ .compatible = NULL },
};
static const struct fdt_match sifive_test_match[] = {
	{ .compatible = "sifive,test1" },
	{ .compatible = "sifive,test0" },
	{ .compatible = NULL },
};
static const struct fdt_match virtio_mmio_match[] = {
	{ .compatible = "virtio,mmio" },
	{ .compatible = NULL },
};

static const struct platform_driver virt_drivers[] = {
	{ "uart", ns16550_fdt_match, probe_uart },
	{ "plic", plic_fdt_match, probe_plic },
	{ "cpu-intc", cpu_intc_match, probe_intc },
	{ "poweroff", sifive_test_match, probe_test },
	{ "pci", pci_ecam_fdt_match, probe_pci },
	{ "virtio", virtio_mmio_match, probe_virtio },
	{ NULL, NULL, NULL },
};

/* Each hart's S-mode context (the index of its (phandle, 9) pair in
 * interrupts-extended), and the PLIC's boot-log line. */
static void plic_contexts(void)
{
	char list[96];
	size_t len = 0;

	list[0] = 0;
	for (uint32_t i = 0; i + 8 <= found.plic_ctx_len; i += 8) {
		uint32_t ph = fdt_be32(found.plic_ctx + i);
		int ctx = i / 8;

		if (fdt_be32(found.plic_ctx + i + 4) != IRQ_S_EXT_CAUSE)
			continue; /* M-mode (or hidden by OpenSBI: -1) */
		for (int j = 0; j < found.nintc; j++) {
			long hart = found.intc[j].hartid;

			if (found.intc[j].phandle != ph)
				continue;
			plic_set_context(hart, ctx);
			if (len + 24 < sizeof(list))
				len += platform_snprintf(list + len,
							 sizeof(list) - len,
							 "%s%ld:%d",
							 len ? "," : "", hart,
							 ctx);
		}
	}
	platform_report("plic %s %s reg 0x%lx size 0x%lx ndev %d contexts %s",
			found.plic_path, found.plic_compat, found.plic_base,
			found.plic_size, found.plic_ndev, len ? list : "none");
}

void platform_init(void)
{
	found.stdout_path = fdt_stdout_path();
	platform_memory();
	platform_probe(virt_drivers);
	if (!found.console_bound && found.first_uart.base) {
		platform_report("console: stdout-path %s is not a 16550: "
				"uart 0x%lx is the console", found.stdout_path,
				found.first_uart.base);
		bind_console(&found.first_uart, found.first_uart_size,
			     found.first_uart_irq);
	} else if (!found.console_bound) {
		platform_report("console: no 16550 in the device tree: "
				"keeping 0x%lx", console_uart.base);
		platform_devmap_add(console_uart.base, PGSIZE);
	}
	if (!found.test_found) {
		platform_report("no sifive,test device: power-off through SBI "
				"(QEMU's exit status is then 0)");
		virt_test_pa = 0;
	}
	if (found.plic_base) {
		plic_contexts();
		if (found.console_bound && found.console_irq > 0)
			plic_enable(found.console_irq, console_intr);
	} else {
		platform_report("no PLIC: no device interrupts (console "
				"input)");
	}
}

/* The PCI serial port: found on the PCI bus, BAR0 placed in the I/O window. */
const char *platform_trace_init(void)
{
	static char name[48];
	uint64_t io;
	int bdf;

	if (!found.pci_found) {
		platform_report("trace-sink: no PCI host");
		return NULL;
	}
	bdf = pci_find(&pci, PCI_SERIAL_VENDOR, PCI_SERIAL_DEVICE);
	if (bdf < 0) {
		platform_report("trace-sink: no pci-serial (%04x:%04x) on "
				"bus %d", PCI_SERIAL_VENDOR, PCI_SERIAL_DEVICE,
				pci.bus_first);
		return NULL;
	}
	io = pci_assign_io_bar(&pci, bdf, 0);
	if (!io) {
		platform_report("trace-sink: pci-serial BAR0: no room in the "
				"I/O window");
		return NULL;
	}
	pci_enable(&pci, bdf, PCI_CMD_IO);
	trace_uart.base = io;
	trace_uart.io_width = 1;
	ns16550_init(&trace_uart, false);
	platform_snprintf(name, sizeof(name), "pci-serial %02x:%02x.%x",
			bdf >> 8, bdf >> 3 & 31, bdf & 7);
	platform_report("trace-sink %s %04x:%04x reg 0x%lx", name,
			PCI_SERIAL_VENDOR, PCI_SERIAL_DEVICE, io);
	return name;
}

void platform_trace_write(const void *buf, size_t n)
{
	ns16550_write(&trace_uart, buf, n);
}

long platform_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque)
{
	return sbi_hart_start(hartid, start, opaque);
}
