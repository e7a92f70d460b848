/*
 * A reader for the flattened device tree that OpenSBI passes in a1 (format:
 * the Devicetree Specification, "Flattened Devicetree (DTB) Format").  It
 * takes what the kernel needs into `bootinfo`: the RAM range, the timebase,
 * the hart ids, /chosen's bootargs and initrd range.  Runs once, on the boot
 * hart, before anything else: no locking.
 */
#include "core/defs.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

struct bootinfo bootinfo;

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be_cells(const void *p, uint32_t len)
{
	return len >= 8 ? (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4)
			: be32(p);
}

static bool name_is(const char *node, const char *want)
{
	size_t n = strlen(want);

	/* "memory" matches "memory@80000000" */
	return !strncmp(node, want, n) && (node[n] == 0 || node[n] == '@');
}

void fdt_parse(uint64_t dtb)
{
	const uint8_t *base = (const uint8_t *)dtb;
	const char *path[8] = { 0 };
	int depth = 0;

	if (be32(base) != FDT_MAGIC)
		panic("no device tree at 0x%lx", dtb);
	bootinfo.dtb = dtb;
	bootinfo.dtb_size = be32(base + 4);
	const uint8_t *p = base + be32(base + 8);
	const char *strings = (const char *)base + be32(base + 12);

	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			if (depth < 8)
				path[depth] = name;
			depth++;
			p += ROUNDUP(strlen(name) + 1, 4);
		} else if (tok == FDT_END_NODE) {
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p);
			const char *pname = strings + be32(p + 4);
			const uint8_t *val = p + 8;

			p += 8 + ROUNDUP(len, 4);
			if (depth == 2 && name_is(path[1], "memory") &&
			    !strcmp(pname, "reg") && len >= 16 &&
			    !bootinfo.mem_size) {
				bootinfo.mem_base = be_cells(val, 8);
				bootinfo.mem_size = be_cells(val + 8, 8);
			} else if (depth == 2 && name_is(path[1], "cpus") &&
				   !strcmp(pname, "timebase-frequency")) {
				bootinfo.timebase = be_cells(val, len);
			} else if (depth == 3 && name_is(path[1], "cpus") &&
				   name_is(path[2], "cpu") &&
				   !strcmp(pname, "reg") &&
				   bootinfo.nharts < (int)ARRAY_SIZE(bootinfo.harts)) {
				bootinfo.harts[bootinfo.nharts++] = be_cells(val, len);
			} else if (depth == 2 && name_is(path[1], "chosen")) {
				if (!strcmp(pname, "bootargs"))
					strlcpy(bootinfo.bootargs, (const char *)val,
						MIN(len + 1, sizeof(bootinfo.bootargs)));
				else if (!strcmp(pname, "linux,initrd-start"))
					bootinfo.initrd_start = be_cells(val, len);
				else if (!strcmp(pname, "linux,initrd-end"))
					bootinfo.initrd_end = be_cells(val, len);
			}
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break; /* FDT_END or garbage */
		}
	}
	if (!bootinfo.mem_size || !bootinfo.timebase)
		panic("device tree: no memory or timebase");
}
