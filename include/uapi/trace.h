/*
 * Trace records: the kernel's binary trace stream and the one list of
 * events, shared by the kernel (kernel/trace/), libuser (the user-side
 * records) and the host decoder (hosttools/uapi.py parses this file for
 * hosttools/trace.py and the tests).  Each record is 32 bytes,
 * little-endian; each hart numbers its records from 0 (seq), so the decoder
 * sees any gap; a LOST record says how many a full buffer dropped.  A
 * record's ts is when it was written, except for the user-side records
 * (when libuser wrote them) and SQE_TAKEN (when the SQE was taken).
 * EXEC_BUSY, RING_POLL and OP_DONE are written at the end of what they
 * describe and carry its start: the time (EXEC_BUSY) or ticks before ts,
 * and for the first two since_seq, the seq number of the first record
 * written after it started (so the decoder places the start among records
 * of the same time-CSR tick).
 *
 * Each event's arguments are declared once, in TRACE_EVENTS below, as the
 * fields of its two 64-bit words; the kernel's packing (kernel/trace/
 * trace.h, used by one wrapper per event in kernel/trace/events.h and
 * kernel/ring/ring_trace.h) and the decoder's unpacking (hosttools/uapi.py)
 * are both generated from that list, so no shift or mask is written out
 * anywhere else.
 */
#ifndef UAPI_TRACE_H
#define UAPI_TRACE_H

#include <stdint.h>

#define TRACE_MAGIC 0x5254 /* "TR" */

struct trace_rec {
	uint16_t magic;
	uint8_t hart;
	uint8_t event;
	uint32_t seq;
	uint64_t ts; /* the time CSR (timebase in the HELLO record) */
	uint64_t a0, a1;
};

/*
 * The user trace area: pages the kernel maps into each process when tracing
 * is on (the address is in the auxiliary vector under AT_TRACE_AREA): a
 * header page, then UTRACE_RECS records.  libuser appends a record for each
 * publication of SQEs and each consumption of CQEs (a batch: the ring
 * index of its first entry and how many, with the time CSR; the entries'
 * user_data are in the kernel's records) and advances head; the kernel
 * moves them into the hart's stream (kernel/trace/trace.h says when) and advances
 * tail.  A full area drops records and counts them in lost.
 */
#define AT_TRACE_AREA 0x7000 /* an auxv tag of this kernel's own */
#define UTRACE_REC_PAGES 16
#define UTRACE_RECS (UTRACE_REC_PAGES * 4096 / 32) /* 2048, a power of 2 */

struct utrace_rec {
	uint64_t ts;
	uint32_t event; /* TR_USER_SUBMIT or TR_USER_REAP */
	int32_t ring_fd; /* event and ring_fd: one little-endian word */
	uint32_t first;	 /* SQ tail or CQ head index of the first entry */
	uint32_t count;	 /* first and count: one word, the record's a1 */
	uint64_t pad;
};

struct utrace_area {
	uint32_t head; /* user writes (release after the records) */
	uint32_t tail; /* kernel writes */
	uint32_t lost; /* user counts, kernel reads and clears */
	uint32_t pad[1021];
	struct utrace_rec rec[UTRACE_RECS]; /* from the second page on */
};

/*
 * The events.  A request on a ring: USER_SUBMIT (libuser published it, in
 * a batch: SQ indexes first .. first + count - 1), then, for most requests,
 * OP_DONE: the IO core took it, issued it and posted its CQE in one go,
 * `ticks` after taking it (one record instead of two on the IO core's hot
 * path).  Otherwise: SQE_TAKEN (ts: when it was
 * taken; issued at once unless a CORO_PARK for it follows), CORO_PARK and
 * CORO_RESUME (it waits as a request coroutine: for its timer, the link
 * before it, or a drain; resumed, it is issued or completes), CQE_POSTED or
 * CQ_OVERFLOW (it completed with that result; the CQE went to the CQ, or
 * to the overflow list and later to the CQ with a second CQE_POSTED).
 * Last, USER_REAP (libuser consumed the CQE, in a batch of CQ indexes).
 * Which request an IO-core record is about, by ring index: every SQE is
 * taken, and every CQE reaches the CQ, in a ring's poll pass, which ends
 * with RING_POLL; it gives the SQ head and the CQ tail at the pass's start
 * (low 16 bits), so the takes (SQE_TAKEN or OP_DONE) and the CQEs that went
 * to the CQ (OP_DONE or CQE_POSTED) written since since_seq are, in order,
 * at the indexes from those on.  A coroutine is a ring and coro: 0 for the
 * ring's poller, slot + 1 for a parked request.  Times in the arguments are
 * time-CSR values like ts.
 *
 * EVENT(id, NAME, (a0's fields), (a1's fields)): a field is U(name, bits),
 * unsigned, or S(name, bits), signed (two's complement in its bits); each
 * word's fields fill it from bit 0 up, at most 64 bits, and an event's
 * field names are unique.  A value wider than its field loses its high bits
 * (the SQ head and CQ tail of RING_POLL on purpose); where that can happen
 * otherwise, the kernel's wrapper clamps or checks (TRACE_MAX).  Fields
 * may be widened into unused bits, never moved: old streams still decode.
 * Fields whose names do not say it all: LOST's pid, the process whose user
 * area was full (0: a hart's buffer); IO_SLEEP's need_wakeup, how many
 * rings were flagged IORING_SQ_NEED_WAKEUP; SPAWN's name, the first 8 bytes
 * of the name; EXEC_BUSY's since, when the busy period began; RING_POLL's
 * taken, the SQEs the pass took, and ticks, its length; OP_DONE's ticks,
 * from the take to the CQE; THREAD's tgid, the pid of the thread's process.
 */
#define TRACE_EVENTS(EVENT, U, S)                                              \
	EVENT(0, HELLO, (U(timebase_hz, 64)), (U(harts, 64)))                  \
	EVENT(1, LOST, (U(records, 64)), (U(pid, 32)))                         \
	EVENT(2, SYSCALL_ENTER, (U(nr, 64)), (U(pid, 32)))                     \
	EVENT(3, SYSCALL_EXIT, (U(nr, 64)), (S(result, 64)))                   \
	EVENT(4, SWITCH, (U(from_pid, 32)), (U(to_pid, 32)))                   \
	EVENT(5, IPI_SEND, (U(to_hart, 64)), ())                               \
	EVENT(6, IPI_RECV, (), ())                                             \
	EVENT(7, SQE_TAKEN, (U(ring, 32) U(opcode, 32)),                       \
	      (U(user_data, 64)))                                              \
	EVENT(8, CQE_POSTED, (U(ring, 32) S(result, 32)),                      \
	      (U(user_data, 64)))                                              \
	EVENT(9, IO_SLEEP, (U(need_wakeup, 64)), (U(deadline, 64)))            \
	EVENT(10, IO_WAKE, (U(sip, 64)), ())                                   \
	EVENT(11, RING_SETUP, (U(fd, 32) U(pid, 32)), (U(ring, 64)))           \
	EVENT(12, USER_SUBMIT, (S(ring_fd, 32) U(pid, 32)),                    \
	      (U(first, 32) U(count, 32)))                                     \
	EVENT(13, USER_REAP, (S(ring_fd, 32) U(pid, 32)),                      \
	      (U(first, 32) U(count, 32)))                                     \
	EVENT(14, TRAP_ENTER, (U(scause, 64)), (U(sepc, 64)))                  \
	EVENT(15, TRAP_EXIT, (U(scause, 64)), ())                              \
	EVENT(16, TIMER, (U(pid, 32)), (U(preempted, 1)))                      \
	EVENT(17, SPAWN, (U(parent, 32) U(pid, 32)), (U(name, 64)))            \
	EVENT(18, EXIT, (U(pid, 32)), (U(wait_status, 32)))                    \
	EVENT(19, EXEC_BUSY, (U(since, 64)), (U(since_seq, 32)))               \
	EVENT(20, EXEC_IDLE, (), ())                                           \
	EVENT(21, RING_POLL, (U(ring, 8) U(taken, 24) U(since_seq, 32)),       \
	      (U(ticks, 32) U(sq_head, 16) U(cq_tail, 16)))                    \
	EVENT(22, CORO_PARK, (U(coro, 8) U(ring, 24) U(why, 32)),              \
	      (U(user_data, 64)))                                              \
	EVENT(23, CORO_RESUME, (U(coro, 8) U(ring, 24)),                       \
	      (U(user_data, 64)))                                              \
	EVENT(24, CQ_OVERFLOW, (U(ring, 32) S(result, 32)),                    \
	      (U(user_data, 64)))                                              \
	EVENT(25, RING_FREE, (U(ring, 64)), ())                                \
	EVENT(26, OP_DONE,                                                     \
	      (U(ring, 8) U(opcode, 8) U(ticks, 16) S(result, 32)),            \
	      (U(user_data, 64)))                                              \
	EVENT(27, THREAD, (U(tgid, 32) U(tid, 32)), (U(exited, 1)))

/* CORO_PARK's why */
#define TRACE_PARK_TIMER 1 /* a TIMEOUT waits for its time or count */
#define TRACE_PARK_LINK 2  /* waits for the link before it */
#define TRACE_PARK_DRAIN 3 /* IOSQE_IO_DRAIN: waits for all before it */

#define TRACE_ENUM(id, name, a0, a1) TR_##name = id,
enum { TRACE_EVENTS(TRACE_ENUM, , ) TR_NEVENTS };
#undef TRACE_ENUM

#endif
