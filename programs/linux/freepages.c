/*
 * freepages: print the kernel's free memory in pages (sysinfo(2)'s freeram),
 * one number: for no-leak checks from a shell script (busybox's free needs
 * /proc/meminfo, which this kernel does not have).
 */
#include <stdio.h>
#include <sys/sysinfo.h>

int main(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0) {
		perror("freepages: sysinfo");
		return 1;
	}
	printf("%lu\n", (unsigned long)(si.freeram * si.mem_unit / 4096));
	return 0;
}
