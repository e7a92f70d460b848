/*
 * Loading a static RISC-V ELF64 executable into a fresh process: each
 * PT_LOAD segment is mapped at p_vaddr with its R/W/X permissions and filled
 * from the file (the rest of p_memsz zeroed), the heap starts at the first
 * page above the highest segment, and the stack gets argv laid out as
 * Linux's initial stack: argc, argv[], NULL, envp[] (empty), auxv (AT_NULL);
 * a0/a1 also hold argc/argv.  Facts from the ELF-64 and RISC-V psABI specs.
 * Normal core only.
 */
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/proc.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/vm.h"
#include "trace/trace.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/layout.h"
#include "uapi/trace.h"

#define EM_RISCV 243
#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define MAX_PHDRS 16

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static long load_segment(struct proc *p, struct inode *ip,
			 const struct elf64_phdr *ph)
{
	uint64_t perm = 0, start, end;
	long err;

	if (ph->memsz < ph->filesz || ph->vaddr < USER_MIN ||
	    ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr + ph->memsz > USER_TOP)
		return -ENOEXEC;
	/* a program lives below the mmap area (its heap too: see sys_brk) */
	if (ph->vaddr + ph->memsz > MMAP_BASE)
		return -ENOMEM;
	if (ph->flags & PF_R)
		perm |= PTE_R;
	if (ph->flags & PF_W)
		perm |= PTE_W | PTE_R;
	if (ph->flags & PF_X)
		perm |= PTE_X;
	start = ROUNDDOWN(ph->vaddr, PGSIZE);
	end = ROUNDUP(ph->vaddr + ph->memsz, PGSIZE);
	err = uvm_map_zeroed(p->pagetable, start, end - start, perm);
	if (err)
		return err;
	for (uint64_t done = 0; done < ph->filesz;) {
		uint64_t va = ph->vaddr + done;
		size_t m = MIN(ph->filesz - done, PGSIZE - va % PGSIZE);
		void *k = uvm_page(p->pagetable, va, 0);

		/* NULL: a segment with no permission (PROT_NONE) and bytes */
		if (!k || inode_read(ip, k, ph->offset + done, m) != (long)m)
			return -ENOEXEC; /* segment beyond the end of the file */
		done += m;
	}
	if (end > p->heap_base)
		p->heap_base = end;
	return 0;
}

/* Copy argv onto the new stack; returns the initial sp or -errno. */
static long push_args(struct proc *p, char *const argv[], int argc)
{
	uint64_t sp = USTACK_TOP, uargv[ABI_SPAWN_ARGC_MAX + 1];
	uint64_t words[ABI_SPAWN_ARGC_MAX + 8];
	int n = 0;

	for (int i = argc - 1; i >= 0; i--) {
		size_t len = strlen(argv[i]) + 1;

		sp -= len;
		if (copyout(p->pagetable, sp, argv[i], len) < 0)
			return -E2BIG;
		uargv[i] = sp;
	}
	words[n++] = argc;
	for (int i = 0; i < argc; i++)
		words[n++] = uargv[i];
	words[n++] = 0; /* argv end */
	words[n++] = 0; /* envp end */
	if (p->utrace) {
		words[n++] = AT_TRACE_AREA;
		words[n++] = UTRACE_VA;
	}
	words[n++] = 0; /* AT_NULL */
	words[n++] = 0;
	sp = ROUNDDOWN(sp - n * sizeof(uint64_t), 16);
	if (copyout(p->pagetable, sp, words, n * sizeof(uint64_t)) < 0)
		return -E2BIG;
	return sp;
}

long elf_load(struct proc *p, struct inode *ip, char *const argv[], int argc)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph[MAX_PHDRS];
	struct abi_stat st;
	long err, sp;

	inode_stat(ip, &st);
	if ((st.st_mode & ABI_S_IFMT) != ABI_S_IFREG)
		return -EACCES; /* as execve: only regular files run */
	if (inode_read(ip, &eh, 0, sizeof(eh)) != sizeof(eh) ||
	    memcmp(eh.ident, "\177ELF", 4) || eh.ident[4] != 2 /* 64-bit */ ||
	    eh.ident[5] != 1 /* little-endian */ || eh.machine != EM_RISCV ||
	    eh.type != ET_EXEC || eh.phentsize != sizeof(struct elf64_phdr) ||
	    eh.phnum == 0 || eh.phnum > MAX_PHDRS)
		return -ENOEXEC;
	if (inode_read(ip, ph, eh.phoff, eh.phnum * sizeof(ph[0])) !=
	    (long)(eh.phnum * sizeof(ph[0])))
		return -ENOEXEC;
	p->heap_base = 0;
	for (int i = 0; i < eh.phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		err = load_segment(p, ip, &ph[i]);
		if (err)
			return err;
	}
	if (!p->heap_base || eh.entry < USER_MIN || eh.entry >= p->heap_base)
		return -ENOEXEC;
	p->brk = p->heap_base;
	err = uvm_map_zeroed(p->pagetable, USTACK_TOP - USTACK_PAGES * PGSIZE,
			     USTACK_PAGES * PGSIZE, PTE_R | PTE_W);
	if (err)
		return err;
	p->utrace = NULL;
	if (trace_available()) {
		err = uvm_map_zeroed(p->pagetable, UTRACE_VA,
				     (1 + UTRACE_REC_PAGES) * PGSIZE,
				     PTE_R | PTE_W);
		if (err)
			return err;
		p->utrace = uvm_page(p->pagetable, UTRACE_VA, PTE_W);
		p->utrace_tail = 0;
		for (int i = 0; i < UTRACE_REC_PAGES; i++)
			p->utrace_rec[i] = uvm_page(
				p->pagetable, UTRACE_VA + (1 + i) * PGSIZE, PTE_W);
	}
	sp = push_args(p, argv, argc);
	if (sp < 0)
		return sp;
	p->tf->epc = eh.entry;
	p->tf->sp = sp;
	p->tf->a0 = argc;
	p->tf->a1 = sp + 8;
	p->tf->a2 = sp + 8 * (argc + 2);
	return 0;
}
