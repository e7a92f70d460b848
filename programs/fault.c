/*
 * fault: misbehave on purpose, to show that a user fault kills only the
 * faulting process.  fault MODE, where MODE is one of:
 *   null        load from address 0
 *   kernel      load from the kernel's memory (KERNEL_BASE)
 *   write-text  store into this program's own code
 *   illegal     execute an illegal instruction
 *   misaligned  an atomic add on a misaligned address
 *   exec-data   jump into the (non-executable) data segment
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uapi/layout.h>

static volatile uintptr_t addr;
static uint32_t words[4];

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	printf("fault: %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "null")) {
		addr = 0;
		return *(volatile int *)addr;
	} else if (!strcmp(mode, "kernel")) {
		addr = KERNEL_BASE;
		return *(volatile int *)addr;
	} else if (!strcmp(mode, "write-text")) {
		addr = (uintptr_t)main;
		*(volatile int *)addr = 0;
	} else if (!strcmp(mode, "illegal")) {
		__asm__ volatile(".word 0");
	} else if (!strcmp(mode, "misaligned")) {
		addr = (uintptr_t)words + 1;
		__asm__ volatile("amoadd.w zero, %1, (%0)" ::"r"(addr), "r"(1)
				 : "memory");
	} else if (!strcmp(mode, "exec-data")) {
		words[0] = 0x00008067; /* ret */
		addr = (uintptr_t)words;
		((void (*)(void))addr)();
	} else {
		fprintf(stderr, "usage: fault null|kernel|write-text|illegal|"
				"misaligned|exec-data\n");
		return 2;
	}
	printf("fault: survived (%s)\n", mode);
	return 0;
}
