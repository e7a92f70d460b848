/*
 * A PCI helper for generic ECAM host bridges (QEMU virt's
 * "pci-host-ecam-generic"): read the bridge from its device-tree node (reg:
 * the ECAM config space; bus-range; ranges: the window whose space code
 * says I/O), find a device on the first bus by its ids, size one of its
 * I/O BARs and place it in the I/O window, and enable decoding.  The
 * trace stream's serial port (QEMU `-device pci-serial`) is found this way
 * by the platform; the caller then reaches the BAR's registers at the CPU
 * address returned (through devmem, so it must be in the device map).
 *
 * Interface: pci.h.  Locking: none; boot hart only.
 */
#include "core/fdt.h"
#include "core/string.h"
#include "core/types.h"
#include "drivers/pci.h"
#include "mm/vm.h"

#define CFG_ID 0x00	 /* vendor (low 16 bits), device (high 16) */
#define CFG_CMD 0x04	 /* command (low 16), status (high 16) */
#define CFG_HEADER 0x0c	 /* header type in bits 16..23 */
#define CFG_BAR0 0x10
#define HEADER_MULTIFN 0x80
#define BAR_IO 0x1
#define SPACE_IO 1	 /* phys.hi bits 24..25 of a ranges entry */
#define IO_FIRST 0x1000	 /* the low 4 KiB of I/O space are left alone, as
			  * PC firmware leaves them to legacy ISA ports */

const struct fdt_match pci_ecam_fdt_match[] = {
	{ .compatible = "pci-host-ecam-generic" },
	{ .compatible = NULL },
};

static volatile uint32_t *cfg(const struct pci_host *h, int bdf, int off)
{
	uint64_t a = h->ecam + ((uint64_t)(bdf - (h->bus_first << 8)) << 12) +
		     off;

	return (volatile uint32_t *)devmem(a);
}

/*
 * The bridge described by node n: 0, or -1 if its reg or its I/O window is
 * missing.  ranges entries are (phys.hi phys.mid phys.lo, parent address,
 * size) in the node's 3 address cells, its parent's address cells and its
 * size cells.
 */
int pci_host_from_fdt(struct pci_host *h, const struct fdt_node *n)
{
	uint32_t len;
	const uint8_t *r = fdt_prop(n, "ranges", &len);
	const uint8_t *bus = fdt_prop(n, "bus-range", NULL);
	int pa = n->parent ? (int)fdt_prop_u32(n->parent, "#address-cells", 2)
			   : 2;
	int sc = fdt_prop_u32(n, "#size-cells", 2);
	uint32_t entry = 4 * (3 + pa + sc);

	memset(h, 0, sizeof(*h));
	if (fdt_reg(n, 0, &h->ecam, &h->ecam_size))
		return -1;
	h->bus_first = bus ? (int)fdt_be32(bus) : 0;
	h->bus_last = bus ? (int)fdt_be32(bus + 4) : 255;
	for (uint32_t off = 0; r && off + entry <= len; off += entry) {
		const uint8_t *e = r + off;
		uint64_t parent = 0, size = 0;

		if ((fdt_be32(e) >> 24 & 3) != SPACE_IO)
			continue;
		for (int i = 0; i < pa; i++)
			parent = parent << 32 | fdt_be32(e + 12 + 4 * i);
		for (int i = 0; i < sc; i++)
			size = size << 32 | fdt_be32(e + 12 + 4 * pa + 4 * i);
		h->io_pci = (uint64_t)fdt_be32(e + 4) << 32 | fdt_be32(e + 8);
		h->io_cpu = fdt_translate(n, parent);
		h->io_size = size;
		h->io_next = h->io_pci + IO_FIRST;
		return 0;
	}
	return -1;
}

/* The first function on the first bus with these ids (its bdf), or -1. */
int pci_find(const struct pci_host *h, uint16_t vendor, uint16_t device)
{
	uint32_t want = (uint32_t)device << 16 | vendor;

	for (int dev = 0; dev < 32; dev++) {
		for (int fn = 0; fn < 8; fn++) {
			int bdf = h->bus_first << 8 | dev << 3 | fn;
			uint32_t id = *cfg(h, bdf, CFG_ID);

			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break; /* no device here */
				continue;
			}
			if (id == want)
				return bdf;
			if (fn == 0 &&
			    !(*cfg(h, bdf, CFG_HEADER) >> 16 & HEADER_MULTIFN))
				break;
		}
	}
	return -1;
}

/*
 * Size I/O BAR `bar` of bdf, give it the next free, naturally aligned
 * place in the I/O window, and return the CPU physical address its
 * registers are at then (0: not an I/O BAR, or no room).  Decoding is
 * off while the BAR is sized; pci_enable turns it on.
 */
uint64_t pci_assign_io_bar(struct pci_host *h, int bdf, int bar)
{
	volatile uint32_t *b = cfg(h, bdf, CFG_BAR0 + 4 * bar);
	uint32_t cmd = *cfg(h, bdf, CFG_CMD) & 0xffff;
	uint32_t mask;
	uint64_t size, at;

	*cfg(h, bdf, CFG_CMD) = cmd & ~(PCI_CMD_IO | PCI_CMD_MEM);
	*b = 0xffffffff;
	mask = *b;
	if (!(mask & BAR_IO) || !h->io_size)
		return 0;
	mask &= ~3U;
	if (!(mask & 0xffff0000))
		mask |= 0xffff0000; /* 16-bit I/O decoders read 0 up there */
	size = (uint32_t)~mask + 1;
	at = ROUNDUP(h->io_next, size);
	if (at + size > h->io_pci + h->io_size)
		return 0;
	*b = (uint32_t)at;
	h->io_next = at + size;
	*cfg(h, bdf, CFG_CMD) = cmd;
	return h->io_cpu + (at - h->io_pci);
}

/* Turn on the command register bits cmd (PCI_CMD_IO, PCI_CMD_MEM). */
void pci_enable(const struct pci_host *h, int bdf, uint16_t cmd)
{
	volatile uint32_t *c = cfg(h, bdf, CFG_CMD);

	*c = (*c & 0xffff) | cmd; /* status bits are write-1-to-clear: 0 */
}
