/*
 * The device tree reader's node interface (fdt.c), for the platform code
 * that binds drivers to nodes by their `compatible` strings, as OpenSBI's
 * lib/utils does.
 *
 * fdt_walk() visits every node of the tree fdt_parse() was given, in tree
 * order, parents before children.  A struct fdt_node is valid only during
 * the call that received it (it lives on the walker's stack), and so are
 * its parents; property values point into the tree itself, which stays
 * where the firmware put it (kalloc_init keeps its pages).
 *
 * Locking: none; used on the boot hart during boot only.
 */
#ifndef KERNEL_CORE_FDT_H
#define KERNEL_CORE_FDT_H

#include "core/types.h"

struct fdt_node {
	const char *name;		/* "serial@10000000"; "" for the root */
	const uint8_t *props;		/* its first token after the name */
	const struct fdt_node *parent;	/* NULL for the root */
	int depth;			/* 0 for the root */
};

/* A driver's table of the compatible strings it binds, ended by { NULL }. */
struct fdt_match {
	const char *compatible;
	const void *data;
};

void fdt_walk(void (*fn)(const struct fdt_node *n, void *arg), void *arg);
const void *fdt_prop(const struct fdt_node *n, const char *name,
		     uint32_t *len);
uint32_t fdt_prop_u32(const struct fdt_node *n, const char *name,
		      uint32_t dflt);
bool fdt_is_compatible(const struct fdt_node *n, const char *compat);
const struct fdt_match *fdt_match_node(const struct fdt_node *n,
				       const struct fdt_match *table);
bool fdt_node_okay(const struct fdt_node *n);
uint32_t fdt_phandle(const struct fdt_node *n);
uint64_t fdt_translate(const struct fdt_node *n, uint64_t addr);
int fdt_reg(const struct fdt_node *n, int i, uint64_t *addr, uint64_t *size);
int fdt_irq(const struct fdt_node *n, int i);
size_t fdt_path(const struct fdt_node *n, char *buf, size_t size);
const char *fdt_stdout_path(void);
uint32_t fdt_be32(const void *p);

/* fdt.c: what boot needs from the tree (fdt_parse fills it) */
struct bootinfo {
	uint64_t mem_base, mem_size;
	uint64_t timebase;
	uint64_t initrd_start, initrd_end;
	uint64_t dtb, dtb_size;
	uint64_t harts[8];
	int nharts;
	char bootargs[512];
	uint8_t rng_seed[64]; /* /chosen's rng-seed (QEMU gives 32 bytes) */
	int rng_seed_len;
};
extern struct bootinfo bootinfo;
void fdt_parse(uint64_t dtb);

#endif
