/*
 * Loading a static RISC-V ELF64 executable into a fresh process, as Linux's
 * binfmt_elf does for a program without an interpreter: each PT_LOAD
 * segment is mapped at p_vaddr (plus a load bias for a static PIE, ET_DYN)
 * with its R/W/X permissions and filled from the file (the rest of p_memsz
 * zeroed), the heap starts at the first page above the highest segment, and
 * the stack is Linux's initial stack: argc, argv[], NULL, envp[], NULL, the
 * auxiliary vector (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY,
 * AT_BASE 0, AT_HWCAP, AT_CLKTCK, AT_UID..AT_EGID, AT_SECURE, AT_RANDOM
 * with 16 random bytes, AT_EXECFN, this kernel's AT_TRACE_AREA, AT_NULL),
 * then the strings.  PT_TLS and tp are the C library's, as on Linux; the
 * registers start at 0 but sp (a0 = 0 tells glibc's _start there is no
 * dynamic linker's fini function).  A program with PT_INTERP (dynamically
 * linked) gives -ENOENT, as Linux when the interpreter does not exist.
 * Facts from the ELF-64 and RISC-V psABI specs and Linux's ABI.
 * Normal core only.
 */
#include "arch/riscv/fpu.h"
#include "arch/riscv/riscv.h"
#include "core/param.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/random.h"
#include "core/signal.h"
#include "core/string.h"
#include "core/types.h"
#include "fs/fs.h"
#include "mm/mmap.h"
#include "mm/vm.h"
#include "ring/ring.h"
#include "trace/trace.h"
#include "uapi/abi.h"
#include "uapi/errno.h"
#include "uapi/layout.h"
#include "uapi/trace.h"

#define EM_RISCV 243
#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define MAX_PHDRS 16
#define PIE_BIAS 0x400000UL /* where a static PIE's address 0 goes */

/* auxiliary vector tags (Linux's include/uapi/linux/auxvec.h) */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* AT_HWCAP on riscv: one bit per single-letter extension, 'a' = bit 0 */
#define HWCAP_ISA(c) (1UL << ((c) - 'a'))
#define USER_HWCAP                                                             \
	(HWCAP_ISA('i') | HWCAP_ISA('m') | HWCAP_ISA('a') | HWCAP_ISA('f') |   \
	 HWCAP_ISA('d') | HWCAP_ISA('c'))
#define USER_CLKTCK 100 /* Linux's USER_HZ */

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
			 const struct elf64_phdr *ph, uint64_t bias)
{
	uint64_t perm = 0, start, end, vaddr = ph->vaddr + bias;
	long err;

	if (ph->memsz < ph->filesz || vaddr < USER_MIN || vaddr < ph->vaddr ||
	    vaddr + ph->memsz < vaddr || vaddr + ph->memsz > USER_TOP ||
	    (ph->offset - ph->vaddr) % PGSIZE)
		return -ENOEXEC;
	/* a program lives below the mmap area (its heap too: see sys_brk) */
	if (vaddr + ph->memsz > MMAP_BASE)
		return -ENOMEM;
	if (ph->flags & PF_R)
		perm |= PTE_R;
	if (ph->flags & PF_W)
		perm |= PTE_W | PTE_R;
	if (ph->flags & PF_X)
		perm |= PTE_X;
	start = ROUNDDOWN(vaddr, PGSIZE);
	end = ROUNDUP(vaddr + ph->memsz, PGSIZE);
	err = uvm_map_zeroed(p->mm->pagetable, start, end - start, perm);
	if (err)
		return err;
	for (uint64_t done = 0; done < ph->filesz;) {
		uint64_t va = vaddr + done;
		size_t m = MIN(ph->filesz - done, PGSIZE - va % PGSIZE);
		void *k = uvm_page(p->mm->pagetable, va, 0);

		/* NULL: a segment with no permission (PROT_NONE) and bytes */
		if (!k || inode_read(ip, k, ph->offset + done, m) != (long)m)
			return -ENOEXEC; /* segment beyond the end of the file */
		done += m;
	}
	if (end > p->mm->heap_base)
		p->mm->heap_base = end;
	return 0;
}

/* What the initial stack says about the program (auxv). */
struct exec_info {
	uint64_t phdr, phnum, entry;
	const char *path;
};

/* Copy a string onto the stack below *sp; returns its address or 0. */
static uint64_t push_string(struct proc *p, uint64_t *sp, const char *str)
{
	size_t len = strlen(str) + 1;

	if (*sp - len < USTACK_TOP - USTACK_PAGES * PGSIZE + PGSIZE)
		return 0; /* keep a page of stack for the program */
	*sp -= len;
	if (copyout(p->mm->pagetable, *sp, str, len) < 0)
		return 0;
	return *sp;
}

/*
 * Lay out Linux's initial stack (see the top of this file); returns the
 * initial sp or -E2BIG when it does not fit.
 */
static long push_initial_stack(struct proc *p, const struct exec_info *ei,
			       char *const argv[], int argc, char *const envp[],
			       int envc)
{
	uint64_t sp = USTACK_TOP, uargv[ABI_SPAWN_ARGC_MAX];
	uint64_t uenvp[ABI_SPAWN_ARGC_MAX];
	uint64_t words[2 * ABI_SPAWN_ARGC_MAX + 3 + 2 * 20];
	uint64_t execfn, urandom;
	uint8_t rnd[16];
	int n = 0;

	if (argc > ABI_SPAWN_ARGC_MAX || envc > ABI_SPAWN_ARGC_MAX)
		return -E2BIG;
	execfn = push_string(p, &sp, ei->path);
	for (int i = envc - 1; i >= 0; i--)
		if (!(uenvp[i] = push_string(p, &sp, envp[i])))
			return -E2BIG;
	for (int i = argc - 1; i >= 0; i--)
		if (!(uargv[i] = push_string(p, &sp, argv[i])))
			return -E2BIG;
	random_bytes(rnd, sizeof(rnd));
	sp = ROUNDDOWN(sp - sizeof(rnd), 16);
	if (!execfn || copyout(p->mm->pagetable, sp, rnd, sizeof(rnd)) < 0)
		return -E2BIG;
	urandom = sp;

	words[n++] = argc;
	for (int i = 0; i < argc; i++)
		words[n++] = uargv[i];
	words[n++] = 0; /* argv end */
	for (int i = 0; i < envc; i++)
		words[n++] = uenvp[i];
	words[n++] = 0; /* envp end */
#define AUX(tag, val)                                                          \
	do {                                                                   \
		words[n++] = (tag);                                            \
		words[n++] = (val);                                            \
	} while (0)
	AUX(AT_HWCAP, USER_HWCAP);
	AUX(AT_PAGESZ, PGSIZE);
	AUX(AT_CLKTCK, USER_CLKTCK);
	AUX(AT_PHDR, ei->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, ei->phnum);
	AUX(AT_BASE, 0); /* no interpreter */
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, ei->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, urandom);
	AUX(AT_EXECFN, execfn);
	if (p->mm->utrace)
		AUX(AT_TRACE_AREA, UTRACE_VA);
	AUX(AT_NULL, 0);
#undef AUX
	sp = ROUNDDOWN(sp - n * sizeof(uint64_t), 16);
	if (sp < USTACK_TOP - USTACK_PAGES * PGSIZE + PGSIZE ||
	    copyout(p->mm->pagetable, sp, words, n * sizeof(uint64_t)) < 0)
		return -E2BIG;
	return sp;
}

/*
 * Where the program headers are in memory: PT_PHDR's address, or inside
 * the PT_LOAD segment that holds them in the file; 0 if none does (glibc
 * then finds them through __ehdr_start).
 */
static uint64_t phdr_address(const struct elf64_ehdr *eh,
			     const struct elf64_phdr *ph, uint64_t bias)
{
	uint64_t size = eh->phnum * sizeof(*ph);

	for (int i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_PHDR)
			return ph[i].vaddr + bias;
	for (int i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].offset <= eh->phoff &&
		    eh->phoff + size <= ph[i].offset + ph[i].filesz)
			return ph[i].vaddr + bias + (eh->phoff - ph[i].offset);
	return 0;
}

long elf_load(struct proc *p, struct inode *ip, const char *path,
	      char *const argv[], int argc, char *const envp[], int envc)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph[MAX_PHDRS];
	struct abi_stat st;
	struct exec_info ei = { .path = path };
	uint64_t bias = 0;
	long err, sp;

	inode_stat(ip, &st);
	if ((st.st_mode & ABI_S_IFMT) != ABI_S_IFREG)
		return -EACCES; /* as execve: only regular files run */
	if (inode_read(ip, &eh, 0, sizeof(eh)) != sizeof(eh) ||
	    memcmp(eh.ident, "\177ELF", 4) || eh.ident[4] != 2 /* 64-bit */ ||
	    eh.ident[5] != 1 /* little-endian */ || eh.machine != EM_RISCV ||
	    (eh.type != ET_EXEC && eh.type != ET_DYN) ||
	    eh.phentsize != sizeof(struct elf64_phdr) ||
	    eh.phnum == 0 || eh.phnum > MAX_PHDRS)
		return -ENOEXEC;
	if (inode_read(ip, ph, eh.phoff, eh.phnum * sizeof(ph[0])) !=
	    (long)(eh.phnum * sizeof(ph[0])))
		return -ENOEXEC;
	for (int i = 0; i < eh.phnum; i++) {
		if (ph[i].type == PT_INTERP) {
			kprintf("exec: %s is dynamically linked: no interpreter "
				"here (link it with -static)\n", path);
			return -ENOENT;
		}
	}
	if (eh.type == ET_DYN)
		bias = PIE_BIAS; /* a static PIE: it relocates itself */
	p->mm->heap_base = 0;
	for (int i = 0; i < eh.phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		err = load_segment(p, ip, &ph[i], bias);
		if (err)
			return err;
	}
	ei.entry = eh.entry + bias;
	ei.phdr = phdr_address(&eh, ph, bias);
	ei.phnum = eh.phnum;
	if (!p->mm->heap_base || ei.entry < USER_MIN || ei.entry >= p->mm->heap_base)
		return -ENOEXEC;
	p->mm->brk = p->mm->heap_base;
	err = uvm_map_zeroed(p->mm->pagetable, USTACK_TOP - USTACK_PAGES * PGSIZE,
			     USTACK_PAGES * PGSIZE, PTE_R | PTE_W);
	err = err ? err : sigtramp_map(p); /* core/signal.c */
	if (err)
		return err;
	p->mm->utrace = NULL;
	if (trace_available()) {
		err = uvm_map_zeroed(p->mm->pagetable, UTRACE_VA,
				     (1 + UTRACE_REC_PAGES) * PGSIZE,
				     PTE_R | PTE_W);
		if (err)
			return err;
		p->mm->utrace = uvm_page(p->mm->pagetable, UTRACE_VA, PTE_W);
		p->mm->utrace_tail = 0;
		for (int i = 0; i < UTRACE_REC_PAGES; i++)
			p->mm->utrace_rec[i] = uvm_page(
				p->mm->pagetable, UTRACE_VA + (1 + i) * PGSIZE, PTE_W);
	}
	sp = push_initial_stack(p, &ei, argv, argc, envp, envc);
	if (sp < 0)
		return sp;
	/* every register 0 (the caller cleared the frame) but pc and sp */
	p->tf->epc = ei.entry;
	p->tf->sp = sp;
	fpu_exec(p); /* FP state Initial (sstatus.FS), registers zero */
	return 0;
}

/*
 * The image a failed execve goes back to: what elf_load changes in p.
 */
struct old_image {
	pagetable_t pagetable;
	uint64_t heap_base, brk;
	struct utrace_area *utrace;
	struct utrace_rec *utrace_rec[UTRACE_REC_PAGES];
	uint32_t utrace_tail;
	struct trapframe tf;
};

/* Which page table p's page walks (the IO core's too) use: under mm_lock. */
static void set_pagetable(struct proc *p, pagetable_t pt)
{
	spin_lock(&p->mm->mm_lock);
	p->mm->pagetable = pt;
	p->mm->mm_gen++; /* forget cached translations of the other one */
	spin_unlock(&p->mm->mm_lock);
	if (p == this_proc()) {
		csr_write(satp, MAKE_SATP(pt));
		sfence_vma();
	}
}

static void image_save(struct proc *p, struct old_image *o)
{
	o->pagetable = p->mm->pagetable;
	o->heap_base = p->mm->heap_base;
	o->brk = p->mm->brk;
	o->utrace = p->mm->utrace;
	memcpy(o->utrace_rec, p->mm->utrace_rec, sizeof(o->utrace_rec));
	o->utrace_tail = p->mm->utrace_tail;
	o->tf = *p->tf;
}

static void image_swap(struct proc *p, struct old_image *o)
{
	struct old_image cur;

	image_save(p, &cur);
	set_pagetable(p, o->pagetable);
	p->mm->heap_base = o->heap_base;
	p->mm->brk = o->brk;
	p->mm->utrace = o->utrace;
	memcpy(p->mm->utrace_rec, o->utrace_rec, sizeof(o->utrace_rec));
	p->mm->utrace_tail = o->utrace_tail;
	*p->tf = o->tf;
	*o = cur;
}

/*
 * execve for the running process: the program at path (looked up from the
 * cwd) replaces the image.  Until the new image is fully built in a new
 * page table the old one is untouched, and an error returns -errno to it.
 * After that (the point of no return): close-on-exec fds and ring fds are
 * closed, the old image's mappings and rings go as at exit, the old page
 * table is freed, signals are reset (hook), and the name becomes the program's.
 * Other threads of the group are killed first (proc_exec_alone).  pid, parent, other fds, cwd and rlimits are kept.  Returns 0 (the new
 * image starts with a0 = 0), or -errno with the old image intact; a
 * failure after the point of no return (no memory for the VMAs) kills
 * the process with SIGKILL, as Linux does.
 */
long proc_execve(const char *path, char *const argv[], int argc,
		 char *const envp[], int envc)
{
	struct proc *p = this_proc(), *old_leader;
	struct old_image o;
	struct inode *ip;
	pagetable_t pt;
	long err;

	ip = fs_lookup(p->files->cwd, path, &err);
	if (!ip)
		return err;
	pt = uvm_create();
	if (!pt) {
		inode_put(ip);
		return -ENOMEM;
	}
	image_save(p, &o);
	set_pagetable(p, pt);
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->hart = o.tf.hart;
	err = elf_load(p, ip, path, argv, argc, envp, envc);
	inode_put(ip);
	if (err < 0) {
		image_swap(p, &o); /* back to the old image */
		uvm_free(pt);
		return err;
	}
	/*
	 * The point of no return.  The old image's mappings are taken down
	 * (its rings hear of it) with its own page table in place, then the
	 * new one goes in.
	 */
	image_swap(p, &o); /* o: the new image */
	old_leader = proc_exec_alone(p); /* the other threads go */
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f;

		/* close-on-exec fds, and ring fds: the rings go as at exit */
		spin_lock(&p->files->fd_lock);
		f = p->files->ofile[fd];
		if (f && (p->files->cloexec[fd] || f->ops == &ring_file_ops)) {
			p->files->ofile[fd] = NULL;
			p->files->cloexec[fd] = false;
		} else {
			f = NULL;
		}
		spin_unlock(&p->files->fd_lock);
		if (f)
			file_put(f);
	}
	mmap_exit(p);
	ring_exit_all(old_leader ? old_leader : p);
	if (old_leader)
		proc_exec_reap(old_leader);
	if (p->mm->utrace)
		trace_user_drain(p);
	image_swap(p, &o); /* o: the old image again */
	uvm_free(o.pagetable);
	signals_exec(p); /* handlers to SIG_DFL; the mask, ignored, pending stay */
	p->clear_child_tid = p->robust_list = 0; /* Linux's exec_mm_release */
	proc_set_name(p, path);
	proc_exec_done(p);
	if (mmap_exec(p) < 0)
		proc_exit(ABI_W_EXITCODE(0, ABI_SIGKILL));
	return 0;
}
