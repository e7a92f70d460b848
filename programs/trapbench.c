/*
 * trapbench: the cost of a system call round trip.  Calls getpid N times
 * (default 100000) and reports time-CSR ticks and retired instructions per
 * call, the user loop included.  Under QEMU's deterministic mode
 * (-icount shift=0,sleep=off) one tick is 100 instructions, so
 * instructions_per_call = ticks * 100 / N exactly; elsewhere the figures are
 * wall-clock based.  One result line:
 *   trapbench: calls=N ticks=T instructions_per_call=X
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <usys.h>
#include <uapi/syscalls.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t t0, t1;

	if (n <= 0) {
		fprintf(stderr, "usage: trapbench [calls]\n");
		return 2;
	}
	__syscall0(SYS_getpid); /* warm up */
	t0 = rdtime();
	for (long i = 0; i < n; i++)
		__syscall0(SYS_getpid);
	t1 = rdtime();
	printf("trapbench: calls=%ld ticks=%lu instructions_per_call=%lu.%02lu\n",
	       n, (unsigned long)(t1 - t0),
	       (unsigned long)((t1 - t0) * 100 / n),
	       (unsigned long)((t1 - t0) * 10000 / n % 100));
	return 0;
}
