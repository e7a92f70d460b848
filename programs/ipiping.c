/*
 * ipiping: N IPI round trips from the normal core to the IO core and back
 * (system call iocore_ping; the caller sleeps until the IO core's IPI wakes
 * it).  One result line:  ipiping: round_trips=N ticks=T   or an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <usys.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;
	uint64_t t0 = rdtime();
	long r = iocore_ping(n);
	uint64_t t1 = rdtime();

	if (r < 0) {
		printf("ipiping: error: %s\n", strerror(errno));
		return 1;
	}
	printf("ipiping: round_trips=%ld ticks=%lu\n", r, (unsigned long)(t1 - t0));
	return r == n ? 0 : 1;
}
