/*
 * showargs: what a program exec'd by programs/linux/procs.c sees, built
 * with Debian's riscv64-linux-gnu-gcc -static against glibc.  It prints
 * "argv[i]=..." and "env ..." lines (to stdout: the exec'ing test reads
 * them through a pipe), and with "fds N..." as its arguments exits with a
 * bit mask of the fds N... that are open (bit k: the k-th).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], "fds")) {
		int mask = 0;

		for (int i = 2; i < argc; i++)
			if (fcntl(atoi(argv[i]), F_GETFD) >= 0)
				mask |= 1 << (i - 2);
		return mask;
	}
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (char **e = envp; *e; e++)
		printf("env %s\n", *e);
	fflush(stdout);
	return argc;
}
