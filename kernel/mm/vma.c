/*
 * The address-space map of a process: its VMAs, in address order, in two
 * structures over the same nodes -- a doubly-linked list (prev/next: the
 * neighbours, for splitting, merging and walking a range) and a treap
 * keyed by start (left/right/prio: a binary search tree that is also a heap
 * on pseudo-random priorities, so its depth is O(log n) expected), in which
 * each node also keeps max_gap, the largest hole in front of a VMA of its
 * subtree (v->start - v->prev->end, or v->start for the first).  So finding
 * the VMA at an address and finding the lowest hole of a given size are
 * both O(log n), whatever the number of mappings (up to VMA_MAX).
 *
 * VMAs come from their own allocator: 4 KiB pages from kalloc() cut into
 * struct vmas, a page given back as soon as none of its VMAs is in use.
 *
 * Interface (mm/mmap.h): vma_alloc/vma_free; vma_find (the first VMA
 * ending above an address), vma_first, vma_busy (anything in a range);
 * vma_insert/vma_erase (the node is linked in/out, neither allocated nor
 * freed); vma_split (in two at an address; the new upper piece is
 * returned, inserted); vma_merge_next (absorb the next VMA); vma_gap (the
 * lowest hole of a size in a window).  Callers keep the VMAs
 * non-overlapping and change a VMA's start or end only through these.
 *
 * Locking: the normal core changes a map (its own system calls, exit),
 * with interrupts off, and reads it without a lock; every change is made
 * under the map's mm_lock (struct mm), so that the IO core, paging in an
 * absent page for a ring's owner (mm_fault under mm_lock, vm.c), reads a
 * map that holds still.  vm_ops.open is called after the lock is let go.
 */
#include "arch/riscv/riscv.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "core/types.h"
#include "mm/kalloc.h"
#include "mm/mmap.h"

/* ---- the allocator ---- */

struct vma_page {
	struct vma_page *prev, *next; /* pages with a free VMA */
	struct vma *free;	      /* through ->next */
	int used;
};

#define VMAS_PER_PAGE \
	((PGSIZE - sizeof(struct vma_page)) / sizeof(struct vma))

static struct vma_page *partial; /* pages with room */

static void partial_remove(struct vma_page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		partial = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->prev = pg->next = NULL;
}

static void partial_add(struct vma_page *pg)
{
	pg->prev = NULL;
	pg->next = partial;
	if (partial)
		partial->prev = pg;
	partial = pg;
}

/* A zeroed VMA, or NULL when memory is out. */
struct vma *vma_alloc(void)
{
	struct vma_page *pg = partial;
	struct vma *v;

	if (!pg) {
		struct vma *objs;

		pg = kalloc();
		if (!pg)
			return NULL;
		objs = (struct vma *)(pg + 1);
		for (size_t i = 0; i < VMAS_PER_PAGE; i++) {
			objs[i].next = pg->free;
			pg->free = &objs[i];
		}
		partial_add(pg);
	}
	v = pg->free;
	pg->free = v->next;
	if (!pg->free)
		partial_remove(pg);
	pg->used++;
	memset(v, 0, sizeof(*v));
	return v;
}

void vma_free(struct vma *v)
{
	struct vma_page *pg = (struct vma_page *)ROUNDDOWN((uint64_t)v, PGSIZE);

	if (!pg->free)
		partial_add(pg);
	v->next = pg->free;
	pg->free = v;
	if (--pg->used == 0) {
		partial_remove(pg);
		kfree(pg);
	}
}

/* ---- the treap ---- */

static uint32_t prio_state = 2463534242u;

static uint32_t next_prio(void)
{
	/* xorshift32: balance only, nothing secret */
	prio_state ^= prio_state << 13;
	prio_state ^= prio_state >> 17;
	prio_state ^= prio_state << 5;
	return prio_state;
}

static uint64_t gap_before(const struct vma *v)
{
	return v->start - (v->prev ? v->prev->end : 0);
}

static void update(struct vma *n)
{
	uint64_t g = gap_before(n);

	if (n->left && n->left->max_gap > g)
		g = n->left->max_gap;
	if (n->right && n->right->max_gap > g)
		g = n->right->max_gap;
	n->max_gap = g;
}

static struct vma *rotate_right(struct vma *n)
{
	struct vma *l = n->left;

	n->left = l->right;
	l->right = n;
	update(n);
	update(l);
	return l;
}

static struct vma *rotate_left(struct vma *n)
{
	struct vma *r = n->right;

	n->right = r->left;
	r->left = n;
	update(n);
	update(r);
	return r;
}

static struct vma *tree_insert(struct vma *n, struct vma *v)
{
	if (!n) {
		update(v);
		return v;
	}
	if (v->start < n->start) {
		n->left = tree_insert(n->left, v);
		if (n->left->prio > n->prio)
			return rotate_right(n);
	} else {
		n->right = tree_insert(n->right, v);
		if (n->right->prio > n->prio)
			return rotate_left(n);
	}
	update(n);
	return n;
}

/* The union of two treaps, every key of a below every key of b. */
static struct vma *tree_join(struct vma *a, struct vma *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = tree_join(a->right, b);
		update(a);
		return a;
	}
	b->left = tree_join(a, b->left);
	update(b);
	return b;
}

static struct vma *tree_erase(struct vma *n, struct vma *v)
{
	if (n == v)
		return tree_join(v->left, v->right);
	if (v->start < n->start)
		n->left = tree_erase(n->left, v);
	else
		n->right = tree_erase(n->right, v);
	update(n);
	return n;
}

/* Recompute max_gap from the root down to v (its gap has changed). */
static void tree_fix(struct vma *n, const struct vma *v)
{
	if (!n)
		return;
	if (n != v)
		tree_fix(v->start < n->start ? n->left : n->right, v);
	update(n);
}

/* ---- the map ---- */

/* The first VMA with end > addr (it contains addr or lies above it). */
struct vma *vma_find(struct vmmap *m, uint64_t addr)
{
	struct vma *n = m->root, *best = NULL;

	while (n) {
		if (n->end > addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *vma_first(struct vmmap *m)
{
	struct vma *n = m->root;

	while (n && n->left)
		n = n->left;
	return n;
}

/* Is anything mapped in [start, end)? */
bool vma_busy(struct vmmap *m, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(m, start);

	return v && v->start < end;
}

/* The lock a map's changes are made under: its struct mm's mm_lock. */
static struct spinlock *map_lock(struct vmmap *m)
{
	return &((struct mm *)((char *)m -
			       __builtin_offsetof(struct mm, vmmap)))
			->mm_lock;
}

static void insert_locked(struct vmmap *m, struct vma *v)
{
	struct vma *next = vma_find(m, v->start);

	v->next = next;
	if (next) {
		v->prev = next->prev;
		next->prev = v;
	} else {
		/* the last: after the rightmost */
		struct vma *n = m->root;

		while (n && n->right)
			n = n->right;
		v->prev = n;
	}
	if (v->prev)
		v->prev->next = v;
	v->left = v->right = NULL;
	v->prio = next_prio();
	m->root = tree_insert(m->root, v);
	if (next)
		tree_fix(m->root, next); /* its hole shrank */
	m->count++;
}

/* Link v (start, end, free of every other VMA) into the map. */
void vma_insert(struct vmmap *m, struct vma *v)
{
	spin_lock(map_lock(m));
	insert_locked(m, v);
	spin_unlock(map_lock(m));
}

static void erase_locked(struct vmmap *m, struct vma *v)
{
	struct vma *next = v->next;

	if (v->prev)
		v->prev->next = next;
	if (next)
		next->prev = v->prev;
	m->root = tree_erase(m->root, v);
	if (next)
		tree_fix(m->root, next); /* its hole grew */
	v->prev = v->next = v->left = v->right = NULL;
	m->count--;
}

/* Unlink v from the map (the caller frees it). */
void vma_erase(struct vmmap *m, struct vma *v)
{
	spin_lock(map_lock(m));
	erase_locked(m, v);
	spin_unlock(map_lock(m));
}

/*
 * Split v at addr (page-aligned, inside it): v keeps [start, addr), the
 * returned new VMA, inserted, has [addr, end) and is told (vm_ops.open) as
 * a new mapping of its file.  NULL when memory is out (nothing changed).
 */
struct vma *vma_split(struct vmmap *m, struct vma *v, uint64_t addr)
{
	struct vma *n = vma_alloc();

	if (!n)
		return NULL;
	n->start = addr;
	n->end = v->end;
	n->perm = v->perm;
	n->flags = v->flags;
	n->ops = v->ops;
	n->private = v->private;
	if (v->pages)
		n->pages = v->pages + (addr - v->start) / PGSIZE;
	/* v's own hole is unchanged, the next one's too (n ends where v
	 * did), n's is empty: only n's path needs recomputing */
	spin_lock(map_lock(m));
	v->end = addr;
	insert_locked(m, n);
	spin_unlock(map_lock(m));
	if (n->ops && n->ops->open)
		n->ops->open(n);
	return n;
}

/* v absorbs v->next, which ends adjacent to it, and which is freed. */
void vma_merge_next(struct vmmap *m, struct vma *v)
{
	struct vma *n = v->next;

	/* the hole after n stays the same size: it now follows v */
	spin_lock(map_lock(m));
	v->end = n->end;
	erase_locked(m, n);
	spin_unlock(map_lock(m));
	vma_free(n);
}

static uint64_t gap_search(const struct vma *n, uint64_t lo, uint64_t hi,
			   uint64_t len)
{
	uint64_t r, s, e;

	if (!n || n->max_gap < len)
		return 0;
	if (n->start > lo) {
		/* lower holes first; none of them can end above lo unless
		 * this node starts above lo */
		r = gap_search(n->left, lo, hi, len);
		if (r)
			return r;
		s = MAX(n->prev ? n->prev->end : 0, lo);
		e = MIN(n->start, hi);
		if (e > s && e - s >= len)
			return s;
	}
	if (n->start >= hi)
		return 0; /* every hole to the right starts above hi */
	return gap_search(n->right, lo, hi, len);
}

/*
 * The lowest address a in [lo, hi) with [a, a + len) free and inside the
 * window (lo, hi and len page-aligned, lo > 0), or 0 if there is none.
 */
uint64_t vma_gap(struct vmmap *m, uint64_t lo, uint64_t hi, uint64_t len)
{
	uint64_t a = gap_search(m->root, lo, hi, len);
	struct vma *last = m->root;

	if (a)
		return a;
	while (last && last->right)
		last = last->right;
	a = MAX(last ? last->end : 0, lo);
	return a < hi && hi - a >= len ? a : 0;
}
