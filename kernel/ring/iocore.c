/*
 * The IO core: an executor that serves every ring in turn, and its idle
 * policy.  Each pass takes new rings in and lets dying ones go
 * (service_ring_table), answers a ping, and gives each active ring's poller
 * one turn (ring_poll, submit.c: the SQEs, links, drain and timers;
 * completions through cqe.h), starting one ring later each pass.
 *
 * Waiting: the IO core never enables interrupts (sstatus.SIE stays 0) and
 * takes no traps.  After sq_thread_idle without work it sets
 * IORING_SQ_NEED_WAKEUP in every ring and sleeps in wfi until an IPI
 * (sie.SSIE) -- from io_uring_enter(SQ_WAKEUP), from a ring being set up or
 * torn down, or from iocore_ping -- or until its own timer (sie.STIE) if a
 * timeout is parked, and clears the pending bits itself.
 *
 * Talking to the normal core: the IO core never changes process state.  It
 * sends an IPI and the normal core's handler (iocore_ipi) wakes everything
 * sleeping on iocore_event, which rechecks its condition (CQEs there, a ring
 * freed, a ping answered).  What else the normal core must do for it goes
 * through the deferred-work queue (iocore_defer_*): the wakeup of a channel
 * (a pipe's readers after a ring WRITE), a poll_wake(), the last put of a
 * file whose release belongs to the normal core (a pipe end a parked ring
 * request held); the handler does them in order, one IPI per pass.
 *
 * Tracing (ring_trace.h): EXEC_BUSY/EXEC_IDLE when the executor's passes
 * start or stop finding work; IO_SLEEP/IO_WAKE around the wfi sleep with
 * NEED_WAKEUP set; IPI_SEND/IPI_RECV; RING_FREE.
 *
 * Locking: see ring.h and ring.c for the ring protocol; the active list is
 * the IO core's alone; ping.req is written by the normal core only and
 * ping.ack by the IO core only.
 */
#include "arch/riscv/riscv.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/trap.h"
#include "core/boot.h"
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/types.h"
#include "fs/fs.h"
#include "ring/iocore.h"
#include "ring/ring.h"
#include "ring/ring_trace.h"
#include "trace/events.h"
#include "trace/trace.h"
#include "uapi/errno.h"
#include "uapi/io_uring.h"

#define POLL_WFI_US 2 /* iopoll=wfi: the pause between empty passes */

int io_hart = -1;
const char iocore_event; /* the normal core's sleepers on IO core events */

static struct {
	uint64_t req; /* normal core writes */
	uint64_t ack; /* IO core writes */
} ping;

/*
 * The deferred-work queue, IO core -> normal core: single producer (the IO
 * core: tail), single consumer (the normal core's IPI handler: head),
 * free-running counters.  An entry is a channel to wake up, or a struct
 * file (bit 0 set) whose reference to put.
 */
#define NDEFER 256
static struct {
	uintptr_t item[NDEFER];
	uint32_t head;	 /* normal core */
	uint32_t tail;	 /* IO core */
	uint32_t poll;	 /* IO core sets, normal core clears: poll_wake() */
	bool kick;	 /* IO core only: entries added this pass */
} defer;

static struct ring *active[NRING]; /* IO core only: the rings it polls */
static int nactive;
/*
 * iopoll=wfi on the kernel command line: between empty passes the IO core
 * waits in wfi for POLL_WFI_US (or an IPI) instead of spinning.  Spinning
 * is what SQPOLL does and what real parallel hardware wants; under QEMU's
 * deterministic -icount mode the harts run in turn, and a spinning IO core
 * would hold the normal core off until its idle period ends (make ICOUNT=1
 * sets it).
 */
static bool poll_wfi;

/* Normal core: tell the IO core to look (it may be asleep in wfi). */
void iocore_kick(void)
{
	if (io_hart >= 0) {
		trace_ipi_send(io_hart);
		sbi_send_ipi(io_hart);
	}
}

/* IO core: wake the normal core's sleepers on iocore_event. */
void iocore_notify_normal(void)
{
	trace_ipi_send(normal_hart);
	sbi_send_ipi(normal_hart);
}

/* IO core: queue an entry of deferred work for the normal core. */
static void defer_add(uintptr_t item)
{
	/* acquire: pairs with the release store of head in iocore_ipi (the
	 * slot was read before) */
	while (defer.tail - __atomic_load_n(&defer.head, __ATOMIC_ACQUIRE) ==
	       NDEFER) {
		iocore_notify_normal(); /* full: let the normal core drain it */
		iocore_relax();
	}
	defer.item[defer.tail % NDEFER] = item;
	/* release: the entry before the tail; pairs with the acquire load of
	 * tail in iocore_ipi */
	__atomic_store_n(&defer.tail, defer.tail + 1, __ATOMIC_RELEASE);
	defer.kick = true;
}

/* IO core: have the normal core wakeup(chan). */
void iocore_defer_wakeup(const void *chan)
{
	defer_add((uintptr_t)chan);
}

/* IO core: have the normal core put this reference to f (its release). */
void iocore_defer_put(struct file *f)
{
	defer_add((uintptr_t)f | 1);
}

/* IO core: have the normal core poll_wake() its ppoll/select sleepers. */
void iocore_defer_poll_wake(void)
{
	if (!__atomic_load_n(&defer.poll, __ATOMIC_RELAXED)) {
		__atomic_store_n(&defer.poll, 1, __ATOMIC_RELEASE);
		defer.kick = true;
	}
}

/* IO core, at the end of a pass: one IPI for the work deferred in it. */
static void defer_flush(void)
{
	if (defer.kick) {
		defer.kick = false;
		iocore_notify_normal();
	}
}

/* Normal core: an IPI from the IO core arrived (interrupts off). */
void iocore_ipi(void)
{
	/* acquire: pairs with the release store of tail in defer_add */
	uint32_t tail = __atomic_load_n(&defer.tail, __ATOMIC_ACQUIRE);
	uint32_t head = defer.head;

	while (head != tail) {
		uintptr_t item = defer.item[head % NDEFER];

		head++;
		if (item & 1)
			file_put((struct file *)(item & ~1UL));
		else
			wakeup((const void *)item);
	}
	/* release: the slots are read; pairs with the acquire in defer_add */
	__atomic_store_n(&defer.head, head, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&defer.poll, 0, __ATOMIC_ACQUIRE))
		poll_wake_sleepers();
	wakeup(&iocore_event);
}

/* IO core: take new rings in, let dying ones go; returns whether any did. */
static bool service_ring_table(void)
{
	bool changed = false;

	for (int i = 0; i < NRING; i++) {
		struct ring *r = &rings[i];
		/* acquire: pairs with the release stores in ring.c */
		uint32_t s = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);

		/* NEW -> ACTIVE by compare-and-swap: the normal core may be
		 * moving it to DYING at the same time (then the next pass
		 * frees it) */
		if (s == RING_NEW &&
		    __atomic_compare_exchange_n(&r->state, &s, RING_ACTIVE, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			sfence_vma(); /* its kernel window was just mapped */
			active[nactive++] = r;
			changed = true;
		} else if (s == RING_DYING) {
			for (int j = 0; j < nactive; j++) {
				if (active[j] == r) {
					active[j] = active[--nactive];
					break;
				}
			}
			ring_drop_parked(r);
			ring_destroy_memory(r);
			r->owner = NULL;
			trace_ring_free(r);
			/* release: the IO core is done with the ring */
			__atomic_store_n(&r->state, RING_FREE, __ATOMIC_RELEASE);
			iocore_notify_normal();
			changed = true;
		}
	}
	return changed;
}

static bool answer_ping(void)
{
	/* acquire: pairs with the release store of req in iocore_ping() */
	uint64_t req = __atomic_load_n(&ping.req, __ATOMIC_ACQUIRE);

	if (req == ping.ack)
		return false;
	/* release: pairs with the acquire load of ack in iocore_ping() */
	__atomic_store_n(&ping.ack, req, __ATOMIC_RELEASE);
	iocore_notify_normal();
	return true;
}

static void set_need_wakeup(bool on)
{
	for (int i = 0; i < nactive; i++) {
		if (on)
			__atomic_or_fetch(active[i]->sq_flags,
					  IORING_SQ_NEED_WAKEUP, __ATOMIC_RELAXED);
		else
			__atomic_and_fetch(active[i]->sq_flags,
					   ~IORING_SQ_NEED_WAKEUP,
					   __ATOMIC_RELAXED);
	}
}

/* wfi until an IPI or the time CSR reaches deadline (~0: no timer). */
static uint64_t wait_ipi_or_time(uint64_t deadline)
{
	uint64_t sip;

	if (deadline != ~0UL)
		sbi_set_timer(deadline);
	while (!((sip = csr_read(sip)) & (SIE_SSIE | SIE_STIE)))
		wfi();
	if (deadline != ~0UL)
		sbi_set_timer(~0UL); /* clears sip.STIP */
	return sip;
}

/*
 * Does the IO core give the normal core a turn between the chunks of a long
 * operation (uview_pause, mm/vm.c)?  With iopoll=wfi: under -icount the
 * harts run in turn and the normal core runs only while the IO core waits,
 * so a 1 GiB READV would hold it off for its whole length.
 */
bool iocore_cedes(void)
{
	return poll_wfi;
}

/*
 * IO core, inside an operation, waiting for the normal core (lock_break,
 * core/resched.c) or ceding it a turn: with iopoll=wfi (the harts run in
 * turn) a wfi of POLL_WFI_US, so that the normal core gets to run; else a
 * pause hint.  A pending IPI is taken here: the pass this runs in did
 * work, so the executor polls every ring again before it sleeps.
 */
void iocore_relax(void)
{
	if (!poll_wfi) {
		cpu_pause();
		return;
	}
	if (csr_read(sip) & SIE_SSIE) {
		csr_clear(sip, SIE_SSIE);
		trace_ipi_recv();
	}
	wait_ipi_or_time(rdtime() + time_us_to_ticks(POLL_WFI_US));
}

/* Sleep until an IPI or the next parked timeout, unless work came. */
static void idle_sleep(void)
{
	uint64_t deadline = ~0UL;

	set_need_wakeup(true);
	/* full barrier: pairs with the one in io_uring_submit between the SQ
	 * tail store and the flags load */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < nactive; i++) {
		if (sq_takeable(active[i]) || ring_polls_due(active[i])) {
			set_need_wakeup(false);
			return;
		}
		deadline = MIN(deadline, ring_next_deadline(active[i]));
	}
	trace_io_sleep(nactive, deadline);
	if (trace_available() && deadline != ~0UL)
		sbi_set_timer(deadline); /* a drain stops when it is due */
	trace_drain(false); /* idle: send the trace records */
	trace_io_wake(wait_ipi_or_time(deadline));
	set_need_wakeup(false);
}

void iocore_main(void)
{
	struct hart *h = this_hart();
	uint64_t last_work = rdtime();
	int next = 0;

	sbi_set_timer(~0UL); /* no timer until a timeout is parked */
	poll_wfi = bootarg_present("iopoll=wfi");
	ring_xlate_cache = !bootarg_present("ringxlate=walk");
	kprintf("hart %ld: IO core: serving rings (%s between polls)\n",
		(long)h->id, poll_wfi ? "wfi" : "spin");
	for (;;) {
		bool worked = false;

		trace_exec_pass_begin();

		if (csr_read(sip) & SIE_SSIE) {
			csr_clear(sip, SIE_SSIE);
			trace_ipi_recv();
		}
		worked |= service_ring_table();
		worked |= answer_ping();
		/* each ring one turn, starting after last pass's first */
		for (int i = 0; i < nactive; i++)
			worked |= ring_poll(active[(next + i) % nactive]);
		next = nactive ? (next + 1) % nactive : 0;
		defer_flush();
		trace_exec_pass_end(worked);
		if (worked) {
			last_work = rdtime();
			continue;
		}
		uint64_t idle = ~0UL;

		for (int i = 0; i < nactive; i++)
			idle = MIN(idle, active[i]->idle_ticks);
		if (nactive == 0 || rdtime() - last_work >= idle) {
			idle_sleep();
			last_work = rdtime();
		} else if (poll_wfi) {
			wait_ipi_or_time(rdtime() + time_us_to_ticks(POLL_WFI_US));
		}
	}
}

long iocore_ping(long n)
{
	if (io_hart < 0)
		return -ENODEV;
	if (n < 1 || n > 1000000)
		return -EINVAL;
	for (long i = 0; i < n; i++) {
		uint64_t seq = ping.req + 1;

		/* release: pairs with the acquire load of req in answer_ping() */
		__atomic_store_n(&ping.req, seq, __ATOMIC_RELEASE);
		iocore_kick();
		/* acquire: pairs with the release store of ack in answer_ping() */
		while (__atomic_load_n(&ping.ack, __ATOMIC_ACQUIRE) < seq)
			sleep_on(&iocore_event, 0);
	}
	return n;
}
