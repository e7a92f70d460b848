/*
 * The physical and virtual memory map.
 *
 * Physical (QEMU virt): RAM from 0x80000000 (OpenSBI in the first 2 MiB, the
 * kernel linked at 0x80200000), devices below RAM.
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
 *   DEVMAP_BASE + pa              device registers (root PTE 252, shared)
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
#define RING_SLOT_SIZE UL(0x100000) /* 1 MiB: rings, overflow, SQEs at half */
#define KSTACK_BASE UL(0x3E00000000)
#define DEVMAP_BASE UL(0x3F00000000)

/* QEMU virt devices (physical) */
#define VIRT_TEST_PA UL(0x100000)
#define PLIC_PA UL(0x0c000000)
#define PLIC_SIZE UL(0x400000)
#define UART0_PA UL(0x10000000)
#define UART0_IRQ 10
#define VIRTIO_PA UL(0x10001000)
#define VIRTIO_SIZE UL(0x8000)

#endif
