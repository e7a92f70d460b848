/*
 * The platform-level interrupt controller of QEMU virt (SiFive PLIC layout).
 * Device interrupts go to the normal core's S-mode context only.
 * Locking: set up at boot; claim/complete are per-context registers.
 */
#include "core/defs.h"
#include "mm/memlayout.h"

#define PRIORITY(irq) (PLIC_PA + 4 * (irq))
#define SENABLE(h) (PLIC_PA + 0x2000 + 0x80 * (2 * (h) + 1))
#define STHRESHOLD(h) (PLIC_PA + 0x200000 + 0x1000 * (2 * (h) + 1))
#define SCLAIM(h) (STHRESHOLD(h) + 4)

static inline volatile uint32_t *plic_reg(uint64_t pa)
{
	return (volatile uint32_t *)devmem(pa);
}

void plic_init(void)
{
	*plic_reg(PRIORITY(UART0_IRQ)) = 1;
}

/* Route the UART's interrupt to this hart (the normal core). */
void plic_init_hart(uint64_t hartid)
{
	*plic_reg(SENABLE(hartid)) = 1U << UART0_IRQ;
	*plic_reg(STHRESHOLD(hartid)) = 0;
}

int plic_claim(uint64_t hartid)
{
	return *plic_reg(SCLAIM(hartid));
}

void plic_complete(uint64_t hartid, int irq)
{
	*plic_reg(SCLAIM(hartid)) = irq;
}
