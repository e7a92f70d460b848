/*
 * The PLIC driver's interface (plic.c): the platform gives it the
 * controller's registers and each hart's S-mode context (both from the
 * device tree) and the interrupts it wants, each with its handler; the
 * trap code hands it every external interrupt (plic_intr).
 *
 * Locking: set up on the boot hart before the other harts start; after
 * that the table is only read, and claim/complete are per-context
 * registers.
 */
#ifndef KERNEL_DRIVERS_PLIC_H
#define KERNEL_DRIVERS_PLIC_H

#include "core/fdt.h"
#include "core/types.h"

extern const struct fdt_match plic_fdt_match[];

void plic_setup(uint64_t base, int ndev);
void plic_set_context(uint64_t hartid, int ctx);
int plic_context(uint64_t hartid);
void plic_enable(int irq, void (*handler)(void));
void plic_init_hart(uint64_t hartid);
void plic_intr(uint64_t hartid);

#endif
