/*
 * The IO core as the rest of the kernel sees it (iocore.c): its hart, its
 * loop, the IPIs between the cores (iocore_kick: normal core -> IO core;
 * iocore_notify_normal and iocore_ipi: IO core -> the normal core's
 * sleepers on iocore_event; iocore_defer_*: work the normal core does for
 * the IO core), and iocore_ping, the bare IPI round trip.
 */
#ifndef KERNEL_RING_IOCORE_H
#define KERNEL_RING_IOCORE_H

#include "core/types.h"

extern int io_hart;
extern const char iocore_event;
void iocore_main(void) __attribute__((noreturn));
void iocore_ipi(void);
long iocore_ping(long n);
void iocore_kick(void);
void iocore_notify_normal(void);
struct file;
void iocore_defer_wakeup(const void *chan);
void iocore_defer_put(struct file *f);
void iocore_defer_poll_wake(void);
bool iocore_cedes(void);
void iocore_relax(void);

#endif
