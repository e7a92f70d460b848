/*
 * The physical page allocator: a free list of 4 KiB pages covering the RAM
 * after the kernel image, less the device tree and the initrd (freed once the
 * memory FS has copied it).  kalloc() returns a zeroed page.
 *
 * Pins: a ring's registered buffer pins its pages (page_pin); kfree() of a
 * pinned page (its process unmapped it) only marks it, and the last
 * page_unpin() frees it.  So the IO core never writes a page that is back on
 * the free list.
 *
 * Locking: kmem.lock, a leaf lock (nothing is taken while holding it).  Both
 * cores allocate.
 */
#include "arch/riscv/riscv.h"
#include "core/fdt.h"
#include "core/panic.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "core/types.h"
#include "mm/kalloc.h"
#include "mm/memlayout.h"

struct run {
	struct run *next;
};

static struct {
	struct spinlock lock; /* protects the fields below */
	struct run *free;
	uint64_t nfree;
	uint64_t total;
	/* per page of RAM: pin count (low 15 bits) and "freed while pinned" */
	uint16_t pins[RAM_MAX_SIZE / PGSIZE];
} kmem = { .lock = SPINLOCK_INIT("kmem") };

#define PIN_FREED 0x8000

static uint16_t *pin_word(uint64_t pa)
{
	return &kmem.pins[(pa - RAM_BASE) / PGSIZE];
}

void page_pin(uint64_t pa)
{
	spin_lock(&kmem.lock);
	(*pin_word(pa))++;
	spin_unlock(&kmem.lock);
}

static void free_locked(struct run *r)
{
	r->next = kmem.free;
	kmem.free = r;
	kmem.nfree++;
}

void page_unpin(uint64_t pa)
{
	uint16_t *w = pin_word(pa);

	spin_lock(&kmem.lock);
	if (--*w == PIN_FREED) {
		*w = 0;
		free_locked((struct run *)pa);
	}
	spin_unlock(&kmem.lock);
}

extern char kernel_end[];

static bool reserved(uint64_t pa)
{
	if (pa + PGSIZE > bootinfo.dtb && pa < bootinfo.dtb + bootinfo.dtb_size)
		return true;
	return pa + PGSIZE > bootinfo.initrd_start && pa < bootinfo.initrd_end;
}

void kalloc_init(void)
{
	uint64_t end = bootinfo.mem_base + MIN(bootinfo.mem_size, RAM_MAX_SIZE);

	for (uint64_t pa = ROUNDUP((uint64_t)kernel_end, PGSIZE);
	     pa + PGSIZE <= end; pa += PGSIZE) {
		if (reserved(pa))
			continue;
		kfree((void *)pa);
		kmem.total++;
	}
}

void kfree(void *page)
{
	struct run *r = page;

	if ((uint64_t)page % PGSIZE || (uint64_t)page < (uint64_t)kernel_end)
		panic("kfree: bad page %p", page);
	spin_lock(&kmem.lock);
	if (*pin_word((uint64_t)page) & ~PIN_FREED)
		*pin_word((uint64_t)page) |= PIN_FREED; /* the last unpin frees */
	else
		free_locked(r);
	spin_unlock(&kmem.lock);
}

void *kalloc(void)
{
	struct run *r;

	spin_lock(&kmem.lock);
	r = kmem.free;
	if (r) {
		kmem.free = r->next;
		kmem.nfree--;
	}
	spin_unlock(&kmem.lock);
	if (r)
		memset(r, 0, PGSIZE);
	return r;
}

/* Give the allocator [start, end) once its contents are no longer needed. */
void kalloc_release(uint64_t start, uint64_t end)
{
	for (uint64_t pa = ROUNDUP(start, PGSIZE); pa + PGSIZE <= end; pa += PGSIZE) {
		kfree((void *)pa);
		__atomic_add_fetch(&kmem.total, 1, __ATOMIC_RELAXED);
	}
}

uint64_t kalloc_free_pages(void)
{
	return READ_ONCE(kmem.nfree);
}

uint64_t kalloc_total_pages(void)
{
	return kmem.total;
}
