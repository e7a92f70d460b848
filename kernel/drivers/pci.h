/*
 * A PCI helper (pci.c) for a generic ECAM host bridge
 * ("pci-host-ecam-generic"): find a device by vendor and device id, give one
 * of its I/O BARs an address in the host's I/O window, enable decoding.
 * Enough for the PCI serial port the trace stream uses; no enumeration of
 * bridges, no memory BARs, no interrupts yet.
 *
 * A device is named by bdf = bus << 8 | device << 3 | function.
 *
 * Locking: none; used on the boot hart during boot (its I/O window
 * allocator, io_next, is written only there).
 */
#ifndef KERNEL_DRIVERS_PCI_H
#define KERNEL_DRIVERS_PCI_H

#include "core/fdt.h"
#include "core/types.h"

struct pci_host {
	uint64_t ecam, ecam_size; /* config space, physical */
	int bus_first, bus_last;  /* its bus-range */
	uint64_t io_cpu;	  /* CPU physical address of PCI I/O io_pci */
	uint64_t io_pci, io_size; /* the I/O window, in PCI I/O space */
	uint64_t io_next;	  /* the next free PCI I/O address */
};

#define PCI_BUS_CFG_SIZE 0x100000UL /* one bus's config space in ECAM */
#define PCI_CMD_IO 0x1
#define PCI_CMD_MEM 0x2

extern const struct fdt_match pci_ecam_fdt_match[];

int pci_host_from_fdt(struct pci_host *h, const struct fdt_node *n);
int pci_find(const struct pci_host *h, uint16_t vendor, uint16_t device);
uint64_t pci_assign_io_bar(struct pci_host *h, int bdf, int bar);
void pci_enable(const struct pci_host *h, int bdf, uint16_t cmd);

#endif
