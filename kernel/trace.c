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
 * Recording can be paused and resumed at run time (trace_ctl, a system
 * call), so that one run measures with tracing off and on; the buffers
 * exist only when the kernel was booted with `trace`.
 *
 * Locking: a buffer's head is written only by its hart (release, after the
 * record); its tail only by a drainer holding trace_lock, which also
 * serializes the UART.  trace_lock is a leaf lock.  trace_on is read
 * relaxed by both harts; a record being written when it changes is kept.
 */
#include "defs.h"
#include "memlayout.h"
#include "proc.h"
#include "riscv.h"
#include "spinlock.h"
#include "trace.h"
#include "uapi/errno.h"

/* per hart, allocated when tracing is on: 2048 pages, 8 MiB, 262144 records */
#define TRACE_PAGES 2048
#define RECS_PER_PAGE (PGSIZE / sizeof(struct trace_rec))
#define TRACE_RECS (TRACE_PAGES * RECS_PER_PAGE)
#define UTRACE_PER_PAGE (PGSIZE / sizeof(struct utrace_rec))

/* QEMU virt: PCIe ECAM, and the PCI I/O window where BAR0 is placed */
#define PCI_ECAM_PA 0x30000000UL
#define PCI_IO_PA 0x03000000UL
#define TRACE_DEV 1	   /* 00:01.0, the first device QEMU adds */
#define TRACE_BAR0 0x1000 /* I/O address given to the UART */

bool trace_on;	   /* recording now */
static bool trace_ready; /* booted with `trace`: buffers and UART there */

/*
 * A record's first word, magic | hart << 16 | event << 24 | seq << 32, is
 * stored at once; seq is the record's index in its hart's stream (head).
 */
static struct trace_buf {
	/* this hart only */
	uint64_t head;
	uint64_t limit;	 /* head may grow to this without loading tail */
	uint64_t hdr;	 /* TRACE_MAGIC | hart << 16 */
	uint64_t lost;	 /* exchanged by the drainer */
	struct trace_rec *page[TRACE_PAGES];
	/* under trace_lock */
	uint64_t tail;
} bufs[NHART];

bool trace_available(void)
{
	return trace_ready;
}

static struct spinlock trace_lock = SPINLOCK_INIT("trace");
static volatile uint8_t *uart; /* NULL: no trace UART found */

static struct trace_rec *slot(struct trace_buf *b, uint64_t i)
{
	return &b->page[(i / RECS_PER_PAGE) % TRACE_PAGES][i % RECS_PER_PAGE];
}

/* The seq number this hart's next record will have. */
uint64_t trace_seq(void)
{
	return (uint32_t)this_hart()->trace->head;
}

void trace_record(int event, uint64_t a0, uint64_t a1)
{
	trace_record_at(event, rdtime(), a0, a1);
}

/*
 * Move the records a process wrote in its user trace area into this hart's
 * stream (normal core: when it enters the kernel, is switched out, and at
 * exit).  The head is the user's: read once, bounded; each record's event
 * checked.  Paused, the records are dropped.
 */
void trace_user_drain(struct proc *p)
{
	struct utrace_area *u = p->utrace;
	/* acquire: pairs with libuser's release store of head */
	uint32_t head = __atomic_load_n(&u->head, __ATOMIC_ACQUIRE);
	uint32_t tail = u->tail, lost = u->lost;
	uint64_t pid = (uint64_t)p->pid << 32;

	if (head - tail > UTRACE_RECS || !trace_on) {
		if (trace_on)
			lost += head - tail; /* garbage: count it, take none */
		tail = head;
	}
	for (; tail != head; tail++) {
		uint32_t i = tail % UTRACE_RECS;
		struct utrace_rec r = p->utrace_rec[i / UTRACE_PER_PAGE]
						   [i % UTRACE_PER_PAGE];

		if (r.event != TR_USER_SUBMIT && r.event != TR_USER_REAP)
			continue;
		trace_record_at(r.event, r.ts, pid | (uint32_t)r.ring_fd,
				r.user_data);
	}
	if (lost) {
		u->lost = 0;
		if (trace_on)
			trace_record(TR_LOST, lost, 0);
	}
	/* release: the records are copied before the slots are reused */
	__atomic_store_n(&u->tail, tail, __ATOMIC_RELEASE);
}

void trace_record_at(int event, uint64_t ts, uint64_t a0, uint64_t a1)
{
	struct trace_buf *b = this_hart()->trace;
	uint64_t head = b->head;
	uint64_t *r;

	if (unlikely(head >= b->limit)) {
		/* acquire: pairs with the drainer's release store of tail (the
		 * slots it sent may be reused); loaded only when seemingly full */
		b->limit = __atomic_load_n(&b->tail, __ATOMIC_ACQUIRE) +
			   TRACE_RECS;
		if (head >= b->limit) {
			b->lost++;
			return;
		}
	}
	r = (uint64_t *)slot(b, head);
	r[0] = b->hdr | (uint64_t)event << 24 | head << 32;
	r[1] = ts;
	r[2] = a0;
	r[3] = a1;
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
				       lost, 0 }; /* seq 0: outside the numbering */

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
	if (!trace_ready)
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

	if (!bootarg_present("trace"))
		return;
	cfg = (volatile uint32_t *)devmem(PCI_ECAM_PA + (TRACE_DEV << 15));
	if (cfg[0] != (0x0002U << 16 | 0x1b36)) { /* Red Hat PCI 16550 */
		kprintf("trace: no pci-serial at 00:01.0: tracing off\n");
		return;
	}
	for (int i = 0; i < bootinfo.nharts; i++) {
		uint64_t id = bootinfo.harts[i];

		for (int j = 0; id < NHART && j < TRACE_PAGES; j++) {
			bufs[id].page[j] = kalloc();
			if (!bufs[id].page[j])
				panic("trace: no memory for the buffers");
		}
		if (id < NHART) {
			bufs[id].hdr = TRACE_MAGIC | id << 16;
			bufs[id].limit = TRACE_RECS;
			harts[id].trace = &bufs[id];
		}
	}
	cfg[4] = TRACE_BAR0;	/* BAR0, an I/O BAR */
	cfg[1] |= 0x1;		/* command: I/O space enable */
	uart = (volatile uint8_t *)devmem(PCI_IO_PA + TRACE_BAR0);
	uart[1] = 0;		/* no interrupts */
	uart[3] = 0x03;		/* 8N1 */
	uart[2] = 0x07;		/* FIFOs on and cleared */
	trace_ready = trace_on = true;
	trace(TR_HELLO, timebase_hz, bootinfo.nharts);
	kprintf("trace: on, records to the pci-serial UART\n");
}

/*
 * trace_ctl(on): pause (0) or resume (1) recording; returns the previous
 * state.  ENODEV without the kernel option `trace`.
 */
long sys_trace_ctl(long on, long a1, long a2, long a3, long a4, long a5)
{
	bool was = trace_on;

	if (!trace_ready)
		return -ENODEV;
	if (on != 0 && on != 1)
		return -EINVAL;
	__atomic_store_n(&trace_on, on, __ATOMIC_RELAXED);
	return was;
}
