/*
 * The trace stream.  Each hart appends fixed-size records (uapi/trace.h) to
 * its own buffer -- one producer, no lock on the hot path -- and they go to
 * the host through the platform's trace sink (platform.h), separate from
 * the console: on QEMU virt a second 16550 on the PCI bus (QEMU `-device
 * pci-serial`; make TRACE=...).
 * Draining happens where it does not distort what is measured: when a hart
 * is idle (the scheduler's wfi, the IO core's sleep) with its buffer half
 * full, and at power-off.  A full buffer drops records and counts them; the
 * next drain sends a LOST record with the count first, so the decoder
 * reports every loss.
 *
 * Recording can be paused and resumed at run time (trace_ctl, a system
 * call), so that one run measures with tracing off and on; the buffers
 * exist only when the kernel was booted with `trace`.
 *
 * Locking: a buffer's head is written only by its hart (release, after the
 * record); its tail only by a drainer holding trace_lock, which also
 * serializes the trace sink.  trace_lock is a leaf lock.  trace_on is a plain
 * flag both harts read without ordering; a record being written when it
 * changes is kept, and code that writes a pair of records (enter/exit)
 * writes the second if it wrote the first.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/trap.h"
#include "core/boot.h"
#include "core/fdt.h"
#include "core/panic.h"
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/spinlock.h"
#include "core/types.h"
#include "mm/kalloc.h"
#include "platform/platform.h"
#include "trace/events.h"
#include "trace/trace.h"
#include "uapi/errno.h"
#include "uapi/trace.h"

#define UTRACE_PER_PAGE (PGSIZE / sizeof(struct utrace_rec))

#ifndef TRACING_OFF
bool trace_on;	   /* recording now */
#endif
static bool trace_ready; /* booted with `trace`: buffers and sink there */

static struct trace_buf bufs[NHART];

bool trace_available(void)
{
	return trace_ready;
}

static struct spinlock trace_lock = SPINLOCK_INIT("trace");

void trace_record(int event, uint64_t a0, uint64_t a1)
{
	trace_put(event, rdtime(), a0, a1);
}

/* The seq number this hart's next record will have. */
uint64_t trace_seq(void)
{
	return (uint32_t)this_hart()->trace->head;
}

/*
 * trace_put's way when head's slot reached stop: if the buffer seemed full
 * (head reached limit), load the drainer's tail and move limit, or count a
 * lost record; find the slot (the next page) and set stop again.
 */
void trace_put_slow(int event, uint64_t ts, uint64_t a0, uint64_t a1)
{
	struct trace_buf *b = this_hart()->trace;
	uint64_t head = b->head;

	if (head >= b->limit) {
		/* acquire: pairs with the drainer's release store of tail (the
		 * slots it sent may be reused) */
		b->limit = __atomic_load_n(&b->tail, __ATOMIC_ACQUIRE) +
			   trace_nrecs(b);
		if (head >= b->limit) {
			/* atomic: the power-off drain on another hart
			 * exchanges it */
			__atomic_fetch_add(&b->lost, 1, __ATOMIC_RELAXED);
			return;
		}
	}
	b->next = trace_slot(b, head);
	b->stop = b->next + MIN(RECS_PER_PAGE - head % RECS_PER_PAGE,
				b->limit - head);
	trace_put(event, ts, a0, a1);
}

/*
 * Move the records a process wrote in its user trace area into this hart's
 * stream (normal core; when: see trace_user_drain_full).  Nothing the
 * process wrote is trusted: its head is read once and bounded, the position
 * drained up to is the kernel's own (p->mm->utrace_tail; the area's tail is a
 * copy for the process), each record's event is checked, and one process
 * may fill at most half of what is free in the hart's buffer (the rest is
 * counted as its loss), so that it cannot crowd out the kernel's records.
 * Paused, the records are dropped.
 */
void trace_user_drain(struct proc *p)
{
	struct utrace_area *u = p->mm->utrace;
	struct trace_buf *b = this_hart()->trace;
	/* acquire: pairs with libuser's release store of head */
	uint32_t head = __atomic_load_n(&u->head, __ATOMIC_ACQUIRE);
	uint32_t tail = p->mm->utrace_tail, lost = u->lost, n = head - tail;
	int pid = p->pid; /* once: the records below might alias it */
	uint64_t room;

	if (n > UTRACE_RECS || !trace_on) {
		if (trace_on)
			lost += n; /* garbage: count it, take none */
		n = 0;
	} else {
		/* acquire: pairs with the drainer's release store of tail */
		room = trace_nrecs(b) - (b->head - __atomic_load_n(&b->tail,
							     __ATOMIC_ACQUIRE));
		if (n > room / 2) {
			lost += n - room / 2;
			n = room / 2;
		}
	}
	for (uint32_t t = tail; t != tail + n; t++) {
		uint32_t i = t % UTRACE_RECS;
		struct utrace_rec r = p->mm->utrace_rec[i / UTRACE_PER_PAGE]
						   [i % UTRACE_PER_PAGE];

		if (r.event != TR_USER_SUBMIT && r.event != TR_USER_REAP)
			continue;
		__trace_user_batch(&r, pid);
	}
	if (lost) {
		u->lost = 0;
		trace_lost_user(lost, pid);
	}
	p->mm->utrace_tail = head; /* all taken or counted */
	/* release: the records are copied before the slots are reused */
	__atomic_store_n(&u->tail, head, __ATOMIC_RELEASE);
}

/*
 * Send hart's records.  An idle hart's drain (yield: true) stops as soon as
 * an interrupt is pending for it -- an IPI, its timer, console input -- so
 * that sending a large buffer (about 1 us a byte to QEMU's UART) does not
 * hold up the work that woke it; the rest goes at its next idle moment.
 */
static void drain_one(int hart, bool yield)
{
	struct trace_buf *b = &bufs[hart];
	uint64_t head = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);
	uint64_t lost = __atomic_exchange_n(&b->lost, 0, __ATOMIC_RELAXED);
	uint64_t i;

	if (lost) {
		struct trace_rec r = { TRACE_MAGIC, hart, TR_LOST, 0, rdtime(),
				       lost, 0 }; /* seq 0: outside the numbering */

		platform_trace_write(&r, sizeof(r));
	}
	for (i = b->tail; i < head; i++) {
		if (yield && (csr_read(sip) & csr_read(sie)) != 0)
			break;
		platform_trace_write(trace_slot(b, i),
				     sizeof(struct trace_rec));
	}
	/* release: the records are sent before their slots are reused */
	__atomic_store_n(&b->tail, i, __ATOMIC_RELEASE);
}

/*
 * Send what is buffered: every hart's (at power-off), or this hart's when
 * it is idle and its buffer is half full.  Below that the records wait:
 * sending distorts what the other hart does -- under QEMU's -icount the
 * harts run in turn, and in the parallel mode every UART access takes
 * QEMU's global lock, which the other hart's IPIs and timer need too (a
 * drain in the demo's IPI test made round trips 30 times slower).
 */
void trace_drain(bool all_harts)
{
	struct trace_buf *b = this_hart()->trace;

	if (!trace_ready)
		return;
	if (!all_harts && b->head - __atomic_load_n(&b->tail, __ATOMIC_RELAXED) <
				  trace_nrecs(b) / 2 &&
	    !b->lost)
		return;
	spin_lock(&trace_lock);
	if (all_harts) {
		for (int i = 0; i < NHART; i++)
			if (bufs[i].page[0])
				drain_one(i, false);
	} else {
		drain_one(b - bufs, true);
	}
	spin_unlock(&trace_lock);
}

/* Set up the platform's trace sink and the buffers (boot hart). */
void trace_init(void)
{
	const char *sink;
	uint64_t npages;

	if (!bootarg_present("trace"))
		return;
#ifdef TRACING_OFF
	kprintf("trace: not built in (make TRACING=0): tracing off\n");
	return;
#endif
	sink = platform_trace_init();
	if (!sink) {
		kprintf("trace: no trace sink: tracing off\n");
		return;
	}
	npages = TRACE_PAGES;
	while (npages > 16 && npages * bootinfo.nharts > kalloc_free_pages() / 4)
		npages /= 2;
	for (int i = 0; i < bootinfo.nharts; i++) {
		uint64_t id = bootinfo.harts[i];

		if (id >= NHART)
			continue;
		for (uint64_t j = 0; j < npages; j++) {
			bufs[id].page[j] = kalloc();
			if (!bufs[id].page[j])
				panic("trace: no memory for the buffers");
		}
		bufs[id].hdr = TRACE_MAGIC | id << 16;
		bufs[id].npages = npages;
		bufs[id].limit = trace_nrecs(&bufs[id]);
		harts[id].trace = &bufs[id];
	}
	trace_ready = true;
#ifndef TRACING_OFF
	trace_on = true;
#endif
	trace_hello(timebase_hz, bootinfo.nharts);
	kprintf("trace: on, records to %s, %ld KiB per hart\n", sink,
		(long)(npages * PGSIZE / 1024));
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
#ifndef TRACING_OFF
	if (was && !on)
		proc_trace_drain_all(); /* what processes recorded until now */
	__atomic_store_n(&trace_on, on, __ATOMIC_RELAXED);
#endif
	return was;
}
