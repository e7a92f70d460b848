/*
 * Sv39 page tables, and the kernel's access to user memory.
 *
 * The kernel page table maps RAM at VA == PA (text read-execute, the rest
 * read-write, never PTE_U), devices at DEVMAP_BASE + PA, and kernel stacks
 * with an unmapped guard page below each (memlayout.h).  Every process page
 * table shares the kernel's root entries 2..511 and owns entries 0..1 (user
 * space), so a trap never switches satp; the IO core runs on the kernel page
 * table alone.
 *
 * User memory is reached from the kernel by walking the process's page table
 * in software, checking PTE_U and the permission the access needs, and using
 * the direct map (uview_page: through a struct uview, which may add the IO
 * core's translation cache or a registered buffer; uvm_page: a plain walk):
 * a bad user pointer is an -EFAULT, never a kernel page fault.
 *
 * Interface: kvm_* build and change the kernel page table; uvm_* make, walk,
 * fill and free a process's table; mm_map_zeroed/mm_map_shared/mm_protect/
 * mm_unmap change a live process's address space (brk, mmap, munmap,
 * mprotect: mm/mmap.c);
 * uview_* and copyin/copyout/copyinstr copy to and from user memory.
 *
 * Locking: the kernel page table is built at boot; after that kstack_alloc()
 * adds to it (normal core, at boot) and ring set-up and tear-down map and
 * unmap ring slots of the ring window (kvm_map/kvm_unmap: normal core at
 * set-up, either core at tear-down; never the same slot at once: ring.h's
 * lifecycle; their page-table pages exist from kvm_init on).  A process's
 * page table is changed only by the normal core with interrupts off.  While
 * the process is being made (elf_load) nothing else sees it; once it runs,
 * the IO core may walk it for a ring operation and cache what it found
 * (under the process's mm_lock, proc.h), so every change goes through
 * mm_map_zeroed/mm_map_shared/mm_protect/mm_unmap, which take mm_lock and,
 * when pages went away or a permission changed, increment mm_gen in the
 * same critical section: the IO core reads mm_gen under mm_lock too
 * (uview_page), so it either finishes before the pages are freed or sees
 * the new generation and forgets its cache.
 *
 * A PROT_NONE page (PTE_PROTNONE, vm.h) is present but not valid: the
 * walks for access (uvm_pte) do not see it, unmapping and freeing do.
 *
 * Demand paging: a VMA's page may be absent (private anonymous memory and
 * the heap until first touched, the stack's reserve, pages madvise
 * dropped); the user's fault (trap.c) and the kernel's own copies through
 * uview_page -- on the normal core for the running process, on the IO core
 * for a ring's owner (uview.owner, mm_lock held) -- ask mm_fault
 * (mm/mmap.c) to map it (uvm_fault_page) before giving up with -EFAULT.
 */
#include "arch/riscv/riscv.h"
#include "core/fdt.h"
#include "core/panic.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/resched.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "core/types.h"
#include "mm/kalloc.h"
#include "mm/memlayout.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "platform/platform.h"
#include "ring/iocore.h"
#include "uapi/errno.h"
#include "uapi/layout.h"

static pagetable_t kernel_pt;

extern char etext[];

/* A user leaf that holds a page: valid, or PROT_NONE. */
static bool pte_present(pte_t pte)
{
	return pte & (PTE_V | PTE_PROTNONE);
}

/* A user leaf for page pa with perm (PTE_R/W/X; 0: PROT_NONE). */
static pte_t user_leaf(uint64_t pa, uint64_t perm)
{
	return PA2PTE(pa) | PTE_U | PTE_A | PTE_D |
	       (perm ? perm | PTE_V : PTE_PROTNONE);
}

static pte_t *walk(pagetable_t pt, uint64_t va, bool alloc)
{
	for (int level = 2; level > 0; level--) {
		pte_t *pte = &pt[PX(level, va)];

		if (*pte & PTE_V) {
			if (*pte & PTE_LEAF)
				return pte; /* megapage */
			pt = (pagetable_t)PTE2PA(*pte);
		} else {
			if (!alloc || !(pt = kalloc()))
				return NULL;
			*pte = PA2PTE(pt) | PTE_V;
		}
	}
	return &pt[PX(0, va)];
}

void kvm_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t perm)
{
	uint64_t end = va + size;

	perm |= PTE_V | PTE_A | PTE_D;
	while (va < end) {
		if (va % MEGAPAGE == 0 && pa % MEGAPAGE == 0 &&
		    end - va >= MEGAPAGE) {
			pte_t *pte = &((pagetable_t)PTE2PA(
				kernel_pt[PX(2, va)]))[PX(1, va)];

			if (!(kernel_pt[PX(2, va)] & PTE_V)) {
				walk(kernel_pt, va, true); /* make the L1 table */
				pte = &((pagetable_t)PTE2PA(
					kernel_pt[PX(2, va)]))[PX(1, va)];
			}
			*pte = PA2PTE(pa) | perm;
			va += MEGAPAGE;
			pa += MEGAPAGE;
			continue;
		}
		pte_t *pte = walk(kernel_pt, va, true);

		if (!pte)
			panic("kvm_map: out of memory");
		*pte = PA2PTE(pa) | perm;
		va += PGSIZE;
		pa += PGSIZE;
	}
}

void kvm_init(void)
{
	uint64_t ram_end = bootinfo.mem_base + MIN(bootinfo.mem_size, RAM_MAX_SIZE);

	kernel_pt = kalloc();
	if (!kernel_pt)
		panic("kvm_init: no memory");
	kvm_map(KERNEL_BASE, KERNEL_BASE, (uint64_t)etext - KERNEL_BASE,
		PTE_R | PTE_X);
	kvm_map((uint64_t)etext, (uint64_t)etext, ram_end - (uint64_t)etext,
		PTE_R | PTE_W);
	/* the devices the platform found (platform_init), at DEVMAP_BASE + pa */
	for (int i = 0; i < platform.ndevmap; i++)
		kvm_map(DEVMAP_BASE + platform.devmap[i].base,
			platform.devmap[i].base, platform.devmap[i].size,
			PTE_R | PTE_W);
	/* the kernel-stack and ring regions' tables exist before any process
	 * copies the root entries, so mappings added later are seen by all;
	 * the ring region's L0 tables too, so that either core can map and
	 * unmap ring slots without allocating */
	walk(kernel_pt, KSTACK_BASE, true);
	for (uint64_t va = KRING_BASE; va < KRING_BASE + NRING * RING_SLOT_SIZE;
	     va += MEGAPAGE)
		walk(kernel_pt, va, true);
}

/* Turn paging on for this hart with the kernel page table. */
void kvm_init_hart(void)
{
	sfence_vma();
	csr_write(satp, MAKE_SATP(kernel_pt));
	sfence_vma();
}

/* Clear kernel 4 KiB mappings in [va, va + size) (the pages are not freed). */
void kvm_unmap(uint64_t va, uint64_t size)
{
	for (uint64_t a = va; a < va + size; a += PGSIZE) {
		pte_t *pte = walk(kernel_pt, a, false);

		if (pte)
			*pte = 0;
	}
	sfence_vma();
}

/* Run on the kernel page table alone (before freeing a process's). */
void kvm_switch_kernel(void)
{
	csr_write(satp, MAKE_SATP(kernel_pt));
	sfence_vma();
}

/*
 * Map a kernel stack for `slot` (processes 0..NPROC-1, then one per hart)
 * under a guard page; returns its lowest address.
 */
uint64_t kstack_alloc(int slot)
{
	uint64_t lo = KSTACK_BASE + (uint64_t)slot * (KSTACK_PAGES + 1) * PGSIZE +
		      PGSIZE;

	for (int i = 0; i < KSTACK_PAGES; i++) {
		void *page = kalloc();

		if (!page)
			panic("kstack_alloc: out of memory");
		kvm_map(lo + i * PGSIZE, (uint64_t)page, PGSIZE, PTE_R | PTE_W);
	}
	sfence_vma();
	return lo;
}

pagetable_t uvm_create(void)
{
	pagetable_t pt = kalloc();

	if (!pt)
		return NULL;
	for (int i = ROOT_USER_ENTRIES; i < 512; i++)
		pt[i] = kernel_pt[i];
	return pt;
}

static void free_user_level(pagetable_t pt, int level)
{
	for (int i = 0; i < 512; i++) {
		pte_t pte = pt[i];

		if (!pte_present(pte)) /* PROT_NONE: level 0 only */
			continue;
		if (level > 0 && !(pte & PTE_LEAF))
			free_user_level((pagetable_t)PTE2PA(pte), level - 1);
		else if (!(pte & PTE_SHARED))
			kfree((void *)PTE2PA(pte));
	}
	kfree(pt);
}

/* Free a process page table and every user page it maps. */
void uvm_free(pagetable_t pt)
{
	for (int i = 0; i < ROOT_USER_ENTRIES; i++)
		if (pt[i] & PTE_V)
			free_user_level((pagetable_t)PTE2PA(pt[i]), 1);
	kfree(pt);
}

static bool user_range_ok(uint64_t va, uint64_t len)
{
	return va >= USER_MIN && va <= USER_TOP && len <= USER_TOP - va;
}

static bool table_empty(pagetable_t t)
{
	for (int i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

/* Free the page-table pages left empty under [va, va + len). */
static void prune_tables(pagetable_t pt, uint64_t va, uint64_t len)
{
	for (uint64_t a = ROUNDDOWN(va, MEGAPAGE); a < va + len; a += MEGAPAGE) {
		pte_t *l2 = &pt[PX(2, a)];
		pagetable_t l1, l0;

		if (!(*l2 & PTE_V))
			continue;
		l1 = (pagetable_t)PTE2PA(*l2);
		if ((l1[PX(1, a)] & PTE_V) && !(l1[PX(1, a)] & PTE_LEAF)) {
			l0 = (pagetable_t)PTE2PA(l1[PX(1, a)]);
			if (table_empty(l0)) {
				kfree(l0);
				l1[PX(1, a)] = 0;
			}
		}
		if (table_empty(l1)) {
			kfree(l1);
			*l2 = 0;
		}
	}
}

/*
 * Unmap and free the user pages in [va, va + len) (page-aligned).  Only on
 * a table the IO core cannot be walking, or under mm_lock with mm_gen
 * incremented (mm_unmap).
 */
static void uvm_unmap(pagetable_t pt, uint64_t va, uint64_t len)
{
	for (uint64_t a = va; a < va + len; a += PGSIZE) {
		pte_t *pte = walk(pt, a, false);

		if (pte && pte_present(*pte)) {
			if (!(*pte & PTE_SHARED))
				kfree((void *)PTE2PA(*pte));
			*pte = 0;
		}
	}
	prune_tables(pt, va, len);
	sfence_vma();
}

/*
 * Map fresh zeroed pages over [va, va + len) (page-aligned) with `perm`
 * (PTE_R/W/X, 0: PROT_NONE; PTE_U is added).  Pages already mapped are kept, with perm
 * added.  Returns 0 or -ENOMEM (then the new pages are unmapped again).
 */
int uvm_map_zeroed(pagetable_t pt, uint64_t va, uint64_t len, uint64_t perm)
{
	if (!user_range_ok(va, len))
		return -EFAULT;
	uint64_t a;

	for (a = va; a < va + len; a += PGSIZE) {
		pte_t *pte = walk(pt, a, true);
		void *page;

		if (!pte)
			goto fail;
		if (pte_present(*pte)) {
			/* exec: two segments share a page */
			*pte = user_leaf(PTE2PA(*pte), (*pte & PTE_LEAF) | perm);
			continue;
		}
		page = kalloc();
		if (!page)
			goto fail;
		*pte = user_leaf((uint64_t)page, perm);
	}
	return 0;
fail:
	uvm_unmap(pt, va, a - va + PGSIZE); /* page a too: its tables may be new */
	return -ENOMEM;
}

/*
 * Map n pages that the process does not own (ring memory, freed by its
 * owner) at va with perm; 0 or -ENOMEM (then nothing is left mapped).
 */
static int uvm_map_shared(pagetable_t pt, uint64_t va, const uint64_t *pa,
			  int n, uint64_t perm)
{
	if (!user_range_ok(va, (uint64_t)n * PGSIZE))
		return -EFAULT;
	for (int i = 0; i < n; i++) {
		pte_t *pte = walk(pt, va + i * PGSIZE, true);

		if (!pte || pte_present(*pte)) {
			/* out of memory, or a page is there: never map over it */
			uvm_unmap(pt, va, i * PGSIZE + (pte ? 0 : PGSIZE));
			return -ENOMEM;
		}
		*pte = user_leaf(pa[i], perm) | PTE_SHARED;
	}
	return 0;
}

/*
 * A live process's address space changes here (normal core): under mm_lock,
 * because the IO core may be walking the table for a ring operation, and
 * with mm_gen incremented in the same critical section whenever pages went
 * away, because the IO core may have cached their translations (uview_page
 * reads mm_gen under mm_lock: see the locking note above).
 */

/* Unmap and free p's pages in [va, va + len) (page-aligned). */
void mm_unmap(struct proc *p, uint64_t va, uint64_t len)
{
	spin_lock(&p->mm->mm_lock);
	uvm_unmap(p->mm->pagetable, va, len);
	p->mm->mm_gen++; /* the IO core's translation cache is stale */
	spin_unlock(&p->mm->mm_lock);
}

/* uvm_map_zeroed on p's table: 0, or -errno with nothing new left mapped. */
int mm_map_zeroed(struct proc *p, uint64_t va, uint64_t len, uint64_t perm)
{
	int err;

	spin_lock(&p->mm->mm_lock);
	err = uvm_map_zeroed(p->mm->pagetable, va, len, perm);
	if (err)
		p->mm->mm_gen++; /* the failure unmapped what it had mapped */
	spin_unlock(&p->mm->mm_lock);
	return err;
}

/*
 * Map n pages p does not own (a file's: ring memory) at va with perm: 0, or
 * -errno with nothing left mapped.
 */
int mm_map_shared(struct proc *p, uint64_t va, const uint64_t *pa, int n,
		  uint64_t perm)
{
	int err;

	spin_lock(&p->mm->mm_lock);
	err = uvm_map_shared(p->mm->pagetable, va, pa, n, perm);
	if (err)
		p->mm->mm_gen++; /* the failure unmapped what it had mapped */
	spin_unlock(&p->mm->mm_lock);
	return err;
}

/*
 * Set the permission of p's pages in [va, va + len) (page-aligned) to perm
 * (PTE_R/W/X, or 0: PROT_NONE); holes are skipped.
 */
void mm_protect(struct proc *p, uint64_t va, uint64_t len, uint64_t perm)
{
	spin_lock(&p->mm->mm_lock);
	for (uint64_t a = va; a < va + len; a += PGSIZE) {
		pte_t *pte = walk(p->mm->pagetable, a, false);

		if (!pte || !pte_present(*pte))
			continue;
		*pte = user_leaf(PTE2PA(*pte), perm) | (*pte & PTE_SHARED);
	}
	sfence_vma();
	p->mm->mm_gen++; /* cached PTEs carry the old permission */
	spin_unlock(&p->mm->mm_lock);
}

/*
 * The first user page at or above va (page-aligned) that is mapped (PROT_NONE
 * included), with its permission in *perm (PTE_R/W/X; 0: PROT_NONE), or
 * USER_TOP if there is none.  Skips absent tables a gigapage or a megapage
 * at a time.
 */
uint64_t uvm_next_page(pagetable_t pt, uint64_t va, uint64_t *perm)
{
	while (va < USER_TOP) {
		pte_t l2 = pt[PX(2, va)], l1, l0;

		if (!(l2 & PTE_V)) {
			va = ROUNDDOWN(va, 512 * MEGAPAGE) + 512 * MEGAPAGE;
			continue;
		}
		l1 = ((pagetable_t)PTE2PA(l2))[PX(1, va)];
		if (!(l1 & PTE_V)) {
			va = ROUNDDOWN(va, MEGAPAGE) + MEGAPAGE;
			continue;
		}
		l0 = ((pagetable_t)PTE2PA(l1))[PX(0, va)];
		if (pte_present(l0)) {
			*perm = l0 & PTE_LEAF;
			return va;
		}
		va += PGSIZE;
	}
	return USER_TOP;
}

/*
 * One entry of a table on the way to va: an absent one gets a new zeroed
 * page (table or leaf) by compare-and-swap, so that two cores paging in at
 * once agree on one (the loser frees its page).  The entry's value after;
 * 0 if no page could be had.
 */
static pte_t install_pte(pte_t *pte, pte_t (*make)(uint64_t pa, uint64_t perm),
			 uint64_t perm)
{
	pte_t old = __atomic_load_n(pte, __ATOMIC_ACQUIRE), new;
	void *page;

	if (old)
		return old;
	page = kalloc(); /* zeroed */
	if (!page)
		return 0;
	new = make((uint64_t)page, perm);
	/* release: the zeroed page before the entry that points to it; pairs
	 * with the walker's address-dependent loads (and acquire on failure:
	 * the winner's entry and what it points to) */
	if (!__atomic_compare_exchange_n(pte, &old, new, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		kfree(page);
		return old;
	}
	return new;
}

static pte_t table_pte(uint64_t pa, uint64_t perm)
{
	return PA2PTE(pa) | PTE_V;
}

static pte_t leaf_pte(uint64_t pa, uint64_t perm)
{
	return user_leaf(pa, perm);
}

/*
 * Demand paging (mm_fault, mm/mmap.c): map a fresh zeroed page at va, which
 * is absent, with perm.  0 (it is there now: this call's page, or one the
 * other core put there at the same time), -EEXIST (something was there
 * already), or -ENOMEM.
 *
 * Without mm_lock on the normal core, because it runs where the normal
 * core may hold fs_lock (a file's data copied to a user page) while the IO
 * core holds mm_lock and wants fs_lock; the IO core pages in under mm_lock
 * (a ring's copy, uview_page).  Adding a translation is safe against the
 * other core's concurrent walk: it only reads the table, and caches only
 * translations it found, so nothing it holds goes stale; each entry is
 * installed by install_pte's compare-and-swap.  A table made for a page
 * that then cannot be had stays, empty, until the table is freed.
 */
int uvm_fault_page(pagetable_t pt, uint64_t va, uint64_t perm)
{
	pte_t e, old;

	for (int level = 2; level > 0; level--) {
		e = install_pte(&pt[PX(level, va)], table_pte, 0);
		if (!e)
			return -ENOMEM;
		if (e & PTE_LEAF)
			return -EEXIST;
		pt = (pagetable_t)PTE2PA(e);
	}
	old = __atomic_load_n(&pt[PX(0, va)], __ATOMIC_ACQUIRE);
	if (old)
		return -EEXIST;
	e = install_pte(&pt[PX(0, va)], leaf_pte, perm);
	if (!e)
		return -ENOMEM;
	sfence_vma();
	return 0;
}

/*
 * A kernel access through v found va absent: may it be paged in (mm_fault)?
 * On the IO core, for the owner of a ring (v->owner, mm_lock held, which
 * keeps the owner's map still: the normal core changes it under mm_lock,
 * vma.c); on the normal core, for the running process's own memory.
 */
static bool fault_in(const struct uview *v, uint64_t va, uint64_t need)
{
	struct proc *p;

	need = need ? need : PTE_R;
	if (v->owner)
		return mm_fault(v->owner, va, need) == 0;
	if (this_hart()->role != HART_NORMAL)
		return false;
	p = this_proc();
	return p && p->mm->pagetable == v->pt && mm_fault(p, va, need) == 0;
}

/* The leaf PTE of user address va if it is a valid user page, else 0. */
uint64_t uvm_pte(pagetable_t pt, uint64_t va)
{
	pte_t *pte;

	if (va >= USER_TOP)
		return 0;
	pte = walk(pt, va, false);
	if (!pte || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
		return 0;
	return *pte;
}

/*
 * The kernel address of user address va, if va is mapped for the user with
 * the permission `need` (PTE_R or PTE_W); NULL otherwise.
 */
void *uvm_page(pagetable_t pt, uint64_t va, uint64_t need)
{
	uint64_t pte = uvm_pte(pt, va);

	if (!pte || (pte & need) != need)
		return NULL;
	return (void *)(PTE2PA(pte) + (va & (PGSIZE - 1)));
}

/* The kernel address of va through view v (see vm.h), or NULL. */
void *uview_page(const struct uview *v, uint64_t va, uint64_t need)
{
	struct xlate_cache *c = v->cache;
	uint64_t vpn = (va >> PGSHIFT) + 1, pte;
	int slot;

	if (v->fixed) {
		const struct ubuf_fixed *b = v->fixed;

		/* registered readable and writable, pinned */
		if (va < b->base || va - b->base >= b->len)
			return NULL;
		return (void *)(b->pa[(va >> PGSHIFT) - (b->base >> PGSHIFT)] +
				(va & (PGSIZE - 1)));
	}
	if (!c) {
		void *k = uvm_page(v->pt, va, need);

		if (!k && fault_in(v, va, need))
			k = uvm_page(v->pt, va, need);
		return k;
	}
	if (c->gen != *v->mm_gen) {
		/* a mapping went away since: forget everything */
		memset(c->vpn, 0, sizeof(c->vpn));
		c->gen = *v->mm_gen;
	}
	slot = vpn % XLATE_ENTRIES;
	if (c->vpn[slot] == vpn) {
		c->hits++;
		pte = c->pte[slot];
	} else {
		c->misses++;
		pte = uvm_pte(v->pt, va);
		if (!pte && fault_in(v, va, need))
			pte = uvm_pte(v->pt, va);
		if (!pte)
			return NULL;
		c->vpn[slot] = vpn;
		c->pte[slot] = pte;
	}
	if ((pte & need) != need)
		return NULL;
	return (void *)(PTE2PA(pte) + (va & (PGSIZE - 1)));
}

/*
 * A long copy through v, between two chunks: is there a reason to pause
 * (uview_pause)?  On the normal core: an interrupt is pending (a sleeper
 * due, the time slice over).  On the IO core: the normal core waits for
 * the mm_lock held for v, or the IO core cedes its turn between chunks
 * (iopoll=wfi: iocore_cedes).
 */
bool uview_pause_due(const struct uview *v)
{
	if (this_hart()->role == HART_NORMAL)
		return resched_pending();
	return iocore_cedes() ||
	       (v->owner && spin_contended(&v->owner->mm->mm_lock));
}

/*
 * Pause a long copy through v, between two chunks, no lock held but v's
 * mm_lock.  The normal core lets the other processes run (cond_resched).
 * The IO core lets go of mm_lock, so that the normal core waiting for it
 * (an munmap) gets it -- the translation cache then sees the new mm_gen
 * and forgets -- and with iopoll=wfi gives the normal core a turn
 * (iocore_relax).  Returns false if the copy must stop: the owner's page
 * table was replaced (execve) meanwhile.
 */
bool uview_pause(const struct uview *v)
{
	struct proc *p = v->owner;

	if (this_hart()->role == HART_NORMAL) {
		cond_resched();
		return true;
	}
	if (p)
		spin_unlock(&p->mm->mm_lock);
	if (iocore_cedes())
		iocore_relax();
	if (!p)
		return true;
	lock_reacquire(&p->mm->mm_lock);
	return p->mm->pagetable == v->pt;
}

int uview_copyin(const struct uview *v, void *dst, uint64_t usrc, size_t n)
{
	while (n) {
		uint8_t *k = uview_page(v, usrc, PTE_R);
		size_t m = MIN(n, PGSIZE - (usrc & (PGSIZE - 1)));

		if (!k)
			return -EFAULT;
		memcpy(dst, k, m);
		dst = (uint8_t *)dst + m;
		usrc += m;
		n -= m;
	}
	return 0;
}

int uview_copyout(const struct uview *v, uint64_t udst, const void *src,
		  size_t n)
{
	while (n) {
		uint8_t *k = uview_page(v, udst, PTE_W);
		size_t m = MIN(n, PGSIZE - (udst & (PGSIZE - 1)));

		if (!k)
			return -EFAULT;
		memcpy(k, src, m);
		src = (const uint8_t *)src + m;
		udst += m;
		n -= m;
	}
	return 0;
}

int copyin(pagetable_t pt, void *dst, uint64_t usrc, size_t n)
{
	struct uview v = { .pt = pt };

	return uview_copyin(&v, dst, usrc, n);
}

int copyout(pagetable_t pt, uint64_t udst, const void *src, size_t n)
{
	struct uview v = { .pt = pt };

	return uview_copyout(&v, udst, src, n);
}

/*
 * Copy a NUL-terminated string of at most max bytes (NUL included) from user
 * space.  Returns its length, -EFAULT, or -ENAMETOOLONG if no NUL within max.
 */
long copyinstr(pagetable_t pt, char *dst, uint64_t usrc, size_t max)
{
	struct uview v = {.pt = pt};
	size_t got = 0;

	while (got < max) {
		const char *k = uview_page(&v, usrc, PTE_R);
		size_t m = MIN(max - got, PGSIZE - (usrc & (PGSIZE - 1)));

		if (!k)
			return -EFAULT;
		for (size_t i = 0; i < m; i++) {
			dst[got] = k[i];
			if (!k[i])
				return got;
			got++;
		}
		usrc += m;
	}
	return -ENAMETOOLONG;
}

/*
 * fork: give dst (a fresh table from uvm_create, not yet in use) a copy of
 * every page src owns in [USER_MIN, USER_TOP), with the same permission
 * (PROT_NONE included).  Pages src does not own (PTE_SHARED: a ring's) are
 * not copied: the caller leaves their VMAs out too.  0 or -ENOMEM (dst
 * then holds what was copied; the caller frees it with uvm_free).
 */
int uvm_copy(pagetable_t dst, pagetable_t src)
{
	uint64_t va = USER_MIN, perm;

	while ((va = uvm_next_page(src, va, &perm)) < USER_TOP) {
		pte_t *s = walk(src, va, false), *d;
		void *page;

		if (!(*s & PTE_SHARED)) {
			d = walk(dst, va, true);
			if (!d || !(page = kalloc()))
				return -ENOMEM;
			memcpy(page, (void *)PTE2PA(*s), PGSIZE);
			*d = user_leaf((uint64_t)page, perm);
		}
		va += PGSIZE;
	}
	return 0;
}
