/*
 * A reader for the flattened device tree that OpenSBI passes in a1 (format:
 * the Devicetree Specification, "Flattened Devicetree (DTB) Format": a
 * header, a structure block of tokens, a strings block of property names).
 *
 * fdt_parse() takes what the core kernel needs into `bootinfo`: the RAM
 * range (the first /memory node's reg), the timebase, the hart ids (every
 * /cpus/cpu@N's reg), /chosen's bootargs and initrd range.  The devices are
 * the platform's business (platform/<board>/): it walks the same tree with
 * fdt_walk() and binds drivers to nodes by their compatible strings
 * (fdt_match_node), reading reg (translated through the parents' `ranges`
 * to a CPU physical address), interrupts and the rest (interface: fdt.h).
 *
 * The tree is the firmware's and is trusted to be well formed; the walk
 * still stops at the end of the structure block or at a token it does not
 * know.  Runs on the boot hart during boot, before anything else: no
 * locking.
 */
#include "core/fdt.h"
#include "core/panic.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/types.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define FDT_MAX_DEPTH 16 /* deeper nodes are not visited */

struct bootinfo bootinfo;

static const uint8_t *fdt;	   /* the tree (physical == kernel address) */
static const uint8_t *struct_end; /* end of the structure block */
static const char *strings;	   /* the strings block */

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* A number of `cells` 32-bit cells (the last two, if more). */
static uint64_t read_cells(const uint8_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

void fdt_walk(void (*fn)(const struct fdt_node *n, void *arg), void *arg)
{
	struct fdt_node stack[FDT_MAX_DEPTH];
	const uint8_t *p = fdt + fdt_be32(fdt + 8);
	int depth = 0;

	while (p + 4 <= struct_end) {
		uint32_t tok = fdt_be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			p += ROUNDUP(strlen(name) + 1, 4);
			if (depth < FDT_MAX_DEPTH) {
				struct fdt_node *n = &stack[depth];

				n->name = name;
				n->props = p;
				n->parent = depth ? &stack[depth - 1] : NULL;
				n->depth = depth;
				fn(n, arg);
			}
			depth++;
		} else if (tok == FDT_END_NODE) {
			if (--depth < 0)
				return;
		} else if (tok == FDT_PROP) {
			p += 8 + ROUNDUP(fdt_be32(p), 4);
		} else if (tok != FDT_NOP) {
			return; /* FDT_END or garbage */
		}
	}
}

/* A property of n (its value and length), or NULL. */
const void *fdt_prop(const struct fdt_node *n, const char *name,
		     uint32_t *len)
{
	const uint8_t *p = n->props;

	while (p + 4 <= struct_end) {
		uint32_t tok = fdt_be32(p);

		if (tok == FDT_NOP) {
			p += 4;
			continue;
		}
		if (tok != FDT_PROP)
			return NULL; /* the properties come before subnodes */
		if (!strcmp(strings + fdt_be32(p + 8), name)) {
			if (len)
				*len = fdt_be32(p + 4);
			return p + 12;
		}
		p += 12 + ROUNDUP(fdt_be32(p + 4), 4);
	}
	return NULL;
}

uint32_t fdt_prop_u32(const struct fdt_node *n, const char *name,
		      uint32_t dflt)
{
	uint32_t len;
	const uint8_t *v = fdt_prop(n, name, &len);

	return v && len >= 4 ? fdt_be32(v) : dflt;
}

/* Does a string-list property (compatible) of n contain s? */
static bool prop_has_string(const struct fdt_node *n, const char *prop,
			    const char *s)
{
	uint32_t len;
	const char *v = fdt_prop(n, prop, &len);

	for (uint32_t i = 0; v && i < len; i += strlen(v + i) + 1)
		if (!strcmp(v + i, s))
			return true;
	return false;
}

bool fdt_is_compatible(const struct fdt_node *n, const char *compat)
{
	return prop_has_string(n, "compatible", compat);
}

/*
 * The first entry of a driver's table that n is compatible with, or NULL
 * (the table's order, not the node's, decides: a driver lists the strings
 * it prefers first).
 */
const struct fdt_match *fdt_match_node(const struct fdt_node *n,
				       const struct fdt_match *table)
{
	for (; table->compatible; table++)
		if (fdt_is_compatible(n, table->compatible))
			return table;
	return NULL;
}

/* No status property, or "okay" ("ok" in old trees): a usable device. */
bool fdt_node_okay(const struct fdt_node *n)
{
	const char *s = fdt_prop(n, "status", NULL);

	return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

uint32_t fdt_phandle(const struct fdt_node *n)
{
	uint32_t ph = fdt_prop_u32(n, "phandle", 0);

	return ph ? ph : fdt_prop_u32(n, "linux,phandle", 0);
}

/* The #address-cells or #size-cells that n's children's reg use. */
static int cells_of(const struct fdt_node *n, const char *which, int dflt)
{
	return n ? (int)fdt_prop_u32(n, which, dflt) : dflt;
}

/*
 * Translate addr on the bus below `bus` into the address space of bus's
 * parent, through bus's `ranges` (none or empty: the same addresses).
 */
static uint64_t translate(const struct fdt_node *bus, uint64_t addr)
{
	uint32_t len;
	const uint8_t *r = fdt_prop(bus, "ranges", &len);
	int ca = cells_of(bus, "#address-cells", 2);
	int pa = cells_of(bus->parent, "#address-cells", 2);
	int cs = cells_of(bus, "#size-cells", 1);
	uint32_t entry = 4 * (ca + pa + cs);

	for (uint32_t off = 0; r && entry && off + entry <= len; off += entry) {
		/* more than two cells (PCI's three): the low two are the
		 * address */
		uint64_t child = read_cells(r + off + 4 * MAX(ca - 2, 0),
					    MIN(ca, 2));
		uint64_t parent, size;

		parent = read_cells(r + off + 4 * ca + 4 * MAX(pa - 2, 0),
				    MIN(pa, 2));
		size = read_cells(r + off + 4 * (ca + pa) + 4 * MAX(cs - 2, 0),
				  MIN(cs, 2));
		if (addr >= child && addr - child < size)
			return parent + (addr - child);
	}
	return addr;
}

/*
 * An address on the bus n sits on (in the space its reg is in) as a CPU
 * physical address, through every bus above.
 */
uint64_t fdt_translate(const struct fdt_node *n, uint64_t addr)
{
	for (const struct fdt_node *bus = n->parent; bus && bus->parent;
	     bus = bus->parent)
		addr = translate(bus, addr);
	return addr;
}

/*
 * n's i-th reg entry as a CPU physical address and size, in its parent's
 * #address-cells/#size-cells, translated through the buses above.
 * 0, or -1 if there is no such entry.
 */
int fdt_reg(const struct fdt_node *n, int i, uint64_t *addr, uint64_t *size)
{
	uint32_t len;
	const uint8_t *v = fdt_prop(n, "reg", &len);
	int ac = cells_of(n->parent, "#address-cells", 2);
	int sc = cells_of(n->parent, "#size-cells", 1);
	uint32_t entry = 4 * (ac + sc), off = entry * i;

	if (!v || !entry || off + entry > len)
		return -1;
	*addr = read_cells(v + off + 4 * MAX(ac - 2, 0), MIN(ac, 2));
	*size = read_cells(v + off + 4 * ac + 4 * MAX(sc - 2, 0), MIN(sc, 2));
	*addr = fdt_translate(n, *addr);
	return 0;
}

/* n's i-th interrupt (one cell each, as the PLIC's), or -1. */
int fdt_irq(const struct fdt_node *n, int i)
{
	uint32_t len;
	const uint8_t *v = fdt_prop(n, "interrupts", &len);

	if (!v || 4 * (uint32_t)(i + 1) > len)
		return -1;
	return fdt_be32(v + 4 * i);
}

/* n's full path ("/soc/serial@10000000") into buf; returns its length. */
size_t fdt_path(const struct fdt_node *n, char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return 0;
	if (n->parent) {
		len = fdt_path(n->parent, buf, size);
		if (len == 1)
			len = 0; /* the root's "/" */
		if (len + 1 < size)
			buf[len++] = '/';
		len += strlcpy(buf + len, n->name, size - len);
		return MIN(len, size - 1);
	}
	return strlcpy(buf, "/", size);
}

static void parse_node(const struct fdt_node *n, void *arg)
{
	const struct fdt_node *up = n->parent;
	uint64_t addr, size;
	uint32_t len;
	const char *s;

	if (n->depth == 1 && !strncmp(n->name, "memory", 6) &&
	    (n->name[6] == 0 || n->name[6] == '@') && !bootinfo.mem_size &&
	    !fdt_reg(n, 0, &addr, &size)) {
		bootinfo.mem_base = addr;
		bootinfo.mem_size = size;
	} else if (n->depth == 1 && !strcmp(n->name, "cpus")) {
		bootinfo.timebase = fdt_prop_u32(n, "timebase-frequency", 0);
	} else if (n->depth == 2 && !strcmp(up->name, "cpus") &&
		   !strncmp(n->name, "cpu@", 4) &&
		   bootinfo.nharts < (int)ARRAY_SIZE(bootinfo.harts) &&
		   !fdt_reg(n, 0, &addr, &size)) {
		bootinfo.harts[bootinfo.nharts++] = addr;
	} else if (n->depth == 1 && !strcmp(n->name, "chosen")) {
		s = fdt_prop(n, "bootargs", &len);
		if (s)
			strlcpy(bootinfo.bootargs, s,
				MIN(len + 1, sizeof(bootinfo.bootargs)));
		s = fdt_prop(n, "linux,initrd-start", &len);
		if (s)
			bootinfo.initrd_start = read_cells((const uint8_t *)s,
							   MIN(len / 4, 2));
		s = fdt_prop(n, "linux,initrd-end", &len);
		if (s)
			bootinfo.initrd_end = read_cells((const uint8_t *)s,
							 MIN(len / 4, 2));
		s = fdt_prop(n, "rng-seed", &len);
		if (s) {
			bootinfo.rng_seed_len =
				MIN(len, (uint32_t)sizeof(bootinfo.rng_seed));
			memcpy(bootinfo.rng_seed, s, bootinfo.rng_seed_len);
		}
	}
}

void fdt_parse(uint64_t dtb)
{
	const uint8_t *base = (const uint8_t *)dtb;

	if (fdt_be32(base) != FDT_MAGIC)
		panic("no device tree at 0x%lx", dtb);
	fdt = base;
	struct_end = base + fdt_be32(base + 8) + fdt_be32(base + 36);
	strings = (const char *)base + fdt_be32(base + 12);
	bootinfo.dtb = dtb;
	bootinfo.dtb_size = fdt_be32(base + 4);
	fdt_walk(parse_node, NULL);
	if (!bootinfo.mem_size || !bootinfo.timebase)
		panic("device tree: no memory or timebase");
}

static void find_stdout(const struct fdt_node *n, void *arg)
{
	if (n->depth == 1 && !strcmp(n->name, "chosen"))
		*(const char **)arg = fdt_prop(n, "stdout-path", NULL);
}

/* /chosen's stdout-path (the console, "/soc/serial@10000000"), or NULL. */
const char *fdt_stdout_path(void)
{
	const char *path = NULL;

	fdt_walk(find_stdout, &path);
	return path;
}
