/*
 * The kernel's virtual memory map, and the two physical addresses the
 * linker script and the page allocator are built around.
 *
 * Physical: RAM from RAM_BASE (OpenSBI in its first 2 MiB, the kernel linked
 * at KERNEL_BASE: kernel.ld); both QEMU virt and the K210 have RAM there.
 * Where the devices are is the platform's business (platform/<board>/,
 * from the device tree), not this file's.
 *
 * Virtual (Sv39), the same in every page table, the IO core's included:
 *   0x0000000000 .. USER_TOP      user space (root PTEs 0 and 1, per process;
 *                                 its layout: include/uapi/layout.h)
 *   0x0080000000 .. RAM end       the kernel's direct map of RAM, VA == PA
 *                                 (root PTE 2, shared), never with PTE_U
 *   KRING_BASE ..                 ring memory, RING_SLOT_SIZE per ring (root
 *                                 PTE 244, shared): what the IO core uses
 *   KSTACK_BASE ..                kernel stacks, each under an unmapped guard
 *                                 page (root PTE 248, shared)
 *   DEVMAP_BASE + pa              device registers, pa < DEVMAP_SIZE (root
 *                                 PTEs 252..255, shared): the ranges the
 *                                 platform lists in platform.devmap
 * A process's root page table copies the kernel's root PTEs 2..511, so kernel
 * mappings added later below those entries are seen by every process.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

/* constants usable from assembly too (reset.S) */
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* what user space may know: USER_MIN, USER_TOP, MMAP_BASE, MMAP_TOP,
 * UTRACE_VA (the trace area, trace.c), USTACK_TOP, KERNEL_BASE */
#include "uapi/layout.h"

#define RAM_BASE UL(0x80000000)
#define RAM_MAX_SIZE UL(0x40000000) /* the direct map covers at most 1 GiB */
#define ROOT_USER_ENTRIES 2	/* root PTEs 0..1 belong to the process */

#define KRING_BASE UL(0x3D00000000)
#define RING_SLOT_SIZE UL(0x400000) /* 4 MiB: rings, overflow, SQEs at half */
#define KSTACK_BASE UL(0x3E00000000)
#define DEVMAP_BASE UL(0x3F00000000)
#define DEVMAP_SIZE UL(0x100000000) /* up to the top of Sv39's lower half */

#endif
