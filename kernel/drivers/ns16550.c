/*
 * The ns16550 console UART of QEMU virt (0x10000000, PLIC irq 10).
 * Output is polled (uart_putc waits for the transmit holding register);
 * input raises a receive interrupt, routed to the normal core, whose handler
 * passes each byte to the console line discipline (console.c).
 * Locking: callers of uart_putc hold the console lock (printf.c).
 */
#include "core/defs.h"
#include "mm/memlayout.h"

#define RBR 0 /* receive buffer (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1 /* interrupt enable */
#define FCR 2 /* FIFO control */
#define LCR 3 /* line control */
#define LSR 5 /* line status */
#define LSR_DR 0x01
#define LSR_THRE 0x20

static inline volatile uint8_t *reg(int r)
{
	return (volatile uint8_t *)devmem(UART0_PA) + r;
}

void uart_init(void)
{
	*reg(IER) = 0;
	*reg(LCR) = 0x03; /* 8N1 */
	*reg(FCR) = 0x07; /* enable and clear FIFOs */
	*reg(IER) = 0x01; /* receive interrupt */
}

void uart_putc(int c)
{
	if (c == '\n')
		uart_putc('\r');
	while (!(*reg(LSR) & LSR_THRE))
		;
	*reg(THR) = c;
}

void uart_intr(void)
{
	while (*reg(LSR) & LSR_DR)
		console_rx(*reg(RBR));
}
