/*
 * The physical page allocator (kalloc.c): 4 KiB pages from a free list
 * under kmem.lock (a leaf lock), and pins: a page pinned by a registered
 * ring buffer is not freed until unpinned.
 */
#ifndef KERNEL_MM_KALLOC_H
#define KERNEL_MM_KALLOC_H

#include "core/types.h"

void kalloc_init(void);
void *kalloc(void);
void kfree(void *page);
void kalloc_release(uint64_t start, uint64_t end);
void page_pin(uint64_t pa);
void page_unpin(uint64_t pa);
uint64_t kalloc_free_pages(void);
uint64_t kalloc_total_pages(void);

#endif
