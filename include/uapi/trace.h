/*
 * Trace records: the kernel's binary trace stream and the one list of
 * events, shared by the kernel (kernel/trace/trace.c) and the host decoder
 * (hosttools/trace.py parses this file).  Each record is 32 bytes,
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
 * TRACE_EVENT(id, NAME, "arg0 name", "arg1 name")
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
 * at the indexes from those on.  Coroutine ids: ring << 8 for a ring's
 * poller, ring << 8 | (slot + 1) for a parked request.  Times in a0/a1 are
 * time-CSR values like ts.
 */
#define TRACE_EVENTS(TRACE_EVENT)                                              \
	TRACE_EVENT(0, HELLO, "timebase_hz", "harts")                          \
	TRACE_EVENT(1, LOST, "records", "pid (user area) or 0")                \
	TRACE_EVENT(2, SYSCALL_ENTER, "nr", "pid")                             \
	TRACE_EVENT(3, SYSCALL_EXIT, "nr", "result")                           \
	TRACE_EVENT(4, SWITCH, "from_pid", "to_pid")                           \
	TRACE_EVENT(5, IPI_SEND, "to_hart", "")                                \
	TRACE_EVENT(6, IPI_RECV, "", "")                                       \
	TRACE_EVENT(7, SQE_TAKEN, "opcode << 32 | ring", "user_data")          \
	TRACE_EVENT(8, CQE_POSTED, "result << 32 | ring", "user_data")         \
	TRACE_EVENT(9, IO_SLEEP, "rings flagged NEED_WAKEUP", "deadline")      \
	TRACE_EVENT(10, IO_WAKE, "sip", "")                                    \
	TRACE_EVENT(11, RING_SETUP, "pid << 32 | fd", "ring")                  \
	TRACE_EVENT(12, USER_SUBMIT, "pid << 32 | ring fd",                    \
		    "count << 32 | first SQ index")                            \
	TRACE_EVENT(13, USER_REAP, "pid << 32 | ring fd",                      \
		    "count << 32 | first CQ index")                            \
	TRACE_EVENT(14, TRAP_ENTER, "scause", "sepc")                          \
	TRACE_EVENT(15, TRAP_EXIT, "scause", "")                               \
	TRACE_EVENT(16, TIMER, "pid", "preempted")                             \
	TRACE_EVENT(17, SPAWN, "pid << 32 | parent pid", "name (8 bytes)")     \
	TRACE_EVENT(18, EXIT, "pid", "wait status")                            \
	TRACE_EVENT(19, EXEC_BUSY, "since", "since_seq")                       \
	TRACE_EVENT(20, EXEC_IDLE, "", "")                                     \
	TRACE_EVENT(21, RING_POLL, "since_seq << 32 | taken << 8 | ring",      \
		    "CQ tail << 48 | SQ head << 32 | ticks")                   \
	TRACE_EVENT(22, CORO_PARK, "why << 32 | coroutine", "user_data")       \
	TRACE_EVENT(23, CORO_RESUME, "coroutine", "user_data")                 \
	TRACE_EVENT(24, CQ_OVERFLOW, "result << 32 | ring", "user_data")       \
	TRACE_EVENT(25, RING_FREE, "ring", "")                                 \
	TRACE_EVENT(26, OP_DONE,                                               \
		    "result << 32 | ticks << 16 | opcode << 8 | ring",         \
		    "user_data")

/* CORO_PARK's why */
#define TRACE_PARK_TIMER 1 /* a TIMEOUT waits for its time or count */
#define TRACE_PARK_LINK 2  /* waits for the link before it */
#define TRACE_PARK_DRAIN 3 /* IOSQE_IO_DRAIN: waits for all before it */

#define TRACE_ENUM(id, name, a0, a1) TR_##name = id,
enum { TRACE_EVENTS(TRACE_ENUM) TR_NEVENTS };
#undef TRACE_ENUM

#endif
