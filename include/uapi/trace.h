/*
 * Trace records: the kernel's binary trace stream and the one list of
 * events, shared by the kernel (kernel/trace.c) and the host decoder
 * (hosttools/trace.py parses this file).  Each record is 32 bytes,
 * little-endian; each hart numbers its records from 0 (seq), so the decoder
 * sees any gap; a LOST record says how many a full buffer dropped.
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
 * The user trace area: one page the kernel maps into each process when
 * tracing is on (its address is in the auxiliary vector under
 * AT_TRACE_AREA).  libuser appends records (ring submissions and reaps,
 * with the time CSR) and advances head; the kernel drains them into the
 * hart's stream when the process is switched out or exits, and advances
 * tail.  A full area drops and counts in lost.
 */
#define AT_TRACE_AREA 0x7000 /* an auxv tag of this kernel's own */
#define UTRACE_RECS 127

struct utrace_rec {
	uint64_t ts;
	uint32_t event; /* TR_USER_SUBMIT or TR_USER_REAP */
	int32_t ring_fd;
	uint64_t user_data;
	uint64_t pad;
};

struct utrace_area {
	uint32_t head; /* user writes (release after the record) */
	uint32_t tail; /* kernel writes */
	uint32_t lost; /* user counts, kernel reads and clears */
	uint32_t pad[5];
	struct utrace_rec rec[UTRACE_RECS];
};

#define TRACE_EVENTS(TRACE_EVENT)                                              \
	TRACE_EVENT(0, HELLO, "timebase_hz", "harts")                          \
	TRACE_EVENT(1, LOST, "records", "")                                    \
	TRACE_EVENT(2, SYSCALL_ENTER, "nr", "pid")                             \
	TRACE_EVENT(3, SYSCALL_EXIT, "nr", "result")                           \
	TRACE_EVENT(4, SWITCH, "from_pid", "to_pid")                           \
	TRACE_EVENT(5, IPI_SEND, "to_hart", "")                                \
	TRACE_EVENT(6, IPI_RECV, "", "")                                       \
	TRACE_EVENT(7, SQE_TAKEN, "opcode << 32 | ring", "user_data")          \
	TRACE_EVENT(8, CQE_POSTED, "ring", "user_data")                        \
	TRACE_EVENT(9, IO_SLEEP, "", "")                                       \
	TRACE_EVENT(10, IO_WAKE, "", "")                                       \
	TRACE_EVENT(11, RING_SETUP, "pid << 32 | fd", "ring")                  \
	TRACE_EVENT(12, USER_SUBMIT, "pid << 32 | ring fd", "user_data")       \
	TRACE_EVENT(13, USER_REAP, "pid << 32 | ring fd", "user_data")

#define TRACE_ENUM(id, name, a0, a1) TR_##name = id,
enum { TRACE_EVENTS(TRACE_ENUM) TR_NEVENTS };
#undef TRACE_ENUM

#endif
