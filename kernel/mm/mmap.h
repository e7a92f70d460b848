/*
 * A process's memory mappings: the VMA table (struct proc.vmas, filled by
 * mmap), the heap (brk), and the calls that change a live process's page
 * table.
 *
 * Interface: sys_mmap, sys_munmap and sys_brk (mmap.c, through the syscall
 * table); mmap_exit() unmaps everything at process exit; mm_map_zeroed(),
 * mm_map_shared() and mm_unmap() (vm.c) are the only ways to change the
 * page table of a process that runs.  A file is mapped through its
 * file_ops.mmap (fs/fs.h), which fills in the VMA: the pages to map and the
 * vm_ops that hear about the mapping (a ring's fd: ring/ring.c).  mm knows
 * nothing else about what it maps.
 *
 * Locking: the VMA table, heap_base, brk and mmap_next are the normal
 * core's (interrupts off); the page table changes under mm_lock, with mm_gen
 * incremented when pages go away (vm.c's locking note).
 */
#ifndef KERNEL_MM_MMAP_H
#define KERNEL_MM_MMAP_H

#include "core/types.h"

struct proc;
struct vma;

/* What the owner of a file's mapping is told (normal core). */
struct vm_ops {
	void (*open)(struct vma *v);  /* mapped: at v->start .. v->end */
	void (*close)(struct vma *v); /* unmapped (the pages are gone) */
};

/* An mmap'd region: anonymous memory, or a file's pages (ops != NULL). */
struct vma {
	uint64_t start, end;	  /* end == 0: unused */
	const struct vm_ops *ops; /* NULL: anonymous memory */
	void *private;		  /* the ops' (a ring's mapping: the ring) */
	const uint64_t *pages;	  /* a file's: its pages, not the process's */
};

/* mmap.c */
void mmap_exit(struct proc *p);

/* vm.c */
int mm_map_zeroed(struct proc *p, uint64_t va, uint64_t len, uint64_t perm);
int mm_map_shared(struct proc *p, uint64_t va, const uint64_t *pa, int n,
		  uint64_t perm);
void mm_unmap(struct proc *p, uint64_t va, uint64_t len);

#endif
