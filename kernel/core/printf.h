/*
 * kprintf (printf.c): formatted output to the console, whole lines under
 * the console lock so that the two harts' lines do not mix; the lock is
 * taken over by a panicking hart (console_take_for_panic).
 */
#ifndef KERNEL_CORE_PRINTF_H
#define KERNEL_CORE_PRINTF_H

#include "core/types.h"

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void console_lock(void);
void console_unlock(void);
void console_take_for_panic(void);

#endif
