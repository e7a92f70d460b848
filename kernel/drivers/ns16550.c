/*
 * A driver for 16550-compatible UARTs: QEMU virt's console ("ns16550a" in
 * the device tree) and the PCI serial port the trace stream goes to are two
 * instances of it (struct ns16550, ns16550.h).  Output is polled: putc
 * waits for the transmit holding register, write fills the 16-byte FIFO
 * each time it has drained.  Input is read by whoever takes the receive
 * interrupt (the platform's console handler), a byte at a time with getc.
 *
 * Register addresses go through devmem(), so the same instance works with
 * paging off (physical addresses) and on (the device map).
 *
 * Locking: none here; each instance's owner serializes its callers.
 */
#include "core/fdt.h"
#include "drivers/ns16550.h"
#include "mm/vm.h"

#define RBR 0 /* receive buffer (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1 /* interrupt enable */
#define FCR 2 /* FIFO control */
#define LCR 3 /* line control */
#define LSR 5 /* line status */
#define IER_RDI 0x01  /* receive data interrupt */
#define FCR_FIFO 0x07 /* FIFOs on, both cleared */
#define LCR_8N1 0x03
#define LSR_DR 0x01   /* a received byte is there */
#define LSR_THRE 0x20 /* transmit holding register (and FIFO) empty */
#define FIFO_SIZE 16

/* the device tree's compatible strings this driver binds */
const struct fdt_match ns16550_fdt_match[] = {
	{ .compatible = "ns16550a" },
	{ .compatible = "ns16550" },
	{ .compatible = NULL },
};

static inline uint32_t rd(volatile uint8_t *base, const struct ns16550 *u,
			  int r)
{
	volatile uint8_t *a = base + (r << u->reg_shift);

	return u->io_width == 4 ? *(volatile uint32_t *)a : *a;
}

static inline void wr(volatile uint8_t *base, const struct ns16550 *u, int r,
		      uint32_t v)
{
	volatile uint8_t *a = base + (r << u->reg_shift);

	if (u->io_width == 4)
		*(volatile uint32_t *)a = v;
	else
		*a = v;
}

static inline volatile uint8_t *regs(const struct ns16550 *u)
{
	return (volatile uint8_t *)devmem(u->base);
}

/* 8N1, FIFOs on; the receive interrupt on if asked.  The baud rate is the
 * firmware's (QEMU's needs none). */
void ns16550_init(const struct ns16550 *u, bool rx_intr)
{
	volatile uint8_t *b = regs(u);

	wr(b, u, IER, 0);
	wr(b, u, LCR, LCR_8N1);
	wr(b, u, FCR, FCR_FIFO);
	wr(b, u, IER, rx_intr ? IER_RDI : 0);
}

/* One character; '\n' goes out as "\r\n" (a terminal's console). */
void ns16550_putc(const struct ns16550 *u, int c)
{
	volatile uint8_t *b = regs(u);

	if (c == '\n') {
		while (!(rd(b, u, LSR) & LSR_THRE))
			;
		wr(b, u, THR, '\r');
	}
	while (!(rd(b, u, LSR) & LSR_THRE))
		;
	wr(b, u, THR, c);
}

/* n bytes as they are (binary: no '\n' translation), a FIFO-full at a time. */
void ns16550_write(const struct ns16550 *u, const void *buf, size_t n)
{
	volatile uint8_t *b = regs(u);
	const uint8_t *s = buf;

	for (size_t i = 0; i < n; i++) {
		if (i % FIFO_SIZE == 0)
			while (!(rd(b, u, LSR) & LSR_THRE))
				;
		wr(b, u, THR, s[i]);
	}
}

/* A received byte, or -1 if none is waiting. */
int ns16550_getc(const struct ns16550 *u)
{
	volatile uint8_t *b = regs(u);

	return rd(b, u, LSR) & LSR_DR ? (int)rd(b, u, RBR) : -1;
}
