/*
 * The trace stream.  Each hart appends fixed-size records (uapi/trace.h) to
 * its own buffer -- one producer, no lock on the hot path -- and they go to
 * the host over a debug UART of their own, a second 16550 on QEMU's PCI bus
 * (QEMU `-device pci-serial`; make TRACE=...), separate from the console.
 * Draining happens where it does not distort what is measured: when a hart
 * is idle (the scheduler's wfi, the IO core's sleep) and at power-off.  A
 * full buffer drops records and counts them; the next drain sends a LOST
 * record with the count first, so the decoder reports every loss.
 *
 * Locking: a buffer's head is written only by its hart (release, after the
 * record); its tail only by a drainer holding trace_lock, which also
 * serializes the UART.  trace_lock is a leaf lock.
 */
#include "defs.h"
#include "memlayout.h"
#include "proc.h"
#include "riscv.h"
#include "spinlock.h"
#include "trace.h"

/* per hart, allocated when tracing is on: 512 pages, 2 MiB, 65536 records */
#define TRACE_PAGES 512
#define RECS_PER_PAGE (PGSIZE / sizeof(struct trace_rec))
#define TRACE_RECS (TRACE_PAGES * RECS_PER_PAGE)

/* QEMU virt: PCIe ECAM, and the PCI I/O window where BAR0 is placed */
#define PCI_ECAM_PA 0x30000000UL
#define PCI_IO_PA 0x03000000UL
#define TRACE_DEV 1	   /* 00:01.0, the first device QEMU adds */
#define TRACE_BAR0 0x1000 /* I/O address given to the UART */

bool trace_on;

static struct trace_buf {
	struct trace_rec *page[TRACE_PAGES];
	uint64_t head;	    /* this hart only */
	uint64_t tail_seen; /* this hart only: tail as last loaded */
	uint64_t lost;	    /* this hart only */
	uint32_t seq;	    /* this hart only */
	uint64_t tail;	    /* under trace_lock */
} bufs[NHART];

static struct spinlock trace_lock = SPINLOCK_INIT("trace");
static volatile uint8_t *uart; /* NULL: no trace UART found */

static struct trace_rec *slot(struct trace_buf *b, uint64_t i)
{
	return &b->page[(i / RECS_PER_PAGE) % TRACE_PAGES][i % RECS_PER_PAGE];
}

static void record(int event, uint64_t ts, uint64_t a0, uint64_t a1);

void trace_record(int event, uint64_t a0, uint64_t a1)
{
	record(event, rdtime(), a0, a1);
}

/*
 * Move the records a process wrote in its user trace area into this hart's
 * stream (normal core: when it is switched out, and at exit).  The head is
 * the user's: read once, bounded; each record's event checked.
 */
void trace_user_drain(struct proc *p)
{
	struct utrace_area *u = p->utrace;
	/* acquire: pairs with libuser's release store of head */
	uint32_t head = __atomic_load_n(&u->head, __ATOMIC_ACQUIRE);
	uint32_t tail = u->tail, lost = u->lost;

	if (head - tail > UTRACE_RECS) {
		lost += head - tail; /* garbage: count it, take nothing */
		tail = head;
	}
	for (; tail != head; tail++) {
		struct utrace_rec r = u->rec[tail % UTRACE_RECS];

		if (r.event != TR_USER_SUBMIT && r.event != TR_USER_REAP)
			continue;
		record(r.event, r.ts, (uint64_t)p->pid << 32 | (uint32_t)r.ring_fd,
		       r.user_data);
	}
	if (lost) {
		u->lost = 0;
		record(TR_LOST, rdtime(), lost, 0);
	}
	/* release: the records are copied before the slots are reused */
	__atomic_store_n(&u->tail, tail, __ATOMIC_RELEASE);
}

static void record(int event, uint64_t ts, uint64_t a0, uint64_t a1)
{
	struct hart *h = this_hart();
	struct trace_buf *b = h->trace;
	uint64_t head = b->head;
	struct trace_rec *r;

	if (head - b->tail_seen >= TRACE_RECS) {
		/* acquire: pairs with the drainer's release store of tail (the
		 * slots it sent may be reused); loaded only when seemingly full */
		b->tail_seen = __atomic_load_n(&b->tail, __ATOMIC_ACQUIRE);
		if (head - b->tail_seen >= TRACE_RECS) {
			b->lost++;
			return;
		}
	}
	r = slot(b, head);
	r->magic = TRACE_MAGIC;
	r->hart = h->id;
	r->event = event;
	r->seq = b->seq++;
	r->ts = ts;
	r->a0 = a0;
	r->a1 = a1;
	/* release: the record before the head; pairs with the drainer's
	 * acquire load of head */
	__atomic_store_n(&b->head, head + 1, __ATOMIC_RELEASE);
}

static void uart_out(const void *p, size_t n)
{
	const uint8_t *s = p;

	for (size_t i = 0; i < n; i++) {
		while (!(uart[5] & 0x20)) /* LSR.THRE */
			;
		uart[0] = s[i];
	}
}

static void drain_one(int hart)
{
	struct trace_buf *b = &bufs[hart];
	uint64_t head = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);
	uint64_t lost = __atomic_exchange_n(&b->lost, 0, __ATOMIC_RELAXED);

	if (lost) {
		struct trace_rec r = { TRACE_MAGIC, hart, TR_LOST, 0, rdtime(),
				       lost, 0 };

		uart_out(&r, sizeof(r));
	}
	for (uint64_t i = b->tail; i < head; i++)
		uart_out(slot(b, i), sizeof(struct trace_rec));
	/* release: the records are sent before their slots are reused */
	__atomic_store_n(&b->tail, head, __ATOMIC_RELEASE);
}

/* Send what is buffered: this hart's, or (at power-off) every hart's. */
void trace_drain(bool all_harts)
{
	if (!trace_on || !uart)
		return;
	spin_lock(&trace_lock);
	if (all_harts) {
		for (int i = 0; i < NHART; i++)
			if (bufs[i].page[0])
				drain_one(i);
	} else {
		drain_one(this_hart()->id);
	}
	spin_unlock(&trace_lock);
}

/* Find the trace UART on PCI and give it an I/O address (boot hart). */
void trace_init(void)
{
	volatile uint32_t *cfg;

	trace_on = bootarg_present("trace");
	if (!trace_on)
		return;
	cfg = (volatile uint32_t *)devmem(PCI_ECAM_PA + (TRACE_DEV << 15));
	if (cfg[0] != (0x0002U << 16 | 0x1b36)) { /* Red Hat PCI 16550 */
		kprintf("trace: no pci-serial at 00:01.0: tracing off\n");
		trace_on = false;
		return;
	}
	for (int i = 0; i < bootinfo.nharts; i++) {
		uint64_t id = bootinfo.harts[i];

		for (int j = 0; id < NHART && j < TRACE_PAGES; j++) {
			bufs[id].page[j] = kalloc();
			if (!bufs[id].page[j])
				panic("trace: no memory for the buffers");
		}
		if (id < NHART)
			harts[id].trace = &bufs[id];
	}
	cfg[4] = TRACE_BAR0;	/* BAR0, an I/O BAR */
	cfg[1] |= 0x1;		/* command: I/O space enable */
	uart = (volatile uint8_t *)devmem(PCI_IO_PA + TRACE_BAR0);
	uart[1] = 0;		/* no interrupts */
	uart[3] = 0x03;		/* 8N1 */
	uart[2] = 0x07;		/* FIFOs on and cleared */
	trace(TR_HELLO, timebase_hz, bootinfo.nharts);
	kprintf("trace: on, records to the pci-serial UART\n");
}
