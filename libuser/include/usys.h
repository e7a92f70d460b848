/*
 * This kernel's own calls, and raw system calls.  Numbers come from
 * include/uapi/syscalls.h; raw calls return -errno, the wrappers below set
 * errno and return -1 like libc functions.
 */
#ifndef LIBUSER_USYS_H
#define LIBUSER_USYS_H

#include <stdint.h>
#include <uapi/syscalls.h>

static inline long __syscall6(long n, long a0, long a1, long a2, long a3,
			      long a4, long a5)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a4 __asm__("a4") = a4;
	register long r_a5 __asm__("a5") = a5;
	register long r_a7 __asm__("a7") = n;

	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5),
			   "r"(r_a7)
			 : "memory");
	return r_a0;
}

#define __syscall0(n) __syscall6(n, 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a) __syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b) __syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)                                                 \
	__syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d)                                              \
	__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* Set errno from a raw result: -1 and errno for -4095..-1, else r. */
long __syscall_ret(long r);

/* spawn: start path with argv (NULL-terminated); returns the child's pid. */
int spawn(const char *path, char *const argv[]);
/* n IPI round trips to the IO core and back (tests the IPI path). */
long iocore_ping(long n);
/* pause (0) or resume (1) kernel tracing; returns the previous state, or
 * -1 with errno ENODEV when the kernel was not booted with `trace` */
int trace_ctl(int on);
/* the user trace area (uapi/trace.h), when tracing is on; libuser's */
extern struct utrace_area *__utrace;
/* free physical pages, from sysinfo */
long free_pages(void);
/* power the machine off (QEMU exits 0) */
void poweroff(void) __attribute__((noreturn));
/* the time CSR (10 MHz on QEMU virt; under -icount shift=0, 1 tick = 100
 * instructions) */
static inline uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

#endif
