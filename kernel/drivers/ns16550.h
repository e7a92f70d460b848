/*
 * The 16550 UART driver's interface (ns16550.c).  The driver keeps no
 * state of its own: each UART is a struct ns16550 that its owner (the
 * platform) fills in, so that one driver serves the console UART and the
 * trace stream's PCI serial port alike.
 *
 * Locking: none inside; the owner of an instance serializes its users (the
 * console lock for the console, trace_lock for the trace port).
 */
#ifndef KERNEL_DRIVERS_NS16550_H
#define KERNEL_DRIVERS_NS16550_H

#include "core/fdt.h"
#include "core/types.h"

struct ns16550 {
	uint64_t base;	   /* physical address of register 0 */
	uint8_t reg_shift; /* register i at base + (i << reg_shift) */
	uint8_t io_width;  /* 1 (byte accesses) or 4 (32-bit accesses) */
};

extern const struct fdt_match ns16550_fdt_match[];

void ns16550_init(const struct ns16550 *u, bool rx_intr);
void ns16550_putc(const struct ns16550 *u, int c);
void ns16550_write(const struct ns16550 *u, const void *buf, size_t n);
int ns16550_getc(const struct ns16550 *u);

#endif
