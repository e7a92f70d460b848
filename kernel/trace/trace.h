/*
 * Tracing (trace.c): the per-hart buffers and the record primitives.  Code
 * that traces includes trace/events.h (or ring/ring_trace.h), one
 * wrapper per event, which packs the event's fields with the packers made
 * here from the declarations in include/uapi/trace.h (TRACE_RECORD and
 * friends below) and tests trace_on, so that tracing off costs a load and
 * a branch.  Locking: trace.c.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "arch/riscv/riscv.h"
#include "core/proc.h"
#include "core/types.h"
#include "mm/memlayout.h"
#include "uapi/trace.h"

/*
 * Per hart, allocated when tracing is on: at most 2048 pages (8 MiB,
 * 262144 records), fewer on a small machine (a power of two, with a
 * quarter of the free memory for all harts).
 */
#define TRACE_PAGES 2048
#define RECS_PER_PAGE (PGSIZE / sizeof(struct trace_rec))

/*
 * A hart's buffer.  A record's first word, magic | hart << 16 | event << 24
 * | seq << 32, is stored at once; seq is the record's index in its hart's
 * stream (head).
 */
struct trace_buf {
	/* this hart only */
	uint64_t head;
	struct trace_rec *next; /* head's slot */
	struct trace_rec *stop; /* next may reach this before trace_put_slow:
				 * its page's end or limit's slot */
	uint64_t limit; /* head may grow to this without loading tail */
	uint64_t hdr;	/* TRACE_MAGIC | hart << 16 */
	uint64_t lost;	/* exchanged by the drainer */
	uint64_t npages; /* set at boot, a power of two */
	struct trace_rec *page[TRACE_PAGES];
	/* under trace_lock (trace.c) */
	uint64_t tail;
};

#ifdef TRACING_OFF
#define trace_on false /* make TRACING=0: every trace point compiles away */
#else
extern bool trace_on;
#endif
void trace_put_slow(int event, uint64_t ts, uint64_t a0, uint64_t a1);
void trace_init(void);
void trace_drain(bool all_harts);
bool trace_available(void);
uint64_t trace_seq(void);
void trace_user_drain(struct proc *p);

static inline uint64_t trace_nrecs(const struct trace_buf *b)
{
	return b->npages * RECS_PER_PAGE;
}

static inline struct trace_rec *trace_slot(struct trace_buf *b, uint64_t i)
{
	return &b->page[(i / RECS_PER_PAGE) & (b->npages - 1)][i % RECS_PER_PAGE];
}

/*
 * Append a record to this hart's buffer: no lock.  Inline only in code that
 * runs when tracing is on (trace.c, syscall_traced, ring/ring_trace.c);
 * elsewhere the out-of-line trace_record(), behind a wrapper's test of
 * trace_on, so that a call site costs the code it is in nothing else when
 * tracing is off.
 */
static inline void trace_put(int event, uint64_t ts, uint64_t a0, uint64_t a1)
{
	struct trace_buf *b = this_hart()->trace;
	struct trace_rec *slot = b->next;
	uint64_t head = b->head, *r = (uint64_t *)slot;

	if (unlikely(slot == b->stop)) {
		/* a new page, or the buffer seemed full */
		trace_put_slow(event, ts, a0, a1);
		return;
	}
	r[0] = b->hdr | (uint64_t)event << 24 | head << 32;
	r[1] = ts;
	r[2] = a0;
	r[3] = a1;
	b->next = slot + 1;
	/* release: the record before the head; pairs with the drainer's
	 * acquire load of head */
	__atomic_store_n(&b->head, head + 1, __ATOMIC_RELEASE);
}

void trace_record(int event, uint64_t a0, uint64_t a1);

/*
 * Packing, generated from TRACE_EVENTS (include/uapi/trace.h).  For each
 * event NAME:
 *   struct trace_NAME        its fields' values, by name (int64_t if
 *                            signed, else uint64_t)
 *   trace_pack_NAME(v)       the record's two words: each field masked to
 *                            its width and shifted into place (constants:
 *                            it compiles to the shifts one would write)
 *   TRACE_BITS(NAME, field)  a field's width, TRACE_MAX(NAME, field) the
 *                            largest value an unsigned one holds: integer
 *                            constant expressions, for clamps and
 *                            _Static_assert (struct trace_bits_NAME: a
 *                            char array per field, as long as its width;
 *                            a name used twice in an event fails here)
 *   TRACE_SAME_FIELD(A, B, f)  f has one place in events A and B, which
 *                            may then share a packer
 * and a compile-time check that each word's fields fit in 64 bits.
 * TRACE_RECORD(NAME, .field = value, ...) then writes a record now, out of
 * line, and TRACE_PUT(NAME, ts, ...) one with time ts, inline, for code
 * that runs only when tracing.  Neither tests trace_on: the wrappers do.
 * A field not named is 0.
 */
struct trace_words {
	uint64_t a0, a1;
};

#define TRACE_UNPAREN(...) __VA_ARGS__
#define TRACE_MASK(bits) (~0ULL >> (64 - (bits)))
#define TRACE_VALUE_U(name, bits) uint64_t name;
#define TRACE_VALUE_S(name, bits) int64_t name;
#define TRACE_VALUES(id, NAME, f0, f1)                                         \
	struct trace_##NAME {                                                  \
		TRACE_UNPAREN f0 TRACE_UNPAREN f1                              \
	};
TRACE_EVENTS(TRACE_VALUES, TRACE_VALUE_U, TRACE_VALUE_S)

#define TRACE_WIDTH(name, bits) char name[bits];
#define TRACE_WIDTHS(id, NAME, f0, f1)                                         \
	struct trace_bits_##NAME {                                             \
		TRACE_UNPAREN f0 TRACE_UNPAREN f1                              \
	};
TRACE_EVENTS(TRACE_WIDTHS, TRACE_WIDTH, TRACE_WIDTH)

#define TRACE_SUM(name, bits) +(bits)
#define TRACE_WORDS_FIT(id, NAME, f0, f1)                                      \
	_Static_assert(0 TRACE_UNPAREN f0 <= 64 && 0 TRACE_UNPAREN f1 <= 64,   \
		       #NAME ": a word's fields take more than 64 bits");
TRACE_EVENTS(TRACE_WORDS_FIT, TRACE_SUM, TRACE_SUM)

/*
 * x as bits bits from bit at up, in the form the compiler keeps cheapest
 * (each is (x & TRACE_MASK(bits)) << at): a word's top field unmasked,
 * since what is above it shifts out; a cast to 8 or 16 bits, which it
 * drops where it knows the value fits; else two shifts, not a mask, whose
 * constant it would keep in a register through a loop (the scheduler's).
 */
#define TRACE_FIELD(x, bits, at)                                               \
	((at) + (bits) == 64 ? (uint64_t)(x) << (at)                           \
	 : (bits) == 8 ? (uint64_t)(uint8_t)(x) << (at)                        \
	 : (bits) == 16 ? (uint64_t)(uint16_t)(x) << (at)                      \
	 : (uint64_t)(x) << (64 - (bits)) >> (64 - (bits) - (at)))

#define TRACE_PACK_FIELD(name, bits)                                           \
	w |= TRACE_FIELD(v.name, bits, at);                                    \
	at += (bits);
#define TRACE_PACKER(id, NAME, f0, f1)                                         \
	static inline struct trace_words trace_pack_##NAME(                    \
		struct trace_##NAME v)                                         \
	{                                                                      \
		struct trace_words r;                                          \
		unsigned int at = 0;                                           \
		uint64_t w = 0;                                                \
                                                                               \
		TRACE_UNPAREN f0                                               \
		r.a0 = w;                                                      \
		w = 0;                                                         \
		at = 0;                                                        \
		TRACE_UNPAREN f1                                               \
		r.a1 = w;                                                      \
		(void)v;                                                       \
		(void)at;                                                      \
		return r;                                                      \
	}
TRACE_EVENTS(TRACE_PACKER, TRACE_PACK_FIELD, TRACE_PACK_FIELD)

#define TRACE_BITS(NAME, field) sizeof(((struct trace_bits_##NAME *)0)->field)
#define TRACE_MAX(NAME, field) TRACE_MASK(TRACE_BITS(NAME, field))

/* events A and B have field f in the same place (for a shared packer) */
#define TRACE_SAME_FIELD(A, B, f)                                              \
	(offsetof(struct trace_bits_##A, f) ==                                 \
		 offsetof(struct trace_bits_##B, f) &&                         \
	 TRACE_BITS(A, f) == TRACE_BITS(B, f))

#define TRACE_ARGS(NAME, ...)                                                  \
	trace_pack_##NAME((struct trace_##NAME){ __VA_ARGS__ })
#define TRACE_RECORD(NAME, ...)                                                \
	do {                                                                   \
		struct trace_words w_ = TRACE_ARGS(NAME, __VA_ARGS__);         \
		trace_record(TR_##NAME, w_.a0, w_.a1);                         \
	} while (0)
#define TRACE_PUT(NAME, ts, ...)                                               \
	do {                                                                   \
		struct trace_words w_ = TRACE_ARGS(NAME, __VA_ARGS__);         \
		trace_put(TR_##NAME, ts, w_.a0, w_.a1);                        \
	} while (0)

/*
 * A process's user-side records move to the stream when its area is three
 * quarters full (checked at system calls and switch-outs), at trace_ctl(0),
 * at exit and at power-off: not on every switch, which would put the
 * copying inside the windows a benchmark measures (the area holds 2048).
 */
static inline void trace_user_drain_full(struct proc *p)
{
	struct utrace_area *u = p->mm->utrace;

	if (unlikely(u != NULL) &&
	    READ_ONCE(u->head) - p->mm->utrace_tail > UTRACE_RECS / 4 * 3)
		trace_user_drain(p);
}

#endif
