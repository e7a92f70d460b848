/*
 * The platform-level interrupt controller (the RISC-V PLIC, SiFive's
 * register layout: "riscv,plic0", "sifive,plic-1.0.0").  Where it is, how
 * many sources it has and which context is each hart's S-mode one come
 * from the device tree (the platform calls plic_setup and
 * plic_set_context); a device's driver asks for its interrupt with
 * plic_enable(irq, handler).  Device interrupts go to the normal core's
 * S-mode context only (plic_init_hart on that hart); plic_intr claims,
 * dispatches and completes.
 *
 * Locking: configured on the boot hart before any other hart runs;
 * afterwards the handler table is read-only and claim/complete are
 * per-context registers.
 */
#include "core/fdt.h"
#include "core/param.h"
#include "core/printf.h"
#include "drivers/plic.h"
#include "mm/vm.h"

#define PRIORITY(irq) (4 * (irq))
#define ENABLE(ctx, irq) (0x2000 + 0x80 * (ctx) + 4 * ((irq) / 32))
#define THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx) (THRESHOLD(ctx) + 4)
#define NHANDLERS 16

const struct fdt_match plic_fdt_match[] = {
	{ .compatible = "sifive,plic-1.0.0" },
	{ .compatible = "riscv,plic0" },
	{ .compatible = NULL },
};

static uint64_t plic_base;
static int plic_ndev;
static int ctx_of[NHART] = { [0 ... NHART - 1] = -1 };
static struct {
	int irq;
	void (*handler)(void);
} handlers[NHANDLERS];
static int nhandlers;

static inline volatile uint32_t *reg(uint64_t off)
{
	return (volatile uint32_t *)devmem(plic_base + off);
}

/* The controller at physical address base, with sources 1..ndev. */
void plic_setup(uint64_t base, int ndev)
{
	plic_base = base;
	plic_ndev = ndev;
}

/* Context ctx is hartid's S-mode external interrupt context. */
void plic_set_context(uint64_t hartid, int ctx)
{
	if (hartid < NHART)
		ctx_of[hartid] = ctx;
}

int plic_context(uint64_t hartid)
{
	return hartid < NHART ? ctx_of[hartid] : -1;
}

/* Interrupt source irq, handled by handler (boot hart, before the others). */
void plic_enable(int irq, void (*handler)(void))
{
	if (!plic_base || irq <= 0 || irq > plic_ndev ||
	    nhandlers == NHANDLERS) {
		kprintf("plic: cannot enable interrupt %d\n", irq);
		return;
	}
	handlers[nhandlers].irq = irq;
	handlers[nhandlers].handler = handler;
	nhandlers++;
	*reg(PRIORITY(irq)) = 1;
}

/* Route every enabled source to this hart (the normal core). */
void plic_init_hart(uint64_t hartid)
{
	int ctx = plic_context(hartid);

	if (!plic_base || ctx < 0) {
		kprintf("plic: no S-mode context for hart %ld: no device "
			"interrupts\n", (long)hartid);
		return;
	}
	for (int i = 0; i < nhandlers; i++) {
		int irq = handlers[i].irq;

		*reg(ENABLE(ctx, irq)) |= 1U << (irq % 32);
	}
	*reg(THRESHOLD(ctx)) = 0;
}

/* An external interrupt on this hart: claim it, run its handler, complete. */
void plic_intr(uint64_t hartid)
{
	int ctx = plic_context(hartid);
	uint32_t irq;

	if (ctx < 0)
		return;
	irq = *reg(CLAIM(ctx));
	if (!irq)
		return;
	for (int i = 0; i < nhandlers; i++)
		if (handlers[i].irq == (int)irq)
			handlers[i].handler();
	*reg(CLAIM(ctx)) = irq;
}
