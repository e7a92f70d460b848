/*
 * The user address space as a process sees it, shared by the kernel
 * (kernel/mm/memlayout.h takes these from here: one source of truth) and
 * user programs (the guest tests take their addresses from it).
 *
 *   [0, USER_MIN)                 never mapped (page 0)
 *   USER_MIN ..                   the program, then its heap (brk), which
 *                                 stays below MMAP_BASE
 *   [MMAP_BASE, MMAP_TOP)         mmap'd regions the kernel places (first
 *                                 fit upwards; MAP_FIXED and hints may
 *                                 put them anywhere free)
 *   UTRACE_VA                     the user trace area, when tracing (its
 *                                 address is also in the auxiliary vector,
 *                                 AT_TRACE_AREA: uapi/trace.h)
 *   [USTACK_BOTTOM, USTACK_TOP)   the stack, growing down from USTACK_TOP
 *                                 on demand (RLIMIT_STACK, at most
 *                                 USTACK_MAX)
 *   [USTACK_TOP, USER_TOP)        never mapped: USER_UNMAPPED_VA
 *   USER_TOP ..                   the kernel's (never PTE_U); its text at
 *                                 KERNEL_BASE is always mapped, so an access
 *                                 there tests the permission, not a hole
 *
 * Usable from assembly and C; no types.
 */
#ifndef UAPI_LAYOUT_H
#define UAPI_LAYOUT_H

#ifdef __ASSEMBLER__
#define UAPI_UL(x) x
#else
#define UAPI_UL(x) x##UL
#endif

#define USER_MIN UAPI_UL(0x1000)      /* page 0 is never mapped */
#define USER_TOP UAPI_UL(0x80000000)  /* first address above user space */
/* the program and its brk heap below MMAP_BASE (512 MiB); mmap'd regions
 * from there up to MMAP_TOP (1.4 GiB: room for glibc's 64 MiB arena
 * reserves and 8 MiB thread stacks, which cost only the pages touched);
 * the trace area at MMAP_TOP; the stack's reserve above */
#define MMAP_BASE UAPI_UL(0x20000000)
#define MMAP_TOP UAPI_UL(0x77E00000)
#define UTRACE_VA MMAP_TOP /* the user trace area, when tracing */
#define USTACK_TOP (USER_TOP - UAPI_UL(0x10000))
/* the stack's reserve: it grows on demand down to RLIMIT_STACK below
 * USTACK_TOP, at most USTACK_MAX (mmap places nothing there) */
#define USTACK_MAX UAPI_UL(0x8000000) /* 128 MiB */
#define USTACK_BOTTOM (USTACK_TOP - USTACK_MAX)
/* an address the layout keeps unmapped: the 64 KiB above the stack */
#define USER_UNMAPPED_VA USTACK_TOP
/* where the kernel's text starts: mapped in every page table, never PTE_U */
#define KERNEL_BASE UAPI_UL(0x80200000)

#endif
