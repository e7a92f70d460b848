/*
 * pie: a static position-independent executable without a C library
 * (Debian's cross glibc has no rcrt1.o for -static-pie), built with
 * riscv64-linux-gnu-gcc -static-pie -nostdlib -fPIE -Wl,--no-dynamic-linker.
 * It finds argc, argv,
 * envp and the auxiliary vector on its initial stack as Linux lays it out,
 * checks that AT_ENTRY is where it really runs (the kernel loaded it at a
 * bias), that AT_PHDR points at its own program headers and AT_PHNUM counts
 * them, and exits with 0 if all holds, with the number of the first failed
 * check otherwise.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define SYS_write      64
#define SYS_exit_group 94

static long sys3(long nr, long a, long b, long c)
{
	register long a0 asm("a0") = a;
	register long a1 asm("a1") = b;
	register long a2 asm("a2") = c;
	register long a7 asm("a7") = nr;

	asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

static void say(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	sys3(SYS_write, 1, (long)s, n);
}

/* hidden: reached pc-relatively, so the program needs no relocation */
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
void _start(void) __attribute__((visibility("hidden")));

/* called from _start with the initial sp */
__attribute__((used)) void pie_main(uint64_t *sp)
{
	long argc = (long)sp[0];
	char **argv = (char **)&sp[1];
	char **envp = argv + argc + 1;
	uint64_t *aux;
	uint64_t entry = 0, phdr = 0, phnum = 0, phent = 0, base = 1;
	int fail = 0;

	while (*envp)
		envp++;
	for (aux = (uint64_t *)(envp + 1); aux[0] != AT_NULL; aux += 2) {
		switch (aux[0]) {
		case AT_ENTRY:
			entry = aux[1];
			break;
		case AT_PHDR:
			phdr = aux[1];
			break;
		case AT_PHNUM:
			phnum = aux[1];
			break;
		case AT_PHENT:
			phent = aux[1];
			break;
		case AT_BASE:
			base = aux[1];
			break;
		}
	}
	if (argc < 1 || !argv[0])
		fail = 1;
	else if (entry != (uint64_t)&_start)
		fail = 2;
	else if (phdr != (uint64_t)&__ehdr_start + __ehdr_start.e_phoff)
		fail = 3;
	else if (phnum != __ehdr_start.e_phnum || phent != sizeof(Elf64_Phdr))
		fail = 4;
	else if (base != 0)
		fail = 5;
	else if ((uint64_t)&_start < 0x10000)
		fail = 6; /* a PIE runs at a bias, not at its link address 0 */
	say(fail ? "pie: auxv check failed\n" : "pie: ok\n");
	sys3(SYS_exit_group, fail, 0, 0);
}

asm(".globl _start\n"
    "_start:\n"
    "	mv a0, sp\n"
    "	andi sp, sp, -16\n"
    "	call pie_main\n"
    "1:	j 1b\n");
