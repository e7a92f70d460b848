/*
 * A process's mappings (normal core): brk, mmap, munmap, mprotect, madvise,
 * with Linux's semantics and errors, over the address-space map of vma.c,
 * and demand paging (mm_fault) for the growing stack and dropped pages.
 *
 * Every mapped user page is in exactly one VMA: exec's segments, stack and
 * trace area (mmap_exec() records them from the page table exec built; the
 * stack's VMA reaches down to USTACK_BOTTOM, its pages below what exec
 * mapped absent until touched),
 * the heap (brk: VMA_HEAP, from heap_base above the program up to at most
 * MMAP_BASE), and mmap's regions.  mmap puts a region at the hint if that
 * range is free, else at the lowest hole of [MMAP_BASE, MMAP_TOP) that
 * holds it (first fit, bottom-up: freed ranges are reused), or exactly at
 * addr with MAP_FIXED (what was there is unmapped first) or
 * MAP_FIXED_NOREPLACE (-EEXIST if anything is there).  A region is
 * anonymous memory (fresh zeroed pages, the process's), a private copy of
 * a file's bytes (VMA_COPY: the memory FS's files; the copy is made at
 * mmap time, so later writes on either side are not seen by the other), or
 * a file's own pages, which its file_ops.mmap hands over with the vm_ops to
 * tell (mm/mmap.h): a ring's fd.  munmap and mprotect work on any page
 * range: a VMA is split where the range cuts it (a file's new piece gets
 * vm_ops.open, each piece unmapped gets vm_ops.close), and neighbouring
 * anonymous VMAs with the same permission and kind are merged again.  At
 * most VMA_MAX VMAs per process.
 *
 * Interface: sys_brk, sys_mmap, sys_munmap, sys_mprotect, sys_madvise (the
 * syscall table); mmap_exec() for proc_spawn, mmap_exit() for proc_exit(),
 * mm_fault() for user faults (trap.c) and the kernel's copies (vm.c).
 *
 * Locking: the map, heap_base and brk are used by the normal core only,
 * with interrupts off.  The page table is changed through vm.c's
 * mm_map_zeroed/mm_map_shared/mm_protect/mm_unmap, which take mm_lock and
 * keep the IO core's translation cache right (mm_gen).
 */
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/kalloc.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/layout.h"

#define PROT_ALL (ABI_PROT_READ | ABI_PROT_WRITE | ABI_PROT_EXEC)

/* the flags Linux knows (mman.h's LEGACY_MAP_MASK): MAP_SHARED_VALIDATE
 * refuses the others for a file */
#define MAP_KNOWN                                                             \
	(ABI_MAP_TYPE | ABI_MAP_FIXED | ABI_MAP_ANONYMOUS | ABI_MAP_GROWSDOWN | \
	 ABI_MAP_DENYWRITE | ABI_MAP_EXECUTABLE | ABI_MAP_LOCKED |             \
	 ABI_MAP_NORESERVE | ABI_MAP_POPULATE | ABI_MAP_NONBLOCK |             \
	 ABI_MAP_STACK | ABI_MAP_HUGETLB)

static struct mm mms[NPROC]; /* one per thread group at most */

/* An empty address space (no page table yet), or NULL. */
struct mm *mm_alloc(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct mm *mm = &mms[i];

		if (mm->users)
			continue;
		memset(mm, 0, sizeof(*mm));
		mm->mm_lock = (struct spinlock)SPINLOCK_INIT("mm");
		mm->users = 1;
		return mm;
	}
	return NULL;
}

/* Its last thread is gone and so are its page table and mappings. */
void mm_free(struct mm *mm)
{
	mm->pagetable = NULL;
	mm->users = 0;
}

static uint64_t prot_perm(long prot)
{
	uint64_t perm = 0;

	if (prot & ABI_PROT_READ)
		perm |= PTE_R;
	if (prot & ABI_PROT_WRITE)
		perm |= PTE_R | PTE_W; /* RISC-V has no write-only pages */
	if (prot & ABI_PROT_EXEC)
		perm |= PTE_X;
	return perm;
}

static bool can_merge(const struct vma *a, const struct vma *b)
{
	return b && a->end == b->start && a->perm == b->perm &&
	       a->flags == b->flags && !a->ops && !b->ops &&
	       !(a->flags & (VMA_FILE | VMA_KEEP));
}

/* Merge what can be merged among the VMAs around [start, end). */
static void merge_range(struct vmmap *m, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(m, start ? start - 1 : 0);

	if (v && v->prev)
		v = v->prev;
	while (v && v->start <= end) {
		if (can_merge(v, v->next))
			vma_merge_next(m, v);
		else
			v = v->next;
	}
}

/* v is unmapped already: out of the map, tell its owner, free it. */
/*
 * Take v out of the map, then its pages: in that order, so that the IO
 * core, paging in for a ring (mm_fault under mm_lock), never maps a page
 * into a range that is going.
 */
static void vma_drop(struct proc *p, struct vma *v)
{
	vma_erase(&p->mm->vmmap, v);
	mm_unmap(p, v->start, v->end - v->start);
	if (v->ops && v->ops->close)
		v->ops->close(v); /* may sleep (a ring's last mapping) */
	vma_free(v);
}

/*
 * Unmap [start, end) (page-aligned): 0 (nothing there is fine), -EINVAL
 * over the kernel's trace area, -ENOMEM if a VMA cannot be split.
 */
static long do_munmap(struct proc *p, uint64_t start, uint64_t end)
{
	struct vmmap *m = &p->mm->vmmap;
	struct vma *v = vma_find(m, start), *w, *next;

	if (!v || v->start >= end)
		return 0;
	for (w = v; w && w->start < end; w = w->next)
		if (w->flags & VMA_KEEP)
			return -EINVAL;
	if (v->start < start && v->end > end && m->count >= VMA_MAX)
		return -ENOMEM; /* a hole in the middle: one VMA more */
	if (v->start < start) {
		v = vma_split(m, v, start);
		if (!v)
			return -ENOMEM;
	}
	w = vma_find(m, end - 1);
	if (w && w->start < end && w->end > end && !vma_split(m, w, end))
		return -ENOMEM;
	while (v && v->start < end) {
		next = v->next;
		vma_drop(p, v);
		v = next;
	}
	return 0;
}

/*
 * Map [va, va + size) (free) as described by t (perm, flags, and from a
 * file's mmap: pages, ops, private), filling a VMA_COPY from f at off.  A
 * private anonymous mapping gets its pages on demand (mm_fault), zeroed at
 * the first touch, unless populate (MAP_POPULATE, MAP_LOCKED): as Linux,
 * so that glibc's 8 MiB thread stacks and 64 MiB malloc arenas cost only
 * what is used; a writable one larger than all of memory is -ENOMEM
 * unless noreserve (MAP_NORESERVE), as Linux's default overcommit.
 */
static long map_region(struct proc *p, const struct vma *t, uint64_t va,
		       uint64_t size, struct file *f, uint64_t off,
		       bool populate, bool noreserve)
{
	struct vma *v = vma_alloc();
	long err;

	if (!v)
		return -ENOMEM;
	*v = *t;
	v->start = va;
	v->end = va + size;
	if (v->pages) {
		err = mm_map_shared(p, va, v->pages, size / PGSIZE, v->perm);
	} else if (v->flags & VMA_COPY) {
		struct uview uv = {.pt = p->mm->pagetable};

		err = mm_map_zeroed(p, va, size, PTE_R | PTE_W);
		if (!err) {
			/* the file's bytes; past its end, zeros */
			err = file_read(f, &uv, va, size, off);
			if (err >= 0) {
				err = 0;
				if (v->perm != (PTE_R | PTE_W))
					mm_protect(p, va, size, v->perm);
			} else {
				mm_unmap(p, va, size);
			}
		}
	} else if (populate || (v->flags & VMA_SHARED)) {
		err = mm_map_zeroed(p, va, size, v->perm);
	} else if ((v->perm & PTE_W) && !noreserve &&
		   size / PGSIZE > kalloc_total_pages()) {
		/* Linux's overcommit heuristic (vm.overcommit_memory 0): a
		 * writable private mapping larger than all of memory */
		err = -ENOMEM;
	} else {
		err = 0; /* on demand */
	}
	if (err) {
		vma_free(v);
		return err;
	}
	vma_insert(&p->mm->vmmap, v);
	if (v->ops && v->ops->open)
		v->ops->open(v);
	merge_range(&p->mm->vmmap, va, va + size);
	return 0;
}

static long brk_locked(long addr, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	uint64_t old_end = ROUNDUP(p->mm->brk, PGSIZE);
	uint64_t new_end = ROUNDUP((uint64_t)addr, PGSIZE);
	struct vma t = { .perm = PTE_R | PTE_W, .flags = VMA_HEAP };

	/* the heap stays below the mmap area */
	if ((uint64_t)addr < p->mm->heap_base || (uint64_t)addr > MMAP_BASE)
		return p->mm->brk;
	if (new_end > old_end) {
		/* as Linux: not over another mapping */
		if (p->mm->vmmap.count >= VMA_MAX ||
		    vma_busy(&p->mm->vmmap, old_end, new_end) ||
		    map_region(p, &t, old_end, new_end - old_end, NULL, 0,
			       false, false))
			return p->mm->brk;
	} else if (new_end < old_end) {
		if (do_munmap(p, new_end, old_end))
			return p->mm->brk;
	}
	p->mm->brk = addr;
	return p->mm->brk;
}

/* Where a non-fixed mapping of size goes: the hint if free, else a hole. */
static uint64_t pick_addr(struct proc *p, uint64_t hint, uint64_t size)
{
	hint = ROUNDUP(hint, PGSIZE);
	if (hint >= USER_MIN && hint < USER_TOP && size <= USER_TOP - hint &&
	    !vma_busy(&p->mm->vmmap, hint, hint + size))
		return hint;
	return vma_gap(&p->mm->vmmap, MMAP_BASE, MMAP_TOP, size);
}

/*
 * mmap: anonymous memory (MAP_ANONYMOUS: fd and off are ignored), or what a
 * file's file_ops.mmap offers at off; at a hint, or MAP_FIXED /
 * MAP_FIXED_NOREPLACE at addr.
 */
static long mmap_locked(long addr, long len, long prot, long flags, long fd,
			long off)
{
	struct proc *p = this_proc();
	struct vma t = { 0 };
	uint64_t size = ROUNDUP((uint64_t)len, PGSIZE), va = addr;
	long type = flags & ABI_MAP_TYPE;
	bool fixed = flags & (ABI_MAP_FIXED | ABI_MAP_FIXED_NOREPLACE);
	struct file *f = NULL;
	long err;

	if ((off & (PGSIZE - 1)) || (prot & ~PROT_ALL) ||
	    (type != ABI_MAP_SHARED && type != ABI_MAP_PRIVATE &&
	     type != ABI_MAP_SHARED_VALIDATE))
		return -EINVAL;
	if (!(flags & ABI_MAP_ANONYMOUS)) {
		f = fd_get(p, fd);
		if (!f)
			return -EBADF;
	}
	err = -EINVAL;
	if (len == 0 || (fixed && (va & (PGSIZE - 1))))
		goto out;
	err = -ENOMEM;
	if (size == 0 || size > USER_TOP || p->mm->vmmap.count >= VMA_MAX)
		goto out;
	t.perm = prot_perm(prot);
	if (type != ABI_MAP_PRIVATE)
		t.flags |= VMA_SHARED;
	if (f) {
		err = -EOPNOTSUPP;
		if (type == ABI_MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN))
			goto out;
		err = -ENODEV;
		if (!f->ops->mmap)
			goto out;
		t.flags |= VMA_FILE;
		err = f->ops->mmap(f, &t, off, size);
		if (err)
			goto out;
	}
	if (fixed) {
		err = -EPERM;
		if (va < USER_MIN)
			goto out;
		err = -ENOMEM;
		if (va >= USER_TOP || size > USER_TOP - va)
			goto out;
		err = -EEXIST;
		if ((flags & ABI_MAP_FIXED_NOREPLACE) &&
		    vma_busy(&p->mm->vmmap, va, va + size))
			goto out;
		err = do_munmap(p, va, va + size);
		if (err)
			goto out;
	} else {
		va = pick_addr(p, va, size);
		err = -ENOMEM;
		if (!va)
			goto out;
	}
	err = map_region(p, &t, va, size, f, off,
			 flags & (ABI_MAP_POPULATE | ABI_MAP_LOCKED),
			 flags & ABI_MAP_NORESERVE);
	if (!err)
		err = va;
out:
	if (f)
		file_put(f);
	return err;
}

/* munmap: any page range; nothing mapped there is not an error. */
static long munmap_locked(long addr, long len, long a2, long a3, long a4,
			  long a5)
{
	struct proc *p = this_proc();
	uint64_t start = addr, size = ROUNDUP((uint64_t)len, PGSIZE);

	if ((start & (PGSIZE - 1)) || len == 0 || size == 0 ||
	    size > USER_TOP || start > USER_TOP - size)
		return -EINVAL;
	return do_munmap(p, start, start + size);
}

/*
 * mprotect: the pages of [addr, addr + len) get prot.  As Linux: -ENOMEM if
 * part of the range is not mapped, the VMAs before the hole changed.
 */
static long mprotect_locked(long addr, long len, long prot, long a3, long a4,
			    long a5)
{
	struct proc *p = this_proc();
	struct vmmap *m = &p->mm->vmmap;
	uint64_t start = addr, end, perm = prot_perm(prot);
	struct vma *v;
	long err = 0;

	if ((start & (PGSIZE - 1)) || (prot & ~PROT_ALL))
		return -EINVAL;
	if (len == 0)
		return 0;
	end = start + ROUNDUP((uint64_t)len, PGSIZE);
	if (end <= start)
		return -ENOMEM;
	v = vma_find(m, start);
	if (!v || v->start > start)
		return -ENOMEM;
	if (v->start < start) {
		if (v->perm == perm && v->end >= end)
			return 0; /* nothing changes */
		if (m->count >= VMA_MAX || !(v = vma_split(m, v, start)))
			return -ENOMEM;
	}
	for (;;) {
		if (v->end > end && v->perm != perm) {
			if (m->count >= VMA_MAX || !vma_split(m, v, end)) {
				err = -ENOMEM;
				break;
			}
		}
		if (v->perm != perm) {
			v->perm = perm;
			mm_protect(p, v->start, v->end - v->start, perm);
		}
		if (v->end >= end)
			break;
		if (!v->next || v->next->start != v->end) {
			err = -ENOMEM; /* a hole */
			break;
		}
		v = v->next;
	}
	merge_range(m, start, end);
	return err;
}

/*
 * madvise: the advice that only informs is taken and nothing is done;
 * MADV_DONTNEED and MADV_FREE (as Linux allows: it may free at once) drop
 * the private anonymous pages of the range, which read back as zeros
 * (mm_fault maps fresh ones); shared and file mappings keep their
 * contents (a shared one's pages are the contents).  As Linux: the advice
 * and an unaligned start are -EINVAL before anything, a ring's pages
 * (Linux: VM_PFNMAP) -EINVAL, and a range partly unmapped -ENOMEM after
 * the mapped parts are done.
 */
static bool advice_known(long advice)
{
	switch (advice) {
	case ABI_MADV_NORMAL:
	case ABI_MADV_RANDOM:
	case ABI_MADV_SEQUENTIAL:
	case ABI_MADV_WILLNEED:
	case ABI_MADV_DONTNEED:
	case ABI_MADV_FREE:
	case ABI_MADV_COLD:
	case ABI_MADV_PAGEOUT:
	case ABI_MADV_DONTDUMP:
	case ABI_MADV_DODUMP:
		return true;
	default:
		return false;
	}
}

/* Drop v's own pages in [start, end) (inside v), if they are private. */
static long advise_dontneed(struct proc *p, struct vma *v, uint64_t start,
			    uint64_t end)
{
	if (v->pages || v->ops || (v->flags & VMA_KEEP))
		return -EINVAL;
	if (v->flags & (VMA_SHARED | VMA_FILE))
		return 0; /* the contents stay */
	mm_unmap(p, start, end - start);
	return 0;
}

static long madvise_locked(long addr, long len, long advice, long a3, long a4,
			   long a5)
{
	struct proc *p = this_proc();
	uint64_t start = addr, end, size = ROUNDUP((uint64_t)len, PGSIZE);
	struct vma *v;
	long err = 0, r;

	advice = (int)advice; /* an int, as Linux's */
	if (!advice_known(advice) || (start & (PGSIZE - 1)))
		return -EINVAL;
	if (len && !size)
		return -EINVAL; /* rounds past the end of the address space */
	end = start + size;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	for (v = vma_find(&p->mm->vmmap, start); start < end; v = v->next) {
		if (!v || v->start >= end)
			return -ENOMEM; /* the rest is unmapped */
		if (v->start > start)
			err = -ENOMEM; /* a hole: reported after the rest */
		start = MAX(start, v->start);
		if (advice == ABI_MADV_DONTNEED || advice == ABI_MADV_FREE) {
			r = advise_dontneed(p, v, start, MIN(end, v->end));
			if (r)
				return r;
		}
		start = MIN(end, v->end);
	}
	return err;
}

/*
 * Demand paging: p touched va (PTE_R, PTE_W or PTE_X: need), absent from
 * its page table, from user mode or through the kernel's copies on the
 * normal core.  If va lies in an anonymous VMA that allows the access, it
 * gets a fresh zeroed page with the VMA's permission: the stack's reserve
 * (VMA_STACK, down to RLIMIT_STACK below USTACK_TOP, as Linux checks the
 * limit at each growth), or pages MADV_DONTNEED dropped.  0, or -EFAULT:
 * the fault stands (SIGSEGV, or the call's -EFAULT).
 */
int mm_fault(struct proc *p, uint64_t va, uint64_t need)
{
	struct vma *v;
	uint64_t limit;

	if (va < USER_MIN || va >= USER_TOP)
		return -EFAULT;
	v = vma_find(&p->mm->vmmap, va);
	if (!v || v->start > va || v->pages || v->ops ||
	    (v->flags & (VMA_FILE | VMA_KEEP)) || (v->perm & need) != need ||
	    !v->perm)
		return -EFAULT;
	if (v->flags & VMA_STACK) {
		limit = MIN(p->rlim[ABI_RLIMIT_STACK].rlim_cur, USTACK_MAX);
		if (va < USTACK_TOP - ROUNDUP(limit, PGSIZE))
			return -EFAULT; /* beyond RLIMIT_STACK */
	}
	/* -EEXIST: the page is there, without the permission asked */
	return uvm_fault_page(p->mm->pagetable, ROUNDDOWN(va, PGSIZE), v->perm)
		       ? -EFAULT
		       : 0;
}

/*
 * The stack exec mapped (the VMA ending at USTACK_TOP) is extended down to
 * USTACK_BOTTOM: the range stays reserved (no mmap goes there but
 * MAP_FIXED), its pages come on demand (mm_fault).
 */
static void stack_reserve(struct vmmap *m)
{
	struct vma *v = vma_find(m, USTACK_TOP - 1);

	if (!v || v->end != USTACK_TOP || v->start <= USTACK_BOTTOM ||
	    vma_busy(m, USTACK_BOTTOM, v->start))
		return;
	vma_erase(m, v);
	v->start = USTACK_BOTTOM;
	v->flags |= VMA_STACK;
	vma_insert(m, v);
}

/*
 * A new process's map, from what exec mapped into its page table: every
 * run of pages with one permission becomes a VMA (VMA_EXEC: a segment,
 * the stack; VMA_KEEP: the trace area, whose pages the kernel writes).
 * 0 or -ENOMEM (then no VMA is left).
 */
int mmap_exec(struct proc *p)
{
	uint64_t va = USER_MIN, start, perm, perm2;
	struct vma *v;

	memset(&p->mm->vmmap, 0, sizeof(p->mm->vmmap));
	while ((va = uvm_next_page(p->mm->pagetable, va, &perm)) < USER_TOP) {
		start = va;
		do {
			va += PGSIZE;
		} while (uvm_next_page(p->mm->pagetable, va, &perm2) == va &&
			 perm2 == perm);
		v = vma_alloc();
		if (!v) {
			mmap_exit(p);
			return -ENOMEM;
		}
		v->start = start;
		v->end = va;
		v->perm = perm;
		v->flags = p->mm->utrace && start == UTRACE_VA ? VMA_KEEP
							       : VMA_EXEC;
		vma_insert(&p->mm->vmmap, v);
	}
	stack_reserve(&p->mm->vmmap);
	return 0;
}

/*
 * Process exit (its fds already closed), or a spawn that failed: every VMA
 * goes; a file's are unmapped first, so that the files behind them (a ring)
 * hear of it before the page table goes.  The process's own pages go with
 * the page table (uvm_free).
 */
void mmap_exit(struct proc *p)
{
	struct vma *v = vma_first(&p->mm->vmmap), *next;

	/* the map is emptied first, under mm_lock (vma.c): the IO core may
	 * still page in for a ring of the process until ring_exit_all() */
	spin_lock(&p->mm->mm_lock);
	memset(&p->mm->vmmap, 0, sizeof(p->mm->vmmap));
	spin_unlock(&p->mm->mm_lock);
	for (; v; v = next) {
		next = v->next;
		if (v->ops) {
			mm_unmap(p, v->start, v->end - v->start);
			if (v->ops->close)
				v->ops->close(v);
		}
		vma_free(v);
	}
}

/*
 * fork: the child's map is a copy of the parent's, every VMA with its
 * flags and permission, except mappings of pages the parent does not own
 * (v->pages: a ring's SQ/CQ/SQE memory).  Those are not inherited, as if
 * the parent had madvise(MADV_DONTFORK)ed them: the child would have no
 * ring fd's owner to serve it (ring ops act on the owner's fds), and
 * uvm_copy() leaves their pages out too.  The child's page table must
 * already hold the copied pages.  0 or -ENOMEM (then the child has no VMA).
 */
int mmap_fork(struct proc *child, struct proc *parent)
{
	struct vma *v, *c;

	memset(&child->mm->vmmap, 0, sizeof(child->mm->vmmap));
	for (v = vma_first(&parent->mm->vmmap); v; v = v->next) {
		if (v->pages || v->ops)
			continue;
		c = vma_alloc();
		if (!c) {
			mmap_exit(child);
			return -ENOMEM;
		}
		*c = *v;
		c->prev = c->next = c->left = c->right = NULL;
		vma_insert(&child->mm->vmmap, c);
	}
	child->mm->heap_base = parent->mm->heap_base;
	child->mm->brk = parent->mm->brk;
	return 0;
}

/*
 * The calls that change the map run one at a time in a thread group: one
 * may sleep in the middle (a private file copy pauses between chunks, a
 * ring's last mapping going waits for the IO core), and another thread
 * must not change the map under it meanwhile (mm->map_busy, Linux's
 * mmap_lock as a plain sleeping lock).
 */
static long map_call(long (*fn)(long, long, long, long, long, long), long a0,
		     long a1, long a2, long a3, long a4, long a5)
{
	struct mm *mm = this_proc()->mm;
	long r;

	while (mm->map_busy)
		sleep_on(&mm->map_busy, 0);
	mm->map_busy = true;
	r = fn(a0, a1, a2, a3, a4, a5);
	mm->map_busy = false;
	wakeup(&mm->map_busy);
	return r;
}

long sys_brk(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return map_call(brk_locked, a0, a1, a2, a3, a4, a5);
}

long sys_mmap(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return map_call(mmap_locked, a0, a1, a2, a3, a4, a5);
}

long sys_munmap(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return map_call(munmap_locked, a0, a1, a2, a3, a4, a5);
}

long sys_mprotect(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return map_call(mprotect_locked, a0, a1, a2, a3, a4, a5);
}

long sys_madvise(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return map_call(madvise_locked, a0, a1, a2, a3, a4, a5);
}
