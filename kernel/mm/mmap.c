/*
 * A process's mappings (normal core): brk, mmap, munmap and the VMA table.
 *
 * The heap runs from heap_base (above the program, exec.c) up to at most
 * MMAP_BASE.  mmap places each region at mmap_next, which only moves up
 * through [MMAP_BASE, MMAP_TOP), with an unmapped guard page after each
 * region; the kernel picks the address (no MAP_FIXED), and munmap takes a
 * whole region only.  A region is anonymous memory (fresh zeroed pages,
 * the process's) or a file's pages, which the file's file_ops.mmap hands
 * over with the vm_ops to tell at map and unmap time (mm/mmap.h): a ring's
 * fd is the one such file today, and mm does not know it.
 *
 * Interface: sys_brk, sys_mmap, sys_munmap (the syscall table), and
 * mmap_exit() for proc_exit().
 *
 * Locking: the VMA table, brk and mmap_next are used by the normal core
 * only, with interrupts off.  The page table is changed through vm.c's
 * mm_map_zeroed/mm_map_shared/mm_unmap, which take mm_lock and keep the IO
 * core's translation cache right (mm_gen).
 */
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/mmap.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/layout.h"

long sys_brk(long addr, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	uint64_t old_end = ROUNDUP(p->brk, PGSIZE);
	uint64_t new_end = ROUNDUP((uint64_t)addr, PGSIZE);

	/* the heap stays below the mmap area */
	if ((uint64_t)addr < p->heap_base || (uint64_t)addr > MMAP_BASE)
		return p->brk;
	if (new_end > old_end) {
		if (mm_map_zeroed(p, old_end, new_end - old_end, PTE_R | PTE_W))
			return p->brk;
	} else if (new_end < old_end) {
		mm_unmap(p, new_end, old_end - new_end);
	}
	p->brk = addr;
	return p->brk;
}

static struct vma *vma_find(struct proc *p, uint64_t start)
{
	for (int i = 0; i < NVMA; i++)
		if (p->vmas[i].end && p->vmas[i].start == start)
			return &p->vmas[i];
	return NULL;
}

static struct vma *vma_free_slot(struct proc *p)
{
	for (int i = 0; i < NVMA; i++)
		if (!p->vmas[i].end)
			return &p->vmas[i];
	return NULL;
}

/*
 * mmap: anonymous memory (MAP_ANONYMOUS: fd and off are ignored), or what a
 * file's file_ops.mmap offers at off.  The kernel picks the address;
 * MAP_FIXED is not supported.
 */
long sys_mmap(long addr, long len, long prot, long flags, long fd, long off)
{
	struct proc *p = this_proc();
	struct vma *slot, v = { 0 };
	uint64_t perm = 0, size = ROUNDUP((uint64_t)len, PGSIZE), va;
	struct file *f = NULL;
	long err;

	if (len <= 0 || (off & (PGSIZE - 1)) || (flags & ABI_MAP_FIXED) ||
	    !(flags & (ABI_MAP_SHARED | ABI_MAP_PRIVATE)))
		return -EINVAL;
	slot = vma_free_slot(p);
	if (!slot)
		return -ENOMEM;
	if (prot & ABI_PROT_READ)
		perm |= PTE_R;
	if (prot & ABI_PROT_WRITE)
		perm |= PTE_R | PTE_W;
	if (prot & ABI_PROT_EXEC)
		perm |= PTE_X;
	if (!(flags & ABI_MAP_ANONYMOUS)) {
		f = fd_get(p, fd);
		if (!f)
			return -EBADF;
		err = -ENODEV;
		if (!f->ops->mmap)
			goto out;
		err = f->ops->mmap(f, &v, off, size);
		if (err)
			goto out;
	}
	va = p->mmap_next;
	err = -ENOMEM;
	if (va >= MMAP_TOP || size > MMAP_TOP - va)
		goto out;
	if (v.pages)
		err = mm_map_shared(p, va, v.pages, size / PGSIZE, perm);
	else
		err = mm_map_zeroed(p, va, size, perm);
	if (err)
		goto out;
	p->mmap_next = va + size + PGSIZE; /* a guard page between regions */
	v.start = va;
	v.end = va + size;
	*slot = v;
	if (slot->ops && slot->ops->open)
		slot->ops->open(slot);
	err = va;
out:
	if (f)
		file_put(f);
	return err;
}

/* Unmap region v, free its slot, then tell its owner (which may sleep). */
static void vma_unmap(struct proc *p, struct vma *v)
{
	struct vma gone = *v;

	mm_unmap(p, v->start, v->end - v->start);
	memset(v, 0, sizeof(*v));
	if (gone.ops && gone.ops->close)
		gone.ops->close(&gone);
}

/* munmap: whole regions made by mmap only. */
long sys_munmap(long addr, long len, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	struct vma *v;

	if ((addr & (PGSIZE - 1)) || len <= 0)
		return -EINVAL;
	v = vma_find(p, addr);
	if (!v || v->end - v->start != ROUNDUP((uint64_t)len, PGSIZE))
		return -EINVAL;
	vma_unmap(p, v);
	return 0;
}

/*
 * Process exit (its fds already closed): unmap every region, so that the
 * files behind them (a ring) hear of it before the page table goes.
 */
void mmap_exit(struct proc *p)
{
	for (int i = 0; i < NVMA; i++)
		if (p->vmas[i].end)
			vma_unmap(p, &p->vmas[i]);
}
