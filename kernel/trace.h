/*
 * Tracing (trace.c): trace(event, a0, a1) appends a record to this hart's
 * buffer when tracing is on (kernel option `trace`); off, it costs a load
 * and a branch.  Events: include/uapi/trace.h.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "types.h"
#include "uapi/trace.h"

extern bool trace_on;
void trace_record(int event, uint64_t a0, uint64_t a1);
void trace_init(void);
void trace_drain(bool all_harts);
struct proc;
void trace_user_drain(struct proc *p);

static inline void trace(int event, uint64_t a0, uint64_t a1)
{
	if (unlikely(trace_on))
		trace_record(event, a0, a1);
}

#endif
