/*
 * Unpacking the initrd, a cpio archive in the "newc" format (what
 * `cpio -o -H newc` writes: a 110-byte ASCII header with the magic "070701"
 * and 13 eight-digit hex fields, the NUL-terminated name, the data, each
 * padded to 4 bytes; the entry "TRAILER!!!" ends it) into the memory FS:
 * directories, regular files (with their permission bits) and symbolic
 * links (the data is the target).
 * Runs once at boot on the normal core; then the initrd's pages are freed.
 */
#include "arch/riscv/riscv.h"
#include "core/panic.h"
#include "core/printf.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "uapi/errno.h"

#define NEWC_HDR 110

static uint64_t hexfield(const char *h, int i)
{
	uint64_t v = 0;

	for (int k = 0; k < 8; k++) {
		char c = h[6 + 8 * i + k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
	}
	return v;
}

void initrd_unpack(uint64_t start, uint64_t end)
{
	uint64_t p = start;
	int files = 0, dirs = 0, links = 0;
	uint64_t bytes = 0;

	while (p + NEWC_HDR <= end) {
		const char *h = (const char *)p;
		uint64_t mode, size, namesize;
		const char *name;
		const uint8_t *data;
		struct inode *ip;
		long err;

		if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
			panic("initrd: bad cpio header at offset %ld",
			      (long)(p - start));
		mode = hexfield(h, 1);
		size = hexfield(h, 6);
		namesize = hexfield(h, 11);
		name = h + NEWC_HDR;
		data = (const uint8_t *)ROUNDUP(p + NEWC_HDR + namesize, 4);
		if ((uint64_t)data + size > end || name[namesize - 1])
			panic("initrd: truncated");
		p = ROUNDUP((uint64_t)data + size, 4);
		if (!strcmp(name, "TRAILER!!!"))
			break;
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		if (!strcmp(name, ".") || !*name)
			continue;
		if ((mode & 0170000) == 0040000) {
			ip = fs_create(NULL, name, I_DIR, false, &err);
			if (!ip && err != -EEXIST)
				panic("initrd: mkdir %s: %ld", name, err);
			if (ip) {
				inode_chmod(ip, mode);
				inode_put(ip);
			}
			dirs++;
		} else if ((mode & 0170000) == 0100000) {
			ip = fs_create(NULL, name, I_FILE, false, &err);
			if (!ip)
				panic("initrd: create %s: %ld", name, err);
			if (inode_write(ip, data, 0, size) != (long)size)
				panic("initrd: out of memory for %s", name);
			inode_chmod(ip, mode);
			inode_put(ip);
			files++;
			bytes += size;
		} else if ((mode & 0170000) == 0120000) {
			err = size && size < PGSIZE ?
				fs_symlink(NULL, name, (const char *)data, size) :
				-ENAMETOOLONG;
			if (err)
				panic("initrd: symlink %s: %ld", name, err);
			links++;
		}
	}
	kprintf("initrd: %d files, %d directories, %d symbolic links, %ld "
		"bytes\n", files, dirs, links, (long)bytes);
}
