/*
 * A process's address-space map: its VMAs (struct vma, one per mapped
 * range with one permission and one owner), the heap (brk), and the calls
 * that change a live process's page table.
 *
 * Interface: sys_mmap, sys_munmap, sys_mprotect, sys_madvise and sys_brk
 * (mmap.c, through the syscall table); mmap_exec() records what exec
 * mapped (the segments, the stack, the trace area) as VMAs and reserves
 * the stack's growth, mmap_exit() takes every mapping down at process
 * exit; mm_fault() pages in an absent page of an anonymous VMA (a user
 * fault, or the kernel's copy on the normal core); vma.c keeps the map
 * itself (vma_* below); mm_map_zeroed(), mm_map_shared(), mm_protect() and
 * mm_unmap() (vm.c) are the only ways to change the page table of a process
 * that runs.  A file is mapped through its file_ops.mmap (fs/fs.h), which fills
 * in the VMA: the pages to map (or VMA_COPY: a private copy of the file's
 * bytes), and the vm_ops that hear about the mapping (a ring's fd:
 * ring/ring.c).  mm knows nothing else about what it maps.
 *
 * Locking: the map (struct vmmap), heap_base and brk are the normal core's
 * (interrupts off), and so is vma.c's allocator; the page table changes
 * under mm_lock, with mm_gen incremented whenever a translation the IO core
 * may have cached changes (vm.c's locking note).
 */
#ifndef KERNEL_MM_MMAP_H
#define KERNEL_MM_MMAP_H

#include "core/spinlock.h"
#include "core/types.h"
#include "mm/vm.h"
#include "uapi/trace.h"

struct proc;
struct vma;

/*
 * What the owner of a file's mapping is told (normal core).  open is also
 * called for the new piece when a mapping is split (a partial munmap or
 * mprotect), as Linux's vm_operations_struct.open: every VMA that refers
 * to the file had an open and will have a close.
 */
struct vm_ops {
	void (*open)(struct vma *v);  /* mapped: at v->start .. v->end */
	void (*close)(struct vma *v); /* unmapped (the pages are gone) */
};

/* vma.flags */
#define VMA_SHARED 0x01 /* MAP_SHARED (set before file_ops.mmap runs) */
#define VMA_FILE 0x02	/* a file's mapping (never merged) */
#define VMA_COPY 0x04	/* file_ops.mmap: fill fresh pages from the file */
#define VMA_HEAP 0x08	/* made by brk */
#define VMA_EXEC 0x10	/* made by exec: a segment or the stack */
#define VMA_KEEP 0x20	/* the kernel holds its pages (the trace area):
			 * munmap and MAP_FIXED over it are refused */
#define VMA_STACK                                                              \
	0x40 /* the stack: reserved down to USTACK_BOTTOM, its                 \
	      * pages mapped on demand within RLIMIT_STACK */

/* Linux's vm.max_map_count default: VMAs per process */
#define VMA_MAX 65530

/*
 * A mapped range [start, end) (page-aligned, never empty) with one
 * permission: anonymous memory (the process's pages) or a file's.
 */
struct vma {
	uint64_t start, end;
	uint64_t perm;		  /* PTE_R/W/X; 0: PROT_NONE */
	uint32_t flags;		  /* VMA_* */
	uint32_t prio;		  /* vma.c: the treap's heap priority */
	const struct vm_ops *ops; /* NULL: no one to tell */
	void *private;		  /* the ops' (a ring's mapping: the ring) */
	const uint64_t *pages;	  /* a file's pages for start.. (mmap time) */
	/* vma.c: address order, and the tree over it */
	struct vma *prev, *next;
	struct vma *left, *right;
	uint64_t max_gap; /* largest hole before a VMA of this subtree */
};

/* A process's map (struct proc.vmmap). */
struct vmmap {
	struct vma *root; /* a treap keyed by start */
	int count;	  /* VMAs, at most VMA_MAX */
};

/*
 * An address space: what a thread group shares (threads point to one
 * struct mm; fork makes a new one, a copy).  mm_alloc() gives an empty one,
 * mm_free() returns it once its page table is gone.
 *
 * Locking: the IO core walks pagetable (and keeps xlate) under mm_lock for
 * the rings of the group; the normal core changes the page table under it
 * (vm.c).  vmmap, heap_base, brk and the trace area pointers are the normal
 * core's.
 */
struct mm {
	int users; /* threads using it */
	struct spinlock mm_lock;
	uint64_t mm_gen;	  /* under mm_lock: +1 at every unmap (vm.c) */
	struct xlate_cache xlate; /* under mm_lock: the IO core's cache */
	pagetable_t pagetable;
	uint64_t heap_base; /* brk cannot go below this */
	uint64_t brk;
	struct vmmap vmmap; /* every mapping: mmap_exec .. mmap_exit */
	bool map_busy;	    /* a thread is in mmap, munmap, ...: mmap.c */
	/* tracing: the user trace area's header and record pages (kernel VAs)
	 */
	struct utrace_area *utrace;
	struct utrace_rec *utrace_rec[UTRACE_REC_PAGES];
	uint32_t utrace_tail; /* drained up to here (the area's tail: a copy) */
};

struct mm *mm_alloc(void);
void mm_free(struct mm *mm);

/* vma.c: the map; normal core */
struct vma *vma_alloc(void);
void vma_free(struct vma *v);
struct vma *vma_find(struct vmmap *m, uint64_t addr);
struct vma *vma_first(struct vmmap *m);
bool vma_busy(struct vmmap *m, uint64_t start, uint64_t end);
void vma_insert(struct vmmap *m, struct vma *v);
void vma_erase(struct vmmap *m, struct vma *v);
struct vma *vma_split(struct vmmap *m, struct vma *v, uint64_t addr);
void vma_merge_next(struct vmmap *m, struct vma *v);
uint64_t vma_gap(struct vmmap *m, uint64_t lo, uint64_t hi, uint64_t len);

/* mmap.c */
int mmap_exec(struct proc *p);
int mmap_fork(struct proc *child, struct proc *parent);
int mm_fault(struct proc *p, uint64_t va, uint64_t need);
void mmap_exit(struct proc *p);

/* vm.c */
int mm_map_zeroed(struct proc *p, uint64_t va, uint64_t len, uint64_t perm);
int mm_map_shared(struct proc *p, uint64_t va, const uint64_t *pa, int n,
		  uint64_t perm);
void mm_protect(struct proc *p, uint64_t va, uint64_t len, uint64_t perm);
void mm_unmap(struct proc *p, uint64_t va, uint64_t len);

#endif
