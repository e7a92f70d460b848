/*
 * Tracing (trace.c): trace(event, a0, a1) appends a record to this hart's
 * buffer when tracing is on (kernel option `trace`, and not paused by
 * trace_ctl); off, it costs a load and a branch.  trace_at() gives the
 * record a time of its own (the start of what it describes).  Events:
 * include/uapi/trace.h.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "types.h"
#include "uapi/trace.h"

extern bool trace_on;
void trace_record(int event, uint64_t a0, uint64_t a1);
void trace_record_at(int event, uint64_t ts, uint64_t a0, uint64_t a1);
bool trace_available(void);
uint64_t trace_seq(void);
void trace_init(void);
void trace_drain(bool all_harts);
struct proc;
void trace_user_drain(struct proc *p);

static inline void trace(int event, uint64_t a0, uint64_t a1)
{
	if (unlikely(trace_on))
		trace_record(event, a0, a1);
}

static inline void trace_at(int event, uint64_t ts, uint64_t a0, uint64_t a1)
{
	if (unlikely(trace_on))
		trace_record_at(event, ts, a0, a1);
}

#endif
