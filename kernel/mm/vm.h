/*
 * Page tables and user memory (vm.c): the kernel's page table and the
 * device map, per-process Sv39 page tables, and the ways the kernel reaches
 * user memory (copyin/copyout through a page table; struct uview for a
 * ring's owner, with a translation cache or a registered buffer).  The
 * live-process mapping changes are mm_map_zeroed, mm_map_shared,
 * mm_protect and mm_unmap (mm/mmap.h).
 */
#ifndef KERNEL_MM_VM_H
#define KERNEL_MM_VM_H

#include "core/types.h"
#include "mm/memlayout.h"

/*
 * A user page mprotect'ed to PROT_NONE: still the process's, but not valid
 * for the hardware (a valid PTE without R, W and X would be a pointer to
 * the next level), so any access faults; its PTE keeps the page number,
 * with this software bit and without PTE_V.
 */
#define PTE_PROTNONE (1UL << 9)

/*
 * How the kernel reaches a user buffer: by walking the process's page table
 * per page (pt), optionally through a small translation cache (the IO
 * core's, valid while the process's mm_gen has not changed), or through a
 * ring's registered buffer (fixed: pinned pages, no walk at all).  On the
 * IO core, locked is the process whose mm_lock the caller holds for the
 * walk: a long copy lets it go between chunks when the normal core waits
 * for it (uview_pause).
 */
#define XLATE_ENTRIES 16
struct xlate_cache {
	uint64_t gen;		     /* the mm_gen the entries belong to */
	uint64_t vpn[XLATE_ENTRIES]; /* (va >> 12) + 1; 0: empty */
	uint64_t pte[XLATE_ENTRIES];
	uint64_t hits, misses;
};

struct ubuf_fixed {
	uint64_t base, len;
	int npages;
	uint64_t *pa; /* the pinned pages, from the page of base on */
};

struct proc;

struct uview {
	pagetable_t pt;
	struct xlate_cache *cache;    /* NULL: walk every time */
	const uint64_t *mm_gen;	      /* with cache: the process's */
	const struct ubuf_fixed *fixed; /* non-NULL: this buffer only */
	struct proc *owner; /* IO core: the ring's owner, its mm_lock held:
			     * a long copy lets the lock go between chunks,
			     * absent anonymous pages are paged in */
};

void *uview_page(const struct uview *v, uint64_t va, uint64_t need);
uint64_t uvm_pte(pagetable_t pt, uint64_t va);
int uview_copyin(const struct uview *v, void *dst, uint64_t usrc, size_t n);
bool uview_pause_due(const struct uview *v);
bool uview_pause(const struct uview *v);
int uview_copyout(const struct uview *v, uint64_t udst, const void *src,
		  size_t n);
void kvm_init(void);
void kvm_init_hart(void);
void kvm_switch_kernel(void);
void kvm_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t perm);
void kvm_unmap(uint64_t va, uint64_t size);
uint64_t kstack_alloc(int slot);
pagetable_t uvm_create(void);
void uvm_free(pagetable_t pt);
int uvm_map_zeroed(pagetable_t pt, uint64_t va, uint64_t len, uint64_t perm);
void *uvm_page(pagetable_t pt, uint64_t va, uint64_t need);
uint64_t uvm_next_page(pagetable_t pt, uint64_t va, uint64_t *perm);
int uvm_copy(pagetable_t dst, pagetable_t src);
int uvm_fault_page(pagetable_t pt, uint64_t va, uint64_t perm);
int copyin(pagetable_t pt, void *dst, uint64_t usrc, size_t n);
int copyout(pagetable_t pt, uint64_t udst, const void *src, size_t n);
long copyinstr(pagetable_t pt, char *dst, uint64_t usrc, size_t max);

/*
 * A device register's address: the physical one while paging is off, its
 * place in the device map after.  Derived from satp each time rather than
 * kept in a variable, so that a panic can still reach the console whatever
 * happened to kernel memory.
 */
static inline volatile void *devmem(uint64_t pa)
{
	uint64_t satp;

	asm volatile("csrr %0, satp" : "=r"(satp));
	return (volatile void *)(satp ? pa + DEVMAP_BASE : pa);
}

#endif
